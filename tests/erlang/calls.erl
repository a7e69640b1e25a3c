%% Local, tail, body and external calls; multiple arities; mutual recursion;
%% apply/2, apply/3 (static and dynamic), call_ext_last/call_ext_only, undef.
-module(calls).
-export([start/0, add/2, add/3, twice/1, id/1, dyn/0]).

start() ->
    io:format("add/2: ~p~n", [add(1, 2)]),
    io:format("add/3: ~p~n", [add(1, 2, 3)]),
    io:format("ext add/2: ~p~n", [?MODULE:add(10, 20)]),
    io:format("lists:reverse: ~p~n", [lists:reverse([1, 2, 3])]),
    io:format("even/odd: ~p ~p ~p~n", [is_even(10), is_odd(7), is_even(3)]),
    io:format("body calls: ~p~n", [body(5)]),
    io:format("tail count: ~p~n", [count(0, 1000)]),
    io:format("ext tail: ~p~n", [ext_tail([3, 1, 2])]),
    io:format("apply/2 local fun: ~p~n", [apply(fun(A, B) -> A * B end, [6, 7])]),
    io:format("apply/2 ext fun: ~p~n", [apply(fun ?MODULE:add/2, [4, 5])]),
    io:format("apply/3 static: ~p~n", [apply(calls, add, [1, 1])]),
    M = id(calls), F = id(add),
    io:format("apply/3 dynamic: ~p~n", [apply(M, F, [2, 3, 4])]),
    io:format("erlang:apply/3: ~p~n", [erlang:apply(lists, seq, [1, 5])]),
    io:format("M:F(A) dynamic: ~p~n", [M:F(100, 1)]),
    io:format("M:F dynamic tail: ~p~n", [dyn_tail(lists, max, [[4, 9, 2]])]),
    io:format("apply dyn tail: ~p~n", [apply_tail(erlang, length, [[a, b, c]])]),
    io:format("apply bif: ~p~n", [apply(erlang, element, [2, {a, b, c}])]),
    io:format("apply op: ~p~n", [apply(erlang, '+', [2, 40])]),
    io:format("many args: ~p~n", [many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)]),
    io:format("twice twice: ~p~n", [twice(twice(3))]),
    io:format("dyn/0: ~p~n", [(id(?MODULE)):dyn()]),
    io:format("undef mod: ~p~n", [catch_reason(fun() -> (id(no_such_module_xyz)):foo(1) end)]),
    io:format("undef fun: ~p~n", [catch_reason(fun() -> (id(lists)):no_such_function(1) end)]),
    io:format("undef apply: ~p~n", [catch_reason(fun() -> apply(id(calls), id(add), [1]) end)]),
    io:format("badarg apply: ~p~n", [catch_reason(fun() -> apply(id(1), id(add), [1]) end)]),
    io:format("badarg apply list: ~p~n", [catch_reason(fun() -> apply(calls, add, id([1|2])) end)]),
    io:format("nested: ~p~n", [lists:map(fun(X) -> add(X, add(X, X)) end, [1, 2, 3])]),
    io:format("fact(20): ~p~n", [fact(20)]),
    ok.

catch_reason(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.

id(X) -> X.
add(A, B) -> A + B.
add(A, B, C) -> A + B + C.
twice(X) -> 2 * X.
dyn() -> dynamic_ok.

is_even(0) -> true;
is_even(N) -> is_odd(N - 1).
is_odd(0) -> false;
is_odd(N) -> is_even(N - 1).

body(0) -> [];
body(N) -> [N * N | body(N - 1)].

count(Acc, 0) -> Acc;
count(Acc, N) -> count(Acc + N, N - 1).

ext_tail(L) -> lists:sort(L).
dyn_tail(M, F, A) -> apply(M, F, A).
apply_tail(M, F, A) -> erlang:apply(M, F, A).

many(A, B, C, D, E, F, G, H, I, J, K, L) ->
    {A + B + C + D, E * F * G * H, [I, J, K, L]}.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
