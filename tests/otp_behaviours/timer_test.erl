%% timer: one-shot and interval timers, apply, cancel, tc and the time
%% conversion functions.  Only the order of events is printed.
-module(timer_test).

-export([start/0]).
-export([tick/2]).

start() ->
    run("conversions", fun conversions/0),
    run("sleep", fun sleep/0),
    run("send_after", fun send_after/0),
    run("send_interval", fun send_interval/0),
    run("apply", fun apply_test/0),
    run("exit_kill", fun exit_kill/0),
    run("tc", fun tc/0),
    io:format("done~n").

conversions() ->
    p("seconds", timer:seconds(3)),
    p("minutes", timer:minutes(2)),
    p("hours", timer:hours(1)),
    p("hms", timer:hms(1, 2, 3)),
    p("now_diff", timer:now_diff({1, 2, 3}, {0, 1, 0})),
    p("now_diff negative", timer:now_diff({0, 0, 0}, {0, 0, 5})).

sleep() ->
    self() ! before,
    p("sleep", timer:sleep(20)),
    p("sleep 0", timer:sleep(0)),
    p("mailbox kept", receive before -> yes after 0 -> no end).

send_after() ->
    {ok, _} = timer:send_after(30, second),
    {ok, _} = timer:send_after(10, self(), first),
    {ok, T} = timer:send_after(20, never),
    p("cancel", timer:cancel(T)),
    register(timer_test_name, self()),
    {ok, _} = timer:send_after(40, timer_test_name, by_name),
    p("order", [receive M -> M end || _ <- [1, 2, 3]]),
    p("nothing else", receive X -> X after 60 -> none end),
    p("bad time", timer:send_after(-1, x)),
    p("cancel bad", timer:cancel(not_a_timer)).

send_interval() ->
    {ok, T} = timer:send_interval(10, tick),
    Ticks = [receive tick -> tick end || _ <- [1, 2, 3, 4]],
    p("ticks", Ticks),
    p("cancel", timer:cancel(T)),
    flush(tick),
    p("no tick after cancel", receive tick -> tick after 50 -> none end),
    Me = self(),
    Target = spawn(fun() -> receive stop -> ok end end),
    {ok, _} = timer:send_interval(10, Target, tick),
    Target ! stop,
    p("interval to dead target stops", ok),
    {ok, _} = timer:send_interval(10, Me, tock),
    receive tock -> p("interval/3 to self", tock) end,
    p("bad interval", timer:send_interval(-5, x)).

apply_test() ->
    Me = self(),
    {ok, _} = timer:apply_after(10, ?MODULE, tick, [Me, after_10]),
    receive {tick, A} -> p("apply_after", A) end,
    {ok, T} = timer:apply_after(20, ?MODULE, tick, [Me, cancelled]),
    p("cancel", timer:cancel(T)),
    p("cancelled apply", receive {tick, X} -> X after 60 -> none end),
    {ok, I} = timer:apply_interval(10, ?MODULE, tick, [Me, interval]),
    p("apply_interval", [receive {tick, Y} -> Y end || _ <- [1, 2, 3]]),
    p("cancel", timer:cancel(I)),
    flush_ticks(),
    p("no more", receive {tick, Z} -> Z after 50 -> none end),
    p("bad apply_after", timer:apply_after(10, ?MODULE, tick, not_a_list)).

tick(Pid, What) -> Pid ! {tick, What}.

exit_kill() ->
    {P1, R1} = spawn_monitor(fun() -> receive after infinity -> ok end end),
    {ok, _} = timer:exit_after(10, P1, my_reason),
    receive {'DOWN', R1, process, P1, Why1} -> p("exit_after", Why1) end,
    {P2, R2} = spawn_monitor(fun() -> receive after infinity -> ok end end),
    {ok, _} = timer:kill_after(10, P2),
    receive {'DOWN', R2, process, P2, Why2} -> p("kill_after", Why2) end,
    {P3, R3} = spawn_monitor(fun() ->
                                     {ok, _} = timer:exit_after(10, self_exit),
                                     receive after infinity -> ok end
                             end),
    receive {'DOWN', R3, process, P3, Why3} -> p("exit_after/2", Why3) end,
    {P4, R4} = spawn_monitor(fun() ->
                                     {ok, _} = timer:kill_after(10),
                                     receive after infinity -> ok end
                             end),
    receive {'DOWN', R4, process, P4, Why4} -> p("kill_after/1", Why4) end.

tc() ->
    {T1, V1} = timer:tc(fun() -> timer:sleep(10), done end),
    p("tc/1", {T1 >= 10000, V1}),
    {T2, V2} = timer:tc(fun(A, B) -> A + B end, [1, 2]),
    p("tc/2", {is_integer(T2), V2}),
    {T3, V3} = timer:tc(lists, seq, [1, 3]),
    p("tc/3", {is_integer(T3), V3}).

flush(Msg) ->
    receive Msg -> flush(Msg) after 0 -> ok end.

flush_ticks() ->
    receive {tick, _} -> flush_ticks() after 30 -> ok end.

run(Name, Fun) ->
    io:format("== ~s~n", [Name]),
    {Pid, Ref} = spawn_monitor(Fun),
    receive
        {'DOWN', Ref, process, Pid, normal} -> ok;
        {'DOWN', Ref, process, Pid, Reason} -> io:format("!! ~s crashed: ~p~n", [Name, Reason])
    end.

p(Label, Term) -> io:format("~s: ~p~n", [Label, Term]).
