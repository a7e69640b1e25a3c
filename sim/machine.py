"""The Machine: the board's address space as the VM sees it.

It holds the board's virtual clock, its RAM allocator (the budget the VM allocates from)
and its flash image with AtomVM's partitions; packs are written at their partition offsets
and the VM reads modules back from there (execute in place), never from the original
files. MMIO windows and Unicorn come with the board capability.
"""
from __future__ import annotations

from avmsim.boards import Board

from .clock import VirtualClock
from .ram import RamAllocator


class ImageTooLargeError(ValueError):
    """A pack does not fit the flash partition it must be written to."""


class Machine:
    """One simulated board: its definition and its flash contents."""

    def __init__(self, board: Board, clock: VirtualClock, max_ram: int | None = None) -> None:
        self.board = board
        self.clock = clock
        self.ram = RamAllocator.for_board(board, max_ram)
        self.flash = bytearray(b"\xff" * board.flash_bytes)  # erased flash reads 0xFF
        self._written: dict[str, int] = {}

    def write_partition(self, partition: str, data: bytes, origin: str) -> None:
        """Program ``data`` at the start of ``partition`` (as esptool/flash tools would)."""
        part = self.board.partitions[partition]
        if len(data) > part.size:
            raise ImageTooLargeError(
                f"{origin} is {len(data)} bytes; partition {partition} of board "
                f"{self.board.name} holds {part.size} bytes")
        self.flash[part.offset:part.offset + len(data)] = data
        self._written[partition] = len(data)

    def read_partition(self, partition: str) -> bytes:
        """The bytes programmed into ``partition`` (what the VM maps as a pack)."""
        part = self.board.partitions[partition]
        return bytes(self.flash[part.offset:part.offset + self._written.get(partition, 0)])

    def flash_address(self, partition: str) -> int:
        """Address of a partition in the core's memory map (XIP window)."""
        return self.board.flash_base + self.board.partitions[partition].offset
