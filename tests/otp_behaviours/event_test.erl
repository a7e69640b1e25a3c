%% gen_event: handlers that count and log, calls, removal, swapping,
%% crashing handlers, supervised handlers, sys and stop.
-module(event_test).
-behaviour(gen_event).

-export([start/0]).
-export([init/1, handle_event/2, handle_call/2, handle_info/2, terminate/2,
         code_change/3]).

start() ->
    run("basic", fun basic/0),
    run("handler_ids", fun handler_ids/0),
    run("remove_and_swap", fun remove_and_swap/0),
    run("crashes", fun crashes/0),
    run("init_results", fun init_results/0),
    run("sup_handler", fun sup_handler/0),
    run("sys_and_stop", fun sys_and_stop/0),
    io:format("done~n").

%%--------------------------------------------------------------------

basic() ->
    {ok, M} = gen_event:start_link(),
    p("which (none)", gen_event:which_handlers(M)),
    p("add counter", gen_event:add_handler(M, ?MODULE, {counter, self()})),
    p("notify", gen_event:notify(M, {incr, 2})),
    p("sync_notify", gen_event:sync_notify(M, {incr, 3})),
    p("call", gen_event:call(M, ?MODULE, get)),
    p("call/4", gen_event:call(M, ?MODULE, get, 1000)),
    M ! {incr, 10},
    p("after info", gen_event:call(M, ?MODULE, get)),
    p("call unknown handler", gen_event:call(M, no_such_handler, get)),
    p("delete unknown", gen_event:delete_handler(M, no_such_handler, x)),
    p("delete", gen_event:delete_handler(M, ?MODULE, my_args)),
    receive {terminated, T} -> p("terminate got", T) end,
    p("which", gen_event:which_handlers(M)),
    p("notify without handlers", gen_event:notify(M, {incr, 1})),
    {ok, M2} = gen_event:start({local, event_test_mgr}),
    p("named", whereis(event_test_mgr) =:= M2),
    p("already", gen_event:start({local, event_test_mgr}) =:= {error, {already_started, M2}}),
    p("add by name", gen_event:add_handler(event_test_mgr, ?MODULE, {counter, self()})),
    p("notify by name", gen_event:notify(event_test_mgr, {incr, 5})),
    p("call by name", gen_event:call(event_test_mgr, ?MODULE, get)),
    p("stop", gen_event:stop(event_test_mgr)),
    receive {terminated, T2} -> p("terminate got", T2) end,
    p("stop first", gen_event:stop(M)).

handler_ids() ->
    {ok, M} = gen_event:start_link(),
    ok = gen_event:add_handler(M, {?MODULE, a}, {logger, self(), a}),
    ok = gen_event:add_handler(M, {?MODULE, b}, {logger, self(), b}),
    ok = gen_event:add_handler(M, ?MODULE, {logger, self(), plain}),
    p("which", gen_event:which_handlers(M)),
    gen_event:sync_notify(M, hello),
    p("order", [receive {logged, Who, E} -> {Who, E} end || _ <- [1, 2, 3]]),
    p("call a", gen_event:call(M, {?MODULE, a}, get)),
    p("delete b", gen_event:delete_handler(M, {?MODULE, b}, bye)),
    receive {terminated, T} -> p("terminate got", T) end,
    p("which", gen_event:which_handlers(M)),
    p("add a again", gen_event:add_handler(M, {?MODULE, a}, {logger, self(), a})),
    p("which", gen_event:which_handlers(M)),
    gen_event:stop(M),
    p("terminates on stop", lists:sort([receive {terminated, X} -> X end || _ <- [1, 2]])).

remove_and_swap() ->
    {ok, M} = gen_event:start_link(),
    ok = gen_event:add_handler(M, {?MODULE, r}, {counter, self(), r}),
    ok = gen_event:add_handler(M, {?MODULE, s}, {counter, self(), s}),
    gen_event:sync_notify(M, {remove_me, r}),
    receive {terminated, T} -> p("removed", T) end,
    p("which", gen_event:which_handlers(M)),
    gen_event:sync_notify(M, {incr, 4}),
    gen_event:sync_notify(M, {swap_me, s, t}),
    receive {terminated, T2} -> p("swapped out", T2) end,
    receive {init, I} -> p("swapped in", I) end,
    p("which", gen_event:which_handlers(M)),
    p("call swapped", gen_event:call(M, {?MODULE, t}, get)),
    p("swap_handler", gen_event:swap_handler(M, {{?MODULE, t}, to_u}, {{?MODULE, u}, from_t})),
    receive {terminated, T3} -> p("swapped out", T3) end,
    receive {init, I2} -> p("swapped in", I2) end,
    p("which", gen_event:which_handlers(M)),
    p("call swap", gen_event:call(M, {?MODULE, u}, {swap_to, v})),
    receive {terminated, T4} -> p("swapped out", T4) end,
    receive {init, I3} -> p("swapped in", I3) end,
    p("which", gen_event:which_handlers(M)),
    p("call remove", gen_event:call(M, {?MODULE, v}, remove)),
    receive {terminated, T5} -> p("removed", T5) end,
    p("which", gen_event:which_handlers(M)),
    p("swap missing", gen_event:swap_handler(M, {{?MODULE, x}, a}, {{?MODULE, y}, b})),
    p("state of y", gen_event:call(M, {?MODULE, y}, get)),
    p("which", gen_event:which_handlers(M)),
    gen_event:stop(M).

crashes() ->
    {ok, M} = gen_event:start_link(),
    ok = gen_event:add_handler(M, {?MODULE, c1}, {counter, self(), c1}),
    ok = gen_event:add_handler(M, {?MODULE, c2}, {counter, self(), c2}),
    gen_event:sync_notify(M, {crash_if, c1}),
    receive {terminated, T} -> p("crashed handler terminate", clean(T)) end,
    p("which", gen_event:which_handlers(M)),
    gen_event:sync_notify(M, {bad_return, c2}),
    receive {terminated, T2} -> p("bad return terminate", clean(T2)) end,
    p("which", gen_event:which_handlers(M)),
    ok = gen_event:add_handler(M, {?MODULE, c3}, {counter, self(), c3}),
    p("call crash", clean(gen_event:call(M, {?MODULE, c3}, crash))),
    receive {terminated, T3} -> p("call crash terminate", clean(T3)) end,
    p("which", gen_event:which_handlers(M)),
    p("manager alive", is_process_alive(M)),
    gen_event:stop(M),
    p("call dead", clean(catch_it(fun() -> gen_event:call(M, ?MODULE, get) end))),
    p("add dead", clean(catch_it(fun() -> gen_event:add_handler(M, ?MODULE, x) end))),
    p("notify dead pid", gen_event:notify(M, x)),
    p("notify unknown name", catch_it(fun() -> gen_event:notify(event_test_nobody, x) end)),
    p("stop dead", catch_it(fun() -> gen_event:stop(M) end)).

init_results() ->
    {ok, M} = gen_event:start_link(),
    p("init error", gen_event:add_handler(M, ?MODULE, {init, {error, nope}})),
    p("init other", gen_event:add_handler(M, ?MODULE, {init, weird})),
    p("init crash", clean(gen_event:add_handler(M, ?MODULE, {init, crash}))),
    p("init hibernate", gen_event:add_handler(M, ?MODULE, {init, hibernate})),
    p("which", gen_event:which_handlers(M)),
    gen_event:stop(M).

sup_handler() ->
    {ok, M} = gen_event:start(),
    Me = self(),
    Owner = spawn(fun() ->
                          ok = gen_event:add_sup_handler(M, {?MODULE, sup}, {counter, Me}),
                          Me ! added,
                          receive stop -> ok end
                  end),
    receive added -> ok end,
    p("which", gen_event:which_handlers(M)),
    Owner ! stop,
    receive {terminated, T} -> p("owner exited, terminate got", T) end,
    p("which", gen_event:which_handlers(M)),
    ok = gen_event:add_sup_handler(M, {?MODULE, mine}, {counter, self(), mine}),
    gen_event:sync_notify(M, {remove_me, mine}),
    receive {terminated, T2} -> p("removed", T2) end,
    receive {gen_event_EXIT, H, R} -> p("gen_event_EXIT", {H, R}) end,
    ok = gen_event:add_sup_handler(M, {?MODULE, mine2}, {counter, self()}),
    p("delete", gen_event:delete_handler(M, {?MODULE, mine2}, bye)),
    receive {terminated, T3} -> p("deleted", T3) end,
    receive X -> p("unexpected", X) after 50 -> p("no gen_event_EXIT after delete", ok) end,
    ok = gen_event:add_sup_handler(M, {?MODULE, mine3}, {counter, self(), mine3}),
    gen_event:sync_notify(M, {crash_if, mine3}),
    receive {terminated, T4} -> p("crashed", clean(T4)) end,
    receive {gen_event_EXIT, H4, R4} -> p("gen_event_EXIT", clean({H4, R4})) end,
    gen_event:stop(M).

sys_and_stop() ->
    process_flag(trap_exit, true),
    {ok, M} = gen_event:start_link(),
    ok = gen_event:add_handler(M, {?MODULE, a}, {counter, self()}),
    ok = gen_event:add_handler(M, {?MODULE, b}, {counter, self()}),
    gen_event:notify(M, {incr, 1}),
    p("get_state", clean(sys:get_state(M))),
    p("replace_state", clean(sys:replace_state(M, fun({Mod, Id, {counter, P, N, I}}) ->
                                                          {Mod, Id, {counter, P, N * 10, I}}
                                                  end))),
    p("call", gen_event:call(M, {?MODULE, a}, get)),
    p("suspend", sys:suspend(M)),
    gen_event:notify(M, {incr, 1}),
    p("resume", sys:resume(M)),
    p("call", gen_event:call(M, {?MODULE, a}, get)),
    p("stop/3", gen_event:stop(M, shutdown, 1000)),
    p("terminates", lists:sort([receive {terminated, X} -> X end || _ <- [1, 2]])),
    receive {'EXIT', M, R} -> p("exit", R) end,
    %% The owner of a linked manager dies.
    Me = self(),
    Owner = spawn(fun() ->
                          {ok, M2} = gen_event:start_link(),
                          ok = gen_event:add_handler(M2, ?MODULE, {counter, Me}),
                          Me ! {mgr, M2},
                          receive never -> ok end
                  end),
    M2 = receive {mgr, X2} -> X2 end,
    Ref = monitor(process, M2),
    exit(Owner, bye),
    receive {terminated, T} -> p("parent exit, terminate got", T) end,
    receive {'DOWN', Ref, process, M2, R2} -> p("manager exit", R2) end.

%%--------------------------------------------------------------------
%% Handler callbacks.  A counter's state is {counter, Owner, N, Id}.

init({counter, Pid}) -> {ok, {counter, Pid, 0, none}};
init({counter, Pid, Id}) -> {ok, {counter, Pid, 0, Id}};
init({logger, Pid, Who}) -> {ok, {logger, Pid, Who}};
init({init, {error, R}}) -> {error, R};
init({init, weird}) -> weird;
init({init, crash}) -> erlang:error(init_crash);
init({init, hibernate}) -> {ok, {counter, self(), 0, none}, hibernate};
init({{from, Old}, {swapped, Pid, N, New}}) ->
    Pid ! {init, {from, Old, N}},
    {ok, {counter, Pid, N, New}};
init({{from_call, New}, {swapped, Pid, N, _}}) ->
    Pid ! {init, {from_call, N}},
    {ok, {counter, Pid, N, New}};
init({from_t, {swapped, Pid, N, _}}) ->
    Pid ! {init, {from_t, N}},
    {ok, {counter, Pid, N, u}};
init({b, Res}) ->
    {ok, {missing_swap, Res}}.

handle_event({incr, I}, {counter, P, N, Id}) -> {ok, {counter, P, N + I, Id}};
handle_event({remove_me, Id}, {counter, _, _, Id}) -> remove_handler;
handle_event({swap_me, Id, New}, {counter, _, _, Id} = S) ->
    {swap_handler, {to, New}, S, {?MODULE, New}, {from, Id}};
handle_event({crash_if, Id}, {counter, _, _, Id}) -> erlang:error({crashed, Id});
handle_event({bad_return, Id}, {counter, _, _, Id}) -> {what, ever};
handle_event(E, {logger, P, Who} = S) -> P ! {logged, Who, E}, {ok, S};
handle_event(_, S) -> {ok, S}.

handle_call(get, {counter, _, N, _} = S) -> {ok, N, S};
handle_call(get, S) -> {ok, S, S};
handle_call({swap_to, New}, {counter, _, _, _} = S) ->
    {swap_handler, swapping, {to, New}, S, {?MODULE, New}, {from_call, New}};
handle_call(remove, _S) -> {remove_handler, removed};
handle_call(crash, _S) -> erlang:error(call_crash).

handle_info({incr, I}, {counter, P, N, Id}) -> {ok, {counter, P, N + I, Id}};
handle_info(_, S) -> {ok, S}.

terminate({to, New} = Arg, {counter, P, N, _}) ->
    P ! {terminated, Arg},
    {swapped, P, N, New};
terminate(to_u = Arg, {counter, P, N, _}) ->
    P ! {terminated, Arg},
    {swapped, P, N, u};
terminate(Arg, {counter, P, _, _}) when is_pid(P) -> P ! {terminated, Arg};
terminate(Arg, {logger, P, Who}) -> P ! {terminated, {Who, Arg}};
terminate(_Arg, _S) -> ok.

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

p(Label, Term) -> io:format("~s: ~p~n", [Label, clean(Term)]).

catch_it(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R -> {C, R}
    end.

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
