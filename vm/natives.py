"""The registry of native functions: AtomVM's BIFs and NIFs written in Python.

A native is ``f(ctx, *args) -> term``: ``ctx`` is the calling process (see
:class:`avmsim.vm.process.Process`), ``args`` the Erlang arguments. It raises
:class:`~avmsim.vm.errors.ErlangError` on failure (``raise badarg()``). Modules of natives
register themselves with :func:`native` at import; :func:`load_all` imports them all.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

Native = Callable[..., Any]

NATIVES: dict[tuple[str, str, int], Native] = {}
"""(module, function, arity) -> Python callable."""

CONTROL_NATIVES: dict[tuple[str, str, int], Callable[[Any, int], int]] = {}
"""Natives that transfer control (``erlang:apply/2,3``): ``f(ctx, cont) -> block id``.
They read their arguments from the X registers and jump instead of returning a value."""

GUARD_BIFS: set[tuple[str, str, int]] = set()
"""The natives that are BIFs (allowed in guards; called by the bif/gc_bif opcodes)."""

NATIVE_MODULES = (
    "erlang_bifs", "erlang_nifs", "lists_nifs", "maps_nifs", "binary_nifs", "math_nifs",
    "unicode_nifs", "base64_nifs", "console_nifs", "process_nifs", "os_nifs", "ets_nifs",
    "erts_debug_nifs", "port_nifs", "platform_nifs", "esp_storage_nifs", "esp_sleep_nifs",
    "esp_wdt_nifs", "calendar_nifs", "avm_pack_nifs", "code_nifs", "zlib_nifs",
    "crypto_nifs", "crypto_pk_nifs", "socket_nifs", "net_nifs", "ssl_nifs", "dist_nifs",
    "file_nifs",
)
"""Modules under ``avmsim.vm.nifs``; the device drivers' NIFs are registered by
``avmsim.vm.drivers.driver_modules()`` (one registry with their port halves)."""


def native(module: str, name: str, arity: int, *, bif: bool = False) -> Callable[[Native], Native]:
    """Decorator: register ``f`` as ``module:name/arity``."""
    def register(f: Native) -> Native:
        key = (module, name, arity)
        NATIVES[key] = f
        if bif:
            GUARD_BIFS.add(key)
        return f
    return register


def alias_module(module: str, alias: str) -> None:
    """Answer every native of ``module`` registered so far under ``alias`` too (a driver that
    AtomVM also registers under an Elixir module name)."""
    for (mod, name, arity), f in list(NATIVES.items()):
        if mod == module:
            NATIVES[(alias, name, arity)] = f


def control_native(module: str, name: str, arity: int) -> Callable:
    """Decorator: register a control-transferring native (see :data:`CONTROL_NATIVES`)."""
    def register(f: Callable[[Any, int], int]) -> Callable[[Any, int], int]:
        CONTROL_NATIVES[(module, name, arity)] = f
        return f
    return register


_loaded = False


def load_all() -> dict[tuple[str, str, int], Native]:
    """Import every native module once (they register on import) and return the registry."""
    global _loaded
    if not _loaded:
        from .drivers import driver_modules
        for name in NATIVE_MODULES:
            importlib.import_module(f"avmsim.vm.nifs.{name}")
        driver_modules()
        _loaded = True
    return NATIVES
