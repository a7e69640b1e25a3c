"""The virtual machine: modules, processes, the run loop and exception routing.

The VM sees the board only through a small interface (``console_write``, the flash reader
that gives it packs); it knows nothing of Unicorn, rich or a particular board.
"""
from __future__ import annotations

import random
from typing import Any, Callable

from . import heap, natives, signals, stacktrace
from .term_size import LAYOUT_32, LAYOUT_64
from .beam_file import BeamModule, parse_beam
from .dist import Dist
from .errors import ErlangError, NoStartModuleError, ProcessExit
from .device_api import cannot_resolve
from .host_files import FILE_PLATFORMS, read_host_file
from .loader import BlockInfo, LoadedModule, compile_module
from .pack_table import UNNAMED, OpenPack, PackTable
from .process import Process
from .ram_charges import RamCharges
from .refc_binaries import RefcBinaries
from .runtime import A_NOCATCH, NONVALUE, CatchTag, RawTrace, Suspend, call_fun, invoke
from .scheduler import Scheduler
from .term_copy import copy_term
from .term_size import term_words
from .terms import ERROR, EXIT, NIL, THROW, Atom, ExtPid, Pid, Port, Ref, atom

A_NORMAL = atom("normal")
INFINITY = atom("infinity")
A_OUT_OF_MEMORY = atom("out_of_memory")
_QUIET_EXIT_REASONS = (A_NORMAL, atom("shutdown"))
REDUCTIONS_PER_SLICE = 1024
START_BLOCK = 2


def _quiet_exit(error: ErlangError) -> bool:
    """AtomVM prints no crash dump for ``exit(normal)`` or ``exit(shutdown)``
    (opcodesswitch.h, ``AVM_PRINT_PROCESS_CRASH_DUMPS``)."""
    return error.cls is EXIT and error.reason in _QUIET_EXIT_REASONS


class ReceiveTimer:
    """The timer of a ``receive … after``: where to resume when it expires."""

    __slots__ = ("block", "event", "expired")

    def __init__(self, block: int) -> None:
        self.block = block
        self.event: Any = None
        self.expired = False


def _suspend_block(c: Process) -> int:
    raise Suspend()


def _exit_block(c: Process) -> int:
    c.result = c.x[0]
    raise ProcessExit(A_NORMAL)


def _start_block(c: Process) -> int:
    """A new process's first block: make the call it was spawned for."""
    callee, function, args = c.start
    c.start = None
    c.x[:len(args)] = args
    if function is None:
        return call_fun(c, callee, len(args), 1)
    return invoke(c, callee, function, len(args), 1)


class VM:
    """One AtomVM instance: a module table, processes and a scheduler."""

    def __init__(self, console_write: Callable[[bytes], None], clock: Any, word_size: int = 4,
                 platform: str = "generic_unix", cores: int = 1,
                 system_architecture: str = "avmsim",
                 cycles_per_instruction: int = 20, ram: Any = None, seed: int = 0) -> None:
        self.console_write = console_write
        self.word_size = word_size
        self.layout = {4: LAYOUT_32, 8: LAYOUT_64}[word_size]
        self.platform = atom(platform)
        self.system_architecture = system_architecture
        self.natives = natives.load_all()
        self.blocks: list[Callable[[Process], int]] = [_suspend_block, _exit_block, _start_block]
        self.block_info: list[BlockInfo | None] = [None, None, None]
        self.modules: dict[Atom, LoadedModule] = {}
        self.packs = PackTable()                   # open packs, in AtomVM's search order
        self.beams: dict[Atom, tuple[bytes, str]] = {}   # loose .beam files (add_beam)
        self.read_partition: Callable[[str], bytes | None] | None = None   # flash, by label
        self.parsed: dict[Atom, BeamModule] = {}  # beams already parsed when they were added
        self.start_candidates: list[Atom] = []
        self.not_on_device: frozenset[tuple[str, str, int]] = frozenset()  # device_api
        self.library_modules: frozenset[str] = frozenset()   # modules of avmsim's library
        self.processes: dict[int, Process] = {}
        self.registered: dict[Atom, int] = {}
        self.next_pid = 1
        self.next_ref = 1
        self.next_unique = 1
        self.retired_instructions = 0
        self.clock = clock
        self.scheduler = Scheduler(self, clock, cores, cycles_per_instruction)
        self.exit_hooks: list[Callable[[Process], None]] = []
        self.spawn_hooks: list[Callable[[Process], None]] = []
        self.pending_self_exit: Any = None
        self.timers: dict[Any, Any] = {}   # Ref -> TimedEvent of send_after/start_timer
        self.crash_reporter: Callable[[Process, ProcessExit], None] | None = None
        self.charges = RamCharges(ram, word_size) if ram is not None else None
        self.refc = RefcBinaries(self.layout, self.charges)
        self.ports: dict[int, Any] = {}            # port id -> ports.PortInstance
        self.port_drivers: dict[str, Any] = {}     # driver name -> ports.DriverFactory
        self.devices: Any = None                   # the board's peripherals (sim wiring)
        self.random = random.Random(seed)          # atomvm:random/0, rand_bytes/1
        self.boot_ns = 0                           # virtual time this VM booted at
        self.dist = Dist(self)                     # node name, connections to other nodes

    # ------------------------------------------------------------------ code
    def add_pack(self, data: bytes, origin: str, start_modules: bool = True, *,
                 name: Atom = UNNAMED, first: bool = False) -> OpenPack:
        """Open a pack: its modules load on first use, its data files are readable.

        The first pack that holds a module wins, as AtomVM searches its packs in order;
        ``first`` puts this one before those already open (``add_avm_pack_file``).
        """
        pack = self.packs.add(OpenPack.read(data, origin, name), first)
        if start_modules:
            self.start_candidates += [atom(s.name[:-5]) for s in pack.sections.values()
                                      if s.is_start and s.is_beam and s.name.endswith(".beam")]
        return pack

    def add_beam(self, data: bytes, origin: str) -> Atom:
        """Make one .beam available; returns its module name."""
        beam = parse_beam(data, origin)
        self.beams[beam.name] = (data, origin)
        self.parsed[beam.name] = beam
        if any(f.name == "start" and a == 0 for f, a, _ in beam.exports):
            self.start_candidates.append(beam.name)
        return beam.name

    def get_module(self, name: Atom) -> LoadedModule | None:
        mod = self.modules.get(name)
        if mod is None:
            src = (self.beams.get(name) or self.packs.find_module(name.name)
                   or self.module_file(f"{name.name}.beam"))
            if src is None:
                return None
            beam = self.parsed.pop(name, None) or parse_beam(src[0], src[1])
            if self.charges is not None:
                self.charges.module(beam)
            mod = compile_module(self, beam)
            self.modules[name] = mod
        return mod

    def module_file(self, path: str) -> tuple[bytes, str] | None:
        """A BEAM file read as ``sys_load_module_from_file`` does, with where it came from;
        None where the platform has no file system or the file cannot be read."""
        if self.platform.name not in FILE_PLATFORMS:
            return None
        data = read_host_file(path)
        return None if data is None else (data, path)

    def off_device(self, caller: Atom | None, module: Atom, function: Atom, arity: int) -> bool:
        """Whether this call must fail as on the device: app code (``caller`` is not a module
        of avmsim's library; None when unknown counts as the library) calling a function
        AtomVM's library lacks (:mod:`device_api`); AtomVM's warning goes to stderr."""
        if (module.name, function.name, arity) not in self.not_on_device \
                or caller is None or caller.name in self.library_modules:
            return False
        heap.diagnostic(self, cannot_resolve(module.name, function.name, arity))
        return True

    def export_block(self, module: Atom, function: Atom, arity: int) -> int | None:
        mod = self.get_module(module)
        if mod is None:
            return None
        return mod.exports.get((function.name, arity))

    def function_exported(self, module: Atom, function: Atom, arity: int) -> bool:
        key = (module.name, function.name, arity)
        if key in self.natives or key in natives.CONTROL_NATIVES:
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

    def memory_stats(self, proc: Process) -> dict[str, int]:
        """Heap, stack and memory figures of a process (process_info, reports)."""
        return heap.memory_stats(self, proc)

    def monotonic_ns(self) -> int:
        """Virtual time since this boot, as the running process sees it (the device's
        monotonic clock, esp_timer, starts again at every reset and deep-sleep wake-up)."""
        return self.scheduler.now_ns() - self.boot_ns

    def system_time_ns(self) -> int:
        """Wall-clock time: the board's epoch plus virtual time since boot."""
        return self.clock.epoch_ns + self.scheduler.now_ns()

    # ------------------------------------------------------------------ processes
    def spawn(self, callee: Any, function: Any, args: list[Any], parent: Process | None = None,
              options: dict[str, Any] | None = None) -> Process:
        """A new process that will call ``callee:function(args…)`` (or the fun ``callee``).

        The call itself happens in the new process when it first runs, so an undefined
        function crashes the child with ``undef``, as in OTP.
        """
        proc = Process(self, self.next_pid)
        if self.charges is not None:
            try:
                proc.ram_blocks = self.charges.process(repr(proc.pid))
            except MemoryError:
                raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
        self.next_pid += 1
        if heap.MODEL:
            # the child's first heap holds copies (nifs.c copies the arguments / free values)
            if function is None:
                callee = copy_term(callee)
            else:
                args = [copy_term(a) for a in args]
        proc.start = (callee, function, args)
        proc.pc = START_BLOCK
        proc.spawn_options = options or {}
        heap.init_heap(proc, proc.spawn_options)
        if self.refc.table:
            self.refc.received(proc, proc.start[0] if function is None else args)
        # AtomVM (nifs.c spawn): the first process has no group leader and a child inherits
        # its parent's, "none" included; erlang:group_leader/0 then answers self()
        proc.group_leader = parent.group_leader if parent is not None else None
        self.processes[proc.pid.id] = proc
        self.scheduler.make_ready(proc, self.scheduler.now_ns())
        for hook in self.spawn_hooks:
            hook(proc)
        return proc

    def spawn_start(self, module: Atom, function: Atom, args: list[Any]) -> Process:
        """Spawn the first process (the start module's ``start/0``)."""
        if self.export_block(module, function, len(args)) is None:
            raise NoStartModuleError(f"{module.name}:{function.name}/{len(args)} is not exported")
        return self.spawn(module, function, args)

    def process(self, pid: Any) -> Process | None:
        """The live process behind a pid (or registered name), else None."""
        return self._lookup(pid, Pid, self.processes)

    def port(self, dest: Any) -> Any:
        """The open port behind a port identifier (or registered name), else None."""
        return self._lookup(dest, Port, self.ports)

    def _lookup(self, ident: Any, kind: type, table: dict[int, Any]) -> Any:
        if ident.__class__ is Atom:
            number = self.registered.get(ident)
            return None if number is None else table.get(number)
        if ident.__class__ is kind:
            return table.get(ident.id)
        return None

    def send(self, sender: Process | None, dest: Any, msg: Any) -> None:
        """``Dest ! Msg``: unknown registered names are badarg, dead pids drop the message.
        A pid of another node, or ``{Name, Node}`` naming another node, goes to that node's
        connection (:meth:`Dist.send`)."""
        if dest.__class__ is Atom:
            if dest not in self.registered:
                raise ErlangError(ERROR, atom("badarg"))
        elif (dest.__class__ is tuple and len(dest) == 2 and dest[0].__class__ is Atom
              and dest[1].__class__ is Atom):
            if dest[1] is not self.dist.node:
                self.dist.send(sender, dest, msg)
                return
            dest = dest[0]
        elif dest.__class__ is ExtPid:
            self.dist.send(sender, dest, msg)
            return
        elif dest.__class__ is not Pid and dest.__class__ is not Port:
            raise ErlangError(ERROR, atom("badarg"))
        target = self.process(dest)
        if target is not None:
            self.deliver(target, msg)
        elif self.ports:
            port = self.port(dest)
            if port is not None:
                port.receive(msg)

    def deliver(self, target: Process, msg: Any) -> None:
        """Copy ``msg`` into ``target``'s mailbox and wake it if it waits.

        The copy takes a block of the board's RAM until it is received; when there is none,
        the sender gets ``error:out_of_memory`` (a timer's message is lost)."""
        # measured once, for its block, its fragment and the mailbox figure
        words = term_words(msg, self.layout) if heap.MODEL or self.charges is not None else 0
        if self.charges is not None:
            try:
                block = self.charges.message(words)
            except MemoryError:
                if self.scheduler.current is None:
                    return
                raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
            target.msg_blocks.append(block)
        if heap.MODEL:
            msg = copy_term(msg)
        target.mailbox.append(msg)
        target.msg_words.append(words)
        if self.refc.table:
            self.refc.received(target, msg)
        if target.waiting:
            target.waiting = False
            self.scheduler.make_ready(target, self.scheduler.now_ns())

    def take_message(self, c: Process, pos: int) -> Any:
        """Remove the message at ``pos`` from the mailbox (it now lives on the heap)."""
        msg = c.mailbox.pop(pos)
        heap.receive(c, c.msg_words.pop(pos),
                     c.msg_blocks.pop(pos) if self.charges is not None else None)
        return msg

    def drop_messages(self, c: Process, unwanted: Callable[[Any], bool]) -> bool:
        """Remove every message for which ``unwanted`` holds; True when any was removed."""
        doomed = [i for i, m in enumerate(c.mailbox) if unwanted(m)]
        for i in reversed(doomed):
            self.take_message(c, i)
        return bool(doomed)

    def wait(self, c: Process, resume: int, timeout: Any, timeout_block: int) -> int:
        """``wait`` / ``wait_timeout``: suspend until a message comes or the timer expires."""
        if timeout is not None and timeout is not INFINITY:
            if timeout.__class__ is not int or timeout < 0:
                raise ErlangError(ERROR, atom("timeout_value"))
            timer = c.timer
            if timer is None:
                if timeout == 0:
                    return timeout_block
                due = self.scheduler.now_ns() + timeout * 1_000_000
                timer = ReceiveTimer(timeout_block)
                timer.event = self.scheduler.schedule(due, lambda: self._receive_timeout(c, timer))
                c.timer = timer
            elif timer.expired:
                return timeout_block
        c.pc = resume
        c.waiting = True
        return 0

    def _receive_timeout(self, c: Process, timer: "ReceiveTimer") -> None:
        timer.expired = True
        if c.alive and c.waiting and c.timer is timer:
            c.waiting = False
            c.pc = timer.block
            self.scheduler.make_ready(c, self.scheduler.now_ns())

    def cancel_timers(self) -> None:
        """Cancel every timer of this VM (the board reboots: its firmware's timers die)."""
        for event in self.timers.values():
            event.cancel()
        self.timers.clear()
        for proc in self.processes.values():
            self.cancel_receive_timer(proc)

    def cancel_receive_timer(self, c: Process) -> None:
        timer = c.timer
        if timer is not None:
            if timer.event is not None:
                timer.event.cancel()
            c.timer = None

    # ------------------------------------------------------------------ running
    def run_slice(self, c: Process) -> None:
        """Run ``c`` until it yields, waits or exits (raising ProcessExit)."""
        blocks = self.blocks
        pc = c.pc
        c.reds = REDUCTIONS_PER_SLICE
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
        return self.scheduler.run(start)

    def start_outcome(self, proc: Process, exit_: ProcessExit) -> Any:
        """What :meth:`run` gives when the start process ends: its value, or the crash."""
        if exit_.reason is A_NORMAL and exit_.error is None:
            return proc.result
        raise exit_

    def instructions(self) -> int:
        """BEAM instructions executed so far, by every process."""
        return self.retired_instructions + sum(p.n for p in self.processes.values())

    def process_exited(self, proc: Process, exit_: ProcessExit) -> None:
        """Clean up after a process and send its exit signals (links, monitors)."""
        if not proc.alive:
            return
        queued = not proc.waiting and proc is not self.scheduler.current
        proc.alive = False
        proc.waiting = False
        self.retired_instructions += proc.n
        self.processes.pop(proc.pid.id, None)
        if queued:  # killed by a signal while runnable
            self.scheduler.ready.remove(proc)
        self.cancel_receive_timer(proc)
        for ref in proc.timer_refs:  # timers aimed at a dead pid are cancelled, as in OTP
            event = self.timers.pop(ref, None)
            if event is not None:
                event.cancel()
        if proc.registered_name is not None:
            self.registered.pop(proc.registered_name, None)
        for hook in self.exit_hooks:
            hook(proc)
        if exit_.error is not None and self.crash_reporter and not _quiet_exit(exit_.error):
            self.crash_reporter(proc, exit_)
        # context_destroy: the signals are built on the dying heap, then it is freed
        signals.propagate_exit(self, proc, exit_.reason)
        if proc.refc:
            self.refc.exited(proc)
        if self.charges is not None:
            for block in proc.ram_blocks + proc.msg_blocks + list(proc.dict_blocks.values()):
                self.charges.release(block)
            proc.ram_blocks, proc.msg_blocks, proc.dict_blocks = [], [], {}
        self.dist.process_exited(proc, exit_.reason)

    # ------------------------------------------------------------------ exceptions
    def handle_exception(self, c: Process, e: ErlangError, pc: int) -> int:
        """Route an exception to the innermost catch, or end the process."""
        if e.stacktrace is None:
            e.stacktrace = stacktrace.build(self, c, e, pc)
        frame = c.y
        dropped = 0
        while frame is not None:
            for i in range(len(frame) - 3):
                slot = frame[i]
                if slot.__class__ is CatchTag:
                    c.hu -= dropped
                    c.y = frame
                    x = c.x
                    x[0] = NONVALUE
                    x[1] = e.cls
                    x[2] = e.reason
                    x[3] = RawTrace(e.cls, e.stacktrace)
                    return slot.block
            dropped += len(frame) - 2
            frame = frame[-2]
        raise ProcessExit(self.exit_reason(e), e)

    @staticmethod
    def exit_reason(e: ErlangError) -> Any:
        """The exit reason of a process ended by ``e``: AtomVM's ``{Reason, []}`` for an
        error (``{{nocatch, R}, []}`` for a throw) carries no stack trace
        (opcodesswitch.h ``handle_error``); the crash report still prints the trace."""
        if e.cls is EXIT:
            return e.reason
        if e.cls is THROW:
            return ((A_NOCATCH, e.reason), NIL)
        return (e.reason, NIL)
