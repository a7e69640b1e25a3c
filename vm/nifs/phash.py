"""``erlang:phash2/1,2``: OTP's portable term hash, bit for bit.

The hash is OTP's ``make_hash2`` (erts term hashing): Bob Jenkins' 96-bit mix applied over the
term walked depth-first, with a distinct constant per term type. Numbers are hashed by value
(small and big integers the same way), binaries with Jenkins' block hash, maps as the XOR of
independent per-pair hashes so that the key order does not matter. Pids, ports and references
are hashed from avmsim's own numbers, so their values differ from a BEAM node's (as they would
between two BEAM nodes).
"""
from __future__ import annotations

import struct
from typing import Any

from ..fun_binding import fun_entry
from ..terms import (Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Nil, Pid,
                     Port, Ref)

M32 = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


def _hc(n: int) -> int:
    """The golden-ratio constant times ``n``, modulo 2^32 (OTP's HCONST_n)."""
    return (GOLDEN * n) & M32


HC = {n: _hc(n) for n in range(1, 23)}
NIL_FIRST = 3468870702   # hash of [] when it is the first thing hashed
NIL_TAG = 2               # the NIL tag value mixed in when [] is not first


def mix(a: int, b: int, c: int) -> int:
    """Jenkins' mix of three 32-bit words; only ``c`` (the new hash) is needed afterwards."""
    a = (a - b - c) & M32; a ^= c >> 13
    b = (b - c - a) & M32; b ^= (a << 8) & M32
    c = (c - a - b) & M32; c ^= b >> 13
    a = (a - b - c) & M32; a ^= c >> 12
    b = (b - c - a) & M32; b ^= (a << 16) & M32
    c = (c - a - b) & M32; c ^= b >> 5
    a = (a - b - c) & M32; a ^= c >> 3
    b = (b - c - a) & M32; b ^= (a << 10) & M32
    c = (c - a - b) & M32; c ^= b >> 15
    return c


def _mix3(a: int, b: int, c: int) -> tuple[int, int, int]:
    a = (a - b - c) & M32; a ^= c >> 13
    b = (b - c - a) & M32; b ^= (a << 8) & M32
    c = (c - a - b) & M32; c ^= b >> 13
    a = (a - b - c) & M32; a ^= c >> 12
    b = (b - c - a) & M32; b ^= (a << 16) & M32
    c = (c - a - b) & M32; c ^= b >> 5
    a = (a - b - c) & M32; a ^= c >> 3
    b = (b - c - a) & M32; b ^= (a << 10) & M32
    c = (c - a - b) & M32; c ^= b >> 15
    return a, b, c


def hash2(x: int, y: int, const: int, h: int) -> int:
    """Mix two 32-bit values, each offset by ``const``, into the running hash ``h``."""
    return mix((const + x) & M32, (const + y) & M32, h)


def atom_hash(name: str) -> int:
    """The hashpjw value OTP keeps for each atom (over its UTF-8 text, latin-1 folded)."""
    data = name.encode("utf-8")
    h = 0
    i, n = 0, len(data)
    while i < n:
        v = data[i]
        i += 1
        # two-byte UTF-8 sequences of latin-1 characters are hashed as the character
        if i < n and (v & 0xFE) == 0xC2 and (data[i] & 0xC0) == 0x80:
            v = ((v << 6) | (data[i] & 0x3F)) & 0xFF
            i += 1
        h = ((h << 4) + v) & M32
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
            h ^= g
    return h


def block_hash(data: bytes, init: int) -> int:
    """Jenkins' lookup2 hash of ``data`` seeded with ``init`` (OTP's block_hash)."""
    a = b = GOLDEN
    c = init
    n = len(data)
    full = n - n % 12
    for off in range(0, full, 12):
        wa, wb, wc = struct.unpack_from("<III", data, off)
        a = (a + wa) & M32
        b = (b + wb) & M32
        c = (c + wc) & M32
        a, b, c = _mix3(a, b, c)
    tail = data[full:] + bytes(12 - (n - full))
    c = (c + n) & M32
    wa, wb, wc = struct.unpack("<III", tail)
    a = (a + wa) & M32
    b = (b + wb) & M32
    c = (c + ((wc << 8) & M32)) & M32  # the low byte of c holds the length
    return mix(a, b, c)


def _int_hash(n: int, h: int) -> int:
    if -(1 << 27) <= n < (1 << 27):
        y = n & M32
        if n < 0:
            h = hash2((-n) & M32, 0, GOLDEN, h)
        return hash2(y, 0, GOLDEN, h)
    const = HC[10] if n < 0 else HC[11]
    m = -n if n < 0 else n
    while True:  # 64-bit digits, least significant first; each as (low, high) words
        d = m & 0xFFFFFFFFFFFFFFFF
        h = hash2(d & M32, d >> 32, const, h)
        m >>= 64
        if not m:
            return h


def _bits_hash(t: Any, h: int) -> int:
    const = (HC[13] + h) & M32
    if t.__class__ is bytes:
        return const if not t else block_hash(t, const)
    nbytes, rest = divmod(t.bits, 8)
    h = block_hash(t.data[:nbytes], const)
    return hash2(rest, t.data[nbytes] >> (8 - rest), HC[15], h)


def _float_hash(f: float, h: int) -> int:
    if f == 0.0:
        f = 0.0
    bits = struct.unpack("<Q", struct.pack("<d", f))[0]
    return hash2(bits >> 32, bits & M32, HC[12], h)


_MAP_TAIL = object()
_MAP_PAIR = object()


def make_hash2(term: Any) -> int:
    """OTP's 32-bit ``make_hash2`` of ``term`` (iterative: deep and long terms are fine)."""
    stack: list[Any] = []
    h = 0
    xor_pairs = 0
    t = term
    while True:
        cls = t.__class__
        if cls is int:
            h = _int_hash(t, h)
        elif cls is Atom:
            av = atom_hash(t.name)
            h = av if h == 0 else hash2(av, 0, HC[3], h)
        elif cls is Cons:
            sh = c = 0
            while t.__class__ is Cons and t.hd.__class__ is int and 0 <= t.hd <= 255:
                sh = ((sh << 8) + t.hd) & M32
                if c == 3:
                    h = hash2(sh, 0, HC[4], h)
                    sh = c = 0
                else:
                    c += 1
                t = t.tl
            if c:
                h = hash2(sh, 0, HC[4], h)
            if t.__class__ is Cons:
                stack.append(t.tl)
                t = t.hd
            continue  # hash the head (a non-byte) or the tail just reached
        elif cls is Nil:
            h = NIL_FIRST if h == 0 else hash2(NIL_TAG, 0, HC[2], h)
        elif cls is tuple:
            h = hash2(len(t), 0, HC[9], h)
            if t:
                stack.extend(reversed(t[1:]))
                t = t[0]
                continue
        elif cls is bytes or cls is BitStr:
            h = _bits_hash(t, h)
        elif cls is float:
            h = _float_hash(t, h)
        elif cls is Map:
            h = hash2(len(t), 0, HC[16], h)
            if len(t):
                stack.extend((xor_pairs, h, _MAP_TAIL))
                h = xor_pairs = 0
                for k, v in t.d.values():
                    stack.extend((_MAP_PAIR, v, k))
        elif cls is ExtFun:
            h = hash2(t.arity, atom_hash(t.module.name), GOLDEN, h)
            h = hash2(atom_hash(t.function.name), 0, HC[14], h)
        elif cls is Fun:
            h = hash2(len(t.free), atom_hash(t.module.name.name), GOLDEN, h)
            entry = fun_entry(t)
            h = hash2(t.index, entry.old_uniq & M32 if entry else 0, GOLDEN, h)
            if t.free:
                stack.extend(reversed(t.free[1:]))
                t = t.free[0]
                continue
        elif cls is Pid:
            h = hash2(t.id & M32, 0, HC[5], h)
        elif cls is Port:
            h = hash2(t.id & M32, (t.id >> 32) & M32, HC[6], h)
        elif cls is Ref:
            h = hash2(t.id & M32, 0, HC[7], h)
        elif cls is ExtPid:   # another node's: its number and serial, as a local pid's id
            h = hash2(t.number, t.serial, HC[5], h)
        elif cls is ExtPort:
            h = hash2(t.number & M32, (t.number >> 32) & M32, HC[6], h)
        elif cls is ExtRef:
            h = hash2(t.words[0] if t.words else 0, 0, HC[7], h)
        else:
            raise TypeError(f"not a term: {t!r}")
        # pop the next thing to hash, closing finished map pairs and maps on the way
        while True:
            if not stack:
                return h
            t = stack.pop()
            if t is _MAP_PAIR:
                xor_pairs ^= h
                h = 0
            elif t is _MAP_TAIL:
                h = stack.pop()
                h = hash2(xor_pairs, 0, HC[19], h)
                xor_pairs = stack.pop()
            else:
                break


def phash2(term: Any, range_: int | None = None) -> int:
    """``erlang:phash2(Term)`` (27-bit result) or ``phash2(Term, Range)``."""
    h = make_hash2(term)
    if range_ is None:
        return h & ((1 << 27) - 1)
    return h % range_ if range_ < (1 << 32) else h
