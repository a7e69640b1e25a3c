#!/usr/bin/env python3
"""Fuzz the loader: mutate committed packs and beams, load them, and sort what goes wrong.

Why: corrupt input must end in one plain load error (exit 7 for a bad beam or pack, 8 for an
opcode), never in a Python exception from the code generator (exit 70). Every case is
derived from ``(seed, case number)`` alone, so a failure is reproduced by its number:

    python3 scripts/fuzz_load.py --cases 20000          # the summary by kind
    python3 scripts/fuzz_load.py --seed 1 --case 4711   # one case, with its traceback

Cases run in-process (``VM.add_pack``/``add_beam``, then ``get_module`` for each module
whose bytes changed), which is how ``avmsim`` loads, minus a subprocess per case.
``tests/test_fuzz_load.py`` runs a slice of this in CI.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from avmsim.vm.avm_pack import PackSection, read_pack, write_pack
from avmsim.vm.beam_file import build_iff, iff_chunks
from avmsim.vm.errors import LoadError, VMAbort
from avmsim.vm.opcodes import OPCODES
from avmsim.vm.terms import atom
from avmsim.vm.vm import VM

ROOT = Path(__file__).resolve().parent.parent

EXPECTED_ERRORS: tuple[type[BaseException], ...] = (LoadError, VMAbort)
"""What corrupt input may raise: the errors the CLI maps to exit 6-9 and 11 (not 70)."""

UNICODE_ATOM_TEXT = ("µ".encode(), "ﬁ".encode(), "Ⅸ".encode(), "ｘ".encode(), "Å".encode())
"""Atom texts that Python's NFKC identifier normalisation rewrites (micro sign -> mu, the fi
ligature -> "fi", full-width letters, ...): an atom spelled so must load like any other."""


def corpus_files(root: Path = ROOT) -> list[Path]:
    """The committed packs and beams mutated by the fuzzer, in a stable order."""
    files = sorted((root / "firmware_images").glob("*.avm"))
    files += sorted((root / "tests" / "fixtures").glob("**/*.beam"))
    return files


# ---------------------------------------------------------------------------- code walking

def _compact(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, value, position after it) of the compact term at ``pos``; raises IndexError
    past the end of ``data``."""
    b = data[pos]
    tag = b & 7
    if not b & 0x08:
        return tag, b >> 4, pos + 1
    if not b & 0x10:
        return tag, ((b >> 5) << 8) | data[pos + 1], pos + 2
    n = b >> 5
    pos += 1
    if n == 7:
        _t, extra, pos = _compact(data, pos)
        n = extra + 9
    else:
        n += 2
    return tag, int.from_bytes(data[pos:pos + n], "big"), pos + n


def _operand(data: bytes, pos: int, starts: list[int]) -> int:
    """Skip one operand at ``pos`` (recording where it and its parts start)."""
    starts.append(pos)
    tag, value, pos = _compact(data, pos)
    if tag != 7:
        return pos
    if value == 0:          # float: 8 raw bytes
        return pos + 8
    if value == 1:          # list: count, then operands
        _t, n, pos = _compact(data, pos)
        for _ in range(n):
            pos = _operand(data, pos, starts)
        return pos
    if value == 3:          # allocation list: count, then (kind, amount) pairs
        _t, n, pos = _compact(data, pos)
        for _ in range(2 * n):
            pos = _compact(data, pos)[2]
        return pos
    if value == 5:          # typed register: register, type index
        pos = _operand(data, pos, starts)
    return _compact(data, pos)[2]  # float register, literal index, type index


@dataclass
class CodeMap:
    """Where a beam's Code chunk keeps its opcodes and operands (absolute file offsets)."""
    opcodes: list[int]
    operands: list[int]
    first: int            # first instruction byte
    end: int              # end of the Code chunk


def code_map(beam: bytes) -> CodeMap | None:
    """Map the Code chunk of an unmutated beam, or None when it has none."""
    pos = 12
    while pos + 8 <= len(beam):
        size = int.from_bytes(beam[pos + 4:pos + 8], "big")
        if beam[pos:pos + 4] == b"Code":
            body = pos + 8
            first = body + 4 + int.from_bytes(beam[body:body + 4], "big")
            opcodes: list[int] = []
            operands: list[int] = []
            p = first
            while p < body + size:
                opcodes.append(p)
                op = beam[p]
                p += 1
                for _ in range(OPCODES[op][1]):
                    p = _operand(beam, p, operands)
            return CodeMap(opcodes, operands, first, body + size)
        pos += 8 + ((size + 3) & ~3)
    return None


# ---------------------------------------------------------------------------- mutations

Mutation = Callable[[bytearray, random.Random, CodeMap | None], None]

_SAME_ARITY: dict[int, list[int]] = {}
for _num, (_name, _arity) in OPCODES.items():
    _SAME_ARITY.setdefault(_arity, []).append(_num)


def flip_bytes(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    for _ in range(rng.randint(1, 4)):
        b[rng.randrange(len(b))] = rng.randrange(256)


def flip_code(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    if cm is None:
        return flip_bytes(b, rng, cm)
    for _ in range(rng.randint(1, 3)):
        b[rng.randrange(cm.first, cm.end)] = rng.randrange(256)


def truncate(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    del b[rng.randrange(len(b)):]


def chunk_size(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Rewrite one chunk's size field: a little off, zero, or huge."""
    try:
        chunks = iff_chunks(bytes(b), "")
    except LoadError:
        return flip_bytes(b, rng, cm)
    headers, pos = [], 12
    for _id, data in chunks:
        headers.append((pos, len(data)))
        pos += 8 + ((len(data) + 3) & ~3)
    at, size = rng.choice(headers)
    new = rng.choice((0, 1, size - 1, size + 1, size + 4, size // 2, 0xFFFFFFFF))
    b[at + 4:at + 8] = (new & 0xFFFFFFFF).to_bytes(4, "big")


def operand_tag(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Give an operand another kind: a register becomes a literal, a label an atom..."""
    if not cm or not cm.operands:
        return flip_code(b, rng, cm)
    for _ in range(rng.randint(1, 2)):
        at = rng.choice(cm.operands)
        b[at] = (b[at] & ~7) | rng.randrange(8)


def operand_value(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Change a short operand's value (a label number, index, register...)."""
    if not cm or not cm.operands:
        return flip_code(b, rng, cm)
    at = rng.choice(cm.operands)
    if b[at] & 0x08:
        b[at + 1] = rng.randrange(256)
    else:
        b[at] = (b[at] & 0x0F) | (rng.randrange(16) << 4)


def opcode_swap(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Replace an opcode by another of the same arity: the operands no longer fit it."""
    if not cm:
        return flip_code(b, rng, cm)
    at = rng.choice(cm.opcodes)
    spec = OPCODES.get(b[at])
    if spec is None:  # an earlier mutation hit this opcode
        return
    b[at] = rng.choice(_SAME_ARITY[spec[1]])


def unicode_atom(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Respell the start of an atom with text NFKC normalises (e.g. a micro sign)."""
    try:
        chunks = dict(iff_chunks(bytes(b), ""))
    except LoadError:
        return
    table = chunks.get("AtU8")
    if table is None or int.from_bytes(table[:4], "big", signed=True) < 0:
        return
    base = bytes(b).find(b"AtU8") + 8
    pos, spots = 4, []
    for _ in range(int.from_bytes(table[:4], "big")):
        if pos >= len(table):  # an earlier mutation broke the table
            break
        n = table[pos]
        spots.append((base + pos + 1, n))
        pos += 1 + n
    text = rng.choice(UNICODE_ATOM_TEXT)
    fits = [at for at, n in spots if n >= len(text)]
    if fits:
        at = rng.choice(fits)
        b[at:at + len(text)] = text


def encode_compact(tag: int, value: int) -> bytes:
    """The compact-term encoding of ``value`` under ``tag`` (the inverse of ``_compact``;
    only the integer tag is signed)."""
    if 0 <= value < 16:
        return bytes([(value << 4) | tag])
    if 0 <= value < 2048:
        return bytes([((value >> 3) & 0xE0) | 0x08 | tag, value & 0xFF])
    signed = tag == 1
    n = max(2, (value.bit_length() + 8) // 8 if signed else -(-value.bit_length() // 8))
    raw = value.to_bytes(n, "big", signed=signed)
    if n <= 8:
        return bytes([((n - 2) << 5) | 0x18 | tag]) + raw
    return bytes([0xF8 | tag]) + encode_compact(0, n - 9) + raw


_BIG_VALUES = (16, 255, 1023, 1024, 2047, 2048, 65535, 1 << 16, 1 << 31, 1 << 32, 1 << 63,
               1 << 64, 1 << 100, 10 ** 5000)


def operand_splice(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Replace a simple operand by a large value of any tag (lengths and sizes fixed up)."""
    simple = [at for at in cm.operands if at < len(b) and b[at] & 7 != 7] if cm else []
    if not simple:
        return flip_code(b, rng, cm)
    at = rng.choice(simple)
    try:
        end = _compact(bytes(b), at)[2]
        chunks = iff_chunks(bytes(b), "")
    except (IndexError, LoadError):
        return
    codes = [data for cid, data in chunks if cid == "Code"]
    if not codes:  # an earlier mutation renamed the chunk
        return
    code, code_body = codes[0], bytes(b).find(b"Code") + 8
    value = rng.choice(_BIG_VALUES)
    tag = rng.randrange(7)
    value = -value if tag == 1 and rng.random() < 0.3 else value
    new_code = code[:at - code_body] + encode_compact(tag, value) + code[end - code_body:]
    b[:] = build_iff([(cid, new_code if cid == "Code" else data) for cid, data in chunks])


def table_entry(b: bytearray, rng: random.Random, cm: CodeMap | None) -> None:
    """Set one field of an import, export, local or fun table entry to a stray value."""
    spots = [(at, cid) for cid in (b"ImpT", b"ExpT", b"LocT", b"FunT")
             for at in [bytes(b).find(cid)] if at > 0]
    if not spots:
        return flip_bytes(b, rng, cm)
    at, cid = rng.choice(spots)
    size = int.from_bytes(b[at + 4:at + 8], "big")
    fields = (size - 4) // 4
    if fields <= 0:
        return
    field = at + 12 + 4 * rng.randrange(fields)
    value = rng.choice((0, 1, 2, 255, 256, 4096, 0xFFFFFFFF, rng.randrange(1 << 32)))
    b[field:field + 4] = value.to_bytes(4, "big")


MUTATIONS: dict[str, Mutation] = {
    "flip_bytes": flip_bytes, "flip_code": flip_code, "truncate": truncate,
    "chunk_size": chunk_size, "operand_tag": operand_tag, "operand_value": operand_value,
    "opcode_swap": opcode_swap, "unicode_atom": unicode_atom,
    "operand_splice": operand_splice, "table_entry": table_entry,
}
WEIGHTS = {"flip_bytes": 2, "flip_code": 3, "truncate": 1, "chunk_size": 1,
           "operand_tag": 5, "operand_value": 4, "opcode_swap": 5, "unicode_atom": 1,
           "operand_splice": 3, "table_entry": 2}


def mutate_beam(beam: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """One to three mutations of a beam; returns the bytes and the mutation names."""
    out = bytearray(beam)
    cm = code_map(beam)
    names = rng.choices(list(WEIGHTS), list(WEIGHTS.values()), k=rng.randint(1, 3))
    # operand positions are those of the original: a splice moves them, so it comes last
    # but for truncation, which any position survives
    names.sort(key=lambda n: (n == "truncate", n == "operand_splice"))
    for name in names:
        if out:
            MUTATIONS[name](out, rng, cm)
    return bytes(out), names


def mutate_pack(pack: bytes, sections: list[PackSection],
                rng: random.Random) -> tuple[bytes, list[str]]:
    """Mostly a mutated module inside an intact pack; sometimes the pack's own bytes."""
    if rng.random() < 0.15:
        out = bytearray(pack)
        (truncate if rng.random() < 0.3 else flip_bytes)(out, rng, None)
        return bytes(out), ["pack_bytes"]
    beams = [i for i, s in enumerate(sections) if s.is_beam]
    i = rng.choice(beams)
    data, names = mutate_beam(sections[i].data, rng)
    changed = list(sections)
    changed[i] = PackSection(sections[i].name, sections[i].flags, data)
    return write_pack(changed), [f"{sections[i].name}:{n}" for n in names]


# ---------------------------------------------------------------------------- running

@dataclass
class Outcome:
    case: int
    source: str
    mutations: list[str]
    error: BaseException | None    # None, or an unexpected exception (an internal error)
    message: str = ""              # the load error's message, when one was raised


class Fuzzer:
    """The corpus read once, the cases derived from ``seed``."""

    def __init__(self, seed: int, files: list[Path] | None = None) -> None:
        self.seed = seed
        self.files = files or corpus_files()
        self.data = [p.read_bytes() for p in self.files]
        self.sections = {i: read_pack(d, str(p)) for i, (p, d) in enumerate(zip(self.files,
                                                                                self.data))
                         if p.suffix == ".avm"}
        self.known_good = {s.data for secs in self.sections.values() for s in secs}

    def case_input(self, case: int) -> tuple[Path, bytes, list[str]]:
        rng = random.Random(f"{self.seed}:{case}")
        i = rng.randrange(len(self.files))
        if i in self.sections:
            data, names = mutate_pack(self.data[i], self.sections[i], rng)
        else:
            data, names = mutate_beam(self.data[i], rng)
        return self.files[i], data, names

    def run_case(self, case: int) -> Outcome:
        path, data, names = self.case_input(case)
        outcome = Outcome(case, path.relative_to(ROOT).as_posix(), names, None)
        try:
            load(data, path.name, self.known_good)
        except EXPECTED_ERRORS as exc:
            outcome.message = str(exc)
        except Exception as exc:  # noqa: BLE001 - what the fuzzer is looking for
            outcome.error = exc
        return outcome

    def run(self, cases: range) -> Iterator[Outcome]:
        for case in cases:
            yield self.run_case(case)


def load(data: bytes, name: str, known_good: set[bytes] = frozenset()) -> None:
    """Load ``data`` as avmsim does: every module it holds is parsed and compiled, except
    modules byte-identical to ones of the unmutated corpus (known to load)."""
    vm = VM(lambda _b: None, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a SyntaxWarning in generated code is a bug too
        if name.endswith(".avm"):
            vm.add_pack(data, name)
        else:
            vm.add_beam(data, name)
        modules = {atom(name): src for name, src in vm.packs.modules().items()}
        for module, (beam, _origin) in {**modules, **vm.beams}.items():
            if beam not in known_good:
                vm.get_module(module)


def kind_of(exc: BaseException) -> str:
    """An internal error's kind: its type and the innermost avmsim frame that raised it."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/vm/" in f.filename
              or "/sim/" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].name}" if frames else "?"
    return f"{type(exc).__name__} in {where}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cases", type=int, default=2000)
    p.add_argument("--first", type=int, default=0, help="first case number")
    p.add_argument("--case", type=int, help="run this one case and show its outcome in full")
    p.add_argument("--messages", action="store_true", help="print every load error message")
    args = p.parse_args(argv)
    fuzzer = Fuzzer(args.seed)
    if args.case is not None:
        out = fuzzer.run_case(args.case)
        print(f"{out.source} {out.mutations}: {out.message or 'loaded'}")
        if out.error is not None:
            traceback.print_exception(out.error)
            return 1
        return 0
    started = time.perf_counter()
    kinds: Counter[str] = Counter()
    examples: dict[str, Outcome] = {}
    loaded = 0
    for out in fuzzer.run(range(args.first, args.first + args.cases)):
        if out.error is not None:
            kind = kind_of(out.error)
            kinds[kind] += 1
            examples.setdefault(kind, out)
        elif not out.message:
            loaded += 1
        elif args.messages:
            print(out.message)
    spent = time.perf_counter() - started
    print(f"{args.cases} cases in {spent:.1f} s: {sum(kinds.values())} internal errors of "
          f"{len(kinds)} kinds; {loaded} loaded without error")
    for kind, n in kinds.most_common():
        ex = examples[kind]
        print(f"{n:5}  {kind}: {str(ex.error)[:90]}\n       e.g. --case {ex.case} "
              f"({ex.source} {ex.mutations})")
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
