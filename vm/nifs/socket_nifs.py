"""AtomVM's ``socket`` NIFs (otp_socket.c) over the board's simulated IP stack.

AtomVM builds otp_socket.c over BSD sockets on ESP32 (lwIP's socket API) and generic_unix,
so these follow its BSD code paths: names, arities, argument checks (``badarg``), the
``{error, Atom}`` returns, the options and the select messages are AtomVM's. The NIFs never
block: ``socket.erl`` waits in Erlang for ``{'$socket', Socket, select, Ref}``, which the
socket's ``on_ready`` delivers to the process that asked (``nif_select_read/2``); closing a
socket another process selects on sends that process ``{'$socket', Socket, abort,
{Ref, closed}}``. ``connect/2`` is the one call that waits (AtomVM's BSD connect blocks
until the handshake ends): the caller is trapped until the stack answers.

The socket term is AtomVM's ``{Resource, Ref}``: a resource (a reference to the VM:
``is_reference/1`` is true, printed ``#Ref<…>``) and a plain reference. avmsim has no
resource term yet, so the resource is a plain reference (:mod:`.resources`).

Where AtomVM's BSD code gives what looks odd, it is kept: every ``connect`` failure is
``{error, closed}``; a ``send`` that the stack cannot take at all (EAGAIN), or one that
fails, is ``{error, closed}``; a read with nothing buffered is ``{error, timeout}`` and
an empty accept queue ``{error, eagain}``; an errno that ``posix_errno_to_term`` does not
name is the platform's number (a port in use is ``{error, 98}`` on generic_unix,
``{error, 112}`` on ESP32: :mod:`.posix_errno`). ESP32 peeks before reading (a read takes
at most the ``{otp, rcvbuf}`` size, 512 bytes by default, whatever length was asked);
generic_unix reads straight (up to the length asked, or the buffer size for 0). Where the
C code reads a term without checking it (an ``addr`` that is not an IPv4 tuple, a port that
is not an integer, an option that is not a tuple), avmsim raises ``badarg``. ``connect``
waits in its own process only (AtomVM's blocking connect holds a scheduler thread).
Options reach the simulated socket's ``opts``: ``reuseaddr``, ``linger`` (``{OnOff, Secs}``;
``{true, 0}`` closes with a reset) and ``add_membership`` (the multicast groups joined).

Only boards with an IP stack (``vm.devices.net``: esp32, generic_unix) have these NIFs;
elsewhere ``socket.erl``'s stubs run, as on AtomVM's STM32 and Pico builds, and fail with
``error:undefined`` (``erlang:nif_error(undefined)``).

Memory: each socket is a resource, ``struct RefcBinary`` + ``struct SocketResource``
(:data:`RESOURCE_BYTES`), charged to the board's RAM from open/accept until close (AtomVM
frees it when the last reference goes; avmsim when a process exit leaves nobody holding it:
:mod:`.socket_collect`). The IP stack's own buffers (lwIP pbufs and PCBs) are not charged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from avmsim.peripherals.net import NetError

from ..errors import ErlangError
from ..natives import control_native, native
from ..term_size import REFC_BLOCK_FIELDS
from ..terms import ERROR, OK, TRUE, UNDEFINED, Atom, Map, Ref, atom
from . import socket_collect
from ._trap import trap
from .posix_errno import errno_number, errno_term
from .resources import lookup, new_resource
from ._util import badarg, charge_results, decoded, need_int, proplist_value, whole
from .socket_addr import ADDR, ANY, LOOPBACK, PORT, addr_map, need_sockaddr_ip

A_UNDEFINED_FN = atom("undefined")   # what socket.erl's stubs raise where there is no stack
A_OUT_OF_MEMORY = atom("out_of_memory")
A_SOCKET = atom("$socket")
A_SELECT = atom("select")
A_ABORT = atom("abort")
A_CLOSED = atom("closed")
A_TIMEOUT = atom("timeout")
A_EAGAIN = atom("eagain")
A_EBADF = atom("ebadf")
A_EOPNOTSUPP = atom("eopnotsupp")
A_INVALID_OPTION = atom("invalid_option")
A_INVALID_VALUE = atom("invalid_value")
A_STREAM = atom("stream")
A_DGRAM = atom("dgram")
A_LEVEL_SOCKET = atom("socket")
A_TYPE = atom("type")
A_ONOFF = atom("onoff")
A_LINGER = atom("linger")
A_MULTIADDR = atom("multiaddr")
A_INTERFACE = atom("interface")

DEFAULT_BUFFER_SIZE = 512
"""otp_socket.c DEFAULT_BUFFER_SIZE: what a read of length 0 asks for."""

RESOURCE_BYTES = {4: REFC_BLOCK_FIELDS * 4 + 56, 8: REFC_BLOCK_FIELDS * 8 + 64}
"""``enif_alloc_resource``: ``struct RefcBinary`` (5 pointer-sized fields) + the BSD
``struct SocketResource`` (fd, two uint64 ref ticks, selecting pid, an ErlNifMonitor of a
pointer and a uint64, buf_size, the rwlock pointer: 56 bytes with padding on 32-bit, 64 on
64-bit)."""

# (domain, type, protocol) atoms -> the simulated socket kind; a known protocol that does not
# fit the type is EPROTONOSUPPORT from socket(2); an unknown atom is badarg.
DOMAINS = frozenset({atom("inet")})
TYPES = {A_STREAM: "tcp", A_DGRAM: "udp"}
PROTOCOLS = {atom("ip"): None, atom("tcp"): "tcp", atom("udp"): "udp"}

SHUTDOWN = {atom("read"): "read", atom("write"): "write", atom("read_write"): "read_write"}

LOG_LINE = "\x1b[0;{color}m{level} ({ms}) otp_socket: {text}\x1b[0m\n"
"""ESP_LOGx with LOG_COLORS (ESP-IDF's default), as AVM_LOGE/W/I print on the ESP32."""
LOG_COLORS = {"E": 31, "W": 33, "I": 32}

LWIP_CONNECT_ERRNO = {"econnrefused": "econnreset"}
"""A refused connection reaches lwIP's connect as ERR_RST, which is ECONNRESET (err.c)."""


@dataclass(frozen=True)
class Flavour:
    """Where the platforms' socket layers differ under otp_socket.c."""
    peek: bool              # otp_socket_platform_supports_peek: recv peeks first
    checks_protocol: bool   # socket(2) refuses a protocol that does not fit the type
                            # (lwIP's lwip_socket ignores it for stream and dgram)


FLAVOURS = {"esp32": Flavour(peek=True, checks_protocol=False),
            "generic_unix": Flavour(peek=False, checks_protocol=True)}


def _flavour(ctx: Any) -> Flavour:
    return FLAVOURS.get(ctx.vm.platform.name, FLAVOURS["generic_unix"])


def _log(ctx: Any, level: str, text: str) -> None:
    """AtomVM's AVM_LOGE/W/I line on the ESP32 console (ESP-IDF's timestamp: ms since boot).
    generic_unix prints them on its stderr with otp_socket.c's path and line; avmsim does
    not reproduce those."""
    if ctx.vm.platform.name == "esp32":
        line = LOG_LINE.format(color=LOG_COLORS[level], level=level,
                               ms=ctx.vm.monotonic_ns() // 1_000_000, text=text)
        ctx.vm.console_write(line.encode())


@dataclass(eq=False)
class SocketResource:
    """One socket: the simulated socket and what otp_socket.c keeps beside it."""
    sock: Any                      # SimSocket, None once closed
    kind: str                      # "tcp" | "udp"
    block: int | None              # its RAM block
    term: tuple = ()               # {Resource, Ref}
    buf_size: int = DEFAULT_BUFFER_SIZE
    selector: Any = None           # Pid that selects (kept after the message, as AtomVM)
    select_ref: Any = UNDEFINED
    armed: bool = False            # a select message is owed when it becomes readable


def net_stack(ctx: Any) -> Any:
    """The board's IP stack; ``error:undefined`` where there is none (socket.erl's stubs)."""
    stack = getattr(ctx.vm.devices, "net", None)
    if stack is None:
        raise ErlangError(ERROR, A_UNDEFINED_FN)
    return stack


def _resource(ctx: Any, term: Any) -> SocketResource:
    """``term_is_otp_socket`` then ``term_to_otp_socket``: badarg for anything else."""
    net_stack(ctx)
    if not (term.__class__ is tuple and len(term) == 2 and term[1].__class__ is Ref):
        raise badarg()
    res = lookup(ctx.vm, term[0], SocketResource)
    if res is None:
        raise badarg()
    return res


def _err(reason: Atom) -> tuple:
    return (ERROR, reason)


def _new_resource(ctx: Any, sock: Any, kind: str) -> SocketResource:
    vm = ctx.vm
    block = None
    if vm.charges is not None:
        try:
            block = vm.charges.ram.allocate(RESOURCE_BYTES[vm.word_size], "socket")
        except MemoryError:
            sock.close()
            raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
    res = SocketResource(sock, kind, block)
    res.term = (new_resource(vm, res), vm.new_ref())
    sock.on_ready = lambda: _ready(vm, res)
    socket_collect.opened(vm, res.term[0], res, _destroy)
    return res


def _ready(vm: Any, res: SocketResource) -> None:
    """The stack says readability may have changed: send the owed select message."""
    if res.armed and res.sock is not None and res.sock.readable():
        res.armed = False
        _notify(vm, res, (A_SOCKET, res.term, A_SELECT, res.select_ref))


def _notify(vm: Any, res: SocketResource, msg: tuple) -> None:
    target = vm.process(res.selector) if res.selector is not None else None
    if target is None:   # the selecting process died: AtomVM's monitor stops the select
        res.selector, res.armed = None, False
        return
    vm.deliver(target, msg)


# ----------------------------------------------------------------------------- open / close

@native("socket", "open", 3)
def open_(ctx: Any, domain: Any, type_: Any, protocol: Any) -> Any:
    stack = net_stack(ctx)
    # AtomVM checks domain, type, then protocol, and says "type" for the protocol too
    for term, known, what in ((domain, DOMAINS, "domain"), (type_, TYPES, "type"),
                              (protocol, PROTOCOLS, "type")):
        if term.__class__ is not Atom or term not in known:
            _log(ctx, "W", f"Unsupported {what}.")
            raise badarg()
    kind = TYPES[type_]
    try:
        if PROTOCOLS[protocol] not in (None, kind) and _flavour(ctx).checks_protocol:
            raise NetError("eprotonosupport")
        sock = stack.open(kind)
    except NetError as e:
        _log(ctx, "E", "Failed to initialize socket.")
        return _posix(ctx, e.reason)
    return (OK, _new_resource(ctx, sock, kind).term)


@native("socket", "close", 1)
def close(ctx: Any, socket: Any) -> Any:
    res = _resource(ctx, socket)
    if res.sock is None:
        return OK   # double close
    if res.selector is not None and res.selector != ctx.pid:
        _notify(ctx.vm, res, (A_SOCKET, socket, A_ABORT, (res.select_ref, A_CLOSED)))
    _destroy(ctx.vm, res)
    return OK


def _destroy(vm: Any, res: SocketResource) -> None:
    """Close the simulated socket and free the resource's RAM (``close/1``, or AtomVM's
    destructor once nobody holds the socket: :mod:`.socket_collect`)."""
    res.selector, res.armed = None, False
    sock, res.sock = res.sock, None
    sock.on_ready = None
    try:
        sock.close()
    except NetError:   # the stack already dropped it (an interface went down)
        pass
    if res.block is not None:
        vm.charges.release(res.block)
        res.block = None
    socket_collect.closed(vm, res.term[0])


# ----------------------------------------------------------------------------- select

@native("socket", "nif_select_read", 2)
def nif_select_read(ctx: Any, socket: Any, ref: Any) -> Any:
    res = _resource(ctx, socket)
    if ref is not UNDEFINED and ref.__class__ is not Ref:
        raise badarg()
    res.selector, res.select_ref = ctx.pid, ref
    if res.sock is None:
        _notify(ctx.vm, res, (A_SOCKET, socket, A_ABORT, (ref, A_CLOSED)))
        return OK
    res.armed = True
    _ready(ctx.vm, res)
    return OK


@native("socket", "nif_select_stop", 1)
def nif_select_stop(ctx: Any, socket: Any) -> Any:
    res = _resource(ctx, socket)
    res.selector, res.armed = None, False
    return OK


# ----------------------------------------------------------------------------- options

@native("socket", "getopt", 2)
def getopt(ctx: Any, socket: Any, option: Any) -> Any:
    res = _resource(ctx, socket)
    if res.sock is None:
        return _err(A_CLOSED)
    if option.__class__ is not tuple or len(option) != 2:
        raise badarg()
    if option[0] is not A_LEVEL_SOCKET:
        _log(ctx, "E", "socket:getopt: Unsupported level")
        raise badarg()
    if option[1] is not A_TYPE:
        raise badarg()
    return (OK, A_STREAM if res.kind == "tcp" else A_DGRAM)


def _kv(value: Any, key: Atom) -> Any:
    """interop_kv_get_value: a map's value, or a proplist's."""
    if value.__class__ is Map:
        return value.get(key)
    return proplist_value(value, key)


def _set_reuseaddr(res: SocketResource, value: Any) -> Any:
    res.sock.opts["reuseaddr"] = value is TRUE
    return OK


def _set_linger(res: SocketResource, value: Any) -> Any:
    secs = _kv(value, A_LINGER)
    if secs.__class__ is not int:
        raise badarg()
    res.sock.opts["linger"] = (_kv(value, A_ONOFF) is TRUE, secs)
    return OK


def _set_rcvbuf(res: SocketResource, value: Any) -> Any:
    if value.__class__ is not int or value < 0:
        return _err(A_INVALID_VALUE)
    res.buf_size = value
    return OK


def _set_membership(res: SocketResource, value: Any) -> Any:
    if value.__class__ is not Map:
        return _err(A_INVALID_VALUE)
    group, interface = value.get(A_MULTIADDR), value.get(A_INTERFACE)
    if not (_is_quad(group) and _is_quad(interface)):
        return _err(A_INVALID_VALUE)
    res.sock.opts.setdefault("add_membership", []).append((group, interface))
    return OK


def _is_quad(t: Any) -> bool:
    return t.__class__ is tuple and len(t) == 4


# level -> (option -> setter, what an unknown option of that level gives)
SETOPTS: dict[Atom, tuple[dict[Atom, Any], Any]] = {
    A_LEVEL_SOCKET: ({atom("reuseaddr"): _set_reuseaddr, A_LINGER: _set_linger}, None),
    atom("otp"): ({atom("rcvbuf"): _set_rcvbuf}, A_INVALID_OPTION),
    atom("ip"): ({atom("add_membership"): _set_membership}, A_INVALID_OPTION),
}


@native("socket", "setopt", 3)
def setopt(ctx: Any, socket: Any, option: Any, value: Any) -> Any:
    res = _resource(ctx, socket)
    if res.sock is None:
        return _err(A_CLOSED)
    if option.__class__ is not tuple or len(option) != 2:
        raise badarg()
    level = SETOPTS.get(option[0]) if option[0].__class__ is Atom else None
    if level is None:
        raise badarg()
    setters, unknown = level
    setter = setters.get(option[1]) if option[1].__class__ is Atom else None
    if setter is None:
        if unknown is None:
            raise badarg()
        return _err(unknown)
    return setter(res, value)


# ----------------------------------------------------------------------------- addresses

def _posix(ctx: Any, reason: str) -> tuple:
    """``{error, Errno}`` as ``make_errno_tuple`` builds it (:mod:`.posix_errno`)."""
    return (ERROR, errno_term(ctx.vm.platform.name, reason))


def _net_call(ctx: Any, fn: Any, *args: Any, log: str | None = None) -> Any:
    """Call the stack; a NetError becomes ``{error, Errno}``, after AtomVM's log line
    (``log`` formatted with ``errno``) when it writes one."""
    try:
        fn(*args)
    except NetError as e:
        if log is not None:
            _log(ctx, "E", log.format(errno=errno_number(ctx.vm.platform.name, e.reason)))
        return _posix(ctx, e.reason)
    return OK


@native("socket", "sockname", 1)
def sockname(ctx: Any, socket: Any) -> Any:
    return _address(ctx, socket, "sockname")


@native("socket", "peername", 1)
def peername(ctx: Any, socket: Any) -> Any:
    return _address(ctx, socket, "peername")


def _address(ctx: Any, socket: Any, which: str) -> Any:
    """``{ok, #{addr, port}}`` of one end (no ``family`` key, as otp_socket.c builds it)."""
    res = _resource(ctx, socket)
    if res.sock is None:
        return _err(A_EBADF)
    try:
        ip, port = getattr(res.sock, which)()
    except NetError as e:
        return _posix(ctx, e.reason)
    return (OK, addr_map(ip, port))


@native("socket", "bind", 2)
def bind(ctx: Any, socket: Any, address: Any) -> Any:
    res = _resource(ctx, socket)
    if res.sock is None:
        return _err(A_EBADF)
    if address is ANY or address is LOOPBACK:
        ip, port = need_sockaddr_ip(address), 0
    elif address.__class__ is Map:
        ip = need_sockaddr_ip(address.get(ADDR))
        port = need_int(address.get(PORT, 0)) & 0xFFFF   # htons of whatever was given
    else:
        ip, port = None, 0   # otp_socket.c leaves the zeroed sockaddr: 0.0.0.0, port 0
    return _net_call(ctx, res.sock.bind, ip, port, log="Unable to bind socket: res=-1.")


@native("socket", "listen", 2)
def listen(ctx: Any, socket: Any, backlog: Any) -> Any:
    res = _resource(ctx, socket)
    need_int(backlog)
    if res.sock is None:
        return _err(A_EBADF)
    return _net_call(ctx, res.sock.listen, max(backlog, 0),
                     log="Unable to listen on socket: res=-1.")


@native("socket", "nif_accept", 1)
def nif_accept(ctx: Any, socket: Any) -> Any:
    res = _resource(ctx, socket)
    if res.sock is None:
        return _err(A_EBADF)
    if res.kind == "udp":
        return _err(A_EOPNOTSUPP)
    try:
        conn = res.sock.accept()
    except NetError as e:
        return _err(A_CLOSED) if e.reason == "econnaborted" else _posix(ctx, e.reason)
    if conn is None:
        return _err(A_EAGAIN)
    return (OK, _new_resource(ctx, conn, "tcp").term)


@control_native("socket", "connect", 2)
def connect(c: Any, cont: int) -> int:
    """UDP records the default destination at once; for TCP the caller waits for the
    handshake: ``ok``, or ``{error, closed}`` whatever the failure (AtomVM's BSD code)."""
    socket, address = c.x[0], c.x[1]
    res = _resource(c, socket)
    if address.__class__ is not Map or address.get(ADDR) is None:
        raise badarg()
    port = address.get(PORT, 0)
    if port.__class__ is not int or not 0 <= port <= 65535:
        raise badarg()
    ip = need_sockaddr_ip(address.get(ADDR), any_ok=False)
    if res.sock is None:
        c.x[0] = _err(A_EBADF)
        return cont
    if res.kind == "udp":
        try:
            res.sock.connect(ip, port, _ignore)
            c.x[0] = OK
        except NetError as e:
            _connect_failed(c, e.reason)
            c.x[0] = _err(A_CLOSED)
        return cont
    resume = trap(c, cont)

    def done(reason: str | None) -> None:
        if reason is not None:
            _connect_failed(c, reason)
        resume(OK if reason is None else _err(A_CLOSED))

    try:
        res.sock.connect(ip, port, done)
    except NetError as e:
        done(e.reason)
    return 0


def _connect_failed(c: Any, reason: str) -> None:
    platform = c.vm.platform.name
    if platform == "esp32":
        reason = LWIP_CONNECT_ERRNO.get(reason, reason)
    _log(c, "E", f"Unable to connect: res=-1 errno={errno_number(platform, reason)}")


def _ignore(reason: str | None) -> None:
    """A UDP connect is done when it returns; its completion call says nothing more."""


@native("socket", "shutdown", 2)
def shutdown(ctx: Any, socket: Any, how: Any) -> Any:
    res = _resource(ctx, socket)
    if how.__class__ is not Atom or how not in SHUTDOWN:
        raise badarg()
    if res.sock is None:
        return _err(A_EBADF)
    return _net_call(ctx, res.sock.shutdown, SHUTDOWN[how],
                     log="Unable to shut down socket: res=-1 errno={errno}")


# ----------------------------------------------------------------------------- data

def _read_size(ctx: Any, res: SocketResource, length: int) -> int:
    """Bytes one read may take: with peek (ESP32) at most the buffer size, whatever was
    asked; without (generic_unix) the length asked, or the buffer size for 0."""
    wanted = length or res.buf_size
    if _flavour(ctx).peek:
        return min(wanted, res.buf_size)
    return wanted


def _recv(ctx: Any, socket: Any, length: Any, with_source: bool) -> Any:
    """One read: nothing there is ``{error, timeout}``, a read of 0 bytes (the end of a
    stream, or an empty datagram: recv(2) returns 0 for both) ``{error, closed}``, a
    reset ``{error, closed}``, another failure its errno."""
    res = _resource(ctx, socket)
    if length.__class__ is not int or length < 0:
        raise badarg()
    if res.sock is None:
        return _err(A_EBADF)
    try:
        got = res.sock.recvfrom(_read_size(ctx, res, length))
    except NetError as e:
        return _err(A_CLOSED) if e.reason == "econnreset" else _posix(ctx, e.reason)
    if got is None:
        return _err(A_TIMEOUT)
    data, (ip, port) = got
    if not data:
        return _err(A_CLOSED)
    if with_source:
        return (OK, (addr_map(ip, port, family=True), data))
    return (OK, data)


@native("socket", "nif_recv", 2)
def nif_recv(ctx: Any, socket: Any, length: Any) -> Any:
    return _recv(ctx, socket, length, False)


@native("socket", "nif_recvfrom", 2)
def nif_recvfrom(ctx: Any, socket: Any, length: Any) -> Any:
    return _recv(ctx, socket, length, True)


def _send(ctx: Any, socket: Any, data: Any, dest: Any) -> Any:
    """``ok`` when the stack took everything, ``{ok, Rest}`` when it took part,
    ``{error, closed}`` when it took nothing (EAGAIN) or failed, as otp_socket.c answers."""
    res = _resource(ctx, socket)
    if data.__class__ is not bytes:
        raise badarg()
    if res.sock is None:
        return _err(A_EBADF)
    try:
        taken = res.sock.send(data) if dest is None else res.sock.sendto(data, *dest)
    except NetError:
        return _err(A_CLOSED)
    if taken == len(data):
        return OK
    if taken > 0:
        return (OK, data[taken:])
    return _err(A_CLOSED)


@native("socket", "nif_send", 2)
def nif_send(ctx: Any, socket: Any, data: Any) -> Any:
    return _send(ctx, socket, data, None)


@native("socket", "nif_sendto", 3)
def nif_sendto(ctx: Any, socket: Any, data: Any, dest: Any) -> Any:
    if dest.__class__ is not Map:
        raise badarg()
    port = dest.get(PORT, 0)
    if port.__class__ is not int:
        raise badarg()
    return _send(ctx, socket, data, (need_sockaddr_ip(dest.get(ADDR), any_ok=False),
                                     port & 0xFFFF))


charge_results("socket", {
    ("open", 3): whole, ("getopt", 2): whole, ("setopt", 3): whole, ("sockname", 1): whole,
    ("peername", 1): whole, ("bind", 2): whole, ("listen", 2): whole,
    ("nif_accept", 1): whole, ("shutdown", 2): whole, ("nif_recv", 2): whole,
    ("nif_recvfrom", 2): whole, ("nif_send", 2): whole, ("nif_sendto", 3): whole,
}, {("nif_recv", 2): decoded, ("nif_recvfrom", 2): decoded})
