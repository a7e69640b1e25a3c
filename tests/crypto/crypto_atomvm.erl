%% AtomVM's own crypto behaviour (libAtomVM otp_crypto.c over Mbed TLS), where it is not
%% OTP's: errors, ECB/CBC framing, state life cycles. One line per case, "Label: Outcome";
%% tests/test_crypto.py holds the expected lines.
-module(crypto_atomvm).
-export([start/0, id/1]).

id(X) -> X.

run(Label, F) ->
    Outcome = try F() of V -> V catch C:R -> {C, R} end,
    show(Label, Outcome).

show(Label, {error, {Tag, {File, Line}, Desc}}) when is_list(File), is_list(Desc) ->
    io:format("~s: ~w ~s:~w ~s~n", [Label, Tag, File, Line, Desc]);
show(Label, {error, {Tag, Desc}}) when is_list(Desc) ->
    io:format("~s: ~w ~s~n", [Label, Tag, Desc]);
show(Label, Other) ->
    io:format("~s: ~w~n", [Label, Other]).

start() ->
    K = <<16#2b7e151628aed2a6abf7158809cf4f3c:128>>,
    IV = <<16#000102030405060708090a0b0c0d0e0f:128>>,
    D = <<"Hello">>,
    run("hash type", fun() -> crypto:hash(?MODULE:id(not_a_type), D) end),
    run("hash data", fun() -> crypto:hash(sha, ?MODULE:id(not_a_binary)) end),
    run("hash byte", fun() -> crypto:hash(sha, ?MODULE:id([1, 256])) end),
    run("hash sha3", fun() -> crypto:hash(?MODULE:id(sha3_256), D) end),
    run("one_time cipher", fun() -> crypto:crypto_one_time(bad, K, IV, D, true) end),
    run("one_time key", fun() -> crypto:crypto_one_time(aes_128_ctr, <<>>, IV, D, true) end),
    run("one_time iv", fun() -> crypto:crypto_one_time(aes_128_ctr, K, <<5>>, D, true) end),
    run("one_time opts", fun() -> crypto:crypto_one_time(aes_128_ctr, K, IV, D, {bad}) end),
    run("one_time no encrypt", fun() ->
        crypto:crypto_one_time(aes_128_ctr, K, IV, D, [{padding, none}]) end),
    run("one_time data", fun() -> crypto:crypto_one_time(aes_128_ctr, K, IV, foo, true) end),
    run("one_time ctr padding", fun() ->
        crypto:crypto_one_time(aes_128_ctr, K, IV, D, [{encrypt, true}, {padding, none}]) end),
    run("one_time cbc no iv", fun() -> crypto:crypto_one_time(aes_128_cbc, K, <<0:128>>, true) end),
    run("ecb two blocks", fun() -> crypto:crypto_one_time(aes_128_ecb, K, <<0:256>>, true) end),
    run("cbc truncated", fun() ->
        crypto:crypto_one_time(aes_128_cbc, <<1:128>>, <<0:128>>, <<"First bytesSecond bytes">>,
                               true) end),
    Zeros = crypto:crypto_one_time(aes_128_cbc, K, IV, <<0:128>>, true),
    run("cbc bad padding", fun() ->
        crypto:crypto_one_time(aes_128_cbc, K, IV, Zeros, [{encrypt, false},
                                                           {padding, pkcs_padding}]) end),
    run("init ecb pkcs", fun() -> crypto:crypto_init(aes_128_ecb, K, [{padding, pkcs_padding}]) end),
    run("init key", fun() -> crypto:crypto_init(aes_128_cbc, [K], IV, true) end),
    run("init key size", fun() -> crypto:crypto_init(aes_128_cbc, <<1:64>>, IV, true) end),
    run("init iv type", fun() -> crypto:crypto_init(aes_128_cbc, K, [IV], true) end),
    run("init iv size", fun() -> crypto:crypto_init(aes_128_cbc, K, <<1:64>>, true) end),
    run("init option", fun() -> crypto:crypto_init(aes_128_cbc, K, IV, [{foo, 1}]) end),
    run("init format", fun() -> crypto:crypto_init(aes_128_cbc, K, IV, [bar]) end),
    run("update ref", fun() -> crypto:crypto_update(make_ref(), <<>>) end),
    S1 = crypto:crypto_init(aes_128_cbc, K, IV, true),
    run("update data", fun() -> crypto:crypto_update(S1, foo) end),
    run("update partial", fun() -> byte_size(crypto:crypto_update(S1, <<0:80>>)) end),
    run("final dropped", fun() -> crypto:crypto_final(S1) end),
    run("final twice", fun() -> crypto:crypto_final(S1) end),
    run("update after final", fun() -> crypto:crypto_update(S1, <<0:128>>) end),
    S2 = crypto:crypto_init(aes_128_cbc, K, IV, [{encrypt, true}, {padding, none}]),
    _ = crypto:crypto_update(S2, <<0:80>>),
    run("final padding none", fun() -> crypto:crypto_final(S2) end),
    run("mac key", fun() -> crypto:mac(hmac, sha, foo, D) end),
    run("mac digest", fun() -> crypto:mac(hmac, foo, K, D) end),
    run("mac cmac cipher", fun() -> crypto:mac(cmac, foo, K, D) end),
    run("mac cmac size", fun() -> crypto:mac(cmac, aes_256_cbc, K, D) end),
    run("mac type", fun() -> crypto:mac(poly1305, sha, K, D) end),
    run("mac empty key", fun() -> crypto:mac(hmac, sha, <<>>, D) end),
    run("mac data", fun() -> crypto:mac(hmac, sha, K, foo) end),
    Long = binary:copy(D, 10),
    run("cmac ecb is cbc", fun() ->
        crypto:mac(cmac, aes_128_ecb, K, Long) =:= crypto:mac(cmac, aes_128_cbc, K, Long) end),
    M = crypto:mac_init(hmac, sha256, K),
    run("mac_update same state", fun() -> crypto:mac_update(M, D) =:= M end),
    run("mac_update ref", fun() -> crypto:mac_update(make_ref(), D) end),
    run("mac_update text", fun() -> crypto:mac_update(M, foo) end),
    run("mac_finalN length", fun() -> crypto:mac_finalN(M, 0) end),
    run("mac_final", fun() -> crypto:mac_final(M) =:= crypto:mac(hmac, sha256, K, D) end),
    run("mac_final twice", fun() -> crypto:mac_final(M) end),
    run("mac_update after final", fun() -> crypto:mac_update(M, D) end),
    run("hash_init type", fun() -> crypto:hash_init(foo) end),
    run("hash_update ref", fun() -> crypto:hash_update(make_ref(), D) end),
    H = crypto:hash_init(sha256),
    run("hash_update data", fun() -> crypto:hash_update(H, foo) end),
    run("hash_final mac state", fun() -> crypto:hash_final(crypto:mac_init(hmac, sha, K)) end),
    run("hash_equals length", fun() -> crypto:hash_equals(<<1>>, <<1, 2>>) end),
    run("hash_equals type", fun() -> crypto:hash_equals(a, <<>>) end),
    run("pbkdf2 digest", fun() -> crypto:pbkdf2_hmac(foo, <<"p">>, <<"s">>, 1, 8) end),
    run("pbkdf2 iterations", fun() -> crypto:pbkdf2_hmac(sha, <<"p">>, <<"s">>, -1, 8) end),
    run("pbkdf2 keylen", fun() -> crypto:pbkdf2_hmac(sha, <<"p">>, <<"s">>, 1, 0) end),
    run("pbkdf2 iodata", fun() ->
        crypto:pbkdf2_hmac(sha256, "pass", [<<"sa">>, $l, "t"], 3, 16) =:=
            crypto:pbkdf2_hmac(sha256, <<"pass">>, <<"salt">>, 3, 16) end),
    run("rand negative", fun() -> crypto:strong_rand_bytes(-1) end),
    run("aead cipher", fun() -> crypto:crypto_one_time_aead(aes_128_xyz, K, IV, D, <<>>, true) end),
    run("aead flag", fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K, IV, D, <<>>, yes) end),
    run("aead tag", fun() ->
        crypto:crypto_one_time_aead(aes_128_gcm, K, IV, D, <<>>, tag, false) end),
    run("aead ccm default tag", fun() ->
        {_, Tag} = crypto:crypto_one_time_aead(aes_128_ccm, K, <<1:96>>, D, <<>>, true),
        byte_size(Tag) end),
    run("generate eddsa", fun() -> crypto:generate_key(eddsa, ed25519) end),
    run("generate ecdh ed25519", fun() -> crypto:generate_key(ecdh, ed25519) end),
    run("sign eddsa", fun() -> crypto:sign(eddsa, none, D, [<<0:256>>, ed25519]) end),
    run("sign key size", fun() -> crypto:sign(ecdsa, sha256, D, [<<1:64>>, secp256r1]) end),
    run("sign digest", fun() -> crypto:sign(ecdsa, foo, D, [<<1:256>>, secp256r1]) end),
    run("verify bad der", fun() ->
        {Pub, _} = crypto:generate_key(ecdh, secp256r1),
        crypto:verify(ecdsa, sha256, D, <<"not der">>, [Pub, secp256r1]) end),
    run("info_lib", fun() -> crypto:info_lib() end),
    ok.
