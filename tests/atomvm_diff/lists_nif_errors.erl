-module(lists_nif_errors).
%% lists:reverse/1,2, flatten/1, member/2, keyfind/3 and keymember/3 are NIFs in AtomVM: what
%% is not a proper list is badarg (OTP raises function_clause for reverse/1 and flatten/1).
-export([start/0]).
t(F) -> erlang:display(try F() catch C:R:S -> {C, R, [{M, Fn, A} || {M, Fn, A, _} <- S]} end).
start() ->
    t(fun() -> lists:reverse(x) end),
    t(fun() -> lists:reverse([1 | x]) end),
    t(fun() -> lists:reverse(x, []) end),
    t(fun() -> lists:reverse([1], x) end),
    t(fun() -> lists:flatten(x) end),
    t(fun() -> lists:flatten([a | b]) end),
    t(fun() -> lists:member(a, x) end),
    t(fun() -> lists:member(a, [b | c]) end),
    t(fun() -> lists:keyfind(a, 0, [x]) end),
    t(fun() -> lists:keyfind(a, 1, x) end),
    t(fun() -> lists:keyfind(a, 1, [x | y]) end),
    t(fun() -> lists:keymember(a, 0, [x]) end),
    t(fun() -> lists:keymember(a, 1, x) end),
    t(fun() -> lists:keyfind(a, 1, [{a}]) end),
    ok.
