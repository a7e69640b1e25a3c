"""The helpers generated code calls, and exception routing.

Everything here is on a hot path or close to it: generated blocks see these names in their
namespace (:data:`BASE_NAMESPACE`), so no attribute look-up is needed to reach them.
"""
from __future__ import annotations

import math
from typing import Any

from .errors import BADARG, BADARITH, UNDEF, ErlangError
from .natives import CONTROL_NATIVES, control_native
from .term_copy import copy_term
from .term_order import compare, exact_eq
from .terms import (ERROR, EXIT, FALSE, NIL, THROW, TRUE, Atom, BitStr, Cons, ExtFun, ExtPid,
                    ExtPort, ExtRef, Fun, Map, Pid, Port, Ref, atom, from_list, map_key, to_list)

A_EXIT = atom("EXIT")
A_BADFUN = atom("badfun")
A_BADARITY = atom("badarity")
A_BADMAP = atom("badmap")
A_BADKEY = atom("badkey")
A_FUNCTION_CLAUSE = atom("function_clause")
A_NOCATCH = atom("nocatch")


class _NonValue:
    """BEAM's THE_NON_VALUE: marks x0 when a catch handler is entered by an exception."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NONVALUE"


NONVALUE = _NonValue()


class CatchTag:
    """A catch/try marker stored in a Y register: the block id of its handler."""

    __slots__ = ("block",)

    def __init__(self, block: int) -> None:
        self.block = block


class RawTrace:
    """The raw stack trace a handler receives in x3: class plus the stack trace term."""

    __slots__ = ("cls", "term")

    def __init__(self, cls: Atom, term: Any) -> None:
        self.cls = cls
        self.term = term


class Suspend(Exception):
    """Raised by block 0: the process gives the core back (reductions spent, or waiting)."""


# ---------------------------------------------------------------------------- errors

def err(reason: Any) -> ErlangError:
    return ErlangError(ERROR, reason)


def function_clause(module: Atom, function: Atom, args: list) -> ErlangError:
    return ErlangError(ERROR, A_FUNCTION_CLAUSE, call_args=(module, function, from_list(args)))


def undef() -> ErlangError:
    """``error:undef``: AtomVM's stack trace names the caller, not the missing function."""
    return ErlangError(ERROR, UNDEF)


def catch_value(cls: Atom, reason: Any, raw: RawTrace) -> Any:
    """Value of a ``catch Expr`` that caught an exception."""
    if cls is THROW:
        return reason
    if cls is ERROR:
        return (A_EXIT, (reason, raw.term))
    return (A_EXIT, reason)


def reraise(reason: Any, raw: Any) -> ErlangError:
    """``raise``: re-raise with the original class and stack trace."""
    if raw.__class__ is not RawTrace:
        return err(BADARG)
    return ErlangError(raw.cls, reason, stacktrace=raw.term)


def raw_raise(cls: Any, reason: Any, raw: Any) -> ErlangError:
    """``raw_raise`` with a valid class (``vm/ops/exceptions.py`` checks it), the compiler's
    ``erlang:raise(C, R, S)`` with the ``S`` of the catch around it: AtomVM keeps a trace only
    when given a list (stacktrace.c); the raw trace a catch hands over is not one, so the
    trace is built anew where ``raw_raise`` runs."""
    given = raw.__class__ is Cons or raw is NIL
    return ErlangError(cls, reason, stacktrace=raw if given else None)


def stacktrace_term(raw: Any) -> Any:
    return raw.term if raw.__class__ is RawTrace else NIL


# ---------------------------------------------------------------------------- floats

def fconv(v: Any) -> float:
    if v.__class__ is float:
        return v
    if v.__class__ is int:
        try:
            return float(v)
        except OverflowError:
            raise err(BADARITH) from None
    raise err(BADARITH)


def fcheck(r: float) -> float:
    if r - r != 0.0:  # inf or nan
        raise err(BADARITH)
    return r


def fdiv(a: float, b: float) -> float:
    if b == 0.0:
        raise err(BADARITH)
    return fcheck(a / b)


# ---------------------------------------------------------------------------- maps

def map_assoc(m: Any, pairs: tuple) -> Map:
    if m.__class__ is not Map:
        raise err((A_BADMAP, m))
    d = dict(m.d)
    for k, v in pairs:
        d[map_key(k)] = (k, v)
    return Map(d)


def map_exact(m: Any, pairs: tuple) -> Map:
    if m.__class__ is not Map:
        raise err((A_BADMAP, m))
    d = dict(m.d)
    for k, v in pairs:
        mk = map_key(k)
        if mk not in d:
            raise err((A_BADKEY, k))
        d[mk] = (k, v)
    return Map(d)


def is_fun2(f: Any, arity: Any) -> bool:
    if arity.__class__ is not int or arity < 0:
        raise err(BADARG)
    return (f.__class__ is Fun or f.__class__ is ExtFun) and f.arity == arity


# ---------------------------------------------------------------------------- calls

def enter(c: Any, target: int) -> int:
    """Jump to a function entry, spending a reduction (hand back the core when none are left)."""
    c.reds = r = c.reds - 1
    return target if r > 0 else preempt(c, target)


def preempt(c: Any, target: int) -> int:
    """Reductions are spent: remember where to resume and hand the core back (block 0)."""
    c.pc = target
    return 0


def invoke(c: Any, module: Any, function: Any, arity: int, cont: int) -> int:
    """Call ``module:function/arity`` with arguments in x0.., continuing at ``cont``."""
    if module.__class__ is not Atom or function.__class__ is not Atom:
        raise err(BADARG)
    vm = c.vm
    key = (module.name, function.name, arity)
    ctrl = CONTROL_NATIVES.get(key)
    if ctrl is not None:
        return ctrl(c, cont)
    nat = vm.natives.get(key)
    if nat is not None:
        c.x[0] = nat(c, *c.x[:arity])
        return cont
    if key in vm.not_on_device:   # the caller's module is looked up only then
        caller = vm.block_info[cont]
        if vm.off_device(caller.module.name if caller is not None else None, module, function,
                         arity):
            raise undef()
    target = vm.export_block(module, function, arity)
    if target is None:
        raise undef()
    c.cp = cont
    return enter(c, target)


def call_fun(c: Any, f: Any, arity: int, cont: int) -> int:
    """call_fun / call_fun2: arguments in x0..x(arity-1)."""
    cls = f.__class__
    if cls is Fun:
        if f.arity != arity:
            raise err((A_BADARITY, (f, from_list(c.x[:arity]))))
        x = c.x
        i = arity
        for v in f.free:
            x[i] = v
            i += 1
        c.cp = cont
        return enter(c, f.module.fun_blocks[f.index])
    if cls is ExtFun:
        if f.arity != arity:
            raise err((A_BADARITY, (f, from_list(c.x[:arity]))))
        return invoke(c, f.module, f.function, arity, cont)
    raise err((A_BADFUN, f))


def apply(c: Any, arity: int, cont: int) -> int:
    """The ``apply`` opcode: module in x(arity), function in x(arity+1)."""
    x = c.x
    return invoke(c, x[arity], x[arity + 1], arity, cont)


@control_native("erlang", "apply", 3)
def apply3(c: Any, cont: int) -> int:
    x = c.x
    module, function, args = x[0], x[1], x[2]
    try:
        items = to_list(args)
    except ValueError:
        raise err(BADARG) from None
    x[:len(items)] = items
    return invoke(c, module, function, len(items), cont)


@control_native("erlang", "apply", 2)
def apply2(c: Any, cont: int) -> int:
    x = c.x
    f, args = x[0], x[1]
    try:
        items = to_list(args)
    except ValueError:
        raise err(BADARG) from None
    x[:len(items)] = items
    if f.__class__ is not Fun and f.__class__ is not ExtFun:
        raise err((A_BADFUN, f))
    return call_fun(c, f, len(items), cont)


# ---------------------------------------------------------------------------- messages

def send(c: Any, dest: Any, msg: Any) -> Any:
    c.vm.send(c, dest, msg)
    return msg


def remove_message(c: Any) -> None:
    c.vm.take_message(c, c.msg_pos)
    c.msg_pos = 0
    if c.timer is not None:
        c.vm.cancel_receive_timer(c)


def wait(c: Any, resume: int, timeout: Any, timeout_block: int) -> int:
    """Suspend until a message arrives (resume at ``resume``) or the timeout expires."""
    return c.vm.wait(c, resume, timeout, timeout_block)


# ---------------------------------------------------------------------------- namespace

BASE_NAMESPACE: dict[str, Any] = {
    "Cons": Cons, "NIL": NIL, "Atom": Atom, "TRUE": TRUE, "FALSE": FALSE, "Pid": Pid,
    "Port": Port, "Ref": Ref, "Fun": Fun, "ExtFun": ExtFun, "Map": Map, "BitStr": BitStr,
    "ExtPid": ExtPid, "ExtPort": ExtPort, "ExtRef": ExtRef,
    "ErlangError": ErlangError, "CatchTag": CatchTag, "NONVALUE": NONVALUE,
    "EQX": exact_eq, "CMP": compare, "MAPKEY": map_key,
    "FCLAUSE": function_clause, "UNDEF_BIF": undef, "ERR": err,
    "A_badmatch_": atom("badmatch"), "A_case_clause_": atom("case_clause"),
    "A_try_clause_": atom("try_clause"), "A_badrecord_": atom("badrecord"),
    "A_if_clause_": atom("if_clause"), "A_badarg_": BADARG,
    "A_error_": ERROR, "A_exit_": EXIT, "A_throw_": THROW,
    "CATCH_VALUE": catch_value, "RERAISE": reraise, "RAW_RAISE": raw_raise,
    "STACKTRACE_TERM": stacktrace_term,
    "FCONV": fconv, "FCHECK": fcheck, "FDIV": fdiv, "IS_FUN2": is_fun2,
    "MAP_ASSOC": map_assoc, "MAP_EXACT": map_exact,
    "CALL_FUN": call_fun, "APPLY": apply, "SEND": send, "REMOVE_MESSAGE": remove_message,
    "WAIT": wait, "PREEMPT": preempt, "math": math, "LITERAL_COPY": copy_term,
}
"""Names every generated module sees (each module adds its own imports and fun table)."""
