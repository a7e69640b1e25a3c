-module(io_lib_terms).
%% ~p and ~w as AtomVM's io_lib writes them (libs/estdlib io_lib.erl), where OTP differs:
%% one line whatever the length; [] and every list of latin1 printable characters (8..13,
%% 27, 32..255) as a string, escaping only \b \t \n \v \f \r \e and the quote (written
%% quote-backslash), not the backslash; binaries likewise (<<"">> when empty), ~tp/~tw
%% decoding UTF-8; floats as float_to_list/1; atoms quoted unless a-z then a-z A-Z 0-9 _ @,
%% nothing but ' escaped, '' written as nothing; improper lists fail; the field width pads.
%% Each result is printed as its character codes (~w of a flat list), so no console encoding
%% is involved.
-export([start/0]).

t(Fmt, T) ->
    R = try lists:flatten(io_lib:format(Fmt, [T])) of L -> L catch C:_ -> C end,
    io:format("~s ~w~n", [Fmt, R]).

start() ->
    Terms = [[], "", "abc", [[]], [[], []], <<>>, <<"abc">>, <<1, 2, 3>>, <<"a\nb">>, <<233>>,
             1.0, 0.1, -2.5e-10, 1.0e100, 123456789.0, -0.0,
             hello, 'Hello', list_to_atom([104, 233]), 'a b', 'it\'s', 'end', 'maybe', '',
             '\n', 'a@b', 'B_1', '_x', 'x-y',
             "a\\b", "q\"q", "tab\there", "\e\b\f\v\r\n", [127], [128], [159], [160], [255],
             [256], [300, 301], [7], [0], [8], [14], [27], [31], [-1], [a],
             {a, "b", <<"c">>}, #{a => 1, "k" => [2]}, #{}, {}, lists:seq(1, 40),
             [lists:seq(1, 10) || _ <- lists:seq(1, 5)], {[], [[]], <<>>}, ["a" | ["b"]],
             [{k, "v"}, {k2, <<"v2">>}], -1, 1 bsl 40, [1, 2 | 3], [$a | b]],
    [t(F, T) || T <- Terms, F <- ["~p", "~w"]],
    [t(F, T) || T <- ["ab", [16#3b1], <<16#3b1/utf8>>, <<"\x{e9}"/utf8>>, <<255>>, <<"ab">>],
                F <- ["~tp", "~tw"]],
    t("~10p", abc), t("~-10p", abc), t("~3p", abcdef), t("~10w", "ab"), t("~-6w", x),
    t("~6..xp", ab), t("~3w", {a, b}),
    io:format("~w~n", [lists:flatten(io_lib:write({"a", [], 1.5, 'A'}))]),
    ok.
