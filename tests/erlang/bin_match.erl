%% Binary matching: integer segments (sizes, endianness, signedness, unit,
%% dynamic sizes bound earlier in the same pattern), floats 16/32/64, binary
%% and bitstring tails, skipping, utf8/16/32 extraction, string prefixes,
%% sub-binaries, binary generators in comprehensions, matching in function
%% heads and case, failing matches. Bitstrings that are not whole bytes, which AtomVM
%% cannot hold, are matched in tests/erlang_bits/bits_match.erl, where its answers are named.
-module(bin_match).
-export([start/0]).

id(X) -> X.

start() ->
    B = id(<<1, 2, 3, 4, 5, 6, 7, 8, 255, 254>>),
    <<A:8, Bb:16, C:16/little, Rest/binary>> = B,
    io:format("ints: ~p ~p ~p ~w~n", [A, Bb, C, Rest]),
    <<S1:8/signed, S2:16/signed-little, _/binary>> = id(<<255, 254, 255>>),
    io:format("signed: ~p ~p~n", [S1, S2]),
    <<X1:3, X2:5, X3:4, X4:4>> = id(<<16#A5, 16#3C>>),
    io:format("bitfields: ~p ~p ~p ~p~n", [X1, X2, X3, X4]),
    <<Len:8, Payload:Len/binary, Tail/binary>> = id(<<3, "abcdef">>),
    io:format("length prefix: ~p ~p ~p~n", [Len, Payload, Tail]),
    <<W:2/unit:8, _:6/binary, Last:2/binary>> = B,
    io:format("unit/skip: ~p ~w~n", [W, Last]),
    <<F64/float, F32:32/float, F16:16/float-little>> = id(<<1.25/float, 2.5:32/float, (-4.0):16/float-little>>),
    io:format("floats: ~p ~p ~p~n", [F64, F32, F16]),
    <<Big:80>> = id(<<(1 bsl 72 + 99):80>>),
    io:format("big int: ~p~n", [Big]),
    <<Bl:72/little-signed>> = id(<<0, 0, 0, 0, 0, 0, 0, 0, 128>>),
    io:format("big little signed: ~p~n", [Bl]),
    <<U1/utf8, U2/utf8, U3/utf8, UR/binary>> = id(<<"a", 233/utf8, 8364/utf8, "z">>),
    io:format("utf8: ~p ~p ~p ~p~n", [U1, U2, U3, UR]),
    <<V1/utf16, V2/utf16-little, V3/utf32, V4/utf32-little>> =
        id(<<128512/utf16, 8364/utf16-little, 66376/utf32, 97/utf32-little>>),
    io:format("utf16/32: ~p ~p ~p ~p~n", [V1, V2, V3, V4]),
    io:format("decode utf8: ~p~n", [utf8_list(id(<<"h", 228/utf8, 8364/utf8, 128512/utf8>>))]),
    io:format("bad utf8: ~p~n", [case id(<<16#FF, 16#FE>>) of <<Cp/utf8, _/binary>> -> Cp; _ -> invalid end]),
    io:format("prefix: ~p~n", [[cmd(X) || X <- [<<"GET /index">>, <<"PUT x">>, <<"DELETE">>, <<"GE">>]]]),
    io:format("parse ints: ~p~n", [parse_ints(id(<<0, 1, 0, 2, 1, 0, 255, 255>>))]),
    io:format("tlv: ~p~n", [tlv(id(<<1, 2, "hi", 2, 0, 3, 3, "xyz">>))]),
    io:format("count bytes: ~p~n", [count(id(<<"hello world">>), $o, 0)]),
    io:format("split at: ~p~n", [split_at(id(<<"key=value">>), $=)]),
    io:format("comp: ~p~n", [[X || <<X:4>> <= id(<<16#12, 16#34>>)]]),
    io:format("comp pairs: ~p~n", [[{K, V} || <<K, V>> <= id(<<1, 2, 3, 4>>)]]),
    io:format("comp filter: ~w~n", [<< <<X>> || <<X>> <= id(<<"a1b2c3">>), X >= $a >>]),
    io:format("comp pattern: ~p~n", [[X || <<1, X>> <= id(<<1, 10, 2, 20, 1, 30>>)]]),
    io:format("sub binary: ~p~n", [sub(id(<<"0123456789abcdefghijklmnopqrstuvwxyz0123456789">>))]),
    io:format("tail types: ~p~n", [[tail_kind(X) || X <- [<<>>, <<1>>, <<1, 2, 3>>]]]),
    io:format("matches size 0: ~p~n", [case id(<<>>) of <<>> -> empty; _ -> no end]),
    io:format("fail: ~p~n", [[m(X) || X <- [<<1, 2>>, <<1>>, <<1, 2, 3>>, notbin]]]),
    io:format("dynamic size fail: ~p~n", [case id(<<5, 1, 2>>) of <<N, Data:N/binary>> -> {ok, Data}; _ -> too_short end]),
    io:format("badmatch: ~p~n", [try <<_:16>> = id(<<1>>) catch error:R -> R end]),
    io:format("float nan bits: ~p~n", [case id(<<16#7FF8:16, 0:48>>) of <<Fl/float>> -> Fl; _ -> not_a_float end]),
    io:format("same var: ~p ~p~n", [same(<<3, 3>>), same(<<3, 4>>)]),
    io:format("size expr: ~p~n", [case id(<<2, 1, 2, 3, 4, 5>>) of <<Sz, V:(Sz * 8), _/binary>> -> V end]),
    ok.

utf8_list(<<C/utf8, R/binary>>) -> [C | utf8_list(R)];
utf8_list(<<>>) -> [].

cmd(<<"GET ", Path/binary>>) -> {get, Path};
cmd(<<"PUT ", Path/binary>>) -> {put, Path};
cmd(<<"DELETE">>) -> delete;
cmd(_) -> unknown.

parse_ints(<<X:16, R/binary>>) -> [X | parse_ints(R)];
parse_ints(<<>>) -> [].

tlv(<<T, L, V:L/binary, R/binary>>) -> [{T, V} | tlv(R)];
tlv(<<>>) -> [].

count(<<C, R/binary>>, C, N) -> count(R, C, N + 1);
count(<<_, R/binary>>, C, N) -> count(R, C, N);
count(<<>>, _, N) -> N.

split_at(Bin, Sep) -> split_at(Bin, Sep, 0).
split_at(Bin, Sep, I) ->
    case Bin of
        <<K:I/binary, Sep, V/binary>> -> {K, V};
        _ when I < byte_size(Bin) -> split_at(Bin, Sep, I + 1);
        _ -> nosep
    end.

sub(Bin) ->
    <<_:10/binary, Mid:20/binary, _/binary>> = Bin,
    <<_:5/binary, Inner:5/binary, _/binary>> = Mid,
    {Mid, Inner, binary:copy(Inner), byte_size(Mid)}.

tail_kind(<<>>) -> empty;
tail_kind(<<_>>) -> one_byte;
tail_kind(<<_, _/binary>>) -> bytes;
tail_kind(<<_:3>>) -> three_bits;
tail_kind(<<_, _/bits>>) -> bits.

m(<<1, 2>>) -> exact;
m(<<1, _/binary>>) -> starts_1;
m(<<_:4>>) -> nibble;
m(_) -> other.

same(<<X, X>>) -> {same, X};
same(_) -> different.
