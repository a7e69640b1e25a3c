%% avmsim only (esp32-devkit, 2 cores): two CPU-bound processes finish the
%% same work sooner in virtual time than one process doing it twice; with
%% erlang:system_flag(schedulers_online, 1) the speedup is gone. Prints
%% categories of Parallel/Sequential virtual times, never raw times.
-module(vt_parallel).
-export([start/0]).

-define(WORK, 21).

start() ->
    Seq = sequential(),
    Par = parallel(),
    io:format("two cores: ~s~n", [category(Par, Seq)]),
    Old = erlang:system_flag(schedulers_online, 1),
    io:format("system_flag returned: ~p~n", [Old]),
    Seq1 = sequential(),
    Par1 = parallel(),
    io:format("one core: ~s~n", [category(Par1, Seq1)]),
    io:format("sequential unchanged: ~p~n", [abs(Seq1 - Seq) * 20 < Seq]),
    Old1 = erlang:system_flag(schedulers_online, 2),
    io:format("system_flag returned: ~p~n", [Old1]),
    Par2 = parallel(),
    io:format("two cores again: ~s~n", [category(Par2, Seq)]),
    ok.

work() -> fib(?WORK).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

now_us() -> erlang:monotonic_time(microsecond).

sequential() ->
    T0 = now_us(),
    R1 = work(),
    R2 = work(),
    true = R1 =:= R2,
    now_us() - T0.

parallel() ->
    Me = self(),
    T0 = now_us(),
    Ps = [spawn(fun() -> Me ! {done, self(), work()} end) || _ <- [1, 2]],
    [receive {done, P, _} -> ok end || P <- Ps],
    now_us() - T0.

%% Par/Seq: about 0.5 with two cores, about 1.0 with one
category(Par, Seq) when Par * 100 < Seq * 65 -> "speedup (parallel < 0.65 x sequential)";
category(Par, Seq) when Par * 100 > Seq * 90 -> "no speedup (parallel > 0.9 x sequential)";
category(_, _) -> "in between".
