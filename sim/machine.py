"""The Machine: the board's address space, as the VM and native firmware see it.

One Unicorn instance per board holds the memory map of ``board.memory``: flash at the
board's XIP address (AtomVM's partitions at their offsets, read and execute only), each
SRAM bank read/write, and each MMIO window routed to a register-level front-end
(:mod:`avmsim.peripherals.mmio`) that calls the peripheral models.

Two ways to run use it. The hosted VM (default) is the firmware: packs are programmed
into their partitions and the VM reads them back through the Machine once per pack at
boot (execute in place, never the original files); nothing per BEAM instruction goes
through Unicorn. Native firmware runs on the Unicorn core in slices
(:meth:`Machine.run_native`) on the boards whose core Unicorn emulates.

Unicorn has no Xtensa. For the classic ESP32 (and the 64-bit generic_unix host) the
Unicorn instance is only an address-space holder and never executes: it is created as
RISC-V, a flat little-endian address space like the ESP32's whose architecture defines no
regions of its own (ARM M-profile owns 0xE0000000 and up for its system registers), and
the ESP32-C3's architecture, so both Espressif chips share one Unicorn target.

Unicorn maps whole 4 KiB pages. Regions are rounded outward to page boundaries; regions
of one kind that then share a page are mapped as one (STM32 GPIO ports are 1 KiB apart),
and an access in the padding of an MMIO page is an unmodelled access.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Protocol, Sequence

from elftools.elf.elffile import ELFFile
from unicorn import (UC_ARCH_ARM, UC_ARCH_RISCV, UC_ERR_WRITE_PROT, UC_HOOK_MEM_WRITE_PROT,
                     UC_MODE_MCLASS, UC_MODE_RISCV32, UC_MODE_RISCV64, UC_MODE_THUMB,
                     UC_PROT_ALL, UC_PROT_EXEC, UC_PROT_READ, Uc, UcError)
from unicorn.arm_const import UC_ARM_REG_SP, UC_CPU_ARM_CORTEX_M0, UC_CPU_ARM_CORTEX_M4
from unicorn.riscv_const import UC_CPU_RISCV32_ANY, UC_CPU_RISCV64_ANY, UC_RISCV_REG_SP

from avmsim.boards import Board
from avmsim.peripherals.mmio import UnmodelledAccesses, WindowGroup, front_end

from .clock import VirtualClock
from .ram import RamAllocator

PAGE = 0x1000           # Unicorn's mapping granule
ERASED = b"\xff" * 0x10000  # erased NOR flash reads 0xFF; written in 64 KiB strokes


class ImageTooLargeError(ValueError):
    """A pack does not fit the flash partition it must be written to."""


class FlashWriteFault(RuntimeError):
    """A store into flash: the hosted side or native code wrote to read-only memory."""

    def __init__(self, address: int, partition: str | None, board: str) -> None:
        where = f"partition {partition}" if partition else "outside AtomVM's partitions"
        super().__init__(f"write to flash at {address:#010x} ({where}) on board {board}: "
                         "flash is read-only once programmed")
        self.address = address
        self.partition = partition


class MemoryMapError(ValueError):
    """The board's memory map cannot be built (overlapping regions) or an image misses it."""


class NativeExecutionError(RuntimeError):
    """Native code was asked of a board whose core Unicorn cannot execute."""


class NativeCore(NamedTuple):
    """What running native code needs: the stack pointer register and the ELF machine.

    ``entry_bit`` is or-ed into the entry address: bit 0 selects Thumb state on Cortex-M.
    """
    sp_register: int
    entry_bit: int
    elf_machine: str


class CoreSpace(NamedTuple):
    """The Unicorn target holding a core's address space; ``native`` None: never executes."""
    arch: int
    mode: int
    cpu_model: int
    native: NativeCore | None = None


THUMB = NativeCore(UC_ARM_REG_SP, entry_bit=1, elf_machine="EM_ARM")
M_PROFILE = UC_MODE_THUMB | UC_MODE_MCLASS

CORE_SPACES: dict[str, CoreSpace] = {
    "cortex-m4f": CoreSpace(UC_ARCH_ARM, M_PROFILE, UC_CPU_ARM_CORTEX_M4, THUMB),
    # Unicorn has no M0+; the M0 is the same ARMv6-M instruction set.
    "cortex-m0plus": CoreSpace(UC_ARCH_ARM, M_PROFILE, UC_CPU_ARM_CORTEX_M0, THUMB),
    "riscv32-rv32imc": CoreSpace(UC_ARCH_RISCV, UC_MODE_RISCV32, UC_CPU_RISCV32_ANY,
                                 NativeCore(UC_RISCV_REG_SP, entry_bit=0,
                                            elf_machine="EM_RISCV")),
    "xtensa-lx6": CoreSpace(UC_ARCH_RISCV, UC_MODE_RISCV32, UC_CPU_RISCV32_ANY),
    "host": CoreSpace(UC_ARCH_RISCV, UC_MODE_RISCV64, UC_CPU_RISCV64_ANY),
}


class Region(Protocol):
    """A named address range (the board's ``MemRegion`` and ``MmioWindow`` are ones)."""
    name: str
    base: int
    size: int


class Span(NamedTuple):
    name: str
    base: int
    size: int


def page_groups(regions: Iterable[Region]) -> list[tuple[int, int, list[Region]]]:
    """``(start, end, regions)`` per Unicorn mapping: ranges rounded out to 4 KiB pages,
    regions whose pages overlap merged into one mapping."""
    groups: list[tuple[int, int, list[Region]]] = []
    for region in sorted(regions, key=lambda r: r.base):
        start = region.base - region.base % PAGE
        end = -(-(region.base + region.size) // PAGE) * PAGE
        if groups and start < groups[-1][1]:
            first, last, members = groups.pop()
            groups.append((first, max(last, end), members + [region]))
        else:
            groups.append((start, end, [region]))
    return groups


def _core_space(board: Board) -> CoreSpace:
    if board.core not in CORE_SPACES:
        raise MemoryMapError(f"board {board.name}: no Unicorn target holds a {board.core} "
                             f"address space (known cores: {', '.join(CORE_SPACES)})")
    return CORE_SPACES[board.core]


class Machine:
    """One simulated board: its definition, clock, RAM budget and address space.

    ``devices`` (the board's peripherals: ``gpio``, ``uarts`` by name…) are the models MMIO
    windows reach; windows whose model is not there are mapped and count every access as
    unmodelled.
    """

    def __init__(self, board: Board, clock: VirtualClock, max_ram: int | None = None, *,
                 devices: Any = None) -> None:
        self.board = board
        self.clock = clock
        self.ram = RamAllocator.for_board(board, max_ram)
        self.unmodelled_accesses: UnmodelledAccesses = Counter()
        self._model_errors: list[Exception] = []
        self._written: dict[str, int] = {}
        self._fault_address = 0
        self._flash = Span("flash", *board.memory.flash)
        self._core = _core_space(board)
        self.uc = Uc(self._core.arch, self._core.mode)
        self.uc.ctl_set_cpu_model(self._core.cpu_model)
        self._map_memory(page_groups([self._flash]), UC_PROT_READ | UC_PROT_EXEC)
        self._map_memory(page_groups(board.memory.sram), UC_PROT_ALL)
        self._map_mmio(devices)
        self._erase_flash()
        self.uc.hook_add(UC_HOOK_MEM_WRITE_PROT, self._on_write_protected)

    # --- building the address space
    def _map_memory(self, groups: Sequence[tuple[int, int, list[Region]]], perms: int) -> None:
        for start, end, regions in groups:
            self._mapped(regions, self.uc.mem_map, start, end - start, perms)

    def _map_mmio(self, devices: Any) -> None:
        for start, end, windows in page_groups(self.board.memory.mmio):
            group = WindowGroup(start, [(w, front_end(w.model)(w, devices))
                                        for w in windows],
                                self.unmodelled_accesses, self._model_errors)
            self._mapped(windows, self.uc.mmio_map, start, end - start,
                         group.read, None, group.write, None)

    def _mapped(self, regions: Sequence[Region], map_pages: Callable[..., None],
                *args: Any) -> None:
        try:
            map_pages(*args)
        except UcError as err:
            names = ", ".join(f"{r.name} at {r.base:#x}" for r in regions)
            raise MemoryMapError(f"board {self.board.name}: cannot map {names}: "
                                 f"it overlaps another region ({err})") from err

    def _erase_flash(self) -> None:
        for offset in range(0, self._flash.size, len(ERASED)):
            self.uc.mem_write(self._flash.base + offset,
                              ERASED[:min(len(ERASED), self._flash.size - offset)])

    # --- flash: programming and reading back
    def write_partition(self, partition: str, data: bytes, origin: str) -> None:
        """Program ``data`` at the start of ``partition`` (as esptool/flash tools would)."""
        part = self.board.partitions[partition]
        if len(data) > part.size:
            raise ImageTooLargeError(
                f"{origin} is {len(data)} bytes; partition {partition} of board "
                f"{self.board.name} holds {part.size} bytes")
        self.uc.mem_write(self.flash_address(partition), bytes(data))
        self._written[partition] = len(data)

    def read_partition(self, partition: str) -> bytes:
        """The bytes programmed into ``partition`` (what the VM maps as a pack)."""
        return self.read(self.flash_address(partition), self._written.get(partition, 0))

    def flash_address(self, partition: str) -> int:
        """Address of a partition in the core's memory map (XIP window)."""
        return self._flash.base + self.board.partitions[partition].offset

    # --- the bus, from the hosted side
    def read(self, address: int, size: int) -> bytes:
        """``size`` bytes at ``address``, through the memory map (MMIO reaches the models)."""
        data = bytes(self.uc.mem_read(address, size))
        self._raise_model_error()
        return data

    def write(self, address: int, data: bytes) -> None:
        """Store ``data`` at ``address``; flash is read-only (:class:`FlashWriteFault`)."""
        flash_end = self._flash.base + self._flash.size
        if address < flash_end and address + len(data) > self._flash.base:
            raise self._flash_fault(max(address, self._flash.base))
        self.uc.mem_write(address, bytes(data))
        self._raise_model_error()

    def _raise_model_error(self) -> None:
        """Re-raise what a peripheral model raised during an MMIO access (see dispatch)."""
        if self._model_errors:
            error = self._model_errors[0]
            self._model_errors.clear()
            raise error

    def _flash_fault(self, address: int) -> FlashWriteFault:
        offset = address - self._flash.base
        partition = next((name for name, part in self.board.partitions.items()
                          if part.offset <= offset < part.offset + part.size), None)
        return FlashWriteFault(address, partition, self.board.name)

    def _on_write_protected(self, _uc: Uc, _access: int, address: int, _size: int,
                            _value: int, _data: Any) -> bool:
        """Unicorn hook: only flash is mapped without write permission; note where."""
        self._fault_address = address
        return False

    # --- native firmware
    def run_native(self, entry: int, max_instructions: int, sp: int | None = None) -> int:
        """Run native code from ``entry`` for one slice of ``max_instructions``.

        Returns the instructions the slice accounts for: Unicorn runs exactly the budget
        unless the core sleeps (WFI) and reports no count then, so a slice always accounts
        for its whole budget, the time a sleeping core lets pass. A store into flash raises
        :class:`FlashWriteFault`; other faults raise Unicorn's ``UcError``, and an
        exception of a peripheral model reached by MMIO stops the slice and is raised.
        """
        native = self._native()
        if max_instructions <= 0:  # Unicorn reads a count of 0 as "no limit"
            raise ValueError(f"a slice runs at least one instruction, not {max_instructions}")
        if sp is not None:
            self.uc.reg_write(native.sp_register, sp)
        try:
            self.uc.emu_start(entry | native.entry_bit, 0, count=max_instructions)
        except UcError as err:
            if err.errno == UC_ERR_WRITE_PROT:
                raise self._flash_fault(self._fault_address) from err
            raise
        self._raise_model_error()
        return max_instructions

    def load_elf(self, path: str | Path) -> int:
        """Program an ELF's PT_LOAD segments at their load addresses, as a flash tool does;
        returns the entry point. Startup code copies .data and clears .bss itself."""
        native = self._native()
        with open(path, "rb") as stream:
            elf = ELFFile(stream)
            if elf["e_machine"] != native.elf_machine:
                raise NativeExecutionError(f"{path} is {elf['e_machine']} code; board "
                                           f"{self.board.name} runs {native.elf_machine}")
            for segment in elf.iter_segments("PT_LOAD"):
                self._load_segment(path, segment["p_paddr"], segment.data())
            return elf["e_entry"]

    def _load_segment(self, path: str | Path, address: int, data: bytes) -> None:
        try:
            self.uc.mem_write(address, data)
        except UcError as err:
            raise MemoryMapError(f"{path}: segment at {address:#x} ({len(data)} bytes) is not "
                                 f"in board {self.board.name}'s memory") from err

    def _native(self) -> NativeCore:
        if self._core.native is None:
            raise NativeExecutionError(f"board {self.board.name}: Unicorn cannot execute "
                                       f"{self.board.core} code; only the hosted VM runs here")
        return self._core.native
