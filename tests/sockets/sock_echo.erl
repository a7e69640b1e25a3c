%% The socket API over loopback, as OTP and AtomVM agree on it: a TCP echo server and
%% client in two processes, UDP between two sockets, options, timeouts, a closed
%% peer. Prints one line per step.
-module(sock_echo).
-export([start/0]).

-define(LOOPBACK, {127, 0, 0, 1}).

start() ->
    tcp(),
    udp(),
    ok.

tcp() ->
    {ok, L} = socket:open(inet, stream, tcp),
    show(type, socket:getopt(L, {socket, type})),
    show(reuseaddr, socket:setopt(L, {socket, reuseaddr}, true)),
    show(bind, socket:bind(L, #{family => inet, addr => ?LOOPBACK, port => 0})),
    show(listen, socket:listen(L)),
    {ok, #{addr := LAddr, port := Port}} = socket:sockname(L),
    show(listen_addr, {LAddr, Port > 0}),
    Parent = self(),
    spawn(fun() -> server(L, Parent) end),
    {ok, C} = socket:open(inet, stream, tcp),
    show(connect, socket:connect(C, #{family => inet, addr => ?LOOPBACK, port => Port})),
    {ok, #{addr := PeerAddr, port := PeerPort}} = socket:peername(C),
    show(peername, {PeerAddr, PeerPort =:= Port}),
    show(send, socket:send(C, <<"hello">>)),
    show(recv, socket:recv(C, 5)),
    show(send_iolist, socket:send(C, ["wor", $l, <<"d">>])),
    show(recv_timeout_ms, socket:recv(C, 5, 1000)),
    show(nothing_yet, socket:recv(C, 0, 50)),
    show(send_bye, socket:send(C, <<"bye">>)),
    show(recv_bye, socket:recv(C, 3, 1000)),
    show(peer_closed, socket:recv(C, 0, 1000)),
    receive
        {served, Lines} -> [show(server, Line) || Line <- Lines]
    end,
    show(close_client, socket:close(C)),
    show(close_listener, socket:close(L)).

server(L, Parent) ->
    {ok, S} = socket:accept(L, 1000),
    Lines = echo(S, []),
    socket:close(S),
    Parent ! {served, lists:reverse(Lines)}.

echo(S, Lines) ->
    case socket:recv(S, 0, 1000) of
        {ok, <<"bye">>} ->
            ok = socket:send(S, <<"bye">>),
            [bye | Lines];
        {ok, Data} ->
            ok = socket:send(S, Data),
            echo(S, [Data | Lines]);
        Other ->
            [Other | Lines]
    end.

udp() ->
    A = udp_socket(),
    B = udp_socket(),
    {ok, #{port := PortA}} = socket:sockname(A),
    {ok, #{port := PortB}} = socket:sockname(B),
    Dest = #{family => inet, addr => ?LOOPBACK, port => PortA},
    show(sendto, socket:sendto(B, <<"ping">>, Dest)),
    {ok, {From, Data}} = socket:recvfrom(A, 0, 1000),
    show(udp_from, {maps:get(family, From), maps:get(addr, From), maps:get(port, From) =:= PortB}),
    show(udp_data, Data),
    show(sendto_iolist, socket:sendto(B, [<<"pi">>, "ng2"], Dest)),
    show(udp_recv, socket:recv(A, 0, 1000)),
    show(udp_nothing, socket:recvfrom(A, 0, 50)),
    show(udp_type, socket:getopt(A, {socket, type})),
    socket:close(A),
    socket:close(B).

udp_socket() ->
    {ok, S} = socket:open(inet, dgram, udp),
    ok = socket:bind(S, #{family => inet, addr => ?LOOPBACK, port => 0}),
    S.

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
