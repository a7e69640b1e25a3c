"""``calendar:system_time_to_universal_time/2``, the NIF AtomVM's calendar.erl leaves to the VM
(libAtomVM nifs.c) and logger_std_h calls for every event's timestamp.

Where OTP's calendar has the same answer (non-negative times, units second … nanosecond and
native), the expected values come from the host's OTP. Where AtomVM's NIF differs, the test
says so: it divides toward zero (C), so -1500 ms is second -1 (OTP: -2), it answers years
before 0 as ``gmtime`` does (OTP: function_clause), and it knows only the five unit atoms
(OTP also takes an integer parts-per-second unit; AtomVM: badarg).

Run: ``python3 -m pytest -q tests/test_calendar_nif.py``.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

SAME_AS_OTP = [
    "0, second", "1700000000, second", "1700000000123, millisecond",
    "1700000000123456, microsecond", "1700000000123456789, nanosecond",
    "1700000000123456789, native", "951782400, second", "4107542399, second",
    "253402300800, second", "-1, second", "-86400, second", "-1000, millisecond",
    "999, millisecond", "-62167219200, second",
]

ATOMVM_ONLY = [
    ("-1500, millisecond", "{{1969,12,31},{23,59,59}}"),   # OTP {{1969,12,31},{23,59,58}}
    ("-1, nanosecond", "{{1970,1,1},{0,0,0}}"),             # OTP {{1969,12,31},{23,59,59}}
    ("-62167219201, second", "{{-1,12,31},{23,59,59}}"),    # OTP function_clause
    ("1000, 1000", "badarg"),                               # OTP {{1970,1,1},{0,0,1}}
    ("0, seconds", "badarg"),                               # OTP's deprecated unit
    ("0, bogus", "badarg"),
    ("1.0, second", "badarg"),
    ("1 bsl 64, second", "badarg"),
]


def program(cases: list[str]) -> str:
    lines = "\n".join(
        f'    io:format("~p~n", [try calendar:system_time_to_universal_time({c}) '
        f'catch error:E{i} -> E{i} end]),' for i, c in enumerate(cases))
    return f"-module(cal_app).\n-export([start/0]).\nstart() ->\n{lines}\n    ok.\n"


@pytest.fixture(scope="module")
def on_avmsim(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    cases = SAME_AS_OTP + [c for c, _ in ATOMVM_ONLY]
    beam = compile_erl(tmp_path_factory.mktemp("cal"), "cal_app", program(cases))
    r = avmsim("--board", "esp32-devkit", str(beam), timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.splitlines()


@pytest.mark.skipif(shutil.which("erl") is None, reason="erl not installed")
def test_same_as_otp(on_avmsim: list[str], tmp_path: Path) -> None:
    compile_erl(tmp_path, "cal_app", program(SAME_AS_OTP))
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp_path), "-eval", "cal_app:start(), halt()."],
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.splitlines() == on_avmsim[:len(SAME_AS_OTP)]


def test_atomvm_semantics_where_otp_differs(on_avmsim: list[str]) -> None:
    assert on_avmsim[len(SAME_AS_OTP):] == [want for _, want in ATOMVM_ONLY]
