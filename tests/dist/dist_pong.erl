%% The answering board: `pong' answers pings (first by name, then by pid) and exits with
%% reason `done' when told to stop; then distribution stops.
-module(dist_pong).
-export([start/0]).

start() ->
    Node = dist_node:start("pong", <<"avmsim-cookie">>),
    Pong = spawn(fun() -> answer() end),
    true = register(pong, Pong),
    Ref = monitor(process, Pong),
    timer:sleep(500),
    ok = dist_node:announce(Node),
    receive
        {'DOWN', Ref, process, Pong, Reason} -> io:format("pong ended: ~p~n", [Reason])
    after 10000 -> io:format("no ping came~n")
    end,
    timer:sleep(200),
    io:format("stop: ~p~n", [net_kernel:stop()]).

answer() ->
    receive
        {ping, N, From} ->
            io:format("ping ~p from ~p~n", [N, node(From)]),
            From ! {pong, N, self()},
            answer();
        stop ->
            exit(done)
    end.
