#!/usr/bin/env python3
"""TCP round trips between a simulated board and the host, through the host bridge.

Two figures, each from one ``avmsim`` run on generic-unix (run it several times and quote
the median):

- ``in``: a host client (Python sockets) sends 32 bytes to the board's gen_tcp echo server
  through ``--forward tcp:0:7`` and waits for them back, N times: round trips per host
  second.
- ``out``: a board app (gen_tcp) sends 32 bytes to an echo server on the host at the gateway
  address 10.0.2.2 and waits for them back, N times: round trips per host second, and the
  virtual time one round trip takes on the board.

While host sockets are open the board keeps pace with the host clock: each hop across the
simulated link (``IpNetwork.latency_ns``, 1.5 ms one way) is waited for in real time, so a
round trip costs at least two link latencies of host time, as on the device.

Usage: ``python3 benchmarks/bench_net_host.py [in|out ...] [--n N]`` (default: both, N=500).

The floor set by pacing is 2 × 1.5 ms of host time per round trip. Figures:
benchmarks/RESULTS.md ("Network: TCP round trips").
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _net_bench import beam, echo_server, round_trips

PAYLOAD = b"x" * 32

CONNECT_GATEWAY = "{ok, S} = gen_tcp:connect({10,0,2,2}, %d, [binary, {active, false}]),"


def _avmsim(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "avmsim.cli", "--board", "generic-unix",
                             "--headless", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed early")
        data += chunk
    return data


def bench_in(tmp: Path, n: int) -> str:
    run = _avmsim("--forward", "tcp:0:7", str(beam(tmp, "bench_echo", echo_server("bench_echo"))))
    line = run.stderr.readline()
    port = int(line.split("127.0.0.1:")[1].split()[0])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.sendall(PAYLOAD)           # the first one also waits for the board to accept
        _exactly(conn, len(PAYLOAD))
        start = time.perf_counter()
        for _ in range(n):
            conn.sendall(PAYLOAD)
            _exactly(conn, len(PAYLOAD))
        wall = time.perf_counter() - start
    run.communicate(timeout=60)
    return f"in   host->board  {n} round trips in {wall:.2f} s: {n / wall:,.0f} round trips/s"


def bench_out(tmp: Path, n: int) -> str:
    server = socket.create_server(("127.0.0.1", 0))
    times: list[float] = []   # host time of the first request and of the board's close

    def echo() -> None:
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            while data := conn.recv(4096):
                times[:1] = times[:1] or [time.perf_counter()]
                conn.sendall(data)
        times.append(time.perf_counter())

    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    setup = CONNECT_GATEWAY % server.getsockname()[1]
    client = beam(tmp, "bench_client", round_trips("bench_client", setup, n))
    out, _ = _avmsim(str(client)).communicate(timeout=600)
    thread.join(timeout=60)
    server.close()
    wall = times[-1] - times[0]
    virtual_us = int(out.split()[0])
    return (f"out  board->host  {n} round trips in {wall:.2f} s: {n / wall:,.0f} round "
            f"trips/s; {virtual_us / n:,.0f} us of virtual time each")


BENCHES = {"in": bench_in, "out": bench_out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", help="in, out (default: both)")
    parser.add_argument("--n", type=int, default=500, help="round trips (default 500)")
    args = parser.parse_args()
    unknown = set(args.which) - set(BENCHES)
    if unknown:
        parser.error(f"no benchmark {', '.join(sorted(unknown))} (in, out)")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.which or BENCHES:
            print(BENCHES[name](Path(tmp), args.n), flush=True)


if __name__ == "__main__":
    main()
