"""``esp:task_wdt_*`` NIFs (AtomVM's platform_nifs.c) over the board's task watchdog
(``vm.devices.esp.task_wdt``, :mod:`avmsim.peripherals.task_wdt`).

Returns are AtomVM's: ``ok``; ``{error, already_started}`` from ``task_wdt_init/1`` and
``{error, noproc}`` from ``task_wdt_reconfigure/1`` when ESP-IDF answers
ESP_ERR_INVALID_STATE; otherwise ``{error, EspErrCode}``. A config that is not
``{TimeoutMs > 0, IdleCoreMask >= 0, true | false}`` is ``badarg`` (AtomVM accepts masks up
to ``1 bsl Cores``). ``task_wdt_add_user/1`` returns ``{ok, Handle}``, Handle an opaque binary
the size of AtomVM's (two pointers); the other user calls want exactly such a binary.
"""
from __future__ import annotations

import struct
from typing import Any

from avmsim.peripherals.task_wdt import ESP_ERR_INVALID_STATE, WdtConfig

from ..natives import native
from ..terms import ERROR, FALSE, OK, TRUE, atom
from ._util import badarg, charge_results, charlist_str, whole
from .esp_storage_nifs import esp_chip
from .platform_nifs import _esp

INVALID_STATE_REPLIES = {"task_wdt_init": atom("already_started"),
                         "task_wdt_reconfigure": atom("noproc")}


def _wdt(ctx: Any) -> Any:
    return esp_chip(ctx).task_wdt


def _config(ctx: Any, term: Any) -> WdtConfig:
    if term.__class__ is not tuple or len(term) != 3:
        raise badarg()
    timeout, mask, panic = term
    if timeout.__class__ is not int or timeout <= 0:
        raise badarg()
    if mask.__class__ is not int or not 0 <= mask <= 1 << _esp(ctx).board.cores:
        raise badarg()
    if panic is not TRUE and panic is not FALSE:
        raise badarg()
    return WdtConfig(timeout, mask, panic is TRUE)


def _reply(call: str, err: int) -> Any:
    if err == 0:
        return OK
    if err == ESP_ERR_INVALID_STATE and call in INVALID_STATE_REPLIES:
        return (ERROR, INVALID_STATE_REPLIES[call])
    return (ERROR, err)


def _handle_format(ctx: Any) -> struct.Struct:
    """Two native pointers (user handle, user name), as AtomVM's handle binary."""
    return struct.Struct("<II" if ctx.vm.word_size == 4 else "<QQ")


def _handle(ctx: Any, term: Any) -> int:
    fmt = _handle_format(ctx)
    if term.__class__ is not bytes or len(term) != fmt.size:
        raise badarg()
    return fmt.unpack(term)[0]


@native("esp", "task_wdt_init", 1)
def task_wdt_init(ctx: Any, config: Any) -> Any:
    return _reply("task_wdt_init", _wdt(ctx).init(_config(ctx, config)))


@native("esp", "task_wdt_reconfigure", 1)
def task_wdt_reconfigure(ctx: Any, config: Any) -> Any:
    return _reply("task_wdt_reconfigure", _wdt(ctx).reconfigure(_config(ctx, config)))


@native("esp", "task_wdt_deinit", 0)
def task_wdt_deinit(ctx: Any) -> Any:
    return _reply("task_wdt_deinit", _wdt(ctx).deinit())


@native("esp", "task_wdt_add_user", 1)
def task_wdt_add_user(ctx: Any, name: Any) -> Any:
    text = name.decode("latin-1") if name.__class__ is bytes else charlist_str(name)
    err, handle = _wdt(ctx).add_user(text)
    if err:
        return (ERROR, err)
    return (OK, _handle_format(ctx).pack(handle, 0))


@native("esp", "task_wdt_reset_user", 1)
def task_wdt_reset_user(ctx: Any, handle: Any) -> Any:
    return _reply("task_wdt_reset_user", _wdt(ctx).reset_user(_handle(ctx, handle)))


@native("esp", "task_wdt_delete_user", 1)
def task_wdt_delete_user(ctx: Any, handle: Any) -> Any:
    return _reply("task_wdt_delete_user", _wdt(ctx).delete_user(_handle(ctx, handle)))


# platform_nifs.c task_wdt_add_user: TUPLE_SIZE(2) + the handle binary, built anew
charge_results("esp", {("task_wdt_add_user", 1): whole})
