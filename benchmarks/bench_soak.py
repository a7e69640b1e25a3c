#!/usr/bin/env python3
"""A long run must not grow the host: host RSS of a gen_server ticking every 100 ms.

Runs the ticker on esp32-devkit (with the memory report's monitor attached, as
``--memory-report`` does) for HOURS of virtual time and prints, at each hour, the process's
peak resident set, the host seconds so far and the timeline's sample count. Usage:
    python3 benchmarks/bench_soak.py [HOURS]        (default 24)
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICKER = """-module(ticker).
-behaviour(gen_server).
-export([start/0, init/1, handle_call/3, handle_cast/2, handle_info/2]).
start() ->
    {ok, _} = gen_server:start({local, ticker}, ?MODULE, [], []),
    receive never -> ok end.
init([]) -> erlang:send_after(100, self(), tick), {ok, 0}.
handle_call(_, _, N) -> {reply, N, N}.
handle_cast(_, N) -> {noreply, N}.
handle_info(tick, N) -> erlang:send_after(100, self(), tick), {noreply, N + 1}.
"""
HOUR_NS = 3600 * 1_000_000_000


def main() -> int:
    hours = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    sys.setrecursionlimit(200_000)
    from avmsim.boards import get_board
    from avmsim.memory_report import MemoryMonitor
    from avmsim.simulation import Simulation
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "ticker.erl"
        src.write_text(TICKER)
        subprocess.run(["erlc", "-o", tmp, str(src)], check=True)
        sim = Simulation(get_board("esp32-devkit"), [str(Path(tmp) / "ticker.beam")])
        monitor = MemoryMonitor(sim.vm, board="esp32-devkit")
        t0 = time.perf_counter()
        print(f"{'virtual':>8} {'max RSS MB':>11} {'host s':>8} {'timeline samples':>17}")
        for hour in range(1, hours + 1):
            sim.run(until_ns=hour * HOUR_NS)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{hour:>6} h {rss:>11.0f} {time.perf_counter() - t0:>8.0f} "
                  f"{len(monitor.samples):>17,}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
