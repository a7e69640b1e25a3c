"""ESP32 and ESP32-C3 GPIO output/enable/input registers, pins ``GPIO<n>``.

ESP32 (TRM chapter 4): two banks, GPIO0-31 in GPIO_OUT/GPIO_ENABLE/GPIO_IN and GPIO32-39
in the ``1`` registers. ESP32-C3 (TRM chapter 5): one bank, GPIO0-21, at the same offsets.
Each latch has write-1-to-set (W1TS) and write-1-to-clear (W1TC) aliases. The GPIO matrix
routing (FUNCn_OUT_SEL) is not modelled: the GPIO registers always own the pins.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .pin_bank import PinBank
from .registers import RegisterBlock, SetClear, combine, set_clear_registers


class Bank(NamedTuple):
    first_pin: int
    pins: int
    out: SetClear
    enable: SetClear
    input: int


BANK0 = dict(out=SetClear(0x04, 0x08, 0x0C), enable=SetClear(0x20, 0x24, 0x28), input=0x3C)
BANK1 = dict(out=SetClear(0x10, 0x14, 0x18), enable=SetClear(0x2C, 0x30, 0x34), input=0x40)
ESP32_BANKS = (Bank(0, 32, **BANK0), Bank(32, 8, **BANK1))
ESP32C3_BANKS = (Bank(0, 22, **BANK0),)


def _bank_registers(bank: Bank, gpio: Any) -> RegisterBlock:
    pins = PinBank(gpio, [f"GPIO{bank.first_pin + n}" for n in range(bank.pins)])
    return combine(RegisterBlock(reads={bank.input: pins.levels}),
                   set_clear_registers(bank.out, lambda: pins.out, pins.drive),
                   set_clear_registers(bank.enable, lambda: pins.enabled, pins.enable))


def esp32_gpio(window: Any, gpio: Any) -> RegisterBlock:
    """Front-end of the ESP32 GPIO window (0x3FF44000)."""
    return combine(*(_bank_registers(bank, gpio) for bank in ESP32_BANKS))


def esp32c3_gpio(window: Any, gpio: Any) -> RegisterBlock:
    """Front-end of the ESP32-C3 GPIO window (0x60004000)."""
    return combine(*(_bank_registers(bank, gpio) for bank in ESP32C3_BANKS))
