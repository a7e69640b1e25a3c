"""Board definitions as data: one TOML file per board in this folder.

A board says what the simulated device is (cores, clock, word size, RAM and flash sizes)
and where AtomVM's flash partitions sit. Code reads boards only through :func:`get_board`.
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


class UnknownBoardError(KeyError):
    """``--board`` names no board; the message lists the ones that exist."""

    def __str__(self) -> str:
        return self.args[0]


def _load(text: str) -> Board:
    data = tomllib.loads(text)
    parts = {k: Partition(**v) for k, v in data.pop("partitions", {}).items()}
    return Board(partitions=parts, **data)


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
