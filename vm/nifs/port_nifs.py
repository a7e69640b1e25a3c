"""``erlang:open_port/2``: start one of the board's port drivers (see :mod:`avmsim.vm.ports`)."""
from __future__ import annotations

from typing import Any

from ..natives import native
from ..ports import open_port as start_port
from ._util import badarg, charlist_str
from ..terms import NIL, Atom, Cons, Map, atom

A_SPAWN = atom("spawn")


def _driver_name(term: Any) -> str:
    if term.__class__ is Cons:
        return charlist_str(term)
    if term.__class__ is bytes:
        return term.decode("latin-1")
    if term.__class__ is Atom:
        return term.name
    raise badarg()


@native("erlang", "open_port", 2)
def open_port(ctx: Any, name: Any, options: Any) -> Any:
    """``open_port({spawn, Driver}, Options)``; badarg for a driver the board lacks, and for
    options that are neither a list nor a map (nifs.c ``nif_erlang_open_port_2``)."""
    if not (name.__class__ is tuple and len(name) == 2 and name[0] is A_SPAWN):
        raise badarg()
    if options is not NIL and options.__class__ is not Cons and options.__class__ is not Map:
        raise badarg()
    driver = _driver_name(name[1])
    if driver not in ctx.vm.port_drivers:
        raise badarg()
    return start_port(ctx.vm, ctx.pid, driver, options)
