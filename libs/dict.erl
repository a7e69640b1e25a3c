%% @doc Key-value dictionaries for avmsim (AtomVM compatible), OTP 25 API.
%%
%% A dictionary is a linear hash table kept in a 9-tuple
%% {dict, Size, N, MaxN, Bso, ExpSize, ConSize, EmptySeg, Segs}, laid out
%% like OTP's #dict{} record, with the pairs stored as [Key | Value] in
%% buckets of 16-slot segments.  Buckets are chosen with OTP's
%% erlang:phash/2 hash, computed in Erlang by libs/erlang.erl (AtomVM only has
%% phash2): exact for numbers, atoms, binaries, lists, tuples and maps;
%% pids, ports, references and funs get a stable hash of our own.  So
%% dictionaries print (~p) and compare like on OTP 25.
%%
%% Keys are compared with =:=.  Errors follow OTP 25: {badrecord, dict}
%% for something that is not a dictionary, badarg from fetch/2 and
%% update/3 for a missing key, function_clause for bad funs in most
%% other places.
-module(dict).

-compile({no_auto_import, [size/1]}).

-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).
-export([new/0, is_key/2, to_list/1, from_list/1, size/1, is_empty/1]).
-export([fetch/2, find/2, fetch_keys/1, erase/2, take/2]).
-export([store/3, append/3, append_list/3, update/3, update/4, update_counter/3]).
-export([fold/3, map/2, filter/2, merge/3]).

-define(SEG, 16).
-define(EXPAND_LOAD, 5).
-define(CONTRACT_LOAD, 3).

-record(dict, {
    size = 0,
    n = ?SEG,
    maxn = ?SEG,
    bso = ?SEG div 2,
    exp_size = ?SEG * ?EXPAND_LOAD,
    con_size = ?SEG * ?CONTRACT_LOAD,
    empty,
    segs
}).

new() ->
    Seg = erlang:make_tuple(?SEG, []),
    #dict{empty = Seg, segs = {Seg}}.

%%-----------------------------------------------------------------------
%% Lookup
%%-----------------------------------------------------------------------

is_key(Key, D) ->
    case lookup(Key, bucket_of(D, Key)) of
        {ok, _} -> true;
        error -> false
    end.

find(Key, D) -> lookup(Key, bucket_of(D, Key)).

fetch(Key, D) ->
    case lookup(Key, bucket_of(D, Key)) of
        {ok, V} -> V;
        error -> erlang:error(badarg, [Key, D])
    end.

lookup(K, [[K | V] | _]) -> {ok, V};
lookup(K, [_ | Bkt]) -> lookup(K, Bkt);
lookup(_, []) -> error.

size(#dict{size = N}) when is_integer(N), N >= 0 -> N.

is_empty(#dict{size = N}) -> N =:= 0.

to_list(D) -> fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], D).

fetch_keys(D) -> fold(fun(K, _, Acc) -> [K | Acc] end, [], D).

from_list(L) ->
    lists:foldl(fun({K, V}, D) -> store(K, V, D) end, new(), L).

%%-----------------------------------------------------------------------
%% Updates.  Each one edits the bucket of the key with
%% edit(Key, Bucket, IfFound, IfMissing): IfFound(Value) and IfMissing()
%% return {Pairs, Result} where Pairs replace the key's pair (or are
%% added at the end of the bucket).
%%-----------------------------------------------------------------------

store(Key, Val, D) ->
    {D1, Added} = on_bucket(D, Key, fun(_) -> {[[Key | Val]], 0} end,
                            fun() -> {[[Key | Val]], 1} end),
    grow(D1, Added).

append(Key, Val, D) ->
    {D1, Added} = on_bucket(D, Key, fun(Bag) -> {[[Key | Bag ++ [Val]]], 0} end,
                            fun() -> {[[Key, Val]], 1} end),
    grow(D1, Added).

append_list(Key, L, D) ->
    {D1, Added} = on_bucket(D, Key, fun(Bag) -> {[[Key | Bag ++ L]], 0} end,
                            fun() -> {[[Key | L]], 1} end),
    grow(D1, Added).

update(Key, F, D) ->
    try on_bucket(D, Key, fun(V) -> {[[Key | F(V)]], 0} end,
                  fun() -> throw(badarg) end) of
        {D1, _} -> D1
    catch
        throw:badarg -> erlang:error(badarg, [Key, F, D])
    end.

update(Key, F, Init, D) ->
    {D1, Added} = on_bucket(D, Key, fun(V) -> {[[Key | F(V)]], 0} end,
                            fun() when is_function(F, 1) -> {[[Key | Init]], 1} end),
    grow(D1, Added).

update_counter(Key, Incr, D) when is_number(Incr) ->
    {D1, Added} = on_bucket(D, Key, fun(V) -> {[[Key | V + Incr]], 0} end,
                            fun() -> {[[Key | Incr]], 1} end),
    grow(D1, Added).

erase(Key, D) ->
    {D1, Removed} = on_bucket(D, Key, fun(_) -> {[], 1} end, fun() -> {[], 0} end),
    shrink(D1, Removed).

take(Key, D) ->
    case on_bucket(D, Key, fun(V) -> {[], {V, 1}} end, fun() -> {[], error} end) of
        {D1, {V, Removed}} -> {V, shrink(D1, Removed)};
        {_, error} -> error
    end.

edit(Key, [[Key | V] | Bkt], Found, _) ->
    {Pairs, Res} = Found(V),
    {Pairs ++ Bkt, Res};
edit(Key, [P | Bkt], Found, Missing) ->
    {Bkt1, Res} = edit(Key, Bkt, Found, Missing),
    {[P | Bkt1], Res};
edit(_, [], _, Missing) ->
    Missing().

on_bucket(D, Key, Found, Missing) ->
    Slot = slot(D, Key),
    SegI = (Slot - 1) div ?SEG + 1,
    BktI = (Slot - 1) rem ?SEG + 1,
    Segs = D#dict.segs,
    Seg = element(SegI, Segs),
    {Bkt, Res} = edit(Key, element(BktI, Seg), Found, Missing),
    {D#dict{segs = setelement(SegI, Segs, setelement(BktI, Seg, Bkt))}, Res}.

%%-----------------------------------------------------------------------
%% Traversal
%%-----------------------------------------------------------------------

%% Segments and buckets from the last to the first.
fold(F, Acc, #dict{size = 0}) when is_function(F, 3) -> Acc;
fold(F, Acc, D) ->
    Segs = D#dict.segs,
    fold_segs(F, Acc, Segs, tuple_size(Segs)).

fold_segs(F, Acc, Segs, I) when I >= 1 ->
    Seg = element(I, Segs),
    fold_segs(F, fold_seg(F, Acc, Seg, tuple_size(Seg)), Segs, I - 1);
fold_segs(F, Acc, _, 0) when is_function(F, 3) -> Acc.

fold_seg(F, Acc, Seg, I) when I >= 1 ->
    fold_seg(F, fold_pairs(F, Acc, element(I, Seg)), Seg, I - 1);
fold_seg(F, Acc, _, 0) when is_function(F, 3) -> Acc.

fold_pairs(F, Acc, [[K | V] | Bkt]) -> fold_pairs(F, F(K, V, Acc), Bkt);
fold_pairs(F, Acc, []) when is_function(F, 3) -> Acc.

map(F, #dict{size = 0} = D) when is_function(F, 2) -> D;
map(F, D) ->
    Segs = map_list(fun(Seg) ->
                            Bkts = map_list(fun(Bkt) -> map_pairs(F, Bkt) end,
                                            tuple_to_list(Seg), F),
                            list_to_tuple(Bkts)
                    end, tuple_to_list(D#dict.segs), F),
    D#dict{segs = list_to_tuple(Segs)}.

map_list(G, [X | Xs], F) -> [G(X) | map_list(G, Xs, F)];
map_list(_, [], F) when is_function(F, 2) -> [].

map_pairs(F, [[K | V] | Bkt]) -> [[K | F(K, V)] | map_pairs(F, Bkt)];
map_pairs(F, []) when is_function(F, 2) -> [].

filter(F, #dict{size = 0} = D) when is_function(F, 2) -> D;
filter(F, D) ->
    {Segs, Removed} = filter_segs(F, tuple_to_list(D#dict.segs), [], 0),
    shrink(D#dict{segs = list_to_tuple(Segs)}, Removed).

filter_segs(F, [Seg | Segs], Acc, C0) ->
    {Bkts, C} = filter_bkts(F, tuple_to_list(Seg), [], C0),
    filter_segs(F, Segs, [list_to_tuple(Bkts) | Acc], C);
filter_segs(F, [], Acc, C) when is_function(F, 2) -> {lists:reverse(Acc), C}.

filter_bkts(F, [Bkt | Bkts], Acc, C0) ->
    {Bkt1, C} = filter_pairs(F, Bkt, [], C0),
    filter_bkts(F, Bkts, [Bkt1 | Acc], C);
filter_bkts(F, [], Acc, C) when is_function(F, 2) -> {lists:reverse(Acc), C}.

filter_pairs(F, [[K | V] = P | Bkt], Acc, C) ->
    case F(K, V) of
        true -> filter_pairs(F, Bkt, [P | Acc], C);
        false -> filter_pairs(F, Bkt, Acc, C + 1)
    end;
filter_pairs(F, [], Acc, C) when is_function(F, 2) -> {lists:reverse(Acc), C}.

%% The smaller dictionary is folded into the other one.
merge(F, D1, D2) when D1#dict.size < D2#dict.size ->
    fold(fun(K, V1, D) -> update(K, fun(V2) -> F(K, V1, V2) end, V1, D) end, D2, D1);
merge(F, D1, D2) ->
    fold(fun(K, V2, D) -> update(K, fun(V1) -> F(K, V1, V2) end, V2, D) end, D1, D2).

%%-----------------------------------------------------------------------
%% The linear hash table
%%-----------------------------------------------------------------------

slot(D, Key) ->
    H = erlang:phash(Key, D#dict.maxn),
    case H > D#dict.n of
        true -> H - D#dict.bso;
        false -> H
    end.

bucket_of(D, Key) ->
    Slot = slot(D, Key),
    seg_get(D#dict.segs, Slot).

seg_get(Segs, Slot) ->
    element((Slot - 1) rem ?SEG + 1, element((Slot - 1) div ?SEG + 1, Segs)).

seg_put(Segs, Slot, Bkt) ->
    I = (Slot - 1) div ?SEG + 1,
    setelement(I, Segs, setelement((Slot - 1) rem ?SEG + 1, element(I, Segs), Bkt)).

%% Count Added (0 or 1) new keys; split one bucket when too full.
grow(D0, Added) when D0#dict.size + Added > D0#dict.exp_size ->
    #dict{n = N0, maxn = MaxN0, bso = Bso0, segs = Segs0, empty = Empty} = D0,
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
    D0#dict{size = D0#dict.size + Added, n = N, maxn = MaxN, bso = Bso,
            exp_size = N * ?EXPAND_LOAD, con_size = N * ?CONTRACT_LOAD,
            segs = Segs};
grow(D, Added) ->
    D#dict{size = D#dict.size + Added}.

split_bucket([[K | _] = P | Ps], Low, MaxN) ->
    {Stay, Move} = split_bucket(Ps, Low, MaxN),
    case erlang:phash(K, MaxN) of
        Low -> {[P | Stay], Move};
        _ -> {Stay, [P | Move]}
    end;
split_bucket([], _, _) -> {[], []}.

%% Count Removed keys; merge the top bucket into its buddy when sparse.
shrink(D0, Removed) when D0#dict.size - Removed < D0#dict.con_size, D0#dict.n > ?SEG ->
    #dict{n = N, bso = Bso, maxn = MaxN, segs = Segs0} = D0,
    Low = N - Bso,
    Segs1 = seg_put(seg_put(Segs0, Low, seg_get(Segs0, Low) ++ seg_get(Segs0, N)), N, []),
    N1 = N - 1,
    D1 = D0#dict{size = D0#dict.size - Removed, n = N1,
                 exp_size = N1 * ?EXPAND_LOAD, con_size = N1 * ?CONTRACT_LOAD,
                 segs = Segs1},
    case N1 =:= Bso of
        true ->
            Half = tuple_size(Segs1) div 2,
            D1#dict{maxn = MaxN div 2, bso = Bso div 2,
                    segs = list_to_tuple(lists:sublist(tuple_to_list(Segs1), Half))};
        false ->
            D1
    end;
shrink(D, Removed) ->
    D#dict{size = D#dict.size - Removed}.
