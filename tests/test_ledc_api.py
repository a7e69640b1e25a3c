"""AtomVM's ``ledc`` API from Erlang on a simulated board.

Expected values: AtomVM's ledc_nif.c (``ok`` or the value; ESP-IDF errors raised as
``error:Code``, 258 ESP_ERR_INVALID_ARG, -1 ESP_FAIL; ``badarg`` for non-integers; the module
exists only on the esp32 platform, ``fade_stop/2`` only where ESP-IDF has
SOC_LEDC_SUPPORT_FADE_STOP), ESP-IDF's LEDC guide (5 kHz has at most 13 bits of resolution)
and its fade arithmetic (a 1000 ms fade from 0 to 1024 at 1024 Hz: 1024 cycles, steps of 1
each period, so it ends 1000 ms later).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import compile_erl

from avmsim.boards import get_board
from avmsim.simulation import Simulation

MS = 1_000_000
S = 1_000_000_000

HEADER = """-module({name}).
-export([start/0]).
err(F) -> try F() catch error:E -> {{error, E}} end.
timer(Mode, N, Bits, Hz) ->
    [{{speed_mode, Mode}}, {{timer_num, N}}, {{duty_resolution, Bits}}, {{freq_hz, Hz}}].
channel(Mode, Ch, Gpio, Timer, Duty) ->
    [{{channel, Ch}}, {{duty, Duty}}, {{gpio_num, Gpio}}, {{speed_mode, Mode}}, {{hpoint, 0}},
     {{timer_sel, Timer}}].
"""


def run(tmp_path: Path, name: str, body: str, board: str = "esp32-devkit",
        until_ns: int = 5 * S) -> tuple[str, list[Any], Simulation]:
    beam = compile_erl(tmp_path, name, HEADER.format(name=name) + body)
    sim = Simulation(get_board(board), [str(beam)])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    events: list[Any] = []
    sim.bus.subscribe(events.append, ("pwm", "part"))
    outcome = sim.run(until_ns=until_ns)
    assert outcome.why == "returned", (outcome, b"".join(out))
    return b"".join(out).decode(), events, sim


def test_timer_channel_and_duty_reach_the_pin(tmp_path):
    body = """
start() ->
    ok = ledc:timer_config(timer(0, 0, 13, 5000)),
    ok = ledc:channel_config(channel(0, 0, 18, 0, 0)),
    ok = ledc:set_duty(0, 0, 2048),
    ok = ledc:update_duty(0, 0),
    io:format("~p ~p~n", [ledc:get_duty(0, 0), ledc:get_freq(0, 0)]).
"""
    out, events, sim = run(tmp_path, "ledc_duty", body)
    assert out == "2048 5000\n"
    pwm = [e for e in events if e.kind == "pwm"]
    assert pwm[-1].source == "GPIO18"
    assert pwm[-1].value == {"duty": 0.25, "freq_hz": 5000, "channel": 0, "speed_mode": 0}
    assert sim.pin("GPIO18") == 1


def test_a_fade_over_1000_ms_reaches_full_duty_at_1000_ms(tmp_path):
    body = """
start() ->
    ok = ledc:timer_config(timer(1, 1, 10, 1024)),
    ok = ledc:channel_config(channel(1, 2, 4, 1, 0)),
    ok = ledc:fade_func_install(0),
    T0 = erlang:monotonic_time(millisecond),
    ok = ledc:set_fade_with_time(1, 2, 1024, 1000),
    ok = ledc:fade_start(1, 2, 0),
    timer:sleep(500),
    Half = ledc:get_duty(1, 2),
    ok = ledc:set_duty(1, 2, 0),
    T1 = erlang:monotonic_time(millisecond),
    io:format("~p ~p~n", [Half, T1 - T0]).
"""
    out, events, _ = run(tmp_path, "ledc_fade", body)
    half, waited = map(int, out.split())
    assert 490 <= half <= 530, "half way through, about half the duty"
    assert 995 <= waited <= 1010, "set_duty waited for the fade to end"
    pwm = [e for e in events if e.kind == "pwm" and e.source == "GPIO4"]
    start = next(e.t_ns for e in pwm if 0 < e.value["duty"] < 1)
    full = next(e.t_ns for e in pwm if e.value["duty"] == 1.0)
    assert 990 * MS <= full - start <= 1010 * MS


def test_esp_idf_errors_as_atomvm_raises_them(tmp_path):
    body = """
start() ->
    io:format("~w~n", [[
        err(fun() -> ledc:timer_config(timer(0, 0, 14, 5000)) end),
        err(fun() -> ledc:timer_config(timer(0, 0, 21, 5000)) end),
        err(fun() -> ledc:timer_config(timer(0, 0, 13, 0)) end),
        err(fun() -> ledc:timer_config([{speed_mode, 0}]) end),
        err(fun() -> ledc:timer_config(timer(0, 0, 13, five_khz)) end),
        err(fun() -> ledc:get_freq(0, 3) end),
        err(fun() -> ledc:get_duty(1, 0) end),
        err(fun() -> ledc:update_duty(1, 0) end),
        err(fun() -> ledc:fade_stop(0, 0) end),
        err(fun() -> ledc:fade_func_uninstall() end)
    ]]).
"""
    out, _, _ = run(tmp_path, "ledc_errors", body)
    assert out == ("[{error,-1},{error,258},{error,258},{error,badarg},{error,badarg},"
                   "{error,0},{error,-1},{error,259},{error,undefined},ok]\n")


def test_c3_speed_mode_1_is_invalid_and_fade_stop_exists(tmp_path):
    body = """
start() ->
    E = err(fun() -> ledc:timer_config(timer(1, 0, 13, 5000)) end),
    ok = ledc:timer_config(timer(0, 0, 10, 1000)),
    ok = ledc:channel_config(channel(0, 5, 4, 0, 0)),
    ok = ledc:fade_func_install(0),
    ok = ledc:set_fade_step_and_start(0, 5, 1000, 1, 1, 0),
    timer:sleep(250),
    ok = ledc:fade_stop(0, 5),
    timer:sleep(250),
    io:format("~p ~p~n", [E, ledc:get_duty(0, 5)]).
"""
    out, _, _ = run(tmp_path, "ledc_c3", body, board="esp32-c3-devkitm")
    error, duty = out.split()
    assert error == "{error,258}"
    assert 245 <= int(duty) <= 255


def test_ledc_is_undef_off_the_esp32_platform(tmp_path):
    body = """
start() ->
    io:format("~p~n", [try ledc:get_freq(0, 0) catch error:E -> E end]).
"""
    out, _, _ = run(tmp_path, "ledc_unix", body, board="generic-unix")
    assert out == "undef\n"


def test_the_board_led_shows_the_pwm_duty_as_brightness(tmp_path):
    body = """
start() ->
    ok = ledc:timer_config(timer(0, 0, 8, 1000)),
    ok = ledc:channel_config(channel(0, 0, 2, 0, 64)),
    timer:sleep(10),
    ok = ledc:set_duty(0, 0, 256),
    ok = ledc:update_duty(0, 0),
    timer:sleep(10),
    ok = ledc:stop(0, 0, 0).
"""
    _, events, sim = run(tmp_path, "ledc_led", body)
    states = [e.value for e in events if e.kind == "part" and e.source == "LED"]
    assert states == ["25%", "on", "off"]
    assert sim.devices.part("LED").brightness == 0.0
