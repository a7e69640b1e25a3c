%% network -- AtomVM's WiFi API (avm_network network), over the "network" port.
%%
%% A gen_server registered as `network' owns the port (registered as
%% `network_port') and turns the port's events into the callbacks of the
%% configuration, as AtomVM's module does:
%%  - start/1, start_link/1 with [{sta, StaProps} | {ap, ApProps} |
%%    {sntp, SntpProps} | {mdns, MdnsProps}] -> {ok, Pid} | {error, Reason}.
%%    The port's answer to the configuration comes after start returns: a
%%    configuration the port refuses ends the server with
%%    {start_port_failed, Reason}.
%%  - STA callbacks: {connected, F/0}, {got_ip, F/1 of {IP, Mask, Gateway}},
%%    {disconnected, F/0}, {beacon_timeout, F/0}, {scan_done, F/1 | Pid}; AP
%%    callbacks: {ap_started, F/0}, {sta_connected, F/1 of Mac},
%%    {sta_disconnected, F/1}, {sta_ip_assigned, F/1 of IP}; SNTP:
%%    {synchronized, F/1 of {Sec, USec}}. Each callback may be a pid instead:
%%    it gets the key (connected) or {Key, Arg} ({got_ip, IpInfo}). A fun runs
%%    in a process of its own. Without a disconnected callback a lost station
%%    connects again (sta_connect/0).
%%  - wait_for_sta/0,1,2 -> {ok, {IP, Mask, Gateway}} | {error, disconnected |
%%    timeout | Reason}; wait_for_ap/0,1,2 -> ok | {error, timeout | Reason};
%%    default timeout 15000 ms.
%%  - sta_connect/0 (the last configuration), sta_connect/1 (a new {sta, _}
%%    or [{ssid, _}, {psk, _}] merged into it), sta_disconnect/0, sta_status/0
%%    (inactive | connecting | associated | connected | degraded |
%%    disconnecting | disconnected), sta_rssi/0 -> {ok, Dbm} | {error, _}.
%%  - wifi_scan/0,1 -> {ok, {Found, [#{ssid, rssi, authmode, bssid, channel,
%%    hidden}]}} | ok (with a scan_done callback) | {error, Reason}; options
%%    {results, N}, {dwell, Ms}, passive, show_hidden.
%%  - stop/0 -> ok.
-module(network).

-behaviour(gen_server).

-export([start/1, start_link/1, stop/0]).
-export([wait_for_sta/0, wait_for_sta/1, wait_for_sta/2,
         wait_for_ap/0, wait_for_ap/1, wait_for_ap/2]).
-export([sta_rssi/0, sta_status/0, sta_connect/0, sta_connect/1, sta_disconnect/0,
         wifi_scan/0, wifi_scan/1]).
-export([init/1, handle_continue/2, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2]).

-define(SERVER, network).
-define(PORT_NAME, network_port).
-define(WAIT_MS, 15000).
-define(PORT_REPLY_MS, 60000).
-define(CALL_MS, 65000).
-define(ACTIVE_DWELL_MS, 120).
-define(PASSIVE_DWELL_MS, 360).
-define(CHANNELS, 14).
-define(SCAN_MIN_MS, 5000).
-define(SCAN_MARGIN_MS, 5000).
-define(SCAN_START_MS, 10000).

-record(st, {
    config :: list(),
    port :: port(),
    ref :: reference(),
    status :: atom(),
    ip = undefined,
    mdns = undefined,
    scan = idle        % idle | blocked | {reply, From} | {notify, FunOrPid}
}).

%%-----------------------------------------------------------------------------
%% starting and stopping

start(Config) ->
    gen_server:start({local, ?SERVER}, ?MODULE, Config, []).

start_link(Config) ->
    gen_server:start_link({local, ?SERVER}, ?MODULE, Config, []).

stop() ->
    case whereis(?SERVER) of
        undefined ->
            ok;
        Pid ->
            Mon = erlang:monitor(process, Pid),
            try gen_server:call(Pid, stop_network) of
                ok ->
                    receive
                        {'DOWN', Mon, process, Pid, normal} -> ok;
                        {'DOWN', Mon, process, Pid, Why} -> {error, Why}
                    after 5000 ->
                        erlang:demonitor(Mon, [flush]),
                        {error, timeout}
                    end;
                Error ->
                    erlang:demonitor(Mon, [flush]),
                    Error
            catch
                exit:{noproc, _} ->
                    erlang:demonitor(Mon, [flush]),
                    ok;
                exit:{timeout, _} ->
                    erlang:demonitor(Mon, [flush]),
                    {error, timeout};
                exit:Why ->
                    erlang:demonitor(Mon, [flush]),
                    {error, {exit, Why}}
            end
    end.

%%-----------------------------------------------------------------------------
%% waiting for a mode to come up

wait_for_sta() ->
    wait_for_sta([], ?WAIT_MS).

wait_for_sta(Timeout) when is_integer(Timeout) ->
    wait_for_sta([], Timeout);
wait_for_sta(StaProps) when is_list(StaProps) ->
    wait_for_sta(StaProps, ?WAIT_MS).

wait_for_sta(StaProps, Timeout) ->
    Me = self(),
    Notify = [{connected, fun() -> Me ! {?MODULE, connected} end},
              {got_ip, fun(Info) -> Me ! {?MODULE, got_ip, Info} end},
              {disconnected, fun() -> Me ! {?MODULE, disconnected} end}],
    case start([{sta, Notify ++ StaProps}]) of
        {ok, _Pid} -> await_ip(Timeout);
        Error -> Error
    end.

await_ip(Timeout) ->
    receive
        {?MODULE, connected} -> await_ip(Timeout);
        {?MODULE, got_ip, Info} -> {ok, Info};
        {?MODULE, disconnected} -> {error, disconnected}
    after Timeout ->
        {error, timeout}
    end.

wait_for_ap() ->
    wait_for_ap([], ?WAIT_MS).

wait_for_ap(Timeout) when is_integer(Timeout) ->
    wait_for_ap([], Timeout);
wait_for_ap(ApProps) when is_list(ApProps) ->
    wait_for_ap(ApProps, ?WAIT_MS).

wait_for_ap(ApProps, Timeout) ->
    Me = self(),
    case start([{ap, [{ap_started, fun() -> Me ! {?MODULE, ap_started} end} | ApProps]}]) of
        {ok, _Pid} ->
            receive
                {?MODULE, ap_started} -> ok
            after Timeout ->
                {error, timeout}
            end;
        Error ->
            Error
    end.

%%-----------------------------------------------------------------------------
%% the station

sta_connect() ->
    gen_server:call(?SERVER, connect).

sta_connect(Config) ->
    gen_server:call(?SERVER, {connect, Config}, ?CALL_MS).

sta_disconnect() ->
    gen_server:call(?SERVER, halt_sta, ?CALL_MS).

sta_status() ->
    gen_server:call(?SERVER, sta_status).

sta_rssi() ->
    case whereis(?PORT_NAME) of
        undefined ->
            {error, network_down};
        Port ->
            Ref = make_ref(),
            Port ! {self(), Ref, rssi},
            receive
                {Ref, {rssi, Dbm}} -> {ok, Dbm};
                {Ref, {error, _} = Error} -> Error
            end
    end.

%%-----------------------------------------------------------------------------
%% scans

wifi_scan() ->
    case atomvm:platform() of
        esp32 ->
            try gen_server:call(?SERVER, get_config) of
                Config -> scan_with(proplists:get_value(sta, Config))
            catch
                exit:{noproc, _} -> {error, network_not_started}
            end;
        _ ->
            {error, unsupported_platform}
    end.

scan_with(undefined) ->
    {error, no_sta_mode};
scan_with(Sta) ->
    Passive = proplists:get_bool(scan_passive, Sta),
    wifi_scan([{results, proplists:get_value(default_scan_results, Sta, 6)},
               {dwell, proplists:get_value(scan_dwell_ms, Sta, default_dwell(Passive))},
               {show_hidden, proplists:get_bool(scan_show_hidden, Sta)},
               {passive, Passive}]).

wifi_scan(Options) ->
    Dwell = proplists:get_value(dwell, Options,
                                default_dwell(proplists:get_bool(passive, Options))),
    Platform = atomvm:platform(),
    if
        not is_integer(Dwell); Dwell < 1; Dwell > 1500 ->
            {error, badarg};
        Platform =/= esp32 ->
            {error, unsupported_platform};
        true ->
            Timeout = erlang:max(?SCAN_MIN_MS, Dwell * ?CHANNELS) + ?SCAN_MARGIN_MS,
            case whereis(?SERVER) of
                undefined -> {error, network_not_started};
                Pid -> gen_server:call(Pid, {scan, Options}, Timeout)
            end
    end.

default_dwell(true) -> ?PASSIVE_DWELL_MS;
default_dwell(false) -> ?ACTIVE_DWELL_MS.

%%-----------------------------------------------------------------------------
%% gen_server

init(Config) ->
    Port = case whereis(?PORT_NAME) of
        undefined ->
            P = erlang:open_port({spawn, "network"}, []),
            erlang:register(?PORT_NAME, P),
            P;
        P ->
            P
    end,
    State = #st{config = Config, port = Port, ref = make_ref(),
                status = initial_status(proplists:get_value(sta, Config))},
    {ok, State, {continue, start_port}}.

initial_status(undefined) -> inactive;
initial_status(Sta) ->
    case proplists:get_value(managed, Sta, false) of
        false -> connecting;
        _ -> disconnected
    end.

handle_continue(start_port, #st{port = Port, ref = Ref, config = Config} = State) ->
    Port ! {self(), Ref, {start, Config}},
    receive
        {Ref, ok} -> {noreply, State};
        {Ref, {error, Why}} -> {stop, {start_port_failed, Why}, State}
    end.

handle_call(sta_status, _From, State) ->
    {reply, State#st.status, State};
handle_call(get_config, _From, State) ->
    {reply, State#st.config, State};
handle_call(connect, _From, #st{config = Config} = State) ->
    connect_port(Config, State);
handle_call({connect, New}, _From, #st{config = Config} = State) ->
    case merge_config(Config, New) of
        {error, _} = Error -> {reply, Error, State};
        Merged -> connect_port(Merged, State)
    end;
handle_call(halt_sta, _From, #st{port = Port, ref = Ref} = State) ->
    Port ! {self(), Ref, halt_sta},
    case port_answer(Ref) of
        ok -> {reply, ok, State#st{status = disconnected}};
        Error -> {reply, Error, State}
    end;
handle_call({scan, Options}, From, #st{scan = idle} = State) ->
    start_scan(proplists:get_value(sta, State#st.config), Options, From, State);
handle_call({scan, _}, _From, #st{scan = blocked} = State) ->
    {reply, {error, blocked}, State};
handle_call({scan, _}, _From, State) ->
    {reply, {error, busy}, State};
handle_call(stop_network, From, #st{scan = Scan} = State) when
    Scan =:= idle; Scan =:= blocked
->
    gen_server:reply(From, ok),
    {stop, normal, State};
handle_call(stop_network, From, #st{port = Port, ref = Ref} = State) ->
    Port ! {self(), Ref, {cancel_scan, {shutdown, From}}},
    {noreply, State};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown_message}, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info({Ref, Event}, #st{ref = Ref} = State) ->
    event(Event, State);
handle_info(_Msg, State) ->
    {noreply, State}.

terminate(_Why, #st{port = Port}) ->
    Mon = erlang:monitor(port, Port),
    Port ! {self(), make_ref(), stop},
    receive
        {'DOWN', Mon, port, Port, _} -> ok
    after 1000 ->
        {error, timeout}
    end.

%%-----------------------------------------------------------------------------
%% port events -> state and callbacks

event(sta_connected, State) ->
    sta_callback(connected, [], State),
    {noreply, State#st{status = associated}};
event(sta_beacon_timeout, State) ->
    sta_callback(beacon_timeout, [], State),
    {noreply, State#st{status = degraded}};
event(sta_disconnected, #st{config = Config} = State) ->
    case proplists:get_value(sta, Config) of
        undefined -> ok;
        Sta -> notify(disconnected, [], proplists:get_value(disconnected, Sta, reconnect))
    end,
    {noreply, State#st{status = disconnected, ip = undefined}};
event({sta_got_ip, Info}, State) ->
    sta_callback(got_ip, [Info], State),
    {noreply, restart_mdns(State#st{status = connected, ip = Info})};
event(ap_started, State) ->
    section_callback(ap, ap_started, [], State),
    {noreply, State};
event({ap_sta_connected, Mac}, State) ->
    section_callback(ap, sta_connected, [Mac], State),
    {noreply, State};
event({ap_sta_disconnected, Mac}, State) ->
    section_callback(ap, sta_disconnected, [Mac], State),
    {noreply, State};
event({ap_sta_ip_assigned, IP}, State) ->
    section_callback(ap, sta_ip_assigned, [IP], State),
    {noreply, State};
event({sntp_sync, TimeVal}, State) ->
    section_callback(sntp, synchronized, [TimeVal], State),
    {noreply, State};
event({scan_results, {error, {unregister_handler, _}}} = Results, State) ->
    scan_done(Results, State),
    {noreply, State#st{scan = blocked}};
event({scan_results, _} = Results, State) ->
    scan_done(Results, State),
    {noreply, State#st{scan = idle}};
event({error, _} = Error, #st{scan = {_, _}} = State) ->
    scan_done({scan_results, Error}, State),
    {noreply, State#st{scan = idle}};
event({scan_canceled, {Next, ReplyTo}, ok}, State) ->
    scan_done({scan_results, {error, scan_canceled}}, State),
    gen_server:reply(ReplyTo, ok),
    Idle = State#st{scan = idle},
    case Next of
        shutdown -> {stop, normal, Idle};
        _ -> {noreply, Idle}
    end;
event({scan_canceled, {shutdown, ReplyTo}, {error, _}}, State) ->
    gen_server:reply(ReplyTo, {error, cancel_scan_failed}),
    {noreply, State};
event({scan_canceled, {_, ReplyTo}, Error}, State) ->
    gen_server:reply(ReplyTo, Error),
    {noreply, State};
event(_Other, State) ->
    {noreply, State}.

sta_callback(Key, Args, State) ->
    section_callback(sta, Key, Args, State).

section_callback(Section, Key, Args, #st{config = Config}) ->
    case proplists:get_value(Section, Config) of
        undefined -> ok;
        Props -> notify(Key, Args, proplists:get_value(Key, Props))
    end.

%% A callback: a fun runs in its own process, a pid gets Key or {Key, Arg};
%% `reconnect' is the station's default when the app gave no disconnected
%% callback.
notify(_Key, _Args, undefined) ->
    ok;
notify(_Key, [], reconnect) ->
    spawn(fun() -> sta_connect() end),
    ok;
notify(Key, [], Pid) when is_pid(Pid) ->
    Pid ! Key,
    ok;
notify(Key, [Arg], Pid) when is_pid(Pid) ->
    Pid ! {Key, Arg},
    ok;
notify(_Key, Args, Fun) when is_function(Fun, length(Args)) ->
    spawn(fun() -> erlang:apply(Fun, Args) end),
    ok;
notify(_Key, _Args, _Other) ->
    ok.

%%-----------------------------------------------------------------------------
%% connecting

connect_port(Config, #st{port = Port, ref = Ref} = State) ->
    Port ! {self(), Ref, {connect, Config}},
    case port_answer(Ref) of
        ok -> {reply, ok, State#st{config = Config, status = connecting}};
        {error, _} = Error -> {reply, Error, State#st{status = disconnected}}
    end.

%% The port's answer to a command (events stay queued for handle_info).
port_answer(Ref) ->
    receive
        {Ref, ok} -> ok;
        {Ref, {error, _} = Error} -> Error
    after ?PORT_REPLY_MS ->
        {error, timeout}
    end.

%% sta_connect/1: the new station settings ({sta, Props}, or a bare
%% [{ssid, _}, {psk, _}]) over the old ones; the AP part is kept, SNTP and
%% mDNS settings merged.
merge_config(Old, New) ->
    OldSta = proplists:get_value(sta, Old, []),
    case new_sta(OldSta, New) of
        {error, _} = Error ->
            Error;
        Sta ->
            Kept = [{ap, Ap} || Ap <- [proplists:get_value(ap, Old)], Ap =/= undefined],
            Merged = [{Key, Props} ||
                         Key <- [sntp, mdns],
                         Props <- [merge_props(proplists:get_value(Key, Old, []),
                                               proplists:get_value(Key, New, []))],
                         Props =/= []],
            [{sta, merge_props(OldSta, Sta)} | Kept ++ Merged]
    end.

new_sta(OldSta, New) ->
    case proplists:get_value(sta, New) of
        undefined ->
            case first_defined([proplists:get_value(ssid, New),
                                proplists:get_value(ssid, OldSta)]) of
                undefined ->
                    {error, no_ssid};
                Ssid ->
                    [{ssid, Ssid} | [{psk, Psk} || Psk <- [proplists:get_value(psk, New)],
                                                   Psk =/= undefined]]
            end;
        Sta ->
            Sta
    end.

first_defined([undefined | Rest]) -> first_defined(Rest);
first_defined([Value | _]) -> Value;
first_defined([]) -> undefined.

%% New properties first, then the old ones the new list does not name.
merge_props(Old, New) ->
    Named = [prop_key(P) || P <- New],
    New ++ [P || P <- Old, not lists:member(prop_key(P), Named)].

prop_key({Key, _}) -> Key;
prop_key(Key) -> Key.

%%-----------------------------------------------------------------------------
%% scanning

start_scan(undefined, _Options, _From, State) ->
    {reply, {error, no_sta_mode}, State};
start_scan(Sta, Options, From, #st{port = Port, ref = Ref} = State) ->
    case proplists:get_value(scan_done, Sta) of
        undefined ->
            Port ! {self(), Ref, {scan, Options}},
            {noreply, State#st{scan = {reply, From}}};
        Receiver ->
            Port ! {self(), Ref, {scan, [{reply, true} | Options]}},
            receive
                {Ref, ok} ->
                    {reply, ok, State#st{scan = {notify, Receiver}}};
                {Ref, {error, _} = Error} ->
                    {reply, Error, State};
                {Ref, {scan_results, {error, _} = Error}} ->
                    {reply, Error, State}
            after ?SCAN_START_MS ->
                {reply, {error, timeout}, State}
            end
    end.

%% Results (or an error) to whoever waits for them: the caller of wifi_scan,
%% a scan_done pid ({scan_results, R}) or fun (R, in a process of its own).
scan_done({scan_results, Results} = Msg, #st{scan = Scan}) ->
    case Scan of
        {reply, From} ->
            gen_server:reply(From, scan_reply(Results));
        {notify, Pid} when is_pid(Pid) ->
            Pid ! Msg;
        {notify, Fun} when is_function(Fun, 1) ->
            spawn(fun() -> Fun(Results) end);
        _ ->
            ok
    end,
    ok.

scan_reply({error, _} = Error) -> Error;
scan_reply(Results) -> {ok, Results}.

%%-----------------------------------------------------------------------------
%% mDNS, once the station has an address

restart_mdns(#st{mdns = Pid} = State) when is_pid(Pid) ->
    mdns:stop(Pid),
    restart_mdns(State#st{mdns = undefined});
restart_mdns(#st{config = Config, ip = {Addr, _, _}} = State) ->
    case proplists:get_value(mdns, Config) of
        undefined ->
            State;
        Props ->
            Base = #{hostname => proplists:get_value(hostname, Props), interface => Addr},
            Opts = case proplists:get_value(ttl, Props) of
                undefined -> Base;
                Ttl -> Base#{ttl => Ttl}
            end,
            case mdns:start_link(Opts) of
                {ok, Pid} -> State#st{mdns = Pid};
                {error, _} -> State
            end
    end.
