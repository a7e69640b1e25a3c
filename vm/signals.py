"""Exit signals, links and monitors, with OTP's semantics.

A dying process sends its exit reason along every link and a ``'DOWN'`` message to every
monitor. A linked process that traps exits gets ``{'EXIT', Pid, Reason}`` as a message;
otherwise a ``normal`` reason is ignored and any other reason kills it too. ``kill`` sent
with ``exit/2`` cannot be trapped and becomes ``killed``.
"""
from __future__ import annotations

from typing import Any

from . import heap
from .errors import ProcessExit
from .ram_charges import OutOfMemoryAbort
from .term_size import tuple_words
from .terms import atom

A_EXIT = atom("EXIT")
A_DOWN = atom("DOWN")
A_PROCESS = atom("process")
A_NORMAL = atom("normal")
A_KILL = atom("kill")
A_KILLED = atom("killed")
A_NOPROC = atom("noproc")

EXIT_SIGNAL_WORDS = tuple_words(3)
"""``{'EXIT', Pid, Reason}`` built on the dying process's heap."""
DOWN_TUPLE_WORDS = tuple_words(5)
"""``{'DOWN', Ref, process, Pid, Reason}`` without its ref."""
CANNOT_HANDLE = "Cannot handle out of memory."
"""What AtomVM prints before it aborts when a dying process has no room for a signal."""


def terminate(vm: Any, target: Any, reason: Any) -> None:
    """End ``target`` with ``reason`` now; the running process ends once the signal that
    reached it has been fully delivered elsewhere (see :func:`raise_pending_self_exit`)."""
    if target is vm.scheduler.current:
        if vm.pending_self_exit is None:
            vm.pending_self_exit = reason
        return
    vm.process_exited(target, ProcessExit(reason))


def raise_pending_self_exit(vm: Any) -> None:
    """Called by natives that send signals: end the caller if a signal killed it."""
    reason = vm.pending_self_exit
    if reason is not None:
        vm.pending_self_exit = None
        raise ProcessExit(reason)


def exit_signal(vm: Any, target: Any, sender: Any, reason: Any, from_link: bool) -> None:
    """Deliver an exit signal from ``sender`` (a Pid) to the live process ``target``."""
    if reason is A_KILL and not from_link:
        terminate(vm, target, A_KILLED)
    elif target.trap_exit:
        vm.deliver(target, (A_EXIT, sender, reason))
    elif reason is not A_NORMAL:
        terminate(vm, target, reason)


def propagate_exit(vm: Any, proc: Any, reason: Any) -> None:
    """Send the exit of ``proc`` to its links and monitors (``proc`` is already dead)."""
    if not (proc.monitors or proc.monitored_by or proc.links):
        return
    pid = proc.pid
    down_words = DOWN_TUPLE_WORDS + vm.layout.ref_words
    for ref, target_id in sorted(proc.monitors.items(), key=lambda kv: kv[0].id):
        target = vm.processes.get(target_id) or vm.ports.get(target_id)
        if target is not None:
            target.monitored_by.pop(ref, None)
    for ref, (watcher_id, target_term) in sorted(proc.monitored_by.items(),
                                                 key=lambda kv: kv[0].id):
        watcher = vm.processes.get(watcher_id)
        if watcher is not None:
            _room_or_abort(vm, proc, down_words, reason, "'DOWN' message", watcher)
            watcher.monitors.pop(ref, None)
            vm.deliver(watcher, (A_DOWN, ref, A_PROCESS, target_term, reason))
    for linked_id in sorted(proc.links):
        port = vm.ports.get(linked_id)
        if port is not None:
            port.links.discard(pid.id)
            port.exit_signal(reason)
        other = vm.processes.get(linked_id)
        if other is not None:
            _room_or_abort(vm, proc, EXIT_SIGNAL_WORDS, reason, "exit signal", other)
            other.links.discard(pid.id)
            exit_signal(vm, other, pid, reason, from_link=True)


def _room_or_abort(vm: Any, proc: Any, words: int, reason: Any, what: str, to: Any) -> None:
    """AtomVM builds each signal of a dying process on its heap; with no room there (a
    process killed by ``max_heap_size`` or by the board's RAM, still full) it prints
    :data:`CANNOT_HANDLE` and aborts the VM, and so does avmsim."""
    if heap.room_on_dying_heap(proc, words, reason):
        return
    heap.diagnostic(vm, CANNOT_HANDLE)
    raise OutOfMemoryAbort(f"out of memory: {proc.pid} died with a full heap and had no room "
                           f"for the {what} to {to.pid}, where AtomVM aborts the VM "
                           f"(context.c)", vm.charges.ram.used_by_tag() if vm.charges else {})
