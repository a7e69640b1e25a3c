"""The SSD1306 model (avmsim.peripherals.ssd1306) against the SSD1306 data sheet (control
bytes 8.1.5, GDDRAM 8.7, addressing modes 10.1.3-10.1.5, display settings 10.1.x) and the
way a typical driver (MicroPython's ssd1306.py) talks to it, on I2C and SPI."""
from __future__ import annotations

import pytest
from avmsim.peripherals.device_models import DEVICE_MODELS
from avmsim.peripherals.i2c import I2cBus
from avmsim.peripherals.spi import SpiBus
from avmsim.peripherals.ssd1306 import Ssd1306, Ssd1306Spi
from avmsim.trace import TraceBus

W, H = 128, 64
# MicroPython's ssd1306.py init_display() for a 128x64 panel on the charge pump: display off,
# horizontal addressing, start line 0, segment remap, multiplex 63, COM scan remapped,
# offset 0, COM pins 0x12, clock 0x80, pre-charge 0xF1, VCOMH 0x30, contrast 0xFF, RAM
# display, normal, IREF select (0xAD 0x30, for newer chips), charge pump on, display on
INIT = (0xAE, 0x20, 0x00, 0x40, 0xA1, 0xA8, 0x3F, 0xC8, 0xD3, 0x00, 0xDA, 0x12, 0xD5, 0x80,
        0xD9, 0xF1, 0xDB, 0x30, 0x81, 0xFF, 0xA4, 0xA6, 0xAD, 0x30, 0x8D, 0x14, 0xAF)


def cmd(dev: Ssd1306, *commands: int) -> None:
    """Each command byte in a transfer of its own after control byte 0x80 (Co=1, D/C#=0),
    as MicroPython's write_cmd does."""
    for byte in commands:
        transfer(dev, 0x80, byte)


def data(dev: Ssd1306, payload: bytes | list[int]) -> None:
    """Display data after control byte 0x40 (Co=0, D/C#=1), as write_data does."""
    transfer(dev, 0x40, *payload)


def transfer(dev: Ssd1306, *payload: int) -> None:
    dev.i2c_start(False)
    for byte in payload:
        assert dev.i2c_write(byte)
    dev.i2c_stop()


def initialised() -> Ssd1306:
    dev = Ssd1306("oled")
    cmd(dev, *INIT)
    return dev


def framebuffer(lit: set[tuple[int, int]]) -> bytes:
    """A MONO_VLSB frame (the GDDRAM layout, 8.7): pixel (x, y) is bit y%8 of byte
    x + 128·(y//8)."""
    buf = bytearray(W * H // 8)
    for x, y in lit:
        buf[x + W * (y // 8)] |= 1 << (y % 8)
    return bytes(buf)


def image(lit: set[tuple[int, int]]) -> list[list[int]]:
    return [[1 if (x, y) in lit else 0 for x in range(W)] for y in range(H)]


def show(dev: Ssd1306, lit: set[tuple[int, int]]) -> None:
    """MicroPython's show(): column window 0..127, page window 0..7, then the frame."""
    cmd(dev, 0x21, 0, W - 1, 0x22, 0, H // 8 - 1)
    data(dev, framebuffer(lit))


PATTERN = ({(i, i) for i in range(64)} | {(x, 0) for x in range(W)}
           | {(127, y) for y in range(H)} | {(5, 63), (100, 17)})


def test_init_sequence_turns_the_panel_on_with_nothing_lit() -> None:
    dev = Ssd1306("oled")
    assert not dev.is_on()
    cmd(dev, *INIT[:-1])
    assert not dev.is_on()                                  # everything but AF
    cmd(dev, INIT[-1])
    assert dev.is_on()
    assert dev.pixels() == image(set())


def test_pattern_drawn_in_horizontal_mode_appears_upright() -> None:
    dev = initialised()
    show(dev, PATTERN)
    assert dev.pixels() == image(PATTERN)


def test_pixels_are_64_rows_of_128_ints() -> None:
    rows = initialised().pixels()
    assert len(rows) == 64 and all(len(r) == 128 for r in rows)
    assert {v for r in rows for v in r} == {0}


def test_horizontal_mode_wraps_within_the_column_and_page_windows() -> None:
    dev = initialised()
    cmd(dev, 0x21, 120, 121, 0x22, 6, 7)
    data(dev, [0x01, 0x02, 0x04, 0x08, 0x10])
    # (120,p6) (121,p6) (120,p7) (121,p7) then back to (120,p6), overwriting it
    assert lit_pixels(dev) == {(120, 52), (121, 49), (120, 58), (121, 59)}


def test_vertical_mode_runs_down_the_pages_first() -> None:
    dev = initialised()
    cmd(dev, 0x20, 0x01, 0x21, 16, 17, 0x22, 2, 3)
    data(dev, [0x01, 0x02, 0x04, 0x08])
    assert lit_pixels(dev) == {(16, 16), (16, 25), (17, 18), (17, 27)}


def test_page_mode_addressing() -> None:
    dev = initialised()
    cmd(dev, 0x20, 0x02, 0xB2, 0x03, 0x14)                  # page 2, column 0x43 = 67
    data(dev, [0xFF, 0x81])
    assert lit_pixels(dev) == {(67, y) for y in range(16, 24)} | {(68, 16), (68, 23)}


def test_page_mode_wraps_to_the_start_column_on_the_same_page() -> None:
    dev = initialised()
    cmd(dev, 0x20, 0x02, 0xB5, 0x0F, 0x17)                  # page 5, column 127
    data(dev, [0x01, 0x02])
    assert lit_pixels(dev) == {(127, 40), (0, 41)}


def test_power_on_addressing_mode_is_page_mode() -> None:
    dev = Ssd1306("oled")
    cmd(dev, 0x8D, 0x14, 0xA1, 0xC8, 0xAF, 0xB1)            # no 20h: page mode from reset
    data(dev, [0x01] * 130)
    assert lit_pixels(dev) == {(x, 8) for x in range(W)}


def test_inverse_display() -> None:
    dev = initialised()
    show(dev, PATTERN)
    cmd(dev, 0xA7)
    assert dev.pixels() == [[1 - v for v in row] for row in image(PATTERN)]
    cmd(dev, 0xA6)
    assert dev.pixels() == image(PATTERN)


def test_entire_display_on_ignores_the_ram() -> None:
    dev = initialised()
    cmd(dev, 0xA5)
    assert dev.pixels() == [[1] * W for _ in range(H)]
    cmd(dev, 0xA4)
    assert dev.pixels() == image(set())


def test_display_off_and_charge_pump_off_are_dark() -> None:
    dev = initialised()
    show(dev, PATTERN)
    cmd(dev, 0xAE)
    assert not dev.is_on() and dev.pixels() == image(set())
    cmd(dev, 0xAF, 0x8D, 0x10)
    assert not dev.is_on()
    external = Ssd1306("oled", {"external_vcc": True})
    cmd(external, 0xAF)
    assert external.is_on()


def test_without_remaps_the_image_is_turned_by_180_degrees() -> None:
    dev = initialised()
    cmd(dev, 0xA0, 0xC0)
    show(dev, PATTERN)
    assert dev.pixels() == image({(W - 1 - x, H - 1 - y) for x, y in PATTERN})


def test_segment_remap_alone_mirrors_left_right() -> None:
    dev = initialised()
    cmd(dev, 0xA0)
    show(dev, PATTERN)
    assert dev.pixels() == image({(W - 1 - x, y) for x, y in PATTERN})


def test_start_line_scrolls_the_ram_rows_up() -> None:
    dev = initialised()
    show(dev, PATTERN)
    cmd(dev, 0x48)                                          # start line 8
    assert dev.pixels() == image({(x, (y - 8) % H) for x, y in PATTERN})


def test_rows_past_the_multiplex_ratio_stay_dark() -> None:
    dev = initialised()
    cmd(dev, 0xA8, 47, 0xA5)                                # 48 rows, all lit
    lit_rows = [y for y, row in enumerate(dev.pixels()) if any(row)]
    assert len(lit_rows) == 48


def test_co_bit_single_bytes_then_a_stream() -> None:
    dev = Ssd1306("oled")
    # Co=1 command 8D, Co=1 command 14, Co=1 data 0xFF, then Co=0 commands A1 C8 AF
    transfer(dev, 0x80, 0x8D, 0x80, 0x14, 0xC0, 0xFF, 0x00, 0xA1, 0xC8, 0xAF)
    assert dev.is_on()
    assert lit_pixels(dev) == {(0, y) for y in range(8)}


def test_reads_return_nothing_driven() -> None:
    dev = initialised()
    assert dev.i2c_start(True)
    assert dev.i2c_read() == 0xFF


def test_registry_and_address() -> None:
    assert DEVICE_MODELS["ssd1306"] is Ssd1306 and DEVICE_MODELS["ssd1306_spi"] is Ssd1306Spi
    assert Ssd1306("oled").address() == 0x3C
    assert Ssd1306("oled", {"address": 0x3D}).address() == 0x3D


def lit_pixels(dev: Ssd1306) -> set[tuple[int, int]]:
    return {(x, y) for y, row in enumerate(dev.pixels()) for x, v in enumerate(row) if v}


# ---------------------------------------------------------------- SPI
class Pins:
    """Pin levels the test sets, read by the device as the board's GPIO would give them."""

    def __init__(self) -> None:
        self.levels = {"GPIO16": 0, "GPIO17": 1}

    def __call__(self, pin: str) -> int:
        return self.levels[pin]


def spi_oled(pins: Pins) -> Ssd1306Spi:
    dev = Ssd1306Spi("oled")
    dev.pins = {"dc": "GPIO16", "rst": "GPIO17"}
    dev.pin_level = pins
    return dev


def spi_write(dev: Ssd1306Spi, pins: Pins, dc: int, payload: bytes) -> None:
    pins.levels["GPIO16"] = dc
    dev.spi_select()
    for byte in payload:
        dev.spi_exchange(byte)
    dev.spi_deselect()


def test_spi_dc_pin_says_command_or_data() -> None:
    pins = Pins()
    dev = spi_oled(pins)
    assert Ssd1306Spi.EXTRA_PINS == {"dc": True, "rst": False}
    spi_write(dev, pins, 0, bytes(INIT))
    spi_write(dev, pins, 0, bytes([0x21, 0, 127, 0x22, 0, 7]))
    spi_write(dev, pins, 1, framebuffer(PATTERN))
    assert dev.pixels() == image(PATTERN)


def test_spi_bytes_are_ignored_while_res_is_low() -> None:
    pins = Pins()
    dev = spi_oled(pins)
    spi_write(dev, pins, 0, bytes(INIT))
    pins.levels["GPIO17"] = 0
    spi_write(dev, pins, 1, b"\xff")
    assert not dev.is_on()                                  # held in reset: display off
    pins.levels["GPIO17"] = 1
    spi_write(dev, pins, 0, bytes(INIT))
    assert dev.is_on() and lit_pixels(dev) == set()


def test_through_the_spi_bus() -> None:
    pins = Pins()
    bus = SpiBus("spi:GPIO18/GPIO23/GPIO19", TraceBus(lambda: 0), lambda: 0, pins)
    dev = Ssd1306Spi("oled")
    dev.pins = {"dc": "GPIO16"}
    bus.attach(dev, "GPIO5")
    bus.transfer("GPIO5", bytes(INIT), 8_000_000)
    bus.transfer("GPIO5", bytes([0x21, 0, 127, 0x22, 0, 7]), 8_000_000)
    pins.levels["GPIO16"] = 1
    bus.transfer("GPIO5", framebuffer(PATTERN), 8_000_000)
    assert dev.pixels() == image(PATTERN)


def test_through_the_i2c_bus() -> None:
    bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(lambda: 0), lambda: 0)
    dev = Ssd1306("oled")
    bus.attach(dev)
    for byte in INIT:
        assert bus.transfer(0x3C, bytes([0x80, byte])).ack
    bus.transfer(0x3C, bytes([0x00, 0x21, 0, 127, 0x22, 0, 7]))
    bus.transfer(0x3C, b"\x40" + framebuffer(PATTERN))
    assert dev.pixels() == image(PATTERN)
    assert not bus.transfer(0x3D, b"\x00\xae").ack


@pytest.mark.parametrize("setup", [
    # horizontal scroll: dummy 00, start page, interval, end page, dummy 00, dummy FF
    (0x26, 0x00, 0x00, 0x07, 0x07, 0x00, 0xFF),
    (0x27, 0x00, 0x00, 0x07, 0x07, 0x00, 0xFF),
    # vertical and horizontal scroll: dummy 00, start page, interval, end page, offset 32
    (0x29, 0x00, 0x00, 0x00, 0x07, 0x20),
    (0x2A, 0x00, 0x00, 0x00, 0x07, 0x20),
    # vertical scroll area: 0 fixed rows, 32 scrolled rows
    (0xA3, 0x00, 0x20),
])
def test_scroll_commands_take_their_argument_bytes(setup: tuple[int, ...]) -> None:
    # A7 right after the arguments: a parser taking one byte too many eats it, and one
    # taking too few runs 0x20 (addressing mode), whose argument it would then be
    dev = initialised()
    show(dev, PATTERN)
    cmd(dev, *setup, 0xA7, 0x2F, 0x2E)
    assert dev.pixels() == [[1 - v for v in row] for row in image(PATTERN)]
