%% Float arithmetic: mixed int/float ops, float-only ops (fadd/fsub/fmul/fdiv/
%% fnegate via is_float-typed code), conversions round/trunc/ceil/floor/float,
%% comparisons int vs float, and printing of results.
-module(arith_float).
-export([start/0]).

id(X) -> X.

start() ->
    X = id(1.5), Y = id(2.25), I = id(3),
    io:format("+ - * /: ~p ~p ~p ~p~n", [X + Y, X - Y, X * Y, X / Y]),
    io:format("int/int: ~p ~p~n", [I / 2, 10 / id(5)]),
    io:format("mixed: ~p ~p ~p~n", [X + I, I * Y, I - X]),
    io:format("typed: ~p~n", [typed(X, Y)]),
    io:format("poly: ~p~n", [poly(id(0.5))]),
    io:format("neg: ~p ~p~n", [-X, fneg(Y)]),
    io:format("round: ~p~n", [[round(V) || V <- [2.5, -2.5, 3.4999, -0.5, 0.5, 1.0e20]]]),
    io:format("trunc: ~p~n", [[trunc(V) || V <- [2.7, -2.7, 1.0e20, 12345.999]]]),
    io:format("ceil/floor: ~p ~p~n", [[ceil(V) || V <- [2.1, -2.1, 5.0, 7]], [floor(V) || V <- [2.9, -2.1, 5.0, -7]]]),
    io:format("float/1: ~p ~p ~p~n", [float(3), float(-7), float(1 bsl 70)]),
    io:format("abs: ~p ~p~n", [abs(-2.5), abs(2.5)]),
    io:format("compare: ~p ~p ~p ~p ~p~n", [1 == 1.0, 1 =:= 1.0, 1 < 1.5, 2.0 > 1, 1 /= 1.0]),
    io:format("min/max mixed: ~p ~p ~p ~p~n", [min(1, 1.0), max(1, 1.0), min(1.0, 1), max(2, 1.5)]),
    io:format("big float: ~p ~p~n", [1.0e300 * 10, 1.7976931348623157e308]),
    io:format("tiny: ~p ~p ~p~n", [5.0e-324, 2.2250738585072014e-308, 1.0e-10 / 3]),
    io:format("sums: ~p ~p~n", [0.1 + 0.2, lists:sum([0.1 || _ <- lists:seq(1, 10)])]),
    io:format("big int to float: ~p ~p~n", [(1 bsl 62) * 1.0, (1 bsl 64) / 2]),
    io:format("float vs bigint: ~p ~p ~p~n", [1.0e19 > 1 bsl 63, 1.0e30 < 1 bsl 100, (1 bsl 53) == 9007199254740992.0]),
    io:format("leibniz 1000: ~p~n", [leibniz(0, 1000, 0.0)]),
    io:format("sqrt newton 2: ~p~n", [newton(2.0, 1.0, 20)]),
    io:format("is_float: ~p ~p ~p~n", [is_float(X), is_float(I), is_float(I / 1)]),
    io:format("guard float: ~p ~p~n", [kind(1.0), kind(1)]),
    io:format("harmonic 100: ~p~n", [lists:foldl(fun(N, Acc) -> Acc + 1 / N end, 0, lists:seq(1, 100))]),
    io:format("~~f ~~.2f ~~.1f ~~10.3f: ~f ~.2f ~.1f ~10.3f~n", [X, Y, 2.25, -3.14159]),
    io:format("~~e ~~.3e: ~e ~.3e~n", [12345.678, 0.000123]),
    io:format("~~g: ~g ~g ~g~n", [0.5, 123456789.0, 1.0e-5]),
    io:format("~~w floats: ~w ~w ~w~n", [1.0, 0.1, 100.0]),
    ok.

typed(A, B) when is_float(A), is_float(B) ->
    C = A * B + A / B - (A - B),
    C * 2.0.

poly(T) when is_float(T) ->
    ((3.0 * T + 2.0) * T - 1.0) * T + 0.25.

fneg(A) when is_float(A) -> -A * 1.0.

leibniz(N, N, Acc) -> Acc * 4;
leibniz(K, N, Acc) ->
    Term = 1 / (2 * K + 1),
    leibniz(K + 1, N, if K rem 2 =:= 0 -> Acc + Term; true -> Acc - Term end).

newton(_, G, 0) -> G;
newton(X, G, N) -> newton(X, (G + X / G) / 2, N - 1).

kind(F) when is_float(F) -> float;
kind(I) when is_integer(I) -> integer.
