"""``esp`` sleep NIFs (AtomVM's platform_nifs.c): wake-up sources, deep and light sleep, and
the cause of the last wake-up, over the board's ``EspChip`` (``vm.devices.esp``).

``deep_sleep/0,1`` raise :class:`DeepSleep`: the simulation powers the board down, waits in
virtual time for a wake-up source and boots it again. ``light_sleep/0`` returns ``ok`` when
an armed source fires, the calling process waiting meanwhile (messages do not wake it); the
other processes are not frozen (on the chip both CPUs stop), and with no source armed it
never returns. Units as AtomVM: ``deep_sleep/1`` takes milliseconds,
``sleep_enable_timer_wakeup/1`` microseconds. ext0/ext1 exist on the ESP32 only and
``deep_sleep_enable_gpio_wakeup/2`` on the ESP32-C3 only (elsewhere AtomVM has no such NIF
and the call fails with ``error:undefined``); a pin or mode ESP-IDF refuses is ``badarg``.
``sleep_enable_gpio_wakeup/0`` answers ok, but AtomVM offers no call that picks the pins
(``gpio_wakeup_enable``), so it never wakes the chip.
"""
from __future__ import annotations

from typing import Any

from ..errors import DeepSleep, ErlangError
from ..natives import control_native, native
from ..terms import ERROR, OK, atom
from ._trap import trap
from ._util import badarg, need_int
from .esp_storage_nifs import esp_chip as _chip
from .platform_nifs import _esp

A_UNDEFINED = atom("undefined")
U64 = 1 << 64   # AtomVM passes the integer to ESP-IDF as a uint64_t

# esp_sleep.h wake-up sources that AtomVM names (sleep_wakeup_<source>); those that exist
# on the chip, by the model the board file gives.
SOURCES_BY_CHIP: dict[str, frozenset[str]] = {
    "esp32": frozenset({"ext0", "ext1"}),
    "esp32_c3": frozenset({"gpio"}),
}


def _wake_sources(ctx: Any, source: str) -> Any:
    """The wake-up sources, when ``source`` exists on this chip (else AtomVM has no NIF)."""
    if source not in SOURCES_BY_CHIP.get(_esp(ctx).board.chip.get("model", ""), ()):
        raise ErlangError(ERROR, A_UNDEFINED)
    return _chip(ctx).wake


def _armed(ok: bool) -> Any:
    """ESP_ERR_INVALID_ARG is badarg in AtomVM."""
    if not ok:
        raise badarg()
    return OK


@native("esp", "sleep_get_wakeup_cause", 0)
def sleep_get_wakeup_cause(ctx: Any) -> Any:
    cause = _chip(ctx).wake.cause
    return A_UNDEFINED if cause is None else atom(f"sleep_wakeup_{cause}")


@native("esp", "sleep_enable_timer_wakeup", 1)
def sleep_enable_timer_wakeup(ctx: Any, us: Any) -> Any:
    _chip(ctx).wake.enable_timer(need_int(us) % U64)
    return OK


@native("esp", "sleep_enable_ext0_wakeup", 2)
def sleep_enable_ext0_wakeup(ctx: Any, pin: Any, level: Any) -> Any:
    wake = _wake_sources(ctx, "ext0")
    return _armed(wake.enable_ext0(need_int(pin), need_int(level)))


@native("esp", "sleep_enable_ext1_wakeup", 2)
def sleep_enable_ext1_wakeup(ctx: Any, mask: Any, mode: Any) -> Any:
    wake = _wake_sources(ctx, "ext1")
    return _armed(wake.enable_ext1(need_int(mask), need_int(mode)))


@native("esp", "deep_sleep_enable_gpio_wakeup", 2)
def deep_sleep_enable_gpio_wakeup(ctx: Any, mask: Any, mode: Any) -> Any:
    wake = _wake_sources(ctx, "gpio")
    return _armed(wake.enable_gpio(need_int(mask), need_int(mode)))


@native("esp", "sleep_enable_gpio_wakeup", 0)
def sleep_enable_gpio_wakeup(ctx: Any) -> Any:
    _chip(ctx)
    return OK


@native("esp", "deep_sleep", 0)
def deep_sleep0(ctx: Any) -> Any:
    _chip(ctx)
    raise DeepSleep()


@native("esp", "deep_sleep", 1)
def deep_sleep1(ctx: Any, ms: Any) -> Any:
    """``esp_deep_sleep(Ms * 1000)``: arms the timer, then sleeps."""
    _chip(ctx).wake.enable_timer(need_int(ms) * 1000 % U64)
    raise DeepSleep()


@control_native("esp", "light_sleep", 0)
def light_sleep(c: Any, cont: int) -> int:
    """The caller waits off its core, as a trapping NIF's does (:func:`._trap.trap`): a
    message does not end the sleep; the wake-up puts ``ok`` in x0 and moves it on to
    ``cont``."""
    chip, devices = _chip(c), _esp(c)
    resume = trap(c, cont)
    chip.light_sleep(c.vm.scheduler, devices.gpio, devices.pin_for_number,
                     lambda _cause: resume(OK))
    return 0   # block 0: give the core back
