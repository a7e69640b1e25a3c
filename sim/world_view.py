"""The live view of a world: every board's frame, stacked, redrawn as the boards run.

Each board has the live view a single board has (sim/live_view.py, fed by its own trace bus
through sim/live_session.py); this module only stacks their frames in one terminal screen,
an equal share of the rows each, and draws them at most ``refresh_hz`` times per host second
whichever board is running. When the run ends the boards' kept console lines are printed,
prefixed by the board's name as on a plain run, then the last frame stays below them.
"""
from __future__ import annotations

import contextlib
import sys
import time
from typing import Any

from rich.console import Console
from rich.layout import Layout
from rich.live import Live

from .live_session import _final_status, live_view_for
from .live_view import LiveView


class WorldView:
    """The stacked live views of ``views`` (board name → view), drawn on stdout."""

    def __init__(self, views: dict[str, LiveView], refresh_hz: float = 15) -> None:
        self.views = views
        self.period = 1.0 / refresh_hz
        self._console: Console | None = None
        self._live: Live | None = None
        self._last_draw = 0.0

    def frame(self) -> Layout:
        root = Layout()
        root.split_column(*(Layout(view.render(), name=name) for name, view in self.views.items()))
        return root

    def start(self) -> None:
        self._console = Console(file=sys.stdout, force_terminal=True, highlight=False)
        self._live = Live(console=self._console, auto_refresh=False, transient=True)
        self._live.start()
        self.tick()

    def tick(self) -> None:
        """Draw a frame if one is due (cheap when not: one host clock read)."""
        now = time.monotonic()
        if self._live is not None and now - self._last_draw >= self.period:
            self._last_draw = now
            self._live.update(self.frame(), refresh=True)

    def stop(self, statuses: dict[str, str]) -> None:
        """Print each board's kept console lines, then the final frame with ``statuses``."""
        if self._live is None or self._console is None:
            return
        for name, view in self.views.items():
            view.status = statuses[name]
        frame = self.frame()
        self._live.stop()
        self._live = None
        for name, view in self.views.items():
            for line in view.console_lines:
                self._console.file.write(f"[{name}] {line}\n")
        self._console.print(frame)


def world_view(world: Any) -> WorldView:
    """A live view of every board of ``world``, titled by name and kind (not yet drawing)."""
    views = {name: live_view_for(sim) for name, sim in world.sims.items()}
    for b in world.spec.boards:
        views[b.name].board_title = f"{b.name} ({b.kind})"
    return WorldView(views)


def start_world_view(world: Any, stack: contextlib.ExitStack) -> WorldView:
    """Show the world's live view until the run ends (``stack`` closes it)."""
    view = world_view(world)

    def hook(vm: Any) -> None:
        vm.scheduler.slice_hooks.append(lambda _proc: view.tick())
    for sim in world.sims.values():
        hook(sim.vm)
        sim.boot_hooks.append(hook)
        sim.clock.pace_hooks.append(view.tick)
    view.start()
    stack.callback(lambda: view.stop({name: _final_status(sim)
                                      for name, sim in world.sims.items()}))
    return view

