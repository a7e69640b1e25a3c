"""The ``uart`` port (``uart:open/2``): AtomVM's serial driver over the board's UART models.

``open_port({spawn, "uart"}, [{peripheral, "UART1"}, {speed, 115200} | …])``. Requests:
``read`` answers ``{ok, Binary}`` with every byte received so far, or waits until bytes
arrive (one reader at a time; another gets ``{error, ealready}``); ``cancel_read``;
``{write, IOData}``; ``close``. Line settings (speed, parity…) are accepted and not
modelled: bytes arrive whole.
"""
from __future__ import annotations

from typing import Any

from ..errors import ErlangError
from ..nifs._util import badarg, charlist_str, iolist_bytes
from ..ports import NO_REPLY, PortInstance, proplist
from ..terms import ERROR, OK, Cons, atom

A_PERIPHERAL = atom("peripheral")
A_READ = atom("read")
A_CANCEL_READ = atom("cancel_read")
A_WRITE = atom("write")
A_CLOSE = atom("close")
A_EALREADY = atom("ealready")
A_BADARG = atom("badarg")
DEFAULT_PERIPHERAL = "UART0"


def _peripheral(options: dict) -> str:
    name = options.get(A_PERIPHERAL)
    if name is None:
        return DEFAULT_PERIPHERAL
    if name.__class__ is bytes:
        return name.decode("latin-1")
    if name.__class__ is Cons:
        return charlist_str(name)
    raise badarg()


class UartPort:
    """One open UART: forwards writes, parks a reader until bytes arrive."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        devices = port.vm.devices
        name = _peripheral(proplist(options))
        uart = devices.uart(name) if devices is not None else None
        if uart is None:
            raise badarg()
        self.uart = uart
        self.reader: tuple[Any, Any] | None = None
        self.port = port
        uart.on_receive = self._received

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        if request is A_READ:
            if self.reader is not None:
                return (ERROR, A_EALREADY)
            if self.uart.pending():
                return (OK, self.uart.read())
            self.reader = (caller, ref)
            return NO_REPLY
        if request is A_CANCEL_READ:
            self.reader = None
            return OK
        if request is A_CLOSE:
            port.reply(caller, ref, OK)
            port.close()
            return NO_REPLY
        if request.__class__ is tuple and len(request) == 2 and request[0] is A_WRITE:
            try:
                self.uart.write(iolist_bytes(request[1]))
            except ErlangError:
                return (ERROR, A_BADARG)
            return OK
        return (ERROR, A_BADARG)

    def _received(self) -> None:
        if self.reader is not None and self.uart.pending():
            caller, ref = self.reader
            self.reader = None
            self.port.reply(caller, ref, (OK, self.uart.read()))

    def closed(self, port: PortInstance) -> None:
        self.reader = None
        if self.uart.on_receive == self._received:
            self.uart.on_receive = None


PORT_DRIVERS = {"uart": (UartPort, ("esp32", "stm32", "pico"))}
