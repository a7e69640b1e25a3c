"""The ``avmsim`` command line.

``avmsim [--board B] app.avm [more.avm|x.beam …]`` runs an app; ``avmsim boards``,
``avmsim pack``, ``avmsim inspect`` and ``avmsim mem`` are the other commands. Every failure
of the input maps to one plain message on stderr and a distinct exit status (``exit_codes.Exit``).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Callable

from avmsim.boards import UnknownBoardError, all_boards, get_board
from avmsim.vm.errors import (BadBeamError, BadPackError, LoadError, NoStartModuleError,
                              UnsupportedOpcodeError, VMAbort)
from avmsim.vm.ram_charges import OutOfMemoryAbort

from .clock import DEFAULT_EPOCH_S
from .exit_codes import Exit
from .memory_report import ReportError
from .ram import parse_size
from .machine import ImageTooLargeError

COMMANDS = ("boards", "pack", "inspect", "mem")
DEFAULT_BOARD = "esp32-devkit"

class UsageError(ValueError):
    """An option value that argparse accepts but avmsim cannot use."""


class NotAnInputError(LoadError):
    """A file given to run that is neither .avm nor .beam."""


ERROR_EXITS: tuple[tuple[type[BaseException], Exit], ...] = (
    (NotAnInputError, Exit.NOT_AN_INPUT),
    (UsageError, Exit.USAGE),
    (ReportError, Exit.USAGE),
    (UnknownBoardError, Exit.UNKNOWN_BOARD),
    (FileNotFoundError, Exit.FILE_NOT_FOUND),
    (IsADirectoryError, Exit.FILE_NOT_FOUND),
    (PermissionError, Exit.FILE_NOT_FOUND),
    (BadPackError, Exit.BAD_PACK),
    (BadBeamError, Exit.BAD_BEAM),
    (UnsupportedOpcodeError, Exit.UNSUPPORTED_OPCODE),
    (NoStartModuleError, Exit.NO_START_MODULE),
    (ImageTooLargeError, Exit.IMAGE_TOO_LARGE),
    (OutOfMemoryAbort, Exit.OUT_OF_MEMORY),
    (VMAbort, Exit.VM_ABORT),
    (LoadError, Exit.BAD_BEAM),
)


def _message(exc: BaseException) -> str:
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, PermissionError)) and exc.filename:
        return f"cannot read {exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, OutOfMemoryAbort):
        top = sorted(exc.usage.items(), key=lambda kv: -kv[1])[:5]
        return f"{exc}\n  largest users of RAM: " + ", ".join(f"{t} {n} B" for t, n in top)
    return str(exc)


def guarded(action: Callable[[], int]) -> int:
    """Run ``action``; turn every known failure into one line on stderr and its exit status."""
    try:
        return action()
    except KeyboardInterrupt:
        print("avmsim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that maps errors to statuses
        for kind, status in ERROR_EXITS:
            if isinstance(exc, kind):
                print(f"avmsim: {_message(exc)}", file=sys.stderr)
                return int(status)
        if os.environ.get("AVMSIM_DEBUG"):
            raise
        print(f"avmsim: internal error: {type(exc).__name__}: {exc} "
              "(set AVMSIM_DEBUG=1 for a traceback)", file=sys.stderr)
        return int(Exit.INTERNAL_ERROR)


# ---------------------------------------------------------------------------- run

def _run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="avmsim",
        description="Run an AtomVM app on a simulated board. Other commands: "
                    "avmsim boards | pack | inspect | mem (see avmsim COMMAND --help).")
    p.add_argument("--board", default=DEFAULT_BOARD,
                   help=f"board to simulate (default {DEFAULT_BOARD}; see 'avmsim boards')")
    p.add_argument("--epoch", type=int, default=DEFAULT_EPOCH_S, metavar="SECONDS",
                   help="wall-clock time at boot, in Unix seconds (default "
                        f"{DEFAULT_EPOCH_S} = 2026-01-01T00:00:00Z); keeps runs reproducible")
    p.add_argument("--realtime", type=float, default=None, metavar="[=FACTOR]",
                   help="pace virtual time against the host clock (FACTOR times real "
                        "speed, default 1); the only option that reads the host clock")
    p.add_argument("--max-ram", metavar="SIZE",
                   help="shrink the board's RAM budget to SIZE bytes (K/M suffixes) to test "
                        "for headroom")
    p.add_argument("--memory-report", metavar="FILE.json",
                   help="write the run's memory report (board RAM and process peaks, a "
                        "timeline in virtual time) to FILE.json when the run ends, whatever "
                        "the outcome; view it with 'avmsim mem FILE.json'")
    p.add_argument("--memory-ceiling", metavar="FILE.json",
                   help="fail with status 4 when a memory peak exceeds this ceiling file "
                        "(plus its tolerance); the app's own failure status wins")
    p.add_argument("--update-ceiling", action="store_true",
                   help="with --memory-ceiling: write the ceiling from this run instead")
    p.add_argument("inputs", nargs="+", metavar="FILE",
                   help="the app: an .avm pack, or .beam/.avm files packed together")
    return p


def _check_inputs(inputs: list[str]) -> None:
    for path in inputs:
        if not Path(path).is_file():
            raise FileNotFoundError(2, "no such file", path)
        if not path.endswith((".avm", ".beam")):
            raise NotAnInputError(f"{path} is not an AVM or a BEAM file")


def cmd_run(argv: list[str]) -> int:
    # a bare --realtime means --realtime=1 (an optional value would swallow the file name)
    argv = ["--realtime=1" if a == "--realtime" else a for a in argv]
    args = _run_parser().parse_args(argv)
    from . import runner
    from .crash_report import write_crash_report

    board = get_board(args.board)
    _check_inputs(args.inputs)
    out = sys.stdout.buffer

    def console_write(data: bytes) -> None:
        out.write(data)
        out.flush()

    if args.realtime is not None and args.realtime <= 0:
        raise UsageError("--realtime FACTOR must be positive")
    max_ram = None
    if args.max_ram is not None:
        try:
            max_ram = parse_size(args.max_ram)
        except ValueError as exc:
            raise UsageError(f"--max-ram: {exc}") from None
    ceiling = _memory_options(args)
    vm, start = runner.boot(board, args.inputs, console_write, args.epoch, args.realtime,
                            max_ram)
    vm.crash_reporter = lambda proc, crash: write_crash_report(vm, proc, crash, sys.stderr)
    if not (args.memory_report or args.memory_ceiling):
        return _run_app(vm, start, out)
    from .memory_report import MemoryMonitor
    monitor = MemoryMonitor(vm, board=board.name)
    report = None
    try:
        status = _run_app(vm, start, out)
    finally:
        if args.memory_report:  # whatever the outcome
            report = monitor.write_json(args.memory_report)
    if args.memory_ceiling:
        status = _apply_ceiling(args.memory_ceiling, args.update_ceiling, ceiling,
                                report or monitor.report(), status)
    return status


def _memory_options(args: argparse.Namespace) -> dict | None:
    """Check the memory flags before the run; the ceiling to check against, if any."""
    from .memory_report import load_ceiling
    if args.update_ceiling and not args.memory_ceiling:
        raise UsageError("--update-ceiling needs --memory-ceiling FILE.json")
    for path in (args.memory_report, args.memory_ceiling if args.update_ceiling else None):
        if path and not Path(path).resolve().parent.is_dir():
            raise UsageError(f"cannot write {path}: no such directory")
    if args.memory_ceiling and (not args.update_ceiling or Path(args.memory_ceiling).is_file()):
        return load_ceiling(args.memory_ceiling)   # the one to check, or whose tolerance to keep
    return None


def _apply_ceiling(path: str, update: bool, ceiling: dict, report: dict,
                   status: int) -> int:
    """--memory-ceiling after the run: write it (--update-ceiling) or check against it."""
    from .memory_report import ceiling_from_report, check_ceiling, write_json
    if update:
        write_json(path, ceiling_from_report(report, (ceiling or {}).get("tolerance")))
        print(f"avmsim: memory ceiling written to {path}", file=sys.stderr)
        return status
    violations = check_ceiling(report, ceiling)
    if violations:
        print(f"avmsim: memory ceiling {path} exceeded:", file=sys.stderr)
        for line in violations:
            print(f"  {line}", file=sys.stderr)
        if status == Exit.OK:
            return int(Exit.MEMORY_CEILING)
    return status


def _run_app(vm: Any, start: Any, out: Any) -> int:
    """Run the app to its end; its exit status (known failures propagate to ``guarded``)."""
    from avmsim.vm.errors import Halt, ProcessExit
    from avmsim.vm.term_format import format_w

    from . import runner

    try:
        value = vm.run(start)
    except ProcessExit as crash:
        out.flush()
        if crash.error is None:  # ended by an exit signal: there is no crash report
            print(f"avmsim: start process exited: {format_w(crash.reason)}", file=sys.stderr)
        return int(Exit.APP_FAILED)
    except Halt as halt:
        out.flush()
        return halt.status
    out.flush()
    print(f"Return value: {format_w(value)}", file=sys.stderr)
    return int(Exit.OK if runner.succeeded(value) else Exit.APP_FAILED)


# ---------------------------------------------------------------------------- other commands

def cmd_boards(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="avmsim boards", description="List the boards.").parse_args(argv)
    for board in all_boards().values():
        ram = f"{board.sram_bytes // 1024} KiB" if board.sram_bytes else "unlimited"
        print(f"{board.name:16} {board.platform:13} {board.cores} x {board.core} "
              f"@ {board.clock_hz // 1_000_000} MHz, RAM {ram}, {board.word_size * 8}-bit words"
              f"  {board.description}")
    return 0


def cmd_pack(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="avmsim pack", description="Build an .avm pack (PackBEAM).")
    p.add_argument("-o", "--output", required=True, help="the .avm to write")
    p.add_argument("--lib", action="store_true", help="library pack: no start module")
    p.add_argument("--start", metavar="MODULE", help="start module (moved first)")
    p.add_argument("files", nargs="+", help=".beam, .avm or data files")
    args = p.parse_args(argv)
    from .pack_cmd import pack_command
    pack_command(args.output, args.files, args.lib, args.start)
    return 0


def cmd_inspect(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="avmsim inspect",
                                description="List a pack's sections and modules, and their RAM cost.")
    p.add_argument("file", help="an .avm or .beam")
    p.add_argument("--board", default=DEFAULT_BOARD, help="board whose word size prices the RAM")
    args = p.parse_args(argv)
    from .inspect_cmd import inspect_command
    inspect_command(args.file, sys.stdout, word_size=get_board(args.board).word_size)
    return 0


def cmd_mem(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="avmsim mem",
                                description="Print a --memory-report file as tables.")
    p.add_argument("file", help="a report written by --memory-report")
    p.add_argument("--rows", type=int, default=20, metavar="N",
                   help="timeline rows to show (every Nth sample; default 20)")
    p.add_argument("--top", type=int, default=30, metavar="N",
                   help="processes to show, largest peak memory first (default 30)")
    args = p.parse_args(argv)
    from .memory_report import load_report, render_report
    render_report(load_report(args.file), sys.stdout, rich=sys.stdout.isatty(),
                  rows=args.rows, top=args.top)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    handlers = {"boards": cmd_boards, "pack": cmd_pack, "inspect": cmd_inspect, "mem": cmd_mem}
    if argv and argv[0] in handlers:
        return guarded(lambda: handlers[argv[0]](argv[1:]))
    return guarded(lambda: cmd_run(argv))


if __name__ == "__main__":
    sys.exit(main())
