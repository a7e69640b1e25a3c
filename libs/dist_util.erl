%% @doc The distribution handshake (OTP's "Distribution Protocol", version 6 only) and
%% the loop that keeps a connection ticking, as AtomVM's estdlib `dist_util' runs them.
%%
%% Both sides send the same capability flags and do not negotiate them: a peer missing
%% one of them is refused. The cookie check is OTP's: each side sends a 32-bit challenge
%% drawn from `crypto:strong_rand_bytes/1' (the VM's seeded generator, so the same in
%% every run) and expects MD5(Cookie ++ integer_to_list(Challenge)) back. Cookies come
%% from net_kernel. A failure prints AtomVM's `shutting down connection' line and the
%% connection process exits; the carrier (socket_dist) supplies how packets move.
-module(dist_util).

-export([
    net_ticker_spawn_options/0,
    start_timer/1,
    cancel_timer/1,
    reset_timer/1,
    handshake_other_started/1,
    handshake_we_started/1,
    shutdown/3,
    shutdown/4
]).

-include("dist_util.hrl").

%% Capability flags (erts/doc "Distribution Handshake", DFLAG_*).
-define(DFLAG_EXTENDED_REFERENCES, 16#4).
-define(DFLAG_DIST_MONITOR, 16#8).
-define(DFLAG_FUN_TAGS, 16#10).
-define(DFLAG_DIST_MONITOR_NAME, 16#20).
-define(DFLAG_NEW_FUN_TAGS, 16#80).
-define(DFLAG_EXTENDED_PIDS_PORTS, 16#100).
-define(DFLAG_EXPORT_PTR_TAG, 16#200).
-define(DFLAG_BIT_BINARIES, 16#400).
-define(DFLAG_NEW_FLOATS, 16#800).
-define(DFLAG_UNICODE_IO, 16#1000).
-define(DFLAG_SMALL_ATOM_TAGS, 16#4000).
-define(DFLAG_UTF8_ATOMS, 16#10000).
-define(DFLAG_MAP_TAG, 16#20000).
-define(DFLAG_BIG_CREATION, 16#40000).
-define(DFLAG_SEND_SENDER, 16#80000).
-define(DFLAG_BIG_SEQTRACE_LABELS, 16#100000).
-define(DFLAG_EXIT_PAYLOAD, 16#400000).
-define(DFLAG_HANDSHAKE_23, 16#1000000).
-define(DFLAG_UNLINK_ID, 16#2000000).
-define(DFLAG_MANDATORY_25_DIGEST, 16#4000000).
-define(DFLAG_SPAWN, 16#100000000).
-define(DFLAG_NAME_ME, 16#200000000).
-define(DFLAG_V4_NC, 16#400000000).
-define(DFLAG_ALIAS, 16#800000000).

%% What OTP 25 requires of every peer; a peer announces it as a whole with
%% DFLAG_MANDATORY_25_DIGEST.
-define(MANDATORY_25,
    (?DFLAG_EXTENDED_REFERENCES bor ?DFLAG_FUN_TAGS bor ?DFLAG_EXTENDED_PIDS_PORTS bor
        ?DFLAG_NEW_FUN_TAGS bor ?DFLAG_EXPORT_PTR_TAG bor ?DFLAG_BIT_BINARIES bor
        ?DFLAG_NEW_FLOATS bor ?DFLAG_UTF8_ATOMS bor ?DFLAG_MAP_TAG bor
        ?DFLAG_BIG_CREATION bor ?DFLAG_HANDSHAKE_23)
).

%% The flags this node sends, and requires the peer to send: OTP 25's mandatory set, the
%% ones OTP 26 made mandatory (V4_NC, UNLINK_ID), and those AtomVM's dist_nifs rely on.
-define(OUR_FLAGS,
    (?MANDATORY_25 bor ?DFLAG_V4_NC bor ?DFLAG_UNLINK_ID bor ?DFLAG_DIST_MONITOR bor
        ?DFLAG_DIST_MONITOR_NAME bor ?DFLAG_UNICODE_IO bor ?DFLAG_SMALL_ATOM_TAGS bor
        ?DFLAG_SEND_SENDER bor ?DFLAG_BIG_SEQTRACE_LABELS bor ?DFLAG_EXIT_PAYLOAD bor
        ?DFLAG_SPAWN bor ?DFLAG_ALIAS)
).

%% Asking the peer to name us is not supported.
-define(REFUSED_FLAGS, ?DFLAG_NAME_ME).

%% One live connection, between ticks.
-record(link_state, {
    hs :: #hs_data{},
    intensity :: pos_integer(),
    ticks_left :: non_neg_integer(),
    read = 0 :: non_neg_integer(),
    written = 0 :: non_neg_integer()
}).

%%-----------------------------------------------------------------------------
%% Timers: a linked process that ends the handshake unless reset in time

-spec net_ticker_spawn_options() -> [link].
net_ticker_spawn_options() ->
    [link].

-spec start_timer(pos_integer()) -> pid().
start_timer(Timeout) ->
    Owner = self(),
    spawn_link(fun() -> setup_timer(Owner, Timeout) end).

setup_timer(Owner, Timeout) ->
    receive
        {Owner, reset} -> setup_timer(Owner, Timeout)
    after Timeout ->
        ?shutdown(timer_timeout)
    end.

-spec reset_timer(pid()) -> ok.
reset_timer(Timer) ->
    Timer ! {self(), reset},
    ok.

-spec cancel_timer(pid()) -> ok.
cancel_timer(Timer) ->
    unlink(Timer),
    exit(Timer, cancel_timer),
    ok.

%%-----------------------------------------------------------------------------
%% The side that accepted the connection (B in the protocol's description)

-spec handshake_other_started(#hs_data{}) -> no_return().
handshake_other_started(HSData0) ->
    {OtherNode, OtherFlags, Creation} = recv_name(HSData0),
    HSData = HSData0#hs_data{
        other_node = OtherNode, other_started = true, this_flags = ?OUR_FLAGS
    },
    check_flags(OtherFlags, HSData),
    ok = answer_status(HSData),
    Cookie = net_kernel:get_cookie(OtherNode),
    MyChallenge = new_challenge(),
    send_packet(HSData, challenge_packet(MyChallenge, HSData), send_challenge_failed),
    reset_timer(HSData#hs_data.timer),
    {OtherChallenge, OtherDigest} = recv_challenge_reply(HSData),
    check_digest(Cookie, MyChallenge, OtherDigest, HSData),
    send_packet(HSData, [$a, digest(Cookie, OtherChallenge)], send_challenge_ack_failed),
    connection(HSData, Creation).

recv_name(HSData) ->
    case recv_packet(HSData) of
        <<$N, Flags:64, Creation:32, Len:16, Name:Len/binary, _/binary>> ->
            check_name(Name),
            {binary_to_atom(Name, latin1), Flags, Creation};
        Other ->
            ?shutdown({unexpected, Other})
    end.

%% net_kernel decides whether this connection may go on (another one may be under way).
answer_status(#hs_data{kernel_pid = Kernel, this_node = Me, other_node = Other} = HSData) ->
    case net_kernel:mark_pending(Kernel, Me, Other, self()) of
        ok ->
            send_status(<<"ok">>, HSData);
        {ok_simultaneous, OtherConnPid} ->
            send_status(<<"ok_simultaneous">>, HSData),
            exit(OtherConnPid, shutdown),
            ok;
        nok ->
            send_status(<<"nok">>, HSData),
            ?shutdown(Other);
        alive ->
            send_status(<<"alive">>, HSData),
            reset_timer(HSData#hs_data.timer),
            case recv_status(HSData) of
                <<"true">> -> ok;
                <<"false">> -> ?shutdown(Other);
                Unexpected -> ?shutdown({Other, {unexpected, Unexpected}})
            end
    end.

recv_challenge_reply(HSData) ->
    case recv_packet(HSData) of
        <<$r, Challenge:32, Digest:16/binary>> -> {Challenge, Digest};
        Other -> ?shutdown({HSData#hs_data.other_node, {unexpected, recv_challenge_reply, Other}})
    end.

%%-----------------------------------------------------------------------------
%% The side that connected (A)

-spec handshake_we_started(#hs_data{}) -> no_return().
handshake_we_started(HSData0) ->
    HSData = HSData0#hs_data{other_started = false, this_flags = ?OUR_FLAGS},
    send_packet(HSData, name_packet(HSData), send_name_failed),
    case recv_status(HSData) of
        <<"ok">> -> ok;
        <<"ok_simultaneous">> -> ok;
        <<"nok">> -> ?shutdown({HSData#hs_data.other_node, simultaneous});
        <<"alive">> -> send_status(<<"true">>, HSData);
        Other -> ?shutdown({HSData#hs_data.other_node, {unexpected, Other}})
    end,
    Cookie = net_kernel:get_cookie(HSData#hs_data.other_node),
    {OtherChallenge, OtherFlags, Creation} = recv_challenge(HSData),
    check_flags(OtherFlags, HSData),
    MyChallenge = new_challenge(),
    Reply = [$r, <<MyChallenge:32>>, digest(Cookie, OtherChallenge)],
    send_packet(HSData, Reply, send_challenge_reply_failed),
    check_digest(Cookie, MyChallenge, recv_challenge_ack(HSData), HSData),
    connection(HSData, Creation).

recv_challenge(#hs_data{other_node = OtherNode} = HSData) ->
    Expected = atom_to_binary(OtherNode, latin1),
    case recv_packet(HSData) of
        <<$N, Flags:64, Challenge:32, Creation:32, Len:16, Expected:Len/binary>> ->
            {Challenge, Flags, Creation};
        <<$N, _Flags:64, _Challenge:32, _Creation:32, Len:16, Name:Len/binary>> ->
            ?shutdown({OtherNode, {mismatch, recv_challenge, OtherNode, Name}});
        Other ->
            ?shutdown({OtherNode, {unexpected, recv_challenge, Other}})
    end.

recv_challenge_ack(HSData) ->
    case recv_packet(HSData) of
        <<$a, Digest/binary>> -> Digest;
        Other -> ?shutdown({HSData#hs_data.other_node, {unexpected, recv_challenge_ack, Other}})
    end.

%%-----------------------------------------------------------------------------
%% Packets of the handshake

name_packet(#hs_data{this_node = Me, this_flags = Flags}) ->
    Name = atom_to_binary(Me, latin1),
    [$N, <<Flags:64, (atomvm:get_creation()):32, (byte_size(Name)):16>>, Name].

challenge_packet(Challenge, #hs_data{this_node = Me, this_flags = Flags}) ->
    Name = atom_to_binary(Me, latin1),
    Creation = atomvm:get_creation(),
    [$N, <<Flags:64, Challenge:32, Creation:32, (byte_size(Name)):16>>, Name].

send_status(Status, HSData) ->
    send_packet(HSData, [$s, Status], send_status_failed).

recv_status(HSData) ->
    case recv_packet(HSData) of
        <<$s, Status/binary>> -> Status;
        Other -> ?shutdown({HSData#hs_data.other_node, {unexpected, recv_status, Other}})
    end.

send_packet(#hs_data{socket = Socket, f_send = Send} = HSData, Packet, What) ->
    case Send(Socket, Packet) of
        ok -> ok;
        {error, _} = Error -> ?shutdown2({HSData#hs_data.other_node, Socket}, {What, Error})
    end.

recv_packet(#hs_data{socket = Socket, f_recv = Recv} = HSData) ->
    case Recv(Socket, 0, infinity) of
        {ok, Packet} -> Packet;
        {error, Reason} -> ?shutdown2({HSData#hs_data.other_node, recv_error}, Reason)
    end.

new_challenge() ->
    <<Challenge:32>> = crypto:strong_rand_bytes(4),
    Challenge.

digest(Cookie, Challenge) ->
    crypto:hash(md5, [Cookie, integer_to_list(Challenge)]).

check_digest(Cookie, Challenge, Digest, HSData) ->
    case digest(Cookie, Challenge) =:= Digest of
        true -> ok;
        false -> ?shutdown({HSData#hs_data.other_node, invalid_challenge})
    end.

%% A node name is Name@Host, both parts non-empty.
check_name(Name) ->
    case binary:split(Name, <<"@">>, [global]) of
        [<<_, _/binary>>, <<_, _/binary>>] -> ok;
        _ -> ?shutdown({unsupported_name, Name})
    end.

check_flags(Flags0, HSData) ->
    Flags =
        case Flags0 band ?DFLAG_MANDATORY_25_DIGEST of
            0 -> Flags0;
            _ -> Flags0 bor ?MANDATORY_25
        end,
    Missing = ?OUR_FLAGS band bnot Flags,
    Refused = Flags band ?REFUSED_FLAGS,
    Problem =
        if
            Missing =/= 0 -> {missing_flags, Missing};
            Refused =/= 0 -> {unsupported_flags, Refused};
            true -> none
        end,
    case Problem of
        none ->
            ok;
        _ when HSData#hs_data.other_started ->
            send_status(<<"not_allowed">>, HSData),
            ?shutdown(Problem);
        _ ->
            ?shutdown(Problem)
    end.

%%-----------------------------------------------------------------------------
%% The node is up

connection(#hs_data{timer = Timer, socket = Socket, other_node = Node} = HSData, Creation) ->
    cancel_timer(Timer),
    carrier_ok((HSData#hs_data.f_setopts_pre_nodeup)(Socket), HSData),
    ConnPid =
        case (HSData#hs_data.f_getll)(Socket) of
            {ok, Pid} -> Pid;
            Error -> ?shutdown2({Node, Socket}, Error)
        end,
    DHandle = erlang:setnode(Node, ConnPid, {HSData#hs_data.this_flags, Creation}),
    Address = (HSData#hs_data.f_address)(Socket, Node),
    Intensity =
        case net_kernel:mark_nodeup(HSData#hs_data.kernel_pid, Node, Address, self()) of
            {ok, TickIntensity} -> TickIntensity;
            {error, Reason} -> ?shutdown2({mark_nodeup, Node, Address}, Reason)
        end,
    carrier_ok((HSData#hs_data.f_setopts_post_nodeup)(Socket), HSData),
    case HSData#hs_data.f_handshake_complete of
        undefined -> ok;
        Complete -> Complete(Socket, Node, DHandle)
    end,
    connection_loop(#link_state{hs = HSData, intensity = Intensity, ticks_left = Intensity - 1}).

carrier_ok(ok, _HSData) -> ok;
carrier_ok(Error, #hs_data{other_node = Node, socket = Socket}) -> ?shutdown2({Node, Socket}, Error).

%% Every tick from net_kernel: the peer must have sent something within `intensity'
%% ticks; when this side has been silent, it sends a tick packet itself.
connection_loop(#link_state{hs = #hs_data{kernel_pid = Kernel} = HSData} = State) ->
    receive
        {Kernel, disconnect} ->
            ?shutdown2({HSData#hs_data.other_node, HSData#hs_data.socket}, disconnected);
        {Kernel, tick} ->
            connection_loop(on_tick(State));
        _Ignored ->
            connection_loop(State)
    end.

on_tick(#link_state{hs = HSData, read = Read, written = Written, ticks_left = Left} = State) ->
    #hs_data{socket = Socket, other_node = Node} = HSData,
    case (HSData#hs_data.mf_getstat)(Socket) of
        {ok, Read, _, _} when Left =:= 0 ->
            ?shutdown2({Node, Socket}, net_tick_timeout);
        {ok, Read, Written, _} ->
            (HSData#hs_data.mf_tick)(Socket),
            State#link_state{written = Written + 1, ticks_left = Left - 1};
        {ok, NewRead, Written, _} ->
            (HSData#hs_data.mf_tick)(Socket),
            State#link_state{
                read = NewRead, written = Written + 1, ticks_left = State#link_state.intensity - 1
            };
        {ok, NewRead, NewWritten, _} ->
            State#link_state{
                read = NewRead, written = NewWritten, ticks_left = State#link_state.intensity - 1
            };
        {error, Reason} ->
            ?shutdown2({Node, Socket}, Reason)
    end.

%%-----------------------------------------------------------------------------
%% Giving up

-spec shutdown(module(), non_neg_integer(), term()) -> no_return().
shutdown(Module, Line, Data) ->
    shutdown(Module, Line, Data, shutdown).

-spec shutdown(module(), non_neg_integer(), term(), term()) -> no_return().
shutdown(Module, Line, Data, Reason) ->
    io:format("~s: shutting down connection ~p:~p, data=~p, reason=~p\n", [
        ?MODULE, Module, Line, Data, Reason
    ]),
    exit(Reason).
