"""Bus transfers in the VCD decode, with sigrok's own I2C and SPI decoders, as the transfers
that were published: address, R/W, data bytes, ACK/NACK, repeated START, every SPI mode.

sigrok-cli is the reference here (a logic analyser's software reading the file as it would
read a capture); it is a required tool (scripts/setup.sh installs it), so its absence fails
these tests rather than skipping them.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from avmsim.trace import TraceBus
from avmsim.vcd_writer import VcdWriter

from helpers import avmsim, compile_erl

I2C_BUS = "i2c:GPIO21/GPIO22"             # SDA, SCL
SPI_BUS = "spi:GPIO18/GPIO23/GPIO19"      # SCLK, MOSI, MISO
PINS = ["GPIO2", "GPIO5", "GPIO18", "GPIO19", "GPIO21", "GPIO22", "GPIO23"]
US = 1_000
MS = 1_000_000
# long idle stretches (the millisecond an app sleeps) are compressed to 100 us of samples,
# which keeps sigrok's sample count small at a 1 ns timescale
VCD_INPUT = "vcd:compress=100000"


def sigrok(vcd: Path, decoder: str, annotations: str) -> list[str]:
    """What ``sigrok-cli`` decodes in ``vcd``, one annotation a line, prefixes removed."""
    exe = shutil.which("sigrok-cli")
    assert exe, "sigrok-cli is missing: run scripts/setup.sh (Debian package sigrok-cli)"
    result = subprocess.run([exe, "-I", VCD_INPUT, "-i", str(vcd), "-P", decoder,
                             "-A", annotations], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [line.split(": ", 1)[1] for line in result.stdout.splitlines()]


def write_vcd(path: Path, transfers: list[tuple[int, str, str, dict]]) -> Path:
    """A VCD of ``(t_ns, kind, bus, value)`` events published on a trace bus, as a run
    would publish them, with a GPIO toggling on another core in between."""
    now = [0]
    bus = TraceBus(lambda: now[0])
    writer = VcdWriter(path, PINS, {"GPIO2": 0, "GPIO5": 1})
    writer.attach(bus)
    for i, (t_ns, kind, source, value) in enumerate(transfers):
        now[0] = t_ns
        bus.publish(kind, source, value)
        bus.publish("pin", "GPIO2", (i + 1) % 2, t_ns=t_ns + 3 * US)   # mid-transfer
    writer.close(transfers[-1][0] + 10 * MS)
    return path


def i2c(addr: int, write: bytes, read: bytes, ack: bool = True,
        freq_hz: int = 100_000) -> dict:
    """An ``i2c`` event value lasting what the contract says: 9 clocks a byte (the address
    bytes included), one each for START, repeated START and STOP."""
    clocks = 2 + 9 * (1 + len(write)) + (9 * (1 + len(read)) + (1 if write else 0)
                                         if read else 0)
    return {"addr": addr, "write": write, "read": read, "ack": ack, "freq_hz": freq_hz,
            "duration_ns": clocks * 1_000_000_000 // freq_hz}


def decode_i2c(path: Path) -> list[str]:
    return sigrok(path, "i2c:scl=GPIO22_SCL:sda=GPIO21_SDA", "i2c=addr-data")


def test_sht31_single_shot_measurement_decodes(tmp_path: Path) -> None:
    # SHT3x datasheet: single shot, high repeatability, no clock stretching = 0x2400 to
    # address 0x44; after the measurement, 6 bytes: temperature MSB LSB CRC, humidity MSB
    # LSB CRC (0xBEEF has CRC 0x92, the datasheet's CRC example)
    reading = bytes([0xBE, 0xEF, 0x92, 0xBE, 0xEF, 0x92])
    vcd = write_vcd(tmp_path / "sht31.vcd", [
        (2 * MS, "i2c", I2C_BUS, i2c(0x44, b"\x24\x00", b"")),
        (18 * MS, "i2c", I2C_BUS, i2c(0x44, b"", reading)),
    ])
    assert decode_i2c(vcd) == [
        "Start", "Write", "Address write: 44", "ACK",
        "Data write: 24", "ACK", "Data write: 00", "ACK", "Stop",
        "Start", "Read", "Address read: 44", "ACK",
        "Data read: BE", "ACK", "Data read: EF", "ACK", "Data read: 92", "ACK",
        "Data read: BE", "ACK", "Data read: EF", "ACK", "Data read: 92", "NACK", "Stop"]


def test_repeated_start_and_nacked_addresses(
        tmp_path: Path) -> None:
    vcd = write_vcd(tmp_path / "regs.vcd", [
        (1 * MS, "i2c", I2C_BUS, i2c(0x50, b"\x00\x10", b"\x12\x34", freq_hz=400_000)),
        (3 * MS, "i2c", I2C_BUS, i2c(0x3C, b"", b"", ack=False)),
        # written, then the read address refused (a chip busy after the write)
        (5 * MS, "i2c", I2C_BUS, {**i2c(0x50, b"\x00", b"\x00"), "read": b"", "ack": False}),
    ])
    assert decode_i2c(vcd) == [
        "Start", "Write", "Address write: 50", "ACK",
        "Data write: 00", "ACK", "Data write: 10", "ACK",
        "Start repeat", "Read", "Address read: 50", "ACK",
        "Data read: 12", "ACK", "Data read: 34", "NACK", "Stop",
        "Start", "Write", "Address write: 3C", "NACK", "Stop",
        "Start", "Write", "Address write: 50", "ACK", "Data write: 00", "ACK",
        "Start repeat", "Read", "Address read: 50", "NACK", "Stop"]


@pytest.mark.parametrize("mode", [0, 1, 2, 3])
def test_spi_transfer_decodes_in_every_mode(tmp_path: Path, mode: int) -> None:
    # a SPI flash's JEDEC ID read: 0x9F out, manufacturer and device bytes back
    value = {"cs": "GPIO5", "device": "flash", "mosi": b"\x9f\x00\x00\x00",
             "miso": b"\xff\xef\x40\x18", "mode": mode, "freq_hz": 1_000_000,
             "duration_ns": 32 * US}
    vcd = write_vcd(tmp_path / f"spi{mode}.vcd", [(1 * MS, "spi", SPI_BUS, value),
                                                  (2 * MS, "spi", SPI_BUS, value)])
    decoded = sigrok(vcd, f"spi:clk=GPIO18_SCLK:mosi=GPIO23_MOSI:miso=GPIO19_MISO:"
                          f"cs=GPIO5_CS:cpol={mode >> 1}:cpha={mode & 1}",
                     "spi=mosi-transfer:miso-transfer")
    assert decoded == ["FF EF 40 18", "9F 00 00 00"] * 2


SHT31_APP = """-module(sht31_vcd).
-export([start/0]).
start() ->
    I2C = i2c:open([{scl, 22}, {sda, 21}, {clock_speed_hz, 100000}]),
    ok = i2c:write_bytes(I2C, 16#44, <<16#24, 16#00>>),
    timer:sleep(20),
    {ok, Data} = i2c:read_bytes(I2C, 16#44, 6),
    io:format("~w~n", [binary_to_list(Data)]).
"""
SHT31_PARTS = """[[i2c_device]]
name = "env"
model = "sht31"
sda = "GPIO21"
scl = "GPIO22"
temperature_c = 21.5
humidity_pct = 40.0
"""


def test_an_app_reading_an_sht31_decodes_from_the_run_vcd(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "sht31_vcd", SHT31_APP)
    (tmp_path / "parts.toml").write_text(SHT31_PARTS)
    vcd = tmp_path / "run.vcd"
    result = avmsim("--headless", "--timeout", "1s", "--parts", str(tmp_path / "parts.toml"),
                    "--vcd", str(vcd), str(beam))
    assert result.returncode == 0, result.stderr
    received = [f"{b:02X}" for b in map(int, result.stdout.strip()[1:-1].split(","))]
    # SHT3x datasheet 4.13: RH = 100 * S / (2^16 - 1), so 40 % is 0x6666
    assert received[3:5] == ["66", "66"]
    decoded = decode_i2c(vcd)
    assert decoded[:9] == ["Start", "Write", "Address write: 44", "ACK", "Data write: 24",
                           "ACK", "Data write: 00", "ACK", "Stop"]
    assert decoded[9:13] == ["Start", "Read", "Address read: 44", "ACK"]
    assert [d.removeprefix("Data read: ") for d in decoded[13:-1:2]] == received
    assert decoded[14:-1:2] == ["ACK"] * 5 + ["NACK"] and decoded[-1] == "Stop"
