"""Cases for tests/test_datastructs_vs_otp.py.

Every case is one line of Erlang expressions (comma separated, no tabs or
newlines) evaluated both with OTP's modules and with ours; the value (and
its ~p form) or the exception class and reason must be identical.
Random operation sequences use a fixed seed.
"""
import random

R = random.Random(20250325)

# Terms of many kinds (hashing for sets/dict, ordering for the others).
TERMS = [
    "0", "1", "-1", "1.0", "-0.0", "0.0", "2.5", "255", "256", "-256", "1 bsl 27",
    "1 bsl 31", "1 bsl 32", "1 bsl 59", "1 bsl 60", "1 bsl 64", "-(1 bsl 70)",
    "123456789012345678901234567890", "a", "b", "'hello world'", "'ÅÄÖ'", "'ĀĂ'",
    "[]", "\"abc\"", "[1,2,3]", "[a|b]", "[300, x, \"y\"]", "{}", "{a}", "{a, {b, [c]}}",
    "<<>>", "<<1,2,3>>", "<<\"bin\">>", "<<1:3>>", "<<255, 7:5>>", "#{}", "#{a => 1}",
    "[{k, 1}, {k, 1.0}]", "[[]]", "{1.0, 1}",
]
T = "[" + ", ".join(TERMS) + "]"


def qcases():
    c = []
    Q = ["queue:new()", "queue:from_list([1])", "queue:from_list([1,2])", "queue:from_list([1,2,3])",
         "queue:from_list([1,2,3,4,5])", "queue:from_list(lists:seq(1, 10))",
         "{[1], []}", "{[], [1]}", "{[3,2,1], []}", "{[], [1,2,3]}", "{[5,4], [1,2,3]}"]
    BAD = ["x", "{a, b}", "{[1], x}", "[]", "{[], [], []}"]
    for q in Q + BAD:
        for f in ["is_queue", "is_empty", "len", "to_list", "out", "out_r", "get", "get_r",
                  "peek", "peek_r", "drop", "drop_r", "reverse", "head", "tail", "last",
                  "daeh", "init", "liat", "lait"]:
            c.append("queue:%s(%s)" % (f, q))
        for f in ["in", "in_r", "member", "delete", "delete_r"]:
            c.append("queue:%s(3, %s)" % (f, q))
        c.append("queue:cons(0, %s)" % q)
        c.append("queue:snoc(%s, 9)" % q)
        for n in [0, 1, 2, 3, 5, 11, -1]:
            c.append("queue:split(%d, %s)" % (n, q))
        c.append("queue:filter(fun(X) -> X rem 2 =:= 1 end, %s)" % q)
        c.append("queue:filter(fun(X) -> [X, X * 10] end, %s)" % q)
        c.append("queue:filter(fun(3) -> [a]; (2) -> []; (_) -> true end, %s)" % q)
        c.append("queue:filtermap(fun(X) when X > 2 -> {true, X * 2}; (X) -> X =:= 1 end, %s)" % q)
        c.append("queue:fold(fun(X, A) -> [X | A] end, [], %s)" % q)
        c.append("queue:any(fun(X) -> X > 2 end, %s)" % q)
        c.append("queue:all(fun(X) -> X > 2 end, %s)" % q)
        c.append("queue:delete_with(fun(X) -> X > 1 end, %s)" % q)
        c.append("queue:delete_with_r(fun(X) -> X < 4 end, %s)" % q)
        c.append("queue:join(%s, queue:from_list([a, b, c]))" % q)
        c.append("queue:join(queue:from_list([a]), %s)" % q)
    c += ["queue:from_list(x)", "queue:from_list([a|b])", "queue:filter(x, queue:new())",
          "queue:fold(fun(X) -> X end, 0, queue:new())", "queue:split(a, queue:new())",
          "queue:any(fun(X) -> X end, queue:from_list([1]))",
          "queue:filtermap(fun(X) -> X end, queue:from_list([1, 2, 3]))",
          "queue:delete(1.0, queue:from_list([1, 1.0, 1]))",
          "queue:delete_r(1.0, queue:from_list([1.0, 1, 1.0, 2]))"]
    # random operation sequences, printing the queue after each step
    for n in range(60):
        steps = []
        for i in range(R.randint(1, 30)):
            op = R.choice(["in", "in", "in_r", "out", "out_r", "drop", "drop_r", "reverse",
                           "split", "filter", "delete", "join", "cons", "snoc", "liat", "tail"])
            steps.append("{%s, %d}" % (op, R.randint(0, 6)))
        c.append("lists:foldl(fun({in, X}, {Q, Acc}) -> Q1 = queue:in(X, Q), {Q1, [Q1 | Acc]}; "
                 "({in_r, X}, {Q, Acc}) -> Q1 = queue:in_r(X, Q), {Q1, [Q1 | Acc]}; "
                 "({cons, X}, {Q, Acc}) -> Q1 = queue:cons(X, Q), {Q1, [Q1 | Acc]}; "
                 "({snoc, X}, {Q, Acc}) -> Q1 = queue:snoc(Q, X), {Q1, [Q1 | Acc]}; "
                 "({out, _}, {Q, Acc}) -> {R, Q1} = queue:out(Q), {Q1, [R, Q1 | Acc]}; "
                 "({out_r, _}, {Q, Acc}) -> {R, Q1} = queue:out_r(Q), {Q1, [R, Q1 | Acc]}; "
                 "({reverse, _}, {Q, Acc}) -> Q1 = queue:reverse(Q), {Q1, [Q1 | Acc]}; "
                 "({split, N}, {Q, Acc}) -> case N =< queue:len(Q) of true -> {A, B} = queue:split(N, Q), {queue:join(B, A), [A, B | Acc]}; false -> {Q, Acc} end; "
                 "({filter, N}, {Q, Acc}) -> Q1 = queue:filter(fun(X) -> X =/= N end, Q), {Q1, [Q1 | Acc]}; "
                 "({delete, N}, {Q, Acc}) -> Q1 = queue:delete(N, Q), {Q1, [Q1 | Acc]}; "
                 "({join, N}, {Q, Acc}) -> Q1 = queue:join(Q, queue:from_list(lists:seq(1, N))), {Q1, [Q1 | Acc]}; "
                 "({Op, _}, {Q, Acc}) -> case queue:is_empty(Q) of true -> {Q, Acc}; false -> Q1 = queue:Op(Q), {Q1, [Q1 | Acc]} end "
                 "end, {queue:new(), []}, [%s])" % ", ".join(steps))
    return c


def sets_cases():
    c = []
    for v in ["", ", [{version, 1}]", ", [{version, 2}]"]:
        fl = "sets:from_list(%%s%s)" % v
        S = [fl % "[]", fl % "[1]", fl % "[1, 2, 3]", fl % "[1, 1.0, a, {b}]", fl % T,
             fl % "lists:seq(1, 100)", fl % "lists:seq(1, 500)",
             fl % "[{X, Y} || X <- lists:seq(1, 20), Y <- [a, \"b\", <<\"c\">>, 2.5]]"]
        for s in S:
            c.append(s)
            for f in ["is_set", "size", "is_empty"]:
                c.append("sets:%s(%s)" % (f, s))
            c.append("lists:sort(sets:to_list(%s))" % s)
            for e in ["1", "1.0", "a", "{b}", "7", "[]", "-0.0", "<<1:3>>"]:
                c.append("sets:is_element(%s, %s)" % (e, s))
                c.append("sets:add_element(%s, %s)" % (e, s))
                c.append("sets:del_element(%s, %s)" % (e, s))
            c.append("sets:filter(fun(X) -> is_integer(X) end, %s)" % s)
            c.append("sets:filter(fun(X) -> is_integer(X) andalso X rem 3 =:= 0 end, %s)" % s)
            c.append("lists:sort(sets:fold(fun(X, A) -> [X | A] end, [], %s))" % s)
            for s2 in S[:4] + ["sets:from_list(lists:seq(50, 150))"]:
                for f in ["union", "intersection", "subtract", "is_subset", "is_disjoint"]:
                    c.append("sets:%s(%s, %s)" % (f, s, s2))
    c += ["sets:new()", "sets:new([{version, 1}])", "sets:new([{version, 2}])", "sets:new([])",
          "sets:new([{version, 3}])", "sets:new([{other, 1}, {version, 2}])",
          "sets:from_list([1], [{version, 3}])", "sets:from_list(x)",
          "sets:size(x)", "sets:is_set({set, 1})", "sets:is_set(x)", "sets:is_element(1, x)",
          "sets:add_element(1, x)", "sets:del_element(1, x)", "sets:to_list(x)",
          "sets:fold(x, 0, sets:new())", "sets:fold(fun(X) -> X end, 0, sets:new())",
          "sets:filter(x, sets:new())", "sets:filter(fun(X) -> X end, sets:from_list([1]))",
          "sets:union(x, sets:new())", "sets:union(sets:new(), x)", "sets:union([])",
          "sets:union([sets:from_list([1]), sets:from_list([2]), sets:from_list([3, 4])])",
          "sets:intersection([sets:from_list([1, 2]), sets:from_list([2, 3]), sets:from_list([2])])",
          "sets:intersection([])", "sets:intersection([sets:from_list([1])])",
          "sets:union(sets:from_list([1, 2]), sets:from_list([2, 3], [{version, 2}]))",
          "sets:union(sets:from_list([1, 2], [{version, 2}]), sets:from_list([2, 3, 4]))",
          "sets:intersection(sets:from_list([1, 2]), sets:from_list([2, 3], [{version, 2}]))",
          "sets:subtract(sets:from_list([1, 2], [{version, 2}]), sets:from_list([2, 3]))",
          "sets:is_subset(sets:from_list([1, 2], [{version, 2}]), sets:from_list([2, 1]))",
          "io_lib:format(\"~p\", [sets:from_list([1, 2])])"]
    # random add/delete sequences on a version 1 set, keeping every state
    for n in range(25):
        steps = ["{%s, %s}" % (R.choice(["a", "a", "d"]), R.choice(TERMS + [str(R.randint(0, 120))] * 20))
                 for _ in range(R.randint(20, 200))]
        c.append("element(2, lists:foldl(fun({a, X}, {S, Acc}) -> S1 = sets:add_element(X, S), {S1, [S1 | Acc]}; "
                 "({d, X}, {S, Acc}) -> S1 = sets:del_element(X, S), {S1, [S1 | Acc]} end, "
                 "{sets:new(), []}, [%s]))" % ", ".join(steps))
    for n in [79, 80, 81, 160, 161, 300]:
        c.append("S = sets:from_list(lists:seq(1, %d)), [sets:del_element(X, S) || X <- [1, 5, %d]]" % (n, n))
        c.append("S = sets:from_list(lists:seq(1, %d)), sets:filter(fun(X) -> X > %d end, S)" % (n, n // 2))
        c.append("S = sets:from_list(lists:seq(1, %d)), lists:foldl(fun(X, A) -> sets:del_element(X, A) end, S, lists:seq(1, %d, 2))" % (n, n))
    return c


def dict_cases():
    c = []
    pairs = lambda keys: "[" + ", ".join("{%s, %d}" % (k, i) for i, k in enumerate(keys)) + "]"
    D = ["dict:new()", "dict:from_list([{a, 1}])", "dict:from_list([{a, 1}, {b, 2}, {a, 3}])",
         "dict:from_list(%s)" % pairs(TERMS),
         "dict:from_list([{X, X * X} || X <- lists:seq(1, 100)])",
         "dict:from_list([{integer_to_list(X), X} || X <- lists:seq(1, 300)])"]
    for d in D:
        c.append(d)
        for f in ["size", "is_empty", "fetch_keys", "to_list"]:
            c.append("lists:sort(dict:%s(%s))" % (f, d) if f in ("fetch_keys", "to_list")
                     else "dict:%s(%s)" % (f, d))
        for k in ["a", "1", "1.0", "b", "{a}", "\"abc\"", "50", "zz"]:
            for f in ["is_key", "find", "fetch", "erase", "take"]:
                c.append("dict:%s(%s, %s)" % (f, k, d))
            c.append("dict:store(%s, new, %s)" % (k, d))
            c.append("dict:append(%s, new, %s)" % (k, d))
            c.append("dict:append_list(%s, [x, y], %s)" % (k, d))
            c.append("dict:update(%s, fun(V) -> {V} end, %s)" % (k, d))
            c.append("dict:update(%s, fun(V) -> {V} end, init, %s)" % (k, d))
            c.append("dict:update_counter(%s, 5, %s)" % (k, d))
        c.append("dict:map(fun(K, V) -> {K, V} end, %s)" % d)
        c.append("dict:filter(fun(_, V) -> is_integer(V) andalso V rem 2 =:= 0 end, %s)" % d)
        c.append("lists:sort(dict:fold(fun(K, V, A) -> [{K, V} | A] end, [], %s))" % d)
        for d2 in D[:3] + ["dict:from_list([{X, -X} || X <- lists:seq(90, 200)])"]:
            c.append("dict:merge(fun(K, V1, V2) -> {K, V1, V2} end, %s, %s)" % (d, d2))
    c += ["dict:fetch(a, x)", "dict:find(a, x)", "dict:store(a, 1, x)", "dict:size(x)",
          "dict:is_empty(x)", "dict:to_list(x)", "dict:from_list(x)", "dict:from_list([a])",
          "dict:fold(x, 0, dict:new())", "dict:fold(x, 0, dict:from_list([{a, 1}]))",
          "dict:fold(fun(K, V) -> V end, 0, dict:from_list([{a, 1}]))",
          "dict:map(x, dict:new())", "dict:map(x, dict:from_list([{a, 1}]))",
          "dict:filter(x, dict:new())", "dict:filter(x, dict:from_list([{a, 1}]))",
          "dict:filter(fun(_, _) -> maybe end, dict:from_list([{a, 1}]))",
          "dict:update(a, x, dict:from_list([{a, 1}]))", "dict:update(a, x, 0, dict:new())",
          "dict:update(a, x, 0, dict:from_list([{a, 1}]))", "dict:update_counter(a, x, dict:new())",
          "dict:update_counter(a, 1, dict:from_list([{a, x}]))",
          "dict:merge(fun(_, A, B) -> A + B end, x, dict:new())",
          "dict:merge(fun(_, A, B) -> A + B end, dict:new(), x)",
          "dict:merge(fun(_, A, B) -> A + B end, x, dict:from_list([{a, 1}]))",
          "dict:update(a, fun(_) -> throw(badarg) end, dict:from_list([{a, 1}]))",
          "dict:append(a, 2, dict:from_list([{a, x}]))",
          "io_lib:format(\"~p\", [dict:from_list([{a, 1}])])"]
    for n in range(20):
        steps = []
        for _ in range(R.randint(30, 250)):
            k = R.choice(TERMS + [str(R.randint(0, 150))] * 30)
            steps.append("{%s, %s}" % (R.choice(["s", "s", "s", "e", "a", "u", "t"]), k))
        c.append("element(2, lists:foldl(fun({s, K}, {D, Acc}) -> D1 = dict:store(K, x, D), {D1, [D1 | Acc]}; "
                 "({e, K}, {D, Acc}) -> D1 = dict:erase(K, D), {D1, [D1 | Acc]}; "
                 "({a, K}, {D, Acc}) -> D1 = dict:append(K, y, D), {D1, [D1 | Acc]}; "
                 "({u, K}, {D, Acc}) -> D1 = dict:update_counter(K, 1, dict:erase(K, D)), {D1, [D1 | Acc]}; "
                 "({t, K}, {D, Acc}) -> case dict:take(K, D) of error -> {D, [error | Acc]}; {V, D1} -> {D1, [V, D1 | Acc]} end end, "
                 "{dict:new(), []}, [%s]))" % ", ".join(steps))
    return c


def tree_seq(mod, n, keyrange, floats):
    steps = []
    for _ in range(n):
        k = R.randint(0, keyrange)
        key = "%d.0" % k if floats and R.random() < 0.3 else str(k)
        steps.append("{%s, %s}" % (R.choice(["i", "i", "i", "d", "e", "b", "s", "l", "t"]), key))
    return "[%s]" % ", ".join(steps)


def gb_trees_cases():
    c = []
    G = ["gb_trees:empty()", "gb_trees:from_orddict([{1, a}])",
         "gb_trees:from_orddict([{X, X * 2} || X <- lists:seq(1, 10)])",
         "lists:foldl(fun(X, T) -> gb_trees:insert(X, x, T) end, gb_trees:empty(), lists:seq(1, 50))",
         "lists:foldl(fun(X, T) -> gb_trees:insert(X, x, T) end, gb_trees:empty(), lists:seq(40, 1, -1))",
         "lists:foldl(fun(X, T) -> gb_trees:enter(X rem 17, X, T) end, gb_trees:empty(), lists:seq(1, 60))"]
    for g in G:
        c.append(g)
        for f in ["is_empty", "size", "to_list", "keys", "values", "balance", "smallest", "largest",
                  "take_smallest", "take_largest", "iterator"]:
            c.append("gb_trees:%s(%s)" % (f, g))
        for k in ["1", "1.0", "5", "0", "100", "a"]:
            for f in ["lookup", "get", "is_defined", "delete", "delete_any", "take", "take_any"]:
                c.append("gb_trees:%s(%s, %s)" % (f, k, g))
            c.append("gb_trees:insert(%s, new, %s)" % (k, g))
            c.append("gb_trees:update(%s, new, %s)" % (k, g))
            c.append("gb_trees:enter(%s, new, %s)" % (k, g))
            c.append("I = gb_trees:iterator_from(%s, %s), {K1, _, I1} = gb_trees:next(I), {K1, gb_trees:next(I1)}" % (k, g))
        c.append("gb_trees:map(fun(K, V) -> {K, V} end, %s)" % g)
        c.append("I = gb_trees:iterator(%s), lists:reverse(element(2, lists:foldl(fun(_, {It, A}) -> case gb_trees:next(It) of none -> {It, A}; {K, V, It1} -> {It1, [{K, V} | A]} end end, {I, []}, lists:seq(1, 70))))" % g)
    c += ["gb_trees:size(x)", "gb_trees:insert(a, 1, x)", "gb_trees:map(x, gb_trees:empty())",
          "gb_trees:from_orddict(x)", "gb_trees:next([])", "gb_trees:lookup(a, x)"]
    for n in range(60):
        seq = tree_seq("gb_trees", R.randint(5, 120), R.choice([10, 40, 200]), n % 3 == 0)
        c.append("element(2, lists:foldl(fun({i, K}, {T, Acc}) -> case gb_trees:is_defined(K, T) of true -> {T, Acc}; false -> T1 = gb_trees:insert(K, K, T), {T1, [T1 | Acc]} end; "
                 "({e, K}, {T, Acc}) -> T1 = gb_trees:enter(K, e, T), {T1, [T1 | Acc]}; "
                 "({d, K}, {T, Acc}) -> T1 = gb_trees:delete_any(K, T), {T1, [T1 | Acc]}; "
                 "({b, _}, {T, Acc}) -> T1 = gb_trees:balance(T), {T1, [T1 | Acc]}; "
                 "({t, K}, {T, Acc}) -> case gb_trees:take_any(K, T) of error -> {T, Acc}; {V, T1} -> {T1, [V, T1 | Acc]} end; "
                 "({s, _}, {T, Acc}) -> case gb_trees:is_empty(T) of true -> {T, Acc}; false -> {K1, V1, T1} = gb_trees:take_smallest(T), {T1, [{K1, V1}, T1 | Acc]} end; "
                 "({l, _}, {T, Acc}) -> case gb_trees:is_empty(T) of true -> {T, Acc}; false -> {K1, V1, T1} = gb_trees:take_largest(T), {T1, [{K1, V1}, T1 | Acc]} end end, "
                 "{gb_trees:empty(), []}, %s))" % seq)
    return c


def gb_sets_cases():
    c = []
    G = ["gb_sets:empty()", "gb_sets:singleton(1)", "gb_sets:from_list([3, 1, 2, 1.0, 3.0])",
         "gb_sets:from_list(lists:seq(1, 30))", "gb_sets:from_list(%s)" % T,
         "lists:foldl(fun(X, S) -> gb_sets:add(X, S) end, gb_sets:new(), lists:seq(1, 50))",
         "lists:foldl(fun(X, S) -> gb_sets:add(X, S) end, gb_sets:new(), [X * 1.0 || X <- lists:seq(25, 1, -1)])"]
    S2 = ["gb_sets:from_list([1.0, 2.0, 5, 7])", "gb_sets:from_list(lists:seq(2, 60, 3))",
          "gb_sets:from_list([X * 1.0 || X <- lists:seq(1, 200)])", "gb_sets:empty()",
          "gb_sets:from_list(lists:seq(1, 12))"]
    for g in G:
        c.append(g)
        for f in ["is_empty", "size", "to_list", "balance", "smallest", "largest", "take_smallest",
                  "take_largest", "is_set", "iterator"]:
            c.append("gb_sets:%s(%s)" % (f, g))
        for k in ["1", "1.0", "5", "0", "100", "a"]:
            for f in ["is_member", "is_element", "add", "add_element", "delete", "delete_any",
                      "del_element", "insert"]:
                c.append("gb_sets:%s(%s, %s)" % (f, k, g))
            c.append("I = gb_sets:iterator_from(%s, %s), {K1, I1} = gb_sets:next(I), {K1, gb_sets:next(I1)}" % (k, g))
        c.append("gb_sets:filter(fun(X) -> is_number(X) andalso X > 3 end, %s)" % g)
        c.append("gb_sets:fold(fun(X, A) -> [X | A] end, [], %s)" % g)
        for s2 in S2 + G[:5]:
            for f in ["union", "intersection", "difference", "subtract", "is_subset", "is_disjoint"]:
                c.append("gb_sets:%s(%s, %s)" % (f, g, s2))
    c += ["gb_sets:union([])", "gb_sets:union([gb_sets:from_list([1, 2]), gb_sets:from_list([2.0, 3]), gb_sets:from_list([0])])",
          "gb_sets:intersection([gb_sets:from_list([1, 2]), gb_sets:from_list([2.0, 3])])",
          "gb_sets:intersection([])", "gb_sets:size(x)", "gb_sets:is_set(x)", "gb_sets:is_set({1, x})",
          "gb_sets:filter(x, gb_sets:new())", "gb_sets:filter(fun(X) -> X end, gb_sets:from_list([1]))",
          "gb_sets:fold(x, 0, gb_sets:new())", "gb_sets:from_list(x)", "gb_sets:insert(1, gb_sets:singleton(1))"]
    for n in range(50):
        a = [R.randint(0, 60) * (1.0 if R.random() < 0.2 else 1) for _ in range(R.randint(0, 80))]
        b = [R.randint(0, 60) * (1.0 if R.random() < 0.2 else 1) for _ in range(R.randint(0, 80))]
        la = "[" + ", ".join(repr(x) for x in a) + "]"
        lb = "[" + ", ".join(repr(x) for x in b) + "]"
        f = R.choice(["union", "intersection", "difference", "is_subset", "is_disjoint"])
        c.append("A = lists:foldl(fun(X, S) -> gb_sets:add(X, S) end, gb_sets:new(), %s), B = gb_sets:from_list(%s), {A, gb_sets:%s(A, B), gb_sets:%s(B, A)}" % (la, lb, f, f))
    for n in range(40):
        seq = tree_seq("gb_sets", R.randint(5, 150), R.choice([10, 40, 300]), n % 3 == 0)
        c.append("element(2, lists:foldl(fun({i, K}, {T, Acc}) -> T1 = gb_sets:add(K, T), {T1, [T1 | Acc]}; "
                 "({e, K}, {T, Acc}) -> T1 = gb_sets:add_element(K, T), {T1, [T1 | Acc]}; "
                 "({d, K}, {T, Acc}) -> T1 = gb_sets:delete_any(K, T), {T1, [T1 | Acc]}; "
                 "({b, _}, {T, Acc}) -> T1 = gb_sets:balance(T), {T1, [T1 | Acc]}; "
                 "({t, K}, {T, Acc}) -> T1 = gb_sets:union(T, gb_sets:from_list(lists:seq(K, K + 5))), {T1, [T1 | Acc]}; "
                 "({s, _}, {T, Acc}) -> case gb_sets:is_empty(T) of true -> {T, Acc}; false -> {K1, T1} = gb_sets:take_smallest(T), {T1, [K1, T1 | Acc]} end; "
                 "({l, _}, {T, Acc}) -> case gb_sets:is_empty(T) of true -> {T, Acc}; false -> {K1, T1} = gb_sets:take_largest(T), {T1, [K1, T1 | Acc]} end end, "
                 "{gb_sets:empty(), []}, %s))" % seq)
    return c


def ord_cases():
    c = []
    S = ["[]", "[1]", "[1, 2, 3]", "[1.0, 2, 3.0, a]", "ordsets:from_list(%s)" % T, "[3, 2]", "x", "[1|2]"]
    # (fold and filter of an improper list are left out: they only reach
    # lists:foldl/filter, whose error for them differs from OTP's)
    for s in S:
        for f in ["is_set", "size", "is_empty", "to_list", "from_list"]:
            c.append("ordsets:%s(%s)" % (f, s))
        for e in ["1", "1.0", "2.5", "a", "0", "z"]:
            for f in ["is_element", "add_element", "del_element"]:
                c.append("ordsets:%s(%s, %s)" % (f, e, s))
        if s != "[1|2]":
            c.append("ordsets:fold(fun(X, A) -> [X | A] end, [], %s)" % s)
            c.append("ordsets:filter(fun(X) -> is_integer(X) end, %s)" % s)
        for s2 in S[:5] + ["[2.0, 3, 4]"]:
            for f in ["union", "intersection", "subtract", "is_subset", "is_disjoint"]:
                c.append("ordsets:%s(%s, %s)" % (f, s, s2))
    c += ["ordsets:new()", "ordsets:union([[1, 2], [2.0, 3], [0]])", "ordsets:union([])",
          "ordsets:intersection([[1, 2], [2.0, 3]])", "ordsets:intersection([])",
          "ordsets:intersection([[1]])"]
    D = ["[]", "[{a, 1}]", "orddict:from_list([{b, 2}, {a, 1}, {c, 3}, {a, 4}])",
         "orddict:from_list([{1, x}, {1.0, y}, {2, z}])", "[{1, a}, {2, b}, {3.0, c}]", "x"]
    for d in D:
        for f in ["to_list", "from_list", "size", "is_empty", "fetch_keys"]:
            c.append("orddict:%s(%s)" % (f, d))
        for k in ["a", "1", "1.0", "2", "c", "z", "0"]:
            for f in ["is_key", "fetch", "find", "erase", "take"]:
                c.append("orddict:%s(%s, %s)" % (f, k, d))
            c.append("orddict:store(%s, new, %s)" % (k, d))
            c.append("orddict:append(%s, new, orddict:map(fun(_, V) -> [V] end, %s))" % (k, d))
            c.append("orddict:append_list(%s, [n], %s)" % (k, d))
            c.append("orddict:update(%s, fun(V) -> {V} end, %s)" % (k, d))
            c.append("orddict:update(%s, fun(V) -> {V} end, init, %s)" % (k, d))
            c.append("orddict:update_counter(%s, 1, orddict:map(fun(_, _) -> 0 end, %s))" % (k, d))
        c.append("orddict:fold(fun(K, V, A) -> [{K, V} | A] end, [], %s)" % d)
        c.append("orddict:map(fun(K, V) -> {K, V} end, %s)" % d)
        c.append("orddict:filter(fun(K, _) -> is_integer(K) end, %s)" % d)
        for d2 in D[:5]:
            c.append("orddict:merge(fun(K, V1, V2) -> {K, V1, V2} end, %s, %s)" % (d, d2))
    c += ["orddict:new()", "orddict:from_list([a])", "orddict:from_list([{a, 1}, b])",
          "orddict:fold(x, 0, [])", "orddict:map(x, [])", "orddict:filter(x, [])",
          "orddict:merge(x, [], [])", "orddict:update_counter(a, 1, [{a, x}])"]
    return c


def calendar_cases():
    c = []
    dates = ["{2024, 2, 29}", "{2023, 2, 29}", "{2000, 1, 1}", "{1900, 3, 1}", "{0, 1, 1}",
             "{1970, 1, 1}", "{9999, 12, 31}", "{2021, 1, 3}", "{2020, 12, 31}", "{2015, 12, 31}",
             "{2016, 1, 1}", "{2026, 1, 1}", "{2024, 13, 1}", "{2024, 0, 1}", "{2024, 4, 31}",
             "{-1, 1, 1}", "{2024, 1, 0}", "{2024, 1, 1.0}", "{a, 1, 1}", "x", "{2024, 6, 15}",
             "{1, 1, 1}", "{2004, 12, 27}", "{2008, 12, 29}", "{2010, 1, 3}"]
    for d in dates:
        for f in ["date_to_gregorian_days", "day_of_the_week", "valid_date", "iso_week_number"]:
            c.append("calendar:%s(%s)" % (f, d))
        c.append("calendar:datetime_to_gregorian_seconds({%s, {12, 30, 45}})" % d)
    for y in [0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, -4, "4.0", "a"]:
        c.append("calendar:is_leap_year(%s)" % y)
        for m in [1, 2, 4, 12, 13, 0, "2.0"]:
            c.append("calendar:last_day_of_the_month(%s, %s)" % (y, m))
            c.append("calendar:valid_date(%s, %s, 29)" % (y, m))
    for n in [0, 1, 58, 59, 60, 365, 366, 730119, 730120, 738000, 3652424, 3652425, -1, "1.5", "a"]:
        c.append("calendar:gregorian_days_to_date(%s)" % n)
    # round trip over many days
    c.append("[D || D <- lists:seq(0, 800000, 97), calendar:date_to_gregorian_days(calendar:gregorian_days_to_date(D)) =/= D]")
    c.append("[calendar:gregorian_days_to_date(D) || D <- lists:seq(0, 3000000, 997)]")
    c.append("[calendar:iso_week_number(calendar:gregorian_days_to_date(D)) || D <- lists:seq(366, 800000, 61)]")
    c.append("[calendar:day_of_the_week(calendar:gregorian_days_to_date(D)) || D <- lists:seq(0, 800000, 1013)]")
    for s in [0, 1, 86399, 86400, 63113904000, 63871545600, -1, "1.5"]:
        c.append("calendar:gregorian_seconds_to_datetime(%s)" % s)
    for s in [0, 1, 3599, 3600, 86399, 86400, -1, "1.5"]:
        c.append("calendar:seconds_to_time(%s)" % s)
    for s in [0, 1, 86399, 86400, 86401, -1, -86400, -86401, 1000000, -1000000]:
        c.append("calendar:seconds_to_daystime(%s)" % s)
    c += ["calendar:time_to_seconds({1, 2, 3})", "calendar:time_to_seconds({25, 70, 99})",
          "calendar:time_to_seconds({1, 2, 3.0})", "calendar:time_to_seconds(x)",
          "calendar:time_difference({{2024, 1, 1}, {0, 0, 0}}, {{2024, 3, 1}, {12, 0, 1}})",
          "calendar:time_difference({{2024, 3, 1}, {12, 0, 1}}, {{2024, 1, 1}, {0, 0, 0}})",
          "calendar:time_difference({{2024, 1, 1}, {0, 0, 0}}, x)",
          "calendar:now_to_datetime({1700, 123456, 789})", "calendar:now_to_universal_time({0, 0, 0})",
          "calendar:now_to_local_time({1234, 567890, 0})", "calendar:now_to_datetime({-1, 0, 0})",
          "calendar:now_to_datetime(x)",
          "calendar:universal_time_to_local_time({{2024, 5, 6}, {7, 8, 9}})",
          "calendar:local_time_to_universal_time({{2024, 5, 6}, {7, 8, 9}})",
          "calendar:local_time_to_universal_time({{2024, 5, 6}, {7, 8, 9}}, false)",
          "calendar:local_time_to_universal_time_dst({{2024, 5, 6}, {7, 8, 9}})",
          "calendar:universal_time_to_local_time({{2024, 2, 30}, {7, 8, 9}})",
          "calendar:universal_time_to_local_time(x)",
          "calendar:local_time_to_universal_time({{2024, 5, 6}, {24, 8, 9}})",
          "calendar:system_time_to_local_time(1700000000123, millisecond)",
          "calendar:universal_time() =:= erlang:universaltime()",
          "element(1, calendar:local_time()) =:= date()",
          "{Y, W} = calendar:iso_week_number(), is_integer(Y) andalso W >= 1 andalso W =< 53"]
    for t, u in [(0, "second"), (1700000000, "second"), (1700000000123, "millisecond"),
                 (1700000000123456, "microsecond"), (1700000000123456789, "nanosecond"),
                 (-1, "second"), (-1500, "millisecond"), (253402300799, "second"),
                 (253402300800, "second"), (-62167219200, "second"), (-62167219201, "second"),
                 (1, "millisecond"), (999, "microsecond"), ("1.0", "second"), (0, "bogus")]:
        c.append("calendar:system_time_to_universal_time(%s, %s)" % (t, u))
        for opts in ["[]", "[{offset, \"Z\"}]", "[{offset, \"+02:00\"}]", "[{offset, \"-05:30\"}]",
                     "[{offset, 3600}]", "[{offset, -5400}]", "[{time_designator, $\\s}]",
                     "[{offset, \"+0\"}]", "[{offset, \"+05\"}]"]:
            c.append("calendar:system_time_to_rfc3339(%s, [{unit, %s} | %s])" % (t, u, opts))
    c.append("calendar:system_time_to_rfc3339(1700000000)")
    c.append("calendar:system_time_to_rfc3339(1700000000123, [{unit, millisecond}, {offset, 7200000}])")
    for s in ["2018-02-01T16:17:58+01:00", "2018-02-01 16:17:58Z", "2018-02-01T16:17:58z",
              "2018-02-01T16:17:58.123+01:00", "2018-02-01T16:17:58.123456789-05:30",
              "1969-12-31T23:59:59.5Z", "1960-01-01T00:00:00.25Z", "0000-01-01T00:00:00Z",
              "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00", "2018-02-30T16:17:58Z",
              "2018-13-01T16:17:58Z", "2018-02-01T16:17:58", "2018-02-01T16:17:58+0100",
              "2018-02-01T16:17:58*01:00", "2018-02-01T16:17", "20180201T161758Z",
              "2018-02-01T16:17:58.Z", "2018-02-01T16:17:58+01"]:
        for u in ["", ", [{unit, millisecond}]", ", [{unit, microsecond}]", ", [{unit, nanosecond}]"]:
            c.append("calendar:rfc3339_to_system_time(\"%s\"%s)" % (s, u))
    c.append("calendar:rfc3339_to_system_time(<<\"2018-02-01T16:17:58Z\">>)")
    # round trips through both directions
    c.append("[calendar:rfc3339_to_system_time(calendar:system_time_to_rfc3339(T, [{unit, millisecond}]), [{unit, millisecond}]) || T <- lists:seq(-100000000000, 100000000000, 7777777777)]")
    return c


CASES = qcases() + sets_cases() + dict_cases() + gb_trees_cases() + gb_sets_cases() + ord_cases() + calendar_cases()
