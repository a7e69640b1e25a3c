"""Chips that are a file of 8-bit registers behind a serial port (BME280, LIS3DH…).

Such sensors speak the same two-layer protocol on I2C and on SPI: the first byte of a write
names a register (on SPI it also carries the read/write bit), then data bytes follow, read
from or written to consecutive registers. Chips differ only in how that first byte is decoded
(which bit asks for auto-increment) and in whether a write is a stream or a series of
(register, value) pairs. A chip says so through small hooks on :class:`RegisterChip`
(``i2c_pointer``, ``spi_command``, ``WRITE_PAIRS``), and the two front-ends here turn bus
callbacks into register accesses, so each chip module holds its registers and nothing of the
bus. Sensors that measure in virtual time compute results lazily, when read: ``sample`` gives
a property's value at a past measurement's time, and ``settle`` lets a chip fix its results
before ``set`` changes the world under them.

A model for both buses is two classes over one chip, e.g.
``class Bme280(Bme280Chip, I2cRegisters)`` and ``class Bme280Spi(Bme280Chip, SpiRegisters)``.
"""
from __future__ import annotations

from typing import Any, ClassVar

from avmsim.peripherals.device_model import DeviceModel, I2cDevice, SpiDevice, interpolate


class RegisterChip(DeviceModel):
    """The register file of a chip, and how its serial port addresses it."""

    # after each data byte of a write, the next byte names a register again (BME280)
    WRITE_PAIRS: ClassVar[bool] = False
    # the register pointer wraps within this mask when it auto-increments
    ADDRESS_MASK: ClassVar[int] = 0xFF

    def read_register(self, reg: int) -> int:
        """The byte at ``reg`` now (reading may have effects, e.g. clear a data-ready bit)."""
        raise NotImplementedError

    def write_register(self, reg: int, value: int) -> None:
        """The controller writes ``value`` at ``reg``."""
        raise NotImplementedError

    def i2c_pointer(self, byte: int) -> tuple[int, bool]:
        """The first byte of an I2C write as (register, auto-increment)."""
        return byte, True

    def spi_command(self, byte: int) -> tuple[int, bool, bool]:
        """The first byte after CS falls as (register, read, auto-increment)."""
        raise NotImplementedError

    def transfer_begins(self) -> None:
        """A transfer starts (a chip may latch its data here so a burst read is coherent)."""

    def settle(self) -> None:
        """Take what the chip has measured by now; called before a property changes, so a
        chip that computes its results lazily keeps the values of its past measurements."""

    def set(self, **props: Any) -> None:
        self.settle()
        super().set(**props)

    def sample(self, key: str, t_ns: int) -> float:
        """A property's value at virtual time ``t_ns`` (when a past measurement was taken)."""
        points = self._schedules.get(key)
        return interpolate(points, t_ns) if points is not None else self._values[key]

    def reset(self) -> None:
        super().reset()
        self._reg = 0
        self._increment = True

    def _advance(self) -> None:
        if self._increment:
            self._reg = (self._reg + 1) & self.ADDRESS_MASK


class I2cRegisters(RegisterChip, I2cDevice):
    """I2C front-end: a write's first byte sets the register pointer, which survives the STOP
    (so a later read transfer reads from where the last write pointed)."""

    def reset(self) -> None:
        super().reset()
        self._awaiting_pointer = False

    def i2c_start(self, read: bool) -> bool:
        self._awaiting_pointer = not read
        self.transfer_begins()
        return True

    def i2c_write(self, byte: int) -> bool:
        if self._awaiting_pointer:
            self._reg, self._increment = self.i2c_pointer(byte)
            self._awaiting_pointer = False
            return True
        self.write_register(self._reg, byte)
        self._advance()
        self._awaiting_pointer = self.WRITE_PAIRS
        return True

    def i2c_read(self) -> int:
        value = self.read_register(self._reg)
        self._advance()
        return value


class SpiRegisters(RegisterChip, SpiDevice):
    """SPI front-end: the first byte after CS falls is a command (register, R/W, increment);
    MISO is released (0xFF) while the command and write data are shifted in."""

    def reset(self) -> None:
        super().reset()
        self._awaiting_command = True
        self._reading = False

    def spi_select(self) -> None:
        self._awaiting_command = True
        self.transfer_begins()

    def spi_exchange(self, mosi: int) -> int:
        if self._awaiting_command:
            self._reg, self._reading, self._increment = self.spi_command(mosi)
            self._awaiting_command = False
            return 0xFF
        if self._reading:
            value = self.read_register(self._reg)
            self._advance()
            return value
        self.write_register(self._reg, mosi)
        self._advance()
        self._awaiting_command = self.WRITE_PAIRS
        return 0xFF
