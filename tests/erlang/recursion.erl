%% Deep non-tail recursion (100k frames), long tail loops, accumulators,
%% mutual recursion, and stack-heavy list building.
-module(recursion).
-export([start/0]).

start() ->
    io:format("len_body 100000: ~p~n", [len_body(lists:seq(1, 100000))]),
    io:format("sum_body 100000: ~p~n", [sum_body(100000)]),
    io:format("build 100000: ~p~n", [length(build(100000))]),
    io:format("map_body last: ~p~n", [lists:last(map_body(fun(X) -> X * 3 end, lists:seq(1, 100000)))]),
    io:format("tail loop 1000000: ~p~n", [loop(1000000, 0)]),
    io:format("fib 25: ~p~n", [fib(25)]),
    io:format("ackermann(2,3): ~p~n", [ack(2, 3)]),
    io:format("hanoi 16 moves: ~p~n", [hanoi(16, a, b, c)]),
    io:format("deep tuple nest depth: ~p~n", [depth(nest(50000))]),
    io:format("collatz longest below 3000: ~p~n", [collatz_max(1, 3000, {0, 0})]),
    ok.

len_body([]) -> 0;
len_body([_ | T]) -> 1 + len_body(T).

sum_body(0) -> 0;
sum_body(N) -> N + sum_body(N - 1).

build(0) -> [];
build(N) -> [N | build(N - 1)].

map_body(_, []) -> [];
map_body(F, [H | T]) -> [F(H) | map_body(F, T)].

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, (Acc + N) rem 1000003).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

ack(0, N) -> N + 1;
ack(M, 0) -> ack(M - 1, 1);
ack(M, N) -> ack(M - 1, ack(M, N - 1)).

hanoi(0, _, _, _) -> 0;
hanoi(N, From, To, Via) ->
    hanoi(N - 1, From, Via, To) + 1 + hanoi(N - 1, Via, To, From).

nest(0) -> leaf;
nest(N) -> {node, nest(N - 1)}.

depth(leaf) -> 0;
depth({node, T}) -> 1 + depth(T).

collatz_max(N, Max, Best) when N >= Max -> Best;
collatz_max(N, Max, {_, BestLen} = Best) ->
    L = collatz(N, 1),
    collatz_max(N + 1, Max, if L > BestLen -> {N, L}; true -> Best end).

collatz(1, Acc) -> Acc;
collatz(N, Acc) when N rem 2 =:= 0 -> collatz(N div 2, Acc + 1);
collatz(N, Acc) -> collatz(3 * N + 1, Acc + 1).
