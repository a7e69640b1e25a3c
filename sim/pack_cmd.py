"""``avmsim pack``: build an AtomVM pack from .beam, .avm and data files (like PackBEAM)."""
from __future__ import annotations

from avmsim.vm.avm_pack import build_pack


def pack_command(output: str, files: list[str], lib: bool, start: str | None) -> None:
    """Write the pack of ``files`` to ``output``.

    The pack is built completely before the output is opened, so a bad input never leaves a
    half-written pack behind. Raises FileNotFoundError for a missing input and the LoadError
    subclasses for inputs that are not valid modules or packs.
    """
    data = build_pack(files, lib=lib, start=start)
    with open(output, "wb") as f:
        f.write(data)
