%% unicode:characters_to_binary/1,2,3 and characters_to_list/1,2 across utf8,
%% utf16, utf32 and latin1, error/incomplete results (tag and converted
%% prefix only when the input was a list); base64 encode/decode
%% (binary and string forms; AtomVM has no mime_decode). Non-ASCII data is printed with ~w.
-module(unicode_b64).
-export([start/0]).

w(Label, V) -> io:format("~s: ~w~n", [Label, V]).

start() ->
    Cps = [$h, 233, 8364, 128512],
    w("to utf8", unicode:characters_to_binary(Cps)),
    w("to utf16", unicode:characters_to_binary(Cps, unicode, utf16)),
    w("to utf16 little", unicode:characters_to_binary(Cps, unicode, {utf16, little})),
    w("to utf32", unicode:characters_to_binary(Cps, unicode, utf32)),
    w("to latin1", unicode:characters_to_binary([$a, 233], unicode, latin1)),
    w("latin1 in", unicode:characters_to_binary(<<233, 255>>, latin1, utf8)),
    w("mixed chardata", unicode:characters_to_binary(["ab", <<"cd">>, [233 | <<"e">>]])),
    w("to list", unicode:characters_to_list(<<104, 195, 169, 226, 130, 172>>)),
    w("to list utf16", unicode:characters_to_list(<<0, 104, 32, 172>>, utf16)),
    w("to list deep", unicode:characters_to_list([<<"x">>, "y", [<<"z">>]])),
    w("error", head2(unicode:characters_to_binary([$a, -1]))),
    w("error bin", unicode:characters_to_list(<<"ok", 255, "rest">>)),
    w("incomplete", unicode:characters_to_list(<<"ab", 226, 130>>)),
    w("latin1 overflow", head2(unicode:characters_to_binary([$z, 8364], unicode, latin1))),
    w("bom", {unicode:bom_to_encoding(<<239, 187, 191, "x">>), unicode:encoding_to_bom(utf8)}),
    Data = [<<>>, <<"f">>, <<"fo">>, <<"foo">>, <<"foob">>, <<"fooba">>, <<"foobar">>, <<0, 255, 254, 128>>],
    io:format("encode: ~p~n", [[base64:encode(D) || D <- Data]]),
    io:format("decode: ~p~n", [[base64:decode(base64:encode(D)) =:= D || D <- Data]]),
    io:format("encode_to_string: ~p~n", [base64:encode_to_string("hello world")]),
    io:format("decode_to_string: ~p~n", [base64:decode_to_string("aGVsbG8gd29ybGQ=")]),
    io:format("decode string in: ~p~n", [base64:decode("Zm9vYmFy")]),
    io:format("encode list in: ~p~n", [base64:encode("list input")]),
    io:format("big roundtrip: ~p~n", [begin B = list_to_binary(lists:seq(0, 255)), base64:decode(base64:encode(B)) =:= B end]),
    io:format("bad decode: ~p~n", [try base64:decode(<<"@@@@">>) catch error:_ -> error end]),
    ok.

%% The rest of a failed list conversion is an implementation-specific deep list.
head2(T) -> {element(1, T), element(2, T)}.
