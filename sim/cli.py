"""The ``avmsim`` command line.

``avmsim [--board B] app.avm [more.avm|x.beam …]`` runs an app; ``avmsim boards``,
``avmsim pack``, ``avmsim inspect`` and ``avmsim mem`` are the other commands. Every failure
of the input maps to one plain message on stderr and a distinct exit status (``exit_codes.Exit``).
"""
from __future__ import annotations

import os
import sys
from typing import Callable

from avmsim.boards import UnknownBoardError, get_board
from avmsim.boards.parts_file import PartsFileError
from avmsim.vm.errors import (BadBeamError, BadPackError, LoadError, NoStartModuleError,
                              UnsupportedOpcodeError, VMAbort)
from avmsim.vm.ram_charges import OutOfMemoryAbort

from avmsim.peripherals.host_bridge import BridgeError

from .cli_parser import CliParser
from .exit_codes import Exit
from .machine import ImageTooLargeError
from .memory_report import ReportError
from .run_cmd import DEFAULT_BOARD, NotAnInputError, UsageError

COMMANDS = ("boards", "pack", "inspect", "mem")

ERROR_EXITS: tuple[tuple[type[BaseException], Exit], ...] = (
    (NotAnInputError, Exit.NOT_AN_INPUT),
    (UsageError, Exit.USAGE),
    (ReportError, Exit.USAGE),
    (BridgeError, Exit.USAGE),
    (PartsFileError, Exit.USAGE),
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


def failure_status(exc: Exception) -> tuple[int, str]:
    """The exit status of a failure and its one-line message (an internal error when the
    failure is not one of :data:`ERROR_EXITS`)."""
    for kind, status in ERROR_EXITS:
        if isinstance(exc, kind):
            return int(status), _message(exc)
    return (int(Exit.INTERNAL_ERROR), f"internal error: {type(exc).__name__}: {exc} "
            "(set AVMSIM_DEBUG=1 for a traceback)")


def guarded(action: Callable[[], int]) -> int:
    """Run ``action``; turn every known failure into one line on stderr and its exit status."""
    try:
        return action()
    except KeyboardInterrupt:
        print("avmsim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that maps errors to statuses
        status, message = failure_status(exc)
        if status == Exit.INTERNAL_ERROR and os.environ.get("AVMSIM_DEBUG"):
            raise
        print(f"avmsim: {message}", file=sys.stderr)
        return status


# ---------------------------------------------------------------------------- run

def cmd_run(argv: list[str]) -> int:
    from .run_cmd import cmd_run as run
    return run(argv)


# ---------------------------------------------------------------------------- other commands

def cmd_boards(argv: list[str]) -> int:
    p = CliParser(prog="avmsim boards",
                                description="List the boards, or describe one in detail.")
    p.add_argument("board", nargs="?", help="a board to describe (RAM, flash, pins, parts)")
    args = p.parse_args(argv)
    from .boards_cmd import boards_command
    boards_command(sys.stdout, args.board)
    return 0


def cmd_pack(argv: list[str]) -> int:
    p = CliParser(prog="avmsim pack", description="Build an .avm pack (PackBEAM).")
    p.add_argument("-o", "--output", required=True, help="the .avm to write")
    p.add_argument("--lib", action="store_true", help="library pack: no start module")
    p.add_argument("--start", metavar="MODULE", help="start module (moved first)")
    p.add_argument("files", nargs="+", help=".beam, .avm or data files")
    args = p.parse_args(argv)
    from .pack_cmd import pack_command
    pack_command(args.output, args.files, args.lib, args.start)
    return 0


def cmd_inspect(argv: list[str]) -> int:
    p = CliParser(prog="avmsim inspect",
                                description="List a pack's sections and modules, and their RAM cost.")
    p.add_argument("file", help="an .avm or .beam")
    p.add_argument("--board", default=DEFAULT_BOARD, help="board whose word size prices the RAM")
    args = p.parse_args(argv)
    from .inspect_cmd import inspect_command
    inspect_command(args.file, sys.stdout, word_size=get_board(args.board).word_size)
    return 0


def cmd_mem(argv: list[str]) -> int:
    p = CliParser(prog="avmsim mem",
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
