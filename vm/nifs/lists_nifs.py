"""The ``lists`` functions AtomVM implements natively: reverse, keyfind, keymember, member,
flatten."""
from __future__ import annotations

from typing import Any

from ..errors import badarg, error
from ..natives import native
from ..term_order import compare, exact_eq
from ..terms import FALSE, NIL, TRUE, Cons, atom
from ._util import all_args, cells, charge_results, copied_prefix, first_arg, list_cells

FUNCTION_CLAUSE = atom("function_clause")


@native("lists", "reverse", 1)
def reverse1(ctx, t):
    # OTP's reverse/1 is Erlang code matching [], [_], [A, B] and [A, B | L]
    if t is not NIL and (t.__class__ is not Cons
                         or (t.tl is not NIL and t.tl.__class__ is not Cons)):
        raise error(FUNCTION_CLAUSE)
    return reverse2(ctx, t, NIL)


@native("lists", "reverse", 2)
def reverse2(ctx, t, tail):
    acc = tail
    while t.__class__ is Cons:
        acc = Cons(t.hd, acc)
        t = t.tl
    if t is not NIL:
        raise badarg()
    return acc


def _keysearch(key: Any, n: Any, t: Any) -> Any:
    """The first tuple of list ``t`` whose ``n``-th element is ``==`` to ``key``, or None."""
    if n.__class__ is not int or n < 1:
        raise badarg()
    while t.__class__ is Cons:
        e = t.hd
        if e.__class__ is tuple and len(e) >= n and compare(e[n - 1], key) == 0:
            return e
        t = t.tl
    if t is not NIL:
        raise badarg()
    return None


@native("lists", "keyfind", 3)
def keyfind(ctx, key, n, t):
    found = _keysearch(key, n, t)
    return FALSE if found is None else found


@native("lists", "keymember", 3)
def keymember(ctx, key, n, t):
    return FALSE if _keysearch(key, n, t) is None else TRUE


@native("lists", "member", 2)
def member(ctx, x, t):
    while t.__class__ is Cons:
        if exact_eq(t.hd, x):
            return TRUE
        t = t.tl
    if t is not NIL:
        raise badarg()
    return FALSE


def _flatten(t: Any, tail: Any) -> Any:
    out: list[Any] = []
    stack = [t]
    while stack:
        t = stack.pop()
        while t.__class__ is Cons:
            h = t.hd
            if h.__class__ is Cons or h is NIL:
                stack.append(t.tl)
                t = h
                continue
            out.append(h)
            t = t.tl
        if t is not NIL:
            raise error(FUNCTION_CLAUSE)
    result = tail
    for x in reversed(out):
        result = Cons(x, result)
    return result


@native("lists", "flatten", 1)
def flatten1(ctx, t):
    if t is not NIL and t.__class__ is not Cons:
        raise error(FUNCTION_CLAUSE)
    return _flatten(t, NIL)


@native("lists", "flatten", 2)
def flatten2(ctx, t, tail):
    if t is not NIL and t.__class__ is not Cons:
        raise error(FUNCTION_CLAUSE)
    return _flatten(t, tail)


def _flattened(result: Any, args: tuple, layout: Any) -> int:
    """New cells up to the tail ``lists:flatten/2`` was given (shared)."""
    return list_cells(result) - (list_cells(args[1]) if len(args) > 1 else 0)


charge_results("lists", {
    ("reverse", 1): cells, ("reverse", 2): copied_prefix(0), ("flatten", 1): _flattened,
    ("flatten", 2): _flattened,
}, roots={("reverse", 1): all_args, ("reverse", 2): all_args, ("flatten", 1): first_arg,
          ("flatten", 2): first_arg})
