"""Host sockets as the host bridge uses them: non-blocking, and never raising.

The simulated network's bridge to the host (``net_host.py``) moves bytes between simulated
sockets and real ones between slices; it must never block the simulation and never let a host
error escape as a Python exception. These wrappers hold one host socket each and report what
the host did as data: bytes, an end of stream, or the POSIX reason AtomVM's apps see
(``econnrefused``, ``econnreset``, ``etimedout``…, the errno's name in lower case, as AtomVM's
socket drivers name them). Every socket binds or connects on IPv4 only, as AtomVM's drivers,
and nothing listens anywhere but 127.0.0.1.
"""
from __future__ import annotations

import errno
import selectors
import socket
import struct

CHUNK = 65536
LOOPBACK = "127.0.0.1"
RESET_LINGER = struct.pack("ii", 1, 0)   # SO_LINGER on, 0 s: close() sends a RST


CONNECT_TIMEOUT_S = 5.0
"""How long a connection to the host may take to be accepted or refused (host clock)."""


def reason_of(err: OSError) -> str:
    """AtomVM's reason for a host socket error: ``ECONNREFUSED`` → ``econnrefused``; a
    connection attempt that ran out of time is ``etimedout``."""
    if err.errno is None and isinstance(err, TimeoutError):
        return "etimedout"
    name = errno.errorcode.get(err.errno or 0)
    return name.lower() if name else "econnreset"


def connect_tcp(host: str, port: int) -> "HostStream | str":
    """A connection to ``host``:``port``, or the reason it failed. It waits for the host's
    answer (at most :data:`CONNECT_TIMEOUT_S`): the board learns at once whether the host
    took the connection, as a device learns it from the SYN-ACK or the RST (on the host's
    own loopback that answer takes microseconds)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_TIMEOUT_S)
    try:
        sock.connect((host, port))
    except OSError as err:
        sock.close()
        return reason_of(err)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return HostStream(sock)


def connected_udp(host: str, port: int) -> socket.socket:
    """A non-blocking UDP socket that sends to, and hears only from, ``host``:``port``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    sock.connect((host, port))
    return sock


def listen_tcp(port: int) -> socket.socket:
    """A non-blocking TCP server socket on 127.0.0.1:``port`` (0: a free port)."""
    server = socket.create_server((LOOPBACK, port), backlog=16)
    server.setblocking(False)
    return server


def bind_udp(port: int) -> socket.socket:
    """A non-blocking UDP socket on 127.0.0.1:``port`` (0: a free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class HostStream:
    """One host TCP connection and the board's bytes still waiting to go out on it.

    ``error`` is set (and the socket closed) the first time the host fails it; ``eof`` when
    the host has closed its side. Writes never block: what the host does not take yet waits
    in ``outbox`` and goes out on a later :meth:`flush`.
    """

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.sock: socket.socket | None = sock
        self.outbox = bytearray()
        self.eof = False
        self.error: str | None = None
        self._fin_wanted = False

    def events(self, reading: bool) -> int:
        """What to wait for on :meth:`fileno` (0: nothing); ``reading``: whether the board
        can take more bytes now."""
        if self.sock is None:
            return 0
        wanted = selectors.EVENT_READ if reading and not self.eof else 0
        return wanted | (selectors.EVENT_WRITE if self.outbox else 0)

    def fileno(self) -> int:
        return self.sock.fileno() if self.sock is not None else -1

    def read(self, limit: int) -> bytes | None:
        """Up to ``limit`` bytes the host sent; b"" at its end of stream; None when nothing
        is there (or the stream failed: see ``error``)."""
        if self.sock is None or self.eof or limit <= 0:
            return None
        try:
            data = self.sock.recv(min(limit, CHUNK))
        except BlockingIOError:
            return None
        except OSError as err:
            self._fail(err)
            return None
        if not data:
            self.eof = True
        return data

    def write(self, data: bytes) -> None:
        """Queue the board's bytes for the host and send what the host takes now."""
        self.outbox += data
        self.flush()

    def shutdown_write(self) -> None:
        """The board will send nothing more: a FIN once the queued bytes are out."""
        self._fin_wanted = True
        self.flush()

    def flush(self) -> None:
        """Send what the host takes of the queued bytes (and the FIN when due)."""
        if self.sock is None:
            return
        try:
            while self.outbox:
                sent = self.sock.send(self.outbox)
                del self.outbox[:sent]
            if self._fin_wanted:
                self._fin_wanted = False
                self.sock.shutdown(socket.SHUT_WR)
        except BlockingIOError:
            return
        except OSError as err:
            self._fail(err)

    def reset(self) -> None:
        """Abort the connection: the host sees a reset, not an orderly close."""
        if self.sock is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_LINGER)
            self.close()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _fail(self, err: OSError) -> None:
        self.error = reason_of(err)
        self.outbox.clear()
        self.close()
