%% Call-heavy recursion: fib(27) is 4.45 M BEAM instructions (performance.md's yardstick).
-module(bench_calls).
-export([start/0]).
start() -> fib(27).
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
