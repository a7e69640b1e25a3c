"""The sequential ``erlang`` NIFs: conversions, tuples, process dictionary, exceptions,
funs, time, external term format, hashing and ``display/1``.

Process, port, monitor and timer NIFs live with the scheduler, not here.
"""
from __future__ import annotations

import os
import threading
import time as _time
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from ..errors import INT_BITS, ErlangError, badarg, error
from ..process import Process
from ..natives import native
from ..fun_binding import fun_entry, fun_resolver
from ..grisu import short_text
from ..term_format import format_display, format_w
from ..term_order import compare, exact_eq
from ..term_size import sub_binary_words
from ..terms import (BitStr, make_bits, ERROR, EXIT, FALSE, NIL, THROW, TRUE, UNDEFINED, Atom, Cons, ExtFun,
                     ExtPid, ExtPort, ExtRef, Fun, Pid, Port, Ref, atom, from_list, map_key)
from ._util import (LATIN1, UNICODE, UTF8, all_args, args_from_second, bytes_list, cells, charge_results, charlist_str,
                    copied_prefix, decoded, iolist_bytes, list_cells, list_items, need_atom,
                    need_binary, new_binary, new_number, new_ref, new_tuple, sliced,
                    second_arg, first_arg, slice_of, str_list, unless_argument, whole)
from .phash import phash2 as _phash2
from .resources import ResourceCodec

# ----------------------------------------------------------------------------- atoms

@native("erlang", "atom_to_list", 1)
def atom_to_list(ctx, a):
    return str_list(need_atom(a).name)


def _atom_bytes(a: Any, encoding: Any) -> bytes:
    name = need_atom(a).name
    if encoding is LATIN1:
        try:
            return name.encode("latin-1")
        except UnicodeEncodeError:
            raise badarg() from None
    if encoding is UTF8 or encoding is UNICODE:
        return name.encode("utf-8")
    raise badarg()


@native("erlang", "atom_to_binary", 1)
def atom_to_binary1(ctx, a):
    return _atom_bytes(a, UTF8)


@native("erlang", "atom_to_binary", 2)
def atom_to_binary2(ctx, a, encoding):
    return _atom_bytes(a, encoding)


# ----------------------------------------------------------------------------- integers

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def int_to_text(n: int, base: int = 10) -> str:
    """``integer_to_list(N, Base)``: upper-case digits, leading ``-`` for negatives."""
    if base == 10:
        return str(n)
    if n == 0:
        return "0"
    neg, n = n < 0, abs(n)
    if base == 16:
        s = format(n, "X")
    elif base == 2:
        s = format(n, "b")
    elif base == 8:
        s = format(n, "o")
    else:
        out = []
        while n:
            n, d = divmod(n, base)
            out.append(_DIGITS[d])
        s = "".join(reversed(out))
    return "-" + s if neg else s


def _base(b: Any) -> int:
    if b.__class__ is not int or not 2 <= b <= 36:
        raise badarg()
    return b


A_ERLANG = atom("erlang")


def _printed_int(function: str, args: list) -> int:
    """The integer ``integer_to_list/binary`` print. Any other term fails as nifs.c's
    ``VALIDATE_ARG`` makes it: the NIF's stack frame carries the arguments, not the arity."""
    if args[0].__class__ is not int:
        raise ErlangError(ERROR, BADARG, call_args=(A_ERLANG, atom(function), from_list(args)))
    return args[0]


@native("erlang", "integer_to_list", 1)
def integer_to_list1(ctx, n):
    return str_list(int_to_text(_printed_int("integer_to_list", [n])))


@native("erlang", "integer_to_list", 2)
def integer_to_list2(ctx, n, base):
    return str_list(int_to_text(_printed_int("integer_to_list", [n, base]), _base(base)))


@native("erlang", "integer_to_binary", 1)
def integer_to_binary1(ctx, n):
    return int_to_text(_printed_int("integer_to_binary", [n])).encode()


@native("erlang", "integer_to_binary", 2)
def integer_to_binary2(ctx, n, base):
    return int_to_text(_printed_int("integer_to_binary", [n, base]), _base(base)).encode()


def text_to_int(s: str, base: int = 10) -> int:
    """``list_to_integer`` parsing: optional sign, then one or more digits of ``base``;
    ``badarg`` for a number wider than AtomVM's 256 bits (nifs.c ``parse_integer``)."""
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body:
        raise badarg()
    value = 0
    for c in body:
        o = ord(c)
        if 0x30 <= o <= 0x39:
            d = o - 0x30
        elif 0x41 <= o <= 0x5A:
            d = o - 0x41 + 10
        elif 0x61 <= o <= 0x7A:
            d = o - 0x61 + 10
        else:
            raise badarg()
        if d >= base:
            raise badarg()
        value = value * base + d
    if value.bit_length() > INT_BITS:
        raise badarg()
    return -value if s[0] == "-" else value


def _chars(t: Any) -> str:
    """A flat list of characters as str (any int is accepted; non-digits fail later)."""
    out = []
    while t.__class__ is Cons:
        c = t.hd
        if c.__class__ is not int:
            raise badarg()
        out.append(chr(c) if 0 <= c <= 0x10FFFF else "\x00")
        t = t.tl
    if t is not NIL:
        raise badarg()
    return "".join(out)


@native("erlang", "list_to_integer", 1)
def list_to_integer1(ctx, t):
    return text_to_int(_chars(t))


@native("erlang", "list_to_integer", 2)
def list_to_integer2(ctx, t, base):
    return text_to_int(_chars(t), _base(base))


@native("erlang", "binary_to_integer", 1)
def binary_to_integer1(ctx, b):
    return text_to_int(need_binary(b).decode("latin-1"))


@native("erlang", "binary_to_integer", 2)
def binary_to_integer2(ctx, b, base):
    return text_to_int(need_binary(b).decode("latin-1"), _base(base))


# ----------------------------------------------------------------------------- floats

A_OUT_OF_MEMORY = atom("out_of_memory")
DECIMALS = atom("decimals")
SCIENTIFIC = atom("scientific")
COMPACT = atom("compact")
SHORT = atom("short")


def _float_opts(opts: Any) -> tuple[str, int, bool]:
    """Parse float_to_list/2 options into (mode, digits, compact); the last mode wins."""
    mode, digits, compact = "scientific", 20, False
    t = opts
    while t.__class__ is Cons:
        o = t.hd
        if o is COMPACT:
            compact = True
        elif o is SHORT:
            mode = "short"
        elif o.__class__ is tuple and len(o) == 2 and o[1].__class__ is int:
            if o[0] is DECIMALS and 0 <= o[1] <= 253:
                mode, digits = "decimals", o[1]
            elif o[0] is SCIENTIFIC and 0 <= o[1] <= 249:
                mode, digits = "scientific", o[1]
            else:
                raise badarg()
        else:
            raise badarg()
        t = t.tl
    if t is not NIL:
        raise badarg()
    return mode, digits, compact


_EXACT = Context(prec=1200, rounding=ROUND_HALF_UP, Emax=999999, Emin=-999999)


def float_text(f: float, mode: str = "scientific", digits: int = 20,
               compact: bool = False) -> str:
    """The text of ``float_to_list(F, Options)`` for parsed options."""
    if mode == "short":
        return short_text(f)  # AtomVM's Grisu3, not OTP's shortest digits
    if mode == "scientific":
        s = "%.*e" % (digits, f)
        if len(s) > 255:  # OTP formats into a 256-byte buffer
            raise badarg()
        return s
    # decimals: exact value rounded half away from zero (not printf's half-even)
    q = Decimal(f).quantize(Decimal(1).scaleb(-digits), context=_EXACT)
    s = format(q, "f")
    if s.startswith("-") is False and str(f).startswith("-"):
        s = "-" + s
    if len(s) > 255:
        raise badarg()
    if compact and "." in s:
        s = s.rstrip("0")
        if s.endswith("."):
            s += "0"
    return s


def _float_arg(f: Any) -> float:
    if f.__class__ is not float:
        raise badarg()
    return f


@native("erlang", "float_to_list", 1)
def float_to_list1(ctx, f):
    return str_list(float_text(_float_arg(f)))


@native("erlang", "float_to_list", 2)
def float_to_list2(ctx, f, opts):
    return str_list(float_text(_float_arg(f), *_float_opts(opts)))


@native("erlang", "float_to_binary", 1)
def float_to_binary1(ctx, f):
    return float_text(_float_arg(f)).encode()


@native("erlang", "float_to_binary", 2)
def float_to_binary2(ctx, f, opts):
    return float_text(_float_arg(f), *_float_opts(opts)).encode()


def text_to_float(s: str) -> float:
    """``list_to_float``: Erlang float syntax ``[+-]D+.D+([eE][+-]?D+)?``."""
    i, n = 0, len(s)
    if i < n and s[i] in "+-":
        i += 1

    def digits(i: int) -> int:
        j = i
        while j < n and "0" <= s[j] <= "9":
            j += 1
        if j == i:
            raise badarg()
        return j

    i = digits(i)
    if i >= n or s[i] != ".":
        raise badarg()
    i = digits(i + 1)
    if i < n and s[i] in "eE":
        i += 1
        if i < n and s[i] in "+-":
            i += 1
        i = digits(i)
    if i != n:
        raise badarg()
    f = float(s)
    if f in (float("inf"), float("-inf")):
        raise badarg()
    return f


@native("erlang", "list_to_float", 1)
def list_to_float(ctx, t):
    return text_to_float(_chars(t))


@native("erlang", "binary_to_float", 1)
def binary_to_float(ctx, b):
    return text_to_float(need_binary(b).decode("latin-1"))


# ----------------------------------------------------------------------------- lists/binaries

@native("erlang", "list_to_binary", 1)
def list_to_binary(ctx, t):
    if t is not NIL and t.__class__ is not Cons:
        raise badarg()
    return iolist_bytes(t)


@native("erlang", "iolist_to_binary", 1)
def iolist_to_binary(ctx, t):
    if t is not NIL and t.__class__ is not Cons and t.__class__ is not bytes:
        raise badarg()
    return iolist_bytes(t)


@native("erlang", "iolist_size", 1)
def iolist_size(ctx, t):
    return len(iolist_to_binary(ctx, t))


@native("erlang", "binary_to_list", 1)
def binary_to_list1(ctx, b):
    return bytes_list(need_binary(b))


@native("erlang", "binary_to_list", 3)
def binary_to_list3(ctx, b, start, stop):
    data = need_binary(b)
    if start.__class__ is not int or stop.__class__ is not int:
        raise badarg()
    if not 1 <= start <= stop <= len(data):
        raise badarg()
    return bytes_list(data[start - 1:stop])


@native("erlang", "split_binary", 2)
def split_binary(ctx, b, pos):
    if b.__class__ is BitStr:
        if pos.__class__ is not int or not 0 <= pos <= b.bits >> 3:
            raise badarg()
        return (b.data[:pos], make_bits(b.data[pos:], b.bits - 8 * pos))
    data = need_binary(b)
    if pos.__class__ is not int or not 0 <= pos <= len(data):
        raise badarg()
    return (slice_of(ctx, data, 0, pos), slice_of(ctx, data, pos, len(data)))


@native("erlang", "list_to_bitstring", 1)
def list_to_bitstring(ctx, t):
    """Like list_to_binary, but bitstrings are allowed (as elements or the tail)."""
    if t is not NIL and t.__class__ is not Cons:
        raise badarg()
    acc, nbits = 0, 0
    stack = [t]
    while stack:
        t = stack.pop()
        while t.__class__ is Cons:
            h = t.hd
            if h.__class__ is Cons or h is NIL:
                stack.append(t.tl)
                t = h
                continue
            if h.__class__ is int and 0 <= h <= 255:
                acc, nbits = (acc << 8) | h, nbits + 8
            elif h.__class__ is bytes:
                acc, nbits = (acc << (8 * len(h))) | int.from_bytes(h, "big"), nbits + 8 * len(h)
            elif h.__class__ is BitStr:
                acc = (acc << h.bits) | (int.from_bytes(h.data, "big") >> (-h.bits % 8))
                nbits += h.bits
            else:
                raise badarg()
            t = t.tl
        if t.__class__ is bytes or t.__class__ is BitStr:
            stack.append(Cons(t, NIL))
        elif t is not NIL:
            raise badarg()
    pad = -nbits % 8
    return make_bits((acc << pad).to_bytes((nbits + pad) // 8, "big"), nbits)


@native("erlang", "bitstring_to_list", 1)
def bitstring_to_list(ctx, b):
    if b.__class__ is BitStr:
        whole = b.bits >> 3
        return bytes_list(b.data[:whole], Cons(make_bits(b.data[whole:], b.bits & 7), NIL))
    return bytes_list(need_binary(b))


@native("erlang", "++", 2)
def append(ctx, a, b):
    """``A ++ B``: ``A`` must be a proper list; ``B`` becomes the tail as it is."""
    if a is NIL:
        return b
    return from_list(list_items(a), b)


@native("erlang", "--", 2)
def subtract(ctx, a, b):
    """``A -- B``: remove the first occurrence (by ``=:=``) of each element of ``B``."""
    items = list_items(a)
    for x in list_items(b):
        k = map_key(x)
        for i, y in enumerate(items):
            if map_key(y) == k:
                del items[i]
                break
    return from_list(items)


@native("erlang", "pid_to_list", 1)
def pid_to_list(ctx, p):
    if p.__class__ is not Pid and p.__class__ is not ExtPid:
        raise badarg()
    return str_list(format_w(p))


@native("erlang", "ref_to_list", 1)
def ref_to_list(ctx, r):
    if r.__class__ is not Ref and r.__class__ is not ExtRef:
        raise badarg()
    return str_list(format_w(r))


@native("erlang", "port_to_list", 1)
def port_to_list(ctx, p):
    if p.__class__ is not Port and p.__class__ is not ExtPort:
        raise badarg()
    return str_list(format_w(p))


@native("erlang", "fun_to_list", 1)
def fun_to_list(ctx, f):
    if f.__class__ is not Fun and f.__class__ is not ExtFun:
        raise badarg()
    return str_list(format_w(f))


# ----------------------------------------------------------------------------- tuples

@native("erlang", "list_to_tuple", 1)
def list_to_tuple(ctx, t):
    return tuple(list_items(t))


@native("erlang", "tuple_to_list", 1)
def tuple_to_list(ctx, t):
    if t.__class__ is not tuple:
        raise badarg()
    return from_list(t)


def _tuple_index(t: Any, i: Any, extra: int = 0) -> int:
    if t.__class__ is not tuple or i.__class__ is not int or not 1 <= i <= len(t) + extra:
        raise badarg()
    return i - 1


@native("erlang", "setelement", 3)
def setelement(ctx, i, t, v):
    k = _tuple_index(t, i)
    return t[:k] + (v,) + t[k + 1:]


@native("erlang", "insert_element", 3)
def insert_element(ctx, i, t, v):
    k = _tuple_index(t, i, 1)
    return t[:k] + (v,) + t[k:]


@native("erlang", "delete_element", 2)
def delete_element(ctx, i, t):
    k = _tuple_index(t, i)
    return t[:k] + t[k + 1:]


@native("erlang", "append_element", 2)
def append_element(ctx, t, v):
    if t.__class__ is not tuple:
        raise badarg()
    return t + (v,)


MAX_TUPLE = (1 << 24) - 1


@native("erlang", "make_tuple", 2)
def make_tuple2(ctx, n, v):
    if n.__class__ is not int or not 0 <= n <= MAX_TUPLE:
        raise badarg()
    return (v,) * n


@native("erlang", "make_tuple", 3)
def make_tuple3(ctx, n, default, init):
    if n.__class__ is not int or not 0 <= n <= MAX_TUPLE:
        raise badarg()
    items = [default] * n
    for e in list_items(init):
        if e.__class__ is not tuple or len(e) != 2 or e[0].__class__ is not int \
                or not 1 <= e[0] <= n:
            raise badarg()
        items[e[0] - 1] = e[1]
    return tuple(items)


# ----------------------------------------------------------------------------- dictionary

def _ram_of(ctx):
    """The board RAM charges, for a real process on a board (not a stand-in, contracts.md)."""
    return ctx.vm.charges if ctx.__class__ is Process else None


def _free_entries(ctx, keys):
    charges = _ram_of(ctx)
    if charges is not None:
        for k in keys:
            block = ctx.dict_blocks.pop(k, None)
            if block is not None:
                charges.release(block)


@native("erlang", "put", 2)
def put(ctx, key, value):
    """A new key takes a dictionary entry of the board's RAM (AtomVM mallocs one per key)."""
    k = map_key(key)
    old = ctx.pdict.get(k)
    charges = _ram_of(ctx) if old is None else None
    if charges is not None:
        try:
            ctx.dict_blocks[k] = charges.dictionary_entry()
        except MemoryError:
            raise error(A_OUT_OF_MEMORY) from None
    ctx.pdict[k] = (key, value)
    return UNDEFINED if old is None else old[1]


@native("erlang", "get", 0)
def get0(ctx):
    return from_list([(k, v) for k, v in ctx.pdict.values()])


@native("erlang", "get_keys", 0)
def get_keys0(ctx):
    return from_list([k for k, _ in ctx.pdict.values()])


@native("erlang", "get_keys", 1)
def get_keys1(ctx, value):
    return from_list([k for k, v in ctx.pdict.values() if exact_eq(v, value)])


@native("erlang", "erase", 1)
def erase1(ctx, key):
    k = map_key(key)
    old = ctx.pdict.pop(k, None)
    _free_entries(ctx, (k,))
    return UNDEFINED if old is None else old[1]


@native("erlang", "erase", 0)
def erase0(ctx):
    items = from_list([(k, v) for k, v in ctx.pdict.values()])
    _free_entries(ctx, list(ctx.pdict))
    ctx.pdict.clear()
    return items


# ----------------------------------------------------------------------------- ext. format

def _ext():
    from .. import ext_term
    return ext_term


USED = atom("used")
SAFE = atom("safe")


@native("erlang", "term_to_binary", 1)
def term_to_binary1(ctx, t):
    """AtomVM's encoding (external_term.c): atoms as SMALL_ATOM_UTF8_EXT, floats as
    NEW_FLOAT_EXT — what OTP 26+ writes by default, OTP 25 only with ``{minor_version, 2}``.
    AtomVM has no ``term_to_binary/2``: calling it is ``undef``, as on the device."""
    return _ext().encode_ext(t, minor_version=2, local=ctx.vm.dist.local_id(),
                             resources=ResourceCodec(ctx.vm))


def _decode(ctx, data: Any) -> tuple[Any, int]:
    if data.__class__ is not bytes:
        raise badarg()
    ext = _ext()
    resolver = fun_resolver(ctx.vm.get_module)
    try:
        term, used = ext.decode_ext_used(data, "", resolver, ctx.vm.dist.local_id(),
                                         resources=ResourceCodec(ctx.vm))
        if ctx.vm.charges is not None:
            ctx.vm.charges.decoded_atoms(term)   # new atoms take board RAM; out of it: badarg
        return term, used
    except (ValueError, MemoryError):
        raise badarg() from None


@native("erlang", "binary_to_term", 1)
def binary_to_term1(ctx, data):
    return _decode(ctx, data)[0]


@native("erlang", "binary_to_term", 2)
def binary_to_term2(ctx, data, opts):
    items = list_items(opts)
    if any(o is not USED and o is not SAFE for o in items):
        raise badarg()
    t, used = _decode(ctx, data)
    if any(o is USED for o in items):
        return (t, used)
    return t


# ----------------------------------------------------------------------------- hashing

@native("erlang", "phash2", 1)
def phash2_1(ctx, t):
    return _phash2(t)


@native("erlang", "phash2", 2)
def phash2_2(ctx, t, range_):
    if range_.__class__ is not int or not 1 <= range_ <= (1 << 32):
        raise badarg()
    return _phash2(t, range_)


# ----------------------------------------------------------------------------- exceptions

@native("erlang", "error", 1)
@native("erlang", "nif_error", 1)
def error1(ctx, reason):
    """``error/1``, and ``nif_error/1`` that a NIF stub calls when no native replaced it."""
    raise ErlangError(ERROR, reason)


@native("erlang", "error", 2)
@native("erlang", "nif_error", 2)
def error2(ctx, reason, args):
    """``error(Reason, Args)``: in OTP ``Args`` replace the caller's arity in the top frame;
    the runtime builds that frame (``call_args`` is reserved for failing natives)."""
    raise ErlangError(ERROR, reason)


@native("erlang", "error", 3)
def error3(ctx, reason, args, options):
    raise ErlangError(ERROR, reason)


@native("erlang", "exit", 1)
def exit1(ctx, reason):
    raise ErlangError(EXIT, reason)


@native("erlang", "throw", 1)
def throw1(ctx, reason):
    raise ErlangError(THROW, reason)


BADARG = atom("badarg")


@native("erlang", "raise", 3)
def raise3(ctx, cls, reason, stacktrace):
    """Raise ``Class:Reason``; an invalid class returns ``badarg``. As in AtomVM (nifs.c
    ``nif_erlang_raise``, stacktrace.c) any list is the stack trace as it is, unchecked; any
    other term is ignored and the VM builds a trace where ``raise`` was called."""
    if cls not in (ERROR, EXIT, THROW):
        return BADARG
    given = stacktrace.__class__ is Cons or stacktrace is NIL
    raise ErlangError(cls, reason, stacktrace=stacktrace if given else None)


# ----------------------------------------------------------------------------- refs and funs

@native("erlang", "make_ref", 0)
def make_ref(ctx):
    return ctx.vm.new_ref()


@native("erlang", "make_fun", 3)
def make_fun(ctx, m, f, a):
    if m.__class__ is not Atom or f.__class__ is not Atom or a.__class__ is not int \
            or not 0 <= a <= 255:
        raise badarg()
    return ExtFun(m, f, a)


_FUN_ITEMS = {name: atom(name) for name in (
    "arity", "module", "name", "env", "type", "pid", "index", "new_index", "uniq",
    "new_uniq")}
LOCAL = atom("local")
EXTERNAL = atom("external")


def _fun_info_value(f: Any, item: str) -> Any:
    if f.__class__ is ExtFun:
        table = {"arity": f.arity, "module": f.module, "name": f.function, "env": NIL,
                 "type": EXTERNAL, "pid": UNDEFINED, "index": UNDEFINED,
                 "new_index": UNDEFINED, "uniq": UNDEFINED, "new_uniq": UNDEFINED}
        return table[item]
    entry = fun_entry(f)
    table = {
        "arity": f.arity, "module": f.module.name, "env": from_list(list(f.free)),
        "type": LOCAL, "pid": UNDEFINED, "index": f.index, "new_index": f.index,
        "uniq": entry.old_uniq if entry else 0, "new_uniq": UNDEFINED,
        "name": entry.function if entry else atom(f"-fun-{f.index}-"),
    }
    return table[item]


@native("erlang", "fun_info", 2)
def fun_info(ctx, f, item):
    if f.__class__ is not Fun and f.__class__ is not ExtFun:
        raise badarg()
    if item.__class__ is not Atom or item.name not in _FUN_ITEMS:
        raise badarg()
    return (item, _fun_info_value(f, item.name))


@native("erlang", "function_exported", 3)
def function_exported(ctx, m, f, a):
    """True for a native, else for an export of the module, which AtomVM loads from the
    packs when it is not loaded yet (nifs.c: ``globalcontext_get_module``; OTP answers
    false for a module not loaded). What AtomVM's library lacks is not exported, as on the
    device (vm/device_api.py)."""
    if m.__class__ is not Atom or f.__class__ is not Atom or a.__class__ is not int:
        raise badarg()
    vm = ctx.vm
    if (m.name, f.name, a) in vm.not_on_device:
        return FALSE
    if vm.function_exported(m, f, a):
        return TRUE
    return TRUE if vm.get_module(m) is not None and vm.function_exported(m, f, a) else FALSE


@native("erlang", "display", 1)
def display(ctx, t):
    ctx.vm.console_write((format_display(t) + "\n").encode("utf-8"))
    return TRUE


A_STDOUT = atom("stdout")
A_STDERR = atom("stderr")


@native("erlang", "display_string", 1)
def display_string1(ctx, text):
    return display_string2(ctx, A_STDERR, text)


@native("erlang", "display_string", 2)
def display_string2(ctx, device, text):
    """Write a binary's bytes or a code point list as UTF-8, unformatted, to ``stdout`` or
    ``stderr`` (both are the board's console); ``true``."""
    if device is not A_STDOUT and device is not A_STDERR:
        raise badarg()
    if text.__class__ is bytes:
        data = text
    elif text is NIL or text.__class__ is Cons:
        data = charlist_str(text).encode()
    else:
        raise badarg()
    if data:
        ctx.vm.console_write(data)
    return TRUE


@native("erts_internal", "cmp_term", 2)
def cmp_term(ctx, a, b):
    """-1, 0 or 1 in exact term order (TermCompareExact): an integer sorts before every
    float, so ``cmp_term(1, 1.0)`` is -1."""
    return compare(a, b, exact=True)



# ----------------------------------------------------------------------------- time

NATIVE_PER_SECOND = 1_000_000_000
"""avmsim's ``native`` time unit is the nanosecond (as on OTP/Linux and AtomVM's unix port)."""

_UNITS = {
    "second": 1, "seconds": 1, "millisecond": 1000, "milli_seconds": 1000,
    "microsecond": 1_000_000, "micro_seconds": 1_000_000, "nanosecond": 1_000_000_000,
    "nano_seconds": 1_000_000_000, "native": NATIVE_PER_SECOND,
    "perf_counter": NATIVE_PER_SECOND,
}


def _per_second(unit: Any) -> int:
    if unit.__class__ is Atom and unit.name in _UNITS:
        return _UNITS[unit.name]
    if unit.__class__ is int and unit > 0:
        return unit
    raise badarg()


def convert(value: int, from_ps: int, to_ps: int) -> int:
    """Convert a time value between units (floor division, like OTP)."""
    return (value * to_ps) // from_ps


@native("erlang", "monotonic_time", 0)
def monotonic_time0(ctx):
    return convert(ctx.vm.monotonic_ns(), 1_000_000_000, NATIVE_PER_SECOND)


@native("erlang", "monotonic_time", 1)
def monotonic_time1(ctx, unit):
    return convert(ctx.vm.monotonic_ns(), 1_000_000_000, _per_second(unit))


@native("erlang", "system_time", 0)
def system_time0(ctx):
    return convert(ctx.vm.system_time_ns(), 1_000_000_000, NATIVE_PER_SECOND)


@native("erlang", "system_time", 1)
def system_time1(ctx, unit):
    return convert(ctx.vm.system_time_ns(), 1_000_000_000, _per_second(unit))


@native("erlang", "convert_time_unit", 3)
def convert_time_unit(ctx, value, from_unit, to_unit):
    if value.__class__ is not int:
        raise badarg()
    return convert(value, _per_second(from_unit), _per_second(to_unit))


@native("erlang", "timestamp", 0)
def timestamp(ctx):
    us = ctx.vm.system_time_ns() // 1000
    secs, micro = divmod(us, 1_000_000)
    return (secs // 1_000_000, secs % 1_000_000, micro)


def _datetime(ctx) -> tuple:
    tm = _time.gmtime(ctx.vm.system_time_ns() // 1_000_000_000)
    return ((tm.tm_year, tm.tm_mon, tm.tm_mday), (tm.tm_hour, tm.tm_min, tm.tm_sec))


@native("erlang", "universaltime", 0)
def universaltime(ctx):
    return _datetime(ctx)


@native("erlang", "localtime", 0)
def localtime0(ctx):
    """Devices have no time zone database: local time is UTC."""
    return _datetime(ctx)


@native("erlang", "localtime", 1)
def localtime1(ctx, tz):
    """AtomVM's extension: the local time in the POSIX time zone ``tz`` (a string or a
    binary, e.g. ``"CET-1CEST,M3.5.0,M10.5.0/3"``), as nifs.c gets it from the C library
    with ``TZ`` set for the call."""
    zone = tz.decode("latin-1") if tz.__class__ is bytes else charlist_str(tz)
    if "\0" in zone:
        raise badarg()
    tm = _local_tm(ctx.vm.system_time_ns() // 1_000_000_000, zone)
    return ((tm.tm_year, tm.tm_mon, tm.tm_mday), (tm.tm_hour, tm.tm_min, tm.tm_sec))


_TZ_LOCK = threading.Lock()
"""``TZ`` is the host process's: boards running in threads (a world) take turns at it."""


def _local_tm(seconds: int, zone: str) -> _time.struct_time:
    """The C library's localtime of ``seconds`` with ``TZ=zone``, the host's ``TZ`` put back."""
    with _TZ_LOCK:
        old = os.environ.get("TZ")
        os.environ["TZ"] = zone
        _time.tzset()
        try:
            return _time.localtime(seconds)
        finally:
            if old is None:
                del os.environ["TZ"]
            else:
                os.environ["TZ"] = old
            _time.tzset()


__all__ = ["float_text", "int_to_text", "text_to_int", "text_to_float", "convert"]


def _split_words(result: Any, args: tuple, layout: Any) -> int:
    """``{Left, Right}``: two slices of the binary (sub-binaries when long enough)."""
    source = len(args[0].data) if args[0].__class__ is BitStr else len(args[0])
    refc = source >= layout.refc_threshold_bytes
    return 3 + sum(sub_binary_words(len(p.data if p.__class__ is BitStr else p), refc, layout)
                   for p in result)


def _pairs(result: Any, args: tuple, layout: Any) -> int:
    """A list of new ``{Key, Value}`` tuples (keys and values shared)."""
    return list_cells(result) // 2 * 5


charge_results("erlang", {
    ("atom_to_list", 1): cells, ("atom_to_binary", 1): new_binary,
    ("atom_to_binary", 2): new_binary, ("integer_to_list", 1): cells,
    ("integer_to_list", 2): cells, ("integer_to_binary", 1): new_binary,
    ("integer_to_binary", 2): new_binary, ("list_to_integer", 1): new_number,
    ("list_to_integer", 2): new_number, ("binary_to_integer", 1): new_number,
    ("binary_to_integer", 2): new_number, ("float_to_list", 1): cells,
    ("float_to_list", 2): cells, ("float_to_binary", 1): new_binary,
    ("float_to_binary", 2): new_binary, ("list_to_float", 1): new_number,
    ("binary_to_float", 1): new_number, ("list_to_binary", 1): new_binary,
    ("iolist_to_binary", 1): unless_argument(new_binary), ("binary_to_list", 1): cells,
    ("binary_to_list", 3): cells, ("split_binary", 2): _split_words,
    ("list_to_bitstring", 1): new_binary, ("bitstring_to_list", 1): whole,
    ("++", 2): copied_prefix(0), ("--", 2): cells, ("pid_to_list", 1): cells,
    ("ref_to_list", 1): cells, ("port_to_list", 1): cells, ("fun_to_list", 1): cells,
    ("list_to_tuple", 1): new_tuple, ("tuple_to_list", 1): cells,
    ("setelement", 3): new_tuple, ("insert_element", 3): new_tuple,
    ("delete_element", 2): new_tuple, ("append_element", 2): new_tuple,
    ("make_tuple", 2): new_tuple, ("make_tuple", 3): new_tuple,
    ("get", 0): _pairs, ("get_keys", 0): cells, ("get_keys", 1): cells, ("erase", 0): _pairs,
    ("term_to_binary", 1): new_binary,
    ("binary_to_term", 1): whole, ("binary_to_term", 2): whole, ("make_ref", 0): new_ref,
    ("make_fun", 3): whole, ("monotonic_time", 0): new_number,
    ("monotonic_time", 1): new_number, ("system_time", 0): new_number,
    ("system_time", 1): new_number, ("convert_time_unit", 3): new_number,
    ("timestamp", 0): whole, ("universaltime", 0): whole, ("localtime", 0): whole,
    ("localtime", 1): whole, ("phash2", 1): new_number, ("phash2", 2): new_number,
    # nifs.c nif_erlang_fun_info_2: TUPLE_SIZE(2); its env is [] there (avmsim gives OTP's)
    ("fun_info", 2): new_tuple,
}, binaries={
    ("split_binary", 2): sliced, ("binary_to_term", 1): decoded,
    ("binary_to_term", 2): decoded,
}, roots={  # nifs.c: the arguments each keeps across its memory_ensure_free_with_roots
    ("++", 2): all_args, ("list_to_tuple", 1): first_arg, ("tuple_to_list", 1): first_arg,
    ("binary_to_list", 1): first_arg, ("split_binary", 2): first_arg,
    ("binary_to_term", 1): first_arg, ("binary_to_term", 2): first_arg,
    ("setelement", 3): args_from_second, ("insert_element", 3): args_from_second,
    ("delete_element", 2): second_arg, ("make_tuple", 2): second_arg,
})
