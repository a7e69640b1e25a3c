"""AtomVM packs: layout per the facts page, PackBEAM-identical stripping, bad packs."""
from __future__ import annotations

import io
import random
import subprocess
import zlib
from pathlib import Path

import pytest

from avmsim.inspect_cmd import inspect_command
from avmsim.vm.module_ram import module_ram
from avmsim.pack_cmd import pack_command
from avmsim.vm.avm_pack import (BEAM_CODE, BEAM_START, DATA_FILE, PACK_HEADER, PackSection,
                                build_pack, data_section_name, flag_words, priv_data,
                                read_pack, stripped_beam, write_pack)
from avmsim.vm.beam_file import iff_chunks, parse_beam
from avmsim.vm.errors import BadBeamError, BadPackError, LoadError, NoStartModuleError
from avmsim.vm.term_order import exact_eq

SOURCES = {
    "app": "-module(app).\n-export([start/0]).\nstart() -> helper:greet({hello, [1,2,3]}).\n",
    "helper": "-module(helper).\n-export([greet/1, start/0]).\n"
              "greet(X) -> {ok, X, <<\"literal binary\">>, #{k => 1.5}}.\n"
              "start() -> lists:reverse([a, b]).\n",
    "nostart": "-module(nostart).\n-export([f/0]).\nf() -> io:format(\"~p~n\", [x]).\n",
}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pack")
    for name, src in SOURCES.items():
        (d / f"{name}.erl").write_text(src)
    subprocess.run(["erlc", "-o", str(d)] + [str(d / f"{n}.erl") for n in SOURCES],
                   check=True, capture_output=True, timeout=120)
    (d / "myapp" / "priv" / "img").mkdir(parents=True)
    (d / "myapp" / "priv" / "img" / "logo.bin").write_bytes(b"\x01\x02\x03\x04\x05")
    (d / "notes.txt").write_bytes(b"hello")
    return d


def beam(work: Path, name: str) -> str:
    return str(work / f"{name}.beam")


@pytest.fixture(scope="module")
def pack(work: Path) -> bytes:
    return build_pack([beam(work, "helper"), beam(work, "app"), beam(work, "nostart"),
                       str(work / "myapp/priv/img/logo.bin")], start="app")


# ------------------------------------------------------------------ layout

def test_header_and_end_section(pack: bytes) -> None:
    assert pack[:24] == b"#!/usr/bin/env AtomVM\n\x00\x00" == PACK_HEADER
    assert pack[-16:] == bytes(12) + b"end\x00"
    assert len(pack) % 4 == 0


def test_section_headers_and_padding(pack: bytes) -> None:
    pos = 24
    names = []
    while True:
        size, flags, reserved = (int.from_bytes(pack[pos + i:pos + i + 4], "big")
                                 for i in (0, 4, 8))
        assert reserved == 0
        nul = pack.index(b"\x00", pos + 12)
        name = pack[pos + 12:nul].decode()
        names.append((name, flags))
        if size == 0:
            break
        header = 12 + len(name) + 1
        padded = (header + 3) // 4 * 4
        assert pack[pos + header:pos + padded] == bytes(padded - header)
        assert size % 4 == 0
        payload = pack[pos + padded:pos + size]
        if flags & BEAM_CODE:
            assert payload[:4] == b"FOR1"
            beam_len = 8 + int.from_bytes(payload[4:8], "big")
            assert payload[beam_len:] == bytes(len(payload) - beam_len)
        pos += size
    assert names == [("app.beam", 3), ("helper.beam", 3), ("nostart.beam", 2),
                     ("myapp/priv/img/logo.bin", 4), ("end", 0)]
    assert pos + 16 == len(pack)


def test_data_section_has_length_prefix(pack: bytes) -> None:
    data = next(s for s in read_pack(pack, "p") if s.flags == DATA_FILE)
    assert data.data == b"\x00\x00\x00\x05\x01\x02\x03\x04\x05"
    assert priv_data(data) == b"\x01\x02\x03\x04\x05"
    assert pack[data.offset:data.offset + 9] == data.data


def test_read_pack_sections_and_offsets(pack: bytes, work: Path) -> None:
    sections = read_pack(pack, "p.avm")
    assert [s.name for s in sections] == ["app.beam", "helper.beam", "nostart.beam",
                                          "myapp/priv/img/logo.bin"]
    for s in sections:
        assert pack[s.offset:s.offset + len(s.data)] == s.data
        assert s.offset % 4 == 0 and s.size % 4 == 0
    app = sections[0]
    assert app.is_beam and app.is_start and app.flags == BEAM_START | BEAM_CODE
    assert app.data == stripped_beam(Path(beam(work, "app")).read_bytes())
    assert parse_beam(app.data, "app").name.name == "app"


def test_round_trip(pack: bytes) -> None:
    sections = read_pack(pack, "p")
    assert write_pack(sections) == pack
    again = read_pack(write_pack(sections), "p")
    assert [(s.name, s.flags, s.data) for s in again] == \
        [(s.name, s.flags, s.data) for s in sections]
    made = [PackSection("a.bin", DATA_FILE, b"\x00\x00\x00\x01x"),
            PackSection("odd", 0, b"12345")]
    read_back = read_pack(write_pack(made), "w")
    assert read_back[0].data == b"\x00\x00\x00\x01x"
    assert read_back[1].data == b"12345\x00\x00\x00"  # unknown kinds keep their padding
    with pytest.raises(ValueError):
        write_pack([PackSection("end", 0, b"")])


def test_lib_has_no_start_flags_and_order_is_kept(work: Path) -> None:
    p = build_pack([beam(work, "helper"), beam(work, "app")], lib=True)
    assert [(s.name, s.flags) for s in read_pack(p, "p")] == [
        ("helper.beam", BEAM_CODE), ("app.beam", BEAM_CODE)]
    p = build_pack([beam(work, "helper"), beam(work, "app")])
    assert [(s.name, s.flags) for s in read_pack(p, "p")] == [
        ("helper.beam", 3), ("app.beam", 3)]


def test_start_module_errors(work: Path) -> None:
    with pytest.raises(NoStartModuleError, match="not among"):
        build_pack([beam(work, "helper")], start="app")
    with pytest.raises(NoStartModuleError, match="start/0"):
        build_pack([beam(work, "helper"), beam(work, "nostart")], start="nostart")


def test_merging_avm_inputs(work: Path, pack: bytes, tmp_path: Path) -> None:
    lib = tmp_path / "lib.avm"
    lib.write_bytes(build_pack([beam(work, "helper"), beam(work, "nostart")], lib=True))
    merged = build_pack([beam(work, "app"), str(lib), str(work / "notes.txt")])
    sections = read_pack(merged, "m")
    assert [(s.name, s.flags) for s in sections] == [
        ("app.beam", 3), ("helper.beam", 2), ("nostart.beam", 2),
        (str(work / "notes.txt").lstrip("/"), DATA_FILE)]
    lib_sections = read_pack(lib.read_bytes(), "lib")
    assert sections[1].data == lib_sections[0].data


def test_data_section_names() -> None:
    assert data_section_name("/x/y/myapp/priv/img/logo.png") == "myapp/priv/img/logo.png"
    assert data_section_name("myapp/priv/a.txt") == "myapp/priv/a.txt"
    assert data_section_name("./a/priv/priv/b") == "priv/priv/b"
    assert data_section_name("notes.txt") == "notes.txt"
    assert data_section_name("dir/notes.txt") == "dir/notes.txt"


def test_missing_and_bad_inputs(work: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        build_pack([str(tmp_path / "nope.beam")])
    assert info.value.filename == str(tmp_path / "nope.beam")
    bad = tmp_path / "bad.beam"
    bad.write_bytes(b"FOR1\x00\x00\x00\x04BEAN")
    with pytest.raises(BadBeamError, match="bad.beam"):
        build_pack([str(bad)])
    bad_avm = tmp_path / "bad.avm"
    bad_avm.write_bytes(PACK_HEADER)
    with pytest.raises(BadPackError, match="bad.avm"):
        build_pack([str(bad_avm)])


# ------------------------------------------------------------------ stripping

def test_litt_becomes_litu(work: Path) -> None:
    raw = Path(beam(work, "helper")).read_bytes()
    original = dict(iff_chunks(raw, "o"))
    stripped = stripped_beam(raw)
    chunks = dict(iff_chunks(stripped, "s"))
    assert "LitT" not in chunks and "LitU" in chunks
    assert chunks["LitU"] == zlib.decompress(original["LitT"][4:])
    a, b = parse_beam(raw, "a"), parse_beam(stripped, "b")
    assert all(exact_eq(x, y) for x, y in zip(a.literals, b.literals))
    assert len(a.literals) == len(b.literals) > 0


def test_kept_chunks_and_order(work: Path) -> None:
    raw = Path(beam(work, "helper")).read_bytes()
    order = [c for c, _ in iff_chunks(raw, "o")]
    kept = [c for c, _ in iff_chunks(stripped_beam(raw), "s")]
    expected = [("LitU" if c == "LitT" else c) for c in order if c in {
        "AtU8", "Code", "ExpT", "LocT", "ImpT", "LitT", "FunT", "StrT", "Type", "Line"}]
    assert kept == expected
    assert not {"Dbgi", "CInf", "Attr", "Meta"} & set(kept)
    no_lines = [c for c, _ in iff_chunks(stripped_beam(raw, include_lines=False), "s")]
    assert no_lines == [c for c in expected if c != "Line"]
    p = build_pack([beam(work, "helper")], include_lines=False)
    assert "Line" not in dict(iff_chunks(read_pack(p, "p")[0].data, "s"))


def test_stripped_beam_identical_to_packbeam_method(work: Path) -> None:
    """PackBEAM strips with beam_lib:all_chunks, inflates LitT into LitU in place and
    rebuilds with beam_lib:build_module; do exactly that with the host OTP and compare."""
    path = beam(work, "helper")
    script = (
        f"{{ok, _, Cs}} = beam_lib:all_chunks(\"{path}\"), "
        "Keep = [\"AtU8\",\"Code\",\"ExpT\",\"LocT\",\"ImpT\",\"LitU\",\"FunT\",\"StrT\","
        "\"LitT\",\"avmN\",\"Type\",\"Recs\",\"Line\"], "
        "Cs1 = [case C of {\"LitT\", <<_:4/binary, D/binary>>} -> {\"LitU\", zlib:uncompress(D)};"
        " _ -> C end || {Id, _} = C <- Cs, lists:member(Id, Keep)], "
        "{ok, B} = beam_lib:build_module(Cs1), "
        "io:format(\"~s~n\", [binary:encode_hex(B)]), halt().")
    out = subprocess.run(["erl", "-noshell", "-eval", script], check=True,
                         capture_output=True, text=True, timeout=120).stdout.strip()
    assert stripped_beam(Path(path).read_bytes()) == bytes.fromhex(out)


# ------------------------------------------------------------------ bad packs

def section_boundaries(pack: bytes) -> list[int]:
    out, pos = [24], 24
    while True:
        size = int.from_bytes(pack[pos:pos + 4], "big")
        if size == 0:
            return out
        pos += size
        out.append(pos)


def test_truncation_at_every_section_boundary(pack: bytes) -> None:
    cuts = [0, 10, 23] + section_boundaries(pack)
    cuts += [b + d for b in section_boundaries(pack) for d in (4, 8, 12, 13, 16)]
    for cut in sorted(set(c for c in cuts if c < len(pack))):
        with pytest.raises(BadPackError, match="p.avm"):
            read_pack(pack[:cut], "p.avm")


def test_truncation_at_every_offset(pack: bytes) -> None:
    offsets = range(len(pack)) if len(pack) < 6000 else random.Random(7).sample(
        range(len(pack)), 2000)
    for cut in offsets:
        with pytest.raises(BadPackError):
            read_pack(pack[:cut], "p.avm")


def test_trailing_bytes_after_end_are_ignored(pack: bytes) -> None:
    assert len(read_pack(pack + b"\xff" * 64, "p")) == 4


def set_u32(data: bytes, pos: int, value: int) -> bytes:
    return data[:pos] + value.to_bytes(4, "big") + data[pos + 4:]


@pytest.mark.parametrize("mutate, message", [
    (lambda p: b"#!/usr/bin/env AtomVN\n\x00\x00" + p[24:], "not an AtomVM pack"),
    (lambda p: set_u32(p, 24, 6), "invalid size"),
    (lambda p: set_u32(p, 24, 18), "invalid size"),
    (lambda p: set_u32(p, 24, 0), "size 0"),
    (lambda p: set_u32(p, 24, 0x7FFFFFFC), "runs past the end"),
    (lambda p: p[:-16], "no end section"),
    (lambda p: p[:-4], "truncated"),
])
def test_wrong_sizes_and_headers(pack: bytes, mutate, message: str) -> None:
    with pytest.raises(BadPackError, match=message):
        read_pack(mutate(pack), "p.avm")


def test_section_contents_checked(pack: bytes) -> None:
    first = read_pack(pack, "p")[0]
    bad = bytearray(pack)
    bad[first.offset:first.offset + 4] = b"XXXX"
    with pytest.raises(BadPackError, match="no BEAM file"):
        read_pack(bytes(bad), "p.avm")
    bad = bytearray(pack)
    bad[first.offset + 4:first.offset + 8] = (first.size * 2).to_bytes(4, "big")
    with pytest.raises(BadPackError, match="room for"):
        read_pack(bytes(bad), "p.avm")
    data = next(s for s in read_pack(pack, "p") if s.flags == DATA_FILE)
    bad = set_u32(pack, data.offset, 1000)
    with pytest.raises(BadPackError, match="room for"):
        read_pack(bad, "p.avm")
    assert issubclass(BadPackError, LoadError)


# ------------------------------------------------------------------ commands

def test_pack_command_and_inspect(work: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.avm"
    pack_command(str(out), [beam(work, "app"), beam(work, "helper")], False, "helper")
    sections = read_pack(out.read_bytes(), "out")
    assert [s.name for s in sections] == ["helper.beam", "app.beam"]
    text = io.StringIO()
    inspect_command(str(out), text)
    report = text.getvalue()
    assert "helper.beam" in report and "BEAM_START|BEAM_CODE" in report
    assert "greet/1" in report and "start/0" in report
    mods = [parse_beam(s.data, s.name) for s in sections]
    known: set[str] = set()
    rams = [module_ram(m, 4, known) for m in mods]
    assert f"total RAM for 2 module(s): {sum(r.total for r in rams)} bytes" in report
    with pytest.raises(FileNotFoundError):
        inspect_command(str(tmp_path / "missing.avm"), io.StringIO())


def test_ram_formula_for_single_module(work: Path) -> None:
    m = parse_beam(Path(beam(work, "nostart")).read_bytes(), "nostart.beam")
    ram = module_ram(m, 4)
    non_bif = sum(1 for mod, _f, _a in m.imports if mod.name != "erlang")
    assert non_bif == 1  # io:format/2
    line_ops = sum(1 for i in m.instructions if i.name == "line")
    expected = (108 + 4 * (len(m.atoms) + 1) + 12 * len(m.atoms) + 4 * len(m.imports)
                + 16 * non_bif + 4 * m.label_count + 8 * len(m.literals) + 4 * line_ops)
    assert ram.total == expected
    text = io.StringIO()
    inspect_command(beam(work, "nostart"), text)
    assert f"RAM once loaded: {expected} bytes" in text.getvalue()
    assert module_ram(m, 8).total > expected
    assert flag_words(3) == "BEAM_START|BEAM_CODE" and flag_words(0) == "-"
    assert flag_words(4 | 16) == "DATA_FILE|0x10"
