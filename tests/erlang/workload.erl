%% A heavier mixed workload (the slow one of the corpus): n-queens, a prime
%% sieve, big-integer factorial and Fibonacci digits (within AtomVM's 256 bits), a Leibniz pi series, a
%% 31-bit LCG kept in the process dictionary, a sudoku solver over a tuple of
%% 81 candidate lists, and a word-frequency count in a map.
-module(workload).
-export([start/0]).

start() ->
    io:format("queens 8: ~p~n", [length(queens(8))]),
    io:format("first solution: ~p~n", [hd(queens(8))]),
    Primes = sieve(lists:seq(2, 3000)),
    io:format("primes below 3000: ~p, last ~p~n", [length(Primes), lists:last(Primes)]),
    io:format("trial division primes below 1000: ~p~n", [length([N || N <- lists:seq(2, 999), is_prime(N, 2)])]),
    F = fact(57),
    io:format("57! digits: ~p, digit sum ~p~n", [length(integer_to_list(F)), digit_sum(F)]),
    io:format("fib 360: ~p~n", [fib(360, 0, 1)]),
    io:format("pi (100000 terms): ~p~n", [pi(100000, 0, 1.0, 0.0)]),
    put(seed, 12345),
    io:format("lcg: ~p~n", [[lcg() rem 1000 || _ <- lists:seq(1, 10)]]),
    io:format("lcg 10000: ~p~n", [lists:foldl(fun(_, _) -> lcg() end, 0, lists:seq(1, 10000))]),
    Grid = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79",
    {solved, Sol} = solve(parse(Grid)),
    io:format("sudoku:~n~s", [[[integer_to_list(hd(element(R * 9 + C + 1, Sol))) || C <- lists:seq(0, 8)] ++ "\n" || R <- lists:seq(0, 8)]]),
    Text = string:lexemes(string:lowercase(lists:flatten(lists:duplicate(20, "the quick brown fox jumps over the lazy dog and the cat "))), " "),
    Freq = lists:foldl(fun(W, M) -> maps:update_with(W, fun(C) -> C + 1 end, 1, M) end, #{}, Text),
    io:format("word freq: ~p~n", [lists:sort(fun({_, A}, {_, B}) -> A >= B end, lists:sort(maps:to_list(Freq)))]),
    ok.

queens(N) -> queens(N, N, [[]]).
queens(_, 0, Sols) -> Sols;
queens(N, K, Sols) ->
    queens(N, K - 1, [[Q | Qs] || Qs <- Sols, Q <- lists:seq(1, N), safe(Q, Qs, 1)]).

safe(_, [], _) -> true;
safe(Q, [Q1 | Qs], D) -> Q =/= Q1 andalso abs(Q - Q1) =/= D andalso safe(Q, Qs, D + 1).

sieve([]) -> [];
sieve([P | T]) -> [P | sieve([X || X <- T, X rem P =/= 0])].

is_prime(N, D) when D * D > N -> true;
is_prime(N, D) when N rem D =:= 0 -> false;
is_prime(N, D) -> is_prime(N, D + 1).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

digit_sum(0) -> 0;
digit_sum(N) -> N rem 10 + digit_sum(N div 10).

fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).

pi(0, _, _, Acc) -> 4 * Acc;
pi(N, K, Sign, Acc) -> pi(N - 1, K + 1, -Sign, Acc + Sign / (2 * K + 1)).

lcg() ->
    S = get(seed),
    S1 = (S * 1103515245 + 12345) band 16#7FFFFFFF,
    put(seed, S1),
    S1.

%% Sudoku: a tuple of 81 cells, each a list of candidate digits.
parse(Str) ->
    list_to_tuple([case C of $. -> lists:seq(1, 9); _ -> [C - $0] end || C <- Str]).

peers(I) ->
    R = I div 9, C = I rem 9, BR = R div 3 * 3, BC = C div 3 * 3,
    lists:usort([R * 9 + X || X <- lists:seq(0, 8)] ++ [X * 9 + C || X <- lists:seq(0, 8)] ++
                [(BR + Y) * 9 + BC + X || Y <- lists:seq(0, 2), X <- lists:seq(0, 2)]) -- [I].

propagate(G) ->
    G1 = lists:foldl(fun(I, Acc) ->
                             case element(I + 1, Acc) of
                                 [V] -> lists:foldl(fun(P, A2) -> setelement(P + 1, A2, lists:delete(V, element(P + 1, A2))) end, Acc, peers(I));
                                 _ -> Acc
                             end
                     end, G, lists:seq(0, 80)),
    if G1 =:= G -> G; true -> propagate(G1) end.

solve(G0) ->
    G = propagate(G0),
    Cells = tuple_to_list(G),
    case lists:any(fun(C) -> C =:= [] end, Cells) of
        true -> failed;
        false ->
            case [{length(C), I} || {C, I} <- lists:zip(Cells, lists:seq(0, 80)), length(C) > 1] of
                [] -> {solved, G};
                Open ->
                    {_, I} = lists:min(Open),
                    try_values(G, I, element(I + 1, G))
            end
    end.

try_values(_, _, []) -> failed;
try_values(G, I, [V | Vs]) ->
    case solve(setelement(I + 1, G, [V])) of
        {solved, S} -> {solved, S};
        failed -> try_values(G, I, Vs)
    end.
