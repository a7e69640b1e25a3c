"""Sleep modes' wake-up sources and the cause of the last wake-up (ESP-IDF ``esp_sleep``).

The app arms sources (a timer, the level of RTC pins: ext0, ext1, or on the ESP32-C3 the
deep-sleep GPIO wake-up), then sleeps; the simulation asks :meth:`WakeSources.pin_cause`
whenever a pin may have changed and wakes the chip on the first source that holds. Pin
sources are level-triggered, as on the chip: a pin already at its level wakes it at once.
A deep sleep ends in a reset, which clears the sources (they live in RAM); the cause of the
wake-up is what ``esp_sleep_get_wakeup_cause()`` answers afterwards, None (undefined) at
power-on.

Which pins can wake the chip (``esp_sleep_is_valid_wakeup_gpio``): the RTC GPIOs on the ESP32
(ESP32 datasheet, "RTC IO" table), GPIO0-5 on the ESP32-C3 (its deep-sleep capable pins).
"""
from __future__ import annotations

from typing import Callable

WAKE_PINS: dict[str, frozenset[int]] = {
    "esp32": frozenset([0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39]),
    "esp32_c3": frozenset(range(6)),
}

# ESP32 ext1 modes (esp_sleep_ext1_wakeup_mode_t): ESP_EXT1_WAKEUP_ALL_LOW = 0, ANY_HIGH = 1.
# ESP32-C3 deep-sleep GPIO modes: ESP_GPIO_WAKEUP_GPIO_LOW = 0, ESP_GPIO_WAKEUP_GPIO_HIGH = 1.
EXT1_MODES: dict[int, Callable[[list[int]], bool]] = {0: lambda levels: not any(levels),
                                                     1: any}
GPIO_MODES: dict[int, Callable[[list[int]], bool]] = {0: lambda levels: 0 in levels,
                                                     1: lambda levels: 1 in levels}

LevelOf = Callable[[int], int]   # pin number -> level now


class WakeSources:
    """The armed wake-up sources of one chip and the cause of its last wake-up."""

    def __init__(self, chip_model: str) -> None:
        self.wake_pins = WAKE_PINS.get(chip_model, frozenset())
        self.cause: str | None = None   # sleep_wakeup_<cause>; None: undefined
        self.clear()

    def clear(self) -> None:
        """A reset: no source armed, no wake-up cause (the deep-sleep wake sets its own)."""
        self.cause = None
        self.timer_us: int | None = None
        self.pin_sources: dict[str, tuple[list[int], Callable[[list[int]], bool]]] = {}

    def enable_timer(self, us: int) -> None:
        self.timer_us = us

    def enable_ext0(self, pin: int, level: int) -> bool:
        """False (ESP_ERR_INVALID_ARG) for a pin that cannot wake the chip or a bad level."""
        if pin not in self.wake_pins or level not in (0, 1):
            return False
        self.pin_sources["ext0"] = ([pin], lambda levels, want=level: levels[0] == want)
        return True

    def enable_ext1(self, mask: int, mode: int) -> bool:
        return self._enable_mask("ext1", mask, EXT1_MODES.get(mode))

    def enable_gpio(self, mask: int, mode: int) -> bool:
        return self._enable_mask("gpio", mask, GPIO_MODES.get(mode))

    def _enable_mask(self, source: str, mask: int, test: Callable[[list[int]], bool] | None
                     ) -> bool:
        pins = [n for n in range(64) if mask >> n & 1]
        if test is None or mask <= 0 or mask >> 64 or not set(pins) <= self.wake_pins:
            return False
        self.pin_sources[source] = (pins, test)
        return True

    def pins(self) -> set[int]:
        return {n for pins, _ in self.pin_sources.values() for n in pins}

    def pin_cause(self, level_of: LevelOf) -> str | None:
        """``ext0``/``ext1``/``gpio`` when that source's pins are at their wake-up level."""
        for source, (pins, test) in self.pin_sources.items():
            if test([level_of(n) for n in pins]):
                return source
        return None
