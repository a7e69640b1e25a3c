"""Memory reports and ceilings (issue 4, item 6): --memory-report, --memory-ceiling,
--update-ceiling and ``avmsim mem``, on real apps on esp32-devkit and generic-unix."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from avmsim.exit_codes import Exit
from avmsim.memory_report import (
    CEILING_FORMAT,
    DEFAULT_TOLERANCE,
    ceiling_from_report,
    check_ceiling,
)
from helpers import avmsim, compile_erl

BOARDS = ("esp32-devkit", "generic-unix")
INTERVAL_MS = 10.0

# A keeper (registered) and EXTRA holders each keep a 2000-element list alive (16 KB of heap
# on a 32-bit board); the start process does some work on a 1 ms timer meanwhile.
MEM_APP = """-module(memapp).
-export([start/0, holder/1]).
-ifndef(EXTRA).
-define(EXTRA, 0).
-endif.
start() ->
    register(keeper, spawn(?MODULE, holder, [2000])),
    Hs = [spawn(?MODULE, holder, [2000]) || _ <- lists:seq(1, ?EXTRA)],
    W = spawn(fun() -> receive stop -> ok end end),
    work(30),
    [H ! stop || H <- Hs],
    keeper ! stop,
    W ! stop,
    receive after 20 -> ok end,
    ok.
holder(Len) ->
    L = lists:seq(1, Len),
    receive stop -> length(L) end.
work(0) -> ok;
work(K) -> _ = lists:reverse(lists:seq(1, 500)), receive after 1 -> ok end, work(K - 1).
"""

CRASH_APP = """-module(crashmem).
-export([start/0]).
start() -> _ = lists:seq(1, 300), receive after 5 -> ok end, {ok, _} = node().
"""

REPORT_KEYS = ["format", "avmsim_version", "board", "end_ms", "process_count", "processes",
               "out_of_memory", "timeline"]
PROC_KEYS = ["pid", "name", "initial_call", "key", "alive", "exit_ms", "peak_total_heap_words",
             "peak_total_heap_bytes", "peak_memory", "gcs", "final"]


def _app(tmp: Path, extra: int = 0) -> str:
    d = tmp / f"extra{extra}"
    d.mkdir(exist_ok=True)
    return str(compile_erl(d, "memapp", MEM_APP, f"-DEXTRA={extra}"))


def _report(tmp: Path, board: str, beam: str, name: str = "r.json", *more: str) -> dict:
    path = tmp / name
    r = avmsim("--board", board, "--memory-report", str(path), *more, beam)
    assert r.returncode == Exit.OK, r.stderr
    return json.loads(path.read_text())


@pytest.mark.parametrize("board", BOARDS)
def test_report_keys_and_invariants(tmp_path: Path, board: str) -> None:
    rep = _report(tmp_path, board, _app(tmp_path))
    assert list(rep) == REPORT_KEYS
    assert rep["format"] == "avmsim-memory-report/1" and rep["avmsim_version"]
    b = rep["board"]
    assert b["name"] == board
    assert b["word_size"] == (4 if board == "esp32-devkit" else 8)
    samples = rep["timeline"]["samples"]
    cols = rep["timeline"]["columns"]
    assert cols == ["t_ms", "used", "free", "processes", "heap_words"]
    assert len(samples) >= 4
    t, used, free, nproc = ([s[cols.index(c)] for s in samples]
                            for c in ("t_ms", "used", "free", "processes"))
    # board: the peak is at least the final figure and every sampled figure
    assert b["peak_used"] >= b["final"]["used"] > 0
    assert b["peak_used"] >= max(used)
    if board == "esp32-devkit":
        assert b["budget"] > b["peak_used"]
        assert b["minimum_free_ever"] <= min(free)
        assert b["minimum_free_ever"] <= b["final"]["free"]
        assert b["final"]["largest_free_block"] <= b["final"]["free"]
        assert b["budget"] - b["minimum_free_ever"] >= b["peak_used"]
    else:  # no budget on the host board
        assert b["budget"] is None and b["minimum_free_ever"] is None
        assert b["final"]["free"] is None and b["final"]["largest_free_block"] is None
        assert set(free) == {None}
    # timeline: increasing virtual times, one sample per interval boundary at most
    assert t == sorted(t) and len(set(t)) == len(t)
    slots = [int(x // INTERVAL_MS) for x in t]
    assert slots[0] == 0 and slots == sorted(set(slots))
    assert t[-1] <= rep["end_ms"]
    # processes: the start process, the registered keeper, the anonymous fun
    assert rep["process_count"]["peak"] >= max(nproc) >= 3
    assert rep["process_count"]["spawned"] == len(rep["processes"]) == 3
    by_key = {p["key"]: p for p in rep["processes"]}
    assert set(by_key) == {"init:boot/1", "keeper", "memapp:-start/0-fun-1-/0"}
    keeper = by_key["keeper"]
    assert (keeper["name"], keeper["initial_call"]) == ("keeper", "memapp:holder/1")
    for p in rep["processes"]:
        assert list(p) == PROC_KEYS
        assert p["pid"].startswith("<0.") and not p["alive"] and p["exit_ms"] <= rep["end_ms"]
        assert p["peak_memory"] >= p["final"]["memory"] > 0
        assert p["peak_total_heap_words"] >= p["final"]["total_heap_size"]
        assert p["peak_total_heap_bytes"] == p["peak_total_heap_words"] * b["word_size"]
    # the keeper's 2000-element list: 2 words a cell
    assert keeper["peak_total_heap_words"] >= 4000
    assert keeper["peak_memory"] >= 4000 * b["word_size"]


@pytest.mark.parametrize("board", BOARDS)
def test_report_is_deterministic(tmp_path: Path, board: str) -> None:
    beam = _app(tmp_path)
    one = tmp_path / "one.json"
    two = tmp_path / "two.json"
    for path in (one, two):
        r = avmsim("--board", board, "--memory-report", str(path), beam)
        assert r.returncode == Exit.OK, r.stderr
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("board", BOARDS)
def test_ceiling_passes_unchanged_and_fails_on_one_more_heap(tmp_path: Path, board: str) -> None:
    ceiling = tmp_path / "ceiling.json"
    base, bigger = _app(tmp_path, 0), _app(tmp_path, 1)
    r = avmsim("--board", board, "--memory-ceiling", str(ceiling), "--update-ceiling", base)
    assert r.returncode == Exit.OK, r.stderr
    data = json.loads(ceiling.read_text())
    assert data["format"] == CEILING_FORMAT and data["board"] == board
    assert data["tolerance"] == DEFAULT_TOLERANCE
    assert set(data["processes"]) == {"init:boot/1", "keeper", "memapp:-start/0-fun-1-/0"}
    assert not any(k.startswith("<") for k in data["processes"])   # never keyed by pid

    same = avmsim("--board", board, "--memory-ceiling", str(ceiling), base)
    assert same.returncode == Exit.OK, same.stderr
    assert "ceiling" not in same.stderr

    grown = avmsim("--board", board, "--memory-ceiling", str(ceiling), bigger)
    assert grown.returncode == Exit.MEMORY_CEILING, grown.stderr
    assert "Traceback" not in grown.stderr
    lines = [ln.strip() for ln in grown.stderr.splitlines()]
    peak = [ln for ln in lines if ln.startswith("board.peak_used: ")]
    assert len(peak) == 1, grown.stderr
    assert f"> ceiling {data['peak_used']} B (+" in peak[0] and "tolerance 2 %" in peak[0]
    assert any(ln.startswith("processes.peak_count: 4 > ceiling 3") for ln in lines)


def test_update_ceiling_keeps_tolerance_and_app_status_wins(tmp_path: Path) -> None:
    ceiling = tmp_path / "ceiling.json"
    base, bigger = _app(tmp_path, 0), _app(tmp_path, 1)
    ceiling.write_text(json.dumps({"format": CEILING_FORMAT, "tolerance": {"percent": 90}}))
    r = avmsim("--memory-ceiling", str(ceiling), "--update-ceiling", base)
    assert r.returncode == Exit.OK, r.stderr
    assert json.loads(ceiling.read_text())["tolerance"] == {"percent": 90, "bytes": 256}
    # a generous tolerance lets the grown app pass the board peak
    r = avmsim("--memory-ceiling", str(ceiling), bigger)
    assert "board.peak_used" not in r.stderr
    # a crashing app keeps its own status, and still writes its report
    crash = str(compile_erl(tmp_path, "crashmem", CRASH_APP))
    tight = tmp_path / "tight.json"
    tight.write_text(json.dumps({"format": CEILING_FORMAT, "peak_used": 1, "tolerance":
                                 {"percent": 0, "bytes": 0}}))
    report = tmp_path / "crash.json"
    r = avmsim("--memory-report", str(report), "--memory-ceiling", str(tight), crash)
    assert r.returncode == Exit.APP_FAILED
    assert "board.peak_used" in r.stderr
    assert json.loads(report.read_text())["processes"][0]["exit_ms"] is not None


def test_report_written_when_the_board_runs_out(tmp_path: Path) -> None:
    report = tmp_path / "oom.json"
    r = avmsim("--board", "esp32-devkit", "--max-ram", "24K", "--memory-report", str(report),
               _app(tmp_path))
    assert r.returncode == Exit.OUT_OF_MEMORY, r.stderr
    rep = json.loads(report.read_text())
    assert rep["board"]["budget"] <= 24 * 1024
    assert rep["board"]["peak_used"] <= rep["board"]["budget"]


def test_memory_flag_errors(tmp_path: Path) -> None:
    beam = _app(tmp_path)
    r = avmsim("--update-ceiling", beam)
    assert r.returncode == Exit.USAGE and "--memory-ceiling" in r.stderr
    r = avmsim("--memory-ceiling", str(tmp_path / "none.json"), beam)
    assert r.returncode == Exit.FILE_NOT_FOUND and "none.json" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = avmsim("--memory-ceiling", str(bad), beam)
    assert r.returncode == Exit.USAGE and "not an avmsim memory ceiling" in r.stderr
    r = avmsim("--memory-report", str(tmp_path / "no" / "dir.json"), beam)
    assert r.returncode == Exit.USAGE and "no such directory" in r.stderr
    r = avmsim("mem", str(bad))
    assert r.returncode == Exit.USAGE and "Traceback" not in r.stderr


@pytest.mark.parametrize("board", BOARDS)
def test_mem_prints_the_figures(tmp_path: Path, board: str) -> None:
    rep = _report(tmp_path, board, _app(tmp_path))
    r = avmsim("mem", str(tmp_path / "r.json"))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    b = rep["board"]
    assert board in out and "\x1b[" not in out          # plain text when piped
    assert f"{b['peak_used']:,} B" in out and f"{b['final']['used']:,} B" in out
    if b["minimum_free_ever"] is not None:
        assert f"{b['minimum_free_ever']:,} B" in out
    keeper = next(p for p in rep["processes"] if p["name"] == "keeper")
    line = next(ln for ln in out.splitlines() if "keeper" in ln)
    assert keeper["pid"] in line and f"{keeper['peak_memory']:,}" in line
    # processes sorted by peak memory: the keeper's 2000-element list is the largest
    rows = [ln for ln in out.splitlines() if ln.strip().startswith("<0.")]
    assert "keeper" in rows[0]
    first = rep["timeline"]["samples"][0]
    assert f"{first[1]:,}" in out and "timeline" in out


# ---------------------------------------------------------------------------- ceiling rules

def _fake_report(peak_used: int = 120_000, min_free: int | None = 100_000, count: int = 3,
                 procs: dict[str, int] | None = None) -> dict:
    procs = procs or {"keeper": 16_000}
    return {
        "board": {"name": "esp32-devkit", "word_size": 4, "peak_used": peak_used,
                  "minimum_free_ever": min_free},
        "process_count": {"peak": count},
        "processes": [{"pid": f"<0.{i}.0>", "key": k, "peak_memory": v}
                      for i, (k, v) in enumerate(procs.items(), 1)],
    }


def test_ceiling_rules_and_diff_lines() -> None:
    ceiling = ceiling_from_report(_fake_report())
    assert check_ceiling(_fake_report(), ceiling) == []
    # within 2 % passes; the percentage wins over 256 B on large figures
    assert check_ceiling(_fake_report(peak_used=122_400), ceiling) == []
    assert check_ceiling(_fake_report(peak_used=123_456), ceiling) == [
        "board.peak_used: 123456 B > ceiling 120000 B (+2.9 %, tolerance 2 %)"]
    # 256 B wins on small figures
    small = ceiling_from_report(_fake_report(procs={"worker": 1000}))
    assert check_ceiling(_fake_report(procs={"worker": 1256}), small) == []
    assert check_ceiling(_fake_report(procs={"worker": 1257}), small) == [
        "process[worker].peak_memory: 1257 B > ceiling 1000 B (+25.7 %, tolerance 256 B)"]
    # the minimum free must not drop below its floor
    assert check_ceiling(_fake_report(min_free=90_000), ceiling) == [
        "board.minimum_free: 90000 B < floor 100000 B (-10.0 %, tolerance 2 %)"]
    # one more process, other board, unknown process kinds (not guarded)
    assert check_ceiling(_fake_report(count=4), ceiling) == [
        "processes.peak_count: 4 > ceiling 3 (+33.3 %, tolerance 2 %)"]
    other = dict(ceiling, board="generic-unix")
    assert check_ceiling(_fake_report(), other)[0].startswith("board: the ceiling was recorded")
    assert check_ceiling(_fake_report(procs={"keeper": 16_000, "new": 10**6}), ceiling) == []
    # the same key on several processes: the largest counts
    many = _fake_report()
    many["processes"].append({"pid": "<0.9.0>", "key": "keeper", "peak_memory": 20_000})
    assert check_ceiling(many, ceiling)[0].startswith("process[keeper].peak_memory: 20000 B")


TICKER = """-module(ticker).
-export([start/0]).
start() -> loop(0).
loop(4000) -> ok;
loop(N) when N rem 97 =:= 41 ->   % now and then a short-lived process holding a big list
    spawn(fun() -> L = lists:seq(1, 2000 + N), receive after 1 -> length(L) end end),
    timer:sleep(1),
    loop(N + 1);
loop(N) -> _ = lists:seq(1, (N * 37) rem 50), timer:sleep(1), loop(N + 1).
"""


def _timeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: int) -> dict:
    from avmsim.boards import get_board
    from avmsim.simulation import Simulation
    import avmsim.memory_report as mr
    monkeypatch.setattr(mr, "MAX_TIMELINE_SAMPLES", cap)
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, "ticker", TICKER))])
    monitor = mr.MemoryMonitor(sim.vm, interval_ns=1_000_000, board="esp32-devkit")
    assert sim.run().why == "returned"
    return monitor.report()["timeline"]


def test_a_long_timeline_is_merged_without_losing_its_peaks(tmp_path, monkeypatch):
    """4 s of samples every 1 ms is ~4000 samples: kept to the cap by merging neighbours,
    each merged sample the worst of what it replaces, so the peaks survive."""
    full = _timeline(tmp_path, monkeypatch, 100_000)
    kept = _timeline(tmp_path, monkeypatch, 1000)
    cols = full["columns"]
    assert len(full["samples"]) > 3000 and full["interval_ms"] == 1
    assert len(kept["samples"]) <= 1000 and kept["interval_ms"] in (2, 4, 8)
    for name, worst in (("used", max), ("free", min), ("heap_words", max), ("processes", max)):
        i = cols.index(name)
        assert worst(s[i] for s in kept["samples"]) == worst(s[i] for s in full["samples"])
