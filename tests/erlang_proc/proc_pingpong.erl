%% Ping-pong between two processes: many rounds, counters carried in the
%% messages, both sides report through handshakes only.
-module(proc_pingpong).
-export([start/0]).

start() ->
    io:format("pingpong 1: ~p~n", [run(1)]),
    io:format("pingpong 1000: ~p~n", [run(1000)]),
    io:format("pingpong 20000: ~p~n", [run(20000)]),
    io:format("tagged: ~p~n", [tagged(500)]),
    io:format("two pongs: ~p~n", [two_pongs(300)]),
    io:format("yield pingpong: ~p~n", [yield_pingpong(200)]),
    ok.

pong() ->
    receive
        {ping, From, N} -> From ! {pong, N + 1}, pong();
        {stop, From} -> From ! {stopped, self()}
    end.

run(Rounds) ->
    Pong = spawn(fun pong/0),
    Last = loop(Pong, Rounds, 0),
    Pong ! {stop, self()},
    receive {stopped, Pong} -> ok end,
    {Rounds, Last}.

loop(_Pong, 0, Acc) -> Acc;
loop(Pong, K, Acc) ->
    Pong ! {ping, self(), Acc},
    receive {pong, N} -> loop(Pong, K - 1, N) end.

%% Each reply carries a unique reference: replies are matched exactly.
tagged(Rounds) ->
    Echo = spawn(fun echo/0),
    Sum = tagged_loop(Echo, Rounds, 0),
    Echo ! stop,
    Sum.

echo() ->
    receive
        {Ref, From, X} -> From ! {Ref, X * 2}, echo();
        stop -> ok
    end.

tagged_loop(_Echo, 0, Sum) -> Sum;
tagged_loop(Echo, K, Sum) ->
    Ref = make_ref(),
    Echo ! {Ref, self(), K},
    receive {Ref, V} -> tagged_loop(Echo, K - 1, Sum + V) end.

%% One pinger, two ponger processes served alternately.
two_pongs(Rounds) ->
    A = spawn(fun pong/0),
    B = spawn(fun pong/0),
    R = two_loop(A, B, Rounds, 0, []),
    [P ! {stop, self()} || P <- [A, B]],
    receive {stopped, A} -> ok end,
    receive {stopped, B} -> ok end,
    R.

two_loop(_A, _B, 0, N, Seen) -> {N, length(Seen)};
two_loop(A, B, K, N, Seen) ->
    A ! {ping, self(), N},
    N1 = receive {pong, X} -> X end,
    B ! {ping, self(), N1 * 2},
    N2 = receive {pong, Y} -> Y end,
    two_loop(A, B, K - 1, N2 rem 1000003, [K | Seen]).

%% Both sides call erlang:yield/0 between messages; it returns true.
yield_pingpong(Rounds) ->
    Me = self(),
    P = spawn(fun() -> yield_pong(Me, 0) end),
    yield_ping(P, Rounds),
    receive {yields, Y} -> {Rounds, Y} end.

yield_ping(P, 0) -> P ! done;
yield_ping(P, K) ->
    true = erlang:yield(),
    P ! {ping, K},
    receive {pong, K} -> yield_ping(P, K - 1) end.

yield_pong(Parent, Count) ->
    receive
        {ping, K} ->
            Y = erlang:yield(),
            Parent ! {pong, K},
            yield_pong(Parent, Count + (case Y of true -> 1; _ -> 0 end));
        done -> Parent ! {yields, Count}
    end.
