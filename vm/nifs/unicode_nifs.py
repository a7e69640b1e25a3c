"""``unicode:characters_to_list/1,2`` and ``characters_to_binary/1,2,3`` (latin1, unicode,
utf8), with ``{error, Converted, Rest}`` and ``{incomplete, Converted, Rest}`` results for
invalid or truncated input shaped as AtomVM's nifs.c shapes them: Rest nested as the input
was, a UTF-8 sequence never joined across two binaries, an unencodable latin1 character
reported like any other bad one (tests/atomvm_diff/unicode_rest.erl)."""
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


MAX_CHAR = 0x10FFFF
LATIN1_MAX = 0xFF


def _valid(c: int, limit: int) -> bool:
    return 0 <= c <= limit and not 0xD800 <= c <= 0xDFFF


def _over_limit(text: str, limit: int) -> int | None:
    """Index of the first character of ``text`` above ``limit``, or None."""
    if limit >= MAX_CHAR:
        return None
    return next((i for i, ch in enumerate(text) if ord(ch) > limit), None)


def _decode_binary(data: bytes, codec: str, limit: int) -> tuple[str, int, bool]:
    """(text, bytes used, stopped on a truncation) for one binary of chardata."""
    if codec == "latin-1":
        return data.decode("latin-1"), len(data), False
    text, used, truncated = _utf8_prefix(data, codec)
    bad = _over_limit(text, limit)
    if bad is None:
        return text, used, truncated
    return text[:bad], len(text[:bad].encode(codec)), False


def _decode(data: Any, enc: str, limit: int) -> tuple[list[str], Any, Any]:
    """Code points of chardata ``data``: (chars, None, None) or (chars, kind, rest).

    ``limit`` is the highest code point accepted (255 where latin1 is read from integers
    or written). As in AtomVM (nifs.c), each binary must hold whole UTF-8 sequences: one
    cut short is ``incomplete`` only when nothing at all follows it, else an ``error``
    (OTP would join it with the next binary). The rest keeps the input's nesting.
    """
    codec = "latin-1" if enc == "latin1" else ("utf-8" if enc == "utf8" else enc)
    chars: list[str] = []
    if data.__class__ is bytes:
        return _stop_in_binary(chars, data, codec, limit, None, [])
    if data is not NIL and data.__class__ is not Cons:
        raise badarg()
    stack: list[Any] = []  # the tails of the enclosing lists still to do
    t = data
    while True:
        while t.__class__ is Cons:
            h = t.hd
            if h.__class__ is int:
                if not _valid(h, limit):
                    return chars, ERROR, _rest(t, stack)
                chars.append(chr(h))
            elif h.__class__ is bytes:
                stop = _stop_in_binary(chars, h, codec, limit, t.tl, stack)
                if stop[1] is not None:
                    return stop
            elif h.__class__ is Cons or h is NIL:
                stack.append(t.tl)
                t = h
                continue
            else:
                raise badarg()
            t = t.tl
        if t.__class__ is bytes:  # binary tail of an improper list: the rest is a binary
            stop = _stop_in_binary(chars, t, codec, limit, None, stack)
            if stop[1] is not None:
                return stop
        elif t is not NIL:
            raise badarg()
        if not stack:
            return chars, None, None
        t = stack.pop()


def _stop_in_binary(chars: list[str], b: bytes, codec: str, limit: int, tail: Any,
                    stack: list[Any]) -> tuple[list[str], Any, Any]:
    """Decode binary ``b`` into ``chars``; (chars, None, None) when all of it converts,
    else where conversion stops. ``tail`` is the rest of ``b``'s list (None when ``b`` is
    itself the end: the whole input or an improper list's tail)."""
    text, used, truncated = _decode_binary(b, codec, limit)
    chars.append(text)
    if used == len(b):
        return chars, None, None
    last = (tail is None or tail is NIL) and all(x is NIL for x in stack)
    here = b[used:] if tail is None else Cons(b[used:], tail)
    return chars, (INCOMPLETE if truncated and last else ERROR), _rest(here, stack)


def _rest(here: Any, stack: list[Any]) -> Any:
    """The unconverted input, nested as the input was: the failing list's remainder
    ``here``, then at each enclosing level ``[Inner | ThatLevelsTail]`` (nifs.c and OTP
    both keep the structure: ``["foo", [$h, -1 | "ello"], "bar"]`` leaves
    ``[[-1 | "ello"], "bar"]``)."""
    for tail in reversed(stack):
        here = Cons(here, tail)
    return here


def _convert(data: Any, in_enc: Any, out_enc: Any, as_list: bool) -> Any:
    src = _encoding(in_enc)
    dst = _encoding(out_enc)
    if data.__class__ is bytes and src == dst == "latin1":
        return fresh_bytes(data)  # AtomVM converts into a new binary
    limit = LATIN1_MAX if "latin1" in (src, dst) else MAX_CHAR
    chars, kind, rest = _decode(data, src, limit)
    text = "".join(chars)
    if as_list:
        out = from_list([ord(c) for c in text])
    else:
        out = text.encode({"utf8": "utf-8", "latin1": "latin-1"}.get(dst, dst))
    if kind is None:
        return out
    return (kind, out, rest)


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
