"""Bridges from a simulated UART to the host: a pseudo-terminal, a TCP port, or a pyserial URL.

With a bridge, a terminal program (``screen``, ``picocom``, ``minicom``), ``nc`` or a script
talks to the firmware as it would to a board on a USB cable. Specs:

- ``pty``: a pseudo-terminal; ``path`` is the device to open (``/dev/pts/N``). It is raw: no
  echo, no line editing, no CR/LF translation — the bytes are the wire's. What the board
  wrote before a terminal program opened it waits in the pty; most programs (pyserial too)
  discard it on opening, as they would a real port's stale input.
- ``tcp:PORT``: a raw TCP server on 127.0.0.1 (``nc 127.0.0.1 PORT``), one client at a time;
  others wait in the backlog until it leaves. ``tcp:0`` picks a free port; ``path`` says which
  (``tcp://127.0.0.1:N``).
- anything else is a pyserial URL or port: ``loop://``, ``socket://host:port``,
  ``/dev/ttyUSB0`` (a real serial line, at the UART's baud rate)…

Bytes the firmware writes go to the host at once. Bytes from the host enter the board only
when the simulator calls ``poll`` — at the virtual time of that call — so the board never
races the host. When the board has nothing to do, the simulator may block in ``wait`` (or
``wait_for_input`` over several bridges) until the host sends something: the only host time
involved is this waiting. Output nobody reads is dropped once the host side's buffer is full,
as bytes on a wire nobody listens to are lost; it never blocks the simulation.
"""
from __future__ import annotations

import io
import os
import select
import selectors
import socket
import tty
from collections.abc import Callable, Iterable
from typing import Self, TypeVar

import serial
from avmsim.peripherals.uart import Uart

CHUNK = 65536
T = TypeVar("T")


class BridgeError(ValueError):
    """A bridge spec that cannot be opened; the message is meant for the user as it is."""


class HostBridge:
    """One UART connected to the host; subclasses move the bytes."""

    path: str
    """Where the host side connects (a device path or URL)."""

    def __init__(self, uart: Uart) -> None:
        self.uart = uart
        self.closed = False
        uart.add_sink(self._send)

    def poll(self) -> int:
        """Feed whatever the host has sent (without blocking) to the UART; returns its size."""
        data = b"" if self.closed else self._receive()
        if data:
            self.uart.feed(data)
        return len(data)

    def wait(self, timeout_s: float | None) -> bool:
        """Block until host input may be ready or ``timeout_s`` has passed (see
        ``wait_for_input``); True when there may be something to ``poll``."""
        return wait_for_input([self], timeout_s)

    def fds(self) -> list[int]:
        """File descriptors that become readable when the host sends something."""
        return []

    def has_buffered_input(self) -> bool:
        """Whether input already waits where a file descriptor cannot show it."""
        return False

    def close(self) -> None:
        """Disconnect from the UART and release the host side."""
        if not self.closed:
            self.closed = True
            self.uart.remove_sink(self._send)
            self._close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # subclasses
    def _send(self, data: bytes) -> None:
        raise NotImplementedError

    def _receive(self) -> bytes:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


def _has_room(fd: int) -> bool:
    """Whether a write to ``fd`` would not block (pyserial spins on a full descriptor)."""
    return bool(select.select([], [fd], [], 0)[1])


def _write_what_fits(fd: int, data: bytes) -> None:
    """Write ``data`` to non-blocking ``fd``, dropping what the host side has no room for."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except OSError:   # full (BlockingIOError) or gone: the bytes are lost
            return


class PtyBridge(HostBridge):
    """A pseudo-terminal. We keep the terminal side open too, so the pty stays configured and
    its master neither reports hang-ups nor errors while no terminal program has it open."""

    def __init__(self, uart: Uart) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.path = os.ttyname(self._slave)
        super().__init__(uart)

    def fds(self) -> list[int]:
        return [] if self.closed else [self._master]

    def _send(self, data: bytes) -> None:
        _write_what_fits(self._master, data)

    def _receive(self) -> bytes:
        chunks = []
        while True:
            try:
                chunk = os.read(self._master, CHUNK)
            except OSError:   # nothing more (BlockingIOError), or no terminal side (EIO)
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    def _close(self) -> None:
        os.close(self._master)
        os.close(self._slave)


class TcpBridge(HostBridge):
    """A raw TCP server on 127.0.0.1 serving one client at a time."""

    def __init__(self, uart: Uart, port: int) -> None:
        self._listener = socket.create_server(("127.0.0.1", port), backlog=1)
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self.path = f"tcp://127.0.0.1:{self.port}"
        self._client: socket.socket | None = None
        super().__init__(uart)

    def fds(self) -> list[int]:
        if self.closed:
            return []
        # While a client is served, a second one waiting to connect must not wake us up.
        return [(self._client or self._listener).fileno()]

    def _accept(self) -> None:
        try:
            client, _addr = self._listener.accept()
        except BlockingIOError:
            return
        client.setblocking(False)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._client = client

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _send(self, data: bytes) -> None:
        if self._client is None:
            self._accept()
        if self._client is None:
            return   # nobody listens: the bytes are lost
        view = memoryview(data)
        while view:
            try:
                view = view[self._client.send(view):]
            except BlockingIOError:
                return
            except OSError:
                self._drop_client()
                return

    def _receive(self) -> bytes:
        if self._client is None:
            self._accept()
        chunks = []
        while self._client is not None:
            try:
                chunk = self._client.recv(CHUNK)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:   # the client left; the next poll takes the next one
                self._drop_client()
                break
            chunks.append(chunk)
        return b"".join(chunks)

    def _close(self) -> None:
        self._drop_client()
        self._listener.close()


class SerialBridge(HostBridge):
    """Any port pyserial opens, read without blocking (``timeout=0``). Ports backed by a
    descriptor (a tty, a socket) are written only when the host side has room, and only what
    fits (``write_timeout=0``); in-process ports (``loop://``) are queues that never fill. A
    port that fails (a socket peer that left, a USB adapter pulled out) is closed and the
    bridge goes quiet."""

    def __init__(self, uart: Uart, url: str) -> None:
        port = serial.serial_for_url(url, baudrate=uart.baud, timeout=0)
        try:
            self._fd: int | None = port.fileno()
        except io.UnsupportedOperation:
            self._fd = None
        if self._fd is not None:
            port.write_timeout = 0
        self._port: serial.SerialBase | None = port
        self.path = url
        super().__init__(uart)

    def fds(self) -> list[int]:
        return [] if self._port is None or self._fd is None else [self._fd]

    def has_buffered_input(self) -> bool:
        return self._guarded(lambda port: port.in_waiting > 0, False)

    def _send(self, data: bytes) -> None:
        if self._fd is not None and not _has_room(self._fd):
            return   # the host is not reading: the bytes are lost
        self._guarded(lambda port: port.write(data), None)

    def _receive(self) -> bytes:
        return self._guarded(lambda port: port.read(CHUNK), b"")

    def _guarded(self, action: Callable[[serial.SerialBase], T], default: T) -> T:
        """Run ``action(port)``; a port that fails is dropped and ``default`` returned."""
        if self._port is None:
            return default
        try:
            return action(self._port)
        except serial.SerialException:
            self._close()
            return default

    def _close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None


def _tcp_port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise ValueError(f"the port must be a number from 0 to 65535, not {text!r}")
    return int(text)


def _no_argument(text: str) -> None:
    if text:
        raise ValueError("'pty' takes no argument")


# spec scheme -> (parse the text after "scheme:", open the bridge)
BRIDGE_SCHEMES = {
    "pty": (_no_argument, lambda uart, _arg: PtyBridge(uart)),
    "tcp": (_tcp_port, TcpBridge),
}


def open_bridge(spec: str, uart: Uart) -> HostBridge:
    """Connect ``uart`` to the host as ``spec`` says (``pty``, ``tcp:PORT``, a pyserial URL)."""
    scheme, _colon, rest = spec.partition(":")
    try:
        if scheme in BRIDGE_SCHEMES:
            parse, bridge = BRIDGE_SCHEMES[scheme]
            return bridge(uart, parse(rest))
        if not spec:
            raise ValueError("empty spec (use pty, tcp:PORT or a pyserial URL)")
        return SerialBridge(uart, spec)
    except (OSError, ValueError) as err:   # SerialException is an OSError
        raise BridgeError(f"cannot bridge {uart.name} to {spec!r}: {err}") from None


def wait_for_input(bridges: Iterable[HostBridge], timeout_s: float | None) -> bool:
    """Block until one of ``bridges`` may have host input, or ``timeout_s`` (None: no limit)
    has passed. True when there may be something to poll; False at once when none of them
    can receive anything (closed, or like ``loop://`` fed only by the board itself)."""
    bridges = list(bridges)
    if any(b.has_buffered_input() for b in bridges):
        return True
    with selectors.DefaultSelector() as selector:
        for bridge in bridges:
            for fd in bridge.fds():
                selector.register(fd, selectors.EVENT_READ)
        if not selector.get_map():
            return False
        return bool(selector.select(timeout_s))
