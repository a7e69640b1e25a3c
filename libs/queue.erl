%% @doc Double ended FIFO queues for avmsim (AtomVM compatible), OTP 25 API.
%%
%% A queue is the pair {Rear, Front}: Front holds the first items in queue
%% order, Rear holds the last items in reverse order.  This is the very
%% representation OTP uses, and the way items are moved between the two
%% lists follows OTP too, so queues print (~p) and compare (=:=) exactly
%% like on OTP.  When one side runs dry, half of the other side is moved
%% over; whenever it is cheap, both lists are kept non-empty.
%%
%% Errors follow OTP: badarg for something that is not a queue (or a bad
%% fun), `empty' for get/drop style calls on an empty queue.
-module(queue).

-export([new/0, is_queue/1, is_empty/1, len/1, to_list/1, from_list/1, member/2]).
-export([in/2, in_r/2, out/1, out_r/1]).
-export([get/1, get_r/1, peek/1, peek_r/1, drop/1, drop_r/1]).
-export([reverse/1, join/2, split/2, filter/2, filtermap/2, fold/3, any/2, all/2,
         delete/2, delete_r/2, delete_with/2, delete_with_r/2]).
-export([cons/2, head/1, tail/1, snoc/2, last/1, daeh/1, init/1, liat/1, lait/1]).

-define(IS_Q(R, F), is_list(R), is_list(F)).

%%-----------------------------------------------------------------------
%% Creation, inspection, conversion
%%-----------------------------------------------------------------------

new() -> {[], []}.

is_queue({R, F}) when ?IS_Q(R, F) -> true;
is_queue(_) -> false.

is_empty({[], []}) -> true;
is_empty({R, F}) when ?IS_Q(R, F) -> false;
is_empty(Q) -> erlang:error(badarg, [Q]).

len({R, F}) when ?IS_Q(R, F) -> length(R) + length(F);
len(Q) -> erlang:error(badarg, [Q]).

to_list({R, F}) when ?IS_Q(R, F) -> F ++ lists:reverse(R, []);
to_list(Q) -> erlang:error(badarg, [Q]).

from_list(L) when is_list(L) -> front_to_queue(L);
from_list(L) -> erlang:error(badarg, [L]).

member(X, {R, F}) when ?IS_Q(R, F) ->
    case lists:member(X, R) of
        true -> true;
        false -> lists:member(X, F)
    end;
member(X, Q) -> erlang:error(badarg, [X, Q]).

%%-----------------------------------------------------------------------
%% Original API
%%-----------------------------------------------------------------------

in(X, {[_] = R, []}) -> {[X], R};
in(X, {R, F}) when ?IS_Q(R, F) -> {[X | R], F};
in(X, Q) -> erlang:error(badarg, [X, Q]).

in_r(X, {[], [_] = F}) -> {F, [X]};
in_r(X, {R, F}) when ?IS_Q(R, F) -> {R, [X | F]};
in_r(X, Q) -> erlang:error(badarg, [X, Q]).

out({[], []} = Q) -> {empty, Q};
out({R, F} = Q) when ?IS_Q(R, F) -> {{value, front(Q)}, drop_front(R, F)};
out(Q) -> erlang:error(badarg, [Q]).

out_r({[], []} = Q) -> {empty, Q};
out_r({R, F} = Q) when ?IS_Q(R, F) -> {{value, rear(Q)}, drop_rear(R, F)};
out_r(Q) -> erlang:error(badarg, [Q]).

%%-----------------------------------------------------------------------
%% "Less garbage" API
%%-----------------------------------------------------------------------

get({[], []} = Q) -> erlang:error(empty, [Q]);
get({R, F} = Q) when ?IS_Q(R, F) -> front(Q);
get(Q) -> erlang:error(badarg, [Q]).

get_r({[], []} = Q) -> erlang:error(empty, [Q]);
get_r({R, F} = Q) when ?IS_Q(R, F) -> rear(Q);
get_r(Q) -> erlang:error(badarg, [Q]).

peek({[], []}) -> empty;
peek({R, F} = Q) when ?IS_Q(R, F) -> {value, front(Q)};
peek(Q) -> erlang:error(badarg, [Q]).

peek_r({[], []}) -> empty;
peek_r({R, F} = Q) when ?IS_Q(R, F) -> {value, rear(Q)};
peek_r(Q) -> erlang:error(badarg, [Q]).

drop({[], []} = Q) -> erlang:error(empty, [Q]);
drop({R, F}) when ?IS_Q(R, F) -> drop_front(R, F);
drop(Q) -> erlang:error(badarg, [Q]).

drop_r({[], []} = Q) -> erlang:error(empty, [Q]);
drop_r({R, F}) when ?IS_Q(R, F) -> drop_rear(R, F);
drop_r(Q) -> erlang:error(badarg, [Q]).

%% First / last item of a non-empty queue (the other list is only looked
%% through when the queue is lopsided).
front({_, [H | _]}) -> H;
front({R, []}) -> lists:last(R).

rear({[H | _], _}) -> H;
rear({[], F}) -> lists:last(F).

%% Remove the first item of a non-empty queue.
drop_front([_], []) -> {[], []};
drop_front([Last | R], []) ->
    [_ | F] = lists:reverse(R, []),
    {[Last], F};
drop_front(R, [_]) -> rear_to_queue(R);
drop_front(R, [_ | F]) -> {R, F}.

%% Remove the last item of a non-empty queue.
drop_rear([], [_]) -> {[], []};
drop_rear([], [First | F]) ->
    [_ | R] = lists:reverse(F, []),
    {R, [First]};
drop_rear([_], F) -> front_to_queue(F);
drop_rear([_ | R], F) -> {R, F}.

%%-----------------------------------------------------------------------
%% Higher level API
%%-----------------------------------------------------------------------

reverse({R, F}) when ?IS_Q(R, F) -> {F, R};
reverse(Q) -> erlang:error(badarg, [Q]).

join({R, F} = Q, {[], []}) when ?IS_Q(R, F) -> Q;
join({[], []}, {R, F} = Q) when ?IS_Q(R, F) -> Q;
join({R1, F1}, {R2, F2}) when ?IS_Q(R1, F1), ?IS_Q(R2, F2) ->
    {R2, F1 ++ lists:reverse(R1, F2)};
join(Q1, Q2) -> erlang:error(badarg, [Q1, Q2]).

split(0, {R, F} = Q) when ?IS_Q(R, F) -> {{[], []}, Q};
split(N, {R, F} = Q) when is_integer(N), N >= 1, ?IS_Q(R, F) ->
    NF = length(F),
    if
        N < NF ->
            %% The cut is inside the front list.
            [X | F1] = F,
            take_front(N - 1, F1, [], [X], R);
        N =:= NF ->
            {front_to_queue(F), rear_to_queue(R)};
        true ->
            Keep = length(R) - (N - NF),
            if
                Keep < 0 -> erlang:error(badarg, [N, Q]);
                Keep =:= 0 -> {Q, {[], []}};
                true ->
                    [Y | R1] = R,
                    take_rear(Keep - 1, R1, F, [Y], [])
            end
    end;
split(N, Q) -> erlang:error(badarg, [N, Q]).

%% Move K more items from the front list F into the first queue {AccR, AccF}.
take_front(0, F, AccR, AccF, R) -> {{AccR, AccF}, {R, F}};
take_front(K, [X | F], AccR, AccF, R) -> take_front(K - 1, F, [X | AccR], AccF, R).

%% Move K more items from the rear list R into the second queue {AccR, AccF}.
take_rear(0, R, F, AccR, AccF) -> {{R, F}, {AccR, AccF}};
take_rear(K, [Y | R], F, AccR, AccF) -> take_rear(K - 1, R, F, AccR, [Y | AccF]).

%% filter/2: the fun may return a boolean or a list of replacement items.
filter(Fun, {R0, F0}) when is_function(Fun, 1), ?IS_Q(R0, F0) ->
    F = filter_front(Fun, F0),
    R = filter_rear(Fun, R0),
    rebuild(R, F);
filter(Fun, Q) -> erlang:error(badarg, [Fun, Q]).

filter_front(_, []) -> [];
filter_front(Fun, [X | F]) ->
    case Fun(X) of
        true -> [X | filter_front(Fun, F)];
        false -> filter_front(Fun, F);
        [] -> filter_front(Fun, F);
        [Y] -> [Y | filter_front(Fun, F)];
        L when is_list(L) -> L ++ filter_front(Fun, F)
    end.

%% The rear list is visited from its end, i.e. in queue order.
filter_rear(_, []) -> [];
filter_rear(Fun, [X | R0]) ->
    R = filter_rear(Fun, R0),
    case Fun(X) of
        true -> [X | R];
        false -> R;
        [] -> R;
        [Y] -> [Y | R];
        L when is_list(L) -> lists:reverse(L, R)
    end.

filtermap(Fun, {R0, F0}) when is_function(Fun, 1), ?IS_Q(R0, F0) ->
    F = lists:filtermap(Fun, F0),
    R = filtermap_rear(Fun, R0),
    rebuild(R, F);
filtermap(Fun, Q) -> erlang:error(badarg, [Fun, Q]).

filtermap_rear(_, []) -> [];
filtermap_rear(Fun, [X | R0]) ->
    R = filtermap_rear(Fun, R0),
    case Fun(X) of
        true -> [X | R];
        {true, Y} -> [Y | R];
        false -> R
    end.

rebuild([], F) -> front_to_queue(F);
rebuild(R, []) -> rear_to_queue(R);
rebuild(R, F) -> {R, F}.

fold(Fun, Acc0, {R, F}) when is_function(Fun, 2), ?IS_Q(R, F) ->
    lists:foldr(Fun, lists:foldl(Fun, Acc0, F), R);
fold(Fun, Acc0, Q) -> erlang:error(badarg, [Fun, Acc0, Q]).

any(Pred, {R, F}) when is_function(Pred, 1), ?IS_Q(R, F) ->
    case lists:any(Pred, F) of
        true -> true;
        false -> lists:any(Pred, R)
    end;
any(Pred, Q) -> erlang:error(badarg, [Pred, Q]).

all(Pred, {R, F}) when is_function(Pred, 1), ?IS_Q(R, F) ->
    case lists:all(Pred, F) of
        false -> false;
        true -> lists:all(Pred, R)
    end;
all(Pred, Q) -> erlang:error(badarg, [Pred, Q]).

delete(Item, {R, F} = Q) when ?IS_Q(R, F) ->
    remove_first(fun(X) -> X =:= Item end, R, F, Q);
delete(Item, Q) -> erlang:error(badarg, [Item, Q]).

delete_r(Item, {R, F}) when ?IS_Q(R, F) ->
    {F1, R1} = delete(Item, {F, R}),
    {R1, F1};
delete_r(Item, Q) -> erlang:error(badarg, [Item, Q]).

delete_with(Pred, {R, F} = Q) when is_function(Pred, 1), ?IS_Q(R, F) ->
    remove_first(fun(X) -> Pred(X) end, R, F, Q);
delete_with(Pred, Q) -> erlang:error(badarg, [Pred, Q]).

delete_with_r(Pred, {R, F}) when is_function(Pred, 1), ?IS_Q(R, F) ->
    {F1, R1} = delete_with(Pred, {F, R}),
    {R1, F1};
delete_with_r(Pred, Q) -> erlang:error(badarg, [Pred, Q]).

%% Remove the first item (queue order) for which Match is true.
remove_first(Match, R, F, Q) ->
    case del_first(Match, F) of
        nomatch ->
            case del_last(Match, R) of
                nomatch -> Q;
                [] -> front_to_queue(F);
                R1 -> {R1, F}
            end;
        [] -> rear_to_queue(R);
        F1 -> {R, F1}
    end.

%% Delete the first match in a list, nomatch if none.
del_first(_, []) -> nomatch;
del_first(Match, [X | T]) ->
    case Match(X) of
        true -> T;
        false ->
            case del_first(Match, T) of
                nomatch -> nomatch;
                T1 -> [X | T1]
            end
    end.

%% Delete the last match in a list (the first one in queue order for a
%% rear list), nomatch if none.  Items are tested from the end.
del_last(_, []) -> nomatch;
del_last(Match, [X | T]) ->
    case del_last(Match, T) of
        nomatch ->
            case Match(X) of
                true -> T;
                false -> nomatch
            end;
        T1 -> [X | T1]
    end.

%%-----------------------------------------------------------------------
%% Okasaki API
%%-----------------------------------------------------------------------

cons(X, Q) -> in_r(X, Q).

head({[], []} = Q) -> erlang:error(empty, [Q]);
head({R, F} = Q) when ?IS_Q(R, F) -> front(Q);
head(Q) -> erlang:error(badarg, [Q]).

tail(Q) -> drop(Q).

snoc(Q, X) -> in(X, Q).

daeh(Q) -> get_r(Q).
last(Q) -> get_r(Q).

liat(Q) -> drop_r(Q).
lait(Q) -> drop_r(Q).
init(Q) -> drop_r(Q).

%%-----------------------------------------------------------------------
%% Rebalancing: build a queue from a list holding all items, given as
%% the front list (in queue order) or as the rear list (reversed).  Lists
%% of three or more items are cut in two halves, the second getting the
%% extra item of an odd count.
%%-----------------------------------------------------------------------

front_to_queue([]) -> {[], []};
front_to_queue([_] = F) -> {F, []};
front_to_queue([A, B]) -> {[B], [A]};
front_to_queue(L) ->
    {Front, Back} = lists:split(length(L) div 2, L),
    {lists:reverse(Back, []), Front}.

rear_to_queue([]) -> {[], []};
rear_to_queue([_] = R) -> {[], R};
rear_to_queue([A, B]) -> {[A], [B]};
rear_to_queue(L) ->
    {Rear, Front} = lists:split(length(L) div 2, L),
    {Rear, lists:reverse(Front, [])}.
