"""An analog source on a pin: a voltage the simulated world puts there (a potentiometer,
a divider, a sensor's output), for the ADC to convert.

It is a device model like the bus chips, so a parts file sets it the same way (``volts = 1.65``
or a schedule ``[[t_s, volts], ...]``) and a test changes it with
``sim.part("pot").set(volts=2.0)``; the ADC reads it through ``vm.devices.analog_volts(pin)``
at the conversion's virtual time.
"""
from __future__ import annotations

from typing import ClassVar

from avmsim.peripherals.device_model import DeviceModel, Prop

MAX_VOLTS = 3.6   # ESP32 / STM32 / RP2040 pins: VDD 3.3 V, absolute maximum 3.6 V


class AnalogSource(DeviceModel):
    """A voltage on one pin (``pins["pin"]``), read at the virtual time of the conversion."""

    MODEL = "analog"
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "volts": Prop(0.0, 0.0, MAX_VOLTS, "the voltage on the pin, in volts"),
    }

    def volts(self) -> float:
        return float(self.prop("volts"))
