"""Bus chips and analog sources in parts files: the forms, their errors (through the CLI:
exit 2, the file, the part and the key named), the wiring on a board, and the Python API
(``sim.part(name).set(...)``, schedules over virtual time, buses found by their pins)."""
from __future__ import annotations

from pathlib import Path

import pytest
from avmsim.boards import PartsFileError, get_board
from avmsim.boards.parts_file import load_parts_file
from avmsim.simulation import Simulation

from helpers import avmsim, compile_erl

MS = 1_000_000
SHT31 = """
[[i2c_device]]
name = "env"
model = "sht31"
sda = "GPIO4"
scl = "GPIO15"
"""
EEPROM = """
[[i2c_device]]
name = "rom"
model = "at24c32"
sda = "GPIO4"
scl = "GPIO15"
address = 0x50
"""
SPI_CHIP = """
[[spi_device]]
name = "{name}"
model = "generic_spi"
sclk = "GPIO18"
mosi = "GPIO23"
miso = "GPIO19"
cs = "{cs}"
map = "chip.toml"
"""
ANALOG = """
[[analog]]
name = "pot"
pin = "GPIO34"
volts = [[0.0, 0.0], [1.0, 3.3]]
"""
LED4 = '[[led]]\nname = "red"\npin = "GPIO4"\n'
CHIP_MAP = "[[register]]\naddress = 0x0F\nreset = 0x33\n"


def parts_file(tmp_path: Path, text: str) -> Path:
    (tmp_path / "chip.toml").write_text(CHIP_MAP)
    path = tmp_path / "parts.toml"
    path.write_text(text)
    return path


# ----------------------------------------------------------------------------- errors
BAD_PARTS = [
    # (parts file, the part named, the key named)
    (SHT31.replace("sht31", "sht99"), "env", "model"),
    (SHT31.replace('model = "sht31"', 'model = "generic"\nmap = "chip.toml"'), "env",
     "address"),
    (SHT31 + "address = 0x05\n", "env", "address"),
    (EEPROM.replace("at24c32", "generic") + 'map = "chip.toml"\n'
     + EEPROM.replace('"rom"', '"rom2"').replace("at24c32", "generic")
     + 'map = "chip.toml"\n', "rom2", "address"),
    (SHT31.replace("GPIO4", "GPIO99"), "env", "sda"),
    (LED4 + SHT31, "env", "sda"),
    (SHT31 + SPI_CHIP.format(name="a", cs="GPIO15"), "a", "cs"),
    (SPI_CHIP.format(name="a", cs="GPIO5") + SPI_CHIP.format(name="b", cs="GPIO5"), "b", "cs"),
    (SHT31 + "pressure_hpa = 1013.0\n", "env", "pressure_hpa"),
    (SHT31 + "temperature_c = 500.0\n", "env", "temperature_c"),
    (SHT31 + "temperature_c = [[0.0, 1.0, 2.0]]\n", "env", "temperature_c"),
    (SPI_CHIP.format(name="a", cs="GPIO5").replace('cs = "GPIO5"\n', ""), "a", "cs"),
    (SPI_CHIP.format(name="a", cs="GPIO5").replace("generic_spi", "sht31"), "a", "model"),
    (SPI_CHIP.format(name="a", cs="GPIO5").replace('map = "chip.toml"', 'map = "none.toml"'),
     "a", "map"),
    (ANALOG + 'colour = "red"\n', "pot", "colour"),
    (ANALOG.replace("3.3", "5.0"), "pot", "volts"),
    (ANALOG + LED4.replace("GPIO4", "GPIO34"), "red", "pin"),
]


@pytest.mark.parametrize("text, part, key", BAD_PARTS)
def test_bad_device_parts_exit_2_naming_file_part_and_key(tmp_path: Path, text: str,
                                                          part: str, key: str) -> None:
    path = parts_file(tmp_path, text)
    result = avmsim("--headless", "--parts", str(path), "firmware_images/hello_world.avm",
                    timeout=60)
    assert result.returncode == 2, result.stderr
    message = result.stderr
    assert str(path) in message and f"'{part}'" in message and key in message, message
    assert "Traceback" not in message


def test_a_map_error_names_the_map_file_and_its_key(tmp_path: Path) -> None:
    path = parts_file(tmp_path, SPI_CHIP.format(name="a", cs="GPIO5"))
    (tmp_path / "chip.toml").write_text("[[register]]\naddress = 1\nwidth = 16\n")
    with pytest.raises(PartsFileError) as err:
        load_parts_file(path)
    assert str(tmp_path / "chip.toml") in str(err.value) and "width" in str(err.value)


def test_chips_share_their_bus_lines(tmp_path: Path) -> None:
    text = (SHT31 + EEPROM + SPI_CHIP.format(name="a", cs="GPIO5")
            + SPI_CHIP.format(name="b", cs="GPIO17") + ANALOG)
    board = get_board("esp32-devkit").with_parts(load_parts_file(parts_file(tmp_path, text)))
    assert [(d.kind, d.name, d.address) for d in board.devices] == [
        ("i2c_device", "env", 0x44), ("i2c_device", "rom", 0x50),
        ("spi_device", "a", None), ("spi_device", "b", None), ("analog", "pot", None)]
    assert board.devices[2].pins == {"sclk": "GPIO18", "mosi": "GPIO23", "miso": "GPIO19",
                                     "cs": "GPIO5"}


def test_board_files_carry_devices_under_parts() -> None:
    from avmsim.boards import _load
    board_text = (get_board_text("esp32-devkit.toml")
                  + SHT31.replace("[[i2c_device]]", "[[parts.i2c_device]]"))
    board = _load(board_text, "esp32-devkit.toml")
    assert [d.name for d in board.devices] == ["env"]


def get_board_text(name: str) -> str:
    from importlib import resources
    return resources.files("avmsim.boards").joinpath(name).read_text()


# ----------------------------------------------------------------------------- a running board
SLEEPER = """
-module(sleeper).
-export([start/0]).
start() -> timer:sleep(2000), ok.
"""


@pytest.fixture
def sim(tmp_path: Path) -> Simulation:
    text = SHT31 + EEPROM + SPI_CHIP.format(name="a", cs="GPIO5") + ANALOG
    board = get_board("esp32-devkit").with_parts(load_parts_file(parts_file(tmp_path, text)))
    return Simulation(board, [str(compile_erl(tmp_path, "sleeper", SLEEPER))])


def celsius(reply: bytes) -> float:
    return -45 + 175 * int.from_bytes(reply[:2], "big") / 65535   # SHT3x-DIS formula


def measure(sim: Simulation) -> float:
    bus = sim.devices.i2c_bus("GPIO4", "GPIO15")
    bus.transfer(0x44, write=b"\x2c\x06")
    return celsius(bus.transfer(0x44, read=6).data)


def test_part_set_changes_what_the_chip_measures(sim: Simulation) -> None:
    assert measure(sim) == pytest.approx(25.0, abs=0.01)          # the documented default
    events = []
    sim.bus.subscribe(events.append, ("device",))
    sim.part("env").set(temperature_c=30.0)
    assert [(e.kind, e.source, e.value) for e in events] == [
        ("device", "env", {"temperature_c": 30.0})]
    assert measure(sim) == pytest.approx(30.0, abs=0.01)
    assert sim.part("env").values()["temperature_c"] == 30.0
    with pytest.raises(KeyError, match="env"):
        sim.part("nope")


def test_a_schedule_changes_a_reading_over_virtual_time(sim: Simulation) -> None:
    sim.part("env").set(temperature_c=[[0.0, 20.0], [1.0, 30.0]])
    seen: dict[str, float] = {}
    sim.at(500 * MS, lambda: seen.setdefault("t=0.5", measure(sim)))
    sim.at(1500 * MS, lambda: seen.setdefault("t=1.5", measure(sim)))
    sim.run(until_ns=1600 * MS)
    assert seen["t=0.5"] == pytest.approx(25.0, abs=0.02)        # halfway along the ramp
    assert seen["t=1.5"] == pytest.approx(30.0, abs=0.01)        # held after the last point
    volts: list[float] = []
    sim.at(1800 * MS, lambda: volts.append(sim.devices.analog_volts("GPIO34")))
    sim.run(until_ns=1900 * MS)
    assert volts == [3.3]
    assert sim.devices.analog_volts("GPIO35") is None


def test_buses_are_found_by_their_pins(sim: Simulation) -> None:
    devices = sim.devices
    assert devices.i2c_bus("GPIO4", "GPIO15") is devices.i2c_bus("GPIO4", "GPIO15")
    assert devices.i2c_bus("GPIO4", "GPIO15").name == "i2c:GPIO4/GPIO15"
    assert not devices.i2c_bus("GPIO21", "GPIO22").transfer(0x44).ack     # nothing there
    spi = devices.spi_bus("GPIO18", "GPIO23", "GPIO19")
    assert spi is devices.spi_bus("GPIO18", "GPIO23", "GPIO19")
    assert spi.transfer("GPIO5", b"\x8f\x00", freq_hz=1_000_000).miso == b"\xff\x33"
    assert devices.spi_bus("GPIO14", "GPIO13", "GPIO12").transfer(
        "GPIO15", b"\x8f\x00", freq_hz=1_000_000).miso == b"\xff\xff"
    assert devices.device("rom").MODEL == "at24c32"


def test_a_board_reset_leaves_the_fitted_chips_as_they_are(sim: Simulation) -> None:
    """Resetting the microcontroller (EN, esp:restart, deep sleep) does not power-cycle the
    chips on its buses: the EEPROM keeps its cells, the SHT31 its cleared status."""
    bus = sim.devices.i2c_bus("GPIO4", "GPIO15")
    bus.transfer(0x50, write=b"\x00\x07\xab")
    bus.transfer(0x44, write=b"\xf3\x2d")
    assert bus.transfer(0x44, read=2).data == b"\x80\x10"          # power-on status
    bus.transfer(0x44, write=b"\x30\x41")                          # SHT31: clear status
    sim.run(until_ns=20_000_000)                                   # past the write cycle
    sim.devices.reset("esp_rst_sw")
    assert bus.transfer(0x50, write=b"\x00\x07", read=1).data == b"\xab"
    bus.transfer(0x44, write=b"\xf3\x2d")
    assert bus.transfer(0x44, read=2).data == b"\x00\x00"          # still cleared


SHT_APP = """
-module(sht).
-export([start/0]).
start() ->
    I2C = i2c:open([{scl, 15}, {sda, 4}, {clock_speed_hz, 100000}]),
    ok = i2c:write_bytes(I2C, 16#44, <<16#24, 16#00>>),
    Early = i2c:read_bytes(I2C, 16#44, 6),
    timer:sleep(20),
    {ok, <<T:16, _, H:16, _>>} = i2c:read_bytes(I2C, 16#44, 6),
    io:format("~p ~p ~p~n", [element(1, Early), T, H]).
"""


def test_an_app_reads_the_chip_the_parts_file_fits(tmp_path: Path) -> None:
    path = parts_file(tmp_path, SHT31 + "temperature_c = 25.0\nhumidity_pct = 40.0\n")
    beam = compile_erl(tmp_path, "sht", SHT_APP)
    result = avmsim("--headless", "--parts", str(path), str(beam), timeout=60)
    assert result.returncode == 0, result.stderr
    # NACK during the 15 ms conversion; then S = 0x6666 for 25.0 C and for 40 %RH
    assert result.stdout == "error 26214 26214\n"
