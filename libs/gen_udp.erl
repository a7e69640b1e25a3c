%% @doc AtomVM's `gen_udp': a front over two back ends, chosen by the `inet_backend'
%% option as AtomVM does (absent or `inet': `gen_udp_inet', the socket port driver;
%% `socket': `gen_udp_socket', the socket NIFs). A socket is
%% `{'$avm_gen_udp', Impl, Module}'.
-module(gen_udp).

-export([open/1, open/2, send/4, recv/2, recv/3, close/1, controlling_process/2]).

-include("inet-priv.hrl").

open(PortNum) ->
    open(PortNum, []).

open(PortNum, Options) ->
    Module = backend(Options),
    case Module:open(PortNum, Options) of
        {ok, Impl} -> {ok, {?GEN_UDP_MONIKER, Impl, Module}};
        Other -> Other
    end.

send({?GEN_UDP_MONIKER, Impl, Module}, Address, PortNum, Packet) ->
    Module:send(Impl, Address, PortNum, Packet).

recv(Socket, Length) ->
    recv(Socket, Length, infinity).

recv({?GEN_UDP_MONIKER, Impl, Module}, Length, Timeout) ->
    Module:recv(Impl, Length, Timeout).

close({?GEN_UDP_MONIKER, Impl, Module}) ->
    Module:close(Impl).

controlling_process({?GEN_UDP_MONIKER, Impl, Module}, Pid) ->
    Module:controlling_process(Impl, Pid).

backend(Options) ->
    case proplists:get_value(inet_backend, Options) of
        undefined -> gen_udp_inet;
        inet -> gen_udp_inet;
        socket -> gen_udp_socket
    end.
