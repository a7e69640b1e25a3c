%% Shared start of the distribution test apps: join the access point, run epmd, become
%% Alive@IP with long names, set the cookie; and find the peer board's node name, which
%% the other board broadcasts over UDP (only dotted quads resolve on a board): once
%% (announce/1 on one board, discover/0 on the other) or both ways (exchange/1).
-module(dist_node).
-export([start/2, announce/1, discover/0, exchange/1]).

-define(ANNOUNCE_PORT, 5000).

start(Alive, Cookie) ->
    {ok, {{A, B, C, D}, _, _}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
    {ok, _} = epmd:start_link([]),
    Node = list_to_atom(lists:flatten(io_lib:format("~s@~B.~B.~B.~B", [Alive, A, B, C, D]))),
    {ok, _} = net_kernel:start(Node, #{name_domain => longnames}),
    ok = net_kernel:set_cookie(Cookie),
    io:format("node ~p (~p)~n", [node(), node() =:= Node]),
    Node.

announce(Node) ->
    {ok, S} = gen_udp:open(0, [binary, {broadcast, true}]),
    ok = gen_udp:send(S, {255, 255, 255, 255}, ?ANNOUNCE_PORT, atom_to_binary(Node, latin1)),
    gen_udp:close(S).

discover() ->
    {ok, S} = gen_udp:open(?ANNOUNCE_PORT, [binary, {active, false}]),
    {ok, {_, _, Name}} = gen_udp:recv(S, 0, 10000),
    gen_udp:close(S),
    binary_to_atom(Name, latin1).

%% Broadcast Node every 200 ms (for the rest of the run) and wait for the other's name.
exchange(Node) ->
    Me = atom_to_binary(Node, latin1),
    {ok, S} = gen_udp:open(?ANNOUNCE_PORT, [binary, {broadcast, true}, {active, false}]),
    spawn(fun() -> repeat_announce(S, Me) end),
    binary_to_atom(other_name(S, Me), latin1).

repeat_announce(S, Me) ->
    ok = gen_udp:send(S, {255, 255, 255, 255}, ?ANNOUNCE_PORT, Me),
    timer:sleep(200),
    repeat_announce(S, Me).

other_name(S, Me) ->
    case gen_udp:recv(S, 0, 10000) of
        {ok, {_, _, Me}} -> other_name(S, Me);
        {ok, {_, _, Other}} -> Other
    end.
