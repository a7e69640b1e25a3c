"""A chip described by a register map in TOML, so users model their own part without Python.

Most simple I2C and SPI peripherals are a file of 8-bit registers behind a register pointer.
This model is such a chip, built from a map file the parts file names::

    [[i2c_device]]                     # or [[spi_device]] with model = "generic_spi"
    name = "mychip"
    model = "generic"
    sda = "GPIO21"
    scl = "GPIO22"
    address = 0x3A                     # required: a generic chip has no default address
    map = "mychip.toml"                # relative to the parts file

The map file (every key but ``address`` optional)::

    auto_increment = true              # the pointer moves on after each byte (default true)
    [[register]]
    address = 0x0F                     # 0x00..0xFF
    name = "WHO_AM_I"                  # for the Python API and messages
    reset = 0x33                       # power-on value (default 0x00)
    read_only = 0xFF                   # bits a write cannot change (default 0x00)
    write_only = 0x00                  # bits that always read as 0 (default 0x00)

On I2C the first byte of a write sets the register pointer and the following bytes are
written from there; a read returns bytes from the pointer (it survives the STOP). On SPI
(``generic_spi``) the first byte after CS falls is bit 7 = 1 read / 0 write, bits 6..0 the
register. A register the map does not list reads 0x00 and ignores writes. Registers are
volatile: a board reset puts every one back to its ``reset`` value. The Python API can read
and set registers as the world would (``peek``, ``poke``), e.g. a status bit a test raises.

An error in the map names the file and the key, as a :class:`PropertyError` of ``map``.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from avmsim.peripherals.device_model import Prop, PropertyError
from avmsim.peripherals.register_device import I2cRegisters, RegisterChip, SpiRegisters

SPI_READ = 0x80
REGISTER_KEYS = ("address", "name", "reset", "read_only", "write_only")


@dataclass(frozen=True)
class Register:
    """One 8-bit register of a map."""
    address: int
    name: str = ""
    reset: int = 0x00
    read_only: int = 0x00
    write_only: int = 0x00


@dataclass(frozen=True)
class RegisterMap:
    """A chip's registers by address, and whether its pointer auto-increments."""
    registers: dict[int, Register]
    auto_increment: bool = True

    def find(self, register: int | str) -> Register:
        """A register by address or name (KeyError naming it otherwise)."""
        for reg in self.registers.values():
            if register in (reg.address, reg.name):
                return reg
        raise KeyError(f"no register {register!r} in the map")


def load_register_map(path: Path) -> RegisterMap:
    """Read and check a map file; PropertyError naming the file and the key otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise PropertyError(f"map: cannot read {path}: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise PropertyError(f"map: {path}: not valid TOML: {err}") from None
    unknown = sorted(set(data) - {"auto_increment", "register"})
    if unknown:
        raise PropertyError(f"map: {path}: unknown key {', '.join(unknown)} "
                            "(auto_increment, [[register]])")
    auto = data.get("auto_increment", True)
    if not isinstance(auto, bool):
        raise PropertyError(f"map: {path}: auto_increment must be true or false")
    entries = data.get("register", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise PropertyError(f"map: {path}: register must be an array of tables ([[register]])")
    registers: dict[int, Register] = {}
    for index, entry in enumerate(entries, 1):
        reg = _register(entry, f"map: {path}: [[register]] #{index}")
        if reg.address in registers:
            raise PropertyError(f"map: {path}: [[register]] #{index}: address "
                                f"0x{reg.address:02X} is listed twice")
        registers[reg.address] = reg
    return RegisterMap(registers, auto)


def _register(entry: dict[str, Any], where: str) -> Register:
    unknown = sorted(set(entry) - set(REGISTER_KEYS))
    if unknown:
        raise PropertyError(f"{where}: unknown key {', '.join(unknown)} "
                            f"({', '.join(REGISTER_KEYS)})")
    if "address" not in entry:
        raise PropertyError(f"{where}: needs address = 0x00..0xFF")
    name = entry.get("name", "")
    if not isinstance(name, str):
        raise PropertyError(f"{where}: name must be a string")
    fields = {key: entry[key] for key in REGISTER_KEYS if key in entry and key != "name"}
    for key, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFF:
            raise PropertyError(f"{where}: {key} must be a byte (0x00..0xFF), not {value!r}")
    return Register(name=name, **fields)


class GenericChip(RegisterChip):
    """The register file of a map; the bus front-ends come from ``register_device``."""

    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "map": Prop(None, doc="the register map file (TOML), relative to the parts file",
                    kind=Path),
    }

    def set(self, **props: Any) -> None:
        if "map" not in props and not hasattr(self, "regmap"):
            raise PropertyError(f"map: a {self.MODEL} chip needs map = \"file.toml\" "
                                "(its register map)")
        super().set(**props)
        if "map" in props:
            self.regmap = load_register_map(self.prop("map"))

    def reset(self) -> None:
        super().reset()
        self.registers = {a: r.reset for a, r in self.regmap.registers.items()}

    def read_register(self, reg: int) -> int:
        spec = self.regmap.registers.get(reg)
        return self.registers[reg] & ~spec.write_only & 0xFF if spec is not None else 0x00

    def write_register(self, reg: int, value: int) -> None:
        spec = self.regmap.registers.get(reg)
        if spec is not None:
            kept = self.registers[reg] & spec.read_only
            self.registers[reg] = kept | (value & ~spec.read_only & 0xFF)

    def i2c_pointer(self, byte: int) -> tuple[int, bool]:
        return byte, self.regmap.auto_increment

    def spi_command(self, byte: int) -> tuple[int, bool, bool]:
        return byte & ~SPI_READ, bool(byte & SPI_READ), self.regmap.auto_increment

    # ------------------------------------------------------------------ the world's side
    def peek(self, register: int | str) -> int:
        """A register's value as stored (write-only bits included), by address or name."""
        return self.registers[self.regmap.find(register).address]

    def poke(self, register: int | str, value: int) -> None:
        """Set a register as the chip itself would (masks do not apply), by address or name."""
        self.registers[self.regmap.find(register).address] = value & 0xFF


class GenericDevice(GenericChip, I2cRegisters):
    """A register-map chip on I2C."""

    MODEL = "generic"
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        **GenericChip.PROPERTIES,
        "address": Prop(None, 0x08, 0x77, "the chip's 7-bit I2C address", int),
    }


class GenericSpiDevice(GenericChip, SpiRegisters):
    """A register-map chip on SPI."""

    MODEL = "generic_spi"
