"""What the boards of one simulation share on the network: the IP layer, the radio, the host.

A single-board :class:`~avmsim.simulation.Simulation` makes its own; a world of several
boards (sim/world.py) hands the same one to every board, so that they reach each other by
address on one virtual clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from avmsim.peripherals.net import IpNetwork


@dataclass
class NetWorld:
    """``ip``: every board's interfaces and sockets; ``radio``: the access points the ESP32
    boards hear (a ``RadioWorld``, peripherals/wifi.py; None until one is given);
    ``gateway``: the bridge to the host (``HostGateway``, peripherals/net_host.py), None
    when no host is reachable."""
    ip: IpNetwork = field(default_factory=IpNetwork)
    radio: Any = None
    gateway: Any = None
