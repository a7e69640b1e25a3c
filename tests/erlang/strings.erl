%% Strings as lists and binaries with the string module (both the modern
%% unicode-aware API and the old list API), plus conversions around them.
-module(strings).
-export([start/0]).

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

start() ->
    S = "  Hello, World  ",
    B = <<"  Hello, World  ">>,
    p("trim", {string:trim(S), string:trim(S, leading), string:trim(S, trailing), string:trim(B)}),
    p("trim chars", string:trim("xxhixx", both, "x")),
    p("upper/lower", {string:uppercase("abc Def"), string:lowercase(<<"ABC dEF">>)}),
    p("casefold", string:casefold("HeLLo")),
    p("titlecase", string:titlecase("hello")),
    p("length", {string:length("hello"), string:length(<<"abc">>)}),
    p("split", {string:split("a,b,c", ","), string:split("a,b,c", ",", all), string:split(<<"k=v">>, "=")}),
    p("lexemes", string:lexemes("  a  b c ", " ")),
    p("find", {string:find("hello world", "o"), string:find("hello world", "o", trailing), string:find("abc", "z")}),
    p("replace", {lists:flatten(string:replace("a-b-c", "-", "+")), lists:flatten(string:replace("a-b-c", "-", "+", all))}),
    p("slice", {string:slice("hello world", 6), string:slice("hello world", 0, 5)}),
    p("reverse", string:reverse("abc")),
    p("pad", [lists:flatten(X) || X <- [string:pad("ab", 5), string:pad("ab", 5, leading, $.), string:pad("ab", 6, both, $*)]]),
    p("prefix", {string:prefix("foobar", "foo"), string:prefix("foobar", "bar")}),
    p("equal", {string:equal("abc", "abc"), string:equal("abc", "ABC", true)}),
    p("is_empty", {string:is_empty(""), string:is_empty([[], <<>>]), string:is_empty(" ")}),
    p("to_integer", {string:to_integer("123abc"), string:to_integer("-7"), string:to_integer("x")}),
    p("to_float", {string:to_float("1.5e3rest"), string:to_float("2.25")}),
    p("take", string:take("aaabbb", "a")),
    p("next_grapheme", string:next_grapheme("abc")),
    p("chomp", string:chomp("line\n")),
    p("join", string:join(["a", "b", "c"], "--")),
    p("tokens", string:tokens("a b,,c", " ,")),
    p("chr/rchr/str", {string:chr("hello", $l), string:rchr("hello", $l), string:str("hello", "ll")}),
    p("substr", {string:substr("hello", 2), string:substr("hello", 2, 3)}),
    p("sub_string", string:sub_string("hello", 2, 4)),
    p("strip", {string:strip("  x  "), string:strip("..x..", both, $.), string:strip("  x  ", left)}),
    p("left/right/centre", {string:left("ab", 4), string:right("ab", 4, $0), string:centre("ab", 6)}),
    p("copies", string:copies("ab", 3)),
    p("words", {string:words("a b  c"), string:sub_word("a b c", 2)}),
    p("to_upper/to_lower", {string:to_upper("mIxEd"), string:to_lower("mIxEd"), string:to_upper($a)}),
    p("concat", string:concat("ab", "cd")),
    p("span/cspan", {string:span("aabbc", "ab"), string:cspan("abcxyz", "xy")}),
    p("chars in binary", binary_to_list(<<"chars">>)),
    p("deep chardata", string:length(["ab", [<<"cd">>, $e]])),
    p("lists:flatten io", lists:flatten(io_lib:format("~s-~p", ["x", 1]))),
    ok.
