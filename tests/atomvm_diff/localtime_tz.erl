-module(localtime_tz).
%% AtomVM's erlang:localtime/1 takes a POSIX time zone as a string or a binary (nifs.c sets
%% TZ for the call); OTP has no localtime/1. The board's clock is compared with
%% universaltime/0, so the output does not depend on the date it runs.
-export([start/0]).

try_(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

offset(Zone) ->
    Utc = calendar:datetime_to_gregorian_seconds(erlang:universaltime()),
    case try_(fun() -> erlang:localtime(Zone) end) of
        {{_, _, _}, {_, _, _}} = Local -> (calendar:datetime_to_gregorian_seconds(Local) - Utc) div 60;
        Error -> Error
    end.

start() ->
    [io:format("~p ~w~n", [Zone, offset(Zone)])
     || Zone <- ["UTC", <<"UTC0">>, "CET-1", "IST-5:30", <<"EST5">>, "<+0845>-8:45",
                 "NZST-12", utc, 42]],
    ok.
