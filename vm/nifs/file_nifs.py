"""``file:get_cwd/0``, AtomVM's ``posix_nifs.c`` NIF, which only builds with ``getcwd`` and
``PATH_MAX``: generic_unix answers ``{ok, Dir}`` with the host directory avmsim runs in (the
file system ``host_files`` reads relative paths from), as a list of its bytes; the boards
without a file system have no NIF, so estdlib's ``nif_error`` stub raises ``undefined``.
"""
from __future__ import annotations

import os
from typing import Any

from ..errors import error
from ..host_files import FILE_PLATFORMS
from ..natives import native
from ..terms import atom, from_list
from ._util import charge_results, whole

A_OK = atom("ok")
A_UNDEFINED = atom("undefined")


@native("file", "get_cwd", 0)
def get_cwd(ctx: Any) -> Any:
    if ctx.vm.platform.name not in FILE_PLATFORMS:
        raise error(A_UNDEFINED)
    return (A_OK, from_list(list(os.fsencode(os.getcwd()))))


charge_results("file", {("get_cwd", 0): whole})
