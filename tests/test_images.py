"""The prebuilt images in firmware_images/ are what their sources build today."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from avmsim.vm.avm_pack import read_pack

ROOT = Path(__file__).resolve().parent.parent


def test_committed_images_are_not_stale() -> None:
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_images.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_stdlib_is_a_library_pack_with_every_lib_module() -> None:
    sections = read_pack((ROOT / "firmware_images" / "atomvmlib.avm").read_bytes(), "atomvmlib.avm")
    names = {s.name for s in sections if s.is_beam}
    expected = {f"{p.stem}.beam" for p in (ROOT / "libs").glob("*.erl")}
    assert names == expected
    assert not any(s.is_start for s in sections), "the library pack must not name a start module"
