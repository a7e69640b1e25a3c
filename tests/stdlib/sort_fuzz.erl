%% Random comparison of avm_lists sorting/merging with OTP's lists,
%% concentrating on elements that compare equal without being identical
%% (1 and 1.0), where the exact output order depends on the algorithm.
%% Prints "ok" or the first mismatching input.
-module(sort_fuzz).
-export([main/1]).

main([NStr]) ->
    rand:seed(exsss, {1, 2, 3}),
    N = list_to_integer(NStr),
    Res = loop(N),
    io:format("~p~n", [Res]),
    halt(0).

loop(0) -> ok;
loop(I) ->
    Len = rand:uniform(40) - 1,
    Range = rand:uniform(6),
    L = [elem(Range) || _ <- lists:seq(1, Len)],
    L2 = lists:sort([elem(Range) || _ <- lists:seq(1, rand:uniform(10))]),
    Checks = [{sort, fun(M) -> M:sort(L) end},
              {usort, fun(M) -> M:usort(L) end},
              {keysort, fun(M) -> M:keysort(1, [{X} || X <- L]) end},
              {ukeysort, fun(M) -> M:ukeysort(1, [{X, Y} || {X, Y} <- lists:zip(L, lists:seq(1, Len))]) end},
              {sort2, fun(M) -> M:sort(fun(A, B) -> A >= B end, L) end},
              {usort2, fun(M) -> M:usort(fun(A, B) -> A >= B end, L) end},
              {merge, fun(M) -> M:merge(lists:sort(L), L2) end},
              {merge1, fun(M) -> M:merge([lists:sort(L), L2, lists:sort(L)]) end},
              {merge3, fun(M) -> M:merge3(L2, lists:sort(L), L2) end},
              {umerge, fun(M) -> M:umerge(lists:usort(L), lists:usort(L2)) end},
              {umerge1, fun(M) -> M:umerge([lists:usort(L2), lists:usort(L)]) end},
              {umerge3, fun(M) -> M:umerge3(lists:usort(L), lists:usort(L2), lists:usort(L)) end}],
    case [{Name, L, L2} || {Name, F} <- Checks, F(lists) =/= F(avm_lists)] of
        [] -> loop(I - 1);
        Bad -> {mismatch, hd(Bad)}
    end.

elem(Range) ->
    V = rand:uniform(Range),
    case rand:uniform(2) of
        1 -> V;
        2 -> float(V)
    end.
