-module(iolists).
%% AtomVM's iolists may end in a byte ([1 | 2] is <<1, 2>>): interop_chardata_fold takes an
%% integer tail as one more byte, where OTP refuses the list.
-export([start/0]).

try_(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

show(Tag, F) -> io:format("~w ~w~n", [Tag, try_(F)]).

start() ->
    show(to_binary, fun() -> iolist_to_binary([1 | 2]) end),
    show(size, fun() -> iolist_size([1, [2] | 3]) end),
    show(list_to_binary, fun() -> list_to_binary([<<1>> | 255]) end),
    show(nested_tail, fun() -> iolist_to_binary([[1 | 2], 3]) end),
    show(tail_too_big, fun() -> iolist_to_binary([1 | 256]) end),
    show(tail_atom, fun() -> iolist_to_binary([1 | a]) end),
    show(binary_tail, fun() -> iolist_to_binary([1 | <<2>>]) end),
    ok.
