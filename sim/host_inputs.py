"""Host input for a running simulation: UART bridges and ``--interactive`` standard input.

Bytes from the host reach the board between slices (polled after each one, and before an
idle core jumps ahead in time), at the virtual time of the poll. Virtual time does not wait
for the host: use ``--realtime`` for an interactive session paced like the device. When
every process waits and no timer is pending, the board would wait forever on the device;
with host inputs attached the simulator blocks until the host sends something instead of
reporting a deadlock.
"""
from __future__ import annotations

import os
import sys
from typing import Any

from avmsim.peripherals.host_bridge import HostBridge, open_bridge, wait_for_input


class StdinBridge(HostBridge):
    """Standard input into a UART (the console echoes nothing back to stdin)."""

    path = "stdin"

    def __init__(self, uart: Any) -> None:
        super().__init__(uart)
        self.fd = sys.stdin.fileno()
        self.eof = False
        os.set_blocking(self.fd, False)

    def fds(self) -> list[int]:
        return [] if self.closed or self.eof else [self.fd]

    def _send(self, data: bytes) -> None:
        """Console output is shown by the console writer, not sent back to stdin."""

    def _receive(self) -> bytes:
        try:
            data = os.read(self.fd, 4096)
        except BlockingIOError:
            return b""
        if not data:          # end of input: nothing more will come
            self.eof = True
        return data

    def _close(self) -> None:
        os.set_blocking(self.fd, True)


class HostInputs:
    """The host bridges of one simulation, polled between slices."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        self.bridges: list[HostBridge] = []
        self._attach(sim.vm)
        sim.boot_hooks.append(self._attach)

    def _attach(self, vm: Any) -> None:
        vm.scheduler.slice_hooks.append(self._poll)
        vm.scheduler.host_input = self._input

    def bridge(self, uart_name: str, spec: str) -> HostBridge:
        bridge = open_bridge(spec, self.sim.devices.uart(uart_name))
        self.bridges.append(bridge)
        return bridge

    def stdin_to_console(self) -> None:
        self.bridges.append(StdinBridge(self.sim.devices.console))

    def _poll(self, _proc: Any = None) -> int:
        return sum(b.poll() for b in self.bridges)

    def _input(self, block: bool) -> bool:
        """Take what the host sent; with ``block``, wait for it. False when nothing came
        (and, blocking, when no bridge can ever bring anything: the board is deadlocked)."""
        if not block:
            return self._poll() > 0
        while wait_for_input(self.bridges, None):
            if self._poll():
                return True
        return False

    def close(self) -> None:
        for bridge in self.bridges:
            bridge.close()
