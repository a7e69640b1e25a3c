"""The virtual machine: modules, processes, the run loop and exception routing.

The VM sees the board only through a small interface (``console_write``, the flash reader
that gives it packs); it knows nothing of Unicorn, rich or a particular board.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable

from . import natives
from .avm_pack import read_pack
from .beam_file import parse_beam
from .errors import ErlangError, LoadError, NoStartModuleError, VMAbort
from .loader import BlockInfo, LoadedModule, compile_module
from .process import Process
from .runtime import NONVALUE, A_NOCATCH, CatchTag, RawTrace, Suspend
from .terms import ERROR, EXIT, NIL, THROW, Atom, Pid, Ref, atom, from_list, from_str

BEAM_START = 1
BEAM_CODE = 2
A_FILE = atom("file")
A_LINE = atom("line")
A_NORMAL = atom("normal")


class ProcessExit(Exception):
    """A process ended: ``reason`` is its exit reason (``normal`` on return)."""

    def __init__(self, reason: Any, error: ErlangError | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


def _suspend_block(c: Process) -> int:
    raise Suspend()


def _exit_block(c: Process) -> int:
    c.result = c.x[0]
    raise ProcessExit(A_NORMAL)


class VM:
    """One AtomVM instance: a module table, processes and a scheduler."""

    def __init__(self, console_write: Callable[[bytes], None], word_size: int = 4,
                 platform: str = "generic_unix", ns_per_instruction: int = 10) -> None:
        self.console_write = console_write
        self.word_size = word_size
        self.platform = atom(platform)
        self.natives = natives.load_all()
        self.blocks: list[Callable[[Process], int]] = [_suspend_block, _exit_block]
        self.block_info: list[BlockInfo | None] = [None, None]
        self.modules: dict[Atom, LoadedModule] = {}
        self.available: dict[Atom, tuple[bytes, str]] = {}
        self.start_candidates: list[Atom] = []
        self.processes: dict[int, Process] = {}
        self.registered: dict[Atom, int] = {}
        self.ready: deque[Process] = deque()
        self.next_pid = 1
        self.next_ref = 1
        self.next_unique = 1
        self.retired_instructions = 0
        self.slice_start = 0
        self.current: Process | None = None
        self.ns_per_instruction = ns_per_instruction
        self.crash_reporter: Callable[[Process, ProcessExit], None] | None = None

    # ------------------------------------------------------------------ code
    def add_pack(self, data: bytes, origin: str, start_modules: bool = True) -> None:
        """Make every module of a pack available (loaded on first use).

        The first pack that holds a module wins, as AtomVM searches its packs in order.
        """
        for section in read_pack(data, origin):
            if section.flags & BEAM_CODE:
                name = atom(section.name[:-5] if section.name.endswith(".beam") else section.name)
                self.available.setdefault(name, (section.data, f"{origin}:{section.name}"))
                if start_modules and section.flags & BEAM_START:
                    self.start_candidates.append(name)

    def add_beam(self, data: bytes, origin: str) -> Atom:
        """Make one .beam available; returns its module name."""
        beam = parse_beam(data, origin)
        self.available[beam.name] = (data, origin)
        if any(f.name == "start" and a == 0 for f, a, _ in beam.exports):
            self.start_candidates.append(beam.name)
        return beam.name

    def get_module(self, name: Atom) -> LoadedModule | None:
        mod = self.modules.get(name)
        if mod is None:
            src = self.available.get(name)
            if src is None:
                return None
            beam = parse_beam(src[0], src[1])
            mod = compile_module(self, beam)
            self.modules[name] = mod
        return mod

    def export_block(self, module: Atom, function: Atom, arity: int) -> int | None:
        mod = self.get_module(module)
        if mod is None:
            return None
        return mod.exports.get((function.name, arity))

    def function_exported(self, module: Atom, function: Atom, arity: int) -> bool:
        if (module.name, function.name, arity) in self.natives:
            return True
        mod = self.modules.get(module)
        return mod is not None and (function.name, arity) in mod.exports

    # ------------------------------------------------------------------ services for natives
    def new_ref(self) -> Ref:
        self.next_ref += 1
        return Ref(self.next_ref)

    def unique_integer(self) -> int:
        self.next_unique += 1
        return self.next_unique

    def instructions(self) -> int:
        """BEAM instructions executed so far, by every process."""
        cur = self.current
        return self.retired_instructions + (cur.n - self.slice_start if cur is not None else 0)

    def monotonic_ns(self) -> int:
        return self.instructions() * self.ns_per_instruction

    def system_time_ns(self) -> int:
        return self.monotonic_ns()

    # ------------------------------------------------------------------ processes
    def spawn(self, module: Atom, function: Atom, args: list[Any]) -> Process:
        target = self.export_block(module, function, len(args))
        if target is None:
            raise NoStartModuleError(f"{module.name}:{function.name}/{len(args)} is not exported")
        proc = Process(self, self.next_pid)
        self.next_pid += 1
        proc.x[:len(args)] = args
        proc.pc = target
        self.processes[proc.pid.id] = proc
        self.ready.append(proc)
        return proc

    def send(self, sender: Process, dest: Any, msg: Any) -> None:
        if dest.__class__ is Atom:
            pid_id = self.registered.get(dest)
            if pid_id is None:
                raise ErlangError(ERROR, atom("badarg"))
        elif dest.__class__ is Pid:
            pid_id = dest.id
        else:
            raise ErlangError(ERROR, atom("badarg"))
        target = self.processes.get(pid_id)
        if target is None:
            return
        target.mailbox.append(msg)
        if target.waiting:
            target.waiting = False
            self.ready.append(target)

    def wait(self, c: Process, resume: int, timeout: Any, timeout_block: int) -> int:
        if timeout == 0:
            return timeout_block
        c.pc = resume
        c.waiting = True
        return 0

    # ------------------------------------------------------------------ running
    def run_slice(self, c: Process) -> None:
        """Run ``c`` until it yields, waits or exits (raising ProcessExit)."""
        blocks = self.blocks
        pc = c.pc
        c.reds = 1024
        self.current = c
        while True:
            try:
                while True:
                    pc = blocks[pc](c)
            except Suspend:
                return
            except ErlangError as e:
                pc = self.handle_exception(c, e, pc)

    def run(self, start: Process) -> Any:
        """Schedule processes until ``start`` finishes; returns its result or raises ProcessExit."""
        while self.ready:
            c = self.ready.popleft()
            self.slice_start = c.n
            try:
                self.run_slice(c)
            except ProcessExit as exit_:
                self._retire_slice(c)
                del self.processes[c.pid.id]
                if c is start:
                    if exit_.reason is A_NORMAL:
                        return c.result
                    raise
                if exit_.reason is not A_NORMAL and self.crash_reporter:
                    self.crash_reporter(c, exit_)
                continue
            self._retire_slice(c)
            if not c.waiting:
                self.ready.append(c)
        raise VMAbort("every process is waiting for a message that can never arrive")

    def _retire_slice(self, c: Process) -> None:
        self.retired_instructions += c.n - self.slice_start
        self.current = None

    # ------------------------------------------------------------------ exceptions
    def handle_exception(self, c: Process, e: ErlangError, pc: int) -> int:
        """Route an exception to the innermost catch, or end the process."""
        if e.stacktrace is None:
            e.stacktrace = self.build_stacktrace(c, e, pc)
        frame = c.y
        while frame is not None:
            for i in range(len(frame) - 2):
                slot = frame[i]
                if slot.__class__ is CatchTag:
                    c.y = frame
                    x = c.x
                    x[0] = NONVALUE
                    x[1] = e.cls
                    x[2] = e.reason
                    x[3] = RawTrace(e.cls, e.stacktrace)
                    return slot.block
            frame = frame[-1]
        raise ProcessExit(self.exit_reason(e), e)

    @staticmethod
    def exit_reason(e: ErlangError) -> Any:
        if e.cls is EXIT:
            return e.reason
        if e.cls is THROW:
            return ((A_NOCATCH, e.reason), e.stacktrace)
        return (e.reason, e.stacktrace)

    def build_stacktrace(self, c: Process, e: ErlangError, pc: int) -> Any:
        """A stack trace term as AtomVM builds it: the failing call, then the return chain."""
        entries = []
        if e.call_args is not None:
            m, f, args = e.call_args
            entries.append((m, f, args, NIL))
        line_ref = self._failing_line(e)
        info = self.block_info[pc] if pc < len(self.block_info) else None
        if info is not None:
            entries.append(self._frame_entry(info, line_ref if line_ref is not None else info.line_ref))
        for frame in c.frames():
            cp = frame[-2]
            cinfo = self.block_info[cp] if isinstance(cp, int) and cp < len(self.block_info) else None
            if cinfo is not None:
                entries.append(self._frame_entry(cinfo, cinfo.line_ref))
        return from_list(entries)

    def _failing_line(self, e: ErlangError) -> int | None:
        tb = e.__traceback__
        found = None
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.startswith("<beam:"):
                mod = self.modules.get(atom(name[6:-1]))
                if mod is not None and 0 < tb.tb_lineno <= len(mod.py_line_refs):
                    found = mod.py_line_refs[tb.tb_lineno - 1]
            tb = tb.tb_next
        return found

    @staticmethod
    def _frame_entry(info: BlockInfo, line_ref: int) -> tuple:
        loc = info.module.location(line_ref)
        extra = NIL if loc is None else from_list([(A_FILE, from_str(loc[0])), (A_LINE, loc[1])])
        return (info.module.name, info.function, info.arity, extra)
