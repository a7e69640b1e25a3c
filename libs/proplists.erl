%% @doc Property list functions for avmsim (AtomVM compatible).
%%
%% A property is either an atom `A' (short for `{A, true}') or a tuple
%% whose first element is the key.  Implemented: property/1,2, unfold/1,
%% compact/1, lookup/2, lookup_all/2, is_defined/2, get_value/2,3,
%% get_all_values/2, append_values/2, get_bool/2, get_keys/1, delete/2,
%% substitute_aliases/2, substitute_negations/2, normalize/2 (stages
%% aliases, negations and expansions), split/2, to_map/1,2,
%% from_map/1.  get_keys/1 returns keys in order of first appearance
%% (OTP leaves the order unspecified).
-module(proplists).

-export([
    property/1, property/2, unfold/1, compact/1,
    lookup/2, lookup_all/2, is_defined/2,
    get_value/2, get_value/3, get_all_values/2, append_values/2,
    get_bool/2, get_keys/1, delete/2,
    substitute_aliases/2, substitute_negations/2, normalize/2, expand/2,
    split/2, to_map/1, to_map/2, from_map/1
]).

property({K, true}) when is_atom(K) -> K;
property(P) -> P.

property(K, true) when is_atom(K) -> K;
property(K, V) -> {K, V}.

unfold([P | Ps]) when is_atom(P) -> [{P, true} | unfold(Ps)];
unfold([P | Ps]) -> [P | unfold(Ps)];
unfold([]) -> [].

compact(L) -> [property(P) || P <- L].

key_match(K, P) when is_atom(P) -> P =:= K;
key_match(K, P) when is_tuple(P), tuple_size(P) >= 1 -> element(1, P) =:= K;
key_match(_, _) -> false.

lookup(K, [P | Ps]) ->
    case key_match(K, P) of
        true when is_atom(P) -> {K, true};
        true -> P;
        false -> lookup(K, Ps)
    end;
lookup(_, []) -> none.

lookup_all(K, [P | Ps]) ->
    case key_match(K, P) of
        true when is_atom(P) -> [{K, true} | lookup_all(K, Ps)];
        true -> [P | lookup_all(K, Ps)];
        false -> lookup_all(K, Ps)
    end;
lookup_all(_, []) -> [].

is_defined(K, [P | Ps]) ->
    key_match(K, P) orelse is_defined(K, Ps);
is_defined(_, []) -> false.

get_value(K, L) -> get_value(K, L, undefined).

get_value(K, [P | Ps], Default) ->
    case key_match(K, P) of
        true when is_atom(P) -> true;
        true ->
            case P of
                {_, V} -> V;
                _ -> Default
            end;
        false -> get_value(K, Ps, Default)
    end;
get_value(_, [], Default) -> Default.

get_all_values(K, [P | Ps]) ->
    case key_match(K, P) of
        true when is_atom(P) -> [true | get_all_values(K, Ps)];
        true ->
            case P of
                {_, V} -> [V | get_all_values(K, Ps)];
                _ -> get_all_values(K, Ps)
            end;
        false -> get_all_values(K, Ps)
    end;
get_all_values(_, []) -> [].

append_values(K, [P | Ps]) ->
    case key_match(K, P) of
        true when is_atom(P) -> [true | append_values(K, Ps)];
        true ->
            case P of
                {_, V} when is_list(V) -> V ++ append_values(K, Ps);
                {_, V} -> [V | append_values(K, Ps)];
                _ -> append_values(K, Ps)
            end;
        false -> append_values(K, Ps)
    end;
append_values(_, []) -> [].

get_bool(K, [P | Ps]) ->
    case key_match(K, P) of
        true when is_atom(P) -> true;
        true ->
            case P of
                {_, true} -> true;
                _ -> false
            end;
        false -> get_bool(K, Ps)
    end;
get_bool(_, []) -> false.

get_keys(L) -> get_keys_1(L, #{}).

get_keys_1([P | Ps], Seen) ->
    case prop_key(P) of
        {ok, K} when not is_map_key(K, Seen) -> [K | get_keys_1(Ps, Seen#{K => true})];
        _ -> get_keys_1(Ps, Seen)
    end;
get_keys_1([], _) -> [].

prop_key(P) when is_atom(P) -> {ok, P};
prop_key(P) when is_tuple(P), tuple_size(P) >= 1 -> {ok, element(1, P)};
prop_key(_) -> none.

delete(K, [P | Ps]) ->
    case key_match(K, P) of
        true -> delete(K, Ps);
        false -> [P | delete(K, Ps)]
    end;
delete(_, []) -> [].

substitute_aliases(As, L) -> [subst_alias(As, P) || P <- L].

subst_alias([{K, K1} | As], P) ->
    case key_match(K, P) of
        true when is_atom(P) -> property(K1, true);
        true -> property(setelement(1, P, K1));
        false -> subst_alias(As, P)
    end;
subst_alias([], P) -> P.

substitute_negations(As, L) -> [subst_neg(As, P) || P <- L].

subst_neg([{K, K1} | As], P) ->
    case key_match(K, P) of
        true when is_atom(P) -> {K1, false};
        true ->
            case P of
                {_, true} -> {K1, false};
                _ -> property(K1, true)
            end;
        false -> subst_neg(As, P)
    end;
subst_neg([], P) -> P.

normalize(L, [{aliases, As} | Ss]) -> normalize(substitute_aliases(As, L), Ss);
normalize(L, [{negations, Ns} | Ss]) -> normalize(substitute_negations(Ns, L), Ss);
normalize(L, [{expand, Es} | Ss]) -> normalize(expand(Es, L), Ss);
normalize(L, []) -> compact(L).

%% Replace the first entry whose key is that of an expansion's property, when both
%% have the same normal form, by the expansion's terms; later entries with that key go.
expand(Es, L) when is_list(Es), is_list(L) ->
    Marked = lists:foldl(fun({P, Terms}, Acc) -> expand_one(key_of(P), property(P), Terms, Acc) end,
                         L, Es),
    splice_expansions(Marked).

expand_one(Key, Norm, Terms, L) ->
    case lists:splitwith(fun(E) -> is_expansion(E) orelse key_of(E) =/= Key end, L) of
        {Before, [E | After]} ->
            case property(E) =:= Norm of
                true -> Before ++ [{'$avm_expansion', Terms} | drop_key(Key, After)];
                false -> L
            end;
        {_, []} -> L
    end.

is_expansion({'$avm_expansion', _}) -> true;
is_expansion(_) -> false.

drop_key(Key, L) -> [E || E <- L, is_expansion(E) orelse key_of(E) =/= Key].

key_of({K, _}) -> K;
key_of(K) when is_tuple(K), tuple_size(K) > 0 -> element(1, K);
key_of(K) -> K.

splice_expansions([{'$avm_expansion', Terms} | T]) -> Terms ++ splice_expansions(T);
splice_expansions([E | T]) -> [E | splice_expansions(T)];
splice_expansions([]) -> [].

split(L, Ks) ->
    {Store, Rest} = split_1(L, [{K, []} || K <- Ks], []),
    {[lists:reverse(Ps) || {_, Ps} <- Store], lists:reverse(Rest)}.

split_1([P | Ps], Store, Rest) ->
    case prop_key(P) of
        {ok, K} ->
            case lists:keymember(K, 1, Store) of
                true ->
                    {value, {_, Acc}} = lists:keysearch(K, 1, Store),
                    split_1(Ps, lists:keyreplace(K, 1, Store, {K, [P | Acc]}), Rest);
                false ->
                    split_1(Ps, Store, [P | Rest])
            end;
        none ->
            split_1(Ps, Store, [P | Rest])
    end;
split_1([], Store, Rest) -> {Store, Rest}.

to_map(L) -> to_map_1(lists:reverse(L), #{}).

%% Walk from the end so that the first occurrence of a key wins.
to_map_1([{K, V} | Ps], M) -> to_map_1(Ps, M#{K => V});
to_map_1([P | Ps], M) when is_atom(P) -> to_map_1(Ps, M#{P => true});
to_map_1([P | Ps], M) when is_tuple(P), tuple_size(P) >= 1 ->
    to_map_1(Ps, maps:remove(element(1, P), M));
to_map_1([_ | Ps], M) -> to_map_1(Ps, M);
to_map_1([], M) -> M.

to_map(L, Stages) -> to_map(normalize(L, Stages)).

from_map(M) -> maps:to_list(M).
