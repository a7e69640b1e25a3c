"""The host bridge's rules as the user writes them: ``--forward`` and ``--net-allow``.

The bridge between the simulated network and the host is closed by default. Two options open
it, each read once, before the board boots, into a frozen rule:

- ``--forward tcp:HOSTPORT:BOARDPORT`` (or ``udp:…``; ``tcp:HOSTPORT:BOARD:BOARDPORT`` in a
  world of several boards) listens on the host's 127.0.0.1:HOSTPORT and carries what arrives
  there to BOARDPORT on the board, as QEMU's ``hostfwd`` does. HOSTPORT 0 takes any free port
  (the bridge says which).
- ``--net-allow HOST[:PORT]`` lets the boards' outgoing connections and datagrams reach HOST
  (an IPv4 address, or a name resolved on the host when the rule is read: the board's view
  of the world does not change during a run) on PORT, or on every port without one.

A malformed rule is a :class:`RuleError` whose message names the option and says what is
wrong; the command line turns it into one line and status 2.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

Ip = tuple[int, int, int, int]

PROTOCOLS = ("tcp", "udp")


class RuleError(ValueError):
    """A ``--forward`` or ``--net-allow`` value that cannot be used; the message is for the
    user as it is."""


@dataclass(frozen=True)
class Forward:
    """One ``--forward``: host 127.0.0.1:``host_port`` reaches ``board_port`` on ``board``
    (None: the simulation's only board)."""
    proto: str
    host_port: int
    board: str | None
    board_port: int
    spec: str

    @property
    def option(self) -> str:
        return f"--forward {self.spec}"


@dataclass(frozen=True)
class Allow:
    """One ``--net-allow``: these host addresses, on ``port`` (None: any port)."""
    addresses: frozenset[Ip]
    port: int | None
    spec: str

    @property
    def option(self) -> str:
        return f"--net-allow {self.spec}"

    def permits(self, ip: Ip, port: int) -> bool:
        return ip in self.addresses and (self.port is None or self.port == port)


def _port(text: str, what: str, lowest: int) -> int:
    if not text.isdigit() or not lowest <= int(text) <= 65535:
        raise ValueError(f"{what} must be a number from {lowest} to 65535, not {text!r}")
    return int(text)


def parse_forward(spec: str) -> Forward:
    """``tcp:8080:80``, ``udp:5000:5000`` or ``tcp:8080:node1:80`` as a :class:`Forward`."""
    fields = spec.split(":")
    try:
        if len(fields) not in (3, 4) or fields[0] not in PROTOCOLS:
            raise ValueError("the form is tcp:HOSTPORT:BOARDPORT or udp:HOSTPORT:BOARDPORT "
                             "(tcp:HOSTPORT:BOARD:BOARDPORT with several boards)")
        board = fields[2] if len(fields) == 4 else None
        if board == "":
            raise ValueError("the board name is empty")
        return Forward(fields[0], _port(fields[1], "HOSTPORT", 0), board,
                       _port(fields[-1], "BOARDPORT", 1), spec)
    except ValueError as err:
        raise RuleError(f"--forward {spec}: {err}") from None


def _resolve(host: str) -> frozenset[Ip]:
    """An IPv4 address, or every IPv4 address the host's resolver gives for a name."""
    try:
        return frozenset({tuple(ipaddress.IPv4Address(host).packed)})
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, socket.AF_INET)
    except (OSError, UnicodeError) as err:
        raise ValueError(f"cannot resolve {host!r} on the host ({err})") from None
    return frozenset(tuple(ipaddress.IPv4Address(info[4][0]).packed) for info in infos)


def parse_allow(spec: str) -> Allow:
    """``example.com``, ``93.184.216.34:443`` or ``localhost:8000`` as an :class:`Allow`."""
    host, colon, port = spec.rpartition(":") if ":" in spec else (spec, "", "")
    try:
        if not host:
            raise ValueError("the form is HOST or HOST:PORT")
        port_number = _port(port, "PORT", 1) if colon else None
        return Allow(_resolve(host), port_number, spec)
    except ValueError as err:
        raise RuleError(f"--net-allow {spec}: {err}") from None
