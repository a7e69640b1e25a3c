"""Corrupt input never reaches the code generator.

* A seeded fuzz run (``scripts/fuzz_load.py``, in-process) over the committed packs and
  beams: every mutated input loads or is refused with a load error, never with a Python
  exception (which the CLI would report as an internal error, exit 70).
* A refused instruction is named: file, module, function/arity, instruction, operand.
* The operand table agrees with the opcode table (genop.tab arities) and the generators,
  and accepts the host OTP's own modules.
* Atoms whose text Python's identifier normalisation (NFKC) would rewrite load and stay
  distinct atoms.
"""
from __future__ import annotations

import contextlib
import glob
import importlib.util
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest

from helpers import avmsim, compile_erl

from avmsim.exit_codes import Exit
from avmsim.vm.avm_pack import read_pack
from avmsim.vm.beam_file import parse_beam
from avmsim.vm.codegen import OP_GENERATORS
from avmsim.vm.errors import BadBeamError, UnsupportedOpcodeError
from avmsim.vm.opcodes import OPCODE_BY_NAME, OPCODES
from avmsim.vm.ops import binaries
from avmsim.vm.validate import BS_MATCH_COMMANDS, OPERAND_KINDS, validate

ROOT = Path(__file__).resolve().parent.parent


def _load_fuzzer():
    spec = importlib.util.spec_from_file_location("fuzz_load", ROOT / "scripts" / "fuzz_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzzer()

FUZZ_SEED = 12
FUZZ_CASES = 1500
FUZZ_TIMEOUT_S = 300
"""The run takes about 15 s; a case that hangs the loader fails the test instead."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"fuzz run exceeded {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_fuzzed_packs_and_beams_load_or_are_refused_cleanly() -> None:
    with _deadline(FUZZ_TIMEOUT_S):
        _fuzz_run()


def _fuzz_run() -> None:
    fuzzer = fuzz.Fuzzer(FUZZ_SEED)
    kinds: Counter[str] = Counter()
    examples: dict[str, int] = {}
    refused = loaded = 0
    for out in fuzzer.run(range(FUZZ_CASES)):
        if out.error is not None:
            kind = fuzz.kind_of(out.error)
            kinds[kind] += 1
            examples.setdefault(kind, out.case)
            continue
        if out.message:
            refused += 1
            assert "\n" not in out.message, out.message
            assert out.message.startswith(Path(out.source).name), out.message
        else:
            loaded += 1
    assert not kinds, "internal errors (reproduce with scripts/fuzz_load.py --seed " \
        f"{FUZZ_SEED} --case N): " + "; ".join(f"{n} x {k} (case {examples[k]})"
                                              for k, n in kinds.items())
    # the mutations reach both outcomes: refused input, and input that still loads
    assert refused > FUZZ_CASES // 2 and loaded > FUZZ_CASES // 20


# ---------------------------------------------------------------------------- messages

SOURCE = """
-module(victim).
-export([start/0, pick/1, keep/1]).
start() -> pick(7).
pick(N) -> {N, tag}.
keep(X) -> Y = pick(X), {Y, X}.
"""


def _corrupt_move(beam: bytes, operand: int, tag: int) -> bytes:
    """``beam`` with operand ``operand`` (0-based) of its first ``move`` retagged."""
    cm = fuzz.code_map(beam)
    data = bytearray(beam)
    for at in cm.opcodes:
        if data[at] == OPCODE_BY_NAME["move"]:
            starts = [p for p in cm.operands if p > at]
            target = starts[operand]
            data[target] = (data[target] & ~7) | tag
            return bytes(data)
    raise AssertionError("no move instruction")


@pytest.fixture(scope="module")
def victim(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return compile_erl(tmp_path_factory.mktemp("victim"), "victim", SOURCE).read_bytes()


def test_literal_destination_is_named(victim: bytes) -> None:
    beam = parse_beam(_corrupt_move(victim, 1, 1), "app.avm:victim.beam")  # x -> integer
    with pytest.raises(BadBeamError) as err:
        validate(beam)
    assert str(err.value).startswith("app.avm:victim.beam: module victim, function ")
    assert "instruction move: operand 2 is the integer " in str(err.value)
    assert str(err.value).endswith("a register was expected")


def test_unknown_label_is_named(victim: bytes) -> None:
    data = bytearray(victim)
    cm = fuzz.code_map(victim)
    calls = [at for at in cm.opcodes if data[at] == OPCODE_BY_NAME["call_only"]]
    assert calls, "the compiler tail-calls pick/1"
    label_at = [p for p in cm.operands if p > calls[0]][1]
    assert parse_beam(victim, "victim.beam").label_count <= 15
    data[label_at] = (15 << 4) | 5  # label 15: more than the module defines
    with pytest.raises(BadBeamError, match=r"module victim, function start/0: instruction "
                                           r"call_only: operand 2 is label 15, a label "
                                           r"defined in the module was expected"):
        validate(parse_beam(bytes(data), "victim.beam"))


def test_frame_mismatch_is_named(victim: bytes) -> None:
    """keep/1 keeps X in a frame of one Y register across the call; popping 0 words of it
    would leave the frame's slots where the caller's CP is expected."""
    data = _first_operand_changed(victim, "deallocate", 1, 0)
    with pytest.raises(BadBeamError, match=r"module victim, function keep/1: instruction "
                                           r"deallocate: it pops a frame of 0 Y registers, "
                                           r"but the frame has 1 Y registers"):
        validate(parse_beam(data, "victim.beam"))


def test_call_with_wrong_argument_count_is_named(victim: bytes) -> None:
    """module_info/0 tail-calls erlang:get_module_info/1; passing it 3 arguments is corrupt."""
    data = _first_operand_changed(victim, "call_ext_only", 1, 3)
    with pytest.raises(BadBeamError, match=r"function module_info/0: instruction call_ext_only: "
                                           r"it passes 3 arguments to "
                                           r"erlang:get_module_info/1"):
        validate(parse_beam(data, "victim.beam"))


def _first_operand_changed(victim: bytes, opcode: str, was: int, now: int) -> bytes:
    """``victim`` with the first operand of its first ``opcode`` instruction, a small literal
    integer ``was``, made ``now``."""
    data = bytearray(victim)
    cm = fuzz.code_map(victim)
    found = [at for at in cm.opcodes if data[at] == OPCODE_BY_NAME[opcode]]
    operand_at = [p for p in cm.operands if p > found[0]][0]
    assert data[operand_at] == (was << 4) | 0, f"{opcode} {was}"
    data[operand_at] = (now << 4) | 0
    return bytes(data)


def test_unimplemented_opcode_is_named(victim: bytes) -> None:
    data = bytearray(victim)
    cm = fuzz.code_map(victim)
    returns = [at for at in cm.opcodes if data[at] == OPCODE_BY_NAME["return"]]
    data[returns[0]] = OPCODE_BY_NAME["fclearerror"]  # no operands either; AtomVM lacks it
    with pytest.raises(UnsupportedOpcodeError, match=r"module victim, function pick/1: "
                                                     r"instruction fclearerror: opcode 94 "):
        validate(parse_beam(bytes(data), "victim.beam"))


def test_cli_refuses_corrupt_beam_with_exit_7(victim: bytes, tmp_path: Path) -> None:
    bad = tmp_path / "victim.beam"
    bad.write_bytes(_corrupt_move(victim, 1, 1))
    r = avmsim(str(bad), timeout=120)
    assert r.returncode == Exit.BAD_BEAM, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert "module victim, function" in r.stderr and "instruction move" in r.stderr


# ---------------------------------------------------------------------------- the table

def test_operand_table_matches_opcodes_and_generators() -> None:
    assert set(OPERAND_KINDS) == set(OP_GENERATORS)
    for name, kinds in OPERAND_KINDS.items():
        assert len(kinds) == OPCODES[OPCODE_BY_NAME[name]][1], name
    # OTP's bs_match commands (beam_ssa_codegen): each has a generator
    assert set(BS_MATCH_COMMANDS) == set(binaries._BS_MATCH_COMMANDS) == {
        "ensure_at_least", "ensure_exactly", "integer", "binary", "skip", "get_tail", "=:="}


def test_committed_images_are_accepted() -> None:
    modules = 0
    for image in sorted((ROOT / "firmware_images").glob("*.avm")):
        for section in read_pack(image.read_bytes(), image.name):
            if section.is_beam:
                validate(parse_beam(section.data, f"{image.name}:{section.name}"))
                modules += 1
    assert modules > 30


def test_host_otp_modules_are_accepted() -> None:
    """No false alarms: the modules of OTP's own stdlib, kernel and compiler validate
    (operand kinds and frames, as OTP's compiler and beam_validator made them)."""
    paths = sorted(glob.glob("/usr/lib/erlang/lib/stdlib-*/ebin/*.beam")
                   + glob.glob("/usr/lib/erlang/lib/kernel-*/ebin/*.beam")
                   + glob.glob("/usr/lib/erlang/lib/compiler-*/ebin/*.beam"))
    assert len(paths) > 200, "the host OTP's ebin directories are missing"
    checked = 0
    for path in paths:
        try:
            beam = parse_beam(Path(path).read_bytes(), path)
        except UnsupportedOpcodeError:
            continue  # -on_load, refused while decoding as AtomVM does
        validate(beam)
        checked += 1
    assert checked > 200


# ---------------------------------------------------------------------------- atom names

UNICODE_ATOMS = """
-module(uni).
-export([start/0]).
%% U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU: NFKC maps the first to the second;
%% U+FB01 LATIN SMALL LIGATURE FI maps to "fi".
start() ->
    Micro = id('\\x{B5}'), Mu = id('\\x{3BC}'), Lig = id('\\x{FB01}'),
    true = Micro =/= Mu,
    true = Lig =/= fi,
    [16#B5] = atom_to_list(Micro),
    [16#3BC] = atom_to_list(Mu),
    micro = kind('\\x{B5}'),
    mu = kind('\\x{3BC}'),
    ligature = kind('\\x{FB01}'),
    plain = kind(fi),
    {'\\x{B5}', '\\x{3BC}'} = {Micro, Mu},
    ok.
kind('\\x{B5}') -> micro;
kind('\\x{3BC}') -> mu;
kind('\\x{FB01}') -> ligature;
kind(fi) -> plain.
id(X) -> X.
"""


def test_atoms_python_would_normalise_stay_distinct(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "uni", UNICODE_ATOMS)
    r = avmsim(str(beam), timeout=120)
    assert r.returncode == 0, r.stderr


# ---------------------------------------------------------------------------- big numbers

LONG = "ab" * 1000
WIDE = f"""
-module(wide).
-export([start/0]).
%% A 2000-byte string matched at once (a constant Python will not spell as one literal).
start() ->
    <<"{LONG}", Rest/binary>> = id(<<"{LONG}", "z">>),
    <<"z">> = Rest,
    ok.
id(X) -> X.
"""
TOO_WIDE = """
-module(too_wide).
-export([start/0]).
%% An integer literal of 20000 bits: OTP's compiler writes it, AtomVM cannot hold it.
start() ->
    {'EXIT', {out_of_memory, _}} = (catch id(1 bsl 19999 + 5)),
    ok.
id(X) -> X.
"""


def test_wide_constants_load(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "wide", WIDE)
    r = avmsim(str(beam), timeout=120)
    assert r.returncode == 0, r.stderr


def test_integer_literal_beyond_atomvms_256_bits_fails_where_used(tmp_path: Path) -> None:
    """AtomVM cannot read such a literal (its integers stop at 256 bits), but it decodes
    literals only when they are used (module.c ``module_load_literal``): the module loads
    and the use raises ``out_of_memory`` (tests/atomvm_diff/bigint_edges.erl)."""
    beam = compile_erl(tmp_path, "too_wide", TOO_WIDE)
    r = avmsim("--board", "generic-unix", str(beam), timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Return value: ok" in r.stderr
