"""A fresh copy of a term, as AtomVM makes one whenever a term crosses into another heap.

AtomVM copies a message into the receiver's mailbox, a spawned process's arguments into its
first heap, and decodes a literal into a new heap fragment at every use
(``memory_copy_term_tree``, ``externalterm_to_term``). The copy is a tree: a subterm
referenced twice in the original is copied twice. avmsim's collector measures the live data
of a process by object identity (a subterm reached twice through the same object is counted
once, as a copying collection keeps it shared), so the boundaries must make new objects for
identity to mean what AtomVM's pointers mean.

Lists, tuples, maps and closures are copied. Leaves keep their identity: numbers, binaries
and bitstrings, references and external funs (numbers and binaries shared across a boundary
are rare; the collector's docstring says how they are measured). Works iteratively: long
lists and deep nesting never recurse.
"""
from __future__ import annotations

from typing import Any

from .terms import Cons, Fun, Map


class _Build:
    """A pending parent on the work stack: built once its copied children are on ``done``."""

    __slots__ = ("kind", "arg")

    def __init__(self, kind: type, arg: Any) -> None:
        self.kind = kind
        self.arg = arg


def copy_term(term: Any) -> Any:
    """A copy of ``term`` sharing no list cell, tuple, map or closure with it."""
    cls = term.__class__
    if cls is tuple:
        for item in term:   # the usual message: a tuple of leaves, copied in one step
            c = item.__class__
            if c is tuple or c is Cons or c is Map or c is Fun:
                break
        else:
            return (*term,)
    elif cls is not Cons and cls is not Map and cls is not Fun:
        return term
    done: list[Any] = []      # copied values, in the order their parents expect them
    todo: list[Any] = [term]  # terms to copy, and parents to build (popped last first)
    while todo:
        t = todo.pop()
        cls = t.__class__
        if cls is tuple:
            todo.append(_Build(tuple, len(t)))
            todo.extend(reversed(t))
        elif cls is Cons:
            heads = []
            while t.__class__ is Cons:
                heads.append(t.hd)
                t = t.tl
            todo.append(_Build(Cons, len(heads)))
            todo.append(t)
            todo.extend(reversed(heads))
        elif cls is Map:
            pairs = list(t.d.items())
            todo.append(_Build(Map, [mk for mk, _ in pairs]))
            for _, (k, v) in reversed(pairs):
                todo.append(v)
                todo.append(k)
        elif cls is Fun:
            todo.append(_Build(Fun, t))
            todo.extend(reversed(t.free))
        elif cls is _Build:
            _build(t, done)
        else:
            done.append(t)
    return done[0]


def _take(done: list[Any], n: int) -> list[Any]:
    """The last ``n`` copied values, removed from ``done``."""
    if not n:
        return []
    parts = done[-n:]
    del done[-n:]
    return parts


def _build(pending: _Build, done: list[Any]) -> None:
    """Replace the copied children on top of ``done`` by their new parent."""
    kind = pending.kind
    if kind is tuple:
        done.append(tuple(_take(done, pending.arg)))
    elif kind is Cons:
        tail = done.pop()
        for h in reversed(_take(done, pending.arg)):
            tail = Cons(h, tail)
        done.append(tail)
    elif kind is Map:
        keys = pending.arg
        flat = _take(done, 2 * len(keys))
        done.append(Map({mk: (flat[2 * i], flat[2 * i + 1]) for i, mk in enumerate(keys)}))
    else:
        fun = pending.arg
        done.append(Fun(fun.module, fun.index, fun.arity, tuple(_take(done, len(fun.free)))))
