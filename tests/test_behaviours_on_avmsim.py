"""The OTP behaviour programs of tests/otp_behaviours run on avmsim print what OTP prints.

Each program runs under the host erl with OTP's own gen_server, supervisor, gen_statem…
and under avmsim with ours (from the standard library pack), and stdout must be identical.
The host erl formats terms with avmsim's io_lib (AtomVM's ~p/~w, see
``conformance.avmsim_io_lib_dir``), so the comparison is about the behaviours.
Reports (crash, supervisor, error) are switched off on both sides: OTP's logger prints
them asynchronously, so their place among the program's lines is not deterministic, and
their timestamps differ anyway. Their presence is checked by test_otp_behaviours.py.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conformance import avmsim_io_lib_dir
from helpers import avmsim

SOURCES = Path(__file__).resolve().parent / "otp_behaviours"
PROGRAMS = sorted(p.stem for p in SOURCES.glob("*_test.erl") if p.stem != "logger_test")

QUIET_RUNNER = """-module(quiet_{name}).
-export([start/0]).
start() -> logger:set_primary_config(level, none), {name}:start().
"""


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("behaviours")
    for name in PROGRAMS:
        (out / f"quiet_{name}.erl").write_text(QUIET_RUNNER.format(name=name))
    sources = [str(SOURCES / f"{n}.erl") for n in PROGRAMS] + \
              [str(out / f"quiet_{n}.erl") for n in PROGRAMS]
    subprocess.run(["erlc", "-o", str(out), *sources], check=True, capture_output=True)
    return out


@pytest.mark.parametrize("name", PROGRAMS)
def test_behaviour_program_matches_otp(build: Path, name: str) -> None:
    expected = subprocess.run(
        ["erl", "-noshell", "-kernel", "logger_level", "none", "-nostick",
         "-pa", str(avmsim_io_lib_dir()), "-pa", str(build),
         "-eval", f"{name}:start(), halt()."],
        capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert expected.returncode == 0, expected.stderr
    beams = [str(build / f"quiet_{name}.beam"), str(build / f"{name}.beam")]
    got = avmsim("--board", "generic-unix", "--lib-extras", *beams)   # OTP-style programs
    assert got.returncode == 0, got.stderr[-2000:]
    assert got.stdout == expected.stdout
