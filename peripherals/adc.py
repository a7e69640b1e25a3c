"""The ESP32 family's SAR ADC as ESP-IDF's oneshot driver (``esp_adc/adc_oneshot.h``) shows it.

Which pins reach which unit and channel, the bit widths, the attenuations' input ranges and
the units AtomVM enables are the board's ``[chip.adc]`` data. AtomVM builds its NIFs with
ADC1 only by default (Kconfig ``AVM_ADC2_ENABLE`` is ``n`` on the ESP32 and the C3: ADC2 is
shared with WiFi), so an ADC2 pin is known here but refused by the driver.

Conversion, deterministic (no noise, so averaging N samples gives the value of one):

- the input: the pin's analog source (``analog_volts``); a pin with none reads its digital
  level times VDD (a floating pin reads 0 V, one pulled or driven high reads VDD), the value
  a firmware gets from a pin with nothing analog on it being what its GPIO state makes it;
- ``raw = clamp(floor(mV * 2^bits / full_scale_mV), 0, 2^bits - 1)``: an ideal quantizer over
  the attenuation's range (ESP32 datasheet: 950, 1250, 1750, 2450 mV at 0, 2.5, 6, 11 dB;
  ESP32-C3 datasheet: 750, 1050, 1300, 2500 mV);
- the calibrated millivolts: ESP-IDF's conversion formula ``Vout = Dout * Vmax / 2^bits``
  (adc_oneshot docs, "Read Conversion Result") with the same ranges, in integers. On the
  device ESP-IDF's line (ESP32) or curve (C3) fitting scheme corrects each chip's own
  non-linearity; the model's chip is ideal, so the formula is its calibration.

Units are claimed by ``adc_oneshot_new_unit`` and freed by ``adc_oneshot_del_unit``; a second
claim of a unit fails as in ESP-IDF (``ESP_ERR_NOT_FOUND``, "already in use").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from avmsim.peripherals.gpio import GpioController

@dataclass(frozen=True)
class AdcSpec:
    """One chip's ADC (the board's ``[chip.adc]`` table)."""
    channels: dict[str, tuple[int, int]]    # pin -> (unit, channel)
    enabled_units: frozenset[int]
    bit_widths: tuple[int, ...]
    full_scale_mv: tuple[int, ...]          # by attenuation index
    vdd_mv: int

    @classmethod
    def from_chip(cls, table: dict[str, Any]) -> AdcSpec:
        channels = {pin: (int(unit), n) for unit, pins in table["units"].items()
                    for n, pin in enumerate(pins)}
        return cls(channels, frozenset(table["enabled_units"]), tuple(table["bit_widths"]),
                   tuple(table["full_scale_mv"]), table["vdd_mv"])

    @property
    def max_bits(self) -> int:
        return max(self.bit_widths)


class Adc:
    """The ADC units of one chip and the conversions they make."""

    def __init__(self, spec: AdcSpec, gpio: GpioController | None) -> None:
        self.spec = spec
        self.gpio = gpio
        self.reset()

    def reset(self) -> None:
        """Power-on: no unit claimed."""
        self.claimed: set[int] = set()

    def channel_of(self, pin: str) -> tuple[int, int] | None:
        """``adc_oneshot_io_to_channel``: the (unit, channel) of a pin, None if it has none."""
        return self.spec.channels.get(pin)

    def claim(self, unit: int) -> bool:
        """``adc_oneshot_new_unit``: False when the unit is already in use."""
        if unit in self.claimed:
            return False
        self.claimed.add(unit)
        return True

    def release(self, unit: int) -> bool:
        """``adc_oneshot_del_unit``: False when the unit was not claimed."""
        if unit not in self.claimed:
            return False
        self.claimed.discard(unit)
        return True

    def input_mv(self, pin: str, volts: float | None) -> float:
        """The pin's voltage in mV: its analog source's, else its digital level times VDD."""
        if volts is not None:
            return volts * 1000.0
        level = self.gpio.level(pin) if self.gpio is not None else 0
        return float(level * self.spec.vdd_mv)

    def raw(self, millivolts: float, atten: int, bits: int) -> int:
        """The conversion of ``millivolts`` at attenuation index ``atten`` and ``bits``."""
        top = 1 << bits
        code = int(millivolts * top // self.spec.full_scale_mv[atten])
        return min(max(code, 0), top - 1)

    def millivolts(self, raw: int, atten: int, bits: int) -> int:
        """The calibrated reading of ``raw`` (ESP-IDF's formula, see the module docstring)."""
        return raw * self.spec.full_scale_mv[atten] // (1 << bits)
