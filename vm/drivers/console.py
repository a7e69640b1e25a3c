"""The ``console`` and ``echo`` ports that AtomVM builds into every platform (libAtomVM nifs.c).

``open_port({spawn, "console"}, [])`` is how eavmlib's ``console:puts/1,2`` and
``console:flush/0,1`` reach the board console. The console port speaks three protocols:

* calls (``port:call/2``): ``{puts, Chars}`` prints and answers ``ok`` (``{error, badarg}``
  when ``Chars`` is neither iodata nor a binary), ``flush`` answers ``ok``, anything else
  ``{error, badarg}``;
* io requests: ``{io_request, Pid, Ref, {put_chars, Enc, Chars}}`` prints and sends
  ``{io_reply, Ref, ok}``; other requests, or chars that are not iodata, get no reply;
* ``{Pid, close}``: ``Pid ! {Port, closed}`` and the port ends.

AtomVM prints with C's ``printf("%s")``, so text stops at its first NUL byte.

``open_port({spawn, "echo"}, [])`` sends ``Val`` back to ``Pid`` for every ``{Pid, Val}`` it
gets; ``{Pid, close}`` closes it the console's way.
"""
from __future__ import annotations

from typing import Any

from ..errors import ErlangError
from ..nifs._util import iolist_bytes
from ..ports import NO_REPLY, PortInstance
from ..terms import ERROR, OK, atom

A_PUTS = atom("puts")
A_FLUSH = atom("flush")
A_CLOSE = atom("close")
A_CLOSED = atom("closed")
A_IO_REQUEST = atom("io_request")
A_IO_REPLY = atom("io_reply")
A_PUT_CHARS = atom("put_chars")
BADARG_REPLY = (ERROR, atom("badarg"))
EVERY_PLATFORM = ("esp32", "stm32", "pico", "generic_unix")


def _c_string(chars: Any) -> bytes | None:
    """The bytes ``printf("%s")`` shows for ``chars``; None when they are not iodata."""
    try:
        return iolist_bytes(chars).split(b"\0", 1)[0]
    except ErlangError:
        return None


def _close_request(msg: Any) -> bool:
    return msg.__class__ is tuple and len(msg) == 2 and msg[1] is A_CLOSE


def _close(port: PortInstance, requester: Any) -> None:
    port.send(requester, (port.port, A_CLOSED))
    port.close()


class ConsolePort:
    """One open console port: text to the board console."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        self.write = port.vm.console_write

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        if request is A_FLUSH:
            return OK
        if request.__class__ is tuple and len(request) == 2 and request[0] is A_PUTS:
            text = _c_string(request[1])
            if text is None:
                return BADARG_REPLY
            self.write(text)
            return OK
        return BADARG_REPLY

    def message(self, port: PortInstance, msg: Any) -> None:
        if _close_request(msg):
            _close(port, msg[0])
        elif msg.__class__ is tuple and len(msg) == 4 and msg[0] is A_IO_REQUEST:
            self._io_request(port, msg[1], msg[2], msg[3])

    def _io_request(self, port: PortInstance, sender: Any, ref: Any, request: Any) -> None:
        if not (request.__class__ is tuple and len(request) == 3 and request[0] is A_PUT_CHARS):
            return
        text = _c_string(request[2])
        if text is not None:
            self.write(text)
            port.send(sender, (A_IO_REPLY, ref, OK))

    def closed(self, port: PortInstance) -> None:
        pass


class EchoPort:
    """One open echo port: every ``{Pid, Val}`` comes back to ``Pid`` as ``Val``."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        pass

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        return NO_REPLY   # AtomVM's echo knows no calls: a call is never answered

    def message(self, port: PortInstance, msg: Any) -> None:
        if _close_request(msg):
            _close(port, msg[0])
        elif msg.__class__ is tuple and len(msg) == 2:
            port.send(msg[0], msg[1])

    def closed(self, port: PortInstance) -> None:
        pass


PORT_DRIVERS = {"console": (ConsolePort, EVERY_PLATFORM), "echo": (EchoPort, EVERY_PLATFORM)}
