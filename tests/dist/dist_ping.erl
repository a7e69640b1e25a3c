%% The asking board: five pings to {pong, Node}, five to the pid that answered. AtomVM
%% cannot monitor another node's process (badarg) but links to it: the link fires when
%% that process is told to stop. Then distribution stops.
-module(dist_ping).
-export([start/0]).

start() ->
    Self = dist_node:start("ping", <<"avmsim-cookie">>),
    Peer = dist_node:discover(),
    io:format("peer ~p~n", [Peer]),
    Pong = lists:foldl(fun(N, _) -> ping({pong, Peer}, N) end, none, lists:seq(1, 5)),
    io:format("pong pid: ~p ~p ~p~n", [is_pid(Pong), node(Pong) =:= Peer, node(Pong) =:= Self]),
    lists:foreach(fun(N) -> Pong = ping(Pong, N) end, lists:seq(6, 10)),
    io:format("monitor: ~p~n", [try monitor(process, Pong) catch error:Error -> Error end]),
    process_flag(trap_exit, true),
    true = link(Pong),
    Pong ! stop,
    receive
        {'EXIT', Pong, Reason} -> io:format("link: ~p~n", [Reason])
    after 5000 -> io:format("no EXIT~n")
    end,
    io:format("stop: ~p~n", [net_kernel:stop()]).

ping(To, N) ->
    To ! {ping, N, self()},
    receive
        {pong, N, From} -> io:format("pong ~p~n", [N]), From
    after 5000 -> io:format("no pong ~p~n", [N]), exit(no_pong)
    end.
