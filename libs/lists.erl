%% @doc List processing functions for avmsim (AtomVM compatible).
%%
%% Written from the OTP 25 documentation.  The following functions are
%% natives implemented by the VM and are therefore NOT defined here:
%% reverse/1, reverse/2, keyfind/3, keymember/3, member/2, flatten/1.
%% Inside this module they are always called remotely (lists:reverse/1).
%%
%% Sorting is a stable bottom-up merge sort, so elements that compare
%% equal (for example 1 and 1.0) keep their original relative order, as
%% in OTP.
-module(lists).

-export([
    all/2, any/2, append/1, append/2, concat/1, delete/2, droplast/1,
    dropwhile/2, duplicate/2, enumerate/1, enumerate/2, enumerate/3,
    filter/2, filtermap/2, flatlength/1, flatmap/2, flatten/2,
    foldl/3, foldr/3, foreach/2, join/2,
    keydelete/3, keymap/3, keymerge/3, keyreplace/4, keysearch/3,
    keysort/2, keystore/4, keytake/3,
    last/1, map/2, mapfoldl/3, mapfoldr/3, max/1, merge/1, merge/2, merge/3,
    merge3/3, min/1, nth/2, nthtail/2, partition/2, prefix/2, search/2,
    seq/2, seq/3, sort/1, sort/2, split/2, splitwith/2, sublist/2, sublist/3,
    subtract/2, suffix/2, sum/1, takewhile/2,
    ukeymerge/3, ukeysort/2, umerge/1, umerge/2, umerge/3, umerge3/3,
    uniq/1, uniq/2, unzip/1, unzip3/1, usort/1, usort/2,
    zf/2, zip/2, zip3/3, zipwith/3, zipwith3/4
]).

%%-----------------------------------------------------------------------
%% Simple element access
%%-----------------------------------------------------------------------

%% Like OTP, the position is only checked with N > 1, so a non-number
%% position gives badarith and a bad one function_clause.
nth(1, [H | _]) -> H;
nth(N, [_ | T]) when N > 1 -> nth(N - 1, T).

nthtail(1, [_ | T]) -> T;
nthtail(N, [_ | T]) when N > 1 -> nthtail(N - 1, T);
nthtail(0, L) when is_list(L) -> L.

last([H | T]) -> last_1(H, T).

last_1(_, [H | T]) -> last_1(H, T);
last_1(X, []) -> X.

droplast([_]) -> [];
droplast([H | T]) -> [H | droplast(T)].

prefix([X | A], [X | B]) -> prefix(A, B);
prefix([], L) when is_list(L) -> true;
prefix([_ | _], L) when is_list(L) -> false.

suffix(Suffix, L) ->
    D = length(L) - length(Suffix),
    D >= 0 andalso nthtail(D, L) =:= Suffix.

%%-----------------------------------------------------------------------
%% Building lists
%%-----------------------------------------------------------------------

append(A, B) -> A ++ B.

append([L]) -> L;
append([L | Ls]) -> L ++ append(Ls);
append([]) -> [].

concat(Things) -> lists:flatten(concat_1(Things)).

concat_1([]) -> [];
concat_1([T | Ts]) -> [thing_to_list(T) | concat_1(Ts)].

thing_to_list(X) when is_integer(X) -> integer_to_list(X);
thing_to_list(X) when is_float(X) -> float_to_list(X);
thing_to_list(X) when is_atom(X) -> atom_to_list(X);
thing_to_list(X) when is_list(X) -> X.

subtract(A, B) -> A -- B.

duplicate(N, X) when is_integer(N), N >= 0 -> dup_loop(N, X, []).

dup_loop(0, _, Acc) -> Acc;
dup_loop(N, X, Acc) -> dup_loop(N - 1, X, [X | Acc]).

seq(From, To) when is_integer(From), is_integer(To), From - 1 =< To ->
    seq_down(To, From, []).

seq_down(Cur, From, Acc) when Cur >= From -> seq_down(Cur - 1, From, [Cur | Acc]);
seq_down(_, _, Acc) -> Acc.

seq(From, To, Step) when is_integer(From), is_integer(To), is_integer(Step) ->
    if
        Step > 0, From - Step =< To ->
            Count = (To - From + Step) div Step,
            seq_step(Count, From + Step * (Count - 1), Step, []);
        Step < 0, From - Step >= To ->
            Count = (To - From + Step) div Step,
            seq_step(Count, From + Step * (Count - 1), Step, []);
        Step =:= 0, From =:= To ->
            [From];
        true ->
            erlang:error(badarg, [From, To, Step])
    end;
seq(From, To, Step) ->
    erlang:error(badarg, [From, To, Step]).

seq_step(0, _, _, Acc) -> Acc;
seq_step(N, X, Step, Acc) -> seq_step(N - 1, X - Step, Step, [X | Acc]).

enumerate(L) when is_list(L) -> enum_loop(1, 1, L).

enumerate(I, L) when is_integer(I), is_list(L) -> enum_loop(I, 1, L).

enumerate(I, Step, L) when is_integer(I), is_integer(Step), is_list(L) ->
    enum_loop(I, Step, L).

enum_loop(I, S, [H | T]) -> [{I, H} | enum_loop(I + S, S, T)];
enum_loop(_, _, []) -> [].

%%-----------------------------------------------------------------------
%% Deleting / splitting
%%-----------------------------------------------------------------------

delete(X, [X | T]) -> T;
delete(X, [H | T]) -> [H | delete(X, T)];
delete(_, []) -> [].

sublist(L, N) when is_integer(N), is_list(L) -> sublist_1(L, N).

sublist_1([H | T], N) when N > 0 -> [H | sublist_1(T, N - 1)];
sublist_1(_, 0) -> [];
sublist_1(L, N) when is_list(L), N > 0 -> [].

sublist(L, 1, N) when is_list(L), is_integer(N), N >= 0 -> sublist(L, N);
sublist([], S, N) when is_integer(S), S >= 2, is_integer(N), N >= 0 -> [];
sublist([_ | T], S, N) when is_integer(S), S >= 2 -> sublist(T, S - 1, N).

split(N, L) when is_integer(N), N >= 0, is_list(L) ->
    case split_1(N, L, []) of
        {_, _} = R -> R;
        Err -> erlang:error(Err, [N, L])
    end;
split(N, L) ->
    erlang:error(badarg, [N, L]).

split_1(0, L, Acc) -> {lists:reverse(Acc), L};
split_1(N, [H | T], Acc) -> split_1(N - 1, T, [H | Acc]);
split_1(_, [], _) -> badarg.

splitwith(Pred, L) when is_function(Pred, 1) -> splitwith_1(Pred, L, []).

splitwith_1(Pred, [H | T] = L, Acc) ->
    case Pred(H) of
        true -> splitwith_1(Pred, T, [H | Acc]);
        false -> {lists:reverse(Acc), L}
    end;
splitwith_1(_, [], Acc) ->
    {lists:reverse(Acc), []}.

partition(Pred, L) when is_function(Pred, 1) -> partition_1(Pred, L, [], []).

partition_1(Pred, [H | T], Yes, No) ->
    case Pred(H) of
        true -> partition_1(Pred, T, [H | Yes], No);
        false -> partition_1(Pred, T, Yes, [H | No])
    end;
partition_1(_, [], Yes, No) ->
    {lists:reverse(Yes), lists:reverse(No)}.

takewhile(Pred, L) when is_function(Pred, 1) -> takewhile_1(Pred, L).

takewhile_1(Pred, [H | T]) ->
    case Pred(H) of
        true -> [H | takewhile_1(Pred, T)];
        false -> []
    end;
takewhile_1(_, []) -> [].

dropwhile(Pred, L) when is_function(Pred, 1) -> dropwhile_1(Pred, L).

dropwhile_1(Pred, [H | T] = L) ->
    case Pred(H) of
        true -> dropwhile_1(Pred, T);
        false -> L
    end;
dropwhile_1(_, []) -> [].

%%-----------------------------------------------------------------------
%% Higher order
%%-----------------------------------------------------------------------

%% The higher order functions check the fun first (function_clause if it
%% is not a fun of the right arity), as OTP does.

all(Pred, L) when is_function(Pred, 1) -> all_1(Pred, L).

all_1(Pred, L) ->
    case L of
        [H | T] ->
            case Pred(H) of
                true -> all_1(Pred, T);
                false -> false
            end;
        [] ->
            true
    end.

any(Pred, L) when is_function(Pred, 1) -> any_1(Pred, L).

any_1(Pred, L) ->
    case L of
        [H | T] ->
            case Pred(H) of
                true -> true;
                false -> any_1(Pred, T)
            end;
        [] ->
            false
    end.

search(Pred, L) when is_function(Pred, 1) -> search_1(Pred, L).

search_1(Pred, [H | T]) ->
    case Pred(H) of
        true -> {value, H};
        false -> search_1(Pred, T)
    end;
search_1(_, []) -> false.

map(F, L) when is_function(F, 1) -> map_1(F, L).

map_1(F, L) ->
    case L of
        [H | T] -> [F(H) | map_1(F, T)];
        [] -> []
    end.

flatmap(F, L) when is_function(F, 1) -> flatmap_1(F, L).

flatmap_1(F, [H | T]) -> F(H) ++ flatmap_1(F, T);
flatmap_1(_, []) -> [].

%% As in OTP: a non-list is a case_clause, an improper tail a function_clause.
foldl(F, Acc, L) when is_function(F, 2) ->
    case L of
        [H | T] -> foldl_1(F, F(H, Acc), T);
        [] -> Acc
    end.

foldl_1(F, Acc, [H | T]) -> foldl_1(F, F(H, Acc), T);
foldl_1(_, Acc, []) -> Acc.

foldr(F, Acc, L) when is_function(F, 2), is_list(L) ->
    foldl_1(F, Acc, lists:reverse(L));
foldr(F, Acc, L) ->
    erlang:error(function_clause, [F, Acc, L]).

foreach(F, L) when is_function(F, 1) -> foreach_1(F, L).

foreach_1(F, [H | T]) -> F(H), foreach_1(F, T);
foreach_1(_, []) -> ok.

filter(Pred, L) when is_function(Pred, 1) -> [X || X <- L, Pred(X)].

filtermap(F, L) when is_function(F, 1) -> filtermap_1(F, L).

filtermap_1(F, [H | T]) ->
    case F(H) of
        false -> filtermap_1(F, T);
        true -> [H | filtermap_1(F, T)];
        {true, V} -> [V | filtermap_1(F, T)]
    end;
filtermap_1(_, []) -> [].

zf(F, L) -> filtermap(F, L).

mapfoldl(F, Acc, L) when is_function(F, 2) -> mapfoldl_1(F, Acc, L).

mapfoldl_1(F, Acc, [H | T]) ->
    {H1, Acc1} = F(H, Acc),
    {T1, Acc2} = mapfoldl_1(F, Acc1, T),
    {[H1 | T1], Acc2};
mapfoldl_1(_, Acc, []) -> {[], Acc}.

mapfoldr(F, Acc, L) when is_function(F, 2) -> mapfoldr_1(F, Acc, L).

mapfoldr_1(F, Acc, [H | T]) ->
    {T1, Acc1} = mapfoldr_1(F, Acc, T),
    {H1, Acc2} = F(H, Acc1),
    {[H1 | T1], Acc2};
mapfoldr_1(_, Acc, []) -> {[], Acc}.

join(Sep, [H | T]) -> [H | join_1(Sep, T)];
join(_, []) -> [].

join_1(Sep, [H | T]) -> [Sep, H | join_1(Sep, T)];
join_1(_, []) -> [].

flatten(L, Tail) when is_list(L), is_list(Tail) -> flat_acc(L, Tail).

flat_acc([H | T], Tail) when is_list(H) -> flat_acc(H, flat_acc(T, Tail));
flat_acc([H | T], Tail) -> [H | flat_acc(T, Tail)];
flat_acc([], Tail) -> Tail.

flatlength(L) -> flatlen(L, 0).

flatlen([H | T], N) when is_list(H) -> flatlen(T, flatlen(H, N));
flatlen([_ | T], N) -> flatlen(T, N + 1);
flatlen([], N) -> N.

max([H | T]) -> max_1(T, H).

max_1([H | T], M) when H > M -> max_1(T, H);
max_1([_ | T], M) -> max_1(T, M);
max_1([], M) -> M.

min([H | T]) -> min_1(T, H).

min_1([H | T], M) when H < M -> min_1(T, H);
min_1([_ | T], M) -> min_1(T, M);
min_1([], M) -> M.

sum(L) -> sum_1(L, 0).

sum_1([H | T], S) -> sum_1(T, S + H);
sum_1([], S) -> S.

uniq(L) -> uniq_1(L, #{}).

uniq_1([H | T], Seen) ->
    case Seen of
        #{H := _} -> uniq_1(T, Seen);
        #{} -> [H | uniq_1(T, Seen#{H => true})]
    end;
uniq_1([], _) -> [].

uniq(F, L) when is_function(F, 1) -> uniq_2(L, F, #{}).

uniq_2([H | T], F, Seen) ->
    K = F(H),
    case Seen of
        #{K := _} -> uniq_2(T, F, Seen);
        #{} -> [H | uniq_2(T, F, Seen#{K => true})]
    end;
uniq_2([], _, _) -> [].

%%-----------------------------------------------------------------------
%% Zipping
%%-----------------------------------------------------------------------

zip([A | As], [B | Bs]) -> [{A, B} | zip(As, Bs)];
zip([], []) -> [].

zip3([A | As], [B | Bs], [C | Cs]) -> [{A, B, C} | zip3(As, Bs, Cs)];
zip3([], [], []) -> [].

zipwith(F, [A | As], [B | Bs]) -> [F(A, B) | zipwith(F, As, Bs)];
zipwith(F, [], []) when is_function(F, 2) -> [].

zipwith3(F, [A | As], [B | Bs], [C | Cs]) -> [F(A, B, C) | zipwith3(F, As, Bs, Cs)];
zipwith3(F, [], [], []) when is_function(F, 3) -> [].

unzip(L) -> unzip_1(L, [], []).

unzip_1([{A, B} | T], As, Bs) -> unzip_1(T, [A | As], [B | Bs]);
unzip_1([], As, Bs) -> {lists:reverse(As), lists:reverse(Bs)}.

unzip3(L) -> unzip3_1(L, [], [], []).

unzip3_1([{A, B, C} | T], As, Bs, Cs) -> unzip3_1(T, [A | As], [B | Bs], [C | Cs]);
unzip3_1([], As, Bs, Cs) -> {lists:reverse(As), lists:reverse(Bs), lists:reverse(Cs)}.

%%-----------------------------------------------------------------------
%% Tuple lists (keyfind/keymember are natives)
%%-----------------------------------------------------------------------

keysearch(K, N, L) ->
    case lists:keyfind(K, N, L) of
        false -> false;
        T -> {value, T}
    end.

keydelete(K, N, L) when is_integer(N), N > 0 -> keydelete_1(K, N, L).

keydelete_1(K, N, [H | T]) when element(N, H) == K -> T;
keydelete_1(K, N, [H | T]) -> [H | keydelete_1(K, N, T)];
keydelete_1(_, _, []) -> [].

keyreplace(K, N, L, New) when is_integer(N), N > 0, is_tuple(New) ->
    keyreplace_1(K, N, L, New).

keyreplace_1(K, N, [H | T], New) when element(N, H) == K -> [New | T];
keyreplace_1(K, N, [H | T], New) -> [H | keyreplace_1(K, N, T, New)];
keyreplace_1(_, _, [], _) -> [].

keystore(K, N, L, New) when is_integer(N), N > 0, is_tuple(New) ->
    keystore_1(K, N, L, New).

keystore_1(K, N, [H | T], New) when element(N, H) == K -> [New | T];
keystore_1(K, N, [H | T], New) -> [H | keystore_1(K, N, T, New)];
keystore_1(_, _, [], New) -> [New].

keytake(K, N, L) when is_integer(N), N > 0 -> keytake_1(K, N, L, []).

keytake_1(K, N, [H | T], Acc) when element(N, H) == K ->
    {value, H, lists:reverse(Acc, T)};
keytake_1(K, N, [H | T], Acc) -> keytake_1(K, N, T, [H | Acc]);
keytake_1(_, _, [], _) -> false.

keymap(F, N, [H | T]) -> [setelement(N, H, F(element(N, H))) | keymap(F, N, T)];
keymap(F, N, []) when is_integer(N), N > 0, is_function(F, 1) -> [].

%%-----------------------------------------------------------------------
%% Sorting and merging
%%
%% Everything is built on a stable merge of sorted runs (merge_all/2):
%% a merge takes from the left run whenever Le(Left, Right) holds.
%%
%% sort/2, keysort/2 and the merges are stable, as documented by OTP.
%% sort/1 is not stable in OTP for elements that compare equal without
%% being identical (1 and 1.0): the order it produces follows from how it
%% cuts the input into runs.  sort/1 below cuts runs by the same rules
%% (documented at runs_up/6 and runs_down/6) and then merges the runs
%% stably, in input order for ascending runs and in reverse order for
%% descending ones, which gives the same result as OTP.
%%-----------------------------------------------------------------------

sort([A, B | T] = L) when A =< B ->
    case T of
        [] -> L;
        [C] when B =< C -> L;
        [C] when A =< C -> [A, C, B];
        [C] -> [C, A, B];
        _ when A == B -> sort_eq(B, T, [A]);
        _ -> merge_all(runs_up(A, B, T, [], none, []), fun le/2)
    end;
sort([A, B | T]) ->
    case T of
        [] -> [B, A];
        [C] when A =< C -> [B, A, C];
        [C] when B =< C -> [B, C, A];
        [C] -> [C, B, A];
        _ -> merge_all(lists:reverse(runs_down(B, A, T, [], none, [])), fun le/2)
    end;
sort([_] = L) -> L;
sort([] = L) -> L.

le(A, B) -> A =< B.

%% A prefix of equal elements (Eqs holds the earlier ones, reversed).
sort_eq(X, [Y | T], Eqs) when X == Y -> sort_eq(Y, T, [X | Eqs]);
sort_eq(X, [Y | T], Eqs) when X < Y ->
    merge_all(runs_up(X, Y, T, Eqs, none, []), fun le/2);
sort_eq(X, [Y | T], Eqs) ->
    merge_all(lists:reverse(runs_down(Y, X, T, Eqs, none, [])), fun le/2);
sort_eq(X, [], Eqs) ->
    lists:reverse(Eqs, [X]).

%% Ascending runs.  The current run is lists:reverse(Below) ++ [Lo, Hi].
%% A new element Z goes on top if Z >= Hi, between Lo and Hi if Z >= Lo,
%% at the bottom if the run has only two elements; otherwise Z is kept
%% aside (Pend).  A second element that fits nowhere closes the run and
%% starts a new one from the two set aside elements.  Returns the runs
%% (ascending lists) in input order.
runs_up(Lo, Hi, [Z | T], Below, Pend, Done) when Z >= Hi ->
    runs_up(Hi, Z, T, [Lo | Below], Pend, Done);
runs_up(Lo, Hi, [Z | T], Below, Pend, Done) when Z >= Lo ->
    runs_up(Z, Hi, T, [Lo | Below], Pend, Done);
runs_up(Lo, Hi, [Z | T], [], none, Done) ->
    runs_up(Lo, Hi, T, [Z], none, Done);
runs_up(Lo, Hi, [Z | T], Below, none, Done) ->
    runs_up(Lo, Hi, T, Below, {pend, Z}, Done);
runs_up(Lo, Hi, [Z | T], Below, {pend, S}, Done) ->
    Run = lists:reverse(Below, [Lo, Hi]),
    case S =< Z of
        true -> runs_up(S, Z, T, [], none, [Run | Done]);
        false -> runs_up(Z, S, T, [], none, [Run | Done])
    end;
runs_up(Lo, Hi, [], Below, Pend, Done) ->
    finish_runs(lists:reverse(Below, [Lo, Hi]), Pend, Done).

%% Descending runs, the mirror image: the run is [Lo, Hi | Above]; equal
%% elements are put below, so they come out in reverse input order.
runs_down(Lo, Hi, [Z | T], Above, Pend, Done) when Z =< Lo ->
    runs_down(Z, Lo, T, [Hi | Above], Pend, Done);
runs_down(Lo, Hi, [Z | T], Above, Pend, Done) when Z =< Hi ->
    runs_down(Lo, Z, T, [Hi | Above], Pend, Done);
runs_down(Lo, Hi, [Z | T], [], none, Done) ->
    runs_down(Lo, Hi, T, [Z], none, Done);
runs_down(Lo, Hi, [Z | T], Above, none, Done) ->
    runs_down(Lo, Hi, T, Above, {pend, Z}, Done);
runs_down(Lo, Hi, [Z | T], Above, {pend, S}, Done) ->
    Run = [Lo, Hi | Above],
    case S > Z of
        true -> runs_down(Z, S, T, [], none, [Run | Done]);
        false -> runs_down(S, Z, T, [], none, [Run | Done])
    end;
runs_down(Lo, Hi, [], Above, Pend, Done) ->
    finish_runs([Lo, Hi | Above], Pend, Done).

finish_runs(Run, none, Done) -> lists:reverse(Done, [Run]);
finish_runs(Run, {pend, S}, Done) -> lists:reverse(Done, [Run, [S]]).

sort(F, L) when is_function(F, 2), is_list(L) -> msort(L, F).

%% keysort/2 is stable, with one OTP quirk reproduced: when the list
%% (of four or more elements) starts with elements that are equal as
%% whole terms (==, e.g. {1} and {1.0}) and the next element has a
%% smaller key, OTP's run detection leaves that prefix reversed.
keysort(N, L) when is_integer(N), N > 0, is_list(L) ->
    Le = fun(A, B) -> element(N, A) =< element(N, B) end,
    case L of
        [A, B, _, _ | _] when A == B -> msort(keysort_prefix(N, L), Le);
        _ -> msort(L, Le)
    end.

keysort_prefix(N, [H | T]) -> keysort_prefix(N, H, T, [H]).

keysort_prefix(N, X, [Y | T], Eqs) when X == Y -> keysort_prefix(N, Y, T, [Y | Eqs]);
keysort_prefix(N, X, [Y | _] = Rest, Eqs) ->
    case element(N, X) =< element(N, Y) of
        true -> lists:reverse(Eqs, Rest);
        false -> Eqs ++ Rest
    end;
keysort_prefix(_, _, [], Eqs) -> lists:reverse(Eqs).

usort(L) when is_list(L) ->
    dedup(msort(L, fun le/2), fun(A, B) -> A == B end).

usort(F, L) when is_function(F, 2), is_list(L) ->
    dedup(msort(L, F), fun(A, B) -> F(B, A) end).

ukeysort(N, L) when is_integer(N), N > 0, is_list(L) ->
    dedup(msort(L, fun(A, B) -> element(N, A) =< element(N, B) end),
          fun(A, B) -> element(N, A) == element(N, B) end).

%% Stable bottom-up merge sort.
msort([], _) -> [];
msort([_] = L, _) -> L;
msort(L, Le) -> merge_all(runs(L, Le), Le).

%% Split into maximal non-descending runs.
runs([H | T], Le) -> run_up(T, Le, [H], []).

run_up([H | T], Le, [P | _] = Run, Runs) ->
    case Le(P, H) of
        true -> run_up(T, Le, [H | Run], Runs);
        false -> run_up(T, Le, [H], [lists:reverse(Run) | Runs])
    end;
run_up([], _, Run, Runs) ->
    lists:reverse(Runs, [lists:reverse(Run)]).

%% Stable merge of a list of sorted runs (earlier runs win ties).
merge_all([], _) -> [];
merge_all([L], _) -> L;
merge_all(Runs, Le) -> merge_all(merge_pairs(Runs, Le), Le).

merge_pairs([A, B | T], Le) -> [merge_2(A, B, Le) | merge_pairs(T, Le)];
merge_pairs(T, _) -> T.

merge_2([A | As] = L1, [B | Bs] = L2, Le) ->
    case Le(A, B) of
        true -> [A | merge_2(As, L2, Le)];
        false -> [B | merge_2(L1, Bs, Le)]
    end;
merge_2([], L2, _) -> L2;
merge_2(L1, [], _) -> L1.

dedup([H | T], Eq) -> [H | dedup_1(T, H, Eq)];
dedup([], _) -> [].

dedup_1([H | T], Last, Eq) ->
    case Eq(Last, H) of
        true -> dedup_1(T, Last, Eq);
        false -> [H | dedup_1(T, H, Eq)]
    end;
dedup_1([], _, _) -> [].

%% As in OTP, merging with an empty second list returns the first
%% argument unchecked.
merge(L1, []) -> L1;
merge(L1, [_ | _] = L2) -> merge_2(L1, L2, fun le/2).

merge(F, L1, []) when is_function(F, 2) -> L1;
merge(F, L1, [_ | _] = L2) when is_function(F, 2) -> merge_2(L1, L2, F).

merge3(L1, L2, L3) -> merge(merge(L1, L2), L3).

merge(Ls) -> merge_all([L || L <- Ls, L =/= []], fun le/2).

keymerge(N, L1, L2) when is_integer(N), N > 0 ->
    case L2 of
        [] -> L1;
        [_ | _] -> merge_2(L1, L2, fun(A, B) -> element(N, A) =< element(N, B) end)
    end.

umerge([], L2) -> L2;
umerge([_ | _] = L1, L2) ->
    umerge_2(L1, L2, fun le/2, fun(A, B) -> A == B end).

umerge(F, [], L2) when is_function(F, 2) -> L2;
umerge(F, [_ | _] = L1, L2) when is_function(F, 2) ->
    umerge_2(L1, L2, F, fun(A, B) -> F(B, A) end).

umerge3(L1, L2, L3) -> umerge(umerge(L1, L2), L3).

umerge(Ls) when is_list(Ls) ->
    foldl(fun(L, Acc) -> umerge(Acc, L) end, [], Ls).

ukeymerge(N, L1, L2) when is_integer(N), N > 0 ->
    case L1 of
        [] -> L2;
        [_ | _] ->
            umerge_2(L1, L2,
                     fun(A, B) -> element(N, A) =< element(N, B) end,
                     fun(A, B) -> element(N, A) == element(N, B) end)
    end.

%% Merge two sorted lists; an element of L2 that is equal to the head of
%% L1 is dropped (L1 wins).
umerge_2([A | As] = L1, [B | Bs] = L2, Le, Eq) ->
    case Le(A, B) of
        true ->
            case Eq(A, B) of
                true -> [A | umerge_2(As, Bs, Le, Eq)];
                false -> [A | umerge_2(As, L2, Le, Eq)]
            end;
        false ->
            [B | umerge_2(L1, Bs, Le, Eq)]
    end;
umerge_2([], L2, _, _) -> L2;
umerge_2(L1, [], _, _) -> L1.
