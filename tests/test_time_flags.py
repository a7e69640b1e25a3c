"""--epoch fixes the wall clock at boot; --realtime paces virtual time against the host."""
from __future__ import annotations

import time
from pathlib import Path

from helpers import avmsim, compile_erl

CLOCK_APP = """-module(clockapp).
-export([start/0]).
start() ->
    S0 = erlang:system_time(second),
    io:format("~p ~p~n", [S0, erlang:universaltime()]),
    receive after 1500 -> ok end,
    io:format("~p~n", [erlang:system_time(second) - S0]).
"""

SLEEP_APP = """-module(sleepapp).
-export([start/0]).
start() -> timer:sleep(2000), io:format("done~n").
"""

LONG_SLEEP_APP = """-module(longsleep).
-export([start/0]).
start() -> timer:sleep(8000), io:format("done~n").
"""


def test_epoch_sets_the_wall_clock_and_runs_repeat(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "clockapp", CLOCK_APP)
    r = avmsim("--board", "esp32-devkit", "--epoch", "1000000000", str(beam))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1000000000 {{2001,9,9},{1,46,40}}\n1\n"
    again = avmsim("--board", "esp32-devkit", "--epoch", "1000000000", str(beam))
    assert again.stdout == r.stdout


def test_default_epoch_is_documented_constant(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "clockapp", CLOCK_APP)
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.stdout.startswith("1767225600 {{2026,1,1},{0,0,0}}\n")


def _timed(*argv: str) -> tuple[str, float]:
    t0 = time.monotonic()
    r = avmsim(*argv)
    return r.stdout, time.monotonic() - t0


def test_realtime_paces_virtual_time(tmp_path: Path) -> None:
    """Bounds are one-sided or wide, so that a loaded CI machine cannot fail them: a 2 s sleep
    paced at 1x takes at least 2 s; an 8 s sleep at 8x at least 1 s, and far less than the 8 s
    it would take unscaled."""
    short = str(compile_erl(tmp_path, "sleepapp", SLEEP_APP))
    long = str(compile_erl(tmp_path, "longsleep", LONG_SLEEP_APP))
    fast_out, fast_s = _timed("--board", "generic-unix", long)
    paced_out, paced_s = _timed("--board", "generic-unix", "--realtime", short)
    assert fast_out == paced_out == "done\n"
    assert paced_s >= 2.0, "a 2 s sleep took less than 2 s of host time under --realtime"
    assert fast_s < 8.0 - 1.0, "an 8 s sleep without --realtime was paced by the host"
    faster_out, faster_s = _timed("--board", "generic-unix", "--realtime=8", long)
    assert faster_out == "done\n"
    assert faster_s >= 1.0, "an 8 s sleep at --realtime=8 took less than 1 s of host time"
    assert faster_s < fast_s + 5.0, "--realtime=8 did not run faster than real time"


def test_realtime_factor_must_be_positive(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "sleepapp", SLEEP_APP)
    r = avmsim("--realtime=0", str(beam))
    assert r.returncode == 2 and "--realtime" in r.stderr
