"""The board's RAM as the app sees it: modules, processes and messages take real blocks
from the ESP32 heap, running out is deterministic, and --max-ram moves the point."""
from __future__ import annotations

from pathlib import Path

from helpers import avmsim, compile_erl

from avmsim.exit_codes import Exit

HEAP_APP = """-module(heapinfo).
-export([start/0]).
start() ->
    _ = lists:seq(1, 2),   % load the modules used below before measuring
    F0 = erlang:system_info(esp32_free_heap_size),
    L0 = erlang:system_info(esp32_largest_free_block),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, 50)],
    F1 = erlang:system_info(esp32_free_heap_size),
    [P ! stop || P <- Pids],
    receive after 10 -> ok end,
    F2 = erlang:system_info(esp32_free_heap_size),
    M = erlang:system_info(esp32_minimum_free_size),
    io:format("~p ~p ~p ~p ~p~n", [F0 > 0, L0 =< F0, F0 - F1, F2 - F0, M =< F1]).
"""

GREEDY_APP = """-module(greedy).
-export([start/0]).
%% Spawns until the board runs out of RAM; displays progress every 25 spawns.
start() -> grab(0, []).
grab(N, Pids) ->
    case N rem 25 of 0 -> erlang:display(N); _ -> ok end,
    grab(N + 1, [spawn(fun() -> receive stop -> ok end end) | Pids]).
"""


def test_esp32_heap_figures_follow_processes(tmp_path: Path) -> None:
    r = avmsim("--board", "esp32-devkit", str(compile_erl(tmp_path, "heapinfo", HEAP_APP)))
    assert r.returncode == 0, r.stderr
    ok, largest_within_free, used_by_50, back, minimum_below = r.stdout.split()
    assert (ok, largest_within_free, minimum_below) == ("true", "true", "true")
    used_by_50, back = int(used_by_50), int(back)
    # each process: a 256-byte Context and a 40-byte first heap block, plus TLSF headers
    # (the start process's own heap may grow meanwhile: it holds the 50 pids)
    assert 50 * (256 + 40) <= used_by_50 <= 50 * (256 + 40 + 2 * 16) + 1024
    assert back >= -1024, "exited processes did not give their RAM back"


def _last_progress(stdout: str) -> int:
    lines = stdout.split()
    assert lines and all(line.isdigit() for line in lines), stdout
    return int(lines[-1])


def test_running_out_is_deterministic_and_max_ram_moves_it(tmp_path: Path) -> None:
    beam = str(compile_erl(tmp_path, "greedy", GREEDY_APP))
    first = avmsim("--board", "esp32-devkit", beam)
    again = avmsim("--board", "esp32-devkit", beam)
    assert first.returncode == Exit.APP_FAILED
    assert "x[1]: out_of_memory" in first.stderr
    assert (first.stdout, first.stderr) == (again.stdout, again.stderr)
    full = _last_progress(first.stdout)
    assert full > 500
    smaller = avmsim("--board", "esp32-devkit", "--max-ram", "200K", beam)
    assert "x[1]: out_of_memory" in smaller.stderr
    fewer = _last_progress(smaller.stdout)
    # the budget shrinks from 297,400 to 200 KiB (~92 KiB less): at ~300 B a process
    # (Context 256 B + first heap block 40 B + allocator headers, plus the start process's
    # list of pids) roughly 250-330 fewer processes
    assert 250 <= full - fewer <= 330, (full, fewer)


def test_module_that_does_not_fit_aborts_with_status_3(tmp_path: Path) -> None:
    beam = str(compile_erl(tmp_path, "heapinfo", HEAP_APP))
    r = avmsim("--board", "esp32-devkit", "--max-ram", "18K", beam)
    assert r.returncode == Exit.OUT_OF_MEMORY, r.stderr
    assert "out of memory loading module" in r.stderr
    assert "largest users of RAM" in r.stderr and "Traceback" not in r.stderr


def test_bad_max_ram_is_a_usage_error(tmp_path: Path) -> None:
    beam = str(compile_erl(tmp_path, "heapinfo", HEAP_APP))
    r = avmsim("--board", "esp32-devkit", "--max-ram", "lots", beam)
    assert r.returncode == Exit.USAGE and "--max-ram" in r.stderr
