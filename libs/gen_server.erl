%% gen_server -- the generic server behaviour for avmsim.
%%
%% Follows OTP 25: the same callbacks, return values, exit reasons and
%% message protocol ({'$gen_call', {Pid, Tag}, Request} answered with
%% {Tag, Reply}; {'$gen_cast', Request}; system messages through sys).
%%
%% Servers are started through proc_lib, so the starter gets
%% {ok, Pid}, ignore or {error, Reason} exactly as in OTP, and the server
%% process has '$ancestors' and '$initial_call' ({Mod, init, 1}) in its
%% dictionary.  A server whose parent exits while it traps exits calls
%% terminate/2 and exits with the same reason.  An abnormal termination
%% prints an OTP-style "** Generic server ... terminating" error report
%% through logger (and proc_lib adds its crash report).
%%
%% Differences from OTP:
%%  - server names: {local, Name} and {via, Mod, Name}; {global, Name}
%%    raises badarg.  {Name, Node} works for the local node only.
%%  - call/3 uses a monitor reference as the reply tag (no process
%%    aliases), so a reply that arrives after a call timed out is left in
%%    the caller's mailbox as {Ref, Reply} (OTP 24+ drops it).
%%  - hibernate is accepted everywhere and is a no-op; the debug,
%%    hibernate_after options are ignored.
%%  - abcast, multi_call and the send_request family are not provided.
%%  - an invalid timeout in a callback return is a {bad_return_value, _}
%%    instead of a timeout_value crash in the receive.
-module(gen_server).

-export([start/3, start/4, start_link/3, start_link/4,
         start_monitor/3, start_monitor/4,
         call/2, call/3, cast/2, reply/2,
         stop/1, stop/3,
         enter_loop/3, enter_loop/4, enter_loop/5]).

%% Internal exports.
-export([init_it/6, '$call'/4, '$where'/1,
         system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2, system_code_change/4, format_status/2]).

-callback init(Args :: term()) -> term().
-callback handle_call(Request :: term(), From :: {pid(), term()}, State :: term()) -> term().
-callback handle_cast(Request :: term(), State :: term()) -> term().
-callback handle_info(Info :: term(), State :: term()) -> term().
-callback handle_continue(Info :: term(), State :: term()) -> term().
-callback terminate(Reason :: term(), State :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Extra :: term()) -> term().
-callback format_status(Opt :: term(), StatusData :: list()) -> term().
-optional_callbacks([handle_info/2, handle_continue/2, terminate/2, code_change/3,
                     format_status/2]).

-define(DEFAULT_TIMEOUT, 5000).

%%====================================================================
%% Starting

start(Mod, Args, Options) ->
    do_start(nolink, self, Mod, Args, Options).

start(Name, Mod, Args, Options) ->
    do_start(nolink, check_name(Name), Mod, Args, Options).

start_link(Mod, Args, Options) ->
    do_start(link, self, Mod, Args, Options).

start_link(Name, Mod, Args, Options) ->
    do_start(link, check_name(Name), Mod, Args, Options).

start_monitor(Mod, Args, Options) ->
    do_start(monitor, self, Mod, Args, Options).

start_monitor(Name, Mod, Args, Options) ->
    do_start(monitor, check_name(Name), Mod, Args, Options).

check_name({local, Name} = N) when is_atom(Name) -> N;
check_name({via, Mod, _} = N) when is_atom(Mod) -> N;
check_name(Other) -> erlang:error(badarg, [Other]).

do_start(LinkMode, Name, Mod, Args, Options) when is_atom(Mod), is_list(Options) ->
    Timeout = gen:opt(timeout, Options, infinity),
    SpawnOpts = gen:opt(spawn_opt, Options, []),
    InitArgs = [self(), Name, Mod, Args, Options, LinkMode],
    case LinkMode of
        link ->
            proc_lib:start_link(?MODULE, init_it, InitArgs, Timeout, SpawnOpts);
        nolink ->
            proc_lib:start(?MODULE, init_it, InitArgs, Timeout, SpawnOpts);
        monitor ->
            case proc_lib:start_monitor(?MODULE, init_it, InitArgs, Timeout, SpawnOpts) of
                {{ok, Pid}, Mon} ->
                    {ok, {Pid, Mon}};
                {Error, Mon} ->
                    receive {'DOWN', Mon, process, _, _} -> ok end,
                    Error
            end
    end;
do_start(_LinkMode, _Name, Mod, Args, Options) ->
    erlang:error(badarg, [Mod, Args, Options]).


init_it(Starter, Name, Mod, Args, _Options, LinkMode) ->
    case gen:start_register(Starter, Name, Mod) of
        true -> init_it2(Starter, gen:parent(Starter, LinkMode), Name, Mod, Args);
        false -> ok
    end.

init_it2(Starter, Parent, Name0, Mod, Args) ->
    Name = gen:report_name(Name0),
    case gen:call_init(Mod, Args) of
        {ok, {ok, State}} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Parent, Name, State, Mod, infinity, []);
        {ok, {ok, State, Time}} ->
            case valid_time(Time) of
                true ->
                    proc_lib:init_ack(Starter, {ok, self()}),
                    loop(Parent, Name, State, Mod, Time, []);
                false ->
                    init_bad_return(Starter, Name0, {ok, State, Time})
            end;
        {ok, {stop, Reason}} ->
            gen:init_failed(Starter, Name0, {error, Reason}, Reason);
        {ok, ignore} ->
            gen:init_failed(Starter, Name0, ignore, normal);
        {ok, Else} ->
            init_bad_return(Starter, Name0, Else);
        {'EXIT', Class, Reason, Stacktrace} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, exit_reason(Class, Reason, Stacktrace)}),
            erlang:raise(Class, Reason, Stacktrace)
    end.

init_bad_return(Starter, Name0, Else) ->
    Error = {bad_return_value, Else},
    gen:init_failed(Starter, Name0, {error, Error}, Error).


valid_time(infinity) -> true;
valid_time(hibernate) -> true;
valid_time({continue, _}) -> true;
valid_time(T) when is_integer(T), T >= 0 -> true;
valid_time(_) -> false.

%%====================================================================
%% enter_loop: turn a proc_lib-started process into a gen_server.

enter_loop(Mod, Options, State) ->
    enter_loop(Mod, Options, State, self, infinity).

enter_loop(Mod, Options, State, {local, _} = ServerName) ->
    enter_loop(Mod, Options, State, ServerName, infinity);
enter_loop(Mod, Options, State, {via, _, _} = ServerName) ->
    enter_loop(Mod, Options, State, ServerName, infinity);
enter_loop(Mod, Options, State, Time) ->
    enter_loop(Mod, Options, State, self, Time).

enter_loop(Mod, _Options, State, ServerName, Time) ->
    Name = case ServerName of
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
               _ when is_pid(ServerName) -> ServerName
           end,
    Parent = get_parent(),
    case valid_time(Time) of
        true -> ok;
        false -> erlang:error(badarg, [Mod, _Options, State, ServerName, Time])
    end,
    loop(Parent, Name, State, Mod, Time, []).

get_parent() ->
    case get('$ancestors') of
        [Parent | _] when is_pid(Parent) -> Parent;
        [Parent | _] when is_atom(Parent) ->
            case whereis(Parent) of
                undefined -> exit(process_was_not_started_by_proc_lib);
                Pid -> Pid
            end;
        _ -> exit(process_was_not_started_by_proc_lib)
    end.

%%====================================================================
%% Client API

%% As AtomVM's: call/2 is call/3 with 5000 ms, so its exit reason names the timeout too
%% ({timeout, {gen_server, call, [Server, Request, 5000]}}; OTP leaves it out).
call(Server, Request) ->
    call(Server, Request, ?DEFAULT_TIMEOUT).

call(Server, Request, Timeout) ->
    try '$call'(Server, '$gen_call', Request, Timeout) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {gen_server, call, [Server, Request, Timeout]}})
    end.

cast(Server, Request) ->
    try
        case '$where'(Server) of
            undefined -> ok;
            Pid -> Pid ! {'$gen_cast', Request}
        end
    catch
        _:_ -> ok
    end,
    ok.

reply({To, Tag}, Reply) ->
    try To ! {Tag, Reply} catch _:_ -> ok end,
    ok.

stop(Server) ->
    stop(Server, normal, infinity).

stop(Server, Reason, Timeout) ->
    case '$where'(Server) of
        undefined -> exit(noproc);
        Pid -> proc_lib:stop(Pid, Reason, Timeout)
    end.

%% The synchronous request used by gen_server, gen_statem and sys:
%% returns {ok, Reply} or exits with noproc, timeout, calling_self,
%% {nodedown, Node} or the exit reason of the server.
'$call'(Server, Label, Request, Timeout) ->
    Pid = case '$where'(Server) of
              undefined -> exit(noproc);
              P -> P
          end,
    case Pid =:= self() of
        true -> exit(calling_self);
        false -> ok
    end,
    Mref = erlang:monitor(process, Pid),
    Pid ! {Label, {self(), Mref}, Request},
    receive
        {Mref, Reply} ->
            erlang:demonitor(Mref, [flush]),
            {ok, Reply};
        {'DOWN', Mref, _, _, Reason} ->
            exit(Reason)
    after Timeout ->
        erlang:demonitor(Mref, [flush]),
        exit(timeout)
    end.

'$where'(Pid) when is_pid(Pid) -> Pid;
'$where'(Name) when is_atom(Name) -> whereis(Name);
'$where'({Name, Node}) when is_atom(Name), is_atom(Node) ->
    case Node =:= node() of
        true -> whereis(Name);
        false -> exit({nodedown, Node})
    end;
'$where'({via, Mod, Name}) ->
    case Mod:whereis_name(Name) of
        Pid when is_pid(Pid) -> Pid;
        _ -> undefined
    end;
'$where'({global, _}) -> undefined;
'$where'(_) -> undefined.

%%====================================================================
%% The server loop

loop(Parent, Name, State, Mod, {continue, Continue} = Msg, Debug) ->
    Reply = try_dispatch(Mod, handle_continue, Continue, State),
    handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, State, Debug);
loop(Parent, Name, State, Mod, hibernate, Debug) ->
    loop(Parent, Name, State, Mod, infinity, Debug);
loop(Parent, Name, State, Mod, Time, Debug) ->
    Msg = receive
              Input -> Input
          after Time -> timeout
          end,
    decode_msg(Msg, Parent, Name, State, Mod, Time, Debug).

decode_msg(Msg, Parent, Name, State, Mod, Time, Debug) ->
    case Msg of
        {system, From, Req} ->
            sys:handle_system_msg(Req, From, Parent, ?MODULE, Debug,
                                  [Name, State, Mod, Time]);
        {'EXIT', Parent, Reason} ->
            terminate(exit, Reason, [], Name, undefined, Msg, Mod, State, Debug);
        {'$gen_call', From, Req} ->
            Reply = try_handle_call(Mod, Req, From, State),
            handle_call_reply(Reply, Parent, Name, From, Msg, Mod, State, Debug);
        {'$gen_cast', Req} ->
            Reply = try_dispatch(Mod, handle_cast, Req, State),
            handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, State, Debug);
        _ ->
            Reply = try_dispatch(Mod, handle_info, Msg, State),
            handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, State, Debug)
    end.

try_dispatch(Mod, Func, Msg, State) ->
    try
        {ok, Mod:Func(Msg, State)}
    catch
        throw:R ->
            {ok, R};
        error:undef = R:Stacktrace when Func =:= handle_info ->
            case erlang:function_exported(Mod, handle_info, 2) of
                false ->
                    logger:'$report'(warning, warning_msg,
                                     io_lib:format("** Undefined handle_info in ~tp~n"
                                                   "** Unhandled message: ~tp~n",
                                                   [Mod, Msg])),
                    {ok, {noreply, State}};
                true ->
                    {'EXIT', error, R, Stacktrace}
            end;
        Class:R:Stacktrace ->
            {'EXIT', Class, R, Stacktrace}
    end.

try_handle_call(Mod, Msg, From, State) ->
    try
        {ok, Mod:handle_call(Msg, From, State)}
    catch
        throw:R -> {ok, R};
        Class:R:Stacktrace -> {'EXIT', Class, R, Stacktrace}
    end.

handle_call_reply(Reply, Parent, Name, From, Msg, Mod, State, Debug) ->
    case Reply of
        {ok, {reply, Answer, NState}} ->
            reply(From, Answer),
            loop(Parent, Name, NState, Mod, infinity, Debug);
        {ok, {reply, Answer, NState, Time} = Ret} ->
            case valid_time(Time) of
                true ->
                    reply(From, Answer),
                    loop(Parent, Name, NState, Mod, Time, Debug);
                false ->
                    bad_return(Ret, Name, From, Msg, Mod, State, Debug)
            end;
        {ok, {stop, Reason, Answer, NState}} ->
            try
                terminate(exit, Reason, [], Name, From, Msg, Mod, NState, Debug)
            after
                reply(From, Answer)
            end;
        Other ->
            handle_common_reply(Other, Parent, Name, From, Msg, Mod, State, Debug)
    end.

handle_common_reply(Reply, Parent, Name, From, Msg, Mod, State, Debug) ->
    case Reply of
        {ok, {noreply, NState}} ->
            loop(Parent, Name, NState, Mod, infinity, Debug);
        {ok, {noreply, NState, Time} = Ret} ->
            case valid_time(Time) of
                true -> loop(Parent, Name, NState, Mod, Time, Debug);
                false -> bad_return(Ret, Name, From, Msg, Mod, State, Debug)
            end;
        {ok, {stop, Reason, NState}} ->
            terminate(exit, Reason, [], Name, From, Msg, Mod, NState, Debug);
        {'EXIT', Class, Reason, Stacktrace} ->
            terminate(Class, Reason, Stacktrace, Name, From, Msg, Mod, State, Debug);
        {ok, BadReply} ->
            bad_return(BadReply, Name, From, Msg, Mod, State, Debug)
    end.

bad_return(BadReply, Name, From, Msg, Mod, State, Debug) ->
    terminate(exit, {bad_return_value, BadReply}, [], Name, From, Msg, Mod, State, Debug).

%%====================================================================
%% Termination

terminate(Class, Reason, Stacktrace, Name, From, Msg, Mod, State, _Debug) ->
    case try_terminate(Mod, exit_reason(Class, Reason, Stacktrace), State) of
        {'EXIT', C, R, S} ->
            error_info(exit_reason(C, R, S), Name, From, Msg, State),
            erlang:raise(C, R, S);
        _ ->
            case quiet(Class, Reason) of
                true -> ok;
                false -> error_info(exit_reason(Class, Reason, Stacktrace), Name, From, Msg, State)
            end,
            erlang:raise(Class, Reason, Stacktrace)
    end.

try_terminate(Mod, Reason, State) ->
    case erlang:function_exported(Mod, terminate, 2) of
        true ->
            try
                {ok, Mod:terminate(Reason, State)}
            catch
                throw:R -> {ok, R};
                Class:R:Stacktrace -> {'EXIT', Class, R, Stacktrace}
            end;
        false ->
            {ok, ok}
    end.

exit_reason(error, Reason, Stacktrace) -> {Reason, Stacktrace};
exit_reason(exit, Reason, _Stacktrace) -> Reason;
exit_reason(throw, Reason, Stacktrace) -> {{nocatch, Reason}, Stacktrace}.

quiet(exit, normal) -> true;
quiet(exit, shutdown) -> true;
quiet(exit, {shutdown, _}) -> true;
quiet(_, _) -> false.

error_info(Reason, Name, From, Msg, State) ->
    logger:'$report'(error, error,
                     fun() -> error_info_text(Reason, Name, From, Msg, State) end).

error_info_text(Reason, Name, From, Msg, State) ->
    Reason1 = case Reason of
                  {undef, [{M, F, A, _} | _] = St} when is_atom(M), is_atom(F), is_list(A) ->
                      case erlang:function_exported(M, F, length(A)) of
                          true -> Reason;
                          false -> {'function not exported', St}
                      end;
                  _ -> Reason
              end,
    Client = case From of
                 {Pid, _} when is_pid(Pid) -> io_lib:format("** Client ~tp stacktrace~n** ~tp~n",
                                                            [Pid, []]);
                 _ -> ""
             end,
    Text = io_lib:format("** Generic server ~tp terminating ~n"
                         "** Last message in was ~tp~n"
                         "** When Server state == ~tp~n"
                         "** Reason for termination ==~n"
                         "** ~tp~n",
                         [Name, Msg, State, Reason1]),
    [Text, Client].

%%====================================================================
%% sys callbacks

system_continue(Parent, Debug, [Name, State, Mod, Time]) ->
    loop(Parent, Name, State, Mod, Time, Debug).

system_terminate(Reason, _Parent, Debug, [Name, State, Mod, _Time]) ->
    terminate(exit, Reason, [], Name, undefined, [], Mod, State, Debug).

system_get_state([_Name, State, _Mod, _Time]) ->
    {ok, State}.

system_replace_state(StateFun, [Name, State, Mod, Time]) ->
    NState = StateFun(State),
    {ok, NState, [Name, NState, Mod, Time]}.

system_code_change([Name, State, Mod, Time], _Module, OldVsn, Extra) ->
    case catch Mod:code_change(OldVsn, State, Extra) of
        {ok, NewState} -> {ok, [Name, NewState, Mod, Time]};
        Else -> Else
    end.

format_status(Opt, [PDict, SysState, Parent, _Debug, [Name, State, Mod, _Time]]) ->
    Header = lists:flatten(io_lib:format("Status for generic server ~tp", [Name])),
    Specific = case erlang:function_exported(Mod, format_status, 2) of
                   true ->
                       case catch Mod:format_status(Opt, [PDict, State]) of
                           L when is_list(L) -> L;
                           T -> [T]
                       end;
                   false ->
                       [{data, [{"State", State}]}]
               end,
    [{header, Header},
     {data, [{"Status", SysState}, {"Parent", Parent}, {"Logged events", []}]}
     | Specific].
