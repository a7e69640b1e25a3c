"""The ``lists`` functions AtomVM implements natively: reverse, keyfind, keymember, member,
flatten. As NIFs they fail with ``badarg`` on what is not a proper list (nifs.c; OTP's Erlang
code raises ``function_clause`` for some), checked against AtomVM 7b282159."""
from __future__ import annotations

from typing import Any

from ..errors import badarg, error
from ..natives import native
from ..term_order import compare, exact_eq
from ..terms import FALSE, NIL, TRUE, Cons, atom
from ._util import all_args, cells, charge_results, copied_prefix, first_arg, list_cells

FUNCTION_CLAUSE = atom("function_clause")


def _function_clause() -> Any:
    """flatten/2 is Erlang code in OTP (AtomVM has none): no clause for an improper list."""
    return error(FUNCTION_CLAUSE)


@native("lists", "reverse", 1)
def reverse1(ctx, t):
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


def _flatten(t: Any, tail: Any, improper: Any) -> Any:
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
            raise improper()
    result = tail
    for x in reversed(out):
        result = Cons(x, result)
    return result


@native("lists", "flatten", 1)
def flatten1(ctx, t):
    return _flatten(t, NIL, badarg)


@native("lists", "flatten", 2)
def flatten2(ctx, t, tail):
    if t is not NIL and t.__class__ is not Cons:
        raise _function_clause()
    return _flatten(t, tail, _function_clause)


def _flattened(result: Any, args: tuple, layout: Any) -> int:
    """New cells up to the tail ``lists:flatten/2`` was given (shared)."""
    return list_cells(result) - (list_cells(args[1]) if len(args) > 1 else 0)


charge_results("lists", {
    ("reverse", 1): cells, ("reverse", 2): copied_prefix(0), ("flatten", 1): _flattened,
    ("flatten", 2): _flattened,
}, roots={("reverse", 1): all_args, ("reverse", 2): all_args, ("flatten", 1): first_arg,
          ("flatten", 2): first_arg})
