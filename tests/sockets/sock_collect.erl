%% Sockets that nobody holds any more are closed, as AtomVM's resource destructor closes
%% them; sockets another process still holds stay open. Expected lines in
%% tests/test_sockets.py.
-module(sock_collect).
-export([start/0]).

-define(LOOPBACK, {127, 0, 0, 1}).
-define(PORT, 40404).

start() ->
    %% a listener whose owner dies without closing it: the port is free again
    run_and_wait(fun() ->
        {ok, L} = socket:open(inet, stream, tcp),
        ok = socket:bind(L, addr(?PORT)),
        ok = socket:listen(L),
        exit(crash)
    end),
    {ok, L} = socket:open(inet, stream, tcp),
    show(port_free_again, socket:bind(L, addr(?PORT))),
    ok = socket:listen(L),
    %% a client that exits without closing: the server sees the end of the stream
    run_and_wait(fun() ->
        {ok, C} = socket:open(inet, stream, tcp),
        ok = socket:connect(C, addr(?PORT)),
        ok = socket:send(C, <<"hi">>)
    end),
    {ok, A} = socket:accept(L, 1000),
    show(data, socket:recv(A, 0, 1000)),
    show(client_gone, socket:recv(A, 0, 1000)),
    socket:close(A),
    %% a socket handed to a process that keeps it: open after its creator exits
    Parent = self(),
    Keeper = spawn(fun() -> keeper(Parent) end),
    run_and_wait(fun() ->
        {ok, C} = socket:open(inet, stream, tcp),
        ok = socket:connect(C, addr(?PORT)),
        Keeper ! {keep, C}
    end),
    {ok, B} = socket:accept(L, 1000),
    Keeper ! send,
    show(kept_socket_sends, receive {sent, R} -> R after 1000 -> nothing end),
    show(kept_data, socket:recv(B, 0, 1000)),
    %% a socket kept in an ETS table of a live process
    Table = ets:new(sockets, [public]),
    run_and_wait(fun() ->
        {ok, C} = socket:open(inet, stream, tcp),
        ok = socket:connect(C, addr(?PORT)),
        ets:insert(Table, {c, C})
    end),
    {ok, D} = socket:accept(L, 1000),
    [{c, C}] = ets:lookup(Table, c),
    show(ets_socket_sends, socket:send(C, <<"ets">>)),
    show(ets_data, socket:recv(D, 0, 1000)),
    ok.

keeper(Parent) ->
    receive
        {keep, C} ->
            receive
                send -> Parent ! {sent, socket:send(C, <<"kept">>)}
            end,
            receive
                stop -> ok
            end
    end.

run_and_wait(Fun) ->
    {Pid, Ref} = spawn_monitor(Fun),
    receive
        {'DOWN', Ref, process, Pid, _} -> ok
    end.

addr(Port) ->
    #{family => inet, addr => ?LOOPBACK, port => Port}.

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
