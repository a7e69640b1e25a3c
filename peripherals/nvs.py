"""ESP-IDF non-volatile storage (NVS): namespaces of keyed blobs in the ``nvs`` flash partition.

The store is kept in the partition itself (through :class:`FlashPartitions`), so it survives a
reset or a deep sleep; every change rewrites the partition. The partition holds avmsim's own
format, not ESP-IDF's page format (all integers little-endian)::

    "AVMNVS01"  u32 body length  u32 CRC-32 of the body  body  (0xFF up to the partition end)
    body = per namespace: u8 name length, name, u16 key count,
           then per key: u8 key length, key, u32 value length, value

An erased partition (all 0xFF) is an empty store. Anything else that is not this format is
what ESP-IDF calls a partition with no free pages: :meth:`NvsStore.mount` says so and the
caller erases it, as AtomVM's ``nvs_nif_init`` does.

Space follows ESP-IDF's accounting, so a partition fills up when it would on the device: pages
of 4096 bytes hold 126 entries of 32 bytes, one page stays free for garbage collection, a
namespace takes one entry, a blob one index entry plus, per chunk of at most 4000 bytes, a
chunk header and one entry per 32 bytes of data. Names are at most 15 bytes (NVS_KEY_NAME_MAX_SIZE
- 1). Errors carry ESP-IDF's ``esp_err_t`` codes, which AtomVM raises as they are.
"""
from __future__ import annotations

import struct
import zlib
from typing import Any

MAGIC = b"AVMNVS01"
HEADER = struct.Struct("<8sII")
PAGE_BYTES = 4096
ENTRIES_PER_PAGE = 126
ENTRY_BYTES = 32
CHUNK_MAX = ENTRY_BYTES * (ENTRIES_PER_PAGE - 1)   # Page::CHUNK_MAX_SIZE = 4000
MAX_NAME = 15

ESP_ERR_NVS_NOT_FOUND = 0x1102
ESP_ERR_NVS_NOT_ENOUGH_SPACE = 0x1105
ESP_ERR_NVS_KEY_TOO_LONG = 0x1109


class NvsError(Exception):
    """An ESP-IDF NVS failure; ``code`` is its ``esp_err_t``."""

    def __init__(self, code: int, what: str) -> None:
        super().__init__(what)
        self.code = code
        self.what = what


class NvsFormatError(ValueError):
    """Partition bytes that are neither erased nor a store of this format."""


Store = dict[str, dict[str, bytes]]


def blob_entries(size: int) -> int:
    """Entries a blob of ``size`` bytes takes: index, and per chunk a header and its data."""
    chunks = max(1, -(-size // CHUNK_MAX))
    return 1 + chunks + -(-size // ENTRY_BYTES)


def entries_used(store: Store) -> int:
    return sum(1 + sum(blob_entries(len(v)) for v in keys.values()) for keys in store.values())


def encode(store: Store) -> bytes:
    body = bytearray()
    for ns, keys in store.items():
        body += _name(ns) + struct.pack("<H", len(keys))
        for key, value in keys.items():
            body += _name(key) + struct.pack("<I", len(value)) + value
    return HEADER.pack(MAGIC, len(body), zlib.crc32(body)) + bytes(body)


def _name(text: str) -> bytes:
    raw = text.encode()
    return bytes([len(raw)]) + raw


def decode(image: bytes) -> Store:
    """The store in a partition image; :class:`NvsFormatError` when it is not one."""
    if image.count(0xFF) == len(image):
        return {}
    if len(image) < HEADER.size:
        raise NvsFormatError("too short for an NVS image")
    magic, length, crc = HEADER.unpack_from(image)
    body = image[HEADER.size:HEADER.size + length]
    if magic != MAGIC or len(body) != length or zlib.crc32(body) != crc:
        raise NvsFormatError("not an avmsim NVS image (bad magic, length or checksum)")
    try:
        return _decode_body(body)
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise NvsFormatError(f"malformed NVS body: {exc}") from None


def check_image(image: bytes, partition_size: int) -> None:
    """A saved partition image this partition can take; NvsFormatError saying why not."""
    if len(image) > partition_size:
        raise NvsFormatError(f"{len(image)} bytes, more than the {partition_size}-byte "
                             "nvs partition")
    decode(image)


def _decode_body(body: bytes) -> Store:
    store: Store = {}
    pos = 0

    def name() -> str:
        nonlocal pos
        n = body[pos]
        text = body[pos + 1:pos + 1 + n].decode()
        pos += 1 + n
        return text

    while pos < len(body):
        ns = name()
        (count,) = struct.unpack_from("<H", body, pos)
        pos += 2
        keys = store.setdefault(ns, {})
        for _ in range(count):
            key = name()
            (size,) = struct.unpack_from("<I", body, pos)
            keys[key] = body[pos + 4:pos + 4 + size]
            pos += 4 + size
    return store


class NvsStore:
    """The NVS API over one partition: open a namespace, get/set/erase blobs, erase it all."""

    def __init__(self, flash: Any, partition: Any) -> None:
        self.flash = flash
        self.partition = partition
        self.capacity = (partition.size // PAGE_BYTES - 1) * ENTRIES_PER_PAGE

    def image(self) -> bytes:
        return self.flash.read(self.partition, 0, self.partition.size)

    def mount(self) -> bool:
        """``nvs_flash_init``: False when the partition holds something else (no free pages)."""
        try:
            decode(self.image())
        except NvsFormatError:
            return False
        return True

    def erase_partition(self) -> None:
        """``nvs_flash_erase``."""
        self.flash.erase(self.partition, 0, self.partition.size)

    def load_image(self, image: bytes) -> None:
        """Program a saved partition image (``--nvs FILE``); NvsFormatError if it is not one."""
        check_image(image, self.partition.size)
        self.flash.replace(self.partition, image)

    # --- the nvs_* calls AtomVM makes
    def get(self, namespace: str, key: str) -> bytes:
        """``nvs_open(READONLY)`` + ``nvs_get_blob``; NvsError NOT_FOUND for a missing
        namespace (its text ``"namespace"``) or key (``"key"``)."""
        store = self._load()
        if namespace not in store:
            raise NvsError(ESP_ERR_NVS_NOT_FOUND, "namespace")
        if key not in store[namespace]:
            raise NvsError(ESP_ERR_NVS_NOT_FOUND, "key")
        return store[namespace][key]

    def set(self, namespace: str, key: str, value: bytes) -> None:
        store = self._open_rw(namespace)
        _check_name(key)
        store[namespace][key] = bytes(value)
        self._save(store)

    def erase_key(self, namespace: str, key: str) -> None:
        """Erasing a key that is not there is NOT_FOUND (AtomVM turns it into ok)."""
        store = self._open_rw(namespace)
        found = store[namespace].pop(key, None) is not None
        self._save(store)   # nvs_open has created the namespace, found or not
        if not found:
            raise NvsError(ESP_ERR_NVS_NOT_FOUND, "key")

    def erase_all(self, namespace: str) -> None:
        store = self._open_rw(namespace)
        store[namespace].clear()
        self._save(store)

    def _open_rw(self, namespace: str) -> Store:
        """``nvs_open(READWRITE)``: creates the namespace (an entry) when missing."""
        store = self._load()
        if namespace not in store:
            _check_name(namespace)
            store[namespace] = {}
        return store

    def _load(self) -> Store:
        return decode(self.image())

    def _save(self, store: Store) -> None:
        if entries_used(store) > self.capacity:
            raise NvsError(ESP_ERR_NVS_NOT_ENOUGH_SPACE, "not enough space")
        self.flash.replace(self.partition, encode(store))


def _check_name(name: str) -> None:
    if len(name.encode()) > MAX_NAME:
        raise NvsError(ESP_ERR_NVS_KEY_TOO_LONG, f"{name!r} is longer than {MAX_NAME} bytes")
