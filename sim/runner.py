"""The images a board boots from, and what counts as the app's success.

The standard library pack goes into the ``boot_avm`` partition and the app (its .avm, or
the given files packed together; with the Elixir library after it when it holds Elixir
modules) into ``main_avm`` (see :mod:`avmsim.simulation`, which
boots them as AtomVM's firmware does: the first process calls
``init:boot([<<"-s">>, StartModule])`` from the standard library, which calls
``StartModule:start()``).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from avmsim.vm.avm_pack import ELIXIR_PREFIX, build_pack, read_pack, write_pack
from avmsim.vm.terms import atom

STDLIB_IMAGE = "atomvmlib.avm"
ELIXIR_LIB_IMAGE = "exavmlib.avm"
SUCCESS_RESULTS = (atom("ok"), 0)


def succeeded(value: Any) -> bool:
    """AtomVM counts a start/0 that returns ``ok`` or ``0`` as success."""
    return value is SUCCESS_RESULTS[0] or (value.__class__ is int and value == 0)


def shipped_image(name: str) -> bytes:
    """A pack of firmware_images/ (built by scripts/build_images.py)."""
    return resources.files("avmsim.firmware_images").joinpath(name).read_bytes()


def stdlib_image() -> bytes:
    """The shipped standard library pack."""
    return shipped_image(STDLIB_IMAGE)


def holds_elixir(pack: bytes, origin: str) -> bool:
    """Whether a pack holds a module compiled from Elixir (``Elixir.*``)."""
    return any(s.is_beam and s.name.startswith(ELIXIR_PREFIX)
               for s in read_pack(pack, origin))


def with_elixir_library(app: bytes, origin: str) -> bytes:
    """The app pack followed by the Elixir library: what avmsim flashes at ``main.avm`` for
    an Elixir app. (AtomVM's Elixir boot image holds the Erlang and Elixir libraries
    together, but avmsim's Erlang library leaves too little of the 512 KiB ``boot.avm``
    partition; the app's modules stay first, so an app's own copy of a library module wins.)
    """
    return write_pack(read_pack(app, origin) + read_pack(shipped_image(ELIXIR_LIB_IMAGE),
                                                         ELIXIR_LIB_IMAGE))


def library_module_names(boot_pack: Any, elixir: bool) -> set[str]:
    """The modules of avmsim's own library: the boot pack's, and the Elixir library's when it
    was flashed after an Elixir app (their calls are the library's, not the app's)."""
    names = {s.name[:-5] for s in boot_pack.sections.values() if s.name.endswith(".beam")}
    if elixir:
        names.update(s.name[:-5] for s in read_pack(shipped_image(ELIXIR_LIB_IMAGE),
                                                     ELIXIR_LIB_IMAGE)
                     if s.is_beam and s.name.endswith(".beam"))
    return names


def app_image(inputs: list[str]) -> bytes:
    """The app pack to flash: a lone .avm as it is, anything else packed together."""
    if len(inputs) == 1 and inputs[0].endswith(".avm"):
        return Path(inputs[0]).read_bytes()
    return build_pack(inputs)
