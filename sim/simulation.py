"""A simulated board running an app: the one API the command line, tests and scenarios share.

``Simulation(board, inputs)`` flashes the standard library and the app, wires the board's
peripherals to the VM and boots it, as AtomVM's firmware does. ``run()`` goes until the app
ends or something stops it: a virtual deadline (``until_ns`` / ``--timeout``), expected or
failure text on the console, ``erlang:halt``. Between runs a test can act on the board —
press a button at a virtual time, read a pin — and run on. ``esp:restart()`` reboots the
board in place (same flash, same peripherals, pins back to inputs), as does a task watchdog
panic. ``esp:deep_sleep()`` powers the board down: virtual time jumps to the first wake-up
source that fires (the timer, or a pin a part drives, the stimuli still running while it
sleeps), then the board boots again; NVS (in flash) and RTC slow memory are kept.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from avmsim.boards import Board
from avmsim.peripherals.esp_chip import EspChip
from avmsim.peripherals.sleep import WakeSources
from avmsim.peripherals.task_wdt import TaskWatchdogPanic
from avmsim.peripherals.wifi import AccessPoint, RadioWorld
from avmsim.vm.device_api import NOT_ON_DEVICE
from avmsim.vm.errors import DeepSleep, Halt, NoStartModuleError, ProcessExit, Restart
from avmsim.vm.pack_table import OpenPack
from avmsim.vm.terms import Atom, atom, from_list
from avmsim.vm.vm import VM

from .clock import DEFAULT_EPOCH_S, NS_PER_S, VirtualClock
from .devices import DEEP_SLEEP_RESET, SOFTWARE_RESET, TASK_WDT_RESET, Devices
from .exit_codes import Exit
from .machine import Machine
from .net_world import NetWorld
from .ram import RamAllocator
from .runner import (ELIXIR_LIB_IMAGE, STDLIB_IMAGE, app_image, holds_elixir,
                     library_module_names, stdlib_image, succeeded, with_elixir_library)
from .trace import TraceBus


FIRMWARE_RUNS_BOOT_PACK = frozenset({"esp32"})
"""Platforms whose firmware starts the start module of the pack at ``boot.avm`` (ESP32
main.c); elsewhere, and for a library pack, avmsim starts the app's start module."""

NO_START_ADVICE = {False: "pack it with --start MODULE",
                   True: "an Elixir app's main module needs `def start do ... end`"}
"""What to do about a pack without start module, for Erlang and for Elixir apps."""

ATOMVM_PARTITION_LABELS = {"boot.avm": "boot_avm", "main.avm": "main_avm", "nvs": "nvs"}
"""AtomVM's ESP32 data partition labels (partitions.csv) -> the board's partition keys."""


@dataclass
class Outcome:
    """How a run ended: ``status`` is the command's exit status, ``why`` a short tag."""
    status: int
    why: str                 # returned, crashed, exited, halted, timeout, expected, failed,
    #                          paused, asleep (deep sleep with nothing left that can wake it)
    value: Any = None        # start/0's value, the crash (ProcessExit) or the matched text
    t_ns: int = 0


def library_image(lib: str | None) -> bytes:
    """The library pack to flash at ``boot.avm``: ``--lib PACK``, or the shipped one."""
    return Path(lib).read_bytes() if lib else stdlib_image()


class _Stop(Exception):
    """Raised from a timed event to end :meth:`Simulation.run` between two slices."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.why)
        self.outcome = outcome


class TextWatch:
    """Watches a byte stream for texts; remembers the first one seen."""

    def __init__(self, texts: dict[bytes, str]) -> None:
        self.texts = texts
        self.keep = max((len(t) for t in texts), default=1) - 1
        self.tail = b""

    def feed(self, data: bytes) -> tuple[bytes, str] | None:
        window = self.tail + data
        self.tail = window[-self.keep:] if self.keep else b""
        found = [(window.find(t), t) for t in self.texts if t in window]
        if not found:
            return None
        _, text = min(found)
        return text, self.texts[text]


class Simulation:
    """One board, its flash, peripherals, trace bus and the VM running the app."""

    def __init__(self, board: Board, inputs: list[str], *, epoch_s: int = DEFAULT_EPOCH_S,
                 realtime: float | None = None, max_ram: int | None = None,
                 seed: int = 0, lib: str | None = None, nvs_image: bytes | None = None,
                 network: NetWorld | None = None, lib_extras: bool = False) -> None:
        self.board = board
        self.clock = VirtualClock(board.clock_hz, board.cores, epoch_s, realtime)
        self.max_ram = max_ram
        self.vm: VM | None = None
        self.bus = TraceBus(self._now_ns)
        self.network = network if network is not None else NetWorld()
        if self.network.radio is None:
            self.network.radio = RadioWorld()
        self.devices = Devices(board, self.bus, self.network.ip, self.network.radio)
        self.machine = Machine(board, self.clock, max_ram, devices=self.devices)
        self.lib_origin = lib or STDLIB_IMAGE
        self.machine.write_partition("boot_avm", library_image(lib), self.lib_origin)
        # avmsim's own library is larger than AtomVM's: the app sees AtomVM's API only
        # (vm/device_api.py) unless --lib-extras; a --lib library is the device's own
        self.device_api = lib is None and not lib_extras
        self.app_origin = inputs[0] if len(inputs) == 1 else " + ".join(inputs)
        app, flashed = app_image(inputs), self.app_origin
        self.elixir = holds_elixir(app, self.app_origin)
        if self.elixir and lib is None:   # --lib: the given library brings its own Elixir
            app, flashed = with_elixir_library(app, flashed), f"{flashed} + {ELIXIR_LIB_IMAGE}"
        self.machine.write_partition("main_avm", app, flashed)
        self.seed = seed
        self.start: Any = None
        self.outcome: Outcome | None = None
        self.crash_reporter: Callable[[VM, Any, Any], None] | None = None
        self.boot_hooks: list[Callable[[VM], None]] = []
        self._watch: TextWatch | None = None
        self._asleep: tuple[WakeSources, int | None] | None = None
        if board.platform == "esp32":
            self.devices.esp = EspChip(self.machine, board, self.devices.console.write)
            if nvs_image is not None:
                self.devices.esp.nvs.load_image(nvs_image)
        self.boot()

    # ------------------------------------------------------------------ boot
    def _now_ns(self) -> int:
        return self.vm.scheduler.now_ns() if self.vm is not None else 0

    def boot(self) -> None:
        """Start AtomVM on the board: a fresh VM over the same flash and peripherals."""
        board = self.board
        vm = VM(self.devices.console.write, self.clock, word_size=board.word_size,
                platform=board.platform, cores=board.cores,
                cycles_per_instruction=board.cycles_per_instruction,
                system_architecture=f"{board.core}-avmsim-{board.platform}",
                ram=self.machine.ram, seed=self.seed)
        vm.devices = self.devices
        vm.boot_ns = min(self.clock.core_ns(core) for core in range(board.cores))
        vm.port_drivers = dict(self.devices.port_drivers)
        vm.read_partition = self._partition_by_label
        boot_pack = vm.add_pack(self.machine.read_partition("boot_avm"), self.lib_origin,
                                start_modules=False)
        if self.device_api:
            vm.not_on_device = NOT_ON_DEVICE
            vm.library_modules = frozenset(library_module_names(boot_pack, self.elixir))
        start_module = self._firmware_start_module(boot_pack)
        if start_module is None:
            start_module = self._add_app_pack(vm)
        self.vm = vm
        if self.devices.esp is not None:
            self.devices.esp.boot(vm.scheduler)
        if self.devices.net is not None:
            self.devices.net.boot(vm.scheduler)
        self._apply_crash_reporter()
        vm.spawn_hooks.append(lambda proc: self._process_event(proc, "spawn"))
        vm.exit_hooks.append(lambda proc: self._process_event(proc, "exit"))
        self.start = self._spawn_first_process(vm, start_module)
        self._announce_boot = True   # published when it runs, so that tracers see it
        for hook in self.boot_hooks:
            hook(vm)

    def _firmware_start_module(self, boot_pack: OpenPack) -> Atom | None:
        """The start module of the pack at ``boot.avm`` when the firmware runs it (ESP32
        main.c: AtomVM's ``esp32boot.avm`` starts ``esp32init``, which loads ``main.avm``
        itself); None for a library pack, whose modules serve the app avmsim loads."""
        section = boot_pack.start_beam()
        if section is None or self.board.platform not in FIRMWARE_RUNS_BOOT_PACK:
            return None
        return atom(section.removesuffix(".beam"))

    def _add_app_pack(self, vm: VM) -> Atom:
        """Open the app pack at ``main.avm`` before the library, as esp32init does (its
        own copies of library modules win); its first start module starts."""
        vm.add_pack(self.machine.read_partition("main_avm"), self.app_origin, first=True)
        if not vm.start_candidates:
            raise NoStartModuleError(f"{self.app_origin}: no module is flagged as start module "
                                     f"(none exports start/0); {NO_START_ADVICE[self.elixir]}")
        return vm.start_candidates[0]

    @staticmethod
    def _spawn_first_process(vm: VM, start_module: Atom) -> Any:
        """``globalcontext_run``: ``init:boot([<<"-s">>, Start])`` when a pack holds
        ``init`` (it starts the kernel, then ``Start:start()``), else ``Start:start()``."""
        if vm.get_module(atom("init")) is None:
            return vm.spawn_start(start_module, atom("start"), [])
        return vm.spawn_start(atom("init"), atom("boot"), [from_list([b"-s", start_module])])

    def _partition_by_label(self, label: str) -> bytes | None:
        """A data partition's contents by its AtomVM label (``atomvm:add_avm_pack_file``)."""
        key = ATOMVM_PARTITION_LABELS.get(label)
        if key is None or key not in self.board.partitions:
            return None
        return self.machine.read_partition(key)

    def _process_event(self, proc: Any, what: str) -> None:
        if self.bus.wants("process"):
            self.bus.publish("process", repr(proc.pid), what)

    def on_crash(self, reporter: Callable[[VM, Any, Any], None]) -> None:
        """Call ``reporter(vm, process, crash)`` when a process dies of an uncaught error."""
        self.crash_reporter = reporter
        self._apply_crash_reporter()

    def _apply_crash_reporter(self) -> None:
        reporter, vm = self.crash_reporter, self.vm
        if reporter is not None:
            vm.crash_reporter = lambda proc, crash: reporter(vm, proc, crash)

    def _reboot(self, reason: str = SOFTWARE_RESET) -> None:
        """``esp:restart()``, a watchdog panic: the RAM is lost, flash and wiring stay."""
        self.vm.cancel_timers()   # the old firmware's timers die with it; stimuli stay
        self.devices.reset(reason)
        self.bus.publish("board", self.board.name, "reset")
        self._power_up()

    def _power_up(self) -> None:
        """Boot again with fresh RAM (after a reset or a deep-sleep wake-up)."""
        self.machine.ram = RamAllocator.for_board(self.board, self.max_ram)
        self.boot()

    # ------------------------------------------------------------------ deep sleep
    def _fall_asleep(self) -> None:
        """``esp:deep_sleep()``: the chip stops with its wake-up sources armed."""
        armed = copy.copy(self.devices.esp.wake)   # the reset below clears the chip's own
        now = self.clock.now_ns()
        self._advance_cores(now)
        self.vm.cancel_timers()
        self.devices.reset(DEEP_SLEEP_RESET)
        self.bus.publish("board", self.board.name, "sleep")
        due = None if armed.timer_us is None else now + armed.timer_us * 1000
        self._asleep = (armed, due)

    def _sleep(self) -> Outcome | None:
        """Run the stimuli until a wake-up source fires, then boot (None); the outcome when
        nothing can wake the board. A stop condition met meanwhile raises :class:`_Stop`."""
        armed, due = self._asleep
        gpio, pin_name = self.devices.gpio, self.devices.pin_for_number
        while (cause := armed.pin_cause(lambda n: gpio.level(pin_name(n)))) is None:
            next_ns = self.clock.next_due_ns()
            if due is not None and (next_ns is None or next_ns >= due):
                self._advance_cores(due)
                cause = "timer"
                break
            if next_ns is None:
                return Outcome(int(Exit.VM_ABORT), "asleep", None, self.now_ns())
            self._advance_cores(next_ns)
            self.clock.fire_due(next_ns)
        self._asleep = None
        self.devices.esp.wake.cause = cause
        self.bus.publish("board", self.board.name, "wake")
        self._power_up()
        return None

    def _advance_cores(self, t_ns: int) -> None:
        """Every core idles until ``t_ns`` (with ``--realtime``, as long on the host)."""
        self.clock.pace(t_ns)
        for core in range(len(self.clock.cycles)):
            self.clock.advance_core_to(core, t_ns)

    # ------------------------------------------------------------------ stimuli
    def at(self, t_ns: int, action: Callable[[], None]) -> None:
        """Run ``action`` at virtual time ``t_ns`` (between slices, as an interrupt would)."""
        self.vm.scheduler.schedule(t_ns, action)

    def press(self, part: str, at_ns: int, release_after_ns: int | None = None) -> None:
        """Press a button (``part`` name) at ``at_ns``; release it ``release_after_ns`` later."""
        button = self.devices.part(part)
        self.at(at_ns, button.press)
        if release_after_ns is not None:
            self.at(at_ns + release_after_ns, button.release)

    def part(self, name: str) -> Any:
        """A fitted part, bus chip or analog source by name, to act on it between runs:
        ``sim.part("env").set(temperature_c=30.0)`` (KeyError naming those that exist)."""
        return self.devices.part(name)

    def wifi_ap(self, ssid: str) -> AccessPoint:
        """An access point of the radio world, to switch it off and on:
        ``sim.wifi_ap("home").down()`` now, ``sim.at(t_ns, sim.wifi_ap("home").up)`` later
        (KeyError naming those that exist)."""
        return self.network.radio.ap(ssid)

    def pin(self, name: str) -> int:
        """The level on a pin now."""
        return self.devices.gpio.level(name)

    def now_ns(self) -> int:
        return self.clock.now_ns()

    # ------------------------------------------------------------------ CI conditions
    def watch_console(self, expect: list[str], fail: list[str]) -> None:
        """End the run on the first expected (status 0) or failure (status 1) text."""
        texts = {t.encode(): "expected" for t in expect}
        texts.update({t.encode(): "failed" for t in fail})
        if not texts:
            return
        self._watch = TextWatch(texts)
        self.devices.console.add_sink(self._console_seen)

    def _console_seen(self, data: bytes) -> None:
        hit = self._watch.feed(data) if self._watch is not None else None
        if hit is None:
            return
        text, why = hit
        self._watch = None   # the first match decides
        status = Exit.OK if why == "expected" else Exit.APP_FAILED
        now = self.vm.scheduler.now_ns()
        self.at(now, lambda: self._stop(Outcome(int(status), why, text.decode(), now)))

    @staticmethod
    def _stop(outcome: Outcome) -> None:
        raise _Stop(outcome)

    # ------------------------------------------------------------------ running
    def run(self, until_ns: int | None = None, timeout: bool = False) -> Outcome:
        """Run until the app ends or a stop condition holds; the outcome (also ``.outcome``).

        With ``until_ns`` the run pauses at that virtual time (``why`` = ``paused``) and
        can be continued; ``timeout=True`` makes that deadline a failure (status 42).
        """
        if self.outcome is not None and self.outcome.why != "paused":
            return self.outcome
        deadline = None
        if until_ns is not None:
            why, status = ("timeout", Exit.TIMEOUT) if timeout else ("paused", Exit.OK)
            deadline = self.vm.scheduler.schedule(
                until_ns, lambda: self._stop(Outcome(int(status), why, None, until_ns)))
        try:
            self.outcome = self._run_vm()
        finally:
            if deadline is not None:
                deadline.cancel()
        return self.outcome

    def _run_vm(self) -> Outcome:
        while True:
            if self._asleep is not None:
                try:
                    asleep = self._sleep()
                except _Stop as stop:
                    return stop.outcome
                if asleep is not None:
                    return asleep
            vm = self.vm
            if self._announce_boot:
                self._announce_boot = False
                self.bus.publish("board", self.board.name, "boot")
            try:
                value = vm.run(self.start)
            except _Stop as stop:
                return stop.outcome
            except Restart:
                self._reboot()
                continue
            except TaskWatchdogPanic:
                self._reboot(TASK_WDT_RESET)
                continue
            except DeepSleep:
                self._fall_asleep()
                continue
            except ProcessExit as crash:
                why = "crashed" if crash.error is not None else "exited"
                return Outcome(int(Exit.APP_FAILED), why, crash, self.now_ns())
            except Halt as halt:
                return Outcome(halt.status, "halted", halt.status, self.now_ns())
            status = Exit.OK if succeeded(value) else Exit.APP_FAILED
            return Outcome(int(status), "returned", value, self.now_ns())


def parse_duration(text: str) -> int:
    """``5s``, ``250ms``, ``10us``, ``2m``, ``1h`` or plain seconds, as nanoseconds."""
    units = (("ms", 1_000_000), ("us", 1_000), ("ns", 1), ("s", NS_PER_S),
             ("m", 60 * NS_PER_S), ("h", 3600 * NS_PER_S))
    text = text.strip()
    for suffix, scale in units:
        if text.endswith(suffix):
            number, factor = text[:-len(suffix)], scale
            break
    else:
        number, factor = text, NS_PER_S
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a duration (e.g. 5s, 250ms, 2m)") from None
    if value < 0:
        raise ValueError(f"{text!r}: a duration cannot be negative")
    return round(value * factor)
