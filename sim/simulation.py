"""A simulated board running an app: the one API the command line, tests and scenarios share.

``Simulation(board, inputs)`` flashes the standard library and the app, wires the board's
peripherals to the VM and boots it, as AtomVM's firmware does. ``run()`` goes until the app
ends or something stops it: a virtual deadline (``until_ns`` / ``--timeout``), expected or
failure text on the console, ``erlang:halt``. Between runs a test can act on the board —
press a button at a virtual time, read a pin — and run on. ``esp:restart()`` reboots the
board in place (same flash, same peripherals, pins back to inputs).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from avmsim.boards import Board
from avmsim.vm.errors import Halt, NoStartModuleError, ProcessExit, Restart
from avmsim.vm.terms import atom, from_list
from avmsim.vm.vm import VM

from .clock import DEFAULT_EPOCH_S, NS_PER_S, VirtualClock
from .devices import SOFTWARE_RESET, Devices
from .exit_codes import Exit
from .machine import Machine
from .ram import RamAllocator
from .runner import STDLIB_IMAGE, app_image, stdlib_image, succeeded
from .trace import TraceBus


@dataclass
class Outcome:
    """How a run ended: ``status`` is the command's exit status, ``why`` a short tag."""
    status: int
    why: str                 # returned, crashed, exited, halted, timeout, expected, failed, paused
    value: Any = None        # start/0's value, the crash (ProcessExit) or the matched text
    t_ns: int = 0


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
                 seed: int = 0) -> None:
        self.board = board
        self.clock = VirtualClock(board.clock_hz, board.cores, epoch_s, realtime)
        self.max_ram = max_ram
        self.vm: VM | None = None
        self.bus = TraceBus(self._now_ns)
        self.devices = Devices(board, self.bus)
        self.machine = Machine(board, self.clock, max_ram, devices=self.devices)
        self.machine.write_partition("boot_avm", stdlib_image(), STDLIB_IMAGE)
        self.app_origin = inputs[0] if len(inputs) == 1 else " + ".join(inputs)
        self.machine.write_partition("main_avm", app_image(inputs), self.app_origin)
        self.seed = seed
        self.start: Any = None
        self.outcome: Outcome | None = None
        self.crash_reporter: Callable[[VM, Any, Any], None] | None = None
        self.boot_hooks: list[Callable[[VM], None]] = []
        self._watch: TextWatch | None = None
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
        vm.port_drivers = dict(self.devices.port_drivers)
        vm.add_pack(self.machine.read_partition("boot_avm"), STDLIB_IMAGE, start_modules=False)
        vm.add_pack(self.machine.read_partition("main_avm"), self.app_origin)
        if not vm.start_candidates:
            raise NoStartModuleError(f"{self.app_origin}: no module is flagged as start module "
                                     "(none exports start/0); pack it with --start MODULE")
        self.vm = vm
        self._apply_crash_reporter()
        vm.spawn_hooks.append(lambda proc: self._process_event(proc, "spawn"))
        vm.exit_hooks.append(lambda proc: self._process_event(proc, "exit"))
        self.start = vm.spawn_start(atom("init"), atom("boot"),
                                    [from_list([b"-s", vm.start_candidates[0]])])
        self._announce_boot = True   # published when it runs, so that tracers see it
        for hook in self.boot_hooks:
            hook(vm)

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

    def _reboot(self) -> None:
        """``esp:restart()``: the RAM is lost, flash and wiring stay."""
        self.machine.ram = RamAllocator.for_board(self.board, self.max_ram)
        self.vm.cancel_timers()   # the old firmware's timers die with it; stimuli stay
        self.devices.reset(SOFTWARE_RESET)
        self.bus.publish("board", self.board.name, "reset")
        self.boot()

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
