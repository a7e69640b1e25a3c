"""The file system of AtomVM's generic_unix platform: the host's, relative to the directory
avmsim runs in (as the real build's ``fopen``/``mmap`` of a relative path).

The microcontroller ports have none; the platforms that do are listed in
:data:`FILE_PLATFORMS`. Used by ``atomvm:add_avm_pack_file/2``, ``code:load_abs/1`` and the
module loader (``sys_load_module_from_file``: a module no open pack holds is looked for as
``NAME.beam``).
"""
from __future__ import annotations

from pathlib import Path

FILE_PLATFORMS = frozenset({"generic_unix"})


def read_host_file(path: str) -> bytes | None:
    """The bytes of ``path``, or None when it cannot be read (missing, a folder, no rights)."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None
