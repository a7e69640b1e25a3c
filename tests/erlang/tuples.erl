%% Tuples: construction (put_tuple2), element/setelement, tuple_size/size,
%% make_tuple, append_element, insert/delete_element, tuple_to_list,
%% list_to_tuple, large tuples, get_tuple_element/set_tuple_element, errors.
-module(tuples).
-export([start/0]).

id(X) -> X.

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    T = id({a, b, c}),
    io:format("element: ~p ~p~n", [element(1, T), element(3, T)]),
    io:format("setelement: ~p~n", [setelement(2, T, x)]),
    io:format("multi setelement: ~p~n", [setelement(1, setelement(3, setelement(2, T, 2), 3), 1)]),
    io:format("sizes: ~p ~p ~p~n", [tuple_size(T), size(T), tuple_size({})]),
    io:format("make_tuple: ~p ~p~n", [erlang:make_tuple(3, z), erlang:make_tuple(5, 0, [{2, a}, {4, b}])]),
    io:format("append_element: ~p~n", [erlang:append_element(T, d)]),
    io:format("insert_element: ~p~n", [erlang:insert_element(1, T, first)]),
    io:format("delete_element: ~p~n", [erlang:delete_element(2, T)]),
    io:format("to_list: ~p~n", [tuple_to_list(T)]),
    io:format("from_list: ~p~n", [list_to_tuple([1, "two", {3}])]),
    Big = list_to_tuple(lists:seq(1, 300)),
    io:format("big tuple: ~p ~p ~p~n", [tuple_size(Big), element(300, Big), lists:sum(tuple_to_list(Big))]),
    io:format("big setelement: ~p~n", [element(150, setelement(150, Big, x))]),
    {A, B, C} = T,
    io:format("destructure: ~p ~p ~p~n", [A, B, C]),
    Nested = {{1, {2, {3, {4}}}}},
    {{_, {_, {Three, {Four}}}}} = Nested,
    io:format("nested: ~p ~p~n", [Three, Four]),
    io:format("swap: ~p~n", [swap({1, 2})]),
    io:format("rotate: ~p~n", [rotate(rotate({x, y, z}))]),
    io:format("update loop: ~p~n", [update_loop(id({0, 0, 0, 0}), 1)]),
    io:format("tuple compare: ~p~n", [lists:sort([{b, 1}, {a, 2}, {a, 1, 0}, {a}])]),
    io:format("element 0: ~p~n", [err(fun() -> element(id(0), T) end)]),
    io:format("element 4: ~p~n", [err(fun() -> element(id(4), T) end)]),
    io:format("element non-tuple: ~p~n", [err(fun() -> element(1, id([a])) end)]),
    io:format("setelement bad: ~p~n", [err(fun() -> setelement(id(5), T, x) end)]),
    io:format("tuple_size list: ~p~n", [err(fun() -> tuple_size(id([])) end)]),
    io:format("list_to_tuple improper: ~p~n", [err(fun() -> list_to_tuple(id([a | b])) end)]),
    io:format("make_tuple neg: ~p~n", [err(fun() -> erlang:make_tuple(id(-1), a) end)]),
    io:format("delete_element bad: ~p~n", [err(fun() -> erlang:delete_element(id(9), T) end)]),
    ok.

swap({X, Y}) -> {Y, X}.
rotate({X, Y, Z}) -> {Y, Z, X}.

update_loop(T, 5) -> T;
update_loop(T, I) -> update_loop(setelement(I, T, I * I), I + 1).
