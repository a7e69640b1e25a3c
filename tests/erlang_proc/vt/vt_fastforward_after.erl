%% avmsim only: an hour of `receive after 1000` costs no host time, in the
%% main process and in a second process sleeping alongside it.
-module(vt_fastforward_after).
-export([start/0]).

start() ->
    Me = self(),
    spawn(fun() -> loop(1800), Me ! {half, erlang:monotonic_time(second)} end),
    T0 = erlang:monotonic_time(second),
    loop(3600),
    Half = receive {half, H} -> H end,
    io:format("~p ~p ~p~n", [T0, Half, erlang:monotonic_time(second)]),
    ok.

loop(0) -> ok;
loop(N) -> receive after 1000 -> ok end, loop(N - 1).
