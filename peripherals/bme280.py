"""Bosch BME280 humidity, pressure and temperature sensor, at register level.

References: BME280 data sheet BST-BME280-DS002 (section 3 modes and timing, 4.2 trimming
parameters and compensation, 5 register map, 6 interfaces, 9.1 measurement time); the BMP280
data sheet BST-BMP280-DS001 section 3.12 for the worked compensation example.

Model names: ``bme280`` on I2C (address 0x76 with SDO to GND, 0x77 with SDO to VDDIO) and
``bme280_spi`` on 4-wire SPI (modes 0 and 3 alike: the model sees bytes). Both serve the same
registers: chip id 0x60 at 0xD0, soft reset 0xE0 (write 0xB6), ctrl_hum 0xF2, status 0xF3
(bit 3 measuring, bit 0 im_update), ctrl_meas 0xF4, config 0xF5, data 0xF7..0xFE (press
msb/lsb/xlsb, temp msb/lsb/xlsb, hum msb/lsb), trimming parameters 0x88..0xA1 and
0xE1..0xE7. Reads auto-increment; writes are (register, value) pairs on both buses (data
sheet 6.2.1 and 6.3.1); on SPI the command byte's bit 7 is 1 to read, and the register is the
byte with bit 7 set (0x74 writes 0xF4).

Properties (the world the sensor measures):

=============== ===== ========= =================== ==========================================
name            unit  default   range               meaning
=============== ===== ========= =================== ==========================================
temperature_c   °C    25.0      -40 .. 85           air temperature
pressure_pa     Pa    101325.0  30000 .. 110000     absolute pressure (1 hPa = 100 Pa)
humidity_pct    %RH   50.0      0 .. 100            relative humidity
address         —     0x76      0x76 .. 0x77        I2C address (``bme280`` only)
=============== ===== ========= =================== ==========================================

The chip keeps no physical quantities, only ADC codes: a measurement turns the properties into
the raw codes (adc_T, adc_P 20-bit; adc_H 16-bit) that the data sheet's integer compensation
(4.2.3: 32-bit temperature and humidity, 64-bit pressure) maps back to them, using this chip's
trimming parameters. Codes are found by bisection over the monotonic formulas, at the
resolution the oversampling gives (16 + log2(osrs) bits, 20 bits with the IIR filter on, 3.4
and 3.5), so a driver reads back the property to within one step of that resolution.

Timing (virtual time): a measurement lasts the data sheet's maximum t_measure (9.1),
1.25 + 2.3·T_os + (2.3·P_os + 0.575) + (2.3·H_os + 0.575) ms, a term dropped when its
oversampling is "skipped". Writing forced mode to ctrl_meas starts one measurement: status
bit 3 reads 1 during it, the data registers take its result at its end, and the mode bits
return to sleep. Normal mode measures at once and then every t_measure + t_standby (config
t_sb). The properties are sampled at the end of each measurement (a property changed by
``set`` after a measurement ended does not alter that measurement's result). A transfer sees
the data registers as they were when it began (the chip's shadowing, 4: consistent burst
reads).
im_update (status bit 0) reads 1 for the 2 ms start-up time after a reset, while the chip
copies its NVM. ctrl_hum takes effect at the next write to ctrl_meas (5.4.3); config writes
are ignored in normal mode (5.4.6 allows this). A skipped measurement reads 0x80000
(0x8000 humidity).

Left out: the IIR filter's dynamics (a filtered reading of a constant equals the constant; a
schedule's ramp is reported unfiltered) and 3-wire SPI (spi3w_en is stored, not used).

Trimming parameters: temperature and pressure are the worked example's of the BMP280 data sheet
(3.12); humidity (which that example lacks) are those a BME280 dumped in the Bosch Sensortec
community thread "BME280 Data to test Calculations" (2019): H1=75, H2=357, H3=0, H4=331,
H5=0, H6=30, with which that thread's adc_T=530427, adc_H=30995 give 54.17 %RH.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

from avmsim.peripherals.device_model import Prop
from avmsim.peripherals.register_device import I2cRegisters, RegisterChip, SpiRegisters

CHIP_ID = 0x60
RESET_WORD = 0xB6
STARTUP_NS = 2_000_000                      # data sheet 1: start-up time 2 ms
SKIPPED_20BIT = 0x80000
SKIPPED_16BIT = 0x8000

# register addresses (data sheet table 18)
REG_ID, REG_RESET = 0xD0, 0xE0
REG_CTRL_HUM, REG_STATUS, REG_CTRL_MEAS, REG_CONFIG = 0xF2, 0xF3, 0xF4, 0xF5
REG_DATA = 0xF7                             # press msb .. hum lsb, 8 bytes

# osrs_x code -> oversampling factor (0: measurement skipped); codes 5..7 are all x16
OVERSAMPLING = (0, 1, 2, 4, 8, 16, 16, 16)
# config t_sb code -> standby time in ns (BME280 table 27)
STANDBY_NS = (500_000, 62_500_000, 125_000_000, 250_000_000, 500_000_000, 1_000_000_000,
              10_000_000, 20_000_000)
MODE_SLEEP, MODE_NORMAL = 0, 3


@dataclass(frozen=True)
class Calibration:
    """The trimming parameters dig_T1..dig_H6 (data sheet table 16)."""
    T1: int
    T2: int
    T3: int
    P1: int
    P2: int
    P3: int
    P4: int
    P5: int
    P6: int
    P7: int
    P8: int
    P9: int
    H1: int
    H2: int
    H3: int
    H4: int
    H5: int
    H6: int


CALIBRATION = Calibration(T1=27504, T2=26435, T3=-1000,
                          P1=36477, P2=-10685, P3=3024, P4=2855, P5=140, P6=-7,
                          P7=15500, P8=-14600, P9=6000,
                          H1=75, H2=357, H3=0, H4=331, H5=0, H6=30)


def calibration_registers(cal: Calibration) -> dict[int, int]:
    """The NVM image of ``cal``: register address -> byte, packed as data sheet table 16."""
    regs: dict[int, int] = {}
    words = (cal.T1, cal.T2, cal.T3, cal.P1, cal.P2, cal.P3, cal.P4, cal.P5, cal.P6,
             cal.P7, cal.P8, cal.P9)
    for i, word in enumerate(words):                # 0x88.., 16-bit little endian
        regs[0x88 + 2 * i] = word & 0xFF
        regs[0x89 + 2 * i] = (word >> 8) & 0xFF
    regs[0xA0] = 0x00                               # reserved
    regs[0xA1] = cal.H1 & 0xFF
    regs[0xE1] = cal.H2 & 0xFF
    regs[0xE2] = (cal.H2 >> 8) & 0xFF
    regs[0xE3] = cal.H3 & 0xFF
    regs[0xE4] = (cal.H4 >> 4) & 0xFF               # dig_H4 [11:4]
    regs[0xE5] = (cal.H4 & 0x0F) | ((cal.H5 & 0x0F) << 4)   # H4 [3:0], H5 [3:0]
    regs[0xE6] = (cal.H5 >> 4) & 0xFF               # dig_H5 [11:4]
    regs[0xE7] = cal.H6 & 0xFF
    return regs


# ---------------------------------------------------------------- compensation (4.2.3)
def compensate_temperature(adc_t: int, cal: Calibration) -> tuple[int, int]:
    """(temperature in 0.01 °C, t_fine) from a 20-bit adc_T."""
    var1 = (((adc_t >> 3) - (cal.T1 << 1)) * cal.T2) >> 11
    delta = (adc_t >> 4) - cal.T1
    var2 = (((delta * delta) >> 12) * cal.T3) >> 14
    t_fine = var1 + var2
    return (t_fine * 5 + 128) >> 8, t_fine


def _c_div(a: int, b: int) -> int:
    """Integer division truncating toward zero, as C's ``/``."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def compensate_pressure(adc_p: int, t_fine: int, cal: Calibration) -> int:
    """Pressure in Pa as Q24.8 (divide by 256) from a 20-bit adc_P, 64-bit formula."""
    var1 = t_fine - 128000
    var2 = var1 * var1 * cal.P6 + ((var1 * cal.P5) << 17) + (cal.P4 << 35)
    var1 = ((var1 * var1 * cal.P3) >> 8) + ((var1 * cal.P2) << 12)
    var1 = (((1 << 47) + var1) * cal.P1) >> 33
    if var1 == 0:
        return 0
    p = _c_div((((1048576 - adc_p) << 31) - var2) * 3125, var1)
    var1 = (cal.P9 * (p >> 13) * (p >> 13)) >> 25
    var2 = (cal.P8 * p) >> 19
    return ((p + var1 + var2) >> 8) + (cal.P7 << 4)


def compensate_humidity(adc_h: int, t_fine: int, cal: Calibration) -> int:
    """Relative humidity in %RH as Q22.10 (divide by 1024) from a 16-bit adc_H."""
    v = t_fine - 76800
    scale = (((((((v * cal.H6) >> 10) * (((v * cal.H3) >> 11) + 32768)) >> 10) + 2097152)
              * cal.H2 + 8192) >> 14)
    v = ((((adc_h << 14) - (cal.H4 << 20) - cal.H5 * v) + 16384) >> 15) * scale
    v -= ((((v >> 15) * (v >> 15)) >> 7) * cal.H1) >> 4
    return min(max(v, 0), 419430400) >> 12


def _invert(f: Callable[[int], float], target: float, bits: int, width: int = 20) -> int:
    """The ``width``-bit code with ``bits`` significant bits (the rest 0) whose compensated
    value ``f(code)``, non-decreasing in the code, is nearest ``target`` (bisection)."""
    shift = width - bits
    lo, hi = 0, (1 << bits) - 1
    while lo < hi:                                  # smallest n with f(n) >= target
        mid = (lo + hi) // 2
        if f(mid << shift) < target:
            lo = mid + 1
        else:
            hi = mid
    if lo > 0 and abs(f((lo - 1) << shift) - target) <= abs(f(lo << shift) - target):
        lo -= 1
    return lo << shift


def measuring_time_ns(os_t: int, os_p: int, os_h: int) -> int:
    """Maximum measurement time (data sheet 9.1) for oversampling factors (0 = skipped)."""
    ns = 1_250_000 + 2_300_000 * os_t
    for os in (os_p, os_h):
        if os:
            ns += 2_300_000 * os + 575_000
    return ns


@dataclass(frozen=True)
class _Settings:
    """What a measurement runs with: oversampling factors and whether the filter is on."""
    os_t: int
    os_p: int
    os_h: int
    filtered: bool

    def duration_ns(self) -> int:
        return measuring_time_ns(self.os_t, self.os_p, self.os_h)

    def bits(self, os: int) -> int:
        """Resolution of a temperature/pressure code (data sheet 3.4.2, 3.4.3)."""
        return 20 if self.filtered else 16 + os.bit_length() - 1


class Bme280Chip(RegisterChip):
    """The BME280's registers and measurement cycle, whatever the bus."""

    MODEL: ClassVar[str] = "bme280"
    WRITE_PAIRS: ClassVar[bool] = True
    CALIBRATION: ClassVar[Calibration] = CALIBRATION
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "temperature_c": Prop(25.0, -40.0, 85.0, "air temperature, °C"),
        "pressure_pa": Prop(101325.0, 30000.0, 110000.0, "absolute pressure, Pa"),
        "humidity_pct": Prop(50.0, 0.0, 100.0, "relative humidity, %RH"),
    }

    _ctrl_meas = 0                          # asleep until the first reset sets everything

    def reset(self) -> None:
        super().reset()
        self._nvm = calibration_registers(self.CALIBRATION)
        self._ctrl_hum = 0
        self._ctrl_meas = 0
        self._config = 0
        self._settings = _Settings(0, 0, 0, False)
        self._started_ns = 0               # start of the forced measurement / normal cycle
        self._measured_until = -1          # end time of the last measurement taken
        self._reset_ns = self.now_ns()
        self._adc = (SKIPPED_20BIT, SKIPPED_20BIT, SKIPPED_16BIT)   # P, T, H
        self._shadow = self._data_bytes()

    # ------------------------------------------------------------ register access
    def transfer_begins(self) -> None:
        self._catch_up()
        self._shadow = self._data_bytes()

    def settle(self) -> None:
        self._catch_up()

    def read_register(self, reg: int) -> int:
        if REG_DATA <= reg < REG_DATA + 8:
            return self._shadow[reg - REG_DATA]
        if reg in self._nvm:
            return self._nvm[reg]
        return {REG_ID: CHIP_ID, REG_CTRL_HUM: self._ctrl_hum, REG_STATUS: self._status(),
                REG_CTRL_MEAS: self._ctrl_meas, REG_CONFIG: self._config}.get(reg, 0x00)

    def write_register(self, reg: int, value: int) -> None:
        self._catch_up()
        if reg == REG_RESET and value == RESET_WORD:
            self.reset()
        elif reg == REG_CTRL_HUM:
            self._ctrl_hum = value & 0x07
        elif reg == REG_CTRL_MEAS:
            self._start(value)
        elif reg == REG_CONFIG and self._ctrl_meas & 0x03 != MODE_NORMAL:
            self._config = value & 0xFD     # bit 1 is reserved

    def spi_command(self, byte: int) -> tuple[int, bool, bool]:
        read = bool(byte & 0x80)
        return byte | 0x80, read, read

    # ------------------------------------------------------------ measurements
    def _start(self, ctrl_meas: int) -> None:
        """A write to ctrl_meas: latch the settings, (re)start a forced or normal cycle."""
        self._ctrl_meas = ctrl_meas
        self._settings = _Settings(os_t=OVERSAMPLING[ctrl_meas >> 5],
                                   os_p=OVERSAMPLING[(ctrl_meas >> 2) & 0x07],
                                   os_h=OVERSAMPLING[self._ctrl_hum],
                                   filtered=bool(self._config & 0x1C))
        self._started_ns = self.now_ns()
        self._measured_until = -1

    def _period_ns(self) -> int:
        return self._settings.duration_ns() + STANDBY_NS[self._config >> 5]

    def _catch_up(self) -> None:
        """Take the last measurement that has ended by now, if not taken yet."""
        mode = self._ctrl_meas & 0x03
        if mode == MODE_SLEEP:
            return
        elapsed = self.now_ns() - self._started_ns - self._settings.duration_ns()
        if elapsed < 0:
            return
        if mode == MODE_NORMAL:
            end = self.now_ns() - elapsed % self._period_ns()
        else:
            end = self._started_ns + self._settings.duration_ns()
            self._ctrl_meas &= ~0x03        # forced: back to sleep
        if end > self._measured_until:
            self._measure(end)
            self._measured_until = end

    def _measure(self, t_ns: int) -> None:
        s, cal = self._settings, self.CALIBRATION
        adc_t = adc_p = SKIPPED_20BIT
        adc_h = SKIPPED_16BIT
        if s.os_t:
            adc_t = _invert(lambda c: compensate_temperature(c, cal)[0],
                            round(self.sample("temperature_c", t_ns) * 100), s.bits(s.os_t))
        t_fine = compensate_temperature(adc_t, cal)[1]
        if s.os_p:                                  # pressure falls as its code rises
            adc_p = _invert(lambda c: -compensate_pressure(c, t_fine, cal),
                            -self.sample("pressure_pa", t_ns) * 256, s.bits(s.os_p))
        if s.os_h:
            adc_h = _invert(lambda c: compensate_humidity(c, t_fine, cal),
                            self.sample("humidity_pct", t_ns) * 1024, 16, width=16)
        self._adc = (adc_p, adc_t, adc_h)

    def _data_bytes(self) -> tuple[int, ...]:
        adc_p, adc_t, adc_h = self._adc
        return (adc_p >> 12, (adc_p >> 4) & 0xFF, (adc_p & 0x0F) << 4,
                adc_t >> 12, (adc_t >> 4) & 0xFF, (adc_t & 0x0F) << 4,
                adc_h >> 8, adc_h & 0xFF)

    def _status(self) -> int:
        now = self.now_ns()
        updating = now - self._reset_ns < STARTUP_NS
        mode = self._ctrl_meas & 0x03
        since = now - self._started_ns
        if mode == MODE_SLEEP:
            measuring = False
        elif mode == MODE_NORMAL:
            measuring = since % self._period_ns() < self._settings.duration_ns()
        else:
            measuring = since < self._settings.duration_ns()
        return (0x08 if measuring else 0) | (0x01 if updating else 0)


class Bme280(Bme280Chip, I2cRegisters):
    """A BME280 on I2C (SDO selects 0x76 or 0x77)."""

    MODEL = "bme280"
    PROPERTIES = {**Bme280Chip.PROPERTIES,
                  "address": Prop(0x76, 0x76, 0x77, "I2C address (SDO low 0x76, high 0x77)",
                                  int)}


class Bme280Spi(Bme280Chip, SpiRegisters):
    """A BME280 on 4-wire SPI."""

    MODEL = "bme280_spi"
