-module(term_format).
%% AtomVM writes atoms as SMALL_ATOM_UTF8_EXT / ATOM_UTF8_EXT (OTP 26+'s default; OTP 25
%% writes latin-1 atoms as ATOM_EXT) and has term_to_binary/1 only.
-export([start/0]).

try_(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

show(Tag, F) -> io:format("~w ~w~n", [Tag, try_(F)]).

start() ->
    show(ascii, fun() -> term_to_binary(abc) end),
    show(latin1, fun() -> term_to_binary(list_to_atom([104, 233])) end),
    show(greek, fun() -> term_to_binary(list_to_atom([16#3b1, 16#3b2])) end),
    show(empty, fun() -> term_to_binary('') end),
    show(long, fun() -> byte_size(term_to_binary(list_to_atom(lists:duplicate(255, $a)))) end),
    show(booleans, fun() -> term_to_binary({true, false, undefined}) end),
    show(nested, fun() -> term_to_binary([{k, #{a => [b]}}, 1.5]) end),
    show(round_trip, fun() -> binary_to_term(term_to_binary({x, [y], #{z => 'e2'}})) end),
    show(options, fun() -> term_to_binary(abc, [compressed]) end),
    ok.
