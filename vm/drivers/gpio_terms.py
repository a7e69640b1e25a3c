"""How AtomVM's GPIO APIs spell pins, levels, modes, pulls and triggers as terms.

ESP32 and the Pico name a pin by its number (``2`` is GPIO2); STM32 by bank and number,
``{b, 7}``, several pins of a bank, ``{b, [0, 7, 14]}``, or the whole bank, ``{b, all}``.
The board wiring (``vm.devices``) turns numbers and bank letters into the board's pin names
and refuses the forms the platform does not use. STM32 modes may carry a pull and a speed:
``{output, up}``, ``{output, up, mhz_50}``; alternate-function and analog pins are not
driven by GPIO, so the model sees them as inputs. See docs/platform-apis.md.
"""
from __future__ import annotations

from typing import Any

from ..terms import NIL, Atom, Cons, atom

HIGH = atom("high")
LOW = atom("low")
A_ALL = atom("all")
BANK_SIZE = 16

LEVELS = {HIGH: 1, LOW: 0, 1: 1, 0: 0}
MODES = {atom("input"): "input", atom("output"): "output", atom("output_od"): "output_od",
         atom("af"): "input", atom("analog"): "input"}
A_AF = atom("af")
MAX_ALTERNATE = 15   # STM32 alternate functions AF0..AF15
PULLS = {atom(p): p for p in ("up", "down", "up_down", "floating")}
TRIGGERS = {atom(t): t for t in ("none", "rising", "falling", "both", "low", "high")}


class BadValue(Exception):
    """A term the GPIO API does not accept; ``what`` names it as STM32's errors do."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def level_of(term: Any) -> int:
    level = LEVELS.get(term) if term.__class__ in (Atom, int) else None
    if level is None:
        raise BadValue("invalid_level")
    return level


def level_term(level: int) -> Atom:
    return HIGH if level else LOW


def mode_of(term: Any) -> tuple[str, str | None]:
    """A mode term as (model mode, pull or None): ``output``, ``{input, up}``…"""
    pull = None
    if term.__class__ is tuple and len(term) == 2 and term[0] is A_AF and term[1].__class__ is int:
        if not 0 <= term[1] <= MAX_ALTERNATE:   # STM32 {af, N}: the pin goes to a peripheral
            raise BadValue("invalid_mode")
        return MODES[A_AF], None
    if term.__class__ is tuple and 2 <= len(term) <= 3:
        pull = PULLS.get(term[1]) if term[1].__class__ is Atom else None
        if pull is None:
            raise BadValue("invalid_pull")
        term = term[0]
    mode = MODES.get(term) if term.__class__ is Atom else None
    if mode is None:
        raise BadValue("invalid_mode")
    return mode, pull


def table_value(table: dict[Atom, str], term: Any, what: str) -> str:
    """The model's name for a pull/trigger atom."""
    value = table.get(term) if term.__class__ is Atom else None
    if value is None:
        raise BadValue(what)
    return value


def pin_names(devices: Any, term: Any) -> list[str]:
    """The board pins a pin term names (one, or several for ``{Bank, [Pins]}``/``all``)."""
    try:
        if term.__class__ is int:
            return [devices.pin_for_number(term)]
        if term.__class__ is tuple and len(term) == 2 and term[0].__class__ is Atom:
            bank, pins = term
            if pins is A_ALL:
                return [name for n in range(BANK_SIZE)
                        if (name := _maybe_pin(devices, bank.name, n)) is not None]
            numbers = [pins] if pins.__class__ is int else _int_list(pins)
            return [devices.pin_for_port(bank.name, n) for n in numbers]
    except KeyError:
        raise BadValue("invalid_pin") from None
    raise BadValue("badarg")


def _maybe_pin(devices: Any, bank: str, n: int) -> str | None:
    try:
        return devices.pin_for_port(bank, n)
    except KeyError:
        return None


def _int_list(t: Any) -> list[int]:
    out = []
    while t.__class__ is Cons and t.hd.__class__ is int:
        out.append(t.hd)
        t = t.tl
    if t is not NIL or not out:
        raise KeyError(t)
    return out
