"""The AtomVM differential corpus: where AtomVM and OTP disagree, avmsim prints what AtomVM
prints.

Every ``tests/atomvm_diff/NAME.erl`` names in its header the difference it pins down. Its
``NAME.expected`` is what the real AtomVM (generic_unix, with its own standard library)
printed, made by ``scripts/atomvm_expected.py``; the first line of that file is a comment
naming the AtomVM revision. Here the program is compiled with the host erlc and run under
avmsim on ``generic-unix``; stdout must be identical, byte for byte.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

CORPUS = Path(__file__).parent / "atomvm_diff"
PROGRAMS = sorted(p.stem for p in CORPUS.glob("*.erl"))


def expected(name: str) -> str:
    header, _, body = (CORPUS / f"{name}.expected").read_text().partition("\n")
    assert header.startswith("%% expected output from AtomVM"), header
    return body


def test_every_program_has_an_expected_output() -> None:
    assert PROGRAMS
    missing = [n for n in PROGRAMS if not (CORPUS / f"{n}.expected").exists()]
    assert not missing, f"run scripts/atomvm_expected.py for {missing}"


@pytest.mark.parametrize("name", PROGRAMS)
def test_prints_what_atomvm_prints(tmp_path: Path, name: str) -> None:
    beam = compile_erl(tmp_path, name, (CORPUS / f"{name}.erl").read_text())
    run = avmsim("--board", "generic-unix", str(beam), timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected(name)
