#!/usr/bin/env python3
"""Compare avmsim's standard library API with AtomVM's own (``atomvmlib.avm`` built from
AtomVM's sources, ``../shared/design/atomvm-oracle.md``).

Two lists, per module:

* **missing** — functions AtomVM's library exports that avmsim can call neither as an
  Erlang function of ``libs/`` nor as a Python native: an app that works on the device stops
  at ``undef`` in avmsim;
* **extra** — functions avmsim's ``libs/`` export that AtomVM's module of the same name does
  not: an app calling one runs in avmsim and stops at ``undef`` on the device.

    python3 scripts/atomvm_api_diff.py --atomvm-lib PATH/TO/atomvmlib.avm [--extra]
    python3 scripts/atomvm_api_diff.py --atomvm-lib atomvmlib.avm --atomvm-lib
        atomvmlib-esp32.avm --atomvm-lib atomvmlib-rp2.avm --atomvm-lib atomvmlib-stm32.avm
        --write-table

AtomVM's library is not ours to commit, so this is a measurement (figures in
``benchmarks/RESULTS.md``), not a CI test. ``--write-table`` records the extra functions
of all the given libraries together (what no AtomVM platform's library has) in
``vm/not_on_device.txt``, the table avmsim uses to make an app's calls to them fail as on
the device (``vm/device_api.py``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from avmsim.vm import natives
from avmsim.vm.beam_file import parse_beam
from avmsim.vm.pack_table import OpenPack

REPO = Path(__file__).resolve().parent.parent
OURS = REPO / "firmware_images" / "atomvmlib.avm"
TABLE = REPO / "vm" / "not_on_device.txt"
TABLE_HEADER = """\
# Functions avmsim's library exports that AtomVM's does not, on any platform: an app's call to
# one fails with undef, as on the device (vm/device_api.py; avmsim --lib-extras allows them).
# Written by scripts/atomvm_api_diff.py --write-table from AtomVM {revision}'s libraries.
"""


def exports(pack_path: Path) -> dict[str, set[tuple[str, int]]]:
    """Module name -> its exported (function, arity) pairs, module_info left out."""
    pack = OpenPack.read(pack_path.read_bytes(), str(pack_path), None)
    found = {}
    for section in pack.sections.values():
        if section.is_beam and section.name.endswith(".beam"):
            beam = parse_beam(section.data, section.name)
            found[beam.name.name] = {(f.name, a) for f, a, _ in beam.exports
                                     if f.name != "module_info"}
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atomvm-lib", required=True, type=Path, action="append",
                        help="AtomVM's atomvmlib.avm (repeat for several platforms: their union)")
    parser.add_argument("--extra", action="store_true", help="list the extra functions too")
    parser.add_argument("--write-table", action="store_true", help=f"write {TABLE.name}")
    parser.add_argument("--revision", default="unknown", help="AtomVM revision, for the table")
    args = parser.parse_args(argv)
    theirs: dict[str, set[tuple[str, int]]] = {}
    for lib in args.atomvm_lib:
        for module, functions in exports(lib).items():
            theirs.setdefault(module, set()).update(functions)
    ours = exports(OURS)
    native = set(natives.load_all())
    missing = {m: sorted(f"{f}/{a}" for f, a in fs
                         if (f, a) not in ours.get(m, set()) and (m, f, a) not in native)
               for m, fs in theirs.items()}
    extra = {m: sorted(f"{f}/{a}" for f, a in fs - theirs.get(m, set())
                       if not f.startswith("$") and (m, f, a) not in native)
             for m, fs in ours.items()}
    print("missing (AtomVM has them, avmsim cannot call them):")
    for module, names in sorted(missing.items()):
        if names:
            print(f"  {module} ({len(names)}): {' '.join(names)}")
    if args.extra:
        print("extra (avmsim's libs export them, AtomVM's do not):")
        for module, names in sorted(extra.items()):
            if names:
                print(f"  {module} ({len(names)}): {' '.join(names)}")
    print(f"missing {sum(map(len, missing.values()))}, extra {sum(map(len, extra.values()))}")
    if args.write_table:
        lines = [f"{m} {name}" for m, names in sorted(extra.items()) for name in names]
        TABLE.write_text(TABLE_HEADER.format(revision=args.revision) + "\n".join(lines) + "\n")
        print(f"wrote {TABLE} ({len(lines)} functions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
