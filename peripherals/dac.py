"""The ESP32's 8-bit DAC as ESP-IDF's oneshot driver (``driver/dac_oneshot.h``) shows it.

Two channels on fixed pins (the board's ``[chip.dac]``: DAC_CHAN_0 on GPIO25, DAC_CHAN_1 on
GPIO26). ``dac_oneshot_new_channel`` claims a channel (a second claim is
``ESP_ERR_INVALID_STATE`` in ESP-IDF), ``dac_oneshot_output_voltage`` sets its 8-bit code and
the pin's voltage becomes ``code / 255 * VDD`` (ESP-IDF's DAC docs: codes 0..255 span 0 to
VDD3P3_RTC), ``dac_oneshot_del_channel`` releases it (the output stays where it was).

Each new output publishes a ``device`` trace event, source ``dac<N>``, value ``{"pin",
"code", "volts"}``. :meth:`Dac.volts` gives a pin's output for whoever wires it to an input.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from avmsim.trace import TraceBus


class Dac:
    """The DAC channels of one chip."""

    def __init__(self, table: dict[str, Any], bus: TraceBus) -> None:
        self.pins: tuple[str, ...] = tuple(table["pins"])
        self.vdd_mv: int = table["vdd_mv"]
        self.bus = bus
        self.reset()

    def reset(self) -> None:
        """Power-on: no channel claimed, every output at 0."""
        self.claimed: set[int] = set()
        self.codes = [0] * len(self.pins)

    def claim(self, channel: int) -> bool:
        """False when ``channel`` is already in use."""
        if channel in self.claimed:
            return False
        self.claimed.add(channel)
        return True

    def release(self, channel: int) -> None:
        self.claimed.discard(channel)

    def output(self, channel: int, code: int) -> None:
        """Set channel ``channel`` (claimed, 0..) to the 8-bit ``code``."""
        self.codes[channel] = code
        self.bus.publish("device", f"dac{channel}", {
            "pin": self.pins[channel], "code": code, "volts": self._volts(code)})

    def volts(self, pin: str) -> float | None:
        """The voltage a claimed channel puts on ``pin``; None when no DAC drives it."""
        if pin not in self.pins or self.pins.index(pin) not in self.claimed:
            return None
        return self._volts(self.codes[self.pins.index(pin)])

    def _volts(self, code: int) -> float:
        return code * self.vdd_mv / 255 / 1000.0
