"""The packs a VM has open, in the order AtomVM searches them for modules and data files.

AtomVM keeps one list of open packs (``glb->avmpack_data``); a module load and
``atomvm:read_priv/2`` take the first pack holding the section they want by name. Packs
opened from a file or partition at run time (``atomvm:add_avm_pack_file/2``) go to the
front, packs from a binary (``add_avm_pack_binary/2``) to the back. A pack has a name for
``get_start_beam/1`` and ``close_avm_pack/2``; an unnamed one has atom index 0, the atom
``false``. A pack is "in use" once a module load has searched it (as ``globalcontext.c``
marks every pack it looks through) or a data file was read from it; such a pack cannot be
closed any more.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .avm_pack import PackSection, priv_data, read_pack
from .terms import Atom, atom

UNNAMED = atom("false")
"""The name of a pack opened without ``{name, N}`` (``name_atom_id`` 0 is ``false``)."""


@dataclass
class OpenPack:
    """One open pack: its sections by name (the first of a name wins, as AtomVM's lookup
    walks the pack in order), where it came from, and what it holds of the board's RAM."""
    sections: dict[str, PackSection]
    origin: str
    name: Atom = UNNAMED
    in_use: bool = False
    ram_blocks: list[int] = field(default_factory=list)
    refc: dict[int, Any] = field(default_factory=dict)   # the refc binary it keeps alive

    @classmethod
    def read(cls, data: bytes, origin: str, name: Atom = UNNAMED) -> "OpenPack":
        """Parse ``data`` (``BadPackError`` when it is not a valid pack)."""
        sections: dict[str, PackSection] = {}
        for section in read_pack(data, origin):
            sections.setdefault(section.name, section)
        return cls(sections, origin, name)

    def start_beam(self) -> str | None:
        """The section name of the first module flagged as start, as
        ``avmpack_find_section_by_flag(BEAM_START)`` finds it."""
        return next((s.name for s in self.sections.values() if s.is_start), None)

    def module_section(self, module: str) -> PackSection | None:
        section = self.sections.get(f"{module}.beam")
        return section if section is not None and section.is_beam else None


class PackTable:
    """Open packs in search order."""

    def __init__(self) -> None:
        self.packs: list[OpenPack] = []

    def add(self, pack: OpenPack, first: bool = False) -> OpenPack:
        """Open ``pack``: searched before the others when ``first``, else after them."""
        if first:
            self.packs.insert(0, pack)
        else:
            self.packs.append(pack)
        return pack

    def find_module(self, module: str) -> tuple[bytes, str] | None:
        """The BEAM of ``module`` and where it comes from; every pack searched is in use."""
        for pack in self.packs:
            pack.in_use = True
            section = pack.module_section(module)
            if section is not None:
                return section.data, f"{pack.origin}:{section.name}"
        return None

    def modules(self) -> dict[str, tuple[bytes, str]]:
        """Every module the packs offer, the one a load would take for each name."""
        found: dict[str, tuple[bytes, str]] = {}
        for pack in self.packs:
            for section in pack.sections.values():
                if section.is_beam and section.name.endswith(".beam"):
                    found.setdefault(section.name[:-5], (section.data,
                                                         f"{pack.origin}:{section.name}"))
        return found

    def named(self, name: Atom) -> OpenPack | None:
        """The first pack of that name (``get_start_beam/1``)."""
        return next((p for p in self.packs if p.name is name), None)

    def close(self, name: Atom) -> tuple[bool, list[OpenPack]]:
        """Close every pack of that name, front to back, stopping at one in use: whether
        all went, and the packs closed (their RAM is the caller's to give back)."""
        closed: list[OpenPack] = []
        for pack in [p for p in self.packs if p.name is name]:
            if pack.in_use:
                return False, closed
            self.packs.remove(pack)
            closed.append(pack)
        return bool(closed), closed

    def data_file(self, section_name: str) -> bytes | None:
        """The contents of the first data section of that name (``read_priv``); the pack
        it is read from is in use."""
        for pack in self.packs:
            section = pack.sections.get(section_name)
            if section is not None:
                pack.in_use = True
                return priv_data(section)
        return None
