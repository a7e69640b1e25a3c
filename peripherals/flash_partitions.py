"""The board's flash partitions as ESP-IDF's partition API sees them (``esp_partition_*``).

The partition table is AtomVM's ``src/platforms/esp32/partitions.csv``: each partition of the
board file gets that table's label, type and subtype (``PARTITION_KINDS``). Reads and writes go
through the Machine's flash, so that what one boot wrote the next one reads, as on the device.
Flash is NOR flash: programming can only clear bits (new = old AND data, as
``esp_partition_write`` without an erase does); erasing sets whole 4 KiB sectors back to 0xFF.
"""
from __future__ import annotations

from typing import Any, NamedTuple

SECTOR = 4096   # SPI_FLASH_SEC_SIZE: esp_partition_erase_range works in whole sectors
ERASED_BYTE = 0xFF

APP, DATA = 0, 1   # esp_partition_type_t
CUSTOM_DATA = 0x80   # first data subtype ESP-IDF leaves to applications: other board partitions
PARTITION_KINDS: dict[str, tuple[str, int, int]] = {
    # board name: (label, type, subtype), from AtomVM's partitions.csv
    "nvs": ("nvs", DATA, 0x02),          # data, nvs
    "phy_init": ("phy_init", DATA, 0x01),
    "factory": ("factory", APP, 0x00),   # app, factory
    "boot_avm": ("boot.avm", DATA, 0x01),  # data, phy (AtomVM's choice for its packs)
    "main_avm": ("main.avm", DATA, 0x01),
}


class PartitionInfo(NamedTuple):
    """One entry of the partition table, as ``esp:partition_list/0`` reports it."""
    name: str       # the board file's name
    label: str
    type: int
    subtype: int
    offset: int     # from the start of flash (esp_partition_t.address)
    size: int


class FlashRangeError(ValueError):
    """A range outside the partition, or an erase not on sector boundaries
    (ESP-IDF answers ``ESP_ERR_INVALID_ARG``)."""


class FlashPartitions:
    """The partitions of one board over its Machine's flash.

    ``machine`` is duck-typed: ``flash_address(name)``, ``read(address, size)``,
    ``read_partition(name)`` (the programmed prefix) and ``write_partition(name, data, origin)``.
    """

    def __init__(self, machine: Any, partitions: dict[str, Any]) -> None:
        self.machine = machine
        self.table = sorted(
            (PartitionInfo(name, *PARTITION_KINDS.get(name, (name, DATA, CUSTOM_DATA)),
                           part.offset, part.size) for name, part in partitions.items()),
            key=lambda p: p.offset)

    def find_data(self, label: str) -> PartitionInfo | None:
        """``esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ANY, label)``."""
        return next((p for p in self.table if p.label == label and p.type == DATA), None)

    def by_name(self, name: str) -> PartitionInfo:
        return next(p for p in self.table if p.name == name)

    # --- access, in partition offsets
    def read(self, part: PartitionInfo, offset: int, size: int) -> bytes:
        self._check(part, offset, size)
        return self.machine.read(self.machine.flash_address(part.name) + offset, size)

    def program(self, part: PartitionInfo, offset: int, data: bytes) -> None:
        """Write without erasing: each bit can only go from 1 to 0."""
        self._check(part, offset, len(data))
        old = self.read(part, offset, len(data))
        self._store(part, offset, bytes(a & b for a, b in zip(old, data)))

    def erase(self, part: PartitionInfo, offset: int, size: int) -> None:
        self._check(part, offset, size)
        if offset % SECTOR or size % SECTOR:
            raise FlashRangeError(f"erase of {size} bytes at {offset:#x}: not whole sectors")
        self._store(part, offset, bytes([ERASED_BYTE]) * size)

    def replace(self, part: PartitionInfo, image: bytes) -> None:
        """Erase the whole partition and program ``image`` at its start (a flash tool's write)."""
        self._check(part, 0, len(image))
        self._store(part, 0, image + bytes([ERASED_BYTE]) * (part.size - len(image)))

    def _check(self, part: PartitionInfo, offset: int, size: int) -> None:
        if offset < 0 or size < 0 or offset + size > part.size:
            raise FlashRangeError(f"{size} bytes at {offset:#x} is outside partition "
                                  f"{part.label} ({part.size} bytes)")

    def _store(self, part: PartitionInfo, offset: int, data: bytes) -> None:
        """Program through the Machine, which keeps the partition's programmed prefix."""
        length = max(len(self.machine.read_partition(part.name)), offset + len(data))
        base = self.machine.flash_address(part.name)
        image = bytearray(self.machine.read(base, length))
        image[offset:offset + len(data)] = data
        self.machine.write_partition(part.name, bytes(image), part.label)
