%% Maps: literals, building with =>, updating with => and :=, pattern matching
%% in heads/case (get_map_elements/has_map_fields), map_get, is_map_key,
%% map_size, nested maps, variable keys, complex keys, and badkey/badmap.
-module(maps_basic).
-export([start/0]).

id(X) -> X.

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    M0 = #{},
    M1 = #{a => 1, b => 2},
    K = id(c),
    M2 = M1#{K => 3},
    M3 = M2#{a := 100},
    M4 = (id(M3))#{b => two, d => [4]},
    io:format("literals: ~p ~p~n", [M0, M1]),
    io:format("assoc: ~p~n", [M2]),
    io:format("exact: ~p~n", [M3]),
    io:format("mixed: ~p~n", [M4]),
    io:format("~~w: ~w~n", [M4]),
    io:format("size: ~p ~p~n", [map_size(M4), map_size(M0)]),
    io:format("map_get: ~p ~p~n", [map_get(a, M4), map_get(d, M4)]),
    io:format("is_map_key: ~p ~p~n", [is_map_key(a, M4), is_map_key(z, M4)]),
    #{a := A, d := D} = M4,
    io:format("match: ~p ~p~n", [A, D]),
    io:format("head match: ~p~n", [[describe(X) || X <- [#{type => circle, r => 2}, #{type => square, side => 3},
                                                         #{type => tri}, #{}, not_a_map]]]),
    io:format("var key match: ~p~n", [lookup(b, M1)]),
    Complex = #{{1, 2} => tuple, [1] => list, <<"bin">> => binary, 1 => int, 2.5 => float, #{x => 1} => map},
    io:format("complex keys: ~p~n", [[maps:get(Key, Complex) || Key <- [{1, 2}, [1], <<"bin">>, 1, 2.5, #{x => 1}]]]),
    io:format("float/int keys: ~p ~p~n", [maps:is_key(1.0, #{1 => a}), map_size(#{1 => a, 1.0 => b})]),
    Nested = #{outer => #{inner => #{leaf => 42}}},
    #{outer := #{inner := #{leaf := Leaf}}} = Nested,
    io:format("nested: ~p~n", [Leaf]),
    Upd = Nested#{outer := (map_get(outer, Nested))#{inner := #{leaf => 43}}},
    io:format("nested update: ~p~n", [Upd]),
    io:format("equality: ~p ~p ~p~n", [#{a => 1, b => 2} =:= #{b => 2, a => 1}, #{a => 1} == #{a => 1.0}, #{a => 1} =:= #{a => 1.0}]),
    io:format("counter: ~p~n", [count_words(["a", "b", "a", "c", "b", "a"])]),
    Big = maps:from_list([{I, I * I} || I <- lists:seq(1, 30)]),
    io:format("30 keys: ~p~n", [Big]),
    io:format("big sum: ~p~n", [lists:sum(maps:values(Big))]),
    io:format("match empty pattern: ~p~n", [case id(#{q => 1}) of #{} -> any_map end]),
    io:format("badkey: ~p~n", [err(fun() -> (id(M1))#{zz := 1} end)]),
    io:format("badmap update: ~p~n", [err(fun() -> (id(not_map))#{a => 1} end)]),
    io:format("badmap exact: ~p~n", [err(fun() -> (id([1]))#{a := 1} end)]),
    io:format("map_get missing: ~p~n", [err(fun() -> map_get(zz, id(M1)) end)]),
    io:format("map_get badmap: ~p~n", [err(fun() -> map_get(a, id(7)) end)]),
    io:format("is_map_key badmap: ~p~n", [err(fun() -> is_map_key(a, id(7)) end)]),
    io:format("map_size badmap: ~p~n", [err(fun() -> map_size(id(7)) end)]),
    io:format("match fail: ~p~n", [err(fun() -> #{a := 5} = id(M1) end)]),
    ok.

describe(#{type := circle, r := R}) -> {circle, R};
describe(#{type := square} = M) -> {square, maps:get(side, M)};
describe(#{type := T}) -> {unknown_shape, T};
describe(#{}) -> empty;
describe(_) -> not_map.

lookup(K, M) ->
    case M of
        #{K := V} -> {found, V};
        _ -> missing
    end.

count_words(Ws) ->
    lists:foldl(fun(W, Acc) ->
                        case Acc of
                            #{W := N} -> Acc#{W := N + 1};
                            _ -> Acc#{W => 1}
                        end
                end, #{}, Ws).
