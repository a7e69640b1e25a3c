%% @doc What `gen_tcp_socket' and `gen_udp_socket' share: their options as AtomVM reads
%% them, how received data is handed over, and the gen_server work the two servers do
%% alike (both keep `gen_socket_state.hrl''s state): going active, arming selects, the
%% calls and messages that do not depend on the protocol.
-module(gen_socket_common).

-export([options/1, encode/2, activate/2, select/5, rearm/1, reply_read/4]).
-export([handle_call/3, handle_info/3, terminate/2]).

-include("gen_socket_state.hrl").

-define(DEFAULT_OPTIONS, #{active => true, buffer => 0, timeout => infinity}).

%% The options list as a map over the defaults: a bare atom is `true', a later
%% `{Key, Value}' wins; anything else is a function_clause, as in AtomVM.
options(List) ->
    maps:merge(?DEFAULT_OPTIONS, to_map(List, #{})).

to_map([], Map) -> Map;
to_map([Key | T], Map) when is_atom(Key) -> to_map(T, Map#{Key => true});
to_map([{Key, Value} | T], Map) -> to_map(T, Map#{Key => Value}).

%% Binary unless the options say `list' (and not `binary' too).
encode(Options, Data) ->
    case {maps:get(binary, Options, undefined), maps:get(list, Options, undefined)} of
        {undefined, undefined} -> Data;
        {true, _} -> Data;
        _ -> binary_to_list(Data)
    end.

%% An active socket selects at once and watches its controlling process: `{ok, State}'
%% for init, or the select's error.
activate(State, Controller) ->
    Ref = erlang:make_ref(),
    case socket:nif_select_read(State#state.socket, Ref) of
        ok ->
            {ok, State#state{
                controlling_process = Controller,
                monitor_ref = erlang:monitor(process, Controller),
                active = true,
                pending_selects = #{Ref => active}
            }};
        Error ->
            Error
    end.

%% Arm a select for a call answered later, with a timer when Timeout is a number; a
%% failed select answers at once (OnError `reply') or never (`noreply'), as AtomVM.
select(State, Pending, Timeout, From, OnError) ->
    Ref = erlang:make_ref(),
    case Timeout of
        Ms when is_integer(Ms) andalso Ms >= 0 -> erlang:send_after(Ms, self(), {timeout, Ref, From});
        _ -> ok
    end,
    case socket:nif_select_read(State#state.socket, Ref) of
        ok ->
            Selects = State#state.pending_selects,
            {noreply, State#state{pending_selects = Selects#{Ref => Pending}}};
        Error when OnError =:= reply ->
            {reply, Error, State};
        _Error ->
            {noreply, State}
    end.

%% After an active read: select again for the next data (a failed select stops reading).
rearm(State) ->
    Ref = erlang:make_ref(),
    case socket:nif_select_read(State#state.socket, Ref) of
        ok ->
            Selects = State#state.pending_selects,
            State#state{pending_selects = Selects#{Ref => active}};
        _ ->
            State
    end.

%% Answer a passive read's call: `{ok, Reply(Got)}' for `{ok, Got}', else the error (and
%% stop selecting).
reply_read(State, From, {ok, Got}, Reply) ->
    gen_server:reply(From, {ok, Reply(Got)}),
    State;
reply_read(State, From, Error, _Reply) ->
    socket:nif_select_stop(State#state.socket),
    gen_server:reply(From, Error),
    State.

%% The calls both servers answer alike: addresses, close, handing on an active socket
%% (only by its current controlling process), and unknown requests.
handle_call(port, _From, State) ->
    {reply, sockname(State#state.socket, fun(#{port := Port}) -> Port end), State};
handle_call(sockname, _From, State) ->
    {reply, sockname(State#state.socket, fun(#{addr := A, port := P}) -> {A, P} end), State};
handle_call(close, _From, State) ->
    {stop, normal, socket:close(State#state.socket), State};
handle_call({controlling_process, _Pid, _Caller}, _From, #state{active = false} = State) ->
    {reply, {error, einval}, State};
handle_call({controlling_process, Pid, Caller}, _From, State) ->
    case State#state.controlling_process of
        Caller ->
            MonitorRef = erlang:monitor(process, Pid),
            true = erlang:demonitor(State#state.monitor_ref),
            {reply, ok, State#state{controlling_process = Pid, monitor_ref = MonitorRef}};
        _ ->
            {reply, {error, not_owner}, State}
    end;
handle_call(Request, _From, State) ->
    {reply, {unknown_request, Request}, State}.

%% The messages both servers take alike. A fired select runs Read(What, State), What
%% being `active' (its select stays listed) or the pending call (whose select is dropped);
%% a timer answers its call `{error, timeout}' unless the select came first; the
%% controlling process's end stops the server.
handle_info({'$socket', _Socket, select, Ref}, State, Read) ->
    Pending = State#state.pending_selects,
    case maps:get(Ref, Pending, undefined) of
        undefined ->
            {noreply, State};
        active ->
            {noreply, Read(active, State)};
        Call ->
            Next = Read(Call, State),
            {noreply, Next#state{pending_selects = maps:remove(Ref, Pending)}}
    end;
handle_info({timeout, Ref, From}, State, _Read) ->
    Pending = State#state.pending_selects,
    case maps:is_key(Ref, Pending) of
        true ->
            gen_server:reply(From, {error, timeout}),
            {noreply, State#state{pending_selects = maps:remove(Ref, Pending)}};
        false ->
            {noreply, State}
    end;
handle_info({'DOWN', MonitorRef, process, _Pid, _Info}, #state{monitor_ref = MonitorRef} = State, _Read) ->
    {stop, normal, State};
handle_info(_Info, State, _Read) ->
    {noreply, State}.

terminate(_Reason, State) ->
    catch socket:close(State#state.socket).

%% `{ok, Pick(#{addr, port})}' for the socket's local address, or the NIF's error.
sockname(Socket, Pick) ->
    case socket:sockname(Socket) of
        {ok, Address} -> {ok, Pick(Address)};
        Error -> Error
    end.
