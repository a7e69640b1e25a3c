"""Writing terms as text the way OTP 25 does.

:func:`format_w` reproduces ``io_lib:format("~w", [T])`` (also what ``erlang:display/1`` prints
in avmsim), :func:`float_short` reproduces ``float_to_list(F, [short])``.
Long lists and deep nesting are written iteratively (an explicit work stack), so a
million-element list does not exhaust the Python stack.
"""
from __future__ import annotations

from typing import Any, Callable

from .fun_binding import fun_entry
from .terms import (NIL, Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Nil, Pid,
                    Port, Ref)

__all__ = ["format_w", "format_display", "float_short", "float_digits", "atom_text", "fun_entry",
           "ref_text"]

_TWO_53 = float(1 << 53)


def float_digits(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of ``abs(f)`` and the exponent of the first digit.

    ``1234.5`` gives ``("12345", 3)``: the value is ``0.12345e4`` written as ``1.2345e3``.
    Python's ``repr`` yields the shortest digit string that reads back to the same double,
    which is what OTP's Ryu-based formatter picks as well.
    """
    r = repr(abs(f))
    mant, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    intpart, _, frac = mant.partition(".")
    digits = (intpart + frac).lstrip("0")
    # position of the first significant digit relative to the decimal point
    if intpart.strip("0"):
        e += len(intpart.lstrip("0")) - 1
    else:
        lead = len(frac) - len(frac.lstrip("0"))
        e -= lead + 1
    digits = digits.rstrip("0") or "0"
    return digits, e


def float_short(f: float) -> str:
    """``float_to_list(F, [short])`` of OTP 25 (also how ``~w`` writes floats).

    The shortest digits that round-trip, written in plain decimal or scientific notation,
    whichever is shorter (plain wins ties); values of magnitude 2^53 and above always use
    scientific notation, as their plain form would suggest precision the double lacks.
    """
    sign = "-" if f < 0 or (f == 0.0 and str(f).startswith("-")) else ""
    if f == 0.0:
        return sign + "0.0"
    digits, e = float_digits(f)
    sci = digits[0] + "." + (digits[1:] or "0") + "e" + str(e)
    if abs(f) >= _TWO_53:
        return sign + sci
    n = len(digits)
    if e >= 0:
        if n <= e + 1:
            dec = digits + "0" * (e + 1 - n) + ".0"
        else:
            dec = digits[:e + 1] + "." + digits[e + 1:]
    else:
        dec = "0." + "0" * (-e - 1) + digits
    return sign + (dec if len(dec) <= len(sci) else sci)


# ----------------------------------------------------------------------------- atoms

_RESERVED = frozenset((
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
))  # OTP 25 writes maybe/else bare (they are keywords only with the maybe_expr feature)


def _is_lower(c: int) -> bool:
    return 0x61 <= c <= 0x7A or (0xDF <= c <= 0xFF and c != 0xF7)


def _is_name_char(c: int) -> bool:
    return (_is_lower(c) or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39 or c in (0x5F, 0x40)
            or (0xC0 <= c <= 0xDE and c != 0xD7))


_ESCAPES = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x0B: "\\v", 0x08: "\\b", 0x0C: "\\f",
            0x1B: "\\e", 0x7F: "\\d", 0x20: " "}


def _quote_char(c: int, quote: str) -> str:
    ch = chr(c)
    if ch == quote or ch == "\\":
        return "\\" + ch
    if c in _ESCAPES:
        return _ESCAPES[c]
    if c < 0x20:
        return "\\^" + chr(c + 0x40)
    if 0x80 <= c < 0xA0:
        return "\\" + format(c, "o")
    if c > 0xFF:
        return "\\x{" + format(c, "X") + "}"
    return ch


def atom_text(name: str) -> str:
    """An atom as ``~w`` writes it: bare when it reads back as an atom, else single-quoted."""
    if name and _is_lower(ord(name[0])) and all(_is_name_char(ord(c)) for c in name) \
            and name not in _RESERVED:
        return name
    return "'" + "".join(_quote_char(ord(c), "'") for c in name) + "'"


# ----------------------------------------------------------------------------- terms

def _bits_text(t: Any) -> str:
    if t.__class__ is bytes:
        return "<<" + ",".join(str(b) for b in t) + ">>"
    whole, rest = divmod(t.bits, 8)
    parts = [str(b) for b in t.data[:whole]]
    parts.append(f"{t.data[whole] >> (8 - rest)}:{rest}")
    return "<<" + ",".join(parts) + ">>"


def _fun_text(f: Any, name: Callable[[str], str]) -> str:
    if f.__class__ is ExtFun:
        return f"fun {name(f.module.name)}:{name(f.function.name)}/{f.arity}"
    entry = fun_entry(f)
    u = entry.old_uniq if entry is not None else 0
    return f"#Fun<{name(f.module.name.name)}.{f.index}.{u}>"


def ref_text(ref: Ref) -> str:
    """A local reference as term.c writes it (``ref_to_list/1``, ``~w``, display): the
    64-bit ref ticks as two 32-bit halves, ``#Ref<0.0.3>`` (``Ref.__repr__``)."""
    return repr(ref)


def _raw_atom(name: str) -> str:
    return name


def _scalar_text(t: Any, display: bool) -> str | None:
    cls = t.__class__
    if cls is int:
        return str(t)
    if cls is Atom:
        return t.name if display else atom_text(t.name)
    if cls is float:
        return "%f" % t if display else float_short(t)
    if cls is Nil:
        return "[]"
    if cls is bytes or cls is BitStr:
        return _bits_text(t)
    if cls is Pid:
        return f"<0.{t.id}.0>"
    if cls is Ref:
        return ref_text(t)
    if cls is Port:
        return f"#Port<0.{t.id}>"
    if cls is ExtPid or cls is ExtPort or cls is ExtRef:
        return repr(t)  # term.c's forms, with the node's atom index first
    if cls is Fun or cls is ExtFun:
        return _fun_text(t, _raw_atom if display else atom_text)
    return None


def format_w(term: Any) -> str:
    """``io_lib:format("~w", [Term])`` as a Python string (maps in key term order)."""
    return _format(term, False)


def format_display(term: Any) -> str:
    """What ``erlang:display/1`` and AtomVM's crash reports print (without the newline), as
    term.c's ``term_funprint`` writes it (checked against AtomVM, tests/atomvm_diff
    display_terms): atoms bare, never quoted; a proper list of bytes ``isprint`` accepts
    (32..126) as ``"..."`` and a binary of them (``<<>>`` included) as ``<<"...">>``, both
    written as they are, with no escapes; floats as C's ``%f``; maps as ``#{k=>v}``. Atom
    names are Unicode text: the console writes them as UTF-8, as AtomVM stores them.
    """
    return _format(term, True)


def _display_string(t: Any) -> str | None:
    """``"..."`` when ``t`` is a proper list of bytes ``isprint`` accepts, else None."""
    chars = []
    while t.__class__ is Cons:
        c = t.hd
        if c.__class__ is not int or not 32 <= c <= 126:
            return None
        chars.append(chr(c))
        t = t.tl
    if t is not NIL:
        return None
    return '"' + "".join(chars) + '"'


def _format(term: Any, display: bool) -> str:
    out: list[str] = []
    arrow = _ARROW_DISPLAY if display else _ARROW
    stack: list[Any] = [term]
    lit = _Lit
    while stack:
        t = stack.pop()
        if t.__class__ is lit:
            out.append(t.s)
            continue
        cls = t.__class__
        if display:
            if cls is Cons:
                s = _display_string(t)
                if s is not None:
                    out.append(s)
                    continue
            elif cls is bytes and all(32 <= b <= 126 for b in t):
                out.append('<<"' + t.decode("ascii") + '">>')
                continue
        s = _scalar_text(t, display)
        if s is not None:
            out.append(s)
            continue
        if cls is tuple:
            out.append("{")
            todo: list[Any] = []
            for i, e in enumerate(t):
                if i:
                    todo.append(_COMMA)
                todo.append(e)
            todo.append(_RBRACE)
            stack.extend(reversed(todo))
        elif cls is Cons:
            out.append("[")
            todo = []
            first = True
            while t.__class__ is Cons:
                if not first:
                    todo.append(_COMMA)
                todo.append(t.hd)
                first = False
                t = t.tl
            if t is not NIL:
                todo.append(_BAR)
                todo.append(t)
            todo.append(_RBRACKET)
            stack.extend(reversed(todo))
        elif cls is Map:
            out.append("#{")
            todo = []
            for i, (k, v) in enumerate(t.items()):
                if i:
                    todo.append(_COMMA)
                todo.extend((k, arrow, v))
            todo.append(_RBRACE)
            stack.extend(reversed(todo))
        else:
            out.append(repr(t))
    return "".join(out)


class _Lit:
    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s


_COMMA, _BAR, _ARROW = _Lit(","), _Lit("|"), _Lit(" => ")
_ARROW_DISPLAY = _Lit("=>")
_RBRACE, _RBRACKET = _Lit("}"), _Lit("]")
