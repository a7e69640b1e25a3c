%% avmsim only: a multi-process program (rings, timers, CPU-bound workers,
%% monitors) whose output and final virtual time must be the same on every
%% run. The last line is erlang:monotonic_time(microsecond), which is only
%% meaningful under avmsim's virtual time (never compared with erl).
-module(vt_determinism).
-export([start/0]).

start() ->
    Me = self(),
    %% timers of several processes interleaving with CPU-bound work
    Ticker = spawn(fun() -> ticker(Me, 0) end),
    Workers = [spawn(fun() -> Me ! {work, I, burn(I * 20000)} end) || I <- lists:seq(1, 4)],
    Ring = ring(300, 5),
    WorkSums = [receive {work, I, S} -> S end || {I, _} <- lists:zip(lists:seq(1, 4), Workers)],
    Ticker ! {stop, Me},
    Ticks = receive {ticks, T} -> T end,
    %% a storm of short timers from many processes, collected in arrival order
    [spawn(fun() -> erlang:send_after((I * 7) rem 50 + 1, Me, {timer, I}) end)
     || I <- lists:seq(1, 60)],
    Arrivals = [receive {timer, I} -> I end || _ <- lists:seq(1, 60)],
    %% processes that race to the same mailbox without any handshake: the order is
    %% whatever the scheduler made it, but it must be the same every run
    [spawn(fun() -> burn(I * 50), Me ! {race, I} end) || I <- lists:seq(1, 20)],
    Race = [receive {race, I} -> I end || _ <- lists:seq(1, 20)],
    io:format("ring: ~p~nwork: ~p~nticks: ~p~narrivals: ~w~nrace: ~w~n",
              [Ring, WorkSums, Ticks, Arrivals, Race]),
    io:format("end time us: ~p~n", [erlang:monotonic_time(microsecond)]),
    ok.

ticker(Parent, N) ->
    receive
        {stop, Parent} -> Parent ! {ticks, N}
    after 1 -> ticker(Parent, N + 1)
    end.

burn(N) -> burn(N, 0).
burn(0, Acc) -> Acc;
burn(N, Acc) -> burn(N - 1, (Acc * 31 + N) rem 1000003).

ring(N, Laps) ->
    Me = self(),
    First = spawn(fun() -> receive {next, Next} -> node(Next, Me) end end),
    Last = lists:foldl(fun(_, Next) -> spawn(fun() -> node(Next, Me) end) end,
                       First, lists:seq(2, N)),
    First ! {next, Last},
    First ! {token, N * Laps, erlang:monotonic_time(microsecond)},
    receive {done, Stamps} -> ok end,
    First ! {stop, N},
    receive stopped -> ok end,
    Stamps.

node(Next, Me) ->
    receive
        {token, 0, T0} -> Me ! {done, erlang:monotonic_time(microsecond) - T0}, node(Next, Me);
        {token, K, T0} -> Next ! {token, K - 1, T0}, node(Next, Me);
        {stop, 1} -> Me ! stopped;
        {stop, K} -> Next ! {stop, K - 1}
    end.
