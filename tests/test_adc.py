"""AtomVM's ``esp_adc`` API from Erlang, reading analog sources fitted by a parts file.

Expected values: ESP-IDF's conversion formula ``Vout = Dout * Vmax / 2^bitwidth`` (adc_oneshot
docs), an ideal quantizer ``raw = floor(mV * 2^bits / Vmax)`` clamped to ``2^bits - 1``, the
datasheets' ranges (ESP32: 950, 1250, 1750, 2450 mV at 0, 2.5, 6, 11 dB; ESP32-C3: 750, 1050,
1300, 2500 mV), the pins (ESP32 ADC1 on GPIO32-39; C3 ADC1 on GPIO0-4, ADC2 on GPIO5) and
AtomVM's adc_driver.c / esp_adc.erl returns (badarg raised for pins without an enabled unit and
bad options; ``{error, badarg}`` for a unit claimed twice or freed twice; the bare atom
``badarg`` when sampling through a freed unit; ``db_12`` only after ESP-IDF 5.1.2).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import compile_erl

from avmsim.boards import get_board
from avmsim.boards.parts_file import load_parts_file
from avmsim.simulation import Simulation

MS = 1_000_000
S = 1_000_000_000

ESP32_RANGES_MV = {"db_0": 950, "db_2_5": 1250, "db_6": 1750, "db_11": 2450}
C3_RANGES_MV = {"db_0": 750, "db_2_5": 1050, "db_6": 1300, "db_11": 2500}


def expected(mv: float, range_mv: int, bits: int) -> tuple[int, int]:
    """(raw, calibrated mV) by the ideal quantizer and ESP-IDF's formula."""
    raw = min(int(mv * 2 ** bits // range_mv), 2 ** bits - 1)
    return raw, raw * range_mv // 2 ** bits


def run(tmp_path: Path, name: str, body: str, parts: str = "", board: str = "esp32-devkit",
        until_ns: int = 5 * S) -> str:
    source = f"-module({name}).\n-export([start/0]).\n{body}"
    beam = compile_erl(tmp_path, name, source)
    b = get_board(board)
    if parts:
        (tmp_path / "parts.toml").write_text(parts)
        b = b.with_parts(load_parts_file(tmp_path / "parts.toml"))
    sim = Simulation(b, [str(beam)])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    outcome = sim.run(until_ns=until_ns)
    assert outcome.why == "returned", (outcome, b"".join(out))
    return b"".join(out).decode()


def source(pin: str, volts: Any) -> str:
    return f'[[analog]]\nname = "src"\npin = "{pin}"\nvolts = {volts}\n'


READ_ALL_ATTENUATIONS = """
start() ->
    {ok, Unit} = esp_adc:init(),
    lists:foreach(
        fun(Atten) ->
            {ok, Chan} = esp_adc:acquire(34, Unit, bit_12, Atten),
            {ok, {Raw, Mv}} = esp_adc:sample(Chan, Unit),
            io:format("~p ~p ~p~n", [Atten, Raw, Mv])
        end,
        [db_0, db_2_5, db_6, db_11]).
"""


def test_1_65_volts_at_11_db_and_12_bits(tmp_path):
    out = run(tmp_path, "adc_nifs", READ_ALL_ATTENUATIONS, source("GPIO34", 1.65))
    readings = {line.split()[0]: tuple(map(int, line.split()[1:])) for line in out.splitlines()}
    assert readings["db_11"] == expected(1650, 2450, 12) == (2758, 1649)
    for atten, range_mv in ESP32_RANGES_MV.items():
        assert readings[atten] == expected(1650, range_mv, 12)
    assert readings["db_0"] == (4095, 949), "above the 0 dB range: full scale"


def test_bit_widths_and_read_options(tmp_path):
    body = """
start() ->
    {ok, Unit} = esp_adc:init(),
    {ok, C9} = esp_adc:acquire(33, Unit, bit_9, db_6),
    {ok, C12} = esp_adc:acquire(33, Unit, bit_max, db_6),
    io:format("~w~n~w~n~w~n~w~n", [
        esp_adc:sample(C9, Unit, [raw]),
        esp_adc:sample(C12, Unit, [voltage, {samples, 1}]),
        try esp_adc:sample(C12, Unit, [{samples, 0}]) catch error:E1 -> E1 end,
        try esp_adc:acquire(33, Unit, bit_13, db_6) catch error:E2 -> E2 end]).
"""
    out = run(tmp_path, "adc_widths", body, source("GPIO33", 1.0))
    raw9, _ = expected(1000, 1750, 9)
    _, mv12 = expected(1000, 1750, 12)
    assert out.splitlines() == [f"{{ok,{{{raw9},undefined}}}}", f"{{ok,{{undefined,{mv12}}}}}",
                                "badarg", "badarg"]


def test_a_schedule_of_volts_changes_the_readings_over_time(tmp_path):
    body = """
start() ->
    ok = esp_adc:start(35),
    loop(3).
loop(0) -> esp_adc:stop();
loop(N) ->
    timer:sleep(1000),
    {ok, {Raw, Mv}} = esp_adc:read(35),
    io:format("~p ~p~n", [Raw, Mv]),
    loop(N - 1).
"""
    out = run(tmp_path, "adc_schedule", body, source("GPIO35", "[[0, 0.0], [1, 1.0], [2, 2.0]]"))
    raws = [int(line.split()[0]) for line in out.splitlines()]
    assert len(raws) == 3
    for raw, mv in zip(raws, (1000, 2000, 2000)):
        assert abs(raw - expected(mv, 2450, 12)[0]) <= 2, (raws, "read just after each second")


def test_floating_and_pulled_up_pins(tmp_path):
    body = """
start() ->
    {ok, Unit} = esp_adc:init(),
    {ok, A} = esp_adc:acquire(32, Unit),
    {ok, Floating} = esp_adc:sample(A, Unit),
    gpio:set_pin_pull(32, up),
    {ok, Up} = esp_adc:sample(A, Unit),
    io:format("~p ~p~n", [Floating, Up]).
"""
    out = run(tmp_path, "adc_float", body)
    assert out == "{0,0} {4095,2449}\n"


def test_unit_and_channel_life_cycle(tmp_path):
    body = """
start() ->
    {ok, Unit} = esp_adc:init(),
    Again = esp_adc:init(),
    {ok, Chan} = esp_adc:acquire(36, Unit),
    ok = esp_adc:release_channel(Chan),
    ok = esp_adc:release_channel(Chan),
    ok = esp_adc:deinit(Unit),
    io:format("~p ~p ~p ~p~n", [Again, esp_adc:deinit(Unit), esp_adc:sample(Chan, Unit),
                                esp_adc:acquire(36, Unit)]).
"""
    out = run(tmp_path, "adc_life", body)
    assert out == "{error,badarg} {error,badarg} badarg {error,badarg}\n"


def test_pins_without_an_enabled_adc_unit_are_badarg(tmp_path):
    body = """
start() ->
    {ok, Unit} = esp_adc:init(),
    io:format("~p~n", [[try esp_adc:acquire(P, Unit) catch error:E -> E end
                        || P <- [2, 25, 5, 40]]]),
    io:format("~p~n", [try esp_adc:acquire(34, Unit, bit_12, db_12) catch error:E -> E end]).
"""
    out = run(tmp_path, "adc_pins", body)
    assert out.splitlines() == [
        "[badarg,badarg,badarg,badarg]",    # ADC2 pins, a pin without ADC, no GPIO40
        "badarg"]                           # db_12 is not known to ESP-IDF 5.1.2


def test_the_adc_driver_server(tmp_path):
    body = """
start() ->
    Bad = esp_adc:start(4),
    ok = esp_adc:start(34, [{bitwidth, bit_10}, {atten, db_2_5}]),
    {ok, Reading} = esp_adc:read(34),
    Stopped = esp_adc:stop(34),
    process_flag(trap_exit, true),
    Unknown = case catch esp_adc:read(34) of {'EXIT', _} -> exited; Other -> Other end,
    io:format("~p ~p ~p ~p~n", [Bad, Reading, Stopped, Unknown]).
"""
    out = run(tmp_path, "adc_server", body, source("GPIO34", 0.5))
    assert "Generic server adc_driver terminating" in out, "a pin never started crashes it"
    mine = [line for line in out.splitlines() if line.startswith("{error,")]
    assert mine == ["{error,badarg} {%d,%d} ok exited" % expected(500, 1250, 10)]


def test_esp32_c3_pins_and_range(tmp_path):
    body = """
start() ->
    {ok, Unit} = esp_adc:init(),
    {ok, Chan} = esp_adc:acquire(3, Unit),
    {ok, {Raw, Mv}} = esp_adc:sample(Chan, Unit),
    Bad = [try esp_adc:acquire(P, Unit) catch error:E -> E end || P <- [5, 34]],
    Width = (catch esp_adc:acquire(3, Unit, bit_10, db_11)),
    io:format("~p ~p ~p ~p~n", [Raw, Mv, Bad, element(1, element(2, Width))]).
"""
    out = run(tmp_path, "adc_c3", body, source("GPIO3", 1.65), board="esp32-c3-devkitm")
    raw, mv = expected(1650, C3_RANGES_MV["db_11"], 12)
    assert out == f"{raw} {mv} [badarg,badarg] badarg\n"


def test_esp_adc_is_undef_off_the_esp32_platform(tmp_path):
    body = 'start() -> io:format("~p~n", [try esp_adc:init() catch error:E -> E end]).\n'
    assert run(tmp_path, "adc_pico", body, board="pico") == "undef\n"
