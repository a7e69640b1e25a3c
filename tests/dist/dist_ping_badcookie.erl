%% dist_ping with another cookie: the handshake fails, no pong comes back.
-module(dist_ping_badcookie).
-export([start/0]).

start() ->
    _ = dist_node:start("ping", <<"not-the-cookie">>),
    Peer = dist_node:discover(),
    {pong, Peer} ! {ping, 1, self()},
    receive
        Reply -> io:format("unexpected ~p~n", [Reply])
    after 3000 -> io:format("no reply~n")
    end.
