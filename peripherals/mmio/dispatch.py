"""Routing of Unicorn MMIO callbacks to the front-ends of the windows in one mapping.

Unicorn maps whole 4 KiB pages, and chips pack several peripherals into one page (STM32
GPIO ports are 1 KiB apart), so one Unicorn mapping may hold several windows. A
:class:`WindowGroup` finds the window of each access and its register in the window's
tables; a missing register, or an access in no window (page padding), reads 0, ignores the
write and is counted, so a debugging user sees what firmware touched that is not modelled.

Unicorn's Python binding keeps an exception raised in a callback and re-raises it only from
``emu_start``: one raised during a hosted ``mem_read``/``mem_write`` would be lost. So a
model's exception is caught here, put in ``errors`` and the core stopped; the Machine
raises it once the access or the slice returns.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from typing import Any, Sequence

from .registers import RegisterBlock

SIZE_MASKS = {1: 0xFF, 2: 0xFFFF, 4: 0xFFFF_FFFF, 8: 0xFFFF_FFFF_FFFF_FFFF}
NO_WINDOW = "(no window)"  # counter key for padding accesses, with the absolute address
PADDING = RegisterBlock()  # what answers in a page's padding: nothing

# (window name, offset in window, "read" | "write") -> how many times
UnmodelledAccesses = Counter[tuple[str, int, str]]


class WindowGroup:
    """The windows mapped together at ``start``, each with its front-end's registers.

    ``windows`` pairs each window (``name``, ``base``, ``size``) with its
    :class:`RegisterBlock`. Registers are 32-bit: a byte or halfword access reaches the
    word that holds it; a narrow write passes the value shifted to its lane, other lanes
    0, which is exact for data, set and clear registers.
    """

    def __init__(self, start: int, windows: Sequence[tuple[Any, RegisterBlock]],
                 unmodelled: UnmodelledAccesses, errors: list[Exception]) -> None:
        self.start = start
        ordered = sorted(windows, key=lambda pair: pair[0].base)
        self._bases = [window.base - start for window, _ in ordered]
        self._windows = ordered
        self._unmodelled = unmodelled
        self._errors = errors

    def _locate(self, offset: int) -> tuple[str, int, RegisterBlock]:
        """Window name, offset in it and its registers (none in the padding)."""
        index = bisect_right(self._bases, offset) - 1
        if index >= 0:
            window, registers = self._windows[index]
            inside = offset - self._bases[index]
            if inside < window.size:
                return window.name, inside, registers
        return NO_WINDOW, self.start + offset, PADDING

    def read(self, uc: Any, offset: int, size: int, _data: Any) -> int:
        """Unicorn MMIO read callback."""
        try:
            return self._read(offset, size)
        except Exception as error:
            self._fail(uc, error)
            return 0

    def write(self, uc: Any, offset: int, size: int, value: int, _data: Any) -> None:
        """Unicorn MMIO write callback."""
        try:
            self._write(offset, size, value)
        except Exception as error:
            self._fail(uc, error)

    def _fail(self, uc: Any, error: Exception) -> None:
        self._errors.append(error)
        uc.emu_stop()

    def _read(self, offset: int, size: int) -> int:
        name, inside, registers = self._locate(offset)
        register = registers.reads.get(inside & ~3)
        if register is None:
            self._unmodelled[(name, inside, "read")] += 1
            return 0
        return (register() >> ((inside & 3) * 8)) & SIZE_MASKS[size]

    def _write(self, offset: int, size: int, value: int) -> None:
        name, inside, registers = self._locate(offset)
        register = registers.writes.get(inside & ~3)
        if register is None:
            self._unmodelled[(name, inside, "write")] += 1
            return
        register((value & SIZE_MASKS[size]) << ((inside & 3) * 8))
