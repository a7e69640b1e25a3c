"""The library functions an app may call on the device: avmsim's library is larger than
AtomVM's (it runs OTP-style code: ``lists:sum/1``, ``orddict``, ``application:start/1``…), but
an app calling what AtomVM's library lacks stops at ``undef`` on the device, and so it does
here.

``not_on_device.txt`` lists those functions (written from AtomVM's own libraries by
``scripts/atomvm_api_diff.py --write-table``). A call from the app's code to one of them fails
as AtomVM's ``module_resolve_function0`` does: ``Warning: function M:F/A cannot be
resolved.`` on stderr, then ``error:undef``. The library's own modules call them freely (they
are how it is built), and ``avmsim --lib-extras`` lets the app call them too.
"""
from __future__ import annotations

from pathlib import Path

TABLE = Path(__file__).with_name("not_on_device.txt")


def _read_table(path: Path) -> frozenset[tuple[str, str, int]]:
    entries = set()
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            module, name = line.split(" ", 1)
            function, arity = name.rsplit("/", 1)
            entries.add((module, function, int(arity)))
    return frozenset(entries)


NOT_ON_DEVICE = _read_table(TABLE)
"""(module, function, arity) of every function avmsim's library has and AtomVM's does not."""


def cannot_resolve(module: str, function: str, arity: int) -> str:
    """AtomVM's stderr line for an import it cannot resolve (module.c)."""
    return f"Warning: function {module}:{function}/{arity} cannot be resolved."
