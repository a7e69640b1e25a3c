%% gen_tcp_inet -- gen_tcp's default back end in AtomVM: one "socket" port per socket.
%%
%% gen_tcp (and inet) wrap what these functions return as
%% {'$avm_gen_tcp', Port, gen_tcp_inet} and call back here with the bare port.
%% Each function is one port call (see port.erl) with the driver's requests:
%%   {init, Params} {send, IoData} {recv, Length, Timeout} {accept, Timeout}
%%   {close} {controlling_process, Pid} {get_port} {sockname} {peername}
%% Options are passed to the driver after the defaults {active, true},
%% {buffer, 512} and {timeout, infinity} for those the caller left out; a
%% bare atom (binary) means {binary, true}. In active mode the controlling
%% process gets {tcp, Socket, Data} and {tcp_closed, Socket}, Socket being the
%% same wrapped term gen_tcp returned.
%%
%% As in AtomVM: an address is a 4-tuple (checked, badarg when out of range),
%% a string, or the atoms localhost / loopback; a port that fails to open a
%% socket is left open; an unresolvable host is {error, nxdomain}; a call to a
%% socket whose port has gone (closed by the app, or by the peer's close)
%% answers {error, closed}, and a driver out of memory {error, enomem}.
-module(gen_tcp_inet).

-export([connect/3, send/2, recv/2, recv/3, close/1, listen/2, accept/1, accept/2,
         controlling_process/2]).
-export([port/1, sockname/1, peername/1]).

-define(DEFAULTS, [{active, true}, {buffer, 512}, {timeout, infinity}]).

-spec connect(Address :: tuple() | atom() | string(), Port :: 0..65535, Options :: list()) ->
    {ok, port()} | {error, term()}.
connect({A, B, C, D} = Address, Port, Options) ->
    case lists:all(fun is_byte/1, [A, B, C, D]) of
        true -> open_connection(address_text(Address), Port, Options);
        false -> error(badarg)
    end;
connect(Address, Port, Options) when is_atom(Address) ->
    open_connection(address_text(Address), Port, Options);
connect(Address, Port, Options) when is_list(Address) ->
    open_connection(Address, Port, Options);
connect(_Address, _Port, _Options) ->
    error(badarg).

-spec listen(Port :: 0..65535, Options :: list()) -> {ok, port()} | {error, term()}.
listen(Port, Options) ->
    Socket = open_port({spawn, "socket"}, []),
    Params = [{proto, tcp}, {listen, true}, {controlling_process, self()}, {port, Port},
              {backlog, 5} | inet_driver:with_defaults(?DEFAULTS, Options)],
    opened(Socket, inet_driver:call(Socket, {init, Params})).

-spec accept(port()) -> {ok, port()} | {error, term()}.
accept(Listener) ->
    accept(Listener, infinity).

-spec accept(port(), timeout()) -> {ok, port()} | {error, term()}.
accept(Listener, Timeout) ->
    inet_driver:call(Listener, {accept, Timeout}).

-spec send(port(), iodata()) -> ok | {error, term()}.
send(Socket, Data) ->
    inet_driver:send(Socket, {send, Data}).

-spec recv(port(), non_neg_integer()) -> {ok, string() | binary()} | {error, term()}.
recv(Socket, Length) ->
    recv(Socket, Length, infinity).

-spec recv(port(), non_neg_integer(), timeout()) -> {ok, string() | binary()} | {error, term()}.
recv(Socket, Length, Timeout) ->
    inet_driver:call(Socket, {recv, Length, Timeout}).

close(Socket) -> inet_driver:close(Socket).
controlling_process(Socket, Pid) -> inet_driver:controlling_process(Socket, Pid).

%% inet's functions on a gen_tcp socket
port(Socket) -> inet_driver:port(Socket).
sockname(Socket) -> inet_driver:sockname(Socket).
peername(Socket) -> inet_driver:call(Socket, {peername}).

%% internal

open_connection(Host, Port, Options) ->
    Socket = open_port({spawn, "socket"}, []),
    Params = [{proto, tcp}, {connect, true}, {controlling_process, self()},
              {address, Host}, {port, Port} | inet_driver:with_defaults(?DEFAULTS, Options)],
    case inet_driver:call(Socket, {init, Params}) of
        {error, {getaddrinfo, _}} -> {error, nxdomain};
        Result -> opened(Socket, Result)
    end.

opened(Socket, ok) -> {ok, Socket};
opened(_Socket, Error) -> Error.

address_text(localhost) -> "127.0.0.1";
address_text(loopback) -> "127.0.0.1";
address_text({A, B, C, D}) ->
    lists:flatten(lists:join(".", [integer_to_list(N) || N <- [A, B, C, D]])).

is_byte(N) -> is_integer(N) andalso N >= 0 andalso N =< 255.
