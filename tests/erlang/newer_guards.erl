%% Guard BIFs that only newer compilers accept, selected with ?OTP_RELEASE so
%% the same source compiles everywhere and prints the same thing:
%% min/max in guards (OTP 26+) and is_integer/3 (OTP 29+, the bif3 opcode),
%% with plain-guard fallbacks for older compilers. Also binary_part/3 in a
%% guard (gc_bif3) and the 2-argument is_record guard.
-module(newer_guards).
-export([start/0, in_range/3, clamp_guard/1]).

-if(?OTP_RELEASE >= 29).
-define(IN_RANGE(X, L, H), is_integer(X, L, H)).
-else.
-define(IN_RANGE(X, L, H), (is_integer(X) andalso X >= L andalso X =< H)).
-endif.

-if(?OTP_RELEASE >= 26).
-define(SMALLER(A, B), min(A, B)).
-define(LARGER(A, B), max(A, B)).
-else.
-define(SMALLER(A, B), (if A =< B -> A; true -> B end)).
-define(LARGER(A, B), (if A >= B -> A; true -> B end)).
-endif.

in_range(X, L, H) when ?IN_RANGE(X, L, H) -> in;
in_range(_, _, _) -> out.

range_value(X, L, H) -> ?IN_RANGE(X, L, H).

-if(?OTP_RELEASE >= 26).
clamp_guard(X) when min(X, 10) =:= X, max(X, 0) =:= X -> within;
clamp_guard(_) -> outside.
-else.
clamp_guard(X) when X =< 10, X >= 0 -> within;
clamp_guard(_) -> outside.
-endif.

prefix(B) when binary_part(B, 0, 2) =:= <<"ab">> -> ab;
prefix(B) when byte_size(B) > 3, binary_part(B, byte_size(B), -2) =:= <<"yz">> -> ends_yz;
prefix(_) -> other.

start() ->
    Xs = [0, 1, 5, 10, 11, -3, a, 2.0, 1 bsl 80],
    io:format("in_range guard: ~p~n", [[in_range(X, 1, 10) || X <- Xs]]),
    io:format("in_range dynamic bounds: ~p~n", [[in_range(X, -5, 1 bsl 81) || X <- Xs]]),
    io:format("range value: ~p~n", [[range_value(X, 0, 5) || X <- Xs]]),
    io:format("clamp guard: ~p~n", [[clamp_guard(X) || X <- [-1, 0, 5, 10, 11, 2.5]]]),
    io:format("min/max body: ~p~n", [[{?SMALLER(A, B), ?LARGER(A, B)} || {A, B} <- [{1, 2}, {3, -1}, {a, 1}, {2.0, 2}]]]),
    io:format("binary_part guard: ~p~n", [[prefix(B) || B <- [<<"abc">>, <<"wxyz">>, <<"a">>, <<"xyz">>]]]),
    ok.
