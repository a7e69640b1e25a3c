"""Board definitions as data: one TOML file per board in this folder.

A board says what the simulated device is (cores, clock, word size, RAM and flash sizes),
where AtomVM's flash partitions sit and, in its ``[ram]`` table, which SRAM regions the SDK's
heap allocator hands out at AtomVM boot (see :mod:`avmsim.ram`). It also names every GPIO the
board exposes, the parts fitted on it (LEDs, buttons), its UARTs, the chip's physical memory
map (flash, SRAM banks, the MMIO windows the simulator maps) and the chip facts AtomVM reports.
Code reads boards only through :func:`get_board`.

Pins are names ("GPIO2", "PB7"). This package knows no VM terms: AtomVM's spelling of a pin
(integer ``2`` on ESP32/RP2, ``{b, 7}`` on STM32) is converted by the VM side through
:attr:`Board.pin_naming`, :meth:`Board.pin_for_number` and :meth:`Board.pin_for_port`.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from .parts_file import DeviceSpec, PartsFileError, PartSpec, parse_parts

__all__ = [
    "PIN_NAMINGS",
    "Board",
    "BoardDefinitionError",
    "BootAllocation",
    "DeviceSpec",
    "HeapRegion",
    "MemRegion",
    "MemoryMap",
    "MmioWindow",
    "PartSpec",
    "Partition",
    "PartsFileError",
    "RamConfig",
    "UartSpec",
    "UnknownBoardError",
    "UnknownPinError",
    "all_boards",
    "compact_pins",
    "expand_pins",
    "get_board",
]


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
class UartSpec:
    """A UART and its default pins. ``tx``/``rx`` are ``None`` where the chip has no fixed
    pins for it (ESP32-C3 UART1 is routed through the GPIO matrix to pins the app picks)."""
    name: str
    tx: str | None = None
    rx: str | None = None
    baud: int = 115_200


@dataclass(frozen=True)
class MemRegion:
    """A physical SRAM bank of the chip at its real address (what the Machine maps as RAM)."""
    name: str
    base: int
    size: int

    @property
    def end(self) -> int:
        return self.base + self.size


@dataclass(frozen=True)
class MmioWindow:
    """A peripheral register window the simulator maps at its real address.

    ``model`` names the register-level front-end that serves it (``"stm32_gpio"``,
    ``"rp2040_sio"``…); ``""`` maps the window with no model: reads return zero, writes are
    dropped.
    """
    name: str
    base: int
    size: int
    model: str = ""

    @property
    def end(self) -> int:
        return self.base + self.size


@dataclass(frozen=True)
class MemoryMap:
    """The chip's address space as the Machine maps it: flash (XIP window the VM reads packs
    through), SRAM banks and MMIO windows. ``flash`` is ``(base, size)``; when a board file
    does not give it, it is the board's ``flash_base`` and ``flash_bytes``."""
    flash: tuple[int, int] | None = None
    sram: tuple[MemRegion, ...] = ()
    mmio: tuple[MmioWindow, ...] = ()


PIN_NAMINGS = ("number", "port_pin")


class UnknownPinError(KeyError):
    """A pin the board does not have, or asked for in the other platform's spelling."""

    def __str__(self) -> str:
        return self.args[0]


class BoardDefinitionError(ValueError):
    """A board file contradicts itself (a part or UART on a pin the board lacks…)."""


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
    pins: tuple[str, ...] = ()
    pin_naming: str = "number"
    parts: tuple[PartSpec, ...] = ()
    devices: tuple[DeviceSpec, ...] = ()     # chips on buses, analog sources
    uarts: tuple[UartSpec, ...] = ()
    memory: MemoryMap = field(default_factory=MemoryMap)
    chip: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.pin_naming not in PIN_NAMINGS:
            raise BoardDefinitionError(f"board {self.name}: pin_naming must be one of "
                                       f"{', '.join(PIN_NAMINGS)}, not {self.pin_naming!r}")
        if self.memory.flash is None:
            object.__setattr__(self, "memory",
                               replace(self.memory, flash=(self.flash_base, self.flash_bytes)))

    # --- pins as AtomVM names them
    def pin_for_number(self, n: int) -> str:
        """The pin AtomVM means by integer ``n`` on ESP32/RP2 boards: ``"GPIO{n}"``."""
        if self.pin_naming != "number":
            raise UnknownPinError(f"board {self.name} names pins by port and number "
                                  f"(e.g. {{b, 7}} for PB7), not by a bare number ({n!r})")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise UnknownPinError(f"board {self.name}: {n!r} is not a pin number")
        return self._existing(f"GPIO{n}")

    def pin_for_port(self, port_letter: str, n: int) -> str:
        """The pin AtomVM means by ``{Port, N}`` on STM32 boards: ``{b, 7}`` is ``"PB7"``."""
        if self.pin_naming != "port_pin":
            raise UnknownPinError(f"board {self.name} names pins by number (GPIO{{N}}), "
                                  f"not by port ({port_letter!r}, {n!r})")
        if (not isinstance(port_letter, str) or len(port_letter) != 1
                or not port_letter.isalpha()):
            raise UnknownPinError(f"board {self.name}: {port_letter!r} is not a GPIO port "
                                  "letter (a, b, c…)")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise UnknownPinError(f"board {self.name}: {n!r} is not a pin number")
        return self._existing(f"P{port_letter.upper()}{n}")

    def _existing(self, pin: str) -> str:
        if pin not in self.pins:
            have = ", ".join(compact_pins(self.pins)) or "none"
            raise UnknownPinError(f"board {self.name} has no pin {pin} (pins: {have})")
        return pin

    # --- parts and UARTs
    @property
    def console_uart(self) -> UartSpec | None:
        """The UART carrying the console, or ``None`` when it is not a UART (USB CDC, host)."""
        return next((u for u in self.uarts if u.name == self.console), None)

    def with_parts(self, extra: Iterable[PartSpec | DeviceSpec],
                   source: str = "parts file") -> Board:
        """This board with the user's ``extra`` parts and devices wired on (``--parts``).

        Every part must sit on pins the board has, have a name no other part uses, claim no
        pin another part of the file or chip holds (parts on one bus share its lines; LEDs
        and contacts may share a pin; the board's own LEDs and buttons share with anything,
        as on the real board) and, on I2C, answer an address no other chip on its SDA/SCL answers;
        otherwise :class:`PartsFileError` names the part, the key and its file (the part's
        own ``source``, else ``source``).
        """
        names = {p.name.casefold(): p for p in (*self.parts, *self.devices)}
        parts: list[PartSpec] = []
        devices: list[DeviceSpec] = []
        for part in extra:
            where = part.source or source
            for role, pin in _pin_uses(part):
                if pin not in self.pins:
                    have = ", ".join(compact_pins(self.pins)) or "none"
                    on = (f"is on {pin}" if isinstance(part, PartSpec)
                          else f"has {role} = {pin}")
                    raise PartsFileError(f"{where}: {part.kind} '{part.name}' {on}, which "
                                         f"board {self.name} does not have (pins: {have})")
            other = names.get(part.name.casefold())
            if other is not None:
                raise PartsFileError(f"{where}: {part.kind} '{part.name}' has the same name "
                                     f"as the {other.kind} '{other.name}' on "
                                     + "/".join(pin for _, pin in _pin_uses(other)))
            names[part.name.casefold()] = part
            (devices if isinstance(part, DeviceSpec) else parts).append(part)
        board = replace(self, parts=self.parts + tuple(parts),
                        devices=self.devices + tuple(devices))
        # The board's own LEDs and buttons are left out: on real boards they sit on pins
        # that also carry buses (the Nucleo's LD2 on PB7 is I2C1's SDA), and AtomVM's
        # examples use those pins.
        _check_claims((*parts, *board.devices), source)
        return board


# Pin roles that several parts may hold at once: the chips on one bus share its lines; LEDs,
# buttons and switches on one pin stay allowed. Any other role (a chip select, a D/C line,
# an analog input) belongs to one part.
SHARED_ROLES = {"sda": "i2c", "scl": "i2c", "sclk": "spi", "mosi": "spi", "miso": "spi"}


def _pin_uses(part: PartSpec | DeviceSpec) -> list[tuple[str, str]]:
    """(role, pin) for every pin the part uses."""
    if isinstance(part, DeviceSpec):
        return list(part.pins.items())
    return [("pin", part.pin)]


def _share_key(part: PartSpec | DeviceSpec, role: str) -> tuple[str, str] | None:
    """Parts whose keys are equal (and not None) may hold the same pin."""
    if isinstance(part, PartSpec):
        return ("gpio", "pin")
    return (SHARED_ROLES[role], role) if role in SHARED_ROLES else None


def _check_claims(parts: Iterable[PartSpec | DeviceSpec], source: str) -> None:
    """No pin held by two parts that cannot share it; no two I2C chips at one address."""
    claims: dict[str, tuple[PartSpec | DeviceSpec, str]] = {}
    addresses: dict[tuple[str, str, int], DeviceSpec] = {}
    for part in parts:
        where = part.source or source
        for role, pin in _pin_uses(part):
            held = claims.setdefault(pin, (part, role))
            other, other_role = held
            key = _share_key(part, role)
            if other is not part and (key is None or key != _share_key(other, other_role)):
                raise PartsFileError(f"{where}: {part.kind} '{part.name}': {role} = {pin} is "
                                     f"already the {other_role} of the {other.kind} "
                                     f"'{other.name}'")
        if isinstance(part, DeviceSpec) and part.address is not None:
            bus = (part.pins["sda"], part.pins["scl"], part.address)
            other = addresses.setdefault(bus, part)
            if other is not part:
                raise PartsFileError(f"{where}: i2c_device '{part.name}': address "
                                     f"0x{part.address:02X} is already the address of "
                                     f"'{other.name}' on {bus[0]}/{bus[1]}")


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


_PIN_RANGE = re.compile(r"^(\D+)(\d+)(?:-(\d+))?$")


def expand_pins(specs: Iterable[str]) -> tuple[str, ...]:
    """Pin names from a board file's compact list: ``"GPIO21-23"`` is GPIO21, GPIO22, GPIO23;
    ``"PH0-1"`` is PH0, PH1; a plain name stands for itself. Duplicates are an error."""
    pins: list[str] = []
    for spec in specs:
        m = _PIN_RANGE.match(spec.strip().upper())
        if not m:
            raise BoardDefinitionError(f"not a pin or pin range: {spec!r}")
        prefix, lo, hi = m.group(1), int(m.group(2)), m.group(3)
        top = lo if hi is None else int(hi)
        if top < lo:
            raise BoardDefinitionError(f"empty pin range: {spec!r}")
        pins.extend(f"{prefix}{n}" for n in range(lo, top + 1))
    dupes = sorted({p for p in pins if pins.count(p) > 1})
    if dupes:
        raise BoardDefinitionError(f"pins listed twice: {', '.join(dupes)}")
    return tuple(pins)


def compact_pins(pins: Iterable[str]) -> list[str]:
    """The inverse of :func:`expand_pins`: runs of consecutive numbers become ranges."""
    out: list[str] = []
    run: tuple[str, int, int] | None = None
    for pin in pins:
        m = _PIN_RANGE.match(pin)
        prefix, n = (m.group(1), int(m.group(2))) if m else (pin, -2)
        if run and m and run[0] == prefix and run[2] + 1 == n:
            run = (prefix, run[1], n)
            continue
        if run:
            out.append(_run_text(*run))
        run = (prefix, n, n) if m else None
        if not m:
            out.append(pin)
    if run:
        out.append(_run_text(*run))
    return out


def _run_text(prefix: str, lo: int, hi: int) -> str:
    return f"{prefix}{lo}" if lo == hi else f"{prefix}{lo}-{hi}"


def _memory(table: dict | None) -> MemoryMap:
    table = dict(table or {})
    flash = table.pop("flash", None)
    memory = MemoryMap(
        flash=tuple(flash) if flash is not None else None,
        sram=tuple(MemRegion(**r) for r in table.pop("sram", ())),
        mmio=tuple(MmioWindow(**w) for w in table.pop("mmio", ())))
    if table:
        raise BoardDefinitionError(f"unknown [memory] keys: {', '.join(table)}")
    return memory


def _load(text: str, source: str = "<board>") -> Board:
    data = tomllib.loads(text)
    partitions = {k: Partition(**v) for k, v in data.pop("partitions", {}).items()}
    ram = _ram(data.pop("ram", None))
    pins = expand_pins(data.pop("pins", ()))
    parts = parse_parts(data.pop("parts", {}), source)
    uarts = tuple(UartSpec(**u) for u in data.pop("uarts", ()))
    memory = _memory(data.pop("memory", None))
    board = Board(partitions=partitions, ram=ram, pins=pins, uarts=uarts, memory=memory, **data)
    for uart in uarts:
        for pin in (uart.tx, uart.rx):
            if pin is not None and pin not in pins:
                raise BoardDefinitionError(f"{source}: {uart.name} uses {pin}, "
                                           f"which is not in the board's pins")
    return board.with_parts(parts, source)


def all_boards() -> dict[str, Board]:
    """Every board shipped with avmsim, by name."""
    boards = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            board = _load(entry.read_text(encoding="utf-8"), entry.name)
            boards[board.name] = board
    return boards


def get_board(name: str) -> Board:
    boards = all_boards()
    if name not in boards:
        raise UnknownBoardError(f"unknown board '{name}' (known boards: {', '.join(boards)})")
    return boards[name]
