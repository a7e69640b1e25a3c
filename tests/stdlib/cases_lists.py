"""Cases for lists: each entry is an Erlang remote call expression, or a
(mode, expr) pair; see stdlib_harness.erl for the modes."""

F1 = "fun(X) -> X > 2 end"

CASES = [
    # nth / nthtail / last / droplast
    "lists:nth(1, [a,b,c])", "lists:nth(3, [a,b,c])", "lists:nth(0, [a,b])",
    "lists:nth(4, [a,b,c])", "lists:nth(1, [])", "lists:nth(a, [a])", "lists:nth(-1, [a])",
    "lists:nthtail(0, [a,b])", "lists:nthtail(2, [a,b])", "lists:nthtail(3, [a,b])",
    "lists:nthtail(0, [])", "lists:nthtail(-1, [a])", "lists:nthtail(1, [a|b])",
    "lists:last([a])", "lists:last([a,b,c])", "lists:last([])",
    "lists:droplast([a])", "lists:droplast([a,b,c])", "lists:droplast([])",
    # prefix / suffix
    "lists:prefix([], [])", "lists:prefix([a], [a,b])", "lists:prefix([a,b], [a])",
    "lists:prefix([b], [a,b])", "lists:prefix([], [a])", "lists:prefix([1], [1.0])",
    "lists:suffix([b], [a,b])", "lists:suffix([], [a])", "lists:suffix([a,b,c], [b,c])",
    "lists:suffix([a], [a,b])", "lists:suffix([], [])",
    # append / concat / subtract / duplicate
    "lists:append([1],[2])", "lists:append([], x)", "lists:append([[1],[2,3],[]])",
    "lists:append([])", "lists:append([a])", "lists:append([[1], a])",
    "lists:concat([a, 1, \"bc\", 2.5, 'd e'])", "lists:concat([])",
    "lists:subtract([1,2,3,2], [2])", "lists:subtract([1,2], [3])", "lists:subtract([1], [1.0])",
    "lists:duplicate(0, a)", "lists:duplicate(3, [x])", "lists:duplicate(-1, a)", "lists:duplicate(a, a)",
    # seq
    "lists:seq(1, 5)", "lists:seq(5, 5)", "lists:seq(5, 4)", "lists:seq(5, 1)",
    "lists:seq(-3, 2)", "lists:seq(1.0, 3)", "lists:seq(1, 10, 3)", "lists:seq(10, 1, -3)",
    "lists:seq(1, 1, 0)", "lists:seq(1, 2, 0)", "lists:seq(1, 0, 1)", "lists:seq(1, -1, 1)",
    "lists:seq(5, 1, 1)", "lists:seq(1, 5, -1)", "lists:seq(0, 0, 5)", "lists:seq(1, 2, 5)",
    "lists:seq(1, 9, 2)", "lists:seq(9, 1, -2)", "lists:seq(a, 1, 1)", "lists:seq(1, 0, -1)",
    # enumerate
    "lists:enumerate([])", "lists:enumerate([a,b])", "lists:enumerate(0, [a,b])",
    "lists:enumerate(-5, [a])", "lists:enumerate(a, [a])", "lists:enumerate(x)",
    # delete / sublist / split
    "lists:delete(a, [b,a,c,a])", "lists:delete(z, [a])", "lists:delete(1, [1.0, 1])", "lists:delete(a, [])",
    "lists:sublist([1,2,3], 2)", "lists:sublist([1,2,3], 0)", "lists:sublist([1,2,3], 5)",
    "lists:sublist([], 2)", "lists:sublist([1,2], -1)", "lists:sublist(x, 1)",
    "lists:sublist([1,2,3,4], 2, 2)", "lists:sublist([1,2,3], 1, 0)", "lists:sublist([1,2,3], 3, 5)",
    "lists:sublist([1,2,3], 4, 1)", "lists:sublist([1,2,3], 5, 1)", "lists:sublist([1,2,3], 0, 1)",
    "lists:sublist([1,2,3], 1, -1)",
    "lists:split(0, [a,b])", "lists:split(1, [a,b])", "lists:split(2, [a,b])", "lists:split(3, [a,b])",
    "lists:split(-1, [a])", "lists:split(a, [a])", "lists:split(1, x)",
    "lists:splitwith(fun(X) -> X < 3 end, [1,2,3,1])", "lists:splitwith(fun(X) -> X < 3 end, [])",
    "lists:splitwith(fun(X) -> X < 9 end, [1,2])", "lists:splitwith(notfun, [1])",
    "lists:partition(fun(X) -> X rem 2 =:= 0 end, [1,2,3,4,5])", "lists:partition(fun(_) -> true end, [])",
    "lists:partition(notfun, [])",
    "lists:takewhile(fun(X) -> X < 3 end, [1,2,3,1])", "lists:takewhile(fun(X) -> X < 3 end, [])",
    "lists:takewhile(x, [])",
    "lists:dropwhile(fun(X) -> X < 3 end, [1,2,3,1])", "lists:dropwhile(fun(X) -> X < 9 end, [1])",
    "lists:dropwhile(x, [])",
    # higher order
    "lists:all(fun erlang:is_atom/1, [a,b])", "lists:all(fun erlang:is_atom/1, [a,1])", "lists:all(fun erlang:is_atom/1, [])",
    "lists:all(x, [])", "lists:any(fun erlang:is_atom/1, [1,a])", "lists:any(fun erlang:is_atom/1, [])", "lists:any(fun erlang:is_atom/1, [1])",
    "lists:search(fun(X) -> X > 1 end, [1,2,3])", "lists:search(fun(X) -> X > 5 end, [1,2,3])",
    "lists:map(fun(X) -> X * 2 end, [1,2,3])", "lists:map(fun(X) -> X end, [])", "lists:map(x, [])",
    "lists:map(fun(X) -> X end, x)", "lists:map(x, [1])",
    "lists:flatmap(fun(X) -> [X, X] end, [1,2])", "lists:flatmap(fun(X) -> [X] end, [])",
    "lists:foldl(fun(X, A) -> [X|A] end, [], [1,2,3])", "lists:foldl(fun(X, A) -> X + A end, 0, [])",
    "lists:foldl(x, 0, [])", "lists:foldr(fun(X, A) -> [X|A] end, [], [1,2,3])",
    "lists:foldr(fun(X, A) -> X - A end, 0, [1,2,3])", "lists:foldr(fun(X, A) -> X - A end, 0, [])",
    "lists:foreach(fun(X) -> X end, [1,2])", "lists:foreach(fun(X) -> X end, [])",
    "lists:filter(fun(X) -> X > 1 end, [3,1,2])", "lists:filter(fun(X) -> X > 1 end, [])", "lists:filter(x, [])",
    "lists:filtermap(fun(X) when X > 2 -> {true, X * 10}; (X) -> X =:= 1 end, [1,2,3,4])",
    "lists:filtermap(fun(_) -> false end, [])", "lists:zf(fun(X) -> X > 1 end, [1,2])",
    "lists:mapfoldl(fun(X, A) -> {X * 2, X + A} end, 0, [1,2,3])",
    "lists:mapfoldl(fun(X, A) -> {X, [X|A]} end, [], [a,b])",
    "lists:mapfoldr(fun(X, A) -> {X * 2, [X|A]} end, [], [1,2,3])",
    "lists:mapfoldr(fun(X, A) -> {X, A} end, 0, [])",
    "lists:join(x, [])", "lists:join(x, [a])", "lists:join(x, [a,b,c])", "lists:join(\", \", [\"a\",\"b\"])",
    "lists:flatten([a,[b,[c]],[]], [d])", "lists:flatten([], [])", "lists:flatten([[[]]], tail)",
    "lists:flatlength([a,[b,[c]],[]])", "lists:flatlength([])", "lists:flatlength([[[]], x])",
    "lists:max([1,3,2])", "lists:max([a, 1, {x}])", "lists:max([1, 1.0])", "lists:max([1.0, 1])", "lists:max([])",
    "lists:min([3,1,2])", "lists:min([1, 1.0])", "lists:min([1.0, 1])", "lists:min([])", "lists:min([a, \"s\", 4])",
    "lists:sum([1,2,3])", "lists:sum([])", "lists:sum([1.5, 2])", "lists:sum([a])", "lists:sum([1.0])",
    "lists:uniq([])", "lists:uniq([3,1,3,2,1])", "lists:uniq([1, 1.0, 1])", "lists:uniq(x)",
    "lists:uniq(fun({K,_}) -> K end, [{a,1},{b,2},{a,3}])", "lists:uniq(fun(X) -> X end, [])",
    # zip
    "lists:zip([1,2],[a,b])", "lists:zip([],[])", "lists:zip([1],[])", "lists:zip([1,2],[a])",
    "lists:zip3([1],[a],[x])", "lists:zip3([],[],[])", "lists:zip3([1],[a],[])",
    "lists:zipwith(fun(A,B) -> A + B end, [1,2],[3,4])", "lists:zipwith(fun(A,B) -> A + B end, [],[])",
    "lists:zipwith(fun(A,B) -> A + B end, [1],[])",
    "lists:zipwith3(fun(A,B,C) -> A + B + C end, [1,2],[3,4],[5,6])",
    "lists:zipwith3(fun(A,B,C) -> {A,B,C} end, [],[],[])",
    "lists:unzip([{1,a},{2,b}])", "lists:unzip([])", "lists:unzip([{1,a,x}])",
    "lists:unzip3([{1,a,x},{2,b,y}])", "lists:unzip3([])",
    # key functions
    "lists:keysearch(b, 1, [{a,1},{b,2}])", "lists:keysearch(z, 1, [{a,1}])", "lists:keysearch(1, 2, [{a,1.0}])",
    "lists:keysearch(a, 0, [{a,1}])",
    "lists:keydelete(a, 1, [{b,1},{a,2},{a,3}])", "lists:keydelete(z, 1, [{a,1}])", "lists:keydelete(1, 2, [{a,1.0},{b,1}])",
    "lists:keydelete(a, 0, [])", "lists:keydelete(a, 2, [{a}, {x, a}])",
    "lists:keyreplace(a, 1, [{b,1},{a,2},{a,3}], {new})", "lists:keyreplace(z, 1, [{a,1}], {new})",
    "lists:keyreplace(a, 1, [{a,1}], notuple)", "lists:keyreplace(a, 0, [{a,1}], {x})",
    "lists:keystore(a, 1, [{b,1},{a,2}], {a,9})", "lists:keystore(z, 1, [{a,1}], {z,0})", "lists:keystore(z, 1, [], {z,0})",
    "lists:keytake(a, 1, [{b,1},{a,2},{a,3}])", "lists:keytake(z, 1, [{a,1}])", "lists:keytake(1, 2, [{x, 1.0}])",
    "lists:keymap(fun(X) -> X * 2 end, 2, [{a,1},{b,2}])", "lists:keymap(fun(X) -> X end, 2, [])",
    "lists:keymap(fun(X) -> X end, 0, [])",
    # sorting
    "lists:sort([])", "lists:sort([3,1,2])", "lists:sort([b, 1, \"s\", {t}, 2.0, a, [], <<>>])",
    "lists:sort([1, 1.0, 1, 1.0])", "lists:sort([1.0, 1, 0.5, 1])", "lists:sort([2, 1.0, 1, 2.0, 1])",
    "lists:sort([5,4,3,2,1,0])", "lists:sort([1,2,3,4,5])", "lists:sort([3,1,2,3,1,2,1])",
    "lists:sort(x)", "lists:sort([b,a|c])",
    "lists:sort(fun(A, B) -> A >= B end, [1,3,2,3])", "lists:sort(fun(A, B) -> A =< B end, [])",
    "lists:sort(fun({A,_}, {B,_}) -> A =< B end, [{2,a},{1,b},{2,c},{1,d}])",
    "lists:sort(fun({A,_}, {B,_}) -> A < B end, [{2,a},{1,b},{2,c},{1,d}])",
    "lists:sort(fun({A,_}, {B,_}) -> A >= B end, [{2,a},{1,b},{2,c},{1,d}])",
    "lists:sort(x, [1])",
    "lists:usort([3,1,2,3,1])", "lists:usort([])", "lists:usort([1, 1.0])", "lists:usort([1.0, 1])",
    "lists:usort([2, 1.0, 1, 2.0, 1])", "lists:usort([a,a,a])",
    "lists:usort(fun({A,_}, {B,_}) -> A =< B end, [{2,a},{1,b},{2,c},{1,d}])",
    "lists:usort(fun(A, B) -> A >= B end, [1,3,2,3,1])",
    "lists:usort(fun(A, B) -> A < B end, [1,3,2,3,1])",
    "lists:keysort(1, [{2,a},{1,b},{2,c},{1,d}])", "lists:keysort(2, [{2,a},{1,b},{2,a},{1,a}])",
    "lists:keysort(1, [])", "lists:keysort(0, [{a}])", "lists:keysort(1, [{1.0,a},{1,b}])",
    "lists:keysort(2, [{1,a}, {2}])",
    "lists:ukeysort(1, [{2,a},{1,b},{2,c},{1,d}])", "lists:ukeysort(1, [])", "lists:ukeysort(1, [{1.0,a},{1,b}])",
    "lists:merge([1,3,5],[2,4])", "lists:merge([],[1])", "lists:merge([1, 2],[1.0, 2.0])", "lists:merge([1.0], [1])",
    "lists:merge(x, [])",
    "lists:merge(fun(A,B) -> A >= B end, [5,3,1],[4,2])",
    "lists:merge(fun({A,_},{B,_}) -> A =< B end, [{1,a},{2,a}],[{1,b},{2,b}])",
    "lists:merge(fun({A,_},{B,_}) -> A < B end, [{1,a},{2,a}],[{1,b},{2,b}])",
    "lists:merge([[1,4],[2,3],[1.0, 5]])", "lists:merge([])", "lists:merge([[], [1]])",
    "lists:merge3([1,4],[2,5],[3,6])", "lists:merge3([1],[1.0],[1])",
    "lists:umerge([1,3,5],[2,3,4])", "lists:umerge([1],[1.0])", "lists:umerge([1.0],[1])", "lists:umerge([],[])",
    "lists:umerge(fun(A,B) -> A >= B end, [5,3,1],[4,3,2])",
    "lists:umerge(fun({A,_},{B,_}) -> A =< B end, [{1,a},{2,a}],[{1,b},{3,b}])",
    "lists:umerge([[1,4],[2,4],[1.0, 5]])", "lists:umerge([])",
    "lists:umerge3([1,4],[1,5],[4,6])", "lists:umerge3([1],[1.0],[1])",
    "lists:keymerge(1, [{1,a},{3,a}], [{1,b},{2,b}])", "lists:keymerge(1, [], [{1,b}])",
    "lists:keymerge(2, [{a,1},{a,3}], [{b,1.0},{b,2}])",
    "lists:ukeymerge(1, [{1,a},{3,a}], [{1,b},{2,b}])", "lists:ukeymerge(1, [{1,a}], [{1.0,b}])",
    "lists:ukeymerge(1, [], [])",
    # natives still reachable through the renamed module? (not exported -> undef)
    # misc with strings
    # errors of the merges
    "lists:merge([], x)", "lists:merge([1], x)", "lists:merge([1|x], [2])",
    "lists:umerge([], x)", "lists:umerge(x, [])", "lists:umerge(x, [1])",
    "lists:merge(fun(A, B) -> A =< B end, x, [])", "lists:merge(fun(A, B) -> A =< B end, [], x)",
    "lists:merge(x, [1], [2])", "lists:keymerge(1, x, [])", "lists:keymerge(1, [], x)",
    "lists:keymerge(0, [], [])", "lists:ukeymerge(1, x, [])", "lists:ukeymerge(1, [], x)",
    "lists:flatten([a], x)", "lists:sort([a|b])", "lists:sort(fun(A, B) -> A =< B end, x)",
    "lists:usort(x)", "lists:nthtail(a, [x])", "lists:nth(1.0, [x])",
    "lists:flatmap(x, [1])", "lists:flatmap(fun(X) -> [X] end, x)",
    "lists:foldr(x, 0, [1])", "lists:foldr(fun(X, A) -> A end, 0, x)",
    "lists:foldl(fun(X, A) -> A end, 0, x)", "lists:foreach(x, [1])", "lists:foreach(fun(X) -> X end, x)",
    "lists:filter(fun(X) -> X end, x)", "lists:filtermap(x, [1])", "lists:filtermap(fun(X) -> X end, x)",
    "lists:mapfoldl(x, 0, [1])", "lists:mapfoldl(fun(X, A) -> {X, A} end, 0, x)",
    "lists:mapfoldr(x, 0, [1])", "lists:partition(x, [1])", "lists:partition(fun(X) -> X end, x)",
    "lists:takewhile(x, [1])", "lists:dropwhile(x, [1])", "lists:splitwith(fun(X) -> X end, x)",
    "lists:search(x, [1])", "lists:search(fun(X) -> X end, x)", "lists:all(x, [1])",
    "lists:all(fun(X) -> X end, x)", "lists:any(x, [1])", "lists:any(fun(X) -> X end, x)",
    "lists:zipwith(x, [1], [1])", "lists:keymap(x, 1, [{1}])", "lists:keymap(fun(X) -> X end, 1, x)",
    "lists:uniq(x, [1])", "lists:uniq(fun(X) -> X end, x)",
]

# Bigger sort stability checks: pseudo random with many equal keys.
for n in (7, 20, 64, 129):
    CASES.append("lists:sort([ {X rem 5, X} || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:keysort(1, [ {(X * 7) rem 5, X} || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:ukeysort(1, [ {(X * 7) rem 5, X} || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:sort([ case X rem 2 of 0 -> (X * 13) rem 7; 1 -> float((X * 13) rem 7) end || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:usort([ case X rem 2 of 0 -> (X * 13) rem 7; 1 -> float((X * 13) rem 7) end || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:sort(fun({A,_},{B,_}) -> A =< B end, [ {(X * 11) rem 4, X} || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:usort(fun({A,_},{B,_}) -> A =< B end, [ {(X * 11) rem 4, X} || X <- lists:seq(1, %d) ])" % n)
    CASES.append("lists:sort(fun(A, B) -> A > B end, [ (X * 11) rem 9 || X <- lists:seq(1, %d) ])" % n)

# sort/1 on numbers that compare equal but are not identical: the exact
# order OTP produces depends on how it cuts the input into runs.
import random
_rnd = random.Random(1234)
for n in list(range(2, 12)) + [15, 16, 17, 31, 32, 33, 50, 100, 257]:
    for _ in range(4 if n < 20 else 2):
        xs = []
        for _ in range(n):
            v = _rnd.randint(0, max(1, n // 3))
            xs.append(str(v) if _rnd.random() < 0.5 else "%d.0" % v)
        lst = "[" + ",".join(xs) + "]"
        CASES.append("lists:sort(%s)" % lst)
        CASES.append("lists:usort(%s)" % lst)
        rev = "[" + ",".join(reversed(xs)) + "]"
        CASES.append("lists:merge([lists:sort(%s), lists:sort(%s)])" % (lst, rev))
        CASES.append("lists:merge3(lists:sort(%s), lists:sort(%s), lists:sort(%s))" % (lst, rev, lst))
for n in (4, 5, 6, 9, 40):
    CASES.append("lists:sort([ {X rem 3} || X <- lists:seq(%d, 1, -1) ] ++ [ X rem 2 + 0.0 || X <- lists:seq(1, %d) ] ++ [ X rem 2 || X <- lists:seq(%d, 1, -1) ])" % (n, n, n))
