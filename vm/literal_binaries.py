"""Which binaries are module literals: AtomVM makes those const refc binaries.

AtomVM decodes every binary inside a literal into a 6-word const refc binary that points
into the module's literal table in flash, whatever its size (facts §2, externalterm.c
``term_from_const_binary``); a binary built at run time is a heap binary under the refc
threshold. avmsim's binaries are plain ``bytes`` (or :class:`~avmsim.vm.terms.BitStr`) that
do not know their origin, so the loader registers each one it decodes from a literal table
(:func:`register`) and the heap's measures ask :func:`is_literal`.

The registry is keyed by ``id`` and holds the objects themselves, so an id is never reused
for another object while it is listed: modules are never unloaded, and a module parsed by a
VM that is gone leaves only its literal binaries behind.

CPython shares the empty ``bytes`` and every 1-byte ``bytes`` between all their creators, so
those are not registered (a run-time ``<<C>>`` would otherwise be taken for a literal): a
literal of fewer than 2 bytes counts as a heap binary.
"""
from __future__ import annotations

from typing import Any

from .terms import BitStr, Cons, Map

LITERAL_BINARIES: dict[int, bytes | BitStr] = {}
"""id -> the literal binary itself (kept alive so that its id stays its own)."""

SHARED_BELOW = 2
"""Byte length under which CPython hands out one shared ``bytes`` object per value."""


def register(term: Any) -> None:
    """List every binary in the decoded literal ``term`` (in tuples, lists and maps too)."""
    stack = [term]
    while stack:
        t = stack.pop()
        cls = t.__class__
        if cls is bytes:
            if len(t) >= SHARED_BELOW:
                LITERAL_BINARIES[id(t)] = t
        elif cls is BitStr:
            LITERAL_BINARIES[id(t)] = t
        elif cls is tuple:
            stack.extend(t)
        elif cls is Cons:
            while t.__class__ is Cons:  # walk the spine in place: literal strings are long
                stack.append(t.hd)
                t = t.tl
            stack.append(t)
        elif cls is Map:
            for k, v in t.d.values():
                stack.append(k)
                stack.append(v)


def is_literal(binary: bytes | BitStr) -> bool:
    """Whether ``binary`` is a module literal's binary (a 6-word const refc binary in
    AtomVM, with no off-heap block), rather than one built at run time."""
    return id(binary) in LITERAL_BINARIES
