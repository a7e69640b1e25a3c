"""AtomVM's ``net`` NIFs (otp_net.c): ``getaddrinfo_nif/2`` and ``gethostname/0``.

There is no DNS in the simulated network: ``"localhost"`` is 127.0.0.1 (lwIP's
LWIP_HAVE_LOOPIF name, glibc's /etc/hosts), a dotted quad is itself, and any other name
fails as the platform's resolver does: ``eaifail`` on ESP32 (lwIP maps a DNS failure to
EAI_FAIL, AtomVM's esp32 test_net.erl), ``eainoname`` on generic_unix (glibc EAI_NONAME).
No host but a service asks for the loopback address (getaddrinfo without AI_PASSIVE).

The result list is built as otp_net.c builds it, from the entries the resolver gives:
lwIP gives one entry with neither protocol nor type (AtomVM expands it into a UDP and a
TCP map), glibc three (stream/tcp, dgram/udp, raw: the last expanded the same way);
AtomVM prepends each, so the list comes out reversed. The port is
``getservbyname(Service)`` where the platform has it (generic_unix: the well-known names
below; a number is not a service name there, so it gives 0), else 0. A service lwIP
cannot read (not a number) is EAI_SERVICE: AtomVM prints a warning and asks again without it.

``gethostname/0``: generic_unix answers the board's name (the host's would break
determinism); ESP-IDF has no gethostname, so AtomVM's esp32 build has no such NIF and
``net.erl``'s stub fails with ``error:undefined``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ErlangError
from ..natives import native
from ..terms import ERROR, OK, UNDEFINED, Cons, Map, atom, from_list
from ._util import badarg, charge_results, charlist_str, str_list, whole
from .socket_addr import ADDR, FAMILY, INET, LOOPBACK_IP, PORT
from .socket_nifs import net_stack

A_UNDEFINED_FN = atom("undefined")
A_TCP, A_UDP = atom("tcp"), atom("udp")
A_STREAM, A_DGRAM = atom("stream"), atom("dgram")
A_PROTOCOL, A_TYPE, A_ADDRESS = atom("protocol"), atom("type"), atom("address")

WELL_KNOWN_SERVICES = {"ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53,
                       "http": 80, "ntp": 123, "https": 443, "mqtt": 1883, "epmd": 4369}
"""getservbyname answers from /etc/services (Debian netbase): a few common names."""

EXPANDED = ((A_TCP, A_STREAM), (A_UDP, A_DGRAM))
"""An entry without protocol or type becomes a TCP map then a UDP map (otp_net.c)."""


@dataclass(frozen=True)
class Resolver:
    """What the platform's getaddrinfo gives (PF_INET hints, no socket type)."""
    entries: tuple[tuple[Any, Any] | None, ...]   # (protocol, type), None = neither
    unknown_name: str
    services: bool          # getservbyname exists
    numeric_services: bool  # a service must be a number (lwIP), else EAI_SERVICE
    hostname: bool


RESOLVERS = {
    "esp32": Resolver((None,), "eaifail", services=False, numeric_services=True,
                      hostname=False),
    "generic_unix": Resolver(((A_TCP, A_STREAM), (A_UDP, A_DGRAM), None), "eainoname",
                             services=True, numeric_services=False, hostname=True),
}

SERVICE_WARNING = b"WARNING: EAI_SERVICE unsupported on this platform.\n"


def _resolver(ctx: Any) -> Resolver:
    net_stack(ctx)
    return RESOLVERS.get(ctx.vm.platform.name, RESOLVERS["generic_unix"])


def _string(t: Any) -> str | None:
    """interop_term_to_string: ``undefined`` is no string; a charlist or a binary."""
    if t is UNDEFINED:
        return None
    if t.__class__ is bytes:
        return t.decode("latin-1")
    if t.__class__ is Cons:
        return charlist_str(t)
    raise badarg()


def _address(host: str | None) -> tuple[int, int, int, int] | None:
    if host is None or host == "localhost":
        return LOOPBACK_IP
    parts = host.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 for p in parts):
        quad = tuple(int(p) for p in parts)
        if all(b <= 255 for b in quad):
            return quad
    return None


def _info(protocol: Any, type_: Any, inner: Map) -> Map:
    return Map.from_pairs([(FAMILY, INET), (A_PROTOCOL, protocol), (A_TYPE, type_),
                           (A_ADDRESS, inner), (ADDR, inner)])


@native("net", "getaddrinfo_nif", 2)
def getaddrinfo_nif(ctx: Any, host: Any, service: Any) -> Any:
    resolver = _resolver(ctx)
    if host is UNDEFINED and service is UNDEFINED:
        raise badarg()
    host_str, service_str = _string(host), _string(service)
    if service_str is not None and resolver.numeric_services and not service_str.isdigit():
        ctx.vm.console_write(SERVICE_WARNING)
    ip = _address(host_str)
    if ip is None:
        return (ERROR, atom(resolver.unknown_name))
    port = WELL_KNOWN_SERVICES.get(service_str, 0) if resolver.services else 0
    inner = Map.from_pairs([(FAMILY, INET), (PORT, port), (ADDR, ip)])
    infos: list[Map] = []
    for entry in resolver.entries:
        for protocol, type_ in (EXPANDED if entry is None else (entry,)):
            infos.insert(0, _info(protocol, type_, inner))
    return (OK, from_list(infos))


@native("net", "gethostname", 0)
def gethostname(ctx: Any) -> Any:
    if not _resolver(ctx).hostname:
        raise ErlangError(ERROR, A_UNDEFINED_FN)
    return (OK, str_list(net_stack(ctx).name))


charge_results("net", {("getaddrinfo_nif", 2): whole, ("gethostname", 0): whole})
