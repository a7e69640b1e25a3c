%% case/function-head dispatch: select_val on atoms, small and big integers,
%% floats; select_tuple_arity on tuples of different sizes; is_tagged_tuple
%% patterns; nested patterns; case_clause/if_clause/function_clause errors.
-module(select).
-export([start/0]).

id(X) -> X.

atom_sel(red) -> 1;
atom_sel(green) -> 2;
atom_sel(blue) -> 3;
atom_sel(cyan) -> 4;
atom_sel(magenta) -> 5;
atom_sel(yellow) -> 6;
atom_sel(_) -> 0.

int_sel(X) ->
    case X of
        0 -> zero;
        1 -> one;
        2 -> two;
        3 -> three;
        10 -> ten;
        100 -> hundred;
        -1 -> minus_one;
        1000000 -> million;
        18446744073709551616 -> two_pow_64;
        _ -> other
    end.

dense(X) ->
    case X of
        1 -> a; 2 -> b; 3 -> c; 4 -> d; 5 -> e; 6 -> f; 7 -> g; 8 -> h; 9 -> i; 10 -> j;
        _ -> none
    end.

float_sel(1.5) -> one_and_half;
float_sel(2.0) -> two_float;
float_sel(2) -> two_int;
float_sel(_) -> other.

tuple_sel(T) ->
    case T of
        {} -> empty;
        {A} -> {one, A};
        {A, B} -> {two, A, B};
        {A, B, C} -> {three, A + B + C};
        {_, _, _, _} -> four;
        {_, _, _, _, _, _, _, _, _, _} -> ten;
        _ when is_tuple(T) -> {big, tuple_size(T)};
        _ -> not_tuple
    end.

tagged({ok, V}) -> {value, V};
tagged({error, R}) -> {failed, R};
tagged({ok, A, B}) -> {pair, A, B};
tagged({point, X, Y}) when X > Y -> above;
tagged({point, _, _}) -> below;
tagged(_) -> unknown.

nested({a, [1, {b, X} | _], #{k := V}}) -> {matched, X, V};
nested({a, [_ | T], _}) -> {tail, T};
nested(_) -> nomatch.

mixed(X) ->
    case X of
        a -> atom_a;
        1 -> int_1;
        [] -> nil;
        "s" -> string_s;
        <<"bin">> -> binary;
        {} -> empty_tuple;
        #{} -> any_map;
        [_ | _] -> list;
        _ -> other
    end.

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    io:format("atoms: ~p~n", [[atom_sel(A) || A <- [red, green, blue, cyan, magenta, yellow, black, 7]]]),
    io:format("ints: ~p~n", [[int_sel(I) || I <- [0, 1, 2, 3, 4, 10, 100, -1, 1000000, 1 bsl 64, a, 1.0]]]),
    io:format("dense: ~p~n", [[dense(I) || I <- lists:seq(0, 11)]]),
    io:format("floats: ~p~n", [[float_sel(F) || F <- [1.5, 2.0, 2, 3.0]]]),
    io:format("tuples: ~p~n", [[tuple_sel(T) || T <- [{}, {1}, {1, 2}, {1, 2, 3}, {1, 2, 3, 4}, {1, 2, 3, 4, 5},
                                                    list_to_tuple(lists:seq(1, 10)), [x]]]]),
    io:format("tagged: ~p~n", [[tagged(T) || T <- [{ok, 1}, {error, e}, {ok, 1, 2}, {point, 2, 1}, {point, 1, 2}, {ok}, ok]]]),
    io:format("nested: ~p~n", [[nested(T) || T <- [{a, [1, {b, 2}, 3], #{k => v}}, {a, [1, {b, 2}], #{}}, {a, [], #{}}]]]),
    io:format("mixed: ~p~n", [[mixed(T) || T <- [a, 1, [], "s", <<"bin">>, {}, #{x => 1}, [1, 2], 2.0, <<>>]]]),
    io:format("case_clause: ~p~n", [err(fun() -> case id(7) of 1 -> one; 2 -> two end end)]),
    io:format("case_clause tuple: ~p~n", [err(fun() -> case id({x, y}) of {x} -> one end end)]),
    io:format("if_clause: ~p~n", [err(fun() -> X = id(5), if X > 10 -> big; X < 0 -> neg end end)]),
    io:format("function_clause: ~p~n", [err(fun() -> tuple_one(id({a, b})) end)]),
    io:format("function_clause fun: ~p~n", [err(fun() -> (id(fun(1) -> one end))(2) end)]),
    io:format("badmatch: ~p~n", [err(fun() -> {ok, _} = id({error, x}) end)]),
    io:format("badmatch list: ~p~n", [err(fun() -> [_, _] = id([1, 2, 3]) end)]),
    ok.

tuple_one({X}) -> X.
