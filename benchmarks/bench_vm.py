#!/usr/bin/env python3
"""BEAM instructions per second of the VM on this machine, per workload.

Each benchmarks/erlang/*.erl is compiled with the host erlc, loaded into a bare VM (no board,
no standard library needed) and its start/0 run once after a warm-up run; the figure is
BEAM instructions executed / host seconds of the timed run. A workload whose start/0
returns ``{ops, N}`` also gets N / seconds (message round trips, spawns). Usage:
    python3 benchmarks/bench_vm.py [--repeat N] [--no-heap-model] [NAME ...]

``--no-heap-model`` generates the code without the heap model's charges and GC points
(``AVMSIM_HEAP_MODEL=off``, see vm/heap.py): the same build, to measure what exact memory
accounting costs.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_once(beam: Path) -> tuple[float, int, object]:
    from avmsim.clock import VirtualClock
    from avmsim.vm.terms import atom
    from avmsim.vm.vm import VM
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=4)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn_start(name, atom("start"), [])
    t0 = time.perf_counter()
    value = vm.run(proc)
    return time.perf_counter() - t0, vm.instructions(), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    parser.add_argument("--no-heap-model", action="store_true",
                        help="run without the heap model (charges and GC points)")
    parser.add_argument("names", nargs="*", help="workloads (default: all)")
    args = parser.parse_args()
    if args.no_heap_model:
        os.environ["AVMSIM_HEAP_MODEL"] = "off"  # read when avmsim.vm.heap is imported
    sources = sorted((HERE / "erlang").glob("bench_*.erl"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names or s.stem[6:] in args.names]
    sys.setrecursionlimit(200_000)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["erlc", "-o", tmp, *map(str, sources)], check=True)
        print(f"{'workload':16} {'instructions':>13} {'seconds':>9} {'M instr/s':>10} "
              f"{'ops/s':>10}  result")
        for src in sources:
            beam = Path(tmp) / f"{src.stem}.beam"
            run_once(beam)  # warm-up: module compile and caches
            best = min((run_once(beam) for _ in range(args.repeat)), key=lambda r: r[0])
            seconds, instructions, value = best
            ops = value[1] / seconds if isinstance(value, tuple) and len(value) == 2 else None
            print(f"{src.stem:16} {instructions:13,} {seconds:9.3f} "
                  f"{instructions / seconds / 1e6:10.2f} {f'{ops:,.0f}' if ops else '-':>10}  "
                  f"{value!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
