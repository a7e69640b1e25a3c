%% Process spawns: spawn 10k processes that each send one message back and exit.
-module(bench_spawn).
-export([start/0]).
-define(COUNT, 10000).
start() ->
    spawn_all(self(), ?COUNT),
    collect(?COUNT),
    {ops, ?COUNT}.
spawn_all(_, 0) -> ok;
spawn_all(Parent, N) ->
    spawn(fun() -> Parent ! {done, N} end),
    spawn_all(Parent, N - 1).
collect(0) -> ok;
collect(N) -> receive {done, _} -> collect(N - 1) end.
