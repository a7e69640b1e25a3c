"""Bit-level runtime of the binary opcodes: match states, readers, writers and builders.

Positions and sizes are in bits throughout. A binary is ``bytes``; any other bitstring is a
:class:`~avmsim.vm.terms.BitStr` (whole bytes plus a bit count, unused low bits zero).

Erlang's little-endian integers whose size is not a multiple of 8 are laid out as the full
bytes of the value, least significant first, followed by the ``size % 8`` most significant
bits: ``<<258:12/little>>`` is ``<<2, 1:4>>``. :func:`le_to_stream` and :func:`stream_to_le`
convert between a value and that bit stream (as a big-endian integer of ``size`` bits).

Everything that can fail raises an Erlang ``badarg`` (or ``system_limit``) for construction;
matching helpers report failure by returning :data:`NOMATCH` (None) so generated code jumps to
its fail label without exception overhead.
"""
from __future__ import annotations

import struct
from typing import Any, Callable

from .errors import BADARG, SYSTEM_LIMIT, ErlangError
from .terms import ERROR, BitStr, atom

NOMATCH = None
"""Returned by matching helpers when the segment does not match."""

MAX_BITS = 1 << 35
"""Construction above this many bits raises ``system_limit`` (a 4 GiB binary)."""

BYTE1: tuple[bytes, ...] = tuple(bytes((i,)) for i in range(256))
"""Single-byte binaries, indexed by value: ``<<V:8>>`` without a call."""

A_ALL = atom("all")


class MatchState:
    """A match context: the bytes matched, their size in bits and the current bit offset.

    ``bs_start_match*`` builds one; ``bs_get_position``/``bs_set_position`` save and restore
    ``pos`` (an int). Sub-binaries taken from it are plain ``bytes`` or :class:`BitStr`.
    """

    __slots__ = ("data", "size", "pos")

    def __init__(self, data: bytes, size: int, pos: int = 0) -> None:
        self.data = data
        self.size = size
        self.pos = pos

    def __repr__(self) -> str:
        return f"MatchState({self.data[:16]!r}, size={self.size}, pos={self.pos})"


def badarg() -> ErlangError:
    return ErlangError(ERROR, BADARG)


def start_match(v: Any) -> MatchState | None:
    """Match state over ``v``: a new one for a bitstring, ``v`` itself if already a state."""
    cls = v.__class__
    if cls is bytes:
        return MatchState(v, len(v) << 3)
    if cls is MatchState:
        return v
    if cls is BitStr:
        return MatchState(v.data, v.bits)
    return None


# ---------------------------------------------------------------------------- reading

def read_uint(data: bytes, pos: int, n: int) -> int:
    """The ``n`` bits at bit offset ``pos`` of ``data`` as an unsigned big-endian integer."""
    if n == 0:
        return 0
    start = pos >> 3
    end = (pos + n + 7) >> 3
    v = int.from_bytes(data[start:end], "big")
    return (v >> ((end << 3) - pos - n)) & ((1 << n) - 1)


def stream_to_le(v: int, n: int) -> int:
    """Value of an ``n``-bit little-endian field whose bits, read in order, are ``v``."""
    full, rest = n >> 3, n & 7
    if rest == 0:
        return int.from_bytes(v.to_bytes(full, "big"), "little")
    top = v & ((1 << rest) - 1)
    low = int.from_bytes((v >> rest).to_bytes(full, "big"), "little") if full else 0
    return (top << (full << 3)) | low


def le_to_stream(u: int, n: int) -> int:
    """Inverse of :func:`stream_to_le`: the bits (as a big-endian int) of ``u`` stored little."""
    full, rest = n >> 3, n & 7
    u &= (1 << n) - 1
    if rest == 0:
        return int.from_bytes(u.to_bytes(full, "little"), "big")
    low_bits = full << 3
    low = int.from_bytes((u & ((1 << low_bits) - 1)).to_bytes(full, "little"), "big")
    return (low << rest) | (u >> low_bits)


def read_int(data: bytes, pos: int, n: int, little: bool, signed: bool) -> int:
    """An integer segment of ``n`` bits at ``pos`` (any alignment, any size)."""
    if pos & 7 == 0 and n & 7 == 0:
        start = pos >> 3
        return int.from_bytes(data[start:start + (n >> 3)], "little" if little else "big",
                              signed=signed)
    v = read_uint(data, pos, n)
    if little:
        v = stream_to_le(v, n)
    if signed and n and v >> (n - 1):
        v -= 1 << n
    return v


_FLOAT_STRUCTS: dict[tuple[int, bool], struct.Struct] = {
    (size, little): struct.Struct(("<" if little else ">") + code)
    for size, code in ((16, "e"), (32, "f"), (64, "d")) for little in (False, True)}


def read_float(data: bytes, pos: int, n: int, little: bool) -> float | None:
    """A float segment of ``n`` bits at ``pos``; None (no match) for a bad size, NaN or inf."""
    st = _FLOAT_STRUCTS.get((n, little))
    if st is None:
        return NOMATCH
    if pos & 7:
        raw = read_uint(data, pos, n).to_bytes(n >> 3, "big")
        f = st.unpack(raw)[0]
    else:
        f = st.unpack_from(data, pos >> 3)[0]
    if f - f != 0.0:
        return NOMATCH
    return f


def bits_term(v: int, n: int) -> bytes | BitStr:
    """The bitstring term of ``n`` bits whose value (big-endian) is ``v``."""
    rest = n & 7
    if rest == 0:
        return v.to_bytes(n >> 3, "big")
    pad = 8 - rest
    return BitStr((v << pad).to_bytes((n + pad) >> 3, "big"), n)


def sub_bits(data: bytes, start: int, end: int) -> bytes | BitStr:
    """The bits ``start..end`` of ``data`` as a term (a slice when byte-aligned)."""
    if (start | end) & 7 == 0:
        return data[start >> 3:end >> 3]
    return bits_term(read_uint(data, start, end - start), end - start)


def match_size(size: Any, unit: int) -> int | None:
    """Bits of a matched segment of variable ``size``: None (no match) unless an int >= 0."""
    if size.__class__ is int and size >= 0:
        return size * unit
    return NOMATCH


# ---------------------------------------------------------------------------- utf decoding

def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


UTF8_LEN: tuple[int, ...] = tuple(_utf8_length(b) for b in range(256))
"""Length of a UTF-8 sequence by its lead byte (0: not a valid lead byte)."""


def get_utf8(m: MatchState) -> int | None:
    """Decode one UTF-8 code point at the match position (advancing it), or None."""
    pos = m.pos
    avail = m.size - pos
    if avail < 8:
        return NOMATCH
    data = m.data
    if pos & 7:
        lead = read_uint(data, pos, 8)
    else:
        lead = data[pos >> 3]
    if lead < 0x80:
        m.pos = pos + 8
        return lead
    n = UTF8_LEN[lead]
    if n == 0 or avail < n << 3:
        return NOMATCH
    if pos & 7:
        raw = read_uint(data, pos, n << 3).to_bytes(n, "big")
    else:
        raw = data[pos >> 3:(pos >> 3) + n]
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        return NOMATCH
    m.pos = pos + (n << 3)
    return ord(s)


def get_utf16(m: MatchState, little: bool) -> int | None:
    """Decode one UTF-16 code point (one unit or a surrogate pair), or None."""
    pos = m.pos
    avail = m.size - pos
    if avail < 16:
        return NOMATCH
    w = read_int(m.data, pos, 16, little, False)
    if w < 0xD800 or w > 0xDFFF:
        m.pos = pos + 16
        return w
    if w > 0xDBFF or avail < 32:
        return NOMATCH
    w2 = read_int(m.data, pos + 16, 16, little, False)
    if not 0xDC00 <= w2 <= 0xDFFF:
        return NOMATCH
    m.pos = pos + 32
    return 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00)


def get_utf32(m: MatchState, little: bool) -> int | None:
    """Decode one UTF-32 code point, or None for a surrogate or a value above 0x10FFFF."""
    pos = m.pos
    if m.size - pos < 32:
        return NOMATCH
    v = read_int(m.data, pos, 32, little, False)
    if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
        return NOMATCH
    m.pos = pos + 32
    return v


# ---------------------------------------------------------------------------- construction

def check_size(size: Any, unit: int) -> int:
    """Bits of a constructed segment of variable ``size`` (badarg / system_limit if bad)."""
    if size.__class__ is not int or size < 0:
        raise badarg()
    bits = size * unit
    if bits > MAX_BITS:
        raise ErlangError(ERROR, SYSTEM_LIMIT)
    return bits


def int_stream(v: Any, n: int, little: bool) -> int:
    """The ``n`` bits of integer ``v`` as they appear in a binary (a big-endian int)."""
    if v.__class__ is not int:
        raise badarg()
    if little:
        return le_to_stream(v, n)
    return v & ((1 << n) - 1)


def int_bytes(v: Any, size: Any, unit: int, little: bool) -> bytes:
    """``<<V:Size/unit:U>>`` when ``unit`` is a multiple of 8 (so the result is whole bytes)."""
    n = check_size(size, unit)
    if v.__class__ is not int:
        raise badarg()
    return (v & ((1 << n) - 1)).to_bytes(n >> 3, "little" if little else "big")


def pack_float(v: Any, n: int, little: bool) -> bytes:
    """``<<V:N/float>>``: ints convert; overflow of 16/32-bit floats gives infinity, as OTP."""
    st = _FLOAT_STRUCTS.get((n, little))
    if st is None or (v.__class__ is not float and v.__class__ is not int):
        raise badarg()
    try:
        f = float(v)
    except OverflowError:
        raise badarg() from None
    try:
        return st.pack(f)
    except OverflowError:
        return st.pack(float("inf") if f > 0 else float("-inf"))


def float_bytes(v: Any, size: Any, unit: int, little: bool) -> bytes:
    """A float segment of variable size."""
    return pack_float(v, check_size(size, unit), little)


def bits_of(v: Any) -> tuple[bytes, int]:
    """(data, bit size) of a bitstring term; badarg for anything else."""
    cls = v.__class__
    if cls is bytes:
        return v, len(v) << 3
    if cls is BitStr:
        return v.data, v.bits
    raise badarg()


def whole_binary(v: Any, unit: int = 8) -> bytes:
    """A ``Bin/binary`` (size ``all``) segment that must be whole bytes: ``v`` itself."""
    if v.__class__ is bytes:
        return v
    raise badarg()


def take_bytes(v: Any, nbits: int) -> bytes:
    """The first ``nbits`` (a multiple of 8) of bitstring ``v`` as bytes; badarg if shorter."""
    data, size = bits_of(v)
    if size < nbits:
        raise badarg()
    return data if len(data) << 3 == nbits else data[:nbits >> 3]


def take_bytes_dyn(v: Any, size: Any, unit: int) -> bytes:
    return take_bytes(v, check_size(size, unit))


def utf8_bytes(v: Any) -> bytes:
    """``<<V/utf8>>`` (badarg for a surrogate, a value out of range or a non-integer)."""
    if v.__class__ is not int:
        raise badarg()
    try:
        return chr(v).encode("utf-8")
    except (ValueError, OverflowError):
        raise badarg() from None


def utf16_bytes(v: Any, little: bool) -> bytes:
    if v.__class__ is not int:
        raise badarg()
    try:
        return chr(v).encode("utf-16-le" if little else "utf-16-be")
    except (ValueError, OverflowError):
        raise badarg() from None


def utf32_bytes(v: Any, little: bool) -> bytes:
    if v.__class__ is not int:
        raise badarg()
    try:
        return chr(v).encode("utf-32-le" if little else "utf-32-be")
    except (ValueError, OverflowError):
        raise badarg() from None


def utf8_size(v: Any) -> int:
    """Bytes needed to encode ``v`` as UTF-8 (the ``bs_utf8_size`` opcode)."""
    if v.__class__ is not int or v < 0x80:
        return 1
    if v < 0x800:
        return 2
    if v < 0x10000:
        return 3
    return 4


def utf16_size(v: Any) -> int:
    return 4 if v.__class__ is int and v >= 0x10000 else 2


class Bits:
    """An append-only bit accumulator: the builder behind bs_create_bin's slow path and the
    legacy bs_init_bits/bs_put_* sequences.

    Bits are kept as a big-endian integer ``acc`` of ``n`` bits, which makes unaligned writes
    a shift and an or. ``target`` is the size the legacy opcodes announced (or -1).
    """

    __slots__ = ("acc", "n", "target")

    def __init__(self, acc: int = 0, n: int = 0, target: int = -1) -> None:
        self.acc = acc
        self.n = n
        self.target = target

    @classmethod
    def of(cls, v: Any, unit: int = 1, target: int = -1) -> "Bits":
        """Start from bitstring ``v`` (appending); its size must be a multiple of ``unit``."""
        data, size = bits_of(v)
        if size % unit:
            raise badarg()
        acc = int.from_bytes(data, "big") >> ((len(data) << 3) - size) if size else 0
        return cls(acc, size, target)

    def put(self, value: int, n: int) -> None:
        """Append ``n`` bits (``value`` already masked to ``n`` bits)."""
        self.acc = (self.acc << n) | value
        self.n += n

    def put_bytes(self, data: bytes) -> None:
        n = len(data) << 3
        self.acc = (self.acc << n) | int.from_bytes(data, "big")
        self.n += n

    def put_bits(self, v: Any, nbits: int) -> None:
        """Append the first ``nbits`` of bitstring ``v`` (-1: all of it); badarg if short."""
        data, size = bits_of(v)
        if nbits < 0:
            nbits = size
        elif size < nbits:
            raise badarg()
        self.put(read_uint(data, 0, nbits), nbits)

    def term(self) -> bytes | BitStr:
        return bits_term(self.acc, self.n)


# Segment writers of the slow path: f(bits, value, size, unit, little) -> None.

def _w_integer(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    n = check_size(size, unit)
    b.put(int_stream(v, n, little), n)


def _w_float(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_bytes(pack_float(v, check_size(size, unit), little))


def _w_binary(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    if size is A_ALL:
        data, n = bits_of(v)
        if n % unit:
            raise badarg()
        b.put_bits(v, n)
    else:
        b.put_bits(v, check_size(size, unit))


def _w_utf8(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_bytes(utf8_bytes(v))


def _w_utf16(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_bytes(utf16_bytes(v, little))


def _w_utf32(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_bytes(utf32_bytes(v, little))


def _w_string(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_bytes(v)


SEGMENT_WRITERS: dict[str, Callable[[Bits, Any, Any, int, bool], None]] = {
    "integer": _w_integer, "float": _w_float, "binary": _w_binary, "bitstring": _w_binary,
    "utf8": _w_utf8, "utf16": _w_utf16, "utf32": _w_utf32, "string": _w_string,
}
"""bs_create_bin segment type -> writer used by :func:`build`."""


def build(first: Any, first_unit: int, spec: tuple, args: tuple) -> bytes | BitStr:
    """bs_create_bin's general path.

    ``first`` is the binary appended to (None when not an append) with its unit, ``spec`` a
    tuple of ``(writer, unit, little)`` decided at load time, ``args`` the flat run-time
    ``(value, size, value, size, ...)``.
    """
    b = Bits() if first is None else Bits.of(first, first_unit)
    i = 0
    for writer, unit, little in spec:
        writer(b, args[i], args[i + 1], unit, little)
        i += 2
    if b.n > MAX_BITS:
        raise ErlangError(ERROR, SYSTEM_LIMIT)
    return b.term()


def bs_add(a: Any, b: Any, unit: int) -> int:
    """``bs_add``: ``a + b * unit`` with ``b`` a non-negative integer."""
    if a.__class__ is not int or b.__class__ is not int or b < 0 or a < 0:
        raise badarg()
    r = a + b * unit
    if r > MAX_BITS:
        raise ErlangError(ERROR, SYSTEM_LIMIT)
    return r


CONSTRUCT_ERRORS = (TypeError, ValueError, OverflowError, struct.error)
"""Python exceptions inline construction code turns into ``badarg``."""
