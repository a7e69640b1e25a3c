"""Socket addresses as AtomVM's socket and net NIFs read and build them: ``any``,
``loopback`` or ``{A, B, C, D}`` in, ``#{addr => {A, B, C, D}, port => Port}`` out
(otp_socket.c ``inet_make_addr4``; IPv4 only, as AtomVM)."""
from __future__ import annotations

from typing import Any

from ..terms import Map, atom
from ._util import badarg

ANY = atom("any")
LOOPBACK = atom("loopback")
ADDR = atom("addr")
PORT = atom("port")
FAMILY = atom("family")
INET = atom("inet")

LOOPBACK_IP = (127, 0, 0, 1)

Ip = tuple[int, int, int, int]


def is_ip(t: Any) -> bool:
    """A 4-tuple of integers 0..255."""
    return (t.__class__ is tuple and len(t) == 4
            and all(b.__class__ is int and 0 <= b <= 255 for b in t))


def need_sockaddr_ip(t: Any, any_ok: bool = True) -> Ip | None:
    """The address of a sockaddr: ``any`` is None (every interface), ``loopback``
    127.0.0.1; anything else but an IPv4 tuple is badarg (otp_socket.c reads it blindly)."""
    if t is ANY and any_ok:
        return None
    if t is LOOPBACK:
        return LOOPBACK_IP
    if not is_ip(t):
        raise badarg()
    return t


def addr_map(ip: Ip | None, port: int, family: bool = False) -> Map:
    """``#{addr, port}``; recvfrom's BSD path adds ``family => inet``."""
    pairs = [(ADDR, ip or (0, 0, 0, 0)), (PORT, port)]
    if family:
        pairs.append((FAMILY, INET))
    return Map.from_pairs(pairs)
