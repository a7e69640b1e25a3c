"""World files: several boards, their apps and the wires between them, as one TOML file.

``avmsim world.toml`` runs every board listed (docs/network.md, "World files")::

    [[board]]
    name = "sensor"               # unique; prefixes its console, names it in traces
    board = "esp32-devkit"        # a board from 'avmsim boards'
    packs = ["sensor.avm"]        # the app: .avm/.beam files, relative to this file
    parts = "sensor-parts.toml"   # optional: a parts file (as --parts)
    nvs = "sensor.nvs"            # optional: keep its NVS partition in this file (as --nvs)
    lib = "esp32boot.avm"         # optional: another standard library (as --lib)
    seed = 7                      # optional: atomvm:random/0's seed (default: its position)
    mac = "24:0A:C4:00:32:05"     # optional: its base MAC (default: the board's, + 4 × position)

    [[board]]
    name = "hub"
    board = "esp32-devkit"
    packs = ["hub.avm"]

    [[wire]]                      # sensor's UART2 TX line to hub's UART2 RX line
    from = "sensor:UART2"         # a UART by name, or its TX pin ("sensor:GPIO17")
    to = "hub:UART2"              # a UART by name, or its RX pin ("hub:GPIO16")

    [[wifi]]                      # access points every board's radio hears
    ssid = "home"                 # keys as --wifi: psk, auth, channel, rssi, bssid, subnet,
    psk = "secret"                # hidden, default (peripherals/wifi_config.py)

A wire carries one direction; two wires cross-connect a pair of UARTs. Paths are relative
to the world file. Every mistake is one :class:`WorldFileError` naming the file — with the
line where TOML reports it, or where the board or wire that is wrong starts — and the key.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from avmsim.boards import Board, UnknownBoardError, get_board
from avmsim.boards.parts_file import PartsFileError, load_parts_file
from avmsim.peripherals.wifi import RadioWorld
from avmsim.peripherals.wifi_config import access_point

from .run_cmd import UsageError

BOARD_KEYS = {"name", "board", "packs", "parts", "nvs", "lib", "seed", "mac"}
WIRE_KEYS = {"from", "to"}
TABLES = ("board", "wire", "wifi")
NAME = re.compile(r"[A-Za-z0-9_-]+")
MAC = re.compile(r"[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")
MACS_PER_CHIP = 4
"""An ESP32 takes four MACs from its base: station, soft-AP, Bluetooth, Ethernet
(ESP-IDF ``esp_read_mac``), so boards of one kind get bases four apart."""


class WorldFileError(UsageError):
    """A world file is malformed or names something that does not exist."""


@dataclass(frozen=True)
class WorldBoard:
    """One board of the world, with everything resolved against the world file.

    ``board`` is the board definition with the parts file and the MAC applied, renamed to
    the board's name in the world: its trace events, its IP stack (``--forward
    tcp:8080:sensor:80``) and its radio go by that name. ``kind`` is the definition's own."""
    name: str
    kind: str
    board: Board
    packs: tuple[str, ...]
    nvs: Path | None
    lib: str | None
    seed: int


@dataclass(frozen=True)
class Wire:
    """A UART's TX line on one board to a UART's RX line on another (or the same) board."""
    src: str
    src_uart: str
    dst: str
    dst_uart: str


@dataclass(frozen=True)
class WorldSpec:
    path: Path
    boards: tuple[WorldBoard, ...]
    wires: tuple[Wire, ...]
    access_points: tuple[dict[str, Any], ...]   # the [[wifi]] tables, checked

    def radio_world(self) -> RadioWorld:
        """A fresh radio world with the declared access points and, unless one took its
        SSID, the default open AP (peripherals/wifi.py)."""
        return _radio_world(self.access_points)


def load_world_file(path: str | Path) -> WorldSpec:
    """Read and check the world file at ``path``; raises :class:`WorldFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")   # a missing file: FileNotFoundError, as apps
    except UnicodeDecodeError as exc:
        raise WorldFileError(f"{path}: not a TOML text file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        where = f"{path}:{at.group(1)}" if at else str(path)
        raise WorldFileError(f"{where}: not valid TOML: {exc}") from None
    return _Parser(path, text).world(data)


class _Parser:
    """Checks the tables of one world file; knows where each table starts in the text."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.base = path.parent
        self.lines = text.splitlines()
        self.starts: dict[str, list[int]] = {kind: [] for kind in TABLES}
        for number, line in enumerate(self.lines, 1):
            header = re.match(r"\s*\[\[\s*(\w+)\s*\]\]", line)
            if header and header.group(1) in self.starts:
                self.starts[header.group(1)].append(number)

    def fail(self, kind: str, index: int, key: str | None, message: str) -> WorldFileError:
        """An error in the ``index``-th ``[[kind]]`` table, at ``key``'s line when found."""
        line = self._line(kind, index, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        return WorldFileError(f"{where}: {message}")

    def _line(self, kind: str, index: int, key: str | None) -> int | None:
        starts = self.starts[kind]
        if index >= len(starts):
            return None
        start = starts[index]
        if key is None:
            return start
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if re.match(r"\s*\[", line):
                break
            if re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number
        return start

    # ------------------------------------------------------------------ tables
    def world(self, data: dict[str, Any]) -> WorldSpec:
        unknown = sorted(set(data) - set(TABLES))
        if unknown:
            raise WorldFileError(f"{self.path}: unknown table or key {', '.join(unknown)} "
                                 "(a world file has [[board]], [[wire]] and [[wifi]])")
        tables = {kind: self._array(data, kind) for kind in TABLES}
        if not tables["board"]:
            raise WorldFileError(f"{self.path}: no [[board]] table: a world needs a board")
        boards: list[WorldBoard] = []
        for index, entry in enumerate(tables["board"]):
            board = self.board(index, entry)
            if any(b.name == board.name for b in boards):
                raise self.fail("board", index, "name", f"board name '{board.name}' is "
                                "used twice: each board needs a name of its own")
            boards.append(board)
        wires = tuple(self.wire(i, entry, boards) for i, entry in enumerate(tables["wire"]))
        return WorldSpec(self.path, tuple(boards), wires, self.access_points(tables["wifi"]))

    def access_points(self, tables: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
        """The ``[[wifi]]`` tables, checked as ``--wifi`` options are
        (peripherals/wifi_config.py): each alone, then together (an SSID declared twice)."""
        for count in range(1, len(tables) + 1):
            try:
                _radio_world(tables[:count])
            except (ValueError, TypeError) as exc:
                key = str(exc).split(":", 1)[0]
                raise self.fail("wifi", count - 1, key if key in tables[count - 1] else None,
                                f"wifi #{count}: {exc}") from None
        return tuple(tables)

    def _array(self, data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
        value = data.get(kind, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise WorldFileError(f"{self.path}: '{kind}' must be an array of tables "
                                 f"([[{kind}]])")
        return value

    def board(self, index: int, entry: dict[str, Any]) -> WorldBoard:
        name = entry.get("name")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise self.fail("board", index, "name", f"board #{index + 1}: needs a name of "
                            "letters, digits, '_' and '-' (name = \"sensor\")")

        def fail(key: str, message: str) -> WorldFileError:
            return self.fail("board", index, key, f"board '{name}': {key}: {message}")

        unknown = sorted(set(entry) - BOARD_KEYS)
        if unknown:
            raise fail(unknown[0], f"unknown key (keys: {', '.join(sorted(BOARD_KEYS))})")
        kind = entry.get("board")
        if not isinstance(kind, str):
            raise fail("board", "needs the kind of board (board = \"esp32-devkit\")")
        try:
            board = get_board(kind)
        except UnknownBoardError as exc:
            raise fail("board", str(exc)) from None
        packs = entry.get("packs")
        if (not isinstance(packs, list) or not packs
                or not all(isinstance(p, str) for p in packs)):
            raise fail("packs", "needs a list of .avm/.beam files (packs = [\"app.avm\"])")
        packs = [self._existing(p, fail, "packs") for p in packs]
        for pack in packs:
            if not pack.endswith((".avm", ".beam")):
                raise fail("packs", f"{pack} is not an AVM or a BEAM file")
        if "parts" in entry:
            parts = self._existing(self._text(entry, "parts", fail), fail, "parts")
            try:
                board = board.with_parts(load_parts_file(parts), parts)
            except PartsFileError as exc:
                raise fail("parts", str(exc)) from None
        board = self._with_mac(board, entry.get("mac"), index, fail)
        nvs = self.base / self._text(entry, "nvs", fail) if "nvs" in entry else None
        if nvs is not None and (board.platform != "esp32" or "nvs" not in board.partitions):
            raise fail("nvs", f"board {kind} has no NVS partition")
        lib = (self._existing(self._text(entry, "lib", fail), fail, "lib")
               if "lib" in entry else None)
        seed = entry.get("seed", index)
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise fail("seed", f"must be an integer, not {seed!r}")
        return WorldBoard(name, kind, replace(board, name=name), tuple(packs), nvs, lib, seed)

    @staticmethod
    def _text(entry: dict[str, Any], key: str, fail: Any) -> str:
        value = entry[key]
        if not isinstance(value, str):
            raise fail(key, f"must be a file name, not {value!r}")
        return value

    def _existing(self, name: str, fail: Any, key: str) -> str:
        path = self.base / name
        if not path.is_file():
            raise fail(key, f"no such file {path}")
        return str(path)

    @staticmethod
    def _with_mac(board: Board, mac: Any, index: int, fail: Any) -> Board:
        """The board with its base MAC: ``mac`` when given, else the board file's shifted
        by :data:`MACS_PER_CHIP` per position, so that no two boards of a world share one."""
        if mac is not None:
            if not isinstance(mac, str) or not MAC.fullmatch(mac):
                raise fail("mac", f"must be six hex bytes like \"24:0A:C4:00:32:01\", not {mac!r}")
            text = mac.upper()
        elif "mac" in board.chip:
            base = int(board.chip["mac"].replace(":", ""), 16)
            nic = (base + MACS_PER_CHIP * index) & 0xFFFFFF       # the OUI stays
            value = (base & ~0xFFFFFF) | nic
            text = ":".join(f"{b:02X}" for b in value.to_bytes(6, "big"))
        else:
            return board
        return replace(board, chip={**board.chip, "mac": text})

    def wire(self, index: int, entry: dict[str, Any], boards: list[WorldBoard]) -> Wire:
        def fail(key: str | None, message: str) -> WorldFileError:
            return self.fail("wire", index, key, f"wire #{index + 1}: {message}")

        unknown = sorted(set(entry) - WIRE_KEYS)
        if unknown:
            raise fail(unknown[0], f"unknown key {unknown[0]} (a wire has from and to)")
        by_name = {b.name: b for b in boards}
        ends = []
        for key, line in (("from", "tx"), ("to", "rx")):
            value = entry.get(key)
            if not isinstance(value, str) or ":" not in value:
                raise fail(key, f"{key} must be \"BOARD:UART\" (\"sensor:UART1\") or "
                           f"\"BOARD:PIN\" (its {line.upper()} pin)")
            name, _, end = value.partition(":")
            if name not in by_name:
                raise fail(key, f"{key}: no board named '{name}' (boards: "
                           f"{', '.join(by_name)})")
            uart = _uart_at(by_name[name].board, end, line)
            if uart is None:
                names = ", ".join(u.name for u in by_name[name].board.uarts) or "none"
                raise fail(key, f"{key}: board '{name}' ({by_name[name].kind}) has no "
                           f"UART '{end}' nor a UART with {line.upper()} on that pin "
                           f"(UARTs: {names})")
            ends.append((name, uart))
        (src, src_uart), (dst, dst_uart) = ends
        return Wire(src, src_uart, dst, dst_uart)


def _radio_world(tables: Any) -> RadioWorld:
    """The radio world of ``[[wifi]]`` tables (ValueError/TypeError naming the key)."""
    world = RadioWorld(default_ap=False)
    for table in tables:
        world.add(access_point(table))
    world.add_default_ap()
    return world


def _uart_at(board: Board, end: str, line: str) -> str | None:
    """The UART ``end`` names on ``board``: by its name, or by its ``line`` ("tx"/"rx") pin."""
    for uart in board.uarts:
        if end in (uart.name, getattr(uart, line)):
            return uart.name
    return None
