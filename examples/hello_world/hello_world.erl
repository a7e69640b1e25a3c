%% The smallest AtomVM app: prints to the board console (UART0) and returns ok.
-module(hello_world).
-export([start/0]).

start() ->
    io:format("Hello, world! from ~s~n", [atomvm_platform()]),
    Squares = [N * N || N <- lists:seq(1, 10)],
    io:format("squares: ~w~n", [Squares]),
    Sum = lists:foldl(fun(N, Acc) -> N + Acc end, 0, Squares),   % AtomVM has no lists:sum/1
    io:format("sum: ~b, fib(25): ~b~n", [Sum, fib(25)]),
    ok.

atomvm_platform() ->
    "a simulated board".

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
