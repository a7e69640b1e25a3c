"""Output of several boards on one stream: every line starts with its board's name.

Boards write whenever they like, a line often in pieces (``io:format("~p", …)`` then
``"~n"``), so each board's text is kept until its line is complete and then written whole
with the prefix (``[sensor] temperature 21.5``): lines of two boards never mix. What is left
without a newline when the run ends is written by :meth:`LinePrefixer.close`, ended by one.
Works on bytes (consoles) or text (avmsim's own messages), whichever the prefix is.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import AnyStr, Generic


class LinePrefixer(Generic[AnyStr]):
    """Writes the complete lines given to :meth:`write` to ``out``, each after ``prefix``."""

    def __init__(self, prefix: AnyStr, out: Callable[[AnyStr], object],
                 flush: Callable[[], object] = lambda: None) -> None:
        self.prefix = prefix
        self.out = out
        self._flush_out = flush
        self.newline: AnyStr = "\n" if isinstance(prefix, str) else b"\n"
        self._partial: AnyStr = prefix[:0]

    def write(self, data: AnyStr) -> int:
        *lines, self._partial = (self._partial + data).split(self.newline)
        if lines:
            self.out(self._joined(lines))
            self._flush_out()
        return len(data)

    def flush(self) -> None:
        self._flush_out()

    def close(self) -> None:
        """Write the unfinished line, if any, ended by a newline."""
        if self._partial:
            self.out(self._joined([self._partial]))
            self._partial = self.prefix[:0]
        self._flush_out()

    def _joined(self, lines: list[AnyStr]) -> AnyStr:
        return self.prefix[:0].join(self.prefix + line + self.newline for line in lines)
