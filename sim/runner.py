"""The images a board boots from, and what counts as the app's success.

The standard library pack goes into the ``boot_avm`` partition and the app (its .avm, or
the given files packed together) into ``main_avm`` (see :mod:`avmsim.simulation`, which
boots them as AtomVM's firmware does: the first process calls
``init:boot([<<"-s">>, StartModule])`` from the standard library, which calls
``StartModule:start()``).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from avmsim.vm.avm_pack import build_pack
from avmsim.vm.terms import atom

STDLIB_IMAGE = "atomvmlib.avm"
SUCCESS_RESULTS = (atom("ok"), 0)


def succeeded(value: Any) -> bool:
    """AtomVM counts a start/0 that returns ``ok`` or ``0`` as success."""
    return value is SUCCESS_RESULTS[0] or (value.__class__ is int and value == 0)


def stdlib_image() -> bytes:
    """The shipped standard library pack (built by scripts/build_stdlib.py)."""
    return resources.files("avmsim.firmware_images").joinpath(STDLIB_IMAGE).read_bytes()


def app_image(inputs: list[str]) -> bytes:
    """The app pack to flash: a lone .avm as it is, anything else packed together."""
    if len(inputs) == 1 and inputs[0].endswith(".avm"):
        return Path(inputs[0]).read_bytes()
    return build_pack(inputs)
