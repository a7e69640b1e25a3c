%% A board without a network (STM32, Pico): AtomVM builds no "socket" port there.
-module(inetdrv_no_net).
-export([start/0]).

start() ->
    io:format("open_port: ~p~n", [try open_port({spawn, "socket"}, []) catch C:R -> {C, R} end]),
    io:format("gen_tcp:connect: ~p~n",
              [try gen_tcp:connect({10, 0, 2, 2}, 80, []) catch C2:R2 -> {C2, R2} end]).
