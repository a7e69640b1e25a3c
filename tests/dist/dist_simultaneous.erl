%% Both boards of the world run this: each learns the other's node name, then at the
%% same virtual time (t = 3 s) both send to the other, so that each node connects to the
%% other while the other connects to it. One of the two connections must win on both
%% sides (OTP's rule: the one set up by the larger node name) and messages flow.
-module(dist_simultaneous).
-export([start/0]).

start() ->
    Node = dist_node:start("sim", <<"simultaneous">>),
    Peer = dist_node:exchange(Node),
    true = register(sim, self()),
    timer:sleep(3000 - erlang:monotonic_time(millisecond)),
    {sim, Peer} ! {hello, node()},
    receive {hello, From} -> io:format("hello from ~p~n", [From])
    after 5000 -> io:format("no hello~n")
    end,
    {sim, Peer} ! {again, node()},
    receive {again, From2} -> io:format("again from ~p~n", [From2])
    after 5000 -> io:format("no again~n")
    end,
    timer:sleep(500).
