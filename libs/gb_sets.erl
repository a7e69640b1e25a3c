%% @doc General balanced sets (Andersson's scheme) for avmsim, OTP 25 API.
%%
%% A set is {Size, Node} with Node = nil | {Elem, Smaller, Bigger}, exactly
%% OTP's representation; insertion rebalances like OTP and the set
%% operations build their results the way OTP does (including which of
%% two equal elements such as 1 and 1.0 is kept), so sets print and
%% compare like on OTP 25.
%%
%% Elements are compared with < and > (1 and 1.0 are the same element).
-module(gb_sets).

-compile({no_auto_import, [size/1]}).

-export([empty/0, new/0, is_empty/1, size/1, singleton/1, is_member/2,
         is_element/2, insert/2, add/2, add_element/2, delete/2,
         delete_any/2, del_element/2, balance/1, union/2, union/1,
         intersection/2, intersection/1, is_disjoint/2, difference/2,
         subtract/2, is_subset/2, to_list/1, from_list/1, from_ordset/1,
         smallest/1, largest/1, take_smallest/1, take_largest/1,
         iterator/1, iterator_from/2, next/1, filter/2, fold/3, is_set/1]).

empty() -> {0, nil}.

new() -> {0, nil}.

is_empty({0, nil}) -> true;
is_empty(_) -> false.

size({N, _}) -> N.

singleton(X) -> {1, {X, nil, nil}}.

is_element(X, S) -> is_member(X, S).

is_member(X, {_, T}) -> member(X, T).

member(X, {E, Small, _}) when X < E -> member(X, Small);
member(X, {E, _, Big}) when X > E -> member(X, Big);
member(_, {_, _, _}) -> true;
member(_, nil) -> false.

%%-----------------------------------------------------------------------
%% Insertion (see gb_trees for the depth budget scheme)
%%-----------------------------------------------------------------------

insert(X, {N, T}) ->
    N1 = N + 1,
    {N1, ins(X, T, N1 * N1)}.

ins(X, {E, Small, Big}, Budget) when X < E ->
    case ins(X, Small, Budget bsr 1) of
        {Small1, H1, C1} when is_integer(H1) -> check_depth({E, Small1, Big}, H1, C1, Big);
        Small1 -> {E, Small1, Big}
    end;
ins(X, {E, Small, Big}, Budget) when X > E ->
    case ins(X, Big, Budget bsr 1) of
        {Big1, H1, C1} when is_integer(H1) -> check_depth({E, Small, Big1}, H1, C1, Small);
        Big1 -> {E, Small, Big1}
    end;
ins(X, nil, 0) -> {{X, nil, nil}, 1, 1};
ins(X, nil, _) -> {X, nil, nil};
ins(X, _, _) -> erlang:error({key_exists, X}).

check_depth(T, H1, C1, Other) ->
    {H2, C2} = height_count(Other),
    H = max(H1, H2) bsl 1,
    C = C1 + C2 + 1,
    case H > C * C of
        true -> rebuild(T, C);
        false -> {T, H, C}
    end.

height_count({_, nil, nil}) -> {1, 1};
height_count({_, Small, Big}) ->
    {H1, C1} = height_count(Small),
    {H2, C2} = height_count(Big),
    {max(H1, H2) bsl 1, C1 + C2 + 1};
height_count(nil) -> {1, 0}.

add_element(X, S) -> add(X, S).

add(X, S) ->
    case is_member(X, S) of
        true -> S;
        false -> insert(X, S)
    end.

%%-----------------------------------------------------------------------
%% Deletion (never rebalances)
%%-----------------------------------------------------------------------

del_element(X, S) -> delete_any(X, S).

delete_any(X, S) ->
    case is_member(X, S) of
        true -> delete(X, S);
        false -> S
    end.

delete(X, {N, T}) -> {N - 1, del(X, T)}.

del(X, {E, Small, Big}) when X < E -> {E, del(X, Small), Big};
del(X, {E, Small, Big}) when X > E -> {E, Small, del(X, Big)};
del(_, {_, Small, Big}) -> join(Small, Big).

join(Small, nil) -> Small;
join(nil, Big) -> Big;
join(Small, Big) ->
    {E, Big1} = pop_smallest(Big),
    {E, Small, Big1}.

take_smallest({N, T}) ->
    {E, T1} = pop_smallest(T),
    {E, {N - 1, T1}}.

pop_smallest({E, nil, Big}) -> {E, Big};
pop_smallest({E, Small, Big}) ->
    {E1, Small1} = pop_smallest(Small),
    {E1, {E, Small1, Big}}.

take_largest({N, T}) ->
    {E, T1} = pop_largest(T),
    {E, {N - 1, T1}}.

pop_largest({E, Small, nil}) -> {E, Small};
pop_largest({E, Small, Big}) ->
    {E1, Big1} = pop_largest(Big),
    {E1, {E, Small, Big1}}.

smallest({_, T}) -> min_node(T).

min_node({E, nil, _}) -> E;
min_node({_, Small, _}) -> min_node(Small).

largest({_, T}) -> max_node(T).

max_node({E, _, nil}) -> E;
max_node({_, _, Big}) -> max_node(Big).

%%-----------------------------------------------------------------------
%% Conversion and balancing
%%-----------------------------------------------------------------------

to_list({_, T}) -> elems(T, []).

elems({E, Small, Big}, Acc) -> elems(Small, [E | elems(Big, Acc)]);
elems(nil, Acc) -> Acc.

from_list(L) -> from_ordset(ordsets:from_list(L)).

from_ordset(L) ->
    N = length(L),
    {N, from_sorted(L, N)}.

balance({N, T}) -> {N, rebuild(T, N)}.

rebuild(T, N) -> from_sorted(elems(T, []), N).

from_sorted(L, N) ->
    {T, _} = build(L, N),
    T.

%% Balanced tree of the first N elements of L (ascending), and the rest.
build(L, N) when N > 1 ->
    Rest = N - 1,
    NBig = Rest div 2,
    {Small, [E | L1]} = build(L, Rest - NBig),
    {Big, L2} = build(L1, NBig),
    {{E, Small, Big}, L2};
build([E | L], 1) -> {{E, nil, nil}, L};
build(L, 0) -> {nil, L}.

%% Same from a descending list.
from_reversed(L, N) ->
    {T, _} = build_rev(L, N),
    T.

build_rev(L, N) when N > 1 ->
    Rest = N - 1,
    NSmall = Rest div 2,
    {Big, [E | L1]} = build_rev(L, Rest - NSmall),
    {Small, L2} = build_rev(L1, NSmall),
    {{E, Small, Big}, L2};
build_rev([E | L], 1) -> {{E, nil, nil}, L};
build_rev(L, 0) -> {nil, L}.

%%-----------------------------------------------------------------------
%% Iterators
%%-----------------------------------------------------------------------

iterator({_, T}) -> push_left(T, []).

push_left({_, nil, _} = T, Stack) -> [T | Stack];
push_left({_, Small, _} = T, Stack) -> push_left(Small, [T | Stack]);
push_left(nil, Stack) -> Stack.

iterator_from(X, {_, T}) -> push_from(X, T, []).

push_from(X, {E, _, Big}, Stack) when E < X -> push_from(X, Big, Stack);
push_from(_, {_, nil, _} = T, Stack) -> [T | Stack];
push_from(X, {_, Small, _} = T, Stack) -> push_from(X, Small, [T | Stack]);
push_from(_, nil, Stack) -> Stack.

next([{E, _, Big} | Stack]) -> {E, push_left(Big, Stack)};
next([]) -> none.

%%-----------------------------------------------------------------------
%% Set operations.  The list of the (smaller) first set is either merged
%% with the list of the other one or looked up element by element in its
%% tree, whichever OTP's cost estimate prefers.
%%-----------------------------------------------------------------------

%% true when walking the other set's list is the cheaper way.
merge_is_cheaper(_, N2) when N2 < 10 -> true;
merge_is_cheaper(N1, N2) -> N2 < N1 * round(1.46 * math:log(N2)).

union({N1, T1}, {N2, T2}) when N2 < N1 -> union_l(elems(T2, []), N2, T1, N1);
union({N1, T1}, {N2, T2}) -> union_l(elems(T1, []), N1, T2, N2).

union_l(L, N1, T2, N2) ->
    case merge_is_cheaper(N1, N2) of
        true -> union_merge(L, elems(T2, []), [], N1 + N2);
        false -> lists:foldl(fun(X, S) -> add(X, S) end, {N2, T2}, L)
    end.

%% Merge two ascending lists into a descending one.  The lists swap roles
%% when the second one's head is smaller; on equal heads the first
%% list's element is kept.
union_merge([X | Xs], [Y | _] = Ys, Acc, N) when X < Y ->
    union_merge(Xs, Ys, [X | Acc], N);
union_merge([X | _] = Xs, [Y | Ys], Acc, N) when X > Y ->
    union_merge(Ys, Xs, [Y | Acc], N);
union_merge([X | Xs], [_ | Ys], Acc, N) ->
    union_merge(Xs, Ys, [X | Acc], N - 1);
union_merge([], Ys, Acc, N) ->
    {N, from_reversed(lists:reverse(Ys, Acc), N)};
union_merge(Xs, [], Acc, N) ->
    {N, from_reversed(lists:reverse(Xs, Acc), N)}.

union([S | Ss]) -> union_all(S, Ss);
union([]) -> empty().

union_all(S, [S1 | Ss]) -> union_all(union(S, S1), Ss);
union_all(S, []) -> S.

intersection({N1, T1}, {N2, T2}) when N2 < N1 -> intersection_l(elems(T2, []), N2, T1, N1);
intersection({N1, T1}, {N2, T2}) -> intersection_l(elems(T1, []), N1, T2, N2).

intersection_l(L, N1, T2, N2) ->
    case merge_is_cheaper(N1, N2) of
        true -> inter_merge(L, elems(T2, []), [], 0);
        false -> keep_if(L, fun(X) -> member(X, T2) end, [], 0)
    end.

inter_merge([X | Xs], [Y | _] = Ys, Acc, N) when X < Y ->
    inter_merge(Xs, Ys, Acc, N);
inter_merge([X | _] = Xs, [Y | Ys], Acc, N) when X > Y ->
    inter_merge(Ys, Xs, Acc, N);
inter_merge([X | Xs], [_ | Ys], Acc, N) ->
    inter_merge(Xs, Ys, [X | Acc], N + 1);
inter_merge(_, _, Acc, N) ->
    {N, from_reversed(Acc, N)}.

%% Elements of L for which Keep is true, as a set.
keep_if([X | Xs], Keep, Acc, N) ->
    case Keep(X) of
        true -> keep_if(Xs, Keep, [X | Acc], N + 1);
        false -> keep_if(Xs, Keep, Acc, N)
    end;
keep_if([], _, Acc, N) ->
    {N, from_reversed(Acc, N)}.

intersection([S | Ss]) -> intersection_all(S, Ss).

intersection_all(S, [S1 | Ss]) -> intersection_all(intersection(S, S1), Ss);
intersection_all(S, []) -> S.

is_disjoint({N1, T1}, {N2, T2}) when N1 < N2 -> disjoint(T1, T2);
is_disjoint({_, T1}, {_, T2}) -> disjoint(T2, T1).

disjoint({E1, Small1, Big1}, {E2, Small2, _} = T2) when E1 < E2 ->
    not member(E1, Small2) andalso disjoint(Small1, Small2) andalso disjoint(Big1, T2);
disjoint({E1, Small1, Big1}, {E2, _, Big2} = T2) when E1 > E2 ->
    not member(E1, Big2) andalso disjoint(Big1, Big2) andalso disjoint(Small1, T2);
disjoint({_, _, _}, {_, _, _}) -> false;
disjoint(nil, _) -> true;
disjoint(_, nil) -> true.

subtract(S1, S2) -> difference(S1, S2).

difference({N1, T1}, {N2, T2}) ->
    L = elems(T1, []),
    case merge_is_cheaper(N1, N2) of
        true -> diff_merge(L, elems(T2, []), [], N1);
        false -> keep_if(L, fun(X) -> not member(X, T2) end, [], 0)
    end.

diff_merge([X | Xs], [Y | _] = Ys, Acc, N) when X < Y ->
    diff_merge(Xs, Ys, [X | Acc], N);
diff_merge([X | _] = Xs, [Y | Ys], Acc, N) when X > Y ->
    diff_merge(Xs, Ys, Acc, N);
diff_merge([_ | Xs], [_ | Ys], Acc, N) ->
    diff_merge(Xs, Ys, Acc, N - 1);
diff_merge([], _, Acc, N) ->
    {N, from_reversed(Acc, N)};
diff_merge(Xs, [], Acc, N) ->
    {N, from_reversed(lists:reverse(Xs, Acc), N)}.

is_subset({N1, T1}, {N2, T2}) ->
    L = elems(T1, []),
    case merge_is_cheaper(N1, N2) of
        true -> subset_merge(L, elems(T2, []));
        false -> lists:all(fun(X) -> member(X, T2) end, L)
    end.

subset_merge([X | _], [Y | _]) when X < Y -> false;
subset_merge([X | _] = Xs, [Y | Ys]) when X > Y -> subset_merge(Xs, Ys);
subset_merge([_ | Xs], [_ | Ys]) -> subset_merge(Xs, Ys);
subset_merge([], _) -> true;
subset_merge(_, []) -> false.

%%-----------------------------------------------------------------------
%% Misc
%%-----------------------------------------------------------------------

is_set({0, nil}) -> true;
is_set({N, {_, _, _}}) when is_integer(N), N >= 0 -> true;
is_set(_) -> false.

filter(F, S) when is_function(F, 1) ->
    from_ordset([X || X <- to_list(S), F(X)]).

fold(F, Acc, {_, T}) when is_function(F, 2) -> fold_node(F, Acc, T).

fold_node(F, Acc, {E, Small, Big}) -> fold_node(F, F(E, fold_node(F, Acc, Small)), Big);
fold_node(_, Acc, _) -> Acc.
