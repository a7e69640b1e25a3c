%% @doc The distribution's kernel (AtomVM's estdlib `net_kernel'): it makes the VM a
%% node and keeps the table of connections to other nodes.
%%
%% start(Name, Options) with Options among `name_domain' (`longnames', the default, or
%% `shortnames'), `proto_dist' (the carrier module, default socket_dist) and
%% `avm_dist_opts' (a map the carrier reads, e.g. listen_port_min/max). A name without
%% a host part takes the board's host name. The carrier listens and registers with
%% epmd, which gives the creation; then erlang:setnode/2 makes the VM that node. When a
%% process first sends to another node the VM asks, with `{connect, Node, DHandle}',
%% and net_kernel has the carrier set the connection up; connections the carrier
%% accepts are handed over as `{accept, ...}'. The cookie is 16 random bytes until
%% set_cookie/1,2 (per node) sets it. Every 15 s each live connection is told to tick.
-module(net_kernel).

-behaviour(gen_server).

-export([start/2, stop/0, get_state/0, epmd_module/0, get_net_ticktime/0]).
-export([start_link/1]).
-export([mark_pending/4, mark_nodeup/4, get_cookie/0, get_cookie/1, set_cookie/1, set_cookie/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(SETUP_TIME, 7000).
-define(TICK_INTENSITY, 4).
-define(NET_TICK_TIME, 60).

-record(state, {
    node :: node(),
    longnames :: boolean(),
    proto_dist :: module(),
    listen :: term(),
    acceptor :: pid(),
    ticker :: pid(),
    %% Node => {pending, ConnPid, DHandle | undefined} | {alive, ConnPid, Address}:
    %% ConnPid runs the handshake, then the tick loop
    connections = #{} :: map(),
    cookie :: binary(),
    cookies = #{} :: map()
}).

%%-----------------------------------------------------------------------------
%% API

-spec start(atom(), map()) -> {ok, pid()} | {error, term()}.
start(Name, Options) when is_atom(Name), is_map(Options) ->
    ok = maps:foreach(fun(Key, Value) -> check_option(Key, Value, Name, Options) end, Options),
    net_kernel_sup:start(node_name(Options#{name => Name}));
start(Name, Options) when is_map(Options) ->
    error(invalid_name, [Name, Options]);
start(Name, Options) ->
    error(invalid_options, [Name, Options]).

check_option(name_domain, longnames, _, _) -> ok;
check_option(name_domain, shortnames, _, _) -> ok;
check_option(proto_dist, Module, _, _) when is_atom(Module) -> ok;
check_option(avm_dist_opts, Opts, _, _) when is_map(Opts) -> ok;
check_option(Key, Value, Name, Options) -> error({invalid_option, Key, Value}, [Name, Options]).

-spec stop() -> ok | {error, term()}.
stop() ->
    net_kernel_sup:stop().

-spec get_state() -> map().
get_state() ->
    try
        gen_server:call(?MODULE, get_state, infinity)
    catch
        exit:{Reason, _} when Reason =:= noproc; Reason =:= shutdown; Reason =:= killed ->
            #{started => no}
    end.

-spec epmd_module() -> module().
epmd_module() ->
    erl_epmd.

-spec get_net_ticktime() -> pos_integer().
get_net_ticktime() ->
    ?NET_TICK_TIME.

-spec get_cookie() -> binary().
get_cookie() ->
    gen_server:call(?MODULE, get_cookie, infinity).

-spec get_cookie(node()) -> binary().
get_cookie(Node) ->
    gen_server:call(?MODULE, {get_cookie, Node}, infinity).

-spec set_cookie(binary()) -> ok.
set_cookie(Cookie) ->
    gen_server:call(?MODULE, {set_cookie, Cookie}, infinity).

-spec set_cookie(node(), binary()) -> ok.
set_cookie(Node, Cookie) ->
    gen_server:call(?MODULE, {set_cookie, Node, Cookie}, infinity).

%% For dist_util: may this connection to OtherNode go on? `ok', `{ok_simultaneous,
%% OtherConnPid}' (ours wins over the one being set up the other way), `nok' (theirs
%% wins) or `alive' (a connection is up already).
-spec mark_pending(pid(), node(), node(), pid()) -> ok | {ok_simultaneous, pid()} | nok | alive.
mark_pending(Kernel, ThisNode, OtherNode, ConnPid) ->
    gen_server:call(Kernel, {mark_pending, ThisNode, OtherNode, ConnPid}).

-spec mark_nodeup(pid(), node(), term(), pid()) -> {ok, pos_integer()} | {error, term()}.
mark_nodeup(Kernel, OtherNode, Address, ConnPid) ->
    gen_server:call(Kernel, {mark_nodeup, OtherNode, Address, ConnPid}).

%% Started by net_kernel_sup.
start_link(Options) ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, Options, []).

%%-----------------------------------------------------------------------------
%% Node names: Name@Host, where Host has dots with longnames and none with shortnames

node_name(#{name := Name} = Options) ->
    LongNames = maps:get(name_domain, Options, longnames) =:= longnames,
    case binary:split(atom_to_binary(Name, utf8), <<"@">>, [global]) of
        [Alive, Host] ->
            check_host(LongNames, has_dot(Host), Name, Options),
            Options#{name => Alive, node => Name};
        [Alive] ->
            {ok, HostName} = net:gethostname(),
            Host = host_part(LongNames, HostName, Name, Options),
            Options#{name => Alive, node => binary_to_atom(<<Alive/binary, $@, Host/binary>>, utf8)};
        _ ->
            error(invalid_name, [Name, Options])
    end.

check_host(LongNames, LongNames, _Name, _Options) -> ok;
check_host(_, _, Name, Options) -> error(invalid_name, [Name, Options]).

%% Short names take the host name up to its first dot; long names need a dotted one.
host_part(false, HostName, _Name, _Options) ->
    [First | _] = binary:split(list_to_binary(HostName), <<".">>),
    First;
host_part(true, HostName, Name, Options) ->
    Host = list_to_binary(HostName),
    check_host(true, has_dot(Host), Name, Options),
    Host.

has_dot(Host) ->
    binary:match(Host, <<".">>) =/= nomatch.

%%-----------------------------------------------------------------------------
%% gen_server

init(Options) ->
    process_flag(trap_exit, true),
    ProtoDist = maps:get(proto_dist, Options, socket_dist),
    Node = maps:get(node, Options),
    case ProtoDist:listen(maps:get(name, Options), maps:get(avm_dist_opts, Options, #{})) of
        {ok, {Listen, _Address, Creation}} ->
            true = erlang:setnode(Node, Creation),
            {ok, #state{
                node = Node,
                longnames = maps:get(name_domain, Options, longnames) =:= longnames,
                proto_dist = ProtoDist,
                listen = Listen,
                acceptor = ProtoDist:accept(Listen),
                ticker = start_ticker(),
                cookie = crypto:strong_rand_bytes(16)
            }};
        {error, Reason} ->
            {stop, Reason}
    end.

handle_call(get_state, _From, State) ->
    Domain =
        case State#state.longnames of
            true -> longnames;
            false -> shortnames
        end,
    Reply = #{started => dynamic, name_type => static, name => node(), name_domain => Domain},
    {reply, Reply, State};
handle_call({mark_pending, ThisNode, OtherNode, ConnPid}, _From, State) ->
    Connections = State#state.connections,
    {Reply, NewConnections} =
        case maps:find(OtherNode, Connections) of
            error ->
                {ok, Connections#{OtherNode => {pending, ConnPid, undefined}}};
            {ok, {pending, OtherConnPid, DHandle}} when OtherNode > ThisNode ->
                {{ok_simultaneous, OtherConnPid}, Connections#{
                    OtherNode => {pending, ConnPid, DHandle}
                }};
            {ok, {pending, _OtherConnPid, _DHandle}} ->
                {nok, Connections};
            {ok, {alive, _ConnPid, _Address}} ->
                {alive, Connections}
        end,
    {reply, Reply, State#state{connections = NewConnections}};
handle_call({mark_nodeup, OtherNode, Address, ConnPid}, _From, State) ->
    Connections = (State#state.connections)#{OtherNode => {alive, ConnPid, Address}},
    {reply, {ok, ?TICK_INTENSITY}, State#state{connections = Connections}};
handle_call(get_cookie, _From, State) ->
    {reply, State#state.cookie, State};
handle_call({get_cookie, Node}, _From, State) ->
    {reply, maps:get(Node, State#state.cookies, State#state.cookie), State};
handle_call({set_cookie, Cookie}, _From, State) ->
    {reply, ok, State#state{cookie = Cookie}};
handle_call({set_cookie, Node, Cookie}, _From, #state{node = Node} = State) ->
    {reply, ok, State#state{cookie = Cookie}};
handle_call({set_cookie, Node, Cookie}, _From, State) ->
    {reply, ok, State#state{cookies = (State#state.cookies)#{Node => Cookie}}};
handle_call({is_auth, _Node}, _From, State) ->
    {reply, yes, State}.

handle_cast(_Message, State) ->
    {noreply, State}.

%% The carrier accepted a connection: start its handshake.
handle_info({accept, AcceptPid, Controller, _Family, _Protocol}, State) ->
    #state{proto_dist = ProtoDist, node = Node} = State,
    HandshakePid = ProtoDist:accept_connection(AcceptPid, Controller, Node, [], ?SETUP_TIME),
    AcceptPid ! {self(), controller, HandshakePid},
    {noreply, State};
%% A process talks to a node not connected yet. The entry keeps DHandle referenced
%% until the connection is up or has failed, and names the process setting it up, so
%% that when the other node connects at the same time mark_pending keeps one of the two
%% connections (AtomVM leaves it undefined: both go on and the second setnode/3 fails).
handle_info({connect, OtherNode, DHandle}, State) ->
    Connections = State#state.connections,
    NewConnections =
        case maps:find(OtherNode, Connections) of
            error ->
                #state{proto_dist = ProtoDist, node = Node, longnames = LongNames} = State,
                SetupPid = ProtoDist:setup(OtherNode, normal, Node, LongNames, ?SETUP_TIME),
                Connections#{OtherNode => {pending, SetupPid, DHandle}};
            {ok, {pending, ConnPid, _}} ->
                Connections#{OtherNode => {pending, ConnPid, DHandle}};
            {ok, {alive, _, _}} ->
                Connections
        end,
    {noreply, State#state{connections = NewConnections}};
handle_info(tick, State) ->
    maps:foreach(
        fun
            (_Node, {alive, ConnPid, _Address}) -> ConnPid ! {self(), tick};
            (_Node, _Pending) -> ok
        end,
        State#state.connections
    ),
    {noreply, State};
handle_info({'EXIT', Ticker, _Reason}, #state{ticker = Ticker} = State) ->
    {noreply, State#state{ticker = start_ticker()}};
handle_info({'EXIT', Acceptor, _Reason}, #state{acceptor = Acceptor} = State) ->
    #state{proto_dist = ProtoDist, listen = Listen} = State,
    {noreply, State#state{acceptor = ProtoDist:accept(Listen)}};
%% A connection process ended: that node is no longer connected nor pending.
handle_info({'EXIT', Pid, _Reason}, State) ->
    Connections = maps:filter(
        fun
            (_Node, {_Status, ConnPid, _}) -> ConnPid =/= Pid
        end,
        State#state.connections
    ),
    {noreply, State#state{connections = Connections}}.

terminate(_Reason, #state{proto_dist = ProtoDist, listen = Listen}) ->
    ProtoDist:close(Listen),
    ok.

%%-----------------------------------------------------------------------------
%% Ticks: net_ticktime / intensity (15 s)

start_ticker() ->
    Kernel = self(),
    Interval = ?NET_TICK_TIME * 1000 div ?TICK_INTENSITY,
    spawn_link(fun() -> ticker(Kernel, Interval) end).

ticker(Kernel, Interval) ->
    receive
    after Interval -> Kernel ! tick
    end,
    ticker(Kernel, Interval).
