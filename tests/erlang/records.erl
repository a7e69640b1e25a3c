%% Records: creation with defaults, field access, single and multi-field
%% update (update_record / setelement), nested records, matching in heads,
%% record indexes (#r.f), is_record, record errors (badrecord tag only).
-module(records).
-export([start/0]).

-record(person, {name, age = 0, email = none, tags = []}).
-record(point, {x = 0 :: integer(), y = 0 :: integer()}).
-record(line, {from = #point{}, to = #point{x = 1, y = 1}}).
-record(empty, {}).

id(X) -> X.

start() ->
    P = #person{name = "Ann", age = 30},
    io:format("new: ~w~n", [P]),
    io:format("defaults: ~w ~w ~w~n", [#person{}, #point{}, #empty{}]),
    io:format("access: ~p ~p ~p~n", [P#person.name, P#person.age, P#person.email]),
    P2 = P#person{age = 31},
    io:format("update one: ~w~n", [P2]),
    P3 = (id(P2))#person{email = "a@b", tags = [x], age = 32},
    io:format("update many: ~w~n", [P3]),
    io:format("original unchanged: ~w~n", [P]),
    L = #line{},
    io:format("nested default: ~w~n", [L]),
    L2 = L#line{to = (L#line.to)#point{y = 9}},
    io:format("nested update: ~w ~p~n", [L2, (L2#line.to)#point.y]),
    io:format("index: ~p ~p ~p~n", [#person.name, #person.tags, #point.y]),
    io:format("size: ~p ~p~n", [record_info(size, person), record_info(fields, point)]),
    io:format("is_record: ~p ~p ~p~n", [is_record(P, person), is_record(P, point), is_record(id({point, 1}), point)]),
    io:format("match head: ~p ~p~n", [greet(P), greet(#person{name = "Bob"})]),
    io:format("area: ~p~n", [len2(#line{from = #point{x = 1, y = 2}, to = #point{x = 4, y = 6}})]),
    io:format("records in list: ~p~n", [[N || #person{name = N, age = A} <- people(), A > 20]]),
    io:format("keyfind by index: ~w~n", [lists:keyfind("Cid", #person.name, people())]),
    io:format("sort by age: ~p~n", [[N || #person{name = N} <- lists:keysort(#person.age, people())]]),
    io:format("as tuple: ~p~n", [element(1, P) =:= person andalso tuple_size(P) =:= 5]),
    io:format("bump loop: ~w~n", [bump(#point{}, 5)]),
    io:format("access wrong record: ~p~n", [err(fun() -> (id(#point{}))#person.name end)]),
    io:format("update wrong record: ~p~n", [err(fun() -> (id({foo, 1}))#point{x = 2} end)]),
    io:format("access non-tuple: ~p~n", [err(fun() -> (id(atom))#person.age end)]),
    ok.

err(F) ->
    try F() of V -> {ok, V}
    catch error:{badrecord, _} -> {error, badrecord};
          C:R -> {C, R}
    end.

greet(#person{name = Name, age = 0}) -> {hello_newborn, Name};
greet(#person{name = Name}) -> {hello, Name}.

len2(#line{from = #point{x = X1, y = Y1}, to = #point{x = X2, y = Y2}}) ->
    (X2 - X1) * (X2 - X1) + (Y2 - Y1) * (Y2 - Y1).

people() ->
    [#person{name = "Ann", age = 30}, #person{name = "Bob", age = 12}, #person{name = "Cid", age = 44}].

bump(P, 0) -> P;
bump(P = #point{x = X, y = Y}, N) -> bump(P#point{x = X + 1, y = Y + 2}, N - 1).
