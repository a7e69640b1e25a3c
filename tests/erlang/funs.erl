%% Funs: make_fun with and without free variables, call_fun, fun M:F/A,
%% dynamic external funs, closures capturing many values, named funs,
%% funs returning funs, higher order, badfun and badarity, fun_info, is_function/2.
-module(funs).
-export([start/0, sq/1, id/1]).

start() ->
    F0 = fun() -> zero end,
    F1 = fun(X) -> X + 1 end,
    A = 10, B = {tuple, 2}, C = "str",
    Clo = fun(X) -> {X, A, B, C} end,
    io:format("F0: ~p~n", [F0()]),
    io:format("F1: ~p~n", [F1(41)]),
    io:format("closure: ~p~n", [Clo(x)]),
    Adder = make_adder(5),
    io:format("adder: ~p~n", [Adder(10)]),
    Compose = compose(fun(X) -> X * 2 end, fun(X) -> X + 3 end),
    io:format("compose: ~p~n", [Compose(4)]),
    Ext = fun ?MODULE:sq/1,
    io:format("ext fun: ~p~n", [Ext(9)]),
    Ext2 = fun lists:reverse/1,
    io:format("lists:reverse/1 fun: ~p~n", [Ext2([1, 2, 3])]),
    M = id(erlang), Fn = id(atom_to_list), Ar = id(1),
    Dyn = fun M:Fn/Ar,
    io:format("dyn ext fun: ~p~n", [Dyn(hello)]),
    io:format("map with ext: ~p~n", [lists:map(fun erlang:abs/1, [-1, 2, -3])]),
    Fact = fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end,
    io:format("named fun fact(15): ~p~n", [Fact(15)]),
    Counter = counter(0),
    io:format("counter chain: ~p~n", [((Counter(inc))(inc))(get)]),
    Fs = [fun(X) -> X + I end || I <- lists:seq(1, 5)],
    io:format("list of closures: ~p~n", [[F(100) || F <- Fs]]),
    io:format("curry: ~p~n", [(((curry3(fun(X, Y, Z) -> X * 100 + Y * 10 + Z end))(1))(2))(3)]),
    io:format("foldl fun: ~p~n", [lists:foldl(fun(X, Acc) -> [X | Acc] end, [], [a, b, c])]),
    io:format("is_function/1: ~p ~p~n", [is_function(F1), is_function(id(foo))]),
    io:format("is_function/2: ~p ~p ~p~n", [is_function(F1, 1), is_function(F1, 2), is_function(Ext, 1)]),
    io:format("fun_info arity: ~p ~p~n", [erlang:fun_info(F1, arity), erlang:fun_info(Clo, arity)]),
    io:format("fun_info ext: ~p ~p ~p ~p~n", [erlang:fun_info(Ext, module), erlang:fun_info(Ext, name),
                                           erlang:fun_info(Ext, arity), erlang:fun_info(Ext, type)]),
    io:format("fun_info local type/module: ~p ~p~n", [erlang:fun_info(F1, type), erlang:fun_info(F1, module)]),
    io:format("fun equality: ~p ~p~n", [Ext =:= fun ?MODULE:sq/1, Ext =:= Ext2]),
    io:format("badfun: ~p~n", [err(fun() -> (id(not_a_fun))(1) end)]),
    io:format("badfun tuple: ~p~n", [err(fun() -> (id({a, b}))() end)]),
    io:format("badarity: ~p~n", [badarity(fun() -> (id(F1))(1, 2) end)]),
    io:format("badarity ext: ~p~n", [badarity(fun() -> (id(Ext))() end)]),
    io:format("undef via fun: ~p~n", [err(fun() -> (fun ?MODULE:nope/0)() end)]),
    io:format("apply closure: ~p~n", [apply(Clo, [y])]),
    io:format("deep closure: ~p~n", [(deep(3))()]),
    io:format("funs in tuple: ~p~n", [call_all({fun() -> 1 end, fun() -> 2 end})]),
    Big = lists:seq(1, 30),
    Many = fun() -> lists:sum(Big) + A end,
    io:format("captured list: ~p~n", [Many()]),
    ok.

sq(X) -> X * X.
id(X) -> X.

make_adder(N) -> fun(X) -> X + N end.
compose(F, G) -> fun(X) -> F(G(X)) end.

counter(N) ->
    fun(inc) -> counter(N + 1);
       (get) -> N
    end.

curry3(F) -> fun(X) -> fun(Y) -> fun(Z) -> F(X, Y, Z) end end end.

deep(0) -> fun() -> bottom end;
deep(N) -> Inner = deep(N - 1), fun() -> {N, Inner()} end.

call_all({F, G}) -> F() + G().

err(F) ->
    try F() of V -> {ok, V} catch C:R -> {C, R} end.

badarity(F) ->
    try F() of V -> {ok, V}
    catch error:{badarity, {Fun, Args}} -> {badarity, is_function(Fun), Args}
    end.
