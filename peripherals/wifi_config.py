"""Access points declared by the user: ``--wifi 'ssid=home,psk=secret99,rssi=-55'``
(repeatable) and ``--wifi-file aps.toml`` (``[[ap]]`` tables with the same keys).

Keys: ``ssid`` (required), ``psk``, ``auth`` (open, wep, wpa_psk, wpa2_psk, wpa_wpa2_psk,
wpa3_psk, wpa2_wpa3_psk; default wpa2_psk with a psk, open without), ``channel`` (1-13),
``rssi`` (dBm), ``bssid`` (aa:bb:cc:dd:ee:ff), ``subnet`` (default 192.168.1.0/24),
``hidden`` and ``default`` (flags: in ``--wifi`` a bare ``hidden`` means true). Every
mistake is a :class:`WifiConfigError` whose message names the option or file and the key.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Callable

from .wifi import AccessPoint, RadioWorld


class WifiConfigError(ValueError):
    """A declared access point that cannot exist; the message says where and why."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    try:
        return int(_text(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


FLAG_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = FLAG_WORDS.get(str(value).lower())
    if word is None:
        raise ValueError(f"{value!r} is not true or false")
    return word


def _mac(value: Any) -> bytes:
    parts = _text(value).split(":")
    try:
        data = bytes(int(p, 16) for p in parts if len(p) == 2)
    except ValueError:
        data = b""
    if len(data) != 6 or len(parts) != 6:
        raise ValueError(f"{value!r} is not a MAC address like 02:61:76:6d:00:01")
    return data


KEYS: dict[str, Callable[[Any], Any]] = {
    "ssid": _text, "psk": _text, "auth": _text, "channel": _int, "rssi": _int,
    "bssid": _mac, "subnet": _text, "hidden": _flag, "default": _flag,
}
"""Key -> conversion to the AccessPoint field of the same name."""


def access_point(fields: dict[str, Any]) -> AccessPoint:
    """An AccessPoint from declared keys; ValueError starting with the key at fault."""
    for key in fields:
        if key not in KEYS:
            raise ValueError(f"unknown key {key!r} (keys: {', '.join(KEYS)})")
    if "ssid" not in fields:
        raise ValueError("ssid: missing")
    values = {}
    for key, value in fields.items():
        try:
            values[key] = KEYS[key](value)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return AccessPoint(**values)


def parse_wifi_option(text: str) -> dict[str, Any]:
    """``ssid=home,psk=secret99,hidden`` -> its keys (a bare word is a flag set to true)."""
    fields: dict[str, Any] = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not key:
            raise ValueError("empty item (KEY=VALUE items separated by commas)")
        if key in fields:
            raise ValueError(f"{key}: given twice")
        fields[key] = value if sep else "true"
    return fields


def load_wifi_file(path: str) -> list[dict[str, Any]]:
    """The ``[[ap]]`` tables of a TOML file; WifiConfigError naming the file."""
    try:
        data = tomllib.loads(Path(path).read_text())
    except OSError as exc:
        raise WifiConfigError(f"--wifi-file {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WifiConfigError(f"--wifi-file {path}: {exc}") from None
    extra = [key for key in data if key != "ap"]
    if extra:
        raise WifiConfigError(f"--wifi-file {path}: unknown table {extra[0]!r} "
                              "(access points are [[ap]] tables)")
    tables = data.get("ap", [])
    if not isinstance(tables, list):
        raise WifiConfigError(f"--wifi-file {path}: ap must be [[ap]] tables")
    return tables


def radio_world(options: list[str], files: list[str], epoch_ns: int | None = None) -> RadioWorld:
    """The radio world of ``--wifi`` and ``--wifi-file`` (files first, then options, in
    order), with the default open AP unless one is declared with its SSID."""
    declared: list[tuple[str, dict[str, Any]]] = []
    for path in files:
        for n, table in enumerate(load_wifi_file(path), 1):
            declared.append((f"--wifi-file {path}: [[ap]] #{n}", table))
    for text in options:
        try:
            declared.append((f"--wifi {text!r}", parse_wifi_option(text)))
        except ValueError as exc:
            raise WifiConfigError(f"--wifi {text!r}: {exc}") from None
    world = RadioWorld(epoch_ns=epoch_ns, default_ap=False)
    for where, fields in declared:
        try:
            world.add(access_point(fields))
        except (ValueError, TypeError) as exc:
            raise WifiConfigError(f"{where}: {exc}") from None
    world.add_default_ap()
    return world
