"""Wire the live view to a running simulation: its parts, its figures and its frame ticks.

The view sees the board only through the trace bus, the ``stats()`` snapshot built here
from the RAM allocator and the VM's process figures (read once per frame), and the chips and
analog sources fitted from the parts file (their values, read once per frame).
"""
from __future__ import annotations

import contextlib
from typing import Any

from .live_view import LiveView

TOP_PROCESSES = 5
BUTTON_COLOR = "white"   # buttons and switches have no colour of their own


def _label(proc: Any) -> str:
    name = proc.registered_name
    return f"{proc.pid!r} {name.name}" if name is not None else repr(proc.pid)


def stats_of(sim: Any) -> dict:
    """The figures one frame shows (keys: ``live_view.STATS_KEYS``)."""
    vm, ram = sim.vm, sim.machine.ram
    procs = sorted(((vm.memory_stats(p)["memory"], _label(p)) for p in vm.processes.values()),
                   reverse=True)[:TOP_PROCESSES]
    free = ram.free_bytes
    return {"t_ns": sim.now_ns(), "ram_used": ram.used_bytes, "ram_free": free,
            "ram_total": None if free is None else ram.used_bytes + free,
            "ram_largest": ram.largest_free_block,
            "processes": [(label, size) for size, label in procs],
            "process_count": len(vm.processes)}


def live_view_for(sim: Any) -> LiveView:
    """A live view of ``sim``, fed by its trace bus (not yet drawing)."""
    devices = sim.devices
    parts = [{"name": p.name, "kind": p.kind, "pin": p.pin,
              "color": getattr(p, "color", BUTTON_COLOR), "active_level": p.active_level}
             for p in devices.parts.values()]
    pins = list(devices.gpio.pins) if devices.gpio is not None else []
    view = LiveView(sim.board.name, parts, pins, lambda: stats_of(sim),
                    console_uart=devices.console.name, devices=list(devices.fitted.values()))
    view.attach(sim.bus)
    return view


def start_live_view(sim: Any, stack: contextlib.ExitStack) -> LiveView:
    """Show the live view until the run ends (``stack`` closes it)."""
    view = live_view_for(sim)

    def hook(vm: Any) -> None:
        vm.scheduler.slice_hooks.append(lambda _proc: view.tick())
    hook(sim.vm)
    sim.boot_hooks.append(hook)
    sim.clock.pace_hooks.append(view.tick)
    view.start()
    stack.callback(lambda: view.stop(_final_status(sim)))
    return view


def _final_status(sim: Any) -> str:
    outcome = sim.outcome
    return "stopped" if outcome is None else f"{outcome.why} (exit status {outcome.status})"
