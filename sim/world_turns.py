"""Turn-taking between the boards of a world: one virtual clock, whatever the host does.

Each board keeps its own Simulation, clock and scheduler, and runs its scheduler loop in a
thread of its own; only one thread runs at a time. Before every step (the top of the
scheduler loop, and before an idle core jumps ahead) a board asks for its turn, saying when
it wants to act: its time now, or — idle — the time of its next own event (None: nothing
pending, it waits until another board schedules something into it). The board furthest
behind in virtual time gets the turn, ties going to the board listed first; a board is asked
for that time again whenever a turn is decided, because another board may have scheduled an
event into it meanwhile (a UART wire, a network packet).

This is conservative parallel discrete-event simulation without look-ahead: a board never
runs past a time another board could still send it something for, except by the slice it is
in (as an interrupt waits for the running slice on one board). Because the order of turns
depends on virtual times and board order alone, a world runs the same way every time.

When every board still running waits forever, the first of them gets the turn anyway: it
finds nothing to do and reports its deadlock (or, with host sockets open, waits on the
host), and the next one follows when it has ended.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

WakeTime = Callable[[], "int | None"]
"""When a board wants to act: virtual ns, or None for "only when someone wakes me"."""


def _from_start() -> int:
    return 0


class Turns:
    """The baton passed between ``n`` board threads."""

    def __init__(self, n: int) -> None:
        self._cond = threading.Condition()
        self._wake: list[WakeTime | None] = [_from_start] * n   # None: the board has ended
        self._holder: int | None = 0

    def wait_first(self, board: int) -> None:
        """Block the thread of ``board`` until it first has the turn."""
        with self._cond:
            self._cond.wait_for(lambda: self._holder == board)

    def take(self, board: int, wake: WakeTime) -> None:
        """``board`` (holding the turn) wants to act at ``wake()``: return once it is the
        board furthest behind, letting the others run meanwhile."""
        with self._cond:
            self._wake[board] = wake
            self._hand_to(self._next())
            self._cond.wait_for(lambda: self._holder == board)

    def end(self, board: int) -> None:
        """``board`` has ended (holding the turn): it will not ask again."""
        with self._cond:
            self._wake[board] = None
            self._hand_to(self._next())

    def done(self) -> bool:
        """Whether every board has ended."""
        with self._cond:
            return self._holder is None

    def wait_done(self) -> None:
        """Block until every board has ended."""
        with self._cond:
            self._cond.wait_for(lambda: self._holder is None)

    def _hand_to(self, board: int | None) -> None:
        if board != self._holder:
            self._holder = board
            self._cond.notify_all()

    def _next(self) -> int | None:
        """The running board with the earliest wake-up time (the first listed on a tie);
        the first running board when all wait forever; None when all have ended."""
        best: int | None = None
        best_ns = 0
        first_running: int | None = None
        for board, wake in enumerate(self._wake):
            if wake is None:
                continue
            if first_running is None:
                first_running = board
            t_ns = wake()
            if t_ns is not None and (best is None or t_ns < best_ns):
                best, best_ns = board, t_ns
        return best if best is not None else first_running
