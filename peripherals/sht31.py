"""Sensirion SHT3x-DIS (SHT31) humidity and temperature sensor on I2C, at register level.

What the datasheet (SHT3x-DIS, "Datasheet SHT3x-DIS", sections 4.3-4.12) says the chip does,
and this model does:

* 16-bit commands, MSB first. Single shot measurements: ``0x2400`` / ``0x240B`` / ``0x2416``
  (high / medium / low repeatability, no clock stretching) and ``0x2C06`` / ``0x2C0D`` /
  ``0x2C10`` (the same with clock stretching). A conversion takes the datasheet's maximum
  duration (Table 4: 15 ms high, 6 ms medium, 4 ms low repeatability), from the command on.
* The result is 6 bytes: temperature MSB, LSB, CRC, humidity MSB, LSB, CRC, with
  T = -45 + 175 * S_T / 65535 (degrees C) and RH = 100 * S_RH / 65535 (%). It is read once:
  after the read the chip has no data again.
* Without clock stretching, a read header while the conversion runs, or when no measurement
  was asked for, is NACKed. With clock stretching the chip ACKs the read header and holds
  SCL low until the conversion ends (the bus adds that time to the transfer).
* Status register ``0xF32D`` (2 bytes and CRC): bit 15 alert pending, 13 heater on, 4 reset
  detected (both set at power-on: ``0x8010``), 1 last command not processed. ``0x3041``
  clears bits 15, 11, 10 and 4; ``0x306D`` / ``0x3066`` switch the heater on / off (the
  heater's warming of the die is not modelled); ``0x30A2`` soft reset, after which the chip
  answers nothing for tSR = 1.5 ms (Table 4). A command it does not know is acknowledged and
  sets status bit 1. Alert limits are not modelled.
* Periodic mode (``0x2032`` … ``0x272A``, ART ``0x2B32``; Table 10): a measurement every
  0.5 / 1 / 2 / 4 / 10 per second, the first one conversion time after the command;
  ``0xE000`` fetches the latest one not yet read (with the values at the fetch), and when
  there is none the read header is NACKed; ``0x3093`` (break) stops it.
* CRC-8: polynomial 0x31, initial value 0xFF, no reflection, no final XOR (section 4.12;
  its example: CRC(0xBEEF) = 0x92).

The measured values are the properties ``temperature_c`` and ``humidity_pct`` at the time of
the measurement command; ``address`` is 0x44 (ADDR pin low) or 0x45 (ADDR pin high).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from avmsim.peripherals.device_model import I2cDevice, Prop

MS = 1_000_000

# command -> (conversion time in ns, clock stretching)
SINGLE_SHOT: dict[int, tuple[int, bool]] = {
    0x2400: (15 * MS, False), 0x240B: (6 * MS, False), 0x2416: (4 * MS, False),
    0x2C06: (15 * MS, True), 0x2C0D: (6 * MS, True), 0x2C10: (4 * MS, True),
}
# command -> (period in ns, conversion time in ns): periodic mode, Table 10 (0.5, 1, 2, 4
# and 10 measurements per second at high / medium / low repeatability; 0x2B32 is ART, 4 Hz)
PERIODIC: dict[int, tuple[int, int]] = {
    command: (period, duration)
    for period, commands in ((2000 * MS, (0x2032, 0x2024, 0x202F)),
                             (1000 * MS, (0x2130, 0x2126, 0x212D)),
                             (500 * MS, (0x2236, 0x2220, 0x222B)),
                             (250 * MS, (0x2334, 0x2322, 0x2329)),
                             (100 * MS, (0x2737, 0x2721, 0x272A)),
                             (250 * MS, (0x2B32,)))
    for command, duration in zip(commands, (15 * MS, 6 * MS, 4 * MS))
}
FETCH_DATA = 0xE000
BREAK = 0x3093
READ_STATUS = 0xF32D
CLEAR_STATUS = 0x3041
SOFT_RESET = 0x30A2
HEATER_ON = 0x306D
HEATER_OFF = 0x3066
SOFT_RESET_NS = 1_500_000            # tSR, Table 4

STATUS_AT_RESET = 0x8010             # alert pending, reset detected
STATUS_HEATER = 1 << 13
STATUS_COMMAND_FAILED = 1 << 1
STATUS_CLEARED_BITS = 0x8000 | 0x0800 | 0x0400 | 0x0010   # what 0x3041 clears


def crc8(data: bytes) -> int:
    """Sensirion's CRC-8 (polynomial 0x31, init 0xFF) over ``data``."""
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def with_crc(word: int) -> bytes:
    """A 16-bit word as the chip sends it: MSB, LSB, CRC."""
    data = word.to_bytes(2, "big")
    return data + bytes([crc8(data)])


def raw_temperature(celsius: float) -> int:
    """The inverse of T = -45 + 175 * S / 65535, as the chip's 16-bit reading."""
    return max(0, min(0xFFFF, round((celsius + 45.0) * 0xFFFF / 175.0)))


def raw_humidity(percent: float) -> int:
    """The inverse of RH = 100 * S / 65535."""
    return max(0, min(0xFFFF, round(percent * 0xFFFF / 100.0)))


class Sht31(I2cDevice):
    """One SHT3x-DIS: single shot measurements, status register, heater, soft reset."""

    MODEL = "sht31"
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "temperature_c": Prop(25.0, -40.0, 125.0, "air temperature, degrees C "
                                                  "(the sensor's range)"),
        "humidity_pct": Prop(50.0, 0.0, 100.0, "relative humidity, %"),
        "address": Prop(0x44, 0x44, 0x45, "0x44 (ADDR low) or 0x45 (ADDR high)", int),
    }

    def reset(self) -> None:
        self._status = STATUS_AT_RESET
        self._command = bytearray()
        self._output: bytes | None = None   # what a read header gets, once
        self._ready_at = 0                  # when the output exists (end of conversion)
        self._stretching = False
        self._busy_until = 0
        self._reading = False
        self._read_at = 0
        self._periodic: tuple[int, int, int] | None = None   # (start, period, conversion)
        self._fetched = -1                  # the last periodic measurement read out

    # ------------------------------------------------------------------ bus side
    def i2c_start(self, read: bool) -> bool:
        now = self.now_ns()
        if now < self._busy_until:
            return False
        if not read:
            self._command.clear()
            return True
        if self._output is None or (now < self._ready_at and not self._stretching):
            return False
        self._reading, self._read_at = True, 0
        return True

    def i2c_stretch_ns(self) -> int:
        return max(0, self._ready_at - self.now_ns())

    def i2c_write(self, byte: int) -> bool:
        self._command.append(byte)
        if len(self._command) == 2:
            self._execute(int.from_bytes(self._command, "big"))
        return True

    def i2c_read(self) -> int:
        out = self._output or b""
        byte = out[self._read_at] if self._read_at < len(out) else 0xFF
        self._read_at += 1
        return byte

    def i2c_stop(self) -> None:
        if self._reading:
            self._output, self._reading = None, False

    # ------------------------------------------------------------------ commands
    def _execute(self, command: int) -> None:
        action = self._ACTIONS.get(command)
        if action is None:
            self._status |= STATUS_COMMAND_FAILED
            return
        action(self)              # a status read still reports the previous command
        self._status &= ~STATUS_COMMAND_FAILED

    def _reading_now(self) -> bytes:
        return (with_crc(raw_temperature(self.prop("temperature_c")))
                + with_crc(raw_humidity(self.prop("humidity_pct"))))

    def _measure(self, duration_ns: int, stretching: bool) -> None:
        self._output = self._reading_now()
        self._ready_at = self.now_ns() + duration_ns
        self._stretching = stretching

    def _start_periodic(self, period_ns: int, duration_ns: int) -> None:
        self._periodic, self._fetched = (self.now_ns(), period_ns, duration_ns), -1

    def _fetch(self) -> None:
        """The latest periodic measurement not yet read (the values at the fetch), or none:
        then the read header is NACKed."""
        self._output = None
        if self._periodic is None:
            return
        start, period, duration = self._periodic
        latest = (self.now_ns() - start - duration) // period
        if latest > self._fetched:
            self._fetched = latest
            self._give(self._reading_now())

    def _break(self) -> None:
        self._periodic = None

    def _give(self, data: bytes) -> None:
        self._output, self._ready_at, self._stretching = data, 0, False

    def _read_status(self) -> None:
        self._give(with_crc(self._status))

    def _clear_status(self) -> None:
        self._status &= ~STATUS_CLEARED_BITS

    def _heater(self, on: bool) -> None:
        self._status = self._status | STATUS_HEATER if on else self._status & ~STATUS_HEATER

    def _soft_reset(self) -> None:
        self.reset()
        self._busy_until = self.now_ns() + SOFT_RESET_NS

    _ACTIONS: ClassVar[dict[int, Callable[[Sht31], None]]] = {
        **{command: (lambda self, shot=shot: self._measure(*shot))
           for command, shot in SINGLE_SHOT.items()},
        **{command: (lambda self, mode=mode: self._start_periodic(*mode))
           for command, mode in PERIODIC.items()},
        FETCH_DATA: _fetch,
        BREAK: _break,
        READ_STATUS: _read_status,
        CLEAR_STATUS: _clear_status,
        HEATER_ON: lambda self: self._heater(True),
        HEATER_OFF: lambda self: self._heater(False),
        SOFT_RESET: _soft_reset,
    }
