%% gen_event -- event managers and handlers for avmsim.
%%
%% Follows OTP 25: start/0,1,2, start_link/0,1,2, start_monitor/0,1,2,
%% add_handler/3, add_sup_handler/3, delete_handler/3, swap_handler/3,
%% swap_sup_handler/3, notify/2, sync_notify/2, call/3,4,
%% which_handlers/1, stop/1,3.  A handler is Module or {Module, Id}.
%%
%% Handlers are kept most recently added first, and events are given to
%% them in that order, as in OTP.  A handler that crashes or returns a bad
%% value is removed (terminate/2 is called with {error, Reason}) and an
%% error report is printed; the manager keeps running.  Handlers added
%% with add_sup_handler/3 are linked to the caller: they are removed when
%% it exits (terminate/2 gets {stop, Reason}), and the caller gets
%% {gen_event_EXIT, Handler, Reason} when such a handler is removed
%% (also by delete_handler/3, as in OTP).  A handler that is already
%% installed can be added again, as in OTP.
%%
%% Differences: no process aliases; the manager's messages use the
%% gen_server call protocol; hibernate is a no-op; {global, _} names
%% raise badarg.
-module(gen_event).

-export([start/0, start/1, start/2, start_link/0, start_link/1, start_link/2,
         start_monitor/0, start_monitor/1, start_monitor/2,
         add_handler/3, add_sup_handler/3, delete_handler/3,
         swap_handler/3, swap_sup_handler/3,
         notify/2, sync_notify/2, call/3, call/4,
         which_handlers/1, stop/1, stop/3]).

%% Internal exports.
-export([init_it/5, system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2, system_code_change/4, format_status/2]).

-callback init(InitArgs :: term()) -> term().
-callback handle_event(Event :: term(), State :: term()) -> term().
-callback handle_call(Request :: term(), State :: term()) -> term().
-callback handle_info(Info :: term(), State :: term()) -> term().
-callback terminate(Arg :: term(), State :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Extra :: term()) -> term().
-optional_callbacks([handle_info/2, terminate/2, code_change/3]).

-record(handler, {module, id = false, state, supervised = false}).

%%====================================================================
%% Starting

start() -> do_start(nolink, self, []).
start(Name) when is_tuple(Name) -> do_start(nolink, check_name(Name), []);
start(Opts) when is_list(Opts) -> do_start(nolink, self, Opts).
start(Name, Opts) -> do_start(nolink, check_name(Name), Opts).

start_link() -> do_start(link, self, []).
start_link(Name) when is_tuple(Name) -> do_start(link, check_name(Name), []);
start_link(Opts) when is_list(Opts) -> do_start(link, self, Opts).
start_link(Name, Opts) -> do_start(link, check_name(Name), Opts).

start_monitor() -> do_start(monitor, self, []).
start_monitor(Name) when is_tuple(Name) -> do_start(monitor, check_name(Name), []);
start_monitor(Opts) when is_list(Opts) -> do_start(monitor, self, Opts).
start_monitor(Name, Opts) -> do_start(monitor, check_name(Name), Opts).

check_name({local, Name} = N) when is_atom(Name) -> N;
check_name({via, Mod, _} = N) when is_atom(Mod) -> N;
check_name(Other) -> erlang:error(badarg, [Other]).

do_start(LinkMode, Name, Opts) ->
    Timeout = case lists:keyfind(timeout, 1, Opts) of
                  {timeout, T} -> T;
                  false -> infinity
              end,
    SpawnOpts = case lists:keyfind(spawn_opt, 1, Opts) of
                    {spawn_opt, SO} -> SO;
                    false -> []
                end,
    Args = [self(), Name, Opts, LinkMode, []],
    case LinkMode of
        link -> proc_lib:start_link(?MODULE, init_it, Args, Timeout, SpawnOpts);
        nolink -> proc_lib:start(?MODULE, init_it, Args, Timeout, SpawnOpts);
        monitor ->
            case proc_lib:start_monitor(?MODULE, init_it, Args, Timeout, SpawnOpts) of
                {{ok, Pid}, Mon} -> {ok, {Pid, Mon}};
                {Error, Mon} ->
                    receive {'DOWN', Mon, process, _, _} -> ok end,
                    Error
            end
    end.

init_it(Starter, Name, _Opts, LinkMode, _) ->
    Parent = case LinkMode of
                 link -> Starter;
                 _ -> self()
             end,
    Registered = case Name of
                     self -> true;
                     {local, N} ->
                         try register(N, self()) catch error:_ -> {false, whereis(N)} end;
                     {via, Mod, N} ->
                         case Mod:register_name(N, self()) of
                             yes -> true;
                             _ -> {false, Mod:whereis_name(N)}
                         end
                 end,
    case Registered of
        true ->
            process_flag(trap_exit, true),
            put('$initial_call', {gen_event, init_it, 6}),
            proc_lib:init_ack(Starter, {ok, self()}),
            ReportName = case Name of
                             self -> self();
                             {local, N2} -> N2;
                             {via, _, N2} -> N2
                         end,
            loop(Parent, ReportName, []);
        {false, Pid} ->
            proc_lib:init_ack(Starter, {error, {already_started, Pid}})
    end.

%%====================================================================
%% API

add_handler(M, Handler, Args) -> rpc(M, {add_handler, Handler, Args}).

add_sup_handler(M, Handler, Args) -> rpc(M, {add_sup_handler, Handler, Args, self()}).

delete_handler(M, Handler, Args) -> rpc(M, {delete_handler, Handler, Args}).

swap_handler(M, {H1, A1}, {H2, A2}) -> rpc(M, {swap_handler, H1, A1, H2, A2}).

swap_sup_handler(M, {H1, A1}, {H2, A2}) ->
    rpc(M, {swap_sup_handler, H1, A1, H2, A2, self()}).

which_handlers(M) -> rpc(M, which_handlers).

sync_notify(M, Event) -> rpc(M, {sync_notify, Event}).

notify(M, Event) -> send(M, {notify, Event}).

call(M, Handler, Query) ->
    try gen_server:'$call'(M, '$gen_call', {call, Handler, Query}, 5000) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {gen_event, call, [M, Handler, Query]}})
    end.

call(M, Handler, Query, Timeout) ->
    try gen_server:'$call'(M, '$gen_call', {call, Handler, Query}, Timeout) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {gen_event, call, [M, Handler, Query, Timeout]}})
    end.

stop(M) -> stop(M, normal, infinity).

stop(M, Reason, Timeout) ->
    case gen_server:'$where'(M) of
        undefined -> exit(noproc);
        Pid -> proc_lib:stop(Pid, Reason, Timeout)
    end.

rpc(M, Cmd) ->
    {ok, Reply} = gen_server:'$call'(M, '$gen_call', Cmd, infinity),
    Reply.

send(M, Cmd) when is_pid(M); is_atom(M) ->
    M ! Cmd,
    ok;
send({Name, Node}, Cmd) when is_atom(Name), is_atom(Node) ->
    case Node =:= node() of
        true -> Name ! Cmd;
        false -> ok
    end,
    ok;
send({via, Mod, Name}, Cmd) ->
    catch Mod:send(Name, Cmd),
    ok;
send(_, _Cmd) ->
    ok.

%%====================================================================
%% The manager loop

loop(Parent, Name, Handlers) ->
    receive
        Msg -> handle_msg(Msg, Parent, Name, Handlers)
    end.

handle_msg(Msg, Parent, Name, Handlers) ->
    case Msg of
        {system, From, Req} ->
            sys:handle_system_msg(Req, From, Parent, ?MODULE, [], {Name, Handlers});
        {'EXIT', Parent, Reason} ->
            terminate_server(Reason, Handlers);
        {'$gen_call', From, Cmd} ->
            case handle_call_msg(Cmd, From, Name, Handlers) of
                {reply, Reply, NHandlers} ->
                    reply(From, Reply),
                    loop(Parent, Name, NHandlers);
                {noreply, NHandlers} ->
                    loop(Parent, Name, NHandlers)
            end;
        {notify, Event} ->
            loop(Parent, Name, dispatch(handle_event, Event, Name, Handlers));
        {'EXIT', Pid, Reason} ->
            case [H || H <- Handlers, H#handler.supervised =:= Pid] of
                [] ->
                    loop(Parent, Name, dispatch(handle_info, Msg, Name, Handlers));
                Supervised ->
                    NHandlers = lists:foldl(
                                  fun(H, Acc) ->
                                          do_terminate(H, {stop, Reason}, Msg, Name, normal),
                                          lists:delete(H, Acc)
                                  end, Handlers, Supervised),
                    loop(Parent, Name, NHandlers)
            end;
        _ ->
            loop(Parent, Name, dispatch(handle_info, Msg, Name, Handlers))
    end.

reply({To, Tag}, Reply) ->
    To ! {Tag, Reply},
    ok.

handle_call_msg({add_handler, Handler, Args}, _From, _Name, Handlers) ->
    {Reply, NHandlers} = add(Handler, Args, false, Handlers),
    {reply, Reply, NHandlers};
handle_call_msg({add_sup_handler, Handler, Args, SupPid}, _From, _Name, Handlers) ->
    {Reply, NHandlers} = add(Handler, Args, SupPid, Handlers),
    case Reply of
        ok -> link(SupPid);
        _ -> ok
    end,
    {reply, Reply, NHandlers};
handle_call_msg({delete_handler, Handler, Args}, _From, Name, Handlers) ->
    case find(Handler, Handlers) of
        {ok, H} ->
            Reply = do_terminate(H, Args, delete, Name, delete),
            {reply, Reply, lists:delete(H, Handlers)};
        error ->
            {reply, {error, module_not_found}, Handlers}
    end;
handle_call_msg({swap_handler, H1, A1, H2, A2}, _From, Name, Handlers) ->
    {Reply, NHandlers} = swap(H1, A1, H2, A2, keep, Name, Handlers),
    {reply, Reply, NHandlers};
handle_call_msg({swap_sup_handler, H1, A1, H2, A2, SupPid}, _From, Name, Handlers) ->
    {Reply, NHandlers} = swap(H1, A1, H2, A2, SupPid, Name, Handlers),
    {reply, Reply, NHandlers};
handle_call_msg(which_handlers, _From, _Name, Handlers) ->
    {reply, [handler_id(H) || H <- Handlers], Handlers};
handle_call_msg({sync_notify, Event}, _From, Name, Handlers) ->
    {reply, ok, dispatch(handle_event, Event, Name, Handlers)};
handle_call_msg({call, Handler, Query}, From, Name, Handlers) ->
    case find(Handler, Handlers) of
        {ok, H} ->
            call_handler(H, Query, From, Name, Handlers);
        error ->
            {reply, {error, bad_module}, Handlers}
    end;
handle_call_msg(_Other, _From, _Name, Handlers) ->
    {reply, {error, unknown_request}, Handlers}.

handler_id(#handler{module = M, id = false}) -> M;
handler_id(#handler{module = M, id = Id}) -> {M, Id}.

split_handler({M, Id}) -> {M, Id};
split_handler(M) -> {M, false}.

find(Handler, Handlers) ->
    {M, Id} = split_handler(Handler),
    case [H || #handler{module = HM, id = HId} = H <- Handlers, HM =:= M, HId =:= Id] of
        [H | _] -> {ok, H};
        [] -> error
    end.

add(Handler, Args, Supervised, Handlers) ->
    %% As in OTP, adding a handler that is already installed is not
    %% refused: both copies receive the events.
    {M, Id} = split_handler(Handler),
    case catch M:init(Args) of
        {ok, State} ->
            {ok, [#handler{module = M, id = Id, state = State,
                           supervised = Supervised} | Handlers]};
        {ok, State, hibernate} ->
            {ok, [#handler{module = M, id = Id, state = State,
                           supervised = Supervised} | Handlers]};
        Other ->
            {Other, Handlers}
    end.

swap(H1, A1, H2, A2, Sup, Name, Handlers) ->
    {Res, Handlers1, OldSup} =
        case find(H1, Handlers) of
            {ok, H} ->
                {do_terminate(H, A1, swap, Name, swap), lists:delete(H, Handlers),
                 H#handler.supervised};
            error ->
                {error, Handlers, false}
        end,
    Supervised = case Sup of
                     keep -> OldSup;
                     _ -> Sup
                 end,
    case add(H2, {A2, Res}, Supervised, Handlers1) of
        {ok, NHandlers} ->
            case Supervised of
                Pid when is_pid(Pid) -> link(Pid);
                _ -> ok
            end,
            {ok, NHandlers};
        {Error, NHandlers} ->
            {Error, NHandlers}
    end.

%% Give an event (or info message) to every handler, most recent first.
dispatch(Func, Event, Name, Handlers) ->
    lists:reverse(lists:foldl(fun(H, Acc) ->
                                      case update(H, Func, Event, Name, Acc) of
                                          {keep, NH} -> [NH | Acc];
                                          {swapped, NAcc} -> NAcc;
                                          remove -> Acc
                                      end
                              end, [], Handlers)).

update(#handler{module = M, state = State} = H, Func, Event, Name, Acc) ->
    case catch M:Func(Event, State) of
        {ok, NState} ->
            {keep, H#handler{state = NState}};
        {ok, NState, hibernate} ->
            {keep, H#handler{state = NState}};
        {swap_handler, A1, NState, H2, A2} ->
            {_Reply, NAcc} = swap_in(H#handler{state = NState}, A1, H2, A2, Name, Acc),
            {swapped, NAcc};
        remove_handler ->
            do_terminate(H, remove_handler, Event, Name, remove),
            remove;
        {'EXIT', {undef, [{M, handle_info, [_, _], _} | _]}} when Func =:= handle_info ->
            logger:'$report'(warning, warning_msg,
                             io_lib:format("** Undefined handle_info in ~tp~n"
                                           "** Unhandled message: ~tp~n", [M, Event])),
            {keep, H};
        Other ->
            do_terminate(H, {error, Other}, Event, Name, crash),
            remove
    end.

%% Swap during dispatch: Acc holds the handlers already processed
%% (reversed); the new handler takes the old one's place.
swap_in(H, A1, H2, A2, Name, Acc) ->
    Res = do_terminate(H, A1, swap, Name, swap),
    {M2, Id2} = split_handler(H2),
    case catch M2:init({A2, Res}) of
        {ok, State2} ->
            {ok, [H#handler{module = M2, id = Id2, state = State2} | Acc]};
        {ok, State2, hibernate} ->
            {ok, [H#handler{module = M2, id = Id2, state = State2} | Acc]};
        Other ->
            {Other, Acc}
    end.

call_handler(#handler{module = M, state = State} = H, Query, _From, Name, Handlers) ->
    case catch M:handle_call(Query, State) of
        {ok, Reply, NState} ->
            {reply, Reply, replace(H, H#handler{state = NState}, Handlers)};
        {ok, Reply, NState, hibernate} ->
            {reply, Reply, replace(H, H#handler{state = NState}, Handlers)};
        {swap_handler, Reply, A1, NState, H2, A2} ->
            case swap_in(H#handler{state = NState}, A1, H2, A2, Name, []) of
                {ok, [NewH]} -> {reply, Reply, replace(H, NewH, Handlers)};
                {_, []} -> {reply, Reply, lists:delete(H, Handlers)}
            end;
        {remove_handler, Reply} ->
            do_terminate(H, remove_handler, Query, Name, remove),
            {reply, Reply, lists:delete(H, Handlers)};
        Other ->
            do_terminate(H, {error, Other}, Query, Name, crash),
            {reply, {error, Other}, lists:delete(H, Handlers)}
    end.

replace(Old, New, Handlers) ->
    [case H =:= Old of
         true -> New;
         false -> H
     end || H <- Handlers].

%% Calls Module:terminate/2 (if exported) and returns its result; tells
%% the supervising process, unless it is the one that went away.
do_terminate(#handler{module = M, state = State} = H, Arg, LastIn, Name, Why) ->
    Res = case erlang:function_exported(M, terminate, 2) of
              true ->
                  case catch M:terminate(Arg, State) of
                      {'EXIT', R} ->
                          report_error(H, R, State, LastIn, Name),
                          {'EXIT', R};
                      Value -> Value
                  end;
              false ->
                  ok
          end,
    case Why of
        crash ->
            case Arg of
                {error, Reason} -> report_error(H, Reason, State, LastIn, Name);
                _ -> ok
            end;
        _ -> ok
    end,
    case H#handler.supervised of
        Pid when is_pid(Pid), Why =/= swap ->
            unlink(Pid),
            Notice = case Arg of
                         {error, {'EXIT', R2}} -> {'EXIT', R2};
                         {error, Other} -> Other;
                         {stop, _} -> shutdown;
                         remove_handler -> normal;
                         _ -> normal
                     end,
            case Why of
                normal -> ok;
                _ -> Pid ! {gen_event_EXIT, handler_id(H), Notice}
            end;
        _ ->
            ok
    end,
    Res.

report_error(H, Reason, State, LastIn, Name) ->
    logger:'$report'(error, error,
                     fun() -> report_error_text(H, Reason, State, LastIn, Name) end).

report_error_text(H, Reason, State, LastIn, Name) ->
    Text = io_lib:format("** gen_event handler ~tp crashed.~n"
                         "** Was installed in ~tp~n"
                         "** Last event was: ~tp~n"
                         "** When handler state == ~tp~n"
                         "** Reason == ~tp~n",
                         [handler_id(H), Name, LastIn, State, Reason]),
    Text.

terminate_server(Reason, Handlers) ->
    lists:foreach(fun(H) -> do_terminate(H, stop, stop, self(), stop) end, Handlers),
    exit(Reason).

%%====================================================================
%% sys callbacks

system_continue(Parent, _Debug, {Name, Handlers}) ->
    loop(Parent, Name, Handlers).

system_terminate(Reason, _Parent, _Debug, {_Name, Handlers}) ->
    terminate_server(Reason, Handlers).

system_get_state({_Name, Handlers}) ->
    {ok, [{M, Id, S} || #handler{module = M, id = Id, state = S} <- Handlers]}.

system_replace_state(StateFun, {Name, Handlers}) ->
    NHandlers = [begin
                     {M, Id, NS} = StateFun({M, Id, S}),
                     H#handler{state = NS}
                 end || #handler{module = M, id = Id, state = S} = H <- Handlers],
    {ok, [{M, Id, S} || #handler{module = M, id = Id, state = S} <- NHandlers],
     {Name, NHandlers}}.

system_code_change({Name, Handlers}, Module, OldVsn, Extra) ->
    NHandlers = [case H#handler.module of
                     Module ->
                         {ok, NS} = Module:code_change(OldVsn, H#handler.state, Extra),
                         H#handler{state = NS};
                     _ -> H
                 end || H <- Handlers],
    {ok, {Name, NHandlers}}.

format_status(_Opt, [_PDict, SysState, Parent, _Debug, {Name, Handlers}]) ->
    [{header, lists:flatten(io_lib:format("Status for event handler ~tp", [Name]))},
     {data, [{"Status", SysState}, {"Parent", Parent}]},
     {items, {"Installed handlers", [handler_id(H) || H <- Handlers]}}].
