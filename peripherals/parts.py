"""Parts fitted on a board's pins: LEDs that show a level, buttons and switches that set one.

Each part is wired to one GPIO pin by name and meets the chip only through the
``GpioController``: an LED listens to its pin's level, a contact drives its pin. Parts publish
their own state changes on the trace bus (kind ``part``: ``"on"``/``"off"``,
``"pressed"``/``"released"``), so a view can say "LED2 on" without knowing pin polarities.

Buttons and switches are contacts between the pin and their active level: closed, they drive
that level; open, they release the pin and the pulls decide, as on a real board. A board that
has a resistor next to the contact (the ESP32 DevKitC's BOOT button has a pull-up) declares it
with ``pull``; without one, the firmware has to enable an internal pull or the open contact
reads as a floating pin (0 in this model).

Boards list their parts as data; ``make_part`` and ``attach_parts`` build them from dicts such
as ``{kind = "led", name = "LED2", pin = "GPIO2", active = "high", color = "blue"}``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from avmsim.peripherals.gpio import GpioController, UnknownPinError


class Part:
    """Something fitted on one pin; ``attach`` wires it to a board's GPIO."""

    kind: ClassVar[str]

    def __init__(self, name: str, pin: str, active_low: bool) -> None:
        self.name = name
        self.pin = pin
        self.active_level = 0 if active_low else 1
        self._gpio: GpioController | None = None

    @property
    def state(self) -> str:
        """The state word the part publishes (``"on"``, ``"pressed"``…)."""
        raise NotImplementedError

    def attach(self, gpio: GpioController) -> None:
        """Wire the part to ``gpio`` (raises ``UnknownPinError`` if the board lacks the pin)."""
        self._gpio = gpio

    def _publish(self) -> None:
        self._board().bus.publish("part", self.name, self.state)

    def _board(self) -> GpioController:
        if self._gpio is None:
            raise RuntimeError(f"part {self.name!r} is not attached to a board")
        return self._gpio

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r} on {self.pin}, {self.state})"


class Led(Part):
    """An LED: lit while its pin is at the active level.

    On a PWM pin (the ``pwm`` trace events of peripherals/ledc.py, with a frequency) it is lit
    for the part of each period its pin is active, which the eye sees as ``brightness``: the
    duty, or 1 - duty when active low. Off PWM, ``brightness`` is 1 or 0 from the level. The
    state word is ``"off"``, ``"on"`` (full brightness) or the brightness in percent while
    dimmed (``"42%"``, 1-99), published when it changes.
    """

    kind = "led"

    def __init__(self, name: str, pin: str, active_low: bool = False, color: str = "red") -> None:
        super().__init__(name, pin, active_low)
        self.color = color
        self.brightness = 0.0
        self._pwm = False

    @property
    def on(self) -> bool:
        return self.brightness > 0

    @property
    def state(self) -> str:
        if self.brightness <= 0:
            return "off"
        if self.brightness >= 1:
            return "on"
        return f"{min(max(round(self.brightness * 100), 1), 99)}%"

    def attach(self, gpio: GpioController) -> None:
        gpio.add_listener(self.pin, self._follow)
        gpio.bus.subscribe(self._on_pwm, ("pwm",))
        super().attach(gpio)
        self.brightness = self._lit(gpio.level(self.pin))

    def _lit(self, level: int) -> float:
        return 1.0 if level == self.active_level else 0.0

    def _follow(self, _pin: str, level: int) -> None:
        if not self._pwm:
            self._show(self._lit(level))

    def _on_pwm(self, event: Any) -> None:
        if event.source != self.pin:
            return
        self._pwm = bool(event.value["freq_hz"])
        if self._pwm:
            duty = event.value["duty"]
            self._show(1.0 - duty if self.active_level == 0 else duty)
        else:
            self._show(self._lit(self._board().level(self.pin)))

    def _show(self, brightness: float) -> None:
        before = self.state
        self.brightness = brightness
        if self.state != before:
            self._publish()


class _Contact(Part):
    """A contact to the active level: closed drives the pin, open releases it."""

    STATES: ClassVar[tuple[str, str]]   # state words, open then closed

    def __init__(self, name: str, pin: str, active_low: bool = True,
                 external_pull: str | None = None) -> None:
        super().__init__(name, pin, active_low)
        self.external_pull = external_pull
        self.closed = False

    @property
    def state(self) -> str:
        return self.STATES[self.closed]

    def attach(self, gpio: GpioController) -> None:
        if self.external_pull is not None:
            gpio.set_external_pull(self.pin, self.external_pull)
        super().attach(gpio)

    def _set_closed(self, closed: bool) -> None:
        gpio = self._board()
        if closed == self.closed:
            return
        self.closed = closed
        self._publish()   # the cause before its effect on the pin (and any interrupt)
        gpio.drive(self.pin, self.active_level if closed else None)


class Button(_Contact):
    """A momentary push button (active low by default: it pulls its pin to ground)."""

    kind = "button"
    STATES = ("released", "pressed")

    @property
    def pressed(self) -> bool:
        return self.closed

    def press(self) -> None:
        self._set_closed(True)

    def release(self) -> None:
        self._set_closed(False)


class Switch(_Contact):
    """A latching switch: a button that stays where it is put."""

    kind = "switch"
    STATES = ("off", "on")

    @property
    def on(self) -> bool:
        return self.closed

    def set(self, on: bool) -> None:
        self._set_closed(bool(on))

    def toggle(self) -> None:
        self._set_closed(not self.closed)


# kind -> (class, default ``active``, optional spec keys and the constructor argument of each)
PART_KINDS: dict[str, tuple[type[Part], str, dict[str, str]]] = {
    "led": (Led, "high", {"color": "color"}),
    "button": (Button, "low", {"pull": "external_pull"}),
    "switch": (Switch, "low", {"pull": "external_pull"}),
}
ACTIVE_LOW = {"high": False, "low": True}
COMMON_KEYS = ("kind", "name", "pin", "active")


def make_part(spec: dict[str, Any]) -> Part:
    """Build a part from a board's description of it (not yet attached)."""
    name = spec.get("name")
    label = f"part {name!r}" if isinstance(name, str) and name else f"part {spec!r}"
    if not isinstance(name, str) or not name:
        raise ValueError(f"{label}: needs a name")
    kind = spec.get("kind")
    if kind not in PART_KINDS:
        raise ValueError(f"{label}: unknown kind {kind!r} (one of {', '.join(PART_KINDS)})")
    cls, default_active, options = PART_KINDS[kind]
    pin = spec.get("pin")
    if not isinstance(pin, str) or not pin:
        raise ValueError(f"{label}: needs a pin name")
    active = spec.get("active", default_active)
    if active not in ACTIVE_LOW:
        raise ValueError(f"{label}: active must be \"high\" or \"low\", not {active!r}")
    unknown = sorted(set(spec) - set(COMMON_KEYS) - set(options))
    if unknown:
        allowed = ", ".join((*COMMON_KEYS, *options))
        raise ValueError(f"{label}: unknown key {', '.join(unknown)} for a {kind} ({allowed})")
    kwargs = {arg: spec[key] for key, arg in options.items() if key in spec}
    return cls(name, pin, active_low=ACTIVE_LOW[active], **kwargs)


def attach_parts(gpio: GpioController, specs: Iterable[dict[str, Any]]) -> dict[str, Part]:
    """Build and attach every part of a board; returns them by name."""
    parts: dict[str, Part] = {}
    for spec in specs:
        part = make_part(spec)
        if part.name in parts:
            raise ValueError(f"part {part.name!r}: two parts have that name")
        try:
            part.attach(gpio)
        except (UnknownPinError, ValueError) as err:
            raise ValueError(f"part {part.name!r}: {err}") from None
        parts[part.name] = part
    return parts
