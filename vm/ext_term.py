"""Erlang's external term format (the ``131`` format): decoder and encoder.

Used for the literal tables of BEAM modules and by ``term_to_binary``/``binary_to_term``.
The encoder reproduces OTP 25's ``term_to_binary`` byte for byte (for the term types avmsim
has), because programs compare, hash and store these binaries and a board talking to a host
node exchanges them. Maps of more than 32 keys are one known difference: OTP writes them
in its internal hash order, avmsim in key term order (what OTP does for small maps). Local
references, ports and local funs are written as AtomVM writes them (two-word references,
V4_PORT_EXT ports, funs with a zero MD5), since programs on the board see those bytes.

Local processes, ports and references are written as belonging to ``nonode@nohost`` with
creation 0, which is how a non-distributed OTP node writes its own. Once the node is alive
(``erlang:setnode/2``) the caller passes its :data:`NodeId` and they are written with the
node's name and creation instead; decoding turns the identifiers of that node and creation
back into local ones and those of any other node into :class:`ExtPid`, :class:`ExtPort` and
:class:`ExtRef`, as AtomVM's external_term.c does.
"""
from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable, Protocol

from .errors import INT_BITS
from .fun_binding import fun_entry
from .terms import (NIL, Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Nil,
                    Pid, Port, Ref, atom, from_list)

VERSION = 131

# Tags, named as in OTP's external term format documentation.
NEW_FLOAT_EXT = 70
BIT_BINARY_EXT = 77
COMPRESSED = 80
NEW_PID_EXT = 88
NEW_PORT_EXT = 89
NEWER_REFERENCE_EXT = 90
SMALL_INTEGER_EXT = 97
INTEGER_EXT = 98
FLOAT_EXT = 99
ATOM_EXT = 100
REFERENCE_EXT = 101
PORT_EXT = 102
PID_EXT = 103
SMALL_TUPLE_EXT = 104
LARGE_TUPLE_EXT = 105
NIL_EXT = 106
STRING_EXT = 107
LIST_EXT = 108
BINARY_EXT = 109
SMALL_BIG_EXT = 110
LARGE_BIG_EXT = 111
NEW_FUN_EXT = 112
EXPORT_EXT = 113
NEW_REFERENCE_EXT = 114
SMALL_ATOM_EXT = 115
MAP_EXT = 116
ATOM_UTF8_EXT = 118
SMALL_ATOM_UTF8_EXT = 119
V4_PORT_EXT = 120

LOCAL_NODE = atom("nonode@nohost")
MAX_REF_WORDS = 5
"""Longest reference id AtomVM decodes (external_term.c), as many words as OTP writes."""

NodeId = tuple[Atom, int]
"""This node's name and creation while it is alive; None (the default) when it is not."""


class Resources(Protocol):
    """How NIF resources (references that stand for a native object) cross the format.

    AtomVM writes a resource as a four-word reference of this node: its type and its
    serialisation key, two 64-bit words each (external_term.c); reading one back finds the
    resource, or gives a new reference when it is gone (a "stale" resource, term.c)."""

    def words(self, ref: Ref) -> tuple[int, int, int, int] | None:
        """The four words of ``ref`` when it is a resource, else None."""

    def find(self, words: tuple[int, ...]) -> Ref:
        """The resource the four words name, or a new reference."""

FunResolver = Callable[[Atom, int, int, int, int, tuple], Any]
"""``resolve(module, index, arity, old_index, old_uniq, free) -> Fun``: turns a decoded local
fun into a term; only the VM knows which loaded module it belongs to
(:func:`~.fun_binding.fun_resolver`). The old FUN_EXT, which OTP stopped writing long ago,
is refused as AtomVM refuses it."""


# ============================================================================ decoding

class _Decoder:
    """Cursor over one external-format buffer. Every read is bounds-checked so malformed
    input surfaces as ValueError, never as IndexError or struct.error."""

    def __init__(self, data: bytes, pos: int, resolver: FunResolver | None,
                 local: NodeId | None = None, resources: Resources | None = None) -> None:
        self.data = data
        self.pos = pos
        self.resolver = resolver
        self.local = local
        self.resources = resources

    def is_local(self, node: Atom, creation: int) -> bool:
        """Whether an identifier of ``node``/``creation`` names something of this node."""
        return self.local is not None and node is self.local[0] and creation == self.local[1]

    # -- primitives
    def take(self, n: int) -> bytes:
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise ValueError(f"truncated term: need {n} bytes at offset {self.pos}")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def u8(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError(f"truncated term at offset {self.pos}")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def u16(self) -> int:
        return int.from_bytes(self.take(2), "big")

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def i32(self) -> int:
        return int.from_bytes(self.take(4), "big", signed=True)

    # -- terms
    def term(self) -> Any:
        tag = self.u8()
        handler = _DECODERS.get(tag)
        if handler is None:
            raise ValueError(f"unknown term tag {tag} at offset {self.pos - 1}")
        return handler(self)

    def atom_term(self) -> Atom:
        t = self.term()
        if t.__class__ is not Atom:
            raise ValueError(f"expected an atom before offset {self.pos}")
        return t

    def int_term(self) -> int:
        t = self.term()
        if t.__class__ is not int:
            raise ValueError(f"expected an integer before offset {self.pos}")
        return t

    def count(self, n: int) -> int:
        """A length field: reject counts that cannot possibly fit the remaining bytes
        (every term is at least one byte), so a corrupt length fails fast."""
        if n > len(self.data) - self.pos:
            raise ValueError(f"length {n} runs past the end of the term")
        return n


def _atom_text(d: _Decoder, n: int, encoding: str) -> Atom:
    raw = d.take(n)
    try:
        return atom(raw.decode(encoding))
    except UnicodeDecodeError as exc:
        raise ValueError(f"atom text is not valid {encoding}") from exc


class UndecodableTermError(ValueError):
    """A well-formed term AtomVM's decoder (external_term.c) does not accept: a literal made
    of it fails where it is used, ``binary_to_term`` of it is badarg."""


class WideIntegerError(UndecodableTermError):
    """A well-formed integer wider than AtomVM's 256 bits: not a term AtomVM decodes."""


class BitBinaryError(UndecodableTermError):
    """A BIT_BINARY_EXT (a bitstring that is not whole bytes): AtomVM has no such terms and
    its decoder no such tag."""


def _big(d: _Decoder, n: int) -> int:
    """A bignum of ``n`` bytes; wider than AtomVM's 256 bits it is not a term AtomVM decodes
    (external_term.c), so ``binary_to_term`` fails with badarg."""
    if n > INT_BITS // 8:
        raise WideIntegerError(f"integer of {n} bytes: wider than {INT_BITS} bits")
    sign = d.u8()
    value = int.from_bytes(d.take(n), "little")
    return -value if sign else value


def _tuple(d: _Decoder, n: int) -> tuple:
    d.count(n)
    return tuple([d.term() for _ in range(n)])


def _list(d: _Decoder) -> Any:
    n = d.count(d.u32())
    items = [d.term() for _ in range(n)]
    tail = d.term()
    return from_list(items, tail)


def _string(d: _Decoder) -> Any:
    return from_list(list(d.take(d.u16())))


def _bit_binary(d: _Decoder) -> Any:
    n = d.u32()
    bits = d.u8()
    d.take(n)
    if n and not 1 <= bits <= 8:
        raise ValueError(f"bit binary with {bits} bits in its last byte")
    raise BitBinaryError(f"bit binary of {n} bytes: AtomVM decodes no BIT_BINARY_EXT")


def _map(d: _Decoder) -> Map:
    n = d.count(d.u32())
    pairs = []
    for _ in range(n):
        k = d.term()
        pairs.append((k, d.term()))
    return Map.from_pairs(pairs)


def _pid(d: _Decoder, creation_bytes: int) -> Pid | ExtPid:
    node = d.atom_term()
    number = d.u32()
    serial = d.u32()
    creation = int.from_bytes(d.take(creation_bytes), "big")
    if node is LOCAL_NODE:
        if serial or creation:
            raise ValueError("a nonode@nohost pid with a serial or a creation")
        return Pid(number)
    if d.is_local(node, creation):
        return Pid(number)
    return ExtPid(node, number, serial, creation)


def _port(d: _Decoder, id_bytes: int, creation_bytes: int) -> Port | ExtPort:
    node = d.atom_term()
    number = int.from_bytes(d.take(id_bytes), "big")
    creation = int.from_bytes(d.take(creation_bytes), "big")
    if node is LOCAL_NODE:
        if creation:
            raise ValueError("a nonode@nohost port with a creation")
        return Port(number)
    if d.is_local(node, creation):
        return Port(number)
    return ExtPort(node, number, creation)


def _ref(d: _Decoder, creation_bytes: int) -> Ref | ExtRef:
    n = d.u16()
    if n > MAX_REF_WORDS:
        raise ValueError(f"reference of {n} words")
    node = d.atom_term()
    creation = int.from_bytes(d.take(creation_bytes), "big")
    words = tuple(d.u32() for _ in range(d.count(n)))
    this_node, this_creation = d.local or (LOCAL_NODE, 0)
    if node is this_node and creation == this_creation:
        if len(words) == 2:      # an ordinary reference: 64 ticks, high word first
            return Ref(words[0] << 32 | words[1])
        if len(words) == 4 and d.resources is not None:
            return d.resources.find(words)
    elif node is LOCAL_NODE and len(words) == 2 and not creation:
        return Ref(words[0] << 32 | words[1])
    return ExtRef(node, words, creation)


def _old_ref(d: _Decoder) -> Ref:
    d.atom_term()
    ref_id = d.u32()
    d.u8()
    return Ref(ref_id)


def _export(d: _Decoder) -> ExtFun:
    module = d.atom_term()
    function = d.atom_term()
    arity = d.int_term()
    return ExtFun(module, function, arity)


def _new_fun(d: _Decoder) -> Any:
    start = d.pos
    size = d.u32()
    arity = d.u8()
    d.take(16)  # uniq: the MD5 of the module's code, which AtomVM neither writes nor checks
    index = d.u32()
    num_free = d.count(d.u32())
    module = d.atom_term()
    old_index = d.int_term()
    old_uniq = d.int_term()
    d.term()  # creator pid
    free = tuple(d.term() for _ in range(num_free))
    if d.pos - start != size:
        raise ValueError("fun size field does not match its contents")
    if d.resolver is None:
        raise ValueError(f"local fun of module {module.name} cannot be decoded here")
    return d.resolver(module, index, arity, old_index, old_uniq, free)




def _compressed(d: _Decoder) -> Any:
    size = d.u32()
    inflater = zlib.decompressobj()
    try:
        inner = inflater.decompress(d.data[d.pos:])
    except zlib.error as exc:
        raise ValueError(f"compressed term does not inflate: {exc}") from exc
    if not inflater.eof:
        raise ValueError("compressed term is truncated")
    if len(inner) != size:
        raise ValueError(f"compressed term inflates to {len(inner)} bytes, not {size}")
    d.pos = len(d.data) - len(inflater.unused_data)
    return _Decoder(inner, 0, d.resolver, d.local, d.resources).term()


def _float_text(d: _Decoder) -> float:
    text = d.take(31).split(b"\0", 1)[0]
    try:
        return float(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError("FLOAT_EXT holds no valid number") from exc


_DECODERS: dict[int, Callable[[_Decoder], Any]] = {
    SMALL_INTEGER_EXT: lambda d: d.u8(),
    INTEGER_EXT: lambda d: d.i32(),
    SMALL_BIG_EXT: lambda d: _big(d, d.u8()),
    LARGE_BIG_EXT: lambda d: _big(d, d.count(d.u32())),
    NEW_FLOAT_EXT: lambda d: struct.unpack(">d", d.take(8))[0],
    FLOAT_EXT: _float_text,
    ATOM_EXT: lambda d: _atom_text(d, d.u16(), "latin-1"),
    SMALL_ATOM_EXT: lambda d: _atom_text(d, d.u8(), "latin-1"),
    ATOM_UTF8_EXT: lambda d: _atom_text(d, d.u16(), "utf-8"),
    SMALL_ATOM_UTF8_EXT: lambda d: _atom_text(d, d.u8(), "utf-8"),
    SMALL_TUPLE_EXT: lambda d: _tuple(d, d.u8()),
    LARGE_TUPLE_EXT: lambda d: _tuple(d, d.u32()),
    NIL_EXT: lambda d: NIL,
    STRING_EXT: _string,
    LIST_EXT: _list,
    BINARY_EXT: lambda d: d.take(d.u32()),
    BIT_BINARY_EXT: _bit_binary,
    MAP_EXT: _map,
    PID_EXT: lambda d: _pid(d, 1),
    NEW_PID_EXT: lambda d: _pid(d, 4),
    PORT_EXT: lambda d: _port(d, 4, 1),
    NEW_PORT_EXT: lambda d: _port(d, 4, 4),
    V4_PORT_EXT: lambda d: _port(d, 8, 4),
    REFERENCE_EXT: _old_ref,
    NEW_REFERENCE_EXT: lambda d: _ref(d, 1),
    NEWER_REFERENCE_EXT: lambda d: _ref(d, 4),
    EXPORT_EXT: _export,
    NEW_FUN_EXT: _new_fun,
    COMPRESSED: _compressed,
}


NESTING_FRAMES = 100_000
"""Python frames the encoder and decoder may use: a term nested thousands deep (a list of
lists, as JSON decoders build) is coded as on the device. CPython 3.11 keeps Python calls off
the C stack, so a high limit costs nothing until it is used."""


@contextmanager
def _deep_terms() -> Iterator[None]:
    """Raise the recursion limit for one encode or decode (nested terms recurse)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, NESTING_FRAMES))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def decode_ext_used(data: bytes, origin: str = "", resolver: FunResolver | None = None,
                    local: NodeId | None = None, start: int = 0,
                    resources: Resources | None = None) -> tuple[Any, int]:
    """Decode the term at ``start`` of ``data``; return it and the offset just past it
    (``binary_to_term(B, [used])`` when ``start`` is 0; a distribution packet holds several
    terms one after another). ``local`` is this node's identity while it is alive.
    Raises ValueError naming ``origin`` on bad data."""
    where = f"{origin}: " if origin else ""
    if len(data) <= start or data[start] != VERSION:
        raise ValueError(f"{where}external term does not start with version byte 131")
    d = _Decoder(bytes(data), start + 1, resolver, local, resources)
    try:
        with _deep_terms():
            term = d.term()
    except RecursionError:
        raise ValueError(f"{where}external term nested too deeply") from None
    except ValueError as exc:
        raise exc.__class__(f"{where}{exc}") from None
    return term, d.pos


def decode_ext(data: bytes, origin: str = "", resolver: FunResolver | None = None,
               local: NodeId | None = None) -> Any:
    """Decode one external-format term (trailing bytes are ignored, as OTP does).

    ``resolver`` turns local funs (NEW_FUN_EXT) into terms; without it they are an error,
    which is right for literal tables (the compiler never puts local funs there).
    """
    return decode_ext_used(data, origin, resolver, local)[0]


# ============================================================================ encoding

class _Encoder:
    """Appends the encoding of terms to one buffer; options fixed per call."""

    def __init__(self, minor_version: int, local: NodeId | None,
                 resources: Resources | None = None) -> None:
        self.out = bytearray()
        self.minor_version = minor_version
        self.node, self.creation = local if local is not None else (LOCAL_NODE, 0)
        self.resources = resources

    def term(self, t: Any) -> None:
        handler = _ENCODERS.get(t.__class__)
        if handler is None:
            raise ValueError(f"cannot encode {t!r} in the external term format")
        handler(self, t)

    def u8(self, n: int) -> None:
        self.out.append(n)

    def u16(self, n: int) -> None:
        self.out += n.to_bytes(2, "big")

    def u32(self, n: int) -> None:
        self.out += n.to_bytes(4, "big")

    def atom(self, a: Atom) -> None:
        name = a.name
        if self.minor_version < 2 and all(ord(c) < 256 for c in name):
            # OTP 25 without minor_version 2: latin-1 atoms keep the old ATOM_EXT tag.
            raw = name.encode("latin-1")
            self.u8(ATOM_EXT)
            self.u16(len(raw))
        else:
            raw = name.encode("utf-8")
            if len(raw) < 256:
                self.u8(SMALL_ATOM_UTF8_EXT)
                self.u8(len(raw))
            else:
                self.u8(ATOM_UTF8_EXT)
                self.u16(len(raw))
        self.out += raw


def _enc_int(e: _Encoder, n: int) -> None:
    if 0 <= n <= 255:
        e.u8(SMALL_INTEGER_EXT)
        e.u8(n)
    elif -(1 << 31) <= n < (1 << 31):
        e.u8(INTEGER_EXT)
        e.out += n.to_bytes(4, "big", signed=True)
    else:
        magnitude = abs(n)
        digits = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "little")
        if len(digits) < 256:
            e.u8(SMALL_BIG_EXT)
            e.u8(len(digits))
        else:
            e.u8(LARGE_BIG_EXT)
            e.u32(len(digits))
        e.u8(1 if n < 0 else 0)
        e.out += digits


def _enc_float(e: _Encoder, f: float) -> None:
    if e.minor_version == 0:
        e.u8(FLOAT_EXT)
        e.out += ("%.20e" % f).encode("ascii").ljust(31, b"\0")
    else:
        e.u8(NEW_FLOAT_EXT)
        e.out += struct.pack(">d", f)


def _enc_tuple(e: _Encoder, t: tuple) -> None:
    if len(t) < 256:
        e.u8(SMALL_TUPLE_EXT)
        e.u8(len(t))
    else:
        e.u8(LARGE_TUPLE_EXT)
        e.u32(len(t))
    for item in t:
        e.term(item)


def _enc_list(e: _Encoder, t: Cons) -> None:
    items = []
    while t.__class__ is Cons:
        items.append(t.hd)
        t = t.tl
    if t is NIL and len(items) < 65536 and all(
            i.__class__ is int and 0 <= i <= 255 for i in items):
        e.u8(STRING_EXT)
        e.u16(len(items))
        e.out += bytes(items)
        return
    e.u8(LIST_EXT)
    e.u32(len(items))
    for item in items:
        e.term(item)
    e.term(t)


def _enc_binary(e: _Encoder, b: bytes) -> None:
    e.u8(BINARY_EXT)
    e.u32(len(b))
    e.out += b


def _enc_bits(e: _Encoder, b: BitStr) -> None:
    e.u8(BIT_BINARY_EXT)
    e.u32(len(b.data))
    e.u8(b.bits & 7 or 8)
    e.out += b.data


def _enc_map(e: _Encoder, m: Map) -> None:
    e.u8(MAP_EXT)
    e.u32(len(m))
    for k, v in m.items():
        e.term(k)
        e.term(v)


def _pid_ext(e: _Encoder, node: Atom, number: int, serial: int, creation: int) -> None:
    e.u8(NEW_PID_EXT)
    e.atom(node)
    e.u32(number)
    e.u32(serial)
    e.u32(creation)


def _port_ext(e: _Encoder, node: Atom, number: int, creation: int) -> None:
    """V4_PORT_EXT (a 64-bit number), which AtomVM always writes (OTP 25: NEW_PORT_EXT while
    the number fits 32 bits)."""
    e.u8(V4_PORT_EXT)
    e.atom(node)
    e.out += number.to_bytes(8, "big")
    e.u32(creation)


def _ref_ext(e: _Encoder, node: Atom, words: tuple[int, ...] | list[int], creation: int) -> None:
    e.u8(NEWER_REFERENCE_EXT)
    e.u16(len(words))
    e.atom(node)
    e.u32(creation)
    for w in words:
        e.u32(w)


def _enc_pid(e: _Encoder, p: Pid) -> None:
    # serial: 0 for every pid avmsim makes
    _pid_ext(e, e.node, p.id & 0xFFFFFFFF, (p.id >> 32) & 0xFFFFFFFF, e.creation)


def _enc_ref(e: _Encoder, r: Ref) -> None:
    """As AtomVM: a resource as four words (:class:`Resources`), any other local reference
    as its 64-bit tick count in two words, high word first."""
    words = e.resources.words(r) if e.resources is not None else None
    if words is None:
        words = (r.id >> 32 & 0xFFFFFFFF, r.id & 0xFFFFFFFF)
    _ref_ext(e, e.node, words, e.creation)


def _enc_ext_fun(e: _Encoder, f: ExtFun) -> None:
    e.u8(EXPORT_EXT)
    e.atom(f.module)
    e.atom(f.function)
    _enc_int(e, f.arity)


def _enc_local_fun(e: _Encoder, f: Fun) -> None:
    """NEW_FUN_EXT as AtomVM writes it (external_term.c): OTP's 16-byte uniq, the MD5 of the
    module's code, is zeros; old index and old uniq come from the FunT entry; the creator
    pid is <0.0.0>."""
    entry = fun_entry(f)
    e.u8(NEW_FUN_EXT)
    size_at = len(e.out)
    e.u32(0)
    e.u8(f.arity)
    e.out += bytes(16)
    e.u32(f.index)
    e.u32(len(f.free))
    e.atom(f.module.name)
    _enc_int(e, entry.index if entry is not None else f.index)
    _enc_int(e, entry.old_uniq if entry is not None else 0)
    _enc_pid(e, Pid(0))
    for v in f.free:
        e.term(v)
    e.out[size_at:size_at + 4] = (len(e.out) - size_at).to_bytes(4, "big")


_ENCODERS: dict[type, Callable[[_Encoder, Any], None]] = {
    int: _enc_int,
    float: _enc_float,
    Atom: lambda e, a: e.atom(a),
    tuple: _enc_tuple,
    Nil: lambda e, _: e.u8(NIL_EXT),
    Cons: _enc_list,
    bytes: _enc_binary,
    BitStr: _enc_bits,
    Map: _enc_map,
    Pid: _enc_pid,
    Port: lambda e, p: _port_ext(e, e.node, p.id, e.creation),
    Ref: _enc_ref,
    ExtPid: lambda e, p: _pid_ext(e, p.node, p.number, p.serial, p.creation),
    ExtPort: lambda e, p: _port_ext(e, p.node, p.number, p.creation),
    ExtRef: lambda e, r: _ref_ext(e, r.node, r.words, r.creation),
    ExtFun: _enc_ext_fun,
    Fun: _enc_local_fun,
}


def encode_ext(term: Any, minor_version: int = 2, compressed: int = 0,
               local: NodeId | None = None, resources: Resources | None = None) -> bytes:
    """``term_to_binary(Term, [{minor_version, V}, {compressed, Level}])`` as OTP 25 writes it.

    ``local`` is this node's identity while it is alive: local pids, ports and references are
    then written as that node's.

    ``minor_version`` 2 writes atoms as UTF-8 (SMALL_)ATOM_UTF8_EXT, 1 (OTP 25's default)
    keeps ATOM_EXT for Latin-1 atoms, 0 also writes floats as text. ``compressed`` is a zlib
    level (0 = off); like OTP, the compressed form is used only when it is not larger.
    """
    if minor_version not in (0, 1, 2):
        raise ValueError(f"minor_version must be 0, 1 or 2, not {minor_version}")
    e = _Encoder(minor_version, local, resources)
    try:
        with _deep_terms():
            e.term(term)
    except RecursionError:
        raise ValueError("term nested too deeply to encode") from None
    body = bytes(e.out)
    if compressed:
        packed = zlib.compress(body, compressed)
        if len(packed) <= len(body) - 5:
            return bytes([VERSION, COMPRESSED]) + len(body).to_bytes(4, "big") + packed
    return bytes([VERSION]) + body
