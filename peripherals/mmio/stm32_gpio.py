"""STM32F4 GPIO port (RM0090 section 8.4): one MMIO window per port, pins ``P<port><n>``.

MODER and OTYPER together give each pin its mode, PUPDR its pull; ODR and BSRR drive the
output latch; IDR reads the pins through the GPIO model. A pin in alternate-function or
analog mode is handed to the model as an input: the GPIO latch no longer drives it (the
peripheral that does is modelled at transaction level). OSPEEDR, LCKR and the
alternate-function selection registers are not modelled.
"""
from __future__ import annotations

from typing import Any

from .pin_bank import PinBank
from .registers import RegisterBlock

MODER, OTYPER, PUPDR, IDR, ODR, BSRR = 0x00, 0x04, 0x0C, 0x10, 0x14, 0x18
PINS_PER_PORT = 16

# Reset values that are not zero (the debug pins PA13-15, PB3-4): MODER, PUPDR by port.
RESET = {"A": (0xA800_0000, 0x6400_0000), "B": (0x0000_0280, 0x0000_0100)}

# (MODER field, OTYPER bit) -> mode given to the GPIO model.
MODES = {
    (0b00, 0): "input", (0b00, 1): "input",          # input
    (0b01, 0): "output", (0b01, 1): "output_od",     # general purpose output
    (0b10, 0): "input", (0b10, 1): "input",          # alternate function
    (0b11, 0): "input", (0b11, 1): "input",          # analog
}
PULLS = ("floating", "up", "down", "floating")       # PUPDR field; 0b11 is reserved


class Stm32GpioPort:
    """Registers of GPIO port ``port`` (a letter) driving ``gpio``'s pins ``P<port>0..15``."""

    def __init__(self, port: str, gpio: Any) -> None:
        self.moder, self.pupdr = RESET.get(port, (0, 0))
        self.otyper = 0
        self._bank = PinBank(gpio, [f"P{port}{n}" for n in range(PINS_PER_PORT)])
        self.registers = RegisterBlock(
            reads={MODER: lambda: self.moder, OTYPER: lambda: self.otyper,
                   PUPDR: lambda: self.pupdr, IDR: self._bank.levels,
                   ODR: lambda: self._bank.out},
            writes={MODER: self._write_moder, OTYPER: self._write_otyper,
                    PUPDR: self._write_pupdr, ODR: self._bank.drive, BSRR: self._write_bsrr})

    def _send_modes(self) -> None:
        self._bank.set_modes([MODES[(self.moder >> (2 * n)) & 0b11, (self.otyper >> n) & 1]
                              for n in range(PINS_PER_PORT)])

    def _write_moder(self, value: int) -> None:
        self.moder = value & 0xFFFF_FFFF
        self._send_modes()

    def _write_otyper(self, value: int) -> None:
        self.otyper = value & 0xFFFF
        self._send_modes()

    def _write_pupdr(self, value: int) -> None:
        self.pupdr = value & 0xFFFF_FFFF
        self._bank.set_pulls([PULLS[(self.pupdr >> (2 * n)) & 0b11] for n in range(PINS_PER_PORT)])

    def _write_bsrr(self, value: int) -> None:
        """Low half sets pins, high half resets them; set wins when both are given."""
        self._bank.drive((self._bank.out & ~(value >> 16)) | (value & 0xFFFF))


def stm32_gpio(window: Any, gpio: Any) -> RegisterBlock:
    """Front-end of a window named ``GPIO<port>`` (``GPIOB`` drives PB0..PB15)."""
    return Stm32GpioPort(window.name[-1], gpio).registers
