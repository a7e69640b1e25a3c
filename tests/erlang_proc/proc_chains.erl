%% Chains of linked processes: an abnormal exit at one end travels along the
%% links, a normal exit does not, a trapping process stops the cascade, kill
%% becomes killed only for the first hop.
-module(proc_chains).
-export([start/0]).

start() ->
    chain_case(10, tail, crash),
    chain_case(10, tail, normal),
    chain_case(50, head, {shutdown, 7}),
    chain_case(200, tail, boom),
    chain_case(20, tail, kill_signal),
    trap_in_middle(20, 10),
    star(30),
    ok.

%% Build a chain of N processes linked one after the other; every process is
%% monitored by us. Where = tail: the last process dies, head: the first.
chain_case(N, Where, How) ->
    Pids = build(N),
    Refs = [{P, monitor(process, P)} || P <- Pids],
    Victim = case Where of tail -> lists:last(Pids); head -> hd(Pids) end,
    case How of
        kill_signal -> exit(Victim, kill);
        Reason -> Victim ! {exit, Reason}
    end,
    Res = case How of
              normal ->
                  VRef = proplists:get_value(Victim, Refs),
                  VWhy = receive {'DOWN', VRef, process, Victim, W} -> W end,
                  Alive = [P || P <- Pids, erlang:is_process_alive(P)],
                  [P ! {exit, cleanup} || P <- Alive],
                  [receive {'DOWN', R, process, P, _} -> ok end
                   || {P, R} <- Refs, P =/= Victim],
                  {victim, VWhy, alive, length(Alive)};
              _ ->
                  Whys = [receive {'DOWN', R, process, P, W} -> W end || {P, R} <- Refs],
                  summarize(Whys)
          end,
    io:format("chain n=~p ~p ~p: ~p~n", [N, Where, How, Res]).

summarize(Whys) ->
    lists:reverse(lists:foldl(fun(W, [{W, K} | T]) -> [{W, K + 1} | T];
                                 (W, Acc) -> [{W, 1} | Acc] end, [], Whys)).

member() ->
    receive
        {link_to, P, From} -> link(P), From ! linked, member();
        {trap, From} -> process_flag(trap_exit, true), From ! trapping, member();
        {'EXIT', _, _} -> member();
        {exit, R} -> exit(R)
    end.

build(N) ->
    Pids = [spawn(fun member/0) || _ <- lists:seq(1, N)],
    link_all(Pids),
    Pids.

link_all([A, B | T]) ->
    B ! {link_to, A, self()},
    receive linked -> ok end,
    link_all([B | T]);
link_all(_) -> ok.

%% A trapping process in the middle turns the signal into a message and
%% the processes beyond it survive.
trap_in_middle(N, K) ->
    Me = self(),
    Pids = build(N),
    Trapper = lists:nth(K, Pids),
    Trapper ! {trap, Me},
    receive trapping -> ok end,
    Refs = [{P, monitor(process, P)} || P <- Pids],
    lists:last(Pids) ! {exit, crash},
    After = lists:nthtail(K, Pids),
    Whys = [receive {'DOWN', R, process, P, W} -> W end || {P, R} <- Refs, lists:member(P, After)],
    Alive = [erlang:is_process_alive(P) || P <- lists:sublist(Pids, K)],
    io:format("trap at ~p of ~p: died=~p alive=~p~n", [K, N, summarize(Whys), summarize(Alive)]),
    [P ! {exit, cleanup} || P <- lists:sublist(Pids, K)],
    [receive {'DOWN', R, process, P, _} -> ok end || {P, R} <- Refs, not lists:member(P, After)],
    ok.

%% One hub linked to 30 leaves; the hub crashes, every leaf dies with the
%% hub's reason; a leaf that traps gets the message instead.
star(N) ->
    Me = self(),
    Hub = spawn(fun() -> hub([]) end),
    Leaves = [spawn(fun() -> leaf(Hub, Me, I rem 10 =:= 0) end) || I <- lists:seq(1, N)],
    [receive {linked, L} -> ok end || L <- Leaves],
    Refs = [{L, monitor(process, L)} || L <- Leaves],
    Hub ! {exit, hub_down},
    Whys = [receive {'DOWN', R, process, L, W} -> W end || {L, R} <- Refs],
    io:format("star ~p: ~p~n", [N, summarize(lists:sort(Whys))]).

hub(_) ->
    receive {exit, R} -> exit(R) end.

leaf(Hub, Me, Trap) ->
    process_flag(trap_exit, Trap),
    link(Hub),
    Me ! {linked, self()},
    receive {'EXIT', Hub, Why} -> exit({trapped, Why}) end.
