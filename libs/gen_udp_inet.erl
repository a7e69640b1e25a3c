%% gen_udp_inet -- gen_udp's default back end in AtomVM: one "socket" port per socket.
%%
%% gen_udp (and inet) wrap what open/1,2 return as
%% {'$avm_gen_udp', Port, gen_udp_inet} and call back here with the bare port.
%% Requests to the driver: {init, Params} {sendto, Address, PortNumber, IoData}
%% {recvfrom, Length, Timeout} {close} {controlling_process, Pid} {get_port}
%% {sockname}. Defaults: {active, true}, {buffer, 128}, {timeout, infinity}.
%% In active mode the controlling process gets
%% {udp, Socket, Address, PortNumber, Data}; recv/2,3 answer
%% {ok, {Address, PortNumber, Data}}. A UDP socket has no peer: inet:peername/1
%% does not take one, as in AtomVM.
-module(gen_udp_inet).

-export([open/1, open/2, send/4, recv/2, recv/3, close/1, controlling_process/2]).
-export([port/1, sockname/1]).

-define(DEFAULTS, [{active, true}, {buffer, 128}, {timeout, infinity}]).

-spec open(0..65535) -> {ok, port()} | {error, term()}.
open(PortNumber) ->
    open(PortNumber, []).

-spec open(0..65535, list()) -> {ok, port()} | {error, term()}.
open(PortNumber, Options) ->
    Socket = open_port({spawn, "socket"}, []),
    Params = [{proto, udp}, {port, PortNumber}, {controlling_process, self()}
              | inet_driver:with_defaults(?DEFAULTS, Options)],
    case inet_driver:call(Socket, {init, Params}) of
        ok -> {ok, Socket};
        Error -> Error
    end.

-spec send(port(), tuple(), 0..65535, iodata()) -> ok | {error, term()}.
send(Socket, Address, PortNumber, Data) ->
    inet_driver:send(Socket, {sendto, Address, PortNumber, Data}).

-spec recv(port(), non_neg_integer()) -> {ok, {tuple(), 0..65535, string() | binary()}} | {error, term()}.
recv(Socket, Length) ->
    recv(Socket, Length, infinity).

%% The driver itself answers {error, timeout} when Timeout runs out, and
%% forgets the read, so no late answer is left behind in the mailbox.
-spec recv(port(), non_neg_integer(), timeout()) ->
    {ok, {tuple(), 0..65535, string() | binary()}} | {error, term()}.
recv(Socket, Length, Timeout) ->
    inet_driver:call(Socket, {recvfrom, Length, Timeout}).

close(Socket) -> inet_driver:close(Socket).
controlling_process(Socket, Pid) -> inet_driver:controlling_process(Socket, Pid).

%% inet's functions on a gen_udp socket
port(Socket) -> inet_driver:port(Socket).
sockname(Socket) -> inet_driver:sockname(Socket).

