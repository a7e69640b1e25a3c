#!/usr/bin/env python3
"""Host cost of the buses: one I2C transaction, and a sensor read every 10 ms for an hour.

Three figures, each from one process (run it several times and quote the median):

- ``bus``: host microseconds per ``I2cBus.transfer`` of an SHT31 read (2 command bytes
  written, then 6 bytes read), the bus and the chip model alone;
- ``app``: host microseconds per ``i2c:read_bytes/4`` of an Erlang loop on the simulated
  esp32-devkit (driver, port protocol, bus, chip, trace bus with nobody listening), per
  transaction;
- ``hour``: host seconds for an app that reads a LIS3DH (6 bytes at OUT_X_L, auto-increment)
  every 10 ms for one simulated hour: 360,000 reads.

Usage: ``python3 benchmarks/bench_buses.py [bus|app|hour ...]`` (default: all three).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

S = 1_000_000_000

LOOP_APP = """-module(bench_i2c).
-export([start/0]).
start() ->
    I2C = i2c:open([{scl, 22}, {sda, 21}, {clock_speed_hz, 400000}]),
    loop(I2C, %d).
loop(_I2C, 0) -> ok;
loop(I2C, N) ->
    {ok, <<_:48>>} = i2c:read_bytes(I2C, 16#19, 16#A8, 6),
    loop(I2C, N - 1).
"""

HOUR_APP = """-module(bench_hour).
-export([start/0]).
start() ->
    I2C = i2c:open([{scl, 22}, {sda, 21}, {clock_speed_hz, 400000}]),
    ok = i2c:write_bytes(I2C, 16#19, 16#20, <<16#57>>),   % CTRL_REG1: 100 Hz, XYZ on
    loop(I2C, 0).
loop(I2C, N) ->
    {ok, <<_:48>>} = i2c:read_bytes(I2C, 16#19, 16#A8, 6),
    receive after 10 -> ok end,
    loop(I2C, N + 1).
"""

PARTS = """[[i2c_device]]
name = "acc"
model = "lis3dh"
sda = "GPIO21"
scl = "GPIO22"
address = 0x19
"""


def bench_bus(n: int = 20_000) -> str:
    from avmsim.peripherals.sht31 import Sht31
    from avmsim.peripherals.i2c import I2cBus
    from avmsim.trace import TraceBus
    t = [0]
    bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(lambda: t[0]), lambda: t[0])
    bus.attach(Sht31("env", {}, lambda: t[0]))
    t0 = time.perf_counter()
    for _ in range(n):
        bus.transfer(0x44, write=b"\x24\x00")
        t[0] += 20_000_000        # past the conversion
        bus.transfer(0x44, read=6)
    per = (time.perf_counter() - t0) / (2 * n)
    return f"bus   {per * 1e6:8.1f} us per transaction (I2cBus + SHT31 model, {2 * n} transfers)"


def simulation(tmp: Path, source: str, name: str) -> object:
    from avmsim.boards import get_board
    from avmsim.boards.parts_file import load_parts_file
    from avmsim.simulation import Simulation
    (tmp / f"{name}.erl").write_text(source)
    subprocess.run(["erlc", "-o", str(tmp), str(tmp / f"{name}.erl")], check=True)
    (tmp / "parts.toml").write_text(PARTS)
    board = get_board("esp32-devkit").with_parts(load_parts_file(tmp / "parts.toml"))
    return Simulation(board, [str(tmp / f"{name}.beam")])


def bench_app(tmp: Path, n: int = 20_000) -> str:
    sim = simulation(tmp, LOOP_APP % n, "bench_i2c")
    t0 = time.perf_counter()
    outcome = sim.run(until_ns=3600 * S)
    per = (time.perf_counter() - t0) / n
    return (f"app   {per * 1e6:8.1f} us per i2c:read_bytes/4 ({n} reads, {outcome.why}, "
            f"{outcome.t_ns / 1e6:.1f} ms virtual)")


def bench_hour(tmp: Path) -> str:
    sim = simulation(tmp, HOUR_APP, "bench_hour")
    reads: list[int] = []
    sim.bus.subscribe(lambda e: reads.append(1), ("i2c",))
    t0 = time.perf_counter()
    outcome = sim.run(until_ns=3600 * S)
    host = time.perf_counter() - t0
    return (f"hour  {host:8.1f} s host for 3600 s virtual, {len(reads):,} I2C transfers "
            f"({outcome.why})")


def main() -> int:
    names = sys.argv[1:] or ["bus", "app", "hour"]
    sys.setrecursionlimit(200_000)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if name == "bus":
                print(bench_bus())
            elif name == "app":
                print(bench_app(Path(tmp)))
            elif name == "hour":
                print(bench_hour(Path(tmp)))
            else:
                print(f"unknown benchmark {name!r} (bus, app, hour)", file=sys.stderr)
                return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
