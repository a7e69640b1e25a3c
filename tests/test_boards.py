"""Boards as data: every board file loads and is consistent with itself (pins, parts, UARTs,
memory map, RAM heaps, flash partitions), pins convert from AtomVM's spellings, parts files
load and are checked against the board, and ``avmsim boards [BOARD]`` shows all of it."""
from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import avmsim.boards
import pytest
from avmsim.boards import (
    Board,
    BoardDefinitionError,
    PartsFileError,
    PartSpec,
    UnknownBoardError,
    UnknownPinError,
    _load,
    all_boards,
    compact_pins,
    expand_pins,
    get_board,
)
from avmsim.boards.parts_file import load_parts_file
from avmsim.cli import main
from avmsim.exit_codes import Exit
from avmsim.ram import RamAllocator

BOARDS = all_boards()
DEVICE_BOARDS = [b for b in BOARDS.values() if b.platform != "generic_unix"]
# atomvm:platform() values (AtomVM libs/eavmlib atomvm.erl platform_name())
PLATFORMS = {"esp32", "stm32", "pico", "generic_unix"}


# ----------------------------------------------------------------------------- loading

def test_every_board_file_loads_under_its_own_name() -> None:
    files = sorted(p.stem for p in Path(avmsim.boards.__file__).parent.glob("*.toml"))
    assert sorted(BOARDS) == files
    assert {"esp32-devkit", "esp32-c3-devkitm", "nucleo-f429zi", "pico",
            "generic-unix"} <= set(BOARDS)
    for board in BOARDS.values():
        assert board.platform in PLATFORMS, board.name
        assert board.cycles_per_instruction > 0
        assert board.memory.flash == (board.flash_base, board.flash_bytes)


@pytest.mark.parametrize("name, platform, cores, mhz", [
    ("esp32-devkit", "esp32", 2, 240),
    ("esp32-c3-devkitm", "esp32", 1, 160),   # AtomVM says esp32 for the whole family
    ("nucleo-f429zi", "stm32", 1, 180),
    ("pico", "pico", 2, 133),                # the RP2 port answers `pico`
    ("generic-unix", "generic_unix", 1, 1000),
])
def test_board_identity(name: str, platform: str, cores: int, mhz: int) -> None:
    board = get_board(name)
    assert (board.platform, board.cores, board.clock_hz // 1_000_000) == (platform, cores, mhz)


def test_unknown_board_lists_the_known_ones() -> None:
    with pytest.raises(UnknownBoardError) as err:
        get_board("esp8266")
    assert "pico" in str(err.value) and "nucleo-f429zi" in str(err.value)


# ----------------------------------------------------------------------------- pins

@pytest.mark.parametrize("name, count, present, absent", [
    ("esp32-devkit", 34, ["GPIO0", "GPIO19", "GPIO21", "GPIO27", "GPIO32", "GPIO39"],
     ["GPIO20", "GPIO24", "GPIO28", "GPIO31", "GPIO40"]),
    ("esp32-c3-devkitm", 22, ["GPIO0", "GPIO9", "GPIO21"], ["GPIO22"]),
    ("nucleo-f429zi", 114, ["PA0", "PB7", "PG15", "PH0", "PH1"], ["PH2", "PI0", "PK7"]),
    ("pico", 30, ["GPIO0", "GPIO25", "GPIO29"], ["GPIO30"]),
    ("generic-unix", 0, [], ["GPIO0"]),
])
def test_pins_expand_to_what_the_chip_has(name: str, count: int, present: list[str],
                                          absent: list[str]) -> None:
    pins = get_board(name).pins
    assert len(pins) == count == len(set(pins))
    assert all(p in pins for p in present)
    assert not any(p in pins for p in absent)


def test_pin_ranges_expand_and_compact_back() -> None:
    pins = expand_pins(["GPIO0-2", "gpio5", "PH0-1"])
    assert pins == ("GPIO0", "GPIO1", "GPIO2", "GPIO5", "PH0", "PH1")
    assert compact_pins(pins) == ["GPIO0-2", "GPIO5", "PH0-1"]
    esp32 = get_board("esp32-devkit")
    assert compact_pins(esp32.pins) == ["GPIO0-19", "GPIO21-23", "GPIO25-27", "GPIO32-39"]


@pytest.mark.parametrize("specs, message", [
    (["GPIO0-3", "GPIO2"], "twice"),
    (["GPIO5-3"], "empty"),
    (["GPIO"], "not a pin"),
])
def test_bad_pin_lists_are_refused(specs: list[str], message: str) -> None:
    with pytest.raises(BoardDefinitionError, match=message):
        expand_pins(specs)


def test_pins_by_number_on_number_boards() -> None:
    esp32 = get_board("esp32-devkit")
    assert esp32.pin_for_number(2) == "GPIO2"
    with pytest.raises(UnknownPinError) as err:
        esp32.pin_for_number(20)
    assert isinstance(err.value, KeyError)
    assert "esp32-devkit" in str(err.value) and "GPIO20" in str(err.value)
    assert "GPIO21-23" in str(err.value)          # says which pins exist
    with pytest.raises(UnknownPinError):
        esp32.pin_for_number(-1)
    with pytest.raises(UnknownPinError):
        esp32.pin_for_number(True)                 # type: ignore[arg-type]
    with pytest.raises(UnknownPinError, match="by number"):
        esp32.pin_for_port("b", 7)
    assert get_board("pico").pin_for_number(25) == "GPIO25"


def test_pins_by_port_on_stm32() -> None:
    nucleo = get_board("nucleo-f429zi")
    assert nucleo.pin_naming == "port_pin"
    assert nucleo.pin_for_port("b", 7) == "PB7"
    assert nucleo.pin_for_port("C", 13) == "PC13"
    with pytest.raises(UnknownPinError, match="PI0"):
        nucleo.pin_for_port("i", 0)                # port I is not on the LQFP144
    with pytest.raises(UnknownPinError, match="port letter"):
        nucleo.pin_for_port("bb", 1)
    with pytest.raises(UnknownPinError, match="by port"):
        nucleo.pin_for_number(7)


# ----------------------------------------------------------------------------- parts, UARTs

@pytest.mark.parametrize("name, expected", [
    ("esp32-devkit", {("led", "LED", "GPIO2", False, None), ("button", "BOOT", "GPIO0", True, "up")}),
    ("esp32-c3-devkitm", {("led", "RGB", "GPIO8", False, None),
                          ("button", "BOOT", "GPIO9", True, "up")}),
    ("nucleo-f429zi", {("led", "LD1", "PB0", False, None), ("led", "LD2", "PB7", False, None),
                       ("led", "LD3", "PB14", False, None),
                       ("button", "B1", "PC13", False, "down")}),
    ("pico", {("led", "LED", "GPIO25", False, None)}),
    ("generic-unix", set()),
])
def test_parts_fitted_on_each_board(name: str, expected: set) -> None:
    parts = get_board(name).parts
    assert {(p.kind, p.name, p.pin, p.active_low, p.pull) for p in parts} == expected


def test_parts_and_uarts_sit_on_existing_pins() -> None:
    for board in BOARDS.values():
        for part in board.parts:
            assert part.pin in board.pins, (board.name, part)
        for uart in board.uarts:
            assert {uart.tx, uart.rx} - {None} <= set(board.pins), (board.name, uart)
        assert len({u.name for u in board.uarts}) == len(board.uarts)


@pytest.mark.parametrize("name, console, tx, rx", [
    ("esp32-devkit", "UART0", "GPIO1", "GPIO3"),
    ("esp32-c3-devkitm", "UART0", "GPIO21", "GPIO20"),
    ("nucleo-f429zi", "USART3", "PD8", "PD9"),
])
def test_console_uart(name: str, console: str, tx: str, rx: str) -> None:
    uart = get_board(name).console_uart
    assert uart is not None and (uart.name, uart.tx, uart.rx) == (console, tx, rx)


def test_consoles_that_are_not_uarts() -> None:
    pico = get_board("pico")            # AtomVM's RP2 build prints to USB CDC
    assert pico.console == "USB_CDC" and pico.console_uart is None
    assert [(u.name, u.tx, u.rx) for u in pico.uarts] == [("UART0", "GPIO0", "GPIO1"),
                                                          ("UART1", "GPIO4", "GPIO5")]
    assert get_board("generic-unix").console_uart is None


# ----------------------------------------------------------------------------- memory map

def _overlaps(spans: list[tuple[str, int, int]]) -> list[tuple[str, str]]:
    ordered = sorted(spans, key=lambda s: s[1])
    return [(a[0], b[0]) for a, b in pairwise(ordered) if a[1] + a[2] > b[1]]


def _covered(start: int, size: int, banks: list[tuple[int, int]]) -> bool:
    """Whether [start, start+size) lies in the union of the banks (adjacent banks join)."""
    pos = start
    for base, length in sorted(banks):
        if base <= pos < base + length:
            pos = base + length
        if pos >= start + size:
            return True
    return False


@pytest.mark.parametrize("board", DEVICE_BOARDS, ids=lambda b: b.name)
def test_memory_map_windows_do_not_overlap(board: Board) -> None:
    flash_base, flash_size = board.memory.flash
    spans = [("flash", flash_base, flash_size)]
    spans += [(r.name, r.base, r.size) for r in board.memory.sram]
    spans += [(w.name, w.base, w.size) for w in board.memory.mmio]
    assert all(size > 0 for _, _, size in spans)
    assert _overlaps(spans) == []
    assert any(w.model.endswith("gpio") or w.model == "rp2040_sio" for w in board.memory.mmio)
    uart_windows = {w.name for w in board.memory.mmio}
    assert {u.name for u in board.uarts} <= uart_windows      # every UART is mapped


@pytest.mark.parametrize("name, banks", [
    ("esp32-devkit", {"SRAM0": (0x40070000, 192), "SRAM1": (0x3FFE0000, 128),
                      "SRAM2": (0x3FFAE000, 200)}),
    ("nucleo-f429zi", {"SRAM1": (0x20000000, 112), "SRAM2": (0x2001C000, 16),
                       "SRAM3": (0x20020000, 64), "CCM": (0x10000000, 64)}),
    ("pico", {"SRAM0-3": (0x20000000, 256), "SRAM4": (0x20040000, 4),
              "SRAM5": (0x20041000, 4)}),
])
def test_sram_banks_at_their_real_addresses(name: str, banks: dict) -> None:
    board = get_board(name)
    assert {r.name: (r.base, r.size // 1024) for r in board.memory.sram} == banks
    assert sum(r.size for r in board.memory.sram) == board.sram_bytes


@pytest.mark.parametrize("name, window, base", [
    ("esp32-devkit", "GPIO", 0x3FF44000), ("esp32-devkit", "UART0", 0x3FF40000),
    ("esp32-c3-devkitm", "GPIO", 0x60004000), ("esp32-c3-devkitm", "UART0", 0x60000000),
    ("nucleo-f429zi", "GPIOA", 0x40020000), ("nucleo-f429zi", "GPIOK", 0x40022800),
    ("nucleo-f429zi", "USART3", 0x40004800), ("nucleo-f429zi", "RCC", 0x40023800),
    ("pico", "SIO", 0xD0000000), ("pico", "IO_BANK0", 0x40014000), ("pico", "UART0", 0x40034000),
])
def test_mmio_windows_at_their_real_addresses(name: str, window: str, base: int) -> None:
    windows = {w.name: w.base for w in get_board(name).memory.mmio}
    assert windows[window] == base


@pytest.mark.parametrize("board", DEVICE_BOARDS, ids=lambda b: b.name)
def test_heap_regions_lie_in_the_sram_map_and_boot(board: Board) -> None:
    assert board.ram is not None and board.ram.regions
    banks = [(r.base, r.size) for r in board.memory.sram]
    for region in board.ram.regions:
        assert _covered(region.start, region.size, banks), (board.name, region.name)
    assert _overlaps([(r.name, r.start, r.size) for r in board.ram.regions]) == []
    ram = RamAllocator.for_board(board)
    assert 0 < ram.largest_free_block <= ram.free_bytes <= ram.budget <= board.ram.region_bytes


@pytest.mark.parametrize("board", DEVICE_BOARDS, ids=lambda b: b.name)
def test_sram_is_accounted_for(board: Board) -> None:
    """Heaps plus what the firmware keeps add up to the chip's SRAM (RTC memory, outside
    sram_bytes, excepted): a typo in an address or size shows here."""
    heaps = sum(r.size for r in board.ram.regions if r.kind != "RTCRAM")
    assert heaps + sum(n for _, n in board.ram.firmware) == board.sram_bytes


# ----------------------------------------------------------------------------- flash

@pytest.mark.parametrize("board", list(BOARDS.values()), ids=lambda b: b.name)
def test_partitions_fit_the_flash(board: Board) -> None:
    assert {"boot_avm", "main_avm"} <= set(board.partitions)
    spans = [(n, p.offset, p.size) for n, p in board.partitions.items()]
    assert _overlaps(spans) == []
    assert all(p.offset >= 0 and p.offset + p.size <= board.flash_bytes
               for p in board.partitions.values())


@pytest.mark.parametrize("name, boot, main_", [
    ("esp32-c3-devkitm", 0x1D0000, 0x250000),   # same layout as esp32-devkit
    ("pico", 0x10100000, 0x10180000),           # rp2 main.c LIB_AVM / MAIN_AVM
])
def test_packs_at_atomvm_addresses(name: str, boot: int, main_: int) -> None:
    board = get_board(name)
    base = board.flash_base if board.platform != "esp32" else 0
    assert base + board.partitions["boot_avm"].offset == boot
    assert base + board.partitions["main_avm"].offset == main_


def test_stm32_app_pack_at_0x08080000() -> None:
    nucleo = get_board("nucleo-f429zi")
    assert nucleo.flash_base + nucleo.partitions["main_avm"].offset == 0x08080000
    assert nucleo.flash_base + nucleo.flash_bytes == 0x08200000


# ----------------------------------------------------------------------------- chip facts

def test_esp32_chip_info_facts() -> None:
    for name, model in (("esp32-devkit", "esp32"), ("esp32-c3-devkitm", "esp32_c3")):
        board = get_board(name)
        chip = board.chip
        assert chip["model"] == model and chip["cores"] == board.cores
        assert set(chip["features"]) <= {"emb_flash", "bgn", "ble", "bt"}
        assert isinstance(chip["revision"], int)
        assert re.fullmatch(r"24:0A:C4(:[0-9A-F]{2}){3}", chip["mac"])
    assert get_board("esp32-devkit").chip["features"] == ["bt", "ble", "bgn"]
    assert get_board("esp32-c3-devkitm").chip["features"] == ["ble", "bgn"]
    assert get_board("nucleo-f429zi").chip["model"] == "STM32F429ZIT6"
    assert get_board("pico").chip["model"] == "RP2040"


# ----------------------------------------------------------------------------- board files

_MINIMAL = """
name = "t"
description = "test board"
platform = "esp32"
core = "x"
cores = 1
clock_hz = 1
word_size = 4
sram_bytes = 0
flash_bytes = 4096
flash_base = 0
cycles_per_instruction = 1
console = "UART0"
pins = ["GPIO0-3"]
"""


def test_board_file_with_a_part_on_a_missing_pin_is_refused() -> None:
    with pytest.raises(PartsFileError, match=r"t\.toml: led 'L' is on GPIO9"):
        _load(_MINIMAL + '[[parts.led]]\nname = "L"\npin = "GPIO9"\n', "t.toml")


def test_board_file_with_a_uart_on_a_missing_pin_is_refused() -> None:
    with pytest.raises(BoardDefinitionError, match="GPIO7"):
        _load(_MINIMAL + '[[uarts]]\nname = "UART0"\ntx = "GPIO7"\n', "t.toml")


def test_board_file_with_an_unknown_pin_naming_is_refused() -> None:
    with pytest.raises(BoardDefinitionError, match="pin_naming"):
        _load(_MINIMAL.replace('pins =', 'pin_naming = "bcm"\npins ='), "t.toml")


def test_board_defaults_keep_minimal_boards_valid() -> None:
    board = _load(_MINIMAL.replace('pins = ["GPIO0-3"]\n', ""), "t.toml")
    assert (board.pins, board.parts, board.uarts, board.chip) == ((), (), (), {})
    assert board.memory.flash == (0, 4096) and board.pin_naming == "number"


# ----------------------------------------------------------------------------- parts files

PARTS = """
[[led]]
name = "red"
pin = "GPIO4"
active = "high"
color = "red"
[[button]]
name = "b1"
pin = "GPIO15"
active = "low"
pull = "up"
[[switch]]
name = "sw"
pin = "gpio16"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "parts.toml"
    path.write_text(text)
    return path


def test_parts_file_loads(tmp_path: Path) -> None:
    parts = load_parts_file(_write(tmp_path, PARTS))
    assert parts == (
        PartSpec("led", "red", "GPIO4", active_low=False, color="red"),
        PartSpec("button", "b1", "GPIO15", active_low=True, pull="up"),
        PartSpec("switch", "sw", "GPIO16"),       # pin names are case-insensitive
    )


def test_parts_are_wired_onto_a_board(tmp_path: Path) -> None:
    esp32 = get_board("esp32-devkit")
    wired = esp32.with_parts(load_parts_file(_write(tmp_path, PARTS)))
    assert [p.name for p in wired.parts] == ["LED", "BOOT", "red", "b1", "sw"]
    assert [p.name for p in esp32.parts] == ["LED", "BOOT"]      # the board is unchanged
    stm = get_board("nucleo-f429zi").with_parts(
        load_parts_file(_write(tmp_path, '[[led]]\nname = "ext"\npin = "pe9"\n')))
    assert stm.parts[-1].pin == "PE9"


@pytest.mark.parametrize("text, message", [
    ('[[lamp]]\nname = "x"\npin = "GPIO4"\n', "unknown part kind 'lamp'"),
    ('[[led]]\npin = "GPIO4"\n', r"\[\[led\]\] #1: needs a name"),
    ('[[led]]\nname = "x"\n', r"\('x'\): needs a pin"),
    ('[[led]]\nname = "x"\npin = "GPIO4"\nactive = "on"\n', "active must be"),
    ('[[button]]\nname = "x"\npin = "GPIO4"\npull = "sideways"\n', "pull must be"),
    ('[[button]]\nname = "x"\npin = "GPIO4"\ncolor = "red"\n', "unknown key color"),
    ('[[led]]\nname = "a"\npin = "GPIO4"\n[[button]]\nname = "A"\npin = "GPIO5"\n',
     "button 'A' has the same name as led 'a'"),
    ('led = "GPIO4"\n', "must be an array of tables"),
    ('[[led]\nname = "x"\n', "not valid TOML"),
])
def test_bad_parts_files_say_what_and_where(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PartsFileError, match=message) as err:
        load_parts_file(path)
    assert str(path) in str(err.value)
    assert isinstance(err.value, ValueError)


def test_parts_on_pins_the_board_lacks_name_file_and_part(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[led]]\nname = "red"\npin = "GPIO20"\n')
    with pytest.raises(PartsFileError) as err:
        get_board("esp32-devkit").with_parts(load_parts_file(path))
    text = str(err.value)
    assert str(path) in text and "led 'red'" in text and "GPIO20" in text
    with pytest.raises(PartsFileError, match="PB0-15"):             # GPIO names on an STM32
        get_board("nucleo-f429zi").with_parts(
            load_parts_file(_write(tmp_path, '[[led]]\nname = "x"\npin = "GPIO4"\n')))


def test_part_names_must_not_clash_with_the_boards(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[led]]\nname = "led"\npin = "GPIO4"\n')
    with pytest.raises(PartsFileError) as err:
        get_board("esp32-devkit").with_parts(load_parts_file(path))
    assert str(path) in str(err.value) and "'LED' on GPIO2" in str(err.value)


def test_missing_parts_file_is_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_parts_file(tmp_path / "nope.toml")


# ----------------------------------------------------------------------------- avmsim boards

def test_boards_command_lists_every_board_with_its_parts(capsys) -> None:
    assert main(["boards"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(BOARDS)
    by_name = {line.split()[0]: line for line in lines}
    assert "520 KiB" in by_name["esp32-devkit"]
    assert "LED (led, GPIO2)" in by_name["esp32-devkit"]
    assert "BOOT (button, GPIO0)" in by_name["esp32-devkit"]
    assert "B1 (button, PC13)" in by_name["nucleo-f429zi"]
    assert by_name["pico"].split()[1] == "pico"
    assert "parts" not in by_name["generic-unix"]


def test_boards_command_describes_pico(capsys) -> None:
    assert main(["boards", "pico"]) == 0
    out = capsys.readouterr().out
    ram = RamAllocator.for_board(get_board("pico"))
    assert out.startswith("pico: Raspberry Pi Pico")
    assert f"free at boot {ram.free_bytes:,} bytes" in out
    assert "newlib-nano" in out
    assert re.search(r"boot_avm\s+0x10100000", out) and re.search(r"main_avm\s+0x10180000", out)
    assert "Pins (30;" in out and "GPIO0-29" in out
    assert re.search(r"led\s+LED\s+GPIO25\s+active high, green", out)
    assert "console: USB_CDC" in out and re.search(r"UART0\s+tx GPIO0 rx GPIO1", out)
    assert re.search(r"SIO\s+0xd0000000\s+\+0x1000\s+rp2040_sio", out)
    assert "model RP2040" in out


def test_boards_command_describes_an_stm32_and_an_unlimited_board(capsys) -> None:
    assert main(["boards", "nucleo-f429zi"]) == 0
    out = capsys.readouterr().out
    assert "{b, 7} means PB7" in out and "PA0-15" in out and "PH0-1" in out
    assert re.search(r"USART3\s+tx PD8 rx PD9, 115200 baud\s+console", out)
    assert main(["boards", "generic-unix"]) == 0
    out = capsys.readouterr().out
    assert "no budget" in out and "free at boot" not in out


def test_boards_command_unknown_board_is_status_10(capsys) -> None:
    assert main(["boards", "esp8266"]) == Exit.UNKNOWN_BOARD
    assert "unknown board 'esp8266'" in capsys.readouterr().err
