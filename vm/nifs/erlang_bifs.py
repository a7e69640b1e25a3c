"""AtomVM's 73 BIFs (``erlang``, guard-callable), with OTP 25's results and error reasons.

Arithmetic raises ``badarith`` for non-numbers, division by zero and float overflow; type
conversions and accessors raise ``badarg``; map accessors raise ``{badmap, M}`` and
``{badkey, K}``. Integers are AtomVM's: an integer result whose magnitude needs more than 256
bits raises ``overflow`` (``errors.checked_int``), where OTP would go on.
"""
from __future__ import annotations

import math
from typing import Any

from ..bits import MatchState
from ..errors import INT_BITS, OVERFLOW, badarg, badarith, checked_int, error
from ..intn import bitwise_result
from ..natives import native
from ..term_order import compare, exact_eq
from ..term_size import sub_binary_words
from ..terms import (ATOMS, FALSE, NIL, PID_CLASSES, PORT_CLASSES, REF_CLASSES, TRUE, UNDEFINED,
                     Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Pid, Port, Ref,
                     atom, bit_size as _bit_size, map_key)
from ._util import (BADKEY, LATIN1, UNICODE, UTF8, boolean, charge_results, charlist_str,
                    make_atom, need_map, new_number, sliced)

_NUMBER = (int, float)
POSITIVE = atom("positive")
MONOTONIC = atom("monotonic")


def _is_num(x: Any) -> bool:
    return x.__class__ is int or x.__class__ is float


def _check_float(f: float) -> float:
    if f != f or f in (math.inf, -math.inf):
        raise badarith()
    return f


def _to_float(x: Any) -> float:
    try:
        return float(x)
    except OverflowError:
        raise badarith() from None


# ----------------------------------------------------------------------------- arithmetic

def _arith(op):
    """Wrap a two-number operation: ints stay exact, any float makes the result a float."""
    def f(ctx, a, b):
        if not (_is_num(a) and _is_num(b)):
            raise badarith()
        if a.__class__ is int and b.__class__ is int:
            return checked_int(op(a, b))
        try:
            return _check_float(op(_to_float(a), _to_float(b)))
        except OverflowError:
            raise badarith() from None
    return f


add = native("erlang", "+", 2, bif=True)(_arith(lambda a, b: a + b))
sub = native("erlang", "-", 2, bif=True)(_arith(lambda a, b: a - b))
mul = native("erlang", "*", 2, bif=True)(_arith(lambda a, b: a * b))


@native("erlang", "/", 2, bif=True)
def fdiv(ctx, a, b):
    if not (_is_num(a) and _is_num(b)) or b == 0:
        raise badarith()
    try:
        if a.__class__ is int and b.__class__ is int:
            return _check_float(a / b)
        return _check_float(_to_float(a) / _to_float(b))
    except OverflowError:
        raise badarith() from None


def _int_args(a: Any, b: Any) -> None:
    if a.__class__ is not int or b.__class__ is not int:
        raise badarith()


@native("erlang", "div", 2, bif=True)
def idiv(ctx, a, b):
    _int_args(a, b)
    if b == 0:
        raise badarith()
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


@native("erlang", "rem", 2, bif=True)
def irem(ctx, a, b):
    _int_args(a, b)
    if b == 0:
        raise badarith()
    r = abs(a) % abs(b)
    return -r if a < 0 else r


@native("erlang", "band", 2, bif=True)
def band(ctx, a, b):
    _int_args(a, b)
    return bitwise_result(ctx.vm.layout, a & b, a, b)


@native("erlang", "bor", 2, bif=True)
def bor(ctx, a, b):
    _int_args(a, b)
    return bitwise_result(ctx.vm.layout, a | b, a, b)


@native("erlang", "bxor", 2, bif=True)
def bxor(ctx, a, b):
    _int_args(a, b)
    return bitwise_result(ctx.vm.layout, a ^ b, a, b)


def _shift(a: int, n: int) -> int:
    if n >= 0:
        if a and n + a.bit_length() > INT_BITS:   # decided before a huge shift is made
            raise error(OVERFLOW)
        return a << n
    return a >> min(-n, a.bit_length() + 1)


@native("erlang", "bsl", 2, bif=True)
def bsl(ctx, a, b):
    _int_args(a, b)
    return _shift(a, b)


@native("erlang", "bsr", 2, bif=True)
def bsr(ctx, a, b):
    _int_args(a, b)
    return _shift(a, -b)


@native("erlang", "bnot", 1, bif=True)
def bnot(ctx, a):
    if a.__class__ is not int:
        raise badarith()
    return bitwise_result(ctx.vm.layout, ~a, a)


@native("erlang", "-", 1, bif=True)
def neg(ctx, a):
    if not _is_num(a):
        raise badarith()
    return -a


@native("erlang", "+", 1, bif=True)
def plus(ctx, a):
    if not _is_num(a):
        raise badarith()
    return a


# ----------------------------------------------------------------------------- comparisons

_COMPARISONS = {
    "==": lambda a, b: compare(a, b) == 0,
    "/=": lambda a, b: compare(a, b) != 0,
    "=:=": exact_eq,
    "=/=": lambda a, b: not exact_eq(a, b),
    "<": lambda a, b: compare(a, b) < 0,
    ">": lambda a, b: compare(a, b) > 0,
    "=<": lambda a, b: compare(a, b) <= 0,
    ">=": lambda a, b: compare(a, b) >= 0,
}


def _register_comparison(name: str, test) -> None:
    @native("erlang", name, 2, bif=True)
    def cmp(ctx, a, b):
        return TRUE if test(a, b) else FALSE


for _name, _test in _COMPARISONS.items():
    _register_comparison(_name, _test)


@native("erlang", "max", 2, bif=True)
def max_(ctx, a, b):
    return b if compare(a, b) < 0 else a


@native("erlang", "min", 2, bif=True)
def min_(ctx, a, b):
    return b if compare(a, b) > 0 else a


# ----------------------------------------------------------------------------- booleans

def _bool(x: Any) -> bool:
    if x is TRUE:
        return True
    if x is FALSE:
        return False
    raise badarg()


@native("erlang", "and", 2, bif=True)
def and_(ctx, a, b):
    x, y = _bool(a), _bool(b)
    return boolean(x and y)


@native("erlang", "or", 2, bif=True)
def or_(ctx, a, b):
    x, y = _bool(a), _bool(b)
    return boolean(x or y)


@native("erlang", "xor", 2, bif=True)
def xor_(ctx, a, b):
    return boolean(_bool(a) != _bool(b))


@native("erlang", "not", 1, bif=True)
def not_(ctx, a):
    return boolean(not _bool(a))


# ----------------------------------------------------------------------------- numbers

@native("erlang", "abs", 1, bif=True)
def abs_(ctx, x):
    if not _is_num(x):
        raise badarg()
    return -x if x < 0 else x  # keeps -0.0, as OTP does


def _round_half_away(f: float) -> int:
    if f < 0:
        return -_round_half_away(-f)
    r = math.floor(f)
    return r + 1 if f - r >= 0.5 else r


def _float_to_int(conv):
    def f(ctx, x):
        if x.__class__ is int:
            return x
        if x.__class__ is not float:
            raise badarg()
        return checked_int(conv(x))
    return f


native("erlang", "ceil", 1, bif=True)(_float_to_int(math.ceil))
native("erlang", "floor", 1, bif=True)(_float_to_int(math.floor))
native("erlang", "round", 1, bif=True)(_float_to_int(_round_half_away))
native("erlang", "trunc", 1, bif=True)(_float_to_int(math.trunc))


@native("erlang", "float", 1, bif=True)
def float_(ctx, x):
    if x.__class__ is float:
        return x
    if x.__class__ is not int:
        raise badarg()
    try:
        return float(x)
    except OverflowError:
        raise badarg() from None


# ----------------------------------------------------------------------------- binaries

def _part(data: Any, start: Any, length: Any) -> bytes:
    """``binary_part`` semantics: byte range of a bitstring, negative length counts back."""
    if data.__class__ is bytes:
        raw, nbytes = data, len(data)
    elif data.__class__ is BitStr:
        raw, nbytes = data.data, data.bits >> 3
    else:
        raise badarg()
    if start.__class__ is not int or length.__class__ is not int:
        raise badarg()
    if length < 0:
        start, length = start + length, -length
    if start < 0 or start > nbytes or start + length > nbytes:
        raise badarg()
    return bytes(raw[start:start + length])


@native("erlang", "binary_part", 3, bif=True)
def binary_part3(ctx, data, start, length):
    return _part(data, start, length)


@native("erlang", "binary_part", 2, bif=True)
def binary_part2(ctx, data, pos_len):
    if pos_len.__class__ is not tuple or len(pos_len) != 2:
        raise badarg()
    return _part(data, pos_len[0], pos_len[1])


def _decode_atom_text(data: Any, encoding: Any) -> str:
    if data.__class__ is not bytes:
        raise badarg()
    if encoding is LATIN1:
        return data.decode("latin-1")
    if encoding is UTF8 or encoding is UNICODE:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise badarg() from None
    raise badarg()


@native("erlang", "binary_to_atom", 2, bif=True)
def binary_to_atom2(ctx, data, encoding):
    return make_atom(_decode_atom_text(data, encoding), ctx)


@native("erlang", "binary_to_atom", 1, bif=True)
def binary_to_atom1(ctx, data):
    return make_atom(_decode_atom_text(data, UTF8), ctx)


def _existing(name: str) -> Atom:
    a = ATOMS.get(name)
    if a is None:
        raise badarg()
    return a


@native("erlang", "binary_to_existing_atom", 2, bif=True)
def binary_to_existing_atom2(ctx, data, encoding):
    return _existing(_decode_atom_text(data, encoding))


@native("erlang", "binary_to_existing_atom", 1, bif=True)
def binary_to_existing_atom1(ctx, data):
    return _existing(_decode_atom_text(data, UTF8))


@native("erlang", "bit_size", 1, bif=True)
def bit_size(ctx, t):
    if t.__class__ is MatchState:  # OTP 27+ apply it to a match context: the bits left
        return t.size - t.pos
    if t.__class__ is not bytes and t.__class__ is not BitStr:
        raise badarg()
    return _bit_size(t)


@native("erlang", "byte_size", 1, bif=True)
def byte_size(ctx, t):
    if t.__class__ is bytes:
        return len(t)
    if t.__class__ is BitStr:
        return (t.bits + 7) >> 3
    if t.__class__ is MatchState:  # OTP 27+ apply it to a match context: the bits left
        return (t.size - t.pos + 7) >> 3
    raise badarg()


# ----------------------------------------------------------------------------- terms

@native("erlang", "element", 2, bif=True)
def element(ctx, n, t):
    if n.__class__ is not int or t.__class__ is not tuple or not 1 <= n <= len(t):
        raise badarg()
    return t[n - 1]


@native("erlang", "get", 1, bif=True)
def get1(ctx, key):
    kv = ctx.pdict.get(map_key(key))
    return UNDEFINED if kv is None else kv[1]


@native("erlang", "hd", 1, bif=True)
def hd(ctx, t):
    if t.__class__ is not Cons:
        raise badarg()
    return t.hd


@native("erlang", "tl", 1, bif=True)
def tl(ctx, t):
    if t.__class__ is not Cons:
        raise badarg()
    return t.tl


@native("erlang", "length", 1, bif=True)
def length(ctx, t):
    n = 0
    while t.__class__ is Cons:
        n += 1
        t = t.tl
    if t is not NIL:
        raise badarg()
    return n


@native("erlang", "size", 1, bif=True)
def size(ctx, t):
    if t.__class__ is tuple:
        return len(t)
    if t.__class__ is BitStr:
        return t.bits >> 3  # whole bytes only, unlike byte_size/1
    return byte_size(ctx, t)


@native("erlang", "tuple_size", 1, bif=True)
def tuple_size(ctx, t):
    if t.__class__ is not tuple:
        raise badarg()
    return len(t)


@native("erlang", "map_size", 1, bif=True)
def map_size(ctx, m):
    return len(need_map(m))


@native("erlang", "map_get", 2, bif=True)
def map_get(ctx, key, m):
    kv = need_map(m).d.get(map_key(key))
    if kv is None:
        raise error((BADKEY, key))
    return kv[1]


@native("erlang", "is_map_key", 2, bif=True)
def is_map_key(ctx, key, m):
    return boolean(map_key(key) in need_map(m).d)


@native("erlang", "list_to_atom", 1, bif=True)
def list_to_atom(ctx, chars):
    return make_atom(charlist_str(chars), ctx)


@native("erlang", "list_to_existing_atom", 1, bif=True)
def list_to_existing_atom(ctx, chars):
    return _existing(charlist_str(chars))


@native("erlang", "node", 0, bif=True)
def node0(ctx):
    return ctx.vm.dist.node


@native("erlang", "node", 1, bif=True)
def node1(ctx, t):
    """The node of a pid, port or reference: its own for another node's, else this one."""
    cls = t.__class__
    if cls is ExtPid or cls is ExtPort or cls is ExtRef:
        return t.node
    if cls is not Pid and cls is not Port and cls is not Ref:
        raise badarg()
    return ctx.vm.dist.node


@native("erlang", "is_alive", 0)
def is_alive(ctx):
    """AtomVM's erlang.erl: ``node() =/= nonode@nohost``."""
    return TRUE if ctx.vm.dist.alive else FALSE


@native("erlang", "self", 0, bif=True)
def self_(ctx):
    return ctx.pid


@native("erlang", "unique_integer", 0, bif=True)
def unique_integer0(ctx):
    return ctx.vm.unique_integer()


@native("erlang", "unique_integer", 1, bif=True)
def unique_integer1(ctx, opts):
    positive = False
    t = opts
    while t.__class__ is Cons:
        if t.hd is POSITIVE:
            positive = True
        elif t.hd is not MONOTONIC:
            raise badarg()
        t = t.tl
    if t is not NIL:
        raise badarg()
    n = ctx.vm.unique_integer()
    return abs(n) + 1 if positive and n <= 0 else n


# ----------------------------------------------------------------------------- type tests

_TYPE_TESTS = {
    "is_atom": lambda t: t.__class__ is Atom,
    "is_binary": lambda t: t.__class__ is bytes,
    "is_bitstring": lambda t: t.__class__ is bytes or t.__class__ is BitStr,
    "is_boolean": lambda t: t is TRUE or t is FALSE,
    "is_float": lambda t: t.__class__ is float,
    "is_function": lambda t: t.__class__ is Fun or t.__class__ is ExtFun,
    "is_integer": lambda t: t.__class__ is int,
    "is_list": lambda t: t is NIL or t.__class__ is Cons,
    "is_map": lambda t: t.__class__ is Map,
    "is_number": lambda t: t.__class__ is int or t.__class__ is float,
    "is_pid": lambda t: t.__class__ in PID_CLASSES,
    "is_port": lambda t: t.__class__ in PORT_CLASSES,
    "is_reference": lambda t: t.__class__ in REF_CLASSES,
    "is_tuple": lambda t: t.__class__ is tuple,
}


def _register_type_test(name: str, test) -> None:
    @native("erlang", name, 1, bif=True)
    def type_test(ctx, t):
        return TRUE if test(t) else FALSE


for _name, _test in _TYPE_TESTS.items():
    _register_type_test(_name, _test)


@native("erlang", "is_function", 2, bif=True)
def is_function2(ctx, t, arity):
    if arity.__class__ is not int or arity < 0:
        raise badarg()
    return boolean((t.__class__ is Fun or t.__class__ is ExtFun) and t.arity == arity)


@native("erlang", "is_integer", 3, bif=True)
def is_integer3(ctx, t, lo, hi):
    if lo.__class__ is not int or hi.__class__ is not int:
        raise badarg()
    return boolean(t.__class__ is int and lo <= t <= hi)


@native("erlang", "is_record", 2, bif=True)
def is_record2(ctx, t, tag):
    if tag.__class__ is not Atom:
        raise badarg()
    return boolean(t.__class__ is tuple and len(t) > 0 and t[0] is tag)


@native("erlang", "is_record", 3, bif=True)
def is_record3(ctx, t, tag, size_):
    if tag.__class__ is not Atom or size_.__class__ is not int:
        raise badarg()
    return boolean(t.__class__ is tuple and len(t) == size_ and size_ > 0 and t[0] is tag)


def _part_words(result: Any, args: tuple, layout: Any) -> int:
    """A slice: a sub-binary of a long enough refc binary, else a copy (facts §5)."""
    if result is args[0]:
        return 0
    source = args[0].data if args[0].__class__ is BitStr else args[0]
    part = result.data if result.__class__ is BitStr else result
    return sub_binary_words(len(part), len(source) >= layout.refc_threshold_bytes, layout)


# Arithmetic results are charged by the generated code (ops/control.py ``_NUMBER_BUILDERS``).
charge_results("erlang", {
    ("binary_part", 2): _part_words, ("binary_part", 3): _part_words,
    ("unique_integer", 0): new_number, ("unique_integer", 1): new_number,
}, binaries={("binary_part", 2): sliced, ("binary_part", 3): sliced})
