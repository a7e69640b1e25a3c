%% application: load/start/stop of an application described with
%% application:load({application, ...}), its environment, dependencies
%% and ensure_all_started.
-module(app_test).
-behaviour(application).
-behaviour(supervisor).

-export([start/0]).
-export([start/2, prep_stop/1, stop/1, init/1]).

-define(APP, app_test_app).
-define(LIB, app_test_lib).

spec() ->
    {application, ?APP,
     [{description, "test application"}, {vsn, "1.0"}, {modules, [app_test]},
      {registered, []}, {applications, [kernel, stdlib, ?LIB]},
      {mod, {app_test, [my_arg]}}, {env, [{k1, v1}, {k2, 2}]}]}.

lib_spec() ->
    {application, ?LIB,
     [{description, "library"}, {vsn, "0.1"}, {modules, []}, {registered, []},
      {applications, [kernel, stdlib]}, {env, [{lib_key, yes}]}]}.

start() ->
    run("env", fun env/0),
    run("start_stop", fun start_stop/0),
    run("ensure_all_started", fun ensure_all/0),
    run("failing_start", fun failing/0),
    io:format("done~n").

env() ->
    p("get_env unloaded", application:get_env(?APP, k1)),
    p("load", application:load(spec())),
    p("load again", application:load(spec())),
    p("get_env", application:get_env(?APP, k1)),
    p("get_env missing", application:get_env(?APP, nope)),
    p("get_env/3", application:get_env(?APP, nope, default)),
    p("get_all_env", lists:sort(application:get_all_env(?APP))),
    p("set_env", application:set_env(?APP, k3, [1, 2])),
    p("set_env/4", application:set_env(?APP, k1, changed, [{persistent, true}])),
    p("get_all_env", lists:sort(application:get_all_env(?APP))),
    p("unset_env", application:unset_env(?APP, k2)),
    p("get_all_env", lists:sort(application:get_all_env(?APP))),
    p("get_key vsn", application:get_key(?APP, vsn)),
    p("get_key mod", application:get_key(?APP, mod)),
    p("get_key applications", application:get_key(?APP, applications)),
    p("get_key description", application:get_key(?APP, description)),
    p("get_key registered", application:get_key(?APP, registered)),
    p("get_key unknown app", application:get_key(app_test_nobody, vsn)),
    p("loaded", lists:keyfind(?APP, 1, application:loaded_applications())),
    p("unload", application:unload(?APP)),
    p("unload again", application:unload(?APP)),
    p("get_env after unload", application:get_env(?APP, k1)),
    p("get_all_env unknown", application:get_all_env(app_test_nobody)).

start_stop() ->
    ok = application:load(spec()),
    ok = application:load(lib_spec()),
    p("start without dep", application:start(?APP)),
    p("start lib", application:start(?LIB)),
    p("start", application:start(?APP)),
    p("which", [A || {A, _, _} <- application:which_applications(), A =:= ?APP orelse A =:= ?LIB]),
    p("child running", whereis(app_test_worker) =/= undefined),
    p("env in app", application:get_env(?APP, k1)),
    p("start again", application:start(?APP)),
    p("ensure_started", application:ensure_started(?APP)),
    p("stop", application:stop(?APP)),
    p("child gone", whereis(app_test_worker)),
    p("stop again", application:stop(?APP)),
    p("which", [A || {A, _, _} <- application:which_applications(), A =:= ?APP]),
    p("restart", application:start(?APP)),
    p("stop", application:stop(?APP)),
    p("stop lib", application:stop(?LIB)),
    p("unload", {application:unload(?APP), application:unload(?LIB)}).

ensure_all() ->
    ok = application:load(spec()),
    ok = application:load(lib_spec()),
    p("ensure_all_started", application:ensure_all_started(?APP)),
    p("again", application:ensure_all_started(?APP)),
    p("lib env", application:get_env(?LIB, lib_key)),
    p("stop", application:stop(?APP)),
    p("stop lib", application:stop(?LIB)),
    p("unload", {application:unload(?APP), application:unload(?LIB)}).

failing() ->
    {application, _, Props} = spec(),
    Props1 = lists:keyreplace(mod, 1, Props, {mod, {app_test, fail}}),
    Props2 = lists:keyreplace(applications, 1, Props1, {applications, [kernel, stdlib]}),
    ok = application:load({application, ?APP, Props2}),
    p("failing start", application:start(?APP)),
    p("which", [A || {A, _, _} <- application:which_applications(), A =:= ?APP]),
    p("unload", application:unload(?APP)).

%% application callbacks
start(normal, fail) ->
    io:format("app start fail~n"),
    {error, cannot_start};
start(normal, Args) ->
    io:format("app start ~p~n", [Args]),
    supervisor:start_link(?MODULE, sup).

prep_stop(State) ->
    io:format("app prep_stop ~p~n", [State]),
    prepped.

stop(State) ->
    io:format("app stop ~p~n", [State]),
    ok.

%% supervisor callback; the worker is a plain registered process
init(sup) ->
    {ok, {#{}, [#{id => w, start => {erlang, apply, [fun start_worker/0, []]}}]}}.

start_worker() ->
    Pid = spawn_link(fun() ->
                             register(app_test_worker, self()),
                             receive never -> ok end
                     end),
    %% make sure the name is registered before returning
    wait_registered(),
    {ok, Pid}.

wait_registered() ->
    case whereis(app_test_worker) of
        undefined -> receive after 1 -> wait_registered() end;
        _ -> ok
    end.

run(Name, Fun) ->
    io:format("== ~s~n", [Name]),
    {Pid, Ref} = spawn_monitor(Fun),
    receive
        {'DOWN', Ref, process, Pid, normal} -> ok;
        {'DOWN', Ref, process, Pid, Reason} -> io:format("!! ~s crashed: ~p~n", [Name, Reason])
    end.

p(Label, Term) -> io:format("~s: ~p~n", [Label, Term]).
