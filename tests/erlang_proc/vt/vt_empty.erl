%% avmsim only: does nothing; its run time is avmsim's start-up cost.
-module(vt_empty).
-export([start/0]).

start() ->
    io:format("~p~n", [erlang:monotonic_time(second)]),
    ok.
