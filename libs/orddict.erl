%% @doc Ordered key-value dictionaries as sorted lists of {Key, Value}
%% pairs, for avmsim (AtomVM compatible), OTP 25 API.
%%
%% Keys are compared with < and == (1 and 1.0 are the same key).  Bad
%% arguments and missing keys (fetch/2, update/3) fail like on OTP
%% (function_clause).
-module(orddict).

-compile({no_auto_import, [size/1]}).

-export([new/0, is_key/2, to_list/1, from_list/1, size/1, is_empty/1,
         fetch/2, find/2, fetch_keys/1, erase/2, take/2, store/3,
         append/3, append_list/3, update/3, update/4, update_counter/3,
         fold/3, map/2, filter/2, merge/3]).

new() -> [].

is_key(Key, [{K, _} | _]) when Key < K -> false;
is_key(Key, [{K, _} | D]) when Key > K -> is_key(Key, D);
is_key(_, [{_, _} | _]) -> true;
is_key(_, []) -> false.

to_list(D) -> D.

%% The last pair given for a key wins.
from_list([]) -> [];
from_list([{_, _}] = L) -> L;
from_list(L) -> lists:ukeysort(1, reverse_pairs(L, [])).

reverse_pairs([{_, _} = P | T], Acc) -> reverse_pairs(T, [P | Acc]);
reverse_pairs([], Acc) -> Acc.

size(D) -> length(D).

is_empty([]) -> true;
is_empty([_ | _]) -> false.

fetch(Key, [{K, _} | D]) when Key > K -> fetch(Key, D);
fetch(Key, [{K, V} | _]) when Key == K -> V.

find(Key, [{K, _} | _]) when Key < K -> error;
find(Key, [{K, _} | D]) when Key > K -> find(Key, D);
find(_, [{_, V} | _]) -> {ok, V};
find(_, []) -> error.

fetch_keys([{K, _} | D]) -> [K | fetch_keys(D)];
fetch_keys([]) -> [].

erase(Key, [{K, _} = P | D]) when Key < K -> [P | D];
erase(Key, [{K, _} = P | D]) when Key > K -> [P | erase(Key, D)];
erase(_, [{_, _} | D]) -> D;
erase(_, []) -> [].

take(Key, D) -> take(Key, D, []).

take(Key, [{K, _} | _], _) when Key < K -> error;
take(Key, [{K, _} = P | D], Acc) when Key > K -> take(Key, D, [P | Acc]);
take(_, [{_, V} | D], Acc) -> {V, lists:reverse(Acc, D)};
take(_, [], _) -> error.

store(Key, New, [{K, _} | _] = D) when Key < K -> [{Key, New} | D];
store(Key, New, [{K, _} = P | D]) when Key > K -> [P | store(Key, New, D)];
store(Key, New, [{_, _} | D]) -> [{Key, New} | D];
store(Key, New, []) -> [{Key, New}].

append(Key, New, [{K, _} | _] = D) when Key < K -> [{Key, [New]} | D];
append(Key, New, [{K, _} = P | D]) when Key > K -> [P | append(Key, New, D)];
append(Key, New, [{_, Old} | D]) -> [{Key, Old ++ [New]} | D];
append(Key, New, []) -> [{Key, [New]}].

append_list(Key, L, [{K, _} | _] = D) when Key < K -> [{Key, L} | D];
append_list(Key, L, [{K, _} = P | D]) when Key > K -> [P | append_list(Key, L, D)];
append_list(Key, L, [{_, Old} | D]) -> [{Key, Old ++ L} | D];
append_list(Key, L, []) -> [{Key, L}].

update(Key, F, [{K, _} = P | D]) when Key > K -> [P | update(Key, F, D)];
update(Key, F, [{K, V} | D]) when Key == K -> [{Key, F(V)} | D].

update(Key, _, Init, [{K, _} | _] = D) when Key < K -> [{Key, Init} | D];
update(Key, F, Init, [{K, _} = P | D]) when Key > K -> [P | update(Key, F, Init, D)];
update(Key, F, _, [{_, V} | D]) -> [{Key, F(V)} | D];
update(Key, _, Init, []) -> [{Key, Init}].

update_counter(Key, Incr, [{K, _} | _] = D) when Key < K -> [{Key, Incr} | D];
update_counter(Key, Incr, [{K, _} = P | D]) when Key > K -> [P | update_counter(Key, Incr, D)];
update_counter(Key, Incr, [{_, V} | D]) -> [{Key, V + Incr} | D];
update_counter(Key, Incr, []) -> [{Key, Incr}].

fold(F, Acc, [{K, V} | D]) -> fold(F, F(K, V, Acc), D);
fold(F, Acc, []) when is_function(F, 3) -> Acc.

map(F, [{K, V} | D]) -> [{K, F(K, V)} | map(F, D)];
map(F, []) when is_function(F, 2) -> [].

filter(F, [{K, V} = P | D]) ->
    case F(K, V) of
        true -> [P | filter(F, D)];
        false -> filter(F, D)
    end;
filter(F, []) when is_function(F, 2) -> [].

%% On a common key the first dictionary's key is kept.
merge(F, [{K1, _} = P1 | D1], [{K2, _} = P2 | D2]) when K1 < K2 ->
    [P1 | merge(F, D1, [P2 | D2])];
merge(F, [{K1, _} = P1 | D1], [{K2, _} = P2 | D2]) when K1 > K2 ->
    [P2 | merge(F, [P1 | D1], D2)];
merge(F, [{K1, V1} | D1], [{_, V2} | D2]) ->
    [{K1, F(K1, V1, V2)} | merge(F, D1, D2)];
merge(F, [], D2) when is_function(F, 3) -> D2;
merge(F, D1, []) when is_function(F, 3) -> D1.
