"""The live terminal view (sim/live_view.py), driven by trace events and a fake host clock.

Frames are rendered to a recording rich console and checked as text; the host clock is
injected, so frame pacing and the measured speed are deterministic.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from avmsim.live_view import (
    CONSOLE_LINES,
    STATS_KEYS,
    LiveView,
    format_speed,
    format_virtual_time,
    should_use_ui,
)
from avmsim.trace import TraceBus
from rich.console import Console

PARTS = [
    {"name": "LED", "kind": "led", "pin": "GPIO2", "color": "blue"},
    {"name": "BOOT", "kind": "button", "pin": "GPIO0", "color": "white", "active_level": 0},
]
PINS = ["GPIO0", "GPIO2", "GPIO4"]


class Board:
    """A trace bus, a virtual clock, a fake host clock and a stats() that counts its calls
    (one call per drawn frame)."""

    def __init__(self) -> None:
        self.t_ns = 0
        self.host = 0.0
        self.stats_calls = 0
        self.figures: dict[str, Any] = {
            "ram_used": 123_456, "ram_free": 200_000, "ram_total": 323_456,
            "ram_largest": 110_000, "process_count": 3,
            "processes": [("<0.1.0> blink:start/0", 4_321), ("<0.2.0> timer_manager", 1_234)],
        }
        self.bus = TraceBus(lambda: self.t_ns)
        self.out = io.StringIO()
        self.view = LiveView("esp32-devkit", PARTS, PINS, self.stats, console_file=self.out,
                             host_clock=lambda: self.host)
        self.view.attach(self.bus)

    def stats(self) -> dict[str, Any]:
        self.stats_calls += 1
        return {"t_ns": self.t_ns, **self.figures}

    def pin(self, name: str, level: int) -> None:
        self.bus.publish("pin", name, level)

    def tx(self, data: bytes, uart: str = "UART0") -> None:
        self.bus.publish("uart_tx", uart, data)

    def text(self, now: float | None = None, width: int = 100, height: int = 40) -> str:
        console = Console(record=True, width=width, height=height, file=io.StringIO())
        console.print(self.view.render(now))
        return console.export_text()

    @contextmanager
    def running(self) -> Iterator[None]:
        """The view started, and stopped whatever happens (it redirects sys.stdout)."""
        self.view.start()
        try:
            yield
        finally:
            self.view.stop("test over")


@pytest.fixture
def board() -> Board:
    return Board()


def panel_rows(text: str) -> list[str]:
    return text.splitlines()


# ---------------------------------------------------------------------------- a million toggles

def test_a_million_toggles_update_the_state_and_draw_a_bounded_number_of_frames(board):
    """Events only update state; frames follow the host clock (15 Hz), not the events."""
    with board.running():
        publish = board.bus.publish
        for i in range(1_000_000):
            board.t_ns = i * 1_000           # a toggle every virtual microsecond
            publish("pin", "GPIO2", 1 - i % 2)
            if i % 1_000 == 999:             # the simulator loop ticks now and then...
                board.host += 0.001          # ...and one host second passes in all
                board.view.tick()
        frames = board.stats_calls
        text = board.text()
    assert 15 <= frames <= 17    # the first frame, then one per 1/15 s of host time
    assert board.view.levels["GPIO2"] == 0
    assert board.view.toggles["GPIO2"] == 1_000_000
    assert board.view.event_count == 1_000_000
    assert "GPIO2 toggled 1,000,000× (now 0)" in text
    assert text.count("GPIO2 toggled") == 1


def test_tick_draws_only_when_a_frame_is_due(board):
    with board.running():
        assert board.stats_calls == 1                # start() draws at once
        for host in (0.01, 0.05, 0.066):
            board.host = host
            board.view.tick()
        assert board.stats_calls == 1
        board.host = 1 / 15
        board.view.tick()
        assert board.stats_calls == 2
        board.host += 10.0                           # a long pause: one frame, not many
        board.view.tick()
        board.view.tick()
        assert board.stats_calls == 3


def test_tick_before_start_and_after_stop_draws_nothing(board):
    board.view.tick()
    assert board.stats_calls == 0
    with board.running():
        pass
    calls = board.stats_calls
    board.host += 5
    board.view.tick()
    board.view.stop("again")                         # stopping twice is harmless
    assert board.stats_calls == calls


# ---------------------------------------------------------------------------- parts and pins

def test_led_is_drawn_lit_in_its_colour_when_its_pin_is_high_and_dim_when_low(board):
    board.pin("GPIO2", 1)
    console = Console(record=True, width=100, height=40, file=io.StringIO(), force_terminal=True,
                      color_system="standard")
    console.print(board.view.render())
    assert "\x1b[34m●" in console.export_text(styles=True)       # blue, as the board says
    assert "● LED  GPIO2 on" in board.text()
    board.pin("GPIO2", 0)
    assert "○ LED  GPIO2 off" in board.text()


def test_part_events_override_the_pin_level(board):
    board.pin("GPIO2", 1)
    board.bus.publish("part", "LED", "off")
    assert "○ LED  GPIO2 off" in board.text()
    board.bus.publish("part", "LED", "on")
    assert "● LED  GPIO2 on" in board.text()


def test_button_follows_its_active_low_pin_then_its_part_events(board):
    assert "□ BOOT GPIO0 released" in board.text()
    board.pin("GPIO0", 0)                                     # active low: pressed
    assert "▣ BOOT GPIO0 pressed" in board.text()
    board.bus.publish("part", "BOOT", "released")
    assert "□ BOOT GPIO0 released" in board.text()


def test_pin_table_lists_outputs_and_changed_pins_with_their_changes(board):
    board.bus.publish("pin_mode", "GPIO4", "output")
    board.bus.publish("pin_mode", "GPIO0", "input")       # an idle input: no row
    for level in (1, 0, 1):
        board.pin("GPIO2", level)
    board.pin("GPIO33", 1)                                 # not in the board's list: last
    pins_panel = [r.split("││")[1] for r in panel_rows(board.text()) if r.count("││") == 2]
    cells = [cell.split() for cell in pins_panel if "GPIO" in cell]
    assert cells == [["GPIO2", "1", "3"], ["GPIO4", "output", "—", "0"], ["GPIO33", "1", "1"]]


def test_unknown_part_kind_or_colour_is_refused_at_construction():
    with pytest.raises(ValueError, match="unknown kind 'buzzer'"):
        LiveView("b", [{"name": "BZ", "kind": "buzzer", "pin": "GPIO5", "color": "red"}], [],
                 dict)
    with pytest.raises(Exception, match="colou?r"):
        LiveView("b", [{"name": "L", "kind": "led", "pin": "GPIO5", "color": "not-a-colour"}],
                 [], dict)


# ---------------------------------------------------------------------------- the console

def test_console_keeps_lines_and_joins_partial_writes(board):
    board.tx(b"boot")
    board.tx(b"ing\r")                  # \r\n split across two writes
    board.tx(b"\nHello, w\xc3")         # UTF-8 split across two writes
    board.tx(b"\xb6rld!\nprogress 10%\rprogress 50%\rprogress 90%")
    assert list(board.view.console_lines) == ["booting", "Hello, wörld!"]
    text = board.text()
    assert "│ booting " in text and "│ Hello, wörld! " in text
    assert "│ progress 90% " in text and "progress 10%" not in text   # \r rewrote the line
    board.tx(b"\r\n")
    assert list(board.view.console_lines)[-1] == "progress 90%"


def test_console_shows_only_the_console_uart(board):
    board.tx(b"to the console\n")
    board.tx(b"to a modem\n", uart="UART1")
    assert list(board.view.console_lines) == ["to the console"]
    assert "UART1 tx 'to a modem\\n'" in board.text()          # still a recent event


def test_console_panel_shows_the_tail_and_keeps_a_bounded_buffer(board):
    for i in range(1, 1_001):
        board.tx(f"line {i}\n".encode())
    assert len(board.view.console_lines) == CONSOLE_LINES
    assert board.view.console_line_count == 1_000
    text = board.text(height=40)
    assert "│ line 1000 " in text and "│ line 999 " in text
    assert "│ line 801 " not in text                          # kept, but not in the panel


def test_a_very_long_line_without_newline_is_cut(board):
    board.tx(b"x" * 10_000)
    assert [len(line) for line in board.view.console_lines] == [4096, 4096]


# ---------------------------------------------------------------------------- recent events

def test_busy_pins_fold_into_one_entry_each_even_when_interleaved(board):
    for i in range(10_000):
        board.pin("GPIO2", i % 2)
        board.pin("GPIO4", i % 2)
    text = board.text()
    assert "GPIO2 toggled 10,000× (now 1)" in text
    assert "GPIO4 toggled 10,000× (now 1)" in text
    assert text.count("toggled") == 2


def test_a_pin_quiet_for_a_whole_frame_starts_a_new_entry(board):
    """A slow blink in real time reads as one line per edge."""
    with board.running():
        for second in range(1, 4):
            board.t_ns = second * 1_000_000_000
            board.pin("GPIO2", second % 2)
            for _ in range(3):                       # several frames between edges
                board.host += 0.1
                board.view.tick()
        text = board.text()
    assert "1.000 000 s GPIO2 → 1" in text
    assert "2.000 000 s GPIO2 → 0" in text
    assert "3.000 000 s GPIO2 → 1" in text
    assert "toggled" not in text


def test_a_pin_busy_across_frames_keeps_one_growing_entry(board):
    with board.running():
        for frame in range(5):
            for i in range(100):
                board.pin("GPIO2", i % 2)
            board.host += 0.1
            board.view.tick()
        text = board.text()
    assert "GPIO2 toggled 500×" in text and text.count("toggled") == 1


def test_processes_fold_by_verb_and_uart_writes_sum_their_bytes(board):
    board.bus.publish("board", "esp32-devkit", "boot")
    for i in range(1_000):
        board.bus.publish("process", f"<0.{i + 1}.0>", "spawn")
    board.bus.publish("process", "<0.7.0>", "exit badarg")
    for _ in range(4):
        board.tx(b"12345")
    text = board.text(width=120)
    assert "board esp32-devkit boot" in text
    assert "process spawn ×1,000 (last <0.1000.0>)" in text
    assert "process <0.7.0> exit badarg" in text
    assert "UART0 tx 20 B in 4 writes" in text


def test_recent_events_list_the_latest_activity_last(board):
    board.pin("GPIO2", 1)
    board.bus.publish("process", "<0.1.0>", "spawn")
    board.pin("GPIO2", 0)                          # folds into the first entry, now the latest
    rows = [r for r in panel_rows(board.text()) if "GPIO2 toggled" in r or "spawn" in r]
    assert "spawn" in rows[0] and "GPIO2 toggled 2× (now 0)" in rows[1]


def test_recent_events_are_bounded(board):
    for i in range(5_000):
        board.bus.publish("board", f"b{i}", "boot")    # all different keys
    assert len(board.view._recent) <= 64
    assert "board b4999 boot" in board.text()


# ---------------------------------------------------------------------------- header, RAM

def test_virtual_time_format():
    assert format_virtual_time(0) == "0.000 000 s"
    assert format_virtual_time(12_345_678_901) == "12.345 678 s"
    assert format_virtual_time(999) == "0.000 000 s"
    assert format_virtual_time(3_600_000_001_000) == "3600.000 001 s"


def test_speed_format():
    assert format_speed(None) == "—"
    assert format_speed(1.0) == "1.00"
    assert format_speed(12.34) == "12.3"
    assert format_speed(36_000.4) == "36,000"
    assert format_speed(9.9999) == "10.0" and format_speed(99.99) == "100"


def test_frame_shows_board_time_and_ram_figures(board):
    board.t_ns = 12_345_678_901
    text = board.text()
    assert "esp32-devkit" in text
    assert "t = 12.345 678 s" in text
    assert re.search(r"used 38\.2 % +123,456 B", text)
    assert re.search(r"free +200,000 B", text)
    assert re.search(r"largest +110,000 B", text)
    assert re.search(r"processes +3 ", text)
    assert re.search(r"<0\.1\.0> blink:start/0 +4,321 B", text)
    assert re.search(r"<0\.2\.0> timer_manager +1,234 B", text)
    assert "running" in text


def test_a_long_board_title_gives_way_to_time_speed_and_status(board):
    board.view.board_title = "ESP32-WROOM-32 DevKitC: 2 x Xtensa LX6 @ 240 MHz, 520 KiB SRAM"
    board.view.status = "timeout (exit status 42)"
    board.t_ns = 5_000_000_000
    header = board.text(width=80).splitlines()[1]
    assert "ESP32-WROO…" in header
    assert "t = 5.000 000 s" in header and "× real time" in header
    assert "timeout (exit status 42)" in header


def test_frame_without_a_ram_budget(board):
    board.figures.update(ram_free=None, ram_total=None, ram_largest=None)
    text = board.text()
    assert re.search(r"used +123,456 B ", text) and "%" not in text and re.search(r"free +no budget", text)
    assert "█" not in text


def test_speed_is_virtual_seconds_per_host_second_over_a_sliding_window(board):
    with board.running():
        for _ in range(30):                  # 3 host s at 10 virtual s per host s
            board.host += 0.1
            board.t_ns += 1_000_000_000
            board.view.tick()
        assert "10.0× real time" in board.text()
        for _ in range(30):                  # then 3 host s at half real time
            board.host += 0.1
            board.t_ns += 50_000_000
            board.view.tick()
        assert "0.50× real time" in board.text()   # the fast part has left the window


def test_render_without_a_host_time_reads_no_clock(board):
    def no_clock() -> float:
        raise AssertionError("render() read the host clock")
    board.view.host_clock = no_clock
    assert "—× real time" in board.text()


def test_stats_keys_are_documented():
    assert set(STATS_KEYS) == {"t_ns", "ram_used", "ram_free", "ram_total", "ram_largest",
                               "processes", "process_count"}


# ---------------------------------------------------------------------------- start, stop

def test_stop_prints_the_console_then_the_final_frame(board):
    with board.running():
        board.tx(b"Hello\nlast words")
        board.pin("GPIO2", 1)
        board.host += 1
        board.view.tick()
        board.view.stop("finished: ok")
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", board.out.getvalue())    # no colours
    transcript = out.index("console UART0: last 2 lines")
    final = out.rindex("finished: ok")
    assert out.index("Hello\nlast words\n", transcript) < final
    assert "● LED  GPIO2 on" in out[transcript:]


def test_stop_says_how_many_console_lines_were_not_kept(board):
    with board.running():
        for i in range(250):
            board.tx(f"{i}\n".encode())
    assert f"last {CONSOLE_LINES} lines, the 50 before were not kept" in board.out.getvalue()


def test_save_svg_writes_a_screenshot(board, tmp_path: Path):
    board.pin("GPIO2", 1)
    path = tmp_path / "view.svg"
    board.view.save_svg(str(path))
    svg = path.read_text()
    assert svg.startswith("<svg") and "esp32-devkit" in svg


# ---------------------------------------------------------------------------- should_use_ui

class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty, term, force, expected", [
    (True, "xterm-256color", None, True),
    (True, "dumb", None, False),
    (True, None, None, True),
    (False, "xterm-256color", None, False),     # piped: plain
    (True, "xterm-256color", False, False),     # --headless
    (False, "xterm-256color", False, False),
    (False, "xterm-256color", True, False),     # --ui, piped: still plain
    (True, "dumb", True, True),                 # --ui on a dumb terminal
    (True, "xterm-256color", True, True),
])
def test_should_use_ui(monkeypatch, tty, term, force, expected):
    if term is None:
        monkeypatch.delenv("TERM", raising=False)
    else:
        monkeypatch.setenv("TERM", term)
    assert should_use_ui(Stream(tty), force) is expected


def test_should_use_ui_on_a_closed_or_plain_stream(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    closed = io.StringIO()
    closed.close()
    assert should_use_ui(closed, None) is False
    assert should_use_ui(object(), None) is False
