%% UDP over gen_udp's default (inet) back end, on one board: passive and active
%% sockets, a recv that times out. Printed as OTP's gen_udp prints it (compared with erl).
-module(inetdrv_udp).
-export([start/0]).

start() ->
    {ok, A} = gen_udp:open(47311, [{active, false}]),
    {ok, B} = gen_udp:open(47312, [{active, false}]),
    ok = gen_udp:send(A, {127, 0, 0, 1}, 47312, "ping"),
    io:format("passive: ~p~n", [gen_udp:recv(B, 0)]),
    ok = gen_udp:send(B, {127, 0, 0, 1}, 47311, [<<"po">>, "ng"]),
    io:format("reply: ~p~n", [gen_udp:recv(A, 0)]),
    io:format("recv with nothing sent: ~p~n", [gen_udp:recv(B, 0, 50)]),
    {ok, C} = gen_udp:open(47313, [binary]),
    ok = gen_udp:send(A, {127, 0, 0, 1}, 47313, "hello"),
    receive
        {udp, C, Ip, Port, Data} -> io:format("active: ~p~n", [{Ip, Port, Data}])
    end,
    {ok, P} = inet:port(C),
    io:format("port: ~p~n", [P]),
    [ok = gen_udp:close(S) || S <- [A, B, C]],
    io:format("done~n").
