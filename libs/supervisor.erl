%% supervisor -- the supervisor behaviour for avmsim.
%%
%% A supervisor is a gen_server whose callback module is this module, as
%% in OTP; the user module provides init/1 returning
%% {ok, {SupFlags, ChildSpecs}} or ignore.  SupFlags and child specs may
%% be maps or the old tuple forms.  Supported: strategies one_for_one,
%% one_for_all, rest_for_one and simple_one_for_one; restart intensity
%% and period (exceeding it makes the supervisor terminate its children
%% and exit with reason shutdown); restart types permanent, transient and
%% temporary; shutdown brutal_kill, a timeout in milliseconds or
%% infinity.  Children start in order and are stopped in reverse order.
%%
%% The API (start_link/2,3, start_child/2, terminate_child/2,
%% delete_child/2, restart_child/2, which_children/1, count_children/1,
%% get_childspec/2, check_childspecs/1) returns what OTP 25 returns,
%% including the error terms; the internal child records that OTP puts
%% in a few of them ({error, {Reason, Child}} of start_child) have their
%% own layout here.  Supervisor reports (child_terminated, start_error,
%% shutdown_error, reached_max_restart_intensity) are printed through
%% logger; progress reports are not.  auto_shutdown/significant children
%% (OTP 24) are accepted in the flags and specs but never shut the
%% supervisor down by themselves.
-module(supervisor).

-behaviour(gen_server).

-export([start_link/2, start_link/3,
         start_child/2, restart_child/2, delete_child/2, terminate_child/2,
         which_children/1, count_children/1, get_childspec/2,
         check_childspecs/1, check_childspecs/2]).

%% gen_server callbacks.
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2,
         code_change/3]).

-callback init(Args :: term()) -> term().

-record(child, {pid = undefined,     % pid() | undefined | {restarting, pid() | undefined}
                id,
                mfargs,
                restart_type,
                significant = false,
                shutdown,
                child_type,
                modules = []}).

-record(state, {name,
                strategy,
                children = [],       % #child{}, most recently started first
                dynamics = #{},      % simple_one_for_one: Pid => Args
                intensity,
                period,
                restarts = [],
                auto_shutdown = never,
                module,
                args}).

-define(is_simple(State), State#state.strategy =:= simple_one_for_one).

%%====================================================================
%% API

start_link(Mod, Args) ->
    gen_server:start_link(?MODULE, {self, Mod, Args}, []).

start_link(SupName, Mod, Args) ->
    gen_server:start_link(SupName, ?MODULE, {SupName, Mod, Args}, []).

start_child(Sup, ChildSpecOrArgs) ->
    call(Sup, {start_child, ChildSpecOrArgs}).

restart_child(Sup, Id) ->
    call(Sup, {restart_child, Id}).

delete_child(Sup, Id) ->
    call(Sup, {delete_child, Id}).

terminate_child(Sup, IdOrPid) ->
    call(Sup, {terminate_child, IdOrPid}).

which_children(Sup) ->
    call(Sup, which_children).

count_children(Sup) ->
    call(Sup, count_children).

get_childspec(Sup, Id) ->
    call(Sup, {get_childspec, Id}).

call(Sup, Req) ->
    gen_server:call(Sup, Req, infinity).

check_childspecs(ChildSpecs) ->
    check_childspecs(ChildSpecs, undefined).

check_childspecs(ChildSpecs, _AutoShutdown) when is_list(ChildSpecs) ->
    case check_startspec(ChildSpecs) of
        {ok, _} -> ok;
        Error -> {error, Error}
    end;
check_childspecs(X, _AutoShutdown) ->
    {error, {badarg, X}}.

%%====================================================================
%% gen_server callbacks

init({SupName, Mod, Args}) ->
    process_flag(trap_exit, true),
    put('$initial_call', {supervisor, Mod, 1}),
    case Mod:init(Args) of
        {ok, {SupFlags, StartSpec}} ->
            case init_state(SupName, SupFlags, Mod, Args) of
                {ok, State} when ?is_simple(State) ->
                    init_dynamic(State, StartSpec);
                {ok, State} ->
                    init_children(State, StartSpec);
                Error ->
                    {stop, {supervisor_data, Error}}
            end;
        ignore ->
            ignore;
        Error ->
            {stop, {bad_return, {Mod, init, Error}}}
    end.

init_children(State, StartSpec) ->
    case check_startspec(StartSpec) of
        {ok, Children} ->
            case start_children(Children, State#state.name) of
                {ok, NChildren} ->
                    {ok, State#state{children = NChildren}};
                {error, NChildren, Reason} ->
                    _ = terminate_children(NChildren, State#state.name),
                    {stop, {shutdown, Reason}}
            end;
        Error ->
            {stop, {start_spec, Error}}
    end.

init_dynamic(State, [StartSpec]) ->
    case check_startspec([StartSpec]) of
        {ok, Children} -> {ok, State#state{children = Children}};
        Error -> {stop, {start_spec, Error}}
    end;
init_dynamic(_State, StartSpec) ->
    {stop, {bad_start_spec, StartSpec}}.

handle_call({start_child, EArgs}, _From, State) when ?is_simple(State) ->
    [Child] = State#state.children,
    {M, F, A} = Child#child.mfargs,
    Args = A ++ EArgs,
    case start_mfa(M, F, Args) of
        {ok, undefined} ->
            {reply, {ok, undefined}, State};
        {ok, Pid} ->
            {reply, {ok, Pid}, dyn_store(Pid, Args, State)};
        {ok, Pid, Extra} ->
            {reply, {ok, Pid, Extra}, dyn_store(Pid, Args, State)};
        Error ->
            {reply, Error, State}
    end;
handle_call({start_child, ChildSpec}, _From, State) ->
    case check_childspec(ChildSpec) of
        {ok, Child} ->
            {Resp, NState} = handle_start_child(Child, State),
            {reply, Resp, NState};
        What ->
            {reply, {error, What}, State}
    end;

handle_call({terminate_child, Id}, _From, State) when not is_pid(Id), ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({terminate_child, Pid}, _From, State) when ?is_simple(State) ->
    case find_dynamic(Pid, State) of
        {ok, Key} ->
            [Template] = State#state.children,
            do_terminate(Template#child{pid = Key}, State#state.name),
            {reply, ok, dyn_erase(Key, State)};
        error ->
            {reply, {error, not_found}, State}
    end;
handle_call({terminate_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} ->
            do_terminate(Child, State#state.name),
            {reply, ok, State#state{children = del_child(Child, State#state.children)}};
        error ->
            {reply, {error, not_found}, State}
    end;

handle_call({restart_child, _Id}, _From, State) when ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({restart_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, #child{pid = undefined} = Child} ->
            case start_child_rec(Child) of
                {ok, Pid} ->
                    {reply, {ok, Pid}, set_pid(Pid, Id, State)};
                {ok, Pid, Extra} ->
                    {reply, {ok, Pid, Extra}, set_pid(Pid, Id, State)};
                Error ->
                    {reply, Error, State}
            end;
        {ok, #child{pid = {restarting, _}}} ->
            {reply, {error, restarting}, State};
        {ok, _} ->
            {reply, {error, running}, State};
        error ->
            {reply, {error, not_found}, State}
    end;

handle_call({delete_child, _Id}, _From, State) when ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({delete_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, #child{pid = undefined}} ->
            {reply, ok, State#state{children = remove_child(Id, State#state.children)}};
        {ok, #child{pid = {restarting, _}}} ->
            {reply, {error, restarting}, State};
        {ok, _} ->
            {reply, {error, running}, State};
        error ->
            {reply, {error, not_found}, State}
    end;

handle_call({get_childspec, Pid}, _From, State) when ?is_simple(State) ->
    case find_dynamic(Pid, State) of
        {ok, _} ->
            [Child] = State#state.children,
            {reply, {ok, child_to_spec(Child)}, State};
        error ->
            {reply, {error, not_found}, State}
    end;
handle_call({get_childspec, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} -> {reply, {ok, child_to_spec(Child)}, State};
        error -> {reply, {error, not_found}, State}
    end;

handle_call(which_children, _From, State) when ?is_simple(State) ->
    [#child{child_type = CT, modules = Mods}] = State#state.children,
    Reply = [{undefined, child_pid(Pid), CT, Mods}
             || {Pid, _} <- maps:to_list(State#state.dynamics)],
    {reply, Reply, State};
handle_call(which_children, _From, State) ->
    Reply = [{Id, child_pid(Pid), CT, Mods}
             || #child{id = Id, pid = Pid, child_type = CT, modules = Mods}
                    <- State#state.children],
    {reply, Reply, State};

handle_call(count_children, _From, State) when ?is_simple(State) ->
    [#child{child_type = CT}] = State#state.children,
    Pids = maps:keys(State#state.dynamics),
    Active = length([P || P <- Pids, is_pid(P), is_process_alive(P)]),
    N = length(Pids),
    Reply = case CT of
                supervisor -> [{specs, 1}, {active, Active}, {supervisors, N}, {workers, 0}];
                worker -> [{specs, 1}, {active, Active}, {supervisors, 0}, {workers, N}]
            end,
    {reply, Reply, State};
handle_call(count_children, _From, State) ->
    Children = State#state.children,
    Active = length([C || #child{pid = P} = C <- Children, is_pid(P)]),
    Sups = length([C || #child{child_type = supervisor} = C <- Children]),
    Specs = length(Children),
    {reply, [{specs, Specs}, {active, Active}, {supervisors, Sups},
             {workers, Specs - Sups}], State};

handle_call(_Other, _From, State) ->
    {reply, {error, unexpected_call}, State}.

handle_cast({try_again_restart, TryAgainId}, State) ->
    case find_restarting(TryAgainId, State) of
        {ok, Child} ->
            case restart(Child, State) of
                {ok, NState} -> {noreply, NState};
                {shutdown, NState} -> {stop, shutdown, NState}
            end;
        error ->
            {noreply, State}
    end;
handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info({'EXIT', Pid, Reason}, State) ->
    case restart_child(Pid, Reason, State) of
        {ok, NState} -> {noreply, NState};
        {shutdown, NState} -> {stop, shutdown, NState}
    end;
handle_info(Msg, State) ->
    logger:'$report'(error, error,
                     io_lib:format("Supervisor received unexpected message: ~tp~n", [Msg])),
    {noreply, State}.

terminate(_Reason, State) when ?is_simple(State) ->
    terminate_dynamic_children(State);
terminate(_Reason, State) ->
    _ = terminate_children(State#state.children, State#state.name),
    ok.

code_change(_, State, _) ->
    case (State#state.module):init(State#state.args) of
        {ok, {SupFlags, _StartSpec}} ->
            case set_flags(SupFlags, State) of
                {ok, NState} -> {ok, NState};
                Error -> Error
            end;
        ignore -> {ok, State};
        Error -> Error
    end.

%%====================================================================
%% Flags and child specs

init_state(SupName, Flags, Mod, Args) ->
    set_flags(Flags, #state{name = supname(SupName, Mod), module = Mod, args = Args}).

supname(self, Mod) -> {self(), Mod};
supname(N, _) -> N.

set_flags(Flags, State) ->
    try check_flags(Flags) of
        #{strategy := Strategy, intensity := MaxIntensity, period := Period,
          auto_shutdown := AutoShutdown} ->
            {ok, State#state{strategy = Strategy, intensity = MaxIntensity,
                             period = Period, auto_shutdown = AutoShutdown}}
    catch
        throw:Thrown -> Thrown
    end.

check_flags(SupFlags) when is_map(SupFlags) ->
    do_check_flags(maps:merge(#{strategy => one_for_one, intensity => 1, period => 5,
                                auto_shutdown => never}, SupFlags));
check_flags({Strategy, MaxIntensity, Period}) ->
    check_flags(#{strategy => Strategy, intensity => MaxIntensity, period => Period});
check_flags(What) ->
    throw({invalid_type, What}).

do_check_flags(#{strategy := Strategy, intensity := MaxIntensity, period := Period,
                 auto_shutdown := AutoShutdown} = Flags) ->
    case lists:member(Strategy, [one_for_one, one_for_all, rest_for_one,
                                 simple_one_for_one]) of
        true -> ok;
        false -> throw({invalid_strategy, Strategy})
    end,
    case is_integer(MaxIntensity) andalso MaxIntensity >= 0 of
        true -> ok;
        false -> throw({invalid_intensity, MaxIntensity})
    end,
    case is_integer(Period) andalso Period > 0 of
        true -> ok;
        false -> throw({invalid_period, Period})
    end,
    case lists:member(AutoShutdown, [never, any_significant, all_significant]) of
        true -> ok;
        false -> throw({invalid_auto_shutdown, AutoShutdown})
    end,
    case Strategy =:= simple_one_for_one andalso AutoShutdown =/= never of
        true -> throw({bad_combination, [{strategy, Strategy}, {auto_shutdown, AutoShutdown}]});
        false -> ok
    end,
    Flags.

%% Returns {ok, Children} (most recent first) or an error term.
check_startspec(Children) ->
    check_startspec(Children, [], #{}).

check_startspec([ChildSpec | T], Res, Ids) ->
    case check_childspec(ChildSpec) of
        {ok, #child{id = Id} = Child} ->
            case Ids of
                #{Id := _} -> {duplicate_child_name, Id};
                _ -> check_startspec(T, [Child | Res], Ids#{Id => true})
            end;
        Error ->
            Error
    end;
check_startspec([], Res, _Ids) ->
    {ok, Res};
check_startspec(X, _, _) ->
    {invalid_child_spec, X}.

check_childspec(ChildSpec) when is_map(ChildSpec) ->
    try
        do_check_childspec(maps:merge(#{restart => permanent, type => worker}, ChildSpec))
    catch
        throw:Error -> Error
    end;
check_childspec({Id, Func, RestartType, Shutdown, ChildType, Mods}) ->
    check_childspec(#{id => Id, start => Func, restart => RestartType,
                      shutdown => Shutdown, type => ChildType, modules => Mods});
check_childspec(X) ->
    {invalid_child_spec, X}.

do_check_childspec(#{restart := RestartType, type := ChildType} = Spec) ->
    Id = case Spec of
             #{id := I} -> I;
             _ -> throw(missing_id)
         end,
    Func = case Spec of
               #{start := F} -> F;
               _ -> throw(missing_start)
           end,
    case Func of
        {M, Fn, A} when is_atom(M), is_atom(Fn), is_list(A) -> ok;
        _ -> throw({invalid_mfa, Func})
    end,
    case lists:member(RestartType, [permanent, transient, temporary]) of
        true -> ok;
        false -> throw({invalid_restart_type, RestartType})
    end,
    Significant = maps:get(significant, Spec, false),
    case is_boolean(Significant) of
        true -> ok;
        false -> throw({invalid_significant, Significant})
    end,
    case lists:member(ChildType, [worker, supervisor]) of
        true -> ok;
        false -> throw({invalid_child_type, ChildType})
    end,
    Shutdown = case Spec of
                   #{shutdown := S} -> S;
                   #{type := worker} -> 5000;
                   #{type := supervisor} -> infinity
               end,
    case Shutdown of
        brutal_kill -> ok;
        infinity -> ok;
        T when is_integer(T), T >= 0 -> ok;
        _ -> throw({invalid_shutdown, Shutdown})
    end,
    Mods = case Spec of
               #{modules := Ms} -> Ms;
               _ -> [element(1, Func)]
           end,
    case Mods of
        dynamic -> ok;
        _ when is_list(Mods) ->
            lists:foreach(fun(Mod) when is_atom(Mod) -> ok;
                             (Mod) -> throw({invalid_module, Mod})
                          end, Mods);
        _ -> throw({invalid_modules, Mods})
    end,
    {ok, #child{id = Id, mfargs = Func, restart_type = RestartType,
                significant = Significant, shutdown = Shutdown,
                child_type = ChildType, modules = Mods}}.

child_to_spec(#child{id = Id, mfargs = Func, restart_type = RestartType,
                     significant = Significant, shutdown = Shutdown,
                     child_type = ChildType, modules = Mods}) ->
    #{id => Id, start => Func, restart => RestartType, significant => Significant,
      shutdown => Shutdown, type => ChildType, modules => Mods}.

%%====================================================================
%% Starting children

%% Children are kept most recent first; start them oldest first.
start_children(Children, SupName) ->
    start_children(lists:reverse(Children), [], SupName).

start_children([Child | Rest], Started, SupName) ->
    case start_child_rec(Child) of
        {ok, undefined} when Child#child.restart_type =:= temporary ->
            start_children(Rest, Started, SupName);
        {ok, Pid} ->
            start_children(Rest, [Child#child{pid = Pid} | Started], SupName);
        {ok, Pid, _Extra} ->
            start_children(Rest, [Child#child{pid = Pid} | Started], SupName);
        {error, Reason} ->
            report_error(start_error, Reason, Child, SupName),
            {error, lists:reverse(Rest, [Child | Started]),
             {failed_to_start_child, Child#child.id, Reason}}
    end;
start_children([], Started, _SupName) ->
    {ok, Started}.

start_child_rec(#child{mfargs = {M, F, A}}) ->
    start_mfa(M, F, A).

start_mfa(M, F, A) ->
    case catch apply(M, F, A) of
        {ok, Pid} when is_pid(Pid) -> {ok, Pid};
        {ok, Pid, Extra} when is_pid(Pid) -> {ok, Pid, Extra};
        ignore -> {ok, undefined};
        {error, Error} -> {error, Error};
        What -> {error, What}
    end.

handle_start_child(Child, State) ->
    case find_child(Child#child.id, State) of
        error ->
            case start_child_rec(Child) of
                {ok, undefined} when Child#child.restart_type =:= temporary ->
                    {{ok, undefined}, State};
                {ok, Pid} ->
                    {{ok, Pid}, save_child(Child#child{pid = Pid}, State)};
                {ok, Pid, Extra} ->
                    {{ok, Pid, Extra}, save_child(Child#child{pid = Pid}, State)};
                {error, What} ->
                    {{error, {What, child_to_spec(Child)}}, State}
            end;
        {ok, #child{pid = Pid}} when is_pid(Pid) ->
            {{error, {already_started, Pid}}, State};
        {ok, _} ->
            {{error, already_present}, State}
    end.

save_child(Child, State) ->
    State#state{children = [Child | State#state.children]}.

%%====================================================================
%% Restarting

restart_child(Pid, Reason, State) when ?is_simple(State) ->
    case State#state.dynamics of
        #{Pid := Args} ->
            [Template] = State#state.children,
            {M, F, _} = Template#child.mfargs,
            Child = Template#child{pid = Pid, mfargs = {M, F, Args}},
            do_restart(Template#child.restart_type, Reason, Child, State);
        _ ->
            {ok, State}
    end;
restart_child(Pid, Reason, State) ->
    case lists:keyfind(Pid, #child.pid, State#state.children) of
        #child{restart_type = RestartType} = Child ->
            do_restart(RestartType, Reason, Child, State);
        false ->
            {ok, State}
    end.

do_restart(permanent, Reason, Child, State) ->
    report_error(child_terminated, Reason, Child, State#state.name),
    restart(Child, State);
do_restart(Type, Reason, Child, State) ->
    case is_normal(Reason) of
        true ->
            {ok, state_del_child(Child, State)};
        false when Type =:= transient ->
            report_error(child_terminated, Reason, Child, State#state.name),
            restart(Child, State);
        false ->
            report_error(child_terminated, Reason, Child, State#state.name),
            {ok, state_del_child(Child, State)}
    end.

is_normal(normal) -> true;
is_normal(shutdown) -> true;
is_normal({shutdown, _}) -> true;
is_normal(_) -> false.

restart(Child, State) ->
    case add_restart(State) of
        {ok, NState} ->
            case do_restart_strategy(NState#state.strategy, Child, NState) of
                {{try_again, TryAgainId}, NState2} ->
                    gen_server:cast(self(), {try_again_restart, TryAgainId}),
                    {ok, NState2};
                Other ->
                    Other
            end;
        {terminate, NState} ->
            report_error(shutdown, reached_max_restart_intensity, Child, State#state.name),
            {shutdown, state_del_child(Child, NState)}
    end.

do_restart_strategy(simple_one_for_one, Child, State0) ->
    #child{pid = OldPid, mfargs = {M, F, A}} = Child,
    State1 = dyn_erase(OldPid, State0),
    case start_mfa(M, F, A) of
        {ok, undefined} -> {ok, State1};
        {ok, Pid} -> {ok, dyn_store(Pid, A, State1)};
        {ok, Pid, _Extra} -> {ok, dyn_store(Pid, A, State1)};
        {error, Error} ->
            RPid = restarting(OldPid),
            report_error(start_error, Error, Child, State1#state.name),
            {{try_again, RPid}, dyn_store(RPid, A, State1)}
    end;
do_restart_strategy(one_for_one, #child{id = Id} = Child, State) ->
    case start_child_rec(Child) of
        {ok, Pid} -> {ok, set_pid(Pid, Id, State)};
        {ok, Pid, _Extra} -> {ok, set_pid(Pid, Id, State)};
        {error, Reason} ->
            report_error(start_error, Reason, Child, State#state.name),
            {{try_again, Id}, set_pid(restarting(Child#child.pid), Id, State)}
    end;
do_restart_strategy(rest_for_one, #child{id = Id} = Child, State) ->
    %% Children are most recent first: those before Id in the list were
    %% started after it.
    {After, [_ | Before]} = lists:splitwith(fun(#child{id = I}) -> I =/= Id end,
                                            State#state.children),
    {Return, NAfter} = restart_multiple_children(Child, After ++ [Child#child{pid = undefined}],
                                                 State#state.name),
    {Return, State#state{children = NAfter ++ Before}};
do_restart_strategy(one_for_all, Child, State) ->
    Children = [case C#child.id =:= Child#child.id of
                    true -> C#child{pid = undefined};
                    false -> C
                end || C <- State#state.children],
    {Return, NChildren} = restart_multiple_children(Child, Children, State#state.name),
    {Return, State#state{children = NChildren}}.

restart_multiple_children(Child, Children, SupName) ->
    Children1 = terminate_children(Children, SupName),
    case start_children(Children1, SupName) of
        {ok, NChildren} ->
            {ok, NChildren};
        {error, NChildren, {failed_to_start_child, FailedId, _Reason}} ->
            NewPid = case FailedId =:= Child#child.id of
                         true -> restarting(Child#child.pid);
                         false -> restarting(undefined)
                     end,
            {{try_again, FailedId},
             [case C#child.id =:= FailedId of
                  true -> C#child{pid = NewPid};
                  false -> C
              end || C <- NChildren]}
    end.

restarting({restarting, _} = R) -> R;
restarting(Pid) -> {restarting, Pid}.

find_restarting(TryAgainId, State) when ?is_simple(State) ->
    case State#state.dynamics of
        #{TryAgainId := Args} ->
            [Template] = State#state.children,
            {M, F, _} = Template#child.mfargs,
            {ok, Template#child{pid = TryAgainId, mfargs = {M, F, Args}}};
        _ -> error
    end;
find_restarting(TryAgainId, State) ->
    case find_child(TryAgainId, State) of
        {ok, #child{pid = {restarting, _}} = Child} -> {ok, Child};
        _ -> error
    end.

add_restart(State) ->
    Now = erlang:monotonic_time(second),
    Threshold = Now - State#state.period,
    Restarts = [Now | lists:takewhile(fun(R) -> R >= Threshold end, State#state.restarts)],
    NState = State#state{restarts = Restarts},
    case length(Restarts) =< State#state.intensity of
        true -> {ok, NState};
        false -> {terminate, NState}
    end.

%%====================================================================
%% Terminating children

%% Terminate every running child, most recent first.  Temporary children
%% are removed, the others keep their spec with pid undefined.
terminate_children(Children, SupName) ->
    lists:reverse(terminate_children(Children, SupName, [])).

terminate_children(Children, SupName, Acc0) ->
    lists:foldl(fun(Child, Acc) ->
                        case Child of
                            #child{pid = P} when is_pid(P) -> do_terminate(Child, SupName);
                            _ -> ok
                        end,
                        case Child#child.restart_type of
                            temporary -> Acc;
                            _ -> [Child#child{pid = undefined} | Acc]
                        end
                end, Acc0, Children).

do_terminate(#child{pid = Pid} = Child, SupName) when is_pid(Pid) ->
    case shutdown(Child) of
        ok -> ok;
        {error, normal} when Child#child.restart_type =/= permanent -> ok;
        {error, OtherReason} -> report_error(shutdown_error, OtherReason, Child, SupName)
    end,
    ok;
do_terminate(_Child, _SupName) ->
    ok.

shutdown(#child{pid = Pid, shutdown = brutal_kill} = Child) ->
    Mon = erlang:monitor(process, Pid),
    exit(Pid, kill),
    receive
        {'DOWN', Mon, process, Pid, Reason0} ->
            shutdown_result(unlink_flush(Pid, Reason0), killed, Child)
    end;
shutdown(#child{pid = Pid, shutdown = Time} = Child) ->
    Mon = erlang:monitor(process, Pid),
    exit(Pid, shutdown),
    receive
        {'DOWN', Mon, process, Pid, Reason0} ->
            shutdown_result(unlink_flush(Pid, Reason0), shutdown, Child)
    after Time ->
        exit(Pid, kill),
        receive
            {'DOWN', Mon, process, Pid, Reason0} ->
                shutdown_result(unlink_flush(Pid, Reason0), shutdown, Child)
        end
    end.

shutdown_result(Expected, Expected, _Child) -> ok;
shutdown_result(Reason, _Expected, #child{restart_type = permanent}) -> {error, Reason};
shutdown_result(shutdown, _Expected, _Child) -> ok;
shutdown_result({shutdown, _}, _Expected, _Child) -> ok;
shutdown_result(normal, _Expected, _Child) -> ok;
shutdown_result(Reason, _Expected, _Child) -> {error, Reason}.

unlink_flush(Pid, DefaultReason) ->
    unlink(Pid),
    receive
        {'EXIT', Pid, Reason} -> Reason
    after 0 -> DefaultReason
    end.

terminate_dynamic_children(State) ->
    [#child{shutdown = Shutdown}] = State#state.children,
    Pids = [P || P <- maps:keys(State#state.dynamics), is_pid(P)],
    Signal = case Shutdown of
                 brutal_kill -> kill;
                 _ -> shutdown
             end,
    Mons = [begin
                M = erlang:monitor(process, P),
                unlink(P),
                exit(P, Signal),
                {P, M}
            end || P <- Pids],
    TRef = case Shutdown of
               T when is_integer(T) -> erlang:start_timer(T, self(), kill);
               _ -> undefined
           end,
    wait_dynamic_children(Mons, TRef),
    case TRef of
        undefined -> ok;
        _ -> erlang:cancel_timer(TRef)
    end,
    [receive {'EXIT', P, _} -> ok after 0 -> ok end || P <- Pids],
    ok.

wait_dynamic_children([], _TRef) ->
    ok;
wait_dynamic_children(Mons, TRef) ->
    receive
        {'DOWN', M, process, _, _} ->
            wait_dynamic_children(lists:keydelete(M, 2, Mons), TRef);
        {timeout, TRef, kill} ->
            [exit(P, kill) || {P, _} <- Mons],
            wait_dynamic_children(Mons, undefined)
    end.

%%====================================================================
%% Child list helpers

%% A dynamic child by pid; as in OTP, a pid that is not (or no longer)
%% a child but is dead counts as found.
find_dynamic(Pid, State) when is_pid(Pid) ->
    Dyn = State#state.dynamics,
    case maps:is_key(Pid, Dyn) of
        true -> {ok, Pid};
        false ->
            case maps:is_key({restarting, Pid}, Dyn) of
                true -> {ok, {restarting, Pid}};
                false ->
                    case is_process_alive(Pid) of
                        true -> error;
                        false -> {ok, Pid}
                    end
            end
    end;
find_dynamic(_, _State) ->
    error.

find_child(Id, State) ->
    case lists:keyfind(Id, #child.id, State#state.children) of
        false -> error;
        Child -> {ok, Child}
    end.

set_pid(Pid, Id, State) ->
    State#state{children = [case C#child.id =:= Id of
                                true -> C#child{pid = Pid};
                                false -> C
                            end || C <- State#state.children]}.

remove_child(Id, Children) ->
    lists:keydelete(Id, #child.id, Children).

del_child(#child{restart_type = temporary, id = Id}, Children) ->
    remove_child(Id, Children);
del_child(#child{id = Id}, Children) ->
    [case C#child.id =:= Id of
         true -> C#child{pid = undefined};
         false -> C
     end || C <- Children].

state_del_child(#child{pid = Pid}, State) when ?is_simple(State) ->
    dyn_erase(Pid, State);
state_del_child(Child, State) ->
    State#state{children = del_child(Child, State#state.children)}.

dyn_store(Pid, Args, State) ->
    State#state{dynamics = maps:put(Pid, Args, State#state.dynamics)}.

dyn_erase(Pid, State) ->
    State#state{dynamics = maps:remove(Pid, State#state.dynamics)}.

child_pid({restarting, _}) -> restarting;
child_pid(Pid) -> Pid.

%%====================================================================
%% Reports

report_error(Error, Reason, Child, SupName) ->
    logger:'$report'(error, supervisor_report,
                     fun() -> report_error_text(Error, Reason, Child, SupName) end).

report_error_text(Error, Reason, Child, SupName) ->
    Offender = [{pid, child_pid(Child#child.pid)}, {id, Child#child.id},
                {mfargs, Child#child.mfargs}, {restart_type, Child#child.restart_type},
                {significant, Child#child.significant},
                {shutdown, Child#child.shutdown}, {child_type, Child#child.child_type}],
    Text = io_lib:format("    supervisor: ~tp~n"
                         "    errorContext: ~tp~n"
                         "    reason: ~tp~n"
                         "    offender: ~tp~n",
                         [SupName, Error, Reason, Offender]),
    Text.
