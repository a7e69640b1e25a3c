%% logger -- the logger API for avmsim, in two modes.
%%
%% API: emergency/alert/critical/error/warning/notice/info/debug with
%% arities 1..3 (logger:error(Format, Args), logger:error(Report),
%% logger:error(String, Metadata), logger:error(Format, Args, Metadata)),
%% log/2,3,4, macro_log/3,4,5 (what the ?LOG_* macros of OTP's
%% kernel/include/logger.hrl call), allow/2, compare/2 (AtomVM's),
%% set_primary_config/1,2, get_primary_config/0, update_primary_config/1,
%% set_module_level/2, unset_module_level/0,1, get_module_level/0,1,
%% compare_levels/2 (OTP's).
%%
%% AtomVM mode: while a logger_manager process is registered (an app
%% started it with logger_manager:start_link/1), logging works as in
%% AtomVM's estdlib logger: allow/2 asks the manager (the level of the
%% module, else its log_level), and an accepted event, the map
%%     #{level, msg => {report, Map} | {Format, Args}, meta, pid, timestamp}
%% (timestamp: erlang:system_time(microsecond), the virtual clock), is
%% passed to Module:log(Event, HandlerConfig) of every handler whose level
%% allows it, in the calling process.  The ?LOG_* macros put their
%% location map under the meta key location.  The level answers and the
%% handler list are cached in the process dictionary under AtomVM's keys;
%% the cached handler list is checked against the manager's id on every
%% event, so a restarted manager is noticed.
%%
%% OTP mode: without a logger_manager, level filtering follows OTP: the
%% primary level (default notice) unless a module level is set for the
%% calling module (taken from the location metadata key mfa, if given).
%% There are no handlers or filters: every accepted event is written by a
%% built-in "default handler", in the calling process, with the OTP 25
%% default (legacy header) format:
%%
%%     =ERROR REPORT==== 22-Nov-2026::07:27:35.123456 ===
%%     Text
%%
%% The timestamp is the local time (erlang:localtime/0) with the
%% microseconds of erlang:system_time/1.  Reports (maps or key-value
%% lists) print as "    Key: Value" lines like OTP's logger_formatter.
%% The output goes to the standard_error device (on avmsim the same
%% console as standard_io), so that program output on standard_io can be
%% compared byte for byte with OTP's.  (AtomVM itself logs nothing
%% without a logger_manager; this mode keeps OTP programs and the reports
%% of the OTP behaviours readable.)  The reports of the OTP behaviours
%% ('$report'/3) always take this path.
%%
%% The OTP-mode configuration lives in a small registered process named
%% after this module, started the first time the configuration is
%% changed; until then the defaults apply and no process exists.
-module(logger).

-export([emergency/1, emergency/2, emergency/3,
         alert/1, alert/2, alert/3,
         critical/1, critical/2, critical/3,
         error/1, error/2, error/3,
         warning/1, warning/2, warning/3,
         notice/1, notice/2, notice/3,
         info/1, info/2, info/3,
         debug/1, debug/2, debug/3,
         log/2, log/3, log/4,
         set_primary_config/1, set_primary_config/2, get_primary_config/0,
         update_primary_config/1,
         set_module_level/2, unset_module_level/0, unset_module_level/1,
         get_module_level/0, get_module_level/1,
         allow/2, compare_levels/2, compare/2,
         macro_log/3, macro_log/4, macro_log/5]).

%% Internal: reports from proc_lib, gen_server, supervisor, ...; the level
%% answers of a running logger_manager (logger_manager:allow/2).
-export(['$report'/3, '$manager_allow'/3, server_init/1]).

-define(MANAGER, logger_manager).
-define(HANDLERS_KEY, '$atomvm_logger_handlers').

-define(CONFIG_TABLE, '$avmsim_logger_config').
-define(DEFAULT_PRIMARY, #{level => notice, filter_default => log, filters => [],
                           metadata => #{}}).

emergency(A) -> log(emergency, A).
emergency(A, B) -> log(emergency, A, B).
emergency(A, B, C) -> log(emergency, A, B, C).
alert(A) -> log(alert, A).
alert(A, B) -> log(alert, A, B).
alert(A, B, C) -> log(alert, A, B, C).
critical(A) -> log(critical, A).
critical(A, B) -> log(critical, A, B).
critical(A, B, C) -> log(critical, A, B, C).
error(A) -> log(error, A).
error(A, B) -> log(error, A, B).
error(A, B, C) -> log(error, A, B, C).
warning(A) -> log(warning, A).
warning(A, B) -> log(warning, A, B).
warning(A, B, C) -> log(warning, A, B, C).
notice(A) -> log(notice, A).
notice(A, B) -> log(notice, A, B).
notice(A, B, C) -> log(notice, A, B, C).
info(A) -> log(info, A).
info(A, B) -> log(info, A, B).
info(A, B, C) -> log(info, A, B, C).
debug(A) -> log(debug, A).
debug(A, B) -> log(debug, A, B).
debug(A, B, C) -> log(debug, A, B, C).

%% log(Level, StringOrReport)
log(Level, Msg) ->
    do_log(Level, msg1(Msg), #{}).

%% log(Level, StringOrReport, Metadata) | log(Level, FormatOrFun, Args)
log(Level, A, B) ->
    {Msg, Meta} = msg2(A, B),
    do_log(Level, Msg, Meta).

%% log(Level, FormatOrFun, Args, Metadata)
log(Level, A, B, Meta) when is_map(Meta) ->
    do_log(Level, msg3(A, B), Meta).

%% The ?LOG_* macros call these after logger:allow(Level, ?MODULE) said
%% true, so the level is not checked again.  Location is the macro's
%% #{mfa, line, file}: AtomVM keeps it under the meta key location, OTP
%% merges its keys into the metadata.
macro_log(Location, Level, A) ->
    macro(Location, Level, msg1(A), #{}).

macro_log(Location, Level, A, B) ->
    {Msg, Meta} = msg2(A, B),
    macro(Location, Level, Msg, Meta).

macro_log(Location, Level, A, B, Meta) when is_map(Meta) ->
    macro(Location, Level, msg3(A, B), Meta).

macro(Location, Level, Msg, Meta) ->
    case whereis(?MANAGER) of
        undefined -> otp_log(Level, Msg, maps:merge(Location, Meta));
        _ -> dispatch(Level, Msg, Meta#{location => Location})
    end.

msg1(Report) when is_map(Report) -> {report, Report};
msg1(String) ->
    case is_kv_list(String) of
        true -> {report, String};
        false -> {string, String}
    end.

msg2(Msg, Meta) when is_map(Meta) -> {msg1(Msg), Meta};
msg2(FormatOrFun, Args) -> {msg3(FormatOrFun, Args), #{}}.

msg3(Fun, FunArgs) when is_function(Fun, 1) -> {fn, Fun, FunArgs};
msg3(Format, Args) when is_list(Args) -> {format, Format, Args}.

is_kv_list([{K, _} | T]) when is_atom(K) -> is_kv_list(T) orelse T =:= [];
is_kv_list([]) -> false;
is_kv_list(_) -> false.

do_log(Level, Msg, Meta) ->
    check_level(Level),
    case whereis(?MANAGER) of
        undefined ->
            otp_log(Level, Msg, Meta);
        Pid ->
            case '$manager_allow'(Pid, Level, location_module(Meta)) of
                true -> dispatch(Level, Msg, Meta);
                false -> ok
            end
    end.

otp_log(Level, Msg, Meta) ->
    Module = case Meta of
                 #{mfa := {M, _, _}} -> M;
                 _ -> undefined
             end,
    case primary_allows(Level, Module) of
        true -> emit(header(Level), format_msg(Msg, Meta));
        false -> ok
    end.

check_level(L) ->
    case level_int(L) of
        undefined -> erlang:error(badarg, [L]);
        _ -> ok
    end.

%% What a fun passed instead of a format returns: format and arguments, a report or a string.
fn_result({Format, Args}) when is_list(Args) -> {format, Format, Args};
fn_result(Report) when is_map(Report) -> {report, Report};
fn_result(String) -> {string, String}.

%% The internal reports written by the OTP libraries.
%% Text may be a fun that builds it: it is called only when the report will be printed,
%% since formatting a report costs many reductions, which would shift the process's timing.
'$report'(Level, Type, Text) ->
    case primary_allows(Level, undefined) of
        true when is_function(Text, 0) -> emit(type_header(Type, Level), Text());
        true -> emit(type_header(Type, Level), Text);
        false -> ok
    end.

type_header(crash_report, _) -> "CRASH REPORT";
type_header(supervisor_report, _) -> "SUPERVISOR REPORT";
type_header(progress, _) -> "PROGRESS REPORT";
type_header(warning_msg, _) -> "WARNING REPORT";
type_header(_, Level) -> header(Level).

header(Level) -> string:uppercase(atom_to_list(Level)) ++ " REPORT".

format_msg({string, S}, _Meta) -> S;
format_msg({format, Format, Args}, _Meta) ->
    try io_lib:format(Format, Args)
    catch _:_ -> io_lib:format("FORMAT ERROR: ~tp - ~tp", [Format, Args])
    end;
format_msg({report, Report}, Meta) ->
    case Meta of
        #{report_cb := Cb} when is_function(Cb, 1) ->
            {F, A} = Cb(Report),
            io_lib:format(F, A);
        _ -> format_report(Report)
    end;
format_msg({fn, Fun, FunArgs}, Meta) ->
    format_msg(fn_result(Fun(FunArgs)), Meta).

format_report(Map) when is_map(Map) ->
    format_report(lists:keysort(1, maps:to_list(Map)));
format_report(List) ->
    Lines = [io_lib:format("    ~tp: ~ts", [K, format_value(V)]) || {K, V} <- List],
    lists:join("\n", Lines).

format_value(V) ->
    case io_lib:printable_list(V) of
        true -> V;
        false -> io_lib:format("~tp", [V])
    end.

emit(Header, Text) ->
    Out = [$=, Header, "==== ", timestamp(), " ===\n", Text, "\n"],
    io:put_chars(standard_error, Out).

timestamp() ->
    {{Y, Mo, D}, {H, Mi, S}} = erlang:localtime(),
    Micro = erlang:system_time(microsecond) rem 1000000,
    io_lib:format("~w-~s-~w::~2..0w:~2..0w:~2..0w.~6..0w",
                  [D, month(Mo), Y, H, Mi, S, Micro]).

month(M) ->
    element(M, {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}).

%%--------------------------------------------------------------------
%% Levels

level_int(emergency) -> 0;
level_int(alert) -> 1;
level_int(critical) -> 2;
level_int(error) -> 3;
level_int(warning) -> 4;
level_int(notice) -> 5;
level_int(info) -> 6;
level_int(debug) -> 7;
level_int(_) -> undefined.

%% Configured levels may also be all or none.
config_level_int(all) -> 7;
config_level_int(none) -> -1;
config_level_int(L) -> level_int(L).

allow(Level, Module) ->
    check_level(Level),
    case whereis(?MANAGER) of
        undefined -> primary_allows(Level, Module);
        Pid -> '$manager_allow'(Pid, Level, Module)
    end.

primary_allows(Level, Module) ->
    {Primary, Modules} = config(),
    Configured = case Module of
                     undefined -> maps:get(level, Primary);
                     _ -> maps:get(Module, Modules, maps:get(level, Primary))
                 end,
    level_int(Level) =< config_level_int(Configured).

compare_levels(A, B) ->
    case {level_int(A), level_int(B)} of
        {undefined, _} -> erlang:error(badarg, [A, B]);
        {_, undefined} -> erlang:error(badarg, [A, B]);
        {X, X} -> eq;
        {X, Y} when X < Y -> gt;
        _ -> lt
    end.

%% AtomVM's order: lt when Level1 is more severe than Level2 (the reverse of compare_levels/2).
compare(Level1, Level2) ->
    compare_levels(Level2, Level1).

%%--------------------------------------------------------------------
%% AtomVM mode: the logger_manager's answers and its handlers

%% The module of a ?LOG_* call, from the location the macros put in the metadata.
location_module(#{location := #{mfa := {Module, _, _}}}) -> Module;
location_module(_) -> undefined.

%% Does the manager Pid let Level through for Module?  Cached per process
%% and manager pid; a manager that is gone allows nothing.
'$manager_allow'(Pid, Level, Module) ->
    Key = {'$atomvm_logger_module_level', Level, Module},
    case get(Key) of
        {Pid, Allowed} ->
            Allowed;
        _ ->
            try gen_server:call(Pid, {allow, Level, Module}) of
                Allowed ->
                    put(Key, {Pid, Allowed}),
                    Allowed
            catch
                exit:{noproc, _} -> false
            end
    end.

%% The handlers ({Module, Config}, the default handler first), cached
%% with the id of the manager that gave them.
handlers() ->
    case get(?HANDLERS_KEY) of
        {Id, Handlers} ->
            case gen_server:call(?MANAGER, get_id) of
                Id -> Handlers;
                _ -> fetch_handlers()
            end;
        undefined ->
            fetch_handlers()
    end.

fetch_handlers() ->
    {_Id, Handlers} = Reply = gen_server:call(?MANAGER, get_handlers),
    put(?HANDLERS_KEY, Reply),
    Handlers.

dispatch(Level, Msg, Meta) ->
    Event = #{level => Level, msg => event_msg(Msg), meta => Meta, pid => self(),
              timestamp => erlang:system_time(microsecond)},
    lists:foreach(fun(Handler) -> call_handler(Level, Event, Handler) end, handlers()).

%% AtomVM's event message: only a map is a report; any other list is a
%% format (a key-value list too), a plain string one with no arguments.
event_msg({report, Report}) when is_map(Report) -> {report, Report};
event_msg({report, List}) -> {List, []};
event_msg({string, String}) when is_list(String) -> {String, []};
event_msg({format, Format, Args}) when is_list(Format) -> {Format, Args};
event_msg({fn, Fun, FunArgs}) -> event_msg(fn_result(Fun(FunArgs)));
event_msg(_) -> erlang:error(badarg).

%% A handler that crashes is reported on the console and the others still run.
call_handler(Level, Event, {Module, #{level := HandlerLevel} = Config}) ->
    case level_int(Level) =< config_level_int(HandlerLevel) of
        true ->
            try Module:log(Event, Config)
            catch Class:Reason:Stack ->
                io:format("An error occurred logging event ~p with config ~p.  "
                          "type: ~p error=~p stacktrace=~p~n",
                          [Event, Config, Class, Reason, Stack])
            end;
        false ->
            ok
    end.

%%--------------------------------------------------------------------
%% OTP mode: configuration

get_primary_config() ->
    {Primary, _} = config(),
    Primary.

set_primary_config(level, Level) ->
    case config_level_int(Level) of
        undefined -> {error, {invalid_level, Level}};
        _ -> update(fun({P, M}) -> {P#{level => Level}, M} end)
    end;
set_primary_config(filter_default, V) when V =:= log; V =:= stop ->
    update(fun({P, M}) -> {P#{filter_default => V}, M} end);
set_primary_config(filters, V) when is_list(V) ->
    update(fun({P, M}) -> {P#{filters => V}, M} end);
set_primary_config(metadata, V) when is_map(V) ->
    update(fun({P, M}) -> {P#{metadata => V}, M} end);
set_primary_config(Key, Value) ->
    {error, {invalid_config, Key, Value}}.

set_primary_config(Config) when is_map(Config) ->
    Level = maps:get(level, Config, notice),
    case config_level_int(Level) of
        undefined -> {error, {invalid_level, Level}};
        _ -> update(fun({_, M}) -> {maps:merge(?DEFAULT_PRIMARY, Config), M} end)
    end;
set_primary_config(Config) ->
    {error, {invalid_config, Config}}.

update_primary_config(Config) when is_map(Config) ->
    {P, _} = config(),
    set_primary_config(maps:merge(P, Config)).

set_module_level(Module, Level) when is_atom(Module) ->
    set_module_level([Module], Level);
set_module_level(Modules, Level) when is_list(Modules) ->
    case config_level_int(Level) of
        undefined -> {error, {invalid_level, Level}};
        _ ->
            update(fun({P, M}) ->
                           {P, lists:foldl(fun(Mod, Acc) -> Acc#{Mod => Level} end, M, Modules)}
                   end)
    end.

unset_module_level() ->
    update(fun({P, _}) -> {P, #{}} end).

unset_module_level(Module) when is_atom(Module) ->
    unset_module_level([Module]);
unset_module_level(Modules) when is_list(Modules) ->
    update(fun({P, M}) -> {P, maps:without(Modules, M)} end).

get_module_level() ->
    {_, M} = config(),
    lists:sort(maps:to_list(M)).

get_module_level(Module) when is_atom(Module) ->
    get_module_level([Module]);
get_module_level(Modules) when is_list(Modules) ->
    {_, M} = config(),
    lists:sort([{Mod, L} || {Mod, L} <- maps:to_list(M), lists:member(Mod, Modules)]).

%%--------------------------------------------------------------------
%% The configuration server

%% The configuration is read straight from the server's table: reading it never waits for
%% another process, so logging does not change when the caller gets to run again.
config() ->
    try ets:lookup(?CONFIG_TABLE, config) of
        [{config, C}] -> C;
        [] -> {?DEFAULT_PRIMARY, #{}}
    catch
        error:badarg -> {?DEFAULT_PRIMARY, #{}}
    end.

update(Fun) ->
    Pid = server(),
    {ok, ok} = request(Pid, {update, Fun}),
    ok.

request(Pid, Req) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {?MODULE, self(), Ref, Req},
    receive
        {Ref, Reply} ->
            erlang:demonitor(Ref, [flush]),
            {ok, Reply};
        {'DOWN', Ref, _, _, _} ->
            error
    end.

server() ->
    case whereis(?MODULE) of
        undefined ->
            Ref = make_ref(),
            Pid = spawn(?MODULE, server_init, [{self(), Ref}]),
            receive
                {Ref, true} -> Pid;
                {Ref, false} -> server()
            end;
        Pid ->
            Pid
    end.

server_init({From, Ref}) ->
    Registered = try register(?MODULE, self()) catch _:_ -> false end,
    From ! {Ref, Registered},
    case Registered of
        true ->
            ?CONFIG_TABLE = ets:new(?CONFIG_TABLE, [named_table, protected, set]),
            server_loop({?DEFAULT_PRIMARY, #{}});
        false ->
            ok
    end.

server_loop(Config) ->
    receive
        {?MODULE, From, Ref, {update, Fun}} ->
            NewConfig = try Fun(Config) catch _:_ -> Config end,
            true = ets:insert(?CONFIG_TABLE, {config, NewConfig}),
            From ! {Ref, ok},
            server_loop(NewConfig);
        _ ->
            server_loop(Config)
    end.
