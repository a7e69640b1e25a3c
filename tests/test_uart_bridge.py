"""Host bridges (avmsim.peripherals.host_bridge): pty, TCP and pyserial URLs, end to end.

The test plays both the simulator (it polls the bridge) and the host program (pyserial or a
socket on the other side); a one-line echo stands in for the firmware.
"""
from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial
from avmsim.peripherals.host_bridge import BridgeError, HostBridge, open_bridge, wait_for_input
from avmsim.peripherals.uart import Uart
from avmsim.trace import TraceBus

HOST_TIMEOUT_S = 5.0


@pytest.fixture
def uart() -> Uart:
    return Uart("UART1", TraceBus(lambda: 0))


@pytest.fixture
def echo_uart(uart: Uart) -> Uart:
    uart.on_receive = lambda: uart.write(uart.read())
    return uart


@pytest.fixture
def bridges() -> Iterator[list[HostBridge]]:
    opened: list[HostBridge] = []
    yield opened
    for bridge in opened:
        bridge.close()


def pump_until(bridge: HostBridge, done: Callable[[], bool]) -> None:
    """The simulator's idle loop: wait for the host, poll, until ``done`` (or give up)."""
    deadline = time.monotonic() + HOST_TIMEOUT_S
    while not done():
        assert time.monotonic() < deadline, "the host's bytes never arrived"
        bridge.wait(0.1)
        bridge.poll()


def read_exactly(port: serial.Serial, n: int) -> bytes:
    data = port.read(n)
    assert len(data) == n, f"read {data!r}, wanted {n} bytes"
    return data


# ---------------------------------------------------------------------------------------- pty
def test_pty_echo_through_a_terminal_program(echo_uart: Uart,
                                             bridges: list[HostBridge]) -> None:
    bridge = open_bridge("pty", echo_uart)
    bridges.append(bridge)
    assert bridge.path.startswith("/dev/")
    received: list[bytes] = []
    echo_uart.bus.subscribe(lambda e: received.append(e.value), ("uart_rx",))
    with serial.Serial(bridge.path, 115200, timeout=HOST_TIMEOUT_S) as host:
        message = b"hello\r\n\x03\x00\xff"    # raw: no echo, no CR/LF mapping, no ^C
        host.write(message)
        pump_until(bridge, lambda: sum(map(len, received)) >= len(message))
        assert read_exactly(host, len(message)) == message
    assert b"".join(received) == message


def test_pty_firmware_output_reaches_the_terminal(uart: Uart,
                                                  bridges: list[HostBridge]) -> None:
    bridge = open_bridge("pty", uart)
    bridges.append(bridge)
    with serial.Serial(bridge.path, timeout=HOST_TIMEOUT_S) as host:
        uart.write(b"boot ok\n")
        assert read_exactly(host, 8) == b"boot ok\n"


def test_pty_is_raw_before_any_terminal_opens_it(uart: Uart,
                                               bridges: list[HostBridge]) -> None:
    bridge = open_bridge("pty", uart)
    bridges.append(bridge)
    uart.write(b"boot banner\r\n")         # a cooked pty would echo this back as input
    assert bridge.wait(0.05) is False
    assert bridge.poll() == 0


def test_pty_wait_sleeps_until_the_host_sends(uart: Uart, bridges: list[HostBridge]) -> None:
    bridge = open_bridge("pty", uart)
    bridges.append(bridge)
    assert bridge.wait(0.05) is False
    assert bridge.poll() == 0
    with serial.Serial(bridge.path, timeout=0) as host:
        host.write(b"x")
        assert bridge.wait(HOST_TIMEOUT_S) is True
        assert bridge.poll() == 1
    assert uart.read() == b"x"


def test_pty_output_nobody_reads_never_blocks(uart: Uart, bridges: list[HostBridge]) -> None:
    bridges.append(open_bridge("pty", uart))
    for _ in range(200):
        uart.write(b"." * 1024)              # far more than a pty buffers


# ---------------------------------------------------------------------------------------- tcp
def connect(bridge: HostBridge) -> socket.socket:
    host, port = bridge.path.removeprefix("tcp://").split(":")
    client = socket.create_connection((host, int(port)), timeout=HOST_TIMEOUT_S)
    return client


def recv_exactly(client: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = client.recv(n - len(data))
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    return data


def test_tcp_echo_and_next_client(echo_uart: Uart, bridges: list[HostBridge]) -> None:
    bridge = open_bridge("tcp:0", echo_uart)
    bridges.append(bridge)
    assert bridge.path.startswith("tcp://127.0.0.1:") and not bridge.path.endswith(":0")
    echoed: list[bytes] = []
    echo_uart.add_sink(echoed.append)
    for message in (b"first client\n", b"second client\n"):
        with connect(bridge) as client:
            client.sendall(message)
            pump_until(bridge, lambda: echo_uart.pending() == 0 and b"".join(echoed).endswith(
                b"client\n"))
            assert recv_exactly(client, len(message)) == message
        echoed.clear()


def test_tcp_output_without_a_client_is_dropped(uart: Uart, bridges: list[HostBridge]) -> None:
    bridge = open_bridge("tcp:0", uart)
    bridges.append(bridge)
    uart.write(b"nobody hears this")
    assert bridge.wait(0.05) is False
    with connect(bridge) as client:
        uart.write(b"hello")                 # accepted on this write
        assert recv_exactly(client, 5) == b"hello"


def test_tcp_waiting_client_does_not_wake_the_simulator(
        uart: Uart, bridges: list[HostBridge]) -> None:
    bridge = open_bridge("tcp:0", uart)
    bridges.append(bridge)
    with connect(bridge) as first:
        first.sendall(b"a")
        pump_until(bridge, lambda: uart.pending() == 1)
        with connect(bridge) as second:
            second.sendall(b"b")             # waits in the backlog while the first is served
            assert bridge.wait(0.05) is False
            assert bridge.poll() == 0
        first.sendall(b"c")
        pump_until(bridge, lambda: uart.pending() == 2)
    assert uart.read() == b"ac"


def test_tcp_port_in_use_is_a_bridge_error(uart: Uart, bridges: list[HostBridge]) -> None:
    bridge = open_bridge("tcp:0", uart)
    bridges.append(bridge)
    port = bridge.path.rsplit(":", 1)[1]
    with pytest.raises(BridgeError, match=f"cannot bridge UART1 to 'tcp:{port}'"):
        open_bridge(f"tcp:{port}", uart)


# ------------------------------------------------------------------------------------ pyserial
def test_loop_url_returns_the_firmwares_output(uart: Uart, bridges: list[HostBridge]) -> None:
    bridge = open_bridge("loop://", uart)
    bridges.append(bridge)
    assert bridge.fds() == []
    assert bridge.wait(None) is False         # nothing could ever arrive: no sleeping forever
    uart.write(b"ping")
    assert wait_for_input([bridge], 0) is True
    assert bridge.poll() == 4
    assert uart.read() == b"ping"


def test_socket_url_talks_to_a_tcp_bridge(echo_uart: Uart, bridges: list[HostBridge]) -> None:
    server = open_bridge("tcp:0", echo_uart)
    other = Uart("UART2", TraceBus(lambda: 0))
    client = open_bridge(server.path.replace("tcp://", "socket://"), other)
    bridges += [server, client]
    other.write(b"round trip")
    deadline = time.monotonic() + HOST_TIMEOUT_S
    while other.pending() < len(b"round trip"):
        assert time.monotonic() < deadline, "the echo never came back"
        wait_for_input([server, client], 0.1)
        server.poll()
        client.poll()
    assert other.read() == b"round trip"


def test_socket_url_output_nobody_reads_never_blocks(uart: Uart,
                                                     bridges: list[HostBridge]) -> None:
    server = open_bridge("tcp:0", Uart("UART0", TraceBus(lambda: 0)))
    client = open_bridge(server.path.replace("tcp://", "socket://"), uart)
    bridges += [server, client]

    def hung(_signum: int, _frame: object) -> None:
        raise TimeoutError("a write to a host that does not read blocked the simulation")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(int(HOST_TIMEOUT_S) * 2)
    try:
        for _ in range(1000):                  # 64 MiB: far beyond the socket buffers
            uart.write(bytes(65536))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert client.fds()                        # still connected: the bytes were dropped


def test_closed_pty_bridge_never_writes_to_a_reused_descriptor(uart: Uart,
                                                               tmp_path: Path) -> None:
    bridge = open_bridge("pty", uart)
    master = bridge.fds()[0]
    bridge.close()
    fd = os.open(tmp_path / "other.txt", os.O_RDWR | os.O_CREAT)
    try:
        assert fd == master                    # the descriptor number was handed out again
        uart.write(b"late output")
    finally:
        os.close(fd)
    assert (tmp_path / "other.txt").read_bytes() == b""


def test_closed_bridge_lets_go_of_the_uart(uart: Uart) -> None:
    with open_bridge("loop://", uart) as bridge:
        uart.write(b"before close")
    assert bridge.closed
    bridge.close()
    uart.write(b"after close")                # no sink left to fail
    assert bridge.poll() == 0 and bridge.fds() == []


@pytest.mark.parametrize(("spec", "reason"), [
    ("tcp:abc", "port must be a number"),
    ("tcp:70000", "port must be a number"),
    ("tcp:", "port must be a number"),
    ("pty:/dev/x", "'pty' takes no argument"),
    ("", "empty spec"),
    ("/dev/no-such-tty-avmsim", "could not open port"),
    ("nosuch://x", "nosuch"),
])
def test_bad_specs_are_clear_bridge_errors(uart: Uart, spec: str, reason: str) -> None:
    with pytest.raises(BridgeError) as info:
        open_bridge(spec, uart)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"cannot bridge UART1 to {spec!r}: ")
    assert reason in str(info.value)
