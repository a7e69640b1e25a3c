%% Less common corners of the process API.
-module(proc_edge).
-export([start/0]).

start() ->
    Me = self(),
    %% send_after with {abs, true}
    Abs = erlang:monotonic_time(millisecond) + 30,
    erlang:send_after(Abs, self(), abs_msg, [{abs, true}]),
    receive abs_msg -> io:format("abs timer not early: ~p~n",
                                 [erlang:monotonic_time(millisecond) >= Abs]) end,
    R = erlang:start_timer(erlang:monotonic_time(millisecond) + 5000, self(), x, [{abs, true}]),
    io:format("abs read_timer positive: ~p~n", [erlang:read_timer(R) > 0]),
    erlang:cancel_timer(R),
    %% erlang:send/3
    io:format("send/3: ~p~n", [erlang:send(self(), s3, [noconnect])]),
    io:format("send/3 msg: ~p~n", [receive s3 -> yes after 0 -> no end]),
    %% the value of Pid ! Msg is Msg
    io:format("send value: ~p~n", [self() ! {value, 1}]),
    receive {value, 1} -> ok end,
    %% group_leader/2 errors
    io:format("group_leader badarg: ~p~n",
              [[try group_leader(A, B) catch error:E -> E end
                || {A, B} <- [{foo, self()}, {self(), foo}]]]),
    %% links are removed from process_info when the partner dies (trapping)
    process_flag(trap_exit, true),
    C = spawn_link(fun() -> receive go -> ok end end),
    {links, L1} = process_info(self(), links),
    C ! go,
    receive {'EXIT', C, normal} -> ok end,
    {links, L2} = process_info(self(), links),
    io:format("link removed on exit: ~p ~p~n", [lists:member(C, L1), lists:member(C, L2)]),
    process_flag(trap_exit, false),
    %% a trapping process gets EXIT messages for each of its links, in exit order
    {Tr, TrR} = spawn_monitor(fun() ->
        process_flag(trap_exit, true),
        Ls = [spawn_link(fun() -> receive {go, W} -> exit(W) end end) || _ <- [1, 2, 3]],
        [L ! {go, W} || {L, W} <- lists:zip(Ls, [a, b, c])],
        Ws = lists:sort([receive {'EXIT', L, W} -> W end || L <- Ls]),
        {links, Left} = process_info(self(), links),
        Me ! {trapped, Ws, Left}
    end),
    receive {trapped, Ws, Left} -> io:format("trapped all: ~p ~p~n", [Ws, Left]) end,
    receive {'DOWN', TrR, process, Tr, normal} -> ok end,
    %% a large (but valid) timeout with a message already there
    self() ! quick,
    io:format("large timeout: ~p~n", [receive quick -> quick after 4294967295 -> slow end]),
    %% exit(Pid, kill) to a process linked to us while we do not trap: we die too (killed)
    {K, KR} = spawn_monitor(fun() ->
        V = spawn_link(fun() -> receive after infinity -> ok end end),
        exit(V, kill),
        receive after 1000 -> exit(survived) end
    end),
    receive {'DOWN', KR, process, K, KW} -> io:format("killer linked to victim: ~p~n", [KW]) end,
    %% a process exits with a reason that is a big term
    Big = {lists:seq(1, 50), <<"binary reason">>, #{k => v}},
    {B, BR} = spawn_monitor(fun() -> exit(Big) end),
    receive {'DOWN', BR, process, B, BW} -> io:format("big reason: ~p~n", [BW =:= Big]) end,
    %% exit(Pid, normal) from another process to a linked non-trapping process: ignored
    {N, NR} = spawn_monitor(fun() ->
        Parent = self(),
        spawn_link(fun() -> exit(Parent, normal), Parent ! sent end),
        receive sent -> ok end,
        receive after 20 -> ok end,
        exit(survived_normal)
    end),
    receive {'DOWN', NR, process, N, NW} -> io:format("normal exit signal ignored: ~p~n", [NW]) end,
    %% monitor + link to the same process: both fire
    process_flag(trap_exit, true),
    Both = spawn_link(fun() -> receive go -> exit(both) end end),
    BothR = monitor(process, Both),
    Both ! go,
    Got = lists:sort([receive {'EXIT', Both, X} -> {exit, X} end,
                      receive {'DOWN', BothR, process, Both, Y} -> {down, Y} end]),
    io:format("link and monitor: ~p~n", [Got]),
    process_flag(trap_exit, false),
    %% a process that never receives accumulates messages
    Sink = spawn(fun() -> receive never_sent -> ok end end),
    [Sink ! {m, I} || I <- lists:seq(1, 300)],
    io:format("sink queue: ~p~n", [process_info(Sink, message_queue_len)]),
    exit(Sink, kill),
    ok.
