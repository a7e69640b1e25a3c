"""ESP-IDF's task watchdog (TWDT, ``esp_task_wdt``) as AtomVM's ``esp:task_wdt_*`` reach it.

ESP-IDF starts the TWDT at boot with its Kconfig defaults (``CONFIG_ESP_TASK_WDT_INIT``:
5 s, the idle tasks of every core watched, no panic), which is why AtomVM's own test
reconfigures it without initialising it first. Users subscribe by name and must reset the
watchdog within the timeout; the hardware timer restarts when every subscriber has reset.
When it expires, ESP-IDF's interrupt handler logs the users that did not reset it (the
"E (ms) task_wdt: …" lines, ESP-IDF's wording, default log colours) and either aborts with
reset reason ``ESP_RST_TASK_WDT`` (``trigger_panic``) or lets the timer run again. The idle
tasks always run here (a busy core is not modelled), so only users can starve it.
FreeRTOS tasks are not modelled either, so the lines that follow ESP-IDF's list of late
users are not printed: "Tasks currently running:" with a task name per CPU, the backtrace
("Print CPU 0 (current core) backtrace") and the panic's ("abort() was called at PC …",
"Rebooting...").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

ESP_ERR_INVALID_STATE = 0x103
ESP_ERR_NOT_FOUND = 0x105
LOG_E = "\x1b[0;31mE ({ms}) task_wdt: {text}\x1b[0m\n"   # ESP_EARLY_LOGE, LOG_COLORS=y


@dataclass(frozen=True)
class WdtConfig:
    """``esp_task_wdt_config_t``."""
    timeout_ms: int
    idle_core_mask: int
    trigger_panic: bool


def default_config(cores: int) -> WdtConfig:
    """CONFIG_ESP_TASK_WDT_TIMEOUT_S=5, CHECK_IDLE_TASK_CPU0/1=y, PANIC=n."""
    return WdtConfig(5000, (1 << cores) - 1, False)


class TaskWatchdogPanic(Exception):
    """The TWDT expired with ``trigger_panic``: the chip aborts and resets."""


class TaskWatchdog:
    """Subscribed users, the timer and the report when it expires.

    ``start(scheduler, now)`` is called at every boot with the VM's scheduler
    (``schedule(t_ns, action)``, ``now_ns()``); ``write`` prints on the console.
    """

    def __init__(self, cores: int, write: Callable[[bytes], None]) -> None:
        self.cores = cores
        self.write = write
        self.scheduler: Any = None
        self.config: WdtConfig | None = None
        self.users: dict[int, tuple[str, bool]] = {}   # handle -> (name, has_reset)
        self._next_handle = 1
        self._event: Any = None
        self._boot_ns = 0

    def start(self, scheduler: Any) -> None:
        """Boot: ESP-IDF initialises the TWDT with its defaults; no users survive a reset."""
        self.stop()
        self.scheduler = scheduler
        self._boot_ns = scheduler.now_ns()
        self.config = default_config(self.cores)
        self.users.clear()

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    # --- esp_task_wdt_* (each returns an esp_err_t, 0 for ESP_OK)
    def init(self, config: WdtConfig) -> int:
        if self.config is not None:
            return ESP_ERR_INVALID_STATE
        self.config = config
        self._feed()
        return 0

    def reconfigure(self, config: WdtConfig) -> int:
        if self.config is None:
            return ESP_ERR_INVALID_STATE
        self.config = config
        self._feed()
        return 0

    def deinit(self) -> int:
        if self.config is None or self.users:
            return ESP_ERR_INVALID_STATE
        self.config = None
        self.stop()
        return 0

    def add_user(self, name: str) -> tuple[int, int]:
        """``(esp_err_t, handle)``."""
        if self.config is None:
            return ESP_ERR_INVALID_STATE, 0
        handle = self._next_handle
        self._next_handle += 1
        self.users[handle] = (name, False)
        if self._event is None:
            self._arm()
        return 0, handle

    def reset_user(self, handle: int) -> int:
        error = self._check(handle)
        if error:
            return error
        self.users[handle] = (self.users[handle][0], True)
        if all(done for _, done in self.users.values()):
            self._feed()
        return 0

    def delete_user(self, handle: int) -> int:
        error = self._check(handle)
        if error:
            return error
        del self.users[handle]
        if not self.users:
            self.stop()
        return 0

    def _check(self, handle: int) -> int:
        if self.config is None:
            return ESP_ERR_INVALID_STATE
        return 0 if handle in self.users else ESP_ERR_NOT_FOUND

    # --- the timer
    def _feed(self) -> None:
        """Every subscriber has reset: the timer starts over and their flags clear."""
        self.users = {h: (name, False) for h, (name, _) in self.users.items()}
        self.stop()
        if self.users:
            self._arm()

    def _arm(self) -> None:
        due = self.scheduler.now_ns() + self.config.timeout_ms * 1_000_000
        self._event = self.scheduler.schedule(due, self._expired)

    def _expired(self) -> None:
        self._event = None
        late = [name for name, done in self.users.values() if not done]
        self._log("Task watchdog got triggered. The following tasks/users did not reset "
                  "the watchdog in time:")
        for name in late:
            self._log(f" - {name}")
        if self.config.trigger_panic:
            self._log("Aborting.")
            raise TaskWatchdogPanic()
        self._arm()

    def _log(self, text: str) -> None:
        ms = (self.scheduler.now_ns() - self._boot_ns) // 1_000_000
        self.write(LOG_E.format(ms=ms, text=text).encode())
