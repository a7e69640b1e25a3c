"""Helpers shared by the native modules: argument checks, list/iolist walking, atoms."""
from __future__ import annotations

from typing import Any, Iterable

from ..errors import ErlangError, badarg, error
from ..terms import (FALSE, NIL, TRUE, Atom, BitStr, Cons, Map, atom, from_list)

BADMAP = atom("badmap")
BADKEY = atom("badkey")
LATIN1 = atom("latin1")
UNICODE = atom("unicode")
UTF8 = atom("utf8")
NONE = atom("none")


def boolean(b: bool) -> Atom:
    """Python truth value as the atom ``true``/``false``."""
    return TRUE if b else FALSE


def is_list(t: Any) -> bool:
    return t is NIL or t.__class__ is Cons


def list_items(t: Any) -> list[Any]:
    """Elements of a proper list; ``badarg`` for anything else."""
    out = []
    while t.__class__ is Cons:
        out.append(t.hd)
        t = t.tl
    if t is not NIL:
        raise badarg()
    return out


def need_int(t: Any) -> int:
    if t.__class__ is not int:
        raise badarg()
    return t


def need_atom(t: Any) -> Atom:
    if t.__class__ is not Atom:
        raise badarg()
    return t


def need_binary(t: Any) -> bytes:
    if t.__class__ is not bytes:
        raise badarg()
    return t


def need_map(t: Any) -> Map:
    if t.__class__ is not Map:
        raise error((BADMAP, t))
    return t


def iolist_bytes(t: Any) -> bytes:
    """Bytes of an iolist (bytes 0..255, binaries, nested lists, binary tail) or a binary."""
    if t.__class__ is bytes:
        return t
    out = bytearray()
    stack = [t]
    while stack:
        t = stack.pop()
        while t.__class__ is Cons:
            h = t.hd
            if h.__class__ is int:
                if not 0 <= h <= 255:
                    raise badarg()
                out.append(h)
            elif h.__class__ is bytes:
                out += h
            elif h.__class__ is Cons:
                stack.append(t.tl)
                t = h
                continue
            elif h is not NIL:
                raise badarg()
            t = t.tl
        if t.__class__ is bytes:
            out += t
        elif t is not NIL:
            raise badarg()
    return bytes(out)


def charlist_str(t: Any) -> str:
    """A flat list of Unicode code points as a str; ``badarg`` otherwise."""
    chars = []
    while t.__class__ is Cons:
        c = t.hd
        if c.__class__ is not int or not (0 <= c <= 0x10FFFF) or 0xD800 <= c <= 0xDFFF:
            raise badarg()
        chars.append(chr(c))
        t = t.tl
    if t is not NIL:
        raise badarg()
    return "".join(chars)


def bytes_list(data: bytes, tail: Any = NIL) -> Any:
    """Erlang list of the byte values of ``data``."""
    return from_list(list(data), tail)


def str_list(s: str) -> Any:
    return from_list([ord(c) for c in s])


def pairs_list(pairs: Iterable[tuple[Any, Any]]) -> Any:
    return from_list([(k, v) for k, v in pairs])


def make_atom(name: str) -> Atom:
    """``atom(name)``, with OTP's limit of 255 characters (``system_limit`` beyond)."""
    if len(name) > 255:
        raise ErlangError(atom("error"), atom("system_limit"))
    return atom(name)


def is_bitstring(t: Any) -> bool:
    return t.__class__ is bytes or t.__class__ is BitStr
