%% @doc AtomVM's `socket' module: the NIFs of otp_socket.c, and the calls that wait for
%% data or a connection, written in Erlang over `nif_select_read/2': the NIF sends
%% `{'$socket', Socket, select, Ref}' once the socket is readable, or
%% `{'$socket', Socket, abort, {Ref, closed}}' when another process closes it.
%%
%% A socket is AtomVM's `{Resource, Ref}' (OTP's is a `{'$socket', Ref}' record).
%% On boards without a network the NIFs do not exist and these stubs fail with
%% `error:undefined', as on AtomVM's STM32 and Pico builds.
-module(socket).

-export([
    open/3,
    close/1,
    bind/2,
    listen/1,
    listen/2,
    accept/1,
    accept/2,
    sockname/1,
    peername/1,
    recv/1,
    recv/2,
    recv/3,
    recvfrom/1,
    recvfrom/2,
    recvfrom/3,
    send/2,
    sendto/3,
    setopt/3,
    getopt/2,
    connect/2,
    shutdown/2
]).

%% internal NIFs, called by gen_tcp_socket and gen_udp_socket too
-export([
    nif_select_read/2,
    nif_accept/1,
    nif_recv/2,
    nif_recvfrom/2,
    nif_select_stop/1,
    nif_send/2,
    nif_sendto/3
]).

-define(DEFAULT_BACKLOG, 4).

open(_Domain, _Type, _Protocol) -> erlang:nif_error(undefined).
close(_Socket) -> erlang:nif_error(undefined).
bind(_Socket, _Address) -> erlang:nif_error(undefined).
listen(_Socket, _Backlog) -> erlang:nif_error(undefined).
sockname(_Socket) -> erlang:nif_error(undefined).
peername(_Socket) -> erlang:nif_error(undefined).
getopt(_Socket, _Option) -> erlang:nif_error(undefined).
setopt(_Socket, _Option, _Value) -> erlang:nif_error(undefined).
connect(_Socket, _Address) -> erlang:nif_error(undefined).
shutdown(_Socket, _How) -> erlang:nif_error(undefined).
nif_select_read(_Socket, _Ref) -> erlang:nif_error(undefined).
nif_accept(_Socket) -> erlang:nif_error(undefined).
nif_recv(_Socket, _Length) -> erlang:nif_error(undefined).
nif_recvfrom(_Socket, _Length) -> erlang:nif_error(undefined).
nif_select_stop(_Socket) -> erlang:nif_error(undefined).
nif_send(_Socket, _Data) -> erlang:nif_error(undefined).
nif_sendto(_Socket, _Data, _Dest) -> erlang:nif_error(undefined).

listen(Socket) ->
    ?MODULE:listen(Socket, ?DEFAULT_BACKLOG).

%%-----------------------------------------------------------------------------
%% accept

accept(Socket) ->
    accept(Socket, infinity).

%% Timeout 0 tries once; `nowait' or a reference answers `{select, ...}' when no
%% connection is pending, and the caller waits for the select message itself.
accept(Socket, 0) ->
    ?MODULE:nif_accept(Socket);
accept(Socket, nowait) ->
    accept_nowait(Socket, erlang:make_ref());
accept(Socket, Ref) when is_reference(Ref) ->
    accept_nowait(Socket, Ref);
accept(Socket, Timeout) ->
    when_readable(Socket, Timeout, fun() -> ?MODULE:nif_accept(Socket) end).

accept_nowait(Socket, Ref) ->
    case ?MODULE:nif_accept(Socket) of
        {error, eagain} -> select_info(Socket, Ref, {select_info, accept, Ref});
        Other -> Other
    end.

%%-----------------------------------------------------------------------------
%% recv

recv(Socket) ->
    recv(Socket, 0, infinity).

recv(Socket, Length) ->
    recv(Socket, Length, infinity).

recv(Socket, Length, 0) ->
    recv_once(Socket, Length);
recv(Socket, 0, Timeout) when is_integer(Timeout) orelse Timeout =:= infinity ->
    when_readable(Socket, Timeout, fun() -> ?MODULE:nif_recv(Socket, 0) end);
recv(Socket, Length, nowait) ->
    recv_nowait(Socket, Length, erlang:make_ref());
recv(Socket, Length, Ref) when is_reference(Ref) ->
    recv_nowait(Socket, Length, Ref);
recv(Socket, Length, Timeout) ->
    case ?MODULE:getopt(Socket, {socket, type}) of
        {ok, stream} ->
            Deadline =
                case Timeout of
                    infinity -> infinity;
                    _ -> erlang:system_time(millisecond) + Timeout
                end,
            recv_exactly(Socket, Length, Timeout, Deadline, []);
        _ ->
            when_readable(Socket, Timeout, fun() -> ?MODULE:nif_recv(Socket, Length) end)
    end.

%% One read without waiting: a stream socket that gives fewer bytes than asked for
%% answers `{error, {timeout, Data}}'.
recv_once(Socket, Length) ->
    case ?MODULE:nif_recv(Socket, Length) of
        {ok, Data} when Length =/= 0 andalso byte_size(Data) =/= Length ->
            short_read(Socket, Data);
        Reply ->
            Reply
    end.

short_read(Socket, Data) ->
    case ?MODULE:getopt(Socket, {socket, type}) of
        {ok, stream} -> {error, {timeout, Data}};
        {ok, dgram} -> {ok, Data}
    end.

recv_nowait(Socket, Length, Ref) ->
    case ?MODULE:nif_recv(Socket, Length) of
        {error, Reason} when Reason =:= timeout orelse Reason =:= eagain ->
            select_info(Socket, Ref, {select_info, recv, Ref});
        {ok, Data} when byte_size(Data) < Length ->
            case ?MODULE:getopt(Socket, {socket, type}) of
                {ok, stream} -> select_info(Socket, Ref, {{select_info, recv, Ref}, Data});
                {ok, dgram} -> {ok, Data}
            end;
        Other ->
            Other
    end.

%% A stream read of Length bytes: reads until they have all come, the deadline passes
%% (`{error, {timeout, Partial}}' once something came) or the socket fails.
recv_exactly(Socket, Length, Timeout, Deadline, Acc) ->
    Ref = erlang:make_ref(),
    case ?MODULE:nif_select_read(Socket, Ref) of
        ok ->
            receive
                {'$socket', Socket, select, Ref} ->
                    case ?MODULE:nif_recv(Socket, Length) of
                        {ok, Data} when byte_size(Data) =:= Length ->
                            {ok, list_to_binary(lists:reverse([Data | Acc]))};
                        {ok, Data} ->
                            recv_exactly(
                                Socket,
                                Length - byte_size(Data),
                                remaining(Timeout, Deadline),
                                Deadline,
                                [Data | Acc]
                            );
                        {error, _} = Error ->
                            ?MODULE:nif_select_stop(Socket),
                            Error
                    end;
                {'$socket', Socket, abort, {Ref, closed}} ->
                    {error, closed}
            after Timeout ->
                case Acc of
                    [] -> {error, timeout};
                    _ -> {error, {timeout, list_to_binary(lists:reverse(Acc))}}
                end
            end;
        {error, _} = Error ->
            Error
    end.

remaining(infinity, _Deadline) -> infinity;
remaining(_Timeout, Deadline) -> Deadline - erlang:system_time(millisecond).

%%-----------------------------------------------------------------------------
%% recvfrom

recvfrom(Socket) ->
    recvfrom(Socket, 0).

recvfrom(Socket, Length) ->
    recvfrom(Socket, Length, infinity).

recvfrom(Socket, Length, 0) ->
    ?MODULE:nif_recvfrom(Socket, Length);
recvfrom(Socket, Length, nowait) ->
    recvfrom_nowait(Socket, Length, erlang:make_ref());
recvfrom(Socket, Length, Ref) when is_reference(Ref) ->
    recvfrom_nowait(Socket, Length, Ref);
recvfrom(Socket, Length, Timeout) ->
    when_readable(Socket, Timeout, fun() -> ?MODULE:nif_recvfrom(Socket, Length) end).

recvfrom_nowait(Socket, Length, Ref) ->
    case ?MODULE:nif_recvfrom(Socket, Length) of
        {error, timeout} -> select_info(Socket, Ref, {select_info, recvfrom, Ref});
        Other -> Other
    end.

%%-----------------------------------------------------------------------------
%% send

send(Socket, Data) when is_binary(Data) ->
    ?MODULE:nif_send(Socket, Data);
send(Socket, Data) ->
    ?MODULE:nif_send(Socket, erlang:iolist_to_binary(Data)).

sendto(Socket, Data, Dest) when is_binary(Data) ->
    ?MODULE:nif_sendto(Socket, Data, Dest);
sendto(Socket, Data, Dest) ->
    ?MODULE:nif_sendto(Socket, erlang:iolist_to_binary(Data), Dest).

%%-----------------------------------------------------------------------------
%% waiting

%% Select, wait for the socket to become readable (or be closed by another process, or
%% the timeout), then run Read; a failed read stops the select.
when_readable(Socket, Timeout, Read) ->
    Ref = erlang:make_ref(),
    case ?MODULE:nif_select_read(Socket, Ref) of
        ok ->
            receive
                {'$socket', Socket, select, Ref} ->
                    case Read() of
                        {error, _} = Error ->
                            ?MODULE:nif_select_stop(Socket),
                            Error;
                        Reply ->
                            Reply
                    end;
                {'$socket', Socket, abort, {Ref, closed}} ->
                    {error, closed}
            after Timeout ->
                {error, timeout}
            end;
        {error, _} = Error ->
            Error
    end.

%% Arm the select for a `nowait' call and say so.
select_info(Socket, Ref, Info) ->
    case ?MODULE:nif_select_read(Socket, Ref) of
        ok -> {select, Info};
        {error, _} = Error -> Error
    end.
