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
with ``erl -noshell -eval 'X:start(), halt().'``, erl formatting terms with avmsim's io_lib
(AtomVM's ~w, as the corpus does: ``conformance.avmsim_io_lib_dir``); ``test_in_process``
calls ``cases/0`` in the VM directly (no io dependency; Python tracebacks on failure) and
compares with erl's output under OTP's own ~w. ``bits_known`` crashes
Debian's OTP 25 emulator (invalid utf32), so its expected output is written here.

AtomVM holds only whole bytes (issue 12): where a case builds or takes apart a bitstring that
is not, AtomVM (and avmsim) answer otherwise than OTP. Those cases are named in
``KNOWN_DEVIATIONS`` (program -> case number -> why): their lines are not compared with
OTP, but must still differ from OTP's (a stale entry fails). What AtomVM answers for each
kind is pinned by ``tests/atomvm_diff/bitstrings_unsupported.erl`` against the real AtomVM.
Every other case must print exactly what OTP prints.

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
from conformance import avmsim_io_lib_dir

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

_UNSUP = "builds a bitstring that is not whole bytes: error:unsupported"
_LEGACY = "legacy opcodes (bs_init_bits, bs_append unit 1): unsupported before the values"
_LITERAL = "a bitstring literal: AtomVM cannot load it, error:out_of_memory where used"
_LITTLE = "a little-endian integer that is not whole bytes: laid out as AtomVM lays it"
_TAKE = "takes a binary from inside a byte: badarg, or unsupported for a unit other than 8"
_FLOAT_POS = "a float inside a byte: AtomVM neither writes (badarg) nor reads (no match) it"
_FLOAT_UNIT = "a float's size is its width (16, 32, 64) whatever its unit"
_UTF_POS = "a UTF segment inside a byte: AtomVM codes it from the byte holding the position"
_SIZE = "a size that is no integer: badarg (bs_get_integer2 has no fail label for it)"

KNOWN_DEVIATIONS: dict[str, dict[int, str]] = {
    "bits_construct": {
        **dict.fromkeys((6, 7, 8, 9, 10, 14, 15, 16, 19, 38, 39, 49, 52, 53, 54, 57, 62),
                        _UNSUP),
        **dict.fromkeys((35, 36, 37, 40, 58, 60, 68, 78, 80, 90, 92), _LITERAL),
        21: _LITTLE, 29: _FLOAT_POS, 30: _FLOAT_UNIT, 31: _FLOAT_POS,
    },
    "bits_match": {
        **dict.fromkeys((13, 27, 28, 29, 42, 53), _TAKE),
        **dict.fromkeys((31, 32, 34, 56, 63, 73), _LITERAL),
        **dict.fromkeys((5, 37), _LITTLE),
        16: _FLOAT_POS, 17: _FLOAT_UNIT, 39: _SIZE, 40: _SIZE, 46: _UTF_POS,
    },
}
"""Cases (1-based, as printed) where AtomVM, and so avmsim, answers otherwise than OTP."""

LEGACY_DEVIATIONS: dict[str, dict[int, str]] = {"bits_construct": dict.fromkeys((41, 72), _LEGACY)}
"""More of them, in the ``legacy`` flavour only."""

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


def _erl_outputs(built: dict[str, Path], erl_args: tuple[str, ...]) -> dict[str, str]:
    """Stdout of every program under the host erl (``erl_args`` first), or KNOWN_OUTPUT."""
    out = dict(KNOWN_OUTPUT)
    home = built["otp25"].parent
    for prog in PROGRAMS:
        if prog in out:
            continue
        proc = subprocess.run(
            ["erl", "-noshell", *erl_args, "-pa", str(built["otp25"]),
             "-eval", f"{prog}:start(), halt()."],
            capture_output=True, text=True, timeout=120, env=_clean_env(home),
            stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, f"erl failed on {prog}: {proc.stderr}"
        out[prog] = proc.stdout
    return out


@pytest.fixture(scope="session")
def expected(built: dict[str, Path]) -> dict[str, str]:
    """Reference stdout of every program for ``test_cli``: host erl with terms formatted by
    avmsim's io_lib, i.e. AtomVM's ~w (floats as float_to_list/1), as in the corpus
    (conformance.avmsim_io_lib_dir)."""
    return _erl_outputs(built, ("-nostick", "-pa", str(avmsim_io_lib_dir())))


@pytest.fixture(scope="session")
def expected_otp_w(built: dict[str, Path]) -> dict[str, str]:
    """Reference stdout of every program with OTP's own ~w, which ``format_w`` reproduces
    (for ``test_in_process``)."""
    return _erl_outputs(built, ())


def _compare(prog: str, flavour: str, got: list[str], want: list[str]) -> None:
    """Every line as OTP's except the named deviations, which must differ from OTP's."""
    deviations = dict(KNOWN_DEVIATIONS.get(prog, {}))
    if flavour == "legacy":
        deviations.update(LEGACY_DEVIATIONS.get(prog, {}))
    assert len(got) == len(want), (got, want)
    for i, (g, w) in enumerate(zip(got, want), start=1):
        if i in deviations:
            assert g != w, f"case {i} of {prog} no longer deviates: {deviations[i]}"
        else:
            assert g == w, f"case {i} of {prog}"


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
    assert proc.returncode == 0, proc.stderr[-3000:]
    _compare(prog, flavour, proc.stdout.splitlines(), expected[prog].splitlines())


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
def test_in_process(built: dict[str, Path], expected_otp_w: dict[str, str], prog: str,
                    flavour: str) -> None:
    """``cases/0`` run in the VM directly gives the same terms (formatted with OTP's ~w)."""
    from avmsim.vm.term_format import format_w

    beam = _beam(built, prog, flavour)
    vm = _new_vm()
    name = vm.add_beam(beam.read_bytes(), str(beam))
    result = vm.run(vm.spawn(name, atom("cases"), []))
    _compare(prog, flavour, [format_w(t) for t in to_list(result)], expected_otp_w[prog].splitlines())


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
    """Whole-byte little-endian fields read back what was written (as on OTP)."""
    rng = random.Random(7)
    for n in range(8, 257, 8):
        for _ in range(20):
            u = rng.getrandbits(n)
            s = bits.le_to_stream(u, n)
            assert bits.stream_to_le(s, n) == u
            assert s == int.from_bytes(u.to_bytes(n // 8, "little"), "big")


def test_little_endian_bits_as_atomvm() -> None:
    """Not whole bytes, AtomVM 7b282159 builds ``<<1:12/little, 5:4>>`` as ``<<16,5>>`` and
    reads ``<<_:1, Z:12/little, _:3>> = <<255,1>>`` as 3584 (OTP: ``<<1,5>>`` and 254;
    tests/atomvm_diff/bitstrings_unsupported.expected, cases c_little and m_int_little)."""
    assert bits.le_to_stream(1, 12) << 4 | 5 == int.from_bytes(bytes((16, 5)), "big")
    assert bits.stream_to_le(bits.read_uint(bytes((255, 1)), 1, 12), 12) == 3584


def test_read_int_any_alignment() -> None:
    rng = random.Random(3)
    for _ in range(500):
        pre, n = rng.randrange(0, 17), rng.randrange(0, 90)
        v = rng.getrandbits(n) if n else 0
        little, signed = rng.random() < 0.5 and n % 8 == 0, rng.random() < 0.5
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


def test_bits_terms() -> None:
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


# ---------------------------------------------------------------------------- flags in a register

FLAGS_ASM = """
{module, rflags}.
{exports, [{int, 3}, {float, 3}, {utf16, 2}, {module_info, 0}]}.
{attributes, []}.
{labels, 9}.

{function, int, 3, 2}.
{label, 1}.
{func_info, {atom, rflags}, {atom, int}, 3}.
{label, 2}.
{bs_create_bin, {f, 0}, 0, 3, 1, {x, 0}, {list, [{atom, integer}, 1, 8, {x, 1}, {x, 0}, {x, 2}]}}.
return.

{function, float, 3, 4}.
{label, 3}.
{func_info, {atom, rflags}, {atom, float}, 3}.
{label, 4}.
{bs_create_bin, {f, 0}, 0, 3, 1, {x, 0}, {list, [{atom, float}, 1, 1, {x, 1}, {x, 0}, {x, 2}]}}.
return.

{function, utf16, 2, 6}.
{label, 5}.
{func_info, {atom, rflags}, {atom, utf16}, 2}.
{label, 6}.
{bs_create_bin, {f, 0}, 0, 2, 1, {x, 0},
 {list, [{atom, utf16}, 1, 0, {x, 1}, {x, 0}, {atom, undefined}]}}.
return.

{function, module_info, 0, 8}.
{label, 7}.
{func_info, {atom, rflags}, {atom, module_info}, 0}.
{label, 8}.
{move, {atom, rflags}, {x, 0}}.
{call_ext_only, 1, {extfunc, erlang, get_module_info, 1}}.
"""

FLAGS_MAIN = """
-module(rmain).
-export([start/0]).
t(F) -> erlang:display(try F() catch C:R -> {C, R} end).
start() ->
    t(fun() -> rflags:int(16#0102, [], 2) end),
    t(fun() -> rflags:int(16#0102, [little], 2) end),
    t(fun() -> rflags:int(16#0102, [native, signed], 2) end),
    t(fun() -> rflags:int(-2, [signed], 2) end),
    t(fun() -> rflags:int(16#0102, [big], 2) end),
    t(fun() -> rflags:int(16#0102, [little | foo], 2) end),
    t(fun() -> rflags:float(1.5, [little], 32) end),
    t(fun() -> rflags:float(1.5, [], 32) end),
    t(fun() -> rflags:utf16(16#1F600, [little]) end),
    t(fun() -> rflags:utf16(16#1F600, []) end),
    ok.
"""

FLAGS_OUTPUT = """<<1,2>>
<<2,1>>
<<2,1>>
<<255,254>>
{error,badarg}
{error,badarg}
<<0,0,192,63>>
<<63,192,0,0>>
<<61,216,0,222>>
<<216,61,222,0>>
"""
"""What AtomVM 7b282159 prints: its bs_create_bin reads flags from any operand and accepts
only little, native and signed in them (opcodesswitch.h DECODE_FLAGS_LIST)."""


def _assemble(tmp_path: Path) -> Path:
    src = tmp_path / "rflags.S"
    src.write_text(FLAGS_ASM)
    subprocess.run(["erlc", "-o", str(tmp_path), str(src)], check=True, capture_output=True)
    return tmp_path / "rflags.beam"


@needs_otp
def test_flags_in_a_register_are_read_at_run_time(tmp_path: Path) -> None:
    from helpers import avmsim, compile_erl

    lib = _assemble(tmp_path)
    main = compile_erl(tmp_path, "rmain", FLAGS_MAIN)
    run = avmsim("--board", "generic-unix", str(main), str(lib), timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == FLAGS_OUTPUT


@needs_otp
def test_flags_that_are_no_register_are_refused(tmp_path: Path) -> None:
    """int/3's segment ``integer, 1, 8, {x,1}, {x,0}, {x,2}`` is the compact-term bytes
    10 80 13 03 23; flags made label 3 (35) are corrupt."""
    from avmsim.vm.beam_file import parse_beam
    from avmsim.vm.errors import BadBeamError
    from avmsim.vm.validate import validate

    data = _assemble(tmp_path).read_bytes()
    assert data.count(bytes.fromhex("1080130323")) == 1
    data = data.replace(bytes.fromhex("1080130323"), bytes.fromhex("1080350323"))
    with pytest.raises(BadBeamError, match=r"function int/3: instruction bs_create_bin: "
                                           r"operand 6 .* item 4 is label 3, flags \(a "
                                           r"number, literal or register\) was expected"):
        validate(parse_beam(data, "rflags.beam"))
