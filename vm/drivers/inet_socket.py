"""The ``socket`` port: AtomVM's inet back end of gen_tcp and gen_udp (socket_driver.c).

``gen_tcp_inet`` and ``gen_udp_inet`` open one port per socket (``open_port({spawn,
"socket"}, [])``) and speak to it with port calls:

- ``{init, Params}``: ``[{proto, tcp}, {connect, true}, {address, "10.0.2.2"}, {port, P},
  {controlling_process, Pid}, {active, B}, {binary, B}, {buffer, N}]``, or ``{listen,
  true}`` and ``{backlog, N}`` instead of connect, or ``{proto, udp}``: ``ok`` once
  connected / listening / bound.
- ``{send, IOData}``, ``{sendto, Address, Port, IOData}``, ``{recv, Length, Timeout}``,
  ``{recvfrom, Length, Timeout}``, ``{accept, Timeout}`` (``{ok, NewPort}``),
  ``{close}``, ``{controlling_process, Pid}``, ``{sockname}``, ``{peername}``,
  ``{get_port}``.
- In active mode the controlling process gets ``{tcp, S, Data}``, ``{tcp_closed, S}`` and
  ``{udp, S, Address, Port, Data}``, S being ``{'$avm_gen_tcp', Port, gen_tcp_inet}`` (or
  the UDP twin): the very term gen_tcp handed the app. When a connection ends the port
  closes itself, so later calls read ``{error, closed}``.

Calls that wait (connect, accept, recv, a send the peer's window holds back) answer later
(:data:`~avmsim.vm.ports.NO_REPLY`), when the board's :class:`SimSocket` says it is ready.
What each platform answers is in :mod:`.inet_dialect`.

One deliberate difference from AtomVM: both C drivers ignore the Timeout of recv, recvfrom
and accept (AtomVM issue #590), so there an app waits for ever; here the call answers
``{error, timeout}`` after Timeout ms of virtual time, as OTP does, and the socket stays
usable. And several processes waiting in accept are served in turn, where the ESP32
driver answers only the last one and the Unix one answers the others
``{error, {accept, 11}}`` (EAGAIN: its listening socket does not block).
"""
from __future__ import annotations

import dataclasses
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from avmsim.peripherals.net import NetError

from ..errors import ErlangError
from ..nifs._util import badarg, bytes_list, iolist_bytes, is_list
from ..ports import NO_REPLY, PortInstance, open_port
from ..terms import ERROR, NIL, OK, Atom, Pid, atom
from .inet_dialect import DIALECTS, BadParams, Settings, Silent

A_TIMEOUT = atom("timeout")
A_BADARG = atom("badarg")
A_EALREADY = atom("ealready")
A_NOT_OWNER = atom("not_owner")
A_OUT_OF_MEMORY = atom("out_of_memory")
A_UNDEFINED = atom("undefined")
A_TCP = atom("tcp")
A_UDP = atom("udp")
TCP_SOCKET = (atom("$avm_gen_tcp"), atom("gen_tcp_inet"))
UDP_SOCKET = (atom("$avm_gen_udp"), atom("gen_udp_inet"))
BADARG = (ERROR, A_BADARG)


@dataclass(eq=False)
class Waiter:
    """A caller whose answer comes later: a recv, an accept, a send or a connect."""

    caller: Any
    ref: Any
    length: int = 0
    data: bytes = b""          # a send: its bytes, of which the socket took ``sent``
    sent: int = 0
    timer: Any = None


@dataclass
class Inbox:
    """Bytes pulled out of the socket but not handed over yet, and how the stream ended."""

    data: bytearray = field(default_factory=bytearray)
    ended: str | None = None   # "closed" after the peer's FIN, else a NetError reason


def parse_ipv4(text: str) -> tuple[int, int, int, int] | None:
    """Dotted-quad text as an address (``localhost`` is 127.0.0.1, as both resolvers
    say), else None: the simulated network has no DNS server."""
    if text == "localhost":
        return (127, 0, 0, 1)
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        return None
    return (int(parts[0]), int(parts[1]), int(parts[2]), int(parts[3]))


def iodata(t: Any) -> bytes:
    """What a send takes: a binary or an iolist, never a bare byte (interop_chardata_fold)."""
    if t.__class__ is not bytes and not is_list(t):
        raise badarg()
    return iolist_bytes(t)


def ipv4_term(t: Any) -> tuple[int, int, int, int] | None:
    """``{A, B, C, D}`` of bytes as an address, else None."""
    if t.__class__ is tuple and len(t) == 4 and all(
            b.__class__ is int and 0 <= b < 256 for b in t):
        return t
    return None


class InetSocketPort:
    """One socket: the requests of socket_driver.c over the board's simulated IP stack."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        self.port = port
        self.vm = port.vm
        self.net = port.vm.devices.net
        self.dialect = DIALECTS[port.vm.devices.board.platform]
        self.sock: Any = None
        self.kind = ""                         # "listen" | "connect" | "udp", once open
        self.settings = Settings("", False, False, 0, None, None, 0)
        self.bound_port = 0
        self.inbox = Inbox()
        self.readers: deque[Waiter] = deque()
        self.accepters: deque[Waiter] = deque()
        self.writers: deque[Waiter] = deque()
        self.handlers: dict[tuple[str, int], Callable[..., Any]] = {
            ("init", 2): self._init, ("send", 2): self._send, ("sendto", 4): self._sendto,
            ("recv", 3): self._recv, ("recvfrom", 3): self._recv,
            ("accept", 2): self._accept, ("close", 1): self._close,
            ("controlling_process", 2): self._controlling_process,
            ("sockname", 1): self._sockname, ("peername", 1): self._peername,
            ("get_port", 1): self._get_port,
        }

    # ------------------------------------------------------------------ the port contract
    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        if request.__class__ is not tuple or not request or request[0].__class__ is not Atom:
            self._complain()
            return NO_REPLY
        handler = self.handlers.get((request[0].name, len(request)))
        if handler is None:
            return BADARG if self.dialect.answers_unknown else NO_REPLY
        return handler(Waiter(caller, ref), *request[1:])

    def message(self, port: PortInstance, msg: Any) -> None:
        """Anything that is not a call: both drivers print a line and drop it."""
        self._complain()

    def closed(self, port: PortInstance) -> None:
        for waiter in (*self.readers, *self.accepters, *self.writers):
            if waiter.timer is not None:
                waiter.timer.cancel()
        self.readers.clear()
        self.accepters.clear()
        self.writers.clear()
        if self.sock is not None:
            self.sock.on_ready = None
            self.sock.close()
            self.sock = None

    def _complain(self) -> None:
        self.vm.console_write(self.dialect.invalid(self.vm.scheduler.now_ns()).encode())

    def _answer(self, waiter: Waiter, value: Any) -> None:
        if waiter.timer is not None:
            waiter.timer.cancel()
        self.port.reply(waiter.caller, waiter.ref, value)

    def _arm(self, waiter: Waiter, queue: deque[Waiter], timeout: Any) -> None:
        """Answer ``{error, timeout}`` after ``timeout`` ms unless answered before."""
        if timeout.__class__ is not int or timeout < 0:
            return   # infinity (and what the C drivers would not read either)

        def expire() -> None:
            if waiter in queue:
                queue.remove(waiter)
                self.port.reply(waiter.caller, waiter.ref, (ERROR, A_TIMEOUT))

        scheduler = self.vm.scheduler
        waiter.timer = scheduler.schedule(scheduler.now_ns() + timeout * 1_000_000, expire)

    def _attach(self, sock: Any, kind: str) -> None:
        self.sock = sock
        self.kind = kind
        sock.on_ready = self._ready

    def _socket_term(self) -> tuple[Any, Any, Any]:
        moniker, module = UDP_SOCKET if self.kind == "udp" else TCP_SOCKET
        return (moniker, self.port.port, module)

    def _packet(self, data: bytes) -> Any:
        return bytes(data) if self.settings.binary else bytes_list(data)

    # ------------------------------------------------------------------ opening
    def _init(self, waiter: Waiter, params: Any) -> Any:
        try:
            settings = self.dialect.settings(params)
        except BadParams:
            return BADARG
        except Silent:
            return NO_REPLY
        if settings.port.__class__ is not int or (
                settings.action == "listen" and settings.backlog.__class__ is not int):
            return BADARG
        if self.sock is not None:
            self.closed(self.port)
            self.inbox = Inbox()
        self.settings = settings
        opener = {"connect": self._connect, "listen": self._listen, "udp": self._open_udp}
        return opener[settings.action](waiter, settings)

    def _bind_address(self, settings: Settings) -> Any:
        """None for any address; raises BadParams for what is not an address."""
        if settings.address is A_UNDEFINED:
            return None
        ip = ipv4_term(settings.address)
        if ip is None:
            raise BadParams
        return ip

    def _bound(self, kind: str, settings: Settings, prepare: Callable[[Any], None]) -> Any:
        """A new socket of ``kind`` bound as the settings say; ok or the error term."""
        try:
            address = self._bind_address(settings)
        except BadParams:
            return BADARG
        try:
            sock = self.net.open(kind)
        except NetError as exc:   # every socket of the board is taken
            return self.dialect.failure("socket", exc.reason)
        step = "bind"
        try:
            prepare(sock)
            if settings.port or self.dialect.binds_port_zero or settings.action == "listen":
                sock.bind(address, settings.port)
                self.bound_port = sock.sockname()[1]
            if settings.action == "listen":
                step = "listen"
                sock.listen(settings.backlog)
        except NetError as exc:
            sock.close()
            return self.dialect.failure(step, exc.reason)
        self._attach(sock, settings.action)
        return OK

    def _open_udp(self, waiter: Waiter, settings: Settings) -> Any:
        return self._bound("udp", settings, lambda sock: None)

    def _listen(self, waiter: Waiter, settings: Settings) -> Any:
        return self._bound("tcp", settings, self.dialect.prepare_listener)

    def _connect(self, waiter: Waiter, settings: Settings) -> Any:
        try:
            ip = parse_ipv4(self.dialect.host(settings.address))
        except ErlangError:
            return BADARG
        if ip is None:
            return self.dialect.unresolved()
        try:
            sock = self.net.open("tcp")
        except NetError as exc:   # every socket of the board is taken
            return self.dialect.failure("socket", exc.reason)
        self.sock = sock

        def done(reason: str | None) -> None:
            if not self.port.open or self.sock is not sock:
                return
            if reason is not None:
                self.sock = None
                sock.close()
                self.port.reply(waiter.caller, waiter.ref,
                                self.dialect.failure("connect", reason))
                return
            self._attach(sock, "connect")
            self.port.reply(waiter.caller, waiter.ref, OK)
            self._ready()

        try:
            sock.connect(ip, settings.port, done)
        except NetError as exc:
            self.sock = None
            sock.close()
            return self.dialect.failure("connect", exc.reason)
        return NO_REPLY

    # ------------------------------------------------------------------ sending
    def _send(self, waiter: Waiter, data: Any) -> Any:
        try:
            waiter.data = iodata(data)
        except ErlangError:
            reply, line = self.dialect.bad_send()
            return self._fail_write(waiter, reply, line)
        if self.kind != "connect":
            return self._fail_write(waiter, *self.dialect.write_failed("enotconn"))
        self.writers.append(waiter)
        self._flush()
        return NO_REPLY

    def _fail_write(self, waiter: Waiter, reply: Any, line: str | None) -> Any:
        if line is not None:
            self.vm.console_write(line.encode())
        return NO_REPLY if reply is None else reply

    def _flush(self) -> None:
        """Hand the waiting sends to the socket as its buffer takes them; answer each once
        the socket took all of it."""
        writers = self.writers
        while writers:
            waiter = writers[0]
            try:
                n = self.sock.send(memoryview(waiter.data)[waiter.sent:])
            except NetError as exc:
                writers.popleft()
                reply = self._fail_write(waiter, *self.dialect.write_failed(exc.reason))
                if reply is not NO_REPLY:
                    self._answer(waiter, reply)
                continue
            waiter.sent += n
            if waiter.sent < len(waiter.data):
                return
            writers.popleft()
            self._answer(waiter, self.dialect.sent(waiter.sent))

    def _sendto(self, waiter: Waiter, address: Any, port: Any, data: Any) -> Any:
        ip = ipv4_term(address)
        try:
            payload = iodata(data)
        except ErlangError:
            return BADARG
        if ip is None or port.__class__ is not int:
            return BADARG
        if self.kind != "udp":
            return self.dialect.failure("sendto", "enotconn")
        try:
            n = self.sock.sendto(payload, ip, port)
        except NetError as exc:
            return self.dialect.failure("sendto", exc.reason)
        return self.dialect.sent(n)

    # ------------------------------------------------------------------ receiving
    def _recv(self, waiter: Waiter, length: Any, timeout: Any) -> Any:
        if length.__class__ is not int or length < 0:
            return BADARG
        if self.kind not in ("connect", "udp"):
            return self.dialect.failure("recv", "enotconn")
        if self.settings.active and self.dialect.recv_when_active is not None:
            return self.dialect.recv_when_active
        if self.readers and not self.dialect.queues_readers:
            return (ERROR, A_EALREADY)
        waiter.length = length
        self.readers.append(waiter)
        self._arm(waiter, self.readers, timeout)
        if not self.settings.active:
            self._serve_readers()
        return NO_REPLY

    def _pull(self, limit: int, wait_all: bool) -> bytes | None:
        """Up to ``limit`` bytes of the stream (all ``limit`` of them when ``wait_all``,
        unless it ended); None while they have not come. A limit below 1 (a buffer option
        of 0) reads 1 byte at a time rather than nothing for ever."""
        limit = max(limit, 1)
        inbox = self.inbox
        while inbox.ended is None and (len(inbox.data) < limit if wait_all else not inbox.data):
            try:
                chunk = self.sock.recv(limit - len(inbox.data))
            except NetError as exc:
                inbox.ended = exc.reason
                break
            if chunk is None:
                break
            if not chunk:
                inbox.ended = "closed"
                break
            inbox.data += chunk
        if inbox.data and (len(inbox.data) >= limit or not wait_all or inbox.ended):
            out = bytes(inbox.data[:limit])
            del inbox.data[:limit]
            return out
        return None

    def _serve_readers(self) -> None:
        settings = self.settings
        while self.readers and self.port.open:
            waiter = self.readers[0]
            if self.kind == "udp":
                got = self.sock.recvfrom(self.dialect.datagram_limit(waiter.length,
                                                                     settings.buffer))
                if got is None:
                    return
                data, (ip, port) = got
                self.readers.popleft()
                self._answer(waiter, (OK, (ip, port, self._packet(data))))
                continue
            data = self._pull(*self.dialect.recv_limit(waiter.length, settings.buffer))
            if data is not None:
                self.readers.popleft()
                self._answer(waiter, (OK, self._packet(data)))
            elif self.inbox.ended is not None:
                self.readers.popleft()
                self._answer(waiter, self.dialect.passive_lost(self.inbox.ended))
                self.port.close()
            else:
                return

    def _deliver_active(self) -> None:
        """Everything that came in, as messages to the controlling process."""
        owner = self.settings.controlling
        limit_of = self.dialect
        while self.port.open:
            if self.kind == "udp":
                got = self.sock.recvfrom(limit_of.active_datagram_limit(self.settings.buffer))
                if got is None:
                    return
                data, (ip, port) = got
                self.port.send(owner, (A_UDP, self._socket_term(), ip, port,
                                       self._packet(data)))
                continue
            data = self._pull(limit_of.active_limit(self.settings.buffer), False)
            if data is not None:
                self.port.send(owner, (A_TCP, self._socket_term(), self._packet(data)))
            elif self.inbox.ended is not None:
                self.port.send(owner, limit_of.active_lost(self.inbox.ended,
                                                           self._socket_term()))
                self.port.close()
            else:
                return

    def _ready(self) -> None:
        """The socket's state may have changed: serve whoever waits on it."""
        if not self.port.open or self.sock is None:
            return
        if self.kind == "listen":
            self._serve_accepters()
            return
        if self.settings.active:
            self._deliver_active()
        else:
            self._serve_readers()
        if self.port.open and self.writers:
            self._flush()

    # ------------------------------------------------------------------ accepting
    def _accept(self, waiter: Waiter, timeout: Any) -> Any:
        if self.kind != "listen":
            return self.dialect.failure("accept", "einval")
        self.accepters.append(waiter)
        self._arm(waiter, self.accepters, timeout)
        self._serve_accepters()
        return NO_REPLY

    def _serve_accepters(self) -> None:
        while self.accepters:
            try:
                conn = self.sock.accept()
            except NetError as exc:
                self._answer(self.accepters.popleft(), self.dialect.failure("accept",
                                                                             exc.reason))
                continue
            if conn is None:
                return
            waiter = self.accepters.popleft()
            if waiter.timer is not None:
                waiter.timer.cancel()
            self._hand_over(conn, waiter)

    def _hand_over(self, conn: Any, waiter: Waiter) -> None:
        """A new port for an accepted connection, owned by the accepting process, with
        the listener's active, binary and buffer settings."""
        try:
            new_port = open_port(self.vm, waiter.caller, "socket", NIL)
        except ErlangError:
            conn.close()
            self.port.send(waiter.caller, A_OUT_OF_MEMORY)
            return
        driver = self.vm.ports[new_port.id].driver
        driver.settings = dataclasses.replace(self.settings, action="connect",
                                              controlling=waiter.caller)
        driver._attach(conn, "connect")
        self.port.reply(waiter.caller, waiter.ref, (OK, new_port))
        driver._ready()   # bytes that came before the accept

    # ------------------------------------------------------------------ the rest
    def _close(self, waiter: Waiter) -> Any:
        self.port.reply(waiter.caller, waiter.ref, OK)
        self.port.close()
        return NO_REPLY

    def _controlling_process(self, waiter: Waiter, pid: Any) -> Any:
        if pid.__class__ is not Pid:
            return BADARG
        if waiter.caller != self.settings.controlling:
            return (ERROR, A_NOT_OWNER)
        self.settings.controlling = pid
        return OK

    def _address(self, which: str) -> Any:
        if self.sock is None:
            return self.dialect.name_failure("closed")
        try:
            ip, port = getattr(self.sock, which)()
        except NetError as exc:
            return self.dialect.name_failure(exc.reason)
        return (OK, (ip, port))

    def _sockname(self, waiter: Waiter) -> Any:
        return self._address("sockname")

    def _peername(self, waiter: Waiter) -> Any:
        return self._address("peername")

    def _get_port(self, waiter: Waiter) -> Any:
        return self.dialect.local_port(self.bound_port)


PORT_DRIVERS = {"socket": (InetSocketPort, tuple(DIALECTS))}
