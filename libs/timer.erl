%% timer -- timer functions for avmsim.
%%
%% Follows the OTP 25 API.  Unlike OTP there is no timer_server:
%%  - send_after/2,3 to a pid uses erlang:send_after/3 directly;
%%  - apply_after/4 (and send_after to a registered name, exit_after,
%%    kill_after) uses a small helper process that waits and then spawns
%%    apply(M, F, A) (timer:send and erlang:exit are evaluated directly,
%%    as OTP does);
%%  - send_interval/2,3 and apply_interval/4 use a helper process linked
%%    to the destination pid (send_interval) or to the caller
%%    (apply_interval), so the interval stops when that process dies.
%%    Successive ticks are scheduled from the start time (no drift).
%% The timer references are opaque; cancel/1 returns {ok, cancel} for any
%% well-formed reference and {error, badarg} otherwise.  Invalid times
%% give {error, badarg}, as in OTP.
-module(timer).

-export([sleep/1, send_after/2, send_after/3, send_interval/2, send_interval/3,
         apply_after/4, apply_interval/4, apply_repeatedly/4, cancel/1,
         exit_after/2, exit_after/3, kill_after/1, kill_after/2,
         tc/1, tc/2, tc/3, seconds/1, minutes/1, hours/1, hms/3, now_diff/2,
         send/2]).

%% Internal.
-export([once_loop/4, interval_init/5]).

sleep(T) ->
    receive
    after T -> ok
    end.

send_after(Time, Msg) ->
    send_after(Time, self(), Msg).

send_after(Time, Pid, Msg) when is_pid(Pid), is_integer(Time), Time >= 0 ->
    {ok, {send_local, erlang:send_after(Time, Pid, Msg)}};
send_after(Time, Dest, Msg) ->
    apply_after(Time, ?MODULE, send, [Dest, Msg]).

apply_after(Time, M, F, A) when is_integer(Time), Time >= 0, is_atom(M), is_atom(F),
                                is_list(A) ->
    Pid = spawn(?MODULE, once_loop, [Time, M, F, A]),
    {ok, {once, Pid}};
apply_after(_Time, _M, _F, _A) ->
    {error, badarg}.

send_interval(Time, Msg) ->
    send_interval(Time, self(), Msg).

send_interval(Time, Dest, Msg) when is_integer(Time), Time >= 0 ->
    LinkTo = case Dest of
                 Pid when is_pid(Pid) -> Pid;
                 _ -> self()
             end,
    start_interval(Time, LinkTo, {send, Dest, Msg});
send_interval(_Time, _Dest, _Msg) ->
    {error, badarg}.

apply_interval(Time, M, F, A) when is_integer(Time), Time >= 0, is_atom(M), is_atom(F),
                                   is_list(A) ->
    start_interval(Time, self(), {spawn, M, F, A});
apply_interval(_Time, _M, _F, _A) ->
    {error, badarg}.

%% OTP 26: like apply_interval, but the next apply starts only when the
%% previous one has finished; provided here as apply_interval runs it.
apply_repeatedly(Time, M, F, A) ->
    apply_interval(Time, M, F, A).

start_interval(Time, LinkTo, Action) ->
    Ref = make_ref(),
    Pid = spawn(?MODULE, interval_init, [self(), Ref, Time, LinkTo, Action]),
    receive
        {Ref, ok} -> {ok, {interval, Pid}};
        {Ref, error} -> {error, badarg}
    end.

cancel({send_local, Ref}) when is_reference(Ref) ->
    _ = erlang:cancel_timer(Ref),
    {ok, cancel};
cancel({once, Pid}) when is_pid(Pid) ->
    Pid ! {?MODULE, cancel},
    {ok, cancel};
cancel({interval, Pid}) when is_pid(Pid) ->
    Pid ! {?MODULE, cancel},
    {ok, cancel};
cancel(_) ->
    {error, badarg}.

exit_after(Time, Reason) -> exit_after(Time, self(), Reason).

exit_after(Time, Pid, Reason) -> apply_after(Time, erlang, exit, [Pid, Reason]).

kill_after(Time) -> exit_after(Time, self(), kill).

kill_after(Time, Pid) -> exit_after(Time, Pid, kill).

%% Used by send_after/apply_after to a registered name.
send(Dest, Msg) ->
    try Dest ! Msg catch _:_ -> ok end.

tc(F) ->
    T1 = erlang:monotonic_time(microsecond),
    Val = F(),
    {erlang:monotonic_time(microsecond) - T1, Val}.

tc(F, A) ->
    T1 = erlang:monotonic_time(microsecond),
    Val = apply(F, A),
    {erlang:monotonic_time(microsecond) - T1, Val}.

tc(M, F, A) ->
    T1 = erlang:monotonic_time(microsecond),
    Val = apply(M, F, A),
    {erlang:monotonic_time(microsecond) - T1, Val}.

seconds(S) -> 1000 * S.

minutes(M) -> 60 * 1000 * M.

hours(H) -> 60 * 60 * 1000 * H.

hms(H, M, S) -> hours(H) + minutes(M) + seconds(S).

now_diff({A2, B2, C2}, {A1, B1, C1}) ->
    ((A2 - A1) * 1000000 + B2 - B1) * 1000000 + C2 - C1.

%%--------------------------------------------------------------------
%% Helper processes

once_loop(Time, M, F, A) ->
    receive
        {?MODULE, cancel} -> ok
    after Time ->
        do_apply(M, F, A)
    end.

do_apply(?MODULE, send, A) ->
    try apply(?MODULE, send, A) catch _:_ -> ok end;
do_apply(erlang, exit, [Name, Reason]) ->
    try exit(Name, Reason) catch _:_ -> ok end;
do_apply(M, F, A) ->
    try spawn(M, F, A) catch _:_ -> ok end.

interval_init(Caller, Ref, Time, LinkTo, Action) ->
    process_flag(trap_exit, true),
    Linked = is_process_alive(LinkTo) andalso (try link(LinkTo) catch _:_ -> false end),
    case Linked of
        true ->
            Caller ! {Ref, ok},
            Start = erlang:monotonic_time(millisecond),
            interval_loop(Start, 1, Time, LinkTo, Action);
        false ->
            Caller ! {Ref, error}
    end.

interval_loop(Start, N, Time, LinkTo, Action) ->
    Wait = max(0, Start + N * Time - erlang:monotonic_time(millisecond)),
    receive
        {?MODULE, cancel} -> ok;
        {'EXIT', LinkTo, _} -> ok
    after Wait ->
        case Action of
            {send, Dest, Msg} -> send(Dest, Msg);
            {spawn, M, F, A} -> do_apply(M, F, A)
        end,
        interval_loop(Start, N + 1, Time, LinkTo, Action)
    end.
