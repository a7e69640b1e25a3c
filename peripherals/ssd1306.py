"""Solomon Systech SSD1306 OLED controller driving a 128x64 panel, at command level.

Reference: SSD1306 data sheet rev 1.1 (8.1.3 4-wire SPI, 8.1.5 I2C, 8.7 GDDRAM, 9 command
table, 10 command descriptions).

Model names: ``ssd1306`` on I2C (address 0x3C with SA0 low, 0x3D high) and ``ssd1306_spi`` on
4-wire SPI. On I2C each transfer is a control byte (bit 7 Co, bit 6 D/C#) and then: with Co=0
every following byte, commands (D/C#=0) or display data (D/C#=1) until the STOP; with Co=1
one byte, then another control byte. On SPI the D/C# pin's level at each byte says data (1)
or command (0); the class declares its pins in ``EXTRA_PINS`` (``dc`` required, ``rst``
optional: the parts file's keys, in :attr:`pins` by role) and reads D/C# as
``self.pin_level(self.dc_pin)`` at each byte. While RES# reads low the chip is held in reset
and ignores bytes; a reset pulse given between transfers goes unseen (the model gets no pin
events), which only matters to a driver that relies on reset values without sending them.
A command's argument bytes may come in later transfers (MicroPython sends each command byte
in a transfer of its own), so the parser keeps its state across them.
Neither bus reads anything back: the serial interfaces are write-only (I2C reads 0xFF).

Commands: display off/on (AE/AF), memory addressing mode (20: horizontal, vertical, page),
column and page windows (21, 22), page-mode pointer (B0-B7, 00-0F, 10-1F), start line
(40-7F), segment remap (A0/A1), COM scan direction (C0/C8), contrast (81), entire display on
(A4/A5), normal/inverse (A6/A7), multiplex ratio (A8), display offset (D3), charge pump
(8D), clock (D5), pre-charge (D9), COM pins (DA), VCOMH (DB), NOP (E3). The scrolling
commands (26/27, 29/2A, 2E/2F, A3) are accepted with their arguments and stored; scrolling
is not rendered. Unknown opcodes are taken as one-byte commands and ignored.

GDDRAM is 8 pages x 128 columns; bit n of a page-p byte is row 8p+n. Horizontal mode runs
along the column window then to the next page of the page window, vertical mode down the
page window then to the next column, page mode along the column window on one page (the
window is 0..127 unless 21h changed it); B0-B7 and 00-1F move the pointer in any mode.

The view: :meth:`pixels` gives the 64 rows of 128 pixels the panel shows. The panel is
mounted as on the common 0.96" modules: upright when the driver sets segment remap (A1) and
COM scan remapped (C8), as MicroPython's, Adafruit's and u8g2's drivers do (A0/C0 shows the
image turned by 180°): panel row y (0 at the top) is COM 63-y, and panel column x is
SEG 127-x. COM i shows row counter k = (c + offset) mod 64, with c = i (C0) or
N-1-i (C8, N the multiplex ratio), lit only when k < N, and row counter k shows GDDRAM row
(start line + k) mod 64. The COM pins setting (DA) is stored; the panel is taken as wired
for its own setting (alternative, 0x12, as every 128x64 driver sends). Contrast is not shown.
The panel is dark unless the display is on (AF) and powered: the charge pump on (8D 14) or
``external_vcc`` set.

Properties:

============ ==== ======= ============ ======================================================
name         unit default range        meaning
============ ==== ======= ============ ======================================================
address      —    0x3C    0x3C .. 0x3D I2C address (``ssd1306`` only)
external_vcc —    false   bool         panel VCC from outside, not from the charge pump
============ ==== ======= ============ ======================================================
"""
from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from avmsim.peripherals.device_model import DeviceModel, I2cDevice, Prop, SpiDevice

WIDTH, HEIGHT, PAGES = 128, 64, 8
HORIZONTAL, VERTICAL, PAGE = 0, 1, 2


class Command(NamedTuple):
    """Opcodes first..last: how many argument bytes follow, and what they set.

    A command either stores a setting under ``name`` (its argument, its arguments as a tuple
    when there are several, or the opcode's bits in ``mask``) or, when the class has a method
    ``_do_<name>``, calls it with the opcode and arguments."""
    first: int
    last: int
    args: int
    name: str
    mask: int = 0


COMMANDS = (
    Command(0x00, 0x0F, 0, "lower_column"),
    Command(0x10, 0x1F, 0, "higher_column"),
    Command(0x20, 0x20, 1, "addressing_mode"),
    Command(0x21, 0x21, 2, "column_window"),
    Command(0x22, 0x22, 2, "page_window"),
    Command(0x26, 0x27, 6, "horizontal_scroll"),
    Command(0x29, 0x2A, 5, "diagonal_scroll"),
    Command(0x2E, 0x2F, 0, "scrolling", 0x01),
    Command(0x40, 0x7F, 0, "start_line", 0x3F),
    Command(0x81, 0x81, 1, "contrast"),
    Command(0x8D, 0x8D, 1, "charge_pump"),
    Command(0xA0, 0xA1, 0, "segment_remap", 0x01),
    Command(0xA3, 0xA3, 2, "vertical_scroll_area"),
    Command(0xA4, 0xA5, 0, "entire_on", 0x01),
    Command(0xA6, 0xA7, 0, "inverse", 0x01),
    Command(0xA8, 0xA8, 1, "multiplex"),
    Command(0xAE, 0xAF, 0, "display_on", 0x01),
    Command(0xB0, 0xB7, 0, "page_pointer"),
    Command(0xC0, 0xCF, 0, "com_remapped", 0x08),
    Command(0xD3, 0xD3, 1, "display_offset"),
    Command(0xD5, 0xD5, 1, "clock"),
    Command(0xD9, 0xD9, 1, "precharge"),
    Command(0xDA, 0xDA, 1, "com_pins"),
    Command(0xDB, 0xDB, 1, "vcomh"),
)
NOP = Command(0xE3, 0xE3, 0, "nop")
DECODE: tuple[Command, ...] = tuple(
    next((c for c in COMMANDS if c.first <= op <= c.last), NOP) for op in range(256))

# power-on values of the settings (data sheet section 9 "Reset" column)
RESET_SETTINGS: dict[str, int] = {
    "addressing_mode": PAGE, "scrolling": 0, "start_line": 0, "contrast": 0x7F,
    "charge_pump": 0x10, "segment_remap": 0, "entire_on": 0, "inverse": 0, "multiplex": 63,
    "display_on": 0, "com_remapped": 0, "display_offset": 0, "clock": 0x80,
    "precharge": 0x22, "com_pins": 0x12, "vcomh": 0x20,
}


class Ssd1306Chip(DeviceModel):
    """The controller: command parser, GDDRAM and its pointer, and what the panel shows."""

    MODEL: ClassVar[str] = "ssd1306"
    PROPERTIES: ClassVar[dict[str, Prop]] = {
        "external_vcc": Prop(False, doc="panel VCC supplied from outside", kind=bool),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.ram = [bytearray(WIDTH) for _ in range(PAGES)]    # GDDRAM, page by page
        super().__init__(*args, **kwargs)

    def reset(self) -> None:
        """RES#: settings to their reset values; GDDRAM keeps its content (data sheet 8.9)."""
        super().reset()
        self.settings: dict[str, Any] = dict(RESET_SETTINGS)
        self._columns = (0, WIDTH - 1)
        self._pages = (0, PAGES - 1)
        self._column = 0
        self._page = 0
        self._pending: Command | None = None     # a command waiting for argument bytes
        self._opcode = 0
        self._args: list[int] = []

    # ------------------------------------------------------------ the two byte streams
    def command(self, byte: int) -> None:
        """A byte received with D/C# low: an opcode or the next argument of one."""
        if self._pending is None:
            cmd = DECODE[byte]
            if cmd.args == 0:
                self._execute(cmd, byte, ())
                return
            self._pending, self._opcode, self._args = cmd, byte, []
            return
        self._args.append(byte)
        if len(self._args) == self._pending.args:
            cmd, self._pending = self._pending, None
            self._execute(cmd, self._opcode, tuple(self._args))

    def data(self, byte: int) -> None:
        """A byte received with D/C# high: into GDDRAM at the pointer, which advances."""
        self.ram[self._page][self._column] = byte
        mode = self.settings["addressing_mode"]
        if mode == VERTICAL:
            self._page, carry = self._step(self._page, self._pages)
            if carry:
                self._column, _ = self._step(self._column, self._columns)
            return
        self._column, carry = self._step(self._column, self._columns)
        if carry and mode == HORIZONTAL:
            self._page, _ = self._step(self._page, self._pages)

    @staticmethod
    def _step(value: int, window: tuple[int, int]) -> tuple[int, bool]:
        """One step within [start, end]: the new value and whether it wrapped."""
        return (window[0], True) if value >= window[1] else (value + 1, False)

    def _execute(self, cmd: Command, opcode: int, args: tuple[int, ...]) -> None:
        action = getattr(self, f"_do_{cmd.name}", None)
        if action is not None:
            action(opcode, args)
        elif not args:
            self.settings[cmd.name] = opcode & cmd.mask
        else:
            self.settings[cmd.name] = args[0] if len(args) == 1 else args

    def _do_nop(self, _op: int, _args: tuple[int, ...]) -> None:
        """E3 (and any opcode the controller does not know): nothing."""

    # ------------------------------------------------------------ pointer commands
    def _do_addressing_mode(self, _op: int, args: tuple[int, ...]) -> None:
        mode = args[0] & 0x03
        self.settings["addressing_mode"] = PAGE if mode == 3 else mode   # 11b is invalid

    def _do_lower_column(self, op: int, _args: tuple[int, ...]) -> None:
        self._column = (self._column & 0xF0) | (op & 0x0F)

    def _do_higher_column(self, op: int, _args: tuple[int, ...]) -> None:
        self._column = ((op & 0x07) << 4) | (self._column & 0x0F)

    def _do_page_pointer(self, op: int, _args: tuple[int, ...]) -> None:
        self._page = op & 0x07

    def _do_column_window(self, _op: int, args: tuple[int, ...]) -> None:
        self._columns = (args[0] & 0x7F, args[1] & 0x7F)
        self._column = self._columns[0]

    def _do_page_window(self, _op: int, args: tuple[int, ...]) -> None:
        self._pages = (args[0] & 0x07, args[1] & 0x07)
        self._page = self._pages[0]

    # ------------------------------------------------------------ what the panel shows
    def is_on(self) -> bool:
        """The panel lights: display on (AF) and VCC there (charge pump on, or external)."""
        powered = bool(self.settings["charge_pump"] & 0x04) or self.prop("external_vcc")
        return bool(self.settings["display_on"]) and powered

    def pixels(self) -> list[list[int]]:
        """64 rows (top first) of 128 pixels (left first), 1 = lit, as the panel shows them."""
        if not self.is_on():
            return [[0] * WIDTH for _ in range(HEIGHT)]
        s = self.settings
        rows = max((s["multiplex"] & 0x3F) + 1, 16)         # ratios below 16 are invalid
        columns = range(WIDTH) if s["segment_remap"] else range(WIDTH - 1, -1, -1)
        lit_row = [1] * WIDTH
        dark_row = [0] * WIDTH
        flip = 1 if s["inverse"] else 0
        image = []
        for y in range(HEIGHT):
            com = HEIGHT - 1 - y                              # the module's mounting
            scan = rows - 1 - com if s["com_remapped"] else com
            k = (scan + s["display_offset"]) % HEIGHT
            if k >= rows:
                image.append(list(dark_row))
            elif s["entire_on"]:
                image.append(list(lit_row))
            else:
                line = (s["start_line"] + k) % HEIGHT
                page, bit = divmod(line, 8)
                ram = self.ram[page]
                image.append([((ram[c] >> bit) & 1) ^ flip for c in columns])
        return image


class Ssd1306(Ssd1306Chip, I2cDevice):
    """An SSD1306 on I2C: control bytes say what the following bytes are."""

    MODEL = "ssd1306"
    PROPERTIES = {**Ssd1306Chip.PROPERTIES,
                  "address": Prop(0x3C, 0x3C, 0x3D, "I2C address (SA0 low 0x3C, high 0x3D)",
                                  int)}

    def reset(self) -> None:
        super().reset()
        self._expect_control = True
        self._is_data = False
        self._single = False

    def i2c_start(self, read: bool) -> bool:
        self._expect_control = True
        return True

    def i2c_write(self, byte: int) -> bool:
        if self._expect_control:
            self._single = bool(byte & 0x80)
            self._is_data = bool(byte & 0x40)
            self._expect_control = False
            return True
        (self.data if self._is_data else self.command)(byte)
        self._expect_control = self._single
        return True


class Ssd1306Spi(Ssd1306Chip, SpiDevice):
    """An SSD1306 on 4-wire SPI: the D/C# pin says what each byte is."""

    MODEL = "ssd1306_spi"
    EXTRA_PINS: ClassVar[dict[str, bool]] = {"dc": True, "rst": False}

    @property
    def dc_pin(self) -> str | None:
        """The D/C# pin's name (parts file ``dc``)."""
        return self.pins.get("dc")

    @property
    def rst_pin(self) -> str | None:
        """The RES# pin's name (parts file ``rst``), or None when it is not wired."""
        return self.pins.get("rst")

    def spi_exchange(self, mosi: int) -> int:
        if self.rst_pin is not None and not self.pin_level(self.rst_pin):
            self.reset()                                  # held in reset: byte ignored
            return 0xFF
        is_data = self.dc_pin is not None and self.pin_level(self.dc_pin)
        (self.data if is_data else self.command)(mosi)
        return 0xFF
