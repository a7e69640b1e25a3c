%% @doc AtomVM's `gen_udp' back end over the socket NIFs (`{inet_backend, socket}').
%%
%% Each socket is a gen_server that owns the NIF socket; its pid is the socket's `Impl'
%% in `{'$avm_gen_udp', Pid, gen_udp_socket}'. Options as AtomVM reads them: `active'
%% (default true), `buffer' (bytes a read takes, default 0: the whole datagram),
%% `binary' / `list' (default binary), `ifaddr'. Active sockets send the controlling
%% process `{udp, Socket, Address, Port, Data}' (and `{udp_error, Socket, {error, R}}'),
%% and stop when it dies. As in AtomVM, a passive socket refuses `controlling_process'
%% with `{error, einval}'.
-module(gen_udp_socket).

-behaviour(gen_server).

-export([
    open/1,
    open/2,
    send/4,
    recv/2,
    recv/3,
    close/1,
    controlling_process/2
]).
-export([port/1, sockname/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-include("inet-priv.hrl").
-include("gen_socket_state.hrl").

%%-----------------------------------------------------------------------------
%% API

open(Port) ->
    open(Port, []).

%% A bind failure leaves the socket open, as AtomVM's does.
open(Port, Options) ->
    Controller = self(),
    case socket:open(inet, dgram, udp) of
        {ok, Socket} ->
            Effective = gen_socket_common:options(Options),
            Addr = maps:get(ifaddr, Effective, any),
            case socket:bind(Socket, #{family => inet, addr => Addr, port => Port}) of
                ok -> gen_server:start_link(?MODULE, {Socket, Controller, Effective}, []);
                Error -> Error
            end;
        Error ->
            Error
    end.

send(Socket, Address, Port, Packet) ->
    call(Socket, {sendto, Address, Port, Packet}).

recv(Socket, Length) ->
    recv(Socket, Length, infinity).

recv(Socket, Length, Timeout) ->
    call(Socket, {recvfrom, Length, Timeout}).

close(Socket) ->
    call(Socket, close).

controlling_process(Socket, Pid) when is_pid(Pid) ->
    call(Socket, {controlling_process, Pid, self()}).

port(Socket) ->
    call(Socket, port).

sockname(Socket) ->
    call(Socket, sockname).

call(Pid, Request) ->
    gen_server:call(Pid, Request, infinity).

%%-----------------------------------------------------------------------------
%% gen_server

init({Socket, Controller, Options}) ->
    State = #state{socket = Socket, controlling_process = Controller, options = Options},
    case maps:get(active, Options, true) of
        true -> gen_socket_common:activate(State, Controller);
        _ -> {ok, State#state{active = false}}
    end.

handle_call({sendto, Address, Port, Packet}, _From, State) ->
    Dest = #{family => inet, port => Port, addr => Address},
    {reply, socket:sendto(State#state.socket, Packet, Dest), State};
handle_call({recvfrom, _Length, _Timeout}, _From, #state{active = true} = State) ->
    {reply, {error, einval}, State};
handle_call({recvfrom, Length, Timeout}, From, State) ->
    gen_socket_common:select(State, {passive, From, Length}, Timeout, From, noreply);
handle_call(Request, From, State) ->
    gen_socket_common:handle_call(Request, From, State).

handle_cast(_Request, State) ->
    {noreply, State}.

handle_info(Info, State) ->
    gen_socket_common:handle_info(Info, State, fun read/2).

terminate(Reason, State) ->
    gen_socket_common:terminate(Reason, State).

%%-----------------------------------------------------------------------------
%% internals

%% What a fired select does (see gen_socket_common:handle_info/3).
read(active, State) -> active_read(State);
read({passive, From, Length}, State) -> passive_read(State, From, Length).

active_read(State) ->
    Socket = State#state.socket,
    case socket:nif_recvfrom(Socket, maps:get(buffer, State#state.options, 0)) of
        {ok, {#{addr := Addr, port := Port}, Data}} ->
            State#state.controlling_process !
                {udp, wrapped(), Addr, Port, gen_socket_common:encode(State#state.options, Data)},
            gen_socket_common:rearm(State);
        Error ->
            socket:nif_select_stop(Socket),
            State#state.controlling_process ! {udp_error, wrapped(), Error},
            State
    end.

passive_read(State, From, Length) ->
    Got = socket:nif_recvfrom(State#state.socket, Length),
    gen_socket_common:reply_read(State, From, Got, fun({#{addr := Addr, port := Port}, Data}) ->
        {Addr, Port, gen_socket_common:encode(State#state.options, Data)}
    end).

wrapped() ->
    {?GEN_UDP_MONIKER, self(), ?MODULE}.
