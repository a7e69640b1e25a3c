"""Register-level front-ends: MMIO accesses of native firmware, turned into model calls.

Boards name a front-end per MMIO window (``MmioWindow.model``); :data:`FRONT_ENDS` maps
that name to a factory ``(window, devices) -> RegisterBlock``. ``devices`` is the board's
peripherals object (``avmsim.devices.Devices``: ``gpio``, ``uarts`` by name, and the buses a
front-end may need), used by duck typing, so a new front-end widens no signature. A window
whose model is not wired (no devices, no GPIO, no UART of the window's name) or that has no
front-end
(``""``, or one not written yet) gets an empty block: every access is then counted as
unmodelled instead of failing the board.
"""
from __future__ import annotations

from typing import Any, Callable

from .dispatch import NO_WINDOW, UnmodelledAccesses, WindowGroup
from .esp32_gpio import esp32_gpio, esp32c3_gpio
from .registers import RegisterBlock
from .rp2040_sio import rp2040_sio
from .stm32_gpio import stm32_gpio
from .uart import LAYOUTS, uart_registers

Factory = Callable[[Any, Any], RegisterBlock]


def _on_gpio(build: Callable[[Any, Any], RegisterBlock]) -> Factory:
    def factory(window: Any, devices: Any) -> RegisterBlock:
        gpio = devices.gpio if devices is not None else None
        return RegisterBlock() if gpio is None else build(window, gpio)
    return factory


def _on_uart(layout_name: str) -> Factory:
    layout = LAYOUTS[layout_name]

    def factory(window: Any, devices: Any) -> RegisterBlock:
        uart = devices.uarts.get(window.name) if devices is not None else None
        return RegisterBlock() if uart is None else uart_registers(layout, uart)
    return factory


def _unmodelled(window: Any, devices: Any) -> RegisterBlock:
    return RegisterBlock()


FRONT_ENDS: dict[str, Factory] = {
    "stm32_gpio": _on_gpio(stm32_gpio),
    "rp2040_sio": _on_gpio(rp2040_sio),
    "esp32_gpio": _on_gpio(esp32_gpio),
    "esp32c3_gpio": _on_gpio(esp32c3_gpio),
    **{name: _on_uart(name) for name in LAYOUTS},
}


def front_end(model: str) -> Factory:
    """The factory for a window of ``model``; windows with no front-end get an empty block."""
    return FRONT_ENDS.get(model, _unmodelled)


__all__ = ["FRONT_ENDS", "NO_WINDOW", "RegisterBlock", "UnmodelledAccesses", "WindowGroup",
           "front_end"]
