%% io_lib -- formatted output and term writing for avmsim.
%%
%% Written for avmsim; ~p and ~w print as AtomVM's io_lib does (one
%% line, [] as "", floats as float_to_list/1..., section 5a), where OTP
%% and AtomVM disagree; every other control sequence is meant to print
%% what OTP 25's io_lib prints (after flattening).
%% The implementation is self-contained: besides erlang BIFs/NIFs
%% (incl. float_to_list/1,2, integer_to_list/2, binary_to_list/3, and for
%% pids/refs/ports/funs pid_to_list/1, erlang:ref_to_list/1,
%% erlang:port_to_list/1, erlang:fun_to_list/1) it only uses
%% lists:reverse/1,2, lists:flatten/1, lists:member/2, lists:all/2,
%% maps:to_list/1 and unicode:characters_to_list/1,2.
%%
%% Known differences from OTP 25: the chars_limit option of format/3 is
%% ignored; maps with more than 32 keys are printed in sorted key order
%% (OTP prints large maps in hash order); ~ts truncation and string length
%% only know CR LF and U+0300..U+036F combining marks as grapheme
%% clusters; the printable range is fixed to latin1 (OTP's default).
%%
%% Layout of this file
%%   1. public API
%%   2. format string scanning and the control sequence dispatcher
%%   3. field/padding helpers, integers, characters, strings
%%   4. floats (~e ~f ~g and the shortest round-trip form of ~W/~P)
%%   5. write (~W): single-line term writer with optional depth
%%   5a. ~p and ~w as AtomVM's io_lib writes them
%%   6. atom / string / char quoting
%%   7. pretty printer (~P): a measured tree laid out against a line
%%      length (80 by default), see the comment at section 7.
%%   8. predicates (char_list, printable_list, ...)
-module(io_lib).

-export([format/2, format/3, fwrite/2, fwrite/3]).
-export([write/1, write/2, write/3, print/1, print/4, nl/0, indentation/2]).
-export([write_atom/1, write_atom_as_latin1/1,
         write_string/1, write_string/2,
         write_latin1_string/1, write_latin1_string/2,
         write_string_as_latin1/1, write_string_as_latin1/2,
         write_char/1, write_latin1_char/1, write_char_as_latin1/1,
         write_binary/3, quote_atom/2]).
-export([char_list/1, latin1_char_list/1, deep_char_list/1,
         deep_latin1_char_list/1, printable_list/1,
         printable_latin1_list/1, printable_unicode_list/1,
         chars_length/1]).

%%====================================================================
%% 1. Public API
%%====================================================================

format(Format, Args) ->
    try
        run(format_chars(Format), Args)
    catch
        error:{bad_generator, _} = Improper -> erlang:error(Improper);   % AtomVM's ~p/~w
        _:_ -> erlang:error(badarg, [Format, Args])
    end.

%% Options (chars_limit) are accepted but not honoured.
format(Format, Args, Options) when is_list(Options) ->
    try
        run(format_chars(Format), Args)
    catch
        error:{bad_generator, _} = Improper -> erlang:error(Improper);
        _:_ -> erlang:error(badarg, [Format, Args])
    end.

fwrite(Format, Args) -> format(Format, Args).

fwrite(Format, Args, Options) -> format(Format, Args, Options).

write(Term) -> avm_term(w, latin1, Term).

write(Term, Options) when is_list(Options) ->
    D = option(depth, Options, -1),
    Enc = case option(encoding, Options, latin1) of
              latin1 -> latin1;
              _ -> unicode
          end,
    write_term(Term, D, Enc);
write(Term, Depth) when is_integer(Depth) ->
    write_term(Term, Depth, latin1).

write(Term, Depth, true) -> print(Term, 1, 80, Depth);
write(Term, Depth, false) -> write(Term, Depth).

print(Term) -> print(Term, 1, 80, -1).

print(Term, Column, LineLength, Depth) ->
    pretty(Term, Column, LineLength, Depth, latin1, true).

nl() -> "\n".

%% Column reached after writing Chars starting in column Col (tabs are 8).
indentation(Chars, Col) -> column(Chars, Col).

option(Key, [{Key, V} | _], _Default) -> V;
option(Key, [_ | T], Default) -> option(Key, T, Default);
option(_Key, [], Default) -> Default.

%%====================================================================
%% 2. Format scanning and dispatch
%%====================================================================

format_chars(F) when is_list(F) -> F;
format_chars(F) when is_atom(F) -> atom_to_list(F);
format_chars(F) when is_binary(F) -> binary_to_list(F).

%% One pass over the format: literal characters are copied, every ~
%% sequence is parsed, its arguments taken and rendered immediately.
%% Col is the 0-based output column, needed to indent ~p output.
run(Fmt, Args) -> run(Fmt, Args, 0, []).

run([$~ | Fmt0], Args0, Col, Acc) ->
    {Spec, Fmt, Args} = parse_directive(Fmt0, Args0),
    Out = control(Spec, Col),
    run(Fmt, Args, column(Out, Col), [Out | Acc]);
run([C | Fmt], Args, Col, Acc) ->
    run(Fmt, Args, char_column(C, Col), [C | Acc]);
run([], [], _Col, Acc) ->
    lists:reverse(Acc).

char_column($\n, _Col) -> 0;
char_column($\t, Col) -> ((Col + 8) div 8) * 8;
char_column(_, Col) -> Col + 1.

column([C | Cs], Col) when is_integer(C) -> column(Cs, char_column(C, Col));
column([L | Cs], Col) -> column(Cs, column(L, Col));
column([], Col) -> Col;
column(B, Col) when is_binary(B) -> column(binary_to_list(B), Col).

%% Directive: {Char, Args, Width, Adjust, Precision, Pad, Encoding, Strings}
parse_directive(Fmt0, Args0) ->
    {Width, Adjust, Fmt1, Args1} = field_width(Fmt0, Args0),
    {Prec, Fmt2, Args2} = field_precision(Fmt1, Args1),
    {Pad, Fmt3, Args3} = field_pad(Fmt2, Args2),
    {Enc, Strings, [C | Fmt4]} = modifiers(Fmt3, latin1, true),
    {CArgs, Args4} = control_args(arity_of(C), Args3),
    {{C, CArgs, Width, Adjust, Prec, Pad, Enc, Strings}, Fmt4, Args4}.

field_width([$- | Fmt0], Args0) ->
    {V, Fmt, Args} = field_value(Fmt0, Args0),
    signed_width(-V, Fmt, Args);   % "~-s" has no value: badarith -> badarg
field_width(Fmt0, Args0) ->
    {V, Fmt, Args} = field_value(Fmt0, Args0),
    signed_width(V, Fmt, Args).

signed_width(none, Fmt, Args) -> {none, right, Fmt, Args};
signed_width(V, Fmt, Args) when V < 0 -> {-V, left, Fmt, Args};
signed_width(V, Fmt, Args) -> {V, right, Fmt, Args}.

field_precision([$. | Fmt0], Args0) ->
    case field_value(Fmt0, Args0) of
        {P, _, _} when is_integer(P), P < 0 -> erlang:error(badarg);
        Res -> Res
    end;
field_precision(Fmt, Args) ->
    {none, Fmt, Args}.

field_value([$* | Fmt], [A | Args]) when is_integer(A) -> {A, Fmt, Args};
field_value([C | _] = Fmt, Args) when is_integer(C), C >= $0, C =< $9 ->
    digits(Fmt, Args, 0);
field_value(Fmt, Args) -> {none, Fmt, Args}.

digits([C | Fmt], Args, N) when is_integer(C), C >= $0, C =< $9 ->
    digits(Fmt, Args, N * 10 + (C - $0));
digits(Fmt, Args, N) -> {N, Fmt, Args}.

field_pad([$., $* | Fmt], [Pad | Args]) -> {Pad, Fmt, Args};
field_pad([$., Pad | Fmt], Args) -> {Pad, Fmt, Args};
field_pad(Fmt, Args) -> {$\s, Fmt, Args}.

modifiers([$t | Fmt], _Enc, Str) -> modifiers(Fmt, unicode, Str);
modifiers([$l | Fmt], Enc, _Str) -> modifiers(Fmt, Enc, false);
modifiers(Fmt, Enc, Str) -> {Enc, Str, Fmt}.

arity_of($~) -> 0;
arity_of($n) -> 0;
arity_of($W) -> 2;
arity_of($P) -> 2;
arity_of($x) -> 2;
arity_of($X) -> 2;
arity_of(C) ->
    case lists:member(C, "wpsefgbB+#ci") of
        true -> 1
    end.

control_args(0, Args) when is_list(Args) -> {[], Args};
control_args(1, [A | Args]) -> {[A], Args};
control_args(2, [A, B | Args]) -> {[A, B], Args}.

%% control(Directive, Column) -> chars()
control({$w, [A], F, Adj, _P, Pad, Enc, _}, _Col) ->
    avm_field(avm_term(w, Enc, A), F, Adj, Pad);
control({$W, [A, D], F, Adj, P, Pad, Enc, _}, _Col) when is_integer(D) ->
    field(write_term(A, D, Enc), F, Adj, P, Pad, Enc);
control({$p, [A], F, Adj, _P, Pad, Enc, _}, _Col) ->
    avm_field(avm_term(p, Enc, A), F, Adj, Pad);
control({$P, [A, D], F, Adj, P, _Pad, Enc, Str}, Col) when is_integer(D) ->
    print_field(A, D, F, Adj, P, Enc, Str, Col);
control({$s, [A], F, Adj, P, Pad, Enc, _}, _Col) ->
    string_field(string_arg(A, Enc), F, Adj, P, Pad, Enc);
control({$e, [A], F, Adj, P, Pad, _, _}, _Col) when is_float(A) ->
    format_e(A, F, Adj, P, Pad);
control({$f, [A], F, Adj, P, Pad, _, _}, _Col) when is_float(A) ->
    format_f(A, F, Adj, P, Pad);
control({$g, [A], F, Adj, P, Pad, _, _}, _Col) when is_float(A) ->
    format_g(A, F, Adj, P, Pad);
control({$b, [A], F, Adj, P, Pad, _, _}, _Col) when is_integer(A) ->
    based(A, F, Adj, base(P), Pad, [], true);
control({$B, [A], F, Adj, P, Pad, _, _}, _Col) when is_integer(A) ->
    based(A, F, Adj, base(P), Pad, [], false);
control({$x, [A, Prefix], F, Adj, P, Pad, _, _}, _Col) when is_integer(A) ->
    based(A, F, Adj, base(P), Pad, prefix_chars(Prefix), true);
control({$X, [A, Prefix], F, Adj, P, Pad, _, _}, _Col) when is_integer(A) ->
    based(A, F, Adj, base(P), Pad, prefix_chars(Prefix), false);
control({$+, [A], F, Adj, P, Pad, _, _}, _Col) when is_integer(A) ->
    B = base(P),
    based(A, F, Adj, B, Pad, integer_to_list(B) ++ "#", true);
control({$#, [A], F, Adj, P, Pad, _, _}, _Col) when is_integer(A) ->
    B = base(P),
    based(A, F, Adj, B, Pad, integer_to_list(B) ++ "#", false);
control({$c, [A], F, Adj, P, Pad, unicode, _}, _Col) when is_integer(A) ->
    char_field(A, F, Adj, P, Pad);
control({$c, [A], F, Adj, P, Pad, latin1, _}, _Col) when is_integer(A) ->
    char_field(A band 255, F, Adj, P, Pad);
control({$~, [], F, Adj, P, Pad, _, _}, _Col) ->
    char_field($~, F, Adj, P, Pad);
control({$n, [], none, _Adj, _P, _Pad, _, _}, _Col) ->
    "\n";
control({$n, [], F, right, _P, _Pad, _, _}, _Col) ->
    copies($\n, F);
control({$i, [_], _F, _Adj, _P, _Pad, _, _}, _Col) ->
    [].

%% ~p / ~P: the field width is the line length, the precision the
%% start column (default: the current column).  Only right adjustment.
print_field(A, D, none, Adj, P, Enc, Str, Col) ->
    print_field(A, D, 80, Adj, P, Enc, Str, Col);
print_field(A, D, F, Adj, none, Enc, Str, Col) ->
    print_field(A, D, F, Adj, Col + 1, Enc, Str, Col);
print_field(A, D, F, right, P, Enc, Str, _Col) ->
    pretty(A, P, F, D, Enc, Str).

%%====================================================================
%% 3. Fields, padding, integers, characters, strings
%%====================================================================

%% Fit Chars into a field of width F (precision P limits it further);
%% a term that does not fit is replaced by asterisks.
field(T, none, _Adj, none, _Pad, _Enc) -> T;
field(T, none, Adj, P, Pad, Enc) -> field(T, P, Adj, P, Pad, Enc);
field(T, F, Adj, P0, Pad, Enc) ->
    L = case Enc of
            latin1 -> chars_length(T);
            unicode -> grapheme_count(lists:flatten(T))
        end,
    P = erlang:min(L, case P0 of none -> F; _ -> erlang:min(P0, F) end),
    if
        L > P -> adjust(copies($*, P), copies(Pad, F - P), Adj);
        F >= P -> adjust(T, copies(Pad, F - L), Adj)
    end.

adjust(Data, [], _) -> Data;
adjust(Data, Pad, left) -> [Data | Pad];
adjust(Data, Pad, right) -> [Pad | Data].

copies(C, N) when is_integer(N), N >= 0 -> copies(C, N, []).

copies(_C, 0, Acc) -> Acc;
copies(C, N, Acc) -> copies(C, N - 1, [C | Acc]).

base(none) -> 10;
base(B) when is_integer(B), B >= 2, B =< 36 -> B.

prefix_chars(P) when is_atom(P) -> atom_to_list(P);
prefix_chars(P) ->
    true = deep_char_list(P),
    P.

based(Int, F, Adj, Base, Pad, Prefix, Lower) ->
    Digits = case Lower of
                 true -> to_lower(integer_to_list(abs(Int), Base));
                 false -> integer_to_list(abs(Int), Base)
             end,
    S = case Int < 0 of
            true -> [$-, Prefix | Digits];
            false -> [Prefix | Digits]
        end,
    field(S, F, Adj, none, Pad, latin1).

to_lower([C | Cs]) when C >= $A, C =< $Z -> [C + 32 | to_lower(Cs)];
to_lower([C | Cs]) -> [C | to_lower(Cs)];
to_lower([]) -> [].

char_field(C, none, _Adj, none, _Pad) -> [C];
char_field(C, F, _Adj, none, _Pad) -> copies(C, F);
char_field(C, none, _Adj, P, _Pad) -> copies(C, P);
char_field(C, F, Adj, P, Pad) when F >= P ->
    adjust(copies(C, P), copies(Pad, F - P), Adj).

%% Argument of ~s as a flat character list.
string_arg(A, latin1) when is_atom(A) -> latin1_chars(atom_to_list(A), []);
string_arg(A, unicode) when is_atom(A) -> atom_to_list(A);
string_arg(A, latin1) -> latin1_chars(A, []);
string_arg(A, unicode) -> lists:flatten(unicode_chars(A)).

latin1_chars(B, Tail) when is_binary(B) -> binary_to_list(B) ++ Tail;
latin1_chars([C | Cs], Tail) when is_integer(C), C >= 0, C =< 255 ->
    [C | latin1_chars(Cs, Tail)];
latin1_chars([L | Cs], Tail) -> latin1_chars(L, latin1_chars(Cs, Tail));
latin1_chars([], Tail) -> Tail.

unicode_chars([C | Cs]) when is_integer(C), C >= 0 -> [C | unicode_chars(Cs)];
unicode_chars([L | Cs]) -> [unicode_chars(L) | unicode_chars(Cs)];
unicode_chars([]) -> [];
unicode_chars(B) when is_binary(B) ->
    case catch unicode:characters_to_list(B) of
        L when is_list(L) -> L;
        _ -> binary_to_list(B)
    end.

%% S is flat here.
string_field(S, none, _Adj, none, _Pad, _Enc) -> S;
string_field(S, F, Adj, none, Pad, Enc) -> fit_string(S, F, Adj, chars_length(S), Pad, Enc);
string_field(S, none, _Adj, P, Pad, Enc) -> fit_string(S, P, left, chars_length(S), Pad, Enc);
string_field(S, F, Adj, P, Pad, Enc) when F > P ->
    N = chars_length(S),
    if
        N > P -> adjust(truncate(S, P, Enc), copies(Pad, F - P), Adj);
        N < P -> adjust([S | copies(Pad, P - N)], copies(Pad, F - P), Adj);
        true -> adjust(S, copies(Pad, F - P), Adj)
    end;
string_field(S, F, Adj, F, Pad, Enc) ->
    fit_string(S, F, Adj, chars_length(S), Pad, Enc).

fit_string(S, F, _Adj, N, _Pad, Enc) when N > F -> truncate(S, F, Enc);
fit_string(S, F, Adj, N, Pad, _Enc) when N < F -> adjust(S, copies(Pad, F - N), Adj);
fit_string(S, _F, _Adj, _N, _Pad, _Enc) -> S.

%% ~s truncates by characters, ~ts by grapheme clusters.
truncate(S, N, latin1) -> element(1, split_at(S, N));
truncate(S, N, unicode) -> take_graphemes(S, N).

%% Minimal grapheme clustering: CR LF is one cluster and combining
%% diacritical marks (U+0300..U+036F) join the preceding character.
take_graphemes(_S, 0) -> [];
take_graphemes([], _N) -> [];
take_graphemes([$\r, $\n | Cs], N) -> [$\r, $\n | take_graphemes(Cs, N - 1)];
take_graphemes([C | Cs], N) ->
    {Ext, Rest} = combining(Cs, []),
    [C | Ext] ++ take_graphemes(Rest, N - 1).

combining([C | Cs], Acc) when is_integer(C), C >= 16#300, C =< 16#36F ->
    combining(Cs, [C | Acc]);
combining(Cs, Acc) -> {lists:reverse(Acc), Cs}.

grapheme_count(S) -> grapheme_count(S, 0).

grapheme_count([], N) -> N;
grapheme_count([$\r, $\n | Cs], N) -> grapheme_count(Cs, N + 1);
grapheme_count([_ | Cs], N) ->
    {_, Rest} = combining(Cs, []),
    grapheme_count(Rest, N + 1).

%% Number of characters in chardata (as OTP: byte count when the data is
%% an iolist, otherwise a grapheme count).
chars_length(S) ->
    case catch iolist_size(S) of
        N when is_integer(N) -> N;
        _ -> grapheme_count(flat_chars(S, []))
    end.

flat_chars([C | Cs], Tail) when is_integer(C) -> [C | flat_chars(Cs, Tail)];
flat_chars([L | Cs], Tail) -> flat_chars(L, flat_chars(Cs, Tail));
flat_chars([], Tail) -> Tail;
flat_chars(B, Tail) when is_binary(B) -> lists:flatten(unicode_chars(B)) ++ Tail.

%%====================================================================
%% 4. Floats
%%====================================================================

%% Shortest representation that reads back to the same float.
float_short(F) -> float_to_list(F, [short]).

negative(F) -> hd(float_to_list(F)) =:= $-.   % also true for -0.0

sign(F) ->
    case negative(F) of
        true -> "-";
        false -> ""
    end.

%% {Digits, Exp}: 21 significant decimal digits d1d2... with value
%% 0.d1d2... * 10^Exp, taken from the %.20e rendering.
float_digits(F) -> float_digits(float_to_list(F), []).

float_digits([$e | E], Acc) -> {lists:reverse(Acc), list_to_integer(E) + 1};
float_digits([D | Cs], Acc) when D >= $0, D =< $9 -> float_digits(Cs, [D | Acc]);
float_digits([_ | Cs], Acc) -> float_digits(Cs, Acc).

format_e(Fl, F, Adj, none, Pad) -> format_e(Fl, F, Adj, 6, Pad);
format_e(Fl, none, _Adj, P, _Pad) when P >= 2 -> e_chars(Fl, P);
format_e(Fl, F, Adj, P, Pad) when P >= 2 -> field(e_chars(Fl, P), F, Adj, F, Pad, latin1).

e_chars(Fl, P) ->
    {Ds, E} = float_digits(Fl),
    case round_digits(Ds, 1, P - 1) of
        {[$0 | Fs], true} -> sign(Fl) ++ [$1 | Fs] ++ exponent(E);
        {Fs, false} -> sign(Fl) ++ Fs ++ exponent(E - 1)
    end.

exponent(E) when E >= 0 -> [$e, $+ | integer_to_list(E)];
exponent(E) -> [$e | integer_to_list(E)].

format_f(Fl, F, Adj, none, Pad) -> format_f(Fl, F, Adj, 6, Pad);
format_f(Fl, none, _Adj, P, _Pad) when P >= 1 -> f_chars(Fl, P);
format_f(Fl, F, Adj, P, Pad) when P >= 1 -> field(f_chars(Fl, P), F, Adj, F, Pad, latin1).

f_chars(Fl, P) ->
    {Ds0, E0} = float_digits(Fl),
    {Ds, E} = case E0 =< 0 of
                  true -> {copies($0, 1 - E0) ++ Ds0, 1};
                  false -> {Ds0, E0}
              end,
    case round_digits(Ds, E, P) of
        {Fs, true} -> sign(Fl) ++ [$1 | Fs];
        {Fs, false} -> sign(Fl) ++ Fs
    end.

%% ~g: fixed notation for 0.1 =< |X| < 10^Precision, else exponential.
format_g(Fl, F, Adj, none, Pad) -> format_g(Fl, F, Adj, 6, Pad);
format_g(Fl, F, Adj, P, Pad) when P >= 1 ->
    A = abs(Fl),
    E = if A < 1.0e-1 -> -2;
           A < 1.0e0 -> -1;
           A < 1.0e1 -> 0;
           A < 1.0e2 -> 1;
           A < 1.0e3 -> 2;
           A < 1.0e4 -> 3;
           true -> large
        end,
    if
        P =< 1, E =:= -1; is_integer(E), P - 1 > E, E >= -1 ->
            format_f(Fl, F, Adj, P - 1 - E, Pad);
        P =< 1 -> format_e(Fl, F, Adj, 2, Pad);
        true -> format_e(Fl, F, Adj, P, Pad)
    end.

%% Render digit list Ds as Int integer digits, ".", Dec decimals,
%% rounding half up on the first dropped digit.  Returns {Chars, Carry}
%% where Carry means a 1 must be prepended by the caller.
round_digits(Ds, Int, Dec) ->
    {IntPart, Rest} = take_pad(Ds, Int),
    {DecPart, Rest2} = take_pad(Rest, Dec),
    Up = case Rest2 of
             [D | _] when D >= $5 -> true;
             _ -> false
         end,
    Rev = lists:reverse(IntPart ++ DecPart),
    {Rounded, Carry} = increment(Rev, Up),
    {Is, Fs} = split_at(Rounded, Int),
    {Is ++ [$. | Fs], Carry}.

take_pad(Ds, N) -> take_pad(Ds, N, []).

take_pad(Ds, 0, Acc) -> {lists:reverse(Acc), Ds};
take_pad([D | Ds], N, Acc) -> take_pad(Ds, N - 1, [D | Acc]);
take_pad([], N, Acc) -> take_pad([], N - 1, [$0 | Acc]).

%% Rev is reversed; returns the straight list and the carry.
increment(Rev, false) -> {lists:reverse(Rev), false};
increment(Rev, true) -> inc(Rev, []).

inc([$9 | Ds], Acc) -> inc(Ds, [$0 | Acc]);
inc([D | Ds], Acc) -> {lists:reverse(Ds, [D + 1 | Acc]), false};
inc([], Acc) -> {Acc, true}.

split_at(L, N) -> split_at(L, N, []).

split_at(L, 0, Acc) -> {lists:reverse(Acc), L};
split_at([H | T], N, Acc) -> split_at(T, N - 1, [H | Acc]).

%%====================================================================
%% 5. write: one line, optional depth limit
%%====================================================================

write_term(_T, 0, _Enc) -> "...";
write_term(I, _D, _Enc) when is_integer(I) -> integer_to_list(I);
write_term(F, _D, _Enc) when is_float(F) -> float_short(F);
write_term(A, _D, latin1) when is_atom(A) -> write_atom_as_latin1(A);
write_term(A, _D, _Enc) when is_atom(A) -> write_atom(A);
write_term(P, _D, _Enc) when is_pid(P) -> pid_to_list(P);
write_term(P, _D, _Enc) when is_port(P) -> erlang:port_to_list(P);
write_term(R, _D, _Enc) when is_reference(R) -> erlang:ref_to_list(R);
write_term(B, D, _Enc) when is_bitstring(B) -> write_bits(B, D);
write_term([], _D, _Enc) -> "[]";
write_term({}, _D, _Enc) -> "{}";
write_term([_ | _], 1, _Enc) -> "[...]";
write_term([H | T], D, Enc) ->
    [$[, write_term(H, D - 1, Enc), write_tail(T, D - 1, Enc), $]];
write_term(F, _D, _Enc) when is_function(F) -> erlang:fun_to_list(F);
write_term(M, 1, _Enc) when is_map(M) -> "#{}";   % sic, as OTP 25
write_term(M, D, Enc) when is_map(M) ->
    case sorted_pairs(M) of
        [] -> "#{}";
        [{K, V} | Ps] ->
            [$#, ${, write_assoc(K, V, D - 1, Enc), write_pairs(Ps, D - 1, D - 1, Enc), $}]
    end;
write_term(T, 1, _Enc) when is_tuple(T) -> "{...}";
write_term(T, D, Enc) when is_tuple(T) ->
    [${, write_term(element(1, T), D - 1, Enc),
     write_elements(T, 2, D - 1, Enc), $}].

write_tail([], _D, _Enc) -> [];
write_tail(_, 1, _Enc) -> "|...";
write_tail([H | T], D, Enc) -> [$,, write_term(H, D - 1, Enc) | write_tail(T, D - 1, Enc)];
write_tail(Other, D, Enc) -> [$|, write_term(Other, D - 1, Enc)].

write_elements(T, I, _D, _Enc) when I > tuple_size(T) -> [];
write_elements(_T, _I, 1, _Enc) -> ",...";
write_elements(T, I, D, Enc) ->
    [$,, write_term(element(I, T), D - 1, Enc) | write_elements(T, I + 1, D - 1, Enc)].

%% Pairs after the first: D counts them, D0 is the depth of keys and
%% values.  Like OTP 25 this writes ",..." whenever the count runs out,
%% even if no pairs are left.
write_pairs(_, 1, _D0, _Enc) -> ",...";
write_pairs([], _D, _D0, _Enc) -> [];
write_pairs([{K, V} | Ps], D, D0, Enc) ->
    [$,, write_assoc(K, V, D0, Enc) | write_pairs(Ps, D - 1, D0, Enc)].

write_assoc(K, V, D0, Enc) ->
    [write_term(K, D0, Enc), " => ", write_term(V, D0, Enc)].

%% Map entries in the order OTP keeps small maps: term order of the keys,
%% except that integers sort before floats ("exact" comparison).
sorted_pairs(M) -> key_sort(maps:to_list(M)).

key_sort([]) -> [];
key_sort([_] = L) -> L;
key_sort(L) ->
    {A, B} = halve(L, [], []),
    key_merge(key_sort(A), key_sort(B)).

halve([X, Y | T], A, B) -> halve(T, [X | A], [Y | B]);
halve([X], A, B) -> {[X | A], B};
halve([], A, B) -> {A, B}.

key_merge([{Ka, _} = A | As], [{Kb, _} = B | Bs]) ->
    case exact_cmp(Ka, Kb) of
        gt -> [B | key_merge([A | As], Bs)];
        _ -> [A | key_merge(As, [B | Bs])]
    end;
key_merge([], Bs) -> Bs;
key_merge(As, []) -> As.

exact_cmp(A, B) when is_integer(A), is_float(B) -> lt;
exact_cmp(A, B) when is_float(A), is_integer(B) -> gt;
exact_cmp(A, B) when is_tuple(A), is_tuple(B), tuple_size(A) =:= tuple_size(B) ->
    exact_cmp_list(tuple_to_list(A), tuple_to_list(B));
exact_cmp([HA | TA], [HB | TB]) ->
    case exact_cmp(HA, HB) of
        eq -> exact_cmp(TA, TB);
        R -> R
    end;
exact_cmp(A, B) when A < B -> lt;
exact_cmp(A, B) when A > B -> gt;
exact_cmp(_, _) -> eq.

exact_cmp_list([HA | TA], [HB | TB]) ->
    case exact_cmp(HA, HB) of
        eq -> exact_cmp_list(TA, TB);
        R -> R
    end;
exact_cmp_list([], []) -> eq.

write_bits(B, D) ->
    {S, _} = write_binary(B, D, -1),
    S.

%% write_binary(Bin, Depth, CharsLimit) -> {Chars, Rest}
%% The chars are [$<,$<,Body,$>,$>]; Body alternates number strings and
%% commas, optionally ending in "..." or Value:Size for trailing bits.
write_binary(B, D, _T) ->
    {Body, Rest} = bits_body(B, D),
    {[$<, $<, Body, $>, $>], Rest}.

bits_body(<<>>, _D) -> {[], <<>>};
bits_body(B, 1) -> {["..."], B};
bits_body(<<X:8>>, _D) -> {[integer_to_list(X)], <<>>};
bits_body(<<X:8, Rest/bitstring>>, D) ->
    {Body, Left} = bits_body(Rest, D - 1),
    {[integer_to_list(X), $, | Body], Left};
bits_body(B, _D) ->
    Size = bit_size(B),
    <<X:Size>> = B,
    {[integer_to_list(X), $:, integer_to_list(Size)], <<>>}.

%%====================================================================
%% 5a. ~p and ~w as AtomVM's io_lib writes them (AtomVM wins over OTP)
%%====================================================================
%% Measured against AtomVM 7b282159 (tests/atomvm_diff/io_lib_terms.erl):
%% - one line, never broken, whatever the length (~p is ~w plus strings);
%% - a list of latin1 printable characters, [] included, is a string
%%   ("" for []); printable: 8..13, 27 and 32..255 (DEL and 128..159
%%   too), written raw except \b \t \n \v \f \r \e; a quote inside is
%%   written quote-backslash; a backslash is not escaped;
%% - a binary is <<"...">> under the same rule (<<"">> when empty);
%%   ~tp decodes UTF-8 first (<<"..."/utf8>> beyond latin1) and ~tw
%%   writes the decoded characters;
%% - floats as float_to_list/1 (20 digits, scientific);
%% - atoms quoted unless they start with a-z and hold only a-z A-Z 0-9
%%   _ @ (reserved words always); ' is written \'; nothing else is
%%   escaped and '' is written as nothing;
%% - an improper list is an error; the field width pads (* when too long);
%% - bitstrings as OTP writes them: AtomVM cannot build one to print.

avm_field(Chars, none, _Adj, _Pad) -> Chars;
avm_field(Chars, F, Adj, Pad) ->
    Flat = lists:flatten(Chars),
    case length(Flat) of
        L when L > F -> copies($*, F);
        L -> adjust(Flat, copies(Pad, F - L), Adj)
    end.

avm_term(Ctl, Enc, L) when is_list(L) ->
    case Ctl =:= p andalso avm_printable(L) of
        true -> avm_string(L);
        false -> [$[, avm_join([avm_term(Ctl, Enc, E) || E <- avm_elements(L)]), $]]
    end;
avm_term(Ctl, unicode, B) when is_binary(B) ->
    case unicode:characters_to_list(B, utf8) of
        Cs when is_list(Cs) -> avm_binary(Ctl, Cs, true);
        _ -> avm_term(Ctl, latin1, B)
    end;
avm_term(Ctl, latin1, B) when is_binary(B) -> avm_binary(Ctl, binary_to_list(B), false);
avm_term(_Ctl, _Enc, B) when is_bitstring(B) -> write_bits(B, -1);  % AtomVM makes none
avm_term(_Ctl, _Enc, A) when is_atom(A) -> avm_atom(A);
avm_term(_Ctl, _Enc, I) when is_integer(I) -> integer_to_list(I);
avm_term(_Ctl, _Enc, F) when is_float(F) -> float_to_list(F);
avm_term(_Ctl, _Enc, P) when is_pid(P) -> pid_to_list(P);
avm_term(_Ctl, _Enc, P) when is_port(P) -> erlang:port_to_list(P);
avm_term(_Ctl, _Enc, R) when is_reference(R) -> erlang:ref_to_list(R);
avm_term(_Ctl, _Enc, F) when is_function(F) -> erlang:fun_to_list(F);
avm_term(Ctl, Enc, T) when is_tuple(T) ->
    [${, avm_join([avm_term(Ctl, Enc, E) || E <- tuple_to_list(T)]), $}];
avm_term(Ctl, Enc, M) when is_map(M) ->
    [$#, ${, avm_join([[avm_term(Ctl, Enc, K), " => ", avm_term(Ctl, Enc, V)]
                       || {K, V} <- maps:to_list(M)]), $}].

%% The elements of a proper list; AtomVM fails on an improper one.
avm_elements(L) -> avm_elements(L, []).

avm_elements([H | T], Acc) -> avm_elements(T, [H | Acc]);
avm_elements([], Acc) -> lists:reverse(Acc);
avm_elements(Tail, _Acc) -> erlang:error({bad_generator, Tail}).

avm_join([]) -> [];
avm_join([H | T]) -> [H | [[$,, E] || E <- T]].

%% Cs: the bytes, or with Decoded the UTF-8-decoded characters.
avm_binary(p, Cs, Decoded) ->
    case avm_string_class(Cs, latin1) of
        latin1 -> [$<, $<, avm_string(Cs), $>, $>];
        unicode when Decoded -> [$<, $<, avm_string(Cs), "/utf8>>"];
        _ -> avm_bytes(Cs)
    end;
avm_binary(w, Cs, _Decoded) -> avm_bytes(Cs).

avm_bytes(Cs) -> [$<, $<, avm_join([integer_to_list(C) || C <- Cs]), $>, $>].

avm_printable(L) -> avm_string_class(L, latin1) =:= latin1.

%% latin1 (printable), unicode (printable, some beyond 255), unprintable,
%% or not_a_string.
avm_string_class([C | Cs], Class) when is_integer(C), C >= 0 ->
    avm_string_class(Cs, avm_worse(Class, avm_char_class(C)));
avm_string_class([], Class) -> Class;
avm_string_class(_, _Class) -> not_a_string.

avm_worse(unprintable, _) -> unprintable;
avm_worse(_, unprintable) -> unprintable;
avm_worse(unicode, _) -> unicode;
avm_worse(latin1, Class) -> Class.

avm_char_class(C) when C =< 7 -> unprintable;
avm_char_class(C) when C =< 13 -> latin1;
avm_char_class(27) -> latin1;
avm_char_class(C) when C < 32 -> unprintable;
avm_char_class(C) when C =< 255 -> latin1;
avm_char_class(_) -> unicode.

avm_string(Cs) -> [$", [avm_escape(C) || C <- Cs], $"].

avm_escape($\b) -> "\\b";
avm_escape($\t) -> "\\t";
avm_escape($\n) -> "\\n";
avm_escape($\v) -> "\\v";
avm_escape($\f) -> "\\f";
avm_escape($\r) -> "\\r";
avm_escape($\e) -> "\\e";
avm_escape($") -> [$", $\\];
avm_escape(C) -> C.

avm_atom(A) ->
    Cs = atom_to_list(A),
    Quoted = reserved(A) orelse A =:= 'maybe' orelse case Cs of
                                    [C | _] when C >= $a, C =< $z -> not avm_name(Cs);
                                    [] -> false;
                                    _ -> true
                                end,
    Body = [case C of $' -> "\\'"; _ -> C end || C <- Cs],
    case Quoted of
        true -> [$', Body, $'];
        false -> Body
    end.

avm_name(Cs) ->
    lists:all(fun(C) -> (C >= $a andalso C =< $z) orelse (C >= $A andalso C =< $Z)
                            orelse (C >= $0 andalso C =< $9) orelse C =:= $_ orelse C =:= $@
              end, Cs).

%%====================================================================
%% 6. Quoting of atoms, strings and characters
%%====================================================================

write_atom(A) -> atom_chars(A, unicode).

write_atom_as_latin1(A) -> atom_chars(A, latin1).

atom_chars(A, Mode) ->
    Cs = atom_to_list(A),
    case quote_atom(A, Cs) of
        true when Mode =:= unicode -> [$' | quote_chars(Cs, $', all)];
        true -> [$' | quote_chars(Cs, $', escape_wide)];
        false -> Cs
    end.

quote_atom(A, Cs) ->
    case reserved(A) of
        true -> true;
        false ->
            case Cs of
                [C | Rest] when C >= $a, C =< $z -> not name_chars(Rest);
                [C | Rest] when C >= 16#DF, C =< 16#FF, C =/= 16#F7 -> not name_chars(Rest);
                _ -> true
            end
    end.

reserved(A) ->
    lists:member(A, ['after', 'and', 'andalso', 'band', 'begin', 'bnot', 'bor',
                     'bsl', 'bsr', 'bxor', 'case', 'catch', 'cond', 'div', 'end',
                     'fun', 'if', 'let', 'not', 'of', 'or', 'orelse', 'receive',
                     'rem', 'try', 'when', 'xor']).

name_chars([C | Cs]) ->
    case name_char(C) of
        true -> name_chars(Cs);
        false -> false
    end;
name_chars([]) -> true.

name_char(C) when C >= $a, C =< $z -> true;
name_char(C) when C >= $A, C =< $Z -> true;
name_char(C) when C >= $0, C =< $9 -> true;
name_char($_) -> true;
name_char($@) -> true;
name_char(C) when C >= 16#DF, C =< 16#FF, C =/= 16#F7 -> true;
name_char(C) when C >= 16#C0, C =< 16#DE, C =/= 16#D7 -> true;
name_char(_) -> false.

write_string(S) -> write_string(S, $").

write_string(S, Q) -> [Q | quote_chars(S, Q, all)].

write_latin1_string(S) -> write_latin1_string(S, $").

write_latin1_string(S, Q) -> [Q | quote_chars(S, Q, latin1)].

write_string_as_latin1(S) -> write_string_as_latin1(S, $").

write_string_as_latin1(S, Q) -> [Q | quote_chars(S, Q, escape_wide)].

%% Mode: all (chars >= 160 kept), latin1 (only up to 255 allowed),
%% escape_wide (chars > 255 written as \x{H}).  Ends with the quote.
quote_chars([], Q, _Mode) -> [Q];
quote_chars([C | Cs], Q, Mode) -> escape_char(C, Q, Mode, quote_chars(Cs, Q, Mode)).

escape_char(Q, Q, _Mode, Tail) -> [$\\, Q | Tail];
escape_char($\\, _Q, _Mode, Tail) -> [$\\, $\\ | Tail];
escape_char(C, _Q, _Mode, Tail) when C >= $\s, C =< $~ -> [C | Tail];
escape_char(C, _Q, all, Tail) when C >= 160 -> [C | Tail];
escape_char(C, _Q, _Mode, Tail) when C >= 160, C =< 255 -> [C | Tail];
escape_char(C, _Q, escape_wide, Tail) when C > 255 ->
    "\\x{" ++ integer_to_list(C, 16) ++ "}" ++ Tail;
escape_char($\n, _Q, _Mode, Tail) -> [$\\, $n | Tail];
escape_char($\r, _Q, _Mode, Tail) -> [$\\, $r | Tail];
escape_char($\t, _Q, _Mode, Tail) -> [$\\, $t | Tail];
escape_char($\v, _Q, _Mode, Tail) -> [$\\, $v | Tail];
escape_char($\b, _Q, _Mode, Tail) -> [$\\, $b | Tail];
escape_char($\f, _Q, _Mode, Tail) -> [$\\, $f | Tail];
escape_char($\e, _Q, _Mode, Tail) -> [$\\, $e | Tail];
escape_char($\d, _Q, _Mode, Tail) -> [$\\, $d | Tail];
escape_char(C, _Q, _Mode, Tail) when C < 160 ->
    [$\\, (C bsr 6) + $0, ((C bsr 3) band 7) + $0, (C band 7) + $0 | Tail].

write_char($\s) -> "$\\s";
write_char(C) when is_integer(C), C >= 0 -> [$$ | escape_char(C, -1, all, [])].

write_latin1_char(C) when is_integer(C), C >= 0, C =< 255 ->
    [$$ | escape_char(C, -1, latin1, [])].

write_char_as_latin1(C) when is_integer(C), C >= 0 ->
    [$$ | escape_char(C, -1, escape_wide, [])].

%%====================================================================
%% 7. Pretty printer
%%
%% The term is first turned into a measured tree (node/4); every node
%% knows the length of its one-line rendering:
%%   {leaf, Len, Chars}                  text that is never broken
%%   {list, Len, Items}                  Items: see below
%%   {tuple, Len, Tagged, Items}
%%   {map, Len, Items}                   items are pair nodes
%%   {pair, Len, KeyNode, ValueNode}
%%   {bin, Len, [$<,$<,Body,$>,$>]}      byte list, may wrap
%% Items is a chain [Node | Items] ending in [], the atom 'dots' (depth
%% exhausted) or a node (improper list tail).
%%
%% Layout: if the whole term fits between the start column and the line
%% length it is written on one line.  Otherwise containers are opened
%% and their elements placed one per line, except that consecutive
%% leaves are packed onto a line while they fit.  Tuples whose first
%% element is an atom ("tagged") keep the tag on the opening line; when
%% the tag is long the elements may instead get a fixed indentation
%% (TInd), chosen by a dry run (tag_indent/3).
%%
%% Layout state:  Col = column where the node starts (1-based),
%% Ind = indentation string for continuation lines, LD = number of
%% closing characters that follow the node on its last line, W = chars
%% already on the current line (inside the term).
%%====================================================================

pretty(_Term, _Col, _Ll, 0, _Enc, _Str) -> "...";
pretty(Term, Col, Ll, D, Enc, Str) when Col =< 0 ->
    pretty(Term, 1, Ll, D, Enc, Str);
pretty(A, _Col, _Ll, _D, Enc, _Str) when is_atom(A) ->
    write_term(A, -1, Enc);
pretty(Term, Col, Ll, D, Enc, Str)
  when is_tuple(Term); is_list(Term); is_map(Term); is_bitstring(Term) ->
    Node = node(Term, D, Enc, Str),
    Len = element(2, Node),
    if
        Ll =:= 0; Len < Ll - Col ->
            flat(Node);
        true ->
            TInd = tag_indent(Node, Col, Ll, Len),
            lay(Node, Col, {Ll, Len, TInd}, spaces(Col - 1), 0, 0)
    end;
pretty(Term, _Col, _Ll, _D, _Enc, _Str) ->
    write_term(Term, -1, latin1).

%%--- building the measured tree ---

leaf(Chars) -> {leaf, chars_length(Chars), Chars}.

node([], _D, _Enc, _Str) -> {leaf, 2, "[]"};
node({}, _D, _Enc, _Str) -> {leaf, 2, "{}"};
node(M, _D, _Enc, _Str) when map_size(M) =:= 0 -> {leaf, 3, "#{}"};
node(A, _D, Enc, _Str) when is_atom(A) -> leaf(write_term(A, -1, Enc));
node(L, D, Enc, Str) when is_list(L) ->
    case Str andalso D =/= 1 andalso printable_list(L, Enc) of
        true when Enc =:= latin1 -> leaf(write_latin1_string(L));
        true -> leaf(write_string(L));
        false ->
            Items = list_items(L, D, Enc, Str),
            {list, items_length(Items, 2), Items}
    end;
node(F, _D, _Enc, _Str) when is_function(F) -> leaf(write_term(F, -1, latin1));
node(T, 1, _Enc, _Str) when is_tuple(T) -> {leaf, 5, "{...}"};
node(T, D, Enc, Str) when is_tuple(T) ->
    Items = tuple_items(T, 1, D, Enc, Str),
    Tagged = is_atom(element(1, T)) andalso tuple_size(T) > 1,
    {tuple, items_length(Items, 2), Tagged, Items};
node(M, 1, _Enc, _Str) when is_map(M) -> {leaf, 6, "#{...}"};
node(M, D, Enc, Str) when is_map(M) ->
    Items = pair_items(sorted_pairs(M), D, D - 1, Enc, Str),
    {map, items_length(Items, 3), Items};
node(<<>>, _D, _Enc, _Str) -> {leaf, 4, "<<>>"};
node(B, 1, _Enc, _Str) when is_bitstring(B) -> {leaf, 7, "<<...>>"};
node(B, D, Enc, Str) when is_bitstring(B) -> bin_node(B, D, Enc, Str);
node(X, _D, _Enc, _Str) -> leaf(write_term(X, -1, latin1)).

list_items([], _D, _Enc, _Str) -> [];
list_items(_, 1, _Enc, _Str) -> dots;
list_items([E | Es], D, Enc, Str) ->
    [node(E, D - 1, Enc, Str) | list_items(Es, D - 1, Enc, Str)];
list_items(Tail, D, Enc, Str) ->
    node(Tail, D - 1, Enc, Str).

tuple_items(T, I, _D, _Enc, _Str) when I > tuple_size(T) -> [];
tuple_items(_T, _I, 1, _Enc, _Str) -> dots;
tuple_items(T, I, D, Enc, Str) ->
    [node(element(I, T), D - 1, Enc, Str) | tuple_items(T, I + 1, D - 1, Enc, Str)].

pair_items([], _D, _D0, _Enc, _Str) -> [];
pair_items(_, 1, _D0, _Enc, _Str) -> dots;
pair_items([{K, V} | Ps], D, D0, Enc, Str) ->
    KN = node(K, D0, Enc, Str),
    VN = node(V, D0, Enc, Str),
    [{pair, element(2, KN) + 4 + element(2, VN), KN, VN}
     | pair_items(Ps, D - 1, D0, Enc, Str)].

%% Length of items with separators, plus the bracket length Acc.
items_length([], Acc) -> Acc;
items_length(dots, Acc) -> Acc + 3;
items_length([N | Rest], Acc) -> items_tail_length(Rest, Acc + element(2, N));
items_length(N, Acc) -> Acc + element(2, N).

items_tail_length([], Acc) -> Acc;
items_tail_length(dots, Acc) -> Acc + 4;
items_tail_length([N | Rest], Acc) -> items_tail_length(Rest, Acc + 1 + element(2, N));
items_tail_length(N, Acc) -> Acc + 1 + element(2, N).

%% Binaries: printable ones become string leaves, others byte lists.
bin_node(B, D, Enc, Str) ->
    D1 = D - 1,
    Printable = Str andalso bit_size(B) rem 8 =:= 0 andalso printable_bin(B, D1, Enc),
    case Printable of
        {true, L} ->
            S = write_string(L),
            {leaf, 4 + length(S), [$<, $<, S, $>, $>]};
        {false, L} ->
            S = write_string(L),
            {leaf, 9 + chars_length(S), [$<, $<, S, "/utf8>>"]};
        {true, true, Prefix} ->
            S = write_string(Prefix),
            {leaf, 7 + length(S), [$<, $<, S, "...>>"]};
        {false, true, Prefix} ->
            S = write_string(Prefix),
            {leaf, 12 + chars_length(S), [$<, $<, S, "/utf8...>>"]};
        false ->
            {S, _} = write_binary(B, D, -1),
            {bin, iolist_size(S), S}
    end.

%% At depth D a binary shows at most 4*D characters.
printable_bin(B, D, Enc) ->
    Len = case D >= 0 of
              true -> erlang:min(4 * D, byte_size(B));
              false -> byte_size(B)
          end,
    printable_bin(B, Len, D, Enc).

printable_bin(_B, 0, _D, _Enc) -> false;
printable_bin(B, Len, D, latin1) ->
    case latin1_run(B, Len) of
        all -> {true, binary_to_list(B)};
        NC when D > 0, Len - NC >= D -> {true, true, binary_to_list(B, 1, Len - NC)};
        _ -> false
    end;
printable_bin(B, Len, D, unicode) ->
    case valid_utf8(B, Len) andalso utf8_run(B, Len) of
        false ->
            printable_bin(B, Len, D, latin1);
        {N, <<>>} when Len - N =:= byte_size(B) ->
            {true, binary_to_list(B)};
        {_N, <<>>} ->
            {false, unicode:characters_to_list(B)};
        {N, Rest} when D > 0, Len - N >= D ->
            Sz = byte_size(B) - byte_size(Rest),
            Part = binary_part(B, 0, Sz),
            {Sz =:= Len - N, true, unicode:characters_to_list(Part)};
        _ ->
            false
    end.

%% Scan up to N printable latin1 bytes: all | remaining count.
latin1_run(<<>>, _N) -> all;
latin1_run(_, 0) -> 0;
latin1_run(<<C:8, Rest/binary>>, N) ->
    case printable_char(C) of
        true -> latin1_run(Rest, N - 1);
        false -> N
    end.

%% Are the first N characters valid UTF-8?
valid_utf8(<<>>, _N) -> true;
valid_utf8(_, 0) -> true;
valid_utf8(<<_/utf8, Rest/binary>>, N) -> valid_utf8(Rest, N - 1);
valid_utf8(_, _) -> false.

utf8_run(<<C/utf8, Rest/binary>> = B, N) when N > 0 ->
    case printable_char(C) of
        true -> utf8_run(Rest, N - 1);
        false -> {N, B}
    end;
utf8_run(B, N) -> {N, B}.

%% Printable range is latin1 (the OTP default, "+pc latin1").
printable_char(C) when C >= $\s, C =< $~ -> true;
printable_char(C) when C >= 16#A0, C =< 16#FF -> true;
printable_char(C) -> lists:member(C, "\n\r\t\v\b\f\e").

%%--- one-line rendering of a node ---

flat({leaf, _, S}) -> S;
flat({bin, _, S}) -> S;
flat({list, _, Items}) -> [$[, flat_items(Items, $|), $]];
flat({tuple, _, _, Items}) -> [${, flat_items(Items, $,), $}];
flat({map, _, Items}) -> [$#, ${, flat_items(Items, $,), $}];
flat({pair, _, K, V}) -> [flat(K), " => ", flat(V)].

flat_items(dots, _Sep) -> "...";
flat_items([N | Rest], Sep) -> [flat(N) | flat_tail(Rest, Sep)].

flat_tail([], _Sep) -> [];
flat_tail(dots, Sep) -> [Sep | "..."];
flat_tail([N | Rest], Sep) -> [$,, flat(N) | flat_tail(Rest, Sep)];
flat_tail(N, Sep) -> [Sep | flat(N)].

%%--- layout ---

is_leaf({leaf, _, _}) -> true;
is_leaf(_) -> false.

pair_is_leaf({pair, _, K, V}) -> is_leaf(K) andalso is_leaf(V).

%% Room for Len chars starting at Col, followed by LD closing chars.
fits(Len, Col, {Ll, M, _}, LD, W) -> Len < Ll - Col - LD andalso Len + W + LD =< M.

%% Can the next item (Len) be appended to the current line?  (Col is the
%% column after the previous item, LD1 the closing chars after it.)
packs(Len, Col, {Ll, M, _}, LD1, W) ->
    ELen = 1 + Len,
    case LD1 of
        0 -> ELen + 1 < Ll - Col andalso W + ELen + 1 =< M;
        _ -> ELen < Ll - Col - LD1 andalso W + ELen + LD1 =< M
    end.

%% Improper tail fits after the separator?
tail_packs(Len, Col, {Ll, M, _}, LD, W) ->
    Len + 1 < Ll - Col - (LD + 1) andalso Len + 1 + W + (LD + 1) =< M.

closing([_ | _], _LD) -> 0;
closing(_, LD) -> LD + 1.

spaces(N) -> copies($\s, N).

more(N, Ind) -> copies($\s, N, Ind).

lay(Node, Col, Cfg, Ind, LD, W) ->
    case fits(element(2, Node), Col, Cfg, LD, W) of
        true -> flat(Node);
        false -> lay_open(Node, Col, Cfg, Ind, LD, W)
    end.

lay_open({list, _, Items}, Col, Cfg, Ind, LD, W) ->
    [$[, lay_items(Items, Col + 1, Cfg, more(1, Ind), LD, $|, W + 1), $]];
lay_open({tuple, _, true, Items}, Col, Cfg, Ind, LD, W) ->
    [${, lay_tagged(Items, Col, Cfg, Ind, LD, W + 1), $}];
lay_open({tuple, _, false, Items}, Col, Cfg, Ind, LD, W) ->
    [${, lay_items(Items, Col + 1, Cfg, more(1, Ind), LD, $,, W + 1), $}];
lay_open({map, _, Items}, Col, Cfg, Ind, LD, W) ->
    [$#, ${, lay_pairs(Items, Col + 2, Cfg, more(2, Ind), LD, W + 1), $}];
lay_open({bin, _, S}, Col, Cfg, Ind, LD, W) ->
    lay_bin(S, Col + 2, Cfg, more(2, Ind), LD, W);
lay_open({leaf, _, S}, _Col, _Cfg, _Ind, _LD, _W) ->
    S.

lay_tagged([{leaf, TLen, Tag} | Items], Col, {_, _, TInd} = Cfg, Ind, LD, W) ->
    TagInd = TLen + 2,
    case TInd > 0 andalso TagInd > TInd of
        true ->
            [Tag | lay_rest(Items, Col + TInd, Col + TagInd, Cfg, more(TInd, Ind),
                            LD, $,, W + TLen)];
        false ->
            [Tag, $, | lay_items(Items, Col + TagInd, Cfg, more(TagInd, Ind),
                                 LD, $,, W + TLen + 1)]
    end.

%% First item, then the rest.
lay_items(dots, _Col0, _Cfg, _Ind, _LD, _Sep, _W) -> "...";
lay_items([N | Rest], Col0, Cfg, Ind, LD, Sep, W) ->
    {S, NW} = lay_item(N, Col0, Cfg, Ind, closing(Rest, LD), W),
    [S | lay_rest(Rest, Col0, Col0 + NW, Cfg, Ind, LD, Sep, W + NW)].

%% Col0: column of the items, Col: current column.
lay_rest([], _Col0, _Col, _Cfg, _Ind, _LD, _Sep, _W) -> [];
lay_rest([N | Rest], Col0, Col, Cfg, Ind, LD, Sep, W) ->
    LD1 = closing(Rest, LD),
    Len = element(2, N),
    case is_leaf(N) andalso packs(Len, Col, Cfg, LD1, W) of
        true ->
            [$,, flat(N) | lay_rest(Rest, Col0, Col + 1 + Len, Cfg, Ind, LD, Sep, W + 1 + Len)];
        false ->
            {S, NW} = lay_item(N, Col0, Cfg, Ind, LD1, 0),
            [$,, $\n, Ind, S | lay_rest(Rest, Col0, Col0 + NW, Cfg, Ind, LD, Sep, NW)]
    end;
lay_rest(dots, _Col0, _Col, _Cfg, _Ind, _LD, Sep, _W) ->
    [Sep | "..."];
lay_rest(N, Col0, Col, Cfg, Ind, LD, Sep, W) ->
    case is_leaf(N) andalso tail_packs(element(2, N), Col, Cfg, LD, W) of
        true -> [Sep | flat(N)];
        false -> [Sep, $\n, Ind | lay(N, Col0, Cfg, Ind, LD + 1, 0)]
    end.

%% Returns {Chars, Width}; a width of Ll forces the next item onto a
%% new line (anything that is not a single-line leaf).
lay_item(N, Col, {Ll, _, _} = Cfg, Ind, LD, W) ->
    Len = element(2, N),
    case is_leaf(N) andalso fits(Len, Col, Cfg, LD, W) of
        true -> {flat(N), Len};
        false -> {lay(N, Col, Cfg, Ind, LD, W), Ll}
    end.

lay_pairs(dots, _Col, _Cfg, _Ind, _LD, _W) -> "...";
lay_pairs([P | Ps], Col, Cfg, Ind, LD, W) ->
    {S, PW} = lay_pair(P, Col, Cfg, Ind, closing(Ps, LD), W),
    [S | lay_pairs_rest(Ps, Col, Col + PW, Cfg, Ind, LD, PW)].

lay_pairs_rest([], _Col0, _Col, _Cfg, _Ind, _LD, _W) -> [];
lay_pairs_rest(dots, _Col0, _Col, _Cfg, _Ind, _LD, _W) -> ",...";
lay_pairs_rest([P | Ps], Col0, Col, Cfg, Ind, LD, W) ->
    LD1 = closing(Ps, LD),
    Len = element(2, P),
    case pair_is_leaf(P) andalso packs(Len, Col, Cfg, LD1, W) of
        true ->
            [$,, flat(P) | lay_pairs_rest(Ps, Col0, Col + 1 + Len, Cfg, Ind, LD, W + 1 + Len)];
        false ->
            {S, PW} = lay_pair(P, Col0, Cfg, Ind, LD1, 0),
            [$,, $\n, Ind, S | lay_pairs_rest(Ps, Col0, Col0 + PW, Cfg, Ind, LD, PW)]
    end.

lay_pair({pair, Len, K, V} = P, Col, {Ll, _, TInd} = Cfg, Ind, LD, W) ->
    case fits(Len, Col, Cfg, LD, W) of
        true ->
            case pair_is_leaf(P) of
                true -> {flat(P), Len};
                false -> {flat(P), Ll}
            end;
        false ->
            I = value_indent(TInd),
            VInd = more(I, Ind),
            {[lay(K, Col, Cfg, Ind, LD, W), " =>\n", VInd
              | lay(V, Col + I, Cfg, VInd, LD, 0)], Ll}
    end.

value_indent(TInd) when TInd > 0 -> TInd;
value_indent(_) -> 4.

%% Byte lists wrap at commas.
lay_bin([$<, $<, Body, $>, $>], Col, {Ll, M, _}, Ind, LD, W) ->
    N = erlang:max(8, erlang:min(Ll - Col, M - 4 - W) - LD),
    [$<, $<, wrap_bytes(Body, N, N, Ind), $>, $>].

wrap_bytes([BS, $, | Rest], N, N0, Ind) ->
    Len = length(BS) + 1,
    case N - Len of
        N1 when N1 < 0 -> [$\n, Ind, BS, $, | wrap_bytes(Rest, N0 - Len, N0, Ind)];
        N1 -> [BS, $, | wrap_bytes(Rest, N1, N0, Ind)]
    end;
wrap_bytes([V, $:, S] = Last, N, _N0, Ind) when length(V) + length(S) + 1 > N ->
    [$\n, Ind, Last];
wrap_bytes(Last, N, _N0, Ind) ->
    case iolist_size(Last) > N of
        true -> [$\n, Ind, Last];
        false -> Last
    end.

%%--- choosing the indentation of tagged tuples (dry run) ---
%% Try "no fixed indentation" (-1), then 4; if both would push text past
%% half the line, use 1.

tag_indent(Node, Col, Ll, M) ->
    first_ok([-1, 4], Node, Col, Ll, M).

first_ok([], _Node, _Col, _Ll, _M) -> 1;
first_ok([I | Is], Node, Col, Ll, M) ->
    try
        probe(Node, Col, {Ll, M, I}, 0, 0),
        I
    catch
        throw:too_deep -> first_ok(Is, Node, Col, Ll, M)
    end.

%% Mirrors lay/6 without producing output.
probe(Node, Col, Cfg, LD, W) ->
    case fits(element(2, Node), Col, Cfg, LD, W) of
        true -> ok;
        false -> probe_open(Node, Col, Cfg, LD, W)
    end.

probe_open({list, _, Items}, Col, Cfg, LD, W) ->
    probe_items(Items, Col + 1, Cfg, LD, W + 1);
probe_open({tuple, _, true, Items}, Col, Cfg, LD, W) ->
    probe_tagged(Items, Col, Cfg, LD, W + 1);
probe_open({tuple, _, false, Items}, Col, Cfg, LD, W) ->
    probe_items(Items, Col + 1, Cfg, LD, W + 1);
probe_open({map, _, Items}, Col, Cfg, LD, W) ->
    probe_pairs(Items, Col + 2, Cfg, LD, W + 2);
probe_open(_, _Col, _Cfg, _LD, _W) ->
    ok.

probe_tagged([{leaf, TLen, _} | Items], Col, {Ll, M, I} = Cfg, LD, W) ->
    TagInd = TLen + 2,
    TCol = Col + TagInd,
    if
        I > 0, TagInd > I ->
            Col1 = Col + I,
            case M + Col1 =< Ll orelse Col1 =< Ll div 2 of
                true -> probe_rest(Items, Col1, TCol, Cfg, LD, W + TLen);
                false -> throw(too_deep)
            end;
        M + TCol < Ll; TCol < Ll div 2 ->
            probe_items(Items, TCol, Cfg, LD, W + TLen + 1);
        true ->
            throw(too_deep)
    end.

probe_items(dots, _Col0, _Cfg, _LD, _W) -> ok;
probe_items([N | Rest], Col0, Cfg, LD, W) ->
    NW = probe_item(N, Col0, Cfg, closing(Rest, LD), W),
    probe_rest(Rest, Col0, Col0 + NW, Cfg, LD, W + NW).

probe_rest([N | Rest], Col0, Col, Cfg, LD, W) ->
    LD1 = closing(Rest, LD),
    Len = element(2, N),
    case is_leaf(N) andalso packs(Len, Col, Cfg, LD1, W) of
        true ->
            probe_rest(Rest, Col0, Col + 1 + Len, Cfg, LD, W + 1 + Len);
        false ->
            NW = probe_item(N, Col0, Cfg, LD1, 0),
            probe_rest(Rest, Col0, Col0 + NW, Cfg, LD, NW)
    end;
probe_rest([], _Col0, _Col, _Cfg, _LD, _W) -> ok;
probe_rest(dots, _Col0, _Col, _Cfg, _LD, _W) -> ok;
probe_rest(N, _Col0, Col, Cfg, LD, W) ->
    case is_leaf(N) andalso tail_packs(element(2, N), Col, Cfg, LD, W) of
        true -> ok;
        false -> probe(N, Col, Cfg, LD + 1, 0)
    end.

probe_item(N, Col, {Ll, _, _} = Cfg, LD, W) ->
    case is_leaf(N) andalso fits(element(2, N), Col, Cfg, LD, W) of
        true -> element(2, N);
        false ->
            probe(N, Col, Cfg, LD, W),
            Ll
    end.

probe_pairs([P | Ps], Col, Cfg, LD, W) ->
    PW = probe_pair(P, Col, Cfg, closing(Ps, LD), W),
    probe_pairs_rest(Ps, Col, Col + PW, Cfg, LD, W + PW);
probe_pairs(_, _Col, _Cfg, _LD, _W) -> ok.

probe_pairs_rest([P | Ps], Col0, Col, Cfg, LD, W) ->
    LD1 = closing(Ps, LD),
    Len = element(2, P),
    case pair_is_leaf(P) andalso packs(Len, Col, Cfg, LD1, W) of
        true ->
            probe_pairs_rest(Ps, Col0, Col + 1 + Len, Cfg, LD, W + 1 + Len);
        false ->
            PW = probe_pair(P, Col0, Cfg, LD1, 0),
            probe_pairs_rest(Ps, Col0, Col0 + PW, Cfg, LD, PW)
    end;
probe_pairs_rest(_, _Col0, _Col, _Cfg, _LD, _W) -> ok.

probe_pair({pair, Len, K, V} = P, Col, {Ll, _, I} = Cfg, LD, W) ->
    case fits(Len, Col, Cfg, LD, W) of
        true ->
            case pair_is_leaf(P) of
                true -> Len;
                false -> Ll
            end;
        false ->
            probe(K, Col, Cfg, LD, W),
            probe(V, Col + value_indent(I), Cfg, LD, 0),
            Ll
    end.

%%====================================================================
%% 8. Predicates
%%====================================================================

char_list([C | Cs]) when is_integer(C), C >= 0, C < 16#D800;
                         is_integer(C), C > 16#DFFF, C < 16#FFFE;
                         is_integer(C), C > 16#FFFF, C =< 16#10FFFF ->
    char_list(Cs);
char_list([]) -> true;
char_list(_) -> false.

latin1_char_list([C | Cs]) when is_integer(C), C >= 0, C =< 255 -> latin1_char_list(Cs);
latin1_char_list([]) -> true;
latin1_char_list(_) -> false.

deep_char_list(Cs) -> deep_char_list(Cs, []).

deep_char_list([C | Cs], More) when is_list(C) -> deep_char_list(C, [Cs | More]);
deep_char_list([C | Cs], More)
  when is_integer(C), C >= 0, C < 16#D800;
       is_integer(C), C > 16#DFFF, C < 16#FFFE;
       is_integer(C), C > 16#FFFF, C =< 16#10FFFF ->
    deep_char_list(Cs, More);
deep_char_list([], [Cs | More]) -> deep_char_list(Cs, More);
deep_char_list([], []) -> true;
deep_char_list(_, _More) -> false.

deep_latin1_char_list(Cs) -> deep_latin1_char_list(Cs, []).

deep_latin1_char_list([C | Cs], More) when is_list(C) ->
    deep_latin1_char_list(C, [Cs | More]);
deep_latin1_char_list([C | Cs], More) when is_integer(C), C >= 0, C =< 255 ->
    deep_latin1_char_list(Cs, More);
deep_latin1_char_list([], [Cs | More]) -> deep_latin1_char_list(Cs, More);
deep_latin1_char_list([], []) -> true;
deep_latin1_char_list(_, _More) -> false.

%% The printable range is latin1, like OTP started without "+pc unicode".
printable_list(L) -> printable_latin1_list(L).

printable_list(L, _Enc) -> printable_latin1_list(L).

printable_latin1_list([C | Cs]) when is_integer(C), C >= $\s, C =< $~ ->
    printable_latin1_list(Cs);
printable_latin1_list([C | Cs]) when is_integer(C), C >= 16#A0, C =< 16#FF ->
    printable_latin1_list(Cs);
printable_latin1_list([C | Cs]) when C =:= $\n; C =:= $\r; C =:= $\t; C =:= $\v;
                                     C =:= $\b; C =:= $\f; C =:= $\e ->
    printable_latin1_list(Cs);
printable_latin1_list([]) -> true;
printable_latin1_list(_) -> false.

printable_unicode_list([C | Cs]) when is_integer(C), C >= $\s, C =< $~ ->
    printable_unicode_list(Cs);
printable_unicode_list([C | Cs])
  when is_integer(C), C >= 16#A0, C < 16#D800;
       is_integer(C), C > 16#DFFF, C < 16#FFFE;
       is_integer(C), C > 16#FFFF, C =< 16#10FFFF ->
    printable_unicode_list(Cs);
printable_unicode_list([C | Cs]) when C =:= $\n; C =:= $\r; C =:= $\t; C =:= $\v;
                                      C =:= $\b; C =:= $\f; C =:= $\e ->
    printable_unicode_list(Cs);
printable_unicode_list([]) -> true;
printable_unicode_list(_) -> false.
