#!/usr/bin/env python3
"""Regenerate the expected outputs of the AtomVM differential corpus (``tests/atomvm_diff``).

Each ``tests/atomvm_diff/NAME.erl`` is compiled with the host ``erlc`` and run by the real
AtomVM (its generic_unix build, made as ``../shared/design/atomvm-oracle.md`` describes),
with AtomVM's own standard library; what it prints on stdout is written to
``NAME.expected`` beside the source. ``tests/test_atomvm_diff.py`` then runs the same
programs under avmsim (``generic-unix``) and compares byte for byte, so CI needs no AtomVM.

    python3 scripts/atomvm_expected.py --atomvm PATH/TO/AtomVM --lib PATH/TO/atomvmlib.avm [NAME…]

The first line of each expected file records the AtomVM revision given with ``--revision``
(default: unknown) as a comment the test skips, so a stale oracle is visible in review.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "atomvm_diff"
HEADER = "%% expected output from AtomVM {revision}; regenerate with scripts/atomvm_expected.py\n"


def expected_output(atomvm: str, lib: str, source: Path, workdir: Path) -> bytes:
    """What AtomVM prints on stdout for one program (its own messages go to stderr)."""
    subprocess.run(["erlc", "-o", str(workdir), str(source)], check=True)
    beam = workdir / f"{source.stem}.beam"
    run = subprocess.run([atomvm, str(beam), lib], capture_output=True, timeout=300)
    return run.stdout


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atomvm", required=True, help="AtomVM generic_unix executable")
    parser.add_argument("--lib", required=True, help="AtomVM's atomvmlib.avm")
    parser.add_argument("--revision", default="unknown", help="AtomVM revision, for the header")
    parser.add_argument("names", nargs="*", help="programs to regenerate (default: all)")
    args = parser.parse_args(argv)
    sources = [CORPUS / f"{n}.erl" for n in args.names] or sorted(CORPUS.glob("*.erl"))
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            out = expected_output(args.atomvm, args.lib, source, Path(tmp))
            header = HEADER.format(revision=args.revision).encode()
            source.with_suffix(".expected").write_bytes(header + out)
            print(f"{source.stem}: {len(out)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
