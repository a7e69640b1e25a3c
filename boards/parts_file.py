"""Parts wired to a board: LEDs, buttons and switches, as data.

One format serves two places, so a user who reads a board file can write a parts file:

* a board file lists the parts fitted on the board under ``[parts]`` (``[[parts.led]]``…);
* ``avmsim --parts parts.toml`` adds the user's own parts, with the same tables at top level::

    [[led]]
    name = "red"
    pin = "GPIO4"
    active = "high"     # level that lights it: "high" (default) or "low"
    color = "red"
    [[button]]
    name = "b1"
    pin = "GPIO15"
    active = "low"      # level the pin reads while pressed
    pull = "up"         # the external resistor that holds the pin when released
    [[switch]]
    name = "sw"
    pin = "GPIO16"

Only the format is checked here; whether the pins exist on a board is checked by
:meth:`avmsim.boards.Board.with_parts`, which knows the board. This module imports nothing
from the package so that the board loader can use it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PART_KINDS", "PartSpec", "PartsFileError", "load_parts_file", "parse_parts"]


@dataclass(frozen=True)
class PartSpec:
    """One part on one pin. ``active_low`` says which level means on/pressed; ``pull`` is the
    resistor fitted outside the chip (``"up"``, ``"down"`` or ``None``), which is what a
    released button reads when the app enables no internal pull. ``source`` remembers the
    file the part came from, so later errors (a pin the board lacks) can name it."""
    kind: str
    name: str
    pin: str
    active_low: bool = False
    color: str | None = None
    pull: str | None = None
    source: str = field(default="", compare=False, repr=False)


class PartsFileError(ValueError):
    """A parts table is malformed, or names a pin or a part that does not fit the board.

    The message names the file (or board file) and the part, so the user can fix it."""


# kind -> optional keys it accepts besides name, pin and active
PART_KINDS: dict[str, frozenset[str]] = {
    "led": frozenset({"color"}),
    "button": frozenset({"pull"}),
    "switch": frozenset({"pull"}),
}
_ACTIVE = {"high": False, "low": True}
_PULLS = {"up": "up", "down": "down", "none": None}


def load_parts_file(path: str | Path) -> tuple[PartSpec, ...]:
    """The parts listed in the TOML file at ``path`` (``--parts``), in file order per kind.

    Raises :class:`PartsFileError` for bad TOML or a bad part; a missing file raises
    ``FileNotFoundError`` like any other missing input.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PartsFileError(f"{path}: not valid TOML: {exc}") from None
    return parse_parts(data, str(path))


def parse_parts(table: dict[str, Any], source: str) -> tuple[PartSpec, ...]:
    """Parts from a TOML table whose keys are part kinds, each an array of tables.

    ``source`` names where the table came from in error messages. Part names must be unique
    (case-insensitively: the UI shows them side by side).
    """
    parts: list[PartSpec] = []
    seen: dict[str, str] = {}
    for kind, entries in table.items():
        if kind not in PART_KINDS:
            known = ", ".join(f"[[{k}]]" for k in PART_KINDS)
            raise PartsFileError(f"{source}: unknown part kind '{kind}' (use {known})")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise PartsFileError(f"{source}: '{kind}' must be an array of tables ([[{kind}]])")
        for index, entry in enumerate(entries, 1):
            part = _part(kind, entry, f"{source}: [[{kind}]] #{index}", source)
            key = part.name.casefold()
            if key in seen:
                raise PartsFileError(f"{source}: {kind} '{part.name}' has the same name as "
                                     f"{seen[key]}")
            seen[key] = f"{part.kind} '{part.name}'"
            parts.append(part)
    return tuple(parts)


def _part(kind: str, entry: dict[str, Any], where: str, source: str) -> PartSpec:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PartsFileError(f"{where}: needs a name (name = \"...\")")
    where = f"{where} ('{name}')"
    allowed = {"name", "pin", "active"} | PART_KINDS[kind]
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise PartsFileError(f"{where}: unknown key {', '.join(unknown)} "
                             f"(a {kind} takes {', '.join(sorted(allowed))})")
    pin = entry.get("pin")
    if not isinstance(pin, str) or not pin.strip():
        raise PartsFileError(f"{where}: needs a pin by name (pin = \"GPIO4\" or \"PB7\")")
    active = entry.get("active", "high")
    if active not in _ACTIVE:
        raise PartsFileError(f"{where}: active must be \"high\" or \"low\", not {active!r}")
    pull = entry.get("pull", "none")
    if pull not in _PULLS:
        raise PartsFileError(f"{where}: pull must be \"up\", \"down\" or \"none\", not {pull!r}")
    color = entry.get("color")
    if color is not None and not isinstance(color, str):
        raise PartsFileError(f"{where}: color must be a string such as \"red\"")
    return PartSpec(kind=kind, name=name.strip(), pin=pin.strip().upper(),
                    active_low=_ACTIVE[active], color=color, pull=_PULLS[pull],
                    source=source)
