"""The simulated IP layer: interfaces, routing, and non-blocking TCP/UDP sockets of every board.

It knows nothing of the VM. A board's :class:`NetStack` holds its interfaces (``sta``,
``ap``, ``eth``) and sockets; one :class:`IpNetwork` joins every stack of a simulation (one
board, or all boards of a world file) and the host gateway. The VM's socket layers build
blocking calls on top of :class:`SimSocket` and its ``on_ready`` callback.

lwIP as ESP-IDF configures it is the reference; the figures (ESP-IDF v5 Kconfig defaults,
components/lwip/Kconfig, and lwIP 2.1 ``opt.h``):

- TCP is a reliable, ordered byte stream (peripherals/net_tcp.py: MSS 1440, send buffer
  and receive window 5760 bytes each — ``send`` takes what fits, segments leave as the
  peer's window allows, reads reopen the window).
- A listener's backlog counts connections not yet accepted (half-open ones included, lwIP's
  ``accepts_pending``); 0 means 1 (``tcp_listen_with_backlog``), and the accept mailbox
  (``CONFIG_LWIP_TCP_ACCEPTMBOX_SIZE`` 6) caps it. A SYN beyond it is refused. (lwIP drops
  the SYN and the client retransmits it; refusing at once keeps a client from hanging for
  the minutes of SYN retries — the one place this model departs from lwIP on purpose.)
- Closing a connection with unread received data sends a RST (lwIP ``tcp_close_shutdown``:
  ``rcv_wnd != TCP_WND_MAX``), as does data arriving for a connection the app closed.
  Otherwise close is graceful: queued data still goes out, then the FIN. The side that sent
  the first FIN keeps its port in TIME_WAIT for 2 × ``TCP_MSL`` = 120 s
  (``CONFIG_LWIP_TCP_MSL`` 60000 ms); a connection closed by the app whose peer never
  closes is dropped after ``CONFIG_LWIP_TCP_FIN_WAIT_TIMEOUT`` 20 s.
- ``bind``: the same port on overlapping addresses (equal, or either 0.0.0.0) is
  ``eaddrinuse`` — ports held by listeners, connections and TIME_WAIT count — unless both
  sockets set ``opts["reuseaddr"]`` (lwIP ``SO_REUSE``, on in ESP-IDF; two listeners on one
  address and port stay refused). Port 0 takes the next free port from 49152
  (``TCP_LOCAL_PORT_RANGE_START`` 0xC000, separate counters for TCP and UDP, starting over
  at every boot; ESP-IDF randomises the start, here it is fixed so runs repeat).
- UDP: each socket queues at most 6 datagrams (``CONFIG_LWIP_UDP_RECVMBOX_SIZE``); more are
  dropped, as lwIP drops them. Payloads above 65507 bytes are ``emsgsize``. A datagram to
  255.255.255.255 or to the subnet's broadcast address reaches every UDP socket bound to
  that port on the other boards of the sender's subnet (lwIP does not loop broadcasts
  back; ``SO_REUSE_RXTOALL`` delivers to every matching socket); to a multicast group
  (224.0.0.0/4), the same on boards where a socket joined the group. A unicast datagram
  reaches the first matching socket. A datagram nobody can take is lost silently, as on
  the device (an ARP request nobody answers).
- Timing: a frame takes its bytes (payload plus 40 bytes of TCP/IP or 28 of UDP/IP
  headers) at ``bandwidth_bps`` on the sender's link, one after the other, then
  ``latency_ns`` to arrive. Defaults: 1.5 ms one way (a ping to the access point takes
  2–5 ms on an ESP32) and 20 Mbit/s (what an ESP32 sustains in a room; Espressif's
  shield-box iperf figures are higher). 127.0.0.1 and the board's own addresses loop back
  in 20 µs without using the link (lwIP's loopback netif, through the tcpip thread).
  The three-way handshake completes for the client after one round trip; the server
  sees the connection half a round trip later (when the client's ACK arrives).
- Routing: the interface whose subnet holds the address, else the default route by
  ESP-IDF's route priorities (``sta`` 100, ``eth`` 50, ``ap`` 10). No interface up:
  ``ehostunreach`` at once (lwIP ``ERR_RTE``). An address on no board goes to the host
  gateway (below), else the connection fails with ``ehostunreach`` after one round trip.
- Resets: ``interface_down`` aborts the TCP connections using its address (locally
  ``econnaborted``, as lwIP's ``tcp_netif_ip_addr_changed`` aborts them; peers see
  ``econnreset``); ``boot`` drops every socket of the board (peers see ``econnreset``). A
  reset connection still gives the data it had received, then the error, as lwIP queues
  the error behind the data in the receive mailbox. ``opts["linger"] == (True, 0)`` makes
  ``close`` abortive (a RST), as SO_LINGER with a zero timeout does.

- Sockets: with ``max_sockets`` set (``CONFIG_LWIP_MAX_SOCKETS``, 10 on the ESP32) ``open``
  fails with ``enfile`` once the app holds that many (connections waiting in a listener's
  queue count: they have their netconn), and a connection completing its handshake then
  is reset (lwIP's ``accept_function`` finds no netconn and aborts it).

Not modelled: packet loss and retransmission, Nagle and delayed ACKs, keepalive, IPv6,
IP options.

Segments (``interface_up(..., segment=...)``): interfaces with the same segment share one
link layer (an access point's stations, a board in AP mode and its stations); an address is
looked up in the sender's segment only, so two AP-mode boards may both be 192.168.4.1. The
default segment None is one flat network. Each generic-unix board's ``eth`` is its own
segment (a private NAT, as QEMU's user networking), reaching only the host.

Every event that changes a socket runs on its own board's scheduler: a frame for another
board is scheduled on the TARGET stack's scheduler at max(arrival, its now), so several
boards can share one virtual clock, and ``on_ready`` may call ``vm.deliver``.

The host gateway (``IpNetwork.gateway``, set by the host bridge, peripherals/net_host.py)
is consulted for destinations no board has. It implements:

``gateway.connect_out(sock, ip, port) -> SimSocket | str | None``
    A board's TCP ``sock`` connects to ``(ip, port)`` (``sock.stack.route(ip)`` is the
    interface it leaves by, with its ``gateway`` address). None: the gateway does not take
    the address (the board gets ``ehostunreach``). A string: the connection fails with that
    reason (``"econnrefused"`` when the host refused it…) after one round trip. A
    :class:`SimSocket` opened with ``network.host.open("tcp")`` (unbound, unconnected):
    it becomes the far end, as if a listener had accepted it; its ``sockname()`` is
    ``(ip, port)`` and ``peername()`` the board's. When the handshake completes its
    ``on_ready`` fires and ``writable()`` is True; from then on the gateway moves bytes
    with its ``send``/``recv``/``shutdown``/``close`` like any socket.
``gateway.sendto_out(sock, data, ip, port) -> bool``
    A board's UDP ``sock`` sends ``data`` to ``(ip, port)``; False: not taken (lost).

``network.host`` is the stack of the world beyond the gateway: it has no interfaces, may
bind any address, and reaches every board's address (from that interface's gateway
address, e.g. 10.0.2.2 on generic-unix). The bridge opens sockets there to connect into a
board (``--forward``: ``network.host.open("tcp").connect(board_ip, port, done)``) or to
send it datagrams from a host address (``u.bind(ip, port); u.sendto(...)``); a board's
datagram or connection to an address where a host socket is bound (or listening) goes to
that socket before the gateway is asked. The host has no clock: a frame a board sends to
a host socket runs on that board's scheduler (``on_ready`` of host sockets is called there),
the host's own timers on the scheduler of the first board that booted.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .net_tcp import TCP_HEADER, TcpEvents, TcpState

if TYPE_CHECKING:   # peripherals never import sim/ at run time
    from avmsim.trace import TraceBus

Ip = tuple[int, int, int, int]
Address = tuple[Ip, int]

ANY: Ip = (0, 0, 0, 0)
LOOPBACK: Ip = (127, 0, 0, 1)
BROADCAST: Ip = (255, 255, 255, 255)

ACCEPT_MBOX = 6
UDP_RECV_MBOX = 6
UDP_MAX_PAYLOAD = 65507
UDP_HEADER = 28
TIME_WAIT_NS = 2 * 60_000_000_000
EPHEMERAL_FIRST = 49152
EPHEMERAL_LAST = 65535
WIFI_LATENCY_NS = 1_500_000
WIFI_BANDWIDTH_BPS = 20_000_000
LOOPBACK_NS = 20_000
ROUTE_PRIORITY = {"sta": 100, "eth": 50, "ap": 10}
KINDS = ("tcp", "udp")
SHUTDOWN = {"read": (True, False), "write": (False, True), "read_write": (True, True)}


class NetError(Exception):
    """A socket operation failed; ``reason`` is the atom name AtomVM returns."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ip_int(ip: Ip) -> int:
    return int.from_bytes(bytes(ip), "big")


def ip_text(ip: Ip) -> str:
    return ".".join(map(str, ip))


def is_multicast(ip: Ip) -> bool:
    return 224 <= ip[0] <= 239


@dataclass(frozen=True)
class Interface:
    """One configured interface: its address, subnet, gateway and link segment."""
    name: str
    ip: Ip
    netmask: Ip
    gateway: Ip
    segment: Any = None

    def holds(self, ip: Ip) -> bool:
        """Whether ``ip`` is on this interface's subnet."""
        mask = ip_int(self.netmask)
        return ip_int(ip) & mask == ip_int(self.ip) & mask

    def broadcast(self) -> Ip:
        value = ip_int(self.ip) | (~ip_int(self.netmask) & 0xFFFFFFFF)
        return tuple(value.to_bytes(4, "big"))  # type: ignore[return-value]


class IpNetwork:
    """Every simulated interface by address, plus the host gateway."""

    def __init__(self, latency_ns: int = WIFI_LATENCY_NS,
                 bandwidth_bps: int = WIFI_BANDWIDTH_BPS) -> None:
        self.gateway: Any = None          # HostGateway (net_host.py) or None
        self.latency_ns = latency_ns
        self.bandwidth_bps = bandwidth_bps
        self.stacks: dict[str, NetStack] = {}   # board stacks, in the order they were made
        self.host = HostStack(self)

    def register(self, stack: "NetStack") -> None:
        if stack.name in self.stacks:
            raise ValueError(f"two boards named {stack.name!r} on one network")
        self.stacks[stack.name] = stack

    def stack_for(self, ip: Ip) -> "NetStack | None":
        """The board stack that has ``ip`` on an interface that is up (first made wins)."""
        found = self.find(ip, None, any_segment=True)
        return found[0] if found else None

    def find(self, ip: Ip, segment: Any, any_segment: bool = False
             ) -> "tuple[NetStack, Interface] | None":
        """The stack and interface holding ``ip`` in ``segment``."""
        for stack in self.stacks.values():
            for iface in stack.interfaces.values():
                if iface.ip == ip and (any_segment or iface.segment == segment):
                    return stack, iface
        return None

    def on_link(self, iface: Interface) -> "list[tuple[NetStack, Interface]]":
        """Every board interface on the same segment and subnet as ``iface``."""
        return [(stack, other) for stack in self.stacks.values()
                for other in stack.interfaces.values()
                if other.segment == iface.segment and iface.holds(other.ip)]


class NetStack:
    """One board's addresses and sockets."""

    def __init__(self, network: IpNetwork, name: str, bus: "TraceBus | None") -> None:
        self.network = network
        self.name = name
        self.bus = bus
        self.interfaces: dict[str, Interface] = {}
        self.boot_interfaces: list[Interface] = []   # up from power-on (generic-unix eth)
        self.max_sockets: int | None = None   # lwIP netconns (CONFIG_LWIP_MAX_SOCKETS)
        self.held = 0                         # sockets the app holds (open, accepted, queued)
        self.scheduler: Any = None
        self._sockets: dict[int, SimSocket] = {}
        self._serial = 0
        self._time_wait: list[tuple[Ip, int, int]] = []
        self._next_port = {kind: EPHEMERAL_FIRST for kind in KINDS}
        self._tx_free_ns = 0
        self._register()

    def _register(self) -> None:
        self.network.register(self)

    # ------------------------------------------------------------------ life cycle
    def boot(self, scheduler: Any) -> None:
        """The board (re)boots: every socket is dropped (peers see a reset), interfaces go
        down except those up from power-on, ephemeral ports start over."""
        self.scheduler = scheduler
        host = self.network.host
        if host.scheduler is None or host.clock_owner is self:
            host.scheduler, host.clock_owner = scheduler, self
        for sock in list(self._sockets.values()):
            sock._drop(None)
        self.held = 0
        self._time_wait.clear()
        self._next_port = {kind: EPHEMERAL_FIRST for kind in KINDS}
        self._tx_free_ns = self.now_ns()
        self.interfaces.clear()
        for iface in self.boot_interfaces:
            self.interfaces[iface.name] = iface

    def interface_up(self, name: str, ip: Ip, netmask: Ip, gateway: Ip,
                     segment: Any = None) -> None:
        """``name`` ("sta", "ap", "eth") gets an address; a new address first takes the
        interface down (its connections reset), as a changed DHCP lease does."""
        old = self.interfaces.get(name)
        if old is not None and old.ip != tuple(ip):
            self.interface_down(name)
        self.interfaces[name] = Interface(name, tuple(ip), tuple(netmask), tuple(gateway),
                                          segment)
        self.trace_event({"op": "up", "if": name, "ip": ip_text(tuple(ip))})

    def interface_down(self, name: str) -> None:
        """Its address goes away: TCP connections using it are aborted, peers get a reset
        (listeners and UDP sockets bound to it stay, unreachable until it comes back)."""
        iface = self.interfaces.pop(name, None)
        if iface is None:
            return
        self.trace_event({"op": "down", "if": name})
        for sock in list(self._sockets.values()):
            if sock.tcp is not None and sock.local[0] == iface.ip:
                sock._drop("econnaborted")
        self._time_wait = [tw for tw in self._time_wait if tw[0] != iface.ip]

    def addresses(self) -> dict[str, tuple[Ip, Ip, Ip]]:
        return {name: (i.ip, i.netmask, i.gateway) for name, i in self.interfaces.items()}

    def open(self, kind: str) -> "SimSocket":
        """A new socket, ``"tcp"`` or ``"udp"``; ``enfile`` when the app holds
        ``max_sockets`` already (lwIP's ``lwip_socket``)."""
        if kind not in KINDS:
            raise NetError("einval")
        if not self.room():
            raise NetError("enfile")
        self.held += 1
        return self.new_socket(kind)

    def room(self) -> bool:
        """Whether one more socket fits under ``max_sockets``."""
        return self.max_sockets is None or self.held < self.max_sockets

    def new_socket(self, kind: str) -> "SimSocket":
        self._serial += 1
        sock = SimSocket(self, kind, self._serial)
        self._sockets[sock.serial] = sock
        return sock

    # ------------------------------------------------------------------ time
    def now_ns(self) -> int:
        return self.scheduler.now_ns() if self.scheduler is not None else 0

    def at(self, t_ns: int, action: Callable[[], None],
           sender: "NetStack | None" = None) -> None:
        """Run ``action`` on this board's scheduler at max(t_ns, now) (``sender``: the
        stack whose frame it is; only the host stack, which has no clock, uses it)."""
        self.scheduler.schedule(max(t_ns, self.now_ns()), action)

    def send_frame(self, to: "NetStack", nbytes: int, action: Callable[[], None]) -> None:
        """A frame of ``nbytes`` leaves now; ``action`` runs on ``to`` when it arrives."""
        to.at(self.arrival_ns(to, nbytes), action, self)

    def arrival_ns(self, to: "NetStack", nbytes: int) -> int:
        """When a frame of ``nbytes`` sent now reaches ``to``: the link is taken frame after
        frame at the network's bandwidth, then the latency (loopback: a fixed short hop)."""
        now = self.now_ns()
        if to is self:
            return now + LOOPBACK_NS
        net = self.network
        start = max(now, self._tx_free_ns)
        self._tx_free_ns = start + nbytes * 8 * 1_000_000_000 // net.bandwidth_bps
        return self._tx_free_ns + net.latency_ns

    def rtt_ns(self) -> int:
        return 2 * self.network.latency_ns

    # ------------------------------------------------------------------ addresses and ports
    def owns(self, ip: Ip) -> bool:
        """Whether ``ip`` is this board (loopback or one of its addresses)."""
        return ip[0] == 127 or any(i.ip == ip for i in self.interfaces.values())

    def can_bind(self, ip: Ip) -> bool:
        return ip == ANY or self.owns(ip)

    def route(self, ip: Ip) -> Interface | None:
        """The interface a packet to ``ip`` leaves by (None: no route)."""
        for iface in self.interfaces.values():
            if iface.holds(ip):
                return iface
        routed = [i for i in self.interfaces.values() if i.gateway != ANY]
        return max(routed, key=lambda i: ROUTE_PRIORITY.get(i.name, 0), default=None)

    def peer_stack(self, kind: str, ip: Ip, port: int, iface: Interface
                   ) -> "NetStack | None":
        """The stack that answers ``(ip, port)`` reached through ``iface``: a board on its
        segment, else the host stack when one of its sockets is bound there."""
        found = self.network.find(ip, iface.segment)
        if found is not None:
            return found[0]
        host = self.network.host
        return host if host is not self and host.serves(kind, ip, port) else None

    def syn_arrives(self, client: "SimSocket", ip: Ip, port: int) -> None:
        """A SYN for ``(ip, port)`` arrives: a listener with room answers SYN-ACK with a
        new half-open socket; otherwise a RST refuses it."""
        listener = self.listener(ip, port)
        if listener is None or listener.pending >= listener.backlog:
            self.trace_event({"op": "refused", "port": port})
            self.send_frame(client.stack, TCP_HEADER, client._refused)
            return
        child = self.new_socket("tcp")
        child.opts = dict(listener.opts)
        child.local, child.remote, child.state = (ip, port), client.local, "syn_rcvd"
        child.tcp = TcpState(client)
        child.listener = listener
        listener.pending += 1
        self.send_frame(client.stack, TCP_HEADER, lambda: client._established(child))

    def port_in_use(self, kind: str, ip: Ip, port: int, reuse: bool,
                    me: "SimSocket | None" = None) -> bool:
        """Another socket of ``kind`` holds ``port`` on an overlapping address."""
        def overlaps(other: Ip) -> bool:
            return ip == ANY or other == ANY or ip == other
        for sock in self._sockets.values():
            if (sock is not me and sock.kind == kind and sock.local is not None
                    and sock.local[1] == port and overlaps(sock.local[0])
                    and not (reuse and sock.opts.get("reuseaddr"))):
                return True
        if kind == "tcp" and not reuse:
            now = self.now_ns()
            self._time_wait = [tw for tw in self._time_wait if tw[2] > now]
            return any(p == port and overlaps(a) for a, p, _ in self._time_wait)
        return False

    def ephemeral_port(self, kind: str, ip: Ip) -> int:
        """The next free port from 49152 (lwIP ``tcp_new_port``/``udp_new_port``)."""
        span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1
        port = self._next_port[kind]
        for _ in range(span):
            candidate = port
            port = EPHEMERAL_FIRST + (port + 1 - EPHEMERAL_FIRST) % span
            if not self.port_in_use(kind, ip, candidate, False):
                self._next_port[kind] = port
                return candidate
        raise NetError("eaddrinuse")

    def sockets(self) -> "list[SimSocket]":
        """Live sockets, oldest first (a closing connection stays until its FIN is done)."""
        return list(self._sockets.values())

    def listener(self, ip: Ip, port: int) -> "SimSocket | None":
        """The socket listening on ``port`` for ``ip`` (an exact address beats 0.0.0.0)."""
        matches = [s for s in self._sockets.values()
                   if s.state == "listening" and s.local[1] == port
                   and s.local[0] in (ip, ANY)]
        matches.sort(key=lambda s: s.local[0] == ANY)
        return matches[0] if matches else None

    def udp_arrives(self, data: bytes, ip: Ip, port: int, src: Address, wide: bool) -> None:
        """A datagram to ``(ip, port)`` from ``src`` arrives: the first matching socket
        takes a unicast one (an exact address before 0.0.0.0; a connected socket only
        from its peer), every matching socket a broadcast or multicast one, where a socket
        bound to one of this board's addresses matches too (lwIP ``udp_input``). A multicast
        datagram needs a socket of this board to have joined the group (IGMP filtering:
        ``opts["add_membership"]``, a list of ``(group, interface)``)."""
        if is_multicast(ip) and not self.joined(ip):
            return
        accepts = {ip, ANY}
        if wide:
            accepts.update(i.ip for i in self.interfaces.values())
        matches = [s for s in self._sockets.values()
                   if s.kind == "udp" and s.local is not None and s.local[1] == port
                   and s.local[0] in accepts and s.state != "closed"
                   and (s.remote is None or s.remote == src)]
        matches.sort(key=lambda s: s.local[0] == ANY)
        for sock in matches if wide else matches[:1]:
            sock._datagram(data, src)

    def joined(self, group: Ip) -> bool:
        return any(tuple(g) == group for s in self._sockets.values()
                   for g, _ in s.opts.get("add_membership", ()))

    def forget(self, sock: "SimSocket") -> None:
        """``sock`` is gone from the stack (leaving its listener's queue); a TCP side that
        closed first enters TIME_WAIT."""
        if self._sockets.pop(sock.serial, None) is None:
            return
        listener, sock.listener = sock.listener, None
        if listener is not None:
            listener.pending -= 1
            if sock in listener.accept_q:
                listener.accept_q.remove(sock)
                self.held -= 1
        if sock.kind == "tcp" and sock.tcp is not None and sock.tcp.closed_first \
                and not sock.tcp.reset:
            ip, port = sock.local
            self._time_wait.append((ip, port, self.now_ns() + TIME_WAIT_NS))

    def trace_event(self, value: dict[str, Any]) -> None:
        """Publish a ``net`` event from this board (nothing when nobody listens)."""
        if self.bus is not None and self.bus.wants("net"):
            self.bus.publish("net", self.name, value)


class HostStack(NetStack):
    """The world beyond the gateway: no interfaces, any address, reaches every board."""

    def __init__(self, network: IpNetwork) -> None:
        self.clock_owner: NetStack | None = None
        self._running: Any = None     # the scheduler of the event being run
        super().__init__(network, "host", None)

    def _register(self) -> None:
        pass   # not a board: never found by address, only by its bound sockets

    def owns(self, ip: Ip) -> bool:
        return ip[0] == 127

    def can_bind(self, ip: Ip) -> bool:
        return True

    def at(self, t_ns: int, action: Callable[[], None],
           sender: NetStack | None = None) -> None:
        """A frame from a board runs on that board's scheduler (the host has no clock of
        its own, and a board of a world may stop while others run on), and the host's
        time is that board's while it runs; the host's own events run on the scheduler
        of the first board that booted."""
        scheduler = sender.scheduler if sender is not None else self.scheduler

        def run() -> None:
            outer, self._running = self._running, scheduler
            try:
                action()
            finally:
                self._running = outer
        scheduler.schedule(max(t_ns, scheduler.now_ns()), run)

    def now_ns(self) -> int:
        scheduler = self._running or self.scheduler
        return scheduler.now_ns() if scheduler is not None else 0

    def route(self, ip: Ip) -> Interface | None:
        """Towards a board: the board's interface, seen from its gateway address."""
        found = self.network.find(ip, None, any_segment=True)
        if found is None:
            return None
        iface = found[1]
        return Interface("gateway", iface.gateway, iface.netmask, iface.gateway, iface.segment)

    def serves(self, kind: str, ip: Ip, port: int) -> bool:
        """Whether a host socket of ``kind`` is bound at ``(ip, port)`` itself (TCP: and
        listens there)."""
        return any(s.kind == kind and s.local == (ip, port)
                   and (kind == "udp" or s.state == "listening")
                   for s in self._sockets.values())


class SimSocket(TcpEvents):
    """A non-blocking socket; the VM layers build blocking calls on top.

    States: ``new`` → ``bound`` → ``listening`` (TCP) or ``connecting`` → ``connected``;
    ``syn_rcvd`` for a server side not yet established; ``closed`` once the app closed it
    (a TCP connection may linger in the stack until its FIN is acknowledged).
    """

    def __init__(self, stack: NetStack, kind: str, serial: int) -> None:
        self.stack = stack
        self.kind = kind
        self.serial = serial
        self.opts: dict[str, Any] = {}
        self.on_ready: Callable[[], None] | None = None
        self.state = "new"
        self.local: Address | None = None
        self.remote: Address | None = None
        self.error: str | None = None     # pending error: reads and writes raise it
        self.rd_shut = False
        self.wr_shut = False
        self.tcp: TcpState | None = None
        self.dead = False                 # gone from the stack: frames to it are ignored
        # listening
        self.backlog = 0
        self.pending = 0                  # half-open plus not yet accepted
        self.accept_q: deque[SimSocket] = deque()
        self.listener: SimSocket | None = None
        # connecting
        self._done: Callable[[str | None], None] | None = None
        # UDP
        self.datagrams: deque[tuple[bytes, Address]] = deque()

    def __repr__(self) -> str:
        return f"<SimSocket {self.stack.name}#{self.serial} {self.kind} {self.state}>"

    # ------------------------------------------------------------------ helpers
    def _notify(self) -> None:
        if self.on_ready is not None and self.state != "closed":
            self.on_ready()

    def _trace(self, op: str) -> None:
        where = f"{ip_text(self.remote[0])}:{self.remote[1]}" if self.remote else None
        self.stack.trace_event({"op": op, "sock": self.serial, "to": where})

    def _check_open(self) -> None:
        if self.state == "closed":
            raise NetError("closed")

    def _check_usable(self) -> None:
        """Closed, or aborted (an interface went down under it): the call fails."""
        self._check_open()
        if self.error is not None:
            raise NetError(self.error)

    def _autobind(self, ip: Ip = ANY) -> None:
        if self.local is None:
            self.local = (ip, self.stack.ephemeral_port(self.kind, ip))
            self.state = "bound"

    # ------------------------------------------------------------------ common API
    def bind(self, ip: Ip | None, port: int) -> None:
        """Take ``(ip, port)``; ``ip`` None is 0.0.0.0, ``port`` 0 an ephemeral port. An
        address must be the board's (a UDP socket may also bind a multicast group)."""
        self._check_usable()
        ip = ANY if ip is None else tuple(ip)
        if self.local is not None or not 0 <= port <= 65535:
            raise NetError("einval")
        if not (self.stack.can_bind(ip) or (self.kind == "udp" and is_multicast(ip))):
            raise NetError("eaddrnotavail")
        reuse = bool(self.opts.get("reuseaddr"))
        if port == 0:
            port = self.stack.ephemeral_port(self.kind, ip)
        elif self.stack.port_in_use(self.kind, ip, port, reuse, self):
            raise NetError("eaddrinuse")
        self.local = (ip, port)
        self.state = "bound"

    def sockname(self) -> Address:
        self._check_open()
        return self.local if self.local is not None else (ANY, 0)

    def peername(self) -> Address:
        self._check_open()
        if self.remote is None or self.state not in ("connected", "bound"):
            raise NetError("enotconn")
        return self.remote

    def readable(self) -> bool:
        """Data, EOF, an error, or (listening) a connection waiting to be accepted."""
        if self.state == "closed" or self.error is not None or self.rd_shut:
            return True
        if self.state == "listening":
            return bool(self.accept_q)
        if self.kind == "udp":
            return bool(self.datagrams)
        tcp = self.tcp
        return tcp is not None and self.state == "connected" and (
            bool(tcp.rx) or tcp.fin_received)

    def writable(self) -> bool:
        """``send`` would take bytes now, or would fail at once (an error)."""
        if self.state == "closed" or self.error is not None:
            return True
        if self.kind == "udp":
            return True
        if self.state in ("connecting", "syn_rcvd"):
            return False
        if self.state != "connected" or self.wr_shut:
            return True    # send fails at once
        return self._send_space() > 0

    def shutdown(self, how: str) -> None:
        """Stop reading (buffered data is discarded), writing (a FIN follows the queued
        bytes) or both."""
        self._check_open()
        if how not in SHUTDOWN:
            raise NetError("einval")
        if self.kind == "udp":
            raise NetError("eopnotsupp")    # lwip_shutdown: TCP only
        if self.state != "connected":
            raise NetError("enotconn")
        read, write = SHUTDOWN[how]
        tcp = self.tcp
        if read:
            self.rd_shut = True
            self._consumed(len(tcp.rx))
            tcp.rx.clear()
        if write and not self.wr_shut:
            self.wr_shut = True
            if self.error is None:
                tcp.fin_wanted = True
                self._output()

    def close(self) -> None:
        """Close: a listener refuses what waits in its queue; a connection with unread data
        (or with ``opts["linger"] == (True, 0)``, an abortive close) resets; any other
        connection sends what is queued and then its FIN."""
        self._check_open()
        state, tcp = self.state, self.tcp
        self.state = "closed"
        self.stack.held -= 1
        self.stack.trace_event({"op": "close", "sock": self.serial})
        if state == "listening":
            for child in [s for s in self.stack.sockets() if s.listener is self]:
                child._drop(None)
        if tcp is None or self.error is not None or tcp.reset:
            self._forget()
            return
        if tcp.rx or state == "syn_rcvd" or self.opts.get("linger") == (True, 0):
            self._send_reset()
            self._forget()
            return
        if not self.wr_shut:
            self.wr_shut = True
            tcp.fin_wanted = True
            self._output()
        self._maybe_finished()

    def _forget(self) -> None:
        self.dead = True
        self.stack.forget(self)

    def _drop(self, local_error: str | None) -> None:
        """Abort: the peer gets a RST; this side gets ``local_error`` (None: the board is
        gone, nobody will read it)."""
        if self.dead:
            return
        if self.tcp is not None and not self.tcp.reset:
            self._send_reset()
        if local_error is None:
            self.state = "closed"
            self._forget()
            return
        self.error = local_error
        if self.state == "connecting":
            self._finish_connect(local_error)
        self._forget()
        self._notify()

    # ------------------------------------------------------------------ TCP: listen, accept
    def listen(self, backlog: int) -> None:
        """Accept connections; at most ``backlog`` (0: 1, capped at 6) wait to be accepted."""
        self._check_usable()
        if self.kind != "tcp":
            raise NetError("eopnotsupp")
        if self.state not in ("new", "bound"):
            raise NetError("einval")
        self._autobind()
        ip, port = self.local
        if any(s.state == "listening" and s.local == self.local
               for s in self.stack.sockets()):
            raise NetError("eaddrinuse")
        self.backlog = min(max(backlog, 1), ACCEPT_MBOX)
        self.state = "listening"
        self.stack.trace_event({"op": "listen", "port": port})

    def accept(self) -> "SimSocket | None":
        """An established connection, or None when none waits."""
        self._check_open()
        if self.state != "listening":
            raise NetError("einval")
        if not self.accept_q:
            return None
        child = self.accept_q.popleft()
        self.pending -= 1
        child.listener = None
        return child

    # ------------------------------------------------------------------ TCP/UDP: connect
    def connect(self, ip: Ip, port: int, done: Callable[[str | None], None]) -> None:
        """Start connecting; ``done(None)`` once established, ``done(reason)`` on failure,
        both later in virtual time. UDP only records the default peer."""
        self._check_usable()
        ip = tuple(ip)
        stack = self.stack
        if self.kind == "udp":
            self._autobind()
            self.remote = (ip, port)
            stack.at(stack.now_ns(), lambda: None if self.dead else done(None))
            return
        if self.state == "connected":
            raise NetError("eisconn")
        if self.state == "connecting":
            raise NetError("ealready")
        if self.state == "listening":
            raise NetError("einval")
        if stack.owns(ip):
            target, src_ip = stack, (LOOPBACK if ip[0] == 127 else ip)
        else:
            iface = stack.route(ip)
            if iface is None:
                raise NetError("ehostunreach")
            target, src_ip = stack.peer_stack("tcp", ip, port, iface), iface.ip
        if self.local is None:
            self._autobind(ANY)
        if self.local[0] == ANY:
            self.local = (src_ip, self.local[1])
        self.state, self.remote, self._done = "connecting", (ip, port), done
        self._trace("connect")
        if target is not None:
            stack.send_frame(target, TCP_HEADER, lambda: target.syn_arrives(self, ip, port))
            return
        self._connect_via_gateway(ip, port)

    def _connect_via_gateway(self, ip: Ip, port: int) -> None:
        stack = self.stack
        gateway = stack.network.gateway
        far = gateway.connect_out(self, ip, port) if gateway is not None else None
        if not isinstance(far, SimSocket):
            reason = far if isinstance(far, str) else "ehostunreach"
            stack.at(stack.now_ns() + stack.rtt_ns(), lambda: self._finish_connect(reason))
            return
        far.local, far.remote, far.state = (ip, port), self.local, "syn_rcvd"
        far.tcp = TcpState(self)
        at = stack.now_ns() + stack.rtt_ns()
        stack.at(at, lambda: self._established(far))

    def _finish_connect(self, reason: str | None) -> None:
        done, self._done = self._done, None
        if reason is not None and self.state == "connecting":
            self.state, self.remote = "bound", None
            self.stack.trace_event({"op": "connect_failed", "sock": self.serial,
                                    "why": reason})
        if done is not None and self.state != "closed":
            done(reason)

    # ------------------------------------------------------------------ TCP: data
    def send(self, data: bytes) -> int:
        """Queue ``data``; returns how many bytes the send buffer took (0: full)."""
        self._check_open()
        if self.kind == "udp":
            if self.remote is None:
                raise NetError("enotconn")
            return self.sendto(data, *self.remote)
        if self.error is not None:
            raise NetError(self.error)
        if self.state != "connected":
            raise NetError("enotconn")
        if self.wr_shut:
            raise NetError("epipe")
        n = min(len(data), self._send_space())
        if n > 0:
            self.tcp.unsent += data[:n]
            self._output()
        return n

    def recv(self, n: int) -> bytes | None:
        """Up to ``n`` bytes (0: all buffered); None would block, b"" is the end of the
        stream. A reset connection gives its buffered bytes first, then raises."""
        self._check_open()
        if self.kind == "udp":
            got = self.recvfrom(n)
            return None if got is None else got[0]
        tcp = self.tcp
        if tcp is None or self.state != "connected":
            if self.error is not None:
                raise NetError(self.error)
            raise NetError("enotconn")
        if tcp.rx:
            take = len(tcp.rx) if n <= 0 else min(n, len(tcp.rx))
            data = bytes(tcp.rx[:take])
            del tcp.rx[:take]
            self._consumed(take)
            return data
        if self.error is not None:
            raise NetError(self.error)
        if tcp.fin_received or self.rd_shut:
            return b""
        return None

    # ------------------------------------------------------------------ UDP
    def sendto(self, data: bytes, ip: Ip, port: int) -> int:
        """Send one datagram; returns its size (a datagram nobody takes is lost)."""
        self._check_open()
        if self.kind == "tcp":
            return self.send(data)
        if len(data) > UDP_MAX_PAYLOAD:
            raise NetError("emsgsize")
        ip, stack = tuple(ip), self.stack
        self._autobind()
        if stack.owns(ip):
            src = LOOPBACK if ip[0] == 127 else ip
            self._deliver_udp(stack, data, ip, port, (src if self.local[0] == ANY
                                                      else self.local[0]), False)
            return len(data)
        iface = self._udp_interface(ip)
        src_ip = iface.ip if self.local[0] == ANY else self.local[0]
        if ip == BROADCAST or ip == iface.broadcast() or is_multicast(ip):
            for target, _ in stack.network.on_link(iface):
                if target is not stack:
                    self._deliver_udp(target, data, ip, port, src_ip, True)
            return len(data)
        target = stack.peer_stack("udp", ip, port, iface)
        if target is not None:
            self._deliver_udp(target, data, ip, port, src_ip, False)
            return len(data)
        gateway = stack.network.gateway
        if gateway is None or not gateway.sendto_out(self, data, ip, port):
            stack.trace_event({"op": "udp_lost", "to": f"{ip_text(ip)}:{port}",
                               "len": len(data)})
        return len(data)

    def _udp_interface(self, ip: Ip) -> Interface:
        iface = self.stack.route(ip)
        bound = self.local[0]
        if bound != ANY:
            iface = next((i for i in self.stack.interfaces.values() if i.ip == bound), iface)
        if iface is None:
            raise NetError("ehostunreach")
        return iface

    def _deliver_udp(self, target: NetStack, data: bytes, ip: Ip, port: int,
                     src_ip: Ip, wide: bool) -> None:
        src = (src_ip, self.local[1])
        self.stack.send_frame(target, len(data) + UDP_HEADER,
                              lambda: target.udp_arrives(data, ip, port, src, wide))

    def recvfrom(self, n: int) -> tuple[bytes, Address] | None:
        """The next datagram (cut to ``n`` bytes unless 0) and its sender; None if none."""
        self._check_open()
        if self.kind == "tcp":
            data = self.recv(n)
            return None if data is None else (data, self.peername())
        if self.error is not None:
            raise NetError(self.error)
        if not self.datagrams:
            return None
        data, src = self.datagrams.popleft()
        return (data[:n] if n > 0 else data), src

    def _datagram(self, data: bytes, src: Address) -> None:
        if self.dead:
            return
        if len(self.datagrams) >= UDP_RECV_MBOX:
            self.stack.trace_event({"op": "udp_drop", "sock": self.serial, "len": len(data)})
            return
        self.datagrams.append((data, src))
        self._notify()

