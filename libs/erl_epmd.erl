%% @doc The epmd client (AtomVM's estdlib `erl_epmd', a subset of OTP's): register this
%% node's port with the epmd on the board itself, and ask an epmd anywhere for a node's
%% port or for every name it knows.
%%
%% The registration lives as long as its TCP connection, so the gen_server keeps that
%% connection open until it stops. Lookups open a connection each, send one request and
%% read the answer until epmd closes (EPMD protocol, erts/doc "epmd": ALIVE2_REQ,
%% PORT_PLEASE2_REQ, NAMES_REQ); only distribution version 6 is spoken.
-module(erl_epmd).

-behaviour(gen_server).

-export([
    start_link/0,
    stop/0,
    port_please/2,
    register_node/2,
    names/1
]).

-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(EPMD_PORT, 4369).
-define(TIMEOUT, 5000).
-define(VERSION, 6).

-define(NAMES_REQ, 110).
-define(ALIVE2_X_RESP, 118).
-define(PORT2_RESP, 119).
-define(ALIVE2_REQ, 120).
-define(ALIVE2_RESP, 121).
-define(PORT_PLEASE2_REQ, 122).

%% ALIVE2_REQ: a normal Erlang node (77, 'M') over TCP/IPv4 (0).
-define(NODE_TYPE, 77).
-define(PROTOCOL_TCP_INET4, 0).

-spec start_link() -> {ok, pid()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec stop() -> ok.
stop() ->
    gen_server:call(?MODULE, stop, infinity).

%% @doc This node's creation from the local epmd; `{error, already_registered}' when
%% this client already holds a registration.
-spec register_node(iodata(), inet:port_number()) -> {ok, non_neg_integer()} | {error, term()}.
register_node(Name, Port) ->
    gen_server:call(?MODULE, {register_node, Name, Port}, infinity).

%% @doc Where node Name listens on Host: `{port, Port, 6}', or `{port, Port, 0}' when
%% it speaks another version, or `noport'.
-spec port_please(iodata(), inet:hostname() | inet:ip_address()) ->
    {port, inet:port_number(), non_neg_integer()} | noport.
port_please(Name, Host) ->
    case ask(Host, [?PORT_PLEASE2_REQ, Name]) of
        {ok,
            <<?PORT2_RESP, 0, Port:16, _Type, _Protocol, High:16, Low:16, NameLen:16,
                _Name:NameLen/binary, _/binary>>} when High >= ?VERSION, Low =< ?VERSION ->
            {port, Port, ?VERSION};
        {ok, <<?PORT2_RESP, 0, Port:16, _/binary>>} ->
            {port, Port, 0};
        _ ->
            noport
    end.

%% @doc The nodes registered with the epmd on Host, as `{Name, Port}'.
-spec names(inet:hostname() | inet:ip_address()) ->
    {ok, [{string(), inet:port_number()}]} | {error, term()}.
names(Host) ->
    case ask(Host, [?NAMES_REQ]) of
        {ok, <<?EPMD_PORT:32, Lines/binary>>} -> parse_names(Lines, []);
        {ok, Unexpected} -> {error, {unexpected, Unexpected}};
        {error, _} = Error -> Error
    end.

parse_names(<<>>, Acc) ->
    {ok, lists:reverse(Acc)};
parse_names(Text, Acc) ->
    case binary:split(Text, <<"\n">>) of
        [<<"name ", Line/binary>>, Rest] ->
            case name_line(Line) of
                {ok, Entry} -> parse_names(Rest, [Entry | Acc]);
                error -> {error, {unexpected, <<"name ", Line/binary>>}}
            end;
        [Unexpected | _] ->
            {error, {unexpected, Unexpected}}
    end.

name_line(Line) ->
    case binary:split(Line, <<" at port ">>) of
        [Name, PortText] ->
            try
                {ok, {binary_to_list(Name), binary_to_integer(PortText)}}
            catch
                error:badarg -> error
            end;
        _ ->
            error
    end.

%% One request to the epmd on Host; the answer is all it sends before closing.
ask(Host, Request) ->
    case inet:getaddr(Host, inet) of
        {ok, Ip} ->
            {ok, Socket} = socket:open(inet, stream, tcp),
            Reply =
                case connect_and_send(Socket, Ip, iolist_to_binary(Request)) of
                    ok -> read_to_end(Socket, []);
                    {error, _} = Error -> Error
                end,
            socket:close(Socket),
            Reply;
        {error, _} = Error ->
            Error
    end.

connect_and_send(Socket, Ip, Request) ->
    case socket:connect(Socket, #{family => inet, addr => Ip, port => ?EPMD_PORT}) of
        ok -> socket:send(Socket, <<(byte_size(Request)):16, Request/binary>>);
        {error, _} = Error -> Error
    end.

read_to_end(Socket, Acc) ->
    case socket:recv(Socket, 0, ?TIMEOUT) of
        {ok, <<>>} -> {ok, iolist_to_binary(lists:reverse(Acc))};
        {ok, Data} -> read_to_end(Socket, [Data | Acc]);
        {error, closed} -> {ok, iolist_to_binary(lists:reverse(Acc))};
        {error, _} = Error -> Error
    end.

%%-----------------------------------------------------------------------------
%% gen_server: the registration's connection

init([]) ->
    {ok, undefined}.

handle_call({register_node, _Name, _Port}, _From, Socket) when Socket =/= undefined ->
    {reply, {error, already_registered}, Socket};
handle_call({register_node, Name, Port}, _From, undefined) ->
    {ok, Socket} = socket:open(inet, stream, tcp),
    NameBin = iolist_to_binary(Name),
    Request =
        <<?ALIVE2_REQ, Port:16, ?NODE_TYPE, ?PROTOCOL_TCP_INET4, ?VERSION:16, ?VERSION:16,
            (byte_size(NameBin)):16, NameBin/binary, 0:16>>,
    case register_on(Socket, Request) of
        {ok, _Creation} = Ok ->
            {reply, Ok, Socket};
        {error, _} = Error ->
            socket:close(Socket),
            {reply, Error, undefined}
    end;
handle_call(stop, _From, Socket) ->
    {stop, shutdown, ok, Socket}.

handle_cast(_Message, Socket) ->
    {noreply, Socket}.

handle_info(_Message, Socket) ->
    {noreply, Socket}.

terminate(_Reason, undefined) ->
    ok;
terminate(_Reason, Socket) ->
    socket:close(Socket),
    ok.

%% Send ALIVE2_REQ to the board's own epmd and read its answer (the X form carries a
%% 32-bit creation, the old one 16 bits); a non-zero result is `{error, Result}'.
register_on(Socket, Request) ->
    case connect_and_send(Socket, {127, 0, 0, 1}, Request) of
        ok ->
            case socket:recv(Socket, 1, ?TIMEOUT) of
                {ok, <<?ALIVE2_X_RESP>>} -> alive_result(socket:recv(Socket, 5, ?TIMEOUT));
                {ok, <<?ALIVE2_RESP>>} -> alive_result(socket:recv(Socket, 3, ?TIMEOUT));
                {ok, Unexpected} -> {error, {unexpected, Unexpected}};
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

alive_result({ok, <<0, Creation:32>>}) -> {ok, Creation};
alive_result({ok, <<0, Creation:16>>}) -> {ok, Creation};
alive_result({ok, <<Result, _/binary>>}) -> {error, Result};
alive_result({error, _} = Error) -> Error.
