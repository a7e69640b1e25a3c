%% Exceptions: error/exit/throw with try...of...catch...after, every class
%% pattern, catch expressions ({'EXIT', ...} for errors and exits, plain value
%% for throw), nested try, rethrow with erlang:raise/3, after ordering,
%% try_clause, exceptions escaping after blocks, non-local return via throw,
%% build_stacktrace (only its shape is printed), error/2 and error/3.
-module(exceptions).
%% 'catch Expr' is exercised on purpose; OTP 29 deprecates it.
-compile([nowarn_deprecated_catch]).
-export([start/0]).

id(X) -> X.

classify(F) ->
    try F() of
        V -> {normal, V}
    catch
        throw:T -> {thrown, T};
        error:E -> {error, E};
        exit:X -> {exit, X}
    end.

start() ->
    io:format("normal: ~p~n", [classify(fun() -> 42 end)]),
    io:format("throw: ~p~n", [classify(fun() -> throw(ball) end)]),
    io:format("error: ~p~n", [classify(fun() -> error(oops) end)]),
    io:format("exit: ~p~n", [classify(fun() -> exit(bye) end)]),
    io:format("erlang:error/2: ~p~n", [classify(fun() -> erlang:error(with_args, [1, 2]) end)]),
    io:format("erlang:error/3: ~p~n", [classify(fun() -> erlang:error(with_opts, [1], [{error_info, #{}}]) end)]),
    io:format("exit normal: ~p~n", [classify(fun() -> exit(normal) end)]),
    io:format("throw complex: ~p~n", [classify(fun() -> throw({a, [1, 2], #{k => v}}) end)]),
    io:format("catch value: ~p~n", [catch id(7)]),
    io:format("catch throw: ~p~n", [catch throw(t)]),
    io:format("catch exit: ~p~n", [catch exit(e)]),
    {'EXIT', {Reason, Stack}} = (catch error(err_reason)),
    io:format("catch error: ~p ~p~n", [Reason, is_list(Stack)]),
    {'EXIT', {badarith, _}} = (catch 1 / id(0)),
    io:format("catch badarith matched~n"),
    io:format("catch in expr: ~p~n", [[catch X div 1 || X <- [4, a]] =/= []]),
    io:format("after order: ~p~n", [after_order()]),
    io:format("after on throw: ~p~n", [catch after_throw()]),
    io:format("pdict after: ~p~n", [get(after_ran)]),
    io:format("nested: ~p~n", [nested()]),
    io:format("rethrow: ~p~n", [classify(fun() -> rethrow(fun() -> throw(inner) end) end)]),
    io:format("reraise error: ~p~n", [classify(fun() -> rethrow(fun() -> error(inner_err) end) end)]),
    io:format("raise/3 exit: ~p~n", [classify(fun() -> erlang:raise(exit, via_raise, []) end)]),
    io:format("raise/3 throw: ~p~n", [classify(fun() -> erlang:raise(throw, via_raise, []) end)]),
    io:format("raise/3 badarg: ~p~n", [classify(fun() -> erlang:raise(bad_class, x, []) end)]),
    io:format("try_clause: ~p~n", [classify(fun() -> try id(3) of 1 -> one after ok end end)]),
    io:format("catch all: ~p~n", [try exit(x) catch _:_ -> caught end]),
    io:format("catch class var: ~p~n", [[try F() catch C:R -> {C, R} end || F <- [fun() -> throw(1) end, fun() -> error(2) end, fun() -> exit(3) end]]]),
    io:format("stacktrace: ~p~n", [try error(st) catch error:st:St -> {is_list(St), length(St) > 0} end]),
    io:format("stacktrace shape: ~p~n", [try lists:nth(id(5), id([])) catch error:_:St2 -> is_tuple(hd(St2)) andalso tuple_size(hd(St2)) end]),
    io:format("find first: ~p~n", [find_first(fun(X) -> X > 3 end, [1, 2, 5, 7])]),
    io:format("error in after: ~p~n", [classify(fun() -> try ok after error(in_after) end end)]),
    io:format("throw replaces: ~p~n", [classify(fun() -> try throw(first) after throw(second) end end)]),
    io:format("try without catch: ~p~n", [try id(5) of N -> N * 2 after ok end]),
    io:format("catch then continue: ~p~n", [loop_catch([1, 0, 2, 0, 4], [])]),
    io:format("deep throw: ~p~n", [catch deep_throw(1000)]),
    io:format("exception in guard of try: ~p~n", [try id({1}) of T when element(2, T) =:= x -> x; _ -> fallback catch _:_ -> caught end]),
    io:format("catch hd: ~p~n", [element(1, element(2, catch hd(id([]))))]),
    ok.

after_order() ->
    put(log, []),
    try
        log(body),
        id(result)
    after
        log('after')
    end,
    lists:reverse(get(log)).

log(X) -> put(log, [X | get(log)]).

after_throw() ->
    try
        throw(thrown_out)
    after
        put(after_ran, yes)
    end.

nested() ->
    try
        try
            error(inner)
        catch
            error:inner -> throw(from_handler)
        after
            put(nested_after, 1)
        end
    catch
        throw:X -> {outer_caught, X, get(nested_after)}
    end.

rethrow(F) ->
    try F()
    catch Class:Reason:Stack -> erlang:raise(Class, {rethrown, Reason}, Stack)
    end.

find_first(Pred, L) ->
    try
        lists:foreach(fun(X) -> case Pred(X) of true -> throw({found, X}); false -> ok end end, L),
        not_found
    catch
        throw:{found, X} -> X
    end.

loop_catch([], Acc) -> lists:reverse(Acc);
loop_catch([H | T], Acc) ->
    R = try 100 div H catch error:badarith -> inf end,
    loop_catch(T, [R | Acc]).

deep_throw(0) -> throw(bottom);
deep_throw(N) -> [N | deep_throw(N - 1)].
