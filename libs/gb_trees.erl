%% @doc General balanced trees (Andersson's scheme) for avmsim, OTP 25 API.
%%
%% A tree is {Size, Node} with Node = nil | {Key, Value, Smaller, Bigger},
%% exactly OTP's representation, and the rebalancing rule is OTP's too
%% (a subtree is rebuilt perfectly balanced when an insertion makes it
%% deeper than about 2*log2 of the tree size), so trees print and compare
%% like on OTP 25.  Deletion never rebalances.
%%
%% Keys are compared with < and > (1 and 1.0 are the same key).  Missing
%% keys and other bad arguments fail like on OTP (mostly function_clause,
%% {key_exists, Key} from insert/3).
-module(gb_trees).

-compile({no_auto_import, [size/1]}).

-export([empty/0, is_empty/1, size/1, lookup/2, get/2, is_defined/2,
         insert/3, update/3, enter/3, delete/2, delete_any/2, balance/1,
         take/2, take_any/2, smallest/1, largest/1, take_smallest/1,
         take_largest/1, keys/1, values/1, to_list/1, from_orddict/1,
         iterator/1, iterator_from/2, next/1, map/2]).

empty() -> {0, nil}.

is_empty({0, nil}) -> true;
is_empty(_) -> false.

size({N, _}) when is_integer(N), N >= 0 -> N.

%%-----------------------------------------------------------------------
%% Lookup
%%-----------------------------------------------------------------------

lookup(Key, {_, T}) -> lookup_node(Key, T).

lookup_node(Key, {K, _, Small, _}) when Key < K -> lookup_node(Key, Small);
lookup_node(Key, {K, _, _, Big}) when Key > K -> lookup_node(Key, Big);
lookup_node(_, {_, V, _, _}) -> {value, V};
lookup_node(_, nil) -> none.

is_defined(Key, {_, T}) -> defined(Key, T).

defined(Key, {K, _, Small, _}) when Key < K -> defined(Key, Small);
defined(Key, {K, _, _, Big}) when Key > K -> defined(Key, Big);
defined(_, {_, _, _, _}) -> true;
defined(_, nil) -> false.

get(Key, {_, T}) -> get_node(Key, T).

get_node(Key, {K, _, Small, _}) when Key < K -> get_node(Key, Small);
get_node(Key, {K, _, _, Big}) when Key > K -> get_node(Key, Big);
get_node(_, {_, V, _, _}) -> V.

%%-----------------------------------------------------------------------
%% Updates
%%-----------------------------------------------------------------------

update(Key, Val, {N, T}) -> {N, update_node(Key, Val, T)}.

update_node(Key, Val, {K, V, Small, Big}) when Key < K ->
    {K, V, update_node(Key, Val, Small), Big};
update_node(Key, Val, {K, V, Small, Big}) when Key > K ->
    {K, V, Small, update_node(Key, Val, Big)};
update_node(Key, Val, {_, _, Small, Big}) ->
    {Key, Val, Small, Big}.

%% The insertion carries a budget, N*N halved at every level; reaching a
%% leaf with the budget used up means the tree got too deep.  From there
%% on the way up returns {Node, HeightPow, Count} (HeightPow = 2^height)
%% until a subtree is found that is too deep for its size, which is
%% rebuilt balanced.
insert(Key, Val, {N, T}) when is_integer(N) ->
    N1 = N + 1,
    {N1, ins(Key, Val, T, N1 * N1)}.

ins(Key, Val, {K, V, Small, Big}, Budget) when Key < K ->
    case ins(Key, Val, Small, Budget bsr 1) of
        {Small1, H1, C1} -> check_depth({K, V, Small1, Big}, H1, C1, Big);
        Small1 -> {K, V, Small1, Big}
    end;
ins(Key, Val, {K, V, Small, Big}, Budget) when Key > K ->
    case ins(Key, Val, Big, Budget bsr 1) of
        {Big1, H1, C1} -> check_depth({K, V, Small, Big1}, H1, C1, Small);
        Big1 -> {K, V, Small, Big1}
    end;
ins(Key, Val, nil, 0) -> {{Key, Val, nil, nil}, 1, 1};
ins(Key, Val, nil, _) -> {Key, Val, nil, nil};
ins(Key, _, _, _) -> erlang:error({key_exists, Key}).

check_depth(T, H1, C1, Other) ->
    {H2, C2} = height_count(Other),
    H = max(H1, H2) bsl 1,
    C = C1 + C2 + 1,
    case H > C * C of
        true -> rebuild(T, C);
        false -> {T, H, C}
    end.

height_count({_, _, nil, nil}) -> {1, 1};
height_count({_, _, Small, Big}) ->
    {H1, C1} = height_count(Small),
    {H2, C2} = height_count(Big),
    {max(H1, H2) bsl 1, C1 + C2 + 1};
height_count(nil) -> {1, 0}.

enter(Key, Val, T) ->
    case is_defined(Key, T) of
        true -> update(Key, Val, T);
        false -> insert(Key, Val, T)
    end.

delete(Key, {N, T}) when is_integer(N), N >= 0 -> {N - 1, del(Key, T)}.

del(Key, {K, V, Small, Big}) when Key < K -> {K, V, del(Key, Small), Big};
del(Key, {K, V, Small, Big}) when Key > K -> {K, V, Small, del(Key, Big)};
del(_, {_, _, Small, Big}) -> join(Small, Big).

delete_any(Key, T) ->
    case is_defined(Key, T) of
        true -> delete(Key, T);
        false -> T
    end.

take(Key, {N, T}) when is_integer(N), N >= 0 ->
    {V, T1} = take_node(Key, T),
    {V, {N - 1, T1}}.

take_node(Key, {K, V, Small, Big}) when Key < K ->
    {V1, Small1} = take_node(Key, Small),
    {V1, {K, V, Small1, Big}};
take_node(Key, {K, V, Small, Big}) when Key > K ->
    {V1, Big1} = take_node(Key, Big),
    {V1, {K, V, Small, Big1}};
take_node(_, {_, V, Small, Big}) ->
    {V, join(Small, Big)}.

take_any(Key, T) ->
    case is_defined(Key, T) of
        true -> take(Key, T);
        false -> error
    end.

%% Join two subtrees (all keys of the first are smaller): the smallest
%% key of the second becomes the root.
join(Small, nil) -> Small;
join(nil, Big) -> Big;
join(Small, Big) ->
    {K, V, Big1} = pop_smallest(Big),
    {K, V, Small, Big1}.

%%-----------------------------------------------------------------------
%% Extremes
%%-----------------------------------------------------------------------

smallest({_, T}) -> min_node(T).

min_node({K, V, nil, _}) -> {K, V};
min_node({_, _, Small, _}) -> min_node(Small).

largest({_, T}) -> max_node(T).

max_node({K, V, _, nil}) -> {K, V};
max_node({_, _, _, Big}) -> max_node(Big).

take_smallest({N, T}) when is_integer(N), N >= 0 ->
    {K, V, T1} = pop_smallest(T),
    {K, V, {N - 1, T1}}.

pop_smallest({K, V, nil, Big}) -> {K, V, Big};
pop_smallest({K, V, Small, Big}) ->
    {K1, V1, Small1} = pop_smallest(Small),
    {K1, V1, {K, V, Small1, Big}}.

take_largest({N, T}) when is_integer(N), N >= 0 ->
    {K, V, T1} = pop_largest(T),
    {K, V, {N - 1, T1}}.

pop_largest({K, V, Small, nil}) -> {K, V, Small};
pop_largest({K, V, Small, Big}) ->
    {K1, V1, Big1} = pop_largest(Big),
    {K1, V1, {K, V, Small, Big1}}.

%%-----------------------------------------------------------------------
%% Conversion and balancing
%%-----------------------------------------------------------------------

to_list({_, T}) -> pairs(T, []).

pairs({K, V, Small, Big}, Acc) -> pairs(Small, [{K, V} | pairs(Big, Acc)]);
pairs(nil, Acc) -> Acc.

keys({_, T}) -> keys(T, []).

keys({K, _, Small, Big}, Acc) -> keys(Small, [K | keys(Big, Acc)]);
keys(nil, Acc) -> Acc.

values({_, T}) -> values(T, []).

values({_, V, Small, Big}, Acc) -> values(Small, [V | values(Big, Acc)]);
values(nil, Acc) -> Acc.

balance({N, T}) -> {N, rebuild(T, N)}.

from_orddict(L) ->
    N = length(L),
    {N, from_pairs(L, N)}.

rebuild(T, N) -> from_pairs(pairs(T, []), N).

from_pairs(L, N) ->
    {T, []} = build(L, N),
    T.

%% Perfectly balanced tree of the first N pairs of L, and the rest of L.
%% With an even number of other nodes, the smaller half has one more.
build(L, N) when N > 1 ->
    Rest = N - 1,
    NBig = Rest div 2,
    {Small, [{K, V} | L1]} = build(L, Rest - NBig),
    {Big, L2} = build(L1, NBig),
    {{K, V, Small, Big}, L2};
build([{K, V} | L], 1) -> {{K, V, nil, nil}, L};
build(L, 0) -> {nil, L}.

%%-----------------------------------------------------------------------
%% Iterators: a stack of nodes whose key and bigger subtree are still to
%% be visited.
%%-----------------------------------------------------------------------

iterator({_, T}) -> push_left(T, []).

push_left({_, _, nil, _} = T, Stack) -> [T | Stack];
push_left({_, _, Small, _} = T, Stack) -> push_left(Small, [T | Stack]);
push_left(nil, Stack) -> Stack.

iterator_from(Key, {_, T}) -> push_from(Key, T, []).

push_from(Key, {K, _, _, Big}, Stack) when K < Key -> push_from(Key, Big, Stack);
push_from(_, {_, _, nil, _} = T, Stack) -> [T | Stack];
push_from(Key, {_, _, Small, _} = T, Stack) -> push_from(Key, Small, [T | Stack]);
push_from(_, nil, Stack) -> Stack.

next([{K, V, _, Big} | Stack]) -> {K, V, push_left(Big, Stack)};
next([]) -> none.

map(F, {N, T}) when is_function(F, 2) -> {N, map_node(F, T)}.

map_node(_, nil) -> nil;
map_node(F, {K, V, Small, Big}) -> {K, F(K, V), map_node(F, Small), map_node(F, Big)}.
