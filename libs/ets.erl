%% @doc ETS functions that take funs, for avmsim (AtomVM compatible).
%%
%% Natives implemented by the VM (vm/nifs/ets_nifs.py; NOT defined here):
%% new/2, insert/2, insert_new/2, lookup/2, lookup_element/3,4, member/2,
%% delete/1,2, delete_object/2, delete_all_objects/1, take/2,
%% update_counter/3,4, update_element/3,4, tab2list/1, first/1, next/2,
%% last/1, prev/2, info/1,2, whereis/1, all/0, rename/2, give_away/3.
%%
%% A native cannot call a fun, so the folds live here. As in OTP they visit
%% the keys from first/1 on with next/2 (foldl) or from last/1 on with
%% prev/2 (foldr), and the objects of each key in lookup/2's order (foldl)
%% or reversed (foldr); for tables other than ordered_set, last/prev are
%% synonyms of first/next. The keys are collected before the fun is first
%% called: objects the fun deletes are skipped, keys it adds are not seen.
%%
%% Match specifications (select/2,3, match/2, match_object/2, fun2ms/1,
%% select_delete/2...) are not provided.
-module(ets).

-export([foldl/3, foldr/3]).

%% @doc Fold F over every object of Table, from the first key to the last.
foldl(F, Acc, Table) when is_function(F, 2) ->
    Keys = keys(Table, ets:first(Table), next, []),
    fold_keys(F, Acc, Table, Keys, fun lists:foldl/3).

%% @doc Fold F over every object of Table, from the last key to the first.
foldr(F, Acc, Table) when is_function(F, 2) ->
    Keys = keys(Table, ets:last(Table), prev, []),
    fold_keys(F, Acc, Table, Keys, fun lists:foldr/3).

keys(_Table, '$end_of_table', _Step, Keys) ->
    lists:reverse(Keys);
keys(Table, Key, Step, Keys) ->
    keys(Table, ets:Step(Table, Key), Step, [Key | Keys]).

fold_keys(F, Acc, Table, [Key | Keys], Fold) ->
    fold_keys(F, Fold(F, Acc, ets:lookup(Table, Key)), Table, Keys, Fold);
fold_keys(_F, Acc, _Table, [], _Fold) ->
    Acc.
