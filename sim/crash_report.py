"""Crash reports in AtomVM's layout (its process_crash_report_print): what a user sees when
a process dies with an uncaught exception, written to stderr. An Elixir exception also gets
the line Elixir prints for it (``** (KeyError) key :pin not found``)."""
from __future__ import annotations

from typing import Any, TextIO

from avmsim.vm.process import Process
from avmsim.vm.runtime import CatchTag
from avmsim.vm.term_format import format_display
from avmsim.vm.terms import ERROR, TRUE, Atom, Map, atom
from avmsim.vm.errors import ProcessExit
from avmsim.vm.vm import VM

from .clock import VirtualClock


def _show(term: Any) -> str:
    """Terms as AtomVM's term_display writes them (printable lists as strings)."""
    return format_display(term) if term is not None else "[]"


def _cp(vm: VM, block: Any) -> str:
    info = vm.block_info[block] if isinstance(block, int) and 0 <= block < len(vm.block_info) else None
    if info is None:
        return "#CP<end>"
    return f"#CP<{info.module.name.name}:{info.function.name}/{info.arity}>"


A_STRUCT, A_EXCEPTION, A_MESSAGE = atom("__struct__"), atom("__exception__"), atom("message")
ELIXIR_EXCEPTION = atom("Elixir.Exception")
MESSAGE_BUDGET_NS = 100_000_000
"""Virtual time ``Exception.message/1`` may take for a report before the field view is used."""


class _OutOfTime(Exception):
    """The scratch VM's budget for a message ran out."""


def _give_up() -> None:
    raise _OutOfTime


def exception_message(vm: VM, exception: Any) -> str | None:
    """Elixir's text of ``exception`` (``Exception.message/1``), or None when it cannot be had
    (no Elixir library in the packs, a ``message/1`` that fails or runs too long).

    The crashed process can run no more code and the board's VM must not run on for a report,
    so a scratch VM over the same packs, with a clock of its own, computes it."""
    scratch = VM(lambda _data: None, VirtualClock(vm.clock.hz, 1), word_size=vm.word_size,
                 platform=vm.platform.name)
    scratch.packs = vm.packs
    scratch.scheduler.schedule(MESSAGE_BUDGET_NS, _give_up)
    try:
        text = scratch.run(scratch.spawn_start(ELIXIR_EXCEPTION, A_MESSAGE, [exception]))
    except (ProcessExit, _OutOfTime):
        return None
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else None


def elixir_banner(vm: VM, reason: Any) -> str | None:
    """``** (RuntimeError) oops`` for an Elixir exception, as Elixir prints an uncaught one;
    None for any other reason. Without a message (see :func:`exception_message`) the
    exception's fields are shown."""
    if reason.__class__ is not Map or reason.get(A_EXCEPTION) is not TRUE:
        return None
    module = reason.get(A_STRUCT)
    if module.__class__ is not Atom:
        return None
    text = exception_message(vm, reason)
    return f"** ({module.name.removeprefix('Elixir.')}) {_show(reason) if text is None else text}"


def write_crash_report(vm: VM, proc: Process, crash: ProcessExit, out: TextIO) -> None:
    """Print the crash of ``proc`` as AtomVM prints it."""
    err = crash.error
    cls = err.cls if err is not None else ERROR
    reason = err.reason if err is not None else crash.reason
    trace = err.stacktrace if err is not None else None
    banner = elixir_banner(vm, reason)
    lines = ["CRASH ", "======", f"pid: {_show(proc.pid)}", "",
             *([banner, ""] if banner is not None else []), "Stacktrace:", _show(trace), "",
             f"cp: {_cp(vm, proc.cp)}", "", f"x[0]: {_show(cls)}",
             f"x[1]: {_show(reason)}", f"x[2]: {_show(trace)}", "", "Stack ", "------", ""]
    for frame in proc.frames():
        for slot in frame[:-3]:
            if slot.__class__ is CatchTag:
                lines.append(f"catch: {_cp(vm, slot.block)}")
            elif slot is not None:
                lines.append(_show(slot))
        lines.append(_cp(vm, frame[-3]))
    lines += ["", "", "Mailbox", "--------"]
    lines += [_show(m) for m in proc.mailbox]
    lines += ["", "", "Monitors", "--------", "", "", "**End Of Crash Report**", ""]
    out.write("\n".join(lines))
