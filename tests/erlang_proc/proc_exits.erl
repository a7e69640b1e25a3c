%% Exceptions versus exit signals: exit/1 is an exception that try/catch
%% can catch, exit/2 from another process is a signal that no try catches;
%% how uncaught errors, throws and exits appear as DOWN reasons; messages to
%% dead processes are dropped silently.
-module(proc_exits).
-export([start/0]).

start() ->
    io:format("try exit/1: ~p~n", [try exit(my_reason) catch exit:R0 -> {caught, R0} end]),
    io:format("catch exit/1: ~p~n", [(catch exit(my_reason))]),
    io:format("try error: ~p~n", [try error(my_error) catch error:R1 -> {caught, R1} end]),
    io:format("try throw: ~p~n", [try throw(my_throw) catch throw:R2 -> {caught, R2} end]),
    io:format("exit class: ~p~n", [try exit({a, b}) catch C:_ -> C end]),
    io:format("after clause runs: ~p~n", [after_runs()]),
    %% exit/1 caught inside a spawned process: it carries on
    io:format("caught in child: ~p~n", [in_child(fun() ->
        try exit(inner) catch exit:inner -> survived end end)]),
    %% exit/2 from another process cannot be caught by try
    Me = self(),
    {P, R} = spawn_monitor(fun() ->
        try
            Me ! ready,
            receive after infinity -> ok end
        catch
            exit:Why -> Me ! {caught_signal, Why}
        end end),
    receive ready -> ok end,
    exit(P, external),
    receive
        {caught_signal, W} -> io:format("signal caught?! ~p~n", [W]);
        {'DOWN', R, process, P, W2} -> io:format("signal not catchable: ~p~n", [W2])
    end,
    %% uncaught exceptions as DOWN reasons
    io:format("uncaught exit/1: ~p~n", [down_of(fun() -> exit(plain) end)]),
    io:format("uncaught error: ~p~n", [first(down_of(fun() -> error(oops) end))]),
    io:format("uncaught error/2: ~p~n", [first(down_of(fun() -> error(oops2, [1]) end))]),
    io:format("uncaught throw: ~p~n", [first(down_of(fun() -> throw(t) end))]),
    io:format("badarith: ~p~n", [first(down_of(fun() -> 1 / zero() end))]),
    io:format("function_clause: ~p~n", [first(down_of(fun() -> only_a(b) end))]),
    io:format("case_clause: ~p~n", [first(down_of(fun() -> case zero() of 1 -> ok end end))]),
    io:format("normal return: ~p~n", [down_of(fun() -> 42 end)]),
    io:format("exit normal: ~p~n", [down_of(fun() -> exit(normal) end)]),
    %% stacktrace in an error DOWN reason is a list
    {_, Stack} = down_of(fun() -> error(with_stack) end),
    io:format("stack is list: ~p~n", [is_list(Stack)]),
    %% a trapping process catches the exit of a linked process as a message
    process_flag(trap_exit, true),
    L = spawn_link(fun() -> error(linked_error) end),
    receive {'EXIT', L, {E, _}} -> io:format("trapped error: ~p~n", [E]) end,
    L2 = spawn_link(fun() -> throw(linked_throw) end),
    receive {'EXIT', L2, {E2, _}} -> io:format("trapped throw: ~p~n", [E2]) end,
    process_flag(trap_exit, false),
    %% messages to dead processes are dropped silently
    {D, DR} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', DR, process, D, _} -> ok end,
    io:format("send to dead: ~p~n", [D ! hello]),
    io:format("erlang:send to dead: ~p~n", [erlang:send(D, hello)]),
    [D ! N || N <- lists:seq(1, 100)],
    io:format("still fine: ~p~n", [is_process_alive(self())]),
    %% exit/2 to a dead process returns true
    io:format("exit/2 dead: ~p ~p~n", [exit(D, kill), exit(D, normal)]),
    io:format("exit/2 badarg: ~p~n", [try exit(not_a_pid, x) catch error:E3 -> E3 end]),
    %% a process killed while in a catch: the catch does not run
    {K, KR} = spawn_monitor(fun() ->
        catch begin Me ! ready2, receive after infinity -> ok end end,
        Me ! catch_ran end),
    receive ready2 -> ok end,
    exit(K, kill),
    receive
        catch_ran -> io:format("kill: catch ran?!~n");
        {'DOWN', KR, process, K, KW} -> io:format("kill in catch: ~p~n", [KW])
    end,
    ok.

zero() -> 0.

only_a(a) -> ok.

after_runs() ->
    Self = self(),
    try
        try exit(x) after Self ! after_ran end
    catch exit:x -> ok
    end,
    receive after_ran -> yes after 0 -> no end.

in_child(F) ->
    Me = self(),
    {P, R} = spawn_monitor(fun() -> Me ! {res, F()} end),
    Res = receive {res, V} -> V end,
    receive {'DOWN', R, process, P, W} -> {Res, W} end.

down_of(F) ->
    {P, R} = spawn_monitor(F),
    receive {'DOWN', R, process, P, W} -> W end.

first({A, _}) -> A;
first(X) -> X.
