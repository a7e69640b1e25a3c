%% List primitives: cons/get_list/get_hd/get_tl, hd/tl/length, ++ and --,
%% improper lists, strings as lists, list comprehensions (multiple generators,
%% filters, pattern generators, nested), list patterns, and list errors.
-module(lists_basic).
-export([start/0]).

id(X) -> X.

err(F) -> try F() catch C:R -> {C, R} end.

%% AtomVM's io_lib (avmsim's too) fails on an improper list, so one is printed as
%% {'|', [H1, ..., Hn], Tail}.
shown(L) when is_list(L) -> shown(L, []);
shown(X) -> X.

shown([H | T], Acc) -> shown(T, [H | Acc]);
shown([], Acc) -> lists:reverse(Acc);
shown(Tail, Acc) -> {'|', lists:reverse(Acc), Tail}.

start() ->
    L = id([1, 2, 3, 4, 5]),
    [H | T] = L,
    io:format("hd/tl: ~p ~p ~p ~p~n", [H, T, hd(L), tl(L)]),
    io:format("length: ~p ~p~n", [length(L), length([])]),
    io:format("++: ~p ~p ~p~n", [L ++ [6], [] ++ L, shown([a] ++ b)]),
    io:format("--: ~p ~p ~p~n", [L -- [2, 4], [a, b, a, c, a] -- [a, a], "hello" -- "l"]),
    io:format("improper: ~p ~w~n", [shown([1, 2 | 3]), shown([a | {b}])]),
    io:format("cons build: ~p~n", [[0 | L]]),
    io:format("string: ~p ~p ~s~n", ["abc", [$a, $b | "cd"], [$x, "yz", <<"w">>]]),
    io:format("comp: ~p~n", [[X * X || X <- L]]),
    io:format("comp filter: ~p~n", [[X || X <- L, X rem 2 =:= 1]]),
    io:format("comp 2 gens: ~p~n", [[{X, Y} || X <- [1, 2], Y <- [a, b]]]),
    io:format("comp dependent: ~p~n", [[{X, Y} || X <- lists:seq(1, 4), Y <- lists:seq(X, 4), X + Y =:= 5]]),
    io:format("comp pattern: ~p~n", [[V || {ok, V} <- [{ok, 1}, error, {ok, 2}, {error, 3}]]]),
    io:format("comp nested: ~p~n", [[[Y || Y <- lists:seq(1, X)] || X <- [1, 2, 3]]]),
    io:format("comp from binary gen: ~p~n", [[B || <<B>> <= <<1, 2, 3>>]]),
    io:format("pythag: ~p~n", [[{A, B, C} || C <- lists:seq(1, 20), B <- lists:seq(1, C), A <- lists:seq(1, B), A * A + B * B =:= C * C]]),
    io:format("qsort: ~p~n", [qsort([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])]),
    io:format("perms: ~p~n", [perms([a, b, c])]),
    io:format("match 3 prefix: ~p~n", [[first3(X) || X <- [[1, 2, 3, 4], [1, 2], "abc"]]]),
    io:format("string prefix: ~p~n", [[pre(X) || X <- ["GET /x", "POST /y", "PUT"]]]),
    io:format("zipwith: ~p~n", [zip3([1, 2, 3], [a, b, c], "xyz")]),
    io:format("reverse acc: ~p~n", [rev(lists:seq(1, 10), [])]),
    io:format("deep list length: ~p~n", [length([[1, 2], [3], []])]),
    io:format("hd []: ~p~n", [err(fun() -> hd(id([])) end)]),
    io:format("tl []: ~p~n", [err(fun() -> tl(id([])) end)]),
    io:format("length improper: ~p~n", [err(fun() -> length(id([1 | 2])) end)]),
    io:format("++ improper: ~p~n", [err(fun() -> id([1 | 2]) ++ [3] end)]),
    io:format("-- non list: ~p~n", [err(fun() -> id([1]) -- id(a) end)]),
    io:format("comp non-list: ~p~n", [err(fun() -> [X || X <- id(notalist)] end)]),
    ok.

qsort([]) -> [];
qsort([P | T]) -> qsort([X || X <- T, X < P]) ++ [P] ++ qsort([X || X <- T, X >= P]).

perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].

first3([A, B, C | _]) -> {A, B, C};
first3(_) -> short.

pre("GET " ++ Path) -> {get, Path};
pre("POST " ++ Path) -> {post, Path};
pre(_) -> other.

zip3([A | As], [B | Bs], [C | Cs]) -> [{A, B, C} | zip3(As, Bs, Cs)];
zip3([], [], []) -> [].

rev([], Acc) -> Acc;
rev([H | T], Acc) -> rev(T, [H | Acc]).
