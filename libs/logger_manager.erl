%% logger_manager -- AtomVM's logger configuration server (eavmlib).
%%
%% An app starts it to switch logging on, as on AtomVM:
%%
%%     logger_manager:start_link(#{log_level => info,
%%                                 logger => [{handler, Id, Module, Config},
%%                                            {module_level, Level, Modules}]})
%%
%% It is a gen_server registered as logger_manager, started unlinked
%% (AtomVM's start_link/1 uses gen_server:start/4, the name
%% notwithstanding).  The configuration is fixed when it starts:
%%
%%   log_level    the level for modules without a module_level (default notice);
%%   handlers     the default handler {handler, default, logger_std_h, #{}} is
%%                added unless the list names one; {handler, default, undefined}
%%                switches it off (and then, as on AtomVM, only the other
%%                handler entries of the list are kept: module_level entries
%%                are dropped too);
%%   handler config   the given map plus id, module and level (default all);
%%                a second default handler fails the start with badarg.
%%
%% logger (libs/logger.erl) asks it {allow, Level, Module}, get_id and
%% get_handlers, and caches the answers in the logging process; it calls
%% the handlers itself.  Other requests get {error, unimplemented}.
-module(logger_manager).

-behaviour(gen_server).

-export([start_link/1, stop/0, get_handlers/0, get_id/0, allow/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(DEFAULT_HANDLER, {handler, default, logger_std_h, #{}}).
-define(DEFAULT_LEVEL, notice).

-record(state, {id :: reference(),
                level :: atom(),
                default :: {module(), map()} | undefined,
                handlers :: #{atom() => {module(), map()}},
                module_levels :: #{module() => atom()}}).

-spec start_link(map()) -> {ok, pid()} | {error, term()}.
start_link(Config) ->
    gen_server:start({local, ?MODULE}, ?MODULE, Config, []).

-spec stop() -> ok.
stop() ->
    gen_server:stop(?MODULE).

%% {Id, Handlers}: the id of this manager and its handlers, the default one first.
-spec get_handlers() -> {reference(), [{module(), map()}]}.
get_handlers() ->
    gen_server:call(?MODULE, get_handlers).

-spec get_id() -> reference().
get_id() ->
    gen_server:call(?MODULE, get_id).

%% false while no manager runs: logging is off until an app starts one.
-spec allow(atom(), module()) -> boolean().
allow(Level, Module) ->
    case whereis(?MODULE) of
        undefined -> false;
        Pid -> logger:'$manager_allow'(Pid, Level, Module)
    end.

%%--------------------------------------------------------------------
%% gen_server callbacks

init(Config) ->
    Entries = entries(Config),
    {Default, Handlers, ModuleLevels} =
        lists:foldl(fun add_entry/2, {undefined, #{}, #{}}, Entries),
    {ok, #state{id = make_ref(), level = log_level(Config), default = Default,
                handlers = Handlers, module_levels = ModuleLevels}}.

handle_call({allow, Level, Module}, _From, State) ->
    Effective = maps:get(Module, State#state.module_levels, State#state.level),
    {reply, logger:compare(Level, Effective) =/= gt, State};
handle_call(get_handlers, _From, #state{id = Id} = State) ->
    {reply, {Id, handler_list(State)}, State};
handle_call(get_id, _From, #state{id = Id} = State) ->
    {reply, Id, State};
handle_call(_Request, _From, State) ->
    {reply, {error, unimplemented}, State}.

handle_cast(_Request, State) ->
    {noreply, State}.

handle_info(_Msg, State) ->
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

%%--------------------------------------------------------------------
%% The configuration

log_level(#{log_level := Level}) -> Level;
log_level(_) -> ?DEFAULT_LEVEL.

%% The entries of the logger list, with the default handler added or switched off.
entries(#{logger := Entries}) ->
    case lists:member({handler, default, undefined}, Entries) of
        true ->
            [E || {handler, Id, _Module, _Config} = E <- Entries, Id =/= default];
        false ->
            case lists:any(fun is_default_handler/1, Entries) of
                true -> Entries;
                false -> [?DEFAULT_HANDLER | Entries]
            end
    end;
entries(_) ->
    [?DEFAULT_HANDLER].

is_default_handler({handler, default, _Module, _Config}) -> true;
is_default_handler(_) -> false.

add_entry({handler, default, Module, Config}, {undefined, Handlers, Levels}) ->
    {{Module, handler_config(default, Module, Config)}, Handlers, Levels};
add_entry({handler, default, _Module, _Config}, _Acc) ->
    erlang:error(badarg);
add_entry({handler, Id, Module, Config}, {Default, Handlers, Levels}) ->
    {Default, Handlers#{Id => {Module, handler_config(Id, Module, Config)}}, Levels};
add_entry({module_level, Level, Modules}, {Default, Handlers, Levels}) ->
    {Default, Handlers, lists:foldl(fun(M, Acc) -> Acc#{M => Level} end, Levels, Modules)};
add_entry(_Other, Acc) ->
    Acc.

handler_config(Id, Module, Config) when is_map(Config) ->
    Config#{id => Id, module => Module, level => maps:get(level, Config, all)}.

handler_list(#state{default = undefined, handlers = Handlers}) ->
    maps:values(Handlers);
handler_list(#state{default = Default, handlers = Handlers}) ->
    [Default | maps:values(Handlers)].
