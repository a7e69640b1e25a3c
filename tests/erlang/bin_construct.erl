%% Binary construction (bs_create_bin): integer segments of many sizes, both
%% endiannesses and signedness, units, dynamic sizes; float 16/32/64; binary
%% and bitstring segments (whole and sized); utf8/utf16/utf32 in both
%% endiannesses; strings; appending in loops; construction errors. Bitstrings that are
%% not whole bytes, which AtomVM cannot build, are in tests/erlang_bits/bits_construct.erl,
%% where its answers are named.
-module(bin_construct).
-export([start/0]).

id(X) -> X.

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    N = id(258), Neg = id(-2), S = id(12),
    io:format("int default: ~w~n", [<<N, 1, 255, 256>>]),
    io:format("int 16 big/little: ~w ~w~n", [<<N:16>>, <<N:16/little>>]),
    io:format("int 32/64: ~w ~w~n", [<<N:32/big>>, <<N:64/little>>]),
    io:format("int 24 native-free: ~w~n", [<<16#123456:24>>]),
    io:format("negative: ~w ~w ~w~n", [<<Neg>>, <<Neg:16/signed>>, <<Neg:32/little-signed>>]),
    io:format("odd sizes: ~w~n", [<<1:1, 0:2, 5:3, 3:2>>]),
    io:format("dynamic size: ~w~n", [<<N:(S + 4)/little>>]),
    io:format("unit: ~w~n", [<<N:2/unit:8>>]),
    io:format("big int: ~w ~w~n", [<<(1 bsl 70 + 5):80>>, <<(-(1 bsl 70)):80/little-signed>>]),
    io:format("truncated: ~w~n", [<<1000:8>>]),
    F = id(1.5),
    io:format("float 64: ~w ~w~n", [<<F/float>>, <<F:64/float-little>>]),
    io:format("float 32: ~w ~w~n", [<<F:32/float>>, <<(id(-0.1)):32/float-little>>]),
    io:format("float 16: ~w ~w~n", [<<F:16/float>>, <<(id(-2.0)):16/float-little>>]),
    io:format("int as float: ~w~n", [<<(id(3)):64/float>>]),
    B = id(<<"abc">>),
    io:format("binary seg: ~w ~w ~w~n", [<<B/binary, "d">>, <<B:2/binary>>, <<0, B/binary, B/binary>>]),
    io:format("string: ~w ~w~n", [<<"hi", "there">>, <<"x"/utf8, "y"/utf16>>]),
    io:format("utf8: ~w ~w ~w ~w~n", [<<$a/utf8>>, <<233/utf8>>, <<8364/utf8>>, <<128512/utf8>>]),
    io:format("utf16: ~w ~w ~w~n", [<<8364/utf16>>, <<8364/utf16-little>>, <<128512/utf16>>]),
    io:format("utf32: ~w ~w~n", [<<8364/utf32>>, <<128512/utf32-little>>]),
    io:format("utf dynamic: ~w~n", [<< <<C/utf8>> || C <- id([72, 228, 8364, 66376])>>]),
    io:format("append loop: ~w~n", [append_loop(10, <<>>)]),
    Long = append_loop(1000, <<>>),
    io:format("append long: ~p ~p~n", [byte_size(Long), binary:last(Long)]),
    io:format("bin comp: ~w~n", [<< <<(X * 2)>> || X <- [1, 2, 3] >>]),
    io:format("bin comp from bin: ~w~n", [<< <<(X + 1), X>> || <<X>> <= <<"abc">> >>]),
    io:format("large binary: ~p~n", [byte_size(<< <<I:32>> || I <- lists:seq(1, 100) >>)]),
    io:format("neg size: ~p~n", [err(fun() -> <<1:(id(-1))>> end)]),
    io:format("bad int: ~p~n", [err(fun() -> <<(id(a)):8>> end)]),
    io:format("bad float: ~p~n", [err(fun() -> <<(id(x)):64/float>> end)]),
    io:format("bad binary: ~p~n", [err(fun() -> <<(id(1))/binary>> end)]),
    io:format("short binary: ~p~n", [err(fun() -> <<(id(<<"ab">>)):3/binary>> end)]),
    io:format("bad utf8: ~p~n", [err(fun() -> <<(id(16#D800))/utf8>> end)]),
    io:format("bad utf huge: ~p~n", [err(fun() -> <<(id(16#110000))/utf32>> end)]),
    io:format("bad size atom: ~p~n", [err(fun() -> <<1:(id(a))>> end)]),
    ok.

append_loop(0, Acc) -> Acc;
append_loop(N, Acc) -> append_loop(N - 1, <<Acc/binary, N>>).

