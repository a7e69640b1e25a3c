"""GPIO: the pins of a board, their configuration, and the level each one ends up at.

A pin's level is resolved from what acts on it, strongest first:

1. the firmware's output latch, when the pin drives (``output``; ``output_od`` only drives 0 —
   a latch of 1 releases the pin, as an open-drain transistor does);
2. an external drive (a pressed button, a test) — ``drive(pin, level)``, ``None`` to release;
3. an external pull resistor fitted on the board (``set_external_pull``): board resistors are
   stronger than the chip's internal ones;
4. the internal pull chosen by the firmware (``set_pull``): ``up`` reads 1, ``down`` reads 0;
5. nothing: a floating (or ``up_down``, i.e. mid-rail) pin reads an undefined level on
   hardware; here it reads 0, so every run of the same inputs sees the same value.

A contention (the firmware drives 1 while a button pulls the pin to 0) is won by the firmware.

Mode, pull and trigger names are AtomVM's (``gpio:set_pin_mode/2``, ``gpio:set_pin_pull/2``,
``gpio:set_int/3``). The model knows nothing of the VM: the VM's driver calls these methods,
parts listen with ``add_listener``, and every level change is published once on the trace bus
(kind ``pin``), every mode change as ``pin_mode``.

``write`` is the hot path (a blinking loop calls it millions of times): it returns after one
dict lookup and one comparison when the latch does not change, and allocates nothing unless a
level changes and someone listens.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # peripherals never import sim/ at run time
    from avmsim.trace import TraceBus

Listener = Callable[[str, int], None]
InterruptHandler = Callable[[str], None]

MODES = ("input", "output", "output_od")
PULL_LEVELS: dict[str, int | None] = {"up": 1, "down": 0, "up_down": None, "floating": None}
EXTERNAL_PULL_LEVELS: dict[str | None, int | None] = {"up": 1, "down": 0, None: None}

# Which new levels fire an interrupt, indexed by the level: (fires on 0, fires on 1).
TRIGGER_FIRES_ON: dict[str, tuple[bool, bool]] = {
    "rising": (False, True),
    "falling": (True, False),
    "both": (True, True),
    "high": (False, True),
    "low": (True, False),
}
# Level triggers also fire when armed on a pin that already sits at their level; edges do not.
LEVEL_TRIGGERS: dict[str, int] = {"high": 1, "low": 0}


class UnknownPinError(KeyError):
    """A pin name this board does not have."""

    def __init__(self, pin: str, known: Iterable[str]) -> None:
        names = list(known)
        shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
        super().__init__(f"unknown pin {pin!r} (this board has {shown or 'no pins'})")

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


class _Pin:
    """Everything known about one pin; the controller resolves ``level`` from the rest."""

    __slots__ = ("name", "mode", "pull_level", "external_pull", "latch", "drive", "level",
                 "listeners", "trigger", "on_interrupt")

    def __init__(self, name: str) -> None:
        self.name = name
        self.mode = "input"
        self.pull_level: int | None = None
        self.external_pull: int | None = None
        self.latch = 0
        self.drive: int | None = None
        self.level = 0
        self.listeners: list[Listener] = []
        self.trigger: tuple[bool, bool] | None = None
        self.on_interrupt: InterruptHandler | None = None

    def resolve(self) -> int:
        if self.mode == "output" or (self.mode == "output_od" and self.latch == 0):
            return self.latch
        for level in (self.drive, self.external_pull, self.pull_level):
            if level is not None:
                return level
        return 0


class GpioController:
    """The GPIO block of one board: named pins, each configured, driven and observed."""

    def __init__(self, bus: TraceBus, pins: Iterable[str]) -> None:
        self.bus = bus
        self._pins: dict[str, _Pin] = {}
        for name in pins:
            if name in self._pins:
                raise ValueError(f"pin {name!r} is listed twice")
            self._pins[name] = _Pin(name)

    @property
    def pins(self) -> tuple[str, ...]:
        """The pin names, in the board's order."""
        return tuple(self._pins)

    def _pin(self, pin: str) -> _Pin:
        try:
            return self._pins[pin]
        except KeyError:
            raise UnknownPinError(pin, self._pins) from None

    # ------------------------------------------------------------------ firmware side
    def set_mode(self, pin: str, mode: str) -> None:
        """Configure ``pin`` as ``input``, ``output`` or ``output_od`` (open drain)."""
        if mode not in MODES:
            raise ValueError(f"pin {pin}: unknown mode {mode!r} (one of {', '.join(MODES)})")
        p = self._pin(pin)
        if p.mode == mode:
            return
        p.mode = mode
        self.bus.publish("pin_mode", pin, mode)
        self._settle(p)

    def set_pull(self, pin: str, pull: str) -> None:
        """Choose the internal pull: ``up``, ``down``, ``up_down`` or ``floating``."""
        if pull not in PULL_LEVELS:
            raise ValueError(f"pin {pin}: unknown pull {pull!r} "
                             f"(one of {', '.join(PULL_LEVELS)})")
        p = self._pin(pin)
        p.pull_level = PULL_LEVELS[pull]
        self._settle(p)

    def write(self, pin: str, level: int) -> None:
        """Set the output latch (any truthy value is 1); it drives the pin in output modes."""
        try:
            p = self._pins[pin]
        except KeyError:
            raise UnknownPinError(pin, self._pins) from None
        level = 1 if level else 0
        if level != p.latch:
            p.latch = level
            self._change(p, level if p.mode == "output" else p.resolve())

    def read(self, pin: str) -> int:
        """The level the firmware reads (what is on the wire, whatever the mode)."""
        try:
            return self._pins[pin].level
        except KeyError:
            raise UnknownPinError(pin, self._pins) from None

    def set_interrupt(self, pin: str, trigger: str, callback: InterruptHandler) -> None:
        """Call ``callback(pin)`` on each change to a level ``trigger`` fires on.

        Triggers are AtomVM's: ``rising``, ``falling``, ``both``, ``high``, ``low`` and
        ``none`` (same as ``remove_interrupt``). A level trigger fires when the pin enters its
        level, and at once if the pin already sits there when armed; it does not fire again
        until the pin leaves and comes back (on the chip it would fire as long as the level
        holds, which firmware avoids by disarming in the handler).
        """
        if trigger == "none":
            self.remove_interrupt(pin)
            return
        p = self._pin(pin)
        if trigger not in TRIGGER_FIRES_ON:
            raise ValueError(f"pin {pin}: unknown interrupt trigger {trigger!r} "
                             f"(one of none, {', '.join(TRIGGER_FIRES_ON)})")
        p.trigger = TRIGGER_FIRES_ON[trigger]
        p.on_interrupt = callback
        if LEVEL_TRIGGERS.get(trigger) == p.level:
            callback(pin)

    def remove_interrupt(self, pin: str) -> None:
        """Disarm the interrupt of ``pin`` (no-op when none is armed)."""
        p = self._pin(pin)
        p.trigger = p.on_interrupt = None

    # ------------------------------------------------------------------ world side
    def drive(self, pin: str, level: int | None) -> None:
        """Drive ``pin`` from outside the chip (a part, a test); ``None`` releases it."""
        p = self._pin(pin)
        p.drive = None if level is None else (1 if level else 0)
        self._settle(p)

    def set_external_pull(self, pin: str, pull: str | None) -> None:
        """Declare a pull resistor fitted on the board: ``up``, ``down`` or ``None``."""
        if pull not in EXTERNAL_PULL_LEVELS:
            raise ValueError(f"pin {pin}: unknown external pull {pull!r} (up, down or None)")
        p = self._pin(pin)
        p.external_pull = EXTERNAL_PULL_LEVELS[pull]
        self._settle(p)

    def add_listener(self, pin: str, listener: Listener) -> None:
        """Call ``listener(pin, level)`` after every level change of ``pin``."""
        self._pin(pin).listeners.append(listener)

    def level(self, pin: str) -> int:
        """The resolved level of ``pin`` (for parts and views; same as ``read``)."""
        return self.read(pin)

    def mode(self, pin: str) -> str:
        """The mode ``pin`` is configured in."""
        return self._pin(pin).mode

    # ------------------------------------------------------------------ resolution
    def _settle(self, p: _Pin) -> None:
        """Re-resolve ``p`` after a change of what acts on it."""
        self._change(p, p.resolve())

    def _change(self, p: _Pin, level: int) -> None:
        """Set ``p`` to ``level``; if that is a change, publish it, tell the parts, then fire
        the interrupt."""
        if level == p.level:
            return
        p.level = level
        self.bus.publish("pin", p.name, level)
        for listener in p.listeners:
            listener(p.name, level)
        if p.trigger is not None and p.trigger[level]:
            p.on_interrupt(p.name)
