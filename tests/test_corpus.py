"""The conformance corpus: every program of ``tests/erlang`` must print under
avmsim exactly what the host's OTP prints.

* ``test_reference``: the erl side itself is clean (exit 0, ASCII output).
* ``test_otp25``: the program compiled now with the host erlc (OTP 25), run
  under avmsim.
* ``test_fixture``: the committed OTP 27 and OTP 29 beams
  (``tests/fixtures/otpNN``, built by ``scripts/build_fixtures.sh``), run
  under avmsim and compared with the same OTP 25 reference.
* ``test_fixtures_up_to_date``: every source has a fixture for each release,
  built from the source as it is now, and no fixture lacks a source.

Run: ``python3 -m pytest tests/test_corpus.py`` (``-k calls`` for one program,
``-k otp25`` for one flavour). ``AVMSIM_CORPUS_TIMEOUT`` sets the seconds one
avmsim run may take (default 600).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import conformance as conf

PROGRAMS = conf.programs()

needs_otp = pytest.mark.skipif(not conf.tools_available(), reason="erl/erlc not installed")


@pytest.fixture(scope="session")
def references(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[conf.ReferenceOutputs]:
    """Reference outputs, computed once per session for the selected programs only."""
    refs = conf.ReferenceOutputs(tmp_path_factory.mktemp("corpus_erl"))
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


def usable_reference(references: conf.ReferenceOutputs, prog: str) -> conf.Reference:
    """The program's reference, or a test error when erl could not produce one."""
    ref = references.get(prog)
    problems = conf.check_reference(ref)
    if problems:
        pytest.fail(f"no usable erl reference for {prog}: " + "; ".join(problems), pytrace=False)
    return ref


@needs_otp
@pytest.mark.parametrize("prog", PROGRAMS)
def test_reference(references: conf.ReferenceOutputs, prog: str) -> None:
    """The host erl runs the program cleanly and prints ASCII only."""
    ref = references.get(prog)
    assert conf.check_reference(ref) == []


@needs_otp
@pytest.mark.parametrize("prog", PROGRAMS)
def test_otp25(references: conf.ReferenceOutputs, prog: str) -> None:
    """avmsim runs the beam compiled just now by the host erlc like erl does."""
    ref = usable_reference(references, prog)
    failure = conf.compare(ref, conf.run_avmsim(ref.beam), "otp25")
    if failure:
        pytest.fail(failure, pytrace=False)


@needs_otp
@pytest.mark.parametrize("release", conf.FIXTURE_RELEASES, ids=lambda r: f"otp{r}")
@pytest.mark.parametrize("prog", PROGRAMS)
def test_fixture(references: conf.ReferenceOutputs, prog: str, release: int) -> None:
    """avmsim runs the committed OTP 27/29 beam and prints the OTP 25 reference."""
    beam = conf.fixture_path(release, prog)
    if not beam.exists():
        pytest.fail(f"missing fixture {beam.relative_to(conf.REPO_DIR)}: run scripts/build_fixtures.sh",
                    pytrace=False)
    ref = usable_reference(references, prog)
    failure = conf.compare(ref, conf.run_avmsim(beam), f"otp{release}")
    if failure:
        pytest.fail(failure, pytrace=False)


@pytest.mark.parametrize("release", conf.FIXTURE_RELEASES, ids=lambda r: f"otp{r}")
def test_fixtures_up_to_date(release: int) -> None:
    """Each source has a beam for the release, built from the current source text."""
    fixture_dir = conf.FIXTURES_DIR / f"otp{release}"
    manifest = conf.read_manifest(release)
    problems = []
    for prog in PROGRAMS:
        if not conf.fixture_path(release, prog).exists():
            problems.append(f"{prog}: no {prog}.beam")
        elif manifest.get(prog) != conf.source_digest(prog):
            problems.append(f"{prog}: source changed since the fixture was built")
    orphans = sorted(p.stem for p in fixture_dir.glob("*.beam") if p.stem not in PROGRAMS)
    problems += [f"{name}: fixture without a source" for name in orphans]
    assert not problems, ("stale fixtures in " + str(Path("tests/fixtures") / f"otp{release}")
                          + " (run scripts/build_fixtures.sh):\n" + "\n".join(problems))
