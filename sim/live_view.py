"""The live terminal view: the board's LEDs and pins, the console, virtual time and speed,
RAM and the top processes, and the recent events, redrawn while the app runs.

Why it is built the way it is:

* **It only renders what it is told.** State comes from trace bus events (``pin``,
  ``pin_mode``, ``part``, ``uart_tx``, ``uart_rx``, ``process``, ``board``, and the bus
  kinds ``i2c``, ``spi``, ``pwm``, ``device`` in the recent events), from one ``stats()``
  snapshot per frame, and from the fitted bus chips and analog sources it is handed, whose
  ``values()`` (and a display's ``pixels()``) it reads once per frame; the view never
  reaches into the VM (architecture.md).
* **Its cost follows the frame rate, not the event rate.** An app may toggle a pin millions
  of times: each event handler does a constant, small amount of work (a few dict updates and
  one coalescing step), and drawing happens only in :meth:`LiveView.tick`, at most
  ``refresh_hz`` times per host second.
* **The host clock only paces frames.** ``host_clock`` decides when to draw and measures the
  speed (virtual seconds per host second); nothing read from it goes back into the
  simulation, so a run with the view is the same run as without it.
* **Recent events are coalesced** so a busy pin cannot flood the panel: events of one *key*
  (a pin, a part, a UART, a process verb such as ``spawn``) fold into one entry ("GPIO2
  toggled 12,345×") while the key stays busy, i.e. while its entry was touched in the
  current or the previous frame. A key quiet for a whole frame starts a new entry, so a slow
  blink in ``--realtime`` reads as one line per edge, and a fast one as a single running
  count. Entries are listed by their last activity.

The ``stats()`` snapshot (the caller builds it from the VM's figures, those of
``memory_report.MemoryMonitor``; keys are documented in :data:`STATS_KEYS`) is read once
per frame, never per event.

The console: while the view is active the app's console text must reach it only through
``uart_tx`` events on ``console_uart`` (anything written to stdout meanwhile is printed
above the frame by rich, which is why the caller must not also write the console there).
The view keeps the last :data:`CONSOLE_LINES` lines. When it stops it prints those kept
lines as plain text, then the final frame below them: the frame is what stays on screen, and
the app's output stays in the terminal's scrollback above it, uncropped and copyable (a note
says how many earlier lines were not kept; run with ``--headless`` or pipe the output for
all of it).
"""
from __future__ import annotations

import codecs
import io
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import IO, Any

from rich.color import Color, blend_rgb
from rich.color_triplet import ColorTriplet
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.layout import Layout
from rich.live import Live
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .trace import TraceBus, TraceEvent

__all__ = [
    "CONSOLE_LINES",
    "STATS_KEYS",
    "LiveView",
    "format_speed",
    "format_virtual_time",
    "should_use_ui",
]

STATS_KEYS: dict[str, str] = {
    "t_ns": "int: virtual time now, nanoseconds since boot",
    "ram_used": "int: bytes taken from the board's RAM, block headers included",
    "ram_free": "int | None: free bytes (None on a board without a RAM budget)",
    "ram_total": "int | None: the RAM budget, used + free (None without a budget)",
    "ram_largest": "int | None: the largest free block (None without a budget)",
    "processes": "list[tuple[str, int]]: top processes by memory, (label, bytes), largest "
                 "first; the label is the pid and its registered name or initial call",
    "process_count": "int: live processes",
}
"""What ``stats()`` returns: key → type and meaning."""

CONSOLE_LINES = 200      # console lines kept for the panel and the closing transcript
MAX_LINE_CHARS = 4096    # a line longer than this without a newline is cut here
RECENT_EVENTS = 64       # coalesced entries kept for the recent-events panel
SPEED_WINDOW_S = 2.0     # host seconds over which the speed is measured
TOP_ROW_HEIGHT = 12      # rows of the board / pins / RAM band
TOP_PROCESSES = 5
PART_GLYPHS = {"led": ("●", "○"), "button": ("▣", "□"), "switch": ("▣", "□")}
PART_STATES = {"led": ("on", "off"), "button": ("pressed", "released"), "switch": ("on", "off")}
DIM_FLOOR = 0.25         # a dimmed LED's glyph keeps this much of its colour, to stay visible
BOTTOM_MIN_ROWS = 8      # console/events rows kept when the devices band wants more
VALUES_MIN_WIDTH = 32    # columns the devices' values keep beside the displays
BUS_BYTES_SHOWN = 8      # bytes of a transfer shown in the recent events
HALF_BLOCKS = {(0, 0): " ", (1, 0): "▀", (0, 1): "▄", (1, 1): "█"}   # (top, bottom) lit
VALUE_FORMATS: dict[str, Callable[[Any], str]] = {"address": lambda v: f"0x{v:02X}"}


# ---------------------------------------------------------------------------- formatting

def format_virtual_time(t_ns: int) -> str:
    """Virtual time to the microsecond, digits grouped by three: ``12.345 678 s``."""
    seconds, ns = divmod(t_ns, 1_000_000_000)
    us = ns // 1000
    return f"{seconds}.{us // 1000:03d} {us % 1000:03d} s"


def format_speed(speed: float | None) -> str:
    """Virtual seconds per host second, with three significant figures (``—`` unknown);
    the header shows it as "× real time", which is the same ratio."""
    if speed is None:
        return "—"
    if speed >= 99.95:
        return f"{speed:,.0f}"
    return f"{speed:.1f}" if speed >= 9.995 else f"{speed:.2f}"


def _bytes(n: int | None) -> str:
    return "—" if n is None else f"{n:,} B"


def _visible(line: str) -> str:
    """What a terminal leaves of a line: no ``\\r`` of a ``\\r\\n``, and only the text after
    a carriage return, which rewrites the line (progress counters)."""
    return line.removesuffix("\r").rpartition("\r")[2]


def should_use_ui(stdout: IO[str], force_ui: bool | None) -> bool:
    """Whether to draw the live view. Piped output is always plain (CI logs, files);
    on a terminal ``--ui`` (True) forces the view even where TERM is ``dumb``,
    ``--headless`` (False) forbids it, and by default it is drawn unless TERM is ``dumb``."""
    isatty = getattr(stdout, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except ValueError:   # a closed stream
        return False
    if not tty or force_ui is False:
        return False
    return force_ui or os.environ.get("TERM", "") != "dumb"


# ---------------------------------------------------------------------------- pieces

def _brightness(word: str, on_word: str) -> float:
    """How lit a part's state word says it is: 1 for its on word, ``"42%"`` 0.42 (an LED on
    a PWM pin), else 0."""
    if word == on_word:
        return 1.0
    return float(word[:-1]) / 100 if word.endswith("%") else 0.0


def _dimmed(color: str, level: float) -> Style:
    """``color`` at ``level`` (0..1) of its intensity, never below :data:`DIM_FLOOR`."""
    full = Color.parse(color).get_truecolor()
    return Style(color=Color.from_triplet(
        blend_rgb(ColorTriplet(0, 0, 0), full, DIM_FLOOR + (1 - DIM_FLOOR) * level)))


class _Entry:
    """One line of the recent-events panel: an event, or a run of events of one key."""

    __slots__ = ("count", "frame", "kind", "last_ns", "nbytes", "order", "seq", "source",
                 "value")

    def __init__(self, ev: TraceEvent, seq: int) -> None:
        self.kind = ev.kind
        self.source = ev.source
        self.value = ev.value
        self.count = 1
        self.nbytes = 0       # UART entries: bytes carried
        self.last_ns = ev.t_ns
        self.seq = seq        # its place among appended entries (is it still kept?)
        self.frame = 0        # the frame it was last touched in
        self.order = 0        # the event number of its last event (display order)

    def text(self) -> Text:
        return Text.assemble((f"{format_virtual_time(self.last_ns):>12} ", "dim"),
                             self._describe())

    def _describe(self) -> str:
        kind, n = self.kind, self.count
        if kind == "pin":
            return (f"{self.source} → {self.value}" if n == 1
                    else f"{self.source} toggled {n:,}× (now {self.value})")
        if kind in ("uart_tx", "uart_rx"):
            way = "tx" if kind == "uart_tx" else "rx"
            if n == 1:
                return f"{self.source} {way} {_short(self.value)}"
            return f"{self.source} {way} {self.nbytes:,} B in {n:,} writes"
        if kind == "process":
            if n == 1:
                return f"process {self.source} {self.value}"
            verb, _, rest = str(self.value).partition(" ")
            return f"process {verb} ×{n:,} (last {self.source} {rest})".replace(" )", ")")
        bus_text = BUS_EVENT_TEXT.get(kind)
        if bus_text is not None:
            line = bus_text(self.source, self.value)
            return line if n == 1 else f"{line} (×{n:,})"
        label = f"{self.source} {self.value}"
        if kind != "part":
            label = f"{kind} {label}"
        return label if n == 1 else f"{label} (×{n:,})"


def _short(data: Any, limit: int = 32) -> str:
    text = repr(bytes(data).decode("utf-8", "replace"))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _hex(data: bytes) -> str:
    shown = bytes(data[:BUS_BYTES_SHOWN]).hex(" ")
    return shown + (" …" if len(data) > BUS_BYTES_SHOWN else "")


def format_value(key: str, value: Any) -> str:
    """A device property as the devices panel and the events show it."""
    special = VALUE_FORMATS.get(key)
    if special is not None and isinstance(value, int):
        return special(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):   # a reading, not a float dump: 23.7, 101325, 0.0125
        return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 else f"{value:.3g}"
    return _hex(value) if isinstance(value, (bytes, bytearray)) else str(value)


def _i2c_text(source: str, v: dict) -> str:
    words = [source, f"0x{v['addr']:02X}"]
    words += [f"{way} {_hex(v[key])}" for way, key in (("w", "write"), ("r", "read")) if v[key]]
    return " ".join(words + ([] if v["ack"] else ["NACK"]))


def _spi_text(source: str, v: dict) -> str:
    return (f"{source} {v['device'] or v['cs'] or 'no CS'} "
            f"mosi {_hex(v['mosi'])} miso {_hex(v['miso'])}")


def _pwm_text(source: str, v: dict) -> str:
    if not v["freq_hz"]:
        return f"{source} PWM off"
    return f"{source} PWM {v['duty'] * 100:.1f} % at {v['freq_hz']:,} Hz"


def _device_text(source: str, v: dict) -> str:
    return f"{source} " + ", ".join(f"{k} {format_value(k, x)}" for k, x in v.items())


BUS_EVENT_TEXT: dict[str, Callable[[str, dict], str]] = {
    "i2c": _i2c_text, "spi": _spi_text, "pwm": _pwm_text, "device": _device_text}
"""Trace kind (docs/contracts.md, buses) → one line for the recent events."""


def half_block_rows(pixels: Sequence[Sequence[int]], width: int) -> list[str]:
    """A monochrome image (rows of 0/1, top first) as text, two pixel rows per character
    row (▀ ▄ █ and space). An image wider than ``width`` is shrunk to ``width`` columns and
    its height alike; a shrunk cell is lit when any pixel it covers is, so thin lines stay."""
    height, full = len(pixels), len(pixels[0])
    cols = max(1, min(width, full))
    rows = max(2, height * cols // full // 2 * 2)
    if (cols, rows) != (full, height):
        ys = [range(y * height // rows, (y + 1) * height // rows) for y in range(rows)]
        xs = [range(x * full // cols, (x + 1) * full // cols) for x in range(cols)]
        merged = [[any(column) for column in zip(*(pixels[r] for r in band))] for band in ys]
        pixels = [[int(any(row[c] for c in span)) for span in xs] for row in merged]
    return ["".join(HALF_BLOCKS[pair] for pair in zip(pixels[y], pixels[y + 1]))
            for y in range(0, rows - 1, 2)]


class _Tail:
    """The last lines that fit the height rich gives it (a panel in a layout region), one
    row each; lines are turned into text only when shown."""

    def __init__(self, items: Sequence[Any], to_text: Callable[[Any], Text]) -> None:
        self.items = items
        self.to_text = to_text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = options.height or len(self.items)
        start = max(0, len(self.items) - rows)
        for i in range(start, len(self.items)):
            line = self.to_text(self.items[i])
            line.no_wrap = True
            line.overflow = "ellipsis"
            yield line


class _RamBar:
    """One row as wide as its panel: used RAM, then the largest free block, then the rest
    of the free RAM (fragmentation shows as the gap between the last two)."""

    def __init__(self, used: int, largest: int, total: int) -> None:
        self.used, self.largest, self.total = used, largest, total

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        used = min(width, round(width * self.used / self.total))
        largest = min(width - used, round(width * self.largest / self.total))
        bar = Text()
        bar.append("█" * used, style="red" if used > width * 0.9 else "yellow")
        bar.append("▓" * largest, style="green")
        bar.append("░" * (width - used - largest), style="dim green")
        yield bar


class _Display:
    """A display chip's screen (``pixels()``: rows of 0/1) in half blocks, one column per
    pixel at most and no taller than its region. :meth:`snapshot` reads the chip once per
    frame; the text is rebuilt only when the pixels or the room change."""

    def __init__(self, device: Any) -> None:
        self.device = device
        self.pixels: list[list[int]] = []
        self.on = False
        self._key: tuple[int, list] | None = None
        self._rows: list[str] = []

    def snapshot(self) -> None:
        self.pixels, self.on = self.device.pixels(), self.device.is_on()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        pixels = self.pixels
        room = options.height or len(pixels) // 2
        width = min(options.max_width, 4 * room)   # 2 pixel rows a line, 2:1 panels
        if self._key != (width, pixels):
            self._key, self._rows = (width, pixels), half_block_rows(pixels, width)
        for row in self._rows:
            yield Text(row, no_wrap=True, overflow="crop")


class _Screen:
    """A frame one row shorter than the terminal: the cursor rests on the spare row, so
    neither the live redraws nor the shell prompt after the final frame scroll its top
    into the scrollback. ``fit(width, rows)`` sizes regions to the terminal first."""

    def __init__(self, layout: Layout,
                 fit: Callable[[int, int], None] | None = None) -> None:
        self.layout = layout
        self.fit = fit

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = max(1, (options.height or console.height) - 1)
        if self.fit is not None:
            self.fit(options.max_width, rows)
        yield from console.render(self.layout, options.update(height=rows))


# ---------------------------------------------------------------------------- the view

class LiveView:
    """The live view of one board. ``attach`` it to a trace bus, ``start`` it, call
    ``tick`` often from the simulator loop (it draws only when a frame is due), ``stop`` it.

    ``parts``: dicts ``{"name", "kind" ("led" | "button" | "switch"), "pin", "color"}``
    plus, optionally, ``"active_level"`` (the pin level meaning on/pressed, default 1): a
    part's state is that of its last ``part`` event, or, until one arrives, read from its
    pin's level. ``pins``: the board's pin names, in the order to list them. ``stats``: see
    :data:`STATS_KEYS`. ``console_file``: the stream to draw on (default: ``sys.stdout`` when
    started). ``host_clock``: host seconds, for the frame rate and the speed only.
    ``devices``: the fitted bus chips and analog sources (``name``, ``MODEL``, ``values()``;
    a display also ``pixels()`` and ``is_on()``), listed with their values in a band of
    their own, displays drawn, all read once per frame. An LED's ``part`` state may be a
    brightness (``"42%"``, an LED on a PWM pin): it is drawn in its colour dimmed.
    """

    def __init__(self, board_title: str, parts: list[dict], pins: list[str],
                 stats: Callable[[], dict], console_file: IO[str] | None = None,
                 refresh_hz: float = 15, *, console_uart: str = "UART0",
                 host_clock: Callable[[], float] = time.monotonic,
                 devices: Sequence[Any] = ()) -> None:
        if refresh_hz <= 0:
            raise ValueError("refresh_hz must be positive")
        for part in parts:
            if part["kind"] not in PART_GLYPHS:
                raise ValueError(f"part {part['name']}: unknown kind {part['kind']!r}")
            Style.parse(part.get("color", "red"))   # a bad colour fails here, not mid-run
        self.board_title = board_title
        self.parts = parts
        self.pin_order = {name: i for i, name in enumerate(pins)}
        self.stats = stats
        self.devices = list(devices)
        self._displays = [_Display(d) for d in self.devices if hasattr(d, "pixels")]
        self.console_file = console_file
        self.console_uart = console_uart
        self.period = 1.0 / refresh_hz
        self.host_clock = host_clock
        self.status = "running"
        # state fed by events
        self.levels: dict[str, Any] = {}
        self.toggles: dict[str, int] = {}
        self.modes: dict[str, str] = {}
        self.part_states: dict[str, str] = {}
        self.event_count = 0
        self.console_lines: deque[str] = deque(maxlen=CONSOLE_LINES)
        self.console_line_count = 0       # every line ever completed, kept or not
        self._partial = ""                # console text after the last newline
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._recent: deque[_Entry] = deque(maxlen=RECENT_EVENTS)
        self._open: dict[tuple[str, str], _Entry] = {}
        self._appended = 0
        # frames
        self._frame = 0
        self._last_draw: float | None = None
        self._speed_samples: deque[tuple[float, int]] = deque()
        self._console: Console | None = None
        self._live: Live | None = None

    # ------------------------------------------------------------------ events (hot path)
    def attach(self, bus: TraceBus) -> None:
        """Subscribe to the kinds the view shows."""
        bus.subscribe(self._on_pin, ("pin",))
        bus.subscribe(self._on_pin_mode, ("pin_mode",))
        bus.subscribe(self._on_part, ("part",))
        bus.subscribe(self._on_uart, ("uart_tx", "uart_rx"))
        bus.subscribe(self._on_other, ("process", "board"))
        bus.subscribe(self._on_bus_event, tuple(BUS_EVENT_TEXT))

    def _note(self, ev: TraceEvent, key: tuple[str, str]) -> _Entry:
        """Count ``ev`` into the recent events: fold it into its key's entry while that key
        is busy (touched this frame or the last) and its entry still kept, else open one.
        Keys are (kind, source), i.e. ``ev[1:3]``, except for processes (see _on_other)."""
        self.event_count += 1
        entry = self._open.get(key)
        if (entry is None or entry.frame < self._frame - 1
                or entry.seq < self._appended - RECENT_EVENTS):
            entry = _Entry(ev, self._appended)
            self._appended += 1
            self._recent.append(entry)
            self._open[key] = entry
        else:
            entry.count += 1
            entry.source = ev.source
            entry.value = ev.value
            entry.last_ns = ev.t_ns
        entry.frame = self._frame
        entry.order = self.event_count
        return entry

    def _on_pin(self, ev: TraceEvent) -> None:
        name = ev.source
        self.levels[name] = ev.value
        self.toggles[name] = self.toggles.get(name, 0) + 1   # the bus sends changes only
        self._note(ev, ev[1:3])

    def _on_pin_mode(self, ev: TraceEvent) -> None:
        self.modes[ev.source] = ev.value
        self._note(ev, ev[1:3])

    def _on_part(self, ev: TraceEvent) -> None:
        self.part_states[ev.source] = ev.value
        self._note(ev, ev[1:3])

    def _on_uart(self, ev: TraceEvent) -> None:
        if ev.kind == "uart_tx" and ev.source == self.console_uart:
            self._console_write(ev.value)
        self._note(ev, ev[1:3]).nbytes += len(ev.value)

    def _on_bus_event(self, ev: TraceEvent) -> None:
        self._note(ev, ev[1:3])

    def _on_other(self, ev: TraceEvent) -> None:
        if ev.kind == "process":   # fold by verb: a thousand spawns make one entry
            self._note(ev, ("process", str(ev.value).partition(" ")[0]))
        else:
            self._note(ev, ev[1:3])

    def _console_write(self, data: bytes) -> None:
        """Split console bytes into lines; UTF-8 split across writes and ``\\r\\n`` split
        across writes both come out whole."""
        *lines, partial = (self._partial + self._decoder.decode(data)).split("\n")
        while len(partial) > MAX_LINE_CHARS:
            lines.append(partial[:MAX_LINE_CHARS])
            partial = partial[MAX_LINE_CHARS:]
        self._partial = partial
        self.console_lines.extend(_visible(line) for line in lines)
        self.console_line_count += len(lines)

    # ------------------------------------------------------------------ frames
    def start(self) -> None:
        """Take over the terminal and draw the first frame."""
        self._console = Console(file=self.console_file or sys.stdout, force_terminal=True,
                                highlight=False)
        # transient: the moving frame is wiped at stop, and the final one printed for good
        self._live = Live(console=self._console, auto_refresh=False, transient=True)
        self._live.start()
        self._live.update(self._next_frame(self.host_clock()), refresh=True)

    def tick(self) -> None:
        """Draw a frame if one is due (cheap when not: one host clock read)."""
        if self._live is None:
            return
        now = self.host_clock()
        if self._last_draw is None or now - self._last_draw >= self.period:
            self._live.update(self._next_frame(now), refresh=True)

    def stop(self, final_status: str) -> None:
        """End the view: print the kept console lines (see the module docstring), then the
        final frame with ``final_status``, which stays on screen below them. Does nothing
        if the view is not running."""
        if self._live is None or self._console is None:
            return
        self.status = final_status
        frame = self._next_frame(self.host_clock())
        self._live.stop()
        self._live = None
        self._print_transcript(self._console)
        self._console.print(frame)

    def _next_frame(self, now: float) -> RenderableType:
        """The frame to draw at host time ``now``: one ``stats()`` call, one speed sample."""
        snap = self.stats()
        self._sample_speed(now, snap["t_ns"])
        self._last_draw = now
        self._frame += 1
        return self._build(snap, self._speed(now, snap["t_ns"]))

    def _sample_speed(self, now: float, t_ns: int) -> None:
        """Keep (host, virtual) samples covering the last ``SPEED_WINDOW_S`` host seconds."""
        samples = self._speed_samples
        samples.append((now, t_ns))
        while len(samples) > 2 and samples[1][0] <= now - SPEED_WINDOW_S:
            samples.popleft()

    def _speed(self, now_host: float, t_ns: int) -> float | None:
        """Virtual seconds per host second from the oldest sample in the window to
        (``now_host``, ``t_ns``); None before any host time has passed."""
        if not self._speed_samples:
            return None
        host0, virt0 = self._speed_samples[0]
        if now_host <= host0:
            return None
        return (t_ns - virt0) / 1e9 / (now_host - host0)

    def _console_tail(self) -> list[str]:
        """The kept console lines, and the line being written if any."""
        lines = list(self.console_lines)
        if self._partial:
            lines.append(_visible(self._partial))
        return lines

    def _print_transcript(self, console: Console) -> None:
        lines = self._console_tail()
        if not lines:
            return
        total = self.console_line_count + bool(self._partial)
        dropped = total - len(lines)
        note = f", the {dropped:,} before were not kept" if dropped else ""
        console.rule(Text(f"console {self.console_uart}: last {len(lines):,} lines{note}"),
                     style="dim")
        console.file.write("\n".join(lines) + "\n")
        console.file.flush()

    # ------------------------------------------------------------------ the frame
    def render(self, now_host: float | None = None) -> RenderableType:
        """The frame for the current state (one ``stats()`` call). With ``now_host`` the
        speed is measured up to that host time and the current virtual time; without it no
        clock is read and the speed is that of the frames drawn so far."""
        snap = self.stats()
        if now_host is not None:
            speed = self._speed(now_host, snap["t_ns"])
        elif self._speed_samples:
            speed = self._speed(*self._speed_samples[-1])
        else:
            speed = None
        return self._build(snap, speed)

    def save_svg(self, path: str, width: int = 120, height: int = 40) -> None:
        """Write the current frame as an SVG screenshot (for the README, bug reports)."""
        console = Console(record=True, width=width, height=height, file=io.StringIO(),
                          force_terminal=True)
        console.print(self.render())
        console.save_svg(path, title=f"avmsim {self.board_title}")

    def _build(self, snap: dict, speed: float | None) -> RenderableType:
        root = Layout()
        top, bottom = Layout(size=TOP_ROW_HEIGHT), Layout()
        top.split_row(Layout(self._board_panel(), ratio=2, minimum_size=self._board_width()),
                      Layout(self._pins_panel(), ratio=3), Layout(self._ram_panel(snap), ratio=3))
        bottom.split_row(Layout(self._console_panel()), Layout(self._events_panel()))
        regions = [Layout(self._header(snap, speed), size=3), top]
        fit = None
        if self.devices:
            band, fit = self._devices_band()
            regions.append(band)
        root.split_column(*regions, bottom)
        return _Screen(root, fit)

    def _devices_band(self) -> tuple[Layout, Callable[[int, int], None]]:
        """The displays and the devices' values side by side, and how to size them: as
        tall as the values or a whole display need, leaving the console and events
        :data:`BOTTOM_MIN_ROWS`; each display as wide as that height lets it be drawn."""
        values = self._values_table()
        for display in self._displays:
            display.snapshot()
        screens = [Layout(Panel(display, title=f"{display.device.name} "
                                f"({'on' if display.on else 'off'})",
                                title_align="left", padding=0))
                   for display in self._displays]
        band = Layout()
        band.split_row(*screens, Layout(Panel(values, title="devices", title_align="left")))
        wanted = max([values.row_count + 2] + [len(d.pixels) // 2 + 2 for d in self._displays])

        def fit(width: int, rows: int) -> None:
            band.size = max(3, min(wanted, rows - 3 - TOP_ROW_HEIGHT - BOTTOM_MIN_ROWS))
            share = max(1, (width - VALUES_MIN_WIDTH) // max(1, len(screens)) - 2)
            for screen, display in zip(screens, self._displays):
                screen.size = min(4 * (band.size - 2), len(display.pixels[0]), share) + 2
        return band, fit

    def _values_table(self) -> Table:
        """Each device's model, then its values (read now) one a row."""
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True, overflow="ellipsis")
        for device in self.devices:
            table.add_row(Text(device.name, style="bold"), Text(device.MODEL, style="dim"))
            for key, value in device.values().items():
                table.add_row(Text(f"  {key}", style="dim"), format_value(key, value))
        return table

    def _header(self, snap: dict, speed: float | None) -> Panel:
        grid = Table.grid(expand=True, padding=(0, 2))
        grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)   # a long title gives way
        grid.add_column(justify="center", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        status_style = "bold green" if self.status == "running" else "bold"
        grid.add_row(
            Text.assemble(("avmsim ", "dim"), (self.board_title, "bold cyan")),
            Text.assemble("t = ", (format_virtual_time(snap["t_ns"]), "bold"),
                          f"   {format_speed(speed)}× real time"),
            Text(self.status, style=status_style),
        )
        return Panel(grid, padding=(0, 1))

    def _part_word(self, part: dict) -> str:
        """``part``'s state word: its last part event, else read from its pin's level."""
        state = self.part_states.get(part["name"])
        if state is not None:
            return state
        on_word, off_word = PART_STATES[part["kind"]]
        return on_word if self.levels.get(part["pin"]) == part.get("active_level", 1) else off_word

    def _board_width(self) -> int:
        """Columns the board panel needs so no part's name, pin or state is cut."""
        widest = max((len(p["name"]) + len(p["pin"]) for p in self.parts), default=0)
        return widest + len("│ ● " + "  released │")

    def _board_panel(self) -> Panel:
        grid = Table.grid(padding=(0, 1))
        for part in self.parts:
            kind = part["kind"]
            word = self._part_word(part)
            level = _brightness(word, PART_STATES[kind][0])
            glyph = PART_GLYPHS[kind][0 if level > 0 else 1]
            lit = part.get("color", "red") if kind == "led" else "bold"
            glyph_style = "dim" if level <= 0 else lit if level >= 1 else _dimmed(lit, level)
            grid.add_row(Text(glyph, style=glyph_style), Text(part["name"], style="bold"),
                         Text(part["pin"], style="cyan"), Text(word))
        return Panel(grid, title="board", title_align="left")

    def _shown_pins(self) -> list[str]:
        """Pins worth a row: outputs and pins that changed, board order first."""
        names = {n for n, mode in self.modes.items() if mode == "output"} | self.toggles.keys()
        last = len(self.pin_order)
        return sorted(names, key=lambda n: (self.pin_order.get(n, last), n))

    def _pins_panel(self) -> Panel:
        table = Table(box=None, padding=(0, 1, 0, 0), pad_edge=False, header_style="dim")
        table.add_column("pin", no_wrap=True)
        table.add_column("mode", no_wrap=True, overflow="ellipsis")
        table.add_column("lvl", justify="center", no_wrap=True)
        table.add_column("edges", justify="right", no_wrap=True)
        for name in self._shown_pins():
            level = self.levels.get(name)
            table.add_row(name, self.modes.get(name, ""),
                          Text("—" if level is None else str(level),
                               style="bold green" if level == 1 else "dim"),
                          f"{self.toggles.get(name, 0):,}")
        return Panel(table, title="pins", title_align="left")

    def _ram_panel(self, snap: dict) -> Panel:
        used, free, total = snap["ram_used"], snap["ram_free"], snap["ram_total"]
        figures = Table.grid(padding=(0, 1))
        figures.add_column(style="dim", no_wrap=True)
        figures.add_column(justify="right", no_wrap=True)
        figures.add_row(f"used {used * 100 / total:.1f} %" if total else "used", _bytes(used))
        figures.add_row("free", _bytes(free) if total else "no budget")
        figures.add_row("largest", _bytes(snap["ram_largest"]))
        figures.add_row("processes", f"{snap['process_count']:,}")
        procs = Table.grid(padding=(0, 1), expand=True)
        procs.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        procs.add_column(justify="right", no_wrap=True)
        for label, nbytes in snap["processes"][:TOP_PROCESSES]:
            procs.add_row(label, _bytes(nbytes))
        body: list[RenderableType] = [figures, procs]
        if total:
            body.insert(0, _RamBar(used, snap["ram_largest"] or 0, total))
        return Panel(Group(*body), title="RAM", title_align="left")

    def _console_panel(self) -> Panel:
        return Panel(_Tail(self._console_tail(), Text.from_ansi),
                     title=f"console {self.console_uart}", title_align="left")

    def _events_panel(self) -> Panel:
        entries = sorted(self._recent, key=lambda e: e.order)
        return Panel(_Tail(entries, _Entry.text), title=f"events ({self.event_count:,})",
                     title_align="left")
