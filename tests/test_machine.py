"""The Machine: the board's address map in Unicorn, flash programming and read-back, the
MMIO front-ends reaching the peripheral models, and native code run in one slice.

Boards here are small fakes with exactly the attributes the Machine reads, so each test
states the memory map it relies on; one test builds every shipped board.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from unicorn import UC_PROT_EXEC, UC_PROT_READ, UC_PROT_WRITE
from unicorn.arm_const import UC_ARM_REG_R0, UC_ARM_REG_R3, UC_ARM_REG_R4
from unicorn.riscv_const import UC_RISCV_REG_A0, UC_RISCV_REG_SP

from avmsim.boards import MemoryMap, MemRegion, MmioWindow, Partition, RamConfig, all_boards
from avmsim.clock import VirtualClock
from avmsim.machine import (FlashWriteFault, ImageTooLargeError, Machine, MemoryMapError,
                            NativeExecutionError, page_groups)
from avmsim.peripherals.mmio import NO_WINDOW
from avmsim.runner import stdlib_image

RX, RW, RWX = (UC_PROT_READ | UC_PROT_EXEC, UC_PROT_READ | UC_PROT_WRITE,
               UC_PROT_READ | UC_PROT_WRITE | UC_PROT_EXEC)


@dataclass
class FakeBoard:
    name: str
    core: str
    memory: MemoryMap
    partitions: dict[str, Partition]
    platform: str = "fake"
    clock_hz: int = 100_000_000
    cores: int = 1
    ram: RamConfig = field(default_factory=lambda: RamConfig(allocator="host", unlimited=True))
    pins: tuple[str, ...] = ()
    uarts: tuple = ()


class FakeGpio:
    """Records what the front-ends ask; a pin reads what was written or ``levels`` says."""

    def __init__(self, pins: list[str]) -> None:
        self.pins = tuple(pins)
        self.levels = dict.fromkeys(pins, 0)
        self.calls: list[tuple[str, str, object]] = []

    def write(self, pin: str, level: int) -> None:
        self.calls.append(("write", pin, level))
        self.levels[pin] = level

    def read(self, pin: str) -> int:
        return self.levels[pin]  # KeyError for a pin the board lacks, like the model

    def set_mode(self, pin: str, mode: str) -> None:
        self.calls.append(("set_mode", pin, mode))

    def set_pull(self, pin: str, pull: str) -> None:
        self.calls.append(("set_pull", pin, pull))


class FakeUart:
    def __init__(self) -> None:
        self.sent = bytearray()
        self.rx = bytearray()

    def write(self, data: bytes) -> int:
        self.sent += data
        return 0

    def read(self, n: int) -> bytes:
        data = bytes(self.rx[:n])
        del self.rx[:n]
        return data

    def pending(self) -> int:
        return len(self.rx)


STM32 = FakeBoard(
    "fake-stm32", "cortex-m4f",
    MemoryMap(flash=(0x0800_0000, 0x20_0000),
              sram=(MemRegion("SRAM1", 0x2000_0000, 0x1_C000),
                    MemRegion("SRAM2", 0x2001_C000, 0x4000),
                    MemRegion("CCM", 0x1000_0000, 0x1_0000)),
              mmio=(MmioWindow("USART3", 0x4000_4800, 0x400, "stm32_usart"),
                    MmioWindow("GPIOA", 0x4002_0000, 0x400, "stm32_gpio"),
                    MmioWindow("GPIOB", 0x4002_0400, 0x400, "stm32_gpio"),
                    MmioWindow("RCC", 0x4002_3800, 0x400, ""))),
    {"main_avm": Partition(0x8_0000, 0x8_0000)})
STM32_PINS = [f"P{port}{n}" for port in "AB" for n in range(16)]

PICO = FakeBoard(
    "fake-pico", "cortex-m0plus",
    MemoryMap(flash=(0x1000_0000, 0x20_0000), sram=(MemRegion("SRAM", 0x2000_0000, 0x4_2000),),
              mmio=(MmioWindow("UART0", 0x4003_4000, 0x1000, "rp2040_uart"),
                    MmioWindow("SIO", 0xD000_0000, 0x1000, "rp2040_sio"))),
    {"boot_avm": Partition(0x10_0000, 0x8_0000), "main_avm": Partition(0x18_0000, 0x8_0000)})

ESP32 = FakeBoard(
    "fake-esp32", "xtensa-lx6",
    MemoryMap(flash=(0x3F40_0000, 0x40_0000),
              sram=(MemRegion("heap0", 0x3FFA_E6E0, 0x1920),),   # not page aligned
              mmio=(MmioWindow("UART0", 0x3FF4_0000, 0x1000, "esp32_uart"),
                    MmioWindow("GPIO", 0x3FF4_4000, 0x1000, "esp32_gpio"))),
    {"nvs": Partition(0x9000, 0x6000), "boot_avm": Partition(0x1D_0000, 0x8_0000),
     "main_avm": Partition(0x25_0000, 0x10_0000)})
ESP32_PINS = [f"GPIO{n}" for n in (*range(20), 21, 22, 23, 25, 26, 27, *range(32, 40))]

ESP32C3 = FakeBoard(
    "fake-esp32c3", "riscv32-rv32imc",
    MemoryMap(flash=(0x3C00_0000, 0x40_0000), sram=(MemRegion("SRAM1", 0x3FC8_0000, 0x6_0000),),
              mmio=(MmioWindow("GPIO", 0x6000_4000, 0x1000, "esp32c3_gpio"),)),
    {"main_avm": Partition(0x25_0000, 0x10_0000)})


def machine(board: FakeBoard, gpio: object = None, uarts: dict | None = None) -> Machine:
    """A machine whose MMIO windows reach these models (as the board's devices object)."""
    devices = SimpleNamespace(gpio=gpio, uarts=uarts or {})
    return Machine(board, VirtualClock(board.clock_hz, board.cores), devices=devices)


def word(value: int) -> bytes:
    return value.to_bytes(4, "little")


def read_word(m: Machine, address: int) -> int:
    return int.from_bytes(m.read(address, 4), "little")


# --- the address map -------------------------------------------------------------------------

def test_regions_are_mapped_at_the_board_addresses_rounded_to_pages() -> None:
    m = machine(STM32)
    assert sorted(m.uc.mem_regions()) == [
        (0x0800_0000, 0x081F_FFFF, RX),             # flash: read and execute, never write
        (0x1000_0000, 0x1000_FFFF, RWX),            # CCM
        (0x2000_0000, 0x2001_BFFF, RWX),            # SRAM1
        (0x2001_C000, 0x2001_FFFF, RWX),            # SRAM2
        (0x4000_4000, 0x4000_4FFF, RW),             # USART3's 1 KiB window, its whole page
        (0x4002_0000, 0x4002_0FFF, RW),             # GPIOA and GPIOB share one page
        (0x4002_3000, 0x4002_3FFF, RW),             # RCC (no front-end yet)
    ]


def test_unaligned_region_is_rounded_outward_and_holder_core_maps_esp32() -> None:
    m = machine(ESP32)
    assert (0x3FFA_E000, 0x3FFA_FFFF, RWX) in list(m.uc.mem_regions())
    assert (0x3F40_0000, 0x3F7F_FFFF, RX) in list(m.uc.mem_regions())


def test_page_groups_merge_regions_sharing_a_page() -> None:
    a, b, c = (MemRegion("a", 0x1000_0100, 0x100), MemRegion("b", 0x1000_0800, 0x1000),
               MemRegion("c", 0x1000_2000, 0x1000))
    assert page_groups([c, b, a]) == [(0x1000_0000, 0x1000_2000, [a, b]),
                                      (0x1000_2000, 0x1000_3000, [c])]


def test_overlapping_regions_of_different_kinds_are_a_clear_error() -> None:
    bad = FakeBoard("bad", "cortex-m4f",
                    MemoryMap(flash=(0x0800_0000, 0x1000),
                              sram=(MemRegion("SRAM", 0x0800_0000, 0x1000),)), {})
    with pytest.raises(MemoryMapError, match="bad: cannot map SRAM at 0x8000000"):
        machine(bad)


def test_unknown_core_is_a_clear_error() -> None:
    with pytest.raises(MemoryMapError, match="no Unicorn target holds a z80"):
        machine(FakeBoard("odd", "z80", MemoryMap(flash=(0, 0x1000)), {}))


def test_every_shipped_board_maps_its_memory() -> None:
    for board in all_boards().values():
        m = Machine(board, VirtualClock(board.clock_hz, board.cores))
        regions = list(m.uc.mem_regions())
        base, size = board.memory.flash
        assert (base, base + size - 1, RX) in regions, board.name
        for region in (*board.memory.sram, *board.memory.mmio):
            assert any(start <= region.base and region.base + region.size - 1 <= end
                       for start, end, _ in regions), (board.name, region.name)
        partition = next(iter(board.partitions))
        m.write_partition(partition, b"\x01\x02\x03", "probe")
        assert m.read(m.flash_address(partition), 4) == b"\x01\x02\x03\xff"


# --- flash: programming, reading back, faults ------------------------------------------------

def test_flash_reads_back_the_programmed_pack_through_the_address_map() -> None:
    m = machine(ESP32)
    pack = stdlib_image()
    m.write_partition("boot_avm", pack, "atomvmlib.avm")
    assert m.flash_address("boot_avm") == 0x3F40_0000 + 0x1D_0000
    assert m.read_partition("boot_avm") == pack
    assert m.read(m.flash_address("boot_avm"), len(pack)) == pack
    assert m.read(m.flash_address("boot_avm") + len(pack), 16) == b"\xff" * 16  # erased
    assert m.read_partition("main_avm") == b""


def test_image_too_large_for_its_partition_is_refused_and_nothing_is_written() -> None:
    m = machine(ESP32)
    with pytest.raises(ImageTooLargeError, match=r"big\.avm is 24577 bytes; partition nvs of "
                                                 r"board fake-esp32 holds 24576 bytes"):
        m.write_partition("nvs", b"\0" * 0x6001, "big.avm")
    assert m.read_partition("nvs") == b""
    assert m.read(m.flash_address("nvs"), 4) == b"\xff" * 4


def test_hosted_write_into_flash_faults_naming_address_and_partition() -> None:
    m = machine(ESP32)
    m.write_partition("main_avm", b"pack", "app.avm")
    with pytest.raises(FlashWriteFault, match="0x3f650002 \\(partition main_avm\\)") as fault:
        m.write(0x3F65_0002, b"xx")
    assert (fault.value.address, fault.value.partition) == (0x3F65_0002, "main_avm")
    with pytest.raises(FlashWriteFault, match="outside AtomVM's partitions"):
        m.write(0x3F40_0000, b"\0")
    assert m.read_partition("main_avm") == b"pack"


def test_hosted_write_to_sram_reads_back() -> None:
    m = machine(ESP32)
    m.write(0x3FFA_E6E0, b"heap")
    assert m.read(0x3FFA_E6E0, 4) == b"heap"


# --- MMIO front-ends -------------------------------------------------------------------------

GPIOA, GPIOB = 0x4002_0000, 0x4002_0400
MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR = 0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18


def test_stm32_gpio_registers_drive_the_model() -> None:
    gpio = FakeGpio(STM32_PINS)
    m = machine(STM32, gpio=gpio)
    m.write(GPIOB + MODER, word(0x0000_4280))      # PB7 output, PB3/PB4 keep their reset modes
    assert ("set_mode", "PB7", "output") in gpio.calls
    assert ("set_mode", "PB3", "input") in gpio.calls  # alternate function: the latch lets go
    gpio.calls.clear()
    m.write(GPIOB + OTYPER, word(1 << 7))
    m.write(GPIOB + BSRR, word(1 << 7))
    assert gpio.calls == [("set_mode", "PB7", "output_od"), ("write", "PB7", 1)]
    assert read_word(m, GPIOB + ODR) == 0x80
    gpio.levels["PB3"] = 1
    assert read_word(m, GPIOB + IDR) == 0x88
    gpio.calls.clear()
    m.write(GPIOB + BSRR, word((1 << (16 + 7)) | (1 << 2)))   # reset PB7, set PB2
    m.write(GPIOB + ODR, word(0x04))                           # unchanged: no model call
    assert gpio.calls == [("write", "PB2", 1), ("write", "PB7", 0)]
    m.write(GPIOB + PUPDR, word(0x0000_0100 | (0b10 << 14)))   # PB7 pull-down
    assert ("set_pull", "PB7", "down") in gpio.calls and ("set_pull", "PB4", "up") in gpio.calls
    assert read_word(m, GPIOB + PUPDR) == 0x0000_8100


def test_ports_sharing_a_page_reach_their_own_pins() -> None:
    gpio = FakeGpio(STM32_PINS)
    m = machine(STM32, gpio=gpio)
    assert read_word(m, GPIOA + MODER) == 0xA800_0000    # reset value of port A
    m.write(GPIOA + ODR, word(1 << 5))
    m.write(GPIOB + ODR, word(1 << 0))
    assert gpio.calls == [("write", "PA5", 1), ("write", "PB0", 1)]
    assert m.read(GPIOA + ODR, 1) == b"\x20"                     # byte access to a register


def test_unmodelled_accesses_read_zero_and_are_counted() -> None:
    m = machine(STM32, gpio=FakeGpio(STM32_PINS))
    assert read_word(m, GPIOB + OSPEEDR) == 0
    m.write(GPIOB + OSPEEDR, word(3))
    m.write(0x4002_3800, word(1))                       # RCC: a window with no front-end
    assert read_word(m, 0x4000_4000) == 0               # page padding before USART3
    assert m.unmodelled_accesses == {("GPIOB", OSPEEDR, "read"): 1,
                                     ("GPIOB", OSPEEDR, "write"): 1,
                                     ("RCC", 0, "write"): 1,
                                     (NO_WINDOW, 0x4000_4000, "read"): 1}


def test_windows_without_their_model_count_every_access() -> None:
    m = machine(STM32)                                  # no GPIO model, no UARTs given
    m.write(GPIOB + BSRR, word(1 << 7))
    assert read_word(m, 0x4000_4800) == 0
    assert m.unmodelled_accesses == {("GPIOB", BSRR, "write"): 1, ("USART3", 0, "read"): 1}


def test_a_model_error_surfaces_from_hosted_and_native_accesses() -> None:
    class BrokenGpio(FakeGpio):
        def write(self, pin: str, level: int) -> None:
            raise ValueError(f"{pin} is shorted")

    m = machine(STM32, gpio=BrokenGpio(STM32_PINS))
    with pytest.raises(ValueError, match="PB7 is shorted"):
        m.write(GPIOB + BSRR, word(1 << 7))
    assert m.read(GPIOB + IDR, 4) == b"\0" * 4         # nothing left pending
    m = machine(STM32, gpio=BrokenGpio(STM32_PINS))
    m.write_partition("main_avm", LED_ON, "led.bin")
    with pytest.raises(ValueError, match="PB7 is shorted"):
        m.run_native(m.flash_address("main_avm"), 8)


def test_rp2040_sio_set_clear_xor_and_input() -> None:
    gpio = FakeGpio([f"GPIO{n}" for n in range(30)])
    m = machine(PICO, gpio=gpio)
    sio = 0xD000_0000
    m.write(sio + 0x024, word(1 << 25))                # GPIO_OE_SET
    m.write(sio + 0x014, word(1 << 25))                # GPIO_OUT_SET
    assert read_word(m, sio + 0x010) == 1 << 25
    m.write(sio + 0x01C, word((1 << 25) | (1 << 3)))   # GPIO_OUT_XOR
    m.write(sio + 0x018, word(1 << 3))                 # GPIO_OUT_CLR
    m.write(sio + 0x028, word(1 << 25))                # GPIO_OE_CLR
    assert [c for c in gpio.calls if c[1] in ("GPIO3", "GPIO25")] == [
        ("set_mode", "GPIO3", "input"), ("set_mode", "GPIO25", "output"),
        ("write", "GPIO25", 1), ("write", "GPIO3", 1), ("write", "GPIO25", 0),
        ("write", "GPIO3", 0), ("set_mode", "GPIO25", "input")]
    gpio.levels["GPIO15"] = 1
    assert read_word(m, sio + 0x004) == 1 << 15        # GPIO_IN


def test_esp32_gpio_banks_and_pins_the_board_lacks() -> None:
    gpio = FakeGpio(ESP32_PINS)
    m = machine(ESP32, gpio=gpio)
    base = 0x3FF4_4000
    m.write(base + 0x24, word((1 << 2) | (1 << 20)))   # GPIO_ENABLE_W1TS: GPIO20 is not bonded
    m.write(base + 0x08, word((1 << 2) | (1 << 20)))   # GPIO_OUT_W1TS
    m.write(base + 0x14, word(1 << 1))                 # GPIO_OUT1_W1TS: GPIO33
    m.write(base + 0x0C, word(1 << 2))                 # GPIO_OUT_W1TC
    assert [c for c in gpio.calls if c[0] == "write"] == [
        ("write", "GPIO2", 1), ("write", "GPIO33", 1), ("write", "GPIO2", 0)]
    assert ("set_mode", "GPIO2", "output") in gpio.calls
    assert read_word(m, base + 0x04) == 1 << 20        # the latch keeps the bit all the same
    assert read_word(m, base + 0x20) == (1 << 2) | (1 << 20)
    gpio.levels["GPIO39"] = 1
    assert (read_word(m, base + 0x3C), read_word(m, base + 0x40)) == (0, (1 << 1) | (1 << 7))


def test_esp32c3_gpio_drives_its_pins() -> None:
    gpio = FakeGpio([f"GPIO{n}" for n in range(22)])
    m = machine(ESP32C3, gpio=gpio)
    m.write(0x6000_4000 + 0x08, word(1 << 8))          # GPIO_OUT_W1TS
    assert gpio.calls == [("write", "GPIO8", 1)]
    assert read_word(m, 0x6000_4000 + 0x3C) == 1 << 8


@pytest.mark.parametrize("board, window, data, status, idle, waiting", [
    (STM32, "USART3", 0x04, 0x00, 0xC0, 0xE0),         # SR: TXE|TC, then RXNE
    (PICO, "UART0", 0x000, 0x018, 0x90, 0x80),         # UARTFR: TXFE|RXFE, then TXFE
    (ESP32, "UART0", 0x00, 0x1C, 0, 2),                # UART_STATUS_REG: RXFIFO_CNT
])
def test_uart_data_and_status_registers(board: FakeBoard, window: str, data: int, status: int,
                                        idle: int, waiting: int) -> None:
    uart = FakeUart()
    m = machine(board, uarts={window: uart})
    base = next(w.base for w in board.memory.mmio if w.name == window)
    m.write(base + data, word(0x1_48))                 # only the low byte is sent
    m.write(base + data, b"i")                         # a byte store
    assert uart.sent == b"Hi"
    assert read_word(m, base + status) == idle
    uart.rx += b"ok"
    assert read_word(m, base + status) == waiting
    assert [read_word(m, base + data) for _ in range(3)] == [ord("o"), ord("k"), 0]
    assert read_word(m, base + status) == idle


# --- native firmware -------------------------------------------------------------------------

# Thumb-2, hand-encoded (checked against llvm-mc): light LD2 (PB7) on the STM32, read back.
LED_ON = bytes.fromhex(
    "40f20041"   # movw  r1, #0x0400
    "c4f20201"   # movt  r1, #0x4002        r1 = GPIOB
    "4ff48042"   # mov.w r2, #0x4000        MODER7 = output
    "0a60"       # str   r2, [r1, #0x00]    MODER
    "8022"       # movs  r2, #0x80
    "8a61"       # str   r2, [r1, #0x18]    BSRR: set PB7
    "4b69"       # ldr   r3, [r1, #0x14]    ODR
    "0c69"       # ldr   r4, [r1, #0x10]    IDR
    "fee7")      # b     .
STORE_TO_FLASH = bytes.fromhex(
    "40f21000"   # movw  r0, #0x0010
    "c0f60800"   # movt  r0, #0x0808        r0 = 0x08080010, inside main_avm
    "0260"       # str   r2, [r0]
    "fee7")      # b     .
COUNT_UP = bytes.fromhex("0130" * 10 + "fee7")  # adds r0, #1 (x10); b .


def test_native_thumb_code_lights_the_led_through_the_gpio_model() -> None:
    gpio = FakeGpio(STM32_PINS)
    m = machine(STM32, gpio=gpio)
    m.write_partition("main_avm", LED_ON, "led.bin")   # runs in place from flash
    assert m.run_native(m.flash_address("main_avm"), 8, sp=0x2002_0000) == 8
    assert ("set_mode", "PB7", "output") in gpio.calls and ("write", "PB7", 1) in gpio.calls
    assert gpio.levels["PB7"] == 1
    assert (m.uc.reg_read(UC_ARM_REG_R3), m.uc.reg_read(UC_ARM_REG_R4)) == (0x80, 0x80)


def test_native_slice_runs_exactly_its_budget() -> None:
    m = machine(STM32)
    m.write(0x2000_0000, COUNT_UP)                     # runs from SRAM
    m.uc.reg_write(UC_ARM_REG_R0, 0)
    assert m.run_native(0x2000_0000, 7) == 7
    assert m.uc.reg_read(UC_ARM_REG_R0) == 7
    with pytest.raises(ValueError, match="at least one instruction"):
        m.run_native(0x2000_0000, 0)               # Unicorn would run without limit


def test_native_store_into_flash_faults() -> None:
    m = machine(STM32)
    m.write(0x2000_0100, STORE_TO_FLASH)
    with pytest.raises(FlashWriteFault, match="0x08080010 \\(partition main_avm\\)") as fault:
        m.run_native(0x2000_0100, 10)
    assert fault.value.address == 0x0808_0010
    assert m.read(0x0808_0010, 4) == b"\xff" * 4


def test_native_riscv_runs_and_faults_on_flash() -> None:
    m = machine(ESP32C3)
    m.write(0x3FC8_0000, bytes.fromhex("13051500" * 4))  # addi a0, a0, 1 (x4)
    assert m.run_native(0x3FC8_0000, 3, sp=0x3FCD_0000) == 3
    assert (m.uc.reg_read(UC_RISCV_REG_A0), m.uc.reg_read(UC_RISCV_REG_SP)) == (3, 0x3FCD_0000)
    m.write(0x3FC8_0100, bytes.fromhex("3705003c" "2320b500"))  # lui a0, 0x3c000; sw a1, 0(a0)
    with pytest.raises(FlashWriteFault, match="0x3c000000"):
        m.run_native(0x3FC8_0100, 2)


def test_xtensa_board_refuses_native_code() -> None:
    with pytest.raises(NativeExecutionError, match="cannot execute xtensa-lx6 code"):
        machine(ESP32).run_native(0x4008_0000, 10)


def _elf(machine_id: int, entry: int, load: int, code: bytes) -> bytes:
    """A minimal ELF32 little-endian executable: one PT_LOAD segment, no sections."""
    header = struct.pack("<4sBBBB8xHHIIIIIHHHHHH", b"\x7fELF", 1, 1, 1, 0, 2, machine_id, 1,
                         entry, 52, 0, 0, 52, 32, 1, 40, 0, 0)
    segment = struct.pack("<8I", 1, 84, load, load, len(code), len(code), 5, 4)
    return header + segment + code


def test_load_elf_programs_segments_and_returns_the_entry(tmp_path: Path) -> None:
    firmware = tmp_path / "count.elf"
    firmware.write_bytes(_elf(40, 0x0800_0001, 0x0800_0000, COUNT_UP))  # EM_ARM, into flash
    m = machine(STM32)
    entry = m.load_elf(firmware)
    assert entry == 0x0800_0001 and m.read(0x0800_0000, len(COUNT_UP)) == COUNT_UP
    m.uc.reg_write(UC_ARM_REG_R0, 0)
    assert m.run_native(entry, 4) == 4 and m.uc.reg_read(UC_ARM_REG_R0) == 4
    riscv = tmp_path / "riscv.elf"
    riscv.write_bytes(_elf(243, 0x0800_0000, 0x0800_0000, b"\0" * 4))   # EM_RISCV
    with pytest.raises(NativeExecutionError, match="EM_RISCV code; board fake-stm32 runs EM_ARM"):
        m.load_elf(riscv)
    outside = tmp_path / "outside.elf"
    outside.write_bytes(_elf(40, 0x6000_0001, 0x6000_0000, COUNT_UP))
    with pytest.raises(MemoryMapError, match="segment at 0x60000000"):
        m.load_elf(outside)
