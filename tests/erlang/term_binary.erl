%% External term format: term_to_binary of integers (small, 32-bit, big),
%% floats, strings, lists, tuples, binaries and maps (no bitstrings: AtomVM has none), printed as
%% bytes; binary_to_term of hand-built binaries (ATOM_EXT, SMALL_ATOM_UTF8_EXT,
%% ATOM_UTF8_EXT, LARGE_TUPLE, LIST, NIL, STRING, BINARY, SMALL_BIG, NEW_FLOAT,
%% MAP); round trips of every kind of term; erlang:phash2/1,2.
-module(term_binary).
-export([start/0]).

id(X) -> X.

%% AtomVM's io_lib (avmsim's too) fails on an improper list, so one is printed as
%% {'|', [H1, ..., Hn], Tail}.
shown(L) when is_list(L) -> shown(L, []);
shown(X) -> X.

shown([H | T], Acc) -> shown(T, [H | Acc]);
shown([], Acc) -> lists:reverse(Acc);
shown(Tail, Acc) -> {'|', lists:reverse(Acc), Tail}.

start() ->
    Enc = [0, 255, 256, -1, 1 bsl 31, -(1 bsl 31), 1 bsl 64, -(1 bsl 70), 1.5, -0.1,
           "abc", [1, 2000], [], {}, {1, 2}, <<1, 2, 3>>, <<7>>, <<>>, [1 | 2],
           #{1 => 2}, lists:seq(1, 3), "", [300, 1]],
    lists:foreach(fun(T) -> io:format("t2b ~w: ~w~n", [shown(T), term_to_binary(T)]) end, Enc),
    Dec = [<<131, 100, 0, 3, "foo">>,
           <<131, 119, 3, "bar">>,
           <<131, 118, 0, 3, "baz">>,
           <<131, 97, 200>>,
           <<131, 98, 255, 255, 255, 255>>,
           <<131, 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1>>,
           <<131, 110, 1, 1, 5>>,
           <<131, 111, 0, 0, 0, 1, 0, 7>>,
           <<131, 70, 64, 9, 33, 251, 84, 68, 45, 24>>,
           <<131, 104, 2, 97, 1, 106>>,
           <<131, 105, 0, 0, 0, 1, 97, 9>>,
           <<131, 108, 0, 0, 0, 2, 97, 1, 97, 2, 106>>,
           <<131, 108, 0, 0, 0, 1, 97, 1, 97, 2>>,
           <<131, 107, 0, 2, 104, 105>>,
           <<131, 109, 0, 0, 0, 2, 200, 201>>,
           <<131, 116, 0, 0, 0, 1, 119, 1, "k", 97, 5>>,
           <<131, 106>>],
    lists:foreach(fun(B) -> io:format("b2t ~w: ~w~n", [B, shown(binary_to_term(B))]) end, Dec),
    Terms = [atom, 'Quoted atom', 42, -42, 1 bsl 100, -(1 bsl 100), 3.14, [], [a, [b, [c]]], "string",
             {tuple, {nested, [1, 2]}}, <<"binary">>, <<1>>, #{a => 1, {k} => [v]}, [1 | improper],
             list_to_tuple(lists:seq(1, 300)), lists:seq(1, 300), list_to_binary(lists:seq(0, 255)),
             fun lists:map/2],
    io:format("round trips: ~p~n", [[binary_to_term(term_to_binary(T)) =:= T || T <- Terms]]),
    io:format("binary_to_term/2 used: ~p~n", [binary_to_term(<<131, 97, 1, 99, 99>>, [used])]),
    io:format("bad term: ~p~n", [try binary_to_term(id(<<1, 2, 3>>)) catch error:R -> R end]),
    io:format("bad version: ~p~n", [try binary_to_term(id(<<130, 97, 1>>)) catch error:R2 -> R2 end]),
    io:format("truncated: ~p~n", [try binary_to_term(id(<<131, 98, 0, 0>>)) catch error:R3 -> R3 end]),
    io:format("phash2: ~p~n", [[erlang:phash2(T) || T <- [0, 1, -1, 1 bsl 70, a, abc, "abc", <<"abc">>,
                                                         {}, {a, b}, [], [1, 2, 3], 1.5, #{a => 1}, <<1, 3>>]]]),
    io:format("phash2 range: ~p~n", [[erlang:phash2(T, 100) || T <- [x, {1, 2}, "hello", 123456789]]]),
    io:format("phash2 equal terms: ~p~n", [erlang:phash2(1 bsl 70) =:= erlang:phash2(id(1 bsl 70))]),
    ok.
