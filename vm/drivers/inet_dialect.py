"""How AtomVM's two ``socket`` port drivers differ: generic_unix's and esp32's socket_driver.c.

Both speak the same requests (see :mod:`avmsim.vm.drivers.inet_socket`), but the Unix one
sits on BSD sockets and the ESP32 one on lwIP's netconn API, and it shows in what an app
gets back. Everything platform-specific lives here, one class per platform, so the port
itself has no platform if-chains:

================================  ==============================  ==============================
                                  generic_unix                    esp32
================================  ==============================  ==============================
``{init, Params}`` defaults       active false, binary false,     active true, binary false,
                                  buffer 128 (BUFSIZE)            buffer 512 (socket_data_init)
failed call                       ``{error, {Syscall, Errno}}``   ``{error, Atom}`` (lwIP err_t
                                  (Linux errno number)            through lwip_error_atom)
refused connection                ``{error, {connect, 111}}``     ``{error, econnreset}`` (lwIP
                                                                  reports the RST as ERR_RST)
sockname/peername failure         ``{error, Errno}``              ``{error, Atom}``
``{send, Data}``                  ``{ok, Bytes}``                 ``ok``; a failed write prints
                                                                  ``write error: N`` and never
                                                                  answers
``{recv, Length, _}``             exactly Length bytes            one received segment (at most
                                  (MSG_WAITALL), or up to         the MSS), Length ignored
                                  ``buffer`` when Length is 0
active TCP chunks                 up to ``buffer`` bytes          one segment
UDP datagrams                     cut to Length / ``buffer``      whole
recv on an active socket          ``{error, badarg}``             waits for ever
a second waiting recv             queued                          ``{error, ealready}``
peer resets the connection        ``tcp_closed`` /                ``{tcp_error, S, econnreset}``
                                  ``{error, closed}``             / ``{error, econnreset}``
``{get_port}`` before a bind      ``{ok, 0}``                     ``{error, badarg}``
unknown request                   ``{error, badarg}``             no answer
malformed request                 ``{error, badarg}``             ``W (ms) socket_driver:
                                                                  Received invalid message.``
================================  ==============================  ==============================
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..nifs._util import iolist_bytes, is_list, proplist_value
from ..terms import ERROR, FALSE, TRUE, Atom, Pid, atom

A_BADARG = atom("badarg")
A_CLOSED = atom("closed")
A_PROTO = atom("proto")
A_TCP = atom("tcp")
A_UDP = atom("udp")
A_CONNECT = atom("connect")
A_LISTEN = atom("listen")
A_ADDRESS = atom("address")
A_PORT = atom("port")
A_BACKLOG = atom("backlog")
A_BINARY = atom("binary")
A_ACTIVE = atom("active")
A_BUFFER = atom("buffer")
A_CONTROLLING_PROCESS = atom("controlling_process")
A_UNDEFINED = atom("undefined")
A_TCP_CLOSED = atom("tcp_closed")
A_TCP_ERROR = atom("tcp_error")

LINUX_ERRNO = {
    "epipe": 32, "einval": 22, "emsgsize": 90, "eaddrinuse": 98, "eaddrnotavail": 99,
    "enetunreach": 101, "econnreset": 104, "eisconn": 106, "enotconn": 107,
    "etimedout": 110, "econnrefused": 111, "ehostunreach": 113, "closed": 9,
    "econnaborted": 103, "eopnotsupp": 95, "ealready": 114,
}
"""Simulated network reasons as the errno values of Linux (asm-generic/errno.h), which
generic_unix's driver puts in its error tuples; a socket already closed is EBADF (9)."""

EAI_NONAME = -2
"""getaddrinfo's answer for a name that does not resolve (glibc netdb.h)."""

LWIP_ERR = {
    "eaddrinuse": -8,       # ERR_USE
    "econnrefused": -14,    # ERR_RST: a SYN answered by RST aborts the pcb with ERR_RST
    "econnreset": -14,      # ERR_RST
    "ehostunreach": -4,     # ERR_RTE: no route to the host
    "enetunreach": -4,      # ERR_RTE
    "etimedout": -13,       # ERR_ABRT: tcp_slowtmr gives up after the retransmissions
    "enotconn": -11,        # ERR_CONN
    "epipe": -15,           # ERR_CLSD
    "closed": -15,          # ERR_CLSD
    "einval": -16,          # ERR_ARG
    "eaddrnotavail": -6,    # ERR_VAL
    "eisconn": -10,         # ERR_ISCONN
    "emsgsize": -1,         # ERR_MEM: udp_sendto cannot allocate the datagram
    "econnaborted": -13,    # ERR_ABRT: the interface went away (tcp_netif_ip_addr_changed)
    "enfile": -1,           # ERR_MEM: netconn_new finds no free netconn (MEMP_NUM_NETCONN)
    "eopnotsupp": -6,       # ERR_VAL
    "ealready": -9,         # ERR_ALREADY
}
"""Simulated network reasons as the lwIP ``err_t`` the ESP32 driver would have got (lwIP
src/include/lwip/err.h, the paths in tcp_in.c / tcp.c / udp.c named beside each)."""

LWIP_ATOM = {-1: "err_mem", -2: "err_buf", -3: "etimedout", -7: "ewouldblock",
             -8: "eaddrinuse", -9: "ealready", -11: "enotconn", -13: "econnaborted",
             -14: "econnreset", -16: "badarg"}
"""lwip_error_atom() of AtomVM's esp32 socket_driver.c; every other err_t is ``unknown``."""

LWIP_ERR_VAL = -6
"""What netconn_gethostbyname gives for a name that does not resolve (api_msg.c)."""

TCP_MSS = 1440
"""ESP-IDF's CONFIG_LWIP_TCP_MSS default (components/lwip/Kconfig, v5): the most one lwIP
segment, hence one netconn_recv, carries."""

WHOLE = 0
"""Read size of a datagram taken whole (SimSocket.recvfrom)."""

LOG_W = "\x1b[0;33mW ({ms}) socket_driver: {text}\x1b[0m\n"   # ESP_LOGW, LOG_COLORS=y


@dataclass
class Settings:
    """What ``{init, Params}`` asks for, once the platform has checked it."""

    action: str                 # "connect" | "listen" | "udp"
    active: bool
    binary: bool
    buffer: int
    controlling: Pid | None     # None: nobody owns it (the ESP32's listening sockets)
    address: Any                # connect: the host as given; listen/udp: a bind address
    port: Any
    backlog: Any = 5


class BadParams(Exception):
    """``{init, Params}`` fails its checks: answer ``{error, badarg}``."""


class Silent(Exception):
    """The ESP32 driver answers nothing to this request."""


def _flag(params: Any, key: Atom, default: Atom) -> bool:
    value = proplist_value(params, key, default)
    if value is not TRUE and value is not FALSE:
        raise BadParams
    return value is TRUE


class UnixDialect:
    """generic_unix: src/platforms/generic_unix/lib/socket_driver.c."""

    platform = "generic_unix"
    answers_unknown = True
    queues_readers = True
    recv_when_active = (ERROR, A_BADARG)
    binds_port_zero = True           # a UDP socket opened on port 0 gets an ephemeral port

    def settings(self, params: Any) -> Settings:
        """socket_driver_do_init's checks, in its order."""
        if not is_list(params):
            raise BadParams
        proto = proplist_value(params, A_PROTO)
        cp = proplist_value(params, A_CONTROLLING_PROCESS)
        if proto is None or not (cp is None or cp.__class__ is Pid):
            raise BadParams
        binary = _flag(params, A_BINARY, FALSE)
        buffer = proplist_value(params, A_BUFFER, 128)
        if buffer.__class__ is not int:
            raise BadParams
        active = _flag(params, A_ACTIVE, FALSE)
        if proto is A_UDP:
            action = "udp"
        elif proto is A_TCP and proplist_value(params, A_CONNECT) is TRUE:
            action = "connect"
        elif proto is A_TCP and proplist_value(params, A_LISTEN) is TRUE:
            action = "listen"
        else:
            raise BadParams
        address = proplist_value(params, A_ADDRESS, None if action == "connect" else A_UNDEFINED)
        backlog = proplist_value(params, A_BACKLOG)
        if (action == "connect" and not is_list(address)) or (
                action == "listen" and backlog.__class__ is not int):
            raise BadParams
        return Settings(action, active, binary, buffer, cp, address,
                        proplist_value(params, A_PORT), backlog)

    def failure(self, syscall: str, reason: str) -> Any:
        if syscall == "listen" and reason == "eaddrinuse":
            syscall = "bind"   # Linux refuses the bind itself next to a listener, reuse or not
        return (ERROR, (atom(syscall), LINUX_ERRNO[reason]))

    def unresolved(self) -> Any:
        return (ERROR, (atom("getaddrinfo"), EAI_NONAME))

    def name_failure(self, reason: str) -> Any:
        return (ERROR, LINUX_ERRNO[reason])

    def prepare_listener(self, sock: Any) -> None:
        """init_server_tcp_socket sets SO_REUSEADDR before it binds."""
        sock.opts["reuseaddr"] = True

    def sent(self, n: int) -> Any:
        return (atom("ok"), n)

    def bad_send(self) -> tuple[Any, str | None]:
        """A send of something that is not iodata: (the reply, a console line)."""
        return (ERROR, A_BADARG), None

    def write_failed(self, reason: str) -> tuple[Any, str | None]:
        """(the reply, a console line); a reply of None: the caller is never answered."""
        return self.failure("send", reason), None

    def passive_lost(self, reason: str) -> Any:
        """A waiting recv's answer when the connection ends ("closed": the peer's FIN)."""
        if reason in ("closed", "econnreset"):
            return (ERROR, A_CLOSED)
        return self.failure("recv", reason)

    def active_lost(self, reason: str, socket: Any) -> Any:
        """The controlling process's message when an active connection ends."""
        return (A_TCP_CLOSED, socket)

    def recv_limit(self, length: int, buffer: int) -> tuple[int, bool]:
        """(most bytes, wait for all of them) of one passive TCP recv."""
        return (length, True) if length > 0 else (buffer, False)

    def datagram_limit(self, length: int, buffer: int) -> int:
        return length if length > 0 else buffer

    def active_limit(self, buffer: int) -> int:
        return buffer

    def active_datagram_limit(self, buffer: int) -> int:
        return buffer

    def local_port(self, bound: int) -> Any:
        return (atom("ok"), bound)

    def invalid(self, now_ns: int) -> str:
        return "Received invalid socket message.\n"

    def host(self, address: Any) -> str:
        """The host of a connect as text (a string; on the ESP32 a binary too)."""
        return iolist_bytes(address).decode("latin-1")


class Esp32Dialect(UnixDialect):
    """esp32: src/platforms/esp32/components/avm_builtins/socket_driver.c (lwIP netconn)."""

    platform = "esp32"
    answers_unknown = False
    queues_readers = False
    recv_when_active = None          # the caller stays registered, and waits
    binds_port_zero = False          # do_udp_open binds only a port that is not 0

    def settings(self, params: Any) -> Settings:
        """do_init: listen first, then connect, then a UDP proto; anything else is ignored."""
        if proplist_value(params, A_LISTEN, FALSE) is TRUE:
            return self._checked(params, "listen", None)
        cp = proplist_value(params, A_CONTROLLING_PROCESS)
        if proplist_value(params, A_CONNECT, FALSE) is TRUE:
            return self._checked(params, "connect", cp)
        if proplist_value(params, A_PROTO, FALSE) is A_UDP:
            return self._checked(params, "udp", cp)
        raise Silent

    @staticmethod
    def _checked(params: Any, action: str, cp: Any) -> Settings:
        if action != "listen" and cp.__class__ is not Pid:
            raise BadParams
        address = proplist_value(params, A_ADDRESS)
        if action == "connect" and not (is_list(address) or address.__class__ is bytes):
            raise BadParams
        active = _flag(params, A_ACTIVE, TRUE)
        binary = _flag(params, A_BINARY, FALSE)
        buffer = proplist_value(params, A_BUFFER, 512) if action == "listen" else 512
        return Settings(action, active, binary, buffer if buffer.__class__ is int else 512,
                        cp, address if action == "connect" else A_UNDEFINED,
                        proplist_value(params, A_PORT), proplist_value(params, A_BACKLOG, 5))

    def failure(self, syscall: str, reason: str) -> Any:
        return (ERROR, atom(LWIP_ATOM.get(LWIP_ERR[reason], "unknown")))

    def unresolved(self) -> Any:
        return (ERROR, atom(LWIP_ATOM.get(LWIP_ERR_VAL, "unknown")))

    def name_failure(self, reason: str) -> Any:
        return self.failure("", reason)

    def prepare_listener(self, sock: Any) -> None:
        """do_listen binds a plain netconn."""

    def sent(self, n: int) -> Any:
        return atom("ok")

    def bad_send(self) -> tuple[Any, str | None]:
        return None, "error: invalid iolist.\n"

    def write_failed(self, reason: str) -> tuple[Any, str | None]:
        return None, f"write error: {LWIP_ERR[reason]}\n"

    def passive_lost(self, reason: str) -> Any:
        """do_receive_data: ERR_CLSD and ERR_CONN read as closed, other errors as themselves."""
        if reason in ("closed", "enotconn"):
            return (ERROR, A_CLOSED)
        return self.failure("recv", reason)

    def active_lost(self, reason: str, socket: Any) -> Any:
        if reason in ("closed", "enotconn"):
            return (A_TCP_CLOSED, socket)
        return (A_TCP_ERROR, socket, self.failure("recv", reason)[1])

    def recv_limit(self, length: int, buffer: int) -> tuple[int, bool]:
        return TCP_MSS, False

    def datagram_limit(self, length: int, buffer: int) -> int:
        return WHOLE

    def active_limit(self, buffer: int) -> int:
        return TCP_MSS

    def active_datagram_limit(self, buffer: int) -> int:
        return WHOLE

    def local_port(self, bound: int) -> Any:
        return (atom("ok"), bound) if bound else (ERROR, A_BADARG)

    def invalid(self, now_ns: int) -> str:
        return LOG_W.format(ms=now_ns // 1_000_000, text="Received invalid message.")


DIALECTS = {"generic_unix": UnixDialect(), "esp32": Esp32Dialect()}
"""The platforms whose AtomVM build has the ``socket`` port driver."""
