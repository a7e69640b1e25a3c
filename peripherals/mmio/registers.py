"""Register blocks: what a memory-mapped peripheral answers, as two tables.

A register-level front-end is a table of readable registers and a table of writable ones,
keyed by the register's byte offset in its window. The MMIO dispatch looks each access up
in these tables, so a front-end reads like the reference manual's register list, and an
offset missing from a table is an unmodelled register (reads 0, writes ignored, counted).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

Read = Callable[[], int]
Write = Callable[[int], None]


@dataclass
class RegisterBlock:
    """Readable and writable registers of one window, by byte offset."""
    reads: dict[int, Read] = field(default_factory=dict)
    writes: dict[int, Write] = field(default_factory=dict)


def combine(*blocks: RegisterBlock) -> RegisterBlock:
    """One block answering every register of ``blocks`` (later blocks win on overlap)."""
    merged = RegisterBlock()
    for block in blocks:
        merged.reads.update(block.reads)
        merged.writes.update(block.writes)
    return merged


class SetClear(NamedTuple):
    """Offsets of a latch and its atomic aliases (write 1 to set, to clear, to toggle).

    Chips give a latch these aliases so firmware changes some bits without a
    read-modify-write; ``None`` where the chip has no such alias.
    """
    value: int
    set: int
    clear: int
    xor: int | None = None


def set_clear_registers(offsets: SetClear, get: Read, put: Write) -> RegisterBlock:
    """The latch at ``offsets.value`` (read/write) and its set/clear/toggle aliases."""
    aliases: tuple[tuple[int | None, Write], ...] = (
        (offsets.set, lambda bits: put(get() | bits)),
        (offsets.clear, lambda bits: put(get() & ~bits)),
        (offsets.xor, lambda bits: put(get() ^ bits)),
    )
    writes = {offsets.value: put} | {at: fn for at, fn in aliases if at is not None}
    return RegisterBlock(reads={offsets.value: get}, writes=writes)
