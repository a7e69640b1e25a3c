"""Crash reports in AtomVM's layout (its process_crash_report_print): what a user sees when
a process dies with an uncaught exception, written to stderr."""
from __future__ import annotations

from typing import Any, TextIO

from avmsim.vm.process import Process
from avmsim.vm.runtime import CatchTag
from avmsim.vm.term_format import format_display
from avmsim.vm.terms import ERROR
from avmsim.vm.errors import ProcessExit
from avmsim.vm.vm import VM


def _show(term: Any) -> str:
    """Terms as AtomVM's term_display writes them (printable lists as strings)."""
    return format_display(term) if term is not None else "[]"


def _cp(vm: VM, block: Any) -> str:
    info = vm.block_info[block] if isinstance(block, int) and 0 <= block < len(vm.block_info) else None
    if info is None:
        return "#CP<end>"
    return f"#CP<{info.module.name.name}:{info.function.name}/{info.arity}>"


def write_crash_report(vm: VM, proc: Process, crash: ProcessExit, out: TextIO) -> None:
    """Print the crash of ``proc`` as AtomVM prints it."""
    err = crash.error
    cls = err.cls if err is not None else ERROR
    reason = err.reason if err is not None else crash.reason
    trace = err.stacktrace if err is not None else None
    lines = ["CRASH ", "======", f"pid: {_show(proc.pid)}", "", "Stacktrace:", _show(trace), "",
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
