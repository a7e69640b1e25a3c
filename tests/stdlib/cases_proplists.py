"""Cases for proplists (see cases_lists.py for the format)."""

P = "[a, {b, 1}, {c, 2, x}, {b, 2}, \"str\", {d, true}, {e, [1,2]}, e, {e, 3}, {}]"

CASES = [
    "proplists:property({a, true})", "proplists:property({a, false})", "proplists:property({\"a\", true})",
    "proplists:property(a)", "proplists:property({a, b, c})",
    "proplists:property(a, true)", "proplists:property(a, 1)", "proplists:property(\"a\", true)",
    "proplists:unfold([a, {b, 1}, \"s\", c])", "proplists:unfold([])",
    "proplists:compact([{a, true}, {b, 1}, {c, true, x}, \"s\"])", "proplists:compact([])",
]
for k in ("a", "b", "c", "d", "e", "z", "\"str\""):
    CASES += [
        "proplists:lookup(%s, %s)" % (k, P),
        "proplists:lookup_all(%s, %s)" % (k, P),
        "proplists:is_defined(%s, %s)" % (k, P),
        "proplists:get_value(%s, %s)" % (k, P),
        "proplists:get_value(%s, %s, dflt)" % (k, P),
        "proplists:get_all_values(%s, %s)" % (k, P),
        "proplists:append_values(%s, %s)" % (k, P),
        "proplists:get_bool(%s, %s)" % (k, P),
        "proplists:delete(%s, %s)" % (k, P),
    ]
CASES += [
    "proplists:lookup(a, [])", "proplists:get_value(a, [])", "proplists:get_value(a, [], 5)",
    "proplists:get_bool(a, [{a, 1}])", "proplists:get_bool(a, [{a, false}, a])", "proplists:get_bool(a, [{a}])",
    "proplists:get_value(1, [{1.0, x}, {1, y}])",
    ("sort", "proplists:get_keys(%s)" % P), ("sort", "proplists:get_keys([])"),
    ("sort", "proplists:get_keys([a, a, {a, 1}, {b}])"),
    "proplists:substitute_aliases([{a, x}, {b, y}], %s)" % P,
    "proplists:substitute_aliases([], [a])",
    "proplists:substitute_aliases([{a, \"x\"}], [a, {a, 1}])",
    "proplists:substitute_negations([{a, na}, {b, nb}, {d, nd}], %s)" % P,
    "proplists:substitute_negations([{a, na}], [{a, false}, {a, 3}, {a, true}, a])",
    "proplists:normalize(%s, [{aliases, [{a, x}]}, {negations, [{b, nb}]}])" % P,
    "proplists:normalize([{a, true}, b], [])",
    "proplists:split(%s, [a, b, e])" % P, "proplists:split([], [a])", "proplists:split([a, b], [])",
    "proplists:to_map(%s)" % P, "proplists:to_map([])", "proplists:to_map([{a, 1}, {a, 2}])",
    "proplists:to_map([{a, 1, 2}, {a, 2}])", "proplists:to_map([{a, 2}, {a, 1, 2}])", "proplists:to_map([a, {a, false}])",
    "proplists:to_map([{a, true}, b], [{aliases, [{b, c}]}])",
    "proplists:from_map(#{})", "proplists:from_map(#{a => 1, b => true})",
    "proplists:from_map(x)",
]
