"""``avmsim [options] world.toml``: run the boards of a world file together.

The world's options are those of a single board's run that make sense for all of them:
``--timeout``, ``--expect-text`` / ``--fail-text`` (on any board's console: the first seen
ends the run), ``--epoch``, ``--realtime``, ``--max-ram`` (each board), ``--ui`` /
``--headless``, and the outputs, which carry the board in their names:

* consoles on stdout, each line prefixed by its board (``[sensor] ready``), and avmsim's
  own messages about a board (its crash reports, ``Return value: …``) likewise on stderr;
* ``--trace FILE.jsonl``: one file, each line with a ``board`` field;
* ``--vcd FILE.vcd``: one file, one scope per board;
* ``--serial-log FILE``, ``--memory-report FILE.json``: one file per board, the board's
  name before the extension (``console.sensor.log``, ``mem.sensor.json``).

Options that describe one board (``--board``, ``--parts``, ``--nvs``, ``--lib``,
``--seed``) belong in the world file, per board, as do access points (``[[wifi]]`` rather
than ``--wifi``); they are refused with one message. The host bridge is the world's:
``--forward tcp:8080:BOARD:80`` names the board, ``--net-allow`` opens the host to every
board, and an idle world keeps pace with the host while a host socket is open (each board
polls the one gateway between its slices). The exit status is the world's
(:func:`avmsim.world.world_status`).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from pathlib import Path

from .cli import failure_status
from .clock import NS_PER_S
from .exit_codes import Exit
from .line_prefix import LinePrefixer
from .run_cmd import (DEFAULT_BOARD, OUTCOME_MESSAGES, UsageError, _host_gateway, _host_rules,
                      _nvs_image, _writable)
from .world import STOPPED, Result, World, world_status
from .world_file import WorldSpec, load_world_file

NOT_FOR_WORLDS = {
    "--board": lambda a: a.board != DEFAULT_BOARD, "--parts": lambda a: a.parts,
    "--nvs": lambda a: a.nvs, "--lib": lambda a: a.lib, "--seed": lambda a: a.seed,
    "--uart": lambda a: a.uart, "--interactive": lambda a: a.interactive,
    "--memory-ceiling": lambda a: a.memory_ceiling,
    "--update-ceiling": lambda a: a.update_ceiling, "--wifi": lambda a: a.wifi,
    "--wifi-file": lambda a: a.wifi_file}
"""Options refused with a world file: one board's set-up (it goes in the file, per board;
access points are its ``[[wifi]]`` tables)."""


def is_world(inputs: list[str]) -> bool:
    """Whether the command line runs a world file rather than an app."""
    return len(inputs) == 1 and inputs[0].endswith(".toml")


def per_board_path(path: str, board: str) -> Path:
    """``mem.json`` → ``mem.sensor.json``: a board's own file for a per-board output."""
    p = Path(path)
    return p.with_name(f"{p.stem}.{board}{p.suffix}")


def run_world(args: argparse.Namespace, max_ram: int | None, timeout: int | None) -> int:
    """Run the world file ``args.inputs[0]``; its exit status."""
    for option, given in NOT_FOR_WORLDS.items():
        if given(args):
            raise UsageError(f"{option}: not with a world file (see 'World files' in "
                             "docs/network.md: boards, their set-up and access points go in "
                             f"{args.inputs[0]})")
    spec = load_world_file(args.inputs[0])
    for path, option in ((args.serial_log, "--serial-log"), (args.vcd, "--vcd"),
                         (args.trace, "--trace"), (args.memory_report, "--memory-report")):
        _writable(path, option)
    nvs_images = {b.name: _nvs_image(str(b.nvs), b.board, f"{spec.path}: board '{b.name}': nvs")
                  for b in spec.boards if b.nvs is not None}
    host_rules = _host_rules(args)
    world = World(spec, epoch_s=args.epoch, realtime=args.realtime, max_ram=max_ram,
                  nvs_images=nvs_images)
    with contextlib.ExitStack() as stack:
        _save_nvs(world, spec, stack)
        errs = _outputs(world, args, stack)
        _traces(world, args, stack)
        _host(world, host_rules, stack)
        _memory_reports(world, args.memory_report, stack)
        for sim in world.sims.values():
            sim.watch_console(args.expect_text, args.fail_text)
        results = world.run(timeout, timeout=True) if timeout is not None else world.run()
        stack.close()   # consoles, traces and files are complete before the outcomes
        for name, result in results.items():
            _report(errs[name], result, world.decided_by)
    return world_status(results, world.decided_by)


def _save_nvs(world: World, spec: WorldSpec, stack: contextlib.ExitStack) -> None:
    """Write each board's NVS partition back to its file when the run ends, whatever way."""
    for b in spec.boards:
        if b.nvs is not None:
            esp = world.sims[b.name].devices.esp
            stack.callback(lambda esp=esp, path=b.nvs: path.write_bytes(esp.nvs.image()))


def _outputs(world: World, args: argparse.Namespace,
             stack: contextlib.ExitStack) -> dict[str, LinePrefixer]:
    """Consoles to stdout (or the live view), prefixed; crash reports to stderr, prefixed;
    ``--serial-log`` per board. Returns each board's stderr writer."""
    from .crash_report import write_crash_report
    from .live_view import should_use_ui
    live = should_use_ui(sys.stdout, args.ui)
    if live:
        from .world_view import start_world_view
        start_world_view(world, stack)
    errs = {}
    for name, sim in world.sims.items():
        err = errs[name] = LinePrefixer(f"[{name}] ", sys.stderr.write, sys.stderr.flush)
        stack.callback(err.close)
        sim.on_crash(lambda vm, proc, crash, err=err: write_crash_report(vm, proc, crash, err))
        if args.serial_log:
            log = stack.enter_context(open(per_board_path(args.serial_log, name), "wb"))
            sim.devices.console.add_sink(log.write)
        if not live:
            out = LinePrefixer(f"[{name}] ".encode(), sys.stdout.buffer.write,
                               sys.stdout.buffer.flush)
            sim.devices.console.add_sink(out.write)
            stack.callback(out.close)
    return errs


def _host(world: World, host_rules: tuple[list, list], stack: contextlib.ExitStack) -> None:
    """The world's host gateway (``--forward``, ``--net-allow``, the gateway address), polled
    by every board between its slices and waited on by the one whose turn it is when idle."""
    with_network = [sim for sim in world.sims.values() if sim.devices.net is not None]
    if not with_network:
        if host_rules[0] or host_rules[1]:
            rule = (host_rules[0] + host_rules[1])[0]
            raise UsageError(f"{rule.option}: no board of the world has a network")
        return
    from .host_inputs import HostInputs
    gateway = world.network.gateway = _host_gateway(world.network.ip, *host_rules)
    stack.callback(gateway.close)
    for sim in with_network:
        HostInputs(sim).pace_with(gateway)


def _traces(world: World, args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    """``--trace``: one JSONL with a board field; ``--vcd``: one VCD with a scope per board."""
    if args.trace:
        from .jsonl_writer import JsonlWriter
        trace = stack.enter_context(open(args.trace, "w", encoding="utf-8", newline="\n"))
        for name, sim in world.sims.items():
            writer = JsonlWriter(trace, board=name)
            writer.attach(sim.bus)
            stack.callback(writer.close)
    if args.vcd:
        from .world_vcd import WorldVcd
        vcd = WorldVcd(args.vcd)
        for name, sim in world.sims.items():
            gpio = sim.devices.gpio
            pins = list(gpio.pins) if gpio is not None else []
            vcd.add_board(name, sim.bus, pins, {p: gpio.level(p) for p in pins})
        stack.callback(lambda: vcd.close({n: s.now_ns() for n, s in world.sims.items()}))


def _memory_reports(world: World, path: str | None, stack: contextlib.ExitStack) -> None:
    """``--memory-report``: one report per board, written when the run ends."""
    if not path:
        return
    from .memory_report import MemoryMonitor
    for b in world.spec.boards:
        monitor = MemoryMonitor(world.sims[b.name].vm, board=b.kind)
        stack.callback(monitor.write_json, per_board_path(path, b.name))


def _report(err: LinePrefixer, result: Result, decided_by: str | None) -> None:
    """What became of one board, on its stderr lines."""
    if isinstance(result, Exception):
        status, text = failure_status(result)
        if status == Exit.INTERNAL_ERROR and os.environ.get("AVMSIM_DEBUG"):
            traceback.print_exception(result)
        message = f"avmsim: {text}"
    elif isinstance(result, BaseException):
        message = f"avmsim: {type(result).__name__}"
    elif result.why == STOPPED:
        message = (f"avmsim: stopped at {result.t_ns / NS_PER_S:.6f} s: board "
                   f"'{decided_by}' ended the run")
    else:
        message = OUTCOME_MESSAGES[result.why](result)
    if message:
        err.write(message + "\n")
