%% Binary construction: every segment type, size kind (constant, variable, all), unit,
%% endianness and signedness; strings, appends, comprehensions and construction errors.
%% cases/0 returns the results (errors as {Class, Reason}); start/0 prints them one a line.
%% Every case stands alone: what AtomVM cannot build fails in its own case only.
-module(bits_construct).
-export([start/0, cases/0]).

id(X) -> X.

t(F) -> try F() catch C:R -> {C, R} end.

start() -> show(cases()).

show([]) -> ok;
show([R | Rs]) -> io:format("~w~n", [R]), show(Rs).

cases() ->
    N = id(258), Neg = id(-2), S = id(12), S8 = id(2), Big = id(1 bsl 70 + 5),
    F = id(1.5), B = id(<<"abc">>), E = id(<<>>),
    [
     %% integers: constant sizes, both endians, signed, odd sizes
     t(fun() -> <<N, 1, 255, 256>> end),
     t(fun() -> <<N:16, N:16/little, N:16/native>> end),
     t(fun() -> <<N:32/big, N:64/little, N:24, N:24/little>> end),
     t(fun() -> <<Neg, Neg:16/signed, Neg:32/little-signed, Neg:40>> end),
     t(fun() -> <<1:1, 0:2, 5:3, 3:2>> end),
     t(fun() -> <<N:12>> end),
     t(fun() -> <<N:12/little>> end),
     t(fun() -> <<(id(16#123456)):20/little>> end),
     t(fun() -> <<(id(-258)):12/little-signed>> end),
     t(fun() -> <<(id(7)):3, (id(2)):4>> end),
     t(fun() -> <<(id(1)):1, N:16, (id(3)):7>> end),
     t(fun() -> <<(id(1)):1, N:16/little, (id(3)):7/little>> end),
     t(fun() -> <<Big:80, Big:80/little, (-Big):80/signed, (-Big):72/little>> end),
     t(fun() -> <<Big:13, Big:77/little>> end),
     t(fun() -> <<1000:8, (id(-1)):12, (id(0)):0>> end),
     %% variable sizes and units
     t(fun() -> <<N:S>> end),
     t(fun() -> <<N:(S + 4)/little>> end),
     t(fun() -> <<N:S8/unit:8, N:S8/unit:8-little>> end),
     t(fun() -> <<5:3/unit:4, N:(id(3))/unit:5>> end),
     t(fun() -> <<N:(id(0))>> end),
     t(fun() -> <<(id(3)):(id(2)), N:(id(14))/little>> end),
     %% floats
     t(fun() -> <<F/float, F:64/float-little, F:64/native-float>> end),
     t(fun() -> <<F:32/float, (id(-0.1)):32/float-little>> end),
     t(fun() -> <<F:16/float, (id(-2.0)):16/float-little, (id(0.0)):16/float>> end),
     t(fun() -> <<(id(3)):64/float, (id(-7)):32/float, (id(1)):16/float>> end),
     t(fun() -> <<(id(1.0e300)):32/float>> end),
     t(fun() -> <<(id(1.0e10)):16/float, (id(-1.0e10)):16/float>> end),
     t(fun() -> <<(id(1.0e-40)):32/float, (id(1.0e-7)):16/float>> end),
     t(fun() -> <<(id(1)):1, F:64/float, (id(1)):7>> end),
     t(fun() -> <<(id(2.5)):(id(32))/float, (id(2.5)):(id(8))/float-unit:8>> end),
     t(fun() -> <<(id(1)):4, (id(0.5)):16/float-little, (id(1)):4>> end),
     %% binaries and bitstrings
     t(fun() -> <<B/binary, "d">> end),
     t(fun() -> <<B:2/binary, B:1/binary-unit:16>> end),
     t(fun() -> <<0, B/binary, B/binary, E/binary>> end),
     t(fun() -> <<(bits5())/bitstring, 1:5>> end),
     t(fun() -> <<(bits5())/bits, (bits5())/bits>> end),
     t(fun() -> <<B/bits, (bits5()):2/bits>> end),
     t(fun() -> <<(id(1)):2, B/binary, (id(1)):6>> end),
     t(fun() -> <<B:(id(2))/binary, B:(id(12))/bits>> end),
     t(fun() -> <<(id(<<1, 2:4>>))/bits, (id(<<3:4>>))/bits>> end),
     t(fun() -> <<E/bits, E/binary>> end),
     t(fun() -> <<B:(id(16))/bitstring-unit:1>> end),
     %% strings and utf
     t(fun() -> <<"hi", "there">> end),
     t(fun() -> <<"x"/utf8, "y"/utf16, "z"/utf32-little>> end),
     t(fun() -> <<$a/utf8, 233/utf8, 8364/utf8, 128512/utf8>> end),
     t(fun() -> <<(id($a))/utf8, (id(233))/utf8, (id(8364))/utf8, (id(128512))/utf8>> end),
     t(fun() -> <<(id(8364))/utf16, (id(8364))/utf16-little, (id(128512))/utf16,
                  (id(128512))/utf16-little>> end),
     t(fun() -> <<(id(8364))/utf32, (id(128512))/utf32-little>> end),
     t(fun() -> <<(id(1)):3, (id(8364))/utf8, (id(66376))/utf16>> end),
     t(fun() -> <<(id(16#10FFFF))/utf8, (id(16#FFFF))/utf16, 0/utf32>> end),
     t(fun() -> << <<C/utf8>> || C <- id([72, 228, 8364, 66376]) >> end),
     %% mixtures
     t(fun() -> <<1:4, N:16/little, B/binary, 2.0:32/float, 7:4>> end),
     t(fun() -> [byte_size(<<1:9>>), bit_size(<<1:9>>), byte_size(<<>>),
                 bit_size(<<B/binary, 1:3>>)] end),
     t(fun() -> {is_binary(<<N:8>>), is_binary(<<N:7>>), is_bitstring(<<N:7>>)} end),
     %% appends and loops
     t(fun() -> append_loop(10, <<>>) end),
     t(fun() -> L = append_loop(1000, <<>>), {byte_size(L), last(L)} end),
     t(fun() -> bits_loop(7, <<>>) end),
     t(fun() -> bits_loop(20, <<1:1>>) end),
     t(fun() -> utf_loop(id([1, 127, 128, 2047, 2048, 65535, 65536, 1114111]), <<>>) end),
     t(fun() -> X = id(<<1:3>>), <<X/bits, 1>> end),
     %% comprehensions
     t(fun() -> << <<(X * 2)>> || X <- [1, 2, 3] >> end),
     t(fun() -> << <<X:3>> || X <- [1, 2, 3, 4, 5] >> end),
     t(fun() -> << <<(X + 1), X>> || <<X>> <= <<"abc">> >> end),
     t(fun() -> << <<X:16/little>> || X <- id([1, 256, 65535]) >> end),
     t(fun() -> byte_size(<< <<I:32>> || I <- seq(1, 100) >>) end),
     t(fun() -> << <<X:4, Y:4>> || <<X:4>> <= id(<<16#12, 16#34>>), Y <- [0, 15] >> end),
     t(fun() -> << <<B/binary>> || _ <- [1, 2, 3] >> end),
     t(fun() -> << <<(id(<<1:1>>))/bits>> || _ <- seq(1, 11) >> end),
     %% errors
     t(fun() -> <<1:(id(-1))>> end),
     t(fun() -> <<(id(a)):8>> end),
     t(fun() -> <<(id(1.5)):8>> end),
     t(fun() -> <<(id(a)):3>> end),
     t(fun() -> <<(id(a)):(id(8))>> end),
     t(fun() -> <<(id(x)):64/float>> end),
     t(fun() -> <<(id(x)):32/float>> end),
     t(fun() -> <<(id(1.0)):(id(24))/float>> end),
     t(fun() -> <<(id(1))/binary>> end),
     t(fun() -> <<(id(<<1:3>>))/binary>> end),
     t(fun() -> <<(id(<<"ab">>)):3/binary>> end),
     t(fun() -> <<(id(<<1:3>>)):4/bits>> end),
     t(fun() -> <<(id(<<"ab">>)):(id(-1))/binary>> end),
     t(fun() -> <<(id(16#D800))/utf8>> end),
     t(fun() -> <<(id(16#DFFF))/utf16>> end),
     t(fun() -> <<(id(16#110000))/utf32>> end),
     t(fun() -> <<(id(-1))/utf8>> end),
     t(fun() -> <<(id(a))/utf8>> end),
     t(fun() -> <<1:(id(a))>> end),
     t(fun() -> <<1:(id(1.0))>> end),
     t(fun() -> <<(id(1 bsl 64)):(id(1 bsl 62))>> end),
     t(fun() -> X = id(<<1:3>>), <<X/binary, 1>> end),
     t(fun() -> X = id(a), <<X/binary, 1>> end),
     t(fun() -> X = id(<<1:3>>), <<X/bits, (id(a)):5>> end),
     t(fun() -> guard(id(1)) end),
     t(fun() -> guard(id(a)) end)
    ].

%% A bitstring literal: AtomVM cannot load it (out_of_memory where it is used), so it is
%% taken in each case that uses it rather than once for all.
bits5() -> id(<<5:3>>).

last(B) -> <<_:(byte_size(B) - 1)/binary, X>> = B, X.

guard(X) when <<X:8>> =:= <<1>> -> one;
guard(_) -> other.

seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].

append_loop(0, Acc) -> Acc;
append_loop(N, Acc) -> append_loop(N - 1, <<Acc/binary, N>>).

bits_loop(0, Acc) -> Acc;
bits_loop(N, Acc) -> bits_loop(N - 1, <<Acc/bits, N:3>>).

utf_loop([], Acc) -> Acc;
utf_loop([C | Cs], Acc) -> utf_loop(Cs, <<Acc/binary, C/utf8, C:24/little>>).
