%% Instructions that only appear with particular source shapes or compile
%% options: nif_start (a -nifs function running its Erlang body because no NIF
%% library is loaded), executable_line (+line_coverage, OTP 27+), debug_line
%% (+beam_debug_info, OTP 28+), is_ne (/= between unknown terms), utf
%% skipping (bs_skip_utf8/16/32 on OTP 25/27), set_tuple_element (several
%% setelement calls on a fresh tuple), and swap.
-module(rare_opcodes).
-export([start/0, nif_fallback/1, ne_atom/2]).
-nifs([nif_fallback/1]).

-if(?OTP_RELEASE >= 27).
-compile([line_coverage]).
-endif.
-if(?OTP_RELEASE >= 28).
-compile([beam_debug_info]).
-endif.

id(X) -> X.

nif_fallback(X) -> {erlang_body, X}.

ne(A, B) when A /= B -> different;
ne(_, _) -> same.

ne_atom(A, B) when A /= B, is_atom(A) -> different_atoms;
ne_atom(_, _) -> other.

eq(A, B) when A == B -> equal;
eq(_, _) -> not_equal.

count8(<<_/utf8, R/binary>>, N) -> count8(R, N + 1);
count8(<<>>, N) -> N;
count8(_, N) -> {invalid_after, N}.

count16(<<_/utf16, R/binary>>, N) -> count16(R, N + 1);
count16(<<>>, N) -> N.

count32(<<_/utf32-little, R/binary>>, N) -> count32(R, N + 1);
count32(<<>>, N) -> N.

fresh(A, B, C) ->
    T = erlang:make_tuple(4, A),
    setelement(4, setelement(3, setelement(2, T, B), C), {A, B, C}).

swap_loop(A, B, 0) -> {A, B};
swap_loop(A, B, N) -> swap_loop(B, A, N - 1).

start() ->
    io:format("nif_start fallback: ~p~n", [nif_fallback(id(7))]),
    io:format("is_ne: ~p~n", [[ne(A, B) || {A, B} <- [{1, 1.0}, {1, 2}, {a, a}, {"x", "x"}, {{1}, {1.0}}, {[], <<>>}]]]),
    io:format("is_ne atoms: ~p~n", [[ne_atom(A, B) || {A, B} <- [{a, b}, {a, a}, {1, 2}, {a, 1}]]]),
    io:format("is_eq: ~p~n", [[eq(A, B) || {A, B} <- [{1, 1.0}, {1, 2}, {#{a => 1}, #{a => 1.0}}, {<<>>, []}]]]),
    io:format("utf8 skip: ~p~n", [[count8(id(B), 0) || B <- [<<>>, <<"abc">>, <<"a", 8364/utf8, 128512/utf8>>, <<"ab", 255>>]]]),
    io:format("utf16 skip: ~p~n", [count16(id(<<"h"/utf16, 66376/utf16, 8364/utf16>>), 0)]),
    io:format("utf32 skip: ~p~n", [count32(id(<<1/utf32-little, 1114111/utf32-little>>), 0)]),
    io:format("set_tuple_element: ~p~n", [fresh(id(a), id(b), id(c))]),
    io:format("swap: ~p ~p~n", [swap_loop(id(x), id(y), 5), swap_loop(id(x), id(y), 6)]),
    ok.
