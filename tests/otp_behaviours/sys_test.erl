%% sys: get_state, replace_state, suspend/resume, change_code, terminate
%% and get_status on gen_server processes; a hand-written special
%% process using proc_lib + sys:handle_system_msg.
-module(sys_test).
-behaviour(gen_server).

-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2, code_change/3, terminate/2]).
-export([special_init/1, system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2, system_code_change/4]).

start() ->
    run("state", fun state/0),
    run("suspend", fun suspend/0),
    run("errors", fun errors/0),
    run("special", fun special/0),
    io:format("done~n").

state() ->
    {ok, P} = gen_server:start_link(?MODULE, 1, []),
    p("get_state", sys:get_state(P)),
    p("get_state/2", sys:get_state(P, 1000)),
    p("replace_state", sys:replace_state(P, fun(S) -> S + 10 end)),
    p("call", gen_server:call(P, get)),
    p("replace_state/3", sys:replace_state(P, fun(S) -> S * 2 end, 1000)),
    {error, {callback_failed, {_, system_replace_state}, CErr}} =
        catch_it(fun() -> sys:replace_state(P, fun(X) -> X / 0 end) end),
    p("failing replace", CErr),
    p("state kept", sys:get_state(P)),
    {status, Pid, Mod, [_PDict, SysState, Parent, _Dbg, Misc]} = sys:get_status(P),
    p("get_status", {Pid =:= P, element(1, Mod), SysState, Parent =:= self()}),
    p("status data", [D || {data, D} <- Misc, lists:keymember("State", 1, D)]),
    p("debug ops", {sys:trace(P, true), sys:log(P, true), sys:no_debug(P)}),
    p("get_state by name", begin register(sys_test_srv, P), sys:get_state(sys_test_srv) end),
    p("terminate", sys:terminate(P, normal)),
    p("alive", is_process_alive(P)).

suspend() ->
    {ok, P} = gen_server:start_link(?MODULE, 0, []),
    p("suspend", sys:suspend(P)),
    gen_server:cast(P, {add, 5}),
    gen_server:cast(P, {add, 6}),
    p("state while suspended", sys:get_state(P)),
    p("resume", sys:resume(P)),
    p("state after resume", gen_server:call(P, get)),
    p("suspend", sys:suspend(P)),
    p("change_code", sys:change_code(P, ?MODULE, old_vsn, extra)),
    p("state after change_code", sys:get_state(P)),
    p("resume", sys:resume(P)),
    p("change_code running", sys:change_code(P, ?MODULE, old_vsn, extra)),
    p("suspend/2", sys:suspend(P, 1000)),
    p("resume/2", sys:resume(P, 1000)),
    gen_server:stop(P).

errors() ->
    {ok, P} = gen_server:start(?MODULE, 0, []),
    gen_server:stop(P),
    p("dead", clean(catch_it(fun() -> sys:get_state(P) end))),
    p("dead /2", clean(catch_it(fun() -> sys:get_state(P, 100) end))),
    p("unknown name", catch_it(fun() -> sys:suspend(sys_test_nobody) end)),
    p("not a system process",
      clean(catch_it(fun() -> sys:get_state(spawn(fun() -> receive after 500 -> ok end end), 50) end))).

special() ->
    {ok, P} = proc_lib:start(?MODULE, special_init, [self()]),
    P ! {bump, 3},
    p("get_state", sys:get_state(P)),
    p("replace_state", sys:replace_state(P, fun(N) -> N + 100 end)),
    p("suspend", sys:suspend(P)),
    P ! {bump, 1},
    p("state while suspended", sys:get_state(P)),
    p("resume", sys:resume(P)),
    p("state", sys:get_state(P)),
    p("terminate", sys:terminate(P, shutdown)),
    receive {special_terminated, R, S} -> p("special terminated", {R, S}) end.

%% A special process.
special_init(Parent) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    special_loop(Parent, 0).

special_loop(Parent, N) ->
    receive
        {system, From, Req} -> sys:handle_system_msg(Req, From, Parent, ?MODULE, [], {Parent, N});
        {bump, I} -> special_loop(Parent, N + I)
    end.

system_continue(Parent, _Debug, {Parent, N}) -> special_loop(Parent, N).
system_terminate(Reason, Parent, _Debug, {Parent, N}) ->
    Parent ! {special_terminated, Reason, N},
    exit(Reason).
system_get_state({_, N}) -> {ok, N}.
system_replace_state(F, {Parent, N}) -> N2 = F(N), {ok, N2, {Parent, N2}}.
system_code_change(Misc, _Mod, _Vsn, _Extra) -> {ok, Misc}.

%% gen_server callbacks
init(N) -> {ok, N}.
handle_call(get, _From, N) -> {reply, N, N}.
handle_cast({add, I}, N) -> {noreply, N + I}.
code_change(OldVsn, N, Extra) -> {ok, {N, OldVsn, Extra}}.
terminate(_, _) -> ok.

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
