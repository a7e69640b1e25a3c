%% process_info/2 items (message_queue_len, links, registered_name,
%% trap_exit, dictionary, status), is_process_alive, processes/0 length
%% deltas, group_leader.
-module(proc_info).
-export([start/0]).

start() ->
    Me = self(),
    P = spawn(fun() -> idle() end),
    io:format("alive: ~p~n", [is_process_alive(P)]),
    io:format("queue empty: ~p~n", [process_info(P, message_queue_len)]),
    P ! {hold, 1}, P ! {hold, 2}, P ! {hold, 3},
    sync(P),
    io:format("queue 3: ~p~n", [process_info(P, message_queue_len)]),
    io:format("messages: ~p~n", [process_info(P, messages)]),
    io:format("registered_name none: ~p~n", [process_info(P, registered_name)]),
    register(proc_info_idle, P),
    io:format("registered_name: ~p~n", [process_info(P, registered_name)]),
    io:format("trap_exit: ~p~n", [process_info(P, trap_exit)]),
    P ! trap, sync(P),
    io:format("trap_exit after: ~p~n", [process_info(P, trap_exit)]),
    io:format("links none: ~p~n", [process_info(P, links)]),
    Q = spawn(fun() -> idle() end),
    P ! {link, Q}, sync(P),
    {links, PL} = process_info(P, links),
    {links, QL} = process_info(Q, links),
    io:format("links: ~p ~p~n", [PL =:= [Q], QL =:= [P]]),
    P ! {put, k, v}, sync(P),
    io:format("dictionary: ~p~n", [process_info(P, dictionary)]),
    io:format("status waiting: ~p~n", [wait_status(P, waiting, 1000)]),
    io:format("own status: ~p~n", [process_info(self(), status)]),
    io:format("list form: ~p~n",
              [process_info(P, [message_queue_len, registered_name, trap_exit])]),
    io:format("badarg item: ~p~n", [try process_info(P, no_such_item) catch error:E -> E end]),
    io:format("badarg pid: ~p~n", [try process_info(not_a_pid, links) catch error:E2 -> E2 end]),
    %% after exit
    R = monitor(process, P),
    P ! stop,
    receive {'DOWN', R, process, P, _} -> ok end,
    io:format("alive after exit: ~p~n", [is_process_alive(P)]),
    io:format("info after exit: ~p ~p~n",
              [process_info(P, message_queue_len), process_info(P, [links, trap_exit])]),
    io:format("name gone: ~p~n", [whereis(proc_info_idle)]),
    %% links are removed when the linked process dies (Q traps nothing but P exited normally)
    io:format("Q links after: ~p ~p~n", [is_process_alive(Q), process_info(Q, links)]),
    exit(Q, kill),
    io:format("is_process_alive badarg: ~p~n", [try is_process_alive(foo) catch error:E3 -> E3 end]),
    io:format("self alive: ~p~n", [is_process_alive(self())]),
    %% processes/0 deltas
    wait_gone(Q),
    N0 = length(erlang:processes()),
    Ps = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, 25)],
    N1 = length(erlang:processes()),
    io:format("processes delta +25: ~p~n", [N1 - N0]),
    io:format("all in processes(): ~p~n",
              [lists:all(fun(X) -> lists:member(X, erlang:processes()) end, [self() | Ps])]),
    Refs = [monitor(process, X) || X <- Ps],
    [X ! stop || X <- Ps],
    [receive {'DOWN', Rf, process, _, _} -> ok end || Rf <- Refs],
    io:format("processes back: ~p~n", [wait_count(N0, 1000)]),
    %% group leader: one set with group_leader/2 is inherited by children
    %% (a process with none, as AtomVM's first one, answers self(): see
    %% tests/test_group_leader.py)
    GL = group_leader(),
    C = spawn(fun() -> receive go -> Me ! {gl2, group_leader()} end,
                       spawn(fun() -> Me ! {gl3, group_leader()} end) end),
    true = group_leader(Me, C),
    C ! go,
    receive {gl2, G2} -> io:format("gl set: ~p~n", [G2 =:= Me]) end,
    receive {gl3, G3} -> io:format("gl inherited: ~p ~p~n", [is_pid(GL), G3 =:= Me]) end,
    io:format("gl info: ~p~n", [process_info(self(), group_leader) =:= {group_leader, GL}]),
    ok.

%% P may still be finishing its previous message: poll (bounded) for a status
wait_status(_P, _Want, 0) -> false;
wait_status(P, Want, Tries) ->
    case process_info(P, status) of
        {status, Want} -> true;
        _ -> receive after 1 -> wait_status(P, Want, Tries - 1) end
    end.

wait_gone(P) ->
    R = monitor(process, P),
    receive {'DOWN', R, process, P, _} -> ok end.

wait_count(_Want, 0) -> false;
wait_count(Want, Tries) ->
    case length(erlang:processes()) of
        Want -> true;
        _ -> receive after 1 -> wait_count(Want, Tries - 1) end
    end.

%% a round trip that guarantees P has handled everything sent before
sync(P) ->
    Ref = make_ref(),
    P ! {sync, self(), Ref},
    receive {Ref, synced} -> ok end.

idle() ->
    receive
        {sync, From, Ref} -> From ! {Ref, synced}, idle();
        trap -> process_flag(trap_exit, true), idle();
        {link, Q} -> link(Q), idle();
        {put, K, V} -> put(K, V), idle();
        stop -> ok
    end.
