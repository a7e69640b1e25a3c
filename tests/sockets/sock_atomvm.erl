%% Where AtomVM's socket, gen_tcp, net and inet differ from OTP's, or where only AtomVM's
%% answer is defined: the expected lines are in tests/test_sockets.py, from AtomVM's
%% otp_socket.c, otp_net.c and estdlib sources.
-module(sock_atomvm).
-export([start/0]).
-import(sock_try, [catch_error/1]).

-define(LOOPBACK, {127, 0, 0, 1}).

start() ->
    {ok, S} = socket:open(inet, stream, tcp),
    show(socket_term, is_tuple(S) andalso tuple_size(S) =:= 2 andalso
        is_reference(element(1, S)) andalso is_reference(element(2, S))),
    show(bad_domain, catch_error(fun() -> socket:open(foo, stream, tcp) end)),
    show(bad_protocol, case socket:open(inet, stream, udp) of
        {ok, Opened} -> socket:close(Opened), {ok, socket};
        Refused -> Refused
    end),
    show(bad_length, catch_error(fun() -> socket:recv(S, -1, 0) end)),
    show(bad_option, catch_error(fun() -> socket:setopt(S, {socket, foo}, 1) end)),
    show(bad_level, catch_error(fun() -> socket:setopt(S, {tcp, nodelay}, true) end)),
    show(otp_option, socket:setopt(S, {otp, foo}, 1)),
    show(rcvbuf_value, socket:setopt(S, {otp, rcvbuf}, -1)),
    show(membership_value, socket:setopt(S, {ip, add_membership}, foo)),
    show(linger, socket:setopt(S, {socket, linger}, #{onoff => true, linger => 0})),
    show(bad_getopt, catch_error(fun() -> socket:getopt(S, {socket, reuseaddr}) end)),
    show(bad_getopt_level, catch_error(fun() -> socket:getopt(S, {otp, rcvbuf}) end)),
    show(not_a_socket, catch_error(fun() -> socket:close({foo, make_ref()}) end)),
    show(connect_not_map, catch_error(fun() -> socket:connect(S, foo) end)),
    show(connect_no_addr, catch_error(fun() -> socket:connect(S, #{port => 80}) end)),
    show(connect_bad_port, catch_error(fun() ->
        socket:connect(S, #{family => inet, addr => ?LOOPBACK, port => 70000})
    end)),
    refused(),
    show(close, socket:close(S)),
    show(close_again, socket:close(S)),
    show(send_closed, socket:send(S, <<"x">>)),
    show(recv_closed, socket:recv(S, 0, 0)),
    show(recv_closed_wait, socket:recv(S)),
    show(sockname_closed, socket:sockname(S)),
    show(getopt_closed, socket:getopt(S, {socket, type})),
    show(setopt_closed, socket:setopt(S, {socket, reuseaddr}, true)),
    {ok, U} = socket:open(inet, dgram, udp),
    show(udp_listen, socket:listen(U)),
    show(udp_peername, socket:peername(U)),
    socket:close(U),
    listener(),
    names(),
    ok.

refused() ->
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:bind(L, #{family => inet, addr => ?LOOPBACK, port => 0}),
    {ok, #{port := Free}} = socket:sockname(L),
    socket:close(L),
    {ok, C} = socket:open(inet, stream, tcp),
    show(refused, socket:connect(C, #{family => inet, addr => ?LOOPBACK, port => Free})),
    socket:close(C),
    show(gen_tcp_refused, gen_tcp:connect(?LOOPBACK, Free, [{inet_backend, socket}])).

listener() ->
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:bind(L, #{family => inet, addr => ?LOOPBACK, port => 0}),
    ok = socket:listen(L),
    {ok, #{port := Port}} = socket:sockname(L),
    show(listener_peername, socket:peername(L)),
    {ok, Other} = socket:open(inet, stream, tcp),
    show(port_in_use, socket:bind(Other, #{family => inet, addr => ?LOOPBACK, port => Port})),
    socket:close(Other),
    show(gen_tcp_port_in_use, gen_tcp:listen(Port, [{inet_backend, socket}])),
    {ok, U} = gen_udp:open(0, [{inet_backend, socket}]),
    {ok, UPort} = inet:port(U),
    show(gen_udp_port_in_use, gen_udp:open(UPort, [{inet_backend, socket}])),
    gen_udp:close(U),
    show(accept_empty, socket:accept(L, 0)),
    {select, {select_info, accept, Ref}} = socket:accept(L, nowait),
    {ok, C} = socket:open(inet, stream, tcp),
    ok = socket:connect(C, #{family => inet, addr => ?LOOPBACK, port => Port}),
    show(accept_select, receive {'$socket', L, select, Ref} -> true after 1000 -> false end),
    {ok, A} = socket:accept(L, 0),
    ok = socket:setopt(A, {otp, rcvbuf}, 4),
    ok = socket:send(C, <<"0123456789">>),
    show(rcvbuf_read, socket:recv(A, 0, 1000)),
    show(short_read, socket:recv(A, 5, 0)),
    partial_send(C),
    Parent = self(),
    Waiter = spawn(fun() -> Parent ! {waited, socket:accept(L)} end),
    show(waiter_alive, is_process_alive(Waiter)),
    socket:close(L),
    show(closed_while_accepting, receive {waited, R} -> R after 1000 -> nothing end),
    socket:close(A),
    socket:close(C).

%% The peer reads nothing: the stack takes part of a large send (AtomVM answers
%% {ok, Rest}), then nothing (EAGAIN, which AtomVM's BSD code answers as closed).
partial_send(C) ->
    Data = binary:copy(<<"x">>, 20000),
    case socket:send(C, Data) of
        {ok, Rest} -> show(partial_send, byte_size(Rest) > 0 andalso byte_size(Rest) < 20000);
        Other -> show(partial_send, Other)
    end,
    show(send_buffer_full, socket:send(C, Data)).

names() ->
    {ok, Infos} = net:getaddrinfo("localhost"),
    show(getaddrinfo, Infos),
    show(getaddrinfo_service, [{port, maps:get(port, maps:get(addr, I))} ||
        I <- element(2, net:getaddrinfo("localhost", "http"))]),
    show(getaddrinfo_quad, [maps:get(addr, maps:get(addr, I)) ||
        I <- element(2, net:getaddrinfo("10.1.2.3"))]),
    show(getaddrinfo_unknown, net:getaddrinfo("nosuch.invalid")),
    show(getaddrinfo_none, catch_error(fun() -> net:getaddrinfo(undefined, undefined) end)),
    show(getaddrinfo_nif_badarg, catch_error(fun() -> net:getaddrinfo_nif(foo, undefined) end)),
    show(getaddr, inet:getaddr("localhost", inet)),
    show(getaddr_atom, inet:getaddr(localhost, inet)),
    show(getaddr_unknown, inet:getaddr("nosuch", inet)),
    show(getaddr_bad, inet:getaddr(42, inet)),
    show(gethostname, catch_error(fun() -> net:gethostname() end)),
    show(parse_short, inet:parse_address("1.2.3")),
    show(parse_leading_zero, inet:parse_address("01.2.3.4")),
    show(parse, inet:parse_address("192.168.4.1")),
    show(ntoa, inet:ntoa({10, 0, 2, 15})),
    show(ntoa_bad, inet:ntoa({1, 2, 3, 256})).

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
