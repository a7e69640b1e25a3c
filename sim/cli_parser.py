"""The argument parser of every avmsim command: one plain line for a bad command line.

argparse's own error prints the whole usage before its message; a CI log then shows a dozen
lines for a typo. Here a bad option is one line naming it (``avmsim: --timeout: …``) and
status 2, as every other bad input. A negative value (``--timeout -5s``) reaches the option
it follows, so the option's own check can say what is wrong with it, instead of argparse
taking ``-5s`` for an unknown option.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .exit_codes import Exit

_NEGATIVE = re.compile(r"-\d")


def attach_negative_values(argv: Sequence[str]) -> list[str]:
    """``["--timeout", "-5s"]`` → ``["--timeout=-5s"]`` (a long option, then a value that
    starts like a negative number)."""
    out: list[str] = []
    for token in argv:
        if (out and _NEGATIVE.match(token) and out[-1].startswith("--")
                and "=" not in out[-1]):
            out[-1] = f"{out[-1]}={token}"
        else:
            out.append(token)
    return out


class CliParser(argparse.ArgumentParser):
    """argparse with one-line errors and negative option values."""

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: Any = None) -> Any:
        argv = sys.argv[1:] if args is None else args
        return super().parse_args(attach_negative_values(argv), namespace)

    def error(self, message: str) -> NoReturn:
        print(f"avmsim: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(int(Exit.USAGE))
