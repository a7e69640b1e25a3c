%% Table of io_lib:format/2 cases compared against OTP by
%% tests/test_io_lib_vs_otp.py.  cases() -> [{Format, Args}].
-module(io_lib_cases).
-export([groups/0, cases/0, calls/0]).

atoms() ->
    [a, 'hello world', 'Ab', '', 'after', 'cond', 'maybe', 'else', a@b, 'a.b', '_x',
     x_1, 'é', 'Ö', 'ß', '÷a', 'a×', '\x{400}', 'a\nb', 'it\'s', true, nil, 'A'].

numbers() ->
    [0, 7, -1, 42, 255, 256, -255, 1 bsl 64, -(1 bsl 70), 123456789012345678901234567890].

floats() ->
    [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.5, 2.5, 0.125, 0.5, 123.456, -123.456,
     1.0e10, 1.0e15, 1.0e16, 1.0e17, 1.0e-5, 1.0e-4, 0.001, 1.0e-10, 1.0e100,
     1.0e-100, 5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
     123456789012345680.0, 9.999999, 0.09999, 99999.5, 3.14159265358979,
     2.718281828459045, 1.0e22, 1.0e23, 6.02214076e23, 0.000123456, 999.9999,
     0.95, 0.05, 9.5, 0.0005, 1.0e6, 1234567.0, 12345.678].

strings() ->
    ["", "abc", "hello world", "a\nb", "tab\there", "quote\"s", "back\\slash",
     "ctl\e\b\f\v\r", [1, 2, 3], [255], [256], "h\x{e9}llo", [127], [128, 159],
     [160], "\x{20ac}uro", [0], "it's", lists:duplicate(100, $x),
     "with ~ tilde"].

bins() ->
    [<<>>, <<"abc">>, <<1, 2, 3>>, <<1, 2, 3:4>>, <<7:3>>, list_to_binary(lists:seq(0, 99)),
     list_to_binary(lists:duplicate(120, $a)), <<"h\x{e9}llo"/utf8>>,
     <<"h\x{20ac}"/utf8>>, <<233>>, <<"abc", 0, "def">>, <<"abc\n">>,
     <<"a\"b">>, <<255, 254>>, <<"abcdefghijklmnop", 1, 2>>].

small() ->
    [{}, {a}, {a, b}, {1, 2}, {a, "str", <<"bin">>, 1.5}, [a | b], [1, 2 | 3],
     [[]], [[a]], [{}], #{}, #{a => 1}, #{b => 2, a => 1, c => [1, 2]},
     #{1 => a, a => 1, "s" => x, {t} => y, 2.5 => z}, #{#{k => v} => #{}},
     [a, "str", <<"bin">>, 1.0], {tag, [1, 2, 3], #{x => y}}].

long_terms() ->
    Seq = lists:seq(1, 100),
    [Seq,
     [{I, list_to_atom("atom_" ++ integer_to_list(I)), "str"} || I <- lists:seq(1, 20)],
     {person, "Joe Armstrong", 42, [{address, "Some street 12", "Stockholm", 12345},
                                    {phone, "+46 8 123 456"}, {email, "joe@example.com"}],
      #{lang => erlang, since => 1986, tags => [functional, concurrent, distributed]}},
     {a_rather_long_tag_name_for_a_tuple, lists:seq(1, 30), {another_long_tag, "with a string value inside", [x, y, z]}},
     {this_is_an_extremely_long_tag_name_that_goes_on_and_on, [1, 2, 3], {nested_tag_also_long, [a, b, c], "string", 123456789}},
     lists:duplicate(10, {ok, lists:seq(1, 12)}),
     #{key_one => lists:seq(1, 25), key_two => "a fairly long string value that takes space",
       {complex, key} => [#{a => 1}, #{b => 2}], <<"binkey">> => <<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30>>},
     nest(12), nest_tuple(15), nest_map(8),
     [list_to_binary(lists:seq(1, 60)), list_to_binary(lists:seq(100, 200))],
     {bin, list_to_binary(lists:seq(0, 255))},
     [lists:seq(1, 30) | improper_tail],
     [lists:seq(1, 30) | {improper, tail, lists:seq(1, 30)}],
     {[lists:duplicate(30, "ab")], "x"},
     [#{name => "n" ++ integer_to_list(I), id => I, children => [I, I * 2]} || I <- lists:seq(1, 6)],
     {state, undefined, [], #{}, <<>>, {}, 0, false, lists:seq(1, 40)},
     [[[[[[[[[[[[[[[[[[[[deep_list_element_with_long_name, another_one_here, and_more_and_more]]]]]]]]]]]]]]]]]]]],
     {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, {k, lists:seq(1, 40)}}}}}}}}}}}}}}}}}}}}}}}},
     {'quoted tag', 1, 2, lists:seq(1, 40)},
     {123, lists:seq(1, 40)},
     {"string tag", lists:seq(1, 40)},
     [float(I) || I <- lists:seq(1, 30)] ++ [0.1, 1.0e-10],
     [{x, 1.0e100}, {y, -0.0} | lists:duplicate(12, {z, 3.14})],
     lists:duplicate(6, <<"a printable binary string here">>),
     "a string" ++ lists:duplicate(200, $z),
     lists:duplicate(5, "strings in a list are leaves and get packed"),
     lists:map(fun(I) -> list_to_atom(lists:duplicate(I, $a)) end, lists:seq(1, 30))].

nest(0) -> [leaf, 1, "s"];
nest(N) -> [N, nest(N - 1), {n, N}].

nest_tuple(0) -> {leaf};
nest_tuple(N) -> {level, N, nest_tuple(N - 1), lists:seq(1, N)}.

nest_map(0) -> #{};
nest_map(N) -> #{N => nest_map(N - 1), list => lists:seq(1, N), name => "level"}.

misc_terms() ->
    [self(), make_ref(), fun lists:map/2, fun() -> ok end].

float_fmts() ->
    ["~e", "~f", "~g", "~.2e", "~.3f", "~.10g", "~.1g", "~.2g", "~.3g", "~10.3f",
     "~-10.3f", "~10.3.0f", "~.15e", "~.17g", "~.0f", "~.1e", "~15e", "~3f",
     "~20.10.*f", "~.1f", "~.*f", "~w", "~p", "~12w", "~-12p"].

int_fmts() ->
    ["~b", "~B", "~.16b", "~.16B", "~.2b", "~.36B", "~.36b", "~8b", "~-8b", "~8.16.0B",
     "~x", "~X", "~.16x", "~.16X", "~12.16x", "~#", "~.16#", "~.2#", "~+", "~.16+",
     "~10.8#", "~-10.16+", "~.1b", "~.37b", "~3b", "~w", "~p", "~10w", "~c", "~tc",
     "~5c", "~5.2c", "~5.2.xc", "~-5.2.xc", "~.3c", "~i"].

str_fmts() ->
    ["~s", "~ts", "~10s", "~-10s", "~.3s", "~10.3s", "~-10.3s", "~10.3.*s", "~3s",
     "~10.5.xs", "~-10.5.xs", "~5.5s", "~.10s", "~p", "~tp", "~lp", "~w", "~tw",
     "~20p", "~-20w", "~.5w", "~5w", "~2s"].

cases() -> lists:append([Cs || {_, Cs} <- groups()]).

%% [{GroupName, [{Format, Args} | {call, Function, Args}]}]
groups() ->
    Fl = [{F, fargs(F, X)} || F <- float_fmts(), X <- floats()],
    In = [{F, iargs(F, X)} || F <- int_fmts(), X <- numbers() ++ [97, 1024, 10]],
    St = [{F, sargs(F, X)} || F <- str_fmts(),
                             X <- strings() ++ bins() ++ atoms() ++
                                  [["ab", [$c, <<"de">>], "f"], [<<"x">> | <<"y">>]]],
    Terms = atoms() ++ numbers() ++ floats() ++ strings() ++ bins() ++ small()
        ++ long_terms() ++ misc_terms(),
    Pp = [{F, [T]} || F <- ["~p", "~w", "~tp", "~tw", "~lp", "~40p", "~120p", "prefix text: ~p",
                           "\t\t~p", "~s ~p", "~.20p", "~0p", "~p~n~p"], T <- Terms,
                     F =/= "~s ~p", F =/= "~p~n~p"]
        ++ [{"~s ~p", ["some leading text that is rather long", T]} || T <- long_terms()]
        ++ [{"~p~n~p", [T, T]} || T <- long_terms()]
        ++ [{"~p and ~p", [T, T]} || T <- long_terms()],
    Depth = [{F, [T, D]} || F <- ["~P", "~W", "~tP", "~30P"], T <- small() ++ long_terms() ++ bins() ++ strings(),
                            D <- [0, 1, 2, 3, 5, 8, -1]],
    Misc = [{"~~", []}, {"~5~", []}, {"~n", []}, {"~3n", []}, {"a~nb", []},
            {"~i~p", [ignored, shown]}, {"no controls", []}, {'atom format ~p', [x]},
            {<<"binary format ~p">>, [y]}, {["deep ", "format ~p"], [z]},
            {"~*c", [5, $x]}, {"~*c", [-5, $x]}, {"~-*c|", [3, $y]}, {"~.*f", [2, 3.14159]},
            {"~*.*.*f|", [12, 3, $_, 3.14159]}, {"~*.*.*s|", [-12, 3, $., "abcdef"]},
            {"~tlp", [[104, 105]]}, {"~ltp", ["hi"]}, {"~10.4.0b", [-5]},
            {"abc~pdef", [[1, 2]]}, {"\x{400} ~tp", [[1024]]}, {"~ts", [[1024, 1025]]},
            {"~ts", [<<208, 128>>]}, {"~ts", [<<255, 0>>]}, {"~s", [<<208, 128>>]},
            {"~20.5.*s|", [$!, "ab"]}, {"~-20.5.*s|", [$!, "abcdefgh"]},
            {"~5.3s|", ["a\r\nbcdef"]}, {"~2s", ["\r\nab"]}, {"~ts", ["e\x{301}abc"]},
            {"~2ts|", ["e\x{301}abc"]}, {"~10ts|", ["e\x{301}abc"]}, {"~6tw|", ['é']},
            {"~p", [{'\x{400}', "\x{400}"}]}, {"~tp", [{'\x{400}', "\x{400}"}]},
            {"~w ~tw", ['\x{400}', '\x{400}']}, {"~tp", [<<"h\x{e9}llo"/utf8>>]},
            {"~tp", [[<<"h\x{e9}llo"/utf8>>, <<"\x{400}"/utf8>>]]},
            {"~tP", [<<"h\x{e9}llo world this is long"/utf8>>, 3]},
            {"~P", [<<"hello world this is long">>, 3]},
            {"~P", [<<"hello world this is long">>, 4]},
            {"~P", [<<"hello world this is long">>, 2]},
            {"~P", [<<"hello", 1, 2, 3, 4, 5, 6, 7, 8, 9>>, 4]},
            {"~p", [[<<"abc">>, <<1, 2, 3>>, <<>>]]},
            {"~p", [<<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 3:5>>]},
            {"~w", [lists:seq(-5, 5)]}, {"~p|~p", [a, b]}, {"~p", ["a\nb"]},
            {"~w", [[1.0, 0.1, 1.0e10, 1.0e-5, 123456789012345680.0]]}],
    Bad = [{"~d", [a]}, {"~p", []}, {"~s", [1]}, {"~s", [[1024]]}, {"~e", [1]},
           {"~f", [a]}, {"~x", [1, 1]}, {"~x", [1, [a]]}, {"~p", [a, b]}, {"~.0f", [1.0]},
           {"~.1e", [1.0]}, {"~-p", [a]}, {"~-n", []}, {"~-s", [a]}, {"~kp", [#{}]},
           {"~", []}, {"~b", [1.0]}, {"~.1b", [5]}, {"~W", [a, x]}, {"~P", [a, 1.5]},
           {"~p", a}, {"abc", a}, {"~c", [a]}, {"~.-1f", [1.0]}, {"~3.5s", ["abcdef"]},
           {"~3.5c", [$a]}, {"~s", [{a}]}, {"~ts", [{a}]}, {"~s", ['\x{400}']},
           {"~z", [1]}, {"~5.3.*f", [1.0]}, {42, []}, {"~g", [1]}],
    Extra = [{"~.0p", [T]} || T <- long_terms()]
        ++ [{"~p", [[fun lists:map/2, fun erlang:self/0 | L]]} || L <- [[], lists:seq(1, 30)]]
        ++ [{F, [T]} || F <- ["~p", "~w", "~tp"],
                       T <- [#{{1.0} => a, {2} => b, {1, 2.0} => c, {1, 1} => d, [1.0] => e, [2] => f},
                             #{1.0 => a, 2 => b, -1.0 => c, 0 => d},
                             ['\x{1}', '\d', aB, 'a-b', 'a\x{c0}', 'a\x{d7}', 'a\x{de}', 'a\x{df}', 'A\x{e9}'],
                             {tag, <<1:1>>, <<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 255, 255, 255, 255, 255, 255, 255, 1234567:23>>}]],
    {Random, RandomFloats, Big, Uni} = random_cases(),
    [{floats, Fl}, {integers, In}, {strings, St}, {terms, Pp}, {depth, Depth},
     {misc, Misc}, {badarg, Bad}, {extra, Extra}, {random_terms, Random},
     {random_floats, RandomFloats}, {random_big_terms, Big}, {unicode_terms, Uni},
     {calls, calls()}].

%% Direct calls of other io_lib functions: {call, Function, Args}.
calls() ->
    Terms = atoms() ++ numbers() ++ floats() ++ strings() ++ bins() ++ small() ++ long_terms(),
    Lists = strings() ++ [[a], [1024, 55296], [[97, [98]], 99], [97 | b], [-1], [16#10FFFF, 16#110000],
                          [16#FFFE], [16#D800], ["ab", <<"c">>], [[256]]],
    [{call, write, [T]} || T <- Terms]
        ++ [{call, write, [T, D]} || T <- small() ++ long_terms(), D <- [-1, 0, 1, 2, 5]]
        ++ [{call, write, [T, [{depth, 3}, {encoding, unicode}]]} || T <- atoms() ++ small()]
        ++ [{call, print, [T]} || T <- Terms]
        ++ [{call, print, [T, C, L, D]} || T <- long_terms(), {C, L, D} <- [{1, 80, -1}, {10, 60, 5}, {1, 40, 3}]]
        ++ [{call, write_atom, [A]} || A <- atoms()]
        ++ [{call, F, [S]} || F <- [write_string, write_string_as_latin1, char_list,
                                    deep_char_list, printable_list, printable_latin1_list,
                                    printable_unicode_list, chars_length, latin1_char_list,
                                    deep_latin1_char_list], S <- Lists]
        ++ [{call, write_latin1_string, [S]} || S <- strings(), S =/= [256], S =/= "\x{20ac}uro"]
        ++ [{call, write_string, [S, $']} || S <- strings()]
        ++ [{call, write_char, [C]} || C <- [$a, $\s, $\n, 0, 127, 160, 233, 1024, $', $", $\\, $$]]
        ++ [{call, write_char_as_latin1, [C]} || C <- [$a, $\s, 1024, 255, 256]]
        ++ [{call, write_latin1_char, [C]} || C <- [$a, $\s, 255, 7]]
        ++ [{call, quote_atom, [A, atom_to_list(A)]} || A <- atoms()]
        ++ [{call, write_binary, [B, D, -1]} || B <- bins(), D <- [-1, 2, 5]]
        ++ [{call, nl, []}, {call, indentation, ["abc\tde\nfg", 3]}, {call, indentation, ["ab\tc", 0]}].

%% Deterministic pseudo-random terms and floats (same seed every run).
random_cases() ->
    rand:seed(exsss, {17, 42, 4711}),
    Terms = [rand_term(5) || _ <- lists:seq(1, 300)],
    Fmts = ["~p", "~tp", "~50p", "~30.10p", "~P", "~W", "~w", "~lp", "  ~p"],
    TermCases = [{F, targs(F, T)} || T <- Terms, F <- Fmts],
    Floats = [rand_float() || _ <- lists:seq(1, 300)],
    FloatCases = [{F, [X]} || X <- Floats,
                             F <- ["~w", "~e", "~f", "~g", "~.3e", "~.12f", "~.4g", "~.15g"]],
    Big = [rand_term(7) || _ <- lists:seq(1, 60)],
    BigCases = [{F, [T]} || T <- Big, F <- ["~p", "~20p", "~10p", "~25.5p", "~60.30p", "~tp"]]
        ++ [{"~P", [T, D]} || T <- Big, D <- [1, 2, 3, 4, 6, 10, 15]],
    Uni = [uni_term(4) || _ <- lists:seq(1, 80)],
    UniCases = [{F, [T]} || T <- Uni, F <- ["~p", "~tp", "~w", "~tw", "~30tp", "~ts ~tp"], F =/= "~ts ~tp"]
        ++ [{"~ts ~tp", ["\x{430}\x{431}", T]} || T <- Uni],
    {TermCases, FloatCases, BigCases, UniCases}.

uni_term(0) -> uni_leaf();
uni_term(D) ->
    case rand:uniform(5) of
        1 -> uni_leaf();
        2 -> [uni_term(D - 1) || _ <- lists:seq(1, rand:uniform(6))];
        3 -> list_to_tuple([rand_atom() | [uni_term(D - 1) || _ <- lists:seq(1, rand:uniform(4))]]);
        4 -> maps:from_list([{uni_leaf(), uni_term(D - 1)} || _ <- lists:seq(1, rand:uniform(4))]);
        5 -> {uni_leaf(), uni_leaf()}
    end.

uni_leaf() ->
    Chars = [lists:nth(rand:uniform(10), [$a, $z, $\s, 233, 255, 1024, 8364, 12354, 128512, $\n])
             || _ <- lists:seq(1, rand:uniform(12))],
    case rand:uniform(4) of
        1 -> Chars;
        2 -> unicode:characters_to_binary(Chars);
        3 -> list_to_atom(Chars);
        4 -> [C || C <- Chars, C < 256]
    end.

targs("~P", T) -> [T, 7];
targs("~W", T) -> [T, 6];
targs(_, T) -> [T].

rand_float() ->
    case rand:uniform(4) of
        1 -> rand:uniform() * math:pow(10, rand:uniform(40) - 20);
        2 -> -rand:uniform() * math:pow(10, rand:uniform(600) - 300);
        3 -> float(rand:uniform(100000)) / float(rand:uniform(1000));
        4 -> <<F/float>> = <<(rand:uniform(1 bsl 62)):64>>, F
    end.

rand_term(0) -> rand_leaf();
rand_term(D) ->
    case rand:uniform(10) of
        N when N =< 3 -> rand_leaf();
        4 -> [rand_term(D - 1) || _ <- lists:seq(1, rand:uniform(12) - 1)];
        5 -> list_to_tuple([rand_term(D - 1) || _ <- lists:seq(1, rand:uniform(8) - 1)]);
        6 -> list_to_tuple([rand_atom() | [rand_term(D - 1) || _ <- lists:seq(1, rand:uniform(6))]]);
        7 -> maps:from_list([{rand_leaf(), rand_term(D - 1)} || _ <- lists:seq(1, rand:uniform(6) - 1)]);
        8 -> [rand_term(D - 1) || _ <- lists:seq(1, rand:uniform(3))] ++ rand_leaf();
        9 -> lists:duplicate(rand:uniform(20), rand_leaf());
        10 -> {rand_atom(), [rand_term(D - 1) || _ <- lists:seq(1, rand:uniform(5))]}
    end.

rand_leaf() ->
    case rand:uniform(9) of
        1 -> rand:uniform(1000) - 500;
        2 -> rand_atom();
        3 -> lists:sublist("the quick brown fox jumps over the lazy dog", rand:uniform(40));
        4 -> list_to_binary(lists:sublist("binary contents here", rand:uniform(20)));
        5 -> list_to_binary([rand:uniform(256) - 1 || _ <- lists:seq(1, rand:uniform(30))]);
        6 -> rand:uniform() * 1000;
        7 -> [];
        8 -> {};
        9 -> rand:uniform(1 bsl 80)
    end.

rand_atom() ->
    lists:nth(rand:uniform(8), [ok, error, a, undefined, 'Quoted', very_long_atom_name_here,
                                 x, another_fairly_long_tag_atom_for_testing]).

fargs("~20.10.*f", X) -> [$*, X];
fargs("~.*f", X) -> [4, X];
fargs(_, X) -> [X].

iargs([$~ | Rest], X) ->
    case lists:last(Rest) of
        C when C =:= $x; C =:= $X -> [X, "0x"];
        _ -> [X]
    end.

sargs("~10.3.*s", X) -> [$_, X];
sargs(_, X) -> [X].
