%% supervisor: strategies, restart types, intensity, shutdown kinds,
%% the child API and init errors.  Workers are gen_servers of this module
%% that print when they start and terminate.
-module(sup_test).
-behaviour(supervisor).

-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).
-export([start_worker/1, start_worker/2, start_plain/1, start_fail/1, start_ignore/1,
         start_sup/2]).

start() ->
    run("one_for_one", fun one_for_one/0),
    run("one_for_all", fun one_for_all/0),
    run("rest_for_one", fun rest_for_one/0),
    run("simple_one_for_one", fun simple_one_for_one/0),
    run("intensity", fun intensity/0),
    run("intensity_zero", fun intensity_zero/0),
    run("restart_types", fun restart_types/0),
    run("shutdown_kinds", fun shutdown_kinds/0),
    run("child_api", fun child_api/0),
    run("init_errors", fun init_errors/0),
    run("tuple_forms", fun tuple_forms/0),
    run("nested", fun nested/0),
    run("parent_exit", fun parent_exit/0),
    io:format("done~n").

%%--------------------------------------------------------------------

spec(Id) -> #{id => Id, start => {?MODULE, start_worker, [Id]}}.
spec(Id, Extra) -> maps:merge(spec(Id), Extra).

start_sup(Flags, Specs) ->
    supervisor:start_link(?MODULE, {sup, Flags, Specs}).

start_worker(Id) -> gen_server:start_link(?MODULE, {worker, Id, []}, []).
start_worker(Id, Opts) -> gen_server:start_link(?MODULE, {worker, Id, Opts}, []).

%% A worker that is not a gen_server.
start_plain(Id) ->
    Pid = spawn_link(fun() ->
                             io:format("plain ~p started~n", [Id]),
                             receive never -> ok end
                     end),
    {ok, Pid}.

start_fail(Id) -> io:format("failing ~p~n", [Id]), {error, {cannot_start, Id}}.

start_ignore(Id) -> io:format("ignoring ~p~n", [Id]), ignore.

one_for_one() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{strategy => one_for_one, intensity => 5, period => 10},
                          [spec(a), spec(b), spec(c)]),
    p("children", clean(supervisor:which_children(Sup))),
    kill(child(Sup, b)),
    p("children after b killed", clean(supervisor:which_children(Sup))),
    crash(child(Sup, a)),
    p("count", supervisor:count_children(Sup)),
    shutdown(Sup).

one_for_all() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{strategy => one_for_all, intensity => 5, period => 10},
                          [spec(a), spec(b), spec(c)]),
    kill(child(Sup, b)),
    p("children", clean(supervisor:which_children(Sup))),
    crash(child(Sup, c)),
    shutdown(Sup).

rest_for_one() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{strategy => rest_for_one, intensity => 5, period => 10},
                          [spec(a), spec(b), spec(c), spec(d)]),
    kill(child(Sup, b)),
    p("children", clean(supervisor:which_children(Sup))),
    kill(child(Sup, d)),
    kill(child(Sup, a)),
    shutdown(Sup).

simple_one_for_one() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{strategy => simple_one_for_one, intensity => 5, period => 10},
                          [#{id => ignored, start => {?MODULE, start_worker, []},
                             restart => transient}]),
    {ok, P1} = supervisor:start_child(Sup, [s1]),
    {ok, P2} = supervisor:start_child(Sup, [s2, [trap]]),
    {ok, _P3} = supervisor:start_child(Sup, [s3]),
    p("count", supervisor:count_children(Sup)),
    p("which", length(supervisor:which_children(Sup))),
    p("which ids", lists:usort([Id || {Id, _, _, _} <- supervisor:which_children(Sup)])),
    kill(P1),
    p("count after kill", supervisor:count_children(Sup)),
    p("terminate by pid", supervisor:terminate_child(Sup, P2)),
    p("terminate again", supervisor:terminate_child(Sup, P2)),
    p("terminate by id", supervisor:terminate_child(Sup, s3)),
    p("delete", supervisor:delete_child(Sup, s3)),
    p("restart", supervisor:restart_child(Sup, s3)),
    p("get_childspec", clean(supervisor:get_childspec(Sup, P2))),
    [{_, P4, _, _} | _] = supervisor:which_children(Sup),
    p("get_childspec live", clean(supervisor:get_childspec(Sup, P4))),
    gen_server:cast(P4, {stop, normal}),
    wait_dead(P4),
    p("count after normal stop (transient)", supervisor:count_children(Sup)),
    p("start failing", supervisor:start_child(Sup, [s5, [fail_init]])),
    p("start ignored", supervisor:start_child(Sup, [s6, [ignore_init]])),
    {ok, _} = supervisor:start_child(Sup, [s7, [trap]]),
    {ok, _} = supervisor:start_child(Sup, [s8, [trap]]),
    p("count", supervisor:count_children(Sup)),
    shutdown(Sup).

intensity() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{strategy => one_for_one, intensity => 2, period => 3600},
                          [spec(a), spec(b)]),
    kill(child(Sup, a)),
    kill(child(Sup, b)),
    p("count after 2 restarts", supervisor:count_children(Sup)),
    kill(child(Sup, a)),
    receive {'EXIT', Sup, R} -> p("supervisor exit", R) end,
    p("mailbox", clean(flush_all())).

intensity_zero() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup({one_for_all, 0, 1}, [spec(a), spec(b)]),
    crash(child(Sup, b)),
    receive {'EXIT', Sup, R} -> p("supervisor exit", R) end.

restart_types() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{intensity => 10, period => 10},
                          [spec(perm), spec(trans, #{restart => transient}),
                           spec(temp, #{restart => temporary})]),
    stop_child(child(Sup, trans), normal),
    p("transient after normal exit", clean(supervisor:which_children(Sup))),
    p("restart it", clean(supervisor:restart_child(Sup, trans))),
    stop_child(child(Sup, trans), {shutdown, done}),
    p("transient after {shutdown,_}", clean(supervisor:which_children(Sup))),
    p("restart it", clean(supervisor:restart_child(Sup, trans))),
    kill(child(Sup, trans)),
    p("transient after kill", clean(supervisor:which_children(Sup))),
    kill(child(Sup, temp)),
    p("temporary after kill", clean(supervisor:which_children(Sup))),
    stop_child(child(Sup, perm), normal),
    p("permanent after normal exit", clean(supervisor:which_children(Sup))),
    p("count", supervisor:count_children(Sup)),
    shutdown(Sup).

shutdown_kinds() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{intensity => 10, period => 10},
                          [spec(brutal, #{start => {?MODULE, start_worker, [brutal, [trap]]},
                                          shutdown => brutal_kill}),
                           spec(stubborn, #{start => {?MODULE, start_worker,
                                                      [stubborn, [trap, stubborn]]},
                                            shutdown => 100}),
                           spec(polite, #{start => {?MODULE, start_worker, [polite, [trap]]},
                                          shutdown => 2000}),
                           spec(inf, #{start => {?MODULE, start_worker, [inf, [trap]]},
                                       shutdown => infinity}),
                           spec(untrapped, #{shutdown => 1000})]),
    Watch = [{Id, monitor(process, child(Sup, Id))}
             || Id <- [brutal, stubborn, polite, inf, untrapped]],
    p("terminate brutal", supervisor:terminate_child(Sup, brutal)),
    p("terminate stubborn", supervisor:terminate_child(Sup, stubborn)),
    p("terminate polite", supervisor:terminate_child(Sup, polite)),
    p("terminate untrapped", supervisor:terminate_child(Sup, untrapped)),
    p("terminate inf", supervisor:terminate_child(Sup, inf)),
    [receive {'DOWN', Ref, process, _, R} -> p(atom_to_list(Id) ++ " exit", R) end
     || {Id, Ref} <- Watch],
    p("children", clean(supervisor:which_children(Sup))),
    shutdown(Sup).

child_api() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup(#{}, [spec(a)]),
    {ok, B} = supervisor:start_child(Sup, spec(b)),
    p("start_child", is_pid(B)),
    p("duplicate running", supervisor:start_child(Sup, spec(b)) =:= {error, {already_started, B}}),
    p("start plain", clean(supervisor:start_child(Sup, #{id => pl,
                                                         start => {?MODULE, start_plain, [pl]}}))),
    p("bad spec", supervisor:start_child(Sup, #{id => x, start => {?MODULE, start_worker, [x]},
                                                restart => sometimes})),
    p("bad spec 2", supervisor:start_child(Sup, #{id => x})),
    p("bad spec 3", supervisor:start_child(Sup, {x, y})),
    p("bad shutdown", supervisor:start_child(Sup, spec(x, #{shutdown => -1}))),
    p("bad type", supervisor:start_child(Sup, spec(x, #{type => boss}))),
    p("bad modules", supervisor:start_child(Sup, spec(x, #{modules => [1]}))),
    R = supervisor:start_child(Sup, #{id => f, start => {?MODULE, start_fail, [f]}}),
    p("failing child", element(1, element(2, R))),
    p("failing child not kept", supervisor:get_childspec(Sup, f)),
    p("ignored child", supervisor:start_child(Sup, #{id => ig, start => {?MODULE, start_ignore, [ig]}})),
    p("ignored child kept", clean(lists:keyfind(ig, 1, supervisor:which_children(Sup)))),
    p("ignored temporary",
      supervisor:start_child(Sup, #{id => igt, start => {?MODULE, start_ignore, [igt]},
                                    restart => temporary})),
    p("ignored temporary not kept", lists:keyfind(igt, 1, supervisor:which_children(Sup))),
    p("which", clean(supervisor:which_children(Sup))),
    p("count", supervisor:count_children(Sup)),
    p("terminate b", supervisor:terminate_child(Sup, b)),
    p("terminate b again", supervisor:terminate_child(Sup, b)),
    p("duplicate stopped", supervisor:start_child(Sup, spec(b))),
    p("which", clean(supervisor:which_children(Sup))),
    p("restart b", clean(supervisor:restart_child(Sup, b))),
    p("restart b running", supervisor:restart_child(Sup, b)),
    p("delete b running", supervisor:delete_child(Sup, b)),
    p("terminate b", supervisor:terminate_child(Sup, b)),
    p("delete b", supervisor:delete_child(Sup, b)),
    p("delete b again", supervisor:delete_child(Sup, b)),
    p("restart unknown", supervisor:restart_child(Sup, nobody)),
    p("terminate unknown", supervisor:terminate_child(Sup, nobody)),
    p("get_childspec", clean(supervisor:get_childspec(Sup, a))),
    p("get_childspec unknown", supervisor:get_childspec(Sup, nobody)),
    p("restart ignored", clean(supervisor:restart_child(Sup, ig))),
    p("check_childspecs ok", supervisor:check_childspecs([spec(x), spec(y)])),
    p("check_childspecs dup", supervisor:check_childspecs([spec(x), spec(x)])),
    p("check_childspecs bad", supervisor:check_childspecs([spec(x, #{restart => no})])),
    p("which", clean(supervisor:which_children(Sup))),
    shutdown(Sup).

init_errors() ->
    process_flag(trap_exit, true),
    p("bad strategy", start_sup(#{strategy => one_for_none}, [])),
    p("bad intensity", start_sup(#{intensity => -1}, [])),
    p("bad period", start_sup(#{period => 0}, [])),
    p("bad flags", start_sup(flags, [])),
    p("bad child", start_sup(#{}, [spec(a, #{restart => never})])),
    p("duplicate child", start_sup(#{}, [spec(a), spec(a)])),
    p("simple with two specs", clean(start_sup(#{strategy => simple_one_for_one},
                                               [spec(a), spec(b)]))),
    p("child fails",
      start_sup(#{}, [spec(a), spec(b, #{start => {?MODULE, start_fail, [b]}}), spec(c)])),
    p("child crashes in init",
      clean(start_sup(#{}, [spec(a), spec(b, #{start => {?MODULE, start_worker,
                                                          [b, [crash_init]]}})]))),
    p("ignore", supervisor:start_link(?MODULE, ignore)),
    p("bad return", supervisor:start_link(?MODULE, bad_return)),
    p("mailbox (sorted)", lists:sort(clean(flush_all()))).

tuple_forms() ->
    process_flag(trap_exit, true),
    {ok, Sup} = start_sup({rest_for_one, 3, 5},
                          [{a, {?MODULE, start_worker, [a]}, permanent, 1000, worker, [?MODULE]},
                           {b, {?MODULE, start_worker, [b]}, transient, brutal_kill, worker,
                            dynamic}]),
    p("which", clean(supervisor:which_children(Sup))),
    p("spec a", clean(supervisor:get_childspec(Sup, a))),
    p("spec b", clean(supervisor:get_childspec(Sup, b))),
    {ok, _} = supervisor:start_child(Sup, {c, {?MODULE, start_worker, [c]}, temporary, 10,
                                           worker, []}),
    p("count", supervisor:count_children(Sup)),
    shutdown(Sup).

nested() ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link({local, sup_test_top}, ?MODULE,
                                      {sup, #{strategy => one_for_one},
                                       [spec(w1),
                                        #{id => inner, type => supervisor,
                                          start => {?MODULE, start_sup,
                                                    [#{strategy => one_for_all},
                                                     [spec(i1), spec(i2)]]}},
                                        spec(w2)]}),
    p("registered", whereis(sup_test_top) =:= Sup),
    p("which", clean(supervisor:which_children(sup_test_top))),
    p("count", supervisor:count_children(sup_test_top)),
    Inner = child(Sup, inner),
    kill(child(Inner, i1)),
    p("inner which", clean(supervisor:which_children(Inner))),
    kill(Inner),
    p("which", clean(supervisor:which_children(sup_test_top))),
    shutdown(Sup).

parent_exit() ->
    Me = self(),
    Owner = spawn(fun() ->
                          {ok, Sup} = start_sup(#{}, [spec(a), spec(b)]),
                          Me ! {sup, Sup},
                          receive never -> ok end
                  end),
    Sup = receive {sup, S} -> S end,
    Ref = monitor(process, Sup),
    exit(Owner, bye),
    receive {'DOWN', Ref, process, Sup, R} -> p("supervisor exit", R) end.

%%--------------------------------------------------------------------
%% Helpers for children

child(Sup, Id) ->
    {Id, Pid, _, _} = lists:keyfind(Id, 1, supervisor:which_children(Sup)),
    Pid.

kill(Pid) ->
    Ref = monitor(process, Pid),
    exit(Pid, kill),
    receive {'DOWN', Ref, process, Pid, _} -> ok end.

crash(Pid) ->
    Ref = monitor(process, Pid),
    gen_server:cast(Pid, crash),
    receive {'DOWN', Ref, process, Pid, _} -> ok end.

stop_child(Pid, Reason) ->
    Ref = monitor(process, Pid),
    gen_server:cast(Pid, {stop, Reason}),
    receive {'DOWN', Ref, process, Pid, _} -> ok end.

shutdown(Sup) ->
    Ref = monitor(process, Sup),
    unlink(Sup),
    exit(Sup, shutdown),
    receive {'DOWN', Ref, process, Sup, R} -> p("supervisor down", R) end.

%%--------------------------------------------------------------------
%% Callbacks: supervisor init/1 and the worker gen_server share init/1.

init({sup, Flags, Specs}) -> {ok, {Flags, Specs}};
init(ignore) -> ignore;
init(bad_return) -> {ok, nothing};
init({worker, Id, Opts}) ->
    case lists:member(crash_init, Opts) of
        true -> erlang:error({crash_init, Id});
        false -> ok
    end,
    case lists:member(fail_init, Opts) of
        true -> {stop, {fail_init, Id}};
        false ->
            case lists:member(ignore_init, Opts) of
                true -> ignore;
                false ->
                    case lists:member(trap, Opts) of
                        true -> process_flag(trap_exit, true);
                        false -> ok
                    end,
                    io:format("start ~p~n", [Id]),
                    {ok, {Id, Opts}}
            end
    end.

handle_call(get, _From, S) -> {reply, S, S}.

handle_cast(crash, {Id, _}) -> erlang:error({crashed, Id});
handle_cast({stop, Reason}, S) -> {stop, Reason, S}.

handle_info({'EXIT', _, shutdown}, {_, Opts} = S) ->
    case lists:member(stubborn, Opts) of
        true -> {noreply, S};
        false -> {stop, shutdown, S}
    end;
handle_info(_, S) -> {noreply, S}.

terminate(Reason, {Id, _}) -> io:format("stop ~p: ~p~n", [Id, clean(Reason)]).

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

flush_all() ->
    receive M -> [M | flush_all()] after 50 -> [] end.

wait_dead(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, R} -> R end.

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
