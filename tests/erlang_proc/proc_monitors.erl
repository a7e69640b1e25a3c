%% Monitors: DOWN reasons (normal, abnormal, killed, noproc), several
%% monitors on one process, demonitor/1,2 with and without flush/info,
%% monitors on registered names (live and unknown), spawn_monitor.
-module(proc_monitors).
-export([start/0]).

start() ->
    reasons(),
    multiple(),
    demonitor_cases(),
    names(),
    monitor_dead(),
    monitor_badarg(),
    info_monitors(),
    ok.

id(X) -> X.

blocker() ->
    receive {exit, R} -> exit(R); {die_after, T} -> receive after T -> exit(late) end end.

down(Ref) ->
    receive {'DOWN', Ref, process, _, Why} -> Why after 2000 -> timeout end.

reasons() ->
    lists:foreach(
      fun(R) ->
              P = spawn(fun blocker/0),
              Ref = monitor(process, P),
              P ! {exit, R},
              io:format("down reason for ~p: ~p~n", [R, down(Ref)])
      end, [normal, crash, {tuple, 1}, shutdown, kill]),
    P = spawn(fun blocker/0),
    Ref = monitor(process, P),
    exit(P, kill),
    io:format("exit/2 kill: ~p~n", [down(Ref)]),
    {P2, Ref2} = spawn_monitor(fun() -> 1 = id(2) end),
    receive {'DOWN', Ref2, process, P2, {Class, _}} -> io:format("badmatch: ~p~n", [Class]) end,
    {P3, Ref3} = spawn_monitor(fun() -> throw(ball) end),
    receive {'DOWN', Ref3, process, P3, {Nocatch, _}} -> io:format("throw: ~p~n", [Nocatch]) end,
    {P4, Ref4} = spawn_monitor(?MODULE, no_such_function, [1, 2]),
    receive {'DOWN', Ref4, process, P4, {Undef, _}} -> io:format("undef fun: ~p~n", [Undef]) end,
    {P5, Ref5} = spawn_monitor(no_such_module_xyz, f, []),
    receive {'DOWN', Ref5, process, P5, {Undef5, _}} -> io:format("undef mod: ~p~n", [Undef5]) end,
    {P6, Ref6} = spawn_monitor(fun() -> erlang:error(badarith) end),
    receive {'DOWN', Ref6, process, P6, {Err6, _}} -> io:format("error: ~p~n", [Err6]) end.

multiple() ->
    P = spawn(fun blocker/0),
    Refs = [monitor(process, P) || _ <- lists:seq(1, 5)],
    io:format("distinct refs: ~p~n", [length(lists:usort(Refs))]),
    P ! {exit, many},
    Whys = [down(R) || R <- lists:reverse(Refs)],
    io:format("multiple: ~p~n", [Whys]),
    %% a monitor watching a monitor: watcher processes each get their own DOWN
    Me = self(),
    Target = spawn(fun blocker/0),
    Watchers = [spawn(fun() ->
                              R = monitor(process, Target),
                              Me ! {watching, self()},
                              Me ! {self(), down(R)}
                      end) || _ <- lists:seq(1, 4)],
    [receive {watching, W} -> ok end || W <- Watchers],
    Target ! {exit, watched},
    io:format("watchers: ~p~n", [[receive {W, Why} -> Why end || W <- Watchers]]).

demonitor_cases() ->
    %% demonitor before the process dies: no DOWN arrives
    P1 = spawn(fun blocker/0),
    R1 = monitor(process, P1),
    D1 = demonitor(R1),
    R1b = monitor(process, P1),
    P1 ! {exit, x},
    _ = down(R1b),
    io:format("demonitor/1 before: ~p ~p~n", [D1, got(R1)]),
    %% demonitor after the DOWN was delivered: the message stays in the mailbox
    P2 = spawn(fun blocker/0),
    R2 = monitor(process, P2),
    R2b = monitor(process, P2),
    P2 ! {exit, y},
    _ = down(R2b),
    D2 = demonitor(R2),
    io:format("demonitor/1 after: ~p ~p~n", [D2, got(R2)]),
    %% demonitor with flush removes it
    P3 = spawn(fun blocker/0),
    R3 = monitor(process, P3),
    R3b = monitor(process, P3),
    P3 ! {exit, z},
    _ = down(R3b),
    D3 = demonitor(R3, [flush]),
    io:format("demonitor flush after: ~p ~p~n", [D3, got(R3)]),
    %% info: true when the monitor was still active, false otherwise
    P4 = spawn(fun blocker/0),
    R4 = monitor(process, P4),
    D4 = demonitor(R4, [info]),
    D4b = demonitor(R4, [info]),
    P4 ! {exit, w},
    io:format("demonitor info active: ~p ~p~n", [D4, D4b]),
    P5 = spawn(fun blocker/0),
    R5 = monitor(process, P5),
    R5b = monitor(process, P5),
    P5 ! {exit, v},
    _ = down(R5b),
    D5 = demonitor(R5, [info]),
    io:format("demonitor info fired: ~p ~p~n", [D5, got(R5)]),
    P6 = spawn(fun blocker/0),
    R6 = monitor(process, P6),
    R6b = monitor(process, P6),
    P6 ! {exit, u},
    _ = down(R6b),
    D6 = demonitor(R6, [flush, info]),
    io:format("demonitor flush info fired: ~p ~p~n", [D6, got(R6)]),
    P7 = spawn(fun blocker/0),
    R7 = monitor(process, P7),
    D7 = demonitor(R7, [flush, info]),
    P7 ! {exit, t},
    io:format("demonitor flush info active: ~p~n", [D7]),
    %% an unknown reference
    io:format("demonitor unknown: ~p ~p~n", [demonitor(make_ref()), demonitor(make_ref(), [info])]),
    io:format("demonitor badarg: ~p ~p~n",
              [try demonitor(foo) catch error:E1 -> E1 end,
               try demonitor(make_ref(), [bogus]) catch error:E2 -> E2 end]),
    %% flushing keeps the other messages and their order
    P8 = spawn(fun blocker/0),
    R8 = monitor(process, P8),
    R8b = monitor(process, P8),
    self() ! one,
    P8 ! {exit, s},
    _ = down(R8b),
    self() ! two,
    true = demonitor(R8, [flush]),
    io:format("after flush: ~p~n", [drain()]).

got(Ref) ->
    receive {'DOWN', Ref, process, _, Why} -> {down, Why} after 50 -> nothing end.

drain() ->
    receive M -> [M | drain()] after 0 -> [] end.

names() ->
    Me = self(),
    P = spawn(fun() -> register(mon_target, self()), Me ! registered, blocker() end),
    receive registered -> ok end,
    R = monitor(process, mon_target),
    P ! {exit, named},
    receive {'DOWN', R, process, Obj, Why} -> io:format("named: ~p ~p~n", [Obj, Why]) end,
    R2 = monitor(process, no_such_name_here),
    receive {'DOWN', R2, process, Obj2, Why2} -> io:format("unknown name: ~p ~p~n", [Obj2, Why2]) end,
    R3 = monitor(process, {no_such_name_here, node()}),
    receive {'DOWN', R3, process, Obj3, Why3} -> io:format("unknown {name,node}: ~p ~p~n", [Obj3, Why3]) end,
    P4 = spawn(fun() -> register(mon_target2, self()), Me ! registered, blocker() end),
    receive registered -> ok end,
    R4 = monitor(process, {mon_target2, node()}),
    P4 ! {exit, named2},
    receive {'DOWN', R4, process, Obj4, Why4} -> io:format("{name,node}: ~p ~p~n", [Obj4, Why4]) end,
    %% the monitor follows the process, not the name
    P5 = spawn(fun() -> register(mon_target3, self()), Me ! registered,
                        receive unreg -> unregister(mon_target3), Me ! unregistered end,
                        blocker() end),
    receive registered -> ok end,
    R5 = monitor(process, mon_target3),
    P5 ! unreg,
    receive unregistered -> ok end,
    P5 ! {exit, after_unregister},
    receive {'DOWN', R5, process, Obj5, Why5} -> io:format("name dropped: ~p ~p~n", [Obj5, Why5]) end.

monitor_dead() ->
    P = spawn(fun() -> ok end),
    R0 = monitor(process, P),
    _ = down(R0),
    R = monitor(process, P),
    receive {'DOWN', R, process, P, Why} -> io:format("dead pid: ~p~n", [Why]) end,
    {P2, R2} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', R2, process, P2, Why2} -> io:format("spawn_monitor normal: ~p~n", [Why2]) end.

monitor_badarg() ->
    Bad = [{process, 42}, {process, "name"}, {foo, self()}, {process, {a, b, c}}],
    io:format("monitor badarg: ~p~n",
              [[try monitor(T, X) catch error:E -> E end || {T, X} <- Bad]]).

info_monitors() ->
    Me = self(),
    P = spawn(fun blocker/0),
    R = monitor(process, P),
    {monitors, Ms} = process_info(self(), monitors),
    {monitored_by, By} = process_info(P, monitored_by),
    io:format("monitors: ~p ~p~n", [Ms =:= [{process, P}], By =:= [Me]]),
    demonitor(R),
    {monitors, Ms2} = process_info(self(), monitors),
    {monitored_by, By2} = process_info(P, monitored_by),
    io:format("after demonitor: ~p ~p~n", [Ms2, By2]),
    exit(P, kill).
