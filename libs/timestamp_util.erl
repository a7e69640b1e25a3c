%% @doc eavmlib's arithmetic on os:timestamp() triples {MegaSecs, Secs, MicroSecs}.
-module(timestamp_util).

-export([delta/2, delta_ms/2]).

-type timestamp() :: {integer(), integer(), integer()}.

%% TS2 - TS1 as a timestamp, with the seconds and microseconds carried (borrowed) into range.
-spec delta(timestamp(), timestamp()) -> timestamp().
delta({Mega2, Sec2, Micro2}, {Mega1, Sec1, Micro1}) ->
    {Borrow, Micro} = borrow(Micro2 - Micro1),
    {MegaBorrow, Sec} = borrow(Sec2 - Sec1 - Borrow),
    {Mega2 - Mega1 - MegaBorrow, Sec, Micro}.

borrow(D) when D >= 0 -> {0, D};
borrow(D) -> {1, D + 1000000}.

%% TS2 - TS1 in whole milliseconds.
-spec delta_ms(timestamp(), timestamp()) -> integer().
delta_ms(TS2, TS1) ->
    {Mega, Sec, Micro} = delta(TS2, TS1),
    (Mega * 1000000 + Sec) * 1000 + Micro div 1000.
