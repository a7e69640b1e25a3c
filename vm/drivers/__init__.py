"""Port drivers and device NIFs: the VM's side of the board's peripherals.

They translate AtomVM's terms and port messages into calls on the peripheral models that the
board wiring hands to the VM as ``vm.devices`` (see ``avmsim.devices``); they know nothing of
a particular board.

One registry for both halves of a driver: each module named in :data:`DRIVER_MODULES`
registers its NIFs with ``@native`` when imported (``avmsim.vm.natives.load_all`` imports
them), and declares its port drivers in a module-level ``PORT_DRIVERS`` table,
``{"name": (factory, platforms)}``: ``open_port({spawn, "name"}, Opts)`` reaches the factory
on those platforms only, as AtomVM builds each driver into some platforms only.
"""
from __future__ import annotations

import importlib
from typing import Any

DRIVER_MODULES = ("gpio", "uart", "i2c", "spi", "ledc", "adc", "dac", "console", "inet_socket",
                  "network")
"""Modules under ``avmsim.vm.drivers``, each a device API as AtomVM exposes it."""


def driver_modules() -> list[Any]:
    """Every driver module, imported (their NIFs registered)."""
    return [importlib.import_module(f"{__name__}.{name}") for name in DRIVER_MODULES]


def port_drivers(platform: str) -> dict[str, Any]:
    """Driver name -> factory, for the ports AtomVM offers on ``platform``."""
    out: dict[str, Any] = {}
    for module in driver_modules():
        for name, (factory, platforms) in getattr(module, "PORT_DRIVERS", {}).items():
            if platform in platforms:
                out[name] = factory
    return out
