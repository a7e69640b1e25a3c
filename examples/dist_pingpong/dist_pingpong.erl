%% Two boards, one app: Erlang distribution between them. Each board joins the access
%% point, runs epmd, becomes pingpong@IP and broadcasts its node name over UDP until its
%% role is settled: the board with the smaller name pings the other one five times (by
%% registered name), the other answers. Run both with world.toml.
-module(dist_pingpong).
-export([start/0]).

-define(ANNOUNCE_PORT, 5000).
-define(ANNOUNCE_EVERY_MS, 300).

start() ->
    {ok, {{A, B, C, D}, _, _}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
    {ok, _} = epmd:start_link([]),
    Node = list_to_atom(lists:flatten(io_lib:format("pingpong@~B.~B.~B.~B", [A, B, C, D]))),
    {ok, _} = net_kernel:start(Node, #{name_domain => longnames}),
    ok = net_kernel:set_cookie(<<"pingpong">>),
    true = register(pingpong, self()),
    io:format("I am ~p~n", [node()]),
    {ok, Udp} = gen_udp:open(?ANNOUNCE_PORT, [binary, {broadcast, true}, {active, true}]),
    announce(Udp, atom_to_binary(Node, latin1)).

%% Broadcast this node's name, then listen: a larger name heard (names of one length
%% order as their text) makes this board the pinger; a ping makes it the ponger.
announce(Udp, Me) ->
    ok = gen_udp:send(Udp, {255, 255, 255, 255}, ?ANNOUNCE_PORT, Me),
    listen(Udp, Me, erlang:monotonic_time(millisecond) + ?ANNOUNCE_EVERY_MS).

listen(Udp, Me, Until) ->
    Wait = max(0, Until - erlang:monotonic_time(millisecond)),
    receive
        {udp, Udp, _Ip, _Port, Name} when Name > Me ->
            gen_udp:close(Udp),
            ping(binary_to_atom(Name, latin1), 1);
        {udp, Udp, _Ip, _Port, _SmallerOrMine} ->
            listen(Udp, Me, Until);
        {ping, _N, _From} = Ping ->
            gen_udp:close(Udp),
            self() ! Ping,
            pong()
    after Wait ->
        announce(Udp, Me)
    end.

ping(Peer, 6) ->
    {pingpong, Peer} ! stop,
    io:format("done~n"),
    linger();
ping(Peer, N) ->
    {pingpong, Peer} ! {ping, N, self()},
    receive
        {pong, N} -> io:format("pong ~p from ~p~n", [N, Peer])
    end,
    ping(Peer, N + 1).

pong() ->
    receive
        {ping, N, From} ->
            io:format("ping ~p from ~p~n", [N, node(From)]),
            From ! {pong, N},
            pong();
        stop ->
            io:format("done~n")
    end.

%% The board's run ends when start/0 returns: give the last message time to leave.
linger() ->
    timer:sleep(500).
