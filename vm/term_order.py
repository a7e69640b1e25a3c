"""Erlang's standard term order and its two equalities.

number < atom < reference < fun < port < pid < tuple < map < nil < list < bitstring.
``compare`` is ``==``-based (1 and 1.0 compare equal); ``exact_eq`` is ``=:=``.
List tails are walked iteratively so million-element lists do not exhaust the Python stack.
Pids, ports and references of other nodes sort among local ones as AtomVM's term.c orders
them, a local one counting as ``nonode@nohost``'s with creation 0 (see :func:`_ident_key`).
"""
from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from .fun_binding import fun_entry
from .terms import (Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Nil, Pid,
                    Port, Ref, atom)

_RANK = {
    int: 0, float: 0, Atom: 1, Ref: 2, ExtRef: 2, Fun: 3, ExtFun: 3, Port: 4, ExtPort: 4,
    Pid: 5, ExtPid: 5, tuple: 6, Map: 7, Nil: 8, Cons: 9, bytes: 10, BitStr: 10,
}
_NONODE = "nonode@nohost"
_LOCAL_IDENTS = (Pid, Port, Ref)


def _ident_key(t: Any) -> tuple:
    """Sort key of a pid, port or reference when one of the two compared is another node's.

    term.c: pids by number, serial, node, creation; ports by node, creation, number;
    references by node, creation, word count, then words from the last; a local one counts
    as ``nonode@nohost``'s with creation 0 (a local reference as two words, high first).
    """
    cls = t.__class__
    if cls is ExtPid:
        return (t.number, t.serial, t.node.name, t.creation)
    if cls is Pid:
        return (t.id, 0, _NONODE, 0)
    if cls is ExtPort:
        return (t.node.name, t.creation, t.number)
    if cls is Port:
        return (_NONODE, 0, t.id)
    if cls is ExtRef:
        return (t.node.name, t.creation, len(t.words), tuple(reversed(t.words)))
    return (_NONODE, 0, 2, (t.id & 0xFFFFFFFF, t.id >> 32))


def _bits_of(t: Any) -> tuple[bytes, int]:
    if t.__class__ is bytes:
        return t, len(t) << 3
    return t.data, t.bits


def _cmp_bits(a: Any, b: Any) -> int:
    if a.__class__ is bytes and b.__class__ is bytes:
        return (a > b) - (a < b)
    da, na = _bits_of(a)
    db, nb = _bits_of(b)
    n = min(na, nb)
    ia = int.from_bytes(da, "big") >> (len(da) * 8 - n) if n else 0
    ib = int.from_bytes(db, "big") >> (len(db) * 8 - n) if n else 0
    if ia != ib:
        return -1 if ia < ib else 1
    return (na > nb) - (na < nb)


def _fun_head(f: Any) -> tuple:
    """What term.c compares first: external funs (after every local one) by module,
    function and arity; local funs by module, FunT index, old uniq and number of free
    variables — then the free variables in order (:func:`_cmp_funs`)."""
    if f.__class__ is ExtFun:
        return (1, f.module.name, f.function.name, f.arity)
    entry = fun_entry(f)
    return (0, f.module.name.name, f.index, entry.old_uniq if entry else 0, len(f.free))


def _cmp_funs(a: Any, b: Any, exact: bool) -> int:
    ka, kb = _fun_head(a), _fun_head(b)
    if ka != kb:
        return (ka > kb) - (ka < kb)
    if a.__class__ is Fun:
        for x, y in zip(a.free, b.free):
            c = compare(x, y, exact)
            if c:
                return c
    return 0


def compare(a: Any, b: Any, exact: bool = False) -> int:
    """-1, 0 or 1 as ``a`` sorts before, equal (``==``) to, or after ``b``.

    With ``exact`` (the order of map keys), an integer sorts before every float, at any depth.
    """
    while True:
        if a is b:
            return 0
        ca, cb = a.__class__, b.__class__
        ra, rb = _RANK[ca], _RANK[cb]
        if ra != rb:
            return -1 if ra < rb else 1
        if ra == 0:
            if exact and ca is not cb:
                return -1 if ca is int else 1
            return (a > b) - (a < b)
        if ca is Atom:
            return (a.name > b.name) - (a.name < b.name)
        if ca is tuple:
            if len(a) != len(b):
                return -1 if len(a) < len(b) else 1
            for x, y in zip(a, b):
                c = compare(x, y, exact)
                if c:
                    return c
            return 0
        if ca is Cons:
            while a.__class__ is Cons and b.__class__ is Cons:
                c = compare(a.hd, b.hd, exact)
                if c:
                    return c
                a, b = a.tl, b.tl
            continue  # compare the tails (nil, another type, or identical)
        if ra == 10:
            return _cmp_bits(a, b)
        if ca is Map:
            return _cmp_maps(a, b, exact)
        if ca is Nil:
            return 0
        if ra in (2, 4, 5):
            if ca is cb and ca in _LOCAL_IDENTS:
                return (a.id > b.id) - (a.id < b.id)
            ka, kb = _ident_key(a), _ident_key(b)
            return (ka > kb) - (ka < kb)
        return _cmp_funs(a, b, exact)


def _cmp_maps(a: Map, b: Map, exact: bool) -> int:
    """Maps: by size, then keys in map-key order, then values in key order."""
    if len(a) != len(b):
        return -1 if len(a) < len(b) else 1
    ia, ib = a.items(), b.items()
    for (ka, _), (kb, _) in zip(ia, ib):
        c = compare(ka, kb, True)
        if c:
            return c
    for (_, va), (_, vb) in zip(ia, ib):
        c = compare(va, vb, exact)
        if c:
            return c
    return 0


def compare_exact_keys(a: Any, b: Any) -> int:
    """Order of map keys: term order, but integers before floats."""
    return compare(a, b, True)


def exact_eq(a: Any, b: Any) -> bool:
    """Erlang ``=:=``."""
    while True:
        if a is b:
            return True
        ca = a.__class__
        if ca is not b.__class__:
            return False
        if ca is int or ca is float or ca is bytes:
            return a == b
        if ca is tuple:
            if len(a) != len(b):
                return False
            for x, y in zip(a, b):
                if not exact_eq(x, y):
                    return False
            return True
        if ca is Cons:
            while a.__class__ is Cons and b.__class__ is Cons:
                if a.hd is not b.hd and not exact_eq(a.hd, b.hd):
                    return False
                a, b = a.tl, b.tl
            continue
        if ca is Map:
            if len(a.d) != len(b.d):
                return False
            for k, (_, v) in a.d.items():
                kv = b.d.get(k)
                if kv is None or not exact_eq(v, kv[1]):
                    return False
            return True
        if ca is BitStr:
            return a.bits == b.bits and a.data == b.data
        if ca is Atom or ca is Nil:
            return False
        if ca is Fun:
            return (_fun_head(a) == _fun_head(b)
                    and all(exact_eq(x, y) for x, y in zip(a.free, b.free)))
        return a == b


def equal(a: Any, b: Any) -> bool:
    """Erlang ``==`` (numbers compare by value)."""
    return compare(a, b) == 0


sort_key = cmp_to_key(compare)
"""Key function for ``sorted`` in Erlang term order."""

map_key_order = cmp_to_key(compare_exact_keys)
"""Key function for ordering map keys (integers before equal floats)."""
