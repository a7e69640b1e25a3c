"""A wire from one board's UART TX pin to another board's UART RX pin.

What the sending firmware writes goes down the wire at the sender's baud rate (8N1: ten bit
times a byte, ``peripherals/uart.py``), one write after the other, and reaches the receiving
UART when its last byte is in: each write arrives whole, at the time it has finished
crossing the wire. That is how ESP-IDF's UART driver hands bytes to AtomVM as well: one
receive event when the line goes idle after a burst (or when its FIFO fills), not a byte at
a time. The delivery is a timed event on the receiving board's clock, so it happens at that
board's virtual time in a world of boards (sim/world_turns.py). Both ends keep their own
baud setting; a mismatch is not garbled, as the UART model does not model line settings.
"""
from __future__ import annotations

from typing import Any

from avmsim.peripherals.uart import BITS_PER_BYTE, NS_PER_S, Uart


class UartWire:
    """Carries the writes of ``src`` into ``dst``, on the board of ``dst_sim``."""

    def __init__(self, src: Uart, dst_sim: Any, dst: Uart) -> None:
        self.src = src
        self.dst_sim = dst_sim
        self.dst = dst
        self.busy_until_ns = 0     # when the last byte sent so far is off the wire
        src.add_sink(self._sent)

    def _sent(self, data: bytes) -> None:
        start = max(self.src.bus.now_ns(), self.busy_until_ns)   # the sender's time
        self.busy_until_ns = start + -(-len(data) * BITS_PER_BYTE * NS_PER_S // self.src.baud)
        self.dst_sim.at(self.busy_until_ns, lambda: self.dst.feed(data))
