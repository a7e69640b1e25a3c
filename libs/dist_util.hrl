%% Records and macros shared by the distribution modules (dist_util, socket_dist,
%% socket_dist_controller, net_kernel). They carry the names OTP's kernel headers give
%% them (`#hs_data{}', `#net_address{}', `?shutdown'), so that a carrier written for
%% AtomVM's dist_util reads the same here; only the fields AtomVM's handshake uses exist.

%% Where a node is reached: kept by net_kernel for each connection.
-record(net_address, {
    address :: term(),
    host :: term(),
    protocol :: atom(),
    family :: atom()
}).

%% Everything the handshake needs to know about one connection being set up: the
%% kernel and the two nodes, and the carrier's functions (`f_*', `mf_*') that move
%% handshake packets and, once the node is up, ticks.
-record(hs_data, {
    kernel_pid :: pid(),
    other_node :: node() | undefined,
    this_node :: node(),
    socket :: term(),
    timer :: pid(),
    this_flags = 0 :: non_neg_integer(),
    allowed = [] :: [node()],
    other_version :: non_neg_integer() | undefined,
    other_started = false :: boolean(),
    request_type = normal :: atom(),
    f_send :: fun((term(), iodata()) -> ok | {error, term()}),
    f_recv :: fun((term(), non_neg_integer(), timeout()) -> {ok, binary()} | {error, term()}),
    f_setopts_pre_nodeup :: fun((term()) -> ok | {error, term()}),
    f_setopts_post_nodeup :: fun((term()) -> ok | {error, term()}),
    f_getll :: fun((term()) -> {ok, pid()} | {error, term()}),
    f_address :: fun((term(), node()) -> #net_address{} | {error, term()}),
    f_handshake_complete :: undefined | fun((term(), node(), term()) -> ok),
    mf_tick :: fun((term()) -> term()),
    mf_getstat :: fun((term()) -> {ok, integer(), integer(), integer()} | {error, term()})
}).

%% Give up on a connection: say why on the console, as AtomVM does, and exit.
-define(shutdown(Data), dist_util:shutdown(?MODULE, ?LINE, Data)).
-define(shutdown2(Data, Reason), dist_util:shutdown(?MODULE, ?LINE, Data, Reason)).
