%% sys -- the system message protocol for avmsim.
%%
%% A system message is {system, From, Request}; From is {Pid, Tag} and
%% the reply is sent as {Tag, Reply} (the gen_server call protocol).
%% gen_server, gen_statem and gen_event handle system messages by calling
%% handle_system_msg/6, which in turn calls the process module's
%% system_continue/3, system_terminate/4, system_get_state/1,
%% system_replace_state/2, system_code_change/4 and format_status/2 --
%% the OTP interface, so special processes written with proc_lib work too.
%%
%% Supported requests: get_state, {replace_state, Fun}, suspend, resume,
%% {terminate, Reason}, get_status, {change_code, Mod, Vsn, Extra} (only
%% while suspended) and {debug, _}, which is accepted and ignored: sys
%% debug facilities (trace, log, statistics, install) are not provided
%% and debug_options/1 always returns [].
-module(sys).

-export([get_state/1, get_state/2, replace_state/2, replace_state/3,
         suspend/1, suspend/2, resume/1, resume/2,
         get_status/1, get_status/2,
         terminate/2, terminate/3,
         change_code/4, change_code/5,
         trace/2, trace/3, log/2, log/3, statistics/2, statistics/3,
         no_debug/1, no_debug/2,
         handle_system_msg/6, debug_options/1]).

-define(DEFAULT_TIMEOUT, 5000).

get_state(Name) ->
    check_state(send_system_msg(Name, get_state, [Name])).

get_state(Name, Timeout) ->
    check_state(send_system_msg(Name, get_state, Timeout, [Name, Timeout])).

replace_state(Name, Fun) ->
    check_state(send_system_msg(Name, {replace_state, Fun}, [Name, Fun])).

replace_state(Name, Fun, Timeout) ->
    check_state(send_system_msg(Name, {replace_state, Fun}, Timeout, [Name, Fun, Timeout])).

check_state({error, {callback_failed, _, _} = Reason}) -> erlang:error(Reason);
check_state(State) -> State.

suspend(Name) -> send_system_msg(Name, suspend, [Name]).
suspend(Name, Timeout) -> send_system_msg(Name, suspend, Timeout, [Name, Timeout]).

resume(Name) -> send_system_msg(Name, resume, [Name]).
resume(Name, Timeout) -> send_system_msg(Name, resume, Timeout, [Name, Timeout]).

get_status(Name) -> send_system_msg(Name, get_status, [Name]).
get_status(Name, Timeout) -> send_system_msg(Name, get_status, Timeout, [Name, Timeout]).

terminate(Name, Reason) -> terminate(Name, Reason, infinity).
terminate(Name, Reason, Timeout) ->
    send_system_msg(Name, {terminate, Reason}, Timeout, [Name, Reason, Timeout]).

change_code(Name, Mod, Vsn, Extra) ->
    send_system_msg(Name, {change_code, Mod, Vsn, Extra}, [Name, Mod, Vsn, Extra]).
change_code(Name, Mod, Vsn, Extra, Timeout) ->
    send_system_msg(Name, {change_code, Mod, Vsn, Extra}, Timeout,
                    [Name, Mod, Vsn, Extra, Timeout]).

%% Debug facilities are accepted and ignored.
trace(Name, Flag) -> send_system_msg(Name, {debug, {trace, Flag}}, [Name, Flag]).
trace(Name, Flag, T) -> send_system_msg(Name, {debug, {trace, Flag}}, T, [Name, Flag, T]).
log(Name, Flag) -> send_system_msg(Name, {debug, {log, Flag}}, [Name, Flag]).
log(Name, Flag, T) -> send_system_msg(Name, {debug, {log, Flag}}, T, [Name, Flag, T]).
statistics(Name, Flag) -> send_system_msg(Name, {debug, {statistics, Flag}}, [Name, Flag]).
statistics(Name, Flag, T) ->
    send_system_msg(Name, {debug, {statistics, Flag}}, T, [Name, Flag, T]).
no_debug(Name) -> send_system_msg(Name, {debug, no_debug}, [Name]).
no_debug(Name, T) -> send_system_msg(Name, {debug, no_debug}, T, [Name, T]).

debug_options(_Options) -> [].

send_system_msg(Name, Request, Args) ->
    send_system_msg(Name, Request, ?DEFAULT_TIMEOUT, Args).

send_system_msg(Name, Request, Timeout, Args) ->
    Fun = case Request of
              {debug, {F, _}} -> F;
              {debug, F} -> F;
              _ when is_atom(Request) -> Request;
              _ -> element(1, Request)
          end,
    try gen_server:'$call'(Name, system, Request, Timeout) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {sys, Fun, Args}})
    end.

%%--------------------------------------------------------------------
%% Called by a process that received {system, From, Msg}.

handle_system_msg(Msg, From, Parent, Mod, Debug, Misc) ->
    handle_system_msg(running, Msg, From, Parent, Mod, Debug, Misc).

handle_system_msg(SysState, Msg, From, Parent, Mod, Debug, Misc) ->
    case do_cmd(SysState, Msg, Parent, Mod, Debug, Misc) of
        {suspended, Reply, NDebug, NMisc} ->
            reply(From, Reply),
            suspend_loop(Parent, Mod, NDebug, NMisc);
        {running, Reply, NDebug, NMisc} ->
            reply(From, Reply),
            Mod:system_continue(Parent, NDebug, NMisc);
        {{terminating, Reason}, Reply, NDebug, NMisc} ->
            reply(From, Reply),
            Mod:system_terminate(Reason, Parent, NDebug, NMisc)
    end.

suspend_loop(Parent, Mod, Debug, Misc) ->
    receive
        {system, From, Msg} ->
            handle_system_msg(suspended, Msg, From, Parent, Mod, Debug, Misc);
        {'EXIT', Parent, Reason} ->
            Mod:system_terminate(Reason, Parent, Debug, Misc)
    end.

reply({To, Tag}, Reply) ->
    To ! {Tag, Reply},
    ok.

do_cmd(_, suspend, _Parent, _Mod, Debug, Misc) ->
    {suspended, ok, Debug, Misc};
do_cmd(_, resume, _Parent, _Mod, Debug, Misc) ->
    {running, ok, Debug, Misc};
do_cmd(SysState, get_state, _Parent, Mod, Debug, Misc) ->
    {SysState, do_get_state(Mod, Misc), Debug, Misc};
do_cmd(SysState, {replace_state, StateFun}, _Parent, Mod, Debug, Misc) ->
    {Res, NMisc} = do_replace_state(StateFun, Mod, Misc),
    {SysState, Res, Debug, NMisc};
do_cmd(SysState, get_status, Parent, Mod, Debug, Misc) ->
    {SysState, get_status(SysState, Parent, Mod, Debug, Misc), Debug, Misc};
do_cmd(_, {terminate, Reason}, _Parent, _Mod, Debug, Misc) ->
    {{terminating, Reason}, ok, Debug, Misc};
do_cmd(SysState, {debug, _What}, _Parent, _Mod, Debug, Misc) ->
    {SysState, ok, Debug, Misc};
do_cmd(suspended, {change_code, Module, Vsn, Extra}, _Parent, Mod, Debug, Misc) ->
    {Res, NMisc} = do_change_code(Mod, Module, Vsn, Extra, Misc),
    {suspended, Res, Debug, NMisc};
do_cmd(SysState, Other, _Parent, _Mod, Debug, Misc) ->
    {SysState, {error, {unknown_system_msg, Other}}, Debug, Misc}.

do_get_state(Mod, Misc) ->
    case erlang:function_exported(Mod, system_get_state, 1) of
        true ->
            try Mod:system_get_state(Misc) of
                {ok, State} -> State;
                Other -> {error, {callback_failed, {Mod, system_get_state}, {bad_return, Other}}}
            catch
                Class:Reason ->
                    {error, {callback_failed, {Mod, system_get_state}, {Class, Reason}}}
            end;
        false ->
            Misc
    end.

do_replace_state(StateFun, Mod, Misc) ->
    case erlang:function_exported(Mod, system_replace_state, 2) of
        true ->
            try Mod:system_replace_state(StateFun, Misc) of
                {ok, State, NMisc} -> {State, NMisc};
                Other ->
                    {{error, {callback_failed, {Mod, system_replace_state},
                              {bad_return, Other}}}, Misc}
            catch
                Class:Reason ->
                    {{error, {callback_failed, {Mod, system_replace_state}, {Class, Reason}}},
                     Misc}
            end;
        false ->
            try StateFun(Misc) of
                NMisc -> {NMisc, NMisc}
            catch
                Class:Reason ->
                    {{error, {callback_failed, StateFun, {Class, Reason}}}, Misc}
            end
    end.

do_change_code(Mod, Module, Vsn, Extra, Misc) ->
    try Mod:system_code_change(Misc, Module, Vsn, Extra) of
        {ok, NMisc} -> {ok, NMisc};
        Else -> {{error, Else}, Misc}
    catch
        Class:Reason -> {{error, {Class, Reason}}, Misc}
    end.

get_status(SysState, Parent, Mod, Debug, Misc) ->
    PDict = get(),
    FmtMisc = case erlang:function_exported(Mod, format_status, 2) of
                  true ->
                      try Mod:format_status(normal, [PDict, SysState, Parent, Debug, Misc])
                      catch _:_ -> Misc
                      end;
                  false ->
                      [{data, [{"Status", SysState}, {"Parent", Parent},
                               {"Logged events", []}]}, Misc]
              end,
    {status, self(), {module, Mod}, [PDict, SysState, Parent, Debug, FmtMisc]}.
