%% Float math: 300k steps of the Leibniz series for pi (like atomvm_benchmark's pi).
-module(bench_float).
-export([start/0]).
start() -> leibniz(0, 300000, 0.0, 1.0).
leibniz(N, N, Acc, _) -> 4 * Acc;
leibniz(I, N, Acc, Sign) -> leibniz(I + 1, N, Acc + Sign / (2 * I + 1), -Sign).
