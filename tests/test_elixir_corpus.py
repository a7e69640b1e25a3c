"""The Elixir corpus: every program of ``tests/elixir`` must print under avmsim exactly what
the host's ``elixir`` prints.

Each ``tests/elixir/<name>.ex`` holds a module ``<Name>`` (``gen_server_calls.ex`` ->
``GenServerCalls``) whose ``start/0`` prints with IO.puts / IO.inspect; it may define more
modules (structs, protocol implementations), all packed with it. Each file is compiled once
per session with the host ``elixirc``; the reference is ``elixir -pa DIR -e 'Name.start()'``
(its stdout, whatever host Elixir prints), compared byte for byte with avmsim's console on
``generic-unix`` and ``esp32-devkit``.

Run: ``python3 -m pytest tests/test_elixir_corpus.py`` (``-k hello`` for one program).
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "elixir"
PROGRAMS = sorted(p.stem for p in CORPUS.glob("*.ex"))
BOARDS = ("generic-unix", "esp32-devkit")
HOST_TIMEOUT_S = 60
AVMSIM_TIMEOUT_S = 300


def module_name(stem: str) -> str:
    """``gen_server_calls`` -> ``GenServerCalls`` (Elixir's camelize of a file name)."""
    return "".join(part[:1].upper() + part[1:] for part in stem.split("_"))


@dataclass
class Built:
    """A corpus program compiled by the host: its beams (start module first) and what the
    host ``elixir`` printed running it."""
    beams: list[str]
    stdout: bytes


class ElixirCorpus:
    """Compiles and runs each program on the host once, on first use."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.built: dict[str, Built] = {}

    def get(self, stem: str) -> Built:
        if stem not in self.built:
            self.built[stem] = self._build(stem)
        return self.built[stem]

    def _build(self, stem: str) -> Built:
        out = self.tmp / stem
        out.mkdir()
        compiled = subprocess.run(["elixirc", "-o", str(out), str(CORPUS / f"{stem}.ex")],
                                  capture_output=True, text=True, timeout=HOST_TIMEOUT_S)
        assert compiled.returncode == 0, f"elixirc {stem}.ex failed:\n{compiled.stderr}"
        name = module_name(stem)
        start = out / f"Elixir.{name}.beam"
        assert start.exists(), f"{stem}.ex does not define the module {name}"
        host = subprocess.run(["elixir", "-pa", str(out), "-e", f"{name}.start()"],
                              capture_output=True, timeout=HOST_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
        assert host.returncode == 0, (f"host elixir failed on {stem}:\n"
                                      f"{host.stderr.decode(errors='replace')}")
        others = sorted(str(p) for p in out.glob("*.beam") if p != start)
        return Built([str(start), *others], host.stdout)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ElixirCorpus:
    return ElixirCorpus(tmp_path_factory.mktemp("elixir_corpus"))


def test_corpus_is_not_empty() -> None:
    assert PROGRAMS, "tests/elixir holds no programs"


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("prog", PROGRAMS)
def test_output_matches_host_elixir(corpus: ElixirCorpus, prog: str, board: str) -> None:
    built = corpus.get(prog)
    run = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", board, *built.beams],
                         capture_output=True, timeout=AVMSIM_TIMEOUT_S, stdin=subprocess.DEVNULL)
    assert run.stdout == built.stdout and run.returncode == 0, (
        f"{prog} on {board}: exit {run.returncode}\n--- host elixir\n"
        f"{built.stdout.decode(errors='replace')}--- avmsim\n"
        f"{run.stdout.decode(errors='replace')}\n--- stderr\n"
        f"{run.stderr.decode(errors='replace')[-3000:]}")
