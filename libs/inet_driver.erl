%% inet_driver -- what gen_tcp_inet and gen_udp_inet share about the "socket" port.
%%
%% call/2 is a port call (port.erl) read the way AtomVM's inet modules read it:
%% a port that has gone (closed by the app, or by itself when the peer closed)
%% is {error, closed}, a driver out of memory is {error, enomem}.
%% send/2, close/1, controlling_process/2, port/1 and sockname/1 are the requests the
%% two back ends make alike.
%% with_defaults/2 puts the defaults the caller did not set before the caller's
%% options, which the driver looks up first match first (a bare atom such as
%% binary standing for {binary, true}).
-module(inet_driver).

-export([call/2, send/2, close/1, controlling_process/2, port/1, sockname/1, with_defaults/2]).

-spec call(port(), tuple()) -> term().
call(Socket, Request) ->
    case port:call(Socket, Request) of
        {error, noproc} -> {error, closed};
        out_of_memory -> {error, enomem};
        Result -> Result
    end.

%% A send request ({send, ...} or {sendto, ...}): ok once the driver took the data.
-spec send(port(), tuple()) -> ok | {error, term()}.
send(Socket, Request) ->
    case call(Socket, Request) of
        {ok, _Sent} -> ok;
        Other -> Other
    end.

-spec close(port()) -> ok.
close(Socket) ->
    _ = call(Socket, {close}),
    ok.

-spec controlling_process(port(), pid()) -> ok | {error, term()}.
controlling_process(Socket, Pid) ->
    call(Socket, {controlling_process, Pid}).

-spec port(port()) -> {ok, 0..65535} | {error, term()}.
port(Socket) -> call(Socket, {get_port}).

-spec sockname(port()) -> {ok, {tuple(), 0..65535}} | {error, term()}.
sockname(Socket) -> call(Socket, {sockname}).

-spec with_defaults(Defaults :: [{atom(), term()}], Options :: list()) -> list().
with_defaults(Defaults, Options) ->
    [Default || {Key, _} = Default <- Defaults, proplists:get_value(Key, Options) =:= undefined]
        ++ Options.
