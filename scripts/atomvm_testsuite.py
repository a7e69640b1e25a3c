#!/usr/bin/env python3
"""Measure avmsim against AtomVM's own VM test suite (``tests/erlang_tests`` + ``tests/test.c``).

AtomVM's ``test.c`` lists every module of ``tests/erlang_tests`` with the integer its
``start/0`` must return; the real AtomVM passes all of them. This script compiles those
modules from an AtomVM source tree (as AtomVM's CMake does, ``erlc -DAVM_DISABLE_JIT``, plus
the generated ``code_load`` headers and pack), runs each under ``avmsim --board
generic-unix``, and compares the ``Return value`` that avmsim prints (as AtomVM's
generic_unix does) with the expected one. AtomVM's sources are not ours to commit, so the
suite is measured here, not run in CI; the figures go to ``benchmarks/RESULTS.md``.

    python3 scripts/atomvm_testsuite.py --atomvm-src PATH/TO/AtomVM [--jobs 2] [NAME…]

Exit status 0 when every selected test passes, 1 otherwise; one line per failure on stdout.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# test.c's table rows; the conditional skips that hold on a 64-bit generic_unix build
# with SMP and stack traces (how AtomVM's CI builds it) are all false.
ROW = re.compile(r"^\s*TEST_CASE(?:_EXPECTED|_ATOMVM_ONLY|_COND)?\((\w+)(?:,\s*(-?\w+))?")
NEWER_ERLC = Path(__file__).resolve().parents[2] / "shared" / "tools" / "erlc-otp"
RETURN_VALUE = re.compile(rb"^Return value: (-?\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Case:
    """One row of test.c: the module and the integer start/0 must return."""

    module: str
    expected: int


def cases(test_c: Path) -> list[Case]:
    """The rows of test.c's table, commented-out rows left out."""
    found = []
    for line in test_c.read_text().splitlines():
        match = ROW.match(line)
        if match and not line.lstrip().startswith("//"):
            value = match.group(2)
            found.append(Case(match.group(1), int(value, 0) if value else 0))
    return found


def write_hrl(data: bytes, name: str, out: Path) -> None:
    """A header defining NAME as the binary DATA, as AtomVM's to_hrl.erl writes it."""
    out.write_text(f"-define({name}, <<{','.join(str(b) for b in data)}>>).")


def prepare(src: Path, work: Path) -> None:
    """Build code_load's module, its pack and the two headers the code-loading tests include."""
    code_load = work / "code_load"
    code_load.mkdir()
    source = src / "code_load" / "export_test_module.erl"
    subprocess.run(["erlc", "-o", str(code_load), str(source)], check=True)
    beam = code_load / "export_test_module.beam"
    pack = code_load / "code_load_pack.avm"
    subprocess.run([sys.executable, "-m", "avmsim.cli", "pack", "--lib", "-o", str(pack),
                    str(beam)], check=True, stdout=subprocess.DEVNULL)
    write_hrl(beam.read_bytes(), "EXPORT_TEST_MODULE_DATA",
              code_load / "export_test_module_data.hrl")
    write_hrl(pack.read_bytes(), "CODE_LOAD_PACK_DATA", code_load / "code_load_pack_data.hrl")


def compile_all(src: Path, work: Path, newer_erlc: Path | None) -> dict[str, str]:
    """Compile every module of the folder into WORK, tests and the modules they call (as
    AtomVM's CMake does); the compiler's last complaint for each that fails. A source the
    host's OTP cannot compile (syntax of a newer release) is tried with NEWER_ERLC (OTP 27)."""
    sources = sorted([*src.glob("*.erl"), *src.glob("*.S")])
    flags = ["-DAVM_DISABLE_JIT", "-I", str(work), "-o", str(work)]
    subprocess.run(["erlc", *flags, *map(str, sources)], capture_output=True)
    problems = {}
    for source in sources:
        if (work / f"{source.stem}.beam").exists():
            continue
        run = subprocess.run(["erlc", *flags, str(source)], capture_output=True, text=True)
        if run.returncode != 0 and newer_erlc is not None:
            run = subprocess.run([str(newer_erlc), "27", str(work), str(source)],
                                 capture_output=True, text=True,
                                 env={**os.environ, "ERLC_FLAGS": "-DAVM_DISABLE_JIT"})
        if run.returncode != 0:
            problems[source.stem] = (run.stdout + run.stderr).strip().splitlines()[-1]
    return problems


def run_case(work: Path, case: Case, timeout: float) -> str | None:
    """Run one compiled test under avmsim; None when it returns what test.c expects."""
    try:
        run = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", "generic-unix",
                              "--timeout", "120s", f"{case.module}.beam"],
                             capture_output=True, cwd=work, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"host timeout after {timeout:.0f} s"
    match = RETURN_VALUE.search(run.stderr)
    if match is None:
        tail = (run.stderr or run.stdout).decode(errors="replace").strip().splitlines()
        return f"exit {run.returncode}: {tail[-1] if tail else 'no output'}"
    got = int(match.group(1))
    return None if got == case.expected else f"expected {case.expected}, got {got}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atomvm-src", required=True, type=Path, help="AtomVM source tree")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="host seconds per test")
    parser.add_argument("--newer-erlc", type=Path,
                        default=NEWER_ERLC if NEWER_ERLC.exists() else None,
                        help="erlc-otp script for sources OTP 25 cannot compile "
                             "(default: ../shared/tools/erlc-otp when present)")
    parser.add_argument("--workdir", type=Path,
                        help="compile into this (empty or new) folder and keep it, "
                             "to rerun by hand")
    parser.add_argument("names", nargs="*", help="tests to run (default: all of test.c)")
    args = parser.parse_args(argv)
    src = args.atomvm_src / "tests" / "erlang_tests"
    selected = [c for c in cases(args.atomvm_src / "tests" / "test.c")
                if not args.names or c.module in args.names]
    failures: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        prepare(src, work)
        compile_problems = compile_all(src, work, args.newer_erlc)
        runnable = []
        for case in selected:
            if case.module in compile_problems:
                failures[case.module] = f"does not compile: {compile_problems[case.module]}"
            else:
                runnable.append(case)
        with ThreadPoolExecutor(args.jobs) as pool:
            results = pool.map(lambda c: (c, run_case(work, c, args.timeout)), runnable)
            for case, problem in results:
                if problem:
                    failures[case.module] = problem
    for module, problem in sorted(failures.items()):
        print(f"FAIL {module}: {problem}")
    print(f"passed {len(selected) - len(failures)} of {len(selected)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
