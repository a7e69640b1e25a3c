%% gen_tcp, gen_udp and inet over the socket back end ({inet_backend, socket}), as OTP
%% and AtomVM agree on them: a passive echo server, an active client, list mode,
%% controlling_process, timeouts, UDP in passive and active mode.
-module(sock_gen).
-export([start/0]).

-define(LOOPBACK, {127, 0, 0, 1}).
-define(BACKEND, {inet_backend, socket}).

start() ->
    tcp(),
    udp(),
    ok.

tcp() ->
    {ok, L} = gen_tcp:listen(0, [?BACKEND, binary, {active, false}]),
    {ok, Port} = inet:port(L),
    Parent = self(),
    spawn(fun() -> server(L, Parent) end),
    {ok, C} = gen_tcp:connect(?LOOPBACK, Port, [?BACKEND, binary, {active, true}]),
    {ok, {PeerAddr, PeerPort}} = inet:peername(C),
    show(peername, {PeerAddr, PeerPort =:= Port}),
    {ok, {LocalAddr, _}} = inet:sockname(C),
    show(sockname, LocalAddr),
    show(send, gen_tcp:send(C, <<"hello">>)),
    show(active, wait_tcp(C)),
    show(recv_when_active, gen_tcp:recv(C, 0, 10)),
    Child = spawn(fun() ->
        Got = wait_tcp(C),
        Back = gen_tcp:controlling_process(C, Parent),
        Parent ! {child, Got, Back, gen_tcp:controlling_process(C, self())}
    end),
    show(controlling_process, gen_tcp:controlling_process(C, Child)),
    show(send_iolist, gen_tcp:send(C, [<<"wor">>, "ld"])),
    receive
        {child, Got, Back, NotOwner} ->
            show(child_got, Got),
            show(handed_back, Back),
            show(not_owner, NotOwner)
    end,
    show(send_bye, gen_tcp:send(C, "bye")),
    receive
        {served, Lines} -> [show(server, Line) || Line <- Lines]
    end,
    show(peer_closed, wait_tcp(C)),
    show(close_client, gen_tcp:close(C)),
    show(close_listener, gen_tcp:close(L)),
    list_mode(),
    ok.

server(L, Parent) ->
    {ok, S} = gen_tcp:accept(L, 1000),
    Lines = echo(S, []),
    Parent ! {served, lists:reverse(Lines)}.

echo(S, Lines) ->
    case gen_tcp:recv(S, 0, 1000) of
        {ok, <<"bye">>} ->
            Idle = gen_tcp:recv(S, 0, 50),
            gen_tcp:close(S),
            [Idle, bye | Lines];
        {ok, Data} ->
            ok = gen_tcp:send(S, Data),
            echo(S, [Data | Lines]);
        Other ->
            [Other | Lines]
    end.

wait_tcp(C) ->
    receive
        {tcp, C, Data} -> Data;
        {tcp_closed, C} -> tcp_closed
    after 1000 -> nothing
    end.

list_mode() ->
    {ok, L} = gen_tcp:listen(0, [?BACKEND, list, {active, false}]),
    {ok, Port} = inet:port(L),
    Parent = self(),
    spawn(fun() ->
        {ok, S} = gen_tcp:accept(L),
        Parent ! {list_server, gen_tcp:recv(S, 0, 1000)},
        gen_tcp:close(S)
    end),
    {ok, C} = gen_tcp:connect(?LOOPBACK, Port, [?BACKEND, list, {active, true}]),
    ok = gen_tcp:send(C, <<"abc">>),
    receive
        {list_server, Got} -> show(list_server, Got)
    end,
    show(list_closed, wait_tcp(C)),
    gen_tcp:close(C),
    gen_tcp:close(L).

udp() ->
    {ok, A} = gen_udp:open(0, [?BACKEND, binary, {active, false}]),
    {ok, B} = gen_udp:open(0, [?BACKEND, binary, {active, true}]),
    {ok, PortA} = inet:port(A),
    {ok, PortB} = inet:port(B),
    show(udp_send, gen_udp:send(B, ?LOOPBACK, PortA, <<"ping">>)),
    {ok, {FromAddr, FromPort, Data}} = gen_udp:recv(A, 0, 1000),
    show(udp_recv, {FromAddr, FromPort =:= PortB, Data}),
    show(udp_timeout, gen_udp:recv(A, 0, 50)),
    show(udp_send_back, gen_udp:send(A, ?LOOPBACK, PortB, "pong")),
    receive
        {udp, B, IP, P, Pong} -> show(udp_active, {IP, P =:= PortA, Pong})
    after 1000 -> show(udp_active, nothing)
    end,
    show(udp_close, gen_udp:close(A)),
    show(udp_close, gen_udp:close(B)).

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
