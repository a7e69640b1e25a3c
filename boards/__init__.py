"""Board definitions as data: one TOML file per board in this folder.

A board says what the simulated device is (cores, clock, word size, RAM and flash sizes),
where AtomVM's flash partitions sit and, in its ``[ram]`` table, which SRAM regions the SDK's
heap allocator hands out at AtomVM boot (see :mod:`avmsim.ram`). Code reads boards only
through :func:`get_board`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class Partition:
    offset: int
    size: int


@dataclass(frozen=True)
class HeapRegion:
    """One heap the SDK registers at boot: ``size`` bytes from ``start`` (real SRAM address).

    ``priority`` orders the heaps the way the SDK tries them (lower first, then by address);
    ``kind`` is the SDK's name for the memory type (``DRAM``, ``D/IRAM``…).
    """
    name: str
    start: int
    size: int
    kind: str = "DRAM"
    priority: int = 0


@dataclass(frozen=True)
class BootAllocation:
    """A block the firmware takes from the heap before the application starts."""
    size: int
    tag: str = "system"
    what: str = ""


@dataclass(frozen=True)
class RamConfig:
    """The board's RAM as the heap allocator sees it (``[ram]`` in the board file).

    ``allocator`` names a policy in :data:`avmsim.ram.ALLOCATOR_POLICIES`; ``unlimited`` boards
    (generic_unix) have no regions and the allocator only counts. ``firmware`` documents,
    in bytes by purpose, the SRAM the firmware keeps for itself (not allocatable).
    """
    allocator: str
    regions: tuple[HeapRegion, ...] = ()
    boot_allocations: tuple[BootAllocation, ...] = ()
    unlimited: bool = False
    firmware: tuple[tuple[str, int], ...] = ()

    @property
    def region_bytes(self) -> int:
        return sum(r.size for r in self.regions)


@dataclass(frozen=True)
class Board:
    name: str
    description: str
    platform: str
    core: str
    cores: int
    clock_hz: int
    word_size: int
    sram_bytes: int
    flash_bytes: int
    flash_base: int
    console: str
    cycles_per_instruction: int
    partitions: dict[str, Partition] = field(default_factory=dict)
    ram: RamConfig | None = None


class UnknownBoardError(KeyError):
    """``--board`` names no board; the message lists the ones that exist."""

    def __str__(self) -> str:
        return self.args[0]


def _ram(table: dict | None) -> RamConfig | None:
    if table is None:
        return None
    table = dict(table)
    return RamConfig(
        allocator=table.pop("allocator"),
        regions=tuple(HeapRegion(**r) for r in table.pop("regions", ())),
        boot_allocations=tuple(BootAllocation(**b) for b in table.pop("boot_allocations", ())),
        unlimited=table.pop("unlimited", False),
        firmware=tuple(table.pop("firmware", {}).items()),
        **table)


def _load(text: str) -> Board:
    data = tomllib.loads(text)
    parts = {k: Partition(**v) for k, v in data.pop("partitions", {}).items()}
    ram = _ram(data.pop("ram", None))
    return Board(partitions=parts, ram=ram, **data)


def all_boards() -> dict[str, Board]:
    """Every board shipped with avmsim, by name."""
    boards = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            board = _load(entry.read_text(encoding="utf-8"))
            boards[board.name] = board
    return boards


def get_board(name: str) -> Board:
    boards = all_boards()
    if name not in boards:
        raise UnknownBoardError(f"unknown board '{name}' (known boards: {', '.join(boards)})")
    return boards[name]
