"""Erlang apps driving the BME280, LIS3DH and SSD1306 models through AtomVM's i2c API on a
simulated ESP32, as a driver on the device would (register protocol, timing, compensation
in the app). Expected values: the BME280 data sheet's integer compensation (written here in
Erlang), the LIS3DH sensitivity table, the SSD1306 GDDRAM layout."""
from __future__ import annotations

from pathlib import Path

import avmsim.simulation as simulation
from avmsim.boards import get_board
from avmsim.boards.parts_file import load_parts_file

from helpers import compile_erl

S = 1_000_000_000
OPEN = "i2c:open([{sda, 21}, {scl, 22}, {clock_speed_hz, 400000}])"


def run(tmp: Path, source: str, parts: str) -> tuple[simulation.Simulation, str]:
    """Run the module in ``source`` on an ESP32 DevKitC with ``parts`` fitted, for at most
    5 s of virtual time; the simulation (for its devices) and the console."""
    name = source.split("-module(", 1)[1].split(")", 1)[0]
    beam = compile_erl(tmp, name, source)
    parts_file = tmp / "parts.toml"
    parts_file.write_text(parts)
    board = get_board("esp32-devkit").with_parts(load_parts_file(parts_file))
    sim = simulation.Simulation(board, [str(beam)])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    outcome = sim.run(until_ns=5 * S)
    assert outcome.why == "returned", outcome
    return sim, b"".join(out).decode("latin-1")


def i2c_part(name: str, model: str, extra: str = "") -> str:
    return (f'[[i2c_device]]\nname = "{name}"\nmodel = "{model}"\nsda = "GPIO21"\n'
            f'scl = "GPIO22"\n{extra}')


BME280_APP = """-module(bme280_app).
-export([start/0]).
start() ->
    I2C = %s,
    {ok, <<Id>>} = i2c:read_bytes(I2C, 16#77, 16#D0, 1),
    {ok, <<T1:16/little, T2:16/little-signed, T3:16/little-signed>>} =
        i2c:read_bytes(I2C, 16#77, 16#88, 6),
    ok = i2c:write_bytes(I2C, 16#77, <<16#F2, 16#01, 16#F4, 16#25>>),
    {ok, <<Busy>>} = i2c:read_bytes(I2C, 16#77, 16#F3, 1),
    timer:sleep(20),
    {ok, <<Idle>>} = i2c:read_bytes(I2C, 16#77, 16#F3, 1),
    {ok, <<_P:24, Tm:8, Tl:8, Tx:8, _H:16>>} = i2c:read_bytes(I2C, 16#77, 16#F7, 8),
    Adc = (Tm bsl 12) bor (Tl bsl 4) bor (Tx bsr 4),
    Var1 = (((Adc bsr 3) - (T1 bsl 1)) * T2) bsr 11,
    D = (Adc bsr 4) - T1,
    Var2 = (((D * D) bsr 12) * T3) bsr 14,
    Centi = ((Var1 + Var2) * 5 + 128) bsr 8,
    io:format("~.16B ~p ~p ~p~n", [Id, Busy band 8, Idle band 8, Centi]).
""" % OPEN


def test_bme280_forced_measurement_read_and_compensated_by_the_app(tmp_path: Path) -> None:
    parts = i2c_part("env", "bme280", "address = 0x77\ntemperature_c = -7.25\n")
    _, console = run(tmp_path, BME280_APP, parts)
    assert console == "60 8 0 -725\n"


LIS3DH_APP = """-module(lis3dh_app).
-export([start/0]).
start() ->
    I2C = %s,
    {ok, <<Who>>} = i2c:read_bytes(I2C, 16#18, 16#0F, 1),
    ok = i2c:write_bytes(I2C, 16#18, <<16#A0, 16#57, 16#00, 16#00, 16#08>>),
    timer:sleep(15),
    {ok, <<X:16/little-signed, Y:16/little-signed, Z:16/little-signed>>} =
        i2c:read_bytes(I2C, 16#18, 16#A8, 6),
    io:format("~.16B ~p ~p ~p~n", [Who, X, Y, Z]).
""" % OPEN


def test_lis3dh_high_resolution_read_by_the_app(tmp_path: Path) -> None:
    parts = i2c_part("acc", "lis3dh", "x_g = 0.5\ny_g = -2.5\n")
    _, console = run(tmp_path, LIS3DH_APP, parts)
    # ±2 g high resolution, 1 mg/digit, 12 bits left-justified; -2.5 g clips at -2 g
    assert console == f"33 {500 << 4} {-2000 << 4} {1000 << 4}\n"


SSD1306_APP = """-module(ssd1306_app).
-export([start/0]).
start() ->
    I2C = %s,
    Init = [16#AE, 16#20, 16#00, 16#40, 16#A1, 16#A8, 16#3F, 16#C8, 16#D3, 16#00,
            16#DA, 16#12, 16#D5, 16#80, 16#D9, 16#F1, 16#DB, 16#30, 16#81, 16#FF,
            16#A4, 16#A6, 16#8D, 16#14, 16#AF, 16#21, 0, 127, 16#22, 0, 7],
    [ok = i2c:write_bytes(I2C, 16#3C, <<16#80, C>>) || C <- Init],
    Frame = [case Col of 0 -> 16#FF; _ -> 16#01 end
             || _Page <- lists:seq(0, 7), Col <- lists:seq(0, 127)],
    ok = i2c:write_bytes(I2C, 16#3C, list_to_binary([16#40 | Frame])),
    io:format("drawn~n").
""" % OPEN


def test_ssd1306_frame_drawn_by_the_app_shows_in_pixels(tmp_path: Path) -> None:
    sim, console = run(tmp_path, SSD1306_APP, i2c_part("oled", "ssd1306"))
    assert console == "drawn\n"
    oled = sim.devices.device("oled")
    assert oled.is_on()
    # column 0 all lit; every other column lit on the first row of each page (y % 8 == 0)
    expected = [[1 if x == 0 or y % 8 == 0 else 0 for x in range(128)] for y in range(64)]
    assert oled.pixels() == expected
