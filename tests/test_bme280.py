"""The BME280 model (avmsim.peripherals.bme280) against the Bosch data sheets: the worked
compensation example, trimming-parameter packing, raw codes that compensate back to the
properties, measurement timing, register protocol on I2C and SPI."""
from __future__ import annotations

from dataclasses import replace

import pytest
from avmsim.peripherals.bme280 import (CALIBRATION, Bme280, Bme280Spi, compensate_humidity,
                                       compensate_pressure, compensate_temperature)
from avmsim.peripherals.device_model import PropertyError
from avmsim.peripherals.device_models import DEVICE_MODELS
from avmsim.peripherals.i2c import I2cBus
from avmsim.peripherals.spi import SpiBus
from avmsim.trace import TraceBus

MS = 1_000_000
CTRL_HUM, STATUS, CTRL_MEAS, CONFIG, DATA = 0xF2, 0xF3, 0xF4, 0xF5, 0xF7


class Clock:
    def __init__(self) -> None:
        self.t = 0

    def __call__(self) -> int:
        return self.t


def write(dev: Bme280, *pairs: int) -> None:
    """One I2C write transfer of (register, value) pairs."""
    dev.i2c_start(False)
    for byte in pairs:
        assert dev.i2c_write(byte)
    dev.i2c_stop()


def read(dev: Bme280, reg: int, count: int) -> list[int]:
    """Register pointer write, repeated START, burst read."""
    dev.i2c_start(False)
    dev.i2c_write(reg)
    dev.i2c_start(True)
    data = [dev.i2c_read() for _ in range(count)]
    dev.i2c_stop()
    return data


def raw_codes(data: list[int]) -> tuple[int, int, int]:
    """(adc_P, adc_T, adc_H) from the 8 data bytes 0xF7..0xFE (data sheet 4.2.1, table 18)."""
    adc_p = (data[0] << 12) | (data[1] << 4) | (data[2] >> 4)
    adc_t = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4)
    return adc_p, adc_t, (data[6] << 8) | data[7]


def s16(lsb: int, msb: int) -> int:
    value = lsb | (msb << 8)
    return value - 0x10000 if value & 0x8000 else value


def s12(value: int) -> int:
    return value - 0x1000 if value & 0x800 else value


# ---------------------------------------------------------------- compensation formulas
def test_worked_example_temperature() -> None:
    # BMP280 data sheet 3.12: adc_T = 519888 gives t_fine = 128422 and T = 25.08 °C
    assert compensate_temperature(519888, CALIBRATION) == (2508, 128422)


def test_worked_example_pressure() -> None:
    # same example: adc_P = 415148 gives p = 100653.27 Pa (computed there in double
    # precision; the 64-bit integer formula's result is within a few hundredths of a Pa)
    assert compensate_pressure(415148, 128422, CALIBRATION) / 256 == pytest.approx(
        100653.27, abs=0.05)


def test_humidity_formula_against_a_published_device_dump() -> None:
    # Bosch Sensortec community, "BME280 Data to test Calculations" (2019): calibration
    # bytes 6C 6E 77 66 32 00 … and H1=0x4B, E1..E7 = 65 01 00 14 0B 00 1E; raw temperature
    # 81 7F B0 and humidity 79 13 read +24.44 °C and 54.17 %RH
    cal = replace(CALIBRATION, T1=0x6E6C, T2=0x6677, T3=0x0032,
                  H1=0x4B, H2=0x0165, H3=0x00, H4=(0x14 << 4) | 0x0B & 0x0F, H5=0x0B >> 4,
                  H6=0x1E)
    centi, t_fine = compensate_temperature((0x81 << 12) | (0x7F << 4) | (0xB0 >> 4), cal)
    assert centi == 2444
    assert compensate_humidity(0x7913, t_fine, cal) / 1024 == pytest.approx(54.17, abs=0.01)


# ---------------------------------------------------------------- trimming parameters
def test_trimming_registers_hold_the_example_calibration_as_the_data_sheet_packs_it() -> None:
    dev = Bme280("env")
    low = read(dev, 0x88, 26)
    words = [s16(low[i], low[i + 1]) for i in range(0, 24, 2)]
    words[0] &= 0xFFFF                                     # dig_T1, dig_P1 are unsigned
    words[3] &= 0xFFFF
    assert words == [27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500,
                     -14600, 6000]
    high = read(dev, 0xE1, 7)
    # the humidity bytes are those of the published dump the humidity values come from
    assert [low[25]] + high == [0x4B, 0x65, 0x01, 0x00, 0x14, 0x0B, 0x00, 0x1E]


def test_h4_h5_are_signed_12_bit_values_split_over_0xe4_0xe6() -> None:
    class Odd(Bme280):
        CALIBRATION = replace(CALIBRATION, H4=-300, H5=-1234, H6=-7)

    e4, e5, e6, e7 = read(Odd("env"), 0xE4, 4)
    assert s12((e4 << 4) | (e5 & 0x0F)) == -300            # dig_H4: E4 [11:4], E5 [3:0]
    assert s12((e6 << 4) | (e5 >> 4)) == -1234             # dig_H5: E6 [11:4], E5 [7:4]
    assert e7 == 0xF9                                      # dig_H6: signed char


# ---------------------------------------------------------------- identity and registers
def test_chip_id_and_reset_values_over_i2c() -> None:
    dev = Bme280("env")
    assert read(dev, 0xD0, 1) == [0x60]
    assert read(dev, CTRL_HUM, 4) == [0x00, 0x01, 0x00, 0x00]   # im_update: start-up
    # data registers before any measurement: 0x80000 / 0x8000 (table 18 reset values)
    assert read(dev, DATA, 8) == [0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00]


def test_chip_id_over_spi_with_the_read_bit() -> None:
    dev = Bme280Spi("env")
    dev.spi_select()
    assert dev.spi_exchange(0xD0) == 0xFF                  # command byte: MISO released
    assert dev.spi_exchange(0x00) == 0x60
    dev.spi_deselect()


def test_spi_writes_are_pairs_of_command_and_value_and_reads_auto_increment() -> None:
    dev = Bme280Spi("env")
    dev.spi_select()
    for byte in (0x72, 0x05, 0x75, 0xA0, 0x74, 0x27):      # 0xF2, 0xF5, 0xF4 with bit 7 = 0
        dev.spi_exchange(byte)
    dev.spi_deselect()
    dev.spi_select()
    dev.spi_exchange(0xF2)
    got = [dev.spi_exchange(0) for _ in range(4)]
    dev.spi_deselect()
    assert got[0] == 0x05 and got[2:] == [0x27, 0xA0]


def test_i2c_write_pairs_and_pointer_survives_the_stop() -> None:
    dev = Bme280("env")
    write(dev, CTRL_HUM, 0x03, CONFIG, 0x10)
    assert read(dev, CTRL_HUM, 1) == [0x03]
    assert read(dev, CTRL_MEAS, 1) == [0x00]
    dev.i2c_start(True)                                    # no pointer write: on from 0xF5
    assert dev.i2c_read() == 0x10
    dev.i2c_stop()


def test_address_property_is_0x76_or_0x77() -> None:
    assert Bme280("env").address() == 0x76
    assert Bme280("env", {"address": 0x77}).address() == 0x77
    with pytest.raises(PropertyError, match="address"):
        Bme280("env", {"address": 0x44})


def test_registry_names_both_buses() -> None:
    assert DEVICE_MODELS["bme280"] is Bme280
    assert DEVICE_MODELS["bme280_spi"] is Bme280Spi


# ---------------------------------------------------------------- measurements
def forced(dev: Bme280, osrs_t: int, osrs_p: int, osrs_h: int) -> None:
    write(dev, CTRL_HUM, osrs_h, CTRL_MEAS, (osrs_t << 5) | (osrs_p << 2) | 0x01)


def test_forced_mode_measures_once_for_the_data_sheet_time_then_sleeps() -> None:
    clock = Clock()
    dev = Bme280("env", now_ns=clock)
    clock.t = 10 * MS                                      # past the start-up (im_update)
    forced(dev, 1, 1, 1)
    # t_measure,max = 1.25 + 2.3·1 + (2.3·1 + 0.575) + (2.3·1 + 0.575) = 9.3 ms (9.1)
    clock.t += 9_299_999
    assert read(dev, STATUS, 2) == [0x08, 0x25]            # measuring, still forced
    assert read(dev, DATA, 3) == [0x80, 0x00, 0x00]        # no result yet
    clock.t += 1
    assert read(dev, STATUS, 2) == [0x00, 0x24]            # done, back to sleep
    assert read(dev, DATA, 3) != [0x80, 0x00, 0x00]


def test_oversampling_x16_lengthens_the_measurement() -> None:
    clock = Clock()
    dev = Bme280("env", now_ns=clock)
    clock.t = 10 * MS
    forced(dev, 5, 5, 5)
    # 1.25 + 2.3·16 + (2.3·16 + 0.575) + (2.3·16 + 0.575) = 112.8 ms
    clock.t += 112_799_999
    assert read(dev, STATUS, 1) == [0x08]
    clock.t += 1
    assert read(dev, STATUS, 1) == [0x00]


@pytest.mark.parametrize(("os_code", "t_tol", "p_tol", "h_tol"), [
    # data sheet resolution: 16 bit (x1) 0.0050 °C, 2.62 Pa; 20 bit (x16) 0.0003 °C,
    # 0.16 Pa; humidity 0.008 %RH; half a step plus the output's quantum (0.01 °C, 1/256 Pa,
    # 1/1024 %RH)
    (1, 0.0075, 1.32, 0.005),
    (5, 0.0052, 0.09, 0.005),
])
@pytest.mark.parametrize(("temp", "press", "hum"), [
    (25.0, 101325.0, 50.0), (-40.0, 30000.0, 0.0), (85.0, 110000.0, 100.0),
    (-12.34, 87654.3, 12.5), (37.77, 100653.27, 99.2),
])
def test_raw_codes_compensate_back_to_the_properties(os_code: int, t_tol: float,
                                                     p_tol: float, h_tol: float, temp: float,
                                                     press: float, hum: float) -> None:
    clock = Clock()
    dev = Bme280("env", {"temperature_c": temp, "pressure_pa": press, "humidity_pct": hum},
                 now_ns=clock)
    forced(dev, os_code, os_code, os_code)
    clock.t += 200 * MS
    adc_p, adc_t, adc_h = raw_codes(read(dev, DATA, 8))
    centi, t_fine = compensate_temperature(adc_t, CALIBRATION)
    assert abs(centi / 100 - temp) <= t_tol
    assert abs(compensate_pressure(adc_p, t_fine, CALIBRATION) / 256 - press) <= p_tol
    assert abs(compensate_humidity(adc_h, t_fine, CALIBRATION) / 1024 - hum) <= h_tol


def test_resolution_follows_oversampling() -> None:
    clock = Clock()
    dev = Bme280("env", now_ns=clock)
    forced(dev, 1, 2, 1)                                   # 16-bit temperature, 17-bit pressure
    clock.t += 50 * MS
    data = read(dev, DATA, 6)
    assert data[5] == 0x00                                 # temp xlsb: 4 low bits unused
    assert data[2] & 0x70 == 0x00                          # press xlsb: 3 low bits unused


def test_skipped_measurements_read_0x80000_and_0x8000() -> None:
    clock = Clock()
    dev = Bme280("env", now_ns=clock)
    forced(dev, 1, 0, 0)
    clock.t += 50 * MS
    data = read(dev, DATA, 8)
    assert data[0:3] == [0x80, 0x00, 0x00] and data[6:8] == [0x80, 0x00]
    assert data[3:6] != [0x80, 0x00, 0x00]


def test_ctrl_hum_takes_effect_at_the_next_ctrl_meas_write() -> None:
    clock = Clock()
    dev = Bme280("env", now_ns=clock)
    write(dev, CTRL_MEAS, 0x25)                            # forced, humidity still skipped
    write(dev, CTRL_HUM, 0x01)
    clock.t += 50 * MS
    assert read(dev, 0xFD, 2) == [0x80, 0x00]
    write(dev, CTRL_MEAS, 0x25)
    clock.t += 50 * MS
    assert read(dev, 0xFD, 2) != [0x80, 0x00]


def test_normal_mode_measures_every_t_measure_plus_standby() -> None:
    clock = Clock()
    dev = Bme280("env", {"temperature_c": [[0, 20.0], [10, 30.0]]}, now_ns=clock)
    write(dev, CONFIG, 0x05 << 5, CTRL_HUM, 0x01, CTRL_MEAS, 0x27)   # t_sb 1000 ms, x1, normal
    # t_measure 9.3 ms; measurements end at 9.3 ms + k · 1009.3 ms
    clock.t = 2_500 * MS
    _, adc_t, _ = raw_codes(read(dev, DATA, 8))
    end_s = 0.0093 + 2 * 1.0093
    assert compensate_temperature(adc_t, CALIBRATION)[0] / 100 == pytest.approx(
        20.0 + end_s, abs=0.0075)
    assert read(dev, CTRL_MEAS, 1) == [0x27]               # normal mode stays
    clock.t = 2 * 1_009_300_000 + 5 * MS                   # inside the third measurement
    assert read(dev, STATUS, 1) == [0x08]
    clock.t = 2 * 1_009_300_000 + 9_300_000                # standby again
    assert read(dev, STATUS, 1) == [0x00]


def test_config_writes_are_ignored_in_normal_mode() -> None:
    dev = Bme280("env")
    write(dev, CTRL_MEAS, 0x27, CONFIG, 0xA0)
    assert read(dev, CONFIG, 1) == [0x00]


def test_a_burst_read_sees_the_data_of_its_start() -> None:
    clock = Clock()
    dev = Bme280("env", {"temperature_c": 20.0}, now_ns=clock)
    write(dev, CTRL_HUM, 0x01, CTRL_MEAS, 0x27)            # normal, t_sb 0.5 ms
    clock.t = 20 * MS
    before = read(dev, DATA, 8)
    dev.i2c_start(False)
    dev.i2c_write(DATA)
    dev.i2c_start(True)
    first = [dev.i2c_read() for _ in range(3)]
    dev.set(temperature_c=30.0)
    clock.t += 50 * MS                                     # several measurements later
    rest = [dev.i2c_read() for _ in range(5)]
    dev.i2c_stop()
    assert first + rest == before
    assert read(dev, DATA, 8)[3:6] != before[3:6]


def test_soft_reset_restores_power_on_state_and_copies_the_nvm() -> None:
    clock = Clock()
    dev = Bme280("env", now_ns=clock)
    clock.t = 10 * MS
    write(dev, CTRL_HUM, 0x01, CTRL_MEAS, 0x27)
    write(dev, 0xE0, 0x12)                                 # only 0xB6 resets
    assert read(dev, CTRL_MEAS, 1) == [0x27]
    write(dev, 0xE0, 0xB6)
    assert read(dev, CTRL_HUM, 3) == [0x00, 0x01, 0x00]    # im_update during start-up
    clock.t += 2 * MS
    assert read(dev, STATUS, 1) == [0x00]
    assert read(dev, 0xE0, 1) == [0x00]


# ---------------------------------------------------------------- through the buses
def test_forced_measurement_through_the_i2c_bus() -> None:
    clock = Clock()
    bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(clock), clock)
    dev = Bme280("env", {"address": 0x77, "temperature_c": 21.5})
    bus.attach(dev)
    assert bus.transfer(0x77, bytes([0xD0]), read=1).data == b"\x60"
    clock.t = 10 * MS
    bus.transfer(0x77, bytes([CTRL_HUM, 0x01, CTRL_MEAS, 0x25]))
    clock.t += 10 * MS
    data = list(bus.transfer(0x77, bytes([DATA]), read=8).data)
    _, adc_t, _ = raw_codes(data)
    assert compensate_temperature(adc_t, CALIBRATION)[0] == 2150


def test_chip_id_through_the_spi_bus() -> None:
    clock = Clock()
    bus = SpiBus("spi:GPIO18/GPIO23/GPIO19", TraceBus(clock), clock, lambda _pin: 1)
    bus.attach(Bme280Spi("env"), "GPIO5")
    assert bus.transfer("GPIO5", bytes([0xD0, 0x00]), 1_000_000).miso == b"\xff\x60"


def test_a_property_set_after_a_measurement_does_not_change_its_result() -> None:
    clock = Clock()
    dev = Bme280("env", {"temperature_c": 20.0}, now_ns=clock)
    forced(dev, 1, 0, 0)
    clock.t += 20 * MS
    dev.set(temperature_c=30.0)
    _, adc_t, _ = raw_codes(read(dev, DATA, 8))
    assert compensate_temperature(adc_t, CALIBRATION)[0] == 2000
