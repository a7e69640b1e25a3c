"""Sockets nobody can reach any more are closed, as AtomVM's resource destructor closes them.

On AtomVM a socket is a resource: its count drops when a process holding it exits (or
collects it away), and the process selecting on it holds one more until it dies (the
select's monitor). At zero, ``socket_dtor`` closes the descriptor: the peer sees the
connection end, the port is free again (a supervisor can restart a crashed listener).

avmsim checks when a process exits, which is when AtomVM lets go of everything the process
held: an open socket whose selecting process is gone is closed unless a live process still
reaches its resource — from its registers, stack, dictionary, mailbox, or the function and
arguments it has not started with — or an ETS table holds it. (AtomVM would also free it
when a live process drops the last reference and collects; avmsim waits for an exit. A
socket kept only inside a pending ``send_after`` message is not seen, and is closed.)
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Iterable

from ..terms import Cons, Fun, Map, Ref

_OPEN: "weakref.WeakKeyDictionary[Any, dict[int, Any]]" = weakref.WeakKeyDictionary()


def opened(vm: Any, handle: Ref, res: Any, destroy: Callable[[Any, Any], None]) -> None:
    """Track an open socket; the first one of a VM installs the exit hook, which calls
    ``destroy(vm, res)`` for each socket nobody reaches."""
    table = _OPEN.get(vm)
    if table is None:
        table = _OPEN[vm] = {}
        vm.exit_hooks.append(lambda proc: _collect(vm, table, destroy))
    table[handle.id] = res


def closed(vm: Any, handle: Ref) -> None:
    """The socket was closed: no longer tracked."""
    _OPEN.get(vm, {}).pop(handle.id, None)


def _collect(vm: Any, table: dict[int, Any], destroy: Callable[[Any, Any], None]) -> None:
    candidates = {key: res for key, res in table.items()
                  if res.selector is None or vm.process(res.selector) is None}
    if not candidates:
        return
    reached = _refs_in(_roots(vm), set(candidates))
    for key, res in candidates.items():
        if key not in reached:
            destroy(vm, res)


def _roots(vm: Any) -> list[Any]:
    """Every term a live process or an ETS table holds (the X registers whole: a stale one
    only keeps a socket open longer)."""
    roots: list[Any] = []
    for proc in vm.processes.values():
        roots += proc.x
        for frame in proc.frames():
            roots += frame[:-3]
        for key, value in proc.pdict.values():
            roots += (key, value)
        roots += proc.mailbox
        if proc.start is not None:
            roots.append(proc.start)
    registry = getattr(vm, "ets_registry", None)
    if registry is not None:
        for ets in registry.by_ref.values():
            roots += ets.store.objects()
    return roots


def _refs_in(todo: list[Any], wanted: set[int]) -> set[int]:
    """The ids among ``wanted`` of the references reachable from ``todo`` (consumed); stops
    once every one is found. Shared tuples and lists are walked once."""
    found: set[int] = set()
    seen: set[int] = set()
    while todo and len(found) < len(wanted):
        t = todo.pop()
        cls = t.__class__
        if cls is Ref:
            if t.id in wanted:
                found.add(t.id)
        elif cls is tuple or cls is Cons or cls is Map or cls is Fun or cls is list:
            if id(t) in seen:
                continue
            seen.add(id(t))
            todo.extend(_children(t))
    return found


def _children(t: Any) -> Iterable[Any]:
    cls = t.__class__
    if cls is Cons:
        return (t.hd, t.tl)
    if cls is Map:
        return [x for kv in t.items() for x in kv]
    if cls is Fun:
        return t.free
    return t
