"""BEAM file parsing: decoded code, tables, literals, lines, and every kind of bad input."""
from __future__ import annotations

import random
import subprocess
import zlib
from pathlib import Path

import pytest

from avmsim.vm.beam_file import BeamModule, build_iff, iff_chunks, parse_beam
from avmsim.vm.errors import BadBeamError, UnsupportedOpcodeError
from avmsim.vm.ext_term import encode_ext
from avmsim.vm.opcodes import IMPLEMENTED, OBSOLETE, OPCODES
from avmsim.vm.operands import FR, Alloc, Const, Instr, Label, X, Y
from avmsim.vm.term_order import exact_eq
from avmsim.vm.terms import NIL, Map, atom, from_list

A = atom

ARITH = """
-module(arith).
-export([add/2, start/0, lit/0, big/1, neg/0, fl/1, f/1, sel/1, str/1]).
-include("inc.hrl").
add(A, B) -> A + B.
start() -> ok.
lit() -> {hello, [1,2,3], <<"bin">>, #{a => 1}, 3.5}.
big(X) -> X + 123456789012345678901234567890.
neg() -> [-1, -300, -70000, -123456789012345678901234567890, 4000].
fl(X) -> X * 2.5 + 1.0.
f(X) -> fun(Y) -> X + Y + h(Y) end.
sel(a) -> 1; sel(b) -> 2; sel(c) -> 3; sel(_) -> 0.
str(<<"abc", R/binary>>) -> R.
"""

INC = """
h(X) ->
    X + 1.
"""


def compile_erl(tmp: Path, name: str, source: str, extra: dict[str, str] | None = None) -> bytes:
    for fname, text in (extra or {}).items():
        (tmp / fname).write_text(text)
    (tmp / f"{name}.erl").write_text(source)
    subprocess.run(["erlc", "-o", str(tmp), str(tmp / f"{name}.erl")], check=True,
                   cwd=tmp, capture_output=True, timeout=120)
    return (tmp / f"{name}.beam").read_bytes()


@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return compile_erl(tmp_path_factory.mktemp("arith"), "arith", ARITH, {"inc.hrl": INC})


@pytest.fixture(scope="module")
def mod(beam: bytes) -> BeamModule:
    return parse_beam(beam, "arith.beam")


def function_code(mod: BeamModule, name: str, arity: int) -> list[Instr]:
    """Instructions from the function's func_info up to the next func_info's label."""
    ins = mod.instructions
    start = next(i for i, x in enumerate(ins) if x.name == "func_info"
                 and x.args[1] == Const(A(name)) and x.args[2] == arity)
    end = next((i for i in range(start + 1, len(ins)) if ins[i].name == "func_info"),
               len(ins))
    while ins[end - 1].name in ("label", "line") and end - 1 > start:
        end -= 1
    return ins[start:end]


def same_code(a: list[Instr], b: list[Instr]) -> bool:
    """Instruction lists equal, comparing constant terms with =:= (Cons and Map have no
    Python equality)."""
    def same_arg(x: object, y: object) -> bool:
        if isinstance(x, Const) and isinstance(y, Const):
            return exact_eq(x.term, y.term)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(map(same_arg, x, y))
        return x == y
    return len(a) == len(b) and all(
        i.name == j.name and i.opcode == j.opcode and len(i.args) == len(j.args)
        and all(map(same_arg, i.args, j.args)) for i, j in zip(a, b))


def chunk_offsets(data: bytes) -> list[tuple[str, int, int]]:
    """(id, header offset, size) of each chunk."""
    out, pos = [], 12
    while pos < len(data):
        size = int.from_bytes(data[pos + 4:pos + 8], "big")
        out.append((data[pos:pos + 4].decode(), pos, size))
        pos += 8 + ((size + 3) & ~3)
    return out


def replace_chunk(data: bytes, chunk_id: str, body: bytes) -> bytes:
    return build_iff([(c, body if c == chunk_id else b) for c, b in iff_chunks(data, "t")])


def code_with(data: bytes, code: bytes) -> bytes:
    """The module with its instruction stream replaced (Code header kept)."""
    chunks = dict(iff_chunks(data, "t"))
    old = chunks["Code"]
    start = 4 + int.from_bytes(old[:4], "big")
    return replace_chunk(data, "Code", old[:start] + code)


# ------------------------------------------------------------------ decoding

def test_add_decodes_to_expected_instructions(mod: BeamModule) -> None:
    code = function_code(mod, "add", 2)
    assert code == [
        Instr("func_info", 2, (Const(A("arith")), Const(A("add")), 2)),
        Instr("label", 1, (code[1].args[0],)),
        Instr("gc_bif2", 125, (Label(0), 2, code[2].args[2], X(0), X(1), X(0))),
        Instr("return", 19, ()),
    ]
    bif = mod.imports[code[2].args[2]]
    assert bif == (A("erlang"), A("+"), 2)
    label = code[1].args[0]
    assert (A("add"), 2, label) in mod.exports


def test_module_tables(mod: BeamModule) -> None:
    assert mod.name is A("arith") and mod.atoms[0] is A("arith")
    assert {(f.name, a) for f, a, _ in mod.exports} == {
        ("add", 2), ("start", 0), ("lit", 0), ("big", 1), ("neg", 0), ("fl", 1), ("f", 1),
        ("sel", 1), ("str", 1), ("module_info", 0), ("module_info", 1)}
    assert (A("h"), 1) in {(f, a) for f, a, _ in mod.locals}
    assert mod.label_count == 1 + max(i.args[0] for i in mod.instructions if i.name == "label")
    assert mod.function_count == sum(1 for i in mod.instructions if i.name == "func_info")
    assert mod.instructions[-1] == Instr("int_code_end", 3, ())
    assert len(mod.funs) == 1
    fun = mod.funs[0]
    assert fun.function.name.startswith("-f/1-fun-") and fun.arity == 2 and fun.num_free == 1
    assert fun.index == 0
    labels = {i.args[0] for i in mod.instructions if i.name == "label"}
    assert fun.label in labels
    assert set(mod.chunks) >= {"AtU8", "Code", "ExpT", "ImpT", "LitT", "FunT", "Line"}
    assert mod.origin == "arith.beam"


def test_literals(mod: BeamModule) -> None:
    code = function_code(mod, "lit", 0)
    move = next(i for i in code if i.name == "move")
    expected = (A("hello"), from_list([1, 2, 3]), b"bin", Map.from_pairs([(A("a"), 1)]), 3.5)
    assert exact_eq(move.args[0].term, expected)
    assert any(exact_eq(t, expected) for t in mod.literals)


def test_big_and_negative_integers(mod: BeamModule) -> None:
    consts = [a.term for i in function_code(mod, "big", 1) for a in i.args
              if isinstance(a, Const)]
    assert 123456789012345678901234567890 in consts
    neg = function_code(mod, "neg", 0)
    terms = [a.term for i in neg for a in i.args if isinstance(a, Const)]
    want = from_list([-1, -300, -70000, -123456789012345678901234567890, 4000])
    assert any(exact_eq(t, want) for t in terms)


def test_float_registers_alloc_lists_and_typed_registers(mod: BeamModule) -> None:
    code = function_code(mod, "fl", 1)
    args = [a for i in code for a in i.args]
    assert any(isinstance(a, FR) for a in args)
    assert any(isinstance(a, Alloc) and a.floats >= 1 for a in args)
    assert any(i.name in ("fmul", "fadd") for i in code)
    typed = [a for i in mod.instructions for a in i.args
             if isinstance(a, (X, Y)) and a.type_index >= 0]
    assert typed, "OTP 25 code with a Type chunk uses typed registers"


def test_extended_list_select_val(mod: BeamModule) -> None:
    sel = next(i for i in function_code(mod, "sel", 1) if i.name == "select_val")
    src, fail, table = sel.args
    assert isinstance(src, X) and isinstance(fail, Label) and isinstance(table, list)
    pairs = dict(zip(table[0::2], table[1::2]))
    assert set(pairs) == {Const(A("a")), Const(A("b")), Const(A("c"))}
    assert all(isinstance(v, Label) for v in pairs.values())


def test_strings_chunk(mod: BeamModule) -> None:
    assert b"abc" in mod.strings
    code = function_code(mod, "str", 1)
    assert any(i.name in ("bs_match", "bs_match_string") for i in code)


def test_line_table_with_include_file(mod: BeamModule) -> None:
    assert mod.files == ["arith.erl", "inc.hrl"]
    assert mod.line_refs[0] == (0, 0)
    h = function_code(mod, "h", 1)
    lines = [i.args[0] for i in h if i.name == "line"]
    assert lines and mod.line_refs[lines[0]] == (1, 3)
    add_line = mod.instructions[mod.instructions.index(function_code(mod, "add", 2)[0]) - 1]
    assert add_line.name == "line" and mod.line_refs[add_line.args[0]] == (0, 5)
    assert mod.line_instr_count == sum(1 for i in mod.instructions if i.name == "line")


def test_files_default_to_module_source_without_names(tmp_path: Path) -> None:
    data = compile_erl(tmp_path, "plain", "-module(plain).\n-export([f/0]).\nf() -> ok.\n")
    m = parse_beam(data, "plain.beam")
    assert m.files == ["plain.erl"]
    no_lines = build_iff([(c, b) for c, b in iff_chunks(data, "t") if c != "Line"])
    m2 = parse_beam(no_lines, "plain.beam")
    assert m2.line_refs == [(0, 0)] and m2.files == ["plain.erl"]
    assert same_code(m2.instructions, m.instructions)


def test_litu_gives_same_literals(beam: bytes, mod: BeamModule) -> None:
    chunks = iff_chunks(beam, "t")
    lit_t = dict(chunks)["LitT"]
    lit_u = zlib.decompress(lit_t[4:])
    data = build_iff([("LitU", lit_u) if c == "LitT" else (c, b) for c, b in chunks])
    m = parse_beam(data, "u.beam")
    assert len(m.literals) == len(mod.literals)
    assert all(exact_eq(a, b) for a, b in zip(m.literals, mod.literals))
    assert same_code(m.instructions, mod.instructions)


# ------------------------------------------------------------------ synthetic modules

def compact(tag: int, value: int) -> bytes:
    """OTP's compact encoding (beam_asm rules), written independently for the tests."""
    if 0 <= value < 16:
        return bytes([(value << 4) | tag])
    if 0 <= value < 2048:
        return bytes([((value >> 3) & 0xE0) | tag | 0x08, value & 0xFF])
    n = max(2, (value.bit_length() + 8) // 8)  # room for the sign bit, as beam_asm does
    raw = value.to_bytes(n, "big", signed=True)
    if len(raw) <= 8:
        return bytes([((len(raw) - 2) << 5) | 0x18 | tag]) + raw
    return bytes([0xF8 | tag]) + compact(0, len(raw) - 9) + raw


def synthetic(code: bytes, atoms: list[str] = ("syn",), literals: list = (),
              atom_chunk: str = "AtU8") -> bytes:
    """A minimal module: atom table, Code (header + ``code``), LitU, empty ExpT/ImpT."""
    enc = "utf-8" if atom_chunk == "AtU8" else "latin-1"
    at = len(atoms).to_bytes(4, "big") + b"".join(
        bytes([len(a.encode(enc))]) + a.encode(enc) for a in atoms)
    header = (16).to_bytes(4, "big") + (0).to_bytes(4, "big") + (185).to_bytes(4, "big") + \
        (2).to_bytes(4, "big") + (1).to_bytes(4, "big")
    lits = len(literals).to_bytes(4, "big") + b"".join(
        len(e := encode_ext(t)).to_bytes(4, "big") + e for t in literals)
    return build_iff([(atom_chunk, at), ("Code", header + code), ("LitU", lits),
                      ("ExpT", bytes(4)), ("ImpT", bytes(4))])


END = bytes([3])


@pytest.mark.parametrize("value", [0, 15, 16, 2047, 2048, 65535, -1, -16, -2048, 2**31,
                                   -(2**31), 2**63, -(2**63), 2**64 + 5, -(2**70),
                                   2**200, -(2**200) + 1])
def test_compact_integers(value: int) -> None:
    # move {integer, V} {x, 0}; move {u-literal as integer} via test_heap
    data = synthetic(bytes([64]) + compact(1, value) + compact(3, 0) + END)
    m = parse_beam(data, "syn.beam")
    assert m.instructions[0] == Instr("move", 64, (Const(value), X(0)))
    if value >= 0:
        data = synthetic(bytes([16]) + compact(0, value) + compact(0, 1) + END)
        assert parse_beam(data, "syn.beam").instructions[0].args == (value, 1)


def test_extended_operands() -> None:
    code = (bytes([64]) + bytes([0x47]) + compact(0, 1) + compact(4, 7)      # move lit1 y7
            + bytes([64]) + compact(2, 0) + compact(3, 300)                  # move [] x300
            + bytes([64]) + compact(2, 2) + bytes([0x57]) + compact(3, 2) + compact(0, 9)
            + bytes([16]) + bytes([0x37]) + compact(0, 2) + compact(0, 0) + compact(0, 5)
            + compact(0, 1) + compact(0, 2) + compact(0, 3)                  # test_heap alloc
            + bytes([96]) + bytes([0x27]) + compact(0, 1) + compact(3, 0)    # fmove fr1 x0
            + bytes([59]) + compact(3, 0) + compact(5, 9) + bytes([0x17]) + compact(0, 2)
            + compact(1, 5) + compact(5, 3)                                  # select_val
            + END)
    m = parse_beam(synthetic(code, ["syn", "other"], [A("zero"), (1, 2)]), "syn.beam")
    assert m.instructions[:6] == [
        Instr("move", 64, (Const((1, 2)), Y(7))),
        Instr("move", 64, (Const(NIL), X(300))),
        Instr("move", 64, (Const(A("other")), X(2, 9))),
        Instr("test_heap", 16, (Alloc(5, 2, 0), 3)),
        Instr("fmove", 96, (FR(1), X(0))),
        Instr("select_val", 59, (X(0), Label(9), [Const(5), Label(3)])),
    ]


def test_latin1_atom_chunk() -> None:
    data = synthetic(bytes([64]) + compact(2, 2) + compact(3, 0) + END,
                     ["syn", "caf\u00e9"], atom_chunk="Atom")
    m = parse_beam(data, "syn.beam")
    assert m.instructions[0].args[0] == Const(A("caf\u00e9"))


# ------------------------------------------------------------------ opcodes

def test_opcode_table() -> None:
    assert OPCODES[1] == ("label", 1) and OPCODES[125] == ("gc_bif2", 6)
    assert OPCODES[178] == ("call_fun2", 3) and OPCODES[182] == ("bs_match", 3)
    assert OPCODES[185] == ("bif3", 6) and set(OPCODES) == set(range(1, 186))
    assert 149 in OBSOLETE and 27 in OBSOLETE and 64 not in OBSOLETE
    assert not OBSOLETE & IMPLEMENTED and 177 in IMPLEMENTED and 15 not in IMPLEMENTED


@pytest.mark.parametrize("op", [27, 54, 79, 116, 149])
def test_obsolete_opcode_is_refused(beam: bytes, op: int) -> None:
    arity = OPCODES[op][1]
    injected = bytes([op]) + compact(3, 0) * arity
    chunks = dict(iff_chunks(beam, "t"))
    start = 4 + int.from_bytes(chunks["Code"][:4], "big")
    data = code_with(beam, injected + chunks["Code"][start:])
    with pytest.raises(UnsupportedOpcodeError, match=r"obsolete opcode") as info:
        parse_beam(data, "arith.beam")
    assert "arith" in str(info.value) and str(op) in str(info.value)


@pytest.mark.parametrize("op", [0, 186, 255])
def test_unknown_opcode_is_refused(op: int) -> None:
    with pytest.raises(UnsupportedOpcodeError, match=rf"unknown opcode {op}\b.*") as info:
        parse_beam(synthetic(bytes([op]) + END), "syn.beam")
    assert "syn" in str(info.value)


# ------------------------------------------------------------------ malformed input

def test_truncation_at_every_chunk_boundary(beam: bytes) -> None:
    cuts = {0, 4, 8, 12, len(beam) - 1}
    for _id, pos, size in chunk_offsets(beam):
        cuts.update({pos, pos + 4, pos + 8, pos + 8 + size // 2, pos + 8 + size})
    for cut in sorted(c for c in cuts if c < len(beam)):
        with pytest.raises(BadBeamError, match="arith.beam"):
            parse_beam(beam[:cut], "arith.beam")


def test_truncation_at_random_offsets(beam: bytes) -> None:
    rng = random.Random(1234)
    for cut in rng.sample(range(len(beam)), 60):
        with pytest.raises(BadBeamError):
            parse_beam(beam[:cut], "arith.beam")


def test_truncated_chunks_inside_consistent_container(beam: bytes) -> None:
    """Chunks cut short but with sizes that agree: each table's own bounds are checked."""
    for chunk_id in ("AtU8", "Code", "ExpT", "ImpT", "LitT", "FunT", "Line", "LocT"):
        body = dict(iff_chunks(beam, "t"))[chunk_id]
        for cut in (0, 3, len(body) // 2, len(body) - 1):
            with pytest.raises(BadBeamError, match="arith.beam"):
                parse_beam(replace_chunk(beam, chunk_id, body[:cut]), "arith.beam")


def test_corrupt_chunk_ids_and_sizes(beam: bytes) -> None:
    for chunk_id, pos, size in chunk_offsets(beam):
        bad_id = bytearray(beam)
        bad_id[pos:pos + 4] = b"\x00\x01\x02\x03"
        with pytest.raises(BadBeamError, match="bad chunk id"):
            parse_beam(bytes(bad_id), "arith.beam")
        huge = bytearray(beam)
        huge[pos + 4:pos + 8] = (len(beam)).to_bytes(4, "big")
        with pytest.raises(BadBeamError, match="runs past the end"):
            parse_beam(bytes(huge), "arith.beam")
    renamed = bytearray(beam)
    code_pos = next(p for c, p, _ in chunk_offsets(beam) if c == "Code")
    renamed[code_pos:code_pos + 4] = b"Codx"
    with pytest.raises(BadBeamError, match="no Code chunk"):
        parse_beam(bytes(renamed), "arith.beam")


@pytest.mark.parametrize("data, message", [
    (b"", "not a BEAM file"), (b"FOR1\x00\x00\x00\x04BEAN", "not a BEAM file"),
    (b"FOR2\x00\x00\x00\x04BEAM", "not a BEAM file"),
    (b"FOR1\x00\x00\x01\x00BEAM", "truncated"),
    (b"FOR1\x00\x00\x00\x04BEAM", "no atom chunk"),
])
def test_bad_container(data: bytes, message: str) -> None:
    with pytest.raises(BadBeamError, match=message):
        parse_beam(data, "x.beam")


def test_bad_tables(beam: bytes) -> None:
    bad_exp = (1).to_bytes(4, "big") + (999).to_bytes(4, "big") + bytes(8)
    with pytest.raises(BadBeamError, match="atom index 999 out of range"):
        parse_beam(replace_chunk(beam, "ExpT", bad_exp), "arith.beam")
    with pytest.raises(BadBeamError, match="LitT chunk does not inflate"):
        parse_beam(replace_chunk(beam, "LitT", b"\x00\x00\x00\x10garbage!"), "arith.beam")
    bad_lit = (1).to_bytes(4, "big") + (3).to_bytes(4, "big") + b"\x83\xff\x00"
    data = build_iff([("LitU", bad_lit) if c == "LitT" else (c, b)
                      for c, b in iff_chunks(beam, "t")])
    with pytest.raises(BadBeamError, match="literal 0 does not decode"):
        parse_beam(data, "arith.beam")


def test_bad_code(beam: bytes) -> None:
    with pytest.raises(BadBeamError, match=r"arith.beam \(module arith\).*extended"):
        parse_beam(code_with(beam, bytes([64, 0x67, 0x03]) + END), "arith.beam")
    with pytest.raises(BadBeamError, match="without int_code_end"):
        parse_beam(code_with(beam, bytes([19])), "arith.beam")
    with pytest.raises(BadBeamError, match="truncated"):
        parse_beam(code_with(beam, bytes([64, 0x03])), "arith.beam")
    with pytest.raises(BadBeamError, match="atom"):
        parse_beam(code_with(beam, bytes([64]) + compact(2, 500) + compact(3, 0) + END),
                   "arith.beam")
    with pytest.raises(BadBeamError, match="literal"):
        parse_beam(code_with(beam, bytes([64, 0x47]) + compact(0, 500) + compact(3, 0) + END),
                   "arith.beam")
    with pytest.raises(BadBeamError, match="not a register"):
        parse_beam(code_with(beam, bytes([64, 0x57]) + compact(1, 1) + compact(0, 0)
                             + compact(3, 0) + END), "arith.beam")
    header = dict(iff_chunks(beam, "t"))["Code"]
    with pytest.raises(BadBeamError, match="header size"):
        parse_beam(replace_chunk(beam, "Code", (999).to_bytes(4, "big") + header[4:]),
                   "arith.beam")


def test_every_otp_module_decodes_or_is_refused_cleanly() -> None:
    """A sample of the host OTP's own modules: decoded, or refused with a LoadError."""
    import glob
    paths = sorted(glob.glob("/usr/lib/erlang/lib/stdlib-*/ebin/*.beam"))[:40]
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        try:
            m = parse_beam(data, path)
        except UnsupportedOpcodeError:
            continue
        assert m.instructions[-1].name == "int_code_end"
