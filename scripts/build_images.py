#!/usr/bin/env python3
"""Rebuild the prebuilt images in firmware_images/ from their sources.

- ``atomvmlib.avm``: every libs/*.erl, packed as a library (no start module); the VM loads
  it at boot like AtomVM's boot.avm.
- ``exavmlib.avm``: every libs/elixir/*.ex, packed as a library; flashed beside atomvmlib.avm
  for Elixir apps (AtomVM's Elixir boot image holds both).
- ``<example>.avm``: each examples/<example>/ folder (.erl or .ex sources), packed with its
  start module.

Sources are compiled with the host's erlc ``+deterministic`` and elixirc (with
ERL_COMPILER_OPTIONS=deterministic), so the bytes depend only on the sources and the
compilers (Debian's OTP 25 and Elixir 1.14 here and in CI). ``--check`` rebuilds in memory
and exits 1 when a committed image differs (a test runs it).

Each .ex file is compiled by its own elixirc, as AtomVM's build does: the library redefines
modules of Elixir itself (Kernel, Enum, ...), which must not replace the compiler's own
copies while it compiles the next file. Protocols are not consolidated (as on AtomVM).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "firmware_images"
ELIXIR_LIBS = ROOT / "libs" / "elixir"
ELIXIRC = ["elixirc", "--no-docs", "--no-debug-info", "--ignore-module-conflict"]
ELIXIRC_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "avmsim-elixirc"


def compile_erl(sources: list[Path], out: str) -> None:
    """Compile Erlang ``sources`` into ``out``."""
    # behaviours first (modules with -callback), so the modules using them find them
    ordered = sorted(sources, key=lambda src: "-callback" not in src.read_text(errors="replace"))
    subprocess.run(["erlc", "+deterministic", "-pa", out, "-o", out, *map(str, ordered)],
                   check=True)


def elixirc_version() -> str:
    """The compiler's version text (part of the cache key: another Elixir, other beams)."""
    return subprocess.run(["elixirc", "--version"], capture_output=True, text=True,
                          check=True).stdout


def compile_ex(sources: list[Path], out: str) -> None:
    """Compile Elixir ``sources`` into ``out``, one elixirc per file, in parallel.

    Each file is compiled alone, from the repository root, so its beams depend only on its
    path, its text and the compiler: they are cached under ELIXIRC_CACHE by these three
    (elixirc takes most of a second per file, and ``--check`` would otherwise pay it for
    every file every time).
    """
    env = {**os.environ, "ERL_COMPILER_OPTIONS": "deterministic"}
    key = (elixirc_version() + " ".join(ELIXIRC)).encode()
    ELIXIRC_CACHE.mkdir(parents=True, exist_ok=True)

    def one(src: Path) -> None:
        name = str(src.relative_to(ROOT))   # the file name the beams' line tables record
        cached = ELIXIRC_CACHE / hashlib.sha256(key + name.encode() + src.read_bytes()).hexdigest()
        if not cached.is_dir():
            tmp = tempfile.mkdtemp(dir=ELIXIRC_CACHE)
            done = subprocess.run([*ELIXIRC, "-o", tmp, name], env=env, cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                shutil.rmtree(tmp)
                sys.stderr.write(done.stdout + done.stderr)
                raise SystemExit(f"elixirc failed on {name}")
            try:
                os.rename(tmp, cached)
            except OSError:   # another build cached the same file meanwhile
                shutil.rmtree(tmp)
        for beam in cached.glob("*.beam"):
            shutil.copy(beam, out)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, sources))


COMPILERS = {".erl": compile_erl, ".ex": compile_ex}
"""Source suffix -> the function compiling such files into a directory."""


def compile_and_pack(sources: list[Path], lib: bool) -> bytes:
    """Compile ``sources`` (.erl and .ex) and pack the beams (as a library pack when ``lib``)."""
    from avmsim.vm.avm_pack import build_pack
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, compile_into in COMPILERS.items():
            chosen = [src for src in sources if src.suffix == suffix]
            if chosen:
                compile_into(chosen, tmp)
        beams = sorted(str(p) for p in Path(tmp).glob("*.beam"))
        return build_pack(beams, lib=lib)


def example_sources(folder: Path) -> list[Path]:
    """An example's sources: its .erl and .ex files (a world.toml and the like stay out)."""
    return sorted(p for p in folder.iterdir() if p.suffix in COMPILERS)


def images() -> dict[Path, bytes]:
    """Every image and the bytes its sources give now."""
    out = {IMAGES / "atomvmlib.avm": compile_and_pack(sorted((ROOT / "libs").glob("*.erl")), lib=True),
           IMAGES / "exavmlib.avm": compile_and_pack(sorted(ELIXIR_LIBS.glob("*.ex")), lib=True)}
    for folder in sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir()):
        out[IMAGES / f"{folder.name}.avm"] = compile_and_pack(example_sources(folder), lib=False)
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
