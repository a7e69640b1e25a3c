%% Binary matching: integer, float, binary/bitstring, utf and string segments with constant
%% and variable sizes, units, endianness and signedness, at aligned and unaligned positions;
%% tails, skips, match contexts passed between functions, comprehensions, failing matches.
%% cases/0 returns the results (errors as {Class, Reason}); start/0 prints them one a line.
-module(bits_match).
-export([start/0, cases/0]).

id(X) -> X.

t(F) -> try F() catch C:R -> {C, R} end.

start() -> show(cases()).

show([]) -> ok;
show([R | Rs]) -> io:format("~w~n", [R]), show(Rs).

cases() ->
    B = id(<<1, 2, 3, 4, 5, 6, 7, 8, 255, 254>>),
    [
     %% integers
     t(fun() -> <<A:8, Bb:16, C:16/little, Rest/binary>> = B, {A, Bb, C, Rest} end),
     t(fun() -> <<S1:8/signed, S2:16/signed-little, S3:24/signed, _/binary>> =
                    id(<<255, 254, 255, 128, 0, 0>>), {S1, S2, S3} end),
     t(fun() -> <<X1:3, X2:5, X3:4, X4:4>> = id(<<16#A5, 16#3C>>), {X1, X2, X3, X4} end),
     t(fun() -> <<_:1, Y1:8, Y2:16, Y3:16/little, Y4:7/signed>> = id(<<1, 2, 3, 4, 5, 6>>),
                {Y1, Y2, Y3, Y4} end),
     t(fun() -> <<Z1:12/little, Z2:20/little-signed>> = id(<<2, 16, 255, 255>>), {Z1, Z2} end),
     t(fun() -> <<Big:80>> = id(<<(1 bsl 72 + 99):80>>), Big end),
     t(fun() -> <<Bl:72/little-signed>> = id(<<0, 0, 0, 0, 0, 0, 0, 0, 128>>), Bl end),
     t(fun() -> <<_:3, Bu:61/signed, _/bits>> = id(<<255, 255, 255, 255, 255, 255, 255, 255, 255, 255>>), Bu end),
     t(fun() -> <<N1:32/native, N2:16/native-signed>> = id(<<1, 2, 3, 4, 255, 255>>), {N1, N2} end),
     t(fun() -> <<W:2/unit:8, _:6/binary, Last:2/binary>> = B, {W, Last} end),
     t(fun() -> <<Len:8, Payload:Len/binary, Tail/binary>> = id(<<3, "abcdef">>),
                {Len, Payload, Tail} end),
     t(fun() -> <<Sz, V:(Sz * 8), _/binary>> = id(<<2, 1, 2, 3, 4, 5>>), V end),
     t(fun() -> <<Sz:4, V:Sz/unit:3, R/bits>> = id(<<16#2F, 16#F0>>), {Sz, V, R} end),
     t(fun() -> <<Zero:0, One:1, _:7>> = id(<<128>>), {Zero, One} end),
     %% floats
     t(fun() -> <<F64/float, F32:32/float, F16:16/float-little>> =
                    id(<<1.25/float, 2.5:32/float, (-4.0):16/float-little>>), {F64, F32, F16} end),
     t(fun() -> <<_:2, G64:64/float-little, G32:32/float, G16:16/float, _:6>> =
                    id(<<0:2, 3.75:64/float-little, (-0.5):32/float, 1.5:16/float, 0:6>>),
                {G64, G32, G16} end),
     t(fun() -> dyn_float(id(32), id(2), id(<<1.0:32/float, 2.0:16/float>>)) end),
     t(fun() -> float_or(id(<<16#7FF8:16, 0:48>>)) end),
     t(fun() -> float_or(id(<<16#7FF0:16, 0:48>>)) end),
     t(fun() -> float_or(id(<<16#FFF0:16, 0:48>>)) end),
     t(fun() -> float32_or(id(<<16#7F800000:32>>)) end),
     t(fun() -> float32_or(id(<<16#7FC00000:32>>)) end),
     t(fun() -> float16_or(id(<<16#7C00:16>>)) end),
     t(fun() -> float16_or(id(<<16#7E00:16>>)) end),
     t(fun() -> float16_or(id(<<16#3C00:16>>)) end),
     t(fun() -> dyn_float(id(24), id(0), id(<<1, 2, 3>>)) end),
     %% binaries and bitstrings
     t(fun() -> <<Bits:5/bits, More/bits>> = id(<<2#10110111, 2#01>>), {Bits, More, bit_size(More)} end),
     t(fun() -> <<_:4, Mid:2/binary, Rest/bits>> = id(<<1, 2, 3>>), {Mid, Rest} end),
     t(fun() -> dyn_bin(id(1), id(<<1, 2, 3>>)) end),
     t(fun() -> <<H:1/binary, T/binary>> = id(<<"xyz">>), {H, T} end),
     t(fun() -> [tail_kind(X) || X <- [<<>>, <<1>>, <<1, 2, 3>>, <<1:3>>, <<1, 2:4>>]] end),
     t(fun() -> [unit_kind(X) || X <- [<<>>, <<1, 2>>, <<1, 2, 3>>, <<1:4>>, <<1:12>>, <<1:18>>]] end),
     t(fun() -> case id(<<>>) of <<>> -> empty; _ -> no end end),
     t(fun() -> [m(X) || X <- [<<1, 2>>, <<1>>, <<1, 2, 3>>, <<1:4>>, notbin, <<2:4, 0:4>>]] end),
     t(fun() -> case id(<<5, 1, 2>>) of <<N, Data:N/binary>> -> {ok, Data}; _ -> too_short end end),
     t(fun() -> dyn_int(id(-1), id(<<1, 2>>)) end),
     t(fun() -> dyn_int(id(9), id(<<1, 2>>)) end),
     t(fun() -> dyn_int(id(17), id(<<1, 2>>)) end),
     t(fun() -> dyn_int(id(a), id(<<1, 2>>)) end),
     t(fun() -> dyn_int(id(1.0), id(<<1, 2>>)) end),
     t(fun() -> sub(id(<<"0123456789abcdefghijklmnopqrstuvwxyz0123456789">>)) end),
     t(fun() -> <<_:3, Sub:13/bits>> = id(<<255, 1>>), <<S:13>> = Sub, {Sub, S} end),
     %% utf
     t(fun() -> <<U1/utf8, U2/utf8, U3/utf8, U4/utf8, UR/binary>> =
                    id(<<"a", 233/utf8, 8364/utf8, 128512/utf8, "z">>), {U1, U2, U3, U4, UR} end),
     t(fun() -> <<V1/utf16, V2/utf16-little, V3/utf32, V4/utf32-little, V5/utf16-little>> =
                    id(<<128512/utf16, 8364/utf16-little, 66376/utf32, 97/utf32-little,
                         128512/utf16-little>>), {V1, V2, V3, V4, V5} end),
     t(fun() -> utf8_list(id(<<"h", 228/utf8, 8364/utf8, 128512/utf8>>)) end),
     t(fun() -> <<_:3, P/utf8, Q/utf8, _:5>> = id(<<0:3, 8364/utf8, $q/utf8, 0:5>>), {P, Q} end),
     t(fun() -> [utf8_or(X) || X <- [<<16#FF>>, <<16#C0, 16#80>>, <<16#E0, 16#80, 16#80>>,
                                     <<16#ED, 16#A0, 16#80>>, <<16#F4, 16#90, 16#80, 16#80>>,
                                     <<16#E2, 16#82>>, <<16#80>>, <<16#C3>>, <<>>,
                                     <<16#F0, 16#9F, 16#98, 16#80>>, <<16#7F>>]] end),
     t(fun() -> [utf16_or(X) || X <- [<<16#D8, 0>>, <<16#DC, 0, 0, 0>>, <<16#D8, 0, 16#DC, 0>>,
                                      <<16#D8, 0, 0, 65>>, <<0>>, <<0, 65>>]] end),
     %% (an invalid utf32 code point crashes Debian's OTP 25 emulator: see bits_known.erl)
     t(fun() -> [utf32_or(X) || X <- [<<0, 16#10, 16#FF, 16#FF>>, <<0, 0, 0>>]] end),
     t(fun() -> skip_utf(id(<<"a", 8364/utf8, 1:16, 128512/utf16-little, 5:32, 9>>)) end),
     t(fun() -> count_utf8(id(<<"h", 228/utf8, 8364/utf8, 128512/utf8, "!">>), 0) end),
     %% strings
     t(fun() -> [cmd(X) || X <- [<<"GET /index">>, <<"PUT x">>, <<"DELETE">>, <<"GE">>,
                                 <<"GET">>, <<"POST /a/b">>]] end),
     t(fun() -> <<_:4, "ab", R/bits>> = id(<<0:4, "ab", 5:4>>), R end),
     t(fun() -> case id(<<0:4, "ab", 5:4>>) of <<_:4, "ax", _/bits>> -> wrong; _ -> nomatch end end),
     t(fun() -> case id(<<"hello world, long prefix here!">>) of
                    <<"hello world, long prefix", R/binary>> -> R end end),
     t(fun() -> case id(<<5:3, "hi">>) of <<5:3, "hi">> -> yes; _ -> no end end),
     %% loops and contexts
     t(fun() -> parse_ints(id(<<0, 1, 0, 2, 1, 0, 255, 255>>)) end),
     t(fun() -> tlv(id(<<1, 2, "hi", 2, 0, 3, 3, "xyz">>)) end),
     t(fun() -> count(id(<<"hello world">>), $o, 0) end),
     t(fun() -> split_at(id(<<"key=value">>), $=) end),
     t(fun() -> sizes(id(<<1, 2, 3, 4, 5>>)) end),
     t(fun() -> last(id(<<"abcdef">>)) end),
     t(fun() -> bits_rev(id(<<2#1011:4, 2#001:3>>), <<>>) end),
     t(fun() -> same(<<3, 3>>) end),
     t(fun() -> same(<<3, 4>>) end),
     t(fun() -> guard_match(id(<<7, 1>>)) end),
     t(fun() -> guard_match(id(<<7>>)) end),
     t(fun() -> guard_match(id(x)) end),
     %% comprehensions
     t(fun() -> [X || <<X:4>> <= id(<<16#12, 16#34>>)] end),
     t(fun() -> [{K, V} || <<K, V>> <= id(<<1, 2, 3, 4, 5>>)] end),
     t(fun() -> << <<X>> || <<X>> <= id(<<"a1b2c3">>), X >= $a >> end),
     t(fun() -> [X || <<1, X>> <= id(<<1, 10, 2, 20, 1, 30>>)] end),
     t(fun() -> [X || <<X:3>> <= id(<<255, 1:2>>)] end),
     t(fun() -> [X || <<X/utf8>> <= id(<<"a", 8364/utf8, "b">>)] end),
     t(fun() -> [F || <<F:32/float>> <= id(<<1.0:32/float, 2.5:32/float>>)] end),
     t(fun() -> [B2 || <<B2:2/binary>> <= id(<<"abcdefg">>)] end),
     %% errors
     t(fun() -> <<_:16>> = id(<<1>>) end),
     t(fun() -> <<X:8, _/binary>> = id(atom), X end),
     t(fun() -> <<"abc">> = id(<<"abd">>) end)
    ].

dyn_float(S1, S2, Bin) ->
    case Bin of <<Fs:S1/float, Fu:S2/float-unit:8>> -> {Fs, Fu}; _ -> nomatch end.

dyn_bin(S, Bin) -> <<_:4, Mid:S/binary-unit:4, Rest/bitstring>> = Bin, {Mid, Rest}.

dyn_int(S, Bin) -> case Bin of <<N:S/little, _/bits>> -> N; _ -> nomatch end.

float_or(Bin) -> case Bin of <<F/float>> -> F; _ -> not_a_float end.
float32_or(Bin) -> case Bin of <<F:32/float>> -> F; _ -> not_a_float end.
float16_or(Bin) -> case Bin of <<F:16/float>> -> F; _ -> not_a_float end.

utf8_or(Bin) -> case Bin of <<C/utf8, _/binary>> -> C; _ -> invalid end.
utf16_or(Bin) -> case Bin of <<C/utf16, _/binary>> -> C; _ -> invalid end.
utf32_or(Bin) -> case Bin of <<C/utf32, _/binary>> -> C; _ -> invalid end.

skip_utf(<<_/utf8, _/utf8, _/utf16, _/utf16-little, _/utf32, R/binary>>) -> R.

count_utf8(<<_/utf8, R/binary>>, N) -> count_utf8(R, N + 1);
count_utf8(<<>>, N) -> N.

utf8_list(<<C/utf8, R/binary>>) -> [C | utf8_list(R)];
utf8_list(<<>>) -> [].

cmd(<<"GET ", Path/binary>>) -> {get, Path};
cmd(<<"PUT ", Path/binary>>) -> {put, Path};
cmd(<<"POST ", Path/binary>>) -> {post, Path};
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

sizes(<<_, R/binary>> = B) -> [{byte_size(B), bit_size(R)} | sizes(R)];
sizes(<<>>) -> [].

last(B) -> <<_:(byte_size(B) - 1)/binary, X>> = B, X.

bits_rev(<<X:1, R/bits>>, Acc) -> bits_rev(R, <<X:1, Acc/bits>>);
bits_rev(<<>>, Acc) -> Acc.

sub(Bin) ->
    <<_:10/binary, Mid:20/binary, _/binary>> = Bin,
    <<_:5/binary, Inner:5/binary, _/binary>> = Mid,
    {Mid, Inner, byte_size(Mid)}.

tail_kind(<<>>) -> empty;
tail_kind(<<_>>) -> one_byte;
tail_kind(<<_, _/binary>>) -> bytes;
tail_kind(<<_:3>>) -> three_bits;
tail_kind(<<_, _/bits>>) -> bits.

unit_kind(<<_:4, _/binary-unit:16>>) -> nibble_then_words;
unit_kind(<<_/binary-unit:16>>) -> words;
unit_kind(<<_/binary-unit:3>>) -> triples;
unit_kind(_) -> other.

m(<<1, 2>>) -> exact;
m(<<1, _/binary>>) -> starts_1;
m(<<2:4, _:4>>) -> two_nibble;
m(<<_:4>>) -> nibble;
m(_) -> other.

same(<<X, X>>) -> {same, X};
same(_) -> different.

guard_match(B) when is_binary(B), byte_size(B) > 1 ->
    <<Tag, _/binary>> = B, {tag, Tag};
guard_match(<<Tag>>) -> {single, Tag};
guard_match(_) -> none.
