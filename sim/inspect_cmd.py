"""``avmsim inspect``: what is in a pack or module, and the RAM it will cost once loaded.

The RAM estimate follows the facts page (section 2): code, atom text and literals stay in
flash; RAM goes to the module struct and the per-module tables. On 8-byte-word builds every
pointer-sized part doubles; line refs stay 4 bytes each.
"""
from __future__ import annotations

from typing import TextIO

from avmsim.vm.avm_pack import PACK_HEADER, PackSection, flag_words, read_pack
from avmsim.vm.beam_file import BeamModule, parse_beam
from avmsim.vm.errors import BadPackError
from avmsim.vm.module_ram import BIF_MODULE, ModuleRam, line_op_count, module_ram

def _table(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def _module_lines(mod: BeamModule, ram: ModuleRam, word_size: int) -> list[str]:
    exports = ", ".join(f"{f.name}/{a}" for f, a, _ in sorted(
        mod.exports, key=lambda e: e[2]))
    non_bif = sum(1 for m, _f, _a in mod.imports if m.name != BIF_MODULE)
    rows = [
        ("exports", exports or "-"),
        ("code", f"{mod.code_size} bytes"),
        ("atoms", str(len(mod.atoms))),
        ("imports", f"{len(mod.imports)} ({non_bif} not BIFs/NIFs)"),
        ("literals", str(len(mod.literals))),
        ("labels", str(mod.label_count)),
        ("funs", str(len(mod.funs))),
        ("line refs", f"{len(mod.line_refs) - 1} ({line_op_count(mod)} line ops)"),
    ]
    lines = [f"module {mod.name.name}"] + ["  " + l for l in _table(rows, set())]
    parts = [
        ("module struct", ram.module_struct),
        (f"atom index ({len(mod.atoms)}+1 x {word_size})", ram.atom_index),
        ("new atoms", ram.new_atoms),
        ("imports", ram.imports),
        ("unresolved imports", ram.unresolved_imports),
        ("labels", ram.labels),
        ("literals", ram.literals),
        ("line refs", ram.line_refs),
    ]
    lines.append(f"  RAM once loaded: {ram.total} bytes")
    lines += ["    " + l for l in _table([(n, str(v)) for n, v in parts], {1})]
    return lines


def _pack_lines(path: str, data: bytes, sections: list[PackSection]) -> list[str]:
    lines = [f"pack {path}: {len(data)} bytes, {len(sections)} sections", ""]
    rows = [("SECTION", "FLAGS", "SIZE", "OFFSET")]
    rows += [(s.name, flag_words(s.flags), str(s.size), str(s.offset)) for s in sections]
    return lines + _table(rows, {2, 3})


def inspect_command(path: str, out: TextIO, word_size: int = 4) -> None:
    """Print the sections of a pack (or the one module of a .beam), each module's tables
    and the RAM it will cost once loaded, and the total."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise FileNotFoundError(2, "No such file or directory", path) from None
    if data.startswith(PACK_HEADER) or path.endswith(".avm"):
        sections = read_pack(data, path)
        lines = _pack_lines(path, data, sections)
        modules = [parse_beam(s.data, f"{path}:{s.name}") for s in sections if s.is_beam]
    elif data.startswith(b"FOR1") or path.endswith(".beam"):
        lines = [f"module file {path}: {len(data)} bytes"]
        modules = [parse_beam(data, path)]
    else:
        raise BadPackError(f"{path}: neither an AtomVM pack nor a BEAM file")
    known: set[str] = set()
    total = 0
    for mod in modules:
        ram = module_ram(mod, word_size, known)
        total += ram.total
        lines += [""] + _module_lines(mod, ram, word_size)
    lines += ["", f"total RAM for {len(modules)} module(s): {total} bytes "
                  f"({word_size}-byte words)"]
    out.write("\n".join(lines) + "\n")
