"""The LIS3DH model (avmsim.peripherals.lis3dh) against ST's data sheet (DocID17530): identity,
sensitivities per full scale and mode (table 4), left-justified outputs, clipping, the
sub-address auto-increment rule, STATUS_REG, BDU, on I2C and SPI."""
from __future__ import annotations

import pytest
from avmsim.peripherals.device_model import PropertyError
from avmsim.peripherals.device_models import DEVICE_MODELS
from avmsim.peripherals.i2c import I2cBus
from avmsim.peripherals.lis3dh import Lis3dh, Lis3dhSpi
from avmsim.peripherals.spi import SpiBus
from avmsim.trace import TraceBus

MS = 1_000_000
WHO_AM_I, CTRL_REG1, CTRL_REG4, STATUS_REG, OUT_X_L = 0x0F, 0x20, 0x23, 0x27, 0x28
AUTO = 0x80                        # I2C sub-address MSB: auto-increment
ODR_100HZ_XYZ = 0x57               # ODR 0101 (100 Hz), normal power, Z/Y/X enabled


class Clock:
    def __init__(self) -> None:
        self.t = 0

    def __call__(self) -> int:
        return self.t


def write(dev: Lis3dh, sub: int, *data: int) -> None:
    dev.i2c_start(False)
    dev.i2c_write(sub)
    for byte in data:
        assert dev.i2c_write(byte)
    dev.i2c_stop()


def read(dev: Lis3dh, sub: int, count: int) -> list[int]:
    dev.i2c_start(False)
    dev.i2c_write(sub)
    dev.i2c_start(True)
    data = [dev.i2c_read() for _ in range(count)]
    dev.i2c_stop()
    return data


def axes(data: list[int]) -> list[int]:
    """OUT_X_L..OUT_Z_H as three signed 16-bit words, low byte first."""
    return [int.from_bytes(bytes(data[i:i + 2]), "little", signed=True) for i in (0, 2, 4)]


def running(ctrl4: int = 0x08, ctrl1: int = ODR_100HZ_XYZ, **props: float) -> tuple[Lis3dh,
                                                                                      Clock]:
    """A LIS3DH converting at 100 Hz (high resolution, ±2 g by default), one sample in."""
    clock = Clock()
    dev = Lis3dh("acc", props, now_ns=clock)
    write(dev, CTRL_REG4, ctrl4)
    write(dev, CTRL_REG1, ctrl1)
    clock.t += 10 * MS
    return dev, clock


def test_who_am_i_over_i2c_and_spi() -> None:
    assert read(Lis3dh("acc"), WHO_AM_I, 1) == [0x33]
    dev = Lis3dhSpi("acc")
    dev.spi_select()
    assert [dev.spi_exchange(b) for b in (0x80 | WHO_AM_I, 0x00)] == [0xFF, 0x33]
    dev.spi_deselect()


def test_power_on_control_registers() -> None:
    # CTRL_REG0 0x10, CTRL_REG1 0x07 (power-down, X/Y/Z enabled), CTRL_REG2..6 0x00
    assert read(Lis3dh("acc"), 0x1E | AUTO, 1) == [0x10]
    assert read(Lis3dh("acc"), CTRL_REG1 | AUTO, 6) == [0x07, 0, 0, 0, 0, 0]


def test_one_g_at_2g_high_resolution_is_1000_digits_of_1_mg_left_justified() -> None:
    dev, _ = running()
    # 12-bit, 1 mg/digit: 1000 digits << 4 = 16000 (default x, y, z = 0, 0, 1 g)
    assert axes(read(dev, OUT_X_L | AUTO, 6)) == [0, 0, 16000]


@pytest.mark.parametrize(("ctrl1", "ctrl4", "g", "word"), [
    # (mode bits, FS/HR bits, g, expected word): table 4 sensitivities, 12/10/8-bit outputs
    (ODR_100HZ_XYZ, 0x18, 1.0, 500 << 4),           # ±4 g, HR: 2 mg/digit
    (ODR_100HZ_XYZ, 0x28, -1.0, -250 << 4),         # ±8 g, HR: 4 mg/digit
    (ODR_100HZ_XYZ, 0x38, 1.2, 100 << 4),           # ±16 g, HR: 12 mg/digit
    (ODR_100HZ_XYZ, 0x00, 1.0, 250 << 6),           # ±2 g, normal: 4 mg/digit, 10 bits
    (ODR_100HZ_XYZ, 0x20, 2.0, 125 << 6),           # ±8 g, normal: 16 mg/digit
    (ODR_100HZ_XYZ, 0x30, -0.96, -20 << 6),         # ±16 g, normal: 48 mg/digit
    (ODR_100HZ_XYZ | 0x08, 0x00, 0.8, 50 << 8),     # ±2 g, low power: 16 mg/digit, 8 bits
    (ODR_100HZ_XYZ | 0x08, 0x10, -0.64, -20 << 8),  # ±4 g, low power: 32 mg/digit
    (ODR_100HZ_XYZ | 0x08, 0x30, 3.84, 20 << 8),    # ±16 g, low power: 192 mg/digit
])
def test_sensitivity_table(ctrl1: int, ctrl4: int, g: float, word: int) -> None:
    dev, _ = running(ctrl4, ctrl1, x_g=g)
    assert axes(read(dev, OUT_X_L | AUTO, 6))[0] == word


@pytest.mark.parametrize(("ctrl4", "g", "word"), [
    (0x08, 3.0, 2000 << 4),                  # ±2 g HR: clips at +2 g
    (0x08, -5.0, -2000 << 4),
    (0x38, 20.0, 1333 << 4),                 # ±16 g HR: 16 g / 12 mg = 1333 digits
    (0x00, 2.5, 500 << 6),                   # ±2 g normal
])
def test_values_clip_at_full_scale(ctrl4: int, g: float, word: int) -> None:
    dev, _ = running(ctrl4, x_g=g)
    assert axes(read(dev, OUT_X_L | AUTO, 6))[0] == word


def test_i2c_reads_one_register_unless_the_sub_address_msb_is_set() -> None:
    dev, _ = running(x_g=0.5)
    same = read(dev, OUT_X_L, 6)
    assert same == [same[0]] * 6                            # OUT_X_L six times
    assert read(dev, OUT_X_L | AUTO, 2) == list((8000).to_bytes(2, "little"))


def test_i2c_writes_auto_increment_with_the_msb_too() -> None:
    dev = Lis3dh("acc")
    write(dev, CTRL_REG1 | AUTO, 0x47, 0x00, 0x40, 0x88)
    assert read(dev, CTRL_REG1 | AUTO, 4) == [0x47, 0x00, 0x40, 0x88]
    write(dev, 0x21, 0x11, 0x22)                            # no MSB: both bytes to 0x21
    assert read(dev, 0x21 | AUTO, 2) == [0x22, 0x40]


def test_spi_ms_bit_selects_auto_increment() -> None:
    clock = Clock()
    dev = Lis3dhSpi("acc", {"y_g": -1.0}, now_ns=clock)
    dev.spi_select()
    for byte in (0x40 | CTRL_REG1, ODR_100HZ_XYZ, 0x00, 0x00, 0x08):   # write, MS
        dev.spi_exchange(byte)
    dev.spi_deselect()
    clock.t += 10 * MS
    dev.spi_select()
    burst = [dev.spi_exchange(b) for b in (0xC0 | OUT_X_L, 0, 0, 0, 0, 0, 0)]
    dev.spi_deselect()
    assert axes(burst[1:]) == [0, -16000, 16000]
    dev.spi_select()
    single = [dev.spi_exchange(b) for b in (0x80 | (OUT_X_L + 2), 0, 0)]
    dev.spi_deselect()
    assert single[1:] == [burst[3], burst[3]]               # no MS: OUT_Y_L twice


def test_status_data_available_cleared_by_reading_and_overrun() -> None:
    clock = Clock()
    dev = Lis3dh("acc", now_ns=clock)
    assert read(dev, STATUS_REG, 1) == [0x00]               # power-down: nothing
    write(dev, CTRL_REG1, ODR_100HZ_XYZ)
    clock.t += 9 * MS
    assert read(dev, STATUS_REG, 1) == [0x00]               # first sample after 1/ODR
    clock.t += 1 * MS
    assert read(dev, STATUS_REG, 1) == [0x0F]               # ZYXDA, ZDA, YDA, XDA
    read(dev, OUT_X_L | AUTO, 4)                            # X and Y read, not Z
    assert read(dev, STATUS_REG, 1) == [0x0C]
    read(dev, OUT_X_L | AUTO, 6)
    assert read(dev, STATUS_REG, 1) == [0x00]
    clock.t += 20 * MS                                      # two samples, none read
    assert read(dev, STATUS_REG, 1) == [0xFF]               # overrun on every axis


def test_disabled_axes_read_zero_and_raise_no_flags() -> None:
    dev, _ = running(ctrl1=0x54, z_g=1.0)                   # Z only
    assert axes(read(dev, OUT_X_L | AUTO, 6)) == [0, 0, 16000]
    dev2, _ = running(ctrl1=0x53)                           # X and Y only
    assert read(dev2, STATUS_REG, 1) == [0x0B]
    assert axes(read(dev2, OUT_X_L | AUTO, 6))[2] == 0


def test_samples_follow_a_schedule_at_the_output_data_rate() -> None:
    clock = Clock()
    dev = Lis3dh("acc", {"x_g": [[0, 0.0], [1, 1.0]]}, now_ns=clock)
    write(dev, CTRL_REG4, 0x08)
    write(dev, CTRL_REG1, 0x27)                             # 10 Hz
    clock.t = 549 * MS                                      # newest sample: 500 ms
    assert axes(read(dev, OUT_X_L | AUTO, 6))[0] == 500 << 4


def test_bdu_keeps_the_high_byte_with_the_low_byte_read_before_it() -> None:
    dev, clock = running(ctrl4=0x88, x_g=0.3)               # BDU, HR, ±2 g
    low = read(dev, OUT_X_L, 1)
    dev.set(x_g=-0.7)
    clock.t += 10 * MS                                      # a new sample meanwhile
    high = read(dev, OUT_X_L + 1, 1)
    assert axes(low + high + [0] * 4)[0] == 300 << 4
    assert axes(read(dev, OUT_X_L | AUTO, 6))[0] == -700 << 4


def test_ble_puts_the_high_byte_first_in_high_resolution() -> None:
    dev, _ = running(ctrl4=0x48, x_g=0.5)                   # BLE, HR
    assert read(dev, OUT_X_L | AUTO, 2) == list((8000).to_bytes(2, "big"))


def test_properties_and_address() -> None:
    assert Lis3dh("acc").values() == {"x_g": 0.0, "y_g": 0.0, "z_g": 1.0, "address": 0x18}
    assert Lis3dh("acc", {"address": 0x19}).address() == 0x19
    with pytest.raises(PropertyError, match="address"):
        Lis3dh("acc", {"address": 0x1A})
    assert DEVICE_MODELS["lis3dh"] is Lis3dh and DEVICE_MODELS["lis3dh_spi"] is Lis3dhSpi


def test_through_the_i2c_bus() -> None:
    clock = Clock()
    bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(clock), clock)
    bus.attach(Lis3dh("acc", {"address": 0x19, "z_g": -1.0}))
    assert bus.transfer(0x19, bytes([WHO_AM_I]), read=1).data == b"\x33"
    bus.transfer(0x19, bytes([CTRL_REG1 | AUTO, ODR_100HZ_XYZ, 0, 0, 0x08]))
    clock.t += 20 * MS
    data = bus.transfer(0x19, bytes([OUT_X_L | AUTO]), read=6).data
    assert axes(list(data)) == [0, 0, -16000]


def test_through_the_spi_bus() -> None:
    clock = Clock()
    bus = SpiBus("spi:GPIO18/GPIO23/GPIO19", TraceBus(clock), clock, lambda _pin: 1)
    bus.attach(Lis3dhSpi("acc"), "GPIO5")
    assert bus.transfer("GPIO5", bytes([0x8F, 0]), 1_000_000).miso == b"\xff\x33"


def test_a_property_set_later_does_not_change_a_sample_already_taken() -> None:
    dev, clock = running(x_g=0.25)                          # sample 1 at 10 ms
    clock.t += 5 * MS
    dev.set(x_g=0.75)
    assert axes(read(dev, OUT_X_L | AUTO, 6))[0] == 250 << 4
    clock.t += 5 * MS                                       # sample 2 sees the new value
    assert axes(read(dev, OUT_X_L | AUTO, 6))[0] == 750 << 4
