-module(unicode_rest).
%% unicode:characters_to_list/binary on bad chardata, where AtomVM and OTP part ways: the
%% Rest of {error, Converted, Rest} keeps the input's nesting (both), a UTF-8 sequence split
%% across two binaries is an error, or incomplete only when nothing at all follows (OTP
%% joins the halves), and latin1 output reports an unencodable character with the same Rest
%% as any other failure (OTP wraps it as [[Char] | Tail]). Lists printed are plain ASCII.
-export([start/0]).

show(Tag, F) -> erlang:display({Tag, try F() catch C:R -> {C, R} end}).

start() ->
    show(nested_int, fun() -> unicode:characters_to_list(["foo", [$h, -1 | "ello"], "bar"], latin1) end),
    show(deeper, fun() -> unicode:characters_to_list(["foo", [[$h, -1 | "ello"], "x"], "bar"], latin1) end),
    show(empty_kept, fun() -> unicode:characters_to_list([[], "foo", [[$h, -1 | "ello"]], [], "bar"], latin1) end),
    show(flat, fun() -> unicode:characters_to_list([$h, 16#110000 | "ello"], utf8) end),
    show(nested_bin, fun() -> unicode:characters_to_list(["foo", [<<"h", 255, "z">>, "x"], "bar"], utf8) end),
    show(bin_elem, fun() -> unicode:characters_to_binary(["foo", <<"h", 255, "z">>, "bar"], utf8) end),
    show(split_seq, fun() -> unicode:characters_to_list([$a, <<226, 130>>, <<172>>], utf8) end),
    show(cut_then_more, fun() -> unicode:characters_to_list(["foo", [<<"h", 195>>], "bar"], utf8) end),
    show(cut_then_empty, fun() -> unicode:characters_to_list([$a, <<226, 130>>, []], utf8) end),
    show(cut_last, fun() -> unicode:characters_to_list(["foo", [<<"h", 195>>]], utf8) end),
    show(cut_last_deep, fun() -> unicode:characters_to_binary([[$a, [<<226, 130>>]]], utf8) end),
    show(bin_tail, fun() -> unicode:characters_to_list([$h, <<"ab">> | <<"c", 200, 1>>], utf8) end),
    show(latin1_out, fun() -> unicode:characters_to_binary(["foo", [$h, 300 | "ello"], "bar"], utf8, latin1) end),
    show(latin1_out_bin, fun() -> unicode:characters_to_binary([<<"h", 196, 172, "z">>, "ello"], utf8, latin1) end),
    show(latin1_out_neg, fun() -> unicode:characters_to_binary([$h, -1 | "ello"], utf8, latin1) end),
    show(not_chardata, fun() -> unicode:characters_to_list([$h, self()], latin1) end),
    ok.
