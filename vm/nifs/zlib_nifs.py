"""Checksums and compression AtomVM takes from zlib: ``erlang:crc32/1,2``,
``erlang:crc32_combine/3`` and ``zlib:compress/1`` (nifs.c), computed with Python's zlib.

The data is a binary or an iolist (``iolist_to_buffer``); a CRC argument must be an
unsigned 32-bit integer and the second part's length a non-negative 64-bit integer, badarg
otherwise. ``zlib:compress/1`` is zlib's ``compress()``: a zlib stream at the default level.
"""
from __future__ import annotations

import zlib
from typing import Any

from ..errors import badarg
from ..natives import native
from ..terms import NIL, Cons
from ._util import charge_results, iolist_bytes, new_binary, new_number

_UINT32 = 0xFFFFFFFF
_INT64_MAX = (1 << 63) - 1


def _data(t: Any) -> bytes:
    if t.__class__ is not bytes and t.__class__ is not Cons and t is not NIL:
        raise badarg()
    return iolist_bytes(t)


def _crc_arg(t: Any) -> int:
    if t.__class__ is not int or not 0 <= t <= _UINT32:
        raise badarg()
    return t


@native("erlang", "crc32", 1)
def crc32_1(ctx: Any, data: Any) -> int:
    return zlib.crc32(_data(data))


@native("erlang", "crc32", 2)
def crc32_2(ctx: Any, old_crc: Any, data: Any) -> int:
    return zlib.crc32(_data(data), _crc_arg(old_crc))


# CRC-32 is affine in its starting value: running n zero bytes through it maps a start value
# c to Z_n(c) ^ crc32(zeros(n)) with Z_n linear over GF(2). crc32(A ++ B) is then
# Z_len(B)(crc32(A)) ^ crc32(B). Z_n is a 32x32 bit matrix (one column per input bit), built
# from the one-byte operator by repeated squaring, so any 64-bit length is cheap.

def _apply(matrix: list[int], vector: int) -> int:
    out = 0
    bit = 0
    while vector:
        if vector & 1:
            out ^= matrix[bit]
        vector >>= 1
        bit += 1
    return out


def _one_zero_byte() -> list[int]:
    base = zlib.crc32(b"\0", 0)
    return [zlib.crc32(b"\0", 1 << i) ^ base for i in range(32)]


_ZERO_BYTE = _one_zero_byte()


def _shift(crc: int, length: int) -> int:
    """``Z_length(crc)``: the linear part of appending ``length`` zero bytes."""
    power = _ZERO_BYTE
    while length:
        if length & 1:
            crc = _apply(power, crc)
        length >>= 1
        if length:
            power = [_apply(power, column) for column in power]
    return crc


@native("erlang", "crc32_combine", 3)
def crc32_combine(ctx: Any, crc1: Any, crc2: Any, size2: Any) -> int:
    first, second = _crc_arg(crc1), _crc_arg(crc2)
    if size2.__class__ is not int or not 0 <= size2 <= _INT64_MAX:
        raise badarg()
    return _shift(first, size2) ^ second


@native("zlib", "compress", 1)
def compress(ctx: Any, data: Any) -> bytes:
    return zlib.compress(_data(data))


# make_maybe_boxed_int64: a CRC above the small-integer range is boxed on 32-bit boards
charge_results("erlang", {("crc32", 1): new_number, ("crc32", 2): new_number,
                          ("crc32_combine", 3): new_number})
charge_results("zlib", {("compress", 1): new_binary})
