%% Random operation sequences for tests/test_datastructs_vs_otp.py: each
%% step applies the same operation to OTP's module and to our renamed copy
%% (avm_queue, ...) and compares the results and the whole data structure
%% (=:=).  Prints "ok" or the first mismatch with the steps leading to it.
-module(ds_fuzz).
-export([main/1]).

main([What, NStr]) ->
    main([What, NStr, "7"]);
main([What, NStr, SeedStr]) ->
    rand:seed(exsss, {list_to_integer(SeedStr), 11, 13}),
    Mod = list_to_atom(What),
    Res = loop(Mod, list_to_integer(NStr)),
    io:format("~p~n", [Res]),
    halt(0).

loop(_, 0) -> ok;
loop(Mod, I) ->
    Avm = list_to_atom("avm_" ++ atom_to_list(Mod)),
    V = rand:uniform(3),
    case run(Mod, Avm, init(Mod, V), init(Avm, V), rand:uniform(steps(Mod)), []) of
        ok -> loop(Mod, I - 1);
        Bad -> Bad
    end.

steps(calendar) -> 50;
steps(sets) -> 400;
steps(dict) -> 400;
steps(_) -> 200.

init(M, V) ->
    case base(M) of
        queue -> M:new();
        sets -> case V of 1 -> M:new([{version, 2}]); _ -> M:new() end;
        dict -> M:new();
        gb_trees -> M:empty();
        gb_sets -> M:new();
        ordsets -> M:new();
        orddict -> M:new();
        calendar -> none
    end.

base(M) ->
    case atom_to_list(M) of
        "avm_" ++ Rest -> list_to_atom(Rest);
        _ -> M
    end.

run(_, _, _, _, 0, _) -> ok;
run(Mod, Avm, S1, S2, N, Trace) ->
    Op = op(Mod),
    R1 = apply_op(Mod, Op, S1),
    R2 = apply_op(Avm, Op, S2),
    case R1 =:= R2 of
        false ->
            {mismatch, Mod, lists:reverse([Op | Trace]), S1, {otp, R1}, {ours, R2}};
        true ->
            case R1 of
                {ok, _, New1} ->
                    {ok, _, New2} = R2,
                    run(Mod, Avm, New1, New2, N - 1, [Op | Trace]);
                _ ->
                    run(Mod, Avm, S1, S2, N - 1, [Op | Trace])
            end
    end.

apply_op(M, Op, S) ->
    try step(base(M), M, Op, S) of
        {Res, S1} -> {ok, Res, S1}
    catch
        C:R -> {raise, C, R}
    end.

%%-----------------------------------------------------------------------
%% Random terms
%%-----------------------------------------------------------------------

num(Range) ->
    V = rand:uniform(Range),
    case rand:uniform(4) of
        1 -> float(V);
        _ -> V
    end.

term() ->
    case rand:uniform(12) of
        1 -> list_to_atom([$a + rand:uniform(6)]);
        2 -> {num(5), term0()};
        3 -> [term0() || _ <- lists:seq(1, rand:uniform(3) - 1)];
        4 -> integer_to_binary(rand:uniform(50));
        5 -> rand:uniform(1 bsl 70);
        6 -> -rand:uniform(1000);
        7 -> integer_to_list(rand:uniform(30));
        8 -> rand:uniform() * 100;
        _ -> rand:uniform(300)
    end.

term0() ->
    case rand:uniform(3) of
        1 -> rand:uniform(10);
        2 -> b;
        3 -> "s"
    end.

pick(L) -> lists:nth(rand:uniform(length(L)), L).

%%-----------------------------------------------------------------------
%% Operations: op/1 draws one (plain data), step/4 applies it to module M
%% and returns {Result, NewState}.
%%-----------------------------------------------------------------------

op(queue) ->
    pick([{in, num(9)}, {in, num(9)}, {in_r, num(9)}, {out}, {out_r}, {drop}, {drop_r},
          {get}, {get_r}, {peek}, {peek_r}, {reverse}, {split, rand:uniform(8) - 1},
          {filter, num(9)}, {filtermap, num(9)}, {delete, num(9)}, {delete_r, num(9)},
          {delete_with, num(9)}, {join, [num(9) || _ <- lists:seq(1, rand:uniform(5) - 1)]},
          {from_list, [num(9) || _ <- lists:seq(1, rand:uniform(8) - 1)]}, {len}, {to_list},
          {member, num(9)}, {any, num(9)}, {fold}, {liat}, {tail}, {head}, {last}]);
op(sets) ->
    pick([{add, term()}, {add, term()}, {add, term()}, {add, num(200)}, {add, num(200)},
          {del, term()}, {del, num(200)}, {is_element, term()}, {filter, rand:uniform(5)},
          {union, [term() || _ <- lists:seq(1, rand:uniform(20))]},
          {intersection, [num(200) || _ <- lists:seq(1, rand:uniform(150))]},
          {subtract, [num(200) || _ <- lists:seq(1, rand:uniform(20))]},
          {is_subset, [num(200) || _ <- lists:seq(1, rand:uniform(100))]},
          {size}, {sorted}]);
op(dict) ->
    pick([{store, term()}, {store, term()}, {store, num(300)}, {store, num(300)},
          {erase, term()}, {erase, num(300)}, {append, term()}, {update_counter, num(300)},
          {update, num(300)}, {update4, term()}, {take, num(300)}, {find, term()},
          {filter, rand:uniform(5)}, {map}, {merge, [{num(300), x} || _ <- lists:seq(1, rand:uniform(60))]},
          {fetch, num(300)}, {size}]);
op(gb_trees) ->
    pick([{insert, num(100)}, {insert, num(100)}, {enter, num(100)}, {delete, num(100)},
          {delete_any, num(100)}, {update, num(100)}, {take, num(100)}, {take_any, num(100)},
          {lookup, num(100)}, {get, num(100)}, {balance}, {take_smallest}, {take_largest},
          {smallest}, {largest}, {iterator_from, num(100)}, {map}, {to_list}]);
op(gb_sets) ->
    pick([{add, num(100)}, {add, num(100)}, {insert, num(100)}, {delete, num(100)},
          {delete_any, num(100)}, {is_member, num(100)}, {balance}, {take_smallest},
          {take_largest}, {filter, rand:uniform(4)},
          {union, [num(100) || _ <- lists:seq(1, rand:uniform(40))]},
          {intersection, [num(100) || _ <- lists:seq(1, rand:uniform(80))]},
          {difference, [num(100) || _ <- lists:seq(1, rand:uniform(60))]},
          {is_subset, [num(100) || _ <- lists:seq(1, rand:uniform(90))]},
          {is_disjoint, [num(100) || _ <- lists:seq(1, rand:uniform(10))]},
          {iterator_from, num(100)}, {fold}]);
op(ordsets) ->
    pick([{add, num(30)}, {add, num(30)}, {del, num(30)}, {is_element, num(30)},
          {union, [num(30) || _ <- lists:seq(1, rand:uniform(10))]},
          {intersection, [num(30) || _ <- lists:seq(1, rand:uniform(20))]},
          {subtract, [num(30) || _ <- lists:seq(1, rand:uniform(10))]},
          {is_subset, [num(30) || _ <- lists:seq(1, rand:uniform(20))]},
          {is_disjoint, [num(30) || _ <- lists:seq(1, rand:uniform(5))]}]);
op(orddict) ->
    pick([{store, num(30)}, {store, num(30)}, {erase, num(30)}, {append, num(30)},
          {update_counter, num(30)}, {update4, num(30)}, {take, num(30)}, {fetch, num(30)},
          {find, num(30)}, {merge, [{num(30), m} || _ <- lists:seq(1, rand:uniform(10))]},
          {from_list, [{num(30), l} || _ <- lists:seq(1, rand:uniform(10))]}]);
op(calendar) ->
    pick([{days, rand:uniform(3652500) - 1}, {date, rand:uniform(10000) - 1, rand:uniform(12), rand:uniform(31)},
          {secs, rand:uniform(1 bsl 38) - (1 bsl 36)},
          {rfc, rand:uniform(1 bsl 40) - (1 bsl 39), pick([second, millisecond, microsecond, nanosecond]),
           pick([[], [{offset, "Z"}], [{offset, "-03:30"}], [{offset, rand:uniform(100000) - 50000}]])},
          {daystime, rand:uniform(1 bsl 30) - (1 bsl 29)}]).

step(queue, M, Op, Q) ->
    case Op of
        {in, X} -> {x, M:in(X, Q)};
        {in_r, X} -> {x, M:in_r(X, Q)};
        {out} -> {R, Q1} = M:out(Q), {R, Q1};
        {out_r} -> {R, Q1} = M:out_r(Q), {R, Q1};
        {drop} -> {x, M:drop(Q)};
        {drop_r} -> {x, M:drop_r(Q)};
        {liat} -> {x, M:liat(Q)};
        {tail} -> {x, M:tail(Q)};
        {get} -> {M:get(Q), Q};
        {get_r} -> {M:get_r(Q), Q};
        {head} -> {M:head(Q), Q};
        {last} -> {M:last(Q), Q};
        {peek} -> {M:peek(Q), Q};
        {peek_r} -> {M:peek_r(Q), Q};
        {reverse} -> {x, M:reverse(Q)};
        {split, N} -> {A, B} = M:split(N, Q), {A, M:join(B, A)};
        {filter, N} -> {x, M:filter(fun(X) when X == N -> [X, X]; (X) -> X > N end, Q)};
        {filtermap, N} -> {x, M:filtermap(fun(X) when X == N -> {true, {X}}; (X) -> X < N end, Q)};
        {delete, X} -> {x, M:delete(X, Q)};
        {delete_r, X} -> {x, M:delete_r(X, Q)};
        {delete_with, X} -> {x, M:delete_with(fun(Y) -> Y == X end, Q)};
        {join, L} -> {x, M:join(Q, M:from_list(L))};
        {from_list, L} -> {x, M:join(M:from_list(L), Q)};
        {len} -> {M:len(Q), Q};
        {to_list} -> {M:to_list(Q), Q};
        {member, X} -> {M:member(X, Q), Q};
        {any, X} -> {{M:any(fun(Y) -> Y == X end, Q), M:all(fun(Y) -> Y =/= X end, Q)}, Q};
        {fold} -> {M:fold(fun(X, A) -> [X | A] end, [], Q), Q}
    end;
step(sets, M, Op, S) ->
    V = case is_map(S) of true -> [{version, 2}]; false -> [{version, 1}] end,
    case Op of
        {add, X} -> {x, M:add_element(X, S)};
        {del, X} -> {x, M:del_element(X, S)};
        {is_element, X} -> {M:is_element(X, S), S};
        {filter, K} -> {x, M:filter(fun(X) -> erlang:phash2(X, K + 1) =/= 0 end, S)};
        {union, L} -> {x, M:union(S, M:from_list(L, V))};
        {intersection, L} -> {x, M:intersection(M:from_list(L, V), S)};
        {subtract, L} -> {x, M:subtract(S, M:from_list(L, V))};
        {is_subset, L} -> {{M:is_subset(M:from_list(L, V), S), M:is_disjoint(S, M:from_list(L, V))}, S};
        {size} -> {M:size(S), S};
        {sorted} -> {lists:sort(M:to_list(S)), S}
    end;
step(dict, M, Op, D) ->
    case Op of
        {store, K} -> {x, M:store(K, v, D)};
        {erase, K} -> {x, M:erase(K, D)};
        {append, K} -> {x, M:append(K, a, D)};
        {update_counter, K} -> {x, M:update_counter(K, 1, M:erase(K, D))};
        {update, K} -> {x, M:update(K, fun(V) -> {V} end, D)};
        {update4, K} -> {x, M:update(K, fun(V) -> {V} end, 0, D)};
        {take, K} -> case M:take(K, D) of error -> {error, D}; {V, D1} -> {V, D1} end;
        {find, K} -> {M:find(K, D), D};
        {fetch, K} -> {M:fetch(K, D), D};
        {filter, K} -> {x, M:filter(fun(Key, _) -> erlang:phash2(Key, K + 1) =/= 0 end, D)};
        {map} -> {x, M:map(fun(_, V) -> {V} end, D)};
        {merge, L} -> {x, M:merge(fun(_, A, B) -> {A, B} end, D, M:from_list(L))};
        {size} -> {{M:size(D), lists:sort(M:to_list(D))}, D}
    end;
step(gb_trees, M, Op, T) ->
    case Op of
        {insert, K} -> {x, M:insert(K, K, T)};
        {enter, K} -> {x, M:enter(K, e, T)};
        {delete, K} -> {x, M:delete(K, T)};
        {delete_any, K} -> {x, M:delete_any(K, T)};
        {update, K} -> {x, M:update(K, u, T)};
        {take, K} -> M:take(K, T);
        {take_any, K} -> case M:take_any(K, T) of error -> {error, T}; R -> R end;
        {lookup, K} -> {M:lookup(K, T), T};
        {get, K} -> {M:get(K, T), T};
        {balance} -> {x, M:balance(T)};
        {take_smallest} -> {K, V, T1} = M:take_smallest(T), {{K, V}, T1};
        {take_largest} -> {K, V, T1} = M:take_largest(T), {{K, V}, T1};
        {smallest} -> {M:smallest(T), T};
        {largest} -> {M:largest(T), T};
        {iterator_from, K} -> {iter(M, M:iterator_from(K, T), 5), T};
        {map} -> {x, M:map(fun(K, V) -> {K, V} end, T)};
        {to_list} -> {{M:to_list(T), M:keys(T), M:values(T), M:size(T)}, T}
    end;
step(gb_sets, M, Op, S) ->
    case Op of
        {add, X} -> {x, M:add(X, S)};
        {insert, X} -> {x, M:insert(X, S)};
        {delete, X} -> {x, M:delete(X, S)};
        {delete_any, X} -> {x, M:delete_any(X, S)};
        {is_member, X} -> {M:is_member(X, S), S};
        {balance} -> {x, M:balance(S)};
        {take_smallest} -> M:take_smallest(S);
        {take_largest} -> M:take_largest(S);
        {filter, K} -> {x, M:filter(fun(X) -> round(X) rem (K + 1) =/= 0 end, S)};
        {union, L} -> S2 = M:from_list(L), {M:union(S2, S), M:union(S, S2)};
        {intersection, L} -> S2 = M:from_list(L), {M:intersection(S2, S), M:intersection(S, S2)};
        {difference, L} -> S2 = M:from_list(L), {M:difference(S2, S), M:difference(S, S2)};
        {is_subset, L} -> S2 = M:from_list(L), {{M:is_subset(S2, S), M:is_subset(S, S2)}, S};
        {is_disjoint, L} -> S2 = M:from_list(L), {{M:is_disjoint(S2, S), M:is_disjoint(S, S2)}, S};
        {iterator_from, X} -> {iter(M, M:iterator_from(X, S), 5), S};
        {fold} -> {M:fold(fun(X, A) -> [X | A] end, [], S), S}
    end;
step(ordsets, M, Op, S) ->
    case Op of
        {add, X} -> {x, M:add_element(X, S)};
        {del, X} -> {x, M:del_element(X, S)};
        {is_element, X} -> {M:is_element(X, S), S};
        {union, L} -> S2 = M:from_list(L), {M:union(S2, S), M:union(S, S2)};
        {intersection, L} -> S2 = M:from_list(L), {M:intersection(S2, S), M:intersection(S, S2)};
        {subtract, L} -> S2 = M:from_list(L), {M:subtract(S2, S), M:subtract(S, S2)};
        {is_subset, L} -> S2 = M:from_list(L), {{M:is_subset(S2, S), M:is_subset(S, S2)}, S};
        {is_disjoint, L} -> S2 = M:from_list(L), {{M:is_disjoint(S2, S), M:is_disjoint(S, S2)}, S}
    end;
step(orddict, M, Op, D) ->
    case Op of
        {store, K} -> {x, M:store(K, v, D)};
        {erase, K} -> {x, M:erase(K, D)};
        {append, K} -> {x, M:append(K, a, M:map(fun(_, V) -> [V] end, D))};
        {update_counter, K} -> {x, M:update_counter(K, 1, M:map(fun(_, _) -> 0 end, D))};
        {update4, K} -> {x, M:update(K, fun(V) -> {V} end, 0, D)};
        {take, K} -> case M:take(K, D) of error -> {error, D}; {V, D1} -> {V, D1} end;
        {fetch, K} -> {M:fetch(K, D), D};
        {find, K} -> {M:find(K, D), D};
        {merge, L} -> {x, M:merge(fun(_, A, B) -> {A, B} end, D, M:from_list(L))};
        {from_list, L} -> {M:from_list(L), D}
    end;
step(calendar, M, Op, S) ->
    case Op of
        {days, N} ->
            Date = M:gregorian_days_to_date(N),
            {{Date, M:date_to_gregorian_days(Date), M:day_of_the_week(Date), M:iso_week_number(Date)}, S};
        {date, Y, Mo, D} ->
            {{M:valid_date(Y, Mo, D), t(fun() -> M:date_to_gregorian_days(Y, Mo, D) end),
              M:last_day_of_the_month(Y, Mo), M:is_leap_year(Y)}, S};
        {secs, T} ->
            {{t(fun() -> M:gregorian_seconds_to_datetime(T) end), t(fun() -> M:system_time_to_universal_time(T, second) end)}, S};
        {rfc, T, Unit, Opts} ->
            Str = M:system_time_to_rfc3339(T, [{unit, Unit} | Opts]),
            {{Str, M:rfc3339_to_system_time(Str, [{unit, Unit}])}, S};
        {daystime, T} -> {M:seconds_to_daystime(T), S}
    end.

%% Result or exception (without the stack trace).
t(F) ->
    try F() catch C:R -> {raise, C, R} end.

iter(_, _, 0) -> [];
iter(M, I, N) ->
    case M:next(I) of
        none -> [];
        {K, V, I1} -> [{K, V} | iter(M, I1, N - 1)];
        {K, I1} -> [K | iter(M, I1, N - 1)]
    end.
