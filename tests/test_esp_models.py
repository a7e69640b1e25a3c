"""The ESP32 models alone (no VM): flash partitions, NVS, wake-up sources, task watchdog.

Expected values from the references: AtomVM's partitions.csv (nvs at 0x9000, 0x6000 bytes),
NOR flash (programming clears bits, erasing sets 4 KiB sectors to 0xFF), ESP-IDF NVS geometry
(126 entries of 32 bytes a page, one page kept free, 4000-byte chunks), the ESP32 RTC GPIO
table, ESP-IDF's TWDT (restarts when every user has reset; reports every timeout).
"""
from __future__ import annotations

import pytest

from avmsim.boards import get_board
from avmsim.peripherals.flash_partitions import FlashPartitions, FlashRangeError
from avmsim.peripherals.nvs import (ESP_ERR_NVS_KEY_TOO_LONG, ESP_ERR_NVS_NOT_ENOUGH_SPACE,
                                    ESP_ERR_NVS_NOT_FOUND, NvsError, NvsFormatError, NvsStore,
                                    blob_entries, decode)
from avmsim.peripherals.sleep import WakeSources
from avmsim.peripherals.task_wdt import TaskWatchdog, WdtConfig


class FakeMachine:
    """A flat flash image with the Machine's partition calls."""

    def __init__(self, board) -> None:
        self.partitions = board.partitions
        self.flash = bytearray(b"\xff" * 0x400000)
        self.written: dict[str, int] = {}

    def flash_address(self, name: str) -> int:
        return self.partitions[name].offset

    def read(self, address: int, size: int) -> bytes:
        return bytes(self.flash[address:address + size])

    def read_partition(self, name: str) -> bytes:
        return self.read(self.flash_address(name), self.written.get(name, 0))

    def write_partition(self, name: str, data: bytes, origin: str) -> None:
        base = self.flash_address(name)
        self.flash[base:base + len(data)] = data
        self.written[name] = len(data)


@pytest.fixture
def flash() -> FlashPartitions:
    board = get_board("esp32-devkit")
    return FlashPartitions(FakeMachine(board), board.partitions)


def test_partition_table_follows_atomvm_partitions_csv(flash):
    nvs = flash.find_data("nvs")
    assert (nvs.type, nvs.subtype, nvs.offset, nvs.size) == (1, 2, 0x9000, 0x6000)
    assert flash.find_data("factory") is None          # an app partition
    assert [p.label for p in flash.table] == ["nvs", "factory", "boot.avm", "main.avm"]


def test_nor_flash_programs_by_clearing_bits_and_erases_whole_sectors(flash):
    part = flash.find_data("main.avm")
    flash.program(part, 0, b"\x0f")
    flash.program(part, 0, b"\xf0")
    assert flash.read(part, 0, 2) == b"\x00\xff"
    with pytest.raises(FlashRangeError):
        flash.erase(part, 1, 4096)
    with pytest.raises(FlashRangeError):
        flash.read(part, part.size - 1, 2)
    flash.erase(part, 0, 4096)
    assert flash.read(part, 0, 1) == b"\xff"


def test_nvs_blob_entries_follow_esp_idf_geometry():
    assert blob_entries(0) == 2          # index + one empty chunk header
    assert blob_entries(32) == 3
    assert blob_entries(3968) == 126     # index + header + 124 data entries
    assert blob_entries(4001) == 1 + 2 + 126   # two chunks


def test_nvs_store_namespaces_keys_and_space(flash):
    nvs = NvsStore(flash, flash.find_data("nvs"))
    assert nvs.capacity == 5 * 126
    with pytest.raises(NvsError) as missing:
        nvs.get("app", "k")
    assert (missing.value.code, missing.value.what) == (ESP_ERR_NVS_NOT_FOUND, "namespace")
    nvs.set("app", "k", b"v")
    assert nvs.get("app", "k") == b"v"
    assert decode(nvs.image()) == {"app": {"k": b"v"}}   # it lives in the partition
    with pytest.raises(NvsError) as long_key:
        nvs.set("app", "k" * 16, b"v")
    assert long_key.value.code == ESP_ERR_NVS_KEY_TOO_LONG
    with pytest.raises(NvsError) as full:
        nvs.set("app", "big", b"x" * 20_000)
    assert full.value.code == ESP_ERR_NVS_NOT_ENOUGH_SPACE
    assert nvs.get("app", "k") == b"v"                  # a failed write changes nothing


def test_nvs_mount_rejects_foreign_content(flash):
    part = flash.find_data("nvs")
    nvs = NvsStore(flash, part)
    assert nvs.mount()                                  # erased: an empty store
    flash.program(part, 0, b"junk")
    assert not nvs.mount()
    with pytest.raises(NvsFormatError):
        nvs.load_image(b"junk")
    nvs.erase_partition()
    assert nvs.mount()


def test_wake_sources_follow_the_chip():
    esp32 = WakeSources("esp32")
    assert not esp32.enable_ext0(5, 0)                  # GPIO5 is no RTC GPIO
    assert esp32.enable_ext0(0, 0)
    assert esp32.pin_cause({0: 1}.get) is None
    assert esp32.pin_cause({0: 0}.get) == "ext0"
    assert esp32.enable_ext1((1 << 32) | (1 << 33), 1)  # any high
    assert esp32.pin_cause({0: 1, 32: 0, 33: 1}.get) == "ext1"
    assert not esp32.enable_ext1(1, 2)
    c3 = WakeSources("esp32_c3")
    assert not c3.enable_gpio(1 << 6, 1) and c3.enable_gpio(1 << 5, 0)
    assert c3.pin_cause({5: 0}.get) == "gpio"


class FakeScheduler:
    def __init__(self) -> None:
        self.t = 0
        self.events: list[list] = []

    def now_ns(self) -> int:
        return self.t

    def schedule(self, due: int, action):
        event = [due, action, False]
        self.events.append(event)

        class Handle:
            def cancel(self_inner) -> None:
                event[2] = True
        return Handle()

    def run_until(self, t: int) -> None:
        while True:
            live = sorted((e for e in self.events if not e[2] and e[0] <= t), key=lambda e: e[0])
            if not live:
                break
            event = live[0]
            event[2] = True
            self.t = event[0]
            event[1]()
        self.t = t


def test_task_watchdog_restarts_only_when_every_user_has_reset():
    out: list[bytes] = []
    wdt = TaskWatchdog(2, out.append)
    sched = FakeScheduler()
    wdt.start(sched)
    assert wdt.reconfigure(WdtConfig(1000, 0, False)) == 0
    _, a = wdt.add_user("a")
    _, b = wdt.add_user("b")
    for t in (400, 800, 1200):
        sched.run_until(t * 1_000_000)
        wdt.reset_user(a)                     # b never resets: the timer never restarts
    sched.run_until(2500 * 1_000_000)
    text = b"".join(out).decode()
    assert text.count("Task watchdog got triggered") == 2        # at 1000 ms and 2000 ms
    assert " - b\x1b" in text and " - a\x1b" not in text
    assert "E (1000) task_wdt:" in text and "E (2000) task_wdt:" in text
