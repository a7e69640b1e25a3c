-module(bigint_edges).
%% Integers at AtomVM's 256-bit edge where AtomVM and OTP part ways. A literal wider than
%% 256 bits does not stop the module from loading: AtomVM decodes literals when they are
%% used, and each use raises out_of_memory. Bitwise operators on bigints work in two's
%% complement over the longer operand's stored digits with the sign apart, so a result of
%% -2^W (W those digits' bits) comes out as 0: -1 bxor (2^256 - 1), bnot (2^256 - 1), and
%% likewise at 128 and 192 bits; every other result is exact.
-export([start/0, id/1]).

id(X) -> X.

show(Tag, F) -> io:format("~w ~w~n", [Tag, try F() catch C:R -> {C, R} end]).

start() ->
    show(loaded, fun() -> ok end),
    show(wide_literal, fun() -> id(1 bsl 19999 + 5) end),
    show(wide_literal_neg, fun() -> id(-(1 bsl 256)) end),
    M256 = id((1 bsl 255) - 1) * 2 + 1,
    M128 = id((1 bsl 128) - 1),
    M192 = id((1 bsl 192) - 1),
    show(bxor_256, fun() -> id(-1) bxor M256 end),
    show(bxor_256_swapped, fun() -> M256 bxor id(-1) end),
    show(bnot_256, fun() -> bnot M256 end),
    show(bnot_neg_256, fun() -> bnot (-M256) end),
    show(band_256, fun() -> (-M256) band id(-2) end),
    show(bor_256, fun() -> (-M256) bor id(-1) end),
    show(bxor_128, fun() -> id(-1) bxor M128 end),
    show(bnot_128, fun() -> bnot M128 end),
    show(bxor_192, fun() -> id(-1) bxor M192 end),
    show(bnot_192, fun() -> bnot M192 end),
    show(bxor_mixed, fun() -> M128 bxor (-M256) end),
    show(bxor_64, fun() -> id(-1) bxor id((1 bsl 64) - 1) end),
    show(bnot_64, fun() -> bnot id((1 bsl 64) - 1) end),
    show(bnot_63, fun() -> bnot id((1 bsl 63) - 1) end),
    show(apply_bxor, fun() -> erlang:apply(erlang, 'bxor', [id(-1), M256]) end),
    show(apply_bnot, fun() -> erlang:apply(erlang, 'bnot', [M256]) end),
    show(exact, fun() -> (M256 - 5) bxor id(-7) end),
    ok.
