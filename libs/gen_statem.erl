%% gen_statem -- the generic state machine behaviour for avmsim.
%%
%% Follows OTP 25.  Callback modes state_functions and
%% handle_event_function, optionally with state_enter.  Event types:
%% {call, From}, cast, info, timeout, {timeout, Name}, state_timeout,
%% internal (and enter for state enter calls).
%%
%% Return values: {next_state, S, D[, Actions]}, {keep_state, D[, A]},
%% keep_state_and_data, {keep_state_and_data, A}, {repeat_state, D[, A]},
%% repeat_state_and_data, {repeat_state_and_data, A}, {stop, R[, D]},
%% {stop_and_reply, R, Replies[, D]}; a thrown value is taken as the
%% return value, as in OTP.
%%
%% Actions: postpone, {postpone, B}, hibernate, {hibernate, B} (a no-op),
%% {next_event, Type, Content}, {reply, From, Reply}, an integer or
%% infinity (event timeout), {timeout, T, Msg[, Opts]},
%% {{timeout, Name}, T, Msg[, Opts]}, {state_timeout, T, Msg[, Opts]},
%% with T an integer, infinity, cancel or update, and Opts [{abs, B}].
%%
%% Event ordering follows OTP: inserted events (next_event) come first,
%% then on a state change the postponed events (oldest first), then
%% events already queued, then zero-time timeouts, then the mailbox.  An
%% event timeout is cancelled by any event and is not started while
%% events are queued; a state timeout is cancelled by a state change.
%%
%% Differences from OTP: no process aliases (see gen_server); hibernate
%% is a no-op; the debug options, send_request family, format_status
%% and the {dirty,clean}_timeout call variants behave like plain
%% timeouts.
-module(gen_statem).

-export([start/3, start/4, start_link/3, start_link/4,
         start_monitor/3, start_monitor/4,
         stop/1, stop/3,
         call/2, call/3, cast/2, reply/1, reply/2,
         enter_loop/4, enter_loop/5, enter_loop/6]).

%% Internal exports.
-export([init_it/6, system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2, system_code_change/4, format_status/2]).

-callback init(Args :: term()) -> term().
-callback callback_mode() -> term().
-callback terminate(Reason :: term(), State :: term(), Data :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Data :: term(), Extra :: term()) ->
    term().
-callback handle_event(Type :: term(), Content :: term(), State :: term(), Data :: term()) ->
    term().
-optional_callbacks([terminate/3, code_change/4, handle_event/4]).

-record(s, {parent,
            name,
            module,
            mode = state_functions,     % state_functions | handle_event_function
            enter = false,              % state enter calls?
            state,
            data,
            postponed = [],             % newest first
            timers = #{}}).             % TimeoutType => {TRef, Content}

%%====================================================================
%% Starting

start(Mod, Args, Opts) -> do_start(nolink, self, Mod, Args, Opts).
start(Name, Mod, Args, Opts) -> do_start(nolink, check_name(Name), Mod, Args, Opts).
start_link(Mod, Args, Opts) -> do_start(link, self, Mod, Args, Opts).
start_link(Name, Mod, Args, Opts) -> do_start(link, check_name(Name), Mod, Args, Opts).
start_monitor(Mod, Args, Opts) -> do_start(monitor, self, Mod, Args, Opts).
start_monitor(Name, Mod, Args, Opts) -> do_start(monitor, check_name(Name), Mod, Args, Opts).

check_name({local, Name} = N) when is_atom(Name) -> N;
check_name({via, Mod, _} = N) when is_atom(Mod) -> N;
check_name(Other) -> erlang:error(badarg, [Other]).

do_start(LinkMode, Name, Mod, Args, Opts) ->
    Timeout = gen:opt(timeout, Opts, infinity),
    SpawnOpts = gen:opt(spawn_opt, Opts, []),
    InitArgs = [self(), Name, Mod, Args, Opts, LinkMode],
    case LinkMode of
        link -> proc_lib:start_link(?MODULE, init_it, InitArgs, Timeout, SpawnOpts);
        nolink -> proc_lib:start(?MODULE, init_it, InitArgs, Timeout, SpawnOpts);
        monitor ->
            case proc_lib:start_monitor(?MODULE, init_it, InitArgs, Timeout, SpawnOpts) of
                {{ok, Pid}, Mon} -> {ok, {Pid, Mon}};
                {Error, Mon} ->
                    receive {'DOWN', Mon, process, _, _} -> ok end,
                    Error
            end
    end.


init_it(Starter, Name, Mod, Args, _Opts, LinkMode) ->
    case gen:start_register(Starter, Name, Mod) of
        true -> init_it2(Starter, gen:parent(Starter, LinkMode), Name, Mod, Args);
        false -> ok
    end.

init_it2(Starter, Parent, Name0, Mod, Args) ->
    case gen:call_init(Mod, Args) of
        {ok, {ok, State, Data}} ->
            init_enter(Starter, Parent, Name0, Mod, State, Data, []);
        {ok, {ok, State, Data, Actions}} ->
            init_enter(Starter, Parent, Name0, Mod, State, Data, Actions);
        {ok, {stop, Reason}} ->
            gen:init_failed(Starter, Name0, {error, Reason}, Reason);
        {ok, ignore} ->
            gen:init_failed(Starter, Name0, ignore, normal);
        {ok, Other} ->
            Error = {bad_return_from_init, Other},
            gen:init_failed(Starter, Name0, {error, Error}, Error);
        {'EXIT', Class, Reason, Stacktrace} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Reason}),
            erlang:raise(Class, Reason, Stacktrace)
    end.

init_enter(Starter, Parent, Name0, Mod, State, Data, Actions) ->
    case callback_mode(Mod) of
        {ok, Mode, Enter} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            S = #s{parent = Parent, name = gen:report_name(Name0), module = Mod, mode = Mode,
                   enter = Enter, state = State, data = Data},
            enter_first(S, Actions);
        {error, Error} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Error}),
            exit(Error)
    end.

%% The first state: actions as for a state change, then the enter call
%% with OldState =:= State.
enter_first(S, Actions) ->
    transition(S, undefined, [], S#s.state, S#s.data, Actions, first).

callback_mode(Mod) ->
    try Mod:callback_mode() of
        CM -> parse_callback_mode(CM)
    catch
        throw:CM -> parse_callback_mode(CM);
        _:_ -> {error, {bad_callback_mode, undefined}}
    end.

parse_callback_mode(CM) when CM =:= state_functions; CM =:= handle_event_function ->
    {ok, CM, false};
parse_callback_mode(CM) when is_list(CM) ->
    Enter = lists:member(state_enter, CM),
    case [M || M <- CM, M =:= state_functions orelse M =:= handle_event_function] of
        [Mode] ->
            case [X || X <- CM, X =/= Mode, X =/= state_enter] of
                [] -> {ok, Mode, Enter};
                _ -> {error, {bad_callback_mode, CM}}
            end;
        _ -> {error, {bad_callback_mode, CM}}
    end;
parse_callback_mode(CM) ->
    {error, {bad_callback_mode, CM}}.

enter_loop(Mod, Opts, State, Data) ->
    enter_loop(Mod, Opts, State, Data, self, []).

enter_loop(Mod, Opts, State, Data, Actions) when is_list(Actions) ->
    enter_loop(Mod, Opts, State, Data, self, Actions);
enter_loop(Mod, Opts, State, Data, Server) ->
    enter_loop(Mod, Opts, State, Data, Server, []).

enter_loop(Mod, _Opts, State, Data, Server, Actions) ->
    Name = case Server of
               self -> self();
               {local, N} ->
                   case whereis(N) =:= self() of
                       true -> N;
                       false -> exit(process_not_registered)
                   end;
               {via, VMod, N} ->
                   case VMod:whereis_name(N) =:= self() of
                       true -> N;
                       false -> exit({process_not_registered_via, VMod})
                   end;
               Pid when Pid =:= self() -> Pid
           end,
    Parent = case get('$ancestors') of
                 [P | _] when is_pid(P) -> P;
                 [P | _] when is_atom(P) ->
                     case whereis(P) of
                         undefined -> exit(process_was_not_started_by_proc_lib);
                         PP -> PP
                     end;
                 _ -> exit(process_was_not_started_by_proc_lib)
             end,
    case callback_mode(Mod) of
        {ok, Mode, Enter} ->
            enter_first(#s{parent = Parent, name = Name, module = Mod, mode = Mode,
                           enter = Enter, state = State, data = Data}, Actions);
        {error, Error} ->
            erlang:error(Error)
    end.

%%====================================================================
%% Client API

%% As AtomVM's: call/2 waits 5000 ms, not forever as OTP's, and the exit reason of a failed
%% call names the server and the request only.
call(Server, Request) ->
    call(Server, Request, 5000).

call(Server, Request, Timeout) ->
    T = case Timeout of
            {dirty_timeout, T0} -> T0;
            {clean_timeout, T0} -> T0;
            T0 -> T0
        end,
    try gen_server:'$call'(Server, '$gen_call', Request, T) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {gen_statem, call, [Server, Request]}})
    end.

cast(Server, Msg) ->
    try
        case gen_server:'$where'(Server) of
            undefined -> ok;
            Pid -> Pid ! {'$gen_cast', Msg}
        end
    catch
        _:_ -> ok
    end,
    ok.

reply({reply, From, Reply}) ->
    reply(From, Reply);
reply(Replies) when is_list(Replies) ->
    lists:foreach(fun reply/1, Replies),
    ok.

reply({To, Tag}, Reply) ->
    try To ! {Tag, Reply} catch _:_ -> ok end,
    ok.

stop(Server) ->
    stop(Server, normal, infinity).

stop(Server, Reason, Timeout) ->
    case gen_server:'$where'(Server) of
        undefined -> exit(noproc);
        Pid -> proc_lib:stop(Pid, Reason, Timeout)
    end.

%%====================================================================
%% The loop

loop(S, [Event | Q]) ->
    process_event(S, Event, Q);
loop(S, []) ->
    receive
        Msg -> decode_msg(Msg, S)
    end.

decode_msg(Msg, #s{parent = Parent} = S) ->
    case Msg of
        {system, From, Req} ->
            sys:handle_system_msg(Req, From, Parent, ?MODULE, [], S);
        {'EXIT', Parent, Reason} ->
            terminate(exit, Reason, [], S, undefined);
        {timeout, TRef, Type} when is_reference(TRef) ->
            case S#s.timers of
                #{Type := {TRef, Content}} ->
                    Timers = maps:remove(Type, S#s.timers),
                    process_event(S#s{timers = Timers}, {timeout_event_type(Type), Content}, []);
                _ ->
                    process_event(S, {info, Msg}, [])
            end;
        {'$gen_call', From, Request} ->
            process_event(S, {{call, From}, Request}, []);
        {'$gen_cast', Request} ->
            process_event(S, {cast, Request}, []);
        _ ->
            process_event(S, {info, Msg}, [])
    end.

timeout_event_type(timeout) -> timeout;
timeout_event_type(state_timeout) -> state_timeout;
timeout_event_type({timeout, Name}) -> {timeout, Name}.

process_event(S0, {Type, Content} = Event, Q) ->
    %% Any event cancels the event timeout.
    S = case Type of
            timeout -> S0;
            _ -> cancel_timer(timeout, S0)
        end,
    Result = call_state_function(S, Type, Content, S#s.state, S#s.data),
    handle_result(S, Event, Q, Result).

call_state_function(#s{module = Mod, mode = Mode}, Type, Content, State, Data) ->
    try
        case Mode of
            state_functions -> {ok, Mod:State(Type, Content, Data)};
            handle_event_function -> {ok, Mod:handle_event(Type, Content, State, Data)}
        end
    catch
        throw:R -> {ok, R};
        Class:R:St -> {'EXIT', Class, R, St}
    end.

handle_result(S, Event, Q, {'EXIT', Class, Reason, St}) ->
    terminate(Class, Reason, St, S, Event, Q);
handle_result(S, Event, Q, {ok, Result}) ->
    #s{state = State, data = Data} = S,
    case Result of
        {next_state, NState, NData} ->
            transition(S, Event, Q, NState, NData, [], normal);
        {next_state, NState, NData, Actions} ->
            transition(S, Event, Q, NState, NData, Actions, normal);
        {keep_state, NData} ->
            transition(S, Event, Q, State, NData, [], normal);
        {keep_state, NData, Actions} ->
            transition(S, Event, Q, State, NData, Actions, normal);
        keep_state_and_data ->
            transition(S, Event, Q, State, Data, [], normal);
        {keep_state_and_data, Actions} ->
            transition(S, Event, Q, State, Data, Actions, normal);
        {repeat_state, NData} ->
            transition(S, Event, Q, State, NData, [], repeat);
        {repeat_state, NData, Actions} ->
            transition(S, Event, Q, State, NData, Actions, repeat);
        repeat_state_and_data ->
            transition(S, Event, Q, State, Data, [], repeat);
        {repeat_state_and_data, Actions} ->
            transition(S, Event, Q, State, Data, Actions, repeat);
        {stop, Reason} ->
            terminate(exit, Reason, [], S, Event, Q);
        {stop, Reason, NData} ->
            terminate(exit, Reason, [], S#s{data = NData}, Event, Q);
        {stop_and_reply, Reason, Replies} ->
            stop_and_reply(S, Event, Q, Reason, Replies);
        {stop_and_reply, Reason, Replies, NData} ->
            stop_and_reply(S#s{data = NData}, Event, Q, Reason, Replies);
        _ ->
            terminate(error, {bad_return_from_state_function, Result}, stacktrace(), S, Event, Q)
    end.

stop_and_reply(S, Event, Q, Reason, Replies) ->
    case send_replies(Replies) of
        ok -> terminate(exit, Reason, [], S, Event, Q);
        {bad_action, A} ->
            terminate(error, {bad_action_from_state_function, A}, stacktrace(), S, Event, Q)
    end.

send_replies(Replies) when is_list(Replies) ->
    send_replies_list(Replies);
send_replies(Reply) ->
    send_replies_list([Reply]).

send_replies_list([{reply, From, Reply} | T]) ->
    reply(From, Reply),
    send_replies_list(T);
send_replies_list([]) ->
    ok;
send_replies_list([A | _]) ->
    {bad_action, A}.

%% Kind: normal (an event), repeat (repeat_state*), first (initial state).
transition(S, Event, Q, NState, NData, Actions, Kind) ->
    case parse_actions(Actions, false) of
        {ok, Postpone, NextEventsR, Timeouts} ->
            #s{state = State, postponed = P0} = S,
            Changed = (NState =/= State) orelse Kind =:= first,
            P1 = case Postpone of
                     true when Event =/= undefined -> [Event | P0];
                     _ -> P0
                 end,
            {Q1, P2, S1} =
                case NState =/= State of
                    true -> {lists:reverse(P1, Q), [], cancel_timer(state_timeout, S)};
                    false -> {Q, P1, S}
                end,
            Q2 = lists:reverse(NextEventsR, Q1),
            S2 = S1#s{state = NState, data = NData, postponed = P2},
            case S#s.enter andalso (Changed orelse Kind =:= repeat) of
                true ->
                    OldState = case Kind of
                                   first -> NState;
                                   _ -> State
                               end,
                    enter_call(S2, Event, Q2, OldState, Timeouts);
                false ->
                    apply_timeouts(S2, Q2, Timeouts)
            end;
        {bad_action, A} ->
            terminate(error, {bad_action_from_state_function, A}, stacktrace(),
                      S#s{data = NData}, Event, Q)
    end.

enter_call(S, Event, Q, OldState, Timeouts0) ->
    #s{state = State, data = Data} = S,
    case call_state_function(S, enter, OldState, State, Data) of
        {'EXIT', Class, Reason, St} ->
            terminate(Class, Reason, St, S, Event, Q);
        {ok, Result} ->
            R = case Result of
                    {next_state, State, NData} -> {ok, NData, []};
                    {next_state, State, NData, Actions} -> {ok, NData, Actions};
                    {keep_state, NData} -> {ok, NData, []};
                    {keep_state, NData, Actions} -> {ok, NData, Actions};
                    keep_state_and_data -> {ok, Data, []};
                    {keep_state_and_data, Actions} -> {ok, Data, Actions};
                    {repeat_state, NData} -> {ok, NData, []};
                    {repeat_state, NData, Actions} -> {ok, NData, Actions};
                    repeat_state_and_data -> {ok, Data, []};
                    {repeat_state_and_data, Actions} -> {ok, Data, Actions};
                    {stop, Reason} -> {stop, Reason, Data};
                    {stop, Reason, NData} -> {stop, Reason, NData};
                    {stop_and_reply, Reason, Replies} -> {stop_and_reply, Reason, Replies, Data};
                    {stop_and_reply, Reason, Replies, NData} ->
                        {stop_and_reply, Reason, Replies, NData};
                    _ -> bad
                end,
            case R of
                {ok, NData1, Actions1} ->
                    case parse_actions(Actions1, true) of
                        {ok, _, _, Timeouts1} ->
                            apply_timeouts(S#s{data = NData1}, Q, Timeouts0 ++ Timeouts1);
                        {bad_action, A} ->
                            terminate(error, {bad_state_enter_action_from_state_function, A}, stacktrace(),
                                      S#s{data = NData1}, Event, Q)
                    end;
                {stop, Reason1, NData1} ->
                    terminate(exit, Reason1, [], S#s{data = NData1}, Event, Q);
                {stop_and_reply, Reason1, Replies1, NData1} ->
                    stop_and_reply(S#s{data = NData1}, Event, Q, Reason1, Replies1);
                bad ->
                    terminate(error, {bad_state_enter_return_from_state_function, Result}, stacktrace(),
                              S, Event, Q)
            end
    end.

%% Returns {ok, Postpone, NextEventsReversed, Timeouts} or
%% {bad_action, Action}.  Replies are sent at once.
parse_actions(Actions, InEnter) when is_list(Actions) ->
    parse_actions(Actions, InEnter, false, [], []);
parse_actions(Action, InEnter) ->
    parse_actions([Action], InEnter, false, [], []).

parse_actions([], _InEnter, Postpone, NextR, TimeoutsR) ->
    {ok, Postpone, NextR, lists:reverse(TimeoutsR)};
parse_actions([A | T], InEnter, Postpone, NextR, TimeoutsR) ->
    case A of
        {reply, {Pid, _} = From, Reply} when is_pid(Pid) ->
            reply(From, Reply),
            parse_actions(T, InEnter, Postpone, NextR, TimeoutsR);
        postpone when not InEnter ->
            parse_actions(T, InEnter, true, NextR, TimeoutsR);
        {postpone, B} when is_boolean(B), not InEnter ->
            parse_actions(T, InEnter, B, NextR, TimeoutsR);
        hibernate ->
            parse_actions(T, InEnter, Postpone, NextR, TimeoutsR);
        {hibernate, B} when is_boolean(B) ->
            parse_actions(T, InEnter, Postpone, NextR, TimeoutsR);
        {next_event, Type, Content} when not InEnter ->
            case valid_event_type(Type) of
                true -> parse_actions(T, InEnter, Postpone, [{Type, Content} | NextR], TimeoutsR);
                false -> {bad_action, A}
            end;
        Time when is_integer(Time), Time >= 0; Time =:= infinity ->
            parse_actions(T, InEnter, Postpone, NextR, [{timeout, Time, Time, []} | TimeoutsR]);
        {TType, Time, Msg} ->
            timeout_action(A, TType, Time, Msg, [], T, InEnter, Postpone, NextR, TimeoutsR);
        {TType, Time, Msg, Opts} when is_list(Opts) ->
            timeout_action(A, TType, Time, Msg, Opts, T, InEnter, Postpone, NextR, TimeoutsR);
        {TType, cancel} ->
            case valid_timeout_type(TType) of
                true ->
                    parse_actions(T, InEnter, Postpone, NextR,
                                  [{TType, cancel, undefined, []} | TimeoutsR]);
                false -> {bad_action, A}
            end;
        _ ->
            {bad_action, A}
    end;
parse_actions(_, _InEnter, _Postpone, _NextR, _TimeoutsR) ->
    {bad_action, badarg}.

timeout_action(A, TType, Time, Msg, Opts, T, InEnter, Postpone, NextR, TimeoutsR) ->
    ValidTime = (is_integer(Time) andalso (Time >= 0 orelse Opts =/= []))
        orelse Time =:= infinity orelse Time =:= update orelse Time =:= cancel,
    case valid_timeout_type(TType) andalso ValidTime of
        true ->
            parse_actions(T, InEnter, Postpone, NextR, [{TType, Time, Msg, Opts} | TimeoutsR]);
        false ->
            {bad_action, A}
    end.

valid_timeout_type(timeout) -> true;
valid_timeout_type(state_timeout) -> true;
valid_timeout_type({timeout, _}) -> true;
valid_timeout_type(_) -> false.

valid_event_type({call, {Pid, _}}) when is_pid(Pid) -> true;
valid_event_type(cast) -> true;
valid_event_type(info) -> true;
valid_event_type(internal) -> true;
valid_event_type(timeout) -> true;
valid_event_type(state_timeout) -> true;
valid_event_type({timeout, _}) -> true;
valid_event_type(_) -> false.

%% Timeouts in action order; the last event timeout wins and is started
%% only if no events are queued.
apply_timeouts(S, Q, Timeouts) ->
    apply_timeouts(S, Q, Timeouts, none, []).

apply_timeouts(S, Q, [], EventTimeout, ZeroR) ->
    Q1 = Q ++ lists:reverse(ZeroR),
    case EventTimeout of
        none ->
            loop(S, Q1);
        {infinity, _, _} ->
            loop(S, Q1);
        {Time, Msg, Opts} ->
            case Q1 of
                [] when Time =:= 0 ->
                    loop(S, [{timeout, Msg}]);
                [] ->
                    loop(start_timer(timeout, Time, Msg, Opts, S), []);
                _ ->
                    loop(S, Q1)
            end
    end;
apply_timeouts(S, Q, [{timeout, Time, Msg, Opts} | T], EventTimeout, ZeroR) ->
    case Time of
        cancel -> apply_timeouts(S, Q, T, none, ZeroR);
        update ->
            %% Update the message of a pending event timeout (there is
            %% none running here: a new one is armed below), else
            %% deliver at once.
            apply_timeouts(S, Q, T, case EventTimeout of
                                        {ETime, _, EOpts} -> {ETime, Msg, EOpts};
                                        none -> {0, Msg, []}
                                    end, ZeroR);
        _ -> apply_timeouts(S, Q, T, {Time, Msg, Opts}, ZeroR)
    end;
apply_timeouts(S, Q, [{TType, Time, Msg, Opts} | T], EventTimeout, ZeroR) ->
    case Time of
        cancel ->
            apply_timeouts(cancel_timer(TType, S), Q, T, EventTimeout,
                           drop_zero(TType, ZeroR));
        update ->
            case S#s.timers of
                #{TType := {TRef, _}} ->
                    Timers = maps:put(TType, {TRef, Msg}, S#s.timers),
                    apply_timeouts(S#s{timers = Timers}, Q, T, EventTimeout, ZeroR);
                _ ->
                    apply_timeouts(S, Q, T, EventTimeout,
                                   [{TType, Msg} | drop_zero(TType, ZeroR)])
            end;
        infinity ->
            apply_timeouts(cancel_timer(TType, S), Q, T, EventTimeout, drop_zero(TType, ZeroR));
        0 when Opts =:= [] ->
            apply_timeouts(cancel_timer(TType, S), Q, T, EventTimeout,
                           [{TType, Msg} | drop_zero(TType, ZeroR)]);
        _ ->
            S1 = start_timer(TType, Time, Msg, Opts, cancel_timer(TType, S)),
            apply_timeouts(S1, Q, T, EventTimeout, drop_zero(TType, ZeroR))
    end.

drop_zero(TType, ZeroR) ->
    [Z || {Type, _} = Z <- ZeroR, Type =/= TType].

start_timer(TType, Time, Msg, Opts, S) ->
    TRef = case lists:keyfind(abs, 1, Opts) of
               {abs, true} -> erlang:start_timer(Time, self(), TType, [{abs, true}]);
               _ -> erlang:start_timer(Time, self(), TType)
           end,
    S#s{timers = maps:put(TType, {TRef, Msg}, S#s.timers)}.

cancel_timer(TType, S) ->
    case S#s.timers of
        #{TType := {TRef, _}} ->
            case erlang:cancel_timer(TRef) of
                false -> receive {timeout, TRef, _} -> ok after 0 -> ok end;
                _ -> ok
            end,
            S#s{timers = maps:remove(TType, S#s.timers)};
        _ ->
            S
    end.

%%====================================================================
%% Termination

terminate(Class, Reason, Stacktrace, S, Event) ->
    terminate(Class, Reason, Stacktrace, S, Event, []).

terminate(Class, Reason, Stacktrace, S, Event, Q) ->
    #s{module = Mod, state = State, data = Data} = S,
    case erlang:function_exported(Mod, terminate, 3) of
        true ->
            try
                Mod:terminate(Reason, State, Data)
            catch
                throw:_ -> ok;
                C:R:St ->
                    error_info(C, R, St, S, Event, Q),
                    erlang:raise(C, R, St)
            end;
        false ->
            ok
    end,
    case quiet(Class, Reason) of
        true -> ok;
        false -> error_info(Class, Reason, Stacktrace, S, Event, Q)
    end,
    erlang:raise(Class, Reason, Stacktrace).

%% The current stacktrace, for errors raised by gen_statem itself.
stacktrace() ->
    try throw(stacktrace) catch throw:stacktrace:St -> St end.

quiet(exit, normal) -> true;
quiet(exit, shutdown) -> true;
quiet(exit, {shutdown, _}) -> true;
quiet(_, _) -> false.

error_info(Class, Reason, Stacktrace, S, Event, Q) ->
    logger:'$report'(error, error,
                     fun() -> error_info_text(Class, Reason, Stacktrace, S, Event, Q) end).

error_info_text(Class, Reason, Stacktrace, S, Event, Q) ->
    #s{name = Name, module = Mod, mode = Mode, enter = Enter, state = State,
       data = Data, postponed = P} = S,
    CM = case Enter of
             true -> [Mode, state_enter];
             false -> Mode
         end,
    LastEvent = case Event of
                    undefined -> [];
                    _ -> io_lib:format("** Last event = ~tp~n", [Event])
                end,
    Text = io_lib:format(
             "** State machine ~tp terminating~n~s"
             "** When server state  = ~tp~n"
             "** Reason for termination = ~tp:~tp~n"
             "** Callback modules = ~tp~n"
             "** Callback mode = ~tp~n"
             "~s~s~s",
             [Name, LastEvent, {State, Data}, Class, Reason, [Mod], CM,
              case Q of
                  [] -> "";
                  _ -> io_lib:format("** Queued = ~tp~n", [Q])
              end,
              case P of
                  [] -> "";
                  _ -> io_lib:format("** Postponed = ~tp~n", [lists:reverse(P)])
              end,
              case Stacktrace of
                  [] -> "";
                  _ -> io_lib:format("** Stacktrace =~n**  ~tp~n", [Stacktrace])
              end]),
    Text.

%%====================================================================
%% sys callbacks

system_continue(_Parent, _Debug, S) ->
    loop(S, []).

system_terminate(Reason, _Parent, _Debug, S) ->
    terminate(exit, Reason, [], S, undefined).

system_get_state(#s{state = State, data = Data}) ->
    {ok, {State, Data}}.

system_replace_state(StateFun, #s{state = State, data = Data} = S) ->
    {NState, NData} = Result = StateFun({State, Data}),
    {ok, Result, S#s{state = NState, data = NData}}.

system_code_change(#s{module = Mod, state = State, data = Data} = S, _Module, OldVsn, Extra) ->
    case catch Mod:code_change(OldVsn, State, Data, Extra) of
        {ok, NState, NData} ->
            case callback_mode(Mod) of
                {ok, Mode, Enter} ->
                    {ok, S#s{state = NState, data = NData, mode = Mode, enter = Enter}};
                {error, Error} -> Error
            end;
        Error -> Error
    end.

format_status(_Opt, [_PDict, SysState, Parent, _Debug, S]) ->
    #s{name = Name, module = Mod, state = State, data = Data} = S,
    Header = lists:flatten(io_lib:format("Status for state machine ~tp", [Name])),
    [{header, Header},
     {data, [{"Status", SysState}, {"Parent", Parent}, {"Modules", [Mod]},
             {"Time-outs", {maps:size(S#s.timers), maps:keys(S#s.timers)}},
             {"Logged Events", []}, {"Postponed", lists:reverse(S#s.postponed)}]},
     {data, [{"State", {State, Data}}]}].
