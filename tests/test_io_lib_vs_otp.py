"""Compare libs/io_lib.erl and libs/io.erl against the host's OTP (25).

Our modules are compiled for the host Erlang under other names
(io_lib -> avm_io_lib, io -> avm_io) and run side by side with OTP's own
io_lib / io on the case table in tests/io_lib/io_lib_cases.erl.  Every case
must give the same flattened characters (or the same exception class and
reason), except the cases that write a term with ~p or ~w (or
io_lib:write/1): there avmsim prints what AtomVM's io_lib prints, not what
OTP's does, and tests/atomvm_diff/io_lib_terms.erl checks them against
AtomVM; io_lib_compare.erl names them ("atomvm").  io.erl is exercised end
to end with a stub console:print/1 that writes to standard_io, comparing
stdout byte for byte with OTP's io (on terms both write alike).
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBS = ROOT / "libs"
HELPERS = ROOT / "tests" / "io_lib"

# Must match io_lib_cases:groups/0 (checked by test_group_list_is_complete).
GROUPS = [
    "floats", "integers", "strings", "terms", "depth", "misc", "badarg",
    "extra", "random_terms", "random_floats", "random_big_terms",
    "unicode_terms", "calls",
]

CONSOLE_STUB = """-module(console).
-export([print/1]).
print(Bin) when is_binary(Bin) -> io:put_chars(standard_io, Bin).
"""

pytestmark = pytest.mark.skipif(
    shutil.which("erl") is None or shutil.which("erlc") is None,
    reason="host Erlang/OTP (erl, erlc) not installed",
)


def _rename(src: str) -> str:
    src = re.sub(r"^-module\(io_lib\)", "-module(avm_io_lib)", src, flags=re.M)
    src = re.sub(r"^-module\(io\)", "-module(avm_io)", src, flags=re.M)
    src = re.sub(r"\bio_lib:", "avm_io_lib:", src)
    src = re.sub(r"\bio:", "avm_io:", src)
    return src


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("io_lib_vs_otp")
    (d / "avm_io_lib.erl").write_text(_rename((LIBS / "io_lib.erl").read_text("utf-8")), "utf-8")
    (d / "avm_io.erl").write_text(_rename((LIBS / "io.erl").read_text("utf-8")), "utf-8")
    (d / "console.erl").write_text(CONSOLE_STUB)
    for f in HELPERS.glob("*.erl"):
        shutil.copy(f, d / f.name)
    sources = sorted(p.name for p in d.glob("*.erl"))
    r = subprocess.run(["erlc", *sources], cwd=d, capture_output=True, text=True)
    assert r.returncode == 0, f"erlc failed:\n{r.stdout}\n{r.stderr}"
    return d


@pytest.fixture(scope="module")
def results(build_dir):
    r = subprocess.run(
        ["erl", "-noshell", "-run", "io_lib_compare", "main"],
        cwd=build_dir, capture_output=True, timeout=600,
    )
    assert r.returncode == 0, f"comparison run failed:\n{r.stderr.decode(errors='replace')}"
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for line in r.stdout.decode().splitlines():
        group, idx, status, hexdesc = line.split("\t")
        desc = bytes.fromhex(hexdesc).decode("utf-8")
        groups.setdefault(group, []).append((int(idx), status, desc))
    return groups


def test_group_list_is_complete(results):
    assert sorted(results) == sorted(GROUPS)


def test_case_count(results):
    total = sum(len(v) for v in results.values())
    assert total > 10000, total


@pytest.mark.parametrize("group", GROUPS)
def test_group_matches_otp(results, group):
    cases = results[group]
    assert cases, f"no cases in group {group}"
    failures = [(i, desc) for i, status, desc in cases if status == "fail"]
    if failures:
        shown = "\n".join(f"--- {group} #{i}\n{desc}" for i, desc in failures[:20])
        pytest.fail(f"{len(failures)}/{len(cases)} cases in {group} differ from OTP:\n{shown}")


def test_atomvm_writer_cases_are_named(results):
    """The ~p/~w cases left out of the OTP comparison are named, and only those: every
    case of the terms group (all ~p/~w), none of the depth group (~P/~W)."""
    named = {g: sum(status == "atomvm" for _, status, _ in cases) for g, cases in results.items()}
    assert named["terms"] == len(results["terms"])
    assert named["depth"] == 0
    assert 0 < named["floats"] < len(results["floats"])


def test_io_end_to_end(build_dir):
    def run(module):
        r = subprocess.run(
            ["erl", "-noshell", "-run", "io_e2e", "main", module],
            cwd=build_dir, capture_output=True, timeout=120,
        )
        assert r.returncode == 0, r.stderr.decode(errors="replace")
        return r.stdout

    expected = run("io")
    got = run("avm_io")
    assert b"=> ok" in expected
    if got != expected:
        exp_lines = expected.decode("utf-8", "replace").splitlines()
        got_lines = got.decode("utf-8", "replace").splitlines()
        for n, (a, b) in enumerate(zip(exp_lines, got_lines), 1):
            if a != b:
                pytest.fail(f"stdout differs at line {n}:\n  OTP: {a!r}\n  avm: {b!r}")
        pytest.fail(f"stdout length differs: OTP {len(exp_lines)} lines, avm {len(got_lines)} lines")


def test_standard_error_goes_to_console(build_dir):
    """standard_error is written to the same console (our stub: stdout)."""
    r = subprocess.run(
        ["erl", "-noshell", "-eval",
         'ok = avm_io:format(standard_error, "err ~p~n", [1]), halt().'],
        cwd=build_dir, capture_output=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"err 1\n"
