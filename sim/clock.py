"""Virtual time: the only time a simulated board knows.

Each core has its own cycle counter, advanced by what it executes; time on a core is its
cycles divided by the clock frequency. Timed events (timers, ``receive … after``) wait in a
queue ordered by due time, then by the order they were armed, so that every run of the same
inputs fires them in the same order. Nothing here reads the host clock, except the optional
pacing of ``--realtime``.
"""
from __future__ import annotations

import heapq
import time
from typing import Callable

NS_PER_S = 1_000_000_000
PACE_STEP_S = 0.05   # longest host sleep between pace hooks while --realtime waits

DEFAULT_EPOCH_S = 1_767_225_600
"""Wall-clock time at boot unless ``--epoch`` says otherwise: 2026-01-01T00:00:00Z."""


class TimedEvent:
    """An event in the queue; ``cancel`` leaves it in place but makes it do nothing."""

    __slots__ = ("due_ns", "action", "cancelled")

    def __init__(self, due_ns: int, action: Callable[[], None]) -> None:
        self.due_ns = due_ns
        self.action = action
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """Per-core cycle counters, the event queue, and the wall-clock epoch of one board."""

    def __init__(self, hz: int, cores: int, epoch_s: int = DEFAULT_EPOCH_S,
                 realtime_factor: float | None = None) -> None:
        self.hz = hz
        self.cycles = [0] * cores
        self.epoch_ns = epoch_s * NS_PER_S
        self._queue: list[tuple[int, int, TimedEvent]] = []
        self._seq = 0
        self.realtime_factor = realtime_factor
        self._host_start = time.monotonic() if realtime_factor else 0.0
        self.pace_hooks: list[Callable[[], None]] = []   # called while pacing waits (the UI)

    # ------------------------------------------------------------------ time
    def core_ns(self, core: int) -> int:
        """Virtual nanoseconds elapsed on ``core`` since boot."""
        return self.cycles[core] * NS_PER_S // self.hz

    def cycles_for_ns(self, ns: int) -> int:
        return -(-ns * self.hz // NS_PER_S)  # round up: a core never lands before ``ns``

    def advance_core_to(self, core: int, ns: int) -> None:
        """Idle ``core`` until virtual time ``ns`` (no-op if it is already later)."""
        target = self.cycles_for_ns(ns)
        if target > self.cycles[core]:
            self.cycles[core] = target

    def now_ns(self) -> int:
        """The latest time any core has reached."""
        return max(self.cycles) * NS_PER_S // self.hz

    # ------------------------------------------------------------------ events
    def schedule(self, due_ns: int, action: Callable[[], None]) -> TimedEvent:
        event = TimedEvent(due_ns, action)
        heapq.heappush(self._queue, (due_ns, self._seq, event))
        self._seq += 1
        return event

    def next_due_ns(self) -> int | None:
        """Due time of the earliest live event, or None when nothing is pending."""
        q = self._queue
        while q and q[0][2].cancelled:
            heapq.heappop(q)
        return q[0][0] if q else None

    def fire_due(self, limit_ns: int) -> int:
        """Run every live event due at or before ``limit_ns``, in order; returns how many."""
        q = self._queue
        fired = 0
        while q and q[0][0] <= limit_ns:
            _, _, event = heapq.heappop(q)
            if not event.cancelled:
                self.pace(event.due_ns)
                event.action()
                fired += 1
        return fired

    # ------------------------------------------------------------------ pacing
    def pace(self, virtual_ns: int) -> None:
        """With ``--realtime``, wait until the host clock catches up with ``virtual_ns``."""
        if not self.realtime_factor:
            return
        host_due = self._host_start + virtual_ns / NS_PER_S / self.realtime_factor
        while (delay := host_due - time.monotonic()) > 0:
            time.sleep(min(delay, PACE_STEP_S))
            for hook in self.pace_hooks:
                hook()

