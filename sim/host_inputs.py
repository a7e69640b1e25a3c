"""Host input for a running simulation: UART bridges and ``--interactive`` standard input.

Bytes from the host reach the board between slices (polled after each one, and before an
idle core jumps ahead in time), at the virtual time of the poll. Virtual time does not wait
for a UART's host: use ``--realtime`` for an interactive session paced like the device. When
every process waits and no timer is pending, the board would wait forever on the device;
with host inputs attached the simulator blocks until the host sends something instead of
reporting a deadlock.

The network's host gateway (``--forward``, outgoing connections to the host) is polled the
same way, and paces the board while a host socket is open: an idle board about to jump ahead
in virtual time first waits on the host sockets for as long as that jump lasts in real time
(``--realtime`` FACTOR scales it), so that a board waiting for a host's reply does not time
out in virtual time while the host is still working. Without host sockets nothing waits and
virtual time runs as before.
"""
from __future__ import annotations

import os
import selectors
import sys
import time
from typing import Any

from avmsim.peripherals.host_bridge import HostBridge, open_bridge

from .clock import NS_PER_S, PACE_STEP_S

SELECT_RESOLUTION_S = 0.001
"""epoll and poll wait in whole milliseconds: a shorter wait would last a millisecond."""


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
    """The host bridges of one simulation (UARTs, stdin, the network's host gateway), polled
    between slices."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        self.bridges: list[HostBridge] = []
        self.gateway: Any = None   # the network's HostGateway, when the host is reachable
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

    def pace_with(self, gateway: Any) -> None:
        """Poll the network's host gateway too, and pace the board while it is active."""
        self.gateway = gateway

    def _poll(self, _proc: Any = None) -> int:
        taken = sum(b.poll() for b in self.bridges) if self.bridges else 0
        return taken + self.gateway.poll() if self.gateway is not None else taken

    def _input(self, wait_ns: int | None) -> bool:
        """Take what the host sent (the scheduler's ``host_input``). ``wait_ns`` None: nothing
        else can happen, wait as long as the host may still send something; a jump ahead in
        virtual time: wait at most its real-time length while a host socket is open. False
        when nothing came (waiting forever: nothing can ever come, the board is deadlocked)."""
        if self._poll():
            return True
        if wait_ns is None:
            deadline = None
        elif wait_ns and self.gateway is not None and self.gateway.active():
            speed = self.sim.clock.realtime_factor or 1
            deadline = time.monotonic() + wait_ns / NS_PER_S / speed
        else:
            return False
        while self._wait(deadline):
            if self._poll():
                return True
            for hook in self.sim.clock.pace_hooks:   # the live view redraws meanwhile
                hook()
        return False

    def _wait(self, deadline: float | None) -> bool:
        """Block until a host source may have something, ``deadline`` (host clock; None: no
        limit) or at most a pacing step. False when the deadline has passed or nothing can
        ever come."""
        timeout = PACE_STEP_S if deadline is None else min(deadline - time.monotonic(),
                                                           PACE_STEP_S)
        if timeout <= 0:
            return False
        if any(b.has_buffered_input() for b in self.bridges):
            return True
        with selectors.DefaultSelector() as selector:
            for fd in {fd for b in self.bridges for fd in b.fds()}:
                selector.register(fd, selectors.EVENT_READ)
            for fd, events in self.gateway.fds() if self.gateway is not None else ():
                selector.register(fd, events)
            if not selector.get_map():
                return False
            if timeout < SELECT_RESOLUTION_S:
                time.sleep(timeout)   # the selector would round it up to a millisecond
            else:
                selector.select(timeout)
            return True

    def close(self) -> None:
        for bridge in self.bridges:
            bridge.close()
        if self.gateway is not None:
            self.gateway.close()
