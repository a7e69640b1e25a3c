"""Erlang exceptions as Python exceptions, and the VM's own load-time errors.

Natives (BIFs/NIFs) and generated code raise :class:`ErlangError`; the interpreter catches it,
fills in the stack trace and routes it to the nearest ``catch``/``try``, or ends the process.
"""
from __future__ import annotations

from typing import Any

from .terms import ERROR, EXIT, THROW, Atom, atom


class ErlangError(Exception):
    """An Erlang exception of class ``error``, ``exit`` or ``throw``.

    ``stacktrace`` is None until the runtime builds it (an Erlang list term), unless the
    exception was re-raised with an explicit trace (``erlang:raise/3``).
    ``call_args`` (M, F, Args), when set, puts the arguments in the top stack frame, as
    AtomVM does for a ``func_info`` (function_clause) and for a NIF whose argument check
    says so (``vm/stacktrace.py``).
    """

    def __init__(self, cls: Atom, reason: Any, stacktrace: Any = None,
                 call_args: Any = None) -> None:
        super().__init__(reason)
        self.cls = cls
        self.reason = reason
        self.stacktrace = stacktrace
        self.call_args = call_args

    def __str__(self) -> str:
        return f"{self.cls.name}:{self.reason!r}"


def error(reason: Any) -> ErlangError:
    """``error:Reason``: use as ``raise error(...)``."""
    return ErlangError(ERROR, reason)


def exit_(reason: Any) -> ErlangError:
    return ErlangError(EXIT, reason)


def throw(reason: Any) -> ErlangError:
    return ErlangError(THROW, reason)


BADARG = atom("badarg")
BADARITH = atom("badarith")
OVERFLOW = atom("overflow")
SYSTEM_LIMIT = atom("system_limit")
UNDEF = atom("undef")

INT_BITS = 256
"""AtomVM's widest integer: a magnitude of 256 bits (intn.h ``INTN_MAX_IN_LEN``, eight 32-bit
digits, sign apart). OTP's bignums go far beyond; an app whose numbers outgrow this on the
device fails there, so it fails here too."""


def checked_int(n: int) -> int:
    """``n`` if AtomVM can hold it; else ``error:overflow``, as bif.c's ``make_bigint``."""
    if n.bit_length() > INT_BITS:
        raise ErlangError(ERROR, OVERFLOW)
    return n


def badarg() -> ErlangError:
    return ErlangError(ERROR, BADARG)


def badarith() -> ErlangError:
    return ErlangError(ERROR, BADARITH)


class LoadError(Exception):
    """Input that cannot be loaded. The message names the file or module and what is wrong."""


class BadPackError(LoadError):
    """An .avm pack that is truncated, corrupt, or not a pack at all."""


class BadBeamError(LoadError):
    """A .beam module that is truncated or corrupt (bad IFF, chunk, or encoding)."""


class UnsupportedOpcodeError(LoadError):
    """A module using an obsolete opcode, or one AtomVM does not implement."""


class NoStartModuleError(LoadError):
    """Nothing to run: no pack or module exports start/0."""


class VMAbort(Exception):
    """The VM stops as AtomVM would abort (not an Erlang exception of the app)."""


class ProcessExit(Exception):
    """A process ended: ``reason`` is its exit reason (``normal`` on return).

    ``error`` is the uncaught exception that ended it, when there was one (for crash reports).
    """

    def __init__(self, reason: Any, error: ErlangError | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


class Halt(Exception):
    """``erlang:halt/0,1``: the VM stops at once with this status."""

    def __init__(self, status: Any) -> None:
        super().__init__(status)
        self.status = status


class Restart(Exception):
    """``esp:restart/0``: the firmware reboots the chip (the board wiring boots it again)."""


class DeepSleep(Exception):
    """``esp:deep_sleep/0,1``: the chip powers down until a wake-up source fires (the board
    wiring sleeps it, then boots it again with reset reason ``esp_rst_deepsleep``)."""
