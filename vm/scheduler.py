"""The scheduler: simulated cores taking turns in virtual time, deterministically.

Each online core has its own cycle counter (in the board's clock, see ``sim/clock.py``).
The core that is furthest behind in virtual time always acts next: it fires the timers that
are due by its time, then runs one slice (1024 reductions, as AtomVM) of the first process in
the run queue that was ready by then, and is charged the cycles that slice took. Work done
on one core is visible to another only at or after the virtual time it happened, so two
cores finish parallel work sooner in virtual time, as on the device — and because all of
this happens in one host thread in a fixed order, every run gives the same result.

When no process can run, the idle core jumps straight to the next timer (or to the time of
the next busy core): an hour of sleeping costs no host time.
"""
from __future__ import annotations

from collections import deque
from typing import Any

from .errors import ProcessExit, VMAbort


class Deadlock(VMAbort):
    """Every process waits for a message that nothing can send, and no timer is pending."""


class Scheduler:
    """Run queue, cores and the slice loop of one VM."""

    def __init__(self, vm: Any, clock: Any, cores: int, cycles_per_instruction: int) -> None:
        self.vm = vm
        self.clock = clock
        self.cores = cores
        self.online = cores
        self.cpi = cycles_per_instruction
        self.ready: deque[Any] = deque()
        self.current: Any = None
        self.current_core = 0
        self._slice_n0 = 0
        self._slice_cycles0 = 0
        self.event_ns: int | None = None   # set while a timer action runs
        self.slice_hooks: list[Any] = []    # called as hook(proc) after every slice
        self.host_input: Any = None         # host_input(wait_ns) -> True when input came in
        self.turn: Any = None   # turn(wake) -> None: in a world of boards, waits for this one's
        #                         turn to act at wake() (sim/world_turns.py)

    # ------------------------------------------------------------------ time
    def now_ns(self) -> int:
        """Virtual time as the running code sees it (or as a firing timer sees it)."""
        cur = self.current
        if cur is not None:
            cycles = self._slice_cycles0 + (cur.n - self._slice_n0) * self.cpi
            return cycles * 1_000_000_000 // self.clock.hz
        if self.event_ns is not None:
            return self.event_ns
        return min(self.clock.core_ns(i) for i in range(self.online))

    def stall_ns(self, ns: int) -> None:
        """The running code waits ``ns`` on its core without giving it up (a NIF that blocks
        on a bus transfer, as AtomVM's drivers block their scheduler thread): the core's
        clock moves on by that much. Outside a slice (a timer action) it does nothing."""
        if self.current is None or ns <= 0:
            return
        cycles = self.clock.cycles_for_ns(ns)
        self._slice_cycles0 += cycles
        self.clock.cycles[self.current_core] += cycles

    def make_ready(self, proc: Any, at_ns: int) -> None:
        proc.ready_at = at_ns
        self.ready.append(proc)

    def schedule(self, due_ns: int, action: Any) -> Any:
        """Arm a timed event; ``action`` runs with :meth:`now_ns` equal to its due time."""
        def fire() -> None:
            self.event_ns = due_ns
            try:
                action()
            finally:
                self.event_ns = None
        return self.clock.schedule(due_ns, fire)

    # ------------------------------------------------------------------ running
    def _pick(self, t: int) -> Any:
        """First process in the run queue that was ready by ``t`` (FIFO), or None."""
        ready = self.ready
        for i, proc in enumerate(ready):
            if proc.ready_at <= t:
                del ready[i]
                return proc
        return None

    def run(self, start: Any) -> Any:
        """Run until ``start`` ends; returns its result (ProcessExit propagates on a crash)."""
        clock = self.clock
        vm = self.vm
        while True:
            core = min(range(self.online), key=clock.cycles.__getitem__)
            t = clock.core_ns(core)
            if self.turn is not None:
                self.turn(lambda: t)
            clock.fire_due(t)
            proc = self._pick(t)
            if proc is None:
                self._idle(core, t)
                continue
            self.current = proc
            self.current_core = core
            self._slice_n0 = proc.n
            self._slice_cycles0 = clock.cycles[core]
            try:
                vm.run_slice(proc)
            except BaseException as exc:
                if isinstance(exc, ProcessExit):  # signals go out at the time of death
                    vm.process_exited(proc, exc)
                self._end_slice(core, proc)
                if not isinstance(exc, ProcessExit):
                    raise
                if proc is start:
                    return vm.start_outcome(proc, exc)
                continue
            self._end_slice(core, proc)
            for hook in self.slice_hooks:
                hook(proc)
            if not proc.waiting:
                self.make_ready(proc, clock.core_ns(core))

    def _end_slice(self, core: int, proc: Any) -> None:
        self.clock.cycles[core] += (proc.n - self._slice_n0) * self.cpi
        self.current = None

    def _idle(self, core: int, t: int) -> None:
        """Nothing is ready on ``core`` at ``t``: jump to the next moment something can be.

        In a world of boards the core first waits for its board's turn to act at that
        moment (``turn``), and looks again: another board may have woken this one meanwhile;
        once it has the turn no board is behind it, so the jump is the world's.
        Host input comes next: ``host_input(wait_ns)`` takes what the host sent and may wait
        for more, up to the jump this core is about to make when no other core is ahead
        (``0`` when one is: that is catching up, not waiting), as long as it takes when
        nothing else can happen (``None``); True when input came in, which runs before time
        jumps ahead."""
        candidates, ahead = self._wake_candidates(core, t)
        if self.turn is not None:   # another board may schedule into this one meanwhile
            self.turn(lambda: self._wake_ns(core, t))
            candidates, ahead = self._wake_candidates(core, t)
        if self.host_input is not None and self.host_input(
                0 if ahead else min(candidates) - t if candidates else None):
            return
        candidates += ahead
        if not candidates:
            raise Deadlock("every process is waiting for a message and no timer is pending: "
                           "nothing can happen any more")
        self.clock.advance_core_to(core, min(candidates))  # every candidate lies after t

    def _wake_candidates(self, core: int, t: int) -> tuple[list[int], list[int]]:
        """When idle ``core`` (at ``t``) may next have work: the times queued processes are
        ready and the next event is due; and the times of the other cores that are ahead."""
        clock = self.clock
        candidates = [p.ready_at for p in self.ready]
        due = clock.next_due_ns()
        if due is not None:
            candidates.append(due)
        ahead = [clock.core_ns(i) for i in range(self.online)
                 if i != core and clock.core_ns(i) > t]
        return candidates, ahead

    def _wake_ns(self, core: int, t: int) -> int | None:
        """The earliest of :meth:`_wake_candidates`, read again each time it is asked (None:
        nothing can happen by itself)."""
        candidates, ahead = self._wake_candidates(core, t)
        return min(candidates + ahead, default=None)

    def set_online(self, n: int) -> int:
        """``erlang:system_flag(schedulers_online, N)``; returns the previous value."""
        old = self.online
        self.online = n
        lead = max(self.clock.cycles[:self.cores])
        for i in range(old, n):  # a core coming online starts at the present, not at boot
            self.clock.cycles[i] = max(self.clock.cycles[i], lead)
        return old
