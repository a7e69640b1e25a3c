"""The ESP32's state beyond its pins, as AtomVM's ``esp`` module reaches it.

One object per ESP32-family board: its flash partitions, the NVS store in the ``nvs``
partition, RTC slow memory, the sleep wake-up sources and the task watchdog. Each has its own
life across resets: flash and NVS keep everything, RTC slow memory is lost only at power-on,
wake-up sources and the watchdog start afresh at every boot.
"""
from __future__ import annotations

from typing import Any, Callable

from .flash_partitions import FlashPartitions
from .nvs import NvsStore
from .rtc_memory import RtcSlowMemory
from .sleep import WakeSources
from .task_wdt import TaskWatchdog

NVS_ERASE_WARNING = b"Warning: Erasing flash...\n"   # AtomVM's nvs_nif_init


class EspChip:
    """Flash partitions, NVS, RTC slow memory, wake-up sources and task watchdog of a board."""

    def __init__(self, machine: Any, board: Any, console_write: Callable[[bytes], None]) -> None:
        self.console_write = console_write
        self.flash = FlashPartitions(machine, board.partitions)
        self.nvs = (NvsStore(self.flash, self.flash.by_name("nvs"))
                    if "nvs" in board.partitions else None)
        self.rtc_slow = RtcSlowMemory()
        self.wake = WakeSources(board.chip.get("model", ""))
        self.task_wdt = TaskWatchdog(board.cores, console_write)
        self._sleeper: tuple[Callable[[str], None], Any] | None = None
        self._level_of: Callable[[int], int] = lambda n: 0
        self._listening: set[str] = set()

    def reset(self) -> None:
        """Any reset but power-on: RAM state goes (sources, watchdog), RTC memory stays."""
        self.wake.clear()
        self.task_wdt.stop()
        self._end_light_sleep()

    def boot(self, scheduler: Any) -> None:
        """What the firmware does before the app runs: NVS init, the default watchdog."""
        if self.nvs is not None and not self.nvs.mount():
            self.console_write(NVS_ERASE_WARNING)
            self.nvs.erase_partition()
        self.task_wdt.start(scheduler)

    # --- light sleep: the caller waits, the sources stay armed
    def light_sleep(self, scheduler: Any, gpio: Any, pin_name: Callable[[int], str],
                    woken: Callable[[str], None]) -> None:
        """Call ``woken(cause)`` when the first armed source fires (at once if a pin
        source already holds); with no source armed it never does."""
        self._end_light_sleep()
        self._level_of = lambda n: gpio.level(pin_name(n))
        event = None
        if self.wake.timer_us is not None:
            event = scheduler.schedule(scheduler.now_ns() + self.wake.timer_us * 1000,
                                       lambda: self._woken("timer"))
        self._sleeper = (woken, event)
        for name in map(pin_name, self.wake.pins()):
            if name not in self._listening:
                self._listening.add(name)
                gpio.add_listener(name, self._pin_changed)
        self._pin_changed()

    def _pin_changed(self, *_change: Any) -> None:
        cause = self.wake.pin_cause(self._level_of) if self._sleeper is not None else None
        if cause is not None:
            self._woken(cause)

    def _woken(self, cause: str) -> None:
        woken = self._sleeper[0]
        self._end_light_sleep()
        self.wake.cause = cause
        woken(cause)

    def _end_light_sleep(self) -> None:
        if self._sleeper is not None and self._sleeper[1] is not None:
            self._sleeper[1].cancel()
        self._sleeper = None
