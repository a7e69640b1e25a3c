%% ssl -- AtomVM's TLS client (estdlib ssl, NIFs of libAtomVM otp_ssl.c over
%% Mbed TLS): connect/3 over a `socket', send/2, recv/2, close/1.
%%
%% start/0 runs the `ssl' server that owns the random generator every
%% connection uses. connect(Host, Port, Options): Host is a hostname string
%% (resolved with net:getaddrinfo/1, and sent as SNI unless
%% {server_name_indication, disabled}) or an IPv4 tuple; Options must hold
%% {active, false} and may hold binary, {binary, true},
%% {server_name_indication, Name | disabled} and {verify, verify_none}
%% (without it the peer certificate is required, and AtomVM has no way to
%% give CA certificates). Returns {ok, SSLSocket} or {error, Reason}, where a
%% TLS failure is {error, MbedTLSCode} (a negative integer).
%%
%% The NIFs never block: whenever one answers want_read, this module waits
%% for the socket with socket:nif_select_read/2; want_write is retried.
-module(ssl).

-behaviour(gen_server).

-export([start/0, stop/0, connect/3, close/1, send/2, recv/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).
-export([
    nif_entropy_init/0,
    nif_ctr_drbg_init/0,
    nif_ctr_drbg_seed/3,
    nif_init/0,
    nif_set_bio/2,
    nif_config_init/0,
    nif_config_defaults/3,
    nif_set_hostname/2,
    nif_conf_authmode/2,
    nif_conf_rng/2,
    nif_setup/2,
    nif_handshake_step/1,
    nif_close_notify/1,
    nif_read/2,
    nif_write/2
]).

-export_type([sslsocket/0]).

-opaque sslsocket() :: {reference(), socket:socket()}.

%%-----------------------------------------------------------------------------
%% The server holding the entropy source and the CTR-DRBG
%%-----------------------------------------------------------------------------

-spec start() -> ok.
start() ->
    case gen_server:start({local, ?MODULE}, ?MODULE, [], []) of
        {ok, _Pid} -> ok;
        {error, {already_started, _Pid}} -> ok
    end.

-spec stop() -> ok.
stop() ->
    gen_server:call(?MODULE, stop).

init([]) ->
    Entropy = ?MODULE:nif_entropy_init(),
    CtrDrbg = ?MODULE:nif_ctr_drbg_init(),
    ok = ?MODULE:nif_ctr_drbg_seed(CtrDrbg, Entropy, <<"AtomVM">>),
    {ok, #{entropy => Entropy, ctr_drbg => CtrDrbg}}.

handle_call(get_ctr_drbg, _From, #{ctr_drbg := CtrDrbg} = State) ->
    {reply, CtrDrbg, State};
handle_call(get_entropy, _From, #{entropy := Entropy} = State) ->
    {reply, Entropy, State};
handle_call(stop, _From, State) ->
    {stop, normal, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(_Msg, State) ->
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

%%-----------------------------------------------------------------------------
%% Client connections
%%-----------------------------------------------------------------------------

-spec connect(Host :: string() | inet:ip4_address(), Port :: inet:port_number(),
              Options :: list()) -> {ok, sslsocket()} | {error, term()}.
connect(Host, Port, Options) when is_list(Host), is_integer(Port), is_list(Options) ->
    case resolve(Host) of
        {ok, Addr} ->
            WithSNI = case lists:keymember(server_name_indication, 1, Options) of
                true -> Options;
                false -> [{server_name_indication, Host} | Options]
            end,
            connect(Addr, Port, WithSNI);
        error ->
            {error, nxdomain}
    end;
connect(Addr, Port, Options) when is_tuple(Addr), is_integer(Port), is_list(Options) ->
    {ok, Socket} = socket:open(inet, stream, tcp),
    case socket:connect(Socket, #{family => inet, addr => Addr, port => Port}) of
        ok ->
            handshake(Socket, Options);
        {error, _} = Error ->
            socket:close(Socket),
            Error
    end.

resolve(Host) ->
    case net:getaddrinfo(Host) of
        {ok, Results} ->
            case [A || #{family := inet, type := stream, protocol := tcp,
                         addr := #{addr := A}} <- Results] of
                [Addr | _] -> {ok, Addr};
                [] -> error
            end;
        {error, _} ->
            error
    end.

handshake(Socket, Options) ->
    Context = ?MODULE:nif_init(),
    ok = ?MODULE:nif_set_bio(Context, Socket),
    Config = ?MODULE:nif_config_init(),
    ok = ?MODULE:nif_config_defaults(Config, client, stream),
    {active, false} = proplists:lookup(active, Options),
    lists:foreach(fun(Option) -> ok = option(Context, Config, Option) end, Options),
    ok = ?MODULE:nif_conf_rng(Config, gen_server:call(?MODULE, get_ctr_drbg)),
    ok = ?MODULE:nif_setup(Context, Config),
    case drive(Socket, fun() -> handshake_step(Context) end) of
        ok ->
            {ok, {Context, Socket}};
        {error, _} = Error ->
            socket:close(Socket),
            Error
    end.

handshake_step(Context) ->
    case ?MODULE:nif_handshake_step(Context) of
        done -> {done, ok};
        ok -> again;
        Other -> Other
    end.

option(_Context, _Config, {server_name_indication, disabled}) -> ok;
option(Context, _Config, {server_name_indication, Name}) ->
    ?MODULE:nif_set_hostname(Context, Name);
option(_Context, Config, {verify, verify_none}) ->
    ?MODULE:nif_conf_authmode(Config, none);
option(_Context, _Config, binary) -> ok;
option(_Context, _Config, {binary, true}) -> ok;
option(_Context, _Config, {active, false}) -> ok.

%% Runs Step until it is over: {done, Result}, again (call it now), want_read
%% (call it when the socket is readable), want_write (call it again) or an
%% error tuple, which is the result.
drive(Socket, Step) ->
    case Step() of
        {done, Result} ->
            Result;
        again ->
            drive(Socket, Step);
        want_write ->
            drive(Socket, Step);
        want_read ->
            case wait_readable(Socket) of
                ok -> drive(Socket, Step);
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

wait_readable(Socket) ->
    Ref = erlang:make_ref(),
    case socket:nif_select_read(Socket, Ref) of
        ok ->
            receive
                {'$socket', Socket, select, Ref} -> ok;
                {'$socket', Socket, abort, {Ref, closed}} -> {error, closed}
            end;
        {error, _} = Error ->
            Error
    end.

-spec close(sslsocket()) -> ok.
close({Context, Socket}) ->
    _ = drive(Socket, fun() ->
        case ?MODULE:nif_close_notify(Context) of
            ok -> {done, ok};
            Other -> Other
        end
    end),
    socket:close(Socket).

-spec send(sslsocket(), iodata()) -> ok | {error, term()}.
send({Context, Socket} = SSLSocket, Data) ->
    Binary = iolist_to_binary(Data),
    case drive(Socket, fun() -> write_step(Context, Binary) end) of
        {more, Rest} -> send(SSLSocket, Rest);
        Result -> Result
    end.

write_step(Context, Binary) ->
    case ?MODULE:nif_write(Context, Binary) of
        ok -> {done, ok};
        {ok, Rest} -> {done, {more, Rest}};
        Other -> Other
    end.

%% recv(SSLSocket, 0) returns what one record holds; recv(SSLSocket, N)
%% returns exactly N bytes.
-spec recv(sslsocket(), non_neg_integer()) -> {ok, binary()} | {error, term()}.
recv({Context, Socket}, Length) ->
    recv(Context, Socket, Length, Length, []).

recv(_Context, _Socket, Length, 0, Acc) when Length > 0 ->
    {ok, list_to_binary(lists:reverse(Acc))};
recv(_Context, _Socket, 0, Remaining, Acc) when Remaining < 0 ->
    {ok, list_to_binary(lists:reverse(Acc))};
recv(Context, Socket, Length, Remaining, Acc) ->
    Read = fun() ->
        case ?MODULE:nif_read(Context, Remaining) of
            {ok, Data} -> {done, {ok, Data}};
            Other -> Other
        end
    end,
    case drive(Socket, Read) of
        {ok, Data} -> recv(Context, Socket, Length, Remaining - byte_size(Data), [Data | Acc]);
        {error, _} = Error -> Error
    end.

%%-----------------------------------------------------------------------------
%% NIFs (otp_ssl.c)
%%-----------------------------------------------------------------------------

nif_entropy_init() -> erlang:nif_error(undefined).
nif_ctr_drbg_init() -> erlang:nif_error(undefined).
nif_ctr_drbg_seed(_CtrDrbg, _Entropy, _Custom) -> erlang:nif_error(undefined).
nif_init() -> erlang:nif_error(undefined).
nif_set_bio(_Context, _Socket) -> erlang:nif_error(undefined).
nif_config_init() -> erlang:nif_error(undefined).
nif_config_defaults(_Config, _Endpoint, _Transport) -> erlang:nif_error(undefined).
nif_set_hostname(_Context, _Hostname) -> erlang:nif_error(undefined).
nif_conf_authmode(_Config, _AuthMode) -> erlang:nif_error(undefined).
nif_conf_rng(_Config, _CtrDrbg) -> erlang:nif_error(undefined).
nif_setup(_Context, _Config) -> erlang:nif_error(undefined).
nif_handshake_step(_Context) -> erlang:nif_error(undefined).
nif_close_notify(_Context) -> erlang:nif_error(undefined).
nif_read(_Context, _Length) -> erlang:nif_error(undefined).
nif_write(_Context, _Binary) -> erlang:nif_error(undefined).
