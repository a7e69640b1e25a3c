"""OTP 25's ``base64``: encode/decode (+ ``_to_string``) and ``mime_decode`` (+ string).

``decode`` skips whitespace, fails with ``badarg`` on other non-alphabet characters and with
``function_clause`` on a bad length or padding; ``mime_decode`` skips every character outside
the alphabet and stops at the first ``=``.
"""
from __future__ import annotations

import base64 as _b64
from typing import Any

from ..errors import badarg, badarith, error
from ..natives import native
from ..terms import NIL, Cons, atom
from ._util import bytes_list, cells, charge_results, new_binary, unless_argument

FUNCTION_CLAUSE = atom("function_clause")
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
    ("mime_decode_to_string", 1): cells,
})
