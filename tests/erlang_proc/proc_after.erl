%% receive ... after: 0, N ms, infinity with a message that comes later;
%% elapsed monotonic time is at least the timeout (printed as booleans only).
-module(proc_after).
-export([start/0]).

start() ->
    Me = self(),
    io:format("after 0, empty: ~p~n", [receive _ -> msg after 0 -> timeout end]),
    Me ! hello,
    io:format("after 0, message: ~p~n", [receive M -> M after 0 -> timeout end]),
    lists:foreach(fun(T) ->
                          T0 = erlang:monotonic_time(millisecond),
                          R = receive nothing_comes -> msg after T -> timeout end,
                          T1 = erlang:monotonic_time(millisecond),
                          io:format("after ~p: ~p elapsed_ok=~p~n", [T, R, T1 - T0 >= T])
                  end, [1, 10, 50, 200]),
    %% microsecond and native resolution agree
    T0u = erlang:monotonic_time(microsecond),
    T0n = erlang:monotonic_time(),
    receive after 25 -> ok end,
    T1u = erlang:monotonic_time(microsecond),
    T1n = erlang:monotonic_time(),
    io:format("us delta >= 25000: ~p, native delta >= 25ms: ~p~n",
              [T1u - T0u >= 25000,
               erlang:convert_time_unit(T1n - T0n, native, microsecond) >= 25000]),
    %% infinity, with a message sent later by another process
    spawn(fun() -> receive after 30 -> Me ! late end end),
    T2 = erlang:monotonic_time(millisecond),
    R2 = receive late -> got_late after infinity -> never end,
    T3 = erlang:monotonic_time(millisecond),
    io:format("infinity: ~p waited_ok=~p~n", [R2, T3 - T2 >= 30]),
    %% a message arriving before the timeout wins
    spawn(fun() -> receive after 10 -> Me ! early end end),
    io:format("message before timeout: ~p~n", [receive early -> early after 5000 -> timeout end]),
    %% a non-matching message does not stop the timer
    spawn(fun() -> Me ! noise end),
    T4 = erlang:monotonic_time(millisecond),
    R4 = receive wanted -> wanted after 40 -> timeout end,
    T5 = erlang:monotonic_time(millisecond),
    io:format("noise then timeout: ~p waited_ok=~p noise_kept=~p~n",
              [R4, T5 - T4 >= 40, receive noise -> true after 0 -> false end]),
    %% the timeout can be a variable, and computed
    Ts = [0, 1, 2],
    io:format("computed: ~p~n", [[receive x -> x after T * 3 -> T end || T <- Ts]]),
    %% an invalid timeout raises timeout_value
    Bad = [-1, foo, 1.5],
    io:format("bad timeouts: ~p~n",
              [[try receive x -> x after B -> t end catch error:E -> E end || B <- Bad]]),
    %% sleeping processes wake in timeout order
    [spawn(fun() -> receive after T -> Me ! {woke, T} end end) || T <- [90, 30, 60, 10]],
    io:format("wake order: ~p~n", [[receive {woke, T} -> T end || _ <- [1, 2, 3, 4]]]),
    %% a receive loop with a timeout that drains the mailbox
    [Me ! {n, I} || I <- lists:seq(1, 5)],
    io:format("loop: ~p~n", [loop(0)]),
    %% timer:sleep/1
    T6 = erlang:monotonic_time(millisecond),
    ok = timer:sleep(20),
    T7 = erlang:monotonic_time(millisecond),
    io:format("timer:sleep: ~p~n", [T7 - T6 >= 20]),
    ok.

loop(Acc) ->
    receive {n, I} -> loop(Acc + I) after 20 -> {done, Acc} end.
