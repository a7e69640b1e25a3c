%% Time and causality across processes: a message is never received
%% before (in monotonic time) it was sent, a timer never fires early, a
%% DOWN never arrives before the exit, even while CPU-bound processes keep
%% other schedulers busy. Prints booleans only.
-module(proc_causality).
-export([start/0]).

now_us() -> erlang:monotonic_time(microsecond).

start() ->
    Me = self(),
    Burners = [spawn(fun() -> burner(0) end) || _ <- [1, 2, 3]],
    %% ping-pong carrying send times
    P = spawn(fun() -> echo_time() end),
    Checks = [begin
                  Sent = now_us(),
                  P ! {ping, Me, Sent},
                  receive {pong, TheirRecv, TheirSent} ->
                          Back = now_us(),
                          TheirRecv >= Sent andalso Back >= TheirSent andalso TheirSent >= TheirRecv
                  end
              end || _ <- lists:seq(1, 200)],
    io:format("ping-pong causal: ~p~n", [lists:all(fun(B) -> B end, Checks)]),
    %% a chain of processes each stamping the message
    Chain = lists:foldl(fun(_, Next) -> spawn(fun() -> stamp(Next) end) end, Me, lists:seq(1, 50)),
    Chain ! {stamps, [now_us()]},
    Stamps = receive {stamps, S} -> lists:reverse([now_us() | S]) end,
    io:format("chain stamps ordered: ~p ~p~n", [Stamps =:= lists:sort(Stamps), length(Stamps)]),
    %% timers never fire early
    Early = [begin
                 T0 = now_us(),
                 erlang:send_after(D, Me, {fired, D}),
                 receive {fired, D} -> now_us() - T0 >= D * 1000 end
             end || D <- [1, 2, 5, 13, 40]],
    io:format("timers not early: ~p~n", [Early]),
    %% start_timer set by another process, aimed at us
    T1 = now_us(),
    spawn(fun() -> erlang:start_timer(25, Me, other) end),
    receive {timeout, _, other} -> io:format("foreign timer not early: ~p~n", [now_us() - T1 >= 25000]) end,
    %% the DOWN of a process that recorded its exit time comes after that time
    {D1, R1} = spawn_monitor(fun() -> Me ! {exiting, now_us()}, exit(bye) end),
    Exiting = receive {exiting, E} -> E end,
    receive {'DOWN', R1, process, D1, bye} ->
            io:format("down after exit: ~p~n", [now_us() >= Exiting])
    end,
    [exit(B, kill) || B <- Burners],
    ok.

burner(N) ->
    receive after 0 -> ok end,
    burner((N + 1) rem 1000).

echo_time() ->
    receive
        {ping, From, _Sent} ->
            Recv = now_us(),
            _ = lists:seq(1, 50),
            From ! {pong, Recv, now_us()},
            echo_time()
    end.

stamp(Next) ->
    receive {stamps, S} -> Next ! {stamps, [now_us() | S]} end.
