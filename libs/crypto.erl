%% crypto -- AtomVM's crypto module (estdlib crypto, NIFs of libAtomVM
%% otp_crypto.c over Mbed TLS): hashes (md5, sha, sha2; streaming also sha3
%% and ripemd160), HMAC and AES-CMAC, AES in ECB/CBC/CFB128/CTR (and OFB when
%% streaming), AES-GCM/CCM and ChaCha20-Poly1305, PBKDF2-HMAC, ECDH/X25519
%% keys and ECDSA signatures, constant-time comparison and random bytes.
%%
%% Every function is a NIF (on the esp32, rp2 and generic_unix ports; on
%% stm32 the stubs below fail with error:undefined). Errors follow AtomVM,
%% not OTP: a plain badarg where an argument is not even of the right type,
%% otherwise {badarg, {File, Line}, Description} with charlists (a few are
%% {error, {File, Line}, Description}). Where AtomVM differs from OTP:
%% crypto_one_time with ECB takes one block per call, a padding option is for
%% CBC only, crypto_final ends a state for good, mac_update changes the state
%% it is given, hash_update returns a new one.
-module(crypto).

-export([
    hash/2,
    hash_init/1,
    hash_update/2,
    hash_final/1,
    crypto_one_time/4,
    crypto_one_time/5,
    crypto_one_time_aead/6,
    crypto_one_time_aead/7,
    crypto_init/3,
    crypto_init/4,
    crypto_update/2,
    crypto_final/1,
    generate_key/2,
    compute_key/4,
    sign/4,
    verify/5,
    mac/4,
    mac_init/3,
    mac_update/2,
    mac_final/1,
    mac_finalN/2,
    pbkdf2_hmac/5,
    hash_equals/2,
    strong_rand_bytes/1,
    info_lib/0
]).

-export_type([hash_state/0, mac_state/0, crypto_state/0]).

-opaque hash_state() :: reference().
-opaque mac_state() :: reference().
-opaque crypto_state() :: reference().

-type hash_algorithm() :: md5 | sha | sha224 | sha256 | sha384 | sha512.
-type psa_hash_algorithm() ::
    hash_algorithm() | sha3_224 | sha3_256 | sha3_384 | sha3_512 | ripemd160.
-type cipher() :: atom().
-type crypto_opts() :: boolean() | [{encrypt, boolean()} | {padding, none | pkcs_padding}].
-type curve() :: atom().

%% Digest of Data (iodata).
-spec hash(Type :: hash_algorithm(), Data :: iodata()) -> binary().
hash(_Type, _Data) ->
    erlang:nif_error(undefined).

-spec hash_init(Type :: psa_hash_algorithm()) -> hash_state().
hash_init(_Type) ->
    erlang:nif_error(undefined).

%% A new state with Data folded in; State itself is unchanged.
-spec hash_update(State :: hash_state(), Data :: iodata()) -> hash_state().
hash_update(_State, _Data) ->
    erlang:nif_error(undefined).

%% The digest so far; the state stays usable.
-spec hash_final(State :: hash_state()) -> binary().
hash_final(_State) ->
    erlang:nif_error(undefined).

%% ECB ciphers (no IV): one 16-byte block per call (anything else gives <<>>).
-spec crypto_one_time(cipher(), Key :: iodata(), Data :: iodata(), crypto_opts()) -> binary().
crypto_one_time(_Cipher, _Key, _Data, _FlagOrOptions) ->
    erlang:nif_error(undefined).

-spec crypto_one_time(cipher(), Key :: iodata(), IV :: iodata(), Data :: iodata(),
                      crypto_opts()) -> binary().
crypto_one_time(_Cipher, _Key, _IV, _Data, _FlagOrOptions) ->
    erlang:nif_error(undefined).

%% Encryption with the default 16-byte tag: {CipherText, Tag}.
-spec crypto_one_time_aead(cipher(), Key :: binary(), IV :: binary(), InText :: iodata(),
                           AAD :: iodata(), true) -> {binary(), binary()}.
crypto_one_time_aead(_Cipher, _Key, _IV, _InText, _AAD, _EncFlag) ->
    erlang:nif_error(undefined).

%% Encryption with a tag length, or decryption with the tag (error when it
%% does not authenticate).
-spec crypto_one_time_aead(cipher(), Key :: binary(), IV :: binary(), InText :: iodata(),
                           AAD :: iodata(), TagOrTagLength :: non_neg_integer() | binary(),
                           boolean()) -> {binary(), binary()} | binary() | error.
crypto_one_time_aead(_Cipher, _Key, _IV, _InText, _AAD, _TagOrTagLength, _EncFlag) ->
    erlang:nif_error(undefined).

-spec crypto_init(cipher(), Key :: binary(), crypto_opts()) -> crypto_state().
crypto_init(Cipher, Key, FlagOrOptions) ->
    ?MODULE:crypto_init(Cipher, Key, <<>>, FlagOrOptions).

-spec crypto_init(cipher(), Key :: binary(), IV :: binary(), crypto_opts()) -> crypto_state().
crypto_init(_Cipher, _Key, _IV, _FlagOrOptions) ->
    erlang:nif_error(undefined).

-spec crypto_update(State :: crypto_state(), Data :: iodata()) -> binary().
crypto_update(_State, _Data) ->
    erlang:nif_error(undefined).

-spec crypto_final(State :: crypto_state()) -> binary().
crypto_final(_State) ->
    erlang:nif_error(undefined).

%% {PublicKey, PrivateKey} as raw key material (ecdh: secp*/brainpool*/x25519/x448;
%% eddh: x25519/x448).
-spec generate_key(Type :: ecdh | eddh | eddsa, Param :: curve()) -> {binary(), binary()}.
generate_key(_Type, _Param) ->
    erlang:nif_error(undefined).

-spec compute_key(Type :: ecdh | eddh, OtherPublicKey :: binary(), MyPrivateKey :: binary(),
                  Param :: curve()) -> binary().
compute_key(_Type, _OtherPublicKey, _MyPrivateKey, _Param) ->
    erlang:nif_error(undefined).

%% ECDSA: a DER signature; Key is [PrivateKey, Curve].
-spec sign(ecdsa, DigestType :: psa_hash_algorithm(), Msg :: iodata(),
           Key :: [binary() | curve()]) -> binary().
sign(_Algorithm, _DigestType, _Msg, _Key) ->
    erlang:nif_error(undefined).

-spec verify(ecdsa, DigestType :: psa_hash_algorithm(), Msg :: iodata(),
             Signature :: binary(), Key :: [binary() | curve()]) -> boolean().
verify(_Algorithm, _DigestType, _Msg, _Signature, _Key) ->
    erlang:nif_error(undefined).

%% mac(hmac, Digest, Key, Data) or mac(cmac, aes_{128,192,256}_{cbc,ecb}, Key, Data).
-spec mac(Type :: hmac | cmac, SubType :: atom(), Key :: iodata(), Data :: iodata()) ->
    binary().
mac(_Type, _SubType, _Key, _Data) ->
    erlang:nif_error(undefined).

-spec mac_init(Type :: hmac | cmac, SubType :: atom(), Key :: iodata()) -> mac_state().
mac_init(_Type, _SubType, _Key) ->
    erlang:nif_error(undefined).

%% Folds Data into State and returns State itself.
-spec mac_update(State :: mac_state(), Data :: iodata()) -> mac_state().
mac_update(_State, _Data) ->
    erlang:nif_error(undefined).

-spec mac_final(State :: mac_state()) -> binary().
mac_final(_State) ->
    erlang:nif_error(undefined).

-spec mac_finalN(State :: mac_state(), MacLength :: pos_integer()) -> binary().
mac_finalN(_State, _MacLength) ->
    erlang:nif_error(undefined).

-spec pbkdf2_hmac(DigestType :: atom(), Password :: iodata(), Salt :: iodata(),
                  Iterations :: pos_integer(), KeyLen :: pos_integer()) -> binary().
pbkdf2_hmac(_DigestType, _Password, _Salt, _Iterations, _KeyLen) ->
    erlang:nif_error(undefined).

%% Constant-time comparison of two binaries of the same length.
-spec hash_equals(Mac1 :: binary(), Mac2 :: binary()) -> boolean().
hash_equals(_Mac1, _Mac2) ->
    erlang:nif_error(undefined).

-spec strong_rand_bytes(N :: non_neg_integer()) -> binary().
strong_rand_bytes(_N) ->
    erlang:nif_error(undefined).

%% [{<<"mbedtls">>, VersionNumber, VersionString}].
-spec info_lib() -> [{binary(), integer(), binary()}].
info_lib() ->
    erlang:nif_error(undefined).
