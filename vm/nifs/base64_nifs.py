"""OTP 25's ``base64``: encode/decode (+ ``_to_string``) and ``mime_decode`` (+ string).

``decode`` skips whitespace, fails with ``badarg`` on other non-alphabet characters and with
``function_clause`` on a bad length or padding; ``mime_decode`` skips every character outside
the alphabet and stops at the first ``=``.

The ``/2`` forms are AtomVM's (nifs.c ``base64_encode`` / ``base64_decode``; OTP 26+ has
them too, with other errors): the options are a map (badarg otherwise) with ``padding``
(anything but ``false`` means padded, the default) and ``mode`` (``urlsafe`` picks the
``-_`` alphabet, anything else the standard one); the data is a binary or an iolist, an
empty one handed back as it is. Decoding is strict: badarg for a length of 4n+1, for a
length not a multiple of 4 while padding is required, and for any character outside the
alphabet except one or two trailing ``=`` (whitespace included).
"""
from __future__ import annotations

import base64 as _b64
from typing import Any

from ..errors import badarg, badarith, error
from ..natives import native
from ..terms import FALSE, NIL, TRUE, UNDEFINED, Cons, Map, atom
from ._util import bytes_list, cells, charge_results, iolist_bytes, new_binary, unless_argument

FUNCTION_CLAUSE = atom("function_clause")
A_PADDING = atom("padding")
A_MODE = atom("mode")
A_URLSAFE = atom("urlsafe")
_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_WHITESPACE = frozenset(b" \t\r\n")


def _input(data: Any) -> bytes:
    """Bytes of a binary or a flat list of bytes (the two inputs OTP's base64 takes)."""
    if data.__class__ is bytes:
        return data
    if data is not NIL and data.__class__ is not Cons:
        raise error(FUNCTION_CLAUSE)
    vals = []
    while data.__class__ is Cons:
        c = data.hd
        if c.__class__ is not int:
            raise badarith()
        vals.append(c)
        data = data.tl
    if data is not NIL:
        raise error(FUNCTION_CLAUSE)
    # OTP combines each group of three list elements arithmetically (A*65536 + B*256 + C)
    out = bytearray()
    for i in range(0, len(vals), 3):
        group = vals[i:i + 3]
        v = 0
        for x in group:
            v = (v << 8) + x
        out += (v & ((1 << (8 * len(group))) - 1)).to_bytes(len(group), "big")
    return bytes(out)


def _encode(data: Any) -> bytes:
    return _b64.b64encode(_input(data))


def _decode(data: Any) -> bytes:
    raw = _input(data)
    clean = bytearray()
    for c in raw:
        if c in _WHITESPACE:
            continue
        if c not in _ALPHABET and c != 0x3D:
            raise badarg()
        clean.append(c)
    if len(clean) % 4:
        raise error(FUNCTION_CLAUSE)
    body = clean.rstrip(b"=")
    pad = len(clean) - len(body)
    if pad > 2 or b"=" in body:
        raise error(FUNCTION_CLAUSE)
    try:
        return _b64.b64decode(bytes(clean), validate=True)
    except ValueError:
        raise error(FUNCTION_CLAUSE) from None


def _mime_decode(data: Any) -> bytes:
    raw = _input(data)
    clean = bytearray(c for c in raw if c in _ALPHABET)
    n = len(clean) % 4
    padded = raw.rstrip(bytes(range(256)).translate(None, bytes(_ALPHABET) + b"=")) \
        .endswith(b"=")
    if n == 1 or (n and not padded):
        raise error(FUNCTION_CLAUSE)
    clean += b"=" * ((4 - n) % 4)
    return _b64.b64decode(bytes(clean))


def _options(opts: Any) -> tuple[bool, bool]:
    """(padding, urlsafe) from an AtomVM options map."""
    if opts.__class__ is not Map:
        raise badarg()
    return opts.get(A_PADDING, TRUE) is not FALSE, opts.get(A_MODE, UNDEFINED) is A_URLSAFE


def _data(t: Any) -> bytes:
    if t.__class__ is not bytes and t.__class__ is not Cons and t is not NIL:
        raise badarg()
    return iolist_bytes(t)


def _encode_opts(data: bytes, padding: bool, urlsafe: bool) -> bytes:
    out = _b64.urlsafe_b64encode(data) if urlsafe else _b64.b64encode(data)
    return out if padding else out.rstrip(b"=")


_SEXTETS = {c: i for i, c in enumerate(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SEXTETS_URLSAFE = {**{c: i for c, i in _SEXTETS.items() if i < 62}, ord("-"): 62, ord("_"): 63}


def _decode_opts(raw: bytes, padding: bool, urlsafe: bool) -> bytes:
    """AtomVM's strict decoder: the decoded length is ``ceil(n / 4) * 3`` less the padding
    (the trailing ``=``, else what an unpadded length implies), filled from the sextets."""
    n = len(raw)
    if n % 4 == 1 or (padding and n % 4):
        raise badarg()
    explicit = (2 if raw[-2:-1] == b"=" else 1) if raw.endswith(b"=") else 0
    pad = explicit or (4 - n % 4) % 4
    size = (n + 3) // 4 * 3 - pad
    table = _SEXTETS_URLSAFE if urlsafe else _SEXTETS
    bits = 0
    for c in raw[:n - explicit]:
        value = table.get(c)
        if value is None:
            raise badarg()
        bits = bits << 6 | value
    width = (n - explicit) * 6
    if width < size * 8:
        bits <<= size * 8 - width
    else:
        bits >>= width - size * 8
    return bits.to_bytes(size, "big")


def _with_options(code: Any, data: Any, opts: Any) -> bytes | None:
    """The encoded/decoded bytes, or None for empty data (handed back as it is)."""
    padding, urlsafe = _options(opts)
    raw = _data(data)
    return code(raw, padding, urlsafe) if raw else None


@native("base64", "encode", 2)
def encode2(ctx, data, opts):
    out = _with_options(_encode_opts, data, opts)
    return (data if data.__class__ is bytes else b"") if out is None else out


@native("base64", "encode_to_string", 2)
def encode_to_string2(ctx, data, opts):
    out = _with_options(_encode_opts, data, opts)
    return NIL if out is None else bytes_list(out)


@native("base64", "decode", 2)
def decode2(ctx, data, opts):
    out = _with_options(_decode_opts, data, opts)
    return (data if data.__class__ is bytes else b"") if out is None else out


@native("base64", "decode_to_string", 2)
def decode_to_string2(ctx, data, opts):
    out = _with_options(_decode_opts, data, opts)
    return NIL if out is None else bytes_list(out)


@native("base64", "encode", 1)
def encode(ctx, data):
    return _encode(data)


@native("base64", "encode_to_string", 1)
def encode_to_string(ctx, data):
    return bytes_list(_encode(data))


@native("base64", "decode", 1)
def decode(ctx, data):
    return _decode(data)


@native("base64", "decode_to_string", 1)
def decode_to_string(ctx, data):
    return bytes_list(_decode(data))


@native("base64", "mime_decode", 1)
def mime_decode(ctx, data):
    return _mime_decode(data)


@native("base64", "mime_decode_to_string", 1)
def mime_decode_to_string(ctx, data):
    return bytes_list(_mime_decode(data))


# nifs.c base64_encode / base64_decode hand an empty binary back as it is
charge_results("base64", {
    ("encode", 1): unless_argument(new_binary), ("encode_to_string", 1): cells,
    ("decode", 1): unless_argument(new_binary),
    ("decode_to_string", 1): cells, ("mime_decode", 1): new_binary,
    ("mime_decode_to_string", 1): cells, ("encode", 2): unless_argument(new_binary),
    ("encode_to_string", 2): cells, ("decode", 2): unless_argument(new_binary),
    ("decode_to_string", 2): cells,
})
