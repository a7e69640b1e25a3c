%% Traversal: ordered_set in term order, set/bag traversal after deletions,
%% first/next/last/prev edge cases and foldl/foldr.
-module(ets_order).
-export([start/0]).
-include("../include/printable.hrl").

t(F) -> try F() catch C:R -> {C, R} end.
show(Label, V) -> io:format("~s: ~w~n", [Label, printable(V)]).

walk(_T, '$end_of_table', _Step, Acc) -> lists:reverse(Acc);
walk(T, K, Step, Acc) -> walk(T, ets:Step(T, K), Step, [K | Acc]).

start() ->
    ordered(),
    hashed(set),
    hashed(bag),
    hashed(duplicate_bag),
    folds(),
    ok.

ordered() ->
    io:format("== ordered_set~n"),
    O = ets:new(o, [ordered_set]),
    Keys = [{t}, "s", <<"b">>, 3, 1, 2.5, a, -7, [], make_ref_free, {a, 1}, 1.0e10, [1 | 2]],
    [ets:insert(O, {K, v}) || K <- Keys],
    show("first/next", walk(O, ets:first(O), next, [])),
    show("last/prev", walk(O, ets:last(O), prev, [])),
    show("tab2list", [K || {K, _} <- ets:tab2list(O)]),
    show("next of absent", [ets:next(O, K) || K <- [0, 2, 2.6, b, zzz, <<"c">>]]),
    show("prev of absent", [ets:prev(O, K) || K <- [-100, 0, 2, b, zzz, <<"c">>]]),
    show("next of 1.0", ets:next(O, 1.0)),
    show("prev of 3.0", ets:prev(O, 3.0)),
    E = ets:new(e, [ordered_set]),
    show("empty", {ets:first(E), ets:last(E), ets:next(E, a), ets:prev(E, a)}).

hashed(Type) ->
    io:format("== ~w~n", [Type]),
    T = ets:new(h, [Type]),
    [ets:insert(T, {K, K * K}) || K <- lists:seq(1, 50)],
    ets:insert(T, {7, extra}),
    [ets:delete(T, K) || K <- lists:seq(1, 50, 3)],
    Walked = walk(T, ets:first(T), next, []),
    show("walk count", length(Walked)),
    show("walk keys", lists:sort(Walked)),
    show("no duplicates", length(Walked) =:= length(lists:usort(Walked))),
    Back = walk(T, ets:last(T), prev, []),
    show("last/prev same as first/next", Back =:= Walked),
    show("next of deleted", t(fun() -> ets:next(T, 1) end)),
    show("next of absent", t(fun() -> ets:next(T, nope) end)),
    show("next of 2.0", t(fun() -> ets:next(T, 2.0) end)),
    show("next of last", ets:next(T, lists:last(Walked))),
    show("size", ets:info(T, size)),
    Single = ets:new(s, [Type]),
    ets:insert(Single, {only}),
    show("single", {ets:first(Single), ets:last(Single), ets:next(Single, only),
                    ets:prev(Single, only)}),
    E = ets:new(e, [Type]),
    show("empty", {ets:first(E), ets:last(E), t(fun() -> ets:next(E, a) end)}),
    %% delete while walking, the usual way: fetch the next key first
    Drain = fun Loop('$end_of_table', N) -> N;
                Loop(K, N) -> Next = ets:next(T, K), ets:delete(T, K), Loop(Next, N + 1)
            end,
    show("drained", Drain(ets:first(T), 0)),
    show("drained size", ets:info(T, size)).

folds() ->
    io:format("== folds~n"),
    O = ets:new(o, [ordered_set]),
    ets:insert(O, [{3, c}, {1, a}, {2, b}]),
    show("foldl ordered", ets:foldl(fun({K, _}, Acc) -> [K | Acc] end, [], O)),
    show("foldr ordered", ets:foldr(fun({K, _}, Acc) -> [K | Acc] end, [], O)),
    S = ets:new(s, [set]),
    ets:insert(S, [{K, K} || K <- lists:seq(1, 20)]),
    show("foldl set sum", ets:foldl(fun({_, V}, Acc) -> V + Acc end, 0, S)),
    show("foldr set sorted", lists:sort(ets:foldr(fun({K, _}, Acc) -> [K | Acc] end, [], S))),
    B = ets:new(b, [bag]),
    ets:insert(B, {k, 1}), ets:insert(B, {k, 2}), ets:insert(B, {k, 3}),
    show("foldl bag", ets:foldl(fun({_, V}, Acc) -> [V | Acc] end, [], B)),
    show("foldr bag", ets:foldr(fun({_, V}, Acc) -> [V | Acc] end, [], B)),
    show("fold deleting", ets:foldl(fun({K, _}, N) -> ets:delete(S, K), N + 1 end, 0, S)),
    show("after fold deleting", ets:info(S, size)),
    show("fold bad table", t(fun() -> ets:foldl(fun(_, A) -> A end, 0, nosuch) end)).
