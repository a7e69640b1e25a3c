%% Cases whose reference output cannot come from the host emulator (Debian's OTP 25 crashes
%% on them): tests/test_bits.py holds their expected output, from the Erlang reference
%% manual's rules (an invalid utf32 code point does not match).
-module(bits_known).
-export([start/0, cases/0]).

id(X) -> X.

start() -> show(cases()).

show([]) -> ok;
show([R | Rs]) -> io:format("~w~n", [R]), show(Rs).

cases() ->
    [[utf32_or(id(X)) || X <- [<<0, 16#11, 0, 0>>, <<0, 0, 16#D8, 0>>, <<0, 0, 16#DF, 16#FF>>,
                                <<255, 255, 255, 255>>, <<0, 16#10, 16#FF, 16#FF>>]],
     [utf32le_or(id(X)) || X <- [<<0, 0, 16#11, 0>>, <<0, 16#D8, 0, 0>>, <<65, 0, 0, 0>>]],
     [X || <<X/utf32>> <= id(<<65:32, 66:32, 16#110000:32, 67:32>>)],
     skip32(id(<<0, 0, 16#D8, 0, 1>>))].

utf32_or(Bin) -> case Bin of <<C/utf32, _/binary>> -> C; _ -> invalid end.
utf32le_or(Bin) -> case Bin of <<C/utf32-little, _/binary>> -> C; _ -> invalid end.

skip32(<<_/utf32, R/binary>>) -> R;
skip32(_) -> invalid.
