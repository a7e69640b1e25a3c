"""The bridge between the simulated network and the host: the one place that touches host sockets.

Closed by default, as a serious emulator's user networking is (QEMU's ``-nic user``):

- **Into a board** (``--forward tcp:HOSTPORT:BOARDPORT``, ``udp:…``; rules in
  ``net_host_rules.py``): a socket listens on the host's 127.0.0.1:HOSTPORT — never on another
  host address. Each host connection it accepts becomes a connection from the board's gateway
  address into the board's listener on BOARDPORT (at the address of its preferred interface:
  ``sta``, then ``eth``, then ``ap``); nothing listening there, or no interface up, and the host
  connection is reset, as the device's RST would reset it. Each datagram becomes a datagram
  to BOARDPORT from (gateway address, the host sender's port); the board's answers to that
  address go back to the sender from HOSTPORT.
- **Out of a board**: the gateway address of the board's interfaces (192.168.1.1 for the
  default access point, 10.0.2.2 on generic-unix) is the host: a connection or datagram to
  it reaches the host's 127.0.0.1 at the same port, always. Other addresses no board has
  reach the host's network only when a ``--net-allow`` rule admits them; otherwise the board
  gets ``ehostunreach``, as from a router with no route. The host's answer to a connection
  is waited for (``net_host_sockets.connect_tcp``), so a refused port is ``econnrefused``.

The simulated side of every bridged connection is a socket of the network's host stack
(``IpNetwork.host``, peripherals/net.py): the bridge moves bytes between it and the real
socket with the same ``send``/``recv``/``shutdown``/``close`` the VM's socket layers use, so
lwIP's buffers and windows hold the host back as they would hold back a peer on the air,
and a host that stops reading holds the board back. What the host sends reaches the board
when :meth:`HostGateway.poll` runs — between slices, at the board's virtual time (as UART
bridges do, ``sim/host_inputs.py``), which also waits on :meth:`fds` while the board idles.
Errors from the host — refused, reset, closed mid-transfer — reach the app as the reasons
AtomVM returns (``econnrefused``, ``econnreset``…), never as Python exceptions.
"""
from __future__ import annotations

import errno
import select
import socket
from selectors import EVENT_READ, EVENT_WRITE
from typing import Any

from .net import ROUTE_PRIORITY, Address, Interface, IpNetwork, Ip, NetError, \
    SimSocket, ip_text
from .net_host_rules import Allow, Forward
from .net_host_sockets import (CHUNK, LOOPBACK, HostStream, bind_udp, connect_tcp,
                               connected_udp, listen_tcp)


ABORTIVE = (True, 0)
"""SO_LINGER with a zero timeout: ``close`` sends a RST (peripherals/net.py)."""
POLL_EVENTS = {EVENT_READ: select.POLLIN, EVENT_WRITE: select.POLLOUT,
               EVENT_READ | EVENT_WRITE: select.POLLIN | select.POLLOUT}


class GatewayError(ValueError):
    """A forward that cannot be opened (the host port is taken, the board does not exist);
    the message names the option, for the user as it is."""


def _board_interface(stack: Any) -> Interface | None:
    """The interface a forwarded connection reaches the board on (None: none is up)."""
    return max(stack.interfaces.values(), key=lambda i: ROUTE_PRIORITY.get(i.name, 0),
               default=None)


class _TcpLink:
    """A host TCP connection joined to a host-stack socket connected to a board."""

    def __init__(self, gateway: "HostGateway", far: SimSocket, stream: HostStream) -> None:
        self.gateway = gateway
        self.far = far
        self.stream = stream
        self.inbox = bytearray()      # host bytes the board's window has no room for yet
        self.fin_to_board = False
        self.fin_from_board = False
        far.on_ready = self.pump

    def connected(self, reason: str | None) -> None:
        """(Forward) the board accepted the connection, or refused it (the host sees a RST)."""
        if reason is None:
            self.pump()
        else:
            self.stream.reset()
            self.far.close()
            self.gateway.unlink(self)

    def events(self) -> int:
        """What to wait for on the host socket: its bytes only when the board can take some."""
        can_take = self.far.state == "connected" and not self.inbox and not self.fin_to_board
        return self.stream.events(reading=can_take)

    def pump(self) -> int:
        """Move what can move both ways; the host bytes handed to the board (a count that
        says the board may have been woken)."""
        moved = self._to_host()
        moved += self._to_board()
        if self.stream.error is not None:
            self._abort()
        elif self.fin_to_board and self.fin_from_board and not self.stream.outbox:
            self.far.close()
            self.stream.close()
            self.gateway.unlink(self)
        return moved

    def _to_host(self) -> int:
        """The board's bytes out to the host, as fast as the host takes them."""
        stream, far = self.stream, self.far
        stream.flush()
        while not stream.outbox and not self.fin_from_board and far.readable():
            try:
                data = far.recv(0)
            except NetError:       # the board reset the connection (or rebooted)
                stream.reset()
                self.gateway.unlink(self)
                return 1
            if data is None:
                break
            if not data:
                self.fin_from_board = True
                stream.shutdown_write()
            else:
                stream.write(data)
        return 0

    def _to_board(self) -> int:
        """The host's bytes in to the board, as far as its window lets them."""
        stream, far = self.stream, self.far
        moved = 0
        while far.state == "connected" and not self.fin_to_board:
            if not self.inbox:
                data = stream.read(CHUNK)
                if data is None:
                    break
                if not data:       # the host closed its side: the board reads the end
                    self.fin_to_board = True
                    far.shutdown("write")
                    return moved + 1
                self.inbox += data
            try:
                taken = far.send(self.inbox)
            except NetError:
                return moved      # the board's side is gone: _to_host sees why
            del self.inbox[:taken]
            moved += taken
            if self.inbox:
                break
        return moved

    def _abort(self) -> None:
        """The host failed the connection: the board gets a reset."""
        if self.far.state != "closed":
            self.far.opts["linger"] = ABORTIVE
            self.far.close()
        self.gateway.unlink(self)

    def close(self) -> None:
        self.stream.close()


class _UdpRelay:
    """A host-stack UDP socket bound at an address a board sends to, and the host socket(s)
    its datagrams leave by: the forward's own socket (answers to a forward's client), or one
    connected host socket per board sender (the board's traffic to a host service)."""

    def __init__(self, gateway: "HostGateway", board_side: Address, host: tuple[str, int],
                 forward_sock: socket.socket | None) -> None:
        self.host = host
        self.forward_sock = forward_sock
        self.outs: dict[Address, socket.socket] = {}   # board sender -> its host socket
        self.sim = gateway.network.host.open("udp")
        self.sim.bind(board_side[0], board_side[1])
        self.sim.on_ready = self.pump

    def pump(self) -> None:
        """The boards' datagrams out to the host."""
        while (got := self.sim.recvfrom(0)) is not None:
            self.send_out(*got)

    def send_out(self, data: bytes, sender: Address) -> None:
        try:
            if self.forward_sock is not None:
                self.forward_sock.sendto(data, self.host)
            else:
                self._out_for(sender).send(data)
        except OSError:
            pass   # a datagram the host cannot take is lost, as on the air

    def _out_for(self, sender: Address) -> socket.socket:
        if sender not in self.outs:
            self.outs[sender] = connected_udp(*self.host)
        return self.outs[sender]

    def to_board(self, data: bytes, sender: Address) -> None:
        self.sim.sendto(data, sender[0], sender[1])

    def host_sockets(self) -> list[tuple[socket.socket, Address]]:
        return [(sock, sender) for sender, sock in self.outs.items()]

    def close(self) -> None:
        for sock in self.outs.values():
            sock.close()
        self.outs.clear()


class HostGateway:
    """``IpNetwork.gateway``: forwards from the host, the boards' way out to it, and the
    real sockets behind both."""

    def __init__(self, network: IpNetwork, forwards: list[Forward], allow: list[Allow]) -> None:
        self.network = network
        self.allow = list(allow)
        self.links: list[_TcpLink] = []
        self.relays: dict[Address, _UdpRelay] = {}
        self.listening: list[tuple[Forward, Any, socket.socket]] = []   # (rule, stack, sock)
        try:
            for rule in forwards:
                self.listening.append((rule, self._target(rule), self._listen(rule)))
        except GatewayError:
            self.close()
            raise
        network.gateway = self

    # ------------------------------------------------------------------ set-up
    def _target(self, rule: Forward) -> Any:
        """The board stack a forward reaches."""
        stacks = self.network.stacks
        if rule.board is None:
            if len(stacks) != 1:
                raise GatewayError(f"{rule.option}: name the board "
                                   f"({rule.proto}:{rule.host_port}:BOARD:{rule.board_port}; "
                                   f"boards: {', '.join(stacks)})")
            return next(iter(stacks.values()))
        if rule.board not in stacks:
            raise GatewayError(f"{rule.option}: no board {rule.board!r} with a network "
                               f"(boards: {', '.join(stacks) or 'none'})")
        return stacks[rule.board]

    @staticmethod
    def _listen(rule: Forward) -> socket.socket:
        try:
            return (listen_tcp if rule.proto == "tcp" else bind_udp)(rule.host_port)
        except OSError as err:
            why = ("the host port is in use" if err.errno == errno.EADDRINUSE
                   else err.strerror or str(err))
            raise GatewayError(f"{rule.option}: cannot listen on "
                               f"{LOOPBACK}:{rule.host_port}: {why}") from None

    def describe(self) -> list[str]:
        """One line per forward: where it listens (HOSTPORT 0 picked a free port)."""
        return [f"{rule.proto} {LOOPBACK}:{sock.getsockname()[1]} forwarded to port "
                f"{rule.board_port} of {stack.name}" for rule, stack, sock in self.listening]

    def host_port(self, index: int) -> int:
        """The host port forward ``index`` (in option order) listens on."""
        return self.listening[index][2].getsockname()[1]

    # ------------------------------------------------------------------ out of a board
    def _host_address(self, stack: Any, ip: Ip, port: int) -> tuple[str, int] | None:
        """Where on the host a board's ``(ip, port)`` leads, or None when it may not go."""
        if any(iface.gateway == ip for iface in stack.interfaces.values()):
            return LOOPBACK, port
        if any(rule.permits(ip, port) for rule in self.allow):
            return ip_text(ip), port
        return None

    def connect_out(self, sock: SimSocket, ip: Ip, port: int) -> SimSocket | str | None:
        """(net.py) A board connects to an address no board has."""
        target = self._host_address(sock.stack, ip, port)
        if target is None:
            return None
        stream = connect_tcp(*target)
        if isinstance(stream, str):
            return stream
        far = self.network.host.open("tcp")
        self.links.append(_TcpLink(self, far, stream))
        return far

    def sendto_out(self, sock: SimSocket, data: bytes, ip: Ip, port: int) -> bool:
        """(net.py) A board sends a datagram to an address no board has: through a relay
        bound there, which later datagrams reach directly."""
        target = self._host_address(sock.stack, ip, port)
        if target is None:
            return False
        relay = self.relays.get((ip, port))
        if relay is None:
            relay = self.relays[(ip, port)] = _UdpRelay(self, (ip, port), target, None)
        relay.send_out(data, self._sender(sock, ip))
        return True

    @staticmethod
    def _sender(sock: SimSocket, to: Ip) -> Address:
        """The address a board's datagram to ``to`` comes from."""
        ip, port = sock.sockname()
        if ip == (0, 0, 0, 0):
            iface = sock.stack.route(to)
            ip = iface.ip if iface is not None else ip
        return ip, port

    # ------------------------------------------------------------------ into a board
    def _accept(self, rule: Forward, stack: Any, server: socket.socket) -> int:
        """Host connections waiting on a TCP forward become connections into the board."""
        started = 0
        while True:
            try:
                client, _ = server.accept()
            except OSError:    # none waiting (BlockingIOError), or one that left already
                return started
            stream = HostStream(client)
            iface = _board_interface(stack)
            if iface is None:
                stream.reset()
                continue
            far = self.network.host.open("tcp")
            link = _TcpLink(self, far, stream)
            self.links.append(link)
            far.connect(iface.ip, rule.board_port, link.connected)
            started += 1

    def _datagrams_in(self, rule: Forward, stack: Any, server: socket.socket) -> int:
        """Host datagrams on a UDP forward go to the board, from its gateway address."""
        taken = 0
        while True:
            try:
                data, (host_ip, host_port) = server.recvfrom(CHUNK)
            except OSError:
                return taken
            iface = _board_interface(stack)
            if iface is None:
                continue   # no address yet: nobody can receive it
            board_side = (iface.gateway, host_port)
            relay = self.relays.get(board_side)
            if relay is None:
                relay = self.relays[board_side] = _UdpRelay(
                    self, board_side, (host_ip, host_port), server)
            relay.sim.sendto(data, iface.ip, rule.board_port)
            taken += 1

    # ------------------------------------------------------------------ polling
    def poll(self) -> int:
        """Move what the host has sent into the boards (and the boards' bytes the host can
        now take out); how much came in (0: nothing that could wake a board)."""
        if not self.active():
            return 0
        waiting = self.fds()
        poller = select.poll()
        for fd, events in waiting:
            poller.register(fd, POLL_EVENTS[events])
        ready = {fd for fd, _ in poller.poll(0)}
        if not ready:
            return 0
        moved = 0
        for rule, stack, server in list(self.listening):
            if server.fileno() in ready:
                pull = self._accept if rule.proto == "tcp" else self._datagrams_in
                moved += pull(rule, stack, server)
        for link in list(self.links):
            if link.stream.fileno() in ready:
                moved += link.pump()
        for relay in list(self.relays.values()):
            for sock, sender in relay.host_sockets():
                if sock.fileno() in ready:
                    moved += self._replies(relay, sock, sender)
        return moved

    @staticmethod
    def _replies(relay: _UdpRelay, sock: socket.socket, sender: Address) -> int:
        taken = 0
        while True:
            try:
                data = sock.recv(CHUNK)
            except OSError:    # nothing more, or an ICMP error (UDP errors are not reported)
                return taken
            relay.to_board(data, sender)
            taken += 1

    def fds(self) -> list[tuple[int, int]]:
        """Host descriptors to wait on, with ``selectors`` events (EVENT_READ, EVENT_WRITE)."""
        out = [(server.fileno(), EVENT_READ) for _, _, server in self.listening]
        out += [(link.stream.fileno(), ev) for link in self.links if (ev := link.events())]
        out += [(sock.fileno(), EVENT_READ) for relay in self.relays.values()
                for sock, _ in relay.host_sockets()]
        return out

    def active(self) -> bool:
        """Whether a host socket is open (a host peer may still speak)."""
        return bool(self.listening or self.links
                    or any(relay.outs for relay in self.relays.values()))

    def unlink(self, link: _TcpLink) -> None:
        if link in self.links:
            self.links.remove(link)

    def close(self) -> None:
        """Release every host socket (host peers see their connections end)."""
        for _, _, server in self.listening:
            server.close()
        self.listening.clear()
        for link in self.links:
            link.close()
        self.links.clear()
        for relay in self.relays.values():
            relay.close()

