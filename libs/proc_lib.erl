%% proc_lib -- OTP-style process start-up for avmsim.
%%
%% Processes spawned through this module record '$ancestors' (the
%% spawning process, by registered name when it has one, followed by its
%% own ancestors) and '$initial_call' ({M, F, Arity}) in their process
%% dictionary, as OTP does, and print a crash report through logger when
%% they terminate with a reason other than normal, shutdown or
%% {shutdown, _}.  The exit reason seen by links and monitors follows
%% OTP: error:R becomes {R, Stacktrace}, throw:T becomes
%% {{nocatch, T}, Stacktrace}.
%%
%% Synchronous start (start/3,4,5, start_link/3,4,5, start_monitor/3,4,5)
%% uses the OTP 25 protocol: the new process calls init_ack/1,2, which
%% sends {ack, Pid, Return} to the starter.  A process that dies before
%% acknowledging yields {error, Reason}; a start that times out kills the
%% new process and returns {error, timeout}.
%%
%% Not supported: hibernate/3, init_fail (OTP 26), format/1,2,3.
-module(proc_lib).

-export([spawn/1, spawn/3, spawn_link/1, spawn_link/3,
         spawn_opt/2, spawn_opt/4,
         start/3, start/4, start/5,
         start_link/3, start_link/4, start_link/5,
         start_monitor/3, start_monitor/4, start_monitor/5,
         init_ack/1, init_ack/2,
         initial_call/1, translate_initial_call/1,
         stop/1, stop/3]).

%% Internal entry points.
-export([init_p/3, init_p/5, crash_report/4]).

%%--------------------------------------------------------------------
%% Asynchronous spawns

spawn(F) when is_function(F) ->
    erlang:spawn(?MODULE, init_p, [my_name(), ancestors(), F]).

spawn(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn(?MODULE, init_p, [my_name(), ancestors(), M, F, A]).

spawn_link(F) when is_function(F) ->
    erlang:spawn_link(?MODULE, init_p, [my_name(), ancestors(), F]).

spawn_link(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_link(?MODULE, init_p, [my_name(), ancestors(), M, F, A]).

spawn_opt(F, Opts) when is_function(F), is_list(Opts) ->
    erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), F], Opts).

spawn_opt(M, F, A, Opts) when is_atom(M), is_atom(F), is_list(A), is_list(Opts) ->
    erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), M, F, A], Opts).

%%--------------------------------------------------------------------
%% Synchronous starts

start(M, F, A) -> start(M, F, A, infinity, []).

start(M, F, A, Timeout) -> start(M, F, A, Timeout, []).

start(M, F, A, Timeout, SpawnOpts) ->
    check_opts(SpawnOpts),
    {Pid, Ref} = erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), M, F, A],
                                  [monitor | SpawnOpts]),
    sync_wait(Pid, Ref, Timeout, nolink).

start_link(M, F, A) -> start_link(M, F, A, infinity, []).

start_link(M, F, A, Timeout) -> start_link(M, F, A, Timeout, []).

start_link(M, F, A, Timeout, SpawnOpts) ->
    check_opts(SpawnOpts),
    {Pid, Ref} = erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), M, F, A],
                                  [link, monitor | SpawnOpts]),
    sync_wait(Pid, Ref, Timeout, link).

start_monitor(M, F, A) -> start_monitor(M, F, A, infinity, []).

start_monitor(M, F, A, Timeout) -> start_monitor(M, F, A, Timeout, []).

%% Returns {Return, MonitorRef}; the monitor is left in place.
start_monitor(M, F, A, Timeout, SpawnOpts) ->
    check_opts(SpawnOpts),
    {Pid, Ref} = erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), M, F, A],
                                  [monitor | SpawnOpts]),
    receive
        {ack, Pid, Return} ->
            {Return, Ref};
        {'DOWN', Ref, process, Pid, Reason} ->
            %% Leave the DOWN message for the caller, as OTP does.
            self() ! {'DOWN', Ref, process, Pid, Reason},
            {{error, Reason}, Ref}
    after Timeout ->
        kill_flush(Pid, nolink),
        {{error, timeout}, Ref}
    end.

check_opts(Opts) ->
    case lists:member(monitor, Opts) of
        true -> erlang:error(badarg, [Opts]);
        false -> ok
    end.

sync_wait(Pid, Ref, Timeout, LinkMode) ->
    receive
        {ack, Pid, Return} ->
            erlang:demonitor(Ref, [flush]),
            Return;
        {'DOWN', Ref, process, Pid, Reason} ->
            %% With a link the 'EXIT' message is consumed too (OTP 25
            %% waits for it when the starter traps exits).
            case LinkMode of
                link ->
                    receive {'EXIT', Pid, _} -> ok after 0 -> ok end;
                nolink -> ok
            end,
            {error, Reason}
    after Timeout ->
        erlang:demonitor(Ref, [flush]),
        kill_flush(Pid, LinkMode),
        {error, timeout}
    end.

kill_flush(Pid, LinkMode) ->
    case LinkMode of
        link -> unlink(Pid);
        nolink -> ok
    end,
    exit(Pid, kill),
    receive {'EXIT', Pid, _} -> ok after 0 -> ok end,
    ok.

init_ack(Return) ->
    [Parent | _] = get('$ancestors'),
    init_ack(Parent, Return).

init_ack(Parent, Return) when is_pid(Parent) ->
    Parent ! {ack, self(), Return},
    ok;
init_ack(Parent, Return) when is_atom(Parent) ->
    case whereis(Parent) of
        undefined -> ok;
        Pid -> init_ack(Pid, Return)
    end.

%%--------------------------------------------------------------------
%% Process entry

init_p(Parent, Ancestors, Fun) when is_function(Fun) ->
    put('$ancestors', [Parent | Ancestors]),
    put('$initial_call', fun_mfa(Fun)),
    try
        Fun()
    catch
        Class:Reason:Stacktrace ->
            exit_p(Class, Reason, Stacktrace)
    end.

init_p(Parent, Ancestors, M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    put('$ancestors', [Parent | Ancestors]),
    put('$initial_call', {M, F, length(A)}),
    try
        apply(M, F, A)
    catch
        Class:Reason:Stacktrace ->
            exit_p(Class, Reason, Stacktrace)
    end.

exit_p(Class, Reason, Stacktrace) ->
    ExitReason = exit_reason(Class, Reason, Stacktrace),
    case is_quiet(ExitReason) of
        true -> ok;
        false -> crash_report(Class, Reason, get('$initial_call'), Stacktrace)
    end,
    erlang:raise(exit, ExitReason, Stacktrace).

exit_reason(error, Reason, Stacktrace) -> {Reason, Stacktrace};
exit_reason(exit, Reason, _Stacktrace) -> Reason;
exit_reason(throw, Reason, Stacktrace) -> {{nocatch, Reason}, Stacktrace}.

is_quiet(normal) -> true;
is_quiet(shutdown) -> true;
is_quiet({shutdown, _}) -> true;
is_quiet(_) -> false.

fun_mfa(Fun) ->
    {module, M} = erlang:fun_info(Fun, module),
    {name, N} = erlang:fun_info(Fun, name),
    {M, N, 0}.

%% How a child of this process names its parent: the registered name
%% if there is one, else the pid.
my_name() ->
    case info(registered_name, []) of
        Name when is_atom(Name) -> Name;
        _ -> self()
    end.

%% The ancestors a child of this process gets (after its parent).
ancestors() ->
    case get('$ancestors') of
        L when is_list(L) -> L;
        _ -> []
    end.

%%--------------------------------------------------------------------
%% Crash report (=CRASH REPORT==== ..., as OTP's proc_lib prints it,
%% minus the memory details OTP adds).

crash_report(Class, Reason, InitialCall, Stacktrace) ->
    logger:'$report'(error, crash_report,
                     fun() -> crash_report_text(Class, Reason, InitialCall, Stacktrace) end).

crash_report_text(Class, Reason, InitialCall, Stacktrace) ->
    Dict = [KV || {K, _} = KV <- get(), K =/= '$ancestors', K =/= '$initial_call'],
    Text = io_lib:format(
             "  crasher:~n"
             "    initial call: ~ts~n"
             "    pid: ~p~n"
             "    registered_name: ~p~n"
             "    exception ~p: ~tp~n"
             "~s"
             "    ancestors: ~tp~n"
             "    message_queue_len: ~p~n"
             "    messages: ~tp~n"
             "    links: ~p~n"
             "    dictionary: ~tp~n"
             "    trap_exit: ~p~n"
             "    status: running~n"
             "  neighbours:~n",
             [format_mfa(InitialCall), self(), info(registered_name, []),
              Class, Reason, format_stack(Stacktrace, "in function "), ancestors(),
              info(message_queue_len, 0), info(messages, []), info(links, []), Dict,
              info(trap_exit, false)]),
    Text.

%% "      in function  m:f/2 (file.erl, line 12)" lines, as OTP prints them.
format_stack([{M, F, A, Loc} | T], Prefix) when is_atom(M), is_atom(F) ->
    Arity = case A of
                L when is_list(L) -> length(L);
                N -> N
            end,
    Where = case {lists:keyfind(file, 1, Loc), lists:keyfind(line, 1, Loc)} of
                {{file, File}, {line, Line}} -> io_lib:format(" (~ts, line ~w)", [File, Line]);
                {{file, File}, false} -> io_lib:format(" (~ts)", [File]);
                _ -> ""
            end,
    [io_lib:format("      ~s ~tw:~tw/~w~s~n", [Prefix, M, F, Arity, Where])
     | format_stack(T, "in call from")];
format_stack(_, _) ->
    [].

format_mfa({M, F, A}) when is_integer(A) ->
    io_lib:format("~tw:~tw/~w", [M, F, A]);
format_mfa(Other) ->
    io_lib:format("~tp", [Other]).

info(Item, Default) ->
    try erlang:process_info(self(), Item) of
        {Item, V} -> V;
        _ -> Default
    catch
        _:_ -> Default
    end.

%%--------------------------------------------------------------------
%% Initial call

initial_call(Process) ->
    case dict_of(Process) of
        undefined -> false;
        Dict ->
            case lists:keyfind('$initial_call', 1, Dict) of
                {_, {M, F, A}} -> {M, F, make_dummy_args(A)};
                false -> false
            end
    end.

translate_initial_call(Process) ->
    case dict_of(Process) of
        undefined -> {?MODULE, init_p, 5};
        Dict ->
            case lists:keyfind('$initial_call', 1, Dict) of
                {_, MFA} -> MFA;
                false -> {?MODULE, init_p, 5}
            end
    end.

dict_of(Pid) when is_pid(Pid) ->
    try erlang:process_info(Pid, dictionary) of
        {dictionary, D} -> D;
        _ -> undefined
    catch
        _:_ -> undefined
    end;
dict_of(Name) when is_atom(Name) ->
    case whereis(Name) of
        undefined -> undefined;
        Pid -> dict_of(Pid)
    end;
dict_of(Dict) when is_list(Dict) -> Dict.

make_dummy_args(N) ->
    [list_to_atom("Argument__" ++ integer_to_list(I)) || I <- lists:seq(1, N)].

%%--------------------------------------------------------------------
%% stop: ask a process that speaks the sys protocol to terminate and
%% wait for it.  Exits with noproc, timeout or the other exit reason
%% when the process dies for a different one.

stop(Process) -> stop(Process, normal, infinity).

stop(Process, Reason, Timeout) ->
    Pid = case Process of
              P when is_pid(P) -> P;
              Name when is_atom(Name) ->
                  case whereis(Name) of
                      undefined -> exit(noproc);
                      P -> P
                  end
          end,
    Mref = erlang:monitor(process, Pid),
    Caller = self(),
    {Helper, HRef} =
        erlang:spawn_monitor(
          fun() ->
                  Res = try sys:terminate(Pid, Reason, infinity) of
                            _ -> ok
                        catch
                            exit:R -> {exit, R}
                        end,
                  Caller ! {self(), Res}
          end),
    receive
        {'DOWN', Mref, _, _, Reason} ->
            flush_helper(Helper, HRef),
            ok;
        {'DOWN', Mref, _, _, Reason2} ->
            flush_helper(Helper, HRef),
            exit(Reason2)
    after Timeout ->
        exit(Helper, kill),
        flush_helper(Helper, HRef),
        erlang:demonitor(Mref, [flush]),
        exit(timeout)
    end.

flush_helper(Helper, HRef) ->
    receive {'DOWN', HRef, _, _, _} -> ok end,
    receive {Helper, _} -> ok after 0 -> ok end.
