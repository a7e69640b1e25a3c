%% Every standard error reason produced by the VM itself: badmatch,
%% case_clause, if_clause, try_clause, function_clause, badarith, badarg,
%% badfun, badarity, undef, {badkey,K}, {badmap,M}, badrecord (tag only),
%% bad_generator, system_limit, and the 'EXIT' form of each via catch.
-module(error_reasons).
%% 'catch Expr' is exercised on purpose; OTP 29 deprecates it.
-compile([nowarn_deprecated_catch]).
-export([start/0]).

-record(r, {a}).

id(X) -> X.

reason(F) ->
    try F() of
        V -> {no_error, V}
    catch
        error:{badarity, {Fun, Args}} when is_function(Fun) -> {error, {badarity, fn, Args}};
        error:{badrecord, _} -> {error, badrecord};
        Class:Reason -> {Class, Reason}
    end.

only(X) when is_atom(X) -> X.

start() ->
    Cases = [
        {badmatch, fun() -> {a, _} = id({b, 1}) end},
        {badmatch_int, fun() -> 1 = id(2) end},
        {case_clause, fun() -> case id(z) of a -> 1 end end},
        {if_clause, fun() -> X = id(1), if X > 2 -> a end end},
        {try_clause, fun() -> try id(x) of y -> y catch _ -> z end end},
        {function_clause, fun() -> only(id(1)) end},
        {function_clause_fun, fun() -> (fun(a) -> a end)(id(b)) end},
        {badarith, fun() -> id(1) + id(a) end},
        {badarg_bif, fun() -> atom_to_list(id(1)) end},
        {badarg_element, fun() -> element(id(9), {}) end},
        {badarg_list_to_atom, fun() -> list_to_atom(id([a])) end},
        {badfun, fun() -> (id(1))() end},
        {badarity, fun() -> (id(fun(A) -> A end))() end},
        {undef, fun() -> (id(nomod)):nofun() end},
        {badkey, fun() -> (id(#{}))#{k := 1} end},
        {badmap, fun() -> (id(x))#{k := 1} end},
        {badrecord, fun() -> (id(x))#r.a end},
        {bad_generator, fun() -> [X || X <- id(7)] end},
        {bad_filter, fun() -> [X || X <- [1], id(notbool)] end},
        {system_limit, fun() -> list_to_atom(lists:duplicate(300, $a)) end},
        {error_term, fun() -> error({custom, [1, 2, 3]}) end},
        {exit_term, fun() -> exit({shutdown, reason}) end},
        {throw_term, fun() -> throw(<<"bin">>) end},
        {binary_to_atom, fun() -> binary_to_existing_atom(id(<<"surely_no_such_atom_xq9">>), utf8) end},
        {list_to_existing, fun() -> list_to_existing_atom(id("another_missing_atom_zz7")) end},
        {hd_nil, fun() -> hd(id([])) end},
        {length_improper, fun() -> length(id([a | b])) end},
        {tuple_size, fun() -> tuple_size(id(a)) end},
        {integer_to_binary, fun() -> integer_to_binary(id(1.0)) end},
        {float_to_list, fun() -> float_to_list(id(1)) end}
    ],
    lists:foreach(fun({Name, F}) -> io:format("~p: ~p~n", [Name, reason(F)]) end, Cases),
    lists:foreach(fun({Name, F}) ->
                          case catch F() of
                              {'EXIT', {R, St}} when is_list(St) -> io:format("catch ~p: EXIT ~p~n", [Name, strip(R)]);
                              {'EXIT', R} -> io:format("catch ~p: EXIT-exit ~p~n", [Name, R]);
                              Other -> io:format("catch ~p: value ~p~n", [Name, Other])
                          end
                  end, Cases),
    ok.

strip({badarity, {F, A}}) when is_function(F) -> {badarity, fn, A};
strip({badrecord, _}) -> badrecord;
strip(R) -> R.
