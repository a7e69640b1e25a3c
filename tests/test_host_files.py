"""generic_unix loads modules from the host's files, as AtomVM's ``sys_load_module_from_file``.

A module no open pack holds is looked for as ``NAME.beam`` in the directory avmsim runs in
(AtomVM's generic_unix runs ``AtomVM app.beam`` and finds the app's other modules beside it),
and ``code:load_abs(Path)`` reads ``Path.beam``. The microcontroller boards have no file
system: the same module is ``undef`` there, and ``load_abs`` raises ``out_of_memory``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import compile_erl

MAIN = r"""-module(hf_main).
-export([start/0]).
t(F) -> io:format("~w~n", [try F() catch C:R -> {C, R} end]).
start() ->
    t(fun() -> hf_other:hello() end),
    t(fun() -> code:load_abs("sub/hf_abs") end),
    t(fun() -> hf_abs:hello() end),
    t(fun() -> code:load_abs("sub/no_such_file") end),
    t(fun() -> code:load_abs("sub/hf_abs") end),
    ok.
"""


def _run(cwd: Path, board: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", board, "--headless",
                           "--timeout", "5s", "hf_main.beam"], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    compile_erl(tmp_path, "hf_main", MAIN)
    compile_erl(tmp_path, "hf_other", "-module(hf_other).\n-export([hello/0]).\n"
                                      "hello() -> from_the_directory.\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    compile_erl(sub, "hf_abs", "-module(hf_abs).\n-export([hello/0]).\nhello() -> from_abs.\n")
    return tmp_path


def test_generic_unix_reads_modules_from_its_directory(app_dir: Path) -> None:
    assert _run(app_dir, "generic-unix") == [
        "from_the_directory", "{module,hf_abs}", "from_abs", "{error,out_of_memory}",
        "{module,hf_abs}"]   # a second load replaces the module (AtomVM 7b282159 prints the same)


def test_a_board_without_files_does_not(app_dir: Path) -> None:
    assert _run(app_dir, "esp32-devkit") == [
        "{error,undef}", "{error,out_of_memory}", "{error,undef}", "{error,out_of_memory}",
        "{error,out_of_memory}"]
