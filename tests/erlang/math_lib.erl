%% The math module: trigonometric, hyperbolic, exponential and logarithmic
%% functions, pow/sqrt/fmod/ceil/floor/pi, and their badarith/badarg errors.
%% Results of transcendental functions are printed to 12 decimals (libm
%% implementations may differ in the last bit); exactly rounded operations
%% (sqrt, pow of exact values, fmod, ceil, floor) are printed in full.
-module(math_lib).
-export([start/0]).

id(X) -> X.

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

%% Print a tuple of floats rounded to 12 decimals.
r(Label, T) ->
    io:format("~s: ~s~n", [Label, lists:join(" ", [float_to_list(F, [{decimals, 12}]) || F <- tuple_to_list(T)])]).

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    p("pi", math:pi()),
    r("sin/cos/tan", {math:sin(1.0), math:cos(1.0), math:tan(0.5)}),
    p("sin 0 / cos 0", {math:sin(0), math:cos(0)}),
    r("asin/acos/atan", {math:asin(0.5), math:acos(0.5), math:atan(1)}),
    r("atan2", {math:atan2(1, 1), math:atan2(-1, -1), math:atan2(0, -1)}),
    r("sinh/cosh/tanh", {math:sinh(1), math:cosh(1), math:tanh(0.5)}),
    r("asinh/acosh/atanh", {math:asinh(1), math:acosh(2), math:atanh(0.5)}),
    r("exp/log", {math:exp(1), math:exp(0), math:log(10), math:log(1)}),
    p("log2/log10 exact", {math:log2(1024), math:log10(1000)}),
    r("log2/log10", {math:log2(3), math:log10(2)}),
    p("pow", {math:pow(2, 10), math:pow(2.5, 2), math:pow(4, 0.5), math:pow(2, -1)}),
    p("sqrt", {math:sqrt(2), math:sqrt(16), math:sqrt(1 bsl 80)}),
    p("fmod", {math:fmod(10, 3), math:fmod(-10, 3), math:fmod(5.5, 2)}),
    p("ceil/floor", {math:ceil(1.2), math:floor(-1.2), math:ceil(3), math:floor(2.0)}),
    p("identity", abs(math:sin(math:pi() / 6) - 0.5) < 1.0e-15),
    r("series", {lists:sum([math:pow(-1, K) / (2 * K + 1) || K <- lists:seq(0, 99)]) * 4}),
    p("log 0", err(fun() -> math:log(id(0)) end)),
    p("log neg", err(fun() -> math:log(id(-1)) end)),
    p("sqrt neg", err(fun() -> math:sqrt(id(-4)) end)),
    p("acos 2", err(fun() -> math:acos(id(2)) end)),
    p("pow overflow", err(fun() -> math:pow(id(10), 400) end)),
    p("exp overflow", err(fun() -> math:exp(id(1000)) end)),
    p("sin atom", err(fun() -> math:sin(id(a)) end)),
    p("fmod 0", err(fun() -> math:fmod(id(1), 0) end)),
    ok.
