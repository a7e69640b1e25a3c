"""ST LIS3DH 3-axis accelerometer, at register level.

Reference: LIS3DH data sheet DocID17530 (2.1 mechanical characteristics table 4, 3.2 operating
modes table 10, 6 digital interfaces, 7-8 register map and descriptions).

Model names: ``lis3dh`` on I2C (address 0x18 with SA0 to GND, 0x19 with SA0 high) and
``lis3dh_spi`` on 4-wire SPI. The first byte after the address (I2C) names a register in bits
6..0 and asks for auto-increment with bit 7 (6.1.1: SUB(7) = 1, reads and writes); without it every
byte of a transfer reads or writes that same register. On SPI the first byte is bit 7 R/W
(1 = read), bit 6 MS (1 = auto-increment) and bits 5..0 the register.

Registers: WHO_AM_I 0x0F reads 0x33; CTRL_REG0 0x1E (reset 0x10), TEMP_CFG 0x1F, CTRL_REG1..6
0x20..0x25 (CTRL_REG1 resets to 0x07: power-down, X/Y/Z enabled), REFERENCE 0x26, STATUS_REG
0x27, OUT_X_L..OUT_Z_H 0x28..0x2D, FIFO_CTRL 0x2E, interrupt, click and activity settings
0x30..0x3F keep what is written. Read-only registers without a model (INT1_SRC, INT2_SRC,
CLICK_SRC, the auxiliary ADC, STATUS_REG_AUX) read 0; FIFO_SRC reads 0x20 (FIFO empty).

Output: CTRL_REG1 ODR (bits 7..4) starts conversions at 1, 10, 25, 50, 100, 200, 400 Hz,
1.6 kHz (low-power) or 1.344 kHz (5.376 kHz low-power); the first sample is ready one period
after the ODR is written, and sample *n* holds the properties' values at its time (a
property changed with ``set`` later does not change a sample already taken). Each axis
is a 16-bit two's complement number, left-justified: 12 bits in high-resolution mode
(CTRL_REG4 HR), 10 bits in normal mode, 8 bits in low-power mode (CTRL_REG1 LPen; with HR
also set, low-power wins), scaled by the data sheet's sensitivity for the full scale
(CTRL_REG4 FS ±2/4/8/16 g, table 4: 1/2/4/12 mg/digit high-resolution, 4/8/16/48 normal,
16/32/64/192 low-power). Accelerations beyond the full scale clip at it. STATUS_REG xDA
bits say a new sample is there and clear when the axis' high byte is read; xOR bits say one
was overwritten unread; ZYXDA/ZYXOR are set while any enabled axis has them. BDU (CTRL_REG4
bit 7) holds the high byte to the sample of the low byte read before it; BLE (bit 6, high-
resolution mode only) puts the high byte at the lower address. A disabled axis reads 0.

Properties:

======= ==== ======= ============= =========================================================
name    unit default range         meaning
======= ==== ======= ============= =========================================================
x_g     g    0.0     -100 .. 100   acceleration along X (1 g = 9.80665 m/s²), clips at FS
y_g     g    0.0     -100 .. 100   acceleration along Y
z_g     g    1.0     -100 .. 100   acceleration along Z (lying flat: gravity)
address —    0x18    0x18 .. 0x19  I2C address (``lis3dh`` only)
======= ==== ======= ============= =========================================================

Left out: the FIFO, interrupts and click detection (their settings are stored, no event is
generated), self-test, the auxiliary ADC and temperature sensor, 3-wire SPI.
"""
from __future__ import annotations

from typing import ClassVar

from avmsim.peripherals.device_model import NS_PER_S, Prop
from avmsim.peripherals.register_device import I2cRegisters, RegisterChip, SpiRegisters

WHO_AM_I_VALUE = 0x33
REG_CTRL1, REG_CTRL4, REG_CTRL5, REG_STATUS, REG_OUT = 0x20, 0x23, 0x24, 0x27, 0x28

# registers the controller may write, with their power-on values (data sheet table 17)
RESET_VALUES: dict[int, int] = {0x1E: 0x10, 0x1F: 0x00, 0x20: 0x07, 0x21: 0x00, 0x22: 0x00,
                                0x23: 0x00, 0x24: 0x00, 0x25: 0x00, 0x26: 0x00, 0x2E: 0x00,
                                0x30: 0x00, 0x32: 0x00, 0x33: 0x00, 0x34: 0x00, 0x36: 0x00,
                                0x37: 0x00, 0x38: 0x00, 0x3A: 0x00, 0x3B: 0x00, 0x3C: 0x00,
                                0x3D: 0x00, 0x3E: 0x00, 0x3F: 0x00}
READ_ONLY: dict[int, int] = {0x0F: WHO_AM_I_VALUE, 0x2F: 0x20}

AXES = ("x_g", "y_g", "z_g")
# ODR code -> sample rate in Hz, (normal/high-resolution, low-power); codes above 9 stop
ODR_HZ: dict[int, tuple[int, int]] = {1: (1, 1), 2: (10, 10), 3: (25, 25), 4: (50, 50),
                                          5: (100, 100), 6: (200, 200), 7: (400, 400),
                                          8: (1600, 1600), 9: (1344, 5376)}
FULL_SCALE_G = (2, 4, 8, 16)
HIGH_RES, NORMAL, LOW_POWER = 0, 1, 2
BITS = (12, 10, 8)                                   # by operating mode
# FS code -> sensitivity in mg/digit by operating mode (data sheet table 4)
SENSITIVITY_MG = ((1, 4, 16), (2, 8, 32), (4, 16, 64), (12, 48, 192))


def counts(g: float, fs_code: int, mode: int) -> int:
    """The left-justified 16-bit output word for an acceleration, clipped at full scale."""
    full = FULL_SCALE_G[fs_code]
    bits = BITS[mode]
    digits = round(min(max(g, -full), full) * 1000 / SENSITIVITY_MG[fs_code][mode])
    digits = min(max(digits, -(1 << (bits - 1))), (1 << (bits - 1)) - 1)
    return (digits << (16 - bits)) & 0xFFFF


class Lis3dhChip(RegisterChip):
    """The LIS3DH's registers and sampling, whatever the bus."""

    MODEL: ClassVar[str] = "lis3dh"
    ADDRESS_MASK: ClassVar[int] = 0x7F
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "x_g": Prop(0.0, -100.0, 100.0, "acceleration along X, g"),
        "y_g": Prop(0.0, -100.0, 100.0, "acceleration along Y, g"),
        "z_g": Prop(1.0, -100.0, 100.0, "acceleration along Z, g"),
    }

    _regs = RESET_VALUES        # read (never written) before the first reset: powered down

    def reset(self) -> None:
        super().reset()
        self._regs = dict(RESET_VALUES)
        self._started_ns = self.now_ns()
        self._read_n = [0, 0, 0]           # per axis: the sample whose high byte was read
        # a sample's accelerations, kept when a property changes after it (settle)
        self._settled: tuple[int, tuple[float, ...]] = (0, ())
        # BDU: axis -> (sample, word) of the low byte read, for its high byte
        self._latched: dict[int, tuple[int, int]] = {}

    # ------------------------------------------------------------ serial port
    def i2c_pointer(self, byte: int) -> tuple[int, bool]:
        return byte & 0x7F, bool(byte & 0x80)

    def spi_command(self, byte: int) -> tuple[int, bool, bool]:
        return byte & 0x3F, bool(byte & 0x80), bool(byte & 0x40)

    # ------------------------------------------------------------ registers
    def read_register(self, reg: int) -> int:
        if REG_OUT <= reg < REG_OUT + 6:
            return self._output_byte(reg - REG_OUT)
        if reg == REG_STATUS:
            return self._status()
        return self._regs.get(reg, READ_ONLY.get(reg, 0x00))

    def write_register(self, reg: int, value: int) -> None:
        if reg not in RESET_VALUES:
            return
        period = self._period_ns()
        self._regs[reg] = value & 0x7F if reg == REG_CTRL5 else value   # BOOT self-clears
        if reg == REG_CTRL1 and self._period_ns() != period:
            self._started_ns = self.now_ns()
            self._read_n = [0, 0, 0]
            self._settled = (0, ())
            self._latched.clear()

    # ------------------------------------------------------------ sampling
    def _mode(self) -> int:
        if self._regs[REG_CTRL1] & 0x08:
            return LOW_POWER
        return HIGH_RES if self._regs[REG_CTRL4] & 0x08 else NORMAL

    def _period_ns(self) -> int | None:
        rates = ODR_HZ.get(self._regs[REG_CTRL1] >> 4)
        if rates is None:
            return None
        return round(NS_PER_S / rates[self._mode() == LOW_POWER])

    def _latest(self) -> int:
        """Index of the newest sample (0: none yet, or powered down)."""
        period = self._period_ns()
        return 0 if period is None else (self.now_ns() - self._started_ns) // period

    def settle(self) -> None:
        n = self._latest()
        if n:
            self._settled = (n, tuple(self._g(axis, n) for axis in range(3)))

    def _g(self, axis: int, n: int) -> float:
        """Acceleration along ``axis`` at sample ``n`` (n > 0, while converting)."""
        if self._settled[0] == n:
            return self._settled[1][axis]
        return self.sample(AXES[axis], self._started_ns + n * self._period_ns())

    def _enabled(self, axis: int) -> bool:
        return bool(self._regs[REG_CTRL1] & (1 << axis))

    def _word(self, axis: int, n: int) -> int:
        if n == 0 or not self._enabled(axis):
            return 0
        return counts(self._g(axis, n), (self._regs[REG_CTRL4] >> 4) & 0x03, self._mode())

    def _output_byte(self, offset: int) -> int:
        axis, high = divmod(offset, 2)
        ctrl4 = self._regs[REG_CTRL4]
        if ctrl4 & 0x40 and self._mode() == HIGH_RES:     # BLE: MSB at the lower address
            high = 1 - high
        n = self._latest()
        if not high:
            word = self._word(axis, n)
            if ctrl4 & 0x80:
                self._latched[axis] = (n, word)
            return word & 0xFF
        n, word = self._latched.pop(axis, None) or (n, self._word(axis, n))
        self._read_n[axis] = max(self._read_n[axis], n)
        return word >> 8

    def _status(self) -> int:
        n = self._latest()
        status = 0
        for axis in range(3):
            if not self._enabled(axis):
                continue
            unread = n - self._read_n[axis]
            if unread >= 1:
                status |= 0x08 | (1 << axis)
            if unread >= 2:
                status |= 0x80 | (0x10 << axis)
        return status


class Lis3dh(Lis3dhChip, I2cRegisters):
    """A LIS3DH on I2C (SA0 selects 0x18 or 0x19)."""

    MODEL = "lis3dh"
    PROPERTIES = {**Lis3dhChip.PROPERTIES,
                  "address": Prop(0x18, 0x18, 0x19, "I2C address (SA0 low 0x18, high 0x19)",
                                  int)}


class Lis3dhSpi(Lis3dhChip, SpiRegisters):
    """A LIS3DH on 4-wire SPI."""

    MODEL = "lis3dh_spi"
