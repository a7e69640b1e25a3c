%% All four table types: insert, insert_new, lookup, member, lookup_element,
%% delete, delete_object, take, tab2list, delete_all_objects and info/2.
-module(ets_types).
-export([start/0]).

t(F) -> try F() catch C:R -> {C, R} end.
show(Label, V) -> io:format("~s: ~w~n", [Label, V]).
sorted(T) -> lists:sort(ets:tab2list(T)).

start() ->
    lists:foreach(fun types/1, [set, ordered_set, bag, duplicate_bag]),
    keys(),
    keypos(),
    info(),
    ok.

types(Type) ->
    io:format("== ~w~n", [Type]),
    T = ets:new(tab, [Type]),
    show("reference", is_reference(T)),
    show("insert", ets:insert(T, {a, 1})),
    ets:insert(T, {a, 2}),
    ets:insert(T, {a, 1}),
    ets:insert(T, [{b, 1}, {c, 3, x}]),
    show("lookup a", ets:lookup(T, a)),
    show("lookup none", ets:lookup(T, zz)),
    show("member", {ets:member(T, a), ets:member(T, zz)}),
    show("size", ets:info(T, size)),
    show("tab2list", sorted(T)),
    show("lookup_element", t(fun() -> ets:lookup_element(T, a, 2) end)),
    show("lookup_element c", ets:lookup_element(T, c, 3)),
    show("lookup_element big", t(fun() -> ets:lookup_element(T, b, 3) end)),
    show("lookup_element missing", t(fun() -> ets:lookup_element(T, zz, 2) end)),
    show("insert_new old", ets:insert_new(T, {a, 9})),
    show("insert_new list", ets:insert_new(T, [{d, 4}, {a, 9}])),
    show("insert_new fresh", ets:insert_new(T, [{d, 4}, {e, 5}])),
    show("after insert_new", sorted(T)),
    show("delete_object", ets:delete_object(T, {a, 1})),
    show("after delete_object", ets:lookup(T, a)),
    show("delete_object absent", ets:delete_object(T, {zz, 1})),
    show("delete", ets:delete(T, d)),
    show("delete absent", ets:delete(T, zz)),
    show("take", ets:take(T, c)),
    show("take again", ets:take(T, c)),
    show("after", sorted(T)),
    show("type", ets:info(T, type)),
    show("delete_all_objects", ets:delete_all_objects(T)),
    show("empty", {ets:tab2list(T), ets:info(T, size), ets:first(T)}),
    show("delete table", ets:delete(T)),
    show("gone", {ets:info(T), t(fun() -> ets:lookup(T, a) end)}).

keys() ->
    io:format("== keys~n"),
    S = ets:new(s, [set]),
    ets:insert(S, [{1, int}, {1.0, float}]),
    show("set 1 vs 1.0", {ets:lookup(S, 1), ets:lookup(S, 1.0), ets:info(S, size)}),
    O = ets:new(o, [ordered_set]),
    ets:insert(O, {1, int}),
    ets:insert(O, {1.0, float}),
    show("ordered_set 1 == 1.0", {ets:lookup(O, 1), ets:info(O, size)}),
    show("delete_object exact", {ets:delete_object(O, {1, float}), ets:tab2list(O)}),
    show("member 1", ets:member(O, 1)),
    show("take 1", ets:take(O, 1)),
    B = ets:new(b, [bag]),
    ets:insert(B, {k, 1}), ets:insert(B, {k, 1.0}), ets:insert(B, {k, 1}),
    show("bag exact objects", ets:lookup(B, k)),
    D = ets:new(d, [duplicate_bag]),
    ets:insert(D, {k, 1}), ets:insert(D, {k, 1}), ets:insert(D, {k, 2}),
    show("dbag", ets:lookup(D, k)),
    show("dbag delete_object", {ets:delete_object(D, {k, 1}), ets:lookup(D, k)}),
    ets:insert(S, [{k, 1}, {k, 2}]),
    show("set list last wins", ets:lookup(S, k)),
    Complex = {[1, 2], <<"bin">>, #{a => 1}},
    ets:insert(S, {Complex, yes}),
    show("complex key", ets:lookup(S, {[1, 2], <<"bin">>, #{a => 1}})).

keypos() ->
    io:format("== keypos~n"),
    K = ets:new(k, [{keypos, 2}]),
    show("too small", t(fun() -> ets:insert(K, {a}) end)),
    show("insert", ets:insert(K, [{a, b, c}, {x, y}])),
    show("lookup", ets:lookup(K, b)),
    show("lookup_element", ets:lookup_element(K, y, 1)),
    show("keypos", ets:info(K, keypos)),
    show("sorted", sorted(K)).

info() ->
    io:format("== info~n"),
    T = ets:new(plain, []),
    show("defaults", [ets:info(T, I) || I <- [name, size, type, named_table, keypos, protection]]),
    show("info/1 keys", [K || {K, _} <- ets:info(T)]),
    show("owner", ets:info(T, owner) =:= self()),
    show("id", ets:info(T, id) =:= T),
    show("heir", ets:info(T, heir)),
    N = ets:new(named, [named_table, public, ordered_set, {read_concurrency, true},
                        {write_concurrency, true}, compressed]),
    show("named returns name", N),
    show("named", [ets:info(named, I) || I <- [name, size, type, named_table, keypos, protection]]),
    show("whereis", {is_reference(ets:whereis(named)), ets:whereis(nothere)}),
    show("by reference", begin ets:insert(ets:whereis(named), {r, 1}), ets:lookup(named, r) end),
    show("in all", {lists:member(named, ets:all()), lists:member(T, ets:all())}),
    show("rename", ets:rename(named, renamed)),
    show("old name", {ets:info(named), t(fun() -> ets:lookup(named, r) end)}),
    show("new name", {ets:info(renamed, name), ets:lookup(renamed, r)}),
    show("new over existing", t(fun() -> ets:new(renamed, [named_table]) end)),
    show("unnamed twice", is_reference(ets:new(plain, []))),
    show("named reuse after rename", ets:new(named, [named_table])),
    show("rename onto taken", t(fun() -> ets:rename(renamed, named) end)),
    show("delete named", {ets:delete(renamed), ets:info(renamed), ets:whereis(renamed)}).
