"""What every chip on a bus shares: named properties, time, reset and saved state.

A device model (an SHT31, an EEPROM, a display) is built from a parts-file entry: its
``name`` (how traces, the view and the Python API call it) and its model *properties* —
physical quantities the simulated world sets (``temperature_c``) and settings of the fitted
chip (``address``). Each model declares its properties in :attr:`DeviceModel.PROPERTIES`
with a default and a range, so that a parts file or a test naming an unknown property, or a
value out of range, is refused with a message naming the property.

A property is either a number or a *schedule*: a list of ``[t_s, value]`` points, read by
linear interpolation in virtual time (held at the first value before the first point and at
the last value after the last). Models read properties through :meth:`DeviceModel.prop`, at
the virtual time of the transaction, so a schedule costs nothing between reads.

Models know nothing of the VM. They are told the time by the ``now_ns`` callable their bus
hands them, and keep their registers as plain Python values; :meth:`state` and
:meth:`restore` carry what a chip keeps across a board reset (an EEPROM's cells), and
:meth:`reset` puts the rest back to power-on values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar

NS_PER_S = 1_000_000_000


@dataclass(frozen=True)
class Prop:
    """One property of a model: its default, its range, what it means (for docs/errors)."""
    default: Any
    lo: float | None = None
    hi: float | None = None
    doc: str = ""
    kind: type = float      # float (numbers, schedules allowed), int, str or bool


class PropertyError(ValueError):
    """A property the model lacks, or a value it cannot take; the message names both."""


def _points(name: str, value: Any) -> list[tuple[int, float]] | None:
    """A schedule as [(t_ns, value)], or None when ``value`` is a plain value."""
    if not isinstance(value, list):
        return None
    points = []
    for point in value:
        if (not isinstance(point, (list, tuple)) or len(point) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           for v in point)):
            raise PropertyError(f"{name}: a schedule is a list of [time_s, value] points, "
                                f"not {point!r}")
        points.append((round(point[0] * NS_PER_S), float(point[1])))
    if not points:
        raise PropertyError(f"{name}: an empty schedule")
    if any(b[0] < a[0] for a, b in zip(points, points[1:])):
        raise PropertyError(f"{name}: schedule times must not go back")
    return points


def interpolate(points: list[tuple[int, float]], t_ns: int) -> float:
    """The schedule's value at ``t_ns`` (linear between points, held outside them)."""
    if t_ns <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in zip(points, points[1:]):
        if t_ns <= t1:
            return v1 if t1 == t0 else v0 + (v1 - v0) * (t_ns - t0) / (t1 - t0)
    return points[-1][1]


class DeviceModel:
    """Base of every bus device model; subclasses set :attr:`MODEL` and :attr:`PROPERTIES`."""

    MODEL: ClassVar[str] = ""
    PROPERTIES: ClassVar[dict[str, Prop]] = {}
    EXTRA_PINS: ClassVar[dict[str, bool]] = {}
    """Pins besides the bus's that the chip needs (role -> required), e.g. an SSD1306's
    ``{"dc": True, "rst": False}``; the parts file names them and :attr:`pins` maps each
    role given to its pin name."""
    report: Callable[[dict[str, Any]], None] = staticmethod(lambda _changes: None)
    """Where the model tells what changed (properties set, registers written); the board
    sends a fitted model's reports to the trace bus as ``device`` events."""

    def __init__(self, name: str, props: dict[str, Any] | None = None,
                 now_ns: Callable[[], int] = lambda: 0) -> None:
        self.name = name
        self.now_ns = now_ns
        self.pins: dict[str, str] = {}
        self._values: dict[str, Any] = {k: p.default for k, p in self.PROPERTIES.items()}
        self._schedules: dict[str, list[tuple[int, float]]] = {}
        self.set(**(props or {}))
        self.reset()

    # ------------------------------------------------------------------ properties
    def set(self, **props: Any) -> None:
        """Change properties now (a plain value replaces a schedule, and the reverse)."""
        for key, value in props.items():
            spec = self.PROPERTIES.get(key)
            if spec is None:
                known = ", ".join(self.PROPERTIES) or "none"
                raise PropertyError(f"{key}: a {self.MODEL} has no such property "
                                    f"(properties: {known})")
            points = _points(key, value) if spec.kind is float else None
            if points is not None:
                for _, v in points:
                    self._check(key, spec, v)
                self._schedules[key] = points
                continue
            self._values[key] = self._check(key, spec, value)
            self._schedules.pop(key, None)
        if props:
            self.report(dict(props))

    @staticmethod
    def _check(key: str, spec: Prop, value: Any) -> Any:
        if spec.kind in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    spec.kind is int and not isinstance(value, int)):
                raise PropertyError(f"{key}: must be a number, not {value!r}")
            if (spec.lo is not None and value < spec.lo) or (
                    spec.hi is not None and value > spec.hi):
                raise PropertyError(f"{key}: {value} is out of range "
                                    f"({spec.lo} to {spec.hi})")
            return spec.kind(value)
        if not isinstance(value, spec.kind):
            raise PropertyError(f"{key}: must be a {spec.kind.__name__}, not {value!r}")
        return value

    def prop(self, key: str) -> Any:
        """A property's value at the present virtual time."""
        points = self._schedules.get(key)
        if points is not None:
            return interpolate(points, self.now_ns())
        return self._values[key]

    def values(self) -> dict[str, Any]:
        """Every property now, for the live view and the Python API."""
        return {key: self.prop(key) for key in self.PROPERTIES}

    # ------------------------------------------------------------------ life cycle
    def reset(self) -> None:
        """Power-on state of the chip's registers (properties are the world's: they stay)."""

    def state(self) -> dict[str, Any]:
        """What the chip keeps across a board reset or deep sleep (non-volatile cells)."""
        return {}

    def restore(self, state: dict[str, Any]) -> None:
        """Take back what :meth:`state` gave."""


class I2cDevice(DeviceModel):
    """A target on an I2C bus, answering one 7-bit address (property ``address``).

    The bus calls, for each transfer addressed to this device: :meth:`i2c_start` (after the
    address byte, with the direction; return False to NACK the address, as a chip busy with
    a conversion or a write cycle does), then :meth:`i2c_write` per byte written (return
    False to NACK it) or :meth:`i2c_read` per byte read, then :meth:`i2c_stop` at the STOP (a
    repeated START calls :meth:`i2c_start` again without a stop in between). A chip that
    holds SCL low after its read address (clock stretching) says for how long with
    :meth:`i2c_stretch_ns`. During a transfer ``now_ns()`` is the time of the bit on the
    wire, so a chip sees the time pass between its bytes."""

    def address(self) -> int:
        return int(self.prop("address"))

    def i2c_start(self, read: bool) -> bool:
        """A (repeated) START addressed to this device; True to ACK the address."""
        return True

    def i2c_stretch_ns(self) -> int:
        """How long the chip holds SCL low after ACKing its read address (0: not at all)."""
        return 0

    def i2c_write(self, byte: int) -> bool:
        """A byte from the controller; True to ACK it."""
        return True

    def i2c_read(self) -> int:
        """The next byte to send the controller."""
        return 0xFF

    def i2c_stop(self) -> None:
        """A STOP ends the transfer."""


class SpiDevice(DeviceModel):
    """A device on an SPI bus, selected by its chip-select pin (active low).

    The bus calls :meth:`spi_select` when CS falls, :meth:`spi_exchange` per byte (MOSI in,
    MISO out, full duplex) and :meth:`spi_deselect` when CS rises. ``pin_level(name)`` lets a
    device read another of its pins (an SSD1306's D/C, ``self.pins["dc"]``) at the time of
    the byte."""

    pin_level: Callable[[str], int] = staticmethod(lambda _pin: 0)

    def spi_select(self) -> None:
        """CS went low."""

    def spi_exchange(self, mosi: int) -> int:
        """One byte each way; returns the MISO byte (0xFF when the device drives nothing)."""
        return 0xFF

    def spi_deselect(self) -> None:
        """CS went high."""
