"""AtomVM ``.avm`` packs, read and written byte-compatibly with PackBEAM.

Layout (facts page, section 1; all integers 32-bit big-endian)::

    "#!/usr/bin/env AtomVM\\n" 0 0                      24-byte header
    size flags 0 name NUL <zero pad>  data <zero pad>   one section per module or file
    0 0 0 "end" NUL                                     16-byte end section

``size`` counts the whole section; the name is padded so the header is a multiple of 4
bytes, and so is the data. Module sections hold a BEAM file stripped to the chunks the VM
reads; data sections hold a 4-byte length followed by the file's bytes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

from .beam_file import beam_name_and_exports, build_iff, iff_chunks, inflate_literals
from .errors import BadPackError, NoStartModuleError

PACK_HEADER = b"#!/usr/bin/env AtomVM\n\x00\x00"

BEAM_START = 1
BEAM_CODE = 2
DATA_FILE = 4

FLAG_NAMES: dict[int, str] = {BEAM_START: "BEAM_START", BEAM_CODE: "BEAM_CODE",
                              DATA_FILE: "DATA_FILE"}

END_SECTION_NAME = "end"

ELIXIR_PREFIX = "Elixir."
"""How the names of modules compiled from Elixir start (``Elixir.Foo.Bar``)."""

KEPT_CHUNKS: frozenset[str] = frozenset((
    "AtU8", "Code", "ExpT", "LocT", "ImpT", "LitU", "FunT", "StrT", "LitT", "avmN", "Type",
    "Recs"))
"""Chunks PackBEAM keeps (besides Line, kept unless told not to); the rest (debug info,
attributes, compile info, docs) is never read by AtomVM and would only waste flash."""


@dataclass
class PackSection:
    """One section of a pack. ``data`` is the payload without the trailing padding:
    a whole BEAM file for module sections, length prefix plus bytes for data files.
    ``offset`` is where the payload starts in the pack (0 for sections not read from one),
    ``size`` the section's size field."""
    name: str
    flags: int
    data: bytes
    offset: int = 0
    size: int = 0

    @property
    def is_beam(self) -> bool:
        return bool(self.flags & BEAM_CODE)

    @property
    def is_start(self) -> bool:
        return bool(self.flags & BEAM_START)


def flag_words(flags: int) -> str:
    """``3`` -> ``BEAM_START|BEAM_CODE``; unknown bits shown in hex, no flags as ``-``."""
    words = [name for bit, name in FLAG_NAMES.items() if flags & bit]
    rest = flags & ~sum(FLAG_NAMES)
    if rest:
        words.append(hex(rest))
    return "|".join(words) or "-"


def _pad4(n: int) -> int:
    return (n + 3) & ~3


def section_header_size(name: str) -> int:
    """Bytes of a section header with its name, NUL and padding."""
    return _pad4(12 + len(name.encode("utf-8")) + 1)


def priv_data(section: PackSection) -> bytes:
    """The file contents of a data section (what ``atomvm:read_priv/2`` returns)."""
    return section.data[4:4 + int.from_bytes(section.data[:4], "big")]


# ============================================================================ reading

def _trim_payload(name: str, flags: int, payload: bytes, origin: str) -> bytes:
    """Cut the section padding off using the length the payload itself records."""
    if flags & (BEAM_CODE | BEAM_START):
        if len(payload) < 8 or payload[:4] != b"FOR1":
            raise BadPackError(f"{origin}: section {name} is flagged as a module but holds "
                               f"no BEAM file")
        length = 8 + int.from_bytes(payload[4:8], "big")
    elif flags & DATA_FILE:
        if len(payload) < 4:
            raise BadPackError(f"{origin}: data section {name} has no length prefix")
        length = 4 + int.from_bytes(payload[:4], "big")
    else:
        return payload
    if length > len(payload):
        raise BadPackError(f"{origin}: section {name} holds {length} bytes of content "
                           f"but has room for {len(payload)}")
    return payload[:length]


def read_pack(data: bytes, origin: str) -> list[PackSection]:
    """The sections of a pack, in order, without the end section.

    Checks everything the VM relies on: header, every size (whole multiples of 4, at least
    the header, inside the file), the payload lengths, and the end section. Bytes after the
    end section are ignored (a flash partition is larger than its pack).
    """
    if data[:len(PACK_HEADER)] != PACK_HEADER:
        raise BadPackError(f"{origin}: not an AtomVM pack (missing the "
                           f"'#!/usr/bin/env AtomVM' header)")
    sections: list[PackSection] = []
    pos = len(PACK_HEADER)
    while True:
        if pos + 12 > len(data):
            raise BadPackError(f"{origin}: truncated at byte {pos}: no end section")
        size = int.from_bytes(data[pos:pos + 4], "big")
        flags = int.from_bytes(data[pos + 4:pos + 8], "big")
        nul = data.find(b"\x00", pos + 12)
        if nul < 0:
            raise BadPackError(f"{origin}: section name at byte {pos + 12} is truncated")
        try:
            name = data[pos + 12:nul].decode("utf-8")
        except UnicodeDecodeError:
            raise BadPackError(f"{origin}: section name at byte {pos + 12} is not "
                               f"UTF-8") from None
        if size == 0:
            if name != END_SECTION_NAME:
                raise BadPackError(f"{origin}: section {name!r} at byte {pos} has size 0")
            return sections
        header = section_header_size(name)
        if size % 4 or size < header:
            raise BadPackError(f"{origin}: section {name} at byte {pos} has invalid size "
                               f"{size}")
        if pos + size > len(data):
            raise BadPackError(f"{origin}: section {name} at byte {pos} ({size} bytes) runs "
                               f"past the end of the pack ({len(data)} bytes)")
        payload = bytes(data[pos + header:pos + size])
        sections.append(PackSection(name, flags, _trim_payload(name, flags, payload, origin),
                                    pos + header, size))
        pos += size


# ============================================================================ writing

def _section_bytes(name: str, flags: int, payload: bytes) -> bytes:
    raw_name = name.encode("utf-8")
    header = section_header_size(name)
    size = header + _pad4(len(payload))
    out = bytearray(size.to_bytes(4, "big") + flags.to_bytes(4, "big") + bytes(4))
    out += raw_name + b"\x00"
    out += bytes(header - len(out))
    out += payload + bytes(-len(payload) & 3)
    return bytes(out)


def write_pack(sections: Iterable[PackSection]) -> bytes:
    """A pack of ``sections`` in order, closed by the end section."""
    out = bytearray(PACK_HEADER)
    for s in sections:
        if s.name == END_SECTION_NAME:
            raise ValueError("a section may not be called 'end'")
        out += _section_bytes(s.name, s.flags, s.data)
    out += (0).to_bytes(4, "big") * 3 + END_SECTION_NAME.encode() + b"\x00"
    return bytes(out)


def stripped_beam(data: bytes, include_lines: bool = True, origin: str = "<beam>") -> bytes:
    """``data`` with only the chunks AtomVM reads, in their original order; a compressed
    LitT becomes an uncompressed LitU in its place (devices have no zlib)."""
    kept = KEPT_CHUNKS | {"Line"} if include_lines else KEPT_CHUNKS
    chunk_list = iff_chunks(data, origin)
    out = []
    for chunk_id, body in chunk_list:
        if chunk_id not in kept:
            continue
        if chunk_id == "LitT":
            chunk_id, body = "LitU", inflate_literals({"LitT": body}, origin)
        out.append((chunk_id, body))
    return build_iff(out)


def data_section_name(path: str) -> str:
    """Name of the data section for a file.

    AtomVM looks data files up as ``<app>/priv/<path>`` (``atomvm:read_priv(App, Path)``).
    A file under a ``priv`` directory is named after that directory's parent
    (``.../myapp/priv/img/a.png`` -> ``myapp/priv/img/a.png``). Any other file keeps the
    path as given, as PackBEAM does, so users name data files by where they put them.
    """
    parts = [p for p in path.replace(os.sep, "/").split("/") if p not in ("", ".")]
    for i in range(len(parts) - 2, 0, -1):
        if parts[i] == "priv":
            return "/".join(parts[i - 1:])
    return "/".join(parts) if parts else path


def _read_input(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise FileNotFoundError(2, "No such file or directory", path) from None


def _beam_section(path: str, data: bytes, lib: bool,
                  include_lines: bool) -> tuple[PackSection, bool]:
    """The module section for a BEAM file, and whether it exports start/0."""
    name, exports = beam_name_and_exports(data, path)
    has_start = any(f.name == "start" and arity == 0 for f, arity, _ in exports)
    flags = BEAM_CODE | (BEAM_START if has_start and not lib else 0)
    body = stripped_beam(data, include_lines, path)
    return PackSection(f"{name.name}.beam", flags, body), has_start


def build_pack(files: list[str], lib: bool = False, start: str | None = None,
               include_lines: bool = True) -> bytes:
    """A pack of ``files`` in order, as PackBEAM builds it.

    ``.beam`` files become stripped module sections (flag BEAM_START too for modules
    exporting start/0, unless ``lib``); ``.avm`` files have their sections copied unchanged;
    anything else becomes a data section (see :func:`data_section_name`). ``start`` names
    the module to put first (an Elixir module by its Elixir name or as ``Elixir.Foo``); it
    must be among the inputs and export start/0.
    """
    sections: list[PackSection] = []
    startable: set[str] = set()
    for path in files:
        data = _read_input(path)
        if path.endswith(".beam"):
            section, has_start = _beam_section(path, data, lib, include_lines)
            if has_start:
                startable.add(section.name)
            sections.append(section)
        elif path.endswith(".avm"):
            for s in read_pack(data, path):
                sections.append(PackSection(s.name, s.flags, s.data))
                if s.is_start:
                    startable.add(s.name)
        else:
            sections.append(PackSection(data_section_name(path), DATA_FILE,
                                        len(data).to_bytes(4, "big") + data))
    if start is not None:
        sections = _start_first(sections, startable, start)
    return write_pack(sections)


def _start_section_name(sections: list[PackSection], start: str) -> str:
    """The section ``--start`` names: ``mod``, ``mod.beam``, or an Elixir module as Elixir
    spells it (``Foo.Bar`` for ``Elixir.Foo.Bar.beam``, as ExAtomVM's ``start: Foo.Bar``)."""
    wanted = start if start.endswith(".beam") else f"{start}.beam"
    names = {s.name for s in sections if s.is_beam}
    if wanted not in names and f"{ELIXIR_PREFIX}{wanted}" in names:
        return f"{ELIXIR_PREFIX}{wanted}"
    return wanted


def _start_first(sections: list[PackSection], startable: set[str],
                 start: str) -> list[PackSection]:
    wanted = _start_section_name(sections, start)
    first = [s for s in sections if s.is_beam and s.name == wanted]
    if not first:
        raise NoStartModuleError(f"start module {start} is not among the packed modules")
    if wanted not in startable:
        raise NoStartModuleError(f"start module {start} does not export start/0")
    return first + [s for s in sections if not (s.is_beam and s.name == wanted)]
