"""The live view's bus devices (sim/live_view.py): the values of fitted chips and analog
sources, a display drawn in half blocks, LEDs dimmed by PWM, bus events in the recent events.

Fake devices stand in for the models (the view only calls ``name``, ``MODEL``, ``values()``,
and a display's ``pixels()`` / ``is_on()``); frames are rendered to a recording console.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from avmsim.boards import get_board
from avmsim.boards.parts_file import load_parts_file
from avmsim.live_session import live_view_for
from avmsim.live_view import LiveView, half_block_rows
from avmsim.simulation import Simulation
from avmsim.trace import TraceBus
from rich.console import Console

STATS = {"ram_used": 1_000, "ram_free": 9_000, "ram_total": 10_000, "ram_largest": 8_000,
         "process_count": 1, "processes": []}


class Sensor:
    """An SHT31 as the view sees it; counts how often its values are read."""
    name, MODEL = "env", "sht31"

    def __init__(self) -> None:
        self.temperature_c = 21.5
        self.reads = 0

    def values(self) -> dict[str, Any]:
        self.reads += 1
        return {"temperature_c": self.temperature_c, "humidity_pct": 40.0, "address": 0x44}


class Oled:
    """An SSD1306 as the view sees it: 64 rows of 128 pixels."""
    name, MODEL = "oled", "ssd1306"

    def __init__(self, image: list[list[int]], on: bool = True) -> None:
        self.image, self.on, self.reads = image, on, 0

    def values(self) -> dict[str, Any]:
        return {"address": 0x3C, "external_vcc": False}

    def is_on(self) -> bool:
        return self.on

    def pixels(self) -> list[list[int]]:
        self.reads += 1
        return [list(row) for row in self.image]


def framed() -> list[list[int]]:
    """A 128x64 image with a one-pixel frame round its edge."""
    image = [[0] * 128 for _ in range(64)]
    for x in range(128):
        image[0][x] = image[63][x] = 1
    for row in image:
        row[0] = row[127] = 1
    return image


def view_of(*devices: Any, parts: list[dict] | None = None) -> tuple[LiveView, TraceBus]:
    bus = TraceBus(lambda: 5_000)
    view = LiveView("esp32-devkit", parts or [], ["GPIO2"], lambda: {"t_ns": 5_000, **STATS},
                    devices=devices)
    view.attach(bus)
    return view, bus


def text(view: LiveView, width: int = 170, height: int = 60, styles: bool = False) -> str:
    console = Console(record=True, width=width, height=height, file=io.StringIO(),
                      force_terminal=True, color_system="truecolor")
    console.print(view.render())
    return console.export_text(styles=styles)


# ---------------------------------------------------------------------------- half blocks

def test_half_blocks_pair_two_pixel_rows_per_character() -> None:
    assert half_block_rows([[1, 0, 1, 0],
                            [0, 0, 1, 1]], 4) == ["▀ █▄"]


def test_a_shrunk_image_keeps_thin_lines_and_its_aspect() -> None:
    image = [[0] * 128 for _ in range(64)]
    for row in image:
        row[1] = 1                                   # a one-pixel vertical line
    image[63][127] = 1                               # the bottom-right pixel
    rows = half_block_rows(image, 64)
    assert len(rows) == 16 and {len(r) for r in rows} == {64}   # 64 x 32 pixels
    assert all(r[0] == "█" for r in rows)
    assert rows[-1][-1] == "▄" and rows[0][-1] == " "


# ---------------------------------------------------------------------------- the devices band

def test_a_wide_terminal_shows_the_whole_display_one_column_per_pixel() -> None:
    view, _ = view_of(Oled(framed()))
    lines = text(view).splitlines()
    top = "█" + "▀" * 126 + "█"
    bottom = "█" + "▄" * 126 + "█"
    first = next(i for i, line in enumerate(lines) if top in line)
    assert bottom in lines[first + 31]                  # 64 pixel rows in 32 lines
    assert all(re.search(r"│█ {126}█│", line) for line in lines[first + 1:first + 31])
    assert "oled (on)" in lines[first - 1]


def test_a_small_terminal_shrinks_the_display_to_fit() -> None:
    view, _ = view_of(Oled(framed()))
    frame = text(view, width=100, height=40)
    drawn = [line for line in frame.splitlines() if "█" in line and "▀" in line]
    assert drawn and all(len(line) <= 100 for line in frame.splitlines())
    width = max(len(m) for line in drawn for m in re.findall(r"█▀+█", line))
    assert 16 <= width < 128


def test_a_display_that_is_off_says_so() -> None:
    view, _ = view_of(Oled([[0] * 128 for _ in range(64)], on=False))
    assert "oled (off)" in text(view)


def test_device_values_are_listed_and_read_again_each_frame() -> None:
    sensor = Sensor()
    view, bus = view_of(sensor, Oled(framed()))
    frame = text(view)
    for words in (["env", "sht31"], ["temperature_c", "21.5"], ["humidity_pct", "40"],
                  ["address", "0x44"], ["oled", "ssd1306"], ["address", "0x3C"],
                  ["external_vcc", "no"]):
        assert re.search(r"\s+".join(words), frame), words
    sensor.temperature_c = 23.25
    assert re.search(r"temperature_c\s+23.25", text(view))


def test_device_reads_follow_frames_not_events() -> None:
    sensor, oled = Sensor(), Oled(framed())
    view, bus = view_of(sensor, oled)
    for i in range(1_000):
        bus.publish("device", "env", {"temperature_c": 20 + i / 100})
    assert (sensor.reads, oled.reads) == (0, 0)
    text(view)
    text(view)
    assert (sensor.reads, oled.reads) == (2, 2)


def test_without_devices_there_is_no_devices_band() -> None:
    view, _ = view_of()
    assert "devices" not in text(view)


# ---------------------------------------------------------------------------- LEDs and events

LED = {"name": "LED", "kind": "led", "pin": "GPIO2", "color": "blue"}


def test_an_led_on_pwm_shows_its_brightness_dimmed_in_its_colour() -> None:
    view, bus = view_of(parts=[LED])
    bus.publish("part", "LED", "on")
    assert "\x1b[34m●" in text(view, styles=True)          # blue (0, 0, 128)
    bus.publish("part", "LED", "42%")           # peripherals/parts.py Led on a PWM pin
    assert re.search(r"● LED\s+GPIO2 42%", text(view))
    dimmed = re.search(r"\x1b\[38;2;(\d+);(\d+);(\d+)m●", text(view, styles=True))
    assert dimmed
    red, green, blue = (int(g) for g in dimmed.groups())
    assert red == green == 0 and 0 < blue < 128              # still blue, darker
    bus.publish("part", "LED", "off")
    assert re.search(r"○ LED\s+GPIO2 off", text(view))


@pytest.mark.parametrize(("kind", "source", "value", "shown"), [
    ("i2c", "i2c:GPIO21/GPIO22",
     {"addr": 0x44, "write": b"\x24\x00", "read": b"", "ack": True, "freq_hz": 100_000,
      "duration_ns": 290_000}, "i2c:GPIO21/GPIO22 0x44 w 24 00"),
    ("i2c", "i2c:GPIO21/GPIO22",
     {"addr": 0x3C, "write": b"", "read": b"", "ack": False, "freq_hz": 100_000,
      "duration_ns": 110_000}, "i2c:GPIO21/GPIO22 0x3C NACK"),
    ("spi", "spi:GPIO18/GPIO23/GPIO19",
     {"cs": "GPIO5", "device": "flash", "mosi": bytes(10), "miso": b"\xff" * 10, "mode": 0,
      "freq_hz": 1_000_000, "duration_ns": 80_000},
     "spi:GPIO18/GPIO23/GPIO19 flash mosi 00 00 00 00 00 00 00 00 … "
     "miso ff ff ff ff ff ff ff ff …"),
    ("pwm", "GPIO2", {"duty": 0.25, "freq_hz": 5_000, "channel": 0},
     "GPIO2 PWM 25.0 % at 5,000 Hz"),
    ("pwm", "GPIO2", {"duty": 0.0, "freq_hz": 0, "channel": None}, "GPIO2 PWM off"),
    ("device", "env", {"temperature_c": 22.5}, "env temperature_c 22.5"),
])
def test_bus_events_read_as_one_line(kind: str, source: str, value: dict, shown: str) -> None:
    view, bus = view_of()
    bus.publish(kind, source, value)
    assert shown in text(view, width=260)


def test_a_busy_bus_folds_into_one_entry() -> None:
    view, bus = view_of()
    for _ in range(3):
        bus.publish("i2c", "i2c:GPIO21/GPIO22", {"addr": 0x44, "write": b"", "read": b"\x01",
                                                 "ack": True, "freq_hz": 100_000,
                                                 "duration_ns": 200_000})
    assert "i2c:GPIO21/GPIO22 0x44 r 01 (×3)" in text(view)


def test_a_simulation_hands_the_view_its_fitted_chips(tmp_path: Path) -> None:
    parts = tmp_path / "parts.toml"
    parts.write_text('[[i2c_device]]\nname = "env"\nmodel = "sht31"\nsda = "GPIO21"\n'
                     'scl = "GPIO22"\ntemperature_c = 21.5\n'
                     '[[analog]]\nname = "pot"\npin = "GPIO34"\nvolts = 1.65\n')
    board = get_board("esp32-devkit").with_parts(load_parts_file(parts))
    images = Path(__file__).resolve().parent.parent / "firmware_images"
    sim = Simulation(board, [str(images / "hello_world.avm")])
    frame = text(live_view_for(sim))
    assert re.search(r"env\s+sht31", frame) and re.search(r"temperature_c\s+21.5", frame)
    assert re.search(r"pot\s+analog", frame) and re.search(r"volts\s+1.65", frame)


def test_device_values_are_shown_as_readings_not_float_dumps():
    from avmsim.live_view import format_value
    shown = [format_value("temperature_c", v) for v in (23.6976, 101325.0, 45.0, 0.0125, -0.25)]
    assert shown == ["23.7", "101325", "45", "0.0125", "-0.25"]
