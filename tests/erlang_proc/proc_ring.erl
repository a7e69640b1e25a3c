%% Process rings: N processes each forwarding a token to the next, M laps;
%% erlang:processes/0 length deltas while the ring exists and after it stopped.
-module(proc_ring).
-export([start/0]).

start() ->
    ring(100, 10),
    ring(500, 3),
    ring(1000, 2),
    ring(1000, 0),
    ring(1, 50),
    pipeline(200),
    printing_ring(5, 2),
    ok.

ring(N, Laps) ->
    Before = length(erlang:processes()),
    Me = self(),
    First = build(N, Me),
    Mid = length(erlang:processes()),
    First ! {token, Laps * N, 0},
    Hops = receive {done, H} -> H end,
    %% the stop token goes once round the ring; every node exits after forwarding it
    First ! {stop, N, Me},
    receive stopped -> ok end,
    Gone = wait_count(Before, 2000),
    io:format("ring n=~p laps=~p hops=~p spawned=~p all_gone=~p~n",
              [N, Laps, Hops, Mid - Before, Gone]).

%% Node K forwards to node K+1, the last node to the first.
build(N, Me) ->
    First = spawn(fun() -> receive {next, Next} -> node_loop(Next, Me) end end),
    Second = build_chain(N - 1, First, Me),
    First ! {next, Second},
    First.

build_chain(0, First, _Me) -> First;
build_chain(K, First, Me) ->
    Next = build_chain(K - 1, First, Me),
    spawn(fun() -> node_loop(Next, Me) end).

node_loop(Next, Me) ->
    receive
        {token, 0, Hops} -> Me ! {done, Hops}, node_loop(Next, Me);
        {token, Left, Hops} -> Next ! {token, Left - 1, Hops + 1}, node_loop(Next, Me);
        {stop, 1, Origin} -> Origin ! stopped;
        {stop, K, Origin} -> Next ! {stop, K - 1, Origin}
    end.

%% Exiting processes may still be listed for a moment: poll until the count is back.
wait_count(_Want, 0) -> false;
wait_count(Want, Tries) ->
    case length(erlang:processes()) of
        Want -> true;
        _ -> receive after 1 -> wait_count(Want, Tries - 1) end
    end.

%% Every node prints before passing the token on: output from several
%% processes, ordered by the token (io:format returns once the text is out).
printing_ring(N, Laps) ->
    Me = self(),
    Nodes = [spawn(fun() -> printer(I, Me) end) || I <- lists:seq(1, N)],
    [P ! {next, Next} || {P, Next} <- lists:zip(Nodes, tl(Nodes) ++ [hd(Nodes)])],
    hd(Nodes) ! {token, N * Laps},
    receive token_done -> ok end,
    [P ! stop || P <- Nodes],
    io:format("printing ring done~n").

printer(I, Me) ->
    receive {next, Next} -> printer(I, Me, Next) end.

printer(I, Me, Next) ->
    receive
        {token, 0} -> io:format("node ~p: last~n", [I]), Me ! token_done, printer(I, Me, Next);
        {token, K} -> io:format("node ~p: ~p left~n", [I, K]), Next ! {token, K - 1},
                      printer(I, Me, Next);
        stop -> ok
    end.

%% A pipeline of N stages, each adding its index; 50 values pushed through
%% keep their order.
pipeline(N) ->
    Me = self(),
    Head = lists:foldl(fun(I, Next) -> spawn(fun() -> stage(I, Next) end) end, Me,
                       lists:seq(1, N)),
    [Head ! {v, V} || V <- lists:seq(1, 50)],
    Out = [receive {v, X} -> X end || _ <- lists:seq(1, 50)],
    Head ! stop,
    receive stop -> ok end,
    io:format("pipeline ~p: ~w~n", [N, Out]).

stage(I, Next) ->
    receive
        {v, V} -> Next ! {v, V + I}, stage(I, Next);
        stop -> Next ! stop
    end.
