"""Deep and light sleep of the ESP32 (``esp`` module) against AtomVM's platform_nifs.c and
ESP-IDF's esp_sleep: ``deep_sleep/1`` takes milliseconds and ends in a reset with reason
``esp_rst_deepsleep``; ``sleep_get_wakeup_cause/0`` answers ``undefined`` at power-on and
``sleep_wakeup_timer`` / ``sleep_wakeup_ext0`` / … after a wake-up; RTC slow memory and NVS are
kept; ext0 wakes on the level of an RTC GPIO (GPIO0 is one, GPIO5 is not), the ESP32-C3 has
no ext0 (AtomVM has no such NIF there) but GPIO0-5 deep-sleep wake-up.
"""
from __future__ import annotations

from avmsim.boards import get_board
from avmsim.simulation import Simulation

from helpers import avmsim, compile_erl

MS = 1_000_000
S = 1_000_000_000


def board_sim(tmp_path, name: str, source: str, board: str = "esp32-devkit"):
    beam = compile_erl(tmp_path, name, source)
    sim = Simulation(get_board(board), [str(beam)])
    console: list[bytes] = []
    events: list[tuple[int, str]] = []
    sim.devices.console.add_sink(console.append)
    sim.bus.subscribe(lambda e: events.append((e.t_ns, e.value)), ("board",))
    return sim, console, events


TIMER = r"""
-module(timer_sleep).
-export([start/0]).
start() ->
    io:format("~p ~p~n", [esp:reset_reason(), esp:sleep_get_wakeup_cause()]),
    case esp:reset_reason() of
        esp_rst_poweron ->
            ok = esp:rtc_slow_set_binary(<<"rtc">>),
            ok = esp:nvs_set_binary(app, k, <<"nvs">>),
            esp:deep_sleep(1000),
            io:format("not reached~n");
        esp_rst_deepsleep ->
            io:format("~p ~p~n", [esp:rtc_slow_get_binary(), esp:nvs_get_binary(app, k)]),
            esp:restart();
        esp_rst_sw ->
            ok
    end.
"""


def test_deep_sleep_reboots_after_the_time_with_timer_cause(tmp_path):
    sim, console, events = board_sim(tmp_path, "timer_sleep", TIMER)
    outcome = sim.run(until_ns=10 * S)
    text = b"".join(console).decode()
    assert outcome.why == "returned", text
    assert text == ("esp_rst_poweron undefined\n"
                    "esp_rst_deepsleep sleep_wakeup_timer\n"
                    '<<"rtc">> <<"nvs">>\n'
                    "esp_rst_sw undefined\n")   # only a deep-sleep wake has a cause
    kinds = [value for _, value in events]
    assert kinds == ["boot", "sleep", "wake", "boot", "reset", "boot"]
    sleep_t, wake_t = events[1][0], events[2][0]
    assert wake_t - sleep_t == 1000 * MS     # virtual time jumps across the sleep


EXT0 = r"""
-module(ext0_sleep).
-export([start/0]).
start() ->
    case esp:reset_reason() of
        esp_rst_poweron ->
            {'EXIT', {Badarg, _}} = (catch esp:sleep_enable_ext0_wakeup(5, 0)),
            io:format("~p~n", [Badarg]),
            ok = esp:sleep_enable_ext0_wakeup(0, 0),
            esp:deep_sleep(10000);
        R ->
            io:format("~p ~p~n", [R, esp:sleep_get_wakeup_cause()]),
            ok
    end.
"""


def test_a_button_press_wakes_the_board_before_the_timer(tmp_path):
    sim, console, events = board_sim(tmp_path, "ext0_sleep", EXT0)
    sim.press("BOOT", at_ns=2 * S, release_after_ns=100 * MS)   # BOOT pulls GPIO0 low
    outcome = sim.run(until_ns=20 * S)
    text = b"".join(console).decode()
    assert outcome.why == "returned", text
    # GPIO5 is no RTC GPIO
    assert text.splitlines() == ["badarg", "esp_rst_deepsleep sleep_wakeup_ext0"]
    wake = [t for t, value in events if value == "wake"]
    assert wake == [2 * S]


LIGHT = r"""
-module(light).
-export([start/0]).
start() ->
    Me = self(),
    spawn(fun() -> timer:sleep(50), Me ! poke end),
    ok = esp:sleep_enable_timer_wakeup(250000),
    T0 = erlang:monotonic_time(microsecond),
    ok = esp:light_sleep(),
    Slept = erlang:monotonic_time(microsecond) - T0,
    io:format("~p ~p ~p~n", [Slept >= 250000, Slept < 251000, esp:sleep_get_wakeup_cause()]),
    receive poke -> ok end,
    io:format("~p~n", [esp:reset_reason()]),
    ok.
"""


def test_light_sleep_returns_with_its_cause_without_a_reset(tmp_path):
    sim, console, events = board_sim(tmp_path, "light", LIGHT)
    outcome = sim.run(until_ns=5 * S)
    text = b"".join(console).decode()
    assert outcome.why == "returned", text
    assert text == "true true sleep_wakeup_timer\nesp_rst_poweron\n"   # the poke did not wake it
    assert [value for _, value in events] == ["boot"]


def test_deep_sleep_without_a_wake_up_source_sleeps_forever(tmp_path):
    beam = compile_erl(tmp_path, "forever", r"""
-module(forever).
-export([start/0]).
start() -> esp:deep_sleep().
""")
    result = avmsim("--headless", str(beam))
    assert result.returncode == 11
    assert "deep sleep" in result.stderr and "Traceback" not in result.stderr
    with_timeout = avmsim("--headless", "--timeout", "3s", str(beam))
    assert with_timeout.returncode == 42


C3 = r"""
-module(c3_sleep).
-export([start/0]).
start() ->
    case esp:reset_reason() of
        esp_rst_poweron ->
            {'EXIT', {Undefined, _}} = (catch esp:sleep_enable_ext0_wakeup(0, 1)),
            {'EXIT', {Badarg, _}} = (catch esp:deep_sleep_enable_gpio_wakeup(1 bsl 6, 1)),
            io:format("~p ~p~n", [Undefined, Badarg]),
            gpio:set_pin_mode(3, input),
            gpio:set_pin_pull(3, down),
            ok = esp:deep_sleep_enable_gpio_wakeup(1 bsl 3, 1),
            esp:deep_sleep(60000);
        R ->
            io:format("~p ~p~n", [R, esp:sleep_get_wakeup_cause()]),
            ok
    end.
"""


def test_esp32_c3_wakes_on_gpio_and_has_no_ext0(tmp_path):
    sim, console, events = board_sim(tmp_path, "c3_sleep", C3, board="esp32-c3-devkitm")
    sim.at(3 * S, lambda: sim.devices.gpio.drive("GPIO3", 1))
    outcome = sim.run(until_ns=90 * S)
    lines = b"".join(console).decode().splitlines()
    assert outcome.why == "returned", lines
    assert lines == ["undefined badarg", "esp_rst_deepsleep sleep_wakeup_gpio"]
    assert [t for t, value in events if value == "wake"] == [3 * S]


EXT1 = r"""
-module(ext1_sleep).
-export([start/0]).
start() ->
    case esp:reset_reason() of
        esp_rst_poweron ->
            {'EXIT', {Badarg, _}} = (catch esp:sleep_enable_ext1_wakeup(1, 2)),
            io:format("~p~n", [Badarg]),
            ok = esp:sleep_enable_ext1_wakeup((1 bsl 0) bor (1 bsl 4), 0),   % all low
            esp:deep_sleep();
        R ->
            io:format("~p ~p~n", [R, esp:sleep_get_wakeup_cause()]),
            ok
    end.
"""


def test_ext1_all_low_wakes_when_every_pin_is_low(tmp_path):
    sim, console, events = board_sim(tmp_path, "ext1_sleep", EXT1)
    sim.at(1 * S, lambda: sim.devices.gpio.drive("GPIO4", 0))   # GPIO4 alone: not yet
    sim.press("BOOT", at_ns=3 * S)                                # GPIO0 low too: wake
    outcome = sim.run(until_ns=10 * S)
    text = b"".join(console).decode()
    assert outcome.why == "returned", text
    assert text.splitlines() == ["badarg", "esp_rst_deepsleep sleep_wakeup_ext1"]
    assert [t for t, value in events if value == "wake"] == [3 * S]


CLOCKS = r"""
-module(clocks_sleep).
-export([start/0]).
start() ->
    Up = esp:timer_get_time(),
    Mono = erlang:monotonic_time(millisecond),
    Wall = erlang:system_time(millisecond),
    case esp:reset_reason() of
        esp_rst_poweron ->
            ok = esp:rtc_slow_set_binary(term_to_binary(Wall)),
            esp:deep_sleep(5000);
        esp_rst_deepsleep ->
            Before = binary_to_term(esp:rtc_slow_get_binary()),
            io:format("~p ~p ~p~n", [Up < 100000, Mono < 100, Wall - Before >= 5000]),
            ok
    end.
"""


def test_the_monotonic_clocks_start_again_at_wake_up_and_the_wall_clock_goes_on(tmp_path):
    """esp_timer_get_time() counts from the boot (ESP-IDF esp_timer), so does AtomVM's
    monotonic clock; the RTC keeps wall-clock time across deep sleep."""
    sim, console, _ = board_sim(tmp_path, "clocks_sleep", CLOCKS)
    outcome = sim.run(until_ns=20 * S)
    text = b"".join(console).decode()
    assert outcome.why == "returned", text
    assert text == "true true true\n"
