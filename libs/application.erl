%% application -- a minimal application controller for avmsim.
%%
%% AtomVM has no .app files on flash, so applications are described in
%% one of two ways:
%%  - application:load({application, App, Props}), with the usual keys
%%    (description, vsn, applications, mod, env, registered, ...), exactly
%%    as OTP accepts it; or
%%  - nothing at all: loading (or starting) App that was never described
%%    uses a default description: {mod, {App, []}} if a module named App
%%    exports start/2, no callback module otherwise (a library
%%    application), no dependencies and an empty environment.
%% kernel and stdlib are always considered started.
%%
%% start/1,2 checks that the applications listed in `applications` are
%% started ({error, {not_started, Dep}} otherwise), then calls
%% Mod:start(normal, StartArgs) in a new application master process,
%% which must return {ok, Pid} or {ok, Pid, State}; the top supervisor is
%% linked to that master.  stop/1 calls Mod:prep_stop/1 (if exported),
%% shuts the top supervisor down and calls Mod:stop/1.  If the top
%% supervisor exits by itself, the application is stopped (whatever its
%% restart type: avmsim never halts the node for a permanent one).
%% ensure_all_started/1,2 starts the dependencies first and returns
%% {ok, StartedApps} in start order.
%%
%% The environment (get_env/2,3, get_all_env/1, set_env/3,4,
%% unset_env/2,3) and the application states are held by a registered
%% process, application_controller, started on first use.
-module(application).

-export([load/1, load/2, unload/1, start/1, start/2, stop/1,
         ensure_started/1, ensure_started/2,
         ensure_all_started/1, ensure_all_started/2,
         get_env/2, get_env/3, get_all_env/1, set_env/3, set_env/4,
         unset_env/2, unset_env/3, get_key/2, get_all_key/1,
         which_applications/0, which_applications/1, loaded_applications/0]).

%% Internal.
-export([controller_init/2, master_init/5]).

-define(ALWAYS_STARTED, [kernel, stdlib]).

%%====================================================================
%% Loading

load(AppOrSpec) -> load(AppOrSpec, []).

load({application, App, Props} = Spec, _Distributed) when is_atom(App), is_list(Props) ->
    ctl({load, App, Props, Spec});
load(App, _Distributed) when is_atom(App) ->
    ctl({load, App, default_props(App), App});
load(Other, _Distributed) ->
    {error, {bad_application, Other}}.

default_props(App) ->
    Mod = case has_start(App) of
              true -> [{mod, {App, []}}];
              false -> []
          end,
    [{description, atom_to_list(App)}, {vsn, "0"}, {applications, []}, {env, []} | Mod].

has_start(App) ->
    case erlang:function_exported(App, start, 2) of
        true -> true;
        false ->
            %% The module may not be loaded yet.
            _ = (catch App:module_info()),
            erlang:function_exported(App, start, 2)
    end.

unload(App) -> ctl({unload, App}).

%%====================================================================
%% Starting and stopping

start(App) -> start(App, temporary).

start(App, Type) when is_atom(App) ->
    case lists:member(App, ?ALWAYS_STARTED) of
        true -> {error, {already_started, App}};
        false ->
            _ = case ctl({is_loaded, App}) of
                    true -> ok;
                    false -> load(App)
                end,
            case ctl({prepare_start, App}) of
                {ok, Props} -> do_start(App, Type, Props);
                Error -> Error
            end
    end.

do_start(App, Type, Props) ->
    case proplists:get_value(mod, Props) of
        {Mod, StartArgs} ->
            Ref = make_ref(),
            Master = proc_lib:spawn(?MODULE, master_init, [self(), Ref, App, Mod, StartArgs]),
            MRef = erlang:monitor(process, Master),
            receive
                {Ref, ok} ->
                    erlang:demonitor(MRef, [flush]),
                    ctl({started, App, Type, Master});
                {Ref, {error, _} = Error} ->
                    erlang:demonitor(MRef, [flush]),
                    ctl({start_failed, App}),
                    Error;
                {'DOWN', MRef, process, Master, Reason} ->
                    ctl({start_failed, App}),
                    {error, Reason}
            end;
        undefined ->
            ctl({started, App, Type, undefined})
    end.

stop(App) ->
    case ctl({prepare_stop, App}) of
        {ok, undefined} ->
            ctl({stopped, App});
        {ok, Master} ->
            MRef = erlang:monitor(process, Master),
            Master ! {?MODULE, stop},
            receive {'DOWN', MRef, process, Master, _} -> ok end,
            ctl({stopped, App});
        Error ->
            Error
    end.

ensure_started(App) -> ensure_started(App, temporary).

ensure_started(App, Type) ->
    case start(App, Type) of
        ok -> ok;
        {error, {already_started, App}} -> ok;
        Error -> Error
    end.

ensure_all_started(App) -> ensure_all_started(App, temporary).

ensure_all_started(App, Type) ->
    case ensure_all(App, Type, []) of
        {ok, Started} -> {ok, lists:reverse(Started)};
        {error, Reason, Started} ->
            lists:foreach(fun(A) -> stop(A) end, Started),
            {error, Reason}
    end.

ensure_all(App, Type, Started) ->
    case lists:member(App, ?ALWAYS_STARTED) orelse ctl({is_started, App}) of
        true -> {ok, Started};
        false ->
            _ = case ctl({is_loaded, App}) of
                    true -> ok;
                    false -> load(App)
                end,
            Deps = case ctl({get_key, App, applications}) of
                       {ok, D} -> D;
                       undefined -> []
                   end,
            case ensure_deps(Deps, Type, Started) of
                {ok, Started1} ->
                    case start(App, Type) of
                        ok -> {ok, [App | Started1]};
                        {error, {already_started, App}} -> {ok, Started1};
                        {error, Reason} -> {error, {App, Reason}, Started1}
                    end;
                Error ->
                    Error
            end
    end.

ensure_deps([], _Type, Started) -> {ok, Started};
ensure_deps([Dep | Deps], Type, Started) ->
    case ensure_all(Dep, Type, Started) of
        {ok, Started1} -> ensure_deps(Deps, Type, Started1);
        Error -> Error
    end.

%% The application master: runs Mod:start/2, keeps the top supervisor
%% linked, and on request (or when the supervisor exits) stops it.
master_init(Starter, Ref, App, Mod, StartArgs) ->
    process_flag(trap_exit, true),
    case catch Mod:start(normal, StartArgs) of
        {ok, Pid} when is_pid(Pid) ->
            Starter ! {Ref, ok},
            master_loop(App, Mod, Pid, []);
        {ok, Pid, State} when is_pid(Pid) ->
            Starter ! {Ref, ok},
            master_loop(App, Mod, Pid, State);
        {error, Reason} ->
            Error = {Reason, {Mod, start, [normal, StartArgs]}},
            Starter ! {Ref, {error, Error}},
            exit(Error);
        Other ->
            Error = {bad_return, {{Mod, start, [normal, StartArgs]}, Other}},
            Starter ! {Ref, {error, Error}},
            exit(Error)
    end.

master_loop(App, Mod, Pid, State) ->
    receive
        {?MODULE, stop} ->
            State1 = case erlang:function_exported(Mod, prep_stop, 1) of
                         true -> catch Mod:prep_stop(State);
                         false -> State
                     end,
            exit(Pid, shutdown),
            receive {'EXIT', Pid, _} -> ok end,
            catch Mod:stop(State1),
            ok;
        {'EXIT', Pid, Reason} ->
            catch Mod:stop(State),
            logger:'$report'(info, info,
                             io_lib:format("    application: ~tp~n    exited: ~tp~n",
                                           [App, Reason])),
            ctl({stopped, App});
        _ ->
            master_loop(App, Mod, Pid, State)
    end.

%%====================================================================
%% Environment and keys

get_env(App, Key) -> ctl({get_env, App, Key}).

get_env(App, Key, Default) ->
    case get_env(App, Key) of
        {ok, Value} -> Value;
        undefined -> Default
    end.

get_all_env(App) -> ctl({get_all_env, App}).

set_env(App, Key, Value) -> set_env(App, Key, Value, []).

set_env(App, Key, Value, Opts) ->
    ctl({set_env, App, Key, Value, proplists:get_value(persistent, Opts, false)}).

unset_env(App, Key) -> unset_env(App, Key, []).

unset_env(App, Key, Opts) ->
    ctl({unset_env, App, Key, proplists:get_value(persistent, Opts, false)}).

get_key(App, Key) -> ctl({get_key, App, Key}).

get_all_key(App) ->
    case ctl({get_all_key, App}) of
        undefined -> undefined;
        Props -> {ok, Props}
    end.

which_applications() -> ctl(which_applications).

which_applications(_Timeout) -> which_applications().

loaded_applications() -> ctl(loaded_applications).

%%====================================================================
%% The controller process

controller_name() ->
    list_to_atom(atom_to_list(?MODULE) ++ "_controller").

ctl(Req) ->
    Pid = controller(),
    Ref = erlang:monitor(process, Pid),
    Pid ! {?MODULE, self(), Ref, Req},
    receive
        {Ref, Reply} ->
            erlang:demonitor(Ref, [flush]),
            Reply;
        {'DOWN', Ref, process, Pid, Reason} ->
            exit({Reason, {?MODULE, Req}})
    end.

controller() ->
    Name = controller_name(),
    case whereis(Name) of
        undefined ->
            Ref = make_ref(),
            Pid = spawn(?MODULE, controller_init, [self(), Ref]),
            receive
                {Ref, true} -> Pid;
                {Ref, false} -> controller()
            end;
        Pid ->
            Pid
    end.

controller_init(From, Ref) ->
    Registered = try register(controller_name(), self()) catch _:_ -> false end,
    From ! {Ref, Registered},
    case Registered of
        true -> controller_loop(#{});
        false -> ok
    end.

%% Apps: App => #{props, env, status (loaded | starting | started |
%% stopping), type, master}.
controller_loop(Apps) ->
    receive
        {?MODULE, From, Ref, Req} ->
            {Reply, NApps} = handle(Req, Apps),
            From ! {Ref, Reply},
            controller_loop(NApps);
        _ ->
            controller_loop(Apps)
    end.

handle({load, App, Props, Arg}, Apps) ->
    %% Values set with {persistent, true} survive unload and override the
    %% description's env, as in OTP.
    Env = maps:merge(maps:from_list(env_of(Props)), persistent_env(App)),
    case Apps of
        #{App := #{status := unloaded} = A} ->
            {ok, Apps#{App := A#{props => Props, status => loaded,
                                 env => maps:merge(Env, maps:get(env, A))}}};
        #{App := _} ->
            {{error, {already_loaded, Arg}}, Apps};
        _ ->
            {ok, Apps#{App => #{props => Props, status => loaded, type => temporary,
                                master => undefined, env => Env}}}
    end;
handle({unload, App}, Apps) ->
    case Apps of
        #{App := #{status := loaded}} -> {ok, maps:remove(App, Apps)};
        #{App := #{status := unloaded}} -> {{error, {not_loaded, App}}, Apps};
        #{App := _} -> {{error, {running, App}}, Apps};
        _ -> {{error, {not_loaded, App}}, Apps}
    end;
handle({is_loaded, App}, Apps) ->
    case Apps of
        #{App := #{status := unloaded}} -> {false, Apps};
        #{App := _} -> {true, Apps};
        _ -> {false, Apps}
    end;
handle({is_started, App}, Apps) ->
    case Apps of
        #{App := #{status := started}} -> {true, Apps};
        _ -> {false, Apps}
    end;
handle({prepare_start, App}, Apps) ->
    case Apps of
        #{App := #{status := loaded, props := Props} = A} ->
            Deps = [D || D <- proplists:get_value(applications, Props, []),
                         not lists:member(D, ?ALWAYS_STARTED),
                         not started(D, Apps)],
            case Deps of
                [] -> {{ok, Props}, Apps#{App := A#{status := starting}}};
                [D | _] -> {{error, {not_started, D}}, Apps}
            end;
        #{App := #{status := unloaded}} ->
            {{error, {not_loaded, App}}, Apps};
        #{App := _} ->
            {{error, {already_started, App}}, Apps};
        _ ->
            {{error, {not_loaded, App}}, Apps}
    end;
handle({started, App, Type, Master}, Apps) ->
    #{App := A} = Apps,
    {ok, Apps#{App := A#{status := started, type := Type, master := Master}}};
handle({start_failed, App}, Apps) ->
    #{App := A} = Apps,
    {ok, Apps#{App := A#{status := loaded}}};
handle({prepare_stop, App}, Apps) ->
    case Apps of
        #{App := #{status := started, master := Master} = A} ->
            {{ok, Master}, Apps#{App := A#{status := stopping}}};
        _ ->
            {{error, {not_started, App}}, Apps}
    end;
handle({stopped, App}, Apps) ->
    case Apps of
        #{App := A} -> {ok, Apps#{App := A#{status := loaded, master := undefined}}};
        _ -> {ok, Apps}
    end;
handle({get_env, App, Key}, Apps) ->
    case Apps of
        #{App := #{env := #{Key := V}}} -> {{ok, V}, Apps};
        _ -> {undefined, Apps}
    end;
handle({get_all_env, App}, Apps) ->
    case Apps of
        #{App := #{env := Env}} -> {maps:to_list(Env), Apps};
        _ -> {[], Apps}
    end;
handle({set_env, App, Key, Value, Persistent}, Apps) ->
    case Persistent of
        true -> put({persistent, App}, maps:put(Key, Value, persistent_env(App)));
        false -> ok
    end,
    A = case Apps of
            #{App := A0} -> A0;
            _ -> #{props => [], status => unloaded, type => temporary,
                   master => undefined, env => #{}}
        end,
    {ok, Apps#{App => A#{env := maps:put(Key, Value, maps:get(env, A))}}};
handle({unset_env, App, Key, Persistent}, Apps) ->
    case Persistent of
        true -> put({persistent, App}, maps:remove(Key, persistent_env(App)));
        false -> ok
    end,
    case Apps of
        #{App := #{env := Env} = A} -> {ok, Apps#{App := A#{env := maps:remove(Key, Env)}}};
        _ -> {ok, Apps}
    end;
handle({get_key, App, Key}, Apps) ->
    case Apps of
        #{App := #{status := unloaded}} -> {undefined, Apps};
        #{App := #{props := Props}} ->
            case lists:keyfind(Key, 1, full_props(App, Props)) of
                {Key, V} -> {{ok, V}, Apps};
                false -> {undefined, Apps}
            end;
        _ -> {undefined, Apps}
    end;
handle({get_all_key, App}, Apps) ->
    case Apps of
        #{App := #{status := unloaded}} -> {undefined, Apps};
        #{App := #{props := Props}} -> {full_props(App, Props), Apps};
        _ -> {undefined, Apps}
    end;
handle(which_applications, Apps) ->
    {[{App, desc(Props), vsn(Props)}
      || {App, #{status := started, props := Props}} <- maps:to_list(Apps)], Apps};
handle(loaded_applications, Apps) ->
    {[{App, desc(Props), vsn(Props)}
      || {App, #{status := Status, props := Props}} <- maps:to_list(Apps),
         Status =/= unloaded], Apps};
handle(_Other, Apps) ->
    {{error, badarg}, Apps}.

persistent_env(App) ->
    case get({persistent, App}) of
        undefined -> #{};
        Env -> Env
    end.

started(App, Apps) ->
    case Apps of
        #{App := #{status := started}} -> true;
        _ -> false
    end.

env_of(Props) ->
    case lists:keyfind(env, 1, Props) of
        {env, Env} when is_list(Env) -> Env;
        _ -> []
    end.

desc(Props) -> proplists:get_value(description, Props, "").

vsn(Props) -> proplists:get_value(vsn, Props, "").

%% The keys OTP fills in with defaults.
full_props(_App, Props) ->
    Defaults = [{description, ""}, {id, ""}, {vsn, ""}, {modules, []},
                {maxP, infinity}, {maxT, infinity}, {registered, []},
                {included_applications, []}, {optional_applications, []},
                {applications, []}, {env, []}, {mod, []}, {start_phases, undefined}],
    [{K, proplists:get_value(K, Props, D)} || {K, D} <- Defaults].
