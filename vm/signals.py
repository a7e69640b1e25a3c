"""Exit signals, links and monitors, with OTP's semantics.

A dying process sends its exit reason along every link and a ``'DOWN'`` message to every
monitor. A linked process that traps exits gets ``{'EXIT', Pid, Reason}`` as a message;
otherwise a ``normal`` reason is ignored and any other reason kills it too. ``kill`` sent
with ``exit/2`` cannot be trapped and becomes ``killed``.
"""
from __future__ import annotations

from typing import Any

from .errors import ProcessExit
from .terms import atom

A_EXIT = atom("EXIT")
A_DOWN = atom("DOWN")
A_PROCESS = atom("process")
A_NORMAL = atom("normal")
A_KILL = atom("kill")
A_KILLED = atom("killed")
A_NOPROC = atom("noproc")


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
    for ref, target_id in sorted(proc.monitors.items(), key=lambda kv: kv[0].id):
        target = vm.processes.get(target_id) or vm.ports.get(target_id)
        if target is not None:
            target.monitored_by.pop(ref, None)
    for ref, (watcher_id, target_term) in sorted(proc.monitored_by.items(),
                                                 key=lambda kv: kv[0].id):
        watcher = vm.processes.get(watcher_id)
        if watcher is not None:
            watcher.monitors.pop(ref, None)
            vm.deliver(watcher, (A_DOWN, ref, A_PROCESS, target_term, reason))
    for linked_id in sorted(proc.links):
        other = vm.processes.get(linked_id)
        if other is not None:
            other.links.discard(pid.id)
            exit_signal(vm, other, pid, reason, from_link=True)
