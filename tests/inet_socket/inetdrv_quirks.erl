%% Where AtomVM's socket port differs from OTP, and its two platforms from each other:
%% each line is one case; the test holds the answers AtomVM's generic_unix and esp32
%% socket_driver.c give.
-module(inetdrv_quirks).
-export([start/0]).

start() ->
    P = open_port({spawn, "socket"}, []),
    show(init_not_a_list, port:call(P, {init, foo}, 50)),
    show(init_without_proto, port:call(P, {init, [{port, 0}]}, 50)),
    P ! not_a_call,
    {ok, L} = gen_tcp:listen(0, [{active, false}, binary]),
    {ok, Port} = inet:port(L),
    show(listen_on_a_listened_port, gen_tcp:listen(Port, [])),
    show(refused, gen_tcp:connect({127, 0, 0, 1}, 1, [])),
    show(unknown_host, gen_tcp:connect("nosuch.invalid", 80, [])),
    show(listener_peername, inet:peername(L)),
    show(listener_controlling_process, gen_tcp:controlling_process(L, self())),
    {ok, C} = gen_tcp:connect(localhost, Port, [{active, false}, binary]),
    {ok, S} = gen_tcp:accept(L),
    show(client_port, inet:port(C)),
    show(send, gen_tcp:send(C, <<"abcdef">>)),
    show(recv_2_of_6, gen_tcp:recv(S, 2)),
    show(recv_rest, gen_tcp:recv(S, 0, 100)),
    Main = self(),
    spawn(fun() -> Main ! {reader, gen_tcp:recv(S, 0)} end),
    timer:sleep(10),
    show(second_recv, gen_tcp:recv(S, 0, 50)),
    ok = gen_tcp:send(C, <<"x">>),
    receive {reader, R} -> show(first_recv, R) end,
    show(unknown_request, port:call(element(2, C), {bogus}, 50)),
    show(send_not_iodata, port:call(element(2, C), {send, 123}, 50)),
    ok = gen_tcp:close(C),
    show(after_peer_close, gen_tcp:recv(S, 0)),
    show(send_after_close, gen_tcp:send(S, <<"late">>)),
    reset(L, Port, [binary]),
    reset(L, Port, [{active, false}, binary]),
    {ok, A} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary]),
    show(recv_when_active, gen_tcp:recv(A, 0, 50)),
    {ok, SA} = gen_tcp:accept(L),
    ok = gen_tcp:send(SA, binary:copy(<<"a">>, 3000)),
    show(active_largest_chunk, largest_chunk(A, 3000, 0)),
    blocked_send(L, Port),
    {ok, U} = gen_udp:open(0),
    show(udp_port_0, case inet:port(U) of {ok, N} when N >= 49152 -> ephemeral; E -> E end),
    {ok, V} = gen_udp:open(47320, [binary]),
    ok = gen_udp:send(U, {127, 0, 0, 1}, 47320, binary:copy(<<"u">>, 200)),
    receive {udp, V, _, _, D} -> show(udp_active_200_bytes, byte_size(D)) end,
    io:format("done~n").

%% The server closes with bytes unread: its stack answers with a reset.
reset(L, Port, Options) ->
    {ok, C} = gen_tcp:connect({127, 0, 0, 1}, Port, Options),
    {ok, S} = gen_tcp:accept(L),
    ok = gen_tcp:send(C, <<"unread">>),
    timer:sleep(10),
    ok = gen_tcp:close(S),
    case proplists:get_value(active, Options, true) of
        true -> receive Msg -> show(reset_active, setelement(2, Msg, socket)) end;
        false -> show(reset_passive, gen_tcp:recv(C, 0))
    end.

largest_chunk(_A, 0, Largest) ->
    Largest;
largest_chunk(A, Left, Largest) ->
    receive {tcp, A, D} -> largest_chunk(A, Left - byte_size(D), max(Largest, byte_size(D))) end.

%% A send the peer's window holds back, while another process closes the socket.
blocked_send(L, Port) ->
    {ok, C} = gen_tcp:connect({127, 0, 0, 1}, Port, [{active, false}, binary]),
    {ok, _S} = gen_tcp:accept(L),
    Main = self(),
    spawn(fun() -> Main ! {sender, gen_tcp:send(C, binary:copy(<<"b">>, 100000))} end),
    timer:sleep(50),
    ok = gen_tcp:close(C),
    receive {sender, R} -> show(send_when_closed_meanwhile, R) end.

show(Case, Result) ->
    io:format("~s: ~p~n", [Case, Result]).
