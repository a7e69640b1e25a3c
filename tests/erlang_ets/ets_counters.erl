%% update_counter/3,4 in all forms and update_element/3.
-module(ets_counters).
-export([start/0]).
-include("../include/printable.hrl").

t(F) -> try F() catch C:R -> {C, R} end.
show(Label, V) -> io:format("~s: ~w~n", [Label, printable(V)]).

start() ->
    lists:foreach(fun counters/1, [set, ordered_set]),
    errors(),
    elements(),
    ok.

counters(Type) ->
    io:format("== ~w~n", [Type]),
    T = ets:new(c, [Type]),
    ets:insert(T, {n, 10, 100, x}),
    show("incr", ets:update_counter(T, n, 1)),
    show("decr", ets:update_counter(T, n, -3)),
    show("pos", ets:update_counter(T, n, {3, 5})),
    show("big", ets:update_counter(T, n, {3, 1 bsl 70})),
    show("back", ets:update_counter(T, n, {3, -(1 bsl 70)})),
    show("threshold up", ets:update_counter(T, n, {2, 10, 15, 0})),
    show("threshold up not reached", ets:update_counter(T, n, {2, 10, 15, 0})),
    show("threshold exact", ets:update_counter(T, n, {2, 5, 15, 0})),
    show("threshold zero incr", ets:update_counter(T, n, {2, 0, 14, -1})),
    show("threshold down", ets:update_counter(T, n, {3, -200, 0, 7})),
    show("threshold down not reached", ets:update_counter(T, n, {3, -2, 0, 7})),
    show("list", ets:update_counter(T, n, [{2, 1}, {3, 1}, {2, 10, 5, 100}])),
    show("empty list", ets:update_counter(T, n, [])),
    show("object", ets:lookup(T, n)),
    show("default", ets:update_counter(T, m, {2, 5}, {ignored, 1})),
    show("default list", ets:update_counter(T, p, [{2, 1}, {3, -1}], {ignored, 0, 0})),
    show("default unused", ets:update_counter(T, m, 1, {ignored, 1000})),
    show("incr default", ets:update_counter(T, q, 7, {x, 3})),
    show("after", lists:sort(ets:tab2list(T))),
    show("missing", t(fun() -> ets:update_counter(T, zz, 1) end)),
    show("missing empty list", t(fun() -> ets:update_counter(T, zz, []) end)).

errors() ->
    io:format("== errors~n"),
    T = ets:new(c, []),
    ets:insert(T, {a, 1, x, 2.0}),
    Bad = [3, 2.5, {1, 1}, {3, 1}, {4, 1}, {5, 1}, {0, 1}, {2, 1.0}, {2, 1, 1},
           {2, 1, 1.0, 1}, {2, 1, 1, x}, [1], [{2, 1}, {3, 1}], [{2, 1} | x], foo],
    lists:foreach(fun(Op) -> show("bad op", {Op, t(fun() -> ets:update_counter(T, a, Op) end)}) end,
                  Bad),
    show("object unchanged", ets:lookup(T, a)),
    show("not a tuple default", t(fun() -> ets:update_counter(T, a, 1, foo) end)),
    show("default too small", t(fun() -> ets:update_counter(T, b, {3, 1}, {x, 7}) end)),
    show("default not integer", t(fun() -> ets:update_counter(T, b, 1, {x, y}) end)),
    show("no default inserted", ets:lookup(T, b)),
    B = ets:new(b, [bag]),
    ets:insert(B, {a, 1}),
    show("bag", t(fun() -> ets:update_counter(B, a, 1) end)),
    D = ets:new(d, [duplicate_bag]),
    ets:insert(D, {a, 1}),
    show("duplicate_bag", t(fun() -> ets:update_counter(D, a, 1, {a, 0}) end)),
    K = ets:new(k, [{keypos, 2}]),
    ets:insert(K, {5, a, 6}),
    show("keypos 2 incr", ets:update_counter(K, a, 1)),
    show("keypos 2 pos 1", ets:update_counter(K, a, {1, 1})),
    show("keypos 2 on key", t(fun() -> ets:update_counter(K, a, {2, 1}) end)),
    show("keypos 2 default", ets:update_counter(K, z, {1, 1}, {0, ignored})),
    show("keypos 2 after", lists:sort(ets:tab2list(K))).

elements() ->
    io:format("== update_element~n"),
    T = ets:new(e, [ordered_set]),
    ets:insert(T, {1, a, b, c}),
    show("one", ets:update_element(T, 1, {2, x})),
    show("list", ets:update_element(T, 1.0, [{3, y}, {4, z}, {3, w}])),
    show("empty list", ets:update_element(T, 1, [])),
    show("object", ets:lookup(T, 1)),
    show("missing", ets:update_element(T, 2, {2, x})),
    show("missing bad spec", ets:update_element(T, 2, foo)),
    show("key pos", t(fun() -> ets:update_element(T, 1, {1, 2}) end)),
    show("too far", t(fun() -> ets:update_element(T, 1, {5, 2}) end)),
    show("partly bad", t(fun() -> ets:update_element(T, 1, [{2, q}, {9, q}]) end)),
    show("bad spec", t(fun() -> ets:update_element(T, 1, {2}) end)),
    show("unchanged", ets:lookup(T, 1)),
    B = ets:new(b, [bag]),
    ets:insert(B, {1, a}),
    show("bag", t(fun() -> ets:update_element(B, 1, {2, x}) end)).
