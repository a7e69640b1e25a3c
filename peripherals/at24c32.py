"""Atmel/Microchip AT24C32: a 32 Kbit (4096 x 8) serial EEPROM on I2C, at protocol level.

What the datasheet (AT24C32/64, "Two-wire Serial EEPROM") says, and this model does:

* Two word-address bytes follow the device address (12 bits used; the top 4 are "don't
  care"). A write sends data after them; a write with no data only sets the address
  counter (the "dummy write" of a random read).
* Page write: up to 32 bytes; the low 5 address bits increment and roll over within the
  page, so a longer write overwrites the page's first bytes.
* The data is written at the STOP, then the self-timed write cycle takes tWR = 10 ms (max),
  during which the chip does not acknowledge its address (acknowledge polling).
* Reads (current address, random, sequential) return bytes from the address counter, which
  increments after each byte and rolls over from the last byte of memory to the first.
* The address counter holds the last address accessed plus one; it is 0 at power-on.

The cells are non-volatile: :meth:`state` / :meth:`restore` carry them across a board reset,
and a new chip reads 0xFF everywhere. ``address`` is 0x50 + A2..A0 (0x50..0x57).
"""
from __future__ import annotations

from typing import Any, ClassVar

from avmsim.peripherals.device_model import I2cDevice, Prop

SIZE = 4096
PAGE = 32
WRITE_CYCLE_NS = 10_000_000   # tWR, max
ERASED = 0xFF


class At24c32(I2cDevice):
    """A 4 KiB EEPROM with 32-byte pages and a 10 ms write cycle."""

    MODEL = "at24c32"
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "address": Prop(0x50, 0x50, 0x57, "0x50 + the A2..A0 pins", int),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.cells = bytearray([ERASED]) * SIZE
        super().__init__(*args, **kwargs)

    def reset(self) -> None:
        self._counter = 0
        self._address_bytes: list[int] = []
        self._pending: list[tuple[int, int]] = []   # (cell, byte) written at the STOP
        self._busy_until = 0

    def state(self) -> dict[str, Any]:
        return {"cells": bytes(self.cells)}

    def restore(self, state: dict[str, Any]) -> None:
        self.cells[:] = state["cells"]

    # ------------------------------------------------------------------ bus side
    def i2c_start(self, read: bool) -> bool:
        if self.now_ns() < self._busy_until:
            return False
        self._address_bytes, self._pending = [], []
        return True

    def i2c_write(self, byte: int) -> bool:
        if len(self._address_bytes) < 2:
            self._address_bytes.append(byte)
            if len(self._address_bytes) == 2:
                self._counter = ((self._address_bytes[0] << 8) | byte) % SIZE
            return True
        self._pending.append((self._counter, byte))
        page = self._counter - self._counter % PAGE
        self._counter = page + (self._counter + 1) % PAGE
        return True

    def i2c_read(self) -> int:
        byte = self.cells[self._counter]
        self._counter = (self._counter + 1) % SIZE
        return byte

    def i2c_stop(self) -> None:
        if not self._pending:
            return
        for cell, byte in self._pending:
            self.cells[cell] = byte
        self._pending = []
        self._busy_until = self.now_ns() + WRITE_CYCLE_NS
