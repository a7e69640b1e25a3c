%% @doc Map functions for avmsim (AtomVM compatible).
%%
%% Natives implemented by the VM (NOT defined here, always called
%% remotely): get/2, find/2, put/3, remove/2, update/3, is_key/2, keys/1,
%% values/1, to_list/1, from_list/1, merge/2, take/2, next/1, from_keys/2.
%%
%% An iterator is AtomVM's: `[Index | Map]' (Index into the term ordered
%% keys) or `[Keys | Map]' (the keys left to visit, as iterator/2 ordered
%% them), `none' or `{Key, Value, NextIterator}'; maps:next/1 is native.
%% iterator/2 takes AtomVM's orders: undefined, ordered, reversed or a
%% fun((K1, K2) -> boolean()) as for lists:sort/2 (OTP 26 iterators are
%% opaque tuples; AtomVM's and ours are these lists).
%%
%% Error reasons follow OTP: {badmap, M} for a non-map, {badkey, K} for a
%% missing key, badarg for other bad arguments (a bad fun is reported as
%% badarg before the map is looked at).
-module(maps).

-compile({no_auto_import, [size/1]}).

-export([
    new/0, size/1, get/3, iterator/1, iterator/2,
    fold/3, map/2, filter/2, filtermap/2, foreach/2,
    with/2, without/2, update_with/3, update_with/4,
    groups_from_list/2, groups_from_list/3,
    intersect/2, intersect_with/3, merge_with/3
]).

new() -> #{}.

size(M) when is_map(M) -> map_size(M);
size(M) -> erlang:error({badmap, M}, [M]).

get(K, M, Default) when is_map(M) ->
    case M of
        #{K := V} -> V;
        #{} -> Default
    end;
get(K, M, Default) ->
    erlang:error({badmap, M}, [K, M, Default]).

iterator(M) when is_map(M) -> [0 | M];
iterator(M) -> erlang:error({badmap, M}, [M]).

iterator(M, undefined) when is_map(M) ->
    [0 | M];
iterator(M, ordered) when is_map(M) ->
    [lists:sort(maps:keys(M)) | M];
iterator(M, reversed) when is_map(M) ->
    [lists:reverse(lists:sort(maps:keys(M))) | M];
iterator(M, Order) when is_map(M), is_function(Order, 2) ->
    [lists:sort(Order, maps:keys(M)) | M];
iterator(M, Order) when is_map(M) ->
    erlang:error(badarg, [M, Order]);
iterator(M, Order) ->
    erlang:error({badmap, M}, [M, Order]).

%%-----------------------------------------------------------------------
%% Traversal helpers: turn a map or an iterator into a key/value list.
%%-----------------------------------------------------------------------

is_iter([I | M]) when is_integer(I) orelse is_list(I), is_map(M) -> true;
is_iter({_, _, _}) -> true;
is_iter(none) -> true;
is_iter(_) -> false.

pairs(M) when is_map(M) -> maps:to_list(M);
pairs(I) -> iter_pairs(maps:next(I)).

iter_pairs({K, V, I}) -> [{K, V} | iter_pairs(maps:next(I))];
iter_pairs(none) -> [].

map_error(M, Args) when is_map(M) -> erlang:error(badarg, Args);
map_error(M, Args) -> erlang:error({badmap, M}, Args).

%%-----------------------------------------------------------------------

fold(F, Acc, M) when is_function(F, 3) ->
    case is_map(M) orelse is_iter(M) of
        true -> fold_1(F, Acc, pairs(M));
        false -> erlang:error({badmap, M}, [F, Acc, M])
    end;
fold(F, Acc, M) ->
    erlang:error(badarg, [F, Acc, M]).

fold_1(F, Acc, [{K, V} | T]) -> fold_1(F, F(K, V, Acc), T);
fold_1(_, Acc, []) -> Acc.

map(F, M) when is_function(F, 2) ->
    case is_map(M) orelse is_iter(M) of
        true -> maps:from_list([{K, F(K, V)} || {K, V} <- pairs(M)]);
        false -> erlang:error({badmap, M}, [F, M])
    end;
map(F, M) ->
    erlang:error(badarg, [F, M]).

filter(P, M) when is_function(P, 2) ->
    case is_map(M) orelse is_iter(M) of
        true -> maps:from_list([KV || {K, V} = KV <- pairs(M), P(K, V)]);
        false -> erlang:error({badmap, M}, [P, M])
    end;
filter(P, M) ->
    erlang:error(badarg, [P, M]).

filtermap(F, M) when is_function(F, 2) ->
    case is_map(M) orelse is_iter(M) of
        true -> maps:from_list(filtermap_1(F, pairs(M)));
        false -> erlang:error({badmap, M}, [F, M])
    end;
filtermap(F, M) ->
    erlang:error(badarg, [F, M]).

filtermap_1(F, [{K, V} | T]) ->
    case F(K, V) of
        true -> [{K, V} | filtermap_1(F, T)];
        {true, V1} -> [{K, V1} | filtermap_1(F, T)];
        false -> filtermap_1(F, T)
    end;
filtermap_1(_, []) -> [].

foreach(F, M) when is_function(F, 2) ->
    case is_map(M) orelse is_iter(M) of
        true -> foreach_1(F, pairs(M));
        false -> erlang:error({badmap, M}, [F, M])
    end;
foreach(F, M) ->
    erlang:error(badarg, [F, M]).

foreach_1(F, [{K, V} | T]) -> F(K, V), foreach_1(F, T);
foreach_1(_, []) -> ok.

with(Ks, M) when is_list(Ks), is_map(M) ->
    with_1(Ks, M, #{});
with(Ks, M) ->
    map_error(M, [Ks, M]).

with_1([K | Ks], M, Acc) ->
    case M of
        #{K := V} -> with_1(Ks, M, Acc#{K => V});
        #{} -> with_1(Ks, M, Acc)
    end;
with_1([], _, Acc) -> Acc.

without(Ks, M) when is_list(Ks), is_map(M) ->
    without_1(Ks, M);
without(Ks, M) ->
    map_error(M, [Ks, M]).

without_1([K | Ks], M) -> without_1(Ks, maps:remove(K, M));
without_1([], M) -> M.

update_with(K, F, M) when is_function(F, 1), is_map(M) ->
    case M of
        #{K := V} -> M#{K := F(V)};
        #{} -> erlang:error({badkey, K}, [K, F, M])
    end;
update_with(K, F, M) ->
    map_error(M, [K, F, M]).

update_with(K, F, Init, M) when is_function(F, 1), is_map(M) ->
    case M of
        #{K := V} -> M#{K := F(V)};
        #{} -> M#{K => Init}
    end;
update_with(K, F, Init, M) ->
    map_error(M, [K, F, Init, M]).

groups_from_list(F, L) when is_function(F, 1), is_list(L) ->
    groups_1(L, F, fun(X) -> X end, #{}, [F, L]);
groups_from_list(F, L) ->
    erlang:error(badarg, [F, L]).

groups_from_list(F, VF, L) when is_function(F, 1), is_function(VF, 1), is_list(L) ->
    groups_1(L, F, VF, #{}, [F, VF, L]);
groups_from_list(F, VF, L) ->
    erlang:error(badarg, [F, VF, L]).

%% Build reversed groups, then reverse every group.
groups_1([H | T], F, VF, Acc, Args) ->
    K = F(H),
    V = VF(H),
    case Acc of
        #{K := Vs} -> groups_1(T, F, VF, Acc#{K := [V | Vs]}, Args);
        #{} -> groups_1(T, F, VF, Acc#{K => [V]}, Args)
    end;
groups_1([], _, _, Acc, _) ->
    maps:from_list([{K, lists:reverse(Vs)} || {K, Vs} <- maps:to_list(Acc)]);
groups_1(_, _, _, _, Args) ->
    erlang:error(badarg, Args).

intersect(M1, M2) when is_map(M1), is_map(M2) ->
    intersect_with(fun(_, _, V2) -> V2 end, M1, M2);
intersect(M1, M2) ->
    erlang:error({badmap, bad_of(M1, M2)}, [M1, M2]).

intersect_with(F, M1, M2) when is_function(F, 3), is_map(M1), is_map(M2) ->
    maps:from_list([{K, F(K, V1, V2)} || {K, V1} <- maps:to_list(M1),
                                         V2 <- lookup(K, M2)]);
intersect_with(F, M1, M2) when is_function(F, 3) ->
    erlang:error({badmap, bad_of(M1, M2)}, [F, M1, M2]);
intersect_with(F, M1, M2) ->
    erlang:error(badarg, [F, M1, M2]).

merge_with(F, M1, M2) when is_function(F, 3), is_map(M1), is_map(M2) ->
    merge_with_1(maps:to_list(M2), F, M1);
merge_with(F, M1, M2) when is_function(F, 3) ->
    erlang:error({badmap, bad_of(M1, M2)}, [F, M1, M2]);
merge_with(F, M1, M2) ->
    erlang:error(badarg, [F, M1, M2]).

merge_with_1([{K, V2} | T], F, Acc) ->
    case Acc of
        #{K := V1} -> merge_with_1(T, F, Acc#{K := F(K, V1, V2)});
        #{} -> merge_with_1(T, F, Acc#{K => V2})
    end;
merge_with_1([], _, Acc) -> Acc.

lookup(K, M) ->
    case M of
        #{K := V} -> [V];
        #{} -> []
    end.

bad_of(M1, _) when not is_map(M1) -> M1;
bad_of(_, M2) -> M2.
