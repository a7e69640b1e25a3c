"""A UART: bytes out of the firmware to the world, bytes from the world into the firmware.

The model is transaction level: the firmware's driver hands it whole writes, and the world
(the console, a host bridge, a test) feeds it whole chunks. Both directions are published on
the trace bus (``uart_tx``, ``uart_rx``) with the UART's name as source.

Wire timing: a byte takes 10 bit times (start, 8 data, stop) at ``baud``. Transmission is
modelled only as far as it is free to: ``write`` returns the virtual time at which its last
byte has left the wire, queueing behind bytes still being sent, so a driver that wants the
real cost of printing at 115200 baud can wait until then. Sinks and the trace see the bytes at
once, at the time of the write. Received bytes arrive all at once when fed (no inter-byte
gaps), and the receive buffer is unbounded (no FIFO overruns).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # peripherals never import sim/ at run time
    from avmsim.trace import TraceBus

NS_PER_S = 1_000_000_000
BITS_PER_BYTE = 10   # 8N1: start bit, 8 data bits, stop bit

Sink = Callable[[bytes], None]


class Uart:
    """One UART of a board, named as the board names it (``"UART0"``)."""

    def __init__(self, name: str, bus: TraceBus, baud: int = 115200) -> None:
        if baud <= 0:
            raise ValueError(f"{name}: baud rate must be positive, not {baud}")
        self.name = name
        self.bus = bus
        self.baud = baud
        self.on_receive: Callable[[], None] | None = None
        """Called after every ``feed``; the firmware side then takes the bytes with ``read``."""
        self._sinks: list[Sink] = []
        self._rx = bytearray()
        self._tx_idle_ns = 0

    # ------------------------------------------------------------------ firmware -> world
    def add_sink(self, sink: Sink) -> None:
        """Call ``sink(data)`` with every write of the firmware."""
        self._sinks.append(sink)

    def remove_sink(self, sink: Sink) -> None:
        """Stop sending writes to ``sink`` (no-op if it was not added)."""
        self._sinks = [s for s in self._sinks if s != sink]

    def write(self, data: bytes) -> int:
        """Send ``data``; returns the virtual ns at which its last byte is off the wire."""
        now = self.bus.now_ns()
        self._tx_idle_ns = max(now, self._tx_idle_ns)
        if not data:
            return self._tx_idle_ns
        data = bytes(data)
        self._tx_idle_ns += -(-len(data) * BITS_PER_BYTE * NS_PER_S // self.baud)  # rounded up
        self.bus.publish("uart_tx", self.name, data, now)
        for sink in self._sinks:
            sink(data)
        return self._tx_idle_ns

    # ------------------------------------------------------------------ world -> firmware
    def feed(self, data: bytes) -> None:
        """Deliver ``data`` to the firmware's receive buffer."""
        if not data:
            return
        data = bytes(data)
        self._rx += data
        self.bus.publish("uart_rx", self.name, data)
        if self.on_receive is not None:
            self.on_receive()

    def read(self, max_bytes: int | None = None) -> bytes:
        """Take up to ``max_bytes`` (all when None) from the receive buffer."""
        n = len(self._rx) if max_bytes is None else min(max_bytes, len(self._rx))
        data = bytes(self._rx[:n])
        del self._rx[:n]
        return data

    def pending(self) -> int:
        """How many received bytes wait to be read."""
        return len(self._rx)
