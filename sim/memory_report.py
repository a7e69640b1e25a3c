"""Memory reports and ceilings for CI: what a run took from the board's RAM, and when.

:class:`MemoryMonitor` watches a VM while it runs (one slice hook, one exit hook) and
records, deterministically in virtual time:

* the board's RAM (``sim/ram.py``): peak used bytes, and the final used, free, largest free
  block and minimum free ever (free, largest and minimum are ``None`` on boards without a
  budget, e.g. ``generic-unix``);
* each process (``<0.N.0>``, its registered name and initial call): peak total heap (words
  and bytes), peak ``memory`` (bytes), GC count, final figures, and whether it is alive or
  when it exited — from ``vm.memory_stats(proc)``;
* a timeline: the first slice end at or after every ``interval_ns`` boundary of virtual time
  records (virtual ms, used bytes, free bytes, process count, sum of total heaps in words).
  A long run keeps at most :data:`MAX_TIMELINE_SAMPLES`: past that the interval doubles and
  the samples of each new interval merge into one, keeping the worst of them (most used,
  least free, most processes, largest heaps) at the first one's time. Sampling itself stays
  at the first interval and folds into the current one, so a day's report stays small and
  no sampled peak is lost.

Running out: every request the board's RAM could not satisfy (``sim/ram.py``
:class:`Exhaustion`) is kept under ``out_of_memory`` — the same record the VM prints on
stderr (``text``), with its figures, the regions' and the virtual time; the first
:data:`MAX_OOM_RECORDS` are kept, ``count`` counts them all.

Where the figures are observed: the board's used bytes and a process's figures are read at
the end of every slice (for the process that ran), when a process exits (before its RAM is
given back), at every timeline sample (every process) and when the report is made. A peak
that rises and falls inside one slice is therefore seen only through the VM's own
``peak_total_heap`` and the allocator's ``minimum_free_ever`` (both exact). Everything is a
function of the run, never of the host, so the same run gives the same JSON.

Ceilings (:func:`check_ceiling`, :func:`ceiling_from_report`) guard the peaks a CI run must
not exceed: the board's peak used bytes, its minimum free (must not drop below), each
process's peak memory keyed by registered name or initial call (never by pid number), and
the peak process count, each with a tolerance: the larger of ``percent`` % of the ceiling
and ``bytes`` bytes (defaults :data:`DEFAULT_TOLERANCE`: 2 % or 256 B; the process count
takes only the percentage).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT_FORMAT = "avmsim-memory-report/1"
CEILING_FORMAT = "avmsim-memory-ceiling/1"
DEFAULT_INTERVAL_NS = 10_000_000
DEFAULT_TOLERANCE: dict[str, float | int] = {"percent": 2.0, "bytes": 256}
TIMELINE_COLUMNS = ("t_ms", "used", "free", "processes", "heap_words")
MAX_TIMELINE_SAMPLES = 2048
MAX_OOM_RECORDS = 32
FINAL_KEYS = ("heap_size", "total_heap_size", "stack_size", "memory", "message_queue_len")

__all__ = [
    "CEILING_FORMAT",
    "DEFAULT_TOLERANCE",
    "REPORT_FORMAT",
    "MemoryMonitor",
    "ReportError",
    "ceiling_from_report",
    "check_ceiling",
    "load_ceiling",
    "load_report",
    "render_report",
]


class ReportError(ValueError):
    """A file that is not a memory report or ceiling (or not one this version reads)."""


def avmsim_version() -> str:
    try:
        from importlib.metadata import version
        return version("avmsim")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "unknown"


def _ms(ns: int) -> float:
    return round(ns / 1_000_000, 3)


def initial_call(proc: Any) -> str | None:
    """``module:function/arity`` of what ``proc`` was spawned to run (while it is known).

    A fun is named by its compiled name, e.g. ``app:-start/0-fun-0-/0``, which is stable as
    long as the source is; None once the process has started running.
    """
    start = getattr(proc, "start", None)
    if start is None:
        return None
    callee, function, args = start
    if function is not None:
        mod, fun = getattr(callee, "name", callee), getattr(function, "name", function)
        return f"{mod}:{fun}/{len(args)}"
    module = getattr(callee, "module", None)
    if hasattr(callee, "index") and hasattr(module, "beam"):     # a local fun (Fun)
        entry = module.beam.funs[callee.index]
        return f"{module.name.name}:{entry.function.name}/{callee.arity}"
    if hasattr(callee, "function"):                               # fun M:F/A (ExtFun)
        return f"{module.name}:{callee.function.name}/{callee.arity}"
    return None


class _Proc:
    """What the monitor knows about one process."""

    __slots__ = (
        "exit_ns",
        "final",
        "gcs",
        "initial_call",
        "name",
        "peak_heap",
        "peak_memory",
        "pid",
        "pid_id",
    )

    def __init__(self, proc: Any) -> None:
        self.pid_id: int = proc.pid.id
        self.pid = repr(proc.pid)
        self.name: str | None = None
        self.initial_call = initial_call(proc)
        self.peak_heap = 0      # words
        self.peak_memory = 0    # bytes
        self.gcs = 0
        self.final: dict[str, int] | None = None  # set when the process exits
        self.exit_ns: int | None = None

    def observe(self, proc: Any, stats: dict[str, int]) -> None:
        name = getattr(proc, "registered_name", None)
        if name is not None:
            self.name = getattr(name, "name", str(name))
        self.peak_heap = max(self.peak_heap, stats["total_heap_size"], stats["peak_total_heap"])
        self.peak_memory = max(self.peak_memory, stats["memory"])
        self.gcs = max(self.gcs, stats["gcs"])


class MemoryMonitor:
    """Record a run's memory figures; attach before ``vm.run``.

    ``stats`` replaces ``vm.memory_stats`` (tests); ``board`` is the board's name for the
    report.
    """

    def __init__(self, vm: Any, interval_ns: int = DEFAULT_INTERVAL_NS, *,
                 board: str | None = None,
                 stats: Callable[[Any], dict[str, int]] | None = None) -> None:
        if interval_ns <= 0:
            raise ValueError("interval_ns must be positive")
        self.vm = vm
        self.interval_ns = interval_ns       # of the timeline: doubles in long runs
        self.sample_ns = interval_ns         # how often the figures are read
        self._buckets: list[int] = []        # each sample's interval number
        self.board = board
        self._stats = stats if stats is not None else vm.memory_stats
        charges = getattr(vm, "charges", None)
        self.ram = charges.ram if charges is not None else None
        self.procs: dict[int, _Proc] = {}
        self._seen_pid = 0              # every pid id below this has been looked at
        self.peak_used = 0
        self.peak_used_ns = 0
        self.peak_count = 0
        self.samples: list[list[Any]] = []
        self._next_sample_ns = 0
        self._last_ns = 0
        self.oom_count = 0
        self.oom_records: list[dict[str, Any]] = []
        self._scan_new()
        self._observe_board(self._now())
        vm.scheduler.slice_hooks.append(self._on_slice)
        vm.exit_hooks.append(self._on_exit)
        self._oom_hooks = getattr(self.ram, "exhaustion_hooks", None)
        if self._oom_hooks is not None:
            self._oom_hooks.append(self._on_exhausted)

    def detach(self) -> None:
        self.vm.scheduler.slice_hooks.remove(self._on_slice)
        self.vm.exit_hooks.remove(self._on_exit)
        if self._oom_hooks is not None:
            self._oom_hooks.remove(self._on_exhausted)

    def _on_exhausted(self, record: Any) -> None:
        """A request the board's RAM could not satisfy (the allocator's hook)."""
        self.oom_count += 1
        if len(self.oom_records) < MAX_OOM_RECORDS:
            self.oom_records.append({"t_ms": _ms(self._now()), "text": record.sentence(),
                                     **record.as_dict()})

    # ------------------------------------------------------------------ observing
    def _now(self) -> int:
        t = max(self._last_ns, self.vm.scheduler.now_ns())
        self._last_ns = t
        return t

    def _scan_new(self) -> None:
        """Meet processes spawned since the last look, before they run (initial call)."""
        vm = self.vm
        hi = vm.next_pid
        for pid_id in range(self._seen_pid, hi):
            proc = vm.processes.get(pid_id)
            if proc is not None and pid_id not in self.procs:
                self._record(proc)
        self._seen_pid = max(self._seen_pid, hi)
        n = len(vm.processes)
        self.peak_count = max(self.peak_count, n)

    def _record(self, proc: Any) -> _Proc:
        rec = self.procs.get(proc.pid.id)
        if rec is None:
            rec = self.procs[proc.pid.id] = _Proc(proc)
        return rec

    def _observe_board(self, t: int) -> None:
        if self.ram is None:
            return
        used = self.ram.used_bytes
        if used > self.peak_used:
            self.peak_used = used
            self.peak_used_ns = t

    def _on_slice(self, proc: Any) -> None:
        # runs after every slice: kept to a few attribute reads unless something changed
        vm = self.vm
        if vm.next_pid != self._seen_pid or len(vm.processes) > self.peak_count:
            self._scan_new()
        rec = self.procs.get(proc.pid.id)
        if rec is None:
            rec = self._record(proc)
        rec.observe(proc, self._stats(proc))
        ram = self.ram
        if ram is not None and ram.used_bytes > self.peak_used:
            self._observe_board(self._now())
        # between slices, virtual time is that of the core furthest behind (now_ns())
        clock = vm.clock
        t = min(clock.cycles[:vm.scheduler.online]) * 1_000_000_000 // clock.hz
        if t >= self._next_sample_ns:
            t = self._now()
            self._sample(t)
            self._next_sample_ns = (t // self.sample_ns + 1) * self.sample_ns

    def _on_exit(self, proc: Any) -> None:
        t = self._now()
        self._scan_new()
        rec = self._record(proc)
        stats = self._stats(proc)
        rec.observe(proc, stats)
        rec.final = {k: int(stats[k]) for k in FINAL_KEYS}
        rec.exit_ns = t
        self._observe_board(t)   # exit hooks run before the process's RAM is freed

    def _sample(self, t: int) -> None:
        heap_words = 0
        for proc in self.vm.processes.values():
            stats = self._stats(proc)
            self._record(proc).observe(proc, stats)
            heap_words += stats["total_heap_size"]
        ram = self.ram
        used = ram.used_bytes if ram is not None else None
        free = ram.free_bytes if ram is not None else None
        self._add_sample(t // self.interval_ns,
                         [_ms(t), used, free, len(self.vm.processes), heap_words])
        if len(self.samples) > MAX_TIMELINE_SAMPLES:
            self.interval_ns *= 2
            samples, buckets = self.samples, self._buckets
            self.samples, self._buckets = [], []
            for bucket, sample in zip(buckets, samples):
                self._add_sample(bucket // 2, sample)

    def _add_sample(self, bucket: int, sample: list[Any]) -> None:
        """A sample of interval ``bucket``: merged into the last one when it is the same."""
        if self._buckets and self._buckets[-1] == bucket:
            self.samples[-1] = _worst(self.samples[-1], sample)
        else:
            self.samples.append(sample)
            self._buckets.append(bucket)

    # ------------------------------------------------------------------ the report
    def _end_ns(self) -> int:
        return self._now()

    def _board_section(self) -> dict[str, Any]:
        ram = self.ram
        if ram is None:
            return {"name": self.board, "word_size": self.vm.word_size, "budget": None,
                    "peak_used": None, "peak_used_ms": None, "minimum_free_ever": None,
                    "final": None}
        used = ram.used_bytes
        peak, peak_ns = self.peak_used, self.peak_used_ns
        exact_peak = getattr(ram, "peak_used_bytes", None)   # if the allocator tracks it
        if isinstance(exact_peak, int) and exact_peak > peak:
            peak = exact_peak
        if used > peak:
            peak, peak_ns = used, self._end_ns()
        return {
            "name": self.board,
            "word_size": self.vm.word_size,
            "budget": ram.budget,
            "peak_used": peak,
            "peak_used_ms": _ms(peak_ns),
            "minimum_free_ever": ram.minimum_free_ever,
            "final": {
                "used": used,
                "free": ram.free_bytes,
                "largest_free_block": ram.largest_free_block,
                "minimum_free_ever": ram.minimum_free_ever,
                "blocks": ram.block_count,
            },
        }

    def _process_entry(self, rec: _Proc, live: Any) -> dict[str, Any]:
        ws = self.vm.word_size
        peak_heap, peak_memory, gcs = rec.peak_heap, rec.peak_memory, rec.gcs
        final = rec.final
        if live is not None:
            stats = self._stats(live)
            name = getattr(live, "registered_name", None)
            name = getattr(name, "name", None) if name is not None else rec.name
            final = {k: int(stats[k]) for k in FINAL_KEYS}
            peak_heap = max(peak_heap, stats["total_heap_size"], stats["peak_total_heap"])
            peak_memory = max(peak_memory, stats["memory"])
            gcs = max(gcs, stats["gcs"])
        else:
            name = rec.name
        key = name or rec.initial_call or "unknown"
        return {
            "pid": rec.pid,
            "name": name,
            "initial_call": rec.initial_call,
            "key": key,
            "alive": live is not None,
            "exit_ms": None if rec.exit_ns is None else _ms(rec.exit_ns),
            "peak_total_heap_words": peak_heap,
            "peak_total_heap_bytes": peak_heap * ws,
            "peak_memory": peak_memory,
            "gcs": gcs,
            "final": final,
        }

    def report(self) -> dict[str, Any]:
        """The report as a JSON-ready dict (key order is part of the format)."""
        vm = self.vm
        self._scan_new()
        processes = []
        for pid_id in sorted(self.procs):
            rec = self.procs[pid_id]
            live = vm.processes.get(pid_id) if rec.exit_ns is None else None
            processes.append(self._process_entry(rec, live))
        return {
            "format": REPORT_FORMAT,
            "avmsim_version": avmsim_version(),
            "board": self._board_section(),
            "end_ms": _ms(self._end_ns()),
            "process_count": {
                "peak": max(self.peak_count, len(vm.processes)),
                "final": len(vm.processes),
                "spawned": len(self.procs),
            },
            "processes": processes,
            "out_of_memory": {"count": self.oom_count, "records": list(self.oom_records)},
            "timeline": {
                "interval_ms": _ms(self.interval_ns),
                "columns": list(TIMELINE_COLUMNS),
                "samples": [list(s) for s in self.samples],
            },
        }

    def write_json(self, path: str | Path) -> dict[str, Any]:
        rep = self.report()
        write_json(path, rep)
        return rep


def _inline_flat_lists(v: Any, flat: list[str]) -> Any:
    """``v`` with each list of plain values replaced by a placeholder for its one-line JSON."""
    if v.__class__ is dict:
        return {k: _inline_flat_lists(x, flat) if x.__class__ in (dict, list) else x
                for k, x in v.items()}
    if all(x.__class__ not in (dict, list) for x in v):
        flat.append(json.dumps(v))
        return f"\x00{len(flat) - 1}"
    return [_inline_flat_lists(x, flat) if x.__class__ in (dict, list) else x for x in v]


def dumps(data: dict[str, Any]) -> str:
    """JSON indented by two spaces, except that a list of plain values (a timeline sample,
    the column names) stays on one line."""
    flat: list[str] = []
    text = json.dumps(_inline_flat_lists(data, flat), indent=2)
    return re.sub(r'"\\u0000(\d+)"', lambda m: flat[int(m.group(1))], text)


def _worst(first: list[Any], second: list[Any]) -> list[Any]:
    """Two timeline samples as one: the first's time, the worst of each figure."""
    t, used, free, procs, heap_words = first
    return [t, None if used is None else max(used, second[1]),
            None if free is None else min(free, second[2]),
            max(procs, second[3]), max(heap_words, second[4])]


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    Path(path).write_text(dumps(data) + "\n")


def _read_json(path: str | Path, what: str, fmt: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_bytes())
    except UnicodeDecodeError:
        raise ReportError(f"{path} is not {what}: not JSON text (a binary file?)") from None
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path} is not {what}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise ReportError(f"{path} is not {what} (no \"format\": \"{fmt}\")")
    return data


def load_report(path: str | Path) -> dict[str, Any]:
    return _read_json(path, "an avmsim memory report", REPORT_FORMAT)


def load_ceiling(path: str | Path) -> dict[str, Any]:
    data = _read_json(path, "an avmsim memory ceiling", CEILING_FORMAT)
    _tolerance(data)   # validate early
    return data


# ---------------------------------------------------------------------------- ceilings

def _tolerance(ceiling: dict[str, Any]) -> dict[str, float | int]:
    tol = dict(DEFAULT_TOLERANCE)
    given = ceiling.get("tolerance") or {}
    if not isinstance(given, dict):
        raise ReportError("ceiling \"tolerance\" must be an object {\"percent\": P, \"bytes\": B}")
    for k, v in given.items():
        if k not in tol or not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
            raise ReportError(f"ceiling tolerance {k!r}: expected a non-negative number")
        tol[k] = v
    return tol


def _process_peaks(report: dict[str, Any]) -> dict[str, int]:
    """Peak memory per process key (the largest among processes sharing a key)."""
    peaks: dict[str, int] = {}
    for p in report["processes"]:
        key = p["key"]
        peaks[key] = max(peaks.get(key, 0), p["peak_memory"])
    return dict(sorted(peaks.items()))


def ceiling_from_report(report: dict[str, Any],
                        tolerance: dict[str, float | int] | None = None) -> dict[str, Any]:
    """A ceiling that this run's report just meets (for ``--update-ceiling``)."""
    tol = _tolerance({"tolerance": tolerance or {}})
    board = report["board"]
    return {
        "format": CEILING_FORMAT,
        "board": board["name"],
        "word_size": board["word_size"],
        "tolerance": tol,
        "peak_used": board["peak_used"],
        "minimum_free": board["minimum_free_ever"],
        "process_count_peak": report["process_count"]["peak"],
        "processes": {k: {"peak_memory": v} for k, v in _process_peaks(report).items()},
    }


def _pct(value: int, limit: int) -> str:
    if not limit:
        return "new"
    return f"{(value - limit) * 100 / limit:+.1f} %"


def _tol_text(limit: int, tol: dict[str, float | int], in_bytes: bool = True) -> tuple[int, str]:
    """The allowed excess over ``limit`` and how it reads."""
    pct_allow = int(limit * tol["percent"] / 100)
    if in_bytes and tol["bytes"] > pct_allow:
        return int(tol["bytes"]), f"tolerance {tol['bytes']:g} B"
    return pct_allow, f"tolerance {tol['percent']:g} %"


def check_ceiling(report: dict[str, Any], ceiling: dict[str, Any]) -> list[str]:
    """Each peak of ``report`` above ``ceiling`` (plus tolerance), as one line; [] = pass."""
    tol = _tolerance(ceiling)
    out: list[str] = []
    board = report["board"]
    if ceiling.get("board") is not None and ceiling["board"] != board["name"]:
        out.append(f"board: the ceiling was recorded on {ceiling['board']}, "
                   f"this run is on {board['name']}")

    def above(what: str, value: Any, limit: Any, unit: str = " B", in_bytes: bool = True) -> None:
        if value is None or limit is None:
            return
        allow, text = _tol_text(limit, tol, in_bytes)
        if value > limit + allow:
            out.append(f"{what}: {value}{unit} > ceiling {limit}{unit} "
                       f"({_pct(value, limit)}, {text})")

    above("board.peak_used", board["peak_used"], ceiling.get("peak_used"))
    floor = ceiling.get("minimum_free")
    value = board["minimum_free_ever"]
    if value is not None and floor is not None:
        allow, text = _tol_text(floor, tol)
        if value < floor - allow:
            out.append(f"board.minimum_free: {value} B < floor {floor} B "
                       f"({_pct(value, floor)}, {text})")
    above("processes.peak_count", report["process_count"]["peak"],
          ceiling.get("process_count_peak"), "", in_bytes=False)
    limits = ceiling.get("processes") or {}
    for key, peak in _process_peaks(report).items():
        limit = limits.get(key)
        if isinstance(limit, dict):
            above(f"process[{key}].peak_memory", peak, limit.get("peak_memory"))
    return out


# ---------------------------------------------------------------------------- the mem view

SPARK = "▁▂▃▄▅▆▇█"
PROC_ALIGN = "<<<>>>>>><"


def _sparkline(values: list[int]) -> str:
    if not values:
        return ""
    lo, hi = min(values), max(values)
    span = hi - lo
    return "".join(SPARK[0 if span == 0 else (v - lo) * (len(SPARK) - 1) // span]
                   for v in values)


def _squeeze(values: list[int], width: int) -> list[int]:
    """At most ``width`` values: the maximum of each of ``width`` equal runs."""
    if len(values) <= width:
        return values
    out = []
    for i in range(width):
        a, b = i * len(values) // width, (i + 1) * len(values) // width
        out.append(max(values[a:b]))
    return out


def _b(v: Any, unit: str = "") -> str:
    return "-" if v is None else f"{v:,}{unit}"


def _view(report: dict[str, Any], rows: int, top: int) -> dict[str, Any]:
    """What the mem view shows, as titles, headers and rows of text."""
    board = report["board"]
    final = board.get("final") or {}
    count = report["process_count"]
    summary = [
        ("board", f"{board['name']} ({board['word_size'] * 8}-bit words)"),
        ("avmsim", report["avmsim_version"]),
        ("end of run", f"{report['end_ms']:,} ms (virtual)"),
        ("budget", _b(board["budget"], " B")),
        ("peak used", _b(board["peak_used"], " B")
         + ("" if board["peak_used_ms"] is None else f" at {board['peak_used_ms']:,} ms")),
        ("minimum free ever", _b(board["minimum_free_ever"], " B")),
        ("final used", _b(final.get("used"), " B")),
        ("final free", _b(final.get("free"), " B")),
        ("final largest free block", _b(final.get("largest_free_block"), " B")),
        ("processes", f"peak {count['peak']}, final {count['final']}, spawned {count['spawned']}"),
    ]
    oom = report.get("out_of_memory") or {"count": 0, "records": []}
    if oom["count"]:
        summary.append(("out of memory", f"{oom['count']:,} time(s)"))
    procs = sorted(report["processes"], key=lambda p: (-p["peak_memory"], int(p["pid"][3:-3])))
    proc_rows = []
    for p in procs[:top]:
        f = p["final"] or {}
        proc_rows.append([
            p["pid"], p["name"] or "", p["initial_call"] or "",
            _b(p["peak_memory"]), _b(p["peak_total_heap_words"]), _b(p["peak_total_heap_bytes"]),
            _b(p["gcs"]), _b(f.get("memory")), _b(f.get("total_heap_size")),
            "alive" if p["alive"] else f"exit {p['exit_ms']:,} ms",
        ])
    tl = report["timeline"]
    cols = tl["columns"]
    samples = tl["samples"]
    step = max(1, -(-len(samples) // rows)) if rows > 0 else max(1, len(samples))
    picked = samples[::step]
    if samples and picked[-1] is not samples[-1]:
        picked.append(samples[-1])
    used_col = cols.index("used")
    used = [s[used_col] for s in samples if s[used_col] is not None]
    heap = [s[cols.index("heap_words")] for s in samples]
    return {
        "summary": summary,
        "proc_headers": ["pid", "name", "initial call", "peak mem B", "peak heap w",
                         "peak heap B", "GCs", "final mem B", "final heap w", "state"],
        "proc_rows": proc_rows,
        "more_procs": len(procs) - len(proc_rows),
        "timeline_title": (f"timeline: {len(samples)} samples every {tl['interval_ms']:g} ms"
                           + (f", 1 in {step} shown" if step > 1 else "")),
        "timeline_headers": ["t ms", "used B", "free B", "processes", "heap words"],
        "timeline_rows": [[f"{s[0]:,.3f}"] + [_b(v) for v in s[1:]] for s in picked],
        "oom_lines": [f"{r['t_ms']:,.3f} ms: {r['text']}" for r in oom["records"]],
        "spark_used": _sparkline(_squeeze(used, 60)),
        "spark_heap": _sparkline(_squeeze(heap, 60)),
    }


def _plain_table(headers: list[str], rows: list[list[str]], align: str) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths))
    lines = [fmt.format(*headers).rstrip(), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r).rstrip() for r in rows]
    return lines


def render_report(report: dict[str, Any], out: Any, rich: bool = False, rows: int = 20,
                  top: int = 30) -> None:
    """Print the report as tables: board summary, processes by peak memory, timeline."""
    v = _view(report, rows, top)
    if rich:
        _render_rich(v, out)
        return
    spark_ok = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "") in (
        "utf8", "utf8mb4")
    lines = ["Board"]
    width = max(len(k) for k, _ in v["summary"])
    lines += [f"  {k:<{width}}  {val}" for k, val in v["summary"]]
    lines += ["", "Processes by peak memory"]
    lines += ["  " + s for s in _plain_table(v["proc_headers"], v["proc_rows"], PROC_ALIGN)]
    if v["more_procs"]:
        lines.append(f"  … and {v['more_procs']} more" if spark_ok
                     else f"  ... and {v['more_procs']} more")
    lines += ["", v["timeline_title"]]
    if spark_ok and v["spark_used"]:
        lines += [f"  used  {v['spark_used']}"]
    if spark_ok and v["spark_heap"]:
        lines += [f"  heaps {v['spark_heap']}"]
    lines += ["  " + s for s in _plain_table(v["timeline_headers"], v["timeline_rows"], ">>>>>")]
    if v["oom_lines"]:
        lines += ["", "Out of memory"] + ["  " + line for line in v["oom_lines"]]
    out.write("\n".join(lines) + "\n")


def _render_rich(v: dict[str, Any], out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out)
    board = Table(title="Board", show_header=False)
    board.add_column(style="bold")
    board.add_column()
    for k, val in v["summary"]:
        board.add_row(k, val)
    console.print(board)
    procs = Table(title="Processes by peak memory")
    for h, a in zip(v["proc_headers"], PROC_ALIGN):
        procs.add_column(h, justify="left" if a == "<" else "right")
    for r in v["proc_rows"]:
        procs.add_row(*r)
    console.print(procs)
    if v["more_procs"]:
        console.print(f"… and {v['more_procs']} more")
    if v["spark_used"]:
        console.print(f"used  {v['spark_used']}")
    if v["spark_heap"]:
        console.print(f"heaps {v['spark_heap']}")
    tl = Table(title=v["timeline_title"])
    for h in v["timeline_headers"]:
        tl.add_column(h, justify="right")
    for r in v["timeline_rows"]:
        tl.add_row(*r)
    console.print(tl)
    if v["oom_lines"]:
        console.print("Out of memory", style="bold")
        for line in v["oom_lines"]:
            console.print(line, markup=False, highlight=False)
