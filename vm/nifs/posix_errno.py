"""errno as AtomVM's NIFs report it: ``posix_errno_to_term`` (posix_nifs.c) names a few
errnos with atoms and gives every other one as the platform's integer, so a port in use is
``{error, 98}`` on generic_unix (Linux) and ``{error, 112}`` on ESP32 (ESP-IDF's newlib
errno.h, which lwIP's socket layer uses).

Reasons are the simulated network's names (:class:`avmsim.peripherals.net.NetError`).
"""
from __future__ import annotations

from typing import Any

from ..terms import atom

NAMED = frozenset({
    "eacces", "eagain", "ebadf", "ebusy", "edquot", "eexist", "efault", "efbig", "eintr",
    "einval", "eio", "eisdir", "eloop", "emfile", "emlink", "enametoolong", "enfile",
    "enodev", "enoent", "enomem", "enospc", "enotdir", "enxio", "eperm", "epipe", "erofs",
    "espipe", "esrch", "exdev", "eprototype", "enotconn", "eopnotsupp", "enotempty",
})
"""The errnos posix_errno_to_term turns into atoms."""

_COMMON = {"ebadf": 9, "eagain": 11, "einval": 22, "enfile": 23, "epipe": 32,
           "eopnotsupp": 95}

LINUX = {
    **_COMMON,
    "emsgsize": 90, "eprotonosupport": 93, "eaddrinuse": 98, "eaddrnotavail": 99,
    "enetunreach": 101, "econnaborted": 103, "econnreset": 104, "eisconn": 106,
    "enotconn": 107, "etimedout": 110, "econnrefused": 111, "ehostunreach": 113,
    "ealready": 114,
}
"""Linux asm-generic/errno.h."""

NEWLIB = {
    **_COMMON,
    "econnreset": 104, "econnrefused": 111, "eaddrinuse": 112, "econnaborted": 113,
    "enetunreach": 114, "etimedout": 116, "ehostunreach": 118, "ealready": 120,
    "emsgsize": 122, "eprotonosupport": 123, "eaddrnotavail": 125, "eisconn": 127,
    "enotconn": 128,
}
"""newlib sys/errno.h (ESP-IDF)."""

BY_PLATFORM = {"generic_unix": LINUX, "esp32": NEWLIB}


def errno_number(platform: str, reason: str) -> int | None:
    """The errno behind ``reason`` on ``platform`` (None for a reason that is no errno)."""
    return BY_PLATFORM.get(platform, LINUX).get(reason)


def errno_term(platform: str, reason: str) -> Any:
    """``posix_errno_to_term`` of the errno behind ``reason`` on ``platform``."""
    number = errno_number(platform, reason)
    return atom(reason) if reason in NAMED or number is None else number
