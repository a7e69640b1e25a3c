%% Type conversion BIFs/NIFs: atoms <-> lists/binaries, integers <-> lists/
%% binaries (with bases), floats <-> lists/binaries, tuples <-> lists,
%% binary <-> list, list_to_existing_atom, and their failures.
-module(conversions).
-export([start/0]).

id(X) -> X.

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    p("atom_to_list", {atom_to_list(hello), atom_to_list('With Space'), atom_to_list('')}),
    p("atom_to_binary", {atom_to_binary(hello), atom_to_binary(hello, utf8), atom_to_binary(hello, latin1)}),
    p("list_to_atom", {list_to_atom("dynamic_atom"), list_to_atom("Quoted Atom"), list_to_atom([])}),
    p("binary_to_atom", {binary_to_atom(<<"bin_atom">>), binary_to_atom(<<"x">>, utf8), binary_to_atom(<<"y">>, latin1)}),
    p("existing", {list_to_existing_atom("start"), binary_to_existing_atom(<<"error">>, utf8), binary_to_existing_atom(<<"ok">>)}),
    p("integer_to_list", {integer_to_list(0), integer_to_list(-123), integer_to_list(1 bsl 100)}),
    p("integer_to_list base", {integer_to_list(255, 2), integer_to_list(-255, 16), integer_to_list(35, 36)}),
    p("integer_to_binary", {integer_to_binary(42), integer_to_binary(-42, 16), integer_to_binary(1 bsl 65)}),
    p("list_to_integer", {list_to_integer("42"), list_to_integer("-0042"), list_to_integer("+7"), list_to_integer("123456789012345678901234567890")}),
    p("list_to_integer base", {list_to_integer("FF", 16), list_to_integer("ff", 16), list_to_integer("-z", 36)}),
    p("binary_to_integer", {binary_to_integer(<<"99">>), binary_to_integer(<<"-1010">>, 2), binary_to_integer(<<"1F">>, 16)}),
    p("float_to_list", float_to_list(1.25, [{decimals, 3}])),
    p("list_to_float", {list_to_float("3.5"), list_to_float("-1.0e-3")}),
    p("binary_to_float", binary_to_float(<<"6.25">>)),
    p("number_to_list roundtrip", [list_to_integer(integer_to_list(N)) =:= N || N <- [0, 1, -1, 1 bsl 62, -(1 bsl 80)]]),
    p("tuple_to_list", {tuple_to_list({a, {b}, "c"}), tuple_to_list({})}),
    p("list_to_tuple", list_to_tuple([x, y, [z]])),
    p("binary_to_list", {binary_to_list(<<"abc">>), binary_to_list(<<>>)}),
    p("list_to_binary", list_to_binary([$a, <<"b">>, ["c", [$d]]])),
    p("atom length", length(atom_to_list(list_to_atom(lists:duplicate(255, $q))))),
    p("char codes", [$a, $Z, $0, $\s, $\t, $\\, $', $"]),
    p("escapes", "\a\b\d\e\f\n\r\s\t\v\\\'\"\101\x41\x{42}\^A"),
    p("integer_to_list bad base", err(fun() -> integer_to_list(10, id(1)) end)),
    p("list_to_integer empty", err(fun() -> list_to_integer(id("")) end)),
    p("list_to_integer float str", err(fun() -> list_to_integer(id("1.0")) end)),
    p("list_to_float no dot", err(fun() -> list_to_float(id("1e10")) end)),
    p("list_to_float bad", err(fun() -> list_to_float(id("abc")) end)),
    p("binary_to_float int", err(fun() -> binary_to_float(id(<<"7">>)) end)),
    p("atom_to_list int", err(fun() -> atom_to_list(id(7)) end)),
    p("list_to_atom bad", err(fun() -> list_to_atom(id([foo])) end)),
    p("list_to_existing missing", err(fun() -> list_to_existing_atom(id("qqq_not_an_atom_anywhere")) end)),
    p("binary_to_atom badarg", err(fun() -> binary_to_atom(id(not_binary), utf8) end)),
    p("tuple_to_list bad", err(fun() -> tuple_to_list(id([])) end)),
    p("list_to_tuple bad", err(fun() -> list_to_tuple(id(x)) end)),
    p("list_to_binary bad", err(fun() -> list_to_binary(id([-1])) end)),
    ok.
