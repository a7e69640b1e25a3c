"""The ESP32 LED PWM controller (LEDC) as ESP-IDF's ``driver/ledc.h`` drives it.

AtomVM's ``ledc`` NIFs are thin wrappers over ESP-IDF (``ledc_nif.c``), so the model answers at
that level: every call checks its arguments in ESP-IDF's order and returns ESP-IDF's error code
(``ESP_ERR_INVALID_ARG`` 0x102, ``ESP_ERR_INVALID_STATE`` 0x103, ``ESP_FAIL`` -1) by raising
:class:`LedcError`; the chip's limits (speed modes, channels, timer width, register widths, the
clocks ``LEDC_AUTO_CLK`` tries) are the board's ``[chip.ledc]`` data.

Timers: ``timer_config`` looks for a clock whose divider ``((clk << 8) + f * 2^bits / 2) //
(f * 2^bits)`` lies in [0x100, 0x3FFFF] (ledc.c ``ledc_calculate_divisor``), trying the clocks in
ESP-IDF's order; none fits: ``ESP_FAIL``. The PWM period is ``divider * 2^bits / (clk * 256)``.

Channels: a duty register staged by ``set_duty``/``set_fade_*`` and applied by ``update_duty``
or ``fade_start``. A fade runs as the hardware does it: the duty moves by ``scale`` every
``cycle_num`` PWM periods, at most 1023 steps per hardware fade, the fade-end interrupt
reloading the rest as ESP-IDF's ISR does (:func:`fade_segments`), so a fade of T ms takes the
time ESP-IDF's integer arithmetic gives it, not exactly T. While a started fade runs, the calls
that take ESP-IDF's fade semaphore (``set_duty``, ``set_fade_*``, ``fade_start``…) wait for its
end (``timebase.stall_ns``), as the task calling them blocks on the device.

What the rest of the board sees (``pwm`` trace events, one per change of a pin's duty or
frequency, and the GPIO level):

- duty and frequency are computed exactly at any virtual time (``get_duty`` mid-fade reads
  the step the hardware is at); a fade's ``pwm`` events are published at hardware step times,
  but at most one per :data:`TRACE_STEP_NS` (1 ms) of virtual time, plus its last step;
- the pin's GPIO level is 0 while its duty is 0 and 1 otherwise: a PWM output is high for part
  of every period, so the pin is "active"; the GPIO model holds one level per pin and cannot
  carry the waveform. Parts that care (an LED's brightness) read the ``pwm`` events;
- ``stop`` holds the pin at the idle level and publishes ``freq_hz`` 0.

The model knows nothing of the VM: it is given a *timebase* (``now_ns()``, ``schedule(t_ns,
action) -> handle with cancel()``, ``stall_ns(ns)``; the VM's scheduler is one) by its driver.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from avmsim.peripherals.gpio import GpioController

if TYPE_CHECKING:
    from avmsim.trace import TraceBus

ESP_FAIL = -1
ESP_ERR_INVALID_ARG = 0x102
ESP_ERR_INVALID_STATE = 0x103

FRACTIONAL_BITS = 8              # LEDC_LL_FRACTIONAL_BITS: the divider's fixed point
DIVIDER_MIN = 1 << FRACTIONAL_BITS   # ledc.c LEDC_IS_DIV_INVALID: div <= 0xFF or > 0x3FFFF
DIVIDER_MAX = 0x3FFFF
FADE_MODES = 2                   # LEDC_FADE_NO_WAIT 0, LEDC_FADE_WAIT_DONE 1
FADE_WAIT_DONE = 1
TRACE_STEP_NS = 1_000_000
NS_PER_S = 1_000_000_000


class LedcError(Exception):
    """An ESP-IDF error code (``esp_err_t``) and what caused it."""

    def __init__(self, code: int, why: str) -> None:
        super().__init__(f"{why} (esp_err_t {code})")
        self.code = code


class Timebase(Protocol):
    def now_ns(self) -> int: ...
    def schedule(self, due_ns: int, action: Callable[[], None]) -> Any: ...
    def stall_ns(self, ns: int) -> None: ...


@dataclass(frozen=True)
class LedcSpec:
    """One chip's LEDC limits (the board's ``[chip.ledc]`` table)."""
    speed_modes: tuple[str, ...]
    channels: int
    timers: int
    timer_bits: int
    hpoint_max: int
    fade_field_max: int
    fade_stop: bool
    clocks: dict[str, tuple[tuple[str, int], ...]]
    output_pins: frozenset[str]

    @classmethod
    def from_chip(cls, table: dict[str, Any], pins: Iterable[str],
                  expand: Callable[[Iterable[str]], tuple[str, ...]]) -> LedcSpec:
        clocks = {mode: tuple((name, int(hz)) for name, hz in order)
                  for mode, order in table["clocks"].items()}
        return cls(tuple(table["speed_modes"]), table["channels"], table["timers"],
                   table["timer_bits"], table["hpoint_max"], table["fade_field_max"],
                   table["fade_stop"], clocks,
                   frozenset(pins) - frozenset(expand(table.get("input_only_pins", ()))))


def divider_for(clock_hz: int, freq_hz: int, bits: int) -> int | None:
    """ESP-IDF's clock divider for ``freq_hz`` at ``bits`` of duty resolution, None if out of
    the register's range (ledc.c ``ledc_calculate_divisor``, ``LEDC_IS_DIV_INVALID``)."""
    precision = 1 << bits
    div = ((clock_hz << FRACTIONAL_BITS) + freq_hz * precision // 2) // (freq_hz * precision)
    return div if DIVIDER_MIN <= div <= DIVIDER_MAX else None


@dataclass
class Timer:
    """A configured timer: its clock, divider (0: never configured) and duty resolution."""
    bits: int = 0
    divider: int = 0
    clock: str = ""
    clock_hz: int = 0

    def ns_of_periods(self, periods: int) -> int:
        """When ``periods`` whole periods have elapsed (rounded up to the nanosecond, so that
        :meth:`periods_in` of it counts them all); 0 for a timer that does not run."""
        if not self.divider:
            return 0
        return -(-periods * self.divider * (1 << self.bits) * NS_PER_S // (self.clock_hz << 8))

    def periods_in(self, ns: int) -> int:
        return ns * (self.clock_hz << 8) // (self.divider * (1 << self.bits) * NS_PER_S)

    def freq_hz(self) -> int:
        """``ledc_get_freq``: the frequency rounded as ESP-IDF rounds it (0: not configured)."""
        if not self.divider:
            return 0
        precision = 1 << self.bits
        return ((self.clock_hz << FRACTIONAL_BITS) + precision * self.divider // 2) \
            // precision // self.divider


@dataclass(frozen=True)
class Segment:
    """One hardware fade: from ``duty``, ``steps`` steps of ``delta`` every ``cycle`` periods.
    A jump (``delta`` 0) sets ``duty`` at its start and lasts one period."""
    duty: int
    delta: int
    steps: int
    cycle: int

    @property
    def periods(self) -> int:
        return self.steps * self.cycle


def fade_segments(start: int, target: int, scale: int, cycle: int, steps_max: int,
                  max_duty: int) -> list[Segment]:
    """The hardware fades ESP-IDF runs to take the duty from ``start`` to ``target``
    (ledc.c ``_ledc_set_fade_with_step`` for the first, ``ledc_fade_isr`` for the reloads):
    whole steps of ``scale`` while more than one step remains, then a jump to the target."""
    if start == max_duty:
        start -= 1   # "if scale == 1 and fade_down == 1, counter would overflow"
    sign = -1 if start > target else 1
    steps = min(abs(target - start) // scale, steps_max) if scale > 0 else 0
    if steps == 0:
        return [Segment(target, 0, 1, 1)]
    out = [Segment(start, sign * scale, steps, cycle)]
    duty = start + sign * scale * steps
    while duty != target:
        delta = abs(target - duty)
        if delta > scale:
            steps = min(delta // scale, steps_max)
            out.append(Segment(duty, sign * scale, steps, cycle))
            duty += sign * scale * steps
        else:
            out.append(Segment(target, 0, 1, 1))
            duty = target
    return out


@dataclass
class Fade:
    """A running fade: its segments from virtual time ``t0`` (re-anchored when the timer's
    period changes); ``holds`` when started by ``fade_start`` (ESP-IDF's semaphore taken)."""
    t0: int
    segments: list[Segment]
    holds: bool

    @property
    def periods(self) -> int:
        return sum(s.periods for s in self.segments)

    def duty_after(self, periods: int) -> int:
        """The duty once ``periods`` PWM periods have elapsed since the fade began."""
        for seg in self.segments:
            if periods < seg.periods or seg is self.segments[-1]:
                if seg.delta == 0:
                    return seg.duty
                return seg.duty + seg.delta * min(periods // seg.cycle, seg.steps)
            periods -= seg.periods
        raise AssertionError("a fade has segments")

    def next_change(self, periods: int) -> int:
        """The first period count, at or after ``periods``, at which the duty changes (the
        last change when none is left)."""
        base = 0
        last = 0
        for seg in self.segments:
            if seg.delta == 0:
                last = base
                if base >= periods:
                    return base
            else:
                k = max(1, -(-(periods - base) // seg.cycle))
                last = base + seg.periods
                if k <= seg.steps:
                    return base + k * seg.cycle
            base += seg.periods
        return last


@dataclass
class Channel:
    """A channel's registers: timer, duty, hpoint, output enable, staged and running fades
    (and when the running fade's next ``pwm`` event is due)."""
    index: int
    timer: int = 0
    duty: int = 0
    hpoint: int = 0
    enabled: bool = False
    idle_level: int = 0
    staged: list[Segment] | None = None
    fade: Fade | None = None
    tick: Any = None
    tick_due: int = 0
    has_fade_record: bool = False


@dataclass
class _Group:
    """The timers and channels of one speed mode; ``ready`` once ESP-IDF allocated its object
    (the first ``timer_config``/``channel_config`` of the mode)."""
    timers: list[Timer]
    channels: list[Channel]
    ready: bool = False


class Ledc:
    """The LEDC block of one chip, driving its channels' pins on ``gpio``."""

    def __init__(self, spec: LedcSpec, gpio: GpioController, bus: TraceBus) -> None:
        self.spec = spec
        self.gpio = gpio
        self.bus = bus
        self.timebase: Timebase | None = None
        self.groups: list[_Group] = []
        self.pin_owner: dict[str, tuple[int, int]] = {}
        self.reset()

    def reset(self) -> None:
        """Power-on: timers unconfigured, channels off, fade service not installed."""
        for group in self.groups:
            for ch in group.channels:
                self._cancel_tick(ch)
        for pin in self.pin_owner:
            self.bus.publish("pwm", pin, {"duty": 0.0, "freq_hz": 0, "channel": None})
        self.groups = [_Group([Timer() for _ in range(self.spec.timers)],
                              [Channel(i) for i in range(self.spec.channels)])
                       for _ in self.spec.speed_modes]
        self.pin_owner = {}
        self.fade_installed = False
        self._shown: dict[str, tuple[float, int, int, int]] = {}

    # ------------------------------------------------------------------ argument checks
    def _group(self, mode: int) -> _Group:
        if not 0 <= mode < len(self.groups):
            raise LedcError(ESP_ERR_INVALID_ARG,
                            f"speed_mode {mode} (this chip has {len(self.groups)})")
        return self.groups[mode]

    def _ready(self, mode: int) -> _Group:
        group = self._group(mode)
        if not group.ready:
            raise LedcError(ESP_ERR_INVALID_STATE, "LEDC is not initialized")
        return group

    def _channel(self, mode: int, channel: int) -> Channel:
        group = self._group(mode)
        if not 0 <= channel < len(group.channels):
            raise LedcError(ESP_ERR_INVALID_ARG, f"channel {channel}")
        if not group.ready:
            raise LedcError(ESP_ERR_INVALID_STATE, "LEDC is not initialized")
        return group.channels[channel]

    def _check(self, ok: bool, what: str) -> None:
        if not ok:
            raise LedcError(ESP_ERR_INVALID_ARG, f"{what} argument is invalid")

    def _fade_record(self, ch: Channel) -> None:
        """``ledc_fade_channel_init_check``: the fade service must be installed."""
        if not self.fade_installed:
            raise LedcError(ESP_FAIL, "fade service not installed")
        ch.has_fade_record = True

    def _max_duty(self, mode: int, ch: Channel) -> int:
        return 1 << self.groups[mode].timers[ch.timer].bits

    # ------------------------------------------------------------------ timers
    def timer_config(self, mode: int, timer: int, bits: int, freq_hz: int) -> None:
        group = self._group(mode)
        self._check(not (freq_hz == 0 or bits == 0 or bits > self.spec.timer_bits),
                    "freq_hz/duty_resolution")
        self._check(timer < self.spec.timers, "timer_num")
        group.ready = True
        self._set_divider(mode, timer, bits, freq_hz, self.spec.clocks[self.spec.speed_modes[mode]])

    def set_freq(self, mode: int, timer: int, freq_hz: int) -> None:
        self._group(mode)
        self._check(timer < self.spec.timers, "timer_num")
        t = self._ready(mode).timers[timer]
        order = self.spec.clocks[self.spec.speed_modes[mode]]
        clocks = tuple(c for c in order if c[0] == t.clock) or order
        self._check(freq_hz > 0, "freq_hz")
        self._set_divider(mode, timer, t.bits, freq_hz, clocks)

    def get_freq(self, mode: int, timer: int) -> int:
        """The timer's frequency; 0 when the arguments are invalid or it is not configured."""
        if not (0 <= mode < len(self.groups) and 0 <= timer < self.spec.timers):
            return 0
        return self.groups[mode].timers[timer].freq_hz()

    def _set_divider(self, mode: int, timer: int, bits: int, freq_hz: int,
                     clocks: Iterable[tuple[str, int]]) -> None:
        for name, hz in clocks:
            div = divider_for(hz, freq_hz, bits)
            if div is not None:
                break
        else:
            raise LedcError(ESP_FAIL, f"requested frequency {freq_hz} Hz and duty resolution "
                            f"{bits} bits can not be achieved")
        t = self.groups[mode].timers[timer]
        old = Timer(t.bits, t.divider, t.clock, t.clock_hz)
        t.bits, t.divider, t.clock, t.clock_hz = bits, div, name, hz
        for index, ch in enumerate(self.groups[mode].channels):
            if ch.timer == timer:
                self._retime(mode, ch, old, t)
                self._show(mode, index)

    def _retime(self, mode: int, ch: Channel, old: Timer, new: Timer) -> None:
        """A fade keeps its step count when the period changes: re-anchor it at now."""
        fade = ch.fade
        if fade is None or not old.divider:
            return
        now = self._now()
        fade.t0 = now - new.ns_of_periods(old.periods_in(now - fade.t0))
        self._cancel_tick(ch)
        self._arm_tick(mode, ch)

    # ------------------------------------------------------------------ channels
    def channel_config(self, mode: int, channel: int, pin: str | None, timer: int, duty: int,
                       hpoint: int) -> None:
        group = self._group(mode)
        self._check(0 <= channel < len(group.channels), "ledc_channel")
        self._check(pin is not None and pin in self.spec.output_pins, "gpio_num")
        self._check(timer < self.spec.timers, "timer_select")
        group.ready = True
        ch = group.channels[channel]
        if hpoint <= self.spec.hpoint_max:   # ledc_set_duty_with_hpoint; its error is ignored
            self._acquire(mode, ch)
            ch.hpoint = hpoint
            ch.staged = [Segment(duty, 0, 1, 1)]
        ch.timer = timer
        self.pin_owner[pin] = (mode, channel)
        self.gpio.set_mode(pin, "output")
        self._start(mode, channel, holds=False)

    def set_duty(self, mode: int, channel: int, duty: int) -> None:
        ch = self._channel(mode, channel)
        self._acquire(mode, ch)
        ch.staged = [Segment(duty, 0, 1, 1)]

    def update_duty(self, mode: int, channel: int) -> None:
        self._channel(mode, channel)
        self._start(mode, channel, holds=False)

    def set_duty_and_update(self, mode: int, channel: int, duty: int, hpoint: int) -> None:
        ch = self._channel(mode, channel)
        self._check(duty <= self._max_duty(mode, ch), "target_duty")
        self._check(hpoint <= self.spec.hpoint_max, "hpoint")
        self._fade_record(ch)
        self._acquire(mode, ch)
        ch.staged = [Segment(duty, 0, 1, 1)]
        ch.hpoint = hpoint
        self._start(mode, channel, holds=False)

    def get_duty(self, mode: int, channel: int) -> int | None:
        """The duty the hardware outputs now (mid-fade: the step it is at); None on bad
        arguments or before the speed mode is initialized (ESP-IDF's ``LEDC_ERR_DUTY``)."""
        if not 0 <= mode < len(self.groups) or not 0 <= channel < self.spec.channels:
            return None
        if not self.groups[mode].ready:
            return None
        return self._duty_now(mode, self.groups[mode].channels[channel])

    def stop(self, mode: int, channel: int, idle_level: int) -> None:
        ch = self._channel(mode, channel)
        ch.enabled = False
        ch.idle_level = idle_level & 1
        self._show(mode, channel)

    # ------------------------------------------------------------------ fades
    def fade_func_install(self) -> None:
        if self.fade_installed:
            raise LedcError(ESP_ERR_INVALID_STATE, "fade function already installed")
        self.fade_installed = True

    def fade_func_uninstall(self) -> None:
        self.fade_installed = False
        for group in self.groups:
            for ch in group.channels:
                ch.has_fade_record = False

    def set_fade_with_time(self, mode: int, channel: int, target: int, fade_ms: int) -> None:
        ch = self._channel(mode, channel)
        self._check(target <= self._max_duty(mode, ch), "target_duty")
        self._fade_record(ch)
        self._acquire(mode, ch)
        self._stage_timed(mode, ch, target, fade_ms)

    def set_fade_with_step(self, mode: int, channel: int, target: int, scale: int,
                           cycle: int) -> None:
        ch = self._channel(mode, channel)
        self._check_step(scale, cycle)
        self._check(target <= self._max_duty(mode, ch), "target_duty")
        self._fade_record(ch)
        self._acquire(mode, ch)
        self._stage_stepped(mode, ch, target, scale, cycle)

    def fade_start(self, mode: int, channel: int, fade_mode: int) -> None:
        exists = 0 <= mode < len(self.groups) and 0 <= channel < self.spec.channels
        if not exists or not self.groups[mode].channels[channel].has_fade_record:
            raise LedcError(ESP_ERR_INVALID_STATE, "LEDC fade service not installed")
        self._check(fade_mode < FADE_MODES, "fade_mode")
        ch = self._channel(mode, channel)
        self._acquire(mode, ch)
        self._start(mode, channel, holds=True, wait=fade_mode == FADE_WAIT_DONE)

    def set_fade_time_and_start(self, mode: int, channel: int, target: int, fade_ms: int,
                                fade_mode: int) -> None:
        ch = self._channel(mode, channel)
        self._check(fade_mode < FADE_MODES, "fade_mode")
        self._fade_record(ch)
        self._check(target <= self._max_duty(mode, ch), "target_duty")
        self._acquire(mode, ch)
        self._stage_timed(mode, ch, target, fade_ms)
        self._start(mode, channel, holds=True, wait=fade_mode == FADE_WAIT_DONE)

    def set_fade_step_and_start(self, mode: int, channel: int, target: int, scale: int,
                                cycle: int, fade_mode: int) -> None:
        ch = self._channel(mode, channel)
        self._check(fade_mode < FADE_MODES, "fade_mode")
        self._fade_record(ch)
        self._check_step(scale, cycle)
        self._check(target <= self._max_duty(mode, ch), "target_duty")
        self._acquire(mode, ch)
        self._stage_stepped(mode, ch, target, scale, cycle)
        self._start(mode, channel, holds=True, wait=fade_mode == FADE_WAIT_DONE)

    def fade_stop(self, mode: int, channel: int) -> None:
        """Freeze a running fade at the duty it has reached (chips with
        ``SOC_LEDC_SUPPORT_FADE_STOP`` only; the driver refuses it elsewhere)."""
        ch = self._channel(mode, channel)
        self._fade_record(ch)
        self._settle(mode, ch)
        if ch.fade is not None:
            ch.duty = self._duty_now(mode, ch)
            ch.fade = None
            self._cancel_tick(ch)
            self._show(mode, channel)

    # ------------------------------------------------------------------ fade mechanics
    def _check_step(self, scale: int, cycle: int) -> None:
        top = self.spec.fade_field_max
        self._check(0 < scale <= top, "fade scale")
        self._check(0 < cycle <= top, "cycle_num")

    def _stage_timed(self, mode: int, ch: Channel, target: int, fade_ms: int) -> None:
        """``_ledc_set_fade_with_time``: steps of 1 every N periods, or of N every period."""
        duty = self._duty_now(mode, ch)
        delta = abs(target - duty)
        # uint32_t total_cycles = max_fade_time_ms * freq / 1000, wrapping as in C
        cycles = (fade_ms * self.groups[mode].timers[ch.timer].freq_hz() & 0xFFFFFFFF) // 1000
        top = self.spec.fade_field_max
        if delta == 0 or cycles == 0:
            scale, cycle = 0, 0
        elif cycles > delta:
            scale, cycle = 1, min(cycles // delta, top)
        else:
            scale, cycle = min(delta // cycles, top), 1
        self._stage_stepped(mode, ch, target, scale, cycle)

    def _stage_stepped(self, mode: int, ch: Channel, target: int, scale: int,
                       cycle: int) -> None:
        ch.staged = fade_segments(self._duty_now(mode, ch), target, scale, cycle,
                                  self.spec.fade_field_max, self._max_duty(mode, ch))

    def _acquire(self, mode: int, ch: Channel) -> None:
        """Wait, as ESP-IDF's fade semaphore makes the caller wait, for a started fade."""
        self._settle(mode, ch)
        if ch.fade is not None and ch.fade.holds and ch.has_fade_record:
            self._timebase().stall_ns(self._end_of(mode, ch) - self._now())
            self._settle(mode, ch)

    def _start(self, mode: int, channel: int, holds: bool, wait: bool = False) -> None:
        """``duty_start``: the staged duty or fade takes effect now; the output is enabled."""
        ch = self.groups[mode].channels[channel]
        self._settle(mode, ch)
        ch.duty = self._duty_now(mode, ch)
        ch.fade = None
        self._cancel_tick(ch)
        staged, ch.staged = ch.staged, None
        ch.enabled = True
        if staged is not None and len(staged) == 1 and staged[0].delta == 0 and not holds:
            ch.duty = staged[0].duty   # a plain duty update: no fade to follow
        elif staged is not None:
            ch.fade = Fade(self._now(), staged, holds)
            self._settle(mode, ch)
        self._show(mode, channel)
        if ch.fade is not None:
            self._arm_tick(mode, ch)
            if wait:
                self._timebase().stall_ns(self._end_of(mode, ch) - self._now())
                self._settle(mode, ch)

    def _timer_of(self, mode: int, ch: Channel) -> Timer:
        return self.groups[mode].timers[ch.timer]

    def _end_of(self, mode: int, ch: Channel) -> int:
        return ch.fade.t0 + self._timer_of(mode, ch).ns_of_periods(ch.fade.periods)

    def _duty_now(self, mode: int, ch: Channel, at: int | None = None) -> int:
        """The duty register at ``at`` (default now), a running fade's step included."""
        fade = ch.fade
        timer = self._timer_of(mode, ch)
        if fade is None:
            return ch.duty
        if not timer.divider:
            return fade.duty_after(fade.periods)
        return fade.duty_after(timer.periods_in((self._now() if at is None else at) - fade.t0))

    def _settle(self, mode: int, ch: Channel) -> None:
        """A fade whose end has passed is over: the events its ticks would have published
        while a caller waited are published at their times, and its target becomes the duty
        register (a fade on a timer that does not run ends at once: the model does not hang
        its callers)."""
        if ch.fade is None:
            return
        end = self._end_of(mode, ch)
        if end > self._now():
            return
        if ch.tick is not None:
            t = ch.tick_due
            while t < end:
                self._show(mode, ch.index, t)
                t = self._next_tick(mode, ch, t)
        ch.duty = ch.fade.duty_after(ch.fade.periods)
        ch.fade = None
        self._cancel_tick(ch)
        self._show(mode, ch.index, end)

    def _next_tick(self, mode: int, ch: Channel, after: int) -> int:
        """When a fade's next ``pwm`` event is due after ``after``: its first step at least
        :data:`TRACE_STEP_NS` later, or its last step, or its end."""
        timer = self._timer_of(mode, ch)
        fade = ch.fade
        due = fade.t0 + timer.ns_of_periods(
            fade.next_change(timer.periods_in(after + TRACE_STEP_NS - fade.t0)))
        end = self._end_of(mode, ch)
        return due if after < due < end else end

    def _arm_tick(self, mode: int, ch: Channel) -> None:
        if not self._timer_of(mode, ch).divider:
            return
        ch.tick_due = self._next_tick(mode, ch, self._now())
        ch.tick = self._timebase().schedule(ch.tick_due, lambda: self._on_tick(mode, ch.index))

    def _on_tick(self, mode: int, channel: int) -> None:
        ch = self.groups[mode].channels[channel]
        ch.tick = None
        self._settle(mode, ch)
        self._show(mode, channel)
        if ch.fade is not None:
            self._arm_tick(mode, ch)

    def _cancel_tick(self, ch: Channel) -> None:
        if ch.tick is not None:
            ch.tick.cancel()
            ch.tick = None

    # ------------------------------------------------------------------ outputs
    def output(self, mode: int, channel: int, at: int | None = None) -> tuple[float, int]:
        """(duty 0..1, frequency in Hz) the channel outputs at ``at`` (default now); a stopped
        channel or one on an unconfigured timer outputs a constant level (frequency 0)."""
        ch = self.groups[mode].channels[channel]
        timer = self._timer_of(mode, ch)
        if not ch.enabled:
            return float(ch.idle_level), 0
        if not timer.divider:
            return 0.0, 0
        full = 1 << timer.bits
        return min(self._duty_now(mode, ch, at), full) / full, timer.freq_hz()

    def _show(self, mode: int, channel: int, at: int | None = None) -> None:
        """Drive the channel's pins and publish what changed on them (at ``at``, default now)."""
        duty, freq = self.output(mode, channel, at)
        shown = (duty, freq, mode, channel)
        for pin, owner in self.pin_owner.items():
            if owner != (mode, channel) or self._shown.get(pin) == shown:
                continue
            self._shown[pin] = shown
            self.bus.publish("pwm", pin, {"duty": duty, "freq_hz": freq, "channel": channel,
                                          "speed_mode": mode}, t_ns=at)
            self.gpio.write(pin, 1 if duty > 0 else 0)

    # ------------------------------------------------------------------ time
    def _timebase(self) -> Timebase:
        if self.timebase is None:
            raise RuntimeError("the LEDC model has no timebase (its driver sets one)")
        return self.timebase

    def _now(self) -> int:
        return self._timebase().now_ns()
