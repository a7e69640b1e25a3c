"""Running out of memory, truthfully: what the app sees (as AtomVM) and what stderr says.

What the app sees follows AtomVM (memory.c, stacktrace.c, opcodesswitch.h). A GC that
cannot get its new block leaves the heap as it was, garbage included. Raising, AtomVM builds
the raw stack trace on that heap; when it is full that fails too: it prints "WARNING: Unable
to allocate heap space for raw stacktrace" and the stack trace is the atom ``out_of_memory``.
A handler that needs no heap runs and the process goes on; one that needs heap raises again,
uncaught. Measured on the real AtomVM (generic_unix, 7b282159) with its RAM bounded by
``ulimit -v 20000``: ``try lists:duplicate(60000000, x) ... catch error:out_of_memory:ST ->
{caught, ST} end`` prints the warning twice and crashes in the handler with stack trace
``out_of_memory``, as here on esp32-devkit with ``lists:duplicate(60000, x)``. The oracle
itself has no RAM limit, so the byte-for-byte comparison with it (the catch semantics and the
stack trace term, under ``max_heap_size``) is ``tests/atomvm_diff/oom_catch.erl``; the board
RAM side is checked here.

What stderr says is avmsim's own (AtomVM prints nothing): one line per request the board's
RAM could not satisfy, naming the request, the free bytes, the largest free block and each
region's figures, with the word fragmentation when enough bytes were free in pieces too
small. The memory report carries the same records.
"""
from __future__ import annotations

import json
from pathlib import Path

from helpers import avmsim, compile_erl

from avmsim.ram import Exhaustion, RamAllocator, RamExhausted, Region, RegionFree
from avmsim.vm.ram_charges import RamCharges

FULL = """
-module(full).
-export([start/0]).
start() ->
    register(filler, self()),
    R = try lists:duplicate(60000, x) of
            L -> {ok, length(L)}
        catch
            error:out_of_memory:ST -> {caught, ST}
        end,
    erlang:display(R).
"""

SPARE = """
-module(spare).
-export([start/0]).
start() ->
    R = try lists:duplicate(60000, x) catch error:out_of_memory:ST -> ST end,
    erlang:display(R),
    erlang:display(after_the_catch),
    ok.
"""

BIG = """
-module(big).
-export([start/0]).
start() ->
    L = lists:seq(1, 3000),
    R = try erlang:make_tuple(100000, x) catch error:out_of_memory:ST -> {caught, is_list(ST)} end,
    erlang:display({R, length(L)}),
    erlang:garbage_collect(),
    {heap_size, H} = erlang:process_info(self(), heap_size),
    erlang:display(H < 100),
    ok.
"""

WARNING = "WARNING: Unable to allocate heap space for raw stacktrace"
RECORD = "avmsim: out of memory: "


def _run(tmp: Path, name: str, source: str, *more: str):
    beam = compile_erl(tmp, name, source)
    return avmsim("--board", "esp32-devkit", *more, str(beam), timeout=300)


def _records(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(RECORD)]


def test_a_full_heap_is_caught_but_a_handler_needing_heap_raises_again(tmp_path: Path) -> None:
    run = _run(tmp_path, "full", FULL)
    assert run.stdout == "", "the handler never built {caught, ST}"
    lines = [line for line in run.stderr.splitlines()
             if line.startswith(RECORD) or line == WARNING or line.startswith("CRASH")]
    kinds = ["record" if line.startswith(RECORD) else line for line in lines]
    # the body's exhaustion, then the handler's: each reaches the app, each is recorded
    assert kinds == ["record", WARNING, "record", WARNING, "CRASH "]
    assert "Stacktrace:\nout_of_memory\n" in run.stderr
    assert "x[1]: out_of_memory\nx[2]: out_of_memory\n" in run.stderr
    for record in _records(run.stderr):
        assert "request for the heap of process <0." in record
        assert "(filler) failed with " in record, "the registered name is given"
        assert "; regions: " in record


BUILD = """
-module(build).
-export([start/0]).
start() ->
    R = try build([], 0) catch error:out_of_memory:ST -> {caught, ST} end,
    erlang:display(R).
build(L, N) -> build([N | L], N + 1).
"""


def test_generic_unix_with_max_ram_does_what_atomvm_did_under_ulimit(tmp_path: Path) -> None:
    """This very program under the real AtomVM (generic_unix 7b282159, ``ulimit -v 20000``):
    stdout empty; stderr the warning twice, then a crash report with stack trace
    ``out_of_memory``, x[1] and x[2] ``out_of_memory``."""
    run = avmsim("--board", "generic-unix", "--max-ram", "200K",
                 str(compile_erl(tmp_path, "build", BUILD)), timeout=300)
    assert run.stdout == ""
    assert run.stderr.count(WARNING) == 2
    assert "Stacktrace:\nout_of_memory\n" in run.stderr
    assert "x[1]: out_of_memory\nx[2]: out_of_memory\n" in run.stderr
    assert all("; regions: host " in record for record in _records(run.stderr))


def test_a_handler_that_needs_no_heap_runs_and_the_process_goes_on(tmp_path: Path) -> None:
    run = _run(tmp_path, "spare", SPARE)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "out_of_memory\nafter_the_catch\n"
    assert len(_records(run.stderr)) == 1
    assert run.stderr.count(WARNING) == 1
    assert "CRASH" not in run.stderr


def test_one_large_request_is_caught_with_a_stack_trace_and_its_garbage_freed(
        tmp_path: Path) -> None:
    run = _run(tmp_path, "big", BIG)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "{{caught,true},3000}\ntrue\n"
    assert WARNING not in run.stderr, "the heap had room for the raw stack trace"
    (record,) = _records(run.stderr)
    request = int(record[len(RECORD):].split("-byte")[0].removeprefix("a ").replace(",", ""))
    assert request > 400_000, "100001 words of 4 bytes were asked for"
    assert "with only " in record and "(fragmentation)" not in record


def test_the_memory_report_carries_the_same_records(tmp_path: Path) -> None:
    report = tmp_path / "mem.json"
    run = _run(tmp_path, "full", FULL, "--memory-report", str(report))
    oom = json.loads(report.read_text())["out_of_memory"]
    lines = _records(run.stderr)
    assert oom["count"] == len(lines) == 2
    assert ["avmsim: " + r["text"] for r in oom["records"]] == lines
    for r in oom["records"]:
        assert r["for"].startswith("the heap of process <0.") and r["for"].endswith("(filler)")
        assert r["tag"].startswith("heap:")
        assert r["free"] == sum(region["free"] for region in r["regions"])
        assert r["largest_free_block"] == max(g["largest_free_block"] for g in r["regions"])
        assert r["fragmentation"] == (r["free"] >= r["request"] > r["largest_free_block"])
        assert r["t_ms"] > 0
    again = _run(tmp_path, "full", FULL)
    assert _records(again.stderr) == lines, "the same run gives the same records"


# --------------------------------------------------------------------------- the record

def test_the_issue_example_reads_as_fragmentation() -> None:
    record = Exhaustion(37_336, "heap:<0.5.0>", "worker", 163_336, 36_864,
                        (RegionFree("dram0", 120_000, 36_864),
                         RegionFree("diram", 43_336, 30_000)))
    assert record.fragmentation
    assert record.sentence() == (
        "out of memory: a 37,336-byte request for the heap of process <0.5.0> (worker) "
        "failed with 163,336 bytes free because the largest free block is 36,864 bytes "
        "(fragmentation); regions: dram0 120,000 free, largest 36,864; "
        "diram 43,336 free, largest 30,000")


def test_too_little_free_is_not_fragmentation() -> None:
    record = Exhaustion(4_096, "binary", None, 3_000, 2_048, (RegionFree("dram0", 3_000, 2_048),))
    assert not record.fragmentation
    assert record.sentence().startswith(
        "out of memory: a 4,096-byte request for a refc binary failed with only 3,000 bytes "
        "free (largest free block 2,048 bytes)")


def _fragmented() -> RamAllocator:
    """A TLSF heap of 64 KiB cut into 1 KiB holes between kept blocks."""
    ram = RamAllocator([Region("dram0", 0x3FFB_0000, 64 * 1024)], "esp-idf-tlsf")
    blocks = []
    try:
        while True:
            blocks.append(ram.allocate(1024, "binary"))
    except RamExhausted:
        pass
    for block in blocks[::2]:
        ram.free(block)
    return ram


def test_an_allocator_failure_gives_its_hooks_one_record_with_the_figures() -> None:
    ram = _fragmented()
    seen: list[Exhaustion] = []
    ram.exhaustion_hooks.append(seen.append)
    free, largest = ram.free_bytes, ram.largest_free_block
    try:
        ram.allocate(8192, "ets:sensors")
    except RamExhausted as exc:
        failure = exc
    assert seen == [failure.record]
    record = seen[0]
    assert (record.request, record.free, record.largest_free_block) == (8192, free, largest)
    assert record.fragmentation, "30 KiB free in 1 KiB holes"
    assert record.purpose == "ETS table sensors"
    assert [r.name for r in record.regions] == ["dram0"]
    with ram.unreported():
        try:
            ram.allocate(8192, "binary")
        except RamExhausted:
            pass
    assert len(seen) == 1, "a retry inside unreported() reaches no hook"


def test_the_vm_prints_each_record_with_its_owner() -> None:
    ram = _fragmented()
    charges = RamCharges(ram, 4)
    lines: list[str] = []
    charges.write = lines.append
    try:
        charges.message(4000, "<0.7.0>")
    except MemoryError:
        pass
    (line,) = lines
    assert line.startswith("avmsim: out of memory: a 16,020-byte request for a message "
                           "(to <0.7.0>) failed with ")


DYING = """
-module(dying).
-export([start/0]).
grow(Acc) -> grow([1 | Acc]).
start() ->
    process_flag(trap_exit, true),
    Opts = [{max_heap_size, 1000} | [%s || %s =/= none]],
    spawn_opt(fun() -> grow([]) end, Opts),
    receive M -> erlang:display(M) after 2000 -> erlang:display(nothing) end,
    ok.
"""


def _dying(tmp_path: Path, watch: str) -> tuple[int, str, str]:
    beam = compile_erl(tmp_path, "dying", DYING % (watch, watch))
    done = avmsim("--board", "generic-unix", "--headless", "--timeout", "5s", str(beam))
    return done.returncode, done.stdout, done.stderr


def test_a_full_heap_with_a_monitor_or_link_aborts_the_vm_as_atomvm(tmp_path: Path) -> None:
    """context.c builds each 'DOWN' and exit signal on the dying process's heap; a process
    killed by max_heap_size has no room (the GC target would exceed the limit), so AtomVM
    prints "Cannot handle out of memory." and aborts (checked on 7b282159: SIGABRT). avmsim
    stops with the out-of-memory status and says which signal had no room."""
    for watch, what in (("monitor", "'DOWN' message"), ("link", "exit signal")):
        status, out, err = _dying(tmp_path, watch)
        assert status == 3, err
        assert out == ""
        assert "Cannot handle out of memory.\n" in err
        assert f"had no room for the {what} to <0.1.0>" in err


def test_a_full_heap_nobody_watches_just_dies(tmp_path: Path) -> None:
    status, out, err = _dying(tmp_path, "none")
    assert status == 0, err
    assert out == "nothing\n"
    assert "Cannot handle" not in err
