"""The SHT31 model (avmsim.peripherals.sht31) against the SHT3x-DIS datasheet: CRC example,
conversion formula, NACK while converting, clock stretching, status register, timing."""
from __future__ import annotations

import pytest
from avmsim.peripherals.device_model import PropertyError
from avmsim.peripherals.i2c import I2cBus
from avmsim.peripherals.sht31 import Sht31, crc8
from avmsim.trace import TraceBus

MS = 1_000_000


class Rig:
    """An SHT31 at 0x44 on a bus whose board clock the test moves."""

    def __init__(self, **props: object) -> None:
        self.t = 0
        self.bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(lambda: self.t), lambda: self.t)
        self.sensor = Sht31("env", props)
        self.bus.attach(self.sensor)

    def command(self, code: int, freq_hz: int = 100_000):
        result = self.bus.transfer(0x44, write=code.to_bytes(2, "big"), freq_hz=freq_hz)
        self.t += result.duration_ns
        return result

    def read(self, count: int, freq_hz: int = 100_000):
        result = self.bus.transfer(0x44, read=count, freq_hz=freq_hz)
        self.t += result.duration_ns
        return result

    def wait_ms(self, ms: float) -> None:
        self.t += round(ms * MS)


def words(data: bytes) -> list[int]:
    """16-bit words of a reply, each checked against its CRC byte."""
    out = []
    for i in range(0, len(data), 3):
        assert crc8(data[i:i + 2]) == data[i + 2], f"bad CRC at byte {i + 2}"
        out.append(int.from_bytes(data[i:i + 2], "big"))
    return out


def test_crc_matches_the_datasheet_example() -> None:
    assert crc8(b"\xbe\xef") == 0x92        # section 4.12: CRC(0xBEEF) = 0x92
    assert crc8(b"") == 0xFF                # initialisation value


def test_a_measurement_follows_the_conversion_formulas() -> None:
    rig = Rig(temperature_c=25.0, humidity_pct=40.0)
    rig.command(0x2400)
    rig.wait_ms(15)
    t_raw, rh_raw = words(rig.read(6).data)
    # T = -45 + 175 * S / 65535 -> 25.0 C is S = 0.4 * 65535 = 26214 = 0x6666;
    # RH = 100 * S / 65535 -> 40 % is S = 0x6666 as well
    assert (t_raw, rh_raw) == (0x6666, 0x6666)


@pytest.mark.parametrize("celsius, percent", [(-40.0, 0.0), (21.37, 63.2), (125.0, 100.0)])
def test_readings_decode_to_the_set_values_within_one_lsb(celsius: float,
                                                          percent: float) -> None:
    rig = Rig(temperature_c=celsius, humidity_pct=percent)
    rig.command(0x2C06)
    t_raw, rh_raw = words(rig.read(6).data)
    assert abs(-45 + 175 * t_raw / 65535 - celsius) <= 175 / 65535 / 2
    assert abs(100 * rh_raw / 65535 - percent) <= 100 / 65535 / 2


@pytest.mark.parametrize("command, max_ms", [(0x2400, 15), (0x240B, 6), (0x2416, 4)])
def test_a_read_header_during_the_conversion_is_nacked(command: int, max_ms: int) -> None:
    rig = Rig()
    rig.command(command)
    rig.wait_ms(max_ms - 1)
    assert not rig.read(6).ack           # still converting (no clock stretching)
    rig.wait_ms(1)
    result = rig.read(6)
    assert result.ack and len(result.data) == 6
    assert not rig.read(6).ack           # the data is read once


def test_a_read_with_no_measurement_asked_for_is_nacked() -> None:
    assert not Rig().read(6).ack


def test_clock_stretching_holds_the_read_until_the_conversion_ends() -> None:
    rig = Rig()
    rig.command(0x2C06)                   # the conversion starts at the command's last byte
    read = rig.read(6)                    # at once: ACK, then SCL held low
    assert read.ack and len(read.data) == 6
    # command's last byte at (1 + 9 + 18) clocks, + 15 ms conversion (max, high
    # repeatability), then the 6 bytes and the STOP: 6 * 9 + 1 clocks
    assert rig.t == 28 * 10_000 + 15 * MS + 55 * 10_000


@pytest.mark.parametrize("freq_hz, command_ns, read_ns", [
    (100_000, 290_000, 650_000),          # 29 and 65 clocks of 10 us
    (400_000, 72_500, 162_500),           # the same clocks of 2.5 us
])
def test_transaction_times_on_the_wire(freq_hz: int, command_ns: int, read_ns: int) -> None:
    rig = Rig()
    # START + address + 2 command bytes + STOP = 1 + 9 + 18 + 1 clocks
    assert rig.command(0x2400, freq_hz).duration_ns == command_ns
    rig.wait_ms(15)
    # START + address + 6 bytes + STOP = 1 + 9 + 54 + 1 clocks
    assert rig.read(6, freq_hz).duration_ns == read_ns


def status(rig: Rig) -> int:
    rig.command(0xF32D)
    reply = rig.read(3)
    assert reply.ack
    return words(reply.data)[0]


def test_status_register_at_power_on_clear_heater_and_soft_reset() -> None:
    rig = Rig()
    assert status(rig) == 0x8010          # alert pending, reset detected
    rig.command(0x3041)
    assert status(rig) == 0x0000          # clear status
    rig.command(0x306D)
    assert status(rig) == 0x2000          # heater on (bit 13)
    rig.command(0x3066)
    assert status(rig) == 0x0000
    rig.command(0x1234)
    assert status(rig) == 0x0002          # last command not processed (bit 1)
    rig.command(0x30A2)                   # soft reset: nothing answers for tSR = 1.5 ms
    assert not rig.bus.transfer(0x44).ack
    rig.wait_ms(1.5)
    assert status(rig) == 0x8010


def test_address_is_0x44_or_0x45() -> None:
    rig = Rig(address=0x45)
    assert not rig.bus.transfer(0x44).ack and rig.bus.transfer(0x45).ack
    with pytest.raises(PropertyError, match="address"):
        Sht31("bad", {"address": 0x46})
    with pytest.raises(PropertyError, match="temperature_c"):
        Sht31("bad", {"temperature_c": 200.0})


def fetch(rig: Rig):
    rig.command(0xE000)
    return rig.read(6)


def test_periodic_mode_gives_one_new_measurement_per_period() -> None:
    rig = Rig(temperature_c=25.0)
    rig.command(0x2130)                   # 1 measurement per second, high repeatability
    rig.wait_ms(10)
    assert not fetch(rig).ack             # the first conversion (15 ms) is not done
    rig.wait_ms(5)
    first = fetch(rig)
    assert first.ack and words(first.data)[0] == 0x6666
    assert not fetch(rig).ack             # read out: nothing new until the next period
    rig.sensor.set(temperature_c=-45.0 + 175.0 * 0x8000 / 65535)
    rig.wait_ms(1000)
    assert words(fetch(rig).data)[0] == 0x8000
    rig.command(0x3093)                   # break: back to single shot mode
    rig.wait_ms(2000)
    assert not fetch(rig).ack
