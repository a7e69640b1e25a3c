%% @doc AtomVM's `gen_tcp' back end over the socket NIFs (`{inet_backend, socket}').
%%
%% Each socket is a gen_server that owns the NIF socket; its pid is the socket's `Impl'
%% in `{'$avm_gen_tcp', Pid, gen_tcp_socket}'. Options as AtomVM reads them: `active'
%% (default true), `buffer' (bytes a read asks for, default 0: what is there), `binary' /
%% `list' (default binary), `ifaddr' for listen. No `{packet, _}' framing: AtomVM's back
%% end has none.
%%
%% Active sockets send the controlling process `{tcp, Socket, Data}',
%% `{tcp_closed, Socket}' and `{tcp_error, Socket, {error, Reason}}', and stop when it
%% dies. As in AtomVM: a passive `recv' with timeout `infinity' gives up after 30 s, a
%% listening or passive socket refuses `controlling_process' with `{error, einval}',
%% `connect' failures are the socket NIF's (`{error, closed}' for a refused connection),
%% and a `send' the stack takes only in part answers `{ok, Rest}'.
-module(gen_tcp_socket).

-behaviour(gen_server).

-export([
    connect/3,
    send/2,
    recv/2,
    recv/3,
    close/1,
    listen/2,
    accept/1,
    accept/2,
    controlling_process/2
]).
-export([port/1, sockname/1, peername/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-include("inet-priv.hrl").
-include("gen_socket_state.hrl").

%% AtomVM's passive recv with timeout infinity still arms a 30 s timer.
-define(INFINITE_RECV_MS, 30000).

%%-----------------------------------------------------------------------------
%% API

connect(Address, Port, Options) ->
    Controller = self(),
    with_socket(fun(Socket) ->
        case inet:getaddr(Address, inet) of
            {ok, IP} ->
                Connected = socket:connect(Socket, #{family => inet, addr => IP, port => Port}),
                then(Connected, fun() -> start(Socket, Controller, connect, Options) end);
            Error ->
                Error
        end
    end).

listen(Port, Options) ->
    Controller = self(),
    Effective = gen_socket_common:options(Options),
    with_socket(fun(Socket) ->
        Addr = maps:get(ifaddr, Effective, any),
        Bound = socket:bind(Socket, #{family => inet, addr => Addr, port => Port}),
        then(Bound, fun() ->
            then(socket:listen(Socket), fun() -> start(Socket, Controller, listen, Options) end)
        end)
    end).

accept(ListenSocket) ->
    accept(ListenSocket, infinity).

accept(ListenSocket, Timeout) ->
    call(ListenSocket, {accept, Timeout, self()}).

send(Socket, Packet) ->
    call(Socket, {send, Packet}).

recv(Socket, Length) ->
    recv(Socket, Length, infinity).

recv(Socket, Length, Timeout) ->
    call(Socket, {recv, Length, Timeout}).

close(Socket) ->
    call(Socket, close).

%% Only the current controlling process may hand an active socket on.
controlling_process(Socket, Pid) ->
    call(Socket, {controlling_process, Pid, self()}).

port(Socket) ->
    call(Socket, port).

sockname(Socket) ->
    call(Socket, sockname).

peername(Socket) ->
    call(Socket, peername).

%% Open a TCP socket and run Setup on it; when Setup fails the socket is closed.
with_socket(Setup) ->
    case socket:open(inet, stream, tcp) of
        {ok, Socket} ->
            case Setup(Socket) of
                {ok, _} = Started ->
                    Started;
                Error ->
                    socket:close(Socket),
                    Error
            end;
        Error ->
            Error
    end.

%% Next() after a step that answered ok; any other answer is the result.
then(ok, Next) -> Next();
then(Error, _Next) -> Error.

start(Socket, Controller, Mode, Options) ->
    Effective = gen_socket_common:options(Options),
    gen_server:start_link(?MODULE, {Socket, Controller, Mode, Effective}, []).

call(Pid, Request) ->
    gen_server:call(Pid, Request, infinity).

%%-----------------------------------------------------------------------------
%% gen_server

%% Connected sockets in active mode select at once and watch their controlling process;
%% listening and passive ones wait for calls.
init({Socket, Controller, Mode, Options}) ->
    Active = (Mode =:= connect orelse Mode =:= accept) andalso maps:get(active, Options, true),
    State = #state{socket = Socket, options = Options},
    case Active of
        true -> gen_socket_common:activate(State, Controller);
        _ -> {ok, State#state{active = false}}
    end.

handle_call({accept, Timeout, Acceptor}, From, State) ->
    gen_socket_common:select(State, {accept, From, Acceptor, Timeout}, Timeout, From, reply);
handle_call({send, Packet}, _From, State) ->
    {reply, socket:send(State#state.socket, Packet), State};
handle_call({recv, _Length, _Timeout}, _From, #state{active = true} = State) ->
    {reply, {error, einval}, State};
handle_call({recv, Length, Timeout}, From, State) ->
    gen_socket_common:select(State, {passive, From, Length, Timeout}, recv_timer(Timeout), From, noreply);
handle_call(peername, _From, State) ->
    Reply =
        case socket:peername(State#state.socket) of
            {ok, #{addr := A, port := P}} -> {ok, {A, P}};
            Error -> Error
        end,
    {reply, Reply, State};
handle_call(Request, From, State) ->
    gen_socket_common:handle_call(Request, From, State).

handle_cast(_Request, State) ->
    {noreply, State}.

handle_info({'$socket', Socket, abort, {Ref, closed}}, State) ->
    Pending = State#state.pending_selects,
    case maps:get(Ref, Pending, undefined) of
        active ->
            State#state.controlling_process ! {tcp_closed, wrapped()},
            {noreply, State};
        {passive, From, _Length, _Timeout} ->
            socket:nif_select_stop(Socket),
            gen_server:reply(From, {error, closed}),
            {noreply, State#state{pending_selects = maps:remove(Ref, Pending)}};
        {accept, From, _Acceptor, _Timeout} ->
            socket:nif_select_stop(Socket),
            gen_server:reply(From, {error, closed}),
            {noreply, State};
        undefined ->
            socket:nif_select_stop(Socket),
            {noreply, State}
    end;
handle_info(Info, State) ->
    gen_socket_common:handle_info(Info, State, fun read/2).

terminate(Reason, State) ->
    gen_socket_common:terminate(Reason, State).

%%-----------------------------------------------------------------------------
%% internals

recv_timer(infinity) -> ?INFINITE_RECV_MS;
recv_timer(Timeout) -> Timeout.

%% What a fired select does (see gen_socket_common:handle_info/3).
read(active, State) -> active_read(State);
read({accept, From, Acceptor, _Timeout}, State) -> accept_one(State, From, Acceptor);
read({passive, From, Length, _Timeout}, State) -> passive_read(State, From, Length).

accept_one(State, From, Acceptor) ->
    Socket = State#state.socket,
    case socket:nif_accept(Socket) of
        {ok, Connection} ->
            Reply = gen_server:start_link(
                ?MODULE, {Connection, Acceptor, accept, State#state.options}, []
            ),
            gen_server:reply(From, Reply);
        Error ->
            socket:nif_select_stop(Socket),
            gen_server:reply(From, Error)
    end,
    State.

active_read(State) ->
    Socket = State#state.socket,
    Controller = State#state.controlling_process,
    case socket:nif_recv(Socket, maps:get(buffer, State#state.options, 0)) of
        {ok, Data} ->
            Controller ! {tcp, wrapped(), gen_socket_common:encode(State#state.options, Data)},
            gen_socket_common:rearm(State);
        {error, closed} ->
            socket:nif_select_stop(Socket),
            Controller ! {tcp_closed, wrapped()},
            State;
        Error ->
            socket:nif_select_stop(Socket),
            Controller ! {tcp_error, wrapped(), Error},
            State
    end.

passive_read(State, From, Length) ->
    Got = socket:nif_recv(State#state.socket, Length),
    gen_socket_common:reply_read(State, From, Got, fun(Data) ->
        gen_socket_common:encode(State#state.options, Data)
    end).

wrapped() ->
    {?GEN_TCP_MONIKER, self(), ?MODULE}.
