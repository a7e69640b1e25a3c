%% The maps module: new/put/get/find/remove/update/update_with/take/merge/
%% keys/values/to_list/from_list/from_keys/fold/map/filter/filtermap/with/
%% without/is_key/size/iterator/next/groups_from_list-free subset, plus errors.
-module(maps_lib).
-export([start/0]).

id(X) -> X.

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    M = id(#{apple => 3, banana => 5, cherry => 7}),
    p("new", maps:new()),
    p("put", maps:put(date, 9, M)),
    p("get", {maps:get(apple, M), maps:get(zzz, M, default)}),
    p("find", {maps:find(banana, M), maps:find(zzz, M)}),
    p("remove", {maps:remove(apple, M), maps:remove(zzz, M)}),
    p("update", maps:update(cherry, 70, M)),
    p("update_with", {maps:update_with(apple, fun(V) -> V * 2 end, M),
                      maps:update_with(fig, fun(V) -> V * 2 end, 1, M)}),
    p("take", {maps:take(apple, M), maps:take(zzz, M)}),
    p("merge", maps:merge(M, #{apple => 0, kiwi => 1})),
    p("merge_with", maps:merge_with(fun(_K, A, B) -> A + B end, M, #{apple => 10})),
    p("keys/values", {maps:keys(M), maps:values(M)}),
    p("to_list", maps:to_list(M)),
    p("from_list", maps:from_list([{b, 2}, {a, 1}, {b, 3}])),
    p("from_keys", maps:from_keys([x, y], 0)),
    p("fold", maps:fold(fun(K, V, Acc) -> [{V, K} | Acc] end, [], M)),
    p("map", maps:map(fun(_K, V) -> V + 1 end, M)),
    p("filter", maps:filter(fun(_K, V) -> V > 4 end, M)),
    p("filtermap", maps:filtermap(fun(apple, _) -> false; (_, V) -> {true, -V} end, M)),
    p("with/without", {maps:with([apple, zzz], M), maps:without([apple, zzz], M)}),
    p("is_key/size", {maps:is_key(apple, M), maps:is_key(nope, M), maps:size(M)}),
    p("iterator", iterate(maps:next(maps:iterator(M)))),
    p("foreach", maps:foreach(fun(_, _) -> ok end, M)),
    p("intersect", maps:intersect(M, #{apple => x, fig => y})),
    p("groups", maps:groups_from_list(fun(X) -> X rem 3 end, lists:seq(1, 7))),
    p("get badkey", err(fun() -> maps:get(zzz, M) end)),
    p("update badkey", err(fun() -> maps:update(zzz, 1, M) end)),
    p("get badmap", err(fun() -> maps:get(a, id(notmap)) end)),
    p("put badmap", err(fun() -> maps:put(a, 1, id([])) end)),
    p("from_list badarg", err(fun() -> maps:from_list(id([a])) end)),
    p("keys badmap", err(fun() -> maps:keys(id(1)) end)),
    ok.

iterate(none) -> [];
iterate({K, V, I}) -> [{K, V} | iterate(maps:next(I))].
