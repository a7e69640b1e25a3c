%% avmsim only (esp32-devkit, 2 cores): erlang:system_info(schedulers) and
%% (schedulers_online) follow erlang:system_flag(schedulers_online, N).
-module(vt_sysinfo).
-export([start/0]).

start() ->
    io:format("schedulers: ~p~n", [info(schedulers)]),
    io:format("schedulers_online: ~p~n", [info(schedulers_online)]),
    io:format("set 1: ~p~n", [erlang:system_flag(schedulers_online, 1)]),
    io:format("schedulers_online: ~p~n", [info(schedulers_online)]),
    io:format("set 2: ~p~n", [erlang:system_flag(schedulers_online, 2)]),
    io:format("schedulers_online: ~p~n", [info(schedulers_online)]),
    io:format("set 3: ~p~n", [try erlang:system_flag(schedulers_online, 3) catch error:E -> E end]),
    io:format("set 0: ~p~n", [try erlang:system_flag(schedulers_online, 0) catch error:E2 -> E2 end]),
    ok.

info(Key) ->
    try erlang:system_info(Key) catch C:E -> {C, E} end.
