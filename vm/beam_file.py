"""BEAM module files: the IFF container, its chunks, and the Code chunk decoded once.

A BEAM file is ``FOR1 <size> BEAM`` followed by chunks ``<id:4> <size:32> <data> <pad to 4>``.
:func:`parse_beam` reads every chunk the VM needs into a :class:`BeamModule`, decoding the
code into :class:`~.operands.Instr` objects whose operands follow the table in
``vm/operands.py``. Anything malformed raises :class:`~.errors.BadBeamError` with one plain
message naming the file and, once known, the module: the loader reports it to the user as is,
so no IndexError or struct.error may escape from here.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, NoReturn

from . import literal_binaries
from .errors import BadBeamError, UnsupportedOpcodeError
from .ext_term import UndecodableTermError, decode_ext
from .opcodes import OBSOLETE, OPCODES
from .operands import FR, Alloc, Const, Instr, Label, UndecodableLiteral, X, Y
from .terms import NIL, Atom, atom

# Compact term tags (low three bits of the first byte).
TAG_U, TAG_I, TAG_A, TAG_X, TAG_Y, TAG_F, TAG_H, TAG_Z = range(8)

INT_CODE_END = 3
FUNC_INFO = 2

MAX_INDEX_BYTES = 32
"""Longest compact value accepted for a tag other than integer (indexes, counts, registers,
labels): far beyond any real one, and short enough for every error message to print it."""

_OBSOLETE_ADVICE: dict[int, str] = {
    149: "-on_load is not supported by AtomVM; remove the -on_load attribute",
}
"""Why an obsolete opcode is refused, where "recompile with a newer OTP" would not help."""


@dataclass
class FunEntry:
    """One FunT entry: the code of a fun and what a closure over it captures."""
    function: Atom
    arity: int
    label: int
    index: int
    num_free: int
    old_uniq: int


@dataclass
class BeamModule:
    name: Atom
    atoms: list[Atom]          # atoms[0] is atom index 1 of the file (the module name)
    instructions: list[Instr]  # whole Code chunk decoded in order
    label_count: int
    function_count: int
    exports: list[tuple[Atom, int, int]]   # (function, arity, label)
    locals: list[tuple[Atom, int, int]]
    imports: list[tuple[Atom, Atom, int]]  # (module, function, arity)
    literals: list[Any]        # decoded terms
    funs: list[FunEntry]
    strings: bytes
    line_refs: list[tuple[int, int]]       # index 0 = no location; (file index, line)
    files: list[str]                       # files[0] is the module's own <name>.erl
    chunks: dict[str, bytes]
    origin: str
    line_instr_count: int = 0              # `line` instructions, from the Line chunk header
    code_size: int = 0                     # bytes of the Code chunk
    chunk_order: list[str] = field(default_factory=list)


class _Fail:
    """Builds the one-line error message: ``<origin>: <module>: <what>``."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.module: str | None = None
        self.decoding: _CodeDecoder | None = None  # while the Code chunk is decoded

    def text(self, what: str) -> str:
        where = self.origin or "<beam>"
        if self.module is not None:
            where += f" (module {self.module})"
        decoder = self.decoding
        if decoder is not None:
            where += f", {decoder.function}"
            if decoder.current is not None:
                where += f", instruction {decoder.current}"
        return f"{where}: {what}"

    def __call__(self, what: str) -> NoReturn:
        raise BadBeamError(self.text(what))


class _Cursor:
    """Bounds-checked reader over one chunk, decoding fixed ints and compact terms."""

    def __init__(self, data: bytes, fail: _Fail, what: str, pos: int = 0) -> None:
        self.data = data
        self.pos = pos
        self.fail = fail
        self.what = what

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            self.fail(f"{self.what} chunk is truncated (needs {end} bytes, has "
                      f"{len(self.data)})")
        out = self.data[self.pos:end]
        self.pos = end
        return out

    def u8(self) -> int:
        if self.pos >= len(self.data):
            self.fail(f"{self.what} chunk is truncated at byte {self.pos}")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def u16(self) -> int:
        return int.from_bytes(self.take(2), "big")

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def i32(self) -> int:
        return int.from_bytes(self.take(4), "big", signed=True)

    def compact(self) -> tuple[int, int]:
        """One compact-encoded value: (tag, value). Values up to 15 fit in the tag byte,
        up to 2047 in two bytes; longer ones give their byte count (itself compact when
        over 8 bytes). Only the integer tag is two's complement."""
        b = self.u8()
        tag = b & 7
        if not b & 0x08:
            return tag, b >> 4
        if not b & 0x10:
            return tag, ((b >> 5) << 8) | self.u8()
        n = b >> 5
        if n == 7:
            len_tag, extra = self.compact()
            if len_tag != TAG_U:
                self.fail(f"bad compact length tag {len_tag} at byte {self.pos}")
            if tag != TAG_I and extra + 9 > MAX_INDEX_BYTES:
                self.fail(f"compact value of {extra + 9} bytes with tag {tag} at byte "
                          f"{self.pos}")
            n = extra + 9
        else:
            n += 2
        return tag, int.from_bytes(self.take(n), "big", signed=(tag == TAG_I))

    def compact_u(self) -> int:
        tag, value = self.compact()
        if tag != TAG_U:
            self.fail(f"expected an unsigned compact value, got tag {tag} at byte {self.pos}")
        return value


# ============================================================================ IFF

def iff_chunks(data: bytes, origin: str) -> list[tuple[str, bytes]]:
    """The chunks of a BEAM file in file order, as (id, data) without padding."""
    fail = _Fail(origin)
    if len(data) < 12:
        fail(f"not a BEAM file (only {len(data)} bytes)")
    if data[:4] != b"FOR1" or data[8:12] != b"BEAM":
        fail("not a BEAM file (no FOR1/BEAM header)")
    form_size = int.from_bytes(data[4:8], "big")
    end = 8 + form_size
    if end > len(data):
        fail(f"file is truncated: header says {end} bytes, file has {len(data)}")
    chunks: list[tuple[str, bytes]] = []
    pos = 12
    while pos < end:
        if pos + 8 > end:
            fail(f"chunk header at byte {pos} is truncated")
        raw_id = data[pos:pos + 4]
        size = int.from_bytes(data[pos + 4:pos + 8], "big")
        try:
            chunk_id = raw_id.decode("ascii")
        except UnicodeDecodeError:
            fail(f"bad chunk id {raw_id!r} at byte {pos}")
        if not chunk_id.isprintable():
            fail(f"bad chunk id {raw_id!r} at byte {pos}")
        body = pos + 8
        if body + size > end:
            fail(f"chunk {chunk_id} ({size} bytes at byte {body}) runs past the end "
                 f"of the file ({end} bytes)")
        chunks.append((chunk_id, bytes(data[body:body + size])))
        pos = body + ((size + 3) & ~3)
    return chunks


def build_iff(chunks: list[tuple[str, bytes]]) -> bytes:
    """A BEAM file holding ``chunks`` in order, each padded to 4 bytes (as beam_lib does)."""
    body = bytearray(b"BEAM")
    for chunk_id, data in chunks:
        body += chunk_id.encode("ascii") + len(data).to_bytes(4, "big") + data
        body += bytes(-len(data) & 3)
    return b"FOR1" + len(body).to_bytes(4, "big") + bytes(body)


# ============================================================================ tables

def _decode_atoms(data: bytes, encoding: str, fail: _Fail) -> list[Atom]:
    c = _Cursor(data, fail, "atom")
    count = c.i32()
    # OTP 28 marks atom tables with compact-encoded lengths by a negative count.
    read_len: Callable[[], int] = c.u8 if count >= 0 else c.compact_u
    count = abs(count)
    if count > len(data):
        fail(f"atom chunk claims {count} atoms in {len(data)} bytes")
    names = []
    for _ in range(count):
        raw = c.take(read_len())
        try:
            names.append(atom(raw.decode(encoding)))
        except UnicodeDecodeError:
            fail(f"atom {len(names) + 1} is not valid {encoding}")
    if not names:
        fail("atom table is empty (no module name)")
    return names


def _read_atoms(chunks: dict[str, bytes], fail: _Fail) -> list[Atom]:
    if "AtU8" in chunks:
        return _decode_atoms(chunks["AtU8"], "utf-8", fail)
    if "Atom" in chunks:
        return _decode_atoms(chunks["Atom"], "latin-1", fail)
    fail("no atom chunk (AtU8)")


class _Atoms:
    """1-based atom lookup with a clear error for indexes past the table."""

    def __init__(self, atoms: list[Atom], fail: _Fail) -> None:
        self.atoms = atoms
        self.fail = fail

    def __call__(self, index: int, where: str) -> Atom:
        if not 1 <= index <= len(self.atoms):
            self.fail(f"{where}: atom index {index} out of range 1..{len(self.atoms)}")
        return self.atoms[index - 1]


def _triples(chunks: dict[str, bytes], chunk_id: str, fail: _Fail) -> list[tuple[int, int, int]]:
    data = chunks.get(chunk_id)
    if data is None:
        return []
    c = _Cursor(data, fail, chunk_id)
    count = c.u32()
    if count * 12 > len(data) - 4:
        fail(f"{chunk_id} chunk claims {count} entries in {len(data)} bytes")
    return [(c.u32(), c.u32(), c.u32()) for _ in range(count)]


def _function_table(chunks: dict[str, bytes], chunk_id: str, atoms: _Atoms,
                    fail: _Fail) -> list[tuple[Atom, int, int]]:
    return [(atoms(f, chunk_id), arity, label)
            for f, arity, label in _triples(chunks, chunk_id, fail)]


def _imports(chunks: dict[str, bytes], atoms: _Atoms, fail: _Fail) -> list[tuple[Atom, Atom, int]]:
    return [(atoms(m, "ImpT"), atoms(f, "ImpT"), arity)
            for m, f, arity in _triples(chunks, "ImpT", fail)]


def _funs(chunks: dict[str, bytes], atoms: _Atoms, fail: _Fail) -> list[FunEntry]:
    data = chunks.get("FunT")
    if data is None:
        return []
    c = _Cursor(data, fail, "FunT")
    count = c.u32()
    if count * 24 > len(data) - 4:
        fail(f"FunT chunk claims {count} entries in {len(data)} bytes")
    out = []
    for _ in range(count):
        f, arity, label, index, num_free, old_uniq = (c.u32() for _ in range(6))
        out.append(FunEntry(atoms(f, "FunT"), arity, label, index, num_free, old_uniq))
    return out


def _literal_table_bytes(chunks: dict[str, bytes], fail: _Fail) -> bytes | None:
    """The uncompressed literal table (count, then sized terms): LitU as is, or LitT
    inflated. A LitT whose size field is 0 holds the table uncompressed."""
    if "LitU" in chunks:
        return chunks["LitU"]
    data = chunks.get("LitT")
    if data is None:
        return None
    if len(data) < 4:
        fail("LitT chunk is truncated")
    size = int.from_bytes(data[:4], "big")
    if size == 0:
        return data[4:]
    try:
        raw = zlib.decompress(data[4:])
    except zlib.error as exc:
        fail(f"LitT chunk does not inflate ({exc})")
    if len(raw) != size:
        fail(f"LitT chunk inflates to {len(raw)} bytes, header says {size}")
    return raw


def inflate_literals(chunks: dict[str, bytes], origin: str) -> bytes | None:
    """The module's literal table uncompressed (LitU content), or None if it has none."""
    return _literal_table_bytes(chunks, _Fail(origin))


def _literals(chunks: dict[str, bytes], fail: _Fail) -> list[Any]:
    """The decoded literal table; each binary in it is registered as a literal
    (``literal_binaries``: AtomVM makes them const refc binaries). An integer too wide for
    AtomVM, or a bitstring that is not whole bytes, stays an :class:`UndecodableLiteral`: only
    its uses fail."""
    raw = _literal_table_bytes(chunks, fail)
    if raw is None:
        return []
    c = _Cursor(raw, fail, "literal")
    count = c.u32()
    if count * 5 > len(raw) - 4:
        fail(f"literal table claims {count} literals in {len(raw)} bytes")
    out = []
    for i in range(count):
        term_bytes = c.take(c.u32())
        try:
            term = decode_ext(term_bytes)
        except UndecodableTermError:
            out.append(UndecodableLiteral(i))
            continue
        except ValueError as exc:
            fail(f"literal {i} does not decode: {exc}")
        literal_binaries.register(term)
        out.append(term)
    return out


def _line_table(chunks: dict[str, bytes], module: Atom,
                fail: _Fail) -> tuple[list[tuple[int, int]], list[str], int]:
    """(line_refs, files, number of line instructions). ``line_refs[0]`` is the "no
    location" entry that ``line 0`` refers to; file index 0 is the module's own source,
    which OTP does not store, so ``files[0]`` is ``<module>.erl``."""
    files = [f"{module.name}.erl"]
    data = chunks.get("Line")
    if data is None:
        return [(0, 0)], files, 0
    c = _Cursor(data, fail, "Line")
    _version, _flags, instr_count, item_count, name_count = (c.u32() for _ in range(5))
    if item_count > len(data) or name_count > len(data):
        fail(f"Line chunk claims {item_count} items and {name_count} files "
             f"in {len(data)} bytes")
    refs = [(0, 0)]
    current_file = 0
    while len(refs) <= item_count:
        tag, value = c.compact()
        if tag == TAG_A:
            if value > name_count:
                fail(f"Line chunk refers to file {value} of {name_count}")
            current_file = value
        elif tag == TAG_I:
            if not 0 <= value < 1 << 32:
                fail(f"Line chunk has a line number out of range at byte {c.pos}")
            refs.append((current_file, value))
        else:
            fail(f"Line chunk has bad compact tag {tag} at byte {c.pos}")
    for _ in range(name_count):
        raw = c.take(c.u16())
        try:
            files.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            fail(f"Line chunk file name {len(files)} is not valid UTF-8")
    return refs, files, instr_count


# ============================================================================ code

class _CodeDecoder:
    """Decodes the Code chunk's instruction stream into Instr objects."""

    def __init__(self, cursor: _Cursor, atoms: list[Atom], literals: list[Any],
                 fail: _Fail, origin: str) -> None:
        self.c = cursor
        self.atoms = atoms
        self.literals = literals
        self.fail = fail
        self.origin = origin
        self.function = "before the first function"   # for error messages
        self.current: str | None = None               # the instruction being decoded
        self._tags: dict[int, Callable[[int], Any]] = {
            TAG_U: lambda v: v,
            TAG_I: Const,
            TAG_A: self._atom,
            TAG_X: X,
            TAG_Y: Y,
            TAG_F: Label,
            TAG_H: Const,
            TAG_Z: self._extended,
        }
        self._extended_kinds: dict[int, Callable[[], Any]] = {
            0: self._float,
            1: self._list,
            2: lambda: FR(self.c.compact_u()),
            3: self._alloc,
            4: self._literal,
            5: self._typed_register,
        }

    def operand(self) -> Any:
        tag, value = self.c.compact()
        return self._tags[tag](value)

    def _atom(self, index: int) -> Const:
        if index == 0:
            return Const(NIL)
        if index > len(self.atoms):
            self.fail(f"code refers to atom {index}, table has {len(self.atoms)}")
        return Const(self.atoms[index - 1])

    def _extended(self, kind: int) -> Any:
        handler = self._extended_kinds.get(kind)
        if handler is None:
            self.fail(f"bad extended compact tag {kind} at byte {self.c.pos}")
        return handler()

    def _float(self) -> Const:
        return Const(struct.unpack(">d", self.c.take(8))[0])

    def _list(self) -> list:
        n = self.c.compact_u()
        if n > len(self.c.data) - self.c.pos:
            self.fail(f"extended list of {n} items runs past the end of the code")
        return [self.operand() for _ in range(n)]

    def _alloc(self) -> Alloc:
        counts = [0, 0, 0]
        for _ in range(self.c.compact_u()):
            kind = self.c.compact_u()
            amount = self.c.compact_u()
            if kind > 2:
                self.fail(f"allocation list has unknown kind {kind}")
            counts[kind] += amount
        return Alloc(*counts)

    def _literal(self) -> Const:
        index = self.c.compact_u()
        if index >= len(self.literals):
            self.fail(f"code refers to literal {index}, table has {len(self.literals)}")
        return Const(self.literals[index])

    def _typed_register(self) -> X | Y:
        reg = self.operand()
        type_index = self.c.compact_u()
        if reg.__class__ is X:
            return X(reg.n, type_index)
        if reg.__class__ is Y:
            return Y(reg.n, type_index)
        self.fail(f"typed register operand holds a {reg.__class__.__name__} operand, not a "
                  "register")

    def instructions(self) -> list[Instr]:
        out: list[Instr] = []
        c = self.c
        self.fail.decoding = self  # errors name the function and instruction being decoded
        while not c.at_end():
            at = c.pos
            op = c.u8()
            spec = OPCODES.get(op)
            if spec is None:
                self.current = None
                raise UnsupportedOpcodeError(self.fail.text(
                    f"unknown opcode {op} at code byte {at} (compiled by a newer OTP than "
                    f"this VM supports?)"))
            name, arity = spec
            if op in OBSOLETE:
                self.current = None
                advice = _OBSOLETE_ADVICE.get(op, "recompile the module with a newer OTP")
                raise UnsupportedOpcodeError(self.fail.text(
                    f"obsolete opcode {op} ({name}) at code byte {at}: {advice}"))
            self.current = name
            ins = Instr(name, op, tuple([self.operand() for _ in range(arity)]))
            out.append(ins)
            if op == FUNC_INFO:
                self.function = _function_of(ins)
            if op == INT_CODE_END:
                self.fail.decoding = None
                return out
        self.fail("Code chunk ends without int_code_end")


def _function_of(func_info: Instr) -> str:
    """``function f/N`` for error messages, from a func_info instruction (maybe corrupt)."""
    _m, f, a = func_info.args
    if f.__class__ is Const and f.term.__class__ is Atom and a.__class__ is int:
        return f"function {f.term.name}/{a}"
    return "a function"


def _code_header(data: bytes, fail: _Fail) -> tuple[int, int, int, int]:
    """(start of the instructions, opcode_max, label count, function count)."""
    c = _Cursor(data, fail, "Code")
    sub_size = c.u32()
    if sub_size < 16 or 4 + sub_size > len(data):
        fail(f"Code chunk header size {sub_size} is invalid")
    instruction_set = c.u32()
    if instruction_set != 0:
        fail(f"instruction set version {instruction_set} is not supported (expected 0)")
    opcode_max, labels, functions = c.u32(), c.u32(), c.u32()
    return 4 + sub_size, opcode_max, labels, functions


# ============================================================================ module

def _first_of_each(chunk_list: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """Chunks by id; a repeated id keeps its first occurrence, as OTP's loader does."""
    chunks: dict[str, bytes] = {}
    for chunk_id, body in chunk_list:
        chunks.setdefault(chunk_id, body)
    return chunks


def parse_beam(data: bytes, origin: str) -> BeamModule:
    """Parse and decode a whole BEAM file. ``origin`` names it in error messages."""
    fail = _Fail(origin)
    chunk_list = iff_chunks(data, origin)
    chunks = _first_of_each(chunk_list)
    atoms = _read_atoms(chunks, fail)
    name = atoms[0]
    fail.module = name.name
    if "Code" not in chunks:
        fail("no Code chunk")
    lookup = _Atoms(atoms, fail)
    literals = _literals(chunks, fail)
    code = chunks["Code"]
    start, _opcode_max, label_count, function_count = _code_header(code, fail)
    decoder = _CodeDecoder(_Cursor(code, fail, "Code", start), atoms, literals, fail, origin)
    instructions = decoder.instructions()
    line_refs, files, line_instrs = _line_table(chunks, name, fail)
    return BeamModule(
        name=name,
        atoms=atoms,
        instructions=instructions,
        label_count=label_count,
        function_count=function_count,
        exports=_function_table(chunks, "ExpT", lookup, fail),
        locals=_function_table(chunks, "LocT", lookup, fail),
        imports=_imports(chunks, lookup, fail),
        literals=literals,
        funs=_funs(chunks, lookup, fail),
        strings=chunks.get("StrT", b""),
        line_refs=line_refs,
        files=files,
        chunks=chunks,
        origin=origin,
        line_instr_count=line_instrs,
        code_size=len(code),
        chunk_order=[chunk_id for chunk_id, _ in chunk_list],
    )


def beam_name_and_exports(data: bytes, origin: str) -> tuple[Atom, list[tuple[Atom, int, int]]]:
    """Module name and export table only, without decoding code: what a packer needs
    (it must not reject a module for code it never runs)."""
    fail = _Fail(origin)
    chunks = _first_of_each(iff_chunks(data, origin))
    atoms = _read_atoms(chunks, fail)
    fail.module = atoms[0].name
    return atoms[0], _function_table(chunks, "ExpT", _Atoms(atoms, fail), fail)
