%% The smallest AtomVM app: prints to the board console (UART0) and returns ok.
-module(hello_world).
-export([start/0]).

start() ->
    io:format("Hello, world! from ~s~n", [atomvm_platform()]),
    Squares = [N * N || N <- lists:seq(1, 10)],
    io:format("squares: ~w~n", [Squares]),
    io:format("sum: ~b, fib(25): ~b~n", [lists:sum(Squares), fib(25)]),
    ok.

atomvm_platform() ->
    "a simulated board".

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
