"""AtomVM's ``base64`` (nifs.c ``base64_encode`` / ``base64_decode``): ``encode``, ``decode``
and their ``_to_string`` forms, with or without options — AtomVM has no ``mime_decode``.

The data is a binary or, as an AtomVM extension, any iolist (badarg otherwise); an empty one
is handed back as it is. The options are a map (badarg otherwise) with ``padding`` (anything
but ``false`` means padded, the default) and ``mode`` (``urlsafe`` picks the ``-_``
alphabet, anything else the standard one). Decoding is strict, unlike OTP's: badarg for a
length of 4n+1, for a length not a multiple of 4 while padding is required, and for any
character outside the alphabet except one or two trailing ``=`` (whitespace included).
"""
from __future__ import annotations

import base64 as _b64
from typing import Any

from ..errors import badarg
from ..natives import native
from ..terms import FALSE, NIL, TRUE, UNDEFINED, Cons, Map, atom
from ._util import bytes_list, cells, charge_results, iolist_bytes, new_binary, unless_argument

A_PADDING = atom("padding")
A_MODE = atom("mode")
A_URLSAFE = atom("urlsafe")
DEFAULTS = Map()
"""No options: padded, standard alphabet (what the ``/1`` forms use)."""


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


def _binary_result(out: bytes | None, data: Any) -> Any:
    """The result as a binary; empty data is handed back as it is (``<<>>`` for a list)."""
    return (data if data.__class__ is bytes else b"") if out is None else out


def _string_result(out: bytes | None, data: Any) -> Any:
    return NIL if out is None else bytes_list(out)


def _nif(code: Any, result: Any) -> tuple[Any, Any]:
    """The ``/2`` NIF (with an options map) and the ``/1`` NIF (the defaults) of one form:
    one NIF in AtomVM for every arity."""
    def with_options(ctx: Any, data: Any, opts: Any) -> Any:
        return result(_with_options(code, data, opts), data)

    def plain(ctx: Any, data: Any) -> Any:
        return with_options(ctx, data, DEFAULTS)
    return with_options, plain


for _name, _code, _result in (("encode", _encode_opts, _binary_result),
                              ("encode_to_string", _encode_opts, _string_result),
                              ("decode", _decode_opts, _binary_result),
                              ("decode_to_string", _decode_opts, _string_result)):
    _two, _one = _nif(_code, _result)
    native("base64", _name, 2)(_two)
    native("base64", _name, 1)(_one)


# nifs.c base64_encode / base64_decode hand an empty binary back as it is
charge_results("base64", {
    ("encode", 1): unless_argument(new_binary), ("encode_to_string", 1): cells,
    ("decode", 1): unless_argument(new_binary),
    ("decode_to_string", 1): cells, ("encode", 2): unless_argument(new_binary),
    ("encode_to_string", 2): cells, ("decode", 2): unless_argument(new_binary),
    ("decode_to_string", 2): cells,
})
