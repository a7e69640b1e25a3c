%% Guards: every type test (is_atom ... is_record), is_function/2, is_map_key,
%% map_get, tuple_size/byte_size/bit_size in guards, and/or/xor/not,
%% andalso/orelse (also outside guards), guard sequences with ';', and guard
%% BIFs that fail (making the clause fail rather than raise).
-module(guards).
-export([start/0]).

-record(pt, {x = 0, y = 0}).

id(X) -> X.

type(X) when is_integer(X) -> integer;
type(X) when is_float(X) -> float;
type(X) when is_atom(X), is_boolean(X) -> boolean;
type(X) when is_atom(X) -> atom;
type(X) when is_binary(X) -> binary;
type(X) when is_bitstring(X) -> bitstring;
type(X) when is_list(X), X =/= [] -> list;
type([]) -> nil;
type(X) when is_record(X, pt) -> pt_record;
type(X) when is_tuple(X) -> tuple;
type(X) when is_map(X) -> map;
type(X) when is_function(X, 0) -> fun0;
type(X) when is_function(X) -> function;
type(X) when is_pid(X) -> pid;
type(X) when is_port(X) -> port;
type(X) when is_reference(X) -> reference;
type(_) -> unknown.

num(X) when is_number(X) -> number;
num(_) -> not_number.

in_range(X) when X >= 1, X =< 10 -> in;
in_range(X) when X < 1; X > 10 -> out.

logic(A, B) when A and B -> both;
logic(A, B) when A or B -> one;
logic(A, B) when not (A xor B) -> neither.

short(X) when is_integer(X) andalso X > 0 -> pos_int;
short(X) when is_atom(X) orelse is_binary(X) -> atom_or_bin;
short(_) -> other.

fail_guard(X) when element(2, X) =:= b -> second_is_b;
fail_guard(X) when length(X) > 2 -> long_list;
fail_guard(X) when hd(X) =:= h -> head_h;
fail_guard(_) -> fallback.

sizes(T) when tuple_size(T) =:= 3 -> triple;
sizes(B) when byte_size(B) > 2 -> long_binary;
sizes(B) when bit_size(B) =:= 16 -> two_bytes;   % AtomVM has no 4-bit bitstrings
sizes(M) when map_size(M) =:= 0 -> empty_map;
sizes(_) -> other.

mapg(M) when is_map_key(k, M), map_get(k, M) > 5 -> big_k;
mapg(M) when is_map_key(k, M) -> small_k;
mapg(#{}) -> no_k;
mapg(_) -> not_map.

rec(R) when R#pt.x > 0, is_record(R, pt, 3) -> positive_x;
rec(#pt{}) -> other_pt;
rec(_) -> not_pt.

abs_guard(X) when abs(X) > 5, trunc(X * 1.0) =/= 7 -> far;
abs_guard(X) when X >= 0, X =< 3 -> small_non_neg;
abs_guard(_) -> other.

float_guard(X) when float(X) > 2.5 -> gt;
float_guard(X) when round(X) =:= 2, ceil(X) >= 2, floor(X) =< 2 -> about2;
float_guard(_) -> other.

start() ->
    Values = [1, 1.5, true, ok, <<"b">>, <<1, 4>>, [1], [], #pt{x = 1}, {t}, #{}, fun() -> ok end,
              fun(_) -> ok end, self(), make_ref(), 1 bsl 80],
    io:format("types: ~p~n", [[type(V) || V <- Values]]),
    io:format("nums: ~p~n", [[num(V) || V <- [1, 2.0, a, 1 bsl 90]]]),
    io:format("range: ~p~n", [[in_range(V) || V <- [0, 1, 5, 10, 11]]]),
    io:format("logic: ~p~n", [[logic(A, B) || A <- [true, false], B <- [true, false]]]),
    io:format("short: ~p~n", [[short(V) || V <- [5, -5, a, <<>>, "s"]]]),
    io:format("fail_guard: ~p~n", [[fail_guard(V) || V <- [{a, b}, {a}, [1, 2, 3], [h], [x], x, {}]]]),
    io:format("sizes: ~p~n", [[sizes(V) || V <- [{1, 2, 3}, <<"abc">>, <<5, 4>>, #{}, #{a => 1}, 7]]]),
    io:format("map guards: ~p~n", [[mapg(V) || V <- [#{k => 9}, #{k => 1}, #{j => 1}, [k]]]]),
    io:format("record guards: ~p~n", [[rec(V) || V <- [#pt{x = 3}, #pt{}, {pt, 1}, {other, 1, 2}]]]),
    io:format("bif guards: ~p~n", [[abs_guard(V) || V <- [-9, 7, 2, -1, 8]]]),
    io:format("float guards: ~p~n", [[float_guard(V) || V <- [3.0, 2.2, 1.4, 1, a]]]),
    T = id(true), F = id(false),
    io:format("andalso/orelse values: ~p ~p ~p ~p~n", [T andalso F, F orelse T, F andalso exit(never), T orelse exit(never)]),
    io:format("andalso non-bool rhs: ~p ~p~n", [T andalso id(ok), F orelse id(42)]),
    io:format("and/or exprs: ~p ~p ~p ~p~n", [T and F, T or F, T xor T, not F]),
    io:format("badarg and: ~p~n", [try id(1) and T catch error:R -> R end]),
    io:format("badarg andalso: ~p~n", [try id(1) andalso T catch error:R2 -> R2 end]),
    io:format("if: ~p~n", [[if X > 2 -> big; X =:= 2 -> two; true -> small end || X <- [1, 2, 3]]]),
    io:format("is_function/2 arities: ~p~n", [[is_function(fun lists:map/2, N) || N <- [0, 1, 2, 3]]]),
    io:format("bif tests in body: ~p~n", [[is_atom(a), is_binary(<<>>), is_bitstring(<<1:1>>), is_boolean(0),
                                           is_list([a | b]), is_tuple({}), is_map(#{}), is_number(1.0),
                                           is_pid(self()), is_reference(make_ref()), is_port(self())]]),
    ok.
