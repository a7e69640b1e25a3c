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

Chips on a bus and analog sources have tables of their own; every key besides the pins is a
property of the device model (``avmsim.peripherals.device_models``), checked against the
model's ``PROPERTIES``; a number may be a schedule ``[[t_s, value], ...]``::

    [[i2c_device]]
    name = "env"          # how traces, the view and the Python API call it
    model = "sht31"
    sda = "GPIO4"
    scl = "GPIO15"
    address = 0x44        # 7-bit, 0x08..0x77 (the model's default when it has one)
    temperature_c = 21.5
    [[spi_device]]
    name = "oled"
    model = "ssd1306"
    sclk = "GPIO18"
    mosi = "GPIO23"       # miso = "GPIO19" when the chip answers
    cs = "GPIO5"
    dc = "GPIO16"         # pins the model declares it needs (EXTRA_PINS)
    [[analog]]
    name = "pot"
    pin = "GPIO34"
    volts = 1.65

Only the format and the models' properties are checked here; whether the pins exist on a
board, are claimed twice, or two chips share an address is checked by
:meth:`avmsim.boards.Board.with_parts`, which knows the board. This module imports nothing
from the package but the device models (which import nothing of the boards), so that the
board loader can use it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avmsim.peripherals.analog import AnalogSource
from avmsim.peripherals.device_model import DeviceModel, I2cDevice, PropertyError, SpiDevice
from avmsim.peripherals.device_models import DEVICE_MODELS

__all__ = ["DEVICE_KINDS", "PART_KINDS", "DeviceSpec", "PartSpec", "PartsFileError",
           "load_parts_file", "parse_parts"]


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


@dataclass(frozen=True)
class DeviceSpec:
    """A chip on a bus (``i2c_device``, ``spi_device``) or an analog source (``analog``).

    ``pins`` maps each pin role the part uses (``sda``, ``scl``, ``sclk``, ``mosi``,
    ``miso``, ``cs``, a model's extra pins, an analog source's ``pin``) to the pin's name;
    ``props`` holds the model properties the file sets (checked against the model);
    ``address`` is an I2C chip's 7-bit address (the model's default when not given)."""
    kind: str
    name: str
    model: str
    pins: dict[str, str]
    props: dict[str, Any] = field(default_factory=dict)
    address: int | None = None
    source: str = field(default="", compare=False, repr=False)

    @property
    def model_class(self) -> type[DeviceModel]:
        form = DEVICE_KINDS[self.kind]
        return DEVICE_MODELS[self.model] if form.named_model else form.base


@dataclass(frozen=True)
class DeviceForm:
    """What a device table needs: its pin roles and the model family it takes."""
    required: tuple[str, ...]
    optional: tuple[str, ...]
    base: type[DeviceModel]
    named_model: bool = True      # False: the table is its model (``[[analog]]``)


DEVICE_KINDS: dict[str, DeviceForm] = {
    "i2c_device": DeviceForm(("sda", "scl"), (), I2cDevice),
    "spi_device": DeviceForm(("sclk", "mosi", "cs"), ("miso",), SpiDevice),
    "analog": DeviceForm(("pin",), (), AnalogSource, named_model=False),
}
I2C_ADDRESSES = range(0x08, 0x78)   # 7-bit addresses outside the reserved groups


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


def load_parts_file(path: str | Path) -> tuple[PartSpec | DeviceSpec, ...]:
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


def parse_parts(table: dict[str, Any], source: str) -> tuple[PartSpec | DeviceSpec, ...]:
    """Parts from a TOML table whose keys are part kinds, each an array of tables.

    ``source`` names where the table came from in error messages. Part names must be unique
    (case-insensitively: the UI shows them side by side).
    """
    parts: list[PartSpec | DeviceSpec] = []
    seen: dict[str, str] = {}
    for kind, entries in table.items():
        build = _device if kind in DEVICE_KINDS else _part
        if kind not in PART_KINDS and kind not in DEVICE_KINDS:
            known = ", ".join(f"[[{k}]]" for k in (*PART_KINDS, *DEVICE_KINDS))
            raise PartsFileError(f"{source}: unknown part kind '{kind}' (use {known})")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise PartsFileError(f"{source}: '{kind}' must be an array of tables ([[{kind}]])")
        for index, entry in enumerate(entries, 1):
            part = build(kind, entry, f"{source}: [[{kind}]] #{index}", source)
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


def _device(kind: str, entry: dict[str, Any], where: str, source: str) -> DeviceSpec:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PartsFileError(f"{where}: needs a name (name = \"...\")")
    where = f"{where} ('{name}')"
    form = DEVICE_KINDS[kind]
    cls = _model_class(kind, form, entry, where)
    required = form.required + tuple(r for r, need in cls.EXTRA_PINS.items() if need)
    optional = form.optional + tuple(r for r, need in cls.EXTRA_PINS.items() if not need)
    fixed = {"name", "model"} if form.named_model else {"name"}
    allowed = fixed | set(required) | set(optional) | set(cls.PROPERTIES)
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise PartsFileError(f"{where}: unknown key {', '.join(unknown)} ([[{kind}]] "
                             f"model {cls.MODEL} takes {', '.join(sorted(allowed))})")
    pins = {}
    for role in required + optional:
        pin = entry.get(role)
        if pin is None and role in optional:
            continue
        if not isinstance(pin, str) or not pin.strip():
            raise PartsFileError(f"{where}: needs {role} = a pin by name (\"GPIO4\", \"PB7\")")
        pins[role] = pin.strip().upper()
    props = {k: _resolve(cls, k, v, source) for k, v in entry.items() if k in cls.PROPERTIES}
    address = _address(cls, props, where) if form.base is I2cDevice else None
    try:
        cls(name.strip(), props)
    except PropertyError as err:
        raise PartsFileError(f"{where}: {err}") from None
    return DeviceSpec(kind=kind, name=name.strip(), model=cls.MODEL, pins=pins, props=props,
                      address=address, source=source)


def _model_class(kind: str, form: DeviceForm, entry: dict[str, Any],
                 where: str) -> type[DeviceModel]:
    if not form.named_model:
        return form.base
    model = entry.get("model")
    fitting = sorted(m for m, c in DEVICE_MODELS.items() if issubclass(c, form.base))
    cls = DEVICE_MODELS.get(model) if isinstance(model, str) else None
    if cls is None or not issubclass(cls, form.base):
        what = "needs a model" if model is None else f"unknown model {model!r}"
        raise PartsFileError(f"{where}: {what} (models for [[{kind}]]: "
                             f"{', '.join(fitting) or 'none'})")
    return cls


def _resolve(cls: type[DeviceModel], key: str, value: Any, source: str) -> Any:
    """A file property (``kind=Path``) is relative to the parts file's folder."""
    if cls.PROPERTIES[key].kind is Path and isinstance(value, str):
        return Path(source).parent / value
    return value


def _address(cls: type[DeviceModel], props: dict[str, Any], where: str) -> int:
    address = props.get("address", cls.PROPERTIES["address"].default)
    if address is None:
        raise PartsFileError(f"{where}: needs address = the chip's 7-bit I2C address (0x08..0x77)")
    if isinstance(address, bool) or not isinstance(address, int) or address not in I2C_ADDRESSES:
        shown = f"0x{address:02X}" if isinstance(address, int) else repr(address)
        raise PartsFileError(f"{where}: address {shown} is not a 7-bit I2C address "
                             "from 0x08 to 0x77")
    return address
