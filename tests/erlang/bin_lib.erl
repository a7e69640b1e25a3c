%% Binary BIFs and the binary module: byte_size/bit_size/binary_part,
%% split_binary, list_to_binary/iolist_to_binary/iolist_size,
%% binary_to_list/1,3, bitstring_to_list, list_to_bitstring, and binary:
%% split/match/matches/replace/part/at/first/last/copy/decode_unsigned/
%% encode_unsigned/bin_to_list/list_to_bin/longest_common_prefix.
-module(bin_lib).
-export([start/0]).

id(X) -> X.

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

err(F) -> try F() catch C:R -> {C, R} end.

start() ->
    B = id(<<"hello, world">>),
    p("sizes", {byte_size(B), bit_size(B), size(B)}),
    p("binary_part", {binary_part(B, 0, 5), binary_part(B, {7, 5}), binary_part(B, byte_size(B), -5)}),
    p("split_binary", split_binary(B, 5)),
    p("list_to_binary", list_to_binary([104, "ey", <<"!">>, [[32]]])),
    p("iolist_to_binary", iolist_to_binary([<<"a">>, [$b, [<<"cd">>]], "e" | <<"f">>])),
    p("iolist_size", iolist_size([<<"ab">>, [1, 2, [3]], <<>>])),
    p("binary_to_list", {binary_to_list(B), binary_to_list(B, 1, 5)}),
    p("bitstring_to_list", bitstring_to_list(id(<<1, 2, 3>>))),
    p("list_to_bitstring", list_to_bitstring([<<1>>, 2, <<3>>])),
    p("split", {binary:split(B, <<", ">>), binary:split(<<"a,b,,c">>, <<",">>, [global]),
                binary:split(<<"a,b,,c,">>, [<<",">>], [global, trim_all])}),
    p("match", {binary:match(B, <<"o">>), binary:match(B, [<<"wor">>, <<"l">>]), binary:match(B, <<"z">>)}),
    p("matches", binary:matches(B, <<"o">>)),
    p("replace", {binary:replace(B, <<"o">>, <<"0">>), binary:replace(B, <<"o">>, <<"0">>, [global])}),
    p("part", {binary:part(B, 7, 5), binary:part(B, {0, 4})}),
    p("at/first/last", {binary:at(B, 4), binary:first(B), binary:last(B)}),
    p("copy", {binary:copy(<<"ab">>), binary:copy(<<"ab">>, 3)}),
    p("decode_unsigned", {binary:decode_unsigned(<<1, 0>>), binary:decode_unsigned(<<1, 0>>, little),
                          binary:decode_unsigned(<<255, 255, 255, 255, 255, 255, 255, 255, 255>>)}),
    p("encode_unsigned", {binary:encode_unsigned(16#4142), binary:encode_unsigned(256, little),
                          binary:encode_unsigned(1 bsl 70)}),
    p("bin_to_list", {binary:bin_to_list(<<"abc">>), binary:bin_to_list(<<"abcdef">>, 2, 3)}),
    p("list_to_bin", binary:list_to_bin(["x", <<"y">>, $z])),
    p("longest_common_prefix", binary:longest_common_prefix([<<"foobar">>, <<"foobaz">>, <<"fool">>])),
    p("longest_common_suffix", binary:longest_common_suffix([<<"abcxyz">>, <<"qxyz">>])),
    p("referenced_byte_size", is_integer(binary:referenced_byte_size(B))),
    p("binary_part error", err(fun() -> binary_part(B, 10, 10) end)),
    p("binary:at error", err(fun() -> binary:at(B, 100) end)),
    p("list_to_binary error", err(fun() -> list_to_binary(id([256])) end)),
    p("list_to_binary atom", err(fun() -> list_to_binary(id([a])) end)),
    p("iolist_size error", err(fun() -> iolist_size(id([1 | a])) end)),
    p("split_binary error", err(fun() -> split_binary(B, 99) end)),
    p("byte_size list", err(fun() -> byte_size(id([])) end)),
    p("first empty", err(fun() -> binary:first(id(<<>>)) end)),
    ok.
