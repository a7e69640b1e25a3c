%% @doc Distribution over TCP with the `socket' module (AtomVM's estdlib `socket_dist',
%% net_kernel's default `proto_dist').
%%
%% listen/2 opens the node's listening socket on every address and registers its port
%% with epmd on the board itself (erl_epmd); the port is 0 (any) unless `avm_dist_opts'
%% gives `listen_port_min' and `listen_port_max', then the first free port of that range.
%% accept/1 runs an acceptor that hands each connection to net_kernel; setup/5 looks the
%% other node's port up with epmd on its host and connects. The handshake itself is
%% dist_util's, over socket_dist_controller.
-module(socket_dist).

-export([
    listen/1,
    listen/2,
    accept/1,
    accept_connection/5,
    setup/5,
    close/1,
    select/1,
    address/0
]).

-include("dist_util.hrl").

-spec listen(string() | binary()) ->
    {ok, {term(), #net_address{}, non_neg_integer()}} | {error, term()}.
listen(Name) ->
    listen(Name, #{}).

-spec listen(string() | binary(), map()) ->
    {ok, {term(), #net_address{}, non_neg_integer()}} | {error, term()}.
listen(Name, Opts) ->
    Min = maps:get(listen_port_min, Opts, 0),
    Max = maps:get(listen_port_max, Opts, 0),
    ok = check_port_range(Min, Max),
    listen_in_range(Name, Min, Max).

check_port_range(0, 0) -> ok;
check_port_range(Min, Max) when is_integer(Min), is_integer(Max), Min =< Max -> ok;
check_port_range(Min, Max) -> error({invalid_port_range, Min, Max}).

listen_in_range(Name, Port, Max) ->
    case listen_on(Name, Port) of
        {error, _} when Port < Max -> listen_in_range(Name, Port + 1, Max);
        Result -> Result
    end.

listen_on(Name, Port) ->
    {ok, Socket} = socket:open(inet, stream, tcp),
    case open_listener(Socket, Port) of
        {ok, Bound} ->
            case (net_kernel:epmd_module()):register_node(Name, Bound) of
                {ok, Creation} ->
                    {ok, {Socket, address(), Creation}};
                Error ->
                    socket:close(Socket),
                    Error
            end;
        {error, _} = Error ->
            socket:close(Socket),
            Error
    end.

%% Bind on every address, listen, and say which port that is.
open_listener(Socket, Port) ->
    case socket:bind(Socket, #{family => inet, port => Port, addr => {0, 0, 0, 0}}) of
        ok ->
            case socket:listen(Socket) of
                ok ->
                    case socket:sockname(Socket) of
                        {ok, #{port := Bound}} -> {ok, Bound};
                        {error, _} = Error -> Error
                    end;
                {error, _} = Error ->
                    Error
            end;
        {error, _} = Error ->
            Error
    end.

-spec address() -> #net_address{}.
address() ->
    #net_address{host = {0, 0, 0, 0}, protocol = tcp, family = inet}.

-spec close(term()) -> ok | {error, term()}.
close(Listen) ->
    socket:close(Listen).

select(_Node) ->
    true.

%%-----------------------------------------------------------------------------
%% Accepting: an acceptor linked to net_kernel (the caller)

-spec accept(term()) -> pid().
accept(Listen) ->
    Kernel = self(),
    spawn_link(fun() -> accept_loop(Kernel, Listen) end).

%% Each connection gets a controller; net_kernel starts the handshake process and tells
%% the acceptor which it is, so that the controller can be tied to it.
accept_loop(Kernel, Listen) ->
    case socket:accept(Listen) of
        {ok, Socket} ->
            {ok, Controller} = socket_dist_controller:start(Socket),
            Kernel ! {accept, self(), Controller, inet, tcp},
            receive
                {Kernel, controller, HandshakePid} ->
                    true = socket_dist_controller:supervisor(Controller, HandshakePid);
                {Kernel, unsupported_protocol} ->
                    exit(unsupported_protocol)
            end,
            accept_loop(Kernel, Listen);
        {error, _} = Error ->
            exit(Error)
    end.

%% Called by net_kernel: the process that runs the handshake for an accepted connection.
-spec accept_connection(pid(), pid(), node(), [node()], pos_integer()) -> pid().
accept_connection(_AcceptPid, Controller, MyNode, Allowed, SetupTime) ->
    Kernel = self(),
    spawn_opt(
        fun() ->
            Timer = dist_util:start_timer(SetupTime),
            HSData = hs_data(Kernel, MyNode, Controller, Timer),
            dist_util:handshake_other_started(HSData#hs_data{allowed = Allowed})
        end,
        dist_util:net_ticker_spawn_options()
    ).

%%-----------------------------------------------------------------------------
%% Connecting

%% Called by net_kernel when a process first talks to Node: the process that connects.
-spec setup(node(), atom(), node(), boolean(), pos_integer()) -> pid().
setup(Node, Type, MyNode, _LongNames, SetupTime) ->
    Kernel = self(),
    spawn_opt(
        fun() -> connect(Kernel, Node, Type, MyNode, SetupTime) end,
        dist_util:net_ticker_spawn_options()
    ).

connect(Kernel, Node, Type, MyNode, SetupTime) ->
    {Name, Host} = split_node(Node),
    Timer = dist_util:start_timer(SetupTime),
    Ip = expect(Node, inet:getaddr(Host, inet)),
    dist_util:reset_timer(Timer),
    {Port, Version} = expect(Node, (net_kernel:epmd_module()):port_please(Name, Ip)),
    dist_util:reset_timer(Timer),
    {ok, Socket} = socket:open(inet, stream, tcp),
    case socket:connect(Socket, #{family => inet, addr => Ip, port => Port}) of
        ok ->
            ok;
        Refused ->
            socket:close(Socket),
            ?shutdown2(Node, {unexpected, Refused})
    end,
    {ok, Controller} = socket_dist_controller:start(Socket),
    true = socket_dist_controller:supervisor(Controller, self()),
    HSData = hs_data(Kernel, MyNode, Controller, Timer),
    dist_util:handshake_we_started(HSData#hs_data{
        other_node = Node, other_version = Version, request_type = Type
    }).

split_node(Node) ->
    case string:split(atom_to_list(Node), "@") of
        [Name, Host] -> {Name, Host};
        Other -> ?shutdown2(Node, {unexpected, Other})
    end.

%% What a step of the connection gave, or the end of the attempt.
expect(_Node, {ok, Value}) -> Value;
expect(_Node, {port, Port, Version}) -> {Port, Version};
expect(Node, Other) -> ?shutdown2(Node, {unexpected, Other}).

hs_data(Kernel, MyNode, Controller, Timer) ->
    #hs_data{
        kernel_pid = Kernel,
        this_node = MyNode,
        socket = Controller,
        timer = Timer,
        f_send = fun socket_dist_controller:send/2,
        f_recv = fun socket_dist_controller:recv/3,
        f_setopts_pre_nodeup = fun socket_dist_controller:setopts_pre_nodeup/1,
        f_setopts_post_nodeup = fun socket_dist_controller:setopts_post_nodeup/1,
        f_getll = fun socket_dist_controller:getll/1,
        f_address = fun socket_dist_controller:address/2,
        f_handshake_complete = fun socket_dist_controller:handshake_complete/3,
        mf_tick = fun socket_dist_controller:tick/1,
        mf_getstat = fun socket_dist_controller:getstat/1
    }.
