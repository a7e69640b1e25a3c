-module(display_terms).
%% erlang:display/1 and crash reports write terms with AtomVM's term.c (term_funprint), not
%% OTP's ~w: atoms are never quoted; a list is a string only when every element is a byte
%% that isprint() accepts (32..126), written as is (no escapes); a binary likewise, <<"">>
%% when empty; maps as #{k=>v}. (This replaces the OTP corpus's display program: OTP's
%% erlang:display quotes atoms and escapes strings, AtomVM's does not.)
-export([start/0, f/1]).

f(X) -> X.

start() ->
    Terms = [abc, 'Abc', 'a b', '-start/0-fun-0-', 'it\'s', '', 'end', list_to_atom([233]),
             "abc", "a\"b", "a\\b", "tab\t", "line\n", [233], [126], [127], [31], "", [a],
             <<>>, <<"abc">>, <<"a\"b">>, <<"\n">>, <<233>>, <<1, 2>>,
             1.0, 0.1, -2.5e-10, 1.0e100, 3.0e15, 1.0e16, 123456789.5, -0.0,
             {}, {a, "b", <<"c">>}, #{}, #{a => 1, "k" => [2]}, [1, 2 | 3], [$a | b],
             -1, 1 bsl 60, -(1 bsl 70), 1 bsl 80, -(1 bsl 64), [1000, 2000], lists:seq(1, 40),
             true, [], {a, {b, [c, "d"]}, 1}, [a | b],
             fun ?MODULE:f/1, fun lists:map/2],
    [erlang:display(T) || T <- Terms],
    ok.
