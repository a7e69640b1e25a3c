%% Message round trips: two processes trade 20k small tuples (like atomvm_benchmark's pingpong).
-module(bench_pingpong).
-export([start/0]).
-define(ROUNDS, 20000).
start() ->
    Self = self(),
    Pong = spawn(fun() -> pong(Self) end),
    ping(Pong, ?ROUNDS),
    {ops, ?ROUNDS}.
ping(Pong, 0) -> Pong ! stop, ok;
ping(Pong, N) ->
    Pong ! {ping, self(), N},
    receive {pong, N} -> ping(Pong, N - 1) end.
pong(_Parent) ->
    receive
        {ping, From, N} -> From ! {pong, N}, pong(_Parent);
        stop -> ok
    end.
