%% @doc AtomVM's `gen_tcp': a front over two back ends, chosen by the `inet_backend'
%% option as AtomVM does (absent or `inet': `gen_tcp_inet', the socket port driver;
%% `socket': `gen_tcp_socket', the socket NIFs). A socket is
%% `{'$avm_gen_tcp', Impl, Module}', so every later call reaches the right back end.
-module(gen_tcp).

-export([
    connect/3, send/2, recv/2, recv/3, close/1, listen/2, accept/1, accept/2, controlling_process/2
]).

-include("inet-priv.hrl").

connect(Address, Port, Options) ->
    Module = backend(Options),
    wrap(Module, Module:connect(Address, Port, Options)).

listen(Port, Options) ->
    Module = backend(Options),
    wrap(Module, Module:listen(Port, Options)).

accept(Socket) ->
    accept(Socket, infinity).

accept({?GEN_TCP_MONIKER, Impl, Module}, Timeout) ->
    wrap(Module, Module:accept(Impl, Timeout)).

send({?GEN_TCP_MONIKER, Impl, Module}, Packet) ->
    Module:send(Impl, Packet).

recv({?GEN_TCP_MONIKER, Impl, Module}, Length) ->
    Module:recv(Impl, Length).

recv({?GEN_TCP_MONIKER, Impl, Module}, Length, Timeout) ->
    Module:recv(Impl, Length, Timeout).

close({?GEN_TCP_MONIKER, Impl, Module}) ->
    Module:close(Impl).

controlling_process({?GEN_TCP_MONIKER, Impl, Module}, Pid) ->
    Module:controlling_process(Impl, Pid).

wrap(Module, {ok, Impl}) -> {ok, {?GEN_TCP_MONIKER, Impl, Module}};
wrap(_Module, Other) -> Other.

backend(Options) ->
    case proplists:get_value(inet_backend, Options) of
        undefined -> gen_tcp_inet;
        inet -> gen_tcp_inet;
        socket -> gen_tcp_socket
    end.
