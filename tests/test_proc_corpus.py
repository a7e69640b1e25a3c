"""The concurrency conformance corpus: every program of ``tests/erlang_proc``
(processes, links, monitors, registered names, timers, selective receive,
virtual time) must print under avmsim exactly what the host's OTP prints, on
a one-core board (``generic-unix``) and on a two-core one (``esp32-devkit``).

The programs are written to be deterministic under OTP's multi-core
scheduler: processes print only after handshakes, times are printed as
booleans (``T1 - T0 >= Sleep``), pids and refs never. erl runs with
``-kernel logger_level none`` (``conformance.PROC_ERL_ARGS``, see the
``conformance`` docstring): the error reports OTP's logger prints for crashed
processes would otherwise land on stdout.

* ``test_reference``: the erl side itself is clean (exit 0, ASCII output).
* ``test_otp25``: compiled now with the host erlc (OTP 25), run under avmsim on
  both boards.
* ``test_fixture``: the committed OTP 27 / OTP 29 beams
  (``tests/fixtures/proc_otpNN``, built by ``scripts/build_fixtures.sh``), on
  both boards, compared with the same OTP 25 reference.
* ``test_fixtures_up_to_date``: every source has a fixture per release, built
  from the source as it is now, and no fixture lacks a source.

Run: ``python3 -m pytest tests/test_proc_corpus.py`` (``-k proc_ring`` for one
program, ``-k esp32`` for one board). ``AVMSIM_CORPUS_TIMEOUT`` sets the
seconds one avmsim run may take (default 600). The avmsim-only programs
(determinism, fast-forward, parallelism) are in ``tests/erlang_proc/vt`` and
``tests/test_determinism.py``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import conformance as conf

PROGRAMS = conf.programs(conf.PROC_DIR)
BOARDS = ("generic-unix", "esp32-devkit")

TOO_BIG_FOR_ESP32 = {
    "proc_ring": "a 1000-process ring: ~300 B of Context and heap each, over the ~277 KB free",
    "proc_refs_time": "a 5000-ref list and a 5000-integer list live at once need a heap block "
                      "larger than the largest free block (~147 KB)",
}
"""Programs that need more RAM than an ESP32 has: on esp32-devkit they end with
out_of_memory, as they would on the device (checked by test_too_big_for_esp32)."""

RUNS = [(prog, board) for prog in PROGRAMS for board in BOARDS
        if not (board == "esp32-devkit" and prog in TOO_BIG_FOR_ESP32)]
PREFIX = conf.PROC_FIXTURE_PREFIX

needs_otp = pytest.mark.skipif(not conf.tools_available(), reason="erl/erlc not installed")


@pytest.fixture(scope="session")
def proc_references(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[conf.ReferenceOutputs]:
    """Reference outputs, computed once per session for the selected programs only."""
    refs = conf.ReferenceOutputs(tmp_path_factory.mktemp("proc_corpus_erl"),
                                 src_dir=conf.PROC_DIR, erl_args=conf.PROC_ERL_ARGS)
    selected = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and item.module is not None and item.module.__name__ == __name__:
            prog = callspec.params.get("prog")
            if prog is not None and prog not in selected:
                selected.append(prog)
    refs.prefetch(selected)
    yield refs
    refs.close()


def usable_reference(refs: conf.ReferenceOutputs, prog: str) -> conf.Reference:
    """The program's reference, or a test error when erl could not produce one."""
    ref = refs.get(prog)
    problems = conf.check_reference(ref)
    if problems:
        pytest.fail(f"no usable erl reference for {prog}: " + "; ".join(problems), pytrace=False)
    return ref


@needs_otp
@pytest.mark.parametrize("prog", PROGRAMS)
def test_reference(proc_references: conf.ReferenceOutputs, prog: str) -> None:
    """The host erl runs the program cleanly and prints ASCII only."""
    ref = proc_references.get(prog)
    assert conf.check_reference(ref) == []


@needs_otp
@pytest.mark.parametrize("prog,board", RUNS)
def test_otp25(proc_references: conf.ReferenceOutputs, prog: str, board: str) -> None:
    """avmsim runs the beam compiled just now by the host erlc like erl does."""
    ref = usable_reference(proc_references, prog)
    failure = conf.compare(ref, conf.run_avmsim(ref.beam, board=board), f"otp25/{board}")
    if failure:
        pytest.fail(failure, pytrace=False)


@needs_otp
@pytest.mark.parametrize("release", conf.FIXTURE_RELEASES, ids=lambda r: f"otp{r}")
@pytest.mark.parametrize("prog,board", RUNS)
def test_fixture(proc_references: conf.ReferenceOutputs, prog: str, release: int,
                 board: str) -> None:
    """avmsim runs the committed OTP 27/29 beam and prints the OTP 25 reference."""
    beam = conf.fixture_path(release, prog, PREFIX)
    if not beam.exists():
        pytest.fail(f"missing fixture {beam.relative_to(conf.REPO_DIR)}: run scripts/build_fixtures.sh",
                    pytrace=False)
    ref = usable_reference(proc_references, prog)
    failure = conf.compare(ref, conf.run_avmsim(beam, board=board), f"otp{release}/{board}")
    if failure:
        pytest.fail(failure, pytrace=False)


@pytest.mark.parametrize("release", conf.FIXTURE_RELEASES, ids=lambda r: f"otp{r}")
def test_fixtures_up_to_date(release: int) -> None:
    """Each source has a beam for the release, built from the current source text."""
    fixture_dir = conf.fixture_dir(release, PREFIX)
    manifest = conf.read_manifest(release, PREFIX)
    problems = []
    for prog in PROGRAMS:
        if not conf.fixture_path(release, prog, PREFIX).exists():
            problems.append(f"{prog}: no {prog}.beam")
        elif manifest.get(prog) != conf.source_digest(prog, conf.PROC_DIR):
            problems.append(f"{prog}: source changed since the fixture was built")
    orphans = sorted(p.stem for p in fixture_dir.glob("*.beam") if p.stem not in PROGRAMS)
    problems += [f"{name}: fixture without a source" for name in orphans]
    assert not problems, ("stale fixtures in " + str(Path("tests/fixtures") / f"{PREFIX}{release}")
                          + " (run scripts/build_fixtures.sh):\n" + "\n".join(problems))


def test_corpus_size() -> None:
    """The corpus has the 12-20 programs it was designed with."""
    assert 12 <= len(PROGRAMS) <= 20, PROGRAMS
