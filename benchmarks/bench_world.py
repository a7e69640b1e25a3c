#!/usr/bin/env python3
"""TCP round trips between two simulated boards of one world (``avmsim world.toml``).

Two ESP32 DevKitC boards: ``server`` runs a soft AP (``network:wait_for_ap``, so its
address is ESP-IDF's 192.168.4.1) and a gen_tcp echo server on port 7; ``client`` joins
that AP, connects, and sends 32 bytes and waits for them back, N times. Printed: round trips
per host second (between the client's console lines before and after the loop, as they
reach the host: boot, association and DHCP do not count), and the virtual time one round trip
takes on the boards (the client's ``erlang:monotonic_time``): two link latencies
(``IpNetwork.latency_ns``, 1.5 ms one way) plus both boards' work. No host socket is open, so the world runs in virtual time
as fast as the host can: the host figure is the cost of simulating both boards and the
turns between them.

Usage: ``python3 benchmarks/bench_world.py [--n N]`` (default N=500).

Figures: benchmarks/RESULTS.md ("Network: TCP round trips").
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _net_bench import beam, echo_server, round_trips

JOIN_AP = '{ok, _} = network:wait_for_sta([{ssid, "bench"}, {psk, "benchmark"}], 30000),'
START_AP = 'ok = network:wait_for_ap([{ssid, "bench"}, {psk, "benchmark"}], 30000),'
CONNECT = '{ok, S} = gen_tcp:connect({192,168,4,1}, 7, [binary, {active, false}]),'
GO = 'io:format("go~n"),'    # the host time of this line starts the measure

WORLD = """
[[board]]
name = "server"
board = "esp32-devkit"
packs = ["bench_server.beam"]

[[board]]
name = "client"
board = "esp32-devkit"
packs = ["bench_client.beam"]
"""


def run_world(tmp: Path, n: int) -> tuple[float, int]:
    """Host seconds of the client's ``n`` round trips, and their virtual µs."""
    beam(tmp, "bench_server", echo_server("bench_server", START_AP))
    beam(tmp, "bench_client", round_trips("bench_client", "\n    ".join((JOIN_AP, CONNECT, GO)), n))
    (tmp / "world.toml").write_text(WORLD)
    run = subprocess.Popen([sys.executable, "-m", "avmsim.cli", "--headless", "--timeout",
                            "600s", str(tmp / "world.toml")], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    marks = []    # (host time, line) of the client's console lines
    for line in run.stdout:
        if line.startswith("[client] "):
            marks.append((time.perf_counter(), line.split()[1]))
    _, err = run.communicate(timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"the world failed (status {run.returncode}):\n{err}")
    (start, _), (end, virtual_us) = marks
    return end - start, int(virtual_us)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="round trips (default 500)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wall, virtual_us = run_world(Path(tmp), args.n)
    print(f"board<->board  {args.n} round trips in {wall:.2f} s of host time: "
          f"{args.n / wall:,.0f} round trips/s; {virtual_us / args.n:,.0f} us of virtual "
          "time each")


if __name__ == "__main__":
    main()
