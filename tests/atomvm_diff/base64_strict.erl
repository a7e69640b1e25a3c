-module(base64_strict).
%% AtomVM's base64 is one NIF for every arity: it takes any iolist (OTP 25: binaries and
%% byte lists only, combining list elements arithmetically), decodes strictly (whitespace,
%% missing padding and misplaced '=' are badarg, where OTP skips, pads or fails with other
%% reasons) and has no mime_decode.
-export([start/0]).

try_(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

show(Tag, F) -> io:format("~w ~w~n", [Tag, try_(F)]).

start() ->
    show(enc_iolist, fun() -> base64:encode([<<"ab">>, "c", [[$d]]]) end),
    show(enc_string_iolist, fun() -> base64:encode_to_string([<<"ab">>, $c]) end),
    show(enc_bad_byte, fun() -> base64:encode([1, 2, 300]) end),
    show(enc_atom, fun() -> base64:encode(x) end),
    show(enc_improper, fun() -> base64:encode([1 | 2]) end),
    show(enc_empty_list, fun() -> base64:encode([]) end),
    show(dec_iolist, fun() -> base64:decode(["YW", <<"Jj">>]) end),
    show(dec_unpadded, fun() -> base64:decode(<<"QQ">>) end),
    show(dec_three, fun() -> base64:decode(<<"QUJ">>) end),
    show(dec_spaces, fun() -> base64:decode(<<"Q Q = =">>) end),
    show(dec_newline, fun() -> base64:decode(<<"QU\nJD">>) end),
    show(dec_crlf, fun() -> base64:decode(<<"QUJD\r\n">>) end),
    show(dec_bang, fun() -> base64:decode(<<"Q!Q==">>) end),
    show(dec_eq_inside, fun() -> base64:decode(<<"QQ=A">>) end),
    show(dec_three_eq, fun() -> base64:decode(<<"Q===">>) end),
    show(dec_eq_first, fun() -> base64:decode(<<"=QUJ">>) end),
    show(dec_twice, fun() -> base64:decode(<<"QQ==QQ==">>) end),
    show(dec_atom, fun() -> base64:decode(x) end),
    show(dec_string_unpadded, fun() -> base64:decode_to_string("QQ") end),
    show(dec_nopad_option, fun() -> base64:decode(<<"QQ">>, #{padding => false}) end),
    show(enc_urlsafe, fun() -> base64:encode(<<251, 255>>, #{mode => urlsafe}) end),
    show(mime_decode, fun() -> base64:mime_decode(<<"QUJD">>) end),
    ok.
