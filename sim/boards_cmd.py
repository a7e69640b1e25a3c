"""``avmsim boards [BOARD]``: list the boards, or describe one.

The list is one line a board, for choosing ``--board``. The description answers what a user
needs before running on a board: what the chip is, how much RAM AtomVM gets (the heap the
allocator model starts with, so the figure is the one ``esp32_free_heap_size`` would give at
boot), where the packs go in flash, which pins exist and what is wired to them.
"""
from __future__ import annotations

from typing import TextIO

from avmsim.boards import Board, all_boards, compact_pins, get_board

from .ram import RamAllocator

__all__ = ["boards_command"]


def boards_command(out: TextIO, board_name: str | None = None) -> None:
    """Write the board list to ``out``, or the details of ``board_name``.

    An unknown name raises :class:`avmsim.boards.UnknownBoardError` (the CLI maps it to its
    exit status).
    """
    if board_name is None:
        _list(out, list(all_boards().values()))
    else:
        _describe(out, get_board(board_name))


def _list(out: TextIO, boards: list[Board]) -> None:
    width = max(len(b.name) for b in boards)
    pwidth = max(len(b.platform) for b in boards)
    for b in boards:
        ram = f"{b.sram_bytes // 1024} KiB" if b.sram_bytes else "unlimited"
        line = (f"{b.name:{width}}  {b.platform:{pwidth}}  {b.cores} x {b.core} "
                f"@ {b.clock_hz // 1_000_000} MHz, RAM {ram}, {b.word_size * 8}-bit words"
                f"  {b.description}")
        if b.parts:
            line += "; parts: " + ", ".join(f"{p.name} ({p.kind}, {p.pin})" for p in b.parts)
        print(line, file=out)


def _size(n: int) -> str:
    """Bytes as a user reads them: exact KiB/MiB when they divide, else a byte count."""
    if n and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n:,} bytes"


def _describe(out: TextIO, b: Board) -> None:
    def say(text: str = "") -> None:
        print(text, file=out)

    say(f"{b.name}: {b.description}")
    say(f"  platform     {b.platform} (what atomvm:platform() returns)")
    say(f"  cores        {b.cores} x {b.core} @ {b.clock_hz / 1e6:g} MHz, "
        f"{b.word_size * 8}-bit words, ~{b.cycles_per_instruction} cycles per instruction")
    if b.chip:
        say("  chip         " + ", ".join(f"{k} {_value(k, v)}" for k, v in b.chip.items()))

    say("RAM")
    ram = RamAllocator.for_board(b)
    if ram.unlimited:
        say(f"  no budget: heap from the host's malloc ({b.ram.allocator if b.ram else 'host'})"
            "; --max-ram SIZE sets one")
    else:
        say(f"  {_size(b.sram_bytes)} of SRAM; heap ({ram.policy.name}): "
            f"{ram.budget:,} bytes in {len(b.ram.regions)} region(s)")
        say(f"  free at boot {ram.free_bytes:,} bytes, largest block "
            f"{ram.largest_free_block:,} bytes")
        for h in b.ram.regions:
            say(f"    {h.name:14} {h.start:#010x}  {h.size:>9,} bytes  {h.kind}")
        if b.ram.firmware:
            kept = ", ".join(f"{what} {n:,}" for what, n in b.ram.firmware)
            say(f"  kept by the firmware: {kept}")
    if b.memory.sram:
        say("  SRAM banks")
    for r in b.memory.sram:
        say(f"    {r.name:14} {r.base:#010x}  {_size(r.size)}")

    flash_base, flash_size = b.memory.flash
    say("Flash")
    say(f"  {_size(flash_size)} at {flash_base:#010x}")
    for name, part in sorted(b.partitions.items(), key=lambda kv: kv[1].offset):
        say(f"    {name:14} {flash_base + part.offset:#010x}  offset {part.offset:#08x}  "
            f"{_size(part.size)}")

    naming = "{b, 7} means PB7" if b.pin_naming == "port_pin" else "2 means GPIO2"
    say(f"Pins ({len(b.pins)}; in AtomVM {naming})")
    say("  " + (", ".join(compact_pins(b.pins)) or "none"))
    say("Parts")
    for p in b.parts:
        active = "active low" if p.active_low else "active high"
        extra = [active] + ([p.color] if p.color else []) + ([f"pull-{p.pull}"] if p.pull else [])
        say(f"  {p.kind:7} {p.name:8} {p.pin:7} {', '.join(extra)}")
    if not b.parts:
        say("  none")
    say(f"UARTs (console: {b.console})")
    for u in b.uarts:
        pins = (f"tx {u.tx} rx {u.rx}" if u.tx or u.rx else "pins set by the app")
        console = "  console" if u.name == b.console else ""
        say(f"  {u.name:7} {pins}, {u.baud} baud{console}")
    if not b.uarts:
        say("  none")
    say("MMIO windows")
    for w in sorted(b.memory.mmio, key=lambda w: w.base):
        say(f"  {w.name:14} {w.base:#010x}  +{w.size:#x}  {w.model or '(no model: reads 0)'}")
    if not b.memory.mmio:
        say("  none")


def _value(key: str, v: object) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    if key.endswith("_id") and isinstance(v, int):
        return f"{v:#x}"
    return str(v)
