%% Float printing and conversion: ~p/~w shortest round-trip form,
%% float_to_list/float_to_binary default (scientific, 20 digits) and with
%% {decimals,N}, {scientific,N}, compact, short; list_to_float,
%% binary_to_float, edge values (tiny, huge, exact powers, rounding).
-module(float_format).
-export([start/0]).

id(X) -> X.

start() ->
    Fs = [0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 1/3, 2/3, 100.0, 1.0e15, 1.0e16, 1.0e17, 123456789.0,
          1.0e-5, 0.0001, 0.001, 1.0e-7, 1.5e300, -2.5e-300, 5.0e-324, 1.7976931348623157e308,
          3.141592653589793, 2.718281828459045, 9007199254740993.0, 0.1 + 0.7, 1.0e21, 1.0e22,
          12345.6789, 4.35, 0.045, 1.0e23, 299792458.0],
    lists:foreach(fun(F) -> io:format("~p ~w~n", [F, F]) end, Fs),
    io:format("float_to_list: ~p~n", [[float_to_list(F) || F <- [1.0, 0.1, -3.5, 1.0e100]]]),
    io:format("float_to_binary: ~p~n", [[float_to_binary(F) || F <- [1.0, 2.5e-10]]]),
    io:format("decimals: ~p~n", [[float_to_list(id(F), [{decimals, D}]) || F <- [3.14159, 2.5, 1.005, 100.0], D <- [0, 2, 4]]]),
    io:format("decimals compact: ~p~n", [[float_to_list(id(F), [{decimals, 6}, compact]) || F <- [3.14159, 2.5, 100.0, 0.1]]]),
    io:format("scientific: ~p~n", [[float_to_list(id(F), [{scientific, D}]) || F <- [3.14159, 12345.0, 0.00012], D <- [0, 3, 10]]]),
    io:format("short: ~p~n", [[float_to_list(id(F), [short]) || F <- [0.1, 1.0e20, 1.0e-20, 123.0]]]),
    io:format("binary decimals: ~p~n", [float_to_binary(id(2.0 / 3), [{decimals, 5}])]),
    io:format("list_to_float: ~p~n", [[list_to_float(S) || S <- ["1.5", "-0.25", "1.0e10", "2.5E-3", "123.456e+2"]]]),
    io:format("binary_to_float: ~p~n", [[binary_to_float(B) || B <- [<<"3.75">>, <<"1.0e-3">>]]]),
    io:format("round trip: ~p~n", [lists:all(fun(F) -> list_to_float(float_to_list(F)) == F end, Fs)]),
    io:format("short round trip: ~p~n", [lists:all(fun(F) -> list_to_float(float_to_list(F, [short])) == F end, Fs)]),
    io:format("~~f variants: ~f ~.1f ~.10f~n", [1/3, 0.05, 1/7]),
    io:format("~~e variants: ~e ~.2e ~.10e~n", [1/3, 0.05, 1/7]),
    io:format("~~g variants: ~g ~g ~g ~g~n", [1/3, 0.05, 1/7, 1.0e7]),
    io:format("integer_to_list of trunc: ~p~n", [integer_to_list(trunc(1.0e18))]),
    io:format("arith print: ~p ~p ~p~n", [0.1 * 3, 1.1 * 1.1, 1.0e16 + 1.0]),
    ok.
