"""RP2040 SIO GPIO registers (datasheet section 2.3.1.7), pins ``GPIO0..29``.

Firmware drives pins through SIO once their FUNCSEL selects SIO; IO_BANK0 (FUNCSEL, pads)
is not modelled, so SIO here always owns the pins.
"""
from __future__ import annotations

from typing import Any

from .pin_bank import PinBank
from .registers import RegisterBlock, SetClear, combine, set_clear_registers

GPIO_IN = 0x004
GPIO_OUT = SetClear(value=0x010, set=0x014, clear=0x018, xor=0x01C)
GPIO_OE = SetClear(value=0x020, set=0x024, clear=0x028, xor=0x02C)
PINS = tuple(f"GPIO{n}" for n in range(30))


def rp2040_sio(window: Any, gpio: Any) -> RegisterBlock:
    """Front-end of the SIO window: GPIO_IN, GPIO_OUT and GPIO_OE with their aliases."""
    bank = PinBank(gpio, PINS)
    return combine(RegisterBlock(reads={GPIO_IN: bank.levels}),
                   set_clear_registers(GPIO_OUT, lambda: bank.out, bank.drive),
                   set_clear_registers(GPIO_OE, lambda: bank.enabled, bank.enable))
