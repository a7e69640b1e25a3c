%% gen_server and proc_lib: start variants, init results, calls, casts,
%% timeouts, stop, errors and their exit reasons, terminate, enter_loop.
-module(gs_test).
-behaviour(gen_server).

-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2,
         terminate/2, code_change/3]).
-export([special/1, plain/0, plain_named/0, plain_unregistered/0]).

start() ->
    run("counter", fun counter/0),
    run("named", fun named/0),
    run("init_results", fun init_results/0),
    run("init_timeout", fun init_timeout/0),
    run("continue", fun continue/0),
    run("call_errors", fun call_errors/0),
    run("stop", fun stop/0),
    run("deferred_reply", fun deferred_reply/0),
    run("return_shapes", fun return_shapes/0),
    run("crash_in_call", fun crash_in_call/0),
    run("parent_exit", fun parent_exit/0),
    run("start_monitor", fun start_monitor/0),
    run("proc_lib", fun proc_lib_test/0),
    run("enter_loop", fun enter_loop/0),
    run("start_timeout", fun start_timeout/0),
    io:format("done~n").

%%--------------------------------------------------------------------
%% Scenarios

counter() ->
    {ok, P} = gen_server:start_link(?MODULE, {counter, 10}, []),
    p("alive", is_process_alive(P)),
    p("get", gen_server:call(P, get)),
    p("inc", gen_server:call(P, {inc, 5})),
    p("cast", gen_server:cast(P, {add, 100})),
    P ! {info, 1000},
    p("after cast+info", gen_server:call(P, get)),
    p("call/3", gen_server:call(P, get, 1000)),
    p("call infinity", gen_server:call(P, {inc, 1}, infinity)),
    p("ancestors ok", gen_server:call(P, ancestors_ok)),
    p("initial_call", gen_server:call(P, initial_call)),
    p("stop", gen_server:stop(P)),
    p("alive after stop", is_process_alive(P)).

named() ->
    {ok, P} = gen_server:start({local, gs_test_named}, ?MODULE, {counter, 1}, []),
    p("whereis", whereis(gs_test_named) =:= P),
    p("call by name", gen_server:call(gs_test_named, get)),
    p("call {Name,node()}", gen_server:call({gs_test_named, node()}, get)),
    p("cast by name", gen_server:cast(gs_test_named, {add, 1})),
    p("get", gen_server:call(gs_test_named, get)),
    p("already_started",
      clean(gen_server:start({local, gs_test_named}, ?MODULE, {counter, 1}, []))),
    p("already_started is P",
      gen_server:start_link({local, gs_test_named}, ?MODULE, {counter, 1}, [])
      =:= {error, {already_started, P}}),
    p("cast to unknown name", gen_server:cast(gs_test_no_such_name, hello)),
    p("stop by name", gen_server:stop(gs_test_named, normal, 1000)),
    p("whereis after", whereis(gs_test_named)).

init_results() ->
    process_flag(trap_exit, true),
    p("ignore", gen_server:start_link(?MODULE, {init, ignore}, [])),
    p("exit msg after ignore", clean(flush_exit())),
    p("stop", gen_server:start_link(?MODULE, {init, {stop, my_reason}}, [])),
    p("exit msg after stop", clean(flush_exit())),
    p("bad return", gen_server:start_link(?MODULE, {init, bad}, [])),
    p("exit msg after bad return", clean(flush_exit())),
    p("crash", clean(gen_server:start_link(?MODULE, {init, crash}, []))),
    p("exit msg after crash", clean(flush_exit())),
    p("exit in init", clean(gen_server:start_link(?MODULE, {init, exit}, []))),
    p("exit msg after exit", clean(flush_exit())),
    p("throw ok", clean(gen_server:start_link(?MODULE, {init, throw_ok}, []))),
    p("nolink stop", gen_server:start(?MODULE, {init, {stop, nolink}}, [])),
    p("named stop frees name",
      gen_server:start({local, gs_test_tmp}, ?MODULE, {init, {stop, x}}, [])),
    p("whereis", whereis(gs_test_tmp)),
    p("ok hibernate", clean(gen_server:start(?MODULE, {init, hibernate}, []))).

init_timeout() ->
    %% {ok, S, 0}: the timeout message comes before anything else.
    {ok, P} = gen_server:start_link(?MODULE, {init_timeout, self()}, []),
    receive {timeout_seen, N} -> p("timeout seen", N) end,
    p("state", gen_server:call(P, get)),
    %% {noreply, S, 0} from a cast.
    gen_server:cast(P, {timeout_after_cast, self()}),
    receive {timeout_seen, N2} -> p("timeout seen again", N2) end,
    %% A message cancels a pending timeout.
    p("reply with long timeout", gen_server:call(P, long_timeout)),
    p("call before it fires", gen_server:call(P, get)),
    gen_server:stop(P).

continue() ->
    {ok, P} = gen_server:start_link(?MODULE, {continue, self()}, []),
    p("first message sees", gen_server:call(P, get)),
    receive {continued, L} -> p("continued", L) end,
    p("call with continue", gen_server:call(P, {with_continue, c2})),
    p("state", gen_server:call(P, get)),
    gen_server:cast(P, {cast_continue, c3}),
    p("state after cast", gen_server:call(P, get)),
    gen_server:stop(P).

call_errors() ->
    {ok, P} = gen_server:start(?MODULE, {counter, 0}, []),
    p("timeout", clean(catch_it(fun() -> gen_server:call(P, {sleep, 500}, 50) end))),
    p("still alive", is_process_alive(P)),
    gen_server:stop(P),
    p("dead pid", clean(catch_it(fun() -> gen_server:call(P, get) end))),
    p("dead pid /3", clean(catch_it(fun() -> gen_server:call(P, get, 100) end))),
    p("unknown name", catch_it(fun() -> gen_server:call(gs_test_nobody, get) end)),
    {ok, P2} = gen_server:start(?MODULE, {counter, 0}, []),
    p("server dies in call",
      clean(catch_it(fun() -> gen_server:call(P2, {die, boom}) end))),
    {ok, P3} = gen_server:start(?MODULE, {counter, 0}, []),
    p("server crashes in call",
      clean(catch_it(fun() -> gen_server:call(P3, crash) end))),
    {ok, P4} = gen_server:start(?MODULE, {counter, 0}, []),
    p("server stops in call",
      clean(catch_it(fun() -> gen_server:call(P4, stop_noreply) end))),
    p("calling self", clean(catch_it(fun() -> gen_server:call(self(), get) end))),
    p("stop dead", catch_it(fun() -> gen_server:stop(P) end)),
    p("stop unknown name", catch_it(fun() -> gen_server:stop(gs_test_nobody) end)).

stop() ->
    Me = self(),
    {ok, P} = gen_server:start(?MODULE, {notify, Me}, []),
    p("stop/3 reason", clean(catch_it(fun() -> gen_server:stop(P, my_reason, 1000) end))),
    receive {terminate, R} -> p("terminate got", R) end,
    {ok, P2} = gen_server:start(?MODULE, {notify, Me}, []),
    p("stop shutdown", gen_server:stop(P2, shutdown, infinity)),
    receive {terminate, R2} -> p("terminate got", R2) end,
    {ok, P3} = gen_server:start(?MODULE, {notify, Me}, []),
    p("stop {shutdown,x}", gen_server:stop(P3, {shutdown, x}, infinity)),
    receive {terminate, R3} -> p("terminate got", R3) end,
    {ok, P4} = gen_server:start(?MODULE, {notify, Me}, []),
    p("stop with reply", gen_server:call(P4, stop_reply)),
    receive {terminate, R4} -> p("terminate got", R4) end,
    wait_dead(P4),
    {ok, P5} = gen_server:start(?MODULE, {counter, 0}, []),
    p("stop timeout",
      clean(catch_it(fun() -> gen_server:call(P5, {sleep, 300}, infinity) end))),
    {ok, P6} = gen_server:start(?MODULE, {counter, 0}, []),
    gen_server:cast(P6, {sleep, 300}),
    p("stop busy server times out", catch_it(fun() -> gen_server:stop(P6, normal, 50) end)),
    {ok, P7} = gen_server:start(?MODULE, {bad_terminate, Me}, []),
    p("terminate crashes", clean(catch_it(fun() -> gen_server:stop(P7) end))).

deferred_reply() ->
    {ok, P} = gen_server:start_link(?MODULE, {counter, 0}, []),
    Self = self(),
    spawn_link(fun() -> Self ! {deferred, gen_server:call(P, {deferred, 42})} end),
    receive after 20 -> ok end,
    p("release", gen_server:call(P, release)),
    receive {deferred, V} -> p("deferred reply", V) end,
    gen_server:stop(P).

return_shapes() ->
    process_flag(trap_exit, true),
    {ok, P} = gen_server:start_link(?MODULE, {counter, 0}, []),
    p("thrown reply", gen_server:call(P, throw_reply)),
    p("noreply then timeout message", gen_server:call(P, {reply_timeout, self()})),
    receive {timeout_seen, N} -> p("timeout seen", N) end,
    p("hibernate reply", gen_server:call(P, hibernate)),
    p("after hibernate", gen_server:call(P, get)),
    gen_server:cast(P, {stop_cast, {shutdown, cast_stop}}),
    receive {'EXIT', P, R} -> p("cast stop exit", R) end,
    {ok, P2} = gen_server:start_link(?MODULE, {counter, 0}, []),
    P2 ! {stop_info, info_stop},
    receive {'EXIT', P2, R2} -> p("info stop exit", R2) end,
    {ok, P3} = gen_server:start_link(?MODULE, {counter, 0}, []),
    p("bad return from call", clean(catch_it(fun() -> gen_server:call(P3, bad_return) end))),
    receive {'EXIT', P3, R3} -> p("bad return exit", clean(R3)) end,
    {ok, P4} = gen_server:start_link(?MODULE, {counter, 0}, []),
    gen_server:cast(P4, bad_return),
    receive {'EXIT', P4, R4} -> p("bad cast return exit", R4) end,
    {ok, P5} = gen_server:start_link(?MODULE, {counter, 0}, []),
    gen_server:cast(P5, throw_stop),
    receive {'EXIT', P5, R5} -> p("thrown stop exit", R5) end.

crash_in_call() ->
    process_flag(trap_exit, true),
    {ok, P} = gen_server:start_link(?MODULE, {notify, self()}, []),
    gen_server:cast(P, crash),
    receive {terminate, TR} -> p("terminate reason", clean(TR)) end,
    receive {'EXIT', P, R} -> p("exit", clean(R)) end,
    {ok, P2} = gen_server:start_link(?MODULE, {notify, self()}, []),
    P2 ! exit_please,
    receive {terminate, TR2} -> p("terminate reason", TR2) end,
    receive {'EXIT', P2, R2} -> p("exit", R2) end,
    {ok, P3} = gen_server:start_link(?MODULE, {notify, self()}, []),
    P3 ! throw_please,
    p("throw in handle_info is a return", clean(gen_server:call(P3, get))),
    gen_server:stop(P3).

parent_exit() ->
    Me = self(),
    %% The server traps exits: terminate/2 is called with the parent's reason.
    Parent = spawn(fun() ->
                           {ok, P} = gen_server:start_link(?MODULE, {trap, Me}, []),
                           Me ! {server, P},
                           receive never -> ok end
                   end),
    P = receive {server, S} -> S end,
    Ref = monitor(process, P),
    exit(Parent, goodbye),
    receive {terminate, R} -> p("terminate on parent exit", R) end,
    receive {'DOWN', Ref, process, P, R2} -> p("server exit", R2) end,
    %% Not trapping: the server just dies, no terminate.
    Parent2 = spawn(fun() ->
                            {ok, P2} = gen_server:start_link(?MODULE, {notify, Me}, []),
                            Me ! {server, P2},
                            receive never -> ok end
                    end),
    P2 = receive {server, S2} -> S2 end,
    Ref2 = monitor(process, P2),
    exit(Parent2, goodbye),
    receive {'DOWN', Ref2, process, P2, R3} -> p("non-trapping server exit", R3) end,
    receive {terminate, X} -> p("unexpected terminate", X) after 50 -> p("no terminate", ok) end,
    %% An EXIT from another linked process goes to handle_info.
    {ok, P3} = gen_server:start(?MODULE, {trap, Me}, []),
    Other = spawn(fun() -> receive go -> exit(other_reason) end end),
    gen_server:call(P3, {link, Other}),
    Other ! go,
    receive {info, I} -> p("handle_info got", clean(I)) end,
    gen_server:stop(P3),
    receive {terminate, R4} -> p("terminate", R4) end.

start_monitor() ->
    {ok, {P, Ref}} = gen_server:start_monitor(?MODULE, {counter, 3}, []),
    p("monitor ref", is_reference(Ref)),
    p("get", gen_server:call(P, get)),
    gen_server:cast(P, {stop_cast, bye}),
    receive {'DOWN', Ref, process, P, R} -> p("down", R) end,
    p("failing start_monitor", gen_server:start_monitor(?MODULE, {init, {stop, no}}, [])),
    p("named", element(1, gen_server:start_monitor({local, gs_test_mon}, ?MODULE,
                                                   {counter, 1}, []))),
    p("stop named", gen_server:stop(gs_test_mon)),
    p("mailbox", clean(flush_all())).

proc_lib_test() ->
    Me = self(),
    P = proc_lib:spawn(fun() -> Me ! {dict, get('$initial_call'), get('$ancestors')} end),
    receive {dict, IC, Anc} -> p("spawn/1 initial_call", IC), p("ancestors", Anc =:= [Me]) end,
    P2 = proc_lib:spawn_link(?MODULE, special, [{report, Me}]),
    receive {dict, IC2, Anc2} -> p("spawn_link/3 initial_call", IC2), p("ancestors", Anc2 =:= [Me]) end,
    p("pids differ", P =/= P2),
    p("start", clean(proc_lib:start(?MODULE, special, [ack]))),
    p("start_link", clean(proc_lib:start_link(?MODULE, special, [ack]))),
    p("start/4 timeout", proc_lib:start(?MODULE, special, [never_ack], 50)),
    process_flag(trap_exit, true),
    p("start_link dies before ack", proc_lib:start_link(?MODULE, special, [die])),
    p("mailbox", clean(flush_all())),
    p("start dies before ack", proc_lib:start(?MODULE, special, [die])),
    p("start_link crashes before ack", clean(proc_lib:start_link(?MODULE, special, [crash]))),
    p("mailbox", clean(flush_all())),
    {Ret, Ref} = proc_lib:start_monitor(?MODULE, special, [ack]),
    p("start_monitor", {clean(Ret), is_reference(Ref)}),
    receive {'DOWN', Ref, process, _, R} -> p("down", R) end,
    %% A nested proc_lib process has both ancestors.
    proc_lib:spawn(fun() ->
                           Mid = self(),
                           proc_lib:spawn(fun() -> Me ! {anc, get('$ancestors') =:= [Mid, Me]} end)
                   end),
    receive {anc, A} -> p("nested ancestors", A) end,
    %% Registered parents appear by name.
    register(gs_test_parent, self()),
    proc_lib:spawn(fun() -> Me ! {anc, get('$ancestors')} end),
    receive {anc, A2} -> p("registered ancestor", A2) end,
    unregister(gs_test_parent),
    %% Exit reasons of crashing proc_lib processes.
    {P5, R5} = spawn_monitor(fun() -> proc_lib:spawn_link(fun() -> erlang:error(oops) end),
                                      receive after infinity -> ok end end),
    receive {'DOWN', R5, process, P5, Why} -> p("linked to crasher", clean(Why)) end,
    {P6, R6} = spawn_monitor(fun() -> proc_lib:spawn_link(fun() -> throw(ball) end),
                                      receive after infinity -> ok end end),
    receive {'DOWN', R6, process, P6, Why6} -> p("linked to thrower", clean(Why6)) end.

special({report, Me}) ->
    Me ! {dict, get('$initial_call'), get('$ancestors')};
special(ack) ->
    proc_lib:init_ack({ok, self(), extra}),
    receive after 10 -> ok end;
special(never_ack) ->
    receive after 1000 -> ok end;
special(die) ->
    exit(died_early);
special(crash) ->
    erlang:error(crashed_early).

enter_loop() ->
    Me = self(),
    {ok, P} = proc_lib:start_link(?MODULE, plain, []),
    p("get", gen_server:call(P, get)),
    p("inc", gen_server:call(P, {inc, 2})),
    gen_server:cast(P, {add, 3}),
    p("get", gen_server:call(P, get)),
    p("stop", gen_server:stop(P)),
    {ok, P2} = proc_lib:start(?MODULE, plain_named, []),
    p("named", whereis(gs_test_plain) =:= P2),
    gen_server:stop(gs_test_plain),
    Pid = spawn(fun() ->
                        Me ! {not_proc_lib,
                              catch_it(fun() -> gen_server:enter_loop(?MODULE, [], 0) end)}
                end),
    receive {not_proc_lib, R} -> p("not started by proc_lib", {R, is_pid(Pid)}) end,
    {ok, P3} = proc_lib:start(?MODULE, plain_unregistered, []),
    p("not registered", wait_dead(P3)).

plain() ->
    proc_lib:init_ack({ok, self()}),
    gen_server:enter_loop(?MODULE, [], {counter, 5}).

plain_named() ->
    register(gs_test_plain, self()),
    proc_lib:init_ack({ok, self()}),
    gen_server:enter_loop(?MODULE, [], {counter, 0}, {local, gs_test_plain}).

plain_unregistered() ->
    proc_lib:init_ack({ok, self()}),
    gen_server:enter_loop(?MODULE, [], {counter, 0}, {local, gs_test_unreg}, infinity).

start_timeout() ->
    p("timeout option", gen_server:start(?MODULE, {init, {sleep, 500}}, [{timeout, 50}])),
    process_flag(trap_exit, true),
    p("timeout option link",
      gen_server:start_link(?MODULE, {init, {sleep, 500}}, [{timeout, 50}])),
    p("mailbox", clean(flush_all())).

%%--------------------------------------------------------------------
%% Callbacks

init({counter, N}) -> {ok, {counter, N}};
init({no_info, N}) -> {ok, {no_info, N}};
init({notify, Pid}) -> {ok, {notify, Pid, 0}};
init({bad_terminate, Pid}) -> {ok, {bad_terminate, Pid}};
init({trap, Pid}) ->
    process_flag(trap_exit, true),
    {ok, {notify, Pid, 0}};
init({init, ignore}) -> ignore;
init({init, {stop, R}}) -> {stop, R};
init({init, bad}) -> {what, ever};
init({init, crash}) -> erlang:error(init_crash);
init({init, exit}) -> exit(init_exit);
init({init, throw_ok}) -> throw({ok, thrown});
init({init, hibernate}) -> {ok, {counter, 0}, hibernate};
init({init, {sleep, T}}) -> receive after T -> {ok, {counter, 0}} end;
init({init_timeout, Pid}) -> {ok, {timeouts, Pid, 0}, 0};
init({continue, Pid}) -> {ok, {cont, Pid, [init]}, {continue, c1}}.

handle_call(get, _From, {counter, N} = S) -> {reply, N, S};
handle_call(get, _From, {no_info, N} = S) -> {reply, N, S};
handle_call(get, _From, {timeouts, _, N} = S) -> {reply, N, S};
handle_call(get, _From, {cont, _, L} = S) -> {reply, lists:reverse(L), S};
handle_call(get, _From, {notify, _, N} = S) -> {reply, N, S};
handle_call({inc, I}, _From, {counter, N}) -> {reply, N + I, {counter, N + I}};
handle_call(ancestors_ok, _From, S) ->
    [Parent | _] = get('$ancestors'),
    {reply, is_pid(Parent) andalso Parent =/= self(), S};
handle_call(initial_call, _From, S) -> {reply, get('$initial_call'), S};
handle_call({sleep, T}, _From, S) -> receive after T -> {reply, slept, S} end;
handle_call({die, R}, _From, _S) -> exit(R);
handle_call(crash, _From, {counter, N}) -> {reply, N / 0, {counter, N}};
handle_call(stop_noreply, _From, S) -> {stop, stopped_without_reply, S};
handle_call(stop_reply, _From, S) -> {stop, normal, stopping, S};
handle_call({deferred, V}, From, _S) -> {noreply, {waiting, From, V}};
handle_call(release, _From, {waiting, From, V}) ->
    gen_server:reply(From, V),
    {reply, released, {counter, 0}};
handle_call(throw_reply, _From, S) -> throw({reply, thrown, S});
handle_call({reply_timeout, Pid}, _From, {counter, N}) ->
    {reply, ok, {timeouts, Pid, N}, 10};
handle_call(hibernate, _From, S) -> {reply, zzz, S, hibernate};
handle_call(bad_return, _From, _S) -> bad;
handle_call(long_timeout, _From, S) -> {reply, ok, S, 10000};
handle_call({with_continue, C}, _From, {cont, P, L}) ->
    {reply, ok, {cont, P, [call | L]}, {continue, C}};
handle_call({link, Pid}, _From, S) -> link(Pid), {reply, ok, S}.

handle_cast({add, I}, {counter, N}) -> {noreply, {counter, N + I}};
handle_cast({timeout_after_cast, Pid}, {timeouts, _, N}) -> {noreply, {timeouts, Pid, N}, 0};
handle_cast({cast_continue, C}, {cont, P, L}) -> {noreply, {cont, P, [cast | L]}, {continue, C}};
handle_cast({stop_cast, R}, S) -> {stop, R, S};
handle_cast(bad_return, _S) -> {noreply};
handle_cast(throw_stop, S) -> throw({stop, thrown_stop, S});
handle_cast({sleep, T}, S) -> receive after T -> {noreply, S} end;
handle_cast(crash, {notify, _, _}) -> erlang:error(cast_crash).

handle_info({info, I}, {counter, N}) -> {noreply, {counter, N + I}};
handle_info(timeout, {timeouts, Pid, N}) ->
    Pid ! {timeout_seen, N + 1},
    {noreply, {timeouts, Pid, N + 1}};
handle_info(timeout, {counter, _} = S) -> {noreply, S};
handle_info({stop_info, R}, S) -> {stop, R, S};
handle_info(exit_please, _S) -> exit(exited_in_info);
handle_info(throw_please, {notify, P, _}) -> throw({noreply, {notify, P, thrown_state}});
handle_info({'EXIT', _, _} = I, {notify, P, _} = S) -> P ! {info, I}, {noreply, S}.

handle_continue(C, {cont, P, L}) ->
    L2 = [C | L],
    case C of
        c1 -> P ! {continued, lists:reverse(L2)};
        _ -> ok
    end,
    {noreply, {cont, P, L2}}.

terminate(Reason, {notify, Pid, _}) -> Pid ! {terminate, Reason};
terminate(_Reason, {bad_terminate, _}) -> erlang:error(terminate_crash);
terminate(_Reason, _S) -> ok.

code_change(_Old, S, _Extra) -> {ok, S}.

%%--------------------------------------------------------------------
%% Helpers (each program carries its own copy)

run(Name, Fun) ->
    io:format("== ~s~n", [Name]),
    {Pid, Ref} = spawn_monitor(Fun),
    receive
        {'DOWN', Ref, process, Pid, normal} -> ok;
        {'DOWN', Ref, process, Pid, Reason} -> io:format("!! ~s crashed: ~p~n", [Name, clean(Reason)])
    end.

p(Label, Term) -> io:format("~s: ~p~n", [Label, Term]).

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

flush_exit() ->
    receive {'EXIT', _, R} -> {exit, R} after 2000 -> none end.

flush_all() ->
    receive M -> [M | flush_all()] after 50 -> [] end.

wait_dead(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, R} -> R end.

%% Replace pids, references and stacktraces by atoms, so that the output
%% is the same in every run.
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
