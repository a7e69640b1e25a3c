"""A bank of pins behind one output latch: the part every GPIO front-end shares.

The latch state (what firmware wrote) lives here; pin levels, modes and pulls live in the
GPIO model. Only what changes is forwarded, so firmware rewriting a whole port to toggle one
LED costs one model call and one trace event, not sixteen. Register bits of pins the board
does not have (not in ``gpio.pins``) latch like the silicon's but reach no model.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

DIRECTION_MODES = ("input", "output")  # an output-enable bit, as a GPIO model mode


class PinBank:
    """Pins ``names[0..n)`` as bits ``0..n)`` of a port's registers.

    ``gpio`` is the board's GPIO model (duck-typed: ``pins``, ``write(pin, level)``,
    ``read(pin)``, ``set_mode(pin, mode)``, ``set_pull(pin, pull)``). Modes and pulls are
    sent for every pin the first time firmware sets them, then only on change.
    """

    def __init__(self, gpio: Any, names: Sequence[str]) -> None:
        present = set(gpio.pins)
        self._gpio = gpio
        self._pins = [(bit, name) for bit, name in enumerate(names) if name in present]
        self._names = {bit: name for bit, name in self._pins}
        self._present = sum(1 << bit for bit, _ in self._pins)
        self._mask = (1 << len(names)) - 1
        self._modes: list[str] = []
        self._pulls: list[str] = []
        self.out = 0
        self.enabled = 0

    def drive(self, word: int) -> None:
        """New output latch: pins whose bit changed are driven to it."""
        changed = (word ^ self.out) & self._present
        self.out = word & self._mask
        while changed:
            low = changed & -changed
            bit = low.bit_length() - 1
            self._gpio.write(self._names[bit], (word >> bit) & 1)
            changed ^= low

    def levels(self) -> int:
        """The input register: every pin's level as the model resolves it, bit by pin."""
        word = 0
        for bit, name in self._pins:
            word |= (self._gpio.read(name) & 1) << bit
        return word

    def enable(self, word: int) -> None:
        """New output-enable latch (1 = output): pins whose direction changed are switched."""
        self.enabled = word & self._mask
        self.set_modes([DIRECTION_MODES[(self.enabled >> bit) & 1]
                        for bit in range(self._mask.bit_length())])

    def set_modes(self, modes: Sequence[str]) -> None:
        """Each pin's mode (``input``, ``output``, ``output_od``), by bit."""
        self._modes = self._configure(self._modes, modes, self._gpio.set_mode)

    def set_pulls(self, pulls: Sequence[str]) -> None:
        """Each pin's internal pull (``up``, ``down``, ``floating``), by bit."""
        self._pulls = self._configure(self._pulls, pulls, self._gpio.set_pull)

    def _configure(self, old: Sequence[str], new: Sequence[str],
                   apply: Callable[[str, str], None]) -> list[str]:
        for bit, name in self._pins:
            if not old or old[bit] != new[bit]:
                apply(name, new[bit])
        return list(new)
