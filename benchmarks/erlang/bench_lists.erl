%% List building and walking: build, map, filter, reverse and sum lists of 20k integers.
-module(bench_lists).
-export([start/0]).
start() -> loop(20, 0).
loop(0, Acc) -> Acc;
loop(N, Acc) ->
    L = build(20000, []),
    M = map(L, []),
    F = filter(M, []),
    loop(N - 1, Acc + sum(F, 0)).
build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).
map([], Acc) -> reverse(Acc, []);
map([H | T], Acc) -> map(T, [H * 3 | Acc]).
filter([], Acc) -> Acc;
filter([H | T], Acc) when H rem 2 =:= 0 -> filter(T, [H | Acc]);
filter([_ | T], Acc) -> filter(T, Acc).
reverse([], Acc) -> Acc;
reverse([H | T], Acc) -> reverse(T, [H | Acc]).
sum([], Acc) -> Acc;
sum([H | T], Acc) -> sum(T, Acc + H).
