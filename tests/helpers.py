"""Shared test helpers: compile Erlang sources and run the avmsim command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def compile_erl(tmp: Path, name: str, source: str, *flags: str) -> Path:
    """Write ``name.erl`` into ``tmp``, compile it with the host erlc; return the .beam path."""
    src = tmp / f"{name}.erl"
    src.write_text(source)
    subprocess.run(["erlc", *flags, "-o", str(tmp), str(src)], check=True, capture_output=True)
    return tmp / f"{name}.beam"


def avmsim(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``avmsim ARGS`` as a user would; stdout and stderr as bytes/text."""
    return subprocess.run([sys.executable, "-m", "avmsim.cli", *args], capture_output=True,
                          text=True, timeout=timeout)
