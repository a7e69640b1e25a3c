%% Integer arithmetic: small and big integers, div/rem signs, bitwise ops with
%% negative and big operands, shifts, abs/min/max, integer_to_list bases,
%% overflow boundaries around 2^27, 2^31, 2^59, 2^63, 2^64.
-module(arith_int).
-export([start/0]).

id(X) -> X.

start() ->
    A = id(7), B = id(-3),
    io:format("+ - *: ~p ~p ~p~n", [A + B, A - B, A * B]),
    io:format("div rem: ~p ~p ~p ~p~n", [A div B, A rem B, B div A, B rem A]),
    io:format("div rem neg: ~p ~p ~p ~p~n", [-7 div id(2), -7 rem id(2), 7 div id(-2), 7 rem id(-2)]),
    io:format("unary: ~p ~p ~p~n", [-A, +B, -(-A)]),
    io:format("band bor bxor: ~p ~p ~p~n", [A band 5, A bor 8, A bxor 5]),
    io:format("bnot: ~p ~p~n", [bnot A, bnot B]),
    io:format("neg bitwise: ~p ~p ~p~n", [B band 255, B bor 16, B bxor -1]),
    io:format("bsl bsr: ~p ~p ~p ~p~n", [1 bsl id(10), 1024 bsr id(3), -16 bsr id(2), -1 bsr id(10)]),
    io:format("bsl neg: ~p ~p~n", [256 bsl id(-4), 1 bsr id(-8)]),
    Bounds = [1 bsl 27 - 1, 1 bsl 27, -(1 bsl 27), -(1 bsl 27) - 1,
              1 bsl 31 - 1, 1 bsl 31, 1 bsl 32, 1 bsl 59 - 1, 1 bsl 59, -(1 bsl 59),
              1 bsl 63 - 1, 1 bsl 63, -(1 bsl 63), -(1 bsl 63) - 1, 1 bsl 64 - 1, 1 bsl 64],
    io:format("bounds: ~p~n", [Bounds]),
    io:format("bounds +1: ~p~n", [[X + id(1) || X <- Bounds]]),
    io:format("bounds *3: ~p~n", [[X * id(3) || X <- Bounds]]),
    io:format("bounds div 7: ~p~n", [[X div id(7) || X <- Bounds]]),
    io:format("bounds rem 1000: ~p~n", [[X rem id(1000) || X <- Bounds]]),
    Big = pow(id(3), 100),
    io:format("3^100: ~p~n", [Big]),
    io:format("3^100 - 3^99*3: ~p~n", [Big - pow(3, 99) * 3]),
    io:format("big div small: ~p~n", [Big div 12345678901]),
    io:format("big rem small: ~p~n", [Big rem 12345678901]),
    io:format("big * big: ~p~n", [Big * pow(3, 50)]),
    io:format("neg big: ~p ~p~n", [-Big, abs(-Big)]),
    io:format("big div big: ~p ~p~n", [Big div pow(2, 100), Big rem pow(2, 100)]),
    io:format("big neg div: ~p ~p~n", [(-Big) div pow(7, 20), (-Big) rem pow(7, 20)]),
    io:format("big bitwise: ~p ~p ~p~n", [Big band (1 bsl 70 - 1), Big bor 1, Big bxor (Big - 1)]),
    io:format("big bnot: ~p~n", [bnot Big]),
    io:format("big neg band: ~p ~p~n", [(-Big) band 16#FFFFFFFFFFFF, (-Big) bor 16#F0F0]),
    io:format("big bsl bsr: ~p ~p~n", [Big bsl 10, Big bsr 150]),
    io:format("big shrink: ~p~n", [(Big + 1) - Big]),
    io:format("compare big: ~p ~p ~p~n", [Big > 1 bsl 150, Big < 1 bsl 159, -Big < -(1 bsl 158)]),
    io:format("abs: ~p ~p ~p~n", [abs(-5), abs(5), abs(-(1 bsl 64))]),
    io:format("min max: ~p ~p ~p~n", [min(3, 4), max(3, 4), max(-1, -(1 bsl 70))]),
    io:format("integer_to_list bases: ~p ~p ~p ~p~n",
              [integer_to_list(255, 16), integer_to_list(-255, 2), integer_to_list(Big, 36), integer_to_list(123456789, 8)]),
    io:format("list_to_integer bases: ~p ~p ~p~n",
              [list_to_integer("ff", 16), list_to_integer("-1010", 2), list_to_integer("zz", 36)]),
    io:format("~~b ~~.16B ~~.2b ~~.36B: ~b ~.16B ~.2b ~.36B~n", [255, 255, -5, 1295]),
    io:format("~~#: ~.16# ~.2#~n", [255, 5]),
    io:format("fact 30: ~p~n", [fact(30)]),
    io:format("sum 1..10000: ~p~n", [lists:sum(lists:seq(1, 10000))]),
    io:format("gcd: ~p~n", [gcd(pow(2, 80) * 15, pow(2, 70) * 35)]),
    io:format("modpow: ~p~n", [modpow(7, 12345, 1000000007)]),
    io:format("integer arith results types: ~p~n", [[is_integer(X) || X <- [A * B, Big div 3, 1 bsl 100 bsr 99]]]),
    io:format("char arith: ~p~n", [$a + 1]),
    io:format("literals: ~p ~p ~p ~p~n", [16#ff, 2#1010, 36#z, $\n]),
    ok.

pow(_, 0) -> 1;
pow(X, N) -> X * pow(X, N - 1).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

modpow(_, 0, _) -> 1;
modpow(B, E, M) when E rem 2 =:= 0 -> H = modpow(B, E div 2, M), H * H rem M;
modpow(B, E, M) -> B * modpow(B, E - 1, M) rem M.
