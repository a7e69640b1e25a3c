%% Comparison operators and the standard term order across all printable types:
%% number < atom < reference < fun < port < pid < tuple < map < nil < list < binary.
%% (No bitstring that is not whole bytes: AtomVM can neither build nor decode one.)
-module(compare).
-export([start/0]).

id(X) -> X.

%% AtomVM's io_lib (avmsim's too) fails on an improper list, so one is printed as
%% {'|', [H1, ..., Hn], Tail}.
shown(L) when is_list(L) -> shown(L, []);
shown(X) -> X.

shown([H | T], Acc) -> shown(T, [H | Acc]);
shown([], Acc) -> lists:reverse(Acc);
shown(Tail, Acc) -> {'|', lists:reverse(Acc), Tail}.

start() ->
    Terms = [<<"b">>, [a], [], #{a => 1}, {1, 2}, {2}, atom, 1.5, 2, -10, 1 bsl 70,
             <<1, 3>>, <<>>, "abc", {}, #{}, zzz, 'Aa', -1.0e10, [a | b], {a, b, c}],
    io:format("sorted: ~w~n", [[shown(T) || T <- lists:sort(Terms)]]),
    io:format("rsorted: ~w~n", [[shown(T) || T <- lists:reverse(lists:sort(Terms))]]),
    Fun = fun() -> ok end,
    Ref = make_ref(),
    Order = [Ref > 99999999, Ref > zzz, Fun > Ref, Fun < {}, self() > Fun, self() < {},
             {} < #{}, #{} < [], [] < [1], [1] < <<>>, 1 < a],
    io:format("type order: ~p~n", [Order]),
    io:format("num: ~p ~p ~p ~p~n", [1 < 2, 1.0 < 1, 1 =< 1.0, 2 >= 2.0]),
    io:format("eq: ~p ~p ~p ~p~n", [1 == 1.0, 1 =:= 1.0, 1 /= 1.0, 1 =/= 1.0]),
    io:format("eq big: ~p ~p~n", [(1 bsl 64) == id(18446744073709551616), (1 bsl 64) == 18446744073709551616.0]),
    io:format("atoms: ~p ~p ~p~n", [a < b, 'B' < a, abc < abd]),
    io:format("tuples by size first: ~p ~p ~p~n", [{9, 9} < {1, 1, 1}, {1, 2} < {1, 3}, {a, 1} < {a, 1.5}]),
    io:format("lists: ~p ~p ~p ~p~n", [[1, 2] < [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 9, 9], "abc" < "abd"]),
    io:format("improper: ~p ~p~n", [[1 | 2] < [1, 2], [1 | a] > [1 | 2]]),
    io:format("maps by size then keys: ~p ~p ~p~n",
              [#{z => 1} < #{a => 1, b => 2}, #{a => 2} < #{b => 1}, #{a => 1} < #{a => 2}]),
    io:format("maps int/float key: ~p ~p~n", [#{1 => a} < #{1.0 => a}, #{1 => a} == #{1.0 => a}]),
    io:format("binaries: ~p ~p ~p ~p~n", [<<1>> < <<2>>, <<1>> < <<1, 0>>, <<0>> < <<1>>, <<>> < <<0>>]),
    io:format("nested eq: ~p ~p~n", [{1, [2.0]} == {1, [2]}, {1, [2.0]} =:= {1, [2]}]),
    io:format("min max: ~p ~p ~p~n", [min(a, 1), max([], {}), max("a", <<"a">>)]),
    io:format("sort nums: ~p~n", [lists:sort([3, 1.0, 2, 1.5, -1, 0.5, 2.5, 1 bsl 65, -7.0])]),
    io:format("usort nums: ~p~n", [lists:usort([3, 1.0, 2, 3, 1.0, 2, a, a, "x", "x"])]),
    io:format("cmp fn: ~p~n", [[cmp(X, Y) || {X, Y} <- [{1, 2}, {2, 1}, {1, 1.0}, {a, "a"}, {<<>>, []}]]]),
    io:format("is_eq guards: ~p~n", [[classify(X) || X <- [0, 0.0, 1, a, "x", [], {}]]]),
    ok.

cmp(A, B) when A < B -> lt;
cmp(A, B) when A > B -> gt;
cmp(A, B) when A == B -> eq.

classify(X) when X =:= 0 -> exact_zero;
classify(X) when X == 0 -> zero_ish;
classify(X) when X =/= [], is_list(X) -> nonempty_list;
classify([]) -> nil;
classify(X) when X /= 1 -> not_one;
classify(_) -> one.
