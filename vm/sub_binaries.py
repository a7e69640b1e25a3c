"""The binaries matching made as sub-binaries, and the binary each one refers to.

avmsim's binaries are plain ``bytes`` that do not know their origin, while AtomVM's
``bs_get_binary2`` / ``bs_get_tail`` / ``bs_match`` make a 4-word sub-binary that points into
its source (a refc binary or another sub-binary) when the slice is long enough
(``term_sub_binary_heap_size``). The matching code records each such slice here; the slicing
code asks whether a source is a sub-binary, and the collector measures a live sub-binary as
its 4 words plus the binary it keeps alive.

Entries hold the slice itself, so its id is never reused while listed; the table is emptied
when it grows past :data:`MAX_ENTRIES` (forgetting only makes a later slice of those
binaries a copy, and the collector measure them as copies).
"""
from __future__ import annotations

from typing import Any

SUB_BINARIES: dict[int, tuple[bytes, Any]] = {}
"""id(slice) -> (slice, the refc or sub binary it points into)."""

MAX_ENTRIES = 50_000


def made(sub: bytes, source: Any) -> None:
    """Matching made ``sub`` as a sub-binary of ``source``."""
    if len(SUB_BINARIES) >= MAX_ENTRIES:
        SUB_BINARIES.clear()
    SUB_BINARIES[id(sub)] = (sub, source)


def is_sub_binary(data: Any) -> bool:
    entry = SUB_BINARIES.get(id(data))
    return entry is not None and entry[0] is data
