%% @doc String functions for avmsim (AtomVM compatible).
%%
%% Both the OTP 20+ "new" API (chardata, grapheme clusters, binary in
%% gives binary out) and the old list based API are provided.
%%
%% Limits compared with OTP:
%% <ul>
%% <li>Grapheme clusters: "\r\n" is one cluster and a code point followed
%%     by combining marks (U+0300..U+036F and a few other Extend ranges,
%%     ZWJ, variation selectors, emoji modifiers) is one cluster.  Hangul
%%     syllable sequences, regional indicator pairs, prepend and
%%     spacing marks are not joined.</li>
%% <li>Case mapping covers ASCII, Latin-1, Latin Extended-A and
%%     Additional, Greek, Cyrillic, Armenian and full-width Latin, with
%%     the special cases of U+00DF (sharp s).  Other scripts are left
%%     unchanged.</li>
%% <li>equal/4 ignores the normalization argument (no NFC/NFD tables).</li>
%% <li>Functions returning chardata return a flat list (or a binary where
%%     OTP returns a binary); OTP may return a deep list with the same
%%     characters.  The same holds for the rest returned by next_grapheme/1,
%%     next_codepoint/1, to_integer/1 and to_float/1 on deep chardata.</li>
%% <li>Invalid UTF-8 in binaries raises badarg instead of being passed
%%     through.</li>
%% <li>jaro_similarity/2 answers 0.0 for any input, as AtomVM's estdlib does (an app
%%     gets the device's answer, not OTP's similarity).</li>
%% </ul>
-module(string).

-compile({no_auto_import, [length/1]}).

-export([
    %% new API
    length/1, is_empty/1, reverse/1, equal/2, equal/3, equal/4,
    slice/2, slice/3, pad/2, pad/3, pad/4, trim/1, trim/2, trim/3,
    chomp/1, take/2, take/3, take/4, split/2, split/3, lexemes/2,
    find/2, find/3, replace/3, replace/4, next_grapheme/1, next_codepoint/1,
    uppercase/1, lowercase/1, titlecase/1, casefold/1,
    to_integer/1, to_float/1, prefix/2,
    %% old API
    len/1, concat/2, chr/2, rchr/2, str/2, rstr/2, span/2, cspan/2,
    substr/2, substr/3, sub_string/2, sub_string/3, tokens/2, join/2,
    strip/1, strip/2, strip/3, words/1, words/2, sub_word/2, sub_word/3,
    left/2, left/3, right/2, right/3, centre/2, centre/3, copies/2,
    to_upper/1, to_lower/1,
    jaro_similarity/2
]).

%%=======================================================================
%% Chardata helpers
%%=======================================================================

%% Flat list of code points.
cps(B) when is_binary(B) -> conv(B);
cps(L) when is_list(L) ->
    case is_flat(L) of
        true -> L;
        false -> conv(L)
    end;
cps(_) -> erlang:error(badarg).

is_flat([C | T]) when is_integer(C) -> is_flat(T);
is_flat([]) -> true;
is_flat(_) -> false.

conv(CD) ->
    case unicode:characters_to_list(CD) of
        L when is_list(L) -> L;
        _ -> erlang:error(badarg)
    end.

%% Give the result the type of the original input.
out(Orig, L) when is_binary(Orig) -> unicode:characters_to_binary(L);
out(_, L) -> L.

%% Split a code point list into grapheme clusters: an integer for a
%% single code point cluster, otherwise a list of code points.
gcs([$\r, $\n | T]) -> [[$\r, $\n] | gcs(T)];
gcs([C | T]) -> gc_ext(T, C, []);
gcs([]) -> [].

gc_ext([E | T], C, Acc) when E >= 16#300 ->
    case is_extend(E) of
        true -> gc_ext(T, C, [E | Acc]);
        false -> [gc_make(C, Acc) | gcs([E | T])]
    end;
gc_ext(T, C, Acc) -> [gc_make(C, Acc) | gcs(T)].

gc_make(C, []) -> C;
gc_make(C, Acc) -> [C | lists:reverse(Acc)].

is_extend(E) ->
    (E >= 16#300 andalso E =< 16#36F) orelse
    (E >= 16#483 andalso E =< 16#489) orelse
    (E >= 16#591 andalso E =< 16#5BD) orelse
    (E >= 16#1AB0 andalso E =< 16#1AFF) orelse
    (E >= 16#1DC0 andalso E =< 16#1DFF) orelse
    (E >= 16#200C andalso E =< 16#200D) orelse
    (E >= 16#20D0 andalso E =< 16#20FF) orelse
    (E >= 16#FE00 andalso E =< 16#FE0F) orelse
    (E >= 16#FE20 andalso E =< 16#FE2F) orelse
    (E >= 16#1F3FB andalso E =< 16#1F3FF) orelse
    (E >= 16#E0020 andalso E =< 16#E007F) orelse
    (E >= 16#E0100 andalso E =< 16#E01EF).

%% Flatten a list of clusters back to code points.
flat(Gcs) -> lists:flatten(Gcs).

%% Grapheme list of a separator/character set argument.
gc_set(Set) when is_list(Set) -> [norm_gc(G) || G <- Set].

norm_gc(C) when is_integer(C) -> C;
norm_gc([C]) when is_integer(C) -> C;
norm_gc(L) when is_list(L) -> L.

in_set(G, Set) -> lists:member(G, Set).

%% Units used when scanning for members of a separator set (trim, take,
%% lexemes): at a code point that starts some separator the whole
%% grapheme cluster starting there is one unit, any other code point is
%% a unit by itself.  So "\n" alone is found inside "\r\n" but "\r" is
%% not, as in OTP.
units(L, Set) -> units_1(L, [first_cp(G) || G <- Set]).

units_1([C | T] = L, Firsts) ->
    case lists:member(C, Firsts) of
        true ->
            [G | Rest] = gcs_one(L),
            [G | units_1(Rest, Firsts)];
        false ->
            [C | units_1(T, Firsts)]
    end;
units_1([], _) -> [].

first_cp([C | _]) -> C;
first_cp(C) -> C.

%% Pattern search (split, find, replace): a code point match whose end
%% is on a grapheme cluster boundary.
%% search(L, Pat, Acc) -> {ReversedBefore, After} | nomatch
search([C | T] = L, Pat, Acc) ->
    case match_at(Pat, L) of
        {ok, Rest} -> {Acc, Rest};
        nomatch -> search(T, Pat, [C | Acc])
    end;
search([], _, _) -> nomatch.

%% Last match: {Before, After} | nomatch
search_last(L, Pat) -> search_last(L, Pat, [], nomatch).

search_last([C | T] = L, Pat, Acc, Found) ->
    case match_at(Pat, L) of
        {ok, Rest} -> search_last(T, Pat, [C | Acc], {Acc, Rest});
        nomatch -> search_last(T, Pat, [C | Acc], Found)
    end;
search_last([], _, _, Found) -> Found.

match_at([X], [X | Rest]) ->
    case boundary(X, Rest) of
        true -> {ok, Rest};
        false -> nomatch
    end;
match_at([X | P], [X | L]) -> match_at(P, L);
match_at(_, _) -> nomatch.

boundary($\r, [$\n | _]) -> false;
boundary(_, [N | _]) when N >= 16#300 -> not is_extend(N);
boundary(_, _) -> true.

whitespace() ->
    [[$\r, $\n], $\t, $\n, $\v, $\f, $\r, $\s, 16#85, 16#200E, 16#200F,
     16#2028, 16#2029].

%%=======================================================================
%% New API
%%=======================================================================

length(S) -> count_gcs(cps(S), 0).

count_gcs([$\r, $\n | T], N) -> count_gcs(T, N + 1);
count_gcs([_ | T], N) -> count_gcs(skip_ext(T), N + 1);
count_gcs([], N) -> N.

skip_ext([E | T] = L) when E >= 16#300 ->
    case is_extend(E) of
        true -> skip_ext(T);
        false -> L
    end;
skip_ext(L) -> L.

is_empty(S) -> cps(S) =:= [].

reverse(S) -> lists:reverse(gcs(cps(S))).

equal(A, B) -> cps(A) =:= cps(B).

equal(A, B, false) -> equal(A, B);
equal(A, B, true) -> fold_cps(cps(A)) =:= fold_cps(cps(B)).

equal(A, B, IgnoreCase, Norm)
  when Norm =:= none; Norm =:= nfc; Norm =:= nfd; Norm =:= nfkc; Norm =:= nfkd ->
    equal(A, B, IgnoreCase).

slice(S, Start) -> slice(S, Start, infinity).

slice(S, Start, Len) when is_integer(Start), Start >= 0,
                          (Len =:= infinity orelse (is_integer(Len) andalso Len >= 0)) ->
    Gcs = drop_n(Start, gcs(cps(S))),
    out(S, flat(take_n(Len, Gcs))).

drop_n(0, L) -> L;
drop_n(_, []) -> [];
drop_n(N, [_ | T]) -> drop_n(N - 1, T).

take_n(infinity, L) -> L;
take_n(0, _) -> [];
take_n(_, []) -> [];
take_n(N, [H | T]) -> [H | take_n(N - 1, T)].

pad(S, Len) -> pad(S, Len, trailing, $\s).

pad(S, Len, Dir) -> pad(S, Len, Dir, $\s).

pad(S, Len, Dir, Char) when is_integer(Len) ->
    L = cps(S),
    case Len - count_gcs(L, 0) of
        N when N =< 0 ->
            L;
        N ->
            Fill = fun(K) -> flat(lists:duplicate(K, Char)) end,
            case Dir of
                leading -> Fill(N) ++ L;
                trailing -> L ++ Fill(N);
                both -> Fill(N div 2) ++ L ++ Fill(N - N div 2)
            end
    end.

trim(S) -> trim(S, both).

trim(S, Dir) -> trim(S, Dir, whitespace()).

trim(S, Dir, Seps) when Dir =:= leading; Dir =:= trailing; Dir =:= both ->
    Set = gc_set(Seps),
    G = units(cps(S), Set),
    G1 = case Dir of
             trailing -> G;
             _ -> drop_set(G, Set)
         end,
    G2 = case Dir of
             leading -> G1;
             _ -> lists:reverse(drop_set(lists:reverse(G1), Set))
         end,
    out(S, flat(G2)).

drop_set([G | T] = L, Set) ->
    case in_set(G, Set) of
        true -> drop_set(T, Set);
        false -> L
    end;
drop_set([], _) -> [].

chomp(S) ->
    G = lists:reverse(units(cps(S), [$\n, [$\r, $\n]])),
    out(S, flat(lists:reverse(drop_set(G, [$\n, [$\r, $\n]])))).

take(S, Seps) -> take(S, Seps, false, leading).

take(S, Seps, Complement) -> take(S, Seps, Complement, leading).

take(S, Seps, Complement, Dir) when is_boolean(Complement) ->
    Set = gc_set(Seps),
    Want = fun(G) -> in_set(G, Set) =/= Complement end,
    G = units(cps(S), Set),
    case Dir of
        leading ->
            {A, B} = lists:splitwith(Want, G),
            {out(S, flat(A)), out(S, flat(B))};
        trailing ->
            {A, B} = lists:splitwith(Want, lists:reverse(G)),
            {out(S, flat(lists:reverse(B))), out(S, flat(lists:reverse(A)))}
    end.

split(S, Pat) -> split(S, Pat, leading).

split(S, Pat, Where) ->
    P = cps(Pat),
    L = cps(S),
    case P of
        [] ->
            [S];
        _ ->
            Parts = case Where of
                        leading -> split_lead(L, P);
                        trailing -> split_trail(L, P);
                        all -> split_all(L, P)
                    end,
            [out(S, X) || X <- Parts]
    end.

split_lead(L, P) ->
    case search(L, P, []) of
        {Before, After} -> [lists:reverse(Before), After];
        nomatch -> [L]
    end.

split_trail(L, P) ->
    case search_last(L, P) of
        {Before, After} -> [lists:reverse(Before), After];
        nomatch -> [L]
    end.

split_all(L, P) ->
    case search(L, P, []) of
        {Before, After} -> [lists:reverse(Before) | split_all(After, P)];
        nomatch -> [L]
    end.

lexemes(S, Seps) ->
    Set = gc_set(Seps),
    [out(S, flat(X)) || X <- lexemes_1(units(cps(S), Set), Set, [], []), X =/= []].

lexemes_1([G | T], Set, Cur, Acc) ->
    case in_set(G, Set) of
        true -> lexemes_1(T, Set, [], [lists:reverse(Cur) | Acc]);
        false -> lexemes_1(T, Set, [G | Cur], Acc)
    end;
lexemes_1([], _, Cur, Acc) ->
    lists:reverse([lists:reverse(Cur) | Acc]).

find(S, Pat) -> find(S, Pat, leading).

find(S, Pat, Dir) ->
    P = cps(Pat),
    L = cps(S),
    R = case P of
            [] -> empty;
            _ when Dir =:= leading -> search(L, P, []);
            _ when Dir =:= trailing -> search_last(L, P)
        end,
    case R of
        empty -> S;
        {Before, _} -> out(S, lists:nthtail(erlang:length(Before), L));
        nomatch -> nomatch
    end.

replace(S, Pat, Rep) -> replace(S, Pat, Rep, leading).

replace(S, Pat, Rep, Where) ->
    Parts = [cps(X) || X <- split(S, Pat, Where)],
    R = cps(Rep),
    join_cps(Parts, R).

join_cps([H | T], R) -> H ++ lists:append([R ++ X || X <- T]);
join_cps([], _) -> [].

next_grapheme(S) ->
    case cps(S) of
        [] -> [];
        L ->
            [G | Rest] = gcs_one(L),
            [G | out(S, Rest)]
    end.

%% Only the first cluster is split off.
gcs_one([$\r, $\n | T]) -> [[$\r, $\n] | T];
gcs_one([C | T]) ->
    case skip_ext(T) of
        T -> [C | T];
        Rest -> [[C | lists:sublist(T, erlang:length(T) - erlang:length(Rest))] | Rest]
    end.

next_codepoint(S) ->
    case cps(S) of
        [] -> [];
        [C | Rest] -> [C | out(S, Rest)]
    end.

prefix(S, Pre) ->
    case prefix_1(cps(Pre), cps(S)) of
        {ok, Rest} -> out(S, Rest);
        nomatch -> nomatch
    end.

prefix_1([C | P], [C | S]) -> prefix_1(P, S);
prefix_1([], S) -> {ok, S};
prefix_1(_, _) -> nomatch.

%%-----------------------------------------------------------------------
%% Numbers
%%-----------------------------------------------------------------------

to_integer(S) ->
    case to_cps_safe(S) of
        error ->
            {error, badarg};
        L ->
            {Sign, L1} = sign(L),
            case digits(L1, []) of
                {[], _} -> {error, no_integer};
                {Ds, Rest} -> {list_to_integer(Sign ++ Ds), out(S, Rest)}
            end
    end.

to_float(S) ->
    case to_cps_safe(S) of
        error ->
            {error, badarg};
        L ->
            {Sign, L1} = sign(L),
            case digits(L1, []) of
                {[], _} ->
                    {error, no_float};
                {Int, [Dot | L2]} when Dot =:= $.; Dot =:= $, ->
                    case digits(L2, []) of
                        {[], _} ->
                            {error, no_float};
                        {Frac, L3} ->
                            {Exp, Rest} = exponent(L3),
                            try list_to_float(Sign ++ Int ++ "." ++ Frac ++ Exp) of
                                F -> {F, out(S, Rest)}
                            catch
                                error:badarg -> {error, no_float}
                            end
                    end;
                _ ->
                    {error, no_float}
            end
    end.

to_cps_safe(B) when is_binary(B) ->
    case unicode:characters_to_list(B) of
        L when is_list(L) -> L;
        _ -> error
    end;
to_cps_safe(L) when is_list(L) ->
    case is_flat(L) of
        true -> L;
        false ->
            case catch unicode:characters_to_list(L) of
                R when is_list(R) -> R;
                _ -> error
            end
    end;
to_cps_safe(_) -> error.

sign([$- | T]) -> {"-", T};
sign([$+ | T]) -> {"+", T};
sign(T) -> {"", T}.

digits([C | T], Acc) when C >= $0, C =< $9 -> digits(T, [C | Acc]);
digits(T, Acc) -> {lists:reverse(Acc), T}.

exponent([E | T] = L) when E =:= $e; E =:= $E ->
    {Sign, T1} = sign(T),
    case digits(T1, []) of
        {[], _} -> {"", L};
        {Ds, Rest} -> {"e" ++ Sign ++ Ds, Rest}
    end;
exponent(L) -> {"", L}.

%%-----------------------------------------------------------------------
%% Case conversion (new API)
%%-----------------------------------------------------------------------

uppercase(S) -> out(S, upper_cps(cps(S))).

lowercase(S) -> out(S, lower_cps(cps(S))).

lower_cps([16#130 | T]) -> [$i, 16#307 | lower_cps(T)];
lower_cps([C | T]) -> [lower_cp(C) | lower_cps(T)];
lower_cps([]) -> [].

casefold(S) -> out(S, fold_cps(cps(S))).

titlecase(S) ->
    case cps(S) of
        [] -> S;
        [C | T] -> out(S, title_cp(C) ++ T)
    end.

upper_cps([16#DF | T]) -> [$S, $S | upper_cps(T)];
upper_cps([16#149 | T]) -> [16#2BC, $N | upper_cps(T)];
upper_cps([C | T]) -> [upper_cp(C) | upper_cps(T)];
upper_cps([]) -> [].

fold_cps([16#DF | T]) -> [$s, $s | fold_cps(T)];
fold_cps([16#3C2 | T]) -> [16#3C3 | fold_cps(T)];
fold_cps([16#B5 | T]) -> [16#3BC | fold_cps(T)];
fold_cps([16#17F | T]) -> [$s | fold_cps(T)];
fold_cps([16#130 | T]) -> [$i, 16#307 | fold_cps(T)];
fold_cps([16#149 | T]) -> [16#2BC, $n | fold_cps(T)];
fold_cps([C | T]) -> [lower_cp(C) | fold_cps(T)];
fold_cps([]) -> [].

title_cp(16#DF) -> [$S, $s];
title_cp(16#149) -> [16#2BC, $N];
title_cp(C) when C >= 16#1C4, C =< 16#1CC -> [16#1C4 + 3 * ((C - 16#1C4) div 3) + 1];
title_cp(C) when C >= 16#1F1, C =< 16#1F3 -> [16#1F2];
title_cp(C) -> [upper_cp(C)].

upper_cp(C) when C >= $a, C =< $z -> C - 32;
upper_cp(C) when C < 16#B5 -> C;
upper_cp(16#B5) -> 16#39C;
upper_cp(C) when C >= 16#E0, C =< 16#FE, C =/= 16#F7 -> C - 32;
upper_cp(16#FF) -> 16#178;
upper_cp(C) when C >= 16#100, C =< 16#17F -> latin_a_upper(C);
upper_cp(C) when C >= 16#1C4, C =< 16#1CC -> 16#1C4 + 3 * ((C - 16#1C4) div 3);
upper_cp(C) when C >= 16#1F1, C =< 16#1F3 -> 16#1F1;
upper_cp(C) when C >= 16#3AC, C =< 16#3CE -> greek_upper(C);
upper_cp(C) when C >= 16#430, C =< 16#44F -> C - 32;
upper_cp(C) when C >= 16#450, C =< 16#45F -> C - 80;
upper_cp(C) when C >= 16#460, C =< 16#4BF, C < 16#482 orelse C >= 16#48A ->
    pair_upper(C, 0);
upper_cp(C) when C >= 16#561, C =< 16#586 -> C - 48;
upper_cp(C) when C >= 16#1E00, C =< 16#1EFF, C < 16#1E96 orelse C >= 16#1EA0 ->
    pair_upper(C, 0);
upper_cp(C) when C >= 16#FF41, C =< 16#FF5A -> C - 32;
upper_cp(C) -> C.

lower_cp(C) when C >= $A, C =< $Z -> C + 32;
lower_cp(C) when C < 16#C0 -> C;
lower_cp(C) when C =< 16#DE, C =/= 16#D7 -> C + 32;
lower_cp(C) when C >= 16#100, C =< 16#17F -> latin_a_lower(C);
lower_cp(C) when C >= 16#1C4, C =< 16#1CC -> 16#1C4 + 3 * ((C - 16#1C4) div 3) + 2;
lower_cp(C) when C >= 16#1F1, C =< 16#1F3 -> 16#1F3;
lower_cp(C) when C >= 16#386, C =< 16#3AB -> greek_lower(C);
lower_cp(C) when C >= 16#400, C =< 16#40F -> C + 80;
lower_cp(C) when C >= 16#410, C =< 16#42F -> C + 32;
lower_cp(C) when C >= 16#460, C =< 16#4BF, C < 16#482 orelse C >= 16#48A ->
    pair_lower(C, 0);
lower_cp(C) when C >= 16#531, C =< 16#556 -> C + 48;
lower_cp(C) when C >= 16#1E00, C =< 16#1EFF, C < 16#1E96 orelse C >= 16#1EA0 ->
    pair_lower(C, 0);
lower_cp(C) when C >= 16#FF21, C =< 16#FF3A -> C + 32;
lower_cp(C) -> C.

%% Pairs where the upper case letter has parity P.
pair_upper(C, P) when C rem 2 =/= P -> C - 1;
pair_upper(C, _) -> C.

pair_lower(C, P) when C rem 2 =:= P -> C + 1;
pair_lower(C, _) -> C.

latin_a_upper(16#131) -> $I;
latin_a_upper(16#17F) -> $S;
latin_a_upper(C) when C =< 16#137, C =/= 16#130 -> pair_upper(C, 0);
latin_a_upper(C) when C >= 16#139, C =< 16#148 -> pair_upper(C, 1);
latin_a_upper(C) when C >= 16#14A, C =< 16#177 -> pair_upper(C, 0);
latin_a_upper(C) when C >= 16#179, C =< 16#17E -> pair_upper(C, 1);
latin_a_upper(C) -> C.

latin_a_lower(16#130) -> $i;
latin_a_lower(16#178) -> 16#FF;
latin_a_lower(C) when C =< 16#137 -> pair_lower(C, 0);
latin_a_lower(C) when C >= 16#139, C =< 16#148 -> pair_lower(C, 1);
latin_a_lower(C) when C >= 16#14A, C =< 16#177 -> pair_lower(C, 0);
latin_a_lower(C) when C >= 16#179, C =< 16#17E -> pair_lower(C, 1);
latin_a_lower(C) -> C.

greek_upper(16#3AC) -> 16#386;
greek_upper(C) when C >= 16#3AD, C =< 16#3AF -> C - 37;
greek_upper(16#3C2) -> 16#3A3;
greek_upper(C) when C >= 16#3B1, C =< 16#3CB -> C - 32;
greek_upper(16#3CC) -> 16#38C;
greek_upper(C) when C >= 16#3CD, C =< 16#3CE -> C - 63;
greek_upper(C) -> C.

greek_lower(16#386) -> 16#3AC;
greek_lower(C) when C >= 16#388, C =< 16#38A -> C + 37;
greek_lower(16#38C) -> 16#3CC;
greek_lower(C) when C >= 16#38E, C =< 16#38F -> C + 63;
greek_lower(16#3A2) -> 16#3A2;
greek_lower(C) when C >= 16#391, C =< 16#3AB -> C + 32;
greek_lower(C) -> C.

%%=======================================================================
%% Old (list based) API
%%=======================================================================

len(S) when is_list(S) -> erlang:length(S).

concat(A, B) -> A ++ B.

chr(S, C) when is_integer(C) -> chr_1(S, C, 1).

chr_1([C | _], C, I) -> I;
chr_1([_ | T], C, I) -> chr_1(T, C, I + 1);
chr_1([], _, _) -> 0.

rchr(S, C) when is_integer(C) -> rchr_1(S, C, 1, 0).

rchr_1([C | T], C, I, _) -> rchr_1(T, C, I + 1, I);
rchr_1([_ | T], C, I, Last) -> rchr_1(T, C, I + 1, Last);
rchr_1([], _, _, Last) -> Last.

str(S, Sub) when is_list(Sub) -> str_1(S, Sub, 1).

str_1([C | T] = S, [C | _] = Sub, I) ->
    case lists:prefix(Sub, S) of
        true -> I;
        false -> str_1(T, Sub, I + 1)
    end;
str_1([_ | T], Sub, I) -> str_1(T, Sub, I + 1);
str_1([], _, _) -> 0.

rstr(S, Sub) when is_list(Sub) -> rstr_1(S, Sub, 1, 0).

rstr_1([C | T] = S, [C | _] = Sub, I, Last) ->
    case lists:prefix(Sub, S) of
        true -> rstr_1(T, Sub, I + 1, I);
        false -> rstr_1(T, Sub, I + 1, Last)
    end;
rstr_1([_ | T], Sub, I, Last) -> rstr_1(T, Sub, I + 1, Last);
rstr_1([], _, _, Last) -> Last.

span(S, Cs) when is_list(Cs) -> span_1(S, Cs, true, 0).

cspan(S, Cs) when is_list(Cs) -> span_1(S, Cs, false, 0).

span_1([C | T], Cs, In, N) ->
    case lists:member(C, Cs) of
        In -> span_1(T, Cs, In, N + 1);
        _ -> N
    end;
span_1([], _, _, N) -> N.

substr(S, Start) when is_integer(Start), Start >= 1 ->
    lists:nthtail(Start - 1, S).

substr(S, Start, Len) when is_integer(Start), Start >= 1, is_integer(Len), Len >= 0 ->
    lists:sublist(lists:nthtail(Start - 1, S), Len).

sub_string(S, Start) -> substr(S, Start).

sub_string(S, Start, Stop) -> substr(S, Start, Stop - Start + 1).

tokens(S, Seps) -> tokens_1(S, Seps, [], []).

tokens_1([C | T], Seps, Cur, Acc) ->
    case lists:member(C, Seps) of
        true when Cur =:= [] -> tokens_1(T, Seps, [], Acc);
        true -> tokens_1(T, Seps, [], [lists:reverse(Cur) | Acc]);
        false -> tokens_1(T, Seps, [C | Cur], Acc)
    end;
tokens_1([], _, [], Acc) -> lists:reverse(Acc);
tokens_1([], _, Cur, Acc) -> lists:reverse([lists:reverse(Cur) | Acc]).

join([H | T], Sep) -> H ++ lists:append([Sep ++ X || X <- T]);
join([], _) -> [].

strip(S) -> strip(S, both).

strip(S, Dir) -> strip(S, Dir, $\s).

strip(S, left, C) -> strip_left(S, C);
strip(S, right, C) -> lists:reverse(strip_left(lists:reverse(S), C));
strip(S, both, C) -> lists:reverse(strip_left(lists:reverse(strip_left(S, C)), C)).

strip_left([C | T], C) -> strip_left(T, C);
strip_left(S, _) -> S.

words(S) -> words(S, $\s).

words(S, C) when is_integer(C) ->
    case erlang:length(word_list(S, C, [], [])) of
        0 -> 1;
        N -> N
    end.

word_list([C | T], C, [], Acc) -> word_list(T, C, [], Acc);
word_list([C | T], C, Cur, Acc) -> word_list(T, C, [], [lists:reverse(Cur) | Acc]);
word_list([X | T], C, Cur, Acc) -> word_list(T, C, [X | Cur], Acc);
word_list([], _, [], Acc) -> lists:reverse(Acc);
word_list([], _, Cur, Acc) -> lists:reverse([lists:reverse(Cur) | Acc]).

sub_word(S, N) -> sub_word(S, N, $\s).

sub_word(S, N, C) when is_integer(N), is_integer(C) ->
    Ws = word_list(S, C, [], []),
    case N =< erlang:length(Ws) andalso N >= 1 of
        true -> lists:nth(N, Ws);
        false -> []
    end.

left(S, N) -> left(S, N, $\s).

left(S, N, C) when is_integer(C) ->
    L = erlang:length(S),
    if
        L > N -> substr(S, 1, N);
        L < N -> S ++ lists:duplicate(N - L, C);
        true -> S
    end.

right(S, N) -> right(S, N, $\s).

right(S, N, C) when is_integer(C) ->
    L = erlang:length(S),
    if
        L > N -> substr(S, L - N + 1);
        L < N -> lists:duplicate(N - L, C) ++ S;
        true -> S
    end.

centre(S, N) -> centre(S, N, $\s).

centre(_, 0, C) when is_integer(C) -> [];
centre(S, N, C) when is_integer(C) ->
    L = erlang:length(S),
    if
        L > N -> substr(S, (L - N) div 2 + 1, N);
        L < N ->
            Left = (N - L) div 2,
            lists:duplicate(Left, C) ++ S ++ lists:duplicate(N - L - Left, C);
        true -> S
    end.

copies(S, N) when is_integer(N), N >= 0 -> lists:append(lists:duplicate(N, S)).

to_upper(S) when is_list(S) -> [old_upper(C) || C <- S];
to_upper(C) when is_integer(C) -> old_upper(C).

to_lower(S) when is_list(S) -> [old_lower(C) || C <- S];
to_lower(C) when is_integer(C) -> old_lower(C).

old_upper(C) when C >= $a, C =< $z -> C - 32;
old_upper(C) when C >= 16#E0, C =< 16#FE, C =/= 16#F7 -> C - 32;
old_upper(C) -> C.

old_lower(C) when C >= $A, C =< $Z -> C + 32;
old_lower(C) when C >= 16#C0, C =< 16#DE, C =/= 16#D7 -> C + 32;
old_lower(C) -> C.

%% AtomVM's estdlib answers 0.0 whatever the strings (see the module doc).
jaro_similarity(_String1, _String2) -> 0.0.
