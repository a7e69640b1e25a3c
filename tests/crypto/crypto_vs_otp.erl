%% Runs unchanged on the host's OTP and on avmsim; tests/test_crypto.py compares the output
%% line for line. Only calls where AtomVM and OTP agree are here (see test_crypto.py for
%% AtomVM's own behaviour): ECB one block at a time, CBC on whole blocks, CMAC over CBC
%% subtypes, AEAD with explicit tag lengths, PBKDF2 on binaries with SHA digests.
-module(crypto_vs_otp).
-export([start/0]).

p(T) -> io:format("~w~n", [T]).

start() ->
    Msg = <<"The quick brown fox jumps over the lazy dog">>,
    IoMsg = [<<"The quick ">>, $b, "rown", [<<" fox jumps">>, [] | <<" over the lazy dog">>]],
    [p({hash, H, crypto:hash(H, Msg), crypto:hash(H, IoMsg), crypto:hash(H, <<>>)})
     || H <- [md5, sha, sha224, sha256, sha384, sha512]],
    [begin
         S0 = crypto:hash_init(H),
         S1 = crypto:hash_update(S0, <<"The quick ">>),
         S2 = crypto:hash_update(S1, ["brown fox", <<" jumps over the lazy dog">>]),
         p({hash_stream, H, crypto:hash_final(S2), crypto:hash_final(S1), crypto:hash_final(S0)})
     end || H <- [md5, sha, sha256, sha512, sha3_256, sha3_512]],
    [p({hmac, H, crypto:mac(hmac, H, <<"key">>, Msg), crypto:mac(hmac, H, "key", IoMsg)})
     || H <- [md5, sha, sha224, sha256, sha384, sha512, sha3_256]],
    p({hmac_long_key, crypto:mac(hmac, sha256, binary:copy(<<"k">>, 200), Msg)}),
    [p({cmac, C, crypto:mac(cmac, C, binary:copy(<<16#2b>>, Len), Msg)})
     || {C, Len} <- [{aes_128_cbc, 16}, {aes_192_cbc, 24}, {aes_256_cbc, 32}]],
    M0 = crypto:mac_init(hmac, sha256, <<"key">>),
    M1 = crypto:mac_update(M0, <<"The quick brown fox ">>),
    M2 = crypto:mac_update(M1, "jumps over the lazy dog"),
    p({mac_stream, crypto:mac_final(M2)}),
    p({mac_finalN, crypto:mac_finalN(crypto:mac_update(crypto:mac_init(cmac, aes_128_cbc,
        <<0:128>>), Msg), 8)}),
    Key128 = <<16#2b7e151628aed2a6abf7158809cf4f3c:128>>,
    Key192 = <<16#8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b:192>>,
    Key256 = <<16#603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4:256>>,
    IV = <<16#000102030405060708090a0b0c0d0e0f:128>>,
    Block = <<16#6bc1bee22e409f96e93d7e117393172a:128>>,
    Plain = <<16#6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51:256>>,
    [begin
         Enc = crypto:crypto_one_time(C, K, IV, Plain, true),
         p({C, Enc, crypto:crypto_one_time(C, K, IV, Enc, false),
            crypto:crypto_one_time(C, K, IV, Plain, [{encrypt, true}])})
     end || {C, K} <- [{aes_128_cbc, Key128}, {aes_192_cbc, Key192}, {aes_256_cbc, Key256},
                       {aes_128_ctr, Key128}, {aes_192_ctr, Key192}, {aes_256_ctr, Key256},
                       {aes_128_cfb128, Key128}, {aes_256_cfb128, Key256}]],
    p({ctr_odd, crypto:crypto_one_time(aes_128_ctr, Key128, IV, Msg, true)}),
    p({cfb_odd, crypto:crypto_one_time(aes_256_cfb128, Key256, IV, Msg, true)}),
    [p({C, crypto:crypto_one_time(C, K, Block, true),
        crypto:crypto_one_time(C, K, crypto:crypto_one_time(C, K, Block, true), false)})
     || {C, K} <- [{aes_128_ecb, Key128}, {aes_192_ecb, Key192}, {aes_256_ecb, Key256}]],
    Pkcs = [{encrypt, true}, {padding, pkcs_padding}],
    PEnc = crypto:crypto_one_time(aes_256_cbc, Key256, IV, Msg, Pkcs),
    p({cbc_pkcs, PEnc, crypto:crypto_one_time(aes_256_cbc, Key256, IV, PEnc,
                                              [{encrypt, false}, {padding, pkcs_padding}])}),
    p({cbc_pkcs_block, crypto:crypto_one_time(aes_128_cbc, Key128, IV, Block, Pkcs)}),
    [begin
         St = crypto:crypto_init(C, K, IVx, true),
         A = crypto:crypto_update(St, binary:part(Plain, 0, 16)),
         B = crypto:crypto_update(St, binary:part(Plain, 16, 16)),
         p({stream, C, A, B, crypto:crypto_final(St)})
     end || {C, K, IVx} <- [{aes_128_cbc, Key128, IV}, {aes_256_ctr, Key256, IV},
                            {aes_128_ofb, Key128, IV}, {aes_192_ecb, Key192, <<>>}]],
    Sp = crypto:crypto_init(aes_128_cbc, Key128, IV, [{encrypt, true}, {padding, pkcs_padding}]),
    SpA = crypto:crypto_update(Sp, <<"0123456789">>),
    SpB = crypto:crypto_update(Sp, <<"abcdefghij">>),
    SpC = crypto:crypto_final(Sp),
    p({stream_pkcs, SpA, SpB, SpC}),
    Sd = crypto:crypto_init(aes_128_cbc, Key128, IV, [{encrypt, false}, {padding, pkcs_padding}]),
    p({stream_pkcs_dec, crypto:crypto_update(Sd, <<SpA/binary, SpB/binary, SpC/binary>>),
       crypto:crypto_final(Sd)}),
    p({ecb3, crypto:crypto_init(aes_128_ecb, Key128, true) =/= undefined}),
    Aad = <<"header">>,
    [begin
         {Ct, Tag} = crypto:crypto_one_time_aead(C, K, N, Msg, Aad, 16, true),
         {Ct8, Tag8} = crypto:crypto_one_time_aead(C, K, N, Msg, Aad, TagLen, true),
         p({aead, C, Ct, Tag, Ct8, Tag8,
            crypto:crypto_one_time_aead(C, K, N, Ct, Aad, Tag, false),
            crypto:crypto_one_time_aead(C, K, N, Ct8, Aad, Tag8, false),
            crypto:crypto_one_time_aead(C, K, N, Ct, <<"other">>, Tag, false)})
     end || {C, K, N, TagLen} <- [{aes_128_gcm, Key128, <<1:96>>, 12},
                                  {aes_256_gcm, Key256, <<1:128>>, 8},
                                  {aes_128_ccm, Key128, <<7:96>>, 8},
                                  {aes_192_ccm, Key192, <<7:56>>, 12},
                                  {chacha20_poly1305, Key256, <<9:96>>, 16}]],
    [p({pbkdf2, H, crypto:pbkdf2_hmac(H, <<"password">>, <<"salt">>, 2, 20),
        crypto:pbkdf2_hmac(H, <<"password">>, <<"NaCl">>, 4096, 40)})
     || H <- [sha, sha224, sha256, sha384, sha512]],
    p({hash_equals, crypto:hash_equals(<<"abc">>, <<"abc">>),
       crypto:hash_equals(<<"abc">>, <<"abd">>), crypto:hash_equals(<<>>, <<>>)}),
    p({rand, byte_size(crypto:strong_rand_bytes(0)), byte_size(crypto:strong_rand_bytes(37))}),
    [begin
         {PubA, PrivA} = crypto:generate_key(ecdh, Curve),
         {PubB, PrivB} = crypto:generate_key(ecdh, Curve),
         Shared = crypto:compute_key(ecdh, PubB, PrivA, Curve),
         p({ecdh, Curve, byte_size(PubA), byte_size(PrivA),
            Shared =:= crypto:compute_key(ecdh, PubA, PrivB, Curve)}),
         Sig = crypto:sign(ecdsa, sha256, Msg, [PrivA, Curve]),
         p({ecdsa, Curve, crypto:verify(ecdsa, sha256, Msg, Sig, [PubA, Curve]),
            crypto:verify(ecdsa, sha256, <<"other">>, Sig, [PubA, Curve])})
     end || Curve <- [secp256r1, secp384r1, secp521r1, secp256k1, brainpoolP256r1]],
    {XPub, XPriv} = crypto:generate_key(eddh, x25519),
    {YPub, YPriv} = crypto:generate_key(ecdh, x25519),
    p({x25519, byte_size(XPub), byte_size(XPriv),
       crypto:compute_key(eddh, YPub, XPriv, x25519) =:= crypto:compute_key(ecdh, XPub, YPriv, x25519)}),
    %% fixed keys: RFC 7748 section 6.1 (X25519)
    AlicePriv = <<16#77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a:256>>,
    BobPub = <<16#de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f:256>>,
    p({x25519_rfc7748, crypto:compute_key(ecdh, BobPub, AlicePriv, x25519)}),
    ok.
