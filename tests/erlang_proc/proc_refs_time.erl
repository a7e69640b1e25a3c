%% make_ref uniqueness (in one process and across processes), self()
%% comparisons, erlang:yield/0, monotonic and system time consistency
%% (booleans only, never raw times).
-module(proc_refs_time).
-export([start/0]).

start() ->
    Me = self(),
    Refs = [make_ref() || _ <- lists:seq(1, 5000)],
    io:format("refs unique: ~p~n", [length(lists:usort(Refs)) =:= 5000]),
    io:format("ref equal self: ~p ~p~n", [hd(Refs) =:= hd(Refs), hd(Refs) =:= lists:last(Refs)]),
    Kids = [spawn(fun() -> Me ! {refs, self(), [make_ref() || _ <- lists:seq(1, 200)]} end)
            || _ <- lists:seq(1, 10)],
    KidRefs = lists:append([receive {refs, K, Rs} -> Rs end || K <- Kids]),
    io:format("refs unique across processes: ~p~n",
              [length(lists:usort(KidRefs ++ Refs)) =:= 7000]),
    io:format("ref is_reference: ~p, not pid: ~p~n", [is_reference(hd(Refs)), is_pid(hd(Refs))]),
    %% self() comparisons
    spawn(fun() -> Me ! {me, self(), self() =:= Me, self() == self()} end),
    receive {me, Other, SameAsParent, SameAsSelf} ->
            io:format("self: ~p ~p ~p ~p~n", [SameAsParent, SameAsSelf, Other =/= Me,
                                              lists:sort([Other, Me]) =:= lists:sort([Me, Other])])
    end,
    io:format("pid vs ref vs port order: ~p~n", [lists:sort([hd(Refs), self(), 1, atom])
                                                 =:= [1, atom, hd(Refs), self()]]),
    %% yield
    io:format("yield: ~p~n", [erlang:yield()]),
    %% monotonic time never goes back
    Ms = [erlang:monotonic_time() || _ <- lists:seq(1, 1000)],
    io:format("monotonic non-decreasing: ~p~n", [Ms =:= lists:sort(Ms)]),
    %% units agree: seconds <= millis div 1000 <= ... taken in order
    S1 = erlang:system_time(second),
    Ms1 = erlang:system_time(millisecond),
    Us1 = erlang:system_time(microsecond),
    Ns1 = erlang:system_time(nanosecond),
    io:format("system_time units ordered: ~p ~p ~p~n",
              [S1 =< Ms1 div 1000, Ms1 =< Us1 div 1000, Us1 =< Ns1 div 1000]),
    io:format("system_time units close: ~p ~p~n",
              [Ms1 div 1000 - S1 =< 1, Us1 div 1000 - Ms1 =< 1000]),
    io:format("system_time plausible (after 2020): ~p~n", [S1 > 1577836800]),
    io:format("convert_time_unit: ~p ~p ~p~n",
              [erlang:convert_time_unit(1, second, millisecond),
               erlang:convert_time_unit(1500, millisecond, second),
               erlang:convert_time_unit(erlang:convert_time_unit(1, second, native),
                                        native, microsecond)]),
    {Mega, Sec, Micro} = erlang:timestamp(),
    TsUs = (Mega * 1000000 + Sec) * 1000000 + Micro,
    io:format("timestamp consistent: ~p~n", [abs(TsUs - erlang:system_time(microsecond)) < 2000000]),
    %% time passes while a process sleeps, as seen by both monotonic and system time
    M0 = erlang:monotonic_time(millisecond),
    Sys0 = erlang:system_time(millisecond),
    receive after 100 -> ok end,
    M1 = erlang:monotonic_time(millisecond),
    Sys1 = erlang:system_time(millisecond),
    io:format("slept 100: mono ~p sys ~p~n", [M1 - M0 >= 100, Sys1 - Sys0 >= 99]),
    %% a sleeping child measures its own sleep
    spawn(fun() ->
                  T0 = erlang:monotonic_time(microsecond),
                  receive after 30 -> ok end,
                  Me ! {slept, erlang:monotonic_time(microsecond) - T0 >= 30000}
          end),
    receive {slept, Ok} -> io:format("child slept: ~p~n", [Ok]) end,
    %% unique_integer
    Us = [erlang:unique_integer() || _ <- lists:seq(1, 1000)],
    Ps = [erlang:unique_integer([positive, monotonic]) || _ <- lists:seq(1, 1000)],
    io:format("unique_integer: ~p ~p ~p~n",
              [length(lists:usort(Us)) =:= 1000, Ps =:= lists:usort(Ps), hd(Ps) > 0]),
    ok.
