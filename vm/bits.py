"""Bit-level runtime of the binary opcodes: match states, readers, writers and builders.

Positions and sizes are in bits throughout. A binary is ``bytes``; any other bitstring is a
:class:`~avmsim.vm.terms.BitStr` (whole bytes plus a bit count, unused low bits zero).

A little-endian integer whose size is not a multiple of 8 is laid out as AtomVM lays it out
(bitstring.c), not as OTP does: written, the value's ``ceil(size / 8)`` low bytes are swapped
and the low ``size`` bits of that are written (``<<1:12/little>>`` gives the bits of
``<<16, 0:4>>``, OTP's ``<<1, 0:4>>``); read, the ``size`` bits form a 64-bit integer whose
bytes are swapped and shifted right by ``64 - size`` (bits ``111111100000`` read as 3584,
OTP's 254); wider than 64 bits AtomVM reads no such segment. Whole-byte sizes agree with OTP. :func:`le_to_stream` and :func:`stream_to_le`
convert between a value and that bit stream (as a big-endian integer of ``size`` bits).

AtomVM (7b282159) holds only whole bytes: a construction whose result is not whole bytes, or
that puts a binary at a position that is not, raises ``error:unsupported``
(:func:`unsupported`), as opcodesswitch.h ``bs_create_bin`` does.

Everything else that can fail raises an Erlang ``badarg`` (or ``system_limit``) for construction;
matching helpers report failure by returning :data:`NOMATCH` (None) so generated code jumps to
its fail label without exception overhead.
"""
from __future__ import annotations

import struct
from typing import Any, Callable

from .errors import BADARG, SYSTEM_LIMIT, ErlangError
from .terms import ERROR, NIL, Atom, BitStr, Cons, atom

NOMATCH = None
"""Returned by matching helpers when the segment does not match."""

MAX_BITS = 1 << 35
"""Construction above this many bits raises ``system_limit`` (a 4 GiB binary)."""

BYTE1: tuple[bytes, ...] = tuple(bytes((i,)) for i in range(256))
"""Single-byte binaries, indexed by value: ``<<V:8>>`` without a call."""

A_ALL = atom("all")
A_UNSUPPORTED = atom("unsupported")


class Unsupported(ErlangError):
    """``error:unsupported``: a bit-syntax operation AtomVM does not implement (a bitstring that
    is not whole bytes). A construction's fail label never catches it: AtomVM raises it."""

    def __init__(self) -> None:
        super().__init__(ERROR, A_UNSUPPORTED)


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


def unsupported() -> Unsupported:
    return Unsupported()


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
    """Value of an ``n``-bit little-endian field whose bits, read in order, are ``v``
    (AtomVM's reading when ``n`` is not whole bytes: see the module docstring)."""
    full, rest = n >> 3, n & 7
    if rest == 0:
        return int.from_bytes(v.to_bytes(full, "big"), "little")
    k = full + 1  # AtomVM swaps 64 bits then shifts: the same as swapping these k bytes
    return int.from_bytes(v.to_bytes(k, "big"), "little") >> ((k << 3) - n)


def le_to_stream(u: int, n: int) -> int:
    """The bits (as a big-endian int) of ``u`` stored in an ``n``-bit little-endian field
    (AtomVM's writing when ``n`` is not whole bytes: see the module docstring)."""
    k = (n + 7) >> 3
    swapped = int.from_bytes((u & ((1 << (k << 3)) - 1)).to_bytes(k, "little"), "big")
    return swapped & ((1 << n) - 1)


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
    """A float segment of ``n`` bits at ``pos``; None (no match) for a bad size, NaN or inf,
    or a position inside a byte (AtomVM reads floats at byte positions only)."""
    st = _FLOAT_STRUCTS.get((n, little))
    if st is None or pos & 7:
        return NOMATCH
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
    """Decode one UTF-8 code point at the match position (advancing it), or None.

    AtomVM decodes every UTF segment from the byte holding the position (bitstring.h
    ``bitstring_match_utf*``) and moves the position on by the bytes decoded: so here."""
    pos = m.pos
    start = pos >> 3
    avail = (m.size >> 3) - start
    if avail < 1:
        return NOMATCH
    data = m.data
    lead = data[start]
    if lead < 0x80:
        m.pos = pos + 8
        return lead
    n = UTF8_LEN[lead]
    if n == 0 or avail < n:
        return NOMATCH
    try:
        s = data[start:start + n].decode("utf-8")
    except UnicodeDecodeError:
        return NOMATCH
    m.pos = pos + (n << 3)
    return ord(s)


def get_utf16(m: MatchState, little: bool) -> int | None:
    """Decode one UTF-16 code point (one unit or a surrogate pair), or None."""
    pos = m.pos
    base = pos & ~7
    avail = (m.size & ~7) - base
    if avail < 16:
        return NOMATCH
    w = read_int(m.data, base, 16, little, False)
    if w < 0xD800 or w > 0xDFFF:
        m.pos = pos + 16
        return w
    if w > 0xDBFF or avail < 32:
        return NOMATCH
    w2 = read_int(m.data, base + 16, 16, little, False)
    if not 0xDC00 <= w2 <= 0xDFFF:
        return NOMATCH
    m.pos = pos + 32
    return 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00)


def get_utf32(m: MatchState, little: bool) -> int | None:
    """Decode one UTF-32 code point, or None for a surrogate or a value above 0x10FFFF."""
    pos = m.pos
    base = pos & ~7
    if (m.size & ~7) - base < 32:
        return NOMATCH
    v = read_int(m.data, base, 32, little, False)
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


def legacy_size(size: Any) -> int:
    """The bits announced by bs_init_bits / bs_append: ``unsupported`` unless whole bytes
    (AtomVM allocates a binary of ``size / 8`` bytes)."""
    n = check_size(size, 1)
    if n & 7:
        raise unsupported()
    return n


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
    """A float segment of variable size. AtomVM ignores the unit of a float segment: its
    size is the width itself (16, 32 or 64, else badarg)."""
    return pack_float(v, check_size(size, 1), little)


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

    __slots__ = ("acc", "n", "target", "write_error")

    def __init__(self, acc: int = 0, n: int = 0, target: int = -1) -> None:
        self.acc = acc
        self.n = n
        self.target = target
        self.write_error: ErlangError | None = None
        """The first error AtomVM raises only while writing, once every segment is checked:
        a binary (``unsupported``) or a float (``badarg``) at a position inside a byte."""

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

    def late_error(self, error: ErlangError) -> None:
        """Note ``error`` as :attr:`write_error` unless an earlier segment noted one."""
        if self.write_error is None:
            self.write_error = error

    def put_code_unit_bytes(self, data: bytes) -> None:
        """A UTF segment: AtomVM writes its bytes from the byte holding the position
        (bitstring.h ``bitstring_insert_utf*``), over the bits already there, and moves the
        position on by their size: the bits after them in that last byte are left zero."""
        rest = self.n & 7
        n = len(data) << 3
        self.acc = (((self.acc >> rest) << n) | int.from_bytes(data, "big")) << rest
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
    """A float segment; inside a byte AtomVM cannot write it (badarg, raised when writing)."""
    if b.n & 7:
        b.late_error(badarg())
    b.put_bytes(float_bytes(v, size, unit, little))


def _w_binary(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    """A binary segment: its size must be whole bytes (else ``unsupported``, checked before
    the source's length); where it lands is checked by :func:`build`."""
    if b.n & 7:
        b.late_error(unsupported())
    if size is A_ALL:
        data, n = bits_of(v)
        if n % unit:
            raise badarg()
        b.put_bits(v, n)
    else:
        nbits = check_size(size, unit)
        if nbits & 7:
            raise unsupported()
        b.put_bits(v, nbits)


def _w_utf8(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_code_unit_bytes(utf8_bytes(v))


def _w_utf16(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_code_unit_bytes(utf16_bytes(v, little))


def _w_utf32(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_code_unit_bytes(utf32_bytes(v, little))


def _w_string(b: Bits, v: Any, size: Any, unit: int, little: bool) -> None:
    b.put_bytes(v)


SEGMENT_WRITERS: dict[str, Callable[[Bits, Any, Any, int, bool], None]] = {
    "integer": _w_integer, "float": _w_float, "binary": _w_binary, "bitstring": _w_binary,
    "utf8": _w_utf8, "utf16": _w_utf16, "utf32": _w_utf32, "string": _w_string,
}
"""bs_create_bin segment type -> writer used by :func:`build`."""

_FLAG_LITTLE = {"little": True, "native": True, "signed": False}
"""The flag atoms bs_create_bin reads at run time -> whether they make a segment little
endian (``native`` is little on AtomVM's targets); any other term is badarg."""


def flags_little(flags: Any) -> bool:
    """Whether a run-time flags list (a proper list of flag atoms) asks for little endian."""
    little = False
    t = flags
    while t.__class__ is Cons:
        name = t.hd.name if t.hd.__class__ is Atom else None
        if name not in _FLAG_LITTLE:
            raise badarg()
        little = little or _FLAG_LITTLE[name]
        t = t.tl
    if t is not NIL:
        raise badarg()
    return little


def _with_runtime_flags(writer: Callable[[Bits, Any, Any, int, bool], None]
                        ) -> Callable[[Bits, Any, Any, int, bool], None]:
    """A writer whose value argument is ``(value, flags term)``."""
    def write(b: Bits, pair: Any, size: Any, unit: int, _little: bool) -> None:
        value, flags = pair
        writer(b, value, size, unit, flags_little(flags))
    return write


RUNTIME_FLAG_WRITERS = {kind: _with_runtime_flags(SEGMENT_WRITERS[kind])
                        for kind in ("integer", "float", "utf16", "utf32")}
"""Writers of the segment types whose flags AtomVM reads, for flags held in a register."""


def build(first: Any, first_unit: int, spec: tuple, args: tuple) -> bytes | BitStr:
    """bs_create_bin's general path.

    ``first`` is the binary appended to (None when not an append) with its unit, ``spec`` a
    tuple of ``(writer, unit, little)`` decided at load time, ``args`` the flat run-time
    ``(value, size, value, size, ...)``.

    AtomVM checks every segment first (badarg, or ``unsupported`` for a binary segment that
    is not whole bytes), then the total (``unsupported`` unless whole bytes), then, while
    writing, that no binary nor float segment starts inside a byte: the same order here,
    the writers noting those last errors (:meth:`Bits.late_error`) instead of raising.
    """
    b = Bits() if first is None else Bits.of(first, first_unit)
    i = 0
    for writer, unit, little in spec:
        writer(b, args[i], args[i + 1], unit, little)
        i += 2
    if b.n > MAX_BITS:
        raise ErlangError(ERROR, SYSTEM_LIMIT)
    if b.n & 7:
        raise unsupported()
    if b.write_error is not None:
        raise b.write_error
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
