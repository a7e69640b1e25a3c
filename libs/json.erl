%% @doc JSON (RFC 8259) encoding and decoding with OTP 27's `json' API, which AtomVM's estdlib
%% also ships: apps written against either run unchanged on avmsim.
%%
%% Results and error terms follow OTP 27 (checked against it by tests/test_library_api.py):
%% decoding raises `unexpected_end' when the input stops inside a value, `{invalid_byte, B}'
%% for the first byte that cannot continue it, `{unexpected_sequence, Bin}' for a bad `\u'
%% escape or a float out of range. Encoders return iodata.
%%
%% The decoder is recursive descent over sub-binaries. Streaming (`decode_start/3',
%% `decode_continue/2') keeps the unparsed input and re-parses it when more arrives: simple,
%% and cheap enough for the short documents a microcontroller exchanges.
-module(json).

-export([decode/1, decode/3, decode_start/3, decode_continue/2]).
-export([
    encode/1,
    encode/2,
    encode_value/2,
    encode_atom/2,
    encode_binary/1,
    encode_binary_escape_all/1,
    encode_float/1,
    encode_integer/1,
    encode_list/2,
    encode_map/2,
    encode_map_checked/2,
    encode_key_value_list/2,
    encode_key_value_list_checked/2
]).

%% The decoder callbacks, with OTP's defaults; `final' says that no more input will come, so
%% a number reaching the end of the input is complete rather than possibly cut short.
-record(dec, {
    array_start = fun(_) -> [] end,
    array_push = fun(V, L) -> [V | L] end,
    array_finish = fun(L, Old) -> {lists:reverse(L), Old} end,
    object_start = fun(_) -> [] end,
    object_push = fun(K, V, L) -> [{K, V} | L] end,
    object_finish = fun(L, Old) -> {maps:from_list(L), Old} end,
    float = fun erlang:binary_to_float/1,
    integer = fun erlang:binary_to_integer/1,
    string = fun(S) -> S end,
    null = null,
    final = true
}).

-define(IS_WS(C), (C =:= $\s orelse C =:= $\t orelse C =:= $\n orelse C =:= $\r)).
-define(IS_DIGIT(C), (C >= $0 andalso C =< $9)).

%%
%% Decoding
%%

-spec decode(binary()) -> term().
decode(Bin) when is_binary(Bin) ->
    case decode(Bin, ok, #{}) of
        {Value, ok, <<>>} -> Value;
        {_, ok, <<Byte, _/binary>>} -> error({invalid_byte, Byte})
    end.

-spec decode(binary(), term(), map()) -> {term(), term(), binary()}.
decode(Bin, Acc, Decoders) when is_binary(Bin) ->
    top(Bin, Acc, decoders(Decoders)).

-spec decode_start(binary(), term(), map()) -> {term(), term(), binary()} | {continue, tuple()}.
decode_start(Bin, Acc, Decoders) when is_binary(Bin) ->
    partial(Bin, Acc, (decoders(Decoders))#dec{final = false}).

-spec decode_continue(binary() | end_of_input, tuple()) ->
    {term(), term(), binary()} | {continue, tuple()}.
decode_continue(end_of_input, {Buffer, Acc, D}) ->
    top(Buffer, Acc, D#dec{final = true});
decode_continue(More, {Buffer, Acc, D}) when is_binary(More) ->
    partial(<<Buffer/binary, More/binary>>, Acc, D).

partial(Bin, Acc, D) ->
    try
        top(Bin, Acc, D)
    catch
        error:unexpected_end -> {continue, {Bin, Acc, D}}
    end.

decoders(Map) ->
    maps:fold(fun decoder/3, #dec{}, Map).

decoder(array_start, F, D) -> D#dec{array_start = F};
decoder(array_push, F, D) -> D#dec{array_push = F};
decoder(array_finish, F, D) -> D#dec{array_finish = F};
decoder(object_start, F, D) -> D#dec{object_start = F};
decoder(object_push, F, D) -> D#dec{object_push = F};
decoder(object_finish, F, D) -> D#dec{object_finish = F};
decoder(float, F, D) -> D#dec{float = F};
decoder(integer, F, D) -> D#dec{integer = F};
decoder(string, F, D) -> D#dec{string = F};
decoder(null, V, D) -> D#dec{null = V};
decoder(_, _, D) -> D.

%% One value; what follows it is returned, or <<>> when it is only whitespace.
top(Bin, Acc, D) ->
    {Value, Acc1, Rest} = value(ws(Bin), Acc, D),
    case ws(Rest) of
        <<>> -> {Value, Acc1, <<>>};
        _ -> {Value, Acc1, Rest}
    end.

ws(<<C, Rest/binary>>) when ?IS_WS(C) -> ws(Rest);
ws(Bin) -> Bin.

value(<<"true", Rest/binary>>, Acc, _D) -> {true, Acc, Rest};
value(<<"false", Rest/binary>>, Acc, _D) -> {false, Acc, Rest};
value(<<"null", Rest/binary>>, Acc, D) -> {D#dec.null, Acc, Rest};
value(<<$", Rest/binary>>, Acc, D) ->
    {Str, Rest1} = string(Rest),
    {(D#dec.string)(Str), Acc, Rest1};
value(<<$[, Rest/binary>>, Acc, D) ->
    array(ws(Rest), (D#dec.array_start)(Acc), Acc, D);
value(<<${, Rest/binary>>, Acc, D) ->
    object(ws(Rest), (D#dec.object_start)(Acc), Acc, D);
value(<<C, _/binary>> = Bin, Acc, D) when C =:= $-; ?IS_DIGIT(C) ->
    {Number, Rest} = number(Bin, D),
    {Number, Acc, Rest};
value(<<$t, _/binary>> = Bin, _, _) -> bad_literal(Bin, 4);
value(<<$f, _/binary>> = Bin, _, _) -> bad_literal(Bin, 5);
value(<<$n, _/binary>> = Bin, _, _) -> bad_literal(Bin, 4);
value(Bin, _, _) -> bad(Bin).

%% As OTP: a broken literal with no more than its own length left may still be cut short;
%% otherwise the byte after its first letter is the one blamed.
bad_literal(Bin, Len) when byte_size(Bin) =< Len -> error(unexpected_end);
bad_literal(<<_, Byte, _/binary>>, _) -> error({invalid_byte, Byte}).

bad(<<Byte, _/binary>>) -> error({invalid_byte, Byte});
bad(<<>>) -> error(unexpected_end).

array(<<$], Rest/binary>>, ArrayAcc, Old, D) ->
    finish(D#dec.array_finish, ArrayAcc, Old, Rest);
array(Bin, ArrayAcc, Old, D) ->
    elements(Bin, ArrayAcc, Old, D).

elements(Bin, ArrayAcc, Old, D) ->
    {Value, ArrayAcc1, Rest} = value(Bin, ArrayAcc, D),
    ArrayAcc2 = (D#dec.array_push)(Value, ArrayAcc1),
    case ws(Rest) of
        <<$,, Rest1/binary>> -> elements(ws(Rest1), ArrayAcc2, Old, D);
        <<$], Rest1/binary>> -> finish(D#dec.array_finish, ArrayAcc2, Old, Rest1);
        Other -> bad(Other)
    end.

object(<<$}, Rest/binary>>, ObjectAcc, Old, D) ->
    finish(D#dec.object_finish, ObjectAcc, Old, Rest);
object(Bin, ObjectAcc, Old, D) ->
    members(Bin, ObjectAcc, Old, D).

members(<<$", Rest/binary>>, ObjectAcc, Old, D) ->
    {Key, Rest1} = string(Rest),
    case ws(Rest1) of
        <<$:, Rest2/binary>> ->
            {Value, ObjectAcc1, Rest3} = value(ws(Rest2), ObjectAcc, D),
            ObjectAcc2 = (D#dec.object_push)((D#dec.string)(Key), Value, ObjectAcc1),
            case ws(Rest3) of
                <<$,, Rest4/binary>> -> members(ws(Rest4), ObjectAcc2, Old, D);
                <<$}, Rest4/binary>> -> finish(D#dec.object_finish, ObjectAcc2, Old, Rest4);
                Other -> bad(Other)
            end;
        Other ->
            bad(Other)
    end;
members(Bin, _, _, _) ->
    bad(Bin).

finish(Finish, ContainerAcc, Old, Rest) ->
    {Value, Acc} = Finish(ContainerAcc, Old),
    {Value, Acc, Rest}.

%% Strings: runs of plain UTF-8 are sliced out of the input, escapes decoded between them.
string(Bin) -> chars(Bin, Bin, 0, []).

chars(<<$", Rest/binary>>, Run, N, Parts) ->
    {join_run(Run, N, Parts), Rest};
chars(<<$\\, Rest/binary>>, Run, N, Parts) ->
    {Char, Rest1} = escape(Rest),
    chars(Rest1, Rest1, 0, [Char, binary_part(Run, 0, N) | Parts]);
chars(<<C, _/binary>>, _, _, _) when C < 16#20 ->
    error({invalid_byte, C});
chars(<<C, Rest/binary>>, Run, N, Parts) when C < 16#80 ->
    chars(Rest, Run, N + 1, Parts);
chars(<<C/utf8, Rest/binary>>, Run, N, Parts) ->
    chars(Rest, Run, N + utf8_size(C), Parts);
chars(Bin, _, _, _) ->
    bad_utf8(Bin).

join_run(Run, N, []) -> binary_part(Run, 0, N);
join_run(Run, N, Parts) -> iolist_to_binary(lists:reverse(Parts, [binary_part(Run, 0, N)])).

utf8_size(C) when C < 16#800 -> 2;
utf8_size(C) when C < 16#10000 -> 3;
utf8_size(_) -> 4.

-define(ESCAPES, #{
    $" => <<$">>, $\\ => <<$\\>>, $/ => <<$/>>, $b => <<$\b>>, $f => <<$\f>>, $n => <<$\n>>,
    $r => <<$\r>>, $t => <<$\t>>
}).

escape(<<$u, Rest/binary>>) ->
    unicode_escape(Rest);
escape(<<C, Rest/binary>>) ->
    case ?ESCAPES of
        #{C := Char} -> {Char, Rest};
        _ -> error({invalid_byte, C})
    end;
escape(<<>>) ->
    error(unexpected_end).

unicode_escape(<<Hex:4/binary, Rest/binary>>) ->
    case {hex(Hex), Rest} of
        {High, <<$\\, $u, LowHex:4/binary, Rest1/binary>>} when High >= 16#D800, High < 16#DC00 ->
            case hex(LowHex) of
                Low when Low >= 16#DC00, Low < 16#E000 ->
                    Code = 16#10000 + ((High - 16#D800) bsl 10) + (Low - 16#DC00),
                    {<<Code/utf8>>, Rest1};
                _ ->
                    error({unexpected_sequence, <<"\\u", Hex/binary, "\\u", LowHex/binary>>})
            end;
        {High, _} when High >= 16#D800, High < 16#DC00 ->
            bad_low_surrogate(Rest);
        {Code, _} when is_integer(Code), (Code < 16#DC00 orelse Code >= 16#E000) ->
            {<<Code/utf8>>, Rest};
        _ ->
            error({unexpected_sequence, <<"\\u", Hex/binary>>})
    end;
unicode_escape(_) ->
    error(unexpected_end).

bad_low_surrogate(Rest) when byte_size(Rest) < 6 -> error(unexpected_end);
bad_low_surrogate(<<$\\, Byte, _/binary>>) -> error({invalid_byte, Byte});
bad_low_surrogate(<<Byte, _/binary>>) -> error({invalid_byte, Byte}).

hex(Hex) ->
    case [X || <<X>> <= Hex, not is_hex_digit(X)] of
        [] -> binary_to_integer(Hex, 16);
        _ -> bad_hex
    end.

is_hex_digit(X) ->
    ?IS_DIGIT(X) orelse (X >= $a andalso X =< $f) orelse (X >= $A andalso X =< $F).

%% The byte at which a UTF-8 decoder must stop, as OTP reports it: a byte that cannot start
%% a character, or the first continuation byte out of the range its lead byte allows.
bad_utf8(<<Lead, Rest/binary>>) when Lead >= 16#C2, Lead =< 16#F4 ->
    {Low, High} = second_byte_range(Lead),
    continuation(Rest, Low, High, utf8_size_of_lead(Lead) - 1);
bad_utf8(<<Byte, _/binary>>) ->
    error({invalid_byte, Byte});
bad_utf8(<<>>) ->
    error(unexpected_end).

second_byte_range(16#E0) -> {16#A0, 16#BF};
second_byte_range(16#ED) -> {16#80, 16#9F};
second_byte_range(16#F0) -> {16#90, 16#BF};
second_byte_range(16#F4) -> {16#80, 16#8F};
second_byte_range(_) -> {16#80, 16#BF}.

utf8_size_of_lead(Lead) when Lead < 16#E0 -> 2;
utf8_size_of_lead(Lead) when Lead < 16#F0 -> 3;
utf8_size_of_lead(_) -> 4.

continuation(<<B, Rest/binary>>, Low, High, Left) when B >= Low, B =< High, Left > 1 ->
    continuation(Rest, 16#80, 16#BF, Left - 1);
continuation(<<B, _/binary>>, Low, High, _) when B < Low; B > High -> error({invalid_byte, B});
continuation(_, _, _, _) -> error(unexpected_end).

%% Numbers: measure the RFC 8259 grammar's extent, then hand the text to the decoder funs.
number(Bin, D) ->
    {Kind, Len} = int_part(Bin, D),
    <<Text:Len/binary, Rest/binary>> = Bin,
    {convert(Kind, Text, D), Rest}.

int_part(<<$-, Rest/binary>>, D) -> shift(first_int_digit(Rest, D), 1);
int_part(Bin, D) -> first_int_digit(Bin, D).

first_int_digit(<<$0, Rest/binary>>, D) -> shift(after_int(Rest, D), 1);
first_int_digit(<<C, Rest/binary>>, D) when ?IS_DIGIT(C) -> shift(int_digits(Rest, D), 1);
first_int_digit(Bin, _) -> bad(Bin).

int_digits(<<C, Rest/binary>>, D) when ?IS_DIGIT(C) -> shift(int_digits(Rest, D), 1);
int_digits(Bin, D) -> after_int(Bin, D).

after_int(<<$., Rest/binary>>, D) -> shift(fraction(Rest, D), 1);
after_int(<<E, Rest/binary>>, D) when E =:= $e; E =:= $E -> shift(exp_sign(Rest, D, exp), 1);
after_int(Bin, D) -> number_end(Bin, D, integer).

fraction(<<C, Rest/binary>>, D) when ?IS_DIGIT(C) -> shift(fraction_digits(Rest, D), 1);
fraction(Bin, _) -> bad(Bin).

fraction_digits(<<C, Rest/binary>>, D) when ?IS_DIGIT(C) -> shift(fraction_digits(Rest, D), 1);
fraction_digits(<<E, Rest/binary>>, D) when E =:= $e; E =:= $E -> shift(exp_sign(Rest, D, float), 1);
fraction_digits(Bin, D) -> number_end(Bin, D, float).

exp_sign(<<S, Rest/binary>>, D, Kind) when S =:= $+; S =:= $- -> shift(exp_first(Rest, D, Kind), 1);
exp_sign(Bin, D, Kind) -> exp_first(Bin, D, Kind).

exp_first(<<C, Rest/binary>>, D, Kind) when ?IS_DIGIT(C) -> shift(exp_digits(Rest, D, Kind), 1);
exp_first(Bin, _, _) -> bad(Bin).

exp_digits(<<C, Rest/binary>>, D, Kind) when ?IS_DIGIT(C) -> shift(exp_digits(Rest, D, Kind), 1);
exp_digits(Bin, D, Kind) -> number_end(Bin, D, Kind).

%% A number running into the end of a chunk may go on in the next one.
number_end(<<>>, #dec{final = false}, _) -> error(unexpected_end);
number_end(_, _, Kind) -> {Kind, 0}.

shift({Kind, Len}, N) -> {Kind, Len + N}.

convert(integer, Text, D) ->
    (D#dec.integer)(Text);
convert(float, Text, D) ->
    to_float(Text, D);
convert(exp, Text, D) ->
    %% binary_to_float wants a fraction: "1E5" is passed on as OTP does, as "1.0e5"
    [Int, Exp] = binary:split(Text, [<<"e">>, <<"E">>]),
    to_float(<<Int/binary, ".0e", Exp/binary>>, D).

to_float(Text, D) ->
    try
        (D#dec.float)(Text)
    catch
        error:badarg -> error({unexpected_sequence, Text})
    end.

%%
%% Encoding
%%

-spec encode(term()) -> iodata().
encode(Term) ->
    encode(Term, fun encode_value/2).

-spec encode(term(), fun((term(), fun()) -> iodata())) -> iodata().
encode(Term, Encoder) ->
    Encoder(Term, Encoder).

-spec encode_value(term(), fun((term(), fun()) -> iodata())) -> iodata().
encode_value(Atom, Encoder) when is_atom(Atom) -> encode_atom(Atom, Encoder);
encode_value(Bin, _) when is_binary(Bin) -> encode_binary(Bin);
encode_value(Int, _) when is_integer(Int) -> encode_integer(Int);
encode_value(Float, _) when is_float(Float) -> encode_float(Float);
encode_value(List, Encoder) when is_list(List) -> encode_list(List, Encoder);
encode_value(Map, Encoder) when is_map(Map) -> encode_map(Map, Encoder);
encode_value(Other, _) -> error({unsupported_type, Other}).

-spec encode_atom(atom(), fun((term(), fun()) -> iodata())) -> iodata().
encode_atom(true, _) -> <<"true">>;
encode_atom(false, _) -> <<"false">>;
encode_atom(null, _) -> <<"null">>;
encode_atom(Atom, Encoder) when is_atom(Atom) -> Encoder(atom_to_binary(Atom, utf8), Encoder).

-spec encode_integer(integer()) -> iodata().
encode_integer(Int) -> integer_to_binary(Int).

-spec encode_float(float()) -> iodata().
encode_float(Float) -> float_to_binary(Float, [short]).

-spec encode_list(list(), fun((term(), fun()) -> iodata())) -> iodata().
encode_list([], _) -> <<"[]">>;
encode_list([First | More], Encoder) -> [$[, Encoder(First, Encoder) | list_tail(More, Encoder)].

list_tail([], _) -> [$]];
list_tail([Next | More], Encoder) -> [$,, Encoder(Next, Encoder) | list_tail(More, Encoder)].

-spec encode_map(map(), fun((term(), fun()) -> iodata())) -> iodata().
encode_map(Map, Encoder) when is_map(Map) ->
    object(maps:to_list(Map), Encoder, unchecked).

-spec encode_map_checked(map(), fun((term(), fun()) -> iodata())) -> iodata().
encode_map_checked(Map, Encoder) when is_map(Map) ->
    object(maps:to_list(Map), Encoder, #{}).

-spec encode_key_value_list([{term(), term()}], fun((term(), fun()) -> iodata())) -> iodata().
encode_key_value_list(Pairs, Encoder) ->
    object(Pairs, Encoder, unchecked).

-spec encode_key_value_list_checked([{term(), term()}], fun((term(), fun()) -> iodata())) ->
    iodata().
encode_key_value_list_checked(Pairs, Encoder) ->
    object(Pairs, Encoder, #{}).

%% Seen: `unchecked', or the encoded keys so far, to refuse a key encoded twice.
object([], _, _) ->
    <<"{}">>;
object(Pairs, Encoder, Seen) ->
    [${ | tl(members_out(Pairs, Encoder, Seen))].

members_out([], _, _) ->
    [$}];
members_out([{Key, Value} | More], Encoder, unchecked) ->
    [$,, key(Key, Encoder), $:, Encoder(Value, Encoder) | members_out(More, Encoder, unchecked)];
members_out([{Key, Value} | More], Encoder, Seen) ->
    Encoded = iolist_to_binary(key(Key, Encoder)),
    case Seen of
        #{Encoded := _} -> error({duplicate_key, Key});
        _ -> [$,, Encoded, $:, Encoder(Value, Encoder) | members_out(More, Encoder, Seen#{Encoded => true})]
    end.

key(Key, Encoder) when is_binary(Key) -> Encoder(Key, Encoder);
key(Key, Encoder) when is_atom(Key) -> Encoder(atom_to_binary(Key, utf8), Encoder);
key(Key, _) when is_integer(Key) -> encode_binary(integer_to_binary(Key));
key(Key, _) when is_float(Key) -> encode_binary(float_to_binary(Key, [short])).

%% Strings: escape `"', `\' and control characters (and, for escape_all, all non-ASCII);
%% the input must be valid UTF-8.
-spec encode_binary(binary()) -> iodata().
encode_binary(Bin) when is_binary(Bin) ->
    [$", escaped(Bin, Bin, 0, [], false), $"].

-spec encode_binary_escape_all(binary()) -> iodata().
encode_binary_escape_all(Bin) when is_binary(Bin) ->
    [$", escaped(Bin, Bin, 0, [], true), $"].

escaped(<<>>, Run, _, [], _) ->
    Run;
escaped(<<>>, Run, N, Parts, _) ->
    lists:reverse(Parts, [binary_part(Run, 0, N)]);
escaped(<<C, Rest/binary>>, Run, N, Parts, All) when C < 16#20; C =:= $"; C =:= $\\ ->
    escaped(Rest, Rest, 0, [escape_char(C), binary_part(Run, 0, N) | Parts], All);
escaped(<<C, Rest/binary>>, Run, N, Parts, All) when C < 16#80 ->
    escaped(Rest, Run, N + 1, Parts, All);
escaped(<<C/utf8, Rest/binary>>, Run, N, Parts, true) ->
    escaped(Rest, Rest, 0, [u_escape(C), binary_part(Run, 0, N) | Parts], true);
escaped(<<C/utf8, Rest/binary>>, Run, N, Parts, false) ->
    escaped(Rest, Run, N + utf8_size(C), Parts, false);
escaped(Bin, _, _, _, _) ->
    bad_utf8(Bin).

-define(SHORT_ESCAPES, #{
    $" => <<"\\\"">>, $\\ => <<"\\\\">>, $\b => <<"\\b">>, $\f => <<"\\f">>, $\n => <<"\\n">>,
    $\r => <<"\\r">>, $\t => <<"\\t">>
}).

escape_char(C) ->
    case ?SHORT_ESCAPES of
        #{C := Escape} -> Escape;
        _ -> u_escape(C)
    end.

%% \uXXXX in upper-case hex (as OTP writes it); beyond the BMP, a UTF-16 surrogate pair.
u_escape(C) when C >= 16#10000 ->
    V = C - 16#10000,
    [u_escape(16#D800 + (V bsr 10)), u_escape(16#DC00 + (V band 16#3FF))];
u_escape(C) ->
    Hex = integer_to_binary(C, 16),
    Pad = binary:copy(<<"0">>, 4 - byte_size(Hex)),
    <<"\\u", Pad/binary, Hex/binary>>.
