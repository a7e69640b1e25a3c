%% @doc Unordered sets for avmsim (AtomVM compatible), OTP 25 API.
%%
%% Two representations, as in OTP 25:
%%
%% - version 1 (the default): a linear hash table kept in a 9-tuple
%%   {set, Size, N, MaxN, Bso, ExpSize, ConSize, EmptySeg, Segs}, laid out
%%   exactly like OTP's so that sets print and compare like on OTP.  The
%%   buckets are placed with OTP's erlang:phash/2 hash, which AtomVM does
%%   not have; libs/erlang.erl computes it in Erlang, exactly
%%   for numbers, atoms, binaries, lists, tuples and maps.  Pids,
%%   ports, references and funs have no portable hash; they get a stable
%%   one of our own, so such sets work but their layout differs from OTP.
%% - version 2: a map Element => [] (new([{version,2}]),
%%   from_list(L, [{version,2}])).
%%
%% Elements are compared with =:= (1 and 1.0 are different elements).
%% Besides the OTP 25 API, filtermap/2 (from OTP 27) is provided.
%% Bad arguments fail like on OTP 25 (mostly function_clause).
-module(sets).

-compile({no_auto_import, [size/1]}).

-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).
-export([new/0, new/1, is_set/1, size/1, is_empty/1, to_list/1,
         from_list/1, from_list/2]).
-export([is_element/2, add_element/2, del_element/2]).
-export([union/2, union/1, intersection/2, intersection/1]).
-export([is_disjoint/2, subtract/2, is_subset/2]).
-export([fold/3, filter/2, filtermap/2, map/2, is_equal/2]).

-define(SEG, 16).
-define(EXPAND_LOAD, 5).
-define(CONTRACT_LOAD, 3).

%% Same field order and defaults as OTP's #set{} (it prints as
%% {set,0,16,16,8,80,48,EmptySeg,{EmptySeg}}).
-record(set, {
    size = 0,
    n = ?SEG,
    maxn = ?SEG,
    bso = ?SEG div 2,
    exp_size = ?SEG * ?EXPAND_LOAD,
    con_size = ?SEG * ?CONTRACT_LOAD,
    empty,
    segs
}).

%%-----------------------------------------------------------------------
%% Creation
%%-----------------------------------------------------------------------

new() ->
    Seg = empty_seg(),
    #set{empty = Seg, segs = {Seg}}.

new([{version, 2}]) -> #{};
new(Opts) ->
    case proplists:get_value(version, Opts, 1) of
        1 -> new();
        2 -> #{}
    end.

from_list(L) ->
    lists:foldl(fun(E, S) -> add_element(E, S) end, new(), L).

from_list(L, [{version, 2}]) -> maps:from_keys(L, []);
from_list(L, Opts) ->
    case proplists:get_value(version, Opts, 1) of
        1 -> from_list(L);
        2 -> maps:from_keys(L, [])
    end.

%%-----------------------------------------------------------------------
%% Inspection
%%-----------------------------------------------------------------------

is_set(#{}) -> true;
is_set(#set{}) -> true;
is_set(_) -> false.

size(#{} = S) -> map_size(S);
size(#set{size = N}) -> N.

is_empty(#{} = S) -> map_size(S) =:= 0;
is_empty(#set{size = N}) -> N =:= 0.

to_list(#{} = S) -> maps:keys(S);
to_list(#set{} = S) -> fold(fun(E, Acc) -> [E | Acc] end, [], S).

is_element(E, #{} = S) -> maps:is_key(E, S);
is_element(E, #set{} = S) -> lists:member(E, bucket(S, slot(S, E))).

%%-----------------------------------------------------------------------
%% Adding and removing
%%-----------------------------------------------------------------------

add_element(E, #{} = S) -> S#{E => []};
add_element(E, #set{} = S) ->
    Slot = slot(S, E),
    Bkt = bucket(S, Slot),
    case lists:member(E, Bkt) of
        true -> S;
        false -> grow(set_bucket(S, Slot, [E | Bkt]))
    end.

del_element(E, #{} = S) -> maps:remove(E, S);
del_element(E, #set{} = S) ->
    Slot = slot(S, E),
    Bkt = bucket(S, Slot),
    case lists:member(E, Bkt) of
        false -> S;
        true -> shrink(set_bucket(S, Slot, lists:delete(E, Bkt)), 1)
    end.

%%-----------------------------------------------------------------------
%% Set algebra
%%-----------------------------------------------------------------------

union(#{} = S1, #{} = S2) -> maps:merge(S1, S2);
union(S1, S2) ->
    {Small, Big} = by_size(S1, S2),
    fold(fun(E, Acc) -> add_element(E, Acc) end, Big, Small).

union([S1, S2 | Ss]) -> union_all(union(S1, S2), Ss);
union([S]) -> S;
union([]) -> new().

union_all(S, [S1 | Ss]) -> union_all(union(S, S1), Ss);
union_all(S, []) -> S.

intersection(#{} = S1, #{} = S2) ->
    {Small, Big} = if map_size(S1) < map_size(S2) -> {S1, S2}; true -> {S2, S1} end,
    maps:from_keys([K || K <- maps:keys(Small), maps:is_key(K, Big)], []);
intersection(S1, S2) ->
    {Small, Big} = by_size(S1, S2),
    filter(fun(E) -> is_element(E, Big) end, Small).

intersection([S1, S2 | Ss]) -> intersection_all(intersection(S1, S2), Ss);
intersection([S]) -> S.

intersection_all(S, [S1 | Ss]) -> intersection_all(intersection(S, S1), Ss);
intersection_all(S, []) -> S.

is_disjoint(#{} = S1, #{} = S2) ->
    {Small, Big} = if map_size(S1) < map_size(S2) -> {S1, S2}; true -> {S2, S1} end,
    not lists:any(fun(K) -> maps:is_key(K, Big) end, maps:keys(Small));
is_disjoint(S1, S2) ->
    {Small, Big} = by_size(S1, S2),
    fold(fun(_, false) -> false;
            (E, true) -> not is_element(E, Big)
         end, true, Small).

subtract(#{} = S1, #{} = S2) ->
    maps:from_keys([K || K <- maps:keys(S1), not maps:is_key(K, S2)], []);
subtract(S1, S2) ->
    filter(fun(E) -> not is_element(E, S2) end, S1).

is_subset(#{} = S1, #{} = S2) ->
    map_size(S1) =< map_size(S2) andalso
        lists:all(fun(K) -> maps:is_key(K, S2) end, maps:keys(S1));
is_subset(S1, S2) ->
    fold(fun(E, Acc) -> Acc andalso is_element(E, S2) end, true, S1).

%% {Smaller, Other}: the second set when both have the same size.
by_size(S1, S2) ->
    case size(S1) < size(S2) of
        true -> {S1, S2};
        false -> {S2, S1}
    end.

%%-----------------------------------------------------------------------
%% Traversal
%%-----------------------------------------------------------------------

fold(F, Acc, #{} = S) when is_function(F, 2) ->
    fold_iter(F, Acc, maps:next(maps:iterator(S)));
fold(F, Acc, #set{segs = Segs}) when is_function(F, 2) ->
    fold_segs(F, Acc, Segs, tuple_size(Segs)).

%% Segments and buckets are visited from the last to the first.
fold_iter(F, Acc, {K, _, I}) -> fold_iter(F, F(K, Acc), maps:next(I));
fold_iter(_, Acc, none) -> Acc.

fold_segs(_, Acc, _, 0) -> Acc;
fold_segs(F, Acc, Segs, I) ->
    Seg = element(I, Segs),
    fold_segs(F, fold_seg(F, Acc, Seg, tuple_size(Seg)), Segs, I - 1).

fold_seg(_, Acc, _, 0) -> Acc;
fold_seg(F, Acc, Seg, I) ->
    fold_seg(F, lists:foldl(F, Acc, element(I, Seg)), Seg, I - 1).

filter(F, #{} = S) when is_function(F, 1) ->
    maps:from_keys(filter_iter(F, maps:next(maps:iterator(S))), []);
filter(F, #set{segs = Segs} = S) when is_function(F, 1) ->
    {Segs1, Removed} = filter_tuple(fun(Seg, C) -> filter_tuple(
                                                   fun(B, C1) -> filter_bucket(F, B, [], C1) end,
                                                   Seg, C)
                                    end, Segs, 0),
    shrink(S#set{segs = Segs1}, Removed).

filter_iter(F, {K, _, I}) ->
    case F(K) of
        true -> [K | filter_iter(F, maps:next(I))];
        false -> filter_iter(F, maps:next(I))
    end;
filter_iter(_, none) -> [].

%% Map Fun(Elem, Count) -> {Elem1, Count1} over a tuple, first to last.
filter_tuple(Fun, T, C0) ->
    {L, C} = lists:foldl(fun(X, {Acc, C1}) ->
                                 {X1, C2} = Fun(X, C1),
                                 {[X1 | Acc], C2}
                         end, {[], C0}, tuple_to_list(T)),
    {list_to_tuple(lists:reverse(L)), C}.

%% The kept elements end up in reverse order (as in OTP).
filter_bucket(F, [E | Bkt], Kept, C) ->
    case F(E) of
        true -> filter_bucket(F, Bkt, [E | Kept], C);
        false -> filter_bucket(F, Bkt, Kept, C + 1)
    end;
filter_bucket(_, [], Kept, C) -> {Kept, C}.

%% OTP 27 addition.
filtermap(F, #{} = S) when is_function(F, 1) ->
    maps:from_keys(lists:filtermap(F, maps:keys(S)), []);
filtermap(F, #set{} = S) when is_function(F, 1) ->
    fold(fun(E, Acc) ->
                 case F(E) of
                     true -> add_element(E, Acc);
                     {true, E1} -> add_element(E1, Acc);
                     false -> Acc
                 end
         end, new(), S).

%%-----------------------------------------------------------------------
%% The linear hash table (version 1)
%%-----------------------------------------------------------------------

empty_seg() -> erlang:make_tuple(?SEG, []).

%% Slots not yet split off use their buddy below.
slot(#set{maxn = MaxN, n = N, bso = Bso}, E) ->
    case erlang:phash(E, MaxN) of
        H when H > N -> H - Bso;
        H -> H
    end.

bucket(#set{segs = Segs}, Slot) -> seg_get(Segs, Slot).

set_bucket(#set{segs = Segs} = S, Slot, Bkt) -> S#set{segs = seg_put(Segs, Slot, Bkt)}.

seg_get(Segs, Slot) ->
    element((Slot - 1) rem ?SEG + 1, element((Slot - 1) div ?SEG + 1, Segs)).

seg_put(Segs, Slot, Bkt) ->
    I = (Slot - 1) div ?SEG + 1,
    setelement(I, Segs, setelement((Slot - 1) rem ?SEG + 1, element(I, Segs), Bkt)).

%% One element was added: count it and split one bucket when too full.
grow(#set{size = Size, exp_size = Exp} = S0) when Size + 1 > Exp ->
    #set{n = N0, maxn = MaxN0, bso = Bso0, segs = Segs0, empty = Empty} = S0,
    {MaxN, Bso, Segs1} =
        case N0 =:= MaxN0 of
            true ->
                Ss = tuple_to_list(Segs0),
                {2 * MaxN0, 2 * Bso0,
                 list_to_tuple(Ss ++ lists:duplicate(length(Ss), Empty))};
            false ->
                {MaxN0, Bso0, Segs0}
        end,
    N = N0 + 1,
    Low = N - Bso,
    {B1, B2} = split_bucket(seg_get(Segs1, Low), Low, MaxN),
    Segs = seg_put(seg_put(Segs1, Low, B1), N, B2),
    S0#set{size = Size + 1, n = N, maxn = MaxN, bso = Bso,
           exp_size = N * ?EXPAND_LOAD, con_size = N * ?CONTRACT_LOAD,
           segs = Segs};
grow(#set{size = Size} = S) ->
    S#set{size = Size + 1}.

%% Elements staying in slot Low and those moving to the new slot, both in
%% their original order.
split_bucket([E | Es], Low, MaxN) ->
    {Stay, Move} = split_bucket(Es, Low, MaxN),
    case erlang:phash(E, MaxN) of
        Low -> {[E | Stay], Move};
        _ -> {Stay, [E | Move]}
    end;
split_bucket([], _, _) -> {[], []}.

%% Removed elements: count them and merge the top bucket back into its
%% buddy when the table got too sparse (one step at most).
shrink(#set{size = Size, con_size = Con, n = N} = S0, Removed)
  when Size - Removed < Con, N > ?SEG ->
    #set{bso = Bso, maxn = MaxN, segs = Segs0} = S0,
    Low = N - Bso,
    Segs1 = seg_put(seg_put(Segs0, Low, seg_get(Segs0, Low) ++ seg_get(Segs0, N)), N, []),
    N1 = N - 1,
    S1 = S0#set{size = Size - Removed, n = N1,
                exp_size = N1 * ?EXPAND_LOAD, con_size = N1 * ?CONTRACT_LOAD,
                segs = Segs1},
    case N1 =:= Bso of
        true ->
            Half = tuple_size(Segs1) div 2,
            S1#set{maxn = MaxN div 2, bso = Bso div 2,
                   segs = list_to_tuple(lists:sublist(tuple_to_list(Segs1), Half))};
        false ->
            S1
    end;
shrink(#set{size = Size} = S, Removed) ->
    S#set{size = Size - Removed}.

%% The same elements, whatever the two sets' versions.
is_equal(S1, S2) ->
    size(S1) =:= size(S2) andalso is_subset(S1, S2).

%% F applied to each element; the result has the version of the set given.
map(F, #{} = S) when is_function(F, 1) ->
    maps:from_keys([F(E) || E <- maps:keys(S)], []);
map(F, #set{} = S) when is_function(F, 1) ->
    fold(fun(E, Acc) -> add_element(F(E), Acc) end, new(), S).
