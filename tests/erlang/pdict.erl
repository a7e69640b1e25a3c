%% Process dictionary: put/get/erase (returning old values), get/0, get_keys/0,1,
%% erase/0, complex keys and values, and a counter loop kept in the dictionary.
-module(pdict).
-export([start/0]).

start() ->
    io:format("put new: ~p~n", [put(a, 1)]),
    io:format("put again: ~p~n", [put(a, 2)]),
    io:format("get: ~p ~p~n", [get(a), get(missing)]),
    put({complex, key}, [1, 2, 3]),
    put(<<"bin">>, #{m => 1}),
    put(42, forty_two),
    put(b, 1),
    io:format("get complex: ~p ~p ~p~n", [get({complex, key}), get(<<"bin">>), get(42)]),
    io:format("get/0 sorted: ~p~n", [lists:sort(get())]),
    io:format("get_keys sorted: ~p~n", [lists:sort(get_keys())]),
    io:format("get_keys/1: ~p~n", [lists:sort(get_keys(1))]),
    io:format("erase: ~p ~p~n", [erase(a), erase(a)]),
    io:format("after erase: ~p~n", [get(a)]),
    [put({n, I}, I * I) || I <- lists:seq(1, 100)],
    io:format("100 entries sum: ~p~n", [lists:sum([get({n, I}) || I <- lists:seq(1, 100)])]),
    io:format("prng: ~p~n", [prng(1000)]),
    All = erase(),
    io:format("erase/0 count: ~p~n", [length(All)]),
    io:format("after erase/0: ~p ~p~n", [get(), get_keys()]),
    io:format("undefined value put: ~p ~p~n", [put(u, undefined), get(u)]),
    ok.

prng(0) -> get(seed);
prng(N) ->
    S = case get(seed) of undefined -> 42; V -> V end,
    put(seed, (S * 1103515245 + 12345) rem 2147483648),
    prng(N - 1).
