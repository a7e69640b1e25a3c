-module(int_limit).
%% AtomVM's integers stop at a 256-bit magnitude: results beyond raise overflow (arithmetic,
%% shifts, float conversions), text and external-term input beyond is badarg, and integer
%% segments over 64 bits match only whole-byte and byte-aligned. OTP goes on in every case.
-export([start/0, id/1]).

id(X) -> X.

try_(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

show(Tag, F) -> io:format("~w ~w~n", [Tag, try_(F)]).

start() ->
    X = ?MODULE:id(1 bsl 255),
    Max = (X - 1) + X,
    show(max, fun() -> Max end),
    show(neg_max, fun() -> -Max end),
    show(add_over, fun() -> Max + 1 end),
    show(sub_over, fun() -> -Max - 1 end),
    show(mul_over, fun() -> X * 2 end),
    show(mul_over2, fun() -> Max * Max end),
    show(mul_fits, fun() -> X * 1 end),
    show(apply_mul, fun() -> erlang:'*'(X, ?MODULE:id(4)) end),
    show(apply_add, fun() -> erlang:'+'(Max, ?MODULE:id(1)) end),
    show(bsl_over, fun() -> 1 bsl ?MODULE:id(256) end),
    show(bsl_fits, fun() -> 1 bsl ?MODULE:id(255) end),
    show(bsl_neg_over, fun() -> (-Max) bsl ?MODULE:id(1) end),
    show(bsl_huge, fun() -> 1 bsl ?MODULE:id(100000) end),
    show(band_fits, fun() -> Max band (Max - 5) end),
    show(div_fits, fun() -> Max div 3 end),
    show(trunc_over, fun() -> trunc(?MODULE:id(1.0e80)) end),
    show(trunc_fits, fun() -> trunc(?MODULE:id(1.0e76)) end),
    show(round_over, fun() -> round(?MODULE:id(1.0e300)) end),
    show(ceil_over, fun() -> ceil(?MODULE:id(-1.0e78)) end),
    show(floor_over, fun() -> floor(?MODULE:id(1.0e78)) end),
    show(b2i_fits, fun() -> binary_to_integer(integer_to_binary(Max)) end),
    show(b2i_over, fun() -> binary_to_integer(<<"1", (integer_to_binary(Max))/binary>>) end),
    show(l2i_over, fun() -> list_to_integer("-1" ++ integer_to_list(Max)) end),
    show(l2i_hex_over, fun() -> list_to_integer(lists:duplicate(65, $f), 16) end),
    show(l2i_hex_fits, fun() -> list_to_integer(lists:duplicate(64, $f), 16) end),
    show(b2t_fits, fun() -> binary_to_term(?MODULE:id(<<131, 110, 32, 0, 1:256/little>>)) end),
    show(b2t_over, fun() -> binary_to_term(?MODULE:id(<<131, 110, 33, 0, 1:264/little>>)) end),
    show(t2b_max, fun() -> byte_size(term_to_binary(Max)) end),
    show(seg_build, fun() -> byte_size(<<Max:264>>) end),
    B = ?MODULE:id(<<1, 0:256>>),
    show(match_128, fun() -> <<Y:128, _/bits>> = B, Y end),
    show(match_256, fun() -> <<Y:256, _/bits>> = B, Y end),
    show(match_264, fun() -> <<Y:264>> = B, Y end),
    show(match_unaligned, fun() -> <<_:1, Y:100, _/bits>> = B, Y end),
    show(match_65, fun() -> <<Y:65, _/bits>> = B, Y end),
    show(match_64, fun() -> <<Y:64/little, _/bits>> = B, Y end),
    N = ?MODULE:id(96),
    show(match_var_96, fun() -> <<Y:N, _/bits>> = B, Y end),
    M = ?MODULE:id(97),
    show(match_var_97, fun() -> <<Y:M, _/bits>> = B, Y end),
    show(guard, fun() -> if Max + 1 > 0 -> yes; true -> no end end),
    ok.
