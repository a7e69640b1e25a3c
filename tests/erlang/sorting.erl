%% Sorting and term order: lists:sort/1,2, usort, keysort on different
%% positions, sort of mixed types, sort stability with a custom fun
%% (stable for =< funs), merge sort of large lists, and hand-written sorts.
-module(sorting).
-export([start/0]).

start() ->
    Mixed = [{b}, "str", 3, a, <<"bin">>, [1], 2.5, {a, b}, #{k => v}, [], -1, 'Z', <<1, 2>>, 1 bsl 70],   % no bitstrings on AtomVM
    io:format("mixed: ~w~n", [lists:sort(Mixed)]),
    io:format("mixed desc: ~w~n", [lists:sort(fun(A, B) -> A >= B end, Mixed)]),
    io:format("usort: ~w~n", [lists:usort([c, a, b, a, c, [x], [x], {1}, {1}])]),
    Recs = [{3, c}, {1, a}, {2, b}, {1, z}, {3, a}],
    io:format("keysort 1: ~w~n", [lists:keysort(1, Recs)]),
    io:format("keysort 2: ~w~n", [lists:keysort(2, Recs)]),
    io:format("stable fun: ~w~n", [lists:sort(fun({A, _}, {B, _}) -> A =< B end, Recs)]),
    io:format("ukeysort: ~w~n", [lists:ukeysort(1, Recs)]),
    io:format("sort strings: ~p~n", [lists:sort(["banana", "apple", "cherry", "apple pie", "Zebra", ""])]),
    io:format("sort binaries: ~p~n", [lists:sort([<<"b">>, <<"a">>, <<"ab">>, <<>>, <<"a", 0>>])]),
    io:format("sort tuples: ~w~n", [lists:sort([{2, a}, {1, b, c}, {1, a}, {}, {0}])]),
    Big = [(I * 7919) rem 10007 || I <- lists:seq(1, 5000)],
    Sorted = lists:sort(Big),
    io:format("big sort: ~p ~p ~p ~p~n", [length(Sorted), hd(Sorted), lists:last(Sorted), is_sorted(Sorted)]),
    io:format("big rsort first: ~p~n", [lists:sublist(lists:reverse(Sorted), 5)]),
    io:format("msort: ~w~n", [msort([5, 2, 9, 1, 5, 6, 0, -3])]),
    io:format("isort: ~w~n", [isort([c, b, a, d], [])]),
    io:format("sort by length: ~p~n", [lists:sort(fun(A, B) -> length(A) =< length(B) end, ["ccc", "a", "bb", "", "dd"])]),
    io:format("max/min of mixed: ~w ~w~n", [lists:max(Mixed), lists:min(Mixed)]),
    ok.

is_sorted([A, B | T]) when A =< B -> is_sorted([B | T]);
is_sorted([_, _ | _]) -> false;
is_sorted(_) -> true.

msort([]) -> [];
msort([X]) -> [X];
msort(L) ->
    {A, B} = lists:split(length(L) div 2, L),
    merge(msort(A), msort(B)).

merge([], B) -> B;
merge(A, []) -> A;
merge([X | A], [Y | _] = B) when X =< Y -> [X | merge(A, B)];
merge(A, [Y | B]) -> [Y | merge(A, B)].

isort([], Acc) -> Acc;
isort([H | T], Acc) -> isort(T, ins(H, Acc)).

ins(X, []) -> [X];
ins(X, [H | T]) when X =< H -> [X, H | T];
ins(X, [H | T]) -> [H | ins(X, T)].
