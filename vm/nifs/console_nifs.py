"""``console:print/1``: write iodata to the board's console (UART / stdout)."""
from __future__ import annotations

from ..natives import native
from ..terms import OK
from ._util import iolist_bytes


@native("console", "print", 1)
def print_(ctx, data):
    ctx.vm.console_write(iolist_bytes(data))
    return OK
