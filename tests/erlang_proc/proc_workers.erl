%% Fan-out/fan-in, a hand-written call/reply server with timeouts, a
%% barrier, and a supervisor-like trap_exit loop that restarts workers.
%% (No OTP behaviours: everything is plain spawn/receive.)
-module(proc_workers).
-export([start/0]).

start() ->
    fan_out(),
    server(),
    barrier(8),
    restarter(),
    trap_order(),
    ok.

fan_out() ->
    Me = self(),
    Jobs = lists:seq(1, 64),
    Tagged = [{J, spawn_worker(Me, J)} || J <- Jobs],
    %% collect in job order whatever the completion order
    Results = [receive {result, Ref, V} -> V end || {_, Ref} <- Tagged],
    io:format("fan-out: ~p sum=~p~n", [lists:sublist(Results, 8), lists:sum(Results)]).

spawn_worker(Me, J) ->
    Ref = make_ref(),
    spawn(fun() -> Me ! {result, Ref, fib(J rem 20)} end),
    Ref.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% a key/value server with call/cast and a call timeout
server() ->
    S = spawn(fun() -> kv(#{}) end),
    ok = call(S, {put, a, 1}),
    ok = call(S, {put, b, 2}),
    cast(S, {put, c, 3}),
    io:format("server get: ~p ~p ~p ~p~n",
              [call(S, {get, a}), call(S, {get, b}), call(S, {get, c}), call(S, {get, z})]),
    io:format("server keys: ~p~n", [call(S, keys)]),
    io:format("server slow call: ~p~n", [call(S, {sleep, 200}, 20)]),
    %% the late reply arrives afterwards and is flushed by its ref
    receive after 250 -> ok end,
    io:format("late replies flushed: ~p~n", [flush_late()]),
    io:format("server still up: ~p~n", [call(S, {get, a})]),
    R = monitor(process, S),
    cast(S, stop),
    receive {'DOWN', R, process, S, Why} -> io:format("server stopped: ~p~n", [Why]) end,
    io:format("call to dead server: ~p~n", [call(S, {get, a}, 50)]).

call(S, Req) -> call(S, Req, 5000).

call(S, Req, Timeout) ->
    Ref = make_ref(),
    S ! {call, self(), Ref, Req},
    receive {reply, Ref, Rep} -> Rep after Timeout -> put(late, [Ref | late()]), timeout end.

late() -> case get(late) of undefined -> []; L -> L end.

flush_late() ->
    Refs = late(),
    erase(late),
    [receive {reply, Ref, V} -> V after 0 -> none end || Ref <- Refs].

cast(S, Msg) -> S ! {cast, Msg}, ok.

kv(M) ->
    receive
        {call, From, Ref, {put, K, V}} -> From ! {reply, Ref, ok}, kv(M#{K => V});
        {call, From, Ref, {get, K}} -> From ! {reply, Ref, maps:get(K, M, undefined)}, kv(M);
        {call, From, Ref, keys} -> From ! {reply, Ref, lists:sort(maps:keys(M))}, kv(M);
        {call, From, Ref, {sleep, T}} ->
            receive after T -> ok end, From ! {reply, Ref, woke}, kv(M);
        {cast, {put, K, V}} -> kv(M#{K => V});
        {cast, stop} -> exit(stopped)
    end.

%% N processes wait at a barrier; none passes until all arrived.
barrier(N) ->
    Me = self(),
    B = spawn(fun() -> barrier_loop(N, []) end),
    Ps = [spawn(fun() ->
                        B ! {arrive, self()},
                        receive pass -> Me ! {passed, I} end
                end) || I <- lists:seq(1, N)],
    Passed = lists:sort([receive {passed, I} -> I end || _ <- Ps]),
    io:format("barrier: ~p~n", [Passed]).

barrier_loop(0, Waiting) -> [P ! pass || P <- Waiting];
barrier_loop(K, Waiting) -> receive {arrive, P} -> barrier_loop(K - 1, [P | Waiting]) end.

%% a trapping parent restarts a worker that crashes, at most 3 times
restarter() ->
    Me = self(),
    Sup = spawn(fun() ->
                        process_flag(trap_exit, true),
                        W = spawn_link(fun() -> flaky(1) end),
                        Me ! {restarts, sup_loop(W, 1, [])}
                end),
    R = monitor(process, Sup),
    receive {restarts, Log} -> io:format("restarter: ~p~n", [Log]) end,
    receive {'DOWN', R, process, Sup, Why} -> io:format("restarter ended: ~p~n", [Why]) end.

flaky(Gen) when Gen < 4 -> exit({crash, Gen});
flaky(_) -> done.

sup_loop(W, Gen, Log) ->
    receive
        {'EXIT', W, normal} -> lists:reverse([{Gen, normal} | Log]);
        {'EXIT', W, Reason} ->
            W2 = spawn_link(fun() -> flaky(Gen + 1) end),
            sup_loop(W2, Gen + 1, [{Gen, Reason} | Log])
    end.

%% exits from several linked processes, each released in turn: the
%% 'EXIT' messages arrive in the release order
trap_order() ->
    Me = self(),
    P = spawn(fun() ->
                      process_flag(trap_exit, true),
                      Ls = [spawn_link(fun() -> receive go -> exit({n, I}) end end)
                            || I <- lists:seq(1, 6)],
                      Order = [3, 1, 6, 2, 5, 4],
                      Got = [begin
                                 L = lists:nth(I, Ls),
                                 L ! go,
                                 receive {'EXIT', L, R} -> R end
                             end || I <- Order],
                      Me ! {order, Got}
              end),
    receive {order, Got} -> io:format("trap order: ~p~n", [Got]) end,
    _ = P,
    ok.
