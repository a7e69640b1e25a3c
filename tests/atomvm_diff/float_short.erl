-module(float_short).
%% float_to_binary/list(F, [short]): AtomVM runs Grisu3 and, where Grisu3 cannot prove its
%% digits shortest, falls back to %.17g (%.16e from 2^53 up), so 1.0e23 prints as
%% 9.9999999999999992e22 where OTP prints 1.0e23. AtomVM also places the point by its own
%% rule: 1200.0 stays plain where OTP writes 1.2e3. Then 300 doubles from a fixed xorshift
%% sequence (bit patterns, decimals, integers scaled by powers of ten, subnormals).
-export([start/0]).

start() ->
    Fixed = [1.0e23, 9.0e-265, 5.423717798060526e125, 1.372371880954233e-288,
             1.979740120616623e16, -1.8830736066034812e16, 1200.0, 120.0, 0.0001, 0.00012,
             1.0e-5, 123000.0, 1.0e15, 1.0e16, 9007199254740991.0, 9007199254740992.0,
             5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, -0.0, 0.0, 3.14],
    [io:format("~s~n", [erlang:float_to_binary(F, [short])]) || F <- Fixed],
    io:format("~s~n", [erlang:float_to_list(1.0e23, [short])]),
    loop(300, 88172645463325252).

next(X0) ->
    X1 = X0 bxor ((X0 bsl 13) band 16#FFFFFFFFFFFFFFFF),
    X2 = X1 bxor (X1 bsr 7),
    X2 bxor ((X2 bsl 17) band 16#FFFFFFFFFFFFFFFF).

sample(0, X) -> <<F/float>> = <<(X band 16#7FEFFFFFFFFFFFFF):64>>, F;
sample(1, X) -> (X rem 10000000) / math:pow(10, (X bsr 30) rem 40);
sample(2, X) -> (X rem 10000000) * math:pow(10, (X bsr 30) rem 40);
sample(3, X) -> <<F/float>> = <<(X band 16#FFFFFFFFFFFFF):64>>, F.

loop(0, _) -> ok;
loop(N, X0) ->
    X = next(X0),
    io:format("~s~n", [erlang:float_to_binary(sample(N rem 4, X), [short])]),
    loop(N - 1, X).
