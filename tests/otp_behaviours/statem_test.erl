%% gen_statem: a code lock (state_functions + state_enter +
%% state_timeout), a traffic light (handle_event_function, state timeouts
%% that cycle), and the actions and return shapes one by one.
-module(statem_test).
-behaviour(gen_statem).

-export([start/0]).
-export([init/1, callback_mode/0, terminate/3, code_change/4, handle_event/4]).
-export([locked/3, open/3]).

start() ->
    run("door", fun door/0),
    run("traffic_light", fun traffic_light/0),
    run("postpone", fun postpone/0),
    run("next_event", fun next_event/0),
    run("event_timeout", fun event_timeout/0),
    run("generic_timeouts", fun generic_timeouts/0),
    run("state_timeout_cancel", fun state_timeout_cancel/0),
    run("repeat_state", fun repeat_state/0),
    run("stop_shapes", fun stop_shapes/0),
    run("errors", fun errors/0),
    run("init_results", fun init_results/0),
    run("sys", fun sys_test/0),
    io:format("done~n").

%%--------------------------------------------------------------------
%% Scenarios

door() ->
    {ok, P} = gen_statem:start_link(?MODULE, {door, [1, 2, 3], self()}, []),
    p("state", sys:get_state(P)),
    [p("button", gen_statem:call(P, {button, D})) || D <- [1, 2, 4]],
    [p("button", gen_statem:call(P, {button, D})) || D <- [1, 2, 3]],
    p("state", element(1, sys:get_state(P))),
    p("button while open", gen_statem:call(P, {button, 9})),
    %% The state timeout locks the door again.
    receive {door, relocked} -> p("relocked", true) end,
    p("state", element(1, sys:get_state(P))),
    gen_statem:cast(P, {set_code, [7]}),
    p("new code", gen_statem:call(P, {button, 7})),
    p("stop", gen_statem:stop(P)),
    receive {door, {terminate, R, St}} -> p("terminate", {R, St}) end.

traffic_light() ->
    {ok, P} = gen_statem:start_link(?MODULE, {light, self()}, []),
    Seen = [receive {light, C} -> C end || _ <- lists:seq(1, 7)],
    p("cycle", Seen),
    p("state", gen_statem:call(P, color)),
    gen_statem:cast(P, pause),
    p("paused", gen_statem:call(P, color)),
    receive {light, X} -> p("unexpected", X) after 100 -> p("no change while paused", ok) end,
    gen_statem:cast(P, resume),
    receive {light, C2} -> p("resumed with", C2) end,
    gen_statem:stop(P).

postpone() ->
    {ok, P} = gen_statem:start_link(?MODULE, {gate, self()}, []),
    Self = self(),
    %% Calls and casts postponed while closed are handled after opening.
    spawn_link(fun() -> Self ! {caller, gen_statem:call(P, {enter, alice})} end),
    receive after 20 -> ok end,
    gen_statem:cast(P, {enter, bob}),
    P ! {enter, carol},
    p("log while closed", gen_statem:call(P, log)),
    gen_statem:cast(P, open),
    receive {caller, R} -> p("alice got", R) end,
    p("log after open", gen_statem:call(P, log)),
    gen_statem:cast(P, close),
    gen_statem:cast(P, {enter, dave}),
    p("log closed again", gen_statem:call(P, log)),
    gen_statem:stop(P).

next_event() ->
    {ok, P} = gen_statem:start_link(?MODULE, {seq, self()}, []),
    p("run", gen_statem:call(P, {run, [a, b, c]})),
    p("trace", gen_statem:call(P, trace)),
    gen_statem:stop(P).

event_timeout() ->
    {ok, P} = gen_statem:start_link(?MODULE, {idle, self(), 30}, []),
    receive {idle, E} -> p("idle event", E) end,
    %% An event re-arms it.
    gen_statem:cast(P, {touch, 1}),
    receive {idle, E2} -> p("idle event", E2) end,
    p("touch count", gen_statem:call(P, count)),
    %% A zero event timeout fires before the next message...
    gen_statem:cast(P, zero),
    receive {idle, E3} -> p("idle event", E3) end,
    %% ...unless events are queued.
    gen_statem:cast(P, zero_with_event),
    receive {idle, E4} -> p("idle event", E4) after 100 -> p("no idle event", ok) end,
    p("count after zero_with_event", gen_statem:call(P, count)),
    gen_statem:stop(P).

generic_timeouts() ->
    {ok, P} = gen_statem:start_link(?MODULE, {timers, self()}, []),
    gen_statem:cast(P, {start, a, 40}),
    gen_statem:cast(P, {start, b, 10}),
    receive {fired, N1, S1} -> p("fired", {N1, S1}) end,
    %% A state change does not cancel a generic timeout.
    gen_statem:cast(P, change_state),
    receive {fired, N2, S2} -> p("fired", {N2, S2}) end,
    gen_statem:cast(P, {start, c, 30}),
    gen_statem:cast(P, {cancel, c}),
    gen_statem:cast(P, {start, d, 30}),
    gen_statem:cast(P, {update, d, updated}),
    receive {fired, N3, S3} -> p("fired", {N3, S3}) end,
    receive {fired, X, _} -> p("unexpected", X) after 100 -> p("c cancelled", ok) end,
    gen_statem:cast(P, {start, z, 0}),
    gen_statem:cast(P, {update, nothing_running, now}),
    receive {fired, N4, _} -> p("zero", N4) end,
    receive {fired, N5, _} -> p("update without timer", N5) end,
    gen_statem:stop(P).

state_timeout_cancel() ->
    {ok, P} = gen_statem:start_link(?MODULE, {st, self()}, []),
    gen_statem:cast(P, {arm, 30}),
    gen_statem:cast(P, other_state),
    receive {st, X} -> p("unexpected", X) after 100 -> p("cancelled by state change", ok) end,
    gen_statem:cast(P, {arm, 30}),
    gen_statem:cast(P, keep),
    receive {st, Y} -> p("kept across keep_state", Y) end,
    gen_statem:cast(P, {arm, 30}),
    gen_statem:cast(P, cancel),
    receive {st, Z} -> p("unexpected", Z) after 100 -> p("cancelled explicitly", ok) end,
    gen_statem:cast(P, {arm, 0}),
    receive {st, W} -> p("zero", W) end,
    gen_statem:stop(P).

repeat_state() ->
    {ok, P} = gen_statem:start_link(?MODULE, {rep, self()}, []),
    receive {enter, E0} -> p("enter", E0) end,
    gen_statem:cast(P, repeat),
    receive {enter, E1} -> p("enter", E1) end,
    gen_statem:cast(P, repeat_data),
    receive {enter, E2} -> p("enter", E2) end,
    gen_statem:cast(P, keep),
    gen_statem:cast(P, next),
    receive {enter, E3} -> p("enter", E3) end,
    gen_statem:cast(P, same),
    p("data", sys:get_state(P)),
    gen_statem:stop(P).

stop_shapes() ->
    process_flag(trap_exit, true),
    {ok, P1} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    p("stop_and_reply", gen_statem:call(P1, stop_and_reply)),
    receive {'EXIT', P1, R1} -> p("exit", R1) end,
    receive {terminate, T1} -> p("terminate", T1) end,
    {ok, P2} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    gen_statem:cast(P2, {stop, my_reason}),
    receive {'EXIT', P2, R2} -> p("exit", R2) end,
    receive {terminate, T2} -> p("terminate", T2) end,
    {ok, P3} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    gen_statem:cast(P3, {stop_data, normal}),
    receive {'EXIT', P3, R3} -> p("exit", R3) end,
    receive {terminate, T3} -> p("terminate", T3) end,
    {ok, P4} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    p("stop/3", gen_statem:stop(P4, {shutdown, x}, 1000)),
    receive {terminate, T4} -> p("terminate", T4) end,
    receive {'EXIT', P4, R4} -> p("exit", R4) end.

errors() ->
    process_flag(trap_exit, true),
    {ok, P1} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    p("bad return", clean(catch_it(fun() -> gen_statem:call(P1, bad_return) end))),
    receive {terminate, T1} -> p("terminate", clean(T1)) end,
    receive {'EXIT', P1, R1} -> p("exit", clean(R1)) end,
    {ok, P2} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    p("bad action", clean(catch_it(fun() -> gen_statem:call(P2, bad_action) end))),
    receive {terminate, T2} -> p("terminate", clean(T2)) end,
    receive {'EXIT', P2, R2} -> p("exit", clean(R2)) end,
    {ok, P3} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    p("crash", clean(catch_it(fun() -> gen_statem:call(P3, crash) end))),
    receive {terminate, T3} -> p("terminate", clean(T3)) end,
    receive {'EXIT', P3, R3} -> p("exit", clean(R3)) end,
    {ok, P4} = gen_statem:start_link(?MODULE, {stopper, self()}, []),
    p("call timeout", clean(catch_it(fun() -> gen_statem:call(P4, ignore_me, 50) end))),
    p("thrown reply", gen_statem:call(P4, throw_reply)),
    gen_statem:stop(P4),
    receive {terminate, T4} -> p("terminate", T4) end,
    p("call dead", clean(catch_it(fun() -> gen_statem:call(P4, x) end))),
    p("call dead /3", clean(catch_it(fun() -> gen_statem:call(P4, x, 100) end))),
    p("call nobody", catch_it(fun() -> gen_statem:call(statem_test_nobody, x) end)),
    p("cast nobody", gen_statem:cast(statem_test_nobody, x)),
    p("stop nobody", catch_it(fun() -> gen_statem:stop(statem_test_nobody) end)),
    p("mailbox", clean(flush_all())).

init_results() ->
    process_flag(trap_exit, true),
    p("ignore", gen_statem:start_link(?MODULE, {init, ignore}, [])),
    p("stop", gen_statem:start_link(?MODULE, {init, {stop, no}}, [])),
    p("bad", gen_statem:start_link(?MODULE, {init, bad}, [])),
    p("crash", clean(gen_statem:start(?MODULE, {init, crash}, []))),
    {ok, P} = gen_statem:start({local, statem_test_named}, ?MODULE, {door, [1], self()}, []),
    p("named", whereis(statem_test_named) =:= P),
    p("already", gen_statem:start({local, statem_test_named}, ?MODULE, {door, [1], self()}, [])
      =:= {error, {already_started, P}}),
    p("call by name", gen_statem:call(statem_test_named, {button, 1})),
    gen_statem:stop(statem_test_named),
    {ok, {P2, Ref}} = gen_statem:start_monitor(?MODULE, {door, [1], self()}, []),
    gen_statem:stop(P2, shutdown, infinity),
    receive {'DOWN', Ref, process, P2, R} -> p("monitor down", R) end,
    p("mailbox", lists:sort(clean(flush_all()))).

sys_test() ->
    {ok, P} = gen_statem:start_link(?MODULE, {door, [5], self()}, []),
    p("get_state", sys:get_state(P)),
    p("replace_state", sys:replace_state(P, fun({S, D}) -> {S, D#{code => [6]}} end)),
    p("suspend", sys:suspend(P)),
    gen_statem:cast(P, {set_code, [8]}),
    p("resume", sys:resume(P)),
    p("after resume", sys:get_state(P)),
    gen_statem:stop(P).

%%--------------------------------------------------------------------
%% Callbacks

callback_mode() ->
    case get(mode) of
        undefined -> [state_functions, state_enter];
        M -> M
    end.

init({door, Code, Owner}) ->
    {ok, locked, #{code => Code, input => [], owner => Owner}};
init({light, Owner}) ->
    put(mode, handle_event_function),
    {ok, red, #{owner => Owner, paused => false}, [{state_timeout, 10, next}]};
init({gate, Owner}) ->
    put(mode, handle_event_function),
    {ok, closed, #{owner => Owner, log => []}};
init({seq, Owner}) ->
    put(mode, handle_event_function),
    {ok, seq, #{owner => Owner, trace => []}};
init({idle, Owner, T}) ->
    put(mode, handle_event_function),
    {ok, idle, #{owner => Owner, count => 0, t => T}, [T]};
init({timers, Owner}) ->
    put(mode, handle_event_function),
    {ok, s1, Owner};
init({st, Owner}) ->
    put(mode, handle_event_function),
    {ok, s1, Owner};
init({rep, Owner}) ->
    put(mode, [handle_event_function, state_enter]),
    {ok, r1, {Owner, 0}};
init({stopper, Owner}) ->
    put(mode, handle_event_function),
    process_flag(trap_exit, true),
    {ok, running, Owner};
init({init, ignore}) -> ignore;
init({init, {stop, R}}) -> {stop, R};
init({init, bad}) -> {ok, only_state};
init({init, crash}) -> erlang:error(init_crash).

%% Door lock (state_functions, state_enter).
locked(enter, _Old, Data) ->
    {keep_state, Data#{input := []}};
locked({call, From}, {button, Digit}, #{code := Code, input := Input} = Data) ->
    Input1 = Input ++ [Digit],
    case Input1 =:= Code of
        true ->
            {next_state, open, Data, [{reply, From, opened}]};
        false ->
            case lists:prefix(Input1, Code) of
                true -> {keep_state, Data#{input := Input1}, [{reply, From, {locked, Input1}}]};
                false -> {keep_state, Data#{input := []}, [{reply, From, wrong}]}
            end
    end;
locked(cast, {set_code, Code}, Data) ->
    {keep_state, Data#{code := Code}};
locked(info, _, _Data) ->
    keep_state_and_data.

open(enter, locked, #{owner := Owner}) ->
    Owner ! {door, opened_enter},
    {keep_state_and_data, [{state_timeout, 30, lock}]};
open(state_timeout, lock, #{owner := Owner} = Data) ->
    Owner ! {door, relocked},
    {next_state, locked, Data};
open({call, From}, {button, _}, _Data) ->
    {keep_state_and_data, [{reply, From, already_open}]};
open(cast, {set_code, _}, _Data) ->
    {keep_state_and_data, [postpone]}.

%% handle_event_function machines.
handle_event(state_timeout, next, Color, #{owner := Owner} = Data) ->
    Next = case Color of red -> green; green -> yellow; yellow -> red end,
    Owner ! {light, Next},
    {next_state, Next, Data, [{state_timeout, 10, next}]};
handle_event({call, From}, color, Color, #{paused := Paused}) ->
    {keep_state_and_data, [{reply, From, {Color, Paused}}]};
handle_event(cast, pause, _Color, Data) ->
    {keep_state, Data#{paused := true}, [{state_timeout, cancel}]};
handle_event(cast, resume, _Color, Data) ->
    {keep_state, Data#{paused := false}, [{state_timeout, 10, next}]};

handle_event({call, From}, log, _State, #{log := Log}) ->
    {keep_state_and_data, [{reply, From, lists:reverse(Log)}]};
handle_event(cast, open, closed, Data) ->
    {next_state, opened, Data};
handle_event(cast, close, opened, Data) ->
    {next_state, closed, Data};
handle_event({call, From}, {enter, Who}, opened, #{log := Log} = Data) ->
    {keep_state, Data#{log := [{call, Who} | Log]}, [{reply, From, welcome}]};
handle_event(Type, {enter, Who}, opened, #{log := Log} = Data) ->
    {keep_state, Data#{log := [{Type, Who} | Log]}};
handle_event(_Type, {enter, _Who}, closed, _Data) ->
    {keep_state_and_data, postpone};

handle_event({call, From}, {run, Items}, seq, Data) ->
    Events = [{next_event, internal, {item, I}} || I <- Items],
    {keep_state, Data#{trace := [{run, From}]},
     Events ++ [{next_event, internal, done}]};
handle_event(internal, {item, I}, seq, #{trace := T} = Data) ->
    case I of
        b -> {keep_state, Data#{trace := [I | T]}, [{next_event, internal, {sub, b}}]};
        _ -> {keep_state, Data#{trace := [I | T]}}
    end;
handle_event(internal, {sub, X}, seq, #{trace := T} = Data) ->
    {keep_state, Data#{trace := [{sub, X} | T]}};
handle_event(internal, done, seq, #{trace := T} = Data) ->
    {run, From} = lists:last(T),
    {keep_state, Data#{trace := [done | T]}, [{reply, From, finished}]};
handle_event({call, From}, trace, seq, #{trace := T}) ->
    {keep_state_and_data, [{reply, From, tl(lists:reverse(T))}]};

handle_event(timeout, Msg, idle, #{owner := Owner, count := C}) ->
    Owner ! {idle, {Msg, C}},
    keep_state_and_data;
handle_event(cast, {touch, N}, idle, #{count := C, t := T} = Data) ->
    {keep_state, Data#{count := C + N}, [T]};
handle_event({call, From}, count, idle, #{count := C}) ->
    {keep_state_and_data, [{reply, From, C}]};
handle_event(cast, zero, idle, _Data) ->
    {keep_state_and_data, [{timeout, 0, zero_fired}]};
handle_event(cast, zero_with_event, idle, #{count := C} = Data) ->
    {keep_state, Data#{count := C + 100},
     [{timeout, 0, should_not_fire}, {next_event, internal, bump}]};
handle_event(internal, bump, idle, #{count := C} = Data) ->
    {keep_state, Data#{count := C + 1}};

handle_event(cast, {start, Name, T}, _S, _Owner) ->
    {keep_state_and_data, [{{timeout, Name}, T, Name}]};
handle_event(cast, {cancel, Name}, _S, _Owner) ->
    {keep_state_and_data, [{{timeout, Name}, cancel}]};
handle_event(cast, {update, Name, Msg}, _S, _Owner) ->
    {keep_state_and_data, [{{timeout, Name}, update, Msg}]};
handle_event(cast, change_state, s1, Owner) ->
    {next_state, s2, Owner};
handle_event({timeout, Name}, Msg, S, Owner) when is_pid(Owner) ->
    Owner ! {fired, {Name, Msg}, S},
    keep_state_and_data;

handle_event(cast, {arm, T}, _S, _Owner) ->
    {keep_state_and_data, [{state_timeout, T, armed}]};
handle_event(cast, other_state, s1, Owner) ->
    {next_state, s2, Owner};
handle_event(cast, other_state, s2, Owner) ->
    {next_state, s1, Owner};
handle_event(cast, keep, _S, Owner) when is_pid(Owner) ->
    {keep_state, Owner};
handle_event(cast, cancel, _S, _Owner) ->
    {keep_state_and_data, [{state_timeout, cancel}]};
handle_event(state_timeout, Msg, S, Owner) ->
    Owner ! {st, {Msg, S}},
    keep_state_and_data;

handle_event(enter, Old, State, {Owner, N}) ->
    Owner ! {enter, {Old, State, N}},
    {keep_state, {Owner, N + 1}};
handle_event(cast, repeat, _State, _Data) ->
    repeat_state_and_data;
handle_event(cast, repeat_data, _State, {Owner, N}) ->
    {repeat_state, {Owner, N + 10}};
handle_event(cast, keep, _State, {Owner, N}) ->
    {keep_state, {Owner, N + 100}};
handle_event(cast, next, r1, Data) ->
    {next_state, r2, Data};
handle_event(cast, same, State, Data) ->
    {next_state, State, Data};

handle_event({call, From}, stop_and_reply, running, Owner) ->
    {stop_and_reply, normal, [{reply, From, bye}], Owner};
handle_event(cast, {stop, R}, running, _Owner) ->
    {stop, R};
handle_event(cast, {stop_data, R}, running, Owner) ->
    {stop, R, Owner};
handle_event({call, _From}, bad_return, running, _Owner) ->
    {what, ever};
handle_event({call, From}, bad_action, running, _Owner) ->
    {keep_state_and_data, [{reply, From, ok}, {bad, action}]};
handle_event({call, _From}, crash, running, _Owner) ->
    erlang:error(boom);
handle_event({call, _From}, ignore_me, running, _Owner) ->
    keep_state_and_data;
handle_event({call, From}, throw_reply, running, _Owner) ->
    throw({keep_state_and_data, [{reply, From, thrown}]});
handle_event(info, {'EXIT', _, _}, _State, _Data) ->
    keep_state_and_data.

terminate(Reason, State, #{owner := Owner}) ->
    Owner ! {door, {terminate, Reason, State}};
terminate(Reason, running, Owner) ->
    Owner ! {terminate, Reason};
terminate(_Reason, _State, _Data) ->
    ok.

code_change(_Old, State, Data, _Extra) -> {ok, State, Data}.

%%--------------------------------------------------------------------
%% Helpers (each program carries its own copy)

run(Name, Fun) ->
    io:format("== ~s~n", [Name]),
    {Pid, Ref} = spawn_monitor(Fun),
    receive
        {'DOWN', Ref, process, Pid, normal} -> ok;
        {'DOWN', Ref, process, Pid, Reason} -> io:format("!! ~s crashed: ~p~n", [Name, clean(Reason)])
    end.

p(Label, Term) -> io:format("~s: ~p~n", [Label, clean(Term)]).

catch_it(F) ->
    try F() of
        V -> {value, V}
    catch
        exit:{R, {Mod, call, [Server, Request | _]}} when Mod =:= gen_server;
                                                         Mod =:= gen_statem ->
            %% the arguments AtomVM's call exit reasons carry differ from OTP's (a timeout
            %% is added or left out: tests/atomvm_diff/call_exits.erl pins AtomVM's); the
            %% server and the request are in both
            {exit, {R, {Mod, call, [Server, Request]}}};
        C:R -> {C, R}
    end.

flush_all() ->
    receive M -> [M | flush_all()] after 50 -> [] end.

clean(P) when is_pid(P) -> pid;
clean(R) when is_reference(R) -> ref;
clean(F) when is_function(F) -> 'fun';
clean([{M, F, A, L} | _] = St) when is_atom(M), is_atom(F), is_list(L),
                                    (is_integer(A) orelse is_list(A)) ->
    case lists:all(fun is_frame/1, St) of
        true -> stack;
        false -> [clean(E) || E <- St]
    end;
clean(L) when is_list(L) -> clean_list(L);
clean(T) when is_tuple(T) -> list_to_tuple([clean(E) || E <- tuple_to_list(T)]);
clean(M) when is_map(M) -> maps:from_list([{clean(K), clean(V)} || {K, V} <- maps:to_list(M)]);
clean(X) -> X.

clean_list([H | T]) -> [clean(H) | clean_list(T)];
clean_list([]) -> [];
clean_list(T) -> clean(T).

is_frame({M, F, A, L}) when is_atom(M), is_atom(F), is_list(L) -> is_integer(A) orelse is_list(A);
is_frame(_) -> false.
