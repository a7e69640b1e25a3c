%% logger_std_h -- the default handler of AtomVM's logger (estdlib).
%%
%% logger calls log(Event, Config) for every event the handler's level
%% lets through; it prints one line on standard_io, as AtomVM does:
%%
%%     2026-01-01T00:00:00.042Z [info] <0.1.0> mod:fun/0 (src/mod.erl:12) Text
%%
%% the event's timestamp (microseconds of system time) as UTC to the
%% millisecond, the level, the logging process, then "Module:Function/Arity "
%% and "(File:Line) " when the metadata holds the location of a ?LOG_* macro,
%% then the message: a {Format, Args} formatted, a {report, Map} as ~p.
-module(logger_std_h).

-export([log/2]).

-spec log(map(), map()) -> ok.
log(#{level := Level, msg := Msg, pid := Pid, timestamp := Timestamp, meta := Meta}, _Config) ->
    io:format("~s [~p] ~p ~s~s~s~n",
              [timestamp(Timestamp), Level, Pid, mfa(Meta), file_line(Meta), text(Msg)]).

timestamp(Micros) ->
    {{Y, Mo, D}, {H, Mi, S}} = calendar:system_time_to_universal_time(Micros, microsecond),
    io_lib:format("~p-~2..0w-~2..0wT~2..0w:~2..0w:~2..0w.~3..0wZ",
                  [Y, Mo, D, H, Mi, S, Micros rem 1000000 div 1000]).

mfa(#{location := #{mfa := {M, F, A}}}) -> io_lib:format("~p:~p/~p ", [M, F, A]);
mfa(_) -> "".

file_line(#{location := #{file := File, line := Line}}) -> io_lib:format("(~s:~p) ", [File, Line]);
file_line(_) -> "".

text({report, Report}) when is_map(Report) -> io_lib:format("~p", [Report]);
text({Format, Args}) when is_list(Format), is_list(Args) -> io_lib:format(Format, Args).
