"""The os module's NIFs: time as the board sees it, and an empty environment.

A device has no environment variables and no OS to ask; time comes from the board's
virtual clock, the same as erlang:system_time.
"""
from __future__ import annotations

from typing import Any

from ..natives import native
from ..terms import FALSE, NIL, atom, from_str
from ._util import cells, charge_results, new_number, new_tuple, whole
from .erlang_nifs import system_time0, system_time1, timestamp


@native("os", "system_time", 0)
def os_system_time0(ctx: Any) -> Any:
    return system_time0(ctx)


@native("os", "system_time", 1)
def os_system_time1(ctx: Any, unit: Any) -> Any:
    return system_time1(ctx, unit)


@native("os", "timestamp", 0)
def os_timestamp(ctx: Any) -> Any:
    return timestamp(ctx)


@native("os", "getenv", 0)
def getenv0(ctx: Any) -> Any:
    return NIL


@native("os", "getenv", 1)
def getenv1(ctx: Any, name: Any) -> Any:
    return FALSE


@native("os", "getenv", 2)
def getenv2(ctx: Any, name: Any, default: Any) -> Any:
    return default


@native("os", "type", 0)
def os_type(ctx: Any) -> Any:
    return (atom("unix"), atom(ctx.vm.platform.name))


@native("os", "getpid", 0)
def getpid(ctx: Any) -> Any:
    return from_str("1")


charge_results("os", {
    ("system_time", 0): new_number, ("system_time", 1): new_number, ("timestamp", 0): whole,
    ("getenv", 0): whole, ("getenv", 1): whole,
    ("getenv", 2): lambda result, args, layout: 0 if result is args[1]
    else whole(result, args, layout),
    ("type", 0): new_tuple, ("getpid", 0): cells,
})
