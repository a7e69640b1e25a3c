%% proplists functions and miscellaneous sequential BIFs: node/0, self/0 and
%% make_ref/0 (type only), unique_integer (ordering only), max/min, atoms,
%% is_process_alive(self()), erlang:fun_to_list-free checks.
-module(proplists_misc).
-export([start/0]).

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

start() ->
    PL = [{name, "x"}, debug, {level, 3}, {level, 4}, {verbose, false}, {"str", key}],
    p("get_value", {proplists:get_value(name, PL), proplists:get_value(level, PL), proplists:get_value(nope, PL),
                    proplists:get_value(nope, PL, dflt)}),
    p("get_bool", {proplists:get_bool(debug, PL), proplists:get_bool(verbose, PL), proplists:get_bool(nope, PL)}),
    p("lookup", {proplists:lookup(level, PL), proplists:lookup(debug, PL), proplists:lookup(nope, PL)}),
    p("lookup_all", proplists:lookup_all(level, PL)),
    p("get_all_values", proplists:get_all_values(level, PL)),
    p("is_defined", {proplists:is_defined(debug, PL), proplists:is_defined(nope, PL)}),
    p("delete", proplists:delete(level, PL)),
    p("get_keys", lists:sort(proplists:get_keys(PL))),
    p("property", {proplists:property({a, true}), proplists:property(b, 1)}),
    p("unfold/compact", {proplists:unfold([a, {b, 1}]), proplists:compact([{a, true}, {b, 1}])}),
    p("substitute_aliases", proplists:substitute_aliases([{colour, color}], [{colour, red}, x])),
    p("expand", proplists:expand([{all, [a, b]}], [all, c])),
    p("to_map", proplists:to_map([{a, 1}, b, {c, 3}])),
    p("from_map", lists:sort(proplists:from_map(#{x => 1, y => 2}))),
    p("split", proplists:split([{a, 1}, {b, 2}, c, {a, 3}], [a, c])),
    p("node", node()),
    p("self is pid", is_pid(self())),
    p("alive", is_process_alive(self())),
    p("ref", is_reference(make_ref())),
    p("refs differ", make_ref() =/= make_ref()),
    U1 = erlang:unique_integer([positive, monotonic]),
    U2 = erlang:unique_integer([positive, monotonic]),
    p("unique monotonic", {is_integer(U1), U2 > U1, U1 > 0}),
    p("unique plain", is_integer(erlang:unique_integer())),
    p("max/min", {max(1, 2), min(a, "a"), max({1}, {0, 0}), min(2.0, 2)}),
    p("atom ops", {is_atom(list_to_atom("new_one")), atom_to_list(node()) =:= "nonode@nohost"}),
    p("element/tuple", {element(2, {x, y}), setelement(1, {x}, z)}),
    p("size", {size({1, 2}), size(<<1, 2, 3>>)}),
    ok.
