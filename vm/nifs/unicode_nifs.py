"""``unicode:characters_to_list/1,2`` and ``characters_to_binary/1,2,3`` (latin1, unicode,
utf8), with OTP's ``{error, Converted, Rest}`` and ``{incomplete, Converted, Rest}``
results for invalid or truncated input."""
from __future__ import annotations

from typing import Any

from ..errors import ErlangError, badarg, error
from ..natives import native
from ..terms import NIL, Cons, atom, from_list
from ._util import (LATIN1, UNICODE, UTF8, charge_results, first_arg, fresh_bytes, new_binary,
                    whole)

ERROR = atom("error")
FUNCTION_CLAUSE = atom("function_clause")
INCOMPLETE = atom("incomplete")


UTF16 = atom("utf16")
UTF32 = atom("utf32")
BIG = atom("big")
LITTLE = atom("little")
_WIDE = {(UTF16, BIG): "utf-16-be", (UTF16, LITTLE): "utf-16-le",
         (UTF32, BIG): "utf-32-be", (UTF32, LITTLE): "utf-32-le"}


def _encoding(e: Any) -> str:
    """Python codec name of an encoding term (utf8 also stands for ``unicode``)."""
    if e is LATIN1:
        return "latin1"
    if e is UNICODE or e is UTF8:
        return "utf8"
    if e is UTF16 or e is UTF32:
        return _WIDE[(e, BIG)]
    if e.__class__ is tuple and len(e) == 2 and (e[0], e[1]) in _WIDE:
        return _WIDE[(e[0], e[1])]
    raise badarg()


def _utf8_prefix(data: bytes, codec: str = "utf-8") -> tuple[str, int, bool]:
    """Decode the longest valid prefix: (text, bytes used, stopped on a truncation)."""
    try:
        return data.decode(codec), len(data), False
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode(codec)
        # OTP reports a cut UTF-8/UTF-16 sequence as incomplete, a cut UTF-32 unit as error
        truncated = exc.reason in ("unexpected end of data", "truncated data") \
            and not codec.startswith("utf-32")
        return good, exc.start, truncated


class _Stop(Exception):
    def __init__(self, kind: Any, rest: Any) -> None:
        super().__init__()
        self.kind = kind
        self.rest = rest


def _decode(data: Any, enc: str, latin1_ints: bool = True) -> tuple[list[str], Any, Any]:
    """Code points of chardata ``data``: (chars, None, None) or (chars, kind, rest).

    UTF-8 sequences may be split across adjacent binaries (as in iodata); the bytes of an
    unfinished sequence are carried over to the next binary.
    """
    codec = "utf-8" if enc in ("utf8", "latin1") else enc
    chars: list[str] = []
    if data.__class__ is bytes:
        if enc == "latin1":
            return [data.decode("latin-1")], None, None
        text, used, truncated = _utf8_prefix(data, codec)
        chars.append(text)
        if used == len(data):
            return chars, None, None
        return chars, (INCOMPLETE if truncated else ERROR), data[used:]
    if data is not NIL and data.__class__ is not Cons:
        raise badarg()
    # walk nested lists with an explicit stack of the tails still to do
    stack: list[Any] = []
    pending = b""
    pending_rest: Any = NIL
    t = data
    while True:
        while t.__class__ is Cons:
            h = t.hd
            if h.__class__ is int:
                if pending:
                    return chars, ERROR, pending_rest
                if not 0 <= h <= 0x10FFFF or 0xD800 <= h <= 0xDFFF \
                        or (enc == "latin1" and latin1_ints and h > 255):
                    return chars, ERROR, _rest(Cons(h, t.tl), stack)
                chars.append(chr(h))
            elif h.__class__ is bytes:
                if enc == "latin1":
                    chars.append(h.decode("latin-1"))
                else:
                    joined = pending + h
                    text, used, truncated = _utf8_prefix(joined, codec)
                    chars.append(text)
                    pending = b""
                    if used < len(joined):
                        if not truncated:
                            return chars, ERROR, _rest(Cons(joined[used:], t.tl), stack)
                        pending = joined[used:]
                        pending_rest = _rest(Cons(pending, t.tl), stack)
            elif h.__class__ is Cons or h is NIL:
                stack.append(t.tl)
                t = h
                continue
            else:
                raise badarg()
            t = t.tl
        if t.__class__ is bytes:  # binary tail of an improper list
            t = Cons(t, NIL)
            continue
        if t is not NIL:
            raise badarg()
        if not stack:
            if pending:
                return chars, INCOMPLETE, pending_rest
            return chars, None, None
        t = stack.pop()


def _all_empty(t: Any, stack: list[Any]) -> bool:
    return all(x is NIL for x in [t, *stack])


def _rest(here: Any, stack: list[Any]) -> Any:
    """The unconverted input: the failing list's remainder, then each enclosing list's
    remaining part (innermost first) as one element each."""
    outer = [x for x in reversed(stack) if x is not NIL]
    items = []
    t = here
    while t.__class__ is Cons:
        items.append(t.hd)
        t = t.tl
    return from_list(items + outer)


def _convert(data: Any, in_enc: Any, out_enc: Any, as_list: bool) -> Any:
    src = _encoding(in_enc)
    dst = _encoding(out_enc)
    if dst == "latin1":
        return _to_latin1(data, src)
    chars, kind, rest = _decode(data, src)
    text = "".join(chars)
    if as_list:
        out = from_list([ord(c) for c in text])
    else:
        out = text.encode("utf-8" if dst == "utf8" else dst)
    if kind is None:
        return out
    return (kind, out, rest)


def _to_latin1(data: Any, src: str) -> Any:
    """characters_to_binary(Data, In, latin1): OTP reports the first character beyond
    latin-1 as ``[[Char] | Rest]`` (or the rest of the input binary)."""
    if data.__class__ is bytes:
        if src == "latin1":
            return fresh_bytes(data)  # AtomVM converts into a new binary
        chars, kind, rest = _decode(data, src)
        text = "".join(chars)
        bad = next((i for i, ch in enumerate(text) if ord(ch) > 255), None)
        if bad is not None:
            off = len(text[:bad].encode("utf-8" if src == "utf8" else src))
            return (ERROR, text[:bad].encode("latin-1"), data[off:])
        out = text.encode("latin-1")
        return out if kind is None else (kind, out, rest)
    # lists: negative integers are not characters at all
    chars, kind, rest = _decode(data, src, latin1_ints=False)
    text = "".join(chars)
    bad = next((i for i, ch in enumerate(text) if ord(ch) > 255), None)
    if bad is None and kind is None:
        return text.encode("latin-1")
    if bad is not None:
        return (ERROR, text[:bad].encode("latin-1"), _bad_char_rest(data, bad, src))
    if rest.__class__ is Cons and rest.hd.__class__ is int:
        c = rest.hd
        if c < 0:
            raise badarg()
        return (ERROR, text.encode("latin-1"), Cons(Cons(c, NIL), rest.tl))
    return (kind, text.encode("latin-1"), rest)


def _bad_char_rest(data: Any, index: int, src: str) -> Any:
    """``[[C] | Tail]`` for the ``index``-th character when it came from an integer element
    of a flat list; otherwise the best approximation ``[[C]]``."""
    t = data
    n = 0
    while t.__class__ is Cons:
        h = t.hd
        if h.__class__ is int:
            if n == index:
                return Cons(Cons(h, NIL), t.tl)
            n += 1
        elif h.__class__ is bytes:
            n += len(h) if src == "latin1" else len(h.decode("utf-8", errors="replace"))
            if n > index:
                break
        else:
            break
        t = t.tl
    return Cons(text_rest_placeholder(data, index), NIL)


def text_rest_placeholder(data: Any, index: int) -> bytes:
    """Approximate rest when the bad character came from a binary: the UTF-8 text from it."""
    chars, _, _ = _decode(data, "utf8", latin1_ints=False)
    return "".join(chars)[index:].encode("utf-8")


@native("unicode", "characters_to_list", 1)
def characters_to_list1(ctx, data):
    return _convert(data, UNICODE, UNICODE, True)


@native("unicode", "characters_to_list", 2)
def characters_to_list2(ctx, data, in_enc):
    return _convert(data, in_enc, UNICODE, True)


@native("unicode", "characters_to_binary", 1)
def characters_to_binary1(ctx, data):
    return _convert(data, UNICODE, UNICODE, False)


@native("unicode", "characters_to_binary", 2)
def characters_to_binary2(ctx, data, in_enc):
    return _convert(data, in_enc, UNICODE, False)


@native("unicode", "characters_to_binary", 3)
def characters_to_binary3(ctx, data, in_enc, out_enc):
    return _convert(data, in_enc, out_enc, False)


_BOMS = (  # longest first: the UTF-32 little-endian BOM starts like the UTF-16 one
    (b"\x00\x00\xfe\xff", (UTF32, BIG)), (b"\xff\xfe\x00\x00", (UTF32, LITTLE)),
    (b"\xef\xbb\xbf", UTF8), (b"\xfe\xff", (UTF16, BIG)), (b"\xff\xfe", (UTF16, LITTLE)),
)


@native("unicode", "bom_to_encoding", 1)
def bom_to_encoding(ctx, b):
    """``{Encoding, BomLength}`` of the byte-order mark ``b`` starts with (latin1, 0 if none)."""
    if b.__class__ is not bytes:
        raise error(FUNCTION_CLAUSE)
    for bom, enc in _BOMS:
        if b.startswith(bom):
            return (enc, len(bom))
    return (LATIN1, 0)


@native("unicode", "encoding_to_bom", 1)
def encoding_to_bom(ctx, enc):
    try:
        codec = _encoding(enc)
    except ErlangError:
        raise error(FUNCTION_CLAUSE) from None
    return {"latin1": b"", "utf8": b"\xef\xbb\xbf", "utf-16-be": b"\xfe\xff",
            "utf-16-le": b"\xff\xfe", "utf-32-be": b"\x00\x00\xfe\xff",
            "utf-32-le": b"\xff\xfe\x00\x00"}[codec]


def _converted(result: Any) -> Any:
    """The binary characters_to_binary built: the result, or the converted part of an
    ``{error | incomplete, Converted, Rest}`` tuple. The rest's binaries are not new: nifs.c
    ``nif_unicode_characters_to_binary`` takes them as sub-binaries of the input
    (interop.c sizes them with ``term_sub_binary_heap_size``)."""
    return result[1] if result.__class__ is tuple else result


charge_results("unicode", {
    ("characters_to_list", 1): whole, ("characters_to_list", 2): whole,
    ("characters_to_binary", 1): whole, ("characters_to_binary", 2): whole,
    ("characters_to_binary", 3): whole,
    # not in AtomVM (estdlib unicode.erl has only the conversions): built as OTP returns them
    ("bom_to_encoding", 1): whole, ("encoding_to_bom", 1): new_binary,
}, binaries={
    ("characters_to_binary", 1): _converted, ("characters_to_binary", 2): _converted,
    ("characters_to_binary", 3): _converted,
}, roots={(name, arity): first_arg for name, arity in (
    ("characters_to_list", 1), ("characters_to_list", 2), ("characters_to_binary", 1),
    ("characters_to_binary", 2), ("characters_to_binary", 3))})
