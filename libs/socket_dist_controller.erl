%% @doc The process that owns one distribution connection's TCP socket (AtomVM's
%% estdlib `socket_dist_controller'): it is the connection's "controller" that
%% erlang:setnode/3 watches, so the node goes down when it stops.
%%
%% During the handshake, packets are framed with a 2-byte length, and the handshake
%% process moves them itself through send/2 and recv/3. Once dist_util calls
%% handshake_complete/3, the controller carries the node's traffic itself: packets are
%% framed with a 4-byte length (a zero length is a tick), what arrives goes to
%% erlang:dist_ctrl_put_data/2 and what the VM queues comes from
%% erlang:dist_ctrl_get_data/1 when the VM sends `dist_data'. When the peer closes the
%% socket, or the handshake or tick process it is tied to ends, the controller stops
%% with `{shutdown, Why}' (a planned end: no error report).
-module(socket_dist_controller).

-behaviour(gen_server).

-export([
    start/1,
    supervisor/2,
    recv/3,
    send/2,
    setopts_pre_nodeup/1,
    setopts_post_nodeup/1,
    getll/1,
    address/2,
    tick/1,
    getstat/1,
    handshake_complete/3
]).

-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-include("dist_util.hrl").

-record(state, {
    socket :: term(),
    dhandle :: term() | undefined,
    select :: reference() | undefined,
    buffer = <<>> :: binary(),
    received = 0 :: non_neg_integer(),
    sent = 0 :: non_neg_integer()
}).

%%-----------------------------------------------------------------------------
%% The carrier functions dist_util calls through #hs_data{}

-spec start(term()) -> {ok, pid()}.
start(Socket) ->
    gen_server:start(?MODULE, Socket, []).

%% Tie the controller to the process running the handshake and then the tick loop.
-spec supervisor(pid(), pid()) -> true.
supervisor(Controller, Pid) ->
    gen_server:call(Controller, {supervisor, Pid}).

%% Handshake packets are read and written by the handshake process itself, so that the
%% controller stays free to notice that process's end (and then close the socket).
-spec send(pid(), iodata()) -> ok | {error, term()}.
send(Controller, Packet) ->
    Data = iolist_to_binary(Packet),
    send_all(socket(Controller), <<(byte_size(Data)):16, Data/binary>>).

%% One handshake packet (the length argument is always 0: a whole packet).
-spec recv(pid(), non_neg_integer(), timeout()) -> {ok, binary()} | {error, term()}.
recv(Controller, _Length, Timeout) ->
    Socket = socket(Controller),
    case socket:recv(Socket, 2, Timeout) of
        {ok, <<0:16>>} -> {ok, <<>>};
        {ok, <<Length:16>>} -> socket:recv(Socket, Length, Timeout);
        {error, _} = Error -> Error
    end.

socket(Controller) ->
    gen_server:call(Controller, socket).

setopts_pre_nodeup(_Controller) -> ok.

setopts_post_nodeup(_Controller) -> ok.

getll(Controller) -> {ok, Controller}.

-spec address(pid(), node()) -> #net_address{} | {error, no_node}.
address(Controller, Node) ->
    {ok, #{addr := Addr, port := Port}} = gen_server:call(Controller, peername),
    case string:split(atom_to_list(Node), "@") of
        [_Name, Host] ->
            #net_address{address = {Addr, Port}, host = Host, protocol = tcp, family = inet};
        _ ->
            {error, no_node}
    end.

tick(Controller) ->
    gen_server:cast(Controller, tick).

%% {ok, PacketsReceived, PacketsSent, PendingSends}
getstat(Controller) ->
    gen_server:call(Controller, getstat).

handshake_complete(Controller, _Node, DHandle) ->
    gen_server:cast(Controller, {handshake_complete, DHandle}).

%%-----------------------------------------------------------------------------
%% gen_server

%% Exits are trapped so that the socket is closed (and the peer sees it) whichever way
%% the connection ends.
init(Socket) ->
    process_flag(trap_exit, true),
    {ok, #state{socket = Socket}}.

handle_call({supervisor, Pid}, _From, State) ->
    {reply, link(Pid), State};
handle_call(socket, _From, #state{socket = Socket} = State) ->
    {reply, Socket, State};
handle_call(peername, _From, #state{socket = Socket} = State) ->
    {reply, socket:peername(Socket), State};
handle_call(getstat, _From, #state{received = Received, sent = Sent} = State) ->
    {reply, {ok, Received, Sent, 0}, State}.

handle_cast(tick, #state{socket = Socket, sent = Sent} = State) ->
    _ = send_all(Socket, <<0:32>>),
    {noreply, State#state{sent = Sent + 1}};
handle_cast({handshake_complete, DHandle}, State) ->
    ok = erlang:dist_ctrl_get_data_notification(DHandle),
    receive_loop(State#state{dhandle = DHandle}).

handle_info(dist_data, State) ->
    {noreply, send_loop(State)};
handle_info({'$socket', Socket, select, Ref}, #state{socket = Socket, select = Ref} = State) ->
    receive_loop(State);
handle_info({'$socket', Socket, abort, {_Ref, closed}}, #state{socket = Socket} = State) ->
    {stop, {shutdown, connection_closed}, State};
handle_info({'EXIT', _Pid, Reason}, State) ->
    {stop, {shutdown, Reason}, State};
handle_info(_Other, State) ->
    {noreply, State}.

terminate(_Reason, #state{socket = Socket}) ->
    socket:close(Socket),
    ok.

%%-----------------------------------------------------------------------------
%% Traffic once the node is up

%% Take everything the socket has, hand over each whole packet, and wait for more.
receive_loop(#state{socket = Socket} = State) ->
    case socket:recv(Socket, 0, nowait) of
        {ok, Data} ->
            receive_loop(put_packets(Data, State));
        {select, {{select_info, recv, Ref}, Data}} ->
            {noreply, (put_packets(Data, State))#state{select = Ref}};
        {select, {select_info, recv, Ref}} ->
            {noreply, State#state{select = Ref}};
        {error, _} ->
            {stop, {shutdown, connection_closed}, State}
    end.

put_packets(Data, #state{buffer = Buffer} = State) ->
    put_buffered(State#state{buffer = <<Buffer/binary, Data/binary>>}).

put_buffered(#state{buffer = <<Size:32, Packet:Size/binary, Rest/binary>>} = State) ->
    case Packet of
        <<>> -> ok;
        _ -> ok = erlang:dist_ctrl_put_data(State#state.dhandle, Packet)
    end,
    put_buffered(State#state{buffer = Rest, received = State#state.received + 1});
put_buffered(State) ->
    State.

%% Send every packet the VM has queued, then ask to be told of the next one.
send_loop(#state{dhandle = DHandle, socket = Socket, sent = Sent} = State) ->
    case erlang:dist_ctrl_get_data(DHandle) of
        none ->
            ok = erlang:dist_ctrl_get_data_notification(DHandle),
            State;
        Data ->
            Packet = iolist_to_binary(Data),
            _ = send_all(Socket, <<(byte_size(Packet)):32, Packet/binary>>),
            send_loop(State#state{sent = Sent + 1})
    end.

%% The stack may take part of a packet when its send buffer is full: the rest goes once
%% it has drained (lwIP's buffer empties within a millisecond or so).
send_all(Socket, Data) ->
    case socket:send(Socket, Data) of
        {ok, Rest} ->
            timer:sleep(1),
            send_all(Socket, Rest);
        Other ->
            Other
    end.
