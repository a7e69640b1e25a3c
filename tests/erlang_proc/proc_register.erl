%% Registered names: register/unregister/whereis/registered, their badarg
%% cases, sending to names and {Name, Node}, names freed when a process dies.
-module(proc_register).
-export([start/0]).

start() ->
    Me = self(),
    io:format("whereis unknown: ~p~n", [whereis(proc_reg_none)]),
    io:format("register self: ~p~n", [register(proc_reg_main, self())]),
    io:format("whereis self: ~p~n", [whereis(proc_reg_main) =:= Me]),
    io:format("in registered(): ~p~n", [lists:member(proc_reg_main, registered())]),
    io:format("registered_name: ~p~n", [process_info(self(), registered_name)]),
    io:format("register again same name: ~p~n", [err(fun() -> register(proc_reg_main, self()) end)]),
    io:format("second name for same process: ~p~n", [err(fun() -> register(proc_reg_other, self()) end)]),
    io:format("register undefined: ~p~n", [err(fun() -> register(undefined, self()) end)]),
    io:format("register non-atom: ~p~n", [err(fun() -> register("name", self()) end)]),
    io:format("register non-pid: ~p~n", [err(fun() -> register(proc_reg_x, foo) end)]),
    Dead = dead_pid(),
    io:format("register dead pid: ~p~n", [err(fun() -> register(proc_reg_dead, Dead) end)]),
    io:format("whereis non-atom: ~p~n", [err(fun() -> whereis("name") end)]),
    proc_reg_main ! {hello, 1},
    {proc_reg_main, node()} ! {hello, 2},
    erlang:send(proc_reg_main, {hello, 3}),
    io:format("messages via name: ~p~n", [[receive {hello, N} -> N end || _ <- [1, 2, 3]]]),
    io:format("send to unregistered name: ~p~n", [err(fun() -> proc_reg_none ! x end)]),
    io:format("erlang:send to unregistered name: ~p~n", [err(fun() -> erlang:send(proc_reg_none, x) end)]),
    io:format("send to bad destination: ~p~n", [err(fun() -> erlang:send(42, x) end)]),
    io:format("unregister: ~p~n", [unregister(proc_reg_main)]),
    io:format("registered_name after: ~p~n", [process_info(self(), registered_name)]),
    io:format("unregister again: ~p~n", [err(fun() -> unregister(proc_reg_main) end)]),
    io:format("unregister non-atom: ~p~n", [err(fun() -> unregister(42) end)]),
    io:format("whereis after: ~p~n", [whereis(proc_reg_main)]),
    %% register another process, talk to it by name
    Server = spawn(fun() -> counter(0) end),
    true = register(proc_reg_counter, Server),
    [proc_reg_counter ! {add, I} || I <- lists:seq(1, 100)],
    proc_reg_counter ! {get, self()},
    io:format("counter via name: ~p~n", [receive {count, C} -> C end]),
    %% the name goes away when the process dies
    Ref = monitor(process, proc_reg_counter),
    proc_reg_counter ! stop,
    receive {'DOWN', Ref, process, Obj, Why} -> io:format("down: ~p ~p~n", [Obj, Why]) end,
    io:format("whereis after death: ~p~n", [whereis(proc_reg_counter)]),
    io:format("send after death: ~p~n", [err(fun() -> proc_reg_counter ! x end)]),
    %% and can be taken again by another process
    S2 = spawn(fun() -> counter(10) end),
    io:format("reuse name: ~p~n", [register(proc_reg_counter, S2)]),
    proc_reg_counter ! {get, self()},
    io:format("second owner: ~p~n", [receive {count, C2} -> C2 end]),
    %% a process registering itself, then unregistering by itself
    P = spawn(fun() ->
                      R1 = register(proc_reg_self, self()),
                      Me ! {step, R1, whereis(proc_reg_self) =:= self()},
                      receive go -> ok end,
                      R2 = unregister(proc_reg_self),
                      Me ! {step, R2, whereis(proc_reg_self)}
              end),
    receive {step, A1, B1} -> io:format("child registered: ~p ~p~n", [A1, B1]) end,
    P ! go,
    receive {step, A2, B2} -> io:format("child unregistered: ~p ~p~n", [A2, B2]) end,
    %% registering a name another process holds
    io:format("name held by other: ~p~n", [err(fun() -> register(proc_reg_counter, self()) end)]),
    %% many names
    Ps = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, 20)],
    Names = [list_to_atom("proc_reg_n" ++ integer_to_list(I)) || I <- lists:seq(1, 20)],
    [true = register(N, Pid) || {N, Pid} <- lists:zip(Names, Ps)],
    io:format("all registered: ~p~n", [lists:all(fun(N) -> lists:member(N, registered()) end, Names)]),
    io:format("whereis match: ~p~n", [[whereis(N) || N <- Names] =:= Ps]),
    [N ! stop || N <- Names],
    proc_reg_counter ! stop,
    ok.

err(F) ->
    try F() of V -> {ok, V} catch C:E -> {C, E} end.

dead_pid() ->
    {P, R} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', R, process, P, _} -> P end.

counter(N) ->
    receive
        {add, I} -> counter(N + I);
        {get, From} -> From ! {count, N}, counter(N);
        stop -> ok
    end.
