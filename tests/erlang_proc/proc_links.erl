%% Links: normal and abnormal exits, kill, exit/2 to trapping and
%% non-trapping processes, exit(self(), normal), link to a dead pid, unlink,
%% process_flag(trap_exit) return values. Each case runs in a fresh process
%% observed through a monitor, so the test process itself never dies.
-module(proc_links).
-export([start/0]).

start() ->
    case_(trap_flag, fun trap_flag/0),
    case_(normal_exit_linked_child, fun normal_exit_linked_child/0),
    case_(abnormal_exit_linked_child, fun abnormal_exit_linked_child/0),
    case_(trapped_normal_exit, fun trapped_normal_exit/0),
    case_(trapped_abnormal_exit, fun trapped_abnormal_exit/0),
    case_(kill_untrappable, fun kill_untrappable/0),
    case_(kill_linked_trapper, fun kill_linked_trapper/0),
    case_(exit2_normal_nontrapping, fun exit2_normal_nontrapping/0),
    case_(exit2_normal_trapping, fun exit2_normal_trapping/0),
    case_(exit2_reason_nontrapping, fun exit2_reason_nontrapping/0),
    case_(exit2_reason_trapping, fun exit2_reason_trapping/0),
    case_(exit_self_normal, fun exit_self_normal/0),
    case_(exit_self_normal_trapping, fun exit_self_normal_trapping/0),
    case_(exit_self_reason, fun exit_self_reason/0),
    case_(exit_self_kill_trapping, fun exit_self_kill_trapping/0),
    case_(link_dead_trapping, fun link_dead_trapping/0),
    case_(link_dead_nontrapping, fun link_dead_nontrapping/0),
    case_(link_self, fun link_self/0),
    case_(link_twice, fun link_twice/0),
    case_(unlink_then_crash, fun unlink_then_crash/0),
    case_(unlink_not_linked, fun unlink_not_linked/0),
    case_(link_badarg, fun link_badarg/0),
    case_(exit_kill_via_exit1, fun exit_kill_via_exit1/0),
    case_(bidirectional, fun bidirectional/0),
    ok.

%% Run Fun in a fresh process; print what it returned or how it died.
case_(Name, Fun) ->
    Me = self(),
    {Pid, Ref} = spawn_monitor(fun() -> Me ! {self(), result, Fun()} end),
    %% the result (if any) is sent before the process ends, so it comes first
    {Res, Down} = receive
                      {Pid, result, R} ->
                          {{returned, R}, receive {'DOWN', Ref, process, Pid, W} -> W end};
                      {'DOWN', Ref, process, Pid, Why} ->
                          {no_result, Why}
                  end,
    io:format("~p: ~p, down=~p~n", [Name, Res, Down]).

%% wait for a process to be gone, through a monitor (noproc if it already is)
wait_down(P) ->
    R = monitor(process, P),
    receive {'DOWN', R, process, P, Why} -> Why end.

%% spawn with a monitor set up before the process runs
spawn_m(F) ->
    {P, R} = spawn_monitor(F),
    {P, fun() -> receive {'DOWN', R, process, P, Why} -> Why end end}.

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

%% replace pids in a received EXIT message, so nothing pid-like is printed
exit_msg({'EXIT', P, R}, Map) -> {'EXIT', proplists:get_value(P, Map, other), R};
exit_msg(M, _) -> M.

trap_flag() ->
    A = process_flag(trap_exit, true),
    B = process_flag(trap_exit, true),
    C = process_flag(trap_exit, false),
    D = process_flag(trap_exit, false),
    E = try process_flag(trap_exit, 'maybe') catch error:X -> X end,
    {A, B, C, D, E, process_info(self(), trap_exit)}.

normal_exit_linked_child() ->
    C = spawn_link(fun() -> ok end),
    _ = wait_down(C),
    receive after 10 -> ok end,
    {alive, flush()}.

abnormal_exit_linked_child() ->
    C = spawn_link(fun() -> exit(crash) end),
    receive after 1000 -> ok end,
    {not_reached, C}.

trapped_normal_exit() ->
    process_flag(trap_exit, true),
    C = spawn_link(fun() -> ok end),
    receive M -> exit_msg(M, [{C, child}]) end.

trapped_abnormal_exit() ->
    process_flag(trap_exit, true),
    C = spawn_link(fun() -> exit({bad, [1, 2]}) end),
    receive M -> exit_msg(M, [{C, child}]) end.

kill_untrappable() ->
    Me = self(),
    {C, Down} = spawn_m(fun() -> process_flag(trap_exit, true), Me ! ready,
                                 receive after infinity -> ok end end),
    receive ready -> ok end,
    exit(C, kill),
    Down().

kill_linked_trapper() ->
    %% a trapping process linked to a process killed with exit(P, kill) gets 'killed'
    process_flag(trap_exit, true),
    Me = self(),
    C = spawn_link(fun() -> Me ! ready, receive after infinity -> ok end end),
    receive ready -> ok end,
    exit(C, kill),
    receive M -> exit_msg(M, [{C, child}]) end.

exit2_normal_nontrapping() ->
    Me = self(),
    {C, Down} = spawn_m(fun() -> Me ! ready, receive go -> Me ! {still_alive, self()} end end),
    receive ready -> ok end,
    true = exit(C, normal),
    C ! go,
    receive {still_alive, C} -> ok end,
    Down().

exit2_normal_trapping() ->
    Me = self(),
    {C, Down} = spawn_m(fun() -> process_flag(trap_exit, true), Me ! ready,
                                 receive M -> Me ! {got, exit_msg(M, [{Me, parent}])} end end),
    receive ready -> ok end,
    exit(C, normal),
    R = receive {got, G} -> G end,
    {R, Down()}.

exit2_reason_nontrapping() ->
    Me = self(),
    {C, Down} = spawn_m(fun() -> Me ! ready, receive after infinity -> ok end end),
    receive ready -> ok end,
    exit(C, {shutdown, why}),
    Down().

exit2_reason_trapping() ->
    Me = self(),
    {C, Down} = spawn_m(fun() -> process_flag(trap_exit, true), Me ! ready,
                                 receive M -> Me ! {got, exit_msg(M, [{Me, parent}])} end end),
    receive ready -> ok end,
    exit(C, {shutdown, why}),
    R = receive {got, G} -> G end,
    {R, Down()}.

exit_self_normal() ->
    exit(self(), normal),
    receive after 1000 -> survived end.

exit_self_normal_trapping() ->
    process_flag(trap_exit, true),
    exit(self(), normal),
    receive M -> exit_msg(M, [{self(), self}]) after 1000 -> nothing end.

exit_self_reason() ->
    exit(self(), because),
    receive after 1000 -> survived end.

exit_self_kill_trapping() ->
    process_flag(trap_exit, true),
    exit(self(), kill),
    receive after 1000 -> survived end.

%% The dead pid belongs to a process spawned by another process.
dead_pid() ->
    Me = self(),
    spawn(fun() -> P = spawn(fun() -> ok end), _ = wait_down(P), Me ! {dead, P} end),
    receive {dead, P} -> P end.

link_dead_trapping() ->
    process_flag(trap_exit, true),
    P = dead_pid(),
    R = link(P),
    {R, receive M -> exit_msg(M, [{P, dead}]) after 1000 -> nothing end}.

link_dead_nontrapping() ->
    P = dead_pid(),
    try link(P) of R -> {returned, R} catch C:E -> {C, E} end.

link_self() ->
    {link(self()), process_info(self(), links)}.

link_twice() ->
    Me = self(),
    C = spawn(fun() -> receive stop -> Me ! {links, process_info(self(), links)} end end),
    true = link(C),
    true = link(C),
    {links, L} = process_info(self(), links),
    C ! stop,
    {links, CL} = receive {links, X} -> X end,
    {length(L), CL =:= [Me]}.

unlink_then_crash() ->
    process_flag(trap_exit, true),
    Me = self(),
    C = spawn_link(fun() -> receive go -> exit(crash) end end),
    true = unlink(C),
    {links, L} = process_info(self(), links),
    Ref = monitor(process, C),
    C ! go,
    Why = receive {'DOWN', Ref, process, C, W} -> W end,
    receive after 10 -> ok end,
    {L, Why, flush(), Me =:= self()}.

unlink_not_linked() ->
    C = spawn(fun() -> ok end),
    _ = wait_down(C),
    {unlink(C), unlink(self())}.

link_badarg() ->
    [try link(X) catch error:E -> E end || X <- [foo, 1, [], {a, b}]].

exit_kill_via_exit1() ->
    %% exit(kill) from a process's own code is an ordinary reason for its links
    process_flag(trap_exit, true),
    C = spawn_link(fun() -> exit(kill) end),
    receive M -> exit_msg(M, [{C, child}]) end.

bidirectional() ->
    %% the child traps, the parent's crash reaches it as a message
    Me = self(),
    Observer = spawn(fun() ->
                             P = receive {watch, Wp} -> Wp end,
                             R = monitor(process, P),
                             Me ! watching,
                             receive {'DOWN', R, process, P, W} -> Me ! {why, W} end
                     end),
    {_C, Down} = spawn_m(fun() ->
                      process_flag(trap_exit, true),
                      P = spawn_link(fun() -> receive go -> exit(parent_died) end end),
                      Observer ! {watch, P},
                      Me ! {ready, P},
                      receive M -> Me ! {child_got, exit_msg(M, [{P, linked}])} end
              end),
    P = receive {ready, X} -> X end,
    receive watching -> ok end,
    P ! go,
    R1 = receive {child_got, G} -> G end,
    R2 = receive {why, W} -> W end,
    {R1, R2, Down()}.
