%% An ESP32 joins the simulated default access point, then serves and calls TCP and UDP on
%% the address it got, with the socket API. Expected lines in tests/test_sockets.py.
-module(sock_wifi).
-export([start/0]).

start() ->
    {ok, {IP, _Netmask, _Gateway}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:bind(L, #{family => inet, addr => any, port => 8080}),
    ok = socket:listen(L),
    Parent = self(),
    spawn(fun() ->
        {ok, S} = socket:accept(L),
        {ok, #{addr := Local}} = socket:sockname(S),
        {ok, Data} = socket:recv(S, 4, 1000),
        ok = socket:send(S, Data),
        Parent ! {served, Local =:= IP},
        socket:close(S)
    end),
    {ok, C} = socket:open(inet, stream, tcp),
    show(connect, socket:connect(C, #{family => inet, addr => IP, port => 8080})),
    show(send, socket:send(C, <<"ping">>)),
    show(echo, socket:recv(C, 4, 1000)),
    show(server_saw_sta_address, receive {served, Same} -> Same after 1000 -> nothing end),
    show(peer_closed, socket:recv(C, 0, 1000)),
    socket:close(C),
    socket:close(L),
    {ok, U} = socket:open(inet, dgram, udp),
    ok = socket:bind(U, #{family => inet, addr => any, port => 5000}),
    ok = socket:sendto(U, <<"self">>, #{family => inet, addr => IP, port => 5000}),
    {ok, {From, Got}} = socket:recvfrom(U, 0, 1000),
    show(udp, {maps:get(addr, From) =:= IP, maps:get(port, From), Got}),
    socket:close(U),
    ok.

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
