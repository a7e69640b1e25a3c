"""RAM a module costs once loaded, item by item (facts page, section 2).

Code, atom text and literals stay in flash (execute in place); RAM goes to the module
struct and the per-module tables. On 8-byte-word builds every pointer-sized part doubles;
line refs stay 4 bytes each. Used by the loader to charge the board's RAM and by
``avmsim inspect`` to show it.
"""
from __future__ import annotations

from dataclasses import dataclass

from .beam_file import BeamModule

# Sizes on a 32-bit build, in words, of each per-module RAM item (facts page, section 2).
MODULE_STRUCT_WORDS = 27        # ~108 B
ATOM_ENTRY_WORDS = 3            # 12 B per atom new to the global atom table
UNRESOLVED_IMPORT_WORDS = 4     # 16 B per import that is not a BIF/NIF, until resolved
LITERAL_ENTRY_WORDS = 2         # 8 B per literal table entry
LINE_REF_BYTES = 4              # per line instruction, independent of word size

BIF_MODULE = "erlang"
"""Imports of this module are counted as BIFs/NIFs (resolved at load, no extra RAM)."""


@dataclass
class ModuleRam:
    """RAM (bytes) one loaded module costs, item by item."""
    module_struct: int
    atom_index: int
    new_atoms: int
    imports: int
    unresolved_imports: int
    labels: int
    literals: int
    line_refs: int

    @property
    def total(self) -> int:
        return (self.module_struct + self.atom_index + self.new_atoms + self.imports
                + self.unresolved_imports + self.labels + self.literals + self.line_refs)


def line_op_count(mod: BeamModule) -> int:
    """Line instructions that get a line ref (none when the Line chunk was stripped)."""
    if "Line" not in mod.chunks:
        return 0
    return sum(1 for i in mod.instructions if i.name == "line")


def module_ram(mod: BeamModule, word_size: int = 4,
               known_atoms: set[str] | None = None) -> ModuleRam:
    """RAM ``mod`` costs when loaded. ``known_atoms`` are already in the global atom table
    (earlier modules of the same pack); they cost nothing again. The set is updated."""
    seen = known_atoms if known_atoms is not None else set()
    new = [a.name for a in mod.atoms if a.name not in seen]
    seen.update(new)
    non_bif = sum(1 for m, _f, _a in mod.imports if m.name != BIF_MODULE)
    return ModuleRam(
        module_struct=MODULE_STRUCT_WORDS * word_size,
        atom_index=word_size * (len(mod.atoms) + 1),
        new_atoms=ATOM_ENTRY_WORDS * word_size * len(set(new)),
        imports=word_size * len(mod.imports),
        unresolved_imports=UNRESOLVED_IMPORT_WORDS * word_size * non_bif,
        labels=word_size * mod.label_count,
        literals=LITERAL_ENTRY_WORDS * word_size * len(mod.literals),
        line_refs=LINE_REF_BYTES * line_op_count(mod),
    )
