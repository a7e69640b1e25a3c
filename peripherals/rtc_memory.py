"""RTC slow memory: the few KiB of SRAM that stay powered in deep sleep.

AtomVM keeps one binary there (``esp:rtc_slow_set_binary/1``) with its size and a CRC-32
(``RTC_NOINIT_ATTR``: not cleared by a reset). A software reset, a watchdog reset and a deep
sleep keep it; power-on leaves it as garbage, which the checksum rejects, so nothing is
stored until the app sets it. The largest binary is ``CONFIG_AVM_RTC_SLOW_MAX_SIZE``
(AtomVM's Kconfig default, 4096 bytes).
"""
from __future__ import annotations

RTC_SLOW_MAX_SIZE = 4096


class RtcSlowMemory:
    """The binary AtomVM keeps in RTC slow memory, or None when none is valid."""

    def __init__(self, max_size: int = RTC_SLOW_MAX_SIZE) -> None:
        self.max_size = max_size
        self.data: bytes | None = None

    def set(self, data: bytes) -> bool:
        """Store ``data``; False (nothing stored) when it is larger than the memory."""
        if len(data) > self.max_size:
            return False
        self.data = bytes(data)
        return True
