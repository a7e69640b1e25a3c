%% Arithmetic failures: badarith from integer division by zero, float division
%% by zero, non-number operands, float overflow; badarg from conversions;
%% errors inside guards make the guard fail instead of raising.
-module(arith_errors).
%% 'catch Expr' is exercised on purpose; OTP 29 deprecates it.
-compile([nowarn_deprecated_catch]).
-export([start/0]).

id(X) -> X.

r(Label, F) ->
    Res = try F() of V -> {value, V} catch C:R -> {C, R} end,
    io:format("~s: ~p~n", [Label, Res]).

start() ->
    r("1 div 0", fun() -> 1 div id(0) end),
    r("1 rem 0", fun() -> 1 rem id(0) end),
    r("big div 0", fun() -> (1 bsl 100) div id(0) end),
    r("1 / 0", fun() -> 1 / id(0) end),
    r("1.0 / 0.0", fun() -> 1.0 / id(0.0) end),
    r("a + 1", fun() -> id(a) + 1 end),
    r("1 - []", fun() -> 1 - id([]) end),
    r("-atom", fun() -> -id(atom) end),
    r("float * tuple", fun() -> 1.5 * id({}) end),
    r("1.5 div 1", fun() -> id(1.5) div 1 end),
    r("7 rem 2.0", fun() -> 7 rem id(2.0) end),
    r("band float", fun() -> id(1.0) band 1 end),
    r("bsl atom", fun() -> 1 bsl id(x) end),
    r("bnot float", fun() -> bnot id(1.0) end),
    r("float overflow", fun() -> id(1.0e308) * 10.0 end),
    r("float overflow add", fun() -> id(1.7e308) + 1.7e308 end),
    r("abs(atom)", fun() -> abs(id(x)) end),
    r("round(atom)", fun() -> round(id(x)) end),
    r("trunc list", fun() -> trunc(id("1")) end),
    r("float(atom)", fun() -> float(id(a)) end),
    r("list_to_integer bad", fun() -> list_to_integer(id("12x")) end),
    r("list_to_integer base", fun() -> list_to_integer(id("12"), 99) end),
    r("list_to_float int", fun() -> list_to_float(id("12")) end),
    r("binary_to_integer bad", fun() -> binary_to_integer(id(<<"--1">>)) end),
    r("integer_to_list float", fun() -> integer_to_list(id(1.0)) end),
    r("ok sub", fun() -> id(10) - 20 end),
    io:format("guard div0: ~p~n", [guard_div(0)]),
    io:format("guard div2: ~p~n", [guard_div(2)]),
    io:format("guard atom+: ~p~n", [guard_add(a)]),
    io:format("guard 5+: ~p~n", [guard_add(5)]),
    io:format("catch div: ~p~n", [element(1, element(2, catch 1 div id(0)))]),
    ok.

guard_div(N) when 10 div N > 1 -> big;
guard_div(_) -> other.

guard_add(X) when X + 1 > 3 -> gt3;
guard_add(_) -> no.
