%% TCP and UDP to the board's own address (generic-unix: eth 10.0.2.15) and to an address
%% nobody on the link has. Expected lines in tests/test_sockets.py.
-module(sock_own).
-export([start/0]).

-define(OWN, {10, 0, 2, 15}).

start() ->
    {ok, L} = gen_tcp:listen(0, [{inet_backend, socket}, binary, {active, false}]),
    {ok, Port} = inet:port(L),
    Parent = self(),
    spawn(fun() ->
        {ok, S} = gen_tcp:accept(L),
        {ok, {Local, _}} = inet:sockname(S),
        {ok, {Peer, _}} = inet:peername(S),
        Parent ! {accepted, Local, Peer, gen_tcp:recv(S, 0, 1000)},
        gen_tcp:close(S)
    end),
    {ok, C} = gen_tcp:connect(?OWN, Port, [{inet_backend, socket}, binary]),
    ok = gen_tcp:send(C, <<"own">>),
    receive
        {accepted, Local, Peer, Got} -> show(accepted, {Local, Peer, Got})
    end,
    show(peer_closed, receive {tcp_closed, C} -> tcp_closed after 1000 -> nothing end),
    gen_tcp:close(C),
    gen_tcp:close(L),
    {ok, U} = gen_udp:open(0, [{inet_backend, socket}, binary, {active, false}]),
    {ok, UPort} = inet:port(U),
    ok = gen_udp:send(U, ?OWN, UPort, <<"self">>),
    {ok, {From, FromPort, Data}} = gen_udp:recv(U, 0, 1000),
    show(udp_self, {From, FromPort =:= UPort, Data}),
    gen_udp:close(U),
    {ok, S} = socket:open(inet, stream, tcp),
    show(nobody_there, socket:connect(S, #{family => inet, addr => {10, 0, 2, 99}, port => 80})),
    ok.

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
