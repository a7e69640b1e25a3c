#!/usr/bin/env python3
"""Rebuild the prebuilt images in firmware_images/ from their sources.

- ``atomvmlib.avm``: every libs/*.erl, packed as a library (no start module); the VM loads
  it at boot like AtomVM's boot.avm.
- ``<example>.avm``: each examples/<example>/ folder, packed with its start module.

Sources are compiled with the host's erlc ``+deterministic``, so the bytes depend only on the
sources and the compiler (Debian's OTP 25 here and in CI). ``--check`` rebuilds in memory and
exits 1 when a committed image differs (a test runs it).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "firmware_images"


def compile_and_pack(sources: list[Path], lib: bool) -> bytes:
    """Compile ``sources`` and pack the beams (as a library pack when ``lib``)."""
    from avmsim.vm.avm_pack import build_pack
    # behaviours first (modules with -callback), so the modules using them find them
    ordered = sorted(sources, key=lambda src: "-callback" not in src.read_text(errors="replace"))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["erlc", "+deterministic", "-pa", tmp, "-o", tmp, *map(str, ordered)],
                       check=True)
        beams = sorted(str(p) for p in Path(tmp).glob("*.beam"))
        return build_pack(beams, lib=lib)


def images() -> dict[Path, bytes]:
    """Every image and the bytes its sources give now."""
    out = {IMAGES / "atomvmlib.avm": compile_and_pack(sorted((ROOT / "libs").glob("*.erl")), lib=True)}
    for folder in sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir()):
        out[IMAGES / f"{folder.name}.avm"] = compile_and_pack(sorted(folder.glob("*.erl")), lib=False)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed images")
    args = parser.parse_args()
    stale = []
    for path, data in images().items():
        name = path.relative_to(ROOT)
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(str(name))
        else:
            path.write_bytes(data)
            print(f"wrote {name} ({len(data)} bytes)")
    if stale:
        print(f"stale images: {', '.join(stale)}: run scripts/build_images.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
