"""The register-map chip (avmsim.peripherals.generic_device): a user's TOML map turned into
an I2C or SPI chip — reset values, read-only and write-only bits, auto-increment, names —
and map files that are wrong, refused with the file and the key named."""
from __future__ import annotations

from pathlib import Path

import pytest
from avmsim.peripherals.device_model import PropertyError
from avmsim.peripherals.generic_device import GenericDevice, GenericSpiDevice
from avmsim.peripherals.i2c import I2cBus
from avmsim.peripherals.spi import SpiBus
from avmsim.trace import TraceBus

MAP = """
[[register]]
address = 0x0F
name = "WHO_AM_I"
reset = 0x33
read_only = 0xFF
[[register]]
address = 0x10
name = "CTRL"
reset = 0x07
read_only = 0x01        # bit 0 is fixed
[[register]]
address = 0x11
name = "CMD"
write_only = 0xF0       # the high nibble reads as 0
"""


def write_map(tmp_path: Path, text: str = MAP, name: str = "chip.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def i2c(tmp_path: Path) -> tuple[I2cBus, GenericDevice]:
    bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(lambda: 0), lambda: 0)
    chip = GenericDevice("mychip", {"address": 0x3A, "map": write_map(tmp_path)})
    bus.attach(chip)
    return bus, chip


def test_registers_start_at_their_reset_values(i2c: tuple[I2cBus, GenericDevice]) -> None:
    bus, _ = i2c
    assert bus.transfer(0x3A, write=b"\x0f", read=3).data == b"\x33\x07\x00"


def test_read_only_bits_keep_their_value(i2c: tuple[I2cBus, GenericDevice]) -> None:
    bus, chip = i2c
    bus.transfer(0x3A, write=b"\x0f\x00\xf0")          # WHO_AM_I, then CTRL
    assert chip.peek("WHO_AM_I") == 0x33
    assert chip.peek("CTRL") == 0xF1                    # bit 0 stays 1


def test_write_only_bits_read_as_zero(i2c: tuple[I2cBus, GenericDevice]) -> None:
    bus, chip = i2c
    bus.transfer(0x3A, write=b"\x11\xab")
    assert chip.peek(0x11) == 0xAB
    assert bus.transfer(0x3A, write=b"\x11", read=1).data == b"\x0b"


def test_unlisted_registers_read_zero_and_ignore_writes(
        i2c: tuple[I2cBus, GenericDevice]) -> None:
    bus, _ = i2c
    bus.transfer(0x3A, write=b"\x40\x55")
    assert bus.transfer(0x3A, write=b"\x40", read=1).data == b"\x00"


def test_the_pointer_survives_the_stop(i2c: tuple[I2cBus, GenericDevice]) -> None:
    bus, _ = i2c
    bus.transfer(0x3A, write=b"\x10")
    assert bus.transfer(0x3A, read=1).data == b"\x07"


def test_poke_sets_a_register_as_the_world_would(i2c: tuple[I2cBus, GenericDevice]) -> None:
    bus, chip = i2c
    chip.poke("WHO_AM_I", 0x44)                          # masks are the controller's
    assert bus.transfer(0x3A, write=b"\x0f", read=1).data == b"\x44"
    chip.reset()
    assert chip.peek("WHO_AM_I") == 0x33
    with pytest.raises(KeyError, match="NOPE"):
        chip.peek("NOPE")


def test_without_auto_increment_the_pointer_stays(tmp_path: Path) -> None:
    bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(lambda: 0), lambda: 0)
    bus.attach(GenericDevice("fifo", {"address": 0x20,
                                      "map": write_map(tmp_path, "auto_increment = false\n"
                                                       + MAP)}))
    assert bus.transfer(0x20, write=b"\x0f", read=3).data == b"\x33\x33\x33"


def test_spi_commands_carry_the_read_bit(tmp_path: Path) -> None:
    bus = SpiBus("spi:GPIO18/GPIO23/GPIO19", TraceBus(lambda: 0), lambda: 0, lambda _: 0)
    chip = GenericSpiDevice("spichip", {"map": write_map(tmp_path)})
    bus.attach(chip, "GPIO5")
    bus.transfer("GPIO5", b"\x10\x02", freq_hz=1_000_000)          # write CTRL
    assert chip.peek("CTRL") == 0x03
    reply = bus.transfer("GPIO5", b"\x8f\x00\x00", freq_hz=1_000_000)
    assert reply.miso == b"\xff\x33\x03"


@pytest.mark.parametrize("text, key", [
    ("[[register]]\nname = \"X\"\n", "address"),
    ("[[register]]\naddress = 0x100\n", "address"),
    ("[[register]]\naddress = 1\nreset = 300\n", "reset"),
    ("[[register]]\naddress = 1\nwidth = 16\n", "width"),
    ("[[register]]\naddress = 1\n[[register]]\naddress = 1\n", "listed twice"),
    ("auto_increment = 1\n", "auto_increment"),
    ("registers = []\n", "registers"),
    ("[[register]\n", "not valid TOML"),
])
def test_map_errors_name_the_file_and_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = write_map(tmp_path, text)
    with pytest.raises(PropertyError) as err:
        GenericDevice("x", {"address": 0x20, "map": path})
    assert str(path) in str(err.value) and key in str(err.value)


def test_a_generic_chip_needs_its_map(tmp_path: Path) -> None:
    with pytest.raises(PropertyError, match="map"):
        GenericDevice("x", {"address": 0x20})
    with pytest.raises(PropertyError, match="cannot read"):
        GenericDevice("x", {"address": 0x20, "map": tmp_path / "missing.toml"})
