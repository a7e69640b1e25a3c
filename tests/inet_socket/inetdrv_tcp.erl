%% TCP over gen_tcp's default (inet) back end, on one board: an echo server and its
%% clients, passive and active, timeouts, the peer's close and a close during a recv.
%% Everything printed is what OTP's gen_tcp prints too (the test compares with erl).
-module(inetdrv_tcp).
-export([start/0]).

start() ->
    {ok, L} = gen_tcp:listen(0, [{active, false}]),
    {ok, Port} = inet:port(L),
    Main = self(),
    spawn(fun() -> serve(L, Main) end),
    passive(Port),
    active(Port),
    close_during_recv(Port),
    accept_timeout(),
    close_during_accept(),
    bulk(),
    ok = gen_tcp:close(L).

passive(Port) ->
    {ok, C} = gen_tcp:connect({127, 0, 0, 1}, Port, [{active, false}]),
    {ok, {Local, _}} = inet:sockname(C),
    {ok, {Peer, PeerPort}} = inet:peername(C),
    io:format("connected from ~p to ~p, listener's port: ~p~n", [Local, Peer, PeerPort =:= Port]),
    ok = gen_tcp:send(C, "hello"),
    io:format("echo: ~p~n", [gen_tcp:recv(C, 5)]),
    ok = gen_tcp:send(C, [<<"bin">>, "ary", [$!]]),
    io:format("iolist echo: ~p~n", [gen_tcp:recv(C, 7)]),
    T0 = erlang:monotonic_time(millisecond),
    io:format("recv with nothing sent: ~p~n", [gen_tcp:recv(C, 0, 100)]),
    Waited = erlang:monotonic_time(millisecond) - T0,
    io:format("waited at least 100 ms: ~p~n", [Waited >= 100]),
    ok = gen_tcp:send(C, "again"),
    io:format("still usable: ~p~n", [gen_tcp:recv(C, 5)]),
    Owner = self(),
    spawn(fun() -> Owner ! {not_owner, gen_tcp:controlling_process(C, self())} end),
    receive {not_owner, R} -> io:format("controlling_process by another: ~p~n", [R]) end,
    ok = gen_tcp:send(C, "bye"),
    io:format("after the server's close: ~p~n", [gen_tcp:recv(C, 0)]),
    ok = gen_tcp:close(C).

active(Port) ->
    {ok, A} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary]),
    ok = gen_tcp:send(A, "greet"),
    receive {tcp, A, Data} -> io:format("active data: ~p~n", [Data]) end,
    receive {tcp_closed, A} -> io:format("active: tcp_closed~n") end.

close_during_recv(Port) ->
    {ok, M} = gen_tcp:connect({127, 0, 0, 1}, Port, [{active, false}]),
    ok = gen_tcp:send(M, "wait"),
    {ok, "wait"} = gen_tcp:recv(M, 4),
    Main = self(),
    spawn(fun() -> Main ! {reader, gen_tcp:recv(M, 0)} end),
    timer:sleep(50),
    ok = gen_tcp:close(M),
    receive {reader, R} -> io:format("recv when another process closes: ~p~n", [R]) end.

accept_timeout() ->
    {ok, L} = gen_tcp:listen(0, []),
    io:format("accept with nobody connecting: ~p~n", [gen_tcp:accept(L, 50)]),
    ok = gen_tcp:close(L).

close_during_accept() ->
    {ok, L} = gen_tcp:listen(0, []),
    Main = self(),
    spawn(fun() -> Main ! {acceptor, gen_tcp:accept(L)} end),
    timer:sleep(20),
    ok = gen_tcp:close(L),
    receive {acceptor, R} -> io:format("accept when another process closes: ~p~n", [R]) end.

%% More than the send buffer and the receive window hold: the send waits for room.
bulk() ->
    {ok, L} = gen_tcp:listen(0, [{active, false}, binary]),
    {ok, Port} = inet:port(L),
    Main = self(),
    spawn(fun() -> {ok, S} = gen_tcp:accept(L), Main ! {bulk, count(S, 0)} end),
    {ok, C} = gen_tcp:connect({127, 0, 0, 1}, Port, [{active, false}, binary]),
    ok = gen_tcp:send(C, binary:copy(<<"0123456789">>, 2000)),
    ok = gen_tcp:close(C),
    receive {bulk, N} -> io:format("bulk: ~p bytes~n", [N]) end,
    ok = gen_tcp:close(L).

count(S, N) ->
    case gen_tcp:recv(S, 0) of
        {ok, B} -> count(S, N + byte_size(B));
        {error, closed} -> N
    end.

%% The server: each connection is echoed; "bye" closes it, "greet" gets "hi" and a close.
serve(L, Main) ->
    {ok, S} = gen_tcp:accept(L),
    echo(S),
    serve(L, Main).

echo(S) ->
    case gen_tcp:recv(S, 0) of
        {ok, "bye"} -> gen_tcp:close(S);
        {ok, "greet"} -> ok = gen_tcp:send(S, "hi"), gen_tcp:close(S);
        {ok, Data} -> ok = gen_tcp:send(S, Data), echo(S);
        {error, closed} -> ok
    end.
