"""avmsim-only properties of the scheduler and of virtual time, checked with the
programs of ``tests/erlang_proc/vt`` (compiled with the host erlc; they are
never run under erl, their output is avmsim's own):

* determinism: ``vt_determinism`` (a ring, a ticker, CPU-bound workers, a
  timer storm, processes racing to one mailbox without handshakes) prints the
  same bytes on every run, including its final virtual time
  ``erlang:monotonic_time(microsecond)``, on a one-core and a two-core board,
  whatever Python's hash seed (``PYTHONHASHSEED``) is.
* fast-forward: an hour of ``timer:sleep(1000)`` (``vt_fastforward``) or of
  ``receive after 1000`` (``vt_fastforward_after``) ends at virtual second
  3600 and costs little host time. The budget is 2 s of wall time for the
  whole avmsim subprocess, assuming avmsim starts up (Python imports, packs
  loaded from the simulated flash) in at most 1 s; the start-up cost is
  measured with ``vt_empty`` (best of two runs) and whatever it exceeds 1 s
  by is added to the budget, so a loaded machine does not fail the test.
  ``AVMSIM_FF_BUDGET`` overrides the 2 s.
* parallelism (``esp32-devkit``, 2 cores): two CPU-bound processes finish
  sooner in virtual time than the same work done sequentially, and
  ``erlang:system_flag(schedulers_online, 1)`` removes the speedup
  (``vt_parallel``); ``erlang:system_info(schedulers | schedulers_online)``
  follows it (``vt_sysinfo``).

Run: ``python3 -m pytest tests/test_determinism.py``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import conformance as conf

VT_DIR = conf.PROC_DIR / "vt"
BOARDS = ("generic-unix", "esp32-devkit")
FF_BUDGET = float(os.environ.get("AVMSIM_FF_BUDGET", "2.0"))
#: Start-up time the budget assumes; a slower start-up extends the budget.
STARTUP_ALLOWANCE = 1.0
HASH_SEEDS = ("0", "1", "4242")

pytestmark = pytest.mark.skipif(shutil.which("erlc") is None, reason="erlc not installed")


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    returncode: int
    wall: float


@pytest.fixture(scope="module")
def vt_beams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The programs of tests/erlang_proc/vt compiled with the host erlc."""
    out = tmp_path_factory.mktemp("vt_beams")
    home = tmp_path_factory.mktemp("vt_home")
    sources = sorted(VT_DIR.glob("*.erl"))
    proc = subprocess.run(["erlc", "-o", str(out), *map(str, sources)], capture_output=True,
                          text=True, env=conf.erl_env(home), stdin=subprocess.DEVNULL,
                          timeout=conf.ERL_TIMEOUT * 4)
    if proc.returncode != 0:
        pytest.fail(f"erlc failed:\n{proc.stdout}{proc.stderr}", pytrace=False)
    return out


def run(beam: Path, board: str, hash_seed: str | None = None) -> Run:
    """Run one beam under avmsim, timing the subprocess (start-up included)."""
    env = dict(os.environ)
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", board, str(beam)],
                          capture_output=True, cwd=str(conf.REPO_DIR), env=env,
                          stdin=subprocess.DEVNULL, timeout=conf.AVMSIM_TIMEOUT)
    wall = time.perf_counter() - t0
    return Run(proc.stdout.decode("utf-8", "backslashreplace"),
               proc.stderr.decode("utf-8", "backslashreplace"), proc.returncode, wall)


def ok(r: Run, what: str) -> str:
    assert r.returncode == 0, f"{what}: avmsim exited {r.returncode}\n{r.stderr[-3000:]}"
    return r.stdout


# ---------------------------------------------------------------------------- determinism

@pytest.mark.parametrize("board", BOARDS)
def test_determinism(vt_beams: Path, board: str) -> None:
    """Same program, several runs (different hash seeds): same bytes, same end time."""
    outs = [ok(run(vt_beams / "vt_determinism.beam", board, seed), f"seed {seed}")
            for seed in HASH_SEEDS]
    last = outs[0].splitlines()[-1]
    assert last.startswith("end time us: "), outs[0]
    end_us = int(last.split(": ")[1])
    assert end_us > 0
    for seed, out in zip(HASH_SEEDS[1:], outs[1:]):
        assert out == outs[0], (f"PYTHONHASHSEED={seed} gave different output:\n"
                                + conf.unified_diff(outs[0].encode(), out.encode(),
                                                    f"seed{HASH_SEEDS[0]}", f"seed{seed}"))


# ---------------------------------------------------------------------------- fast-forward

@pytest.fixture(scope="module")
def startup(vt_beams: Path) -> dict[str, float]:
    """avmsim's start-up wall time per board: best of two runs of an empty program."""
    times = {}
    for board in BOARDS:
        runs = [run(vt_beams / "vt_empty.beam", board) for _ in range(2)]
        for r in runs:
            assert ok(r, "vt_empty") == "0\n"
        times[board] = min(r.wall for r in runs)
    return times


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("prog, expected", [("vt_fastforward", "0 3600\n"),
                                            ("vt_fastforward_after", "0 1800 3600\n")])
def test_fast_forward(vt_beams: Path, startup: dict[str, float], board: str, prog: str,
                      expected: str) -> None:
    """An hour of virtual sleeping ends at virtual second 3600, quickly in host time."""
    r = run(vt_beams / f"{prog}.beam", board)
    assert ok(r, prog) == expected
    budget = FF_BUDGET + max(0.0, startup[board] - STARTUP_ALLOWANCE)
    assert r.wall < budget, (f"{prog} on {board} took {r.wall:.2f} s of host time "
                             f"(budget {budget:.2f} s; start-up alone {startup[board]:.2f} s)")


# ---------------------------------------------------------------------------- parallelism

PARALLEL_EXPECTED = """\
two cores: speedup (parallel < 0.65 x sequential)
system_flag returned: 2
one core: no speedup (parallel > 0.9 x sequential)
sequential unchanged: true
system_flag returned: 1
two cores again: speedup (parallel < 0.65 x sequential)
"""


def test_parallel_speedup(vt_beams: Path) -> None:
    """On esp32-devkit two busy processes use both cores; one online scheduler serializes them."""
    assert ok(run(vt_beams / "vt_parallel.beam", "esp32-devkit"), "vt_parallel") == PARALLEL_EXPECTED


SYSINFO_EXPECTED = """\
schedulers: 2
schedulers_online: 2
set 1: 2
schedulers_online: 1
set 2: 1
schedulers_online: 2
set 3: badarg
set 0: badarg
"""


def test_system_info_schedulers(vt_beams: Path) -> None:
    """erlang:system_info(schedulers / schedulers_online) on a 2-core board follows system_flag."""
    assert ok(run(vt_beams / "vt_sysinfo.beam", "esp32-devkit"), "vt_sysinfo") == SYSINFO_EXPECTED
