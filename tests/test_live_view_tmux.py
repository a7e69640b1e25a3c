"""The live view as a user sees it: ``avmsim --ui`` in a real terminal (a detached tmux pane
of fixed size), running the blink example in real time; the pane, captured as text a few
times a second, must show the LED both lit and dark.

tmux is a test requirement (scripts/setup.sh installs it): without it this test fails and
says so, rather than being skipped.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLINK = ROOT / "firmware_images" / "blink.avm"
COLUMNS, ROWS = 120, 40
EXIT_MARK = "avmsim exited with status"
LED_ON = re.compile(r"●\s+\S+\s+GPIO2\s+on\b")
LED_OFF = re.compile(r"○\s+\S+\s+GPIO2\s+off\b")


def _tmux(socket: str, *args: str) -> str:
    """One tmux command on our own server (own socket, no user config)."""
    done = subprocess.run(["tmux", "-L", socket, "-f", os.devnull, *args],
                          capture_output=True, text=True, timeout=10, check=True)
    return done.stdout


def _capture_run(command: list[str], deadline_s: float) -> list[str]:
    """Run ``command`` in a fresh detached tmux pane; the pane's text every 0.25 s until the
    command has exited (the pane then says so) or ``deadline_s`` has passed."""
    socket = f"avmsim-test-{os.getpid()}"
    shell = f'{shlex.join(command)}; echo "{EXIT_MARK} $?"; sleep 600'
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    subprocess.run(["tmux", "-L", socket, "-f", os.devnull, "new-session", "-d", "-s", "live",
                    "-x", str(COLUMNS), "-y", str(ROWS), "-c", str(ROOT), shell],
                   env=env, check=True, timeout=10)
    captures: list[str] = []
    try:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            time.sleep(0.25)
            captures.append(_tmux(socket, "capture-pane", "-p", "-t", "live"))
            if EXIT_MARK in captures[-1]:
                break
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10,
                       check=False)
    return captures


def test_live_view_in_a_terminal_shows_the_led_on_and_off() -> None:
    assert shutil.which("tmux"), ("tmux is not installed; this test drives avmsim in a tmux "
                                  "pane (apt-get install tmux, or run scripts/setup.sh)")
    command = [sys.executable, "-m", "avmsim.cli", "--ui", "--realtime",
               "--board", "esp32-devkit", str(BLINK), "--timeout", "5s"]
    captures = _capture_run(command, deadline_s=30)
    last = captures[-1] if captures else "(nothing captured)"
    assert EXIT_MARK in last, f"avmsim did not finish within 30 s; the pane shows:\n{last}"
    shown_on = [c for c in captures if LED_ON.search(c)]
    shown_off = [c for c in captures if LED_OFF.search(c)]
    assert shown_on, f"the LED on GPIO2 was never drawn lit; the last capture:\n{last}"
    assert shown_off, f"the LED on GPIO2 was never drawn dark; the last capture:\n{last}"
    assert len(captures) >= 8, "the run was too short to watch the LED blink"
