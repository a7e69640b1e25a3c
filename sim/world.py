"""Several boards in one simulation: one virtual clock, deterministic.

``World(spec)`` builds one :class:`~avmsim.simulation.Simulation` per board of a world file
(sim/world_file.py) — each with its own flash, peripherals, trace bus, clock and scheduler —
connects the UART wires between them, and hands every board the same network and radio
world (``network``: one IP network, one radio world with the file's access points), so
boards on one access point reach each other by address. ``run()`` runs each board's
scheduler loop in a thread of its own, and the threads take turns (sim/world_turns.py): the
board furthest behind in virtual time runs, so that whatever one board sends another
arrives at the right virtual time, and the same world file gives the
same output and traces every time.

The run ends when every board has ended: its app returned, crashed or halted, it deadlocked,
or the deadline passed. A board whose console shows an expected or failure text
(``watch_console``) ends the whole world: the other boards stop at their next turn.
From Python::

    world = World(load_world_file("world.toml"))
    outcomes = world.run(until_ns=2_000_000_000)      # {name: Outcome or the exception}
    world.sims["sensor"].pin("GPIO2")
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from .cli import failure_status
from .clock import DEFAULT_EPOCH_S
from .exit_codes import Exit
from .net_world import NetWorld
from .simulation import Outcome, Simulation, _Stop
from .uart_wire import UartWire
from .world_file import WorldSpec
from .world_turns import Turns

STOPPED = "stopped"
"""``Outcome.why`` of a board ended because another board's console decided the run."""

Result = Outcome | BaseException
"""How one board's run ended: its outcome, or what went wrong (a deadlock, no RAM…)."""


class World:
    """The boards of a world file, wired together, ready to run."""

    def __init__(self, spec: WorldSpec, *, epoch_s: int = DEFAULT_EPOCH_S,
                 realtime: float | None = None, max_ram: int | None = None,
                 nvs_images: dict[str, bytes | None] | None = None) -> None:
        self.spec = spec
        nvs_images = nvs_images or {}
        self.network = NetWorld(radio=spec.radio_world())
        self.sims: dict[str, Simulation] = {
            b.name: Simulation(b.board, list(b.packs), epoch_s=epoch_s, realtime=realtime,
                               max_ram=max_ram, seed=b.seed, lib=b.lib,
                               nvs_image=nvs_images.get(b.name), network=self.network)
            for b in spec.boards}
        self.turns = Turns(len(self.sims))
        self.decided_by: str | None = None     # the board whose console ended the run
        self._interrupted = False
        for index, sim in enumerate(self.sims.values()):
            hook = self._turn_hook(index, sim)
            hook(sim.vm)
            sim.boot_hooks.append(hook)
        self.wires = [UartWire(self.sims[w.src].devices.uart(w.src_uart), self.sims[w.dst],
                               self.sims[w.dst].devices.uart(w.dst_uart))
                      for w in spec.wires]

    def _turn_hook(self, index: int, sim: Simulation) -> Callable[[Any], None]:
        """Make every VM the board boots wait for the board's turn."""
        def turn(wake: Callable[[], int | None]) -> None:
            self.turns.take(index, wake)
            if self._interrupted:
                raise KeyboardInterrupt
            if self.decided_by is not None:
                now = sim.vm.scheduler.now_ns()
                raise _Stop(Outcome(int(Exit.OK), STOPPED, self.decided_by, now))

        def hook(vm: Any) -> None:
            vm.scheduler.turn = turn
        return hook

    def run(self, until_ns: int | None = None, timeout: bool = False) -> dict[str, Result]:
        """Run every board until it ends, or until ``until_ns`` (paused, or with ``timeout``
        status 42, as :meth:`Simulation.run`); each board's outcome or exception by name."""
        self.turns = Turns(len(self.sims))
        results: dict[str, Result] = {}
        threads = [threading.Thread(target=self._board, name=f"board {name}", daemon=True,
                                    args=(index, name, until_ns, timeout, results))
                   for index, name in enumerate(self.sims)]
        for thread in threads:
            thread.start()
        try:
            self.turns.wait_done()
        except KeyboardInterrupt:   # each board stops at its next turn, then the run ends
            self._interrupted = True
            self.turns.wait_done()
            raise
        finally:
            for thread in threads:
                thread.join()
        return {name: results[name] for name in self.sims}

    def _board(self, index: int, name: str, until_ns: int | None, timeout: bool,
               results: dict[str, Result]) -> None:
        """One board's thread: its run, in turns with the others."""
        self.turns.wait_first(index)
        try:
            result: Result = self.sims[name].run(until_ns, timeout)
        except BaseException as exc:   # noqa: BLE001 - reported with the board's name
            result = exc
        results[name] = result
        if isinstance(result, Outcome) and result.why in ("expected", "failed"):
            self.decided_by = self.decided_by or name
        self.turns.end(index)

    def now_ns(self) -> int:
        """The virtual time the world has reached: that of the board furthest behind."""
        return min(sim.now_ns() for sim in self.sims.values())


def world_status(results: dict[str, Result], decided_by: str | None) -> int:
    """The exit status of a world: that of the board whose console decided the run; else
    the first board's (in file order) that failed, a timeout (42) counting only when no
    board failed otherwise; 0 when every board succeeded."""
    if decided_by is not None:
        return _status(results[decided_by])
    statuses = [_status(r) for r in results.values()]
    failures = [s for s in statuses if s not in (Exit.OK, Exit.TIMEOUT)]
    if failures:
        return failures[0]
    return int(Exit.TIMEOUT) if Exit.TIMEOUT in statuses else int(Exit.OK)


def _status(result: Result) -> int:
    if isinstance(result, Outcome):
        return result.status
    return failure_status(result)[0] if isinstance(result, Exception) else int(Exit.VM_ABORT)

