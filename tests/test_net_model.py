"""The simulated IP layer (avmsim.peripherals.net), model alone: boards' stacks on one network.

Expected figures come from TCP/UDP themselves (a handshake is one round trip, a FIN ends the
stream after the data, a RST resets the peer) and from lwIP as ESP-IDF configures it
(components/lwip/Kconfig: TCP_SND_BUF 5760, UDP receive mailbox 6, accept mailbox 6,
ephemeral ports from 0xC000, TIME_WAIT 2 × TCP_MSL of 60 s).
"""
from __future__ import annotations

import heapq
from pathlib import Path
from typing import Any, Callable

import pytest
from avmsim.boards import get_board
from avmsim.peripherals.net import Interface, IpNetwork, NetError, NetStack, SimSocket
from avmsim.simulation import Simulation
from avmsim.trace import TraceBus

HELLO = str(Path(__file__).resolve().parents[1] / "firmware_images" / "hello_world.avm")

LATENCY = 1_000_000          # 1 ms one way
BANDWIDTH = 8_000_000        # 8 Mbit/s: a byte takes 1 µs on the wire
US = 1_000
TCP_HDR = 40                 # IPv4 + TCP headers, bytes on the wire per segment
UDP_HDR = 28
LWIP_SND_BUF = 5760          # CONFIG_LWIP_TCP_SND_BUF_DEFAULT (ESP-IDF v5)
LWIP_WND = 5760              # CONFIG_LWIP_TCP_WND_DEFAULT
LWIP_UDP_RECVMBOX = 6        # CONFIG_LWIP_UDP_RECVMBOX_SIZE
LWIP_ACCEPTMBOX = 6          # CONFIG_LWIP_TCP_ACCEPTMBOX_SIZE
MASK = (255, 255, 255, 0)
GW = (192, 168, 1, 1)
A_IP, B_IP, C_IP = (192, 168, 1, 10), (192, 168, 1, 20), (192, 168, 1, 30)


class World:
    """One virtual clock for several boards; each board has its own scheduler on it."""

    def __init__(self) -> None:
        self.queue: list[tuple[int, int, Callable[[], None]]] = []
        self.seq = 0
        self.t = 0

    def run(self, until: int | None = None) -> None:
        """Fire events in time order (then arming order) up to ``until`` (all if None)."""
        while self.queue and (until is None or self.queue[0][0] <= until):
            t, _, action = heapq.heappop(self.queue)
            self.t = max(self.t, t)
            action()
        if until is not None:
            self.t = max(self.t, until)


class Scheduler:
    """The part of the VM's scheduler the stack uses: now and timed actions."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.armed = 0

    def now_ns(self) -> int:
        return self.world.t

    def schedule(self, due_ns: int, action: Callable[[], None]) -> None:
        self.armed += 1
        heapq.heappush(self.world.queue, (due_ns, self.world.seq, action))
        self.world.seq += 1


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def net() -> IpNetwork:
    return IpNetwork(latency_ns=LATENCY, bandwidth_bps=BANDWIDTH)


def board(net: IpNetwork, world: World, name: str, ip: Any = None, segment: Any = None,
          bus: TraceBus | None = None) -> NetStack:
    stack = NetStack(net, name, bus)
    stack.boot(Scheduler(world))
    if ip is not None:
        stack.interface_up("sta", ip, MASK, GW, segment=segment)
    return stack


@pytest.fixture
def a(net: IpNetwork, world: World) -> NetStack:
    return board(net, world, "a", A_IP)


@pytest.fixture
def b(net: IpNetwork, world: World) -> NetStack:
    return board(net, world, "b", B_IP)


def wire_ns(nbytes: int) -> int:
    return nbytes * 8 * 1_000_000_000 // BANDWIDTH


class Outcome:
    """Records a connect's result and when it came."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.result: list[tuple[str | None, int]] = []

    def __call__(self, reason: str | None) -> None:
        self.result.append((reason, self.world.t))


def listener(stack: NetStack, port: int = 80, backlog: int = 5) -> SimSocket:
    sock = stack.open("tcp")
    sock.bind(None, port)
    sock.listen(backlog)
    return sock


def connect(world: World, stack: NetStack, ip: Any, port: int = 80) -> tuple[SimSocket, Outcome]:
    sock = stack.open("tcp")
    done = Outcome(world)
    sock.connect(ip, port, done)
    return sock, done


def pair(world: World, a: NetStack, b: NetStack) -> tuple[SimSocket, SimSocket]:
    """A connection from a to b's port 80, accepted."""
    server = listener(b)
    client, done = connect(world, a, B_IP)
    world.run()
    assert done.result[0][0] is None
    accepted = server.accept()
    assert accepted is not None
    return client, accepted


def drain(sock: SimSocket) -> bytes:
    out = b""
    while (chunk := sock.recv(0)):
        out += chunk
    return out


def net_error(action: Callable[[], object]) -> str:
    """The reason of the NetError ``action`` raises (the test fails if it raises none)."""
    with pytest.raises(NetError) as err:
        action()
    return err.value.reason


# ---------------------------------------------------------------------- handshake and data
def test_handshake_takes_one_round_trip_for_the_client_and_a_half_more_for_the_server(
        world: World, a: NetStack, b: NetStack) -> None:
    server = listener(b)
    seen: list[int] = []
    server.on_ready = lambda: seen.append(world.t)
    client, done = connect(world, a, B_IP)
    world.run()
    one_way = LATENCY + wire_ns(TCP_HDR)          # SYN, SYN-ACK, ACK: headers only
    assert done.result == [(None, 2 * one_way)]
    assert seen == [3 * one_way]
    accepted = server.accept()
    assert accepted.peername() == client.sockname() == (A_IP, 49152)
    assert accepted.sockname() == client.peername() == (B_IP, 80)
    assert server.accept() is None


def test_bytes_arrive_in_order_after_latency_plus_their_time_on_the_wire(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    arrivals: list[int] = []
    server.on_ready = lambda: arrivals.append(world.t)
    t0 = world.t
    assert client.send(b"first ") == 6
    assert client.send(b"second") == 6
    world.run()
    assert server.recv(0) == b"first second"
    assert arrivals[0] == t0 + wire_ns(6 + TCP_HDR) + LATENCY
    assert arrivals[1] == t0 + wire_ns(2 * (6 + TCP_HDR)) + LATENCY   # queued behind


def test_recv_gives_at_most_n_bytes_and_none_when_nothing_waits(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    assert server.recv(4) is None
    client.send(b"abcdef")
    world.run()
    assert server.recv(4) == b"abcd"
    assert server.recv(0) == b"ef"
    assert server.recv(0) is None


def test_a_large_write_is_cut_to_the_send_buffer_and_arrives_whole(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    data = bytes(range(256)) * 40                  # 10240 bytes
    sent = client.send(data)
    assert sent == LWIP_SND_BUF
    received = b""
    while len(received) < len(data):
        world.run()
        received += drain(server)
        sent += client.send(data[sent:])
    assert received == data


def test_back_pressure_when_the_peer_does_not_read(world: World, a: NetStack,
                                                   b: NetStack) -> None:
    client, server = pair(world, a, b)
    assert client.send(b"x" * 20000) == LWIP_SND_BUF
    world.run()
    # the receiver holds a full window, acknowledged: the send buffer is free again, but
    # what it takes now cannot leave until the receiver reads
    assert client.send(b"y" * 20000) == LWIP_SND_BUF
    world.run()
    assert client.send(b"z") == 0
    assert not client.writable()
    woke: list[int] = []
    client.on_ready = lambda: woke.append(world.t)
    got = server.recv(0)
    assert len(got) == LWIP_WND
    world.run()
    assert woke, "the sender hears that the window opened"
    assert client.writable()
    assert client.send(b"z" * 100) > 0


def test_fin_ends_the_stream_after_the_data(world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    client.send(b"last words")
    client.close()
    world.run()
    assert server.readable()
    assert server.recv(0) == b"last words"
    assert server.recv(0) == b""
    assert server.recv(0) == b""


def test_shutdown_write_half_closes(world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    client.shutdown("write")
    assert net_error(lambda: client.send(b"more")) == "epipe"
    world.run()
    assert server.recv(0) == b""
    server.send(b"reply")
    world.run()
    assert client.recv(0) == b"reply"


def test_data_after_shutdown_read_aborts_the_connection(world: World, a: NetStack,
                                                        b: NetStack) -> None:
    client, server = pair(world, a, b)
    server.shutdown("read")
    assert server.recv(0) == b""
    client.send(b"unwanted")
    world.run()
    assert net_error(lambda: client.send(b"more")) == "econnreset"


def test_close_with_unread_data_resets_the_peer(world: World, a: NetStack,
                                                b: NetStack) -> None:
    client, server = pair(world, a, b)
    client.send(b"unread")
    world.run()
    server.close()
    world.run()
    assert client.readable()
    assert net_error(lambda: client.recv(0)) == "econnreset"
    assert net_error(lambda: client.send(b"x")) == "econnreset"


def test_a_reset_connection_gives_its_buffered_data_first(world: World, a: NetStack,
                                                          b: NetStack) -> None:
    client, server = pair(world, a, b)
    server.send(b"before the reset")
    client.send(b"never read")
    world.run()
    server.close()
    world.run()
    assert client.recv(0) == b"before the reset"
    assert net_error(lambda: client.recv(0)) == "econnreset"


def test_data_for_a_closed_connection_is_answered_by_a_reset(world: World, a: NetStack,
                                                             b: NetStack) -> None:
    client, server = pair(world, a, b)
    server.close()                   # nothing unread: a FIN
    world.run()
    assert client.recv(0) == b""
    client.send(b"too late")
    world.run()
    assert net_error(lambda: client.send(b"again")) == "econnreset"


def test_linger_zero_makes_close_abortive(world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    client.opts["linger"] = (True, 0)
    client.send(b"on the wire")
    client.close()
    world.run()
    assert server.recv(0) == b"on the wire"   # left before the RST
    assert net_error(lambda: server.recv(0)) == "econnreset"


def test_a_closed_connection_whose_peer_never_closes_goes_after_fin_wait(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    client.close()
    world.run(world.t + 10_000_000)
    assert client in a.sockets()          # FIN_WAIT_2: the peer may still send its FIN
    world.run(world.t + 20_000_000_000)   # CONFIG_LWIP_TCP_FIN_WAIT_TIMEOUT
    assert client not in a.sockets()


def test_operations_on_a_closed_socket_say_closed(a: NetStack) -> None:
    sock = a.open("tcp")
    sock.close()
    for call in (lambda: sock.recv(0), lambda: sock.send(b"x"), sock.close,
                 lambda: sock.bind(None, 1)):
        assert net_error(call) == "closed"


def test_unconnected_socket_is_not_connected(a: NetStack) -> None:
    sock = a.open("tcp")
    for call in (lambda: sock.recv(0), lambda: sock.send(b"x"), sock.peername):
        assert net_error(call) == "enotconn"


# ---------------------------------------------------------------------- refused, backlog
def test_connecting_to_a_port_nobody_listens_on_is_refused_after_a_round_trip(
        world: World, a: NetStack, b: NetStack) -> None:
    _, done = connect(world, a, B_IP, 81)
    world.run()
    assert done.result == [("econnrefused", 2 * (LATENCY + wire_ns(TCP_HDR)))]


def test_connections_beyond_the_backlog_are_refused_until_one_is_accepted(
        world: World, a: NetStack, b: NetStack) -> None:
    server = listener(b, backlog=2)
    outcomes = [connect(world, a, B_IP)[1] for _ in range(3)]
    world.run()
    assert [o.result[0][0] for o in outcomes] == [None, None, "econnrefused"]
    assert server.accept() is not None
    late = connect(world, a, B_IP)[1]
    world.run()
    assert late.result[0][0] is None


@pytest.mark.parametrize(("backlog", "room"), [(0, 1), (100, LWIP_ACCEPTMBOX)])
def test_backlog_zero_means_one_and_the_accept_mailbox_caps_it(
        world: World, a: NetStack, b: NetStack, backlog: int, room: int) -> None:
    listener(b, backlog=backlog)
    outcomes = [connect(world, a, B_IP)[1] for _ in range(room + 1)]
    world.run()
    assert [o.result[0][0] for o in outcomes] == [None] * room + ["econnrefused"]


def test_closing_a_listener_resets_connections_not_yet_accepted(
        world: World, a: NetStack, b: NetStack) -> None:
    server = listener(b)
    client, _ = connect(world, a, B_IP)
    world.run()
    server.close()
    world.run()
    assert net_error(lambda: client.recv(0)) == "econnreset"


# ---------------------------------------------------------------------- addresses, ports
def test_ephemeral_ports_count_up_from_49152(world: World, a: NetStack) -> None:
    ports = []
    for _ in range(3):
        sock = a.open("udp")
        sock.bind(None, 0)
        ports.append(sock.sockname()[1])
    assert ports == [49152, 49153, 49154]


def test_a_port_taken_on_an_overlapping_address_is_in_use(a: NetStack) -> None:
    first = a.open("tcp")
    first.bind(None, 80)
    for ip in (None, A_IP):
        assert net_error(lambda: a.open("tcp").bind(ip, 80)) == "eaddrinuse"
    a.open("udp").bind(None, 80)       # another protocol's port


def test_reuseaddr_on_both_sockets_shares_a_port_but_not_a_listener(a: NetStack) -> None:
    socks = [a.open("tcp") for _ in range(2)]
    for sock in socks:
        sock.opts["reuseaddr"] = True
        sock.bind(None, 80)
    socks[0].listen(1)
    assert net_error(lambda: socks[1].listen(1)) == "eaddrinuse"


def test_binding_an_address_the_board_does_not_have(a: NetStack) -> None:
    assert net_error(lambda: a.open("tcp").bind(B_IP, 80)) == "eaddrnotavail"


def test_the_side_that_closes_first_keeps_its_port_in_time_wait(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    server.close()
    world.run()
    assert client.recv(0) == b""
    client.close()
    b.sockets()[0].close()            # the listener
    world.run()
    assert net_error(lambda: b.open("tcp").bind(None, 80)) == "eaddrinuse"
    reuse = b.open("tcp")
    reuse.opts["reuseaddr"] = True
    reuse.bind(None, 80)
    reuse.close()
    world.run(world.t + 120_000_000_000)   # 2 × TCP_MSL later
    b.open("tcp").bind(None, 80)
    a.open("tcp").bind(None, 49152)   # the passive closer's port is free at once


LWIP_MAX_SOCKETS = 10        # CONFIG_LWIP_MAX_SOCKETS, ESP-IDF's default


def test_the_app_holds_at_most_max_sockets(a: NetStack) -> None:
    a.max_sockets = LWIP_MAX_SOCKETS
    socks = [a.open("udp") for _ in range(LWIP_MAX_SOCKETS)]
    assert net_error(lambda: a.open("tcp")) == "enfile"
    socks[0].close()
    a.open("tcp")


def test_a_connection_arriving_when_no_socket_is_left_is_reset(
        world: World, a: NetStack, b: NetStack) -> None:
    b.max_sockets = 2
    server = listener(b)
    first, _ = connect(world, a, B_IP)
    second, done = connect(world, a, B_IP)
    world.run()
    assert done.result[0][0] is None                   # the handshake completed…
    assert net_error(lambda: second.recv(0)) == "econnreset"  # …then lwIP found no netconn
    assert first.recv(0) is None
    assert server.accept() is not None


# ---------------------------------------------------------------------- loopback, routing
def test_loopback_reaches_the_board_itself_without_the_link(world: World, a: NetStack) -> None:
    server = listener(a, 8080)
    client, done = connect(world, a, (127, 0, 0, 1), 8080)
    world.run()
    assert done.result[0][0] is None
    assert done.result[0][1] < LATENCY
    accepted = server.accept()
    assert accepted.peername() == client.sockname()
    assert client.sockname()[0] == (127, 0, 0, 1)
    client.send(b"ping")
    world.run()
    assert accepted.recv(0) == b"ping"


def test_an_address_nobody_has_is_unreachable(world: World, a: NetStack) -> None:
    _, done = connect(world, a, (192, 168, 1, 99))
    world.run()
    assert done.result == [("ehostunreach", 2 * LATENCY)]


def test_no_interface_up_means_no_route(world: World, net: IpNetwork) -> None:
    lonely = board(net, world, "lonely")
    assert net_error(lambda: lonely.open("tcp").connect(B_IP, 80, lambda r: None)) == "ehostunreach"


def test_boards_on_different_segments_do_not_see_each_other(
        world: World, net: IpNetwork) -> None:
    home = board(net, world, "home", A_IP, segment="ap:home")
    board(net, world, "office", B_IP, segment="ap:office")
    listener(net.stacks["office"])
    _, done = connect(world, home, B_IP)
    world.run()
    assert done.result[0][0] == "ehostunreach"


def test_a_frame_for_another_board_is_scheduled_on_that_boards_scheduler(
        world: World, a: NetStack, b: NetStack) -> None:
    listener(b)
    before = a.scheduler.armed, b.scheduler.armed
    connect(world, a, B_IP)
    assert (a.scheduler.armed, b.scheduler.armed) == (before[0], before[1] + 1)   # the SYN


# ---------------------------------------------------------------------- resets: interface, reboot
def test_interface_down_aborts_its_connections_and_resets_the_peers(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    a.interface_down("sta")
    assert net_error(lambda: client.recv(0)) == "econnaborted"
    world.run()
    assert net_error(lambda: server.recv(0)) == "econnreset"
    assert a.addresses() == {}


def test_an_aborted_socket_fails_every_later_call_with_its_error(
        world: World, a: NetStack, b: NetStack) -> None:
    client, _ = pair(world, a, b)
    a.interface_down("sta")
    a.interface_up("sta", A_IP, MASK, GW)
    for call in (lambda: client.send(b"x"), lambda: client.connect(B_IP, 80, print)):
        assert net_error(call) == "econnaborted"


def test_reboot_drops_every_socket_and_peers_see_a_reset(
        world: World, a: NetStack, b: NetStack) -> None:
    client, server = pair(world, a, b)
    b.boot(Scheduler(world))
    assert b.sockets() == []
    world.run()
    assert net_error(lambda: client.recv(0)) == "econnreset"
    assert b.addresses() == {}                      # the WiFi is down after a reboot
    b.interface_up("sta", B_IP, MASK, GW)
    _, done = connect(world, a, B_IP)
    world.run()
    assert done.result[0][0] == "econnrefused"      # the listener went with the reboot


def test_reboot_keeps_interfaces_up_from_power_on_only(world: World, net: IpNetwork) -> None:
    wired = board(net, world, "unix")
    wired.boot_interfaces = [Interface("eth", (10, 0, 2, 15), MASK, (10, 0, 2, 2))]
    wired.interface_up("sta", A_IP, MASK, GW)
    wired.boot(Scheduler(world))
    assert wired.addresses() == {"eth": ((10, 0, 2, 15), MASK, (10, 0, 2, 2))}


# ---------------------------------------------------------------------- UDP
def udp(stack: NetStack, port: int, ip: Any = None) -> SimSocket:
    sock = stack.open("udp")
    sock.bind(ip, port)
    return sock


def test_a_datagram_arrives_with_its_sender_after_latency(world: World, a: NetStack,
                                                          b: NetStack) -> None:
    rx = udp(b, 5000)
    tx = udp(a, 6000)
    arrived: list[int] = []
    rx.on_ready = lambda: arrived.append(world.t)
    assert tx.sendto(b"hello", B_IP, 5000) == 5
    world.run()
    assert arrived == [LATENCY + wire_ns(5 + UDP_HDR)]
    assert rx.recvfrom(0) == (b"hello", (A_IP, 6000))
    assert rx.recvfrom(0) is None


def test_recvfrom_cuts_a_datagram_to_n_bytes(world: World, a: NetStack, b: NetStack) -> None:
    rx = udp(b, 5000)
    udp(a, 0).sendto(b"0123456789", B_IP, 5000)
    world.run()
    data, _ = rx.recvfrom(4)
    assert data == b"0123"
    assert rx.recvfrom(0) is None       # the rest of that datagram is gone


def test_datagrams_beyond_the_receive_mailbox_are_dropped(world: World, a: NetStack,
                                                          b: NetStack) -> None:
    rx = udp(b, 5000)
    tx = udp(a, 0)
    for i in range(LWIP_UDP_RECVMBOX + 3):
        tx.sendto(bytes([i]), B_IP, 5000)
    world.run()
    got = [rx.recvfrom(0)[0] for _ in range(LWIP_UDP_RECVMBOX)]
    assert got == [bytes([i]) for i in range(LWIP_UDP_RECVMBOX)]
    assert rx.recvfrom(0) is None


def test_a_datagram_nobody_takes_is_lost_without_an_error(world: World, net: IpNetwork,
                                                          a: NetStack, b: NetStack) -> None:
    bus = TraceBus(lambda: world.t)
    events: list[Any] = []
    bus.subscribe(events.append, ("net",))
    a.bus = bus
    tx = udp(a, 0)
    assert tx.sendto(b"anyone?", B_IP, 4444) == 7           # b has no socket there
    assert tx.sendto(b"anyone?", (192, 168, 1, 99), 4444) == 7   # no board at all
    world.run()
    assert [e.value["op"] for e in events] == ["udp_lost"]


def test_a_udp_socket_may_bind_a_multicast_group(world: World, a: NetStack,
                                                 b: NetStack) -> None:
    group = (239, 1, 2, 3)
    member = udp(b, 6000, group)
    member.opts["add_membership"] = [(group, B_IP)]
    udp(a, 0).sendto(b"to the group", group, 6000)
    world.run()
    assert member.recvfrom(0)[0] == b"to the group"


def test_oversized_datagram(a: NetStack) -> None:
    assert net_error(lambda: udp(a, 0).sendto(b"x" * 65508, B_IP, 5000)) == "emsgsize"


@pytest.mark.parametrize("to", [(255, 255, 255, 255), (192, 168, 1, 255)])
def test_broadcast_reaches_every_socket_on_the_port_on_the_subnet_but_the_senders(
        world: World, net: IpNetwork, a: NetStack, b: NetStack, to: Any) -> None:
    c = board(net, world, "c", C_IP)
    elsewhere = board(net, world, "elsewhere", (192, 168, 1, 40), segment="other")
    sockets = [udp(s, 9999) for s in (a, b, c, elsewhere)]
    second_on_c = c.open("udp")
    second_on_c.opts["reuseaddr"] = True
    sockets[2].opts["reuseaddr"] = True
    second_on_c.bind(None, 9999)
    sockets[0].sendto(b"all", to, 9999)
    world.run()
    got = [s.recvfrom(0) for s in (*sockets, second_on_c)]
    assert got == [None, (b"all", (A_IP, 9999)), (b"all", (A_IP, 9999)), None,
                   (b"all", (A_IP, 9999))]


def test_multicast_reaches_boards_that_joined_the_group(world: World, net: IpNetwork,
                                                        a: NetStack, b: NetStack) -> None:
    c = board(net, world, "c", C_IP)
    mdns = (224, 0, 0, 251)
    member, other = udp(b, 5353), udp(c, 5353)
    member.opts["add_membership"] = [(mdns, (0, 0, 0, 0))]
    udp(a, 5353).sendto(b"query", mdns, 5353)
    world.run()
    assert member.recvfrom(0) == (b"query", (A_IP, 5353))
    assert other.recvfrom(0) is None


def test_a_connected_udp_socket_sends_to_its_peer_and_hears_only_it(
        world: World, net: IpNetwork, a: NetStack, b: NetStack) -> None:
    c = board(net, world, "c", C_IP)
    sock = udp(b, 7000)
    sock.connect(A_IP, 7001, lambda r: None)
    peer, stranger = udp(a, 7001), udp(c, 0)
    sock.send(b"to a")
    stranger.sendto(b"from c", B_IP, 7000)
    peer.sendto(b"from a", B_IP, 7000)
    world.run()
    assert peer.recvfrom(0) == (b"to a", (B_IP, 7000))
    assert sock.recv(0) == b"from a"
    assert sock.recv(0) is None


# ---------------------------------------------------------------------- the host gateway
class FakeGateway:
    """Takes 10.0.0.0/8 on port 80 (a host socket answers), refuses port 81."""

    def __init__(self, net: IpNetwork) -> None:
        self.net = net
        self.far: list[SimSocket] = []
        self.datagrams: list[tuple[bytes, Any, int]] = []

    def connect_out(self, sock: SimSocket, ip: Any, port: int) -> SimSocket | str | None:
        if ip[0] != 10:
            return None
        if port == 81:
            return "econnrefused"
        far = self.net.host.open("tcp")
        self.far.append(far)
        return far

    def sendto_out(self, sock: SimSocket, data: bytes, ip: Any, port: int) -> bool:
        self.datagrams.append((data, ip, port))
        return ip[0] == 10


def test_the_gateway_takes_addresses_no_board_has(world: World, net: IpNetwork,
                                                  a: NetStack) -> None:
    net.gateway = gateway = FakeGateway(net)
    client, done = connect(world, a, (10, 1, 2, 3), 80)
    world.run()
    assert done.result[0][0] is None
    far = gateway.far[0]
    assert far.writable()
    assert far.sockname() == ((10, 1, 2, 3), 80)
    assert far.peername() == client.sockname()
    client.send(b"GET /")
    far.send(b"200 OK")
    world.run()
    assert far.recv(0) == b"GET /"
    assert client.recv(0) == b"200 OK"
    refused = connect(world, a, (10, 1, 2, 3), 81)[1]
    unknown = connect(world, a, (8, 8, 8, 8), 80)[1]
    world.run()
    assert refused.result[0][0] == "econnrefused"
    assert unknown.result[0][0] == "ehostunreach"
    udp(a, 0).sendto(b"dns?", (10, 0, 0, 53), 53)
    assert gateway.datagrams == [(b"dns?", (10, 0, 0, 53), 53)]


def test_the_host_stack_connects_into_a_board_from_its_gateway_address(
        world: World, net: IpNetwork, a: NetStack, b: NetStack) -> None:
    server = listener(b, 80)
    inbound, done = connect(world, net.host, B_IP, 80)
    world.run()
    assert done.result[0][0] is None
    assert server.accept().peername() == (GW, inbound.sockname()[1])
    host_udp = udp(net.host, 5000, (10, 9, 9, 9))
    rx = udp(b, 6000)
    host_udp.sendto(b"from the host", B_IP, 6000)
    world.run()
    data, src = rx.recvfrom(0)
    assert (data, src) == (b"from the host", ((10, 9, 9, 9), 5000))
    rx.sendto(b"reply", *src)           # a host socket bound there takes it
    world.run()
    assert host_udp.recvfrom(0) == (b"reply", (B_IP, 6000))


def test_frames_for_the_host_run_on_the_scheduler_of_the_board_that_sent_them(
        world: World, net: IpNetwork, a: NetStack, b: NetStack) -> None:
    assert net.host.scheduler is a.scheduler     # the first board that booted
    server = net.host.open("tcp")
    server.bind((10, 9, 9, 9), 80)
    server.listen(1)
    before = a.scheduler.armed, b.scheduler.armed
    _, done = connect(world, b, (10, 9, 9, 9), 80)  # a host socket listens there
    assert (a.scheduler.armed, b.scheduler.armed) == (before[0], before[1] + 1)
    world.run()
    assert done.result[0][0] is None
    assert server.accept().peername()[0] == B_IP


# ---------------------------------------------------------------------- traces
def test_connections_are_traced_as_net_events(world: World, net: IpNetwork) -> None:
    bus = TraceBus(lambda: world.t)
    events: list[Any] = []
    bus.subscribe(events.append, ("net",))
    traced = board(net, world, "traced", A_IP, bus=bus)
    board(net, world, "peer", B_IP)
    listener(net.stacks["peer"])
    connect(world, traced, B_IP)
    world.run()
    ops = [e.value["op"] for e in events]
    assert ops == ["up", "connect", "established"]
    assert {e.source for e in events} == {"traced"}


# ---------------------------------------------------------------------- on a board
@pytest.mark.parametrize(("board_name", "addresses", "max_sockets"), [
    ("esp32-devkit", {}, LWIP_MAX_SOCKETS),    # the WiFi brings interfaces up
    ("generic-unix", {"eth": ((10, 0, 2, 15), MASK, (10, 0, 2, 2))}, None),
])
def test_a_simulated_board_has_an_ip_stack_named_after_it(board_name: str, addresses: dict,
                                                          max_sockets: int | None) -> None:
    sim = Simulation(get_board(board_name), [HELLO])
    assert sim.devices.net.name == board_name
    assert sim.devices.net.addresses() == addresses
    assert sim.devices.net.max_sockets == max_sockets
    assert sim.network.ip.stack_for((10, 0, 2, 15)) is (
        sim.devices.net if addresses else None)


def test_boards_without_a_network_have_no_ip_stack() -> None:
    sim = Simulation(get_board("pico"), [HELLO])
    assert sim.devices.net is None
