%% avmsim only: an hour of timer:sleep(1000) calls costs no host time;
%% prints the virtual monotonic time in seconds before and after.
-module(vt_fastforward).
-export([start/0]).

start() ->
    T0 = erlang:monotonic_time(second),
    loop(3600),
    io:format("~p ~p~n", [T0, erlang:monotonic_time(second)]),
    ok.

loop(0) -> ok;
loop(N) -> ok = timer:sleep(1000), loop(N - 1).
