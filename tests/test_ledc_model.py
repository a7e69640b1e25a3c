"""The LEDC model alone (peripherals/ledc.py), read as ESP-IDF's LEDC driver spec.

Expected values come from ESP-IDF: the divider formula and its limits (ledc.c
``ledc_calculate_divisor``, divider in [0x100, 0x3FFFF]), the LEDC guide's examples ("a
frequency of 5 kHz can have the maximum duty resolution of 13 bits", 40 MHz at 1 bit from the
80 MHz APB clock), the fade arithmetic of ``ledc_set_fade_with_time`` (steps of 1 every
``total_cycles // delta`` periods), its error codes (ESP_ERR_INVALID_ARG 0x102,
ESP_ERR_INVALID_STATE 0x103, ESP_FAIL -1) and soc_caps.h (8 channels and 20-bit timers on
the ESP32, 6 and 14 on the C3, no high speed mode on the C3).
"""
from __future__ import annotations

import heapq
from typing import Any, Callable

import pytest

from avmsim.boards import expand_pins, get_board
from avmsim.peripherals.gpio import GpioController
from avmsim.peripherals.ledc import Ledc, LedcError, LedcSpec
from avmsim.trace import TraceBus

MS = 1_000_000
S = 1_000_000_000
HS, LS = 0, 1
INVALID_ARG, INVALID_STATE, FAIL = 0x102, 0x103, -1


class Clock:
    """A timebase: virtual time, timed actions, and a caller that waits (stall)."""

    def __init__(self) -> None:
        self.t = 0
        self._queue: list[list[Any]] = []
        self._n = 0

    def now_ns(self) -> int:
        return self.t

    def schedule(self, due_ns: int, action: Callable[[], None]) -> Any:
        self._n += 1
        entry = [due_ns, self._n, action, False]
        heapq.heappush(self._queue, entry)

        class Handle:
            def cancel(self) -> None:
                entry[3] = True
        return Handle()

    def stall_ns(self, ns: int) -> None:
        self.run_until(self.t + max(ns, 0))

    def run_until(self, t_ns: int) -> None:
        while self._queue and self._queue[0][0] <= t_ns:
            due, _, action, cancelled = heapq.heappop(self._queue)
            if not cancelled:
                self.t = due
                action()
        self.t = max(self.t, t_ns)


def make(board: str = "esp32-devkit") -> tuple[Ledc, Clock, list[Any], GpioController]:
    b = get_board(board)
    clock = Clock()
    bus = TraceBus(clock.now_ns)
    events: list[Any] = []
    bus.subscribe(events.append, ("pwm",))
    gpio = GpioController(bus, b.pins)
    ledc = Ledc(LedcSpec.from_chip(b.chip["ledc"], b.pins, expand_pins), gpio, bus)
    ledc.timebase = clock
    return ledc, clock, events, gpio


def esp_idf_divider(clock_hz: int, freq_hz: int, bits: int) -> int:
    """ledc.c ledc_calculate_divisor, as ESP-IDF writes it."""
    precision = 1 << bits
    return ((clock_hz << 8) + freq_hz * precision // 2) // (freq_hz * precision)


def error_of(call: Callable[[], Any]) -> int:
    with pytest.raises(LedcError) as info:
        call()
    return info.value.code


# ----------------------------------------------------------------------------------- timers

def test_5khz_at_13_bits_runs_from_the_apb_clock():
    ledc, *_ = make()
    ledc.timer_config(HS, 0, 13, 5000)
    timer = ledc.groups[HS].timers[0]
    assert (timer.clock, timer.divider) == ("APB", esp_idf_divider(80_000_000, 5000, 13))
    assert ledc.get_freq(HS, 0) == 5000


def test_5khz_has_at_most_13_bits():
    ledc, *_ = make()
    assert error_of(lambda: ledc.timer_config(HS, 0, 14, 5000)) == FAIL
    assert error_of(lambda: ledc.timer_config(LS, 0, 14, 5000)) == FAIL


def test_40mhz_only_at_1_bit():
    ledc, *_ = make()
    ledc.timer_config(HS, 0, 1, 40_000_000)
    assert ledc.get_freq(HS, 0) == 40_000_000
    assert error_of(lambda: ledc.timer_config(HS, 1, 2, 40_000_000)) == FAIL


def test_slow_timers_take_the_1mhz_ref_tick():
    ledc, *_ = make()
    ledc.timer_config(LS, 2, 10, 100)
    timer = ledc.groups[LS].timers[2]
    assert (timer.clock, timer.divider) == ("REF_TICK", esp_idf_divider(1_000_000, 100, 10))
    assert ledc.get_freq(LS, 2) == 100


@pytest.mark.parametrize("mode, timer, bits, freq", [
    (HS, 0, 0, 5000),      # duty_resolution 0
    (HS, 0, 21, 5000),     # LEDC_TIMER_BIT_MAX is 21 on the ESP32
    (HS, 0, 10, 0),        # freq_hz 0
    (HS, 4, 10, 5000),     # four timers
    (2, 0, 10, 5000),      # two speed modes
])
def test_timer_arguments_esp_idf_refuses(mode, timer, bits, freq):
    ledc, *_ = make()
    assert error_of(lambda: ledc.timer_config(mode, timer, bits, freq)) == INVALID_ARG


def test_c3_has_low_speed_mode_0_only_and_14_bit_timers():
    ledc, *_ = make("esp32-c3-devkitm")
    assert error_of(lambda: ledc.timer_config(1, 0, 10, 5000)) == INVALID_ARG
    assert error_of(lambda: ledc.timer_config(0, 0, 15, 1000)) == INVALID_ARG
    ledc.timer_config(0, 0, 14, 1000)
    assert ledc.get_freq(0, 0) == 1000


def test_get_freq_of_an_unconfigured_timer_is_0():
    ledc, *_ = make()
    assert ledc.get_freq(HS, 3) == 0


# ----------------------------------------------------------------------------------- channels

def test_channel_limits_per_chip():
    ledc, *_ = make()
    ledc.timer_config(HS, 0, 13, 5000)
    assert error_of(lambda: ledc.channel_config(HS, 8, "GPIO18", 0, 0, 0)) == INVALID_ARG
    assert error_of(lambda: ledc.channel_config(HS, 0, "GPIO34", 0, 0, 0)) == INVALID_ARG
    assert error_of(lambda: ledc.channel_config(HS, 0, None, 0, 0, 0)) == INVALID_ARG
    c3, *_ = make("esp32-c3-devkitm")
    c3.timer_config(0, 0, 13, 5000)
    assert error_of(lambda: c3.channel_config(0, 6, "GPIO4", 0, 0, 0)) == INVALID_ARG
    c3.channel_config(0, 5, "GPIO4", 0, 0, 0)


def test_duty_applies_at_update_and_drives_the_pin():
    ledc, clock, events, gpio = make()
    ledc.timer_config(HS, 0, 13, 5000)
    ledc.channel_config(HS, 0, "GPIO18", 0, 0, 0)
    assert gpio.mode("GPIO18") == "output" and gpio.level("GPIO18") == 0
    ledc.set_duty(HS, 0, 4096)
    assert ledc.get_duty(HS, 0) == 0, "set_duty alone changes nothing on the output"
    ledc.update_duty(HS, 0)
    assert ledc.get_duty(HS, 0) == 4096
    assert events[-1].source == "GPIO18"
    assert events[-1].value == {"duty": 0.5, "freq_hz": 5000, "channel": 0, "speed_mode": HS}
    assert gpio.level("GPIO18") == 1


def test_calls_before_any_configuration_are_invalid_state():
    ledc, *_ = make()
    assert error_of(lambda: ledc.set_duty(HS, 0, 10)) == INVALID_STATE
    assert error_of(lambda: ledc.update_duty(HS, 0)) == INVALID_STATE
    assert ledc.get_duty(HS, 0) is None


def test_stop_holds_the_idle_level_until_the_next_update():
    ledc, clock, events, gpio = make()
    ledc.timer_config(LS, 1, 10, 1000)
    ledc.channel_config(LS, 2, "GPIO4", 1, 256, 0)
    ledc.stop(LS, 2, 1)
    assert events[-1].value["freq_hz"] == 0 and events[-1].value["duty"] == 1.0
    assert gpio.level("GPIO4") == 1
    ledc.stop(LS, 2, 0)
    assert gpio.level("GPIO4") == 0
    ledc.update_duty(LS, 2)
    assert events[-1].value == {"duty": 0.25, "freq_hz": 1000, "channel": 2, "speed_mode": LS}


def test_set_freq_keeps_the_clock_and_republishes():
    ledc, clock, events, _ = make()
    ledc.timer_config(HS, 0, 10, 1000)
    ledc.channel_config(HS, 0, "GPIO18", 0, 512, 0)
    ledc.set_freq(HS, 0, 2000)
    assert ledc.get_freq(HS, 0) == 2000
    assert events[-1].value["freq_hz"] == 2000
    assert error_of(lambda: ledc.set_freq(HS, 0, 1_000_000)) == FAIL


# ----------------------------------------------------------------------------------- fades

def fading_channel(bits: int, freq: int) -> tuple[Ledc, Clock, list[Any]]:
    ledc, clock, events, _ = make()
    ledc.timer_config(HS, 0, bits, freq)
    ledc.channel_config(HS, 0, "GPIO18", 0, 0, 0)
    ledc.fade_func_install()
    return ledc, clock, events


def test_fade_with_time_takes_the_steps_esp_idf_computes():
    """ESP-IDF's own example: 0 -> 4000 over 3000 ms at 5 kHz, 13 bits. total_cycles =
    3000 * 5000 / 1000 = 15000 > 4000, so steps of 1 every 15000 // 4000 = 3 periods:
    4000 * 3 / 5000 Hz = 2.4 s."""
    ledc, clock, events = fading_channel(13, 5000)
    ledc.set_fade_with_time(HS, 0, 4000, 3000)
    ledc.fade_start(HS, 0, 0)
    clock.run_until(1200 * MS)
    assert ledc.get_duty(HS, 0) == 2000      # 6000 periods = 2000 steps
    clock.run_until(2399 * MS)
    assert ledc.get_duty(HS, 0) < 4000
    clock.run_until(2400 * MS)
    assert ledc.get_duty(HS, 0) == 4000
    last = events[-1]
    assert last.t_ns == 2400 * MS and last.value["duty"] == 4000 / 8192


def test_fade_events_fall_on_steps_at_most_one_per_millisecond():
    """Steps every 3 periods of 200 us: an event on the first step 1 ms or more after the
    last one, i.e. every second step (1.2 ms), up to the last step at 2.4 s."""
    ledc, clock, events = fading_channel(13, 5000)
    ledc.set_fade_with_time(HS, 0, 4000, 3000)
    ledc.fade_start(HS, 0, 0)
    clock.run_until(3 * S)
    times = [e.t_ns for e in events if e.t_ns > 0]
    step = 600_000
    assert all(t % step == 0 for t in times)
    assert all(1 * MS <= b - a <= 1 * MS + step for a, b in zip(times, times[1:]))
    assert times[-1] == 2400 * MS
    assert [e.value["duty"] for e in events] == sorted(e.value["duty"] for e in events)


def test_fade_with_step_ends_with_a_jump_to_the_target():
    """Scale 10 every 2 periods, 0 -> 105: ten whole steps (to 100 at 20 periods), then the
    fade-end interrupt sets the rest in one step of one period (ledc_fade_isr)."""
    ledc, clock, events = fading_channel(10, 1000)
    ledc.set_fade_with_step(HS, 0, 105, 10, 2)
    ledc.fade_start(HS, 0, 1)       # LEDC_FADE_WAIT_DONE
    assert clock.t == 21 * MS
    assert ledc.get_duty(HS, 0) == 105
    assert [e.value["duty"] * 1024 for e in events if e.t_ns in (10 * MS, 20 * MS)] == [50, 105]


def test_a_call_during_a_started_fade_waits_for_its_end():
    ledc, clock, _ = fading_channel(10, 1000)
    ledc.set_fade_time_and_start(HS, 0, 500, 1000, 0)
    assert clock.t == 0
    ledc.set_duty(HS, 0, 10)
    assert clock.t == 1000 * MS and ledc.get_duty(HS, 0) == 500


def test_fade_service_errors():
    ledc, clock, _ = fading_channel(10, 1000)
    assert error_of(ledc.fade_func_install) == INVALID_STATE
    assert error_of(lambda: ledc.fade_start(HS, 1, 0)) == INVALID_STATE   # no fade set
    assert error_of(lambda: ledc.set_fade_with_step(HS, 0, 10, 0, 1)) == INVALID_ARG
    assert error_of(lambda: ledc.set_fade_with_time(HS, 0, 1025, 10)) == INVALID_ARG
    ledc.fade_func_uninstall()
    assert error_of(lambda: ledc.set_fade_with_time(HS, 0, 10, 10)) == FAIL
    assert error_of(lambda: ledc.set_duty_and_update(HS, 0, 10, 0)) == FAIL


def test_fade_stop_freezes_the_duty_on_the_c3():
    ledc, clock, events, _ = make("esp32-c3-devkitm")
    ledc.timer_config(0, 0, 10, 1000)
    ledc.channel_config(0, 0, "GPIO4", 0, 0, 0)
    ledc.fade_func_install()
    ledc.set_fade_step_and_start(0, 0, 1000, 1, 1, 0)
    clock.run_until(300 * MS)
    ledc.fade_stop(0, 0)
    clock.run_until(2 * S)
    assert ledc.get_duty(0, 0) == 300


def test_reset_ends_pwm_on_its_pins():
    ledc, clock, events, _ = make()
    ledc.timer_config(HS, 0, 10, 1000)
    ledc.channel_config(HS, 0, "GPIO18", 0, 512, 0)
    ledc.reset()
    assert events[-1].source == "GPIO18" and events[-1].value["freq_hz"] == 0
    assert ledc.get_freq(HS, 0) == 0


def test_an_active_low_led_on_a_pwm_pin_is_lit_for_the_low_part():
    from avmsim.peripherals.parts import attach_parts
    ledc, clock, events, gpio = make()
    led = attach_parts(gpio, [{"kind": "led", "name": "red", "pin": "GPIO18",
                               "active": "low"}])["red"]
    ledc.timer_config(HS, 0, 10, 1000)
    ledc.channel_config(HS, 0, "GPIO18", 0, 256, 0)
    assert (led.brightness, led.state) == (0.75, "75%")
    ledc.stop(HS, 0, 1)
    assert (led.brightness, led.state) == (0.0, "off")
    ledc.stop(HS, 0, 0)
    assert (led.brightness, led.state) == (1.0, "on")


def test_a_fade_of_more_than_1023_steps_is_reloaded_by_the_isr():
    """0 -> 1024 by 1 every 2 periods at 1 kHz: the hardware fade holds 1023 steps
    (LEDC_LL_DUTY_NUM_MAX), reached at 2046 ms; one step of 1 is left, which is not more
    than the scale, so the ISR sets the target at once and the fade ends a period later."""
    ledc, clock, events = fading_channel(10, 1000)
    ledc.set_fade_with_step(HS, 0, 1024, 1, 2)
    ledc.fade_start(HS, 0, 1)
    assert clock.t == 2047 * MS
    assert [e.t_ns for e in events if e.value["duty"] == 1.0] == [2046 * MS]


def test_a_new_frequency_mid_fade_changes_the_pace_of_the_remaining_steps():
    """The hardware counts steps in PWM periods: 500 steps left at 2 kHz take 250 ms."""
    ledc, clock, events = fading_channel(10, 1000)
    ledc.set_fade_step_and_start(HS, 0, 1000, 1, 1, 0)
    clock.run_until(500 * MS)
    assert ledc.get_duty(HS, 0) == 500
    ledc.set_freq(HS, 0, 2000)
    clock.run_until(749 * MS)
    assert ledc.get_duty(HS, 0) < 1000
    clock.run_until(750 * MS)
    assert ledc.get_duty(HS, 0) == 1000
    assert events[-1].value == {"duty": 1000 / 1024, "freq_hz": 2000, "channel": 0,
                                "speed_mode": HS}
