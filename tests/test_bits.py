"""Binary and bitstring opcodes: the programs of ``tests/erlang_bits`` must print under
avmsim exactly what the host's OTP 25 prints.

Each program exports ``start/0`` (prints one result a line with ``~w``) and ``cases/0`` (the
results as a list). Flavours of the same source:

* ``otp25``: compiled now by the host erlc (bs_create_bin, bs_get_*2, bs_match_string...);
* ``legacy``: compiled now with ``+no_bs_create_bin +no_type_opt`` (bs_init_bits,
  bs_append, bs_private_append, bs_put_*, bs_add, bs_utf*_size);
* ``otp27``/``otp29``: the committed beams in ``tests/fixtures/bits`` (bs_match), built by
  ``scripts/build_bits_fixtures.sh``.

``test_cli`` runs ``python3 -m avmsim.cli --board generic-unix X.beam`` and compares stdout
with ``erl -noshell -eval 'X:start(), halt().'``; ``test_in_process`` calls ``cases/0`` in
the VM directly (no io dependency; Python tracebacks on failure). ``bits_known`` crashes
Debian's OTP 25 emulator (invalid utf32), so its expected output is written here.

Run: ``python3 -m pytest tests/test_bits.py``.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from avmsim.vm import bits
from avmsim.vm.errors import ErlangError
from avmsim.vm.terms import BitStr, atom, to_list

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
SRC_DIR = TESTS_DIR / "erlang_bits"
FIXTURES_DIR = TESTS_DIR / "fixtures" / "bits"
RELEASES = (27, 29)
PROGRAMS = sorted(p.stem for p in SRC_DIR.glob("*.erl"))
FLAVOURS = ("otp25", "legacy") + tuple(f"otp{r}" for r in RELEASES)
LEGACY_FLAGS = ("+no_bs_create_bin", "+no_type_opt")

KNOWN_OUTPUT = {
    "bits_known": (
        "[invalid,invalid,invalid,invalid,1114111]\n"
        "[invalid,invalid,65]\n"
        "[65,66]\n"
        "invalid\n"
    ),
}
"""Programs the host emulator cannot run: their expected ``start/0`` output."""

needs_otp = pytest.mark.skipif(shutil.which("erl") is None or shutil.which("erlc") is None,
                               reason="erl/erlc not installed")


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ERL_FLAGS", "ERL_AFLAGS", "ERL_ZFLAGS", "ERL_LIBS")}
    env["HOME"] = str(home)
    return env


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Directories of the beams compiled now: 'otp25' and 'legacy'."""
    root = tmp_path_factory.mktemp("bits")
    dirs = {"otp25": root / "otp25", "legacy": root / "legacy"}
    sources = [str(SRC_DIR / f"{p}.erl") for p in PROGRAMS]
    for flavour, flags in (("otp25", ()), ("legacy", LEGACY_FLAGS)):
        dirs[flavour].mkdir()
        subprocess.run(["erlc", *flags, "-o", str(dirs[flavour]), *sources], check=True,
                       capture_output=True, env=_clean_env(root))
    return dirs


@pytest.fixture(scope="session")
def expected(built: dict[str, Path]) -> dict[str, str]:
    """Reference stdout of every program (host erl, or KNOWN_OUTPUT)."""
    out = dict(KNOWN_OUTPUT)
    home = built["otp25"].parent
    for prog in PROGRAMS:
        if prog in out:
            continue
        proc = subprocess.run(
            ["erl", "-noshell", "-pa", str(built["otp25"]), "-eval", f"{prog}:start(), halt()."],
            capture_output=True, text=True, timeout=120, env=_clean_env(home),
            stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, f"erl failed on {prog}: {proc.stderr}"
        out[prog] = proc.stdout
    return out


def _beam(built: dict[str, Path], prog: str, flavour: str) -> Path:
    if flavour in built:
        return built[flavour] / f"{prog}.beam"
    path = FIXTURES_DIR / flavour / f"{prog}.beam"
    if not path.exists():
        pytest.fail(f"missing fixture {path}: run scripts/build_bits_fixtures.sh", pytrace=False)
    return path


@needs_otp
@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("prog", PROGRAMS)
def test_cli(built: dict[str, Path], expected: dict[str, str], prog: str, flavour: str) -> None:
    """The avmsim command prints what erl prints."""
    beam = _beam(built, prog, flavour)
    proc = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", "generic-unix",
                           str(beam)], capture_output=True, text=True, timeout=600,
                          cwd=str(REPO_DIR), stdin=subprocess.DEVNULL)
    assert proc.stdout == expected[prog], proc.stderr[-3000:]


def _new_vm():
    """A VM without a board (its constructor is still evolving: pass a clock if it wants one;
    skip when it cannot be built this way, test_cli covers the same programs)."""
    import inspect

    from avmsim.vm.vm import VM
    kwargs = {}
    if "clock" in inspect.signature(VM.__init__).parameters:
        from avmsim.clock import VirtualClock
        kwargs["clock"] = VirtualClock(hz=160_000_000, cores=1)
    try:
        return VM(lambda data: None, **kwargs)
    except TypeError as exc:
        pytest.skip(f"cannot build a bare VM: {exc}")


@needs_otp
@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("prog", PROGRAMS)
def test_in_process(built: dict[str, Path], expected: dict[str, str], prog: str,
                    flavour: str) -> None:
    """``cases/0`` run in the VM directly gives the same terms (formatted with ~w)."""
    from avmsim.vm.term_format import format_w

    beam = _beam(built, prog, flavour)
    vm = _new_vm()
    name = vm.add_beam(beam.read_bytes(), str(beam))
    result = vm.run(vm.spawn(name, atom("cases"), []))
    lines = [format_w(t) + "\n" for t in to_list(result)]
    want = expected[prog].splitlines(keepends=True)
    for i, (got, exp) in enumerate(zip(lines, want)):
        assert got == exp, f"case {i + 1} of {prog}"
    assert len(lines) == len(want)


@pytest.mark.parametrize("release", RELEASES)
def test_fixtures_up_to_date(release: int) -> None:
    """Every source has a fixture built from its current text (and nothing else is there)."""
    manifest = FIXTURES_DIR / f"otp{release}" / "sources.sha256"
    assert manifest.exists(), "run scripts/build_bits_fixtures.sh"
    recorded = {}
    for line in manifest.read_text().splitlines():
        digest, name = line.split()
        recorded[name] = digest
    current = {f"{p}.erl": hashlib.sha256((SRC_DIR / f"{p}.erl").read_bytes()).hexdigest()
               for p in PROGRAMS}
    assert recorded == current, "stale fixtures: run scripts/build_bits_fixtures.sh"
    beams = sorted(p.stem for p in (FIXTURES_DIR / f"otp{release}").glob("*.beam"))
    assert beams == PROGRAMS


# ---------------------------------------------------------------------------- bits.py units

def test_little_endian_round_trip() -> None:
    rng = random.Random(7)
    for n in list(range(0, 70)) + [80, 127, 128, 200]:
        for _ in range(20):
            u = rng.getrandbits(n) if n else 0
            s = bits.le_to_stream(u, n) if n else 0
            assert bits.stream_to_le(s, n) == u if n else True
            if n and n % 8 == 0:
                assert s == int.from_bytes(u.to_bytes(n // 8, "little"), "big")


def test_read_int_any_alignment() -> None:
    rng = random.Random(3)
    for _ in range(500):
        pre, n = rng.randrange(0, 17), rng.randrange(0, 90)
        v = rng.getrandbits(n) if n else 0
        little, signed = rng.random() < 0.5, rng.random() < 0.5
        b = bits.Bits()
        b.put(rng.getrandbits(pre) if pre else 0, pre)
        b.put(bits.le_to_stream(v, n) if little and n else v, n)
        b.put(5, 3)
        t = b.term()
        data = t if t.__class__ is bytes else t.data
        want = v - (1 << n) if signed and n and v >> (n - 1) else v
        assert bits.read_int(data, pre, n, little, signed) == want


def _parts(t: bytes | BitStr) -> tuple[bytes, int]:
    return (t, len(t) * 8) if t.__class__ is bytes else (t.data, t.bits)


def test_sub_bits_and_terms() -> None:
    assert _parts(bits.sub_bits(b"\xff\x01", 3, 16)) == (b"\xf8\x08", 13)
    assert bits.sub_bits(b"abc", 8, 24) == b"bc"
    assert _parts(bits.bits_term(0b101, 3)) == (b"\xa0", 3)
    assert bits.bits_term(0, 0) == b""


def test_pack_float_overflow_is_infinity() -> None:
    assert bits.pack_float(1.0e300, 32, False) == b"\x7f\x80\x00\x00"
    assert bits.pack_float(-1.0e10, 16, False) == b"\xfc\x00"
    assert bits.pack_float(3, 64, True) == struct.pack("<d", 3.0)
    for bad in ((1 << 1100, 64), (1.0, 24), (atom("x"), 64)):
        with pytest.raises(ErlangError):
            bits.pack_float(bad[0], bad[1], False)


def test_utf_decoders() -> None:
    def u8(data: bytes):
        return bits.get_utf8(bits.MatchState(data, len(data) * 8))

    assert [u8(x) for x in (b"a", "é".encode(), "€".encode(), "😀".encode())] == \
        [97, 233, 8364, 128512]
    for bad in (b"\xff", b"\xc0\x80", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                b"\xe2\x82", b"\x80", b""):
        assert u8(bad) is None
    m = bits.MatchState(b"\xd8\x3d\xde\x00", 32)
    assert bits.get_utf16(m, False) == 128512 and m.pos == 32
    assert bits.get_utf16(bits.MatchState(b"\xdc\x00\x00\x00", 32), False) is None
    assert bits.get_utf32(bits.MatchState(b"\x00\x00\xd8\x00", 32), False) is None


def test_fast_construction_is_inline() -> None:
    """Whole-byte constructions concatenate bytes: no call of the bit accumulator."""
    from avmsim.vm.codegen import Gen
    from avmsim.vm.operands import Const, Label, X
    from avmsim.vm.ops import binaries  # noqa: F401
    from avmsim.vm.runtime import BASE_NAMESPACE

    g = Gen("m", dict(BASE_NAMESPACE), {}, 0, [], {}, {})
    g.strings = b""
    g.start_block(0)
    ops = [Const(atom("integer")), 1, 1, Const([]), X(0), Const(16),
           Const(atom("binary")), 2, 8, Const([]), X(1), Const(atom("all")),
           Const(atom("utf8")), 3, 0, Const([]), X(2), Const(atom("undefined"))]
    binaries.bs_create_bin(g, Label(0), 0, 3, 1, X(0), ops)
    source = "\n".join(g.lines)
    assert "BS_BUILD" not in source and "to_bytes(2" in source
