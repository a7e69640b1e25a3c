%% json cases: each line of output is one case's result, `{ok, Value}` or `{error, Reason}`,
%% printed with ~w, floats as their 64 bits (so that float printing is not under test). tests/test_library_api.py runs this module on avmsim and compares with
%% tests/fixtures/json_otp27.txt, the same module's output on OTP 27
%% (scripts/build_json_fixtures.sh). Encoder results are flattened with iolist_to_binary.
-module(json_cases).
-export([start/0]).

start() ->
    lists:foreach(fun(F) -> io:format("~w~n", [run(F)]) end, encode_cases() ++ decode_cases()
        ++ stream_cases()),
    ok.

run(F) ->
    try F() of
        V -> {ok, bits(V)}
    catch
        error:Reason -> {error, bits(Reason)}
    end.

bits(F) when is_float(F) -> {float, <<F:64/float>>};
bits(L) when is_list(L) -> [bits(X) || X <- L];
bits(T) when is_tuple(T) -> list_to_tuple(bits(tuple_to_list(T)));
bits(M) when is_map(M) -> maps:from_list(bits(maps:to_list(M)));
bits(X) -> X.

enc(T) -> fun() -> iolist_to_binary(json:encode(T)) end.
dec(B) -> fun() -> json:decode(B) end.

encode_cases() ->
    [enc(T) || T <- [1, -42, 12345678901234567890, 2.5, 0.1, -0.0, 1.0e300, 1.5e-7, 100.0,
        true, false, null, foo, 'hello world', <<>>, <<"abc">>,
        <<"q\"b\\s/n\nt\tr\rf\fb\bz", 0, 1, 31, 127>>, <<"caf", 195, 169>>,
        <<240, 159, 152, 128>>, [], [1, [2, [3]]], #{}, #{a => 1, <<"b">> => [true]},
        #{1 => x, 2.5 => y}, [{a, 1}], {1, 2}, <<255>>, <<"ab", 195>>,
        [1 | 2]]]   % no bitstring: AtomVM cannot build or decode one
    ++ [
        fun() -> iolist_to_binary(json:encode_binary_escape_all(<<"caf", 195, 169, " ",
            240, 159, 152, 128, "\n">>)) end,
        fun() -> iolist_to_binary(json:encode_binary(<<"plain">>)) end,
        fun() -> iolist_to_binary(json:encode_float(3.14)) end,
        fun() -> iolist_to_binary(json:encode_integer(-7)) end,
        fun() -> iolist_to_binary(json:encode_atom(undefined, fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_list([1, a], fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_map(#{k => v}, fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_key_value_list([{a, 1}, {<<"b">>, 2}, {3, 3}],
            fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_key_value_list_checked([{a, 1}, {<<"a">>, 2}],
            fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_map_checked(#{1 => a, <<"1">> => b},
            fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_map_checked(#{1 => a, b => c},
            fun json:encode_value/2)) end,
        fun() -> iolist_to_binary(json:encode_value([1.0, x], fun json:encode_value/2)) end,
        %% a custom encoder: tuples as arrays, everything else as json:encode_value does
        fun() ->
            Enc = fun
                (T, E) when is_tuple(T) -> json:encode_list(tuple_to_list(T), E);
                (T, E) -> json:encode_value(T, E)
            end,
            iolist_to_binary(json:encode(#{p => {1, {2, 3}}}, Enc))
        end
    ].

decode_cases() ->
    [dec(B) || B <- [<<"1">>, <<"-0">>, <<"-0.0">>, <<"0.5">>, <<"1e3">>, <<"1E+2">>,
        <<"2.5e-3">>, <<"123456789012345678901234567890">>, <<" true ">>, <<"false">>,
        <<"null">>, <<"\"abc\"">>, <<"\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"">>,
        <<"\"\\u00e9\\u20AC\"">>, <<"\"\\ud83d\\ude00\"">>, <<"\"caf", 195, 169, "\"">>,
        <<"[]">>, <<"[1, [2, []], {\"a\": null}]">>, <<"{}">>,
        <<"{\"a\":1,\"b\":{\"c\":[true,false]}}">>, <<"{\"a\":1,\"a\":2}">>,
        <<" \t\r\n[ 1 , 2 ] \n">>,
        %% errors
        <<>>, <<"   ">>, <<"[">>, <<"[1,">>, <<"[1,]">>, <<"[1 2]">>, <<"{\"a\"}">>,
        <<"{\"a\":}">>, <<"{a:1}">>, <<"{\"a\":1,}">>, <<"tru">>, <<"trux">>, <<"nul">>,
        <<"nulx">>, <<"x">>, <<"01">>, <<"-">>, <<"-a">>, <<"1.">>, <<"1.e3">>, <<"1e">>,
        <<"1e+">>, <<".5">>, <<"+1">>, <<"\"abc">>, <<"\"a\nb\"">>, <<"\"\\x\"">>,
        <<"\"\\u12\"">>, <<"\"\\u12g4\"">>, <<"\"\\ud800\"">>, <<"\"\\ud800\\u0041\"">>,
        <<"\"\\udc00\"">>, <<"\"", 255, "\"">>, <<"\"", 195>>, <<"\"", 195, "\"">>,
        <<"[1] x">>, <<"1 2">>, <<"{\"a\":1}}">>, <<"nan">>, <<"Infinity">>]]
    ++ [
        fun() -> json:decode(<<"[1] x ">>, ok, #{}) end,
        fun() -> json:decode(<<"[1]  ">>, ok, #{}) end,
        fun() -> json:decode(<<"  42  ">>, acc, #{}) end,
        fun() -> json:decode(<<"{\"a\":[1,2.0,\"s\",null]}">>, 0, #{
            null => nil,
            integer => fun(B) -> {int, B} end,
            float => fun(B) -> {flt, B} end,
            string => fun(B) -> {str, B} end}) end,
        %% callbacks that show how the accumulator threads through nested containers
        fun() -> json:decode(<<"[[1],{\"k\":[2]}]">>, [], #{
            array_start => fun(Acc) -> [{opened, Acc}] end,
            array_push => fun(V, L) -> [V | L] end,
            array_finish => fun(L, Old) -> {lists:reverse(L), [closed | Old]} end,
            object_start => fun(Acc) -> [{obj, Acc}] end,
            object_push => fun(K, V, L) -> [{K, V} | L] end,
            object_finish => fun(L, Old) -> {{obj, L}, [objclosed | Old]} end}) end,
        fun() -> [json:decode(B, ok, #{float => fun(F) -> F end})
            || B <- [<<"1e5">>, <<"-1E+5">>, <<"1.5E3">>, <<"1e400">>]] end,
        fun() -> json:decode(notbin) end,
        fun() -> json:encode_binary(notbin) end,
        fun() -> json:encode_integer(1.0) end,
        fun() -> json:encode_float(1) end,
        fun() -> iolist_to_binary(json:encode(#{[1] => 2})) end,
        fun() -> json:encode(<<"x">>, fun(_, _) -> <<"y">> end) end,
        fun() -> iolist_to_binary(json:encode_map(#{a => <<"caf", 195, 169>>},
            fun(V, _) -> [<<"<">>, json:encode_value(V, fun json:encode_value/2), <<">">>] end))
        end
    ] ++ [dec(B) || B <- [<<"tx">>, <<"trueX">>, <<"txxxxx">>, <<"[tx]">>, <<"[trux]">>,
        <<"nxxxx">>, <<"f">>, <<"fals">>, <<"falsx">>, <<"falsey">>, <<"[1,tr">>,
        <<"\"\\ud800abcdef\"">>, <<"\"\\ud800\\uzzzz\"">>, <<"\"\\ud800\\ud800\"">>,
        <<"\"\\ud800\\u12\"">>, <<"\"\\ud800\\x\"">>, <<"\"\\ud800\\\\abcdef\"">>,
        <<"\"\\ud800a\"">>, <<"\"\\u12\" ">>, <<"\"\\u+123\"">>, <<"\"\\u0041\"">>,
        <<"\"\\ud800\\udbff\"">>, <<"\"\\uDBFF\\uDFFF\"">>,
        <<"\"", 16#e0, 16#80, 16#80, "\"">>, <<"\"", 16#ed, 16#a0, 16#80, "\"">>,
        <<"\"", 16#f4, 16#90, 16#80, 16#80, "\"">>, <<"\"", 16#c0, 16#80, "\"">>,
        <<"\"", 16#e2, 16#82>>, <<"\"", 16#e2, 16#82, 16#41>>, <<"\"", 16#80, "\"">>,
        <<"\"", 16#f0, 16#9f, 16#98, 16#41, "\"">>, <<"1e400">>, <<"1.5e400">>, <<"[1]\n">>,
        <<"-01">>, <<"1.5x">>, <<"{\"a\" : 1 , \"b\":2}">>, <<"\"\\u0000\"">>,
        <<"\"\x7f\"">>, <<"[\"a\" , ]">>, <<"{\"a\":1 x}">>, <<"{1:2}">>]]
    ++ [fun() -> json:decode(B, ok, #{}) end || B <- [<<"1 ">>, <<"1 x">>, <<"true">>,
        <<"  \"s\"  \n">>, <<"{} {">>]].

%% streaming: decode_start, then decode_continue with each later chunk and end_of_input
stream(Chunks) ->
    fun() ->
        [First | Rest] = Chunks,
        feed(json:decode_start(First, ok, #{}), Rest, [])
    end.

feed({continue, State}, [Next | Rest], Seen) -> feed(json:decode_continue(Next, State), Rest,
    [continue | Seen]);
feed(Result, _, Seen) -> {lists:reverse(Seen), Result}.

stream_cases() ->
    [stream(C) || C <- [
        [<<"{\"a\":">>, <<"[1,2">>, <<"]}">>],
        [<<"12">>, <<"3">>, end_of_input],
        [<<"12">>, end_of_input],
        [<<"1.5e">>, <<"2">>, end_of_input],
        [<<"tr">>, <<"ue">>],
        [<<"\"ab">>, <<"c\" rest">>],
        [<<"[1,">>, end_of_input],
        [<<"">>, end_of_input],
        [<<"[1] [2]">>],
        [<<"1 ">>],
        [<<"[1]  ">>],
        [<<"  ">>, <<"7">>, end_of_input],
        [<<"-">>, <<"5">>, end_of_input],
        [<<"trux">>, end_of_input],
        [<<"[1">>, <<",x]">>],
        [<<"[1">>, <<"] junk">>],
        [<<"12">>, <<" x">>],
        [<<"\"", 195>>, <<169, "\"">>]]].
