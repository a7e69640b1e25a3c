"""The ``network`` port (ESP32 family): AtomVM's ``network_driver.c`` over the board's radio.

AtomVM's ``network`` module opens it with ``open_port({spawn, "network"}, [])`` and talks to
it with plain messages, not port calls: ``Port ! {Pid, Ref, Command}``, where ``Command`` is
``{start, Config}``, ``{connect, Config}``, ``connect``, ``halt_sta``, ``rssi``,
``{scan, Options}``, ``{cancel_scan, ReplyTo}`` or ``stop``. Answers go to ``Pid`` as
``{Ref, Reply}``; from ``start`` on, the radio's events go to the starting pid with the
start's ``Ref``: ``{Ref, sta_connected}``, ``{Ref, sta_disconnected}`` (AtomVM passes no
reason), ``{Ref, sta_beacon_timeout}``, ``{Ref, {sta_got_ip, {IP, Netmask, Gateway}}}``,
``{Ref, ap_started}``, ``{Ref, {ap_sta_connected, Mac}}``, ``{Ref, {ap_sta_disconnected,
Mac}}``, ``{Ref, {ap_sta_ip_assigned, IP}}``, ``{Ref, {sntp_sync, {Sec, USec}}}``. Scan
results arrive as ``{Ref, {scan_results, {Found, [#{authmode, bssid, channel, hidden,
rssi, ssid}]}}}``. ``stop`` closes the port without an answer (monitors see it go down).

Configuration lookups follow AtomVM's ``interop_kv_get_value`` (the first ``{Key, Value}``
of a proplist, a bare ``Key`` meaning ``true``, or a map); its checks and error replies are
the driver's: ``{error, badarg}`` for an unusable configuration, ESP-IDF error codes as
integers where ``esp_wifi_*`` would fail.
"""
from __future__ import annotations

from typing import Any

from avmsim.peripherals.wifi import (CHANNELS, ScanRecord, SoftApConfig, StaConfig, WifiRadio,
                                     mac_plus)

from ..errors import ErlangError
from ..nifs._util import boolean, iolist_bytes, proplist_value
from ..ports import NO_REPLY, PortInstance
from ..terms import ERROR, FALSE, NIL, OK, TRUE, Atom, Cons, Map, Pid, atom, from_list

A_STA = atom("sta")
A_AP = atom("ap")
A_SNTP = atom("sntp")
A_HOST = atom("host")
A_SSID = atom("ssid")
A_PSK = atom("psk")
A_MANAGED = atom("managed")
A_AP_CHANNEL = atom("ap_channel")
A_SSID_HIDDEN = atom("ssid_hidden")
A_MAX_CONNECTIONS = atom("max_connections")
A_RESULTS = atom("results")
A_DWELL = atom("dwell")
A_PASSIVE = atom("passive")
A_SHOW_HIDDEN = atom("show_hidden")
A_REPLY = atom("reply")
A_BADARG = atom("badarg")
A_RSSI = atom("rssi")
A_NETWORK_DOWN = atom("network_down")
A_SCAN_RESULTS = atom("scan_results")
A_SCAN_CANCELED = atom("scan_canceled")
A_UNSUPPORTED_MODE = atom("unsupported_mode")

SSID_MAX = 32           # sizeof(wifi_sta_config_t.ssid)
PSK_MAX = 64            # sizeof(wifi_sta_config_t.password)
AP_PSK_MIN = 8          # get_ap_wifi_config: "AP PSK must be length 8 or more"
AP_MAX_CONNECTIONS = 10  # ESP_WIFI_MAX_CONN_NUM (ESP32, ESP32-C3)
DEFAULT_SCAN_RESULTS = 6
ACTIVE_DWELL_MS, PASSIVE_DWELL_MS = 120, 360   # IDF_DEFAULT_ACTIVE/PASSIVE_SCAN_TIME
MAX_DWELL_MS = 1500
MAX_SCAN_RESULTS = {"esp32_s2": 14, "esp32_c5": 14, "esp32_c61": 14, "esp32_c2": 10,
                    "esp32_p4": 64}
"""network_driver.c MAX_SCAN_RESULTS by target; 20 for the others (ESP32, C3, C6, S3)."""
ESP_ERR_INVALID_ARG = 0x102
ESP_ERR_NAMES = {0x3006: b"ESP_ERR_WIFI_STATE"}
"""esp_err_to_name(), for the errors a scan start can meet."""

EVENT_TERMS = {
    "sta_connected": lambda _: atom("sta_connected"),
    "sta_disconnected": lambda _: atom("sta_disconnected"),
    "sta_beacon_timeout": lambda _: atom("sta_beacon_timeout"),
    "sta_got_ip": lambda info: (atom("sta_got_ip"), tuple(info)),
    "ap_started": lambda _: atom("ap_started"),
    "ap_sta_connected": lambda mac: (atom("ap_sta_connected"), mac),
    "ap_sta_disconnected": lambda mac: (atom("ap_sta_disconnected"), mac),
    "ap_sta_ip_assigned": lambda ip: (atom("ap_sta_ip_assigned"), ip),
    "sntp_sync": lambda tv: (atom("sntp_sync"), tv),
}
"""Radio event -> the term network_driver.c's send_* functions build."""


def kv(config: Any, key: Atom, default: Any = None) -> Any:
    """interop_kv_get_value_default: a proplist's first ``{Key, V}`` (bare ``Key``: true)
    or a map's value; ``default`` for anything else."""
    if config.__class__ is Map:
        return config.get(key, default)
    if config.__class__ is Cons:
        return proplist_value(config, key, default)
    return default


def c_string(term: Any) -> bytes | None:
    """interop_term_to_string: a binary or an iolist, else None."""
    if term.__class__ is bytes:
        return term
    if term is NIL or term.__class__ is Cons:
        try:
            return iolist_bytes(term)
        except ErlangError:
            return None
    return None


def sta_config(config: Any) -> StaConfig | None:
    """get_sta_wifi_config: None without a usable SSID, with an unusable PSK, or too long."""
    ssid = c_string(kv(config, A_SSID))
    if ssid is None or len(ssid) > SSID_MAX:
        return None
    psk_term = kv(config, A_PSK)
    psk = None if psk_term is None else c_string(psk_term)
    if psk_term is not None and (psk is None or len(psk) > PSK_MAX):
        return None
    return StaConfig(ssid, psk)


def soft_ap_config(config: Any, mac: bytes) -> SoftApConfig | int | None:
    """get_ap_wifi_config (None when unusable), or the ESP-IDF error
    ``esp_wifi_set_config`` gives for a channel or station count out of range."""
    ssid_term = kv(config, A_SSID)
    if ssid_term is None:
        ssid = b"atomvm-" + mac_plus(mac, 1).hex().encode()
    else:
        ssid = c_string(ssid_term)
    psk_term = kv(config, A_PSK)
    psk = None if psk_term is None else c_string(psk_term)
    if (not ssid or len(ssid) > SSID_MAX
            or (psk_term is not None and (psk is None or not AP_PSK_MIN <= len(psk) <= PSK_MAX))):
        return None
    channel = kv(config, A_AP_CHANNEL, 0)
    connections = kv(config, A_MAX_CONNECTIONS, 4)
    if (channel.__class__ is not int or connections.__class__ is not int
            or not 0 <= channel <= CHANNELS or not 1 <= connections <= AP_MAX_CONNECTIONS):
        return ESP_ERR_INVALID_ARG
    return SoftApConfig(ssid.decode("utf-8", "surrogateescape"),
                        None if psk is None else psk.decode("utf-8", "surrogateescape"),
                        channel or 1, kv(config, A_SSID_HIDDEN) is TRUE, connections)


def sntp_wanted(config: Any) -> bool:
    """maybe_set_sntp: an ``{sntp, [{host, Host}]}`` entry with a string host."""
    return c_string(kv(kv(config, A_SNTP), A_HOST)) is not None


def scan_record(record: ScanRecord) -> Map:
    """One ``wifi_ap_record_t`` as AtomVM's 6-key map."""
    return Map.from_pairs([
        (atom("authmode"), atom(record.auth)), (atom("bssid"), record.bssid),
        (atom("channel"), record.channel), (atom("hidden"), boolean(record.hidden)),
        (A_RSSI, record.rssi), (A_SSID, record.ssid)])


def _flag(value: Any, same: Atom) -> bool | None:
    """``true``, or the option's own atom, is on; ``false`` or absent off; else None."""
    if value is TRUE or value is same:
        return True
    if value is None or value is FALSE:
        return False
    return None


class NetworkPort:
    """One open ``network`` port over the board's radio (``devices.wifi``)."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        devices = port.vm.devices
        radio = getattr(devices, "wifi", None) if devices is not None else None
        if radio is None:
            raise ErlangError(ERROR, A_BADARG)
        self.radio: WifiRadio = radio
        self.port = port
        self.started = False

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        """AtomVM's network port reads no ``port:call`` requests: none is answered."""
        return NO_REPLY

    def message(self, port: PortInstance, msg: Any) -> None:
        if not (msg.__class__ is tuple and len(msg) == 3):
            return     # "Invalid message.  Ignoring."
        pid, ref, command = msg
        if command.__class__ is Atom:
            name, config = command, None
        elif command.__class__ is tuple and len(command) == 2:
            name, config = command
        else:
            self._reply(pid, ref, (ERROR, A_BADARG))
            return
        handler = COMMANDS.get(name.name) if name.__class__ is Atom else None
        if handler is None:
            self._reply(pid, ref, (ERROR, A_BADARG))
            return
        handler(self, pid, ref, config)

    def _reply(self, pid: Any, ref: Any, value: Any) -> None:
        if pid.__class__ is Pid:
            self.port.send(pid, (ref, value))

    # ------------------------------------------------------------------ commands
    def _start(self, pid: Any, ref: Any, config: Any) -> None:
        sta_term, ap_term = kv(config, A_STA), kv(config, A_AP)
        if sta_term is None and ap_term is None:
            self._reply(pid, ref, (ERROR, A_BADARG))
            return
        managed = sta_term is not None and kv(sta_term, A_MANAGED, FALSE) is not FALSE
        sta = sta_config(sta_term) if sta_term is not None else None
        soft_ap = soft_ap_config(ap_term, self.radio.mac) if ap_term is not None else None
        if not managed and sta is None and soft_ap is None:
            self._reply(pid, ref, (ERROR, A_BADARG))
            return
        if soft_ap.__class__ is int:
            self._reply(pid, ref, (ERROR, soft_ap))
            return
        vm = self.port.vm

        def event(kind: str, value: Any) -> None:
            self.port.send(pid, (ref, EVENT_TERMS[kind](value)))
        self.radio.start(vm.scheduler, event, sta=sta, managed=managed, soft_ap=soft_ap,
                         sntp=sntp_wanted(config))
        self.started = True
        self._reply(pid, ref, OK)

    def _connect(self, pid: Any, ref: Any, config: Any) -> None:
        """``connect`` (sta_reconnect) or ``{connect, Config}`` (sta_connect)."""
        if config is None:
            err = self.radio.connect()
            self._reply(pid, ref, OK if err is None else (ERROR, err))
            return
        if not self.radio.sta_enabled:
            self._reply(pid, ref, (ERROR, ERROR))
            return
        sta_term = kv(config, A_STA)
        if sta_term is None and kv(config, A_SSID) is not None:
            sta_term = config
        sta = sta_config(sta_term) if sta_term is not None else None
        if sta is None:
            self._reply(pid, ref, (ERROR, A_BADARG))
            return
        err = self.radio.configure(sta)
        if err is None:
            err = self.radio.connect()
        if err is not None:
            self._reply(pid, ref, (ERROR, err))
            return
        if sntp_wanted(config):
            self.radio.sntp = True
        self._reply(pid, ref, OK)

    def _halt_sta(self, pid: Any, ref: Any, _config: Any) -> None:
        err = self.radio.disconnect()
        self._reply(pid, ref, OK if err is None else (ERROR, err))

    def _rssi(self, pid: Any, ref: Any, _config: Any) -> None:
        rssi = self.radio.rssi()
        self._reply(pid, ref, (ERROR, A_NETWORK_DOWN) if rssi is None else (A_RSSI, rssi))

    def _stop(self, pid: Any, ref: Any, _config: Any) -> None:
        self.port.close()

    def _scan(self, pid: Any, ref: Any, config: Any) -> None:
        options = self._scan_options(config)
        if options.__class__ is Atom:
            self._reply(pid, ref, (A_SCAN_RESULTS, (ERROR, options)))
            return
        dwell, hidden, results = options

        def done(found: int, records: list[ScanRecord]) -> None:
            listed = from_list([scan_record(r) for r in records])
            self._reply(pid, ref, (A_SCAN_RESULTS, (found, listed)))
        err = self.radio.scan(dwell, hidden, results, done)
        if err is not None:
            self._reply(pid, ref, (A_SCAN_RESULTS, (ERROR, ESP_ERR_NAMES[err])))
        elif kv(config, A_REPLY) is TRUE:
            self._reply(pid, ref, OK)

    def _scan_options(self, config: Any) -> tuple[int, bool, int] | Atom:
        """wifi_scan's checks: ``(dwell_ms, show_hidden, max_results)`` or the error reason."""
        if not self.radio.sta_enabled:
            return A_UNSUPPORTED_MODE
        limit = MAX_SCAN_RESULTS.get(self.port.vm.devices.board.chip.get("model", ""), 20)
        results = kv(config, A_RESULTS, DEFAULT_SCAN_RESULTS)
        passive = _flag(kv(config, A_PASSIVE), A_PASSIVE)
        if results.__class__ is not int or not 1 <= results <= limit or passive is None:
            return A_BADARG
        dwell = kv(config, A_DWELL, PASSIVE_DWELL_MS if passive else ACTIVE_DWELL_MS)
        hidden = _flag(kv(config, A_SHOW_HIDDEN), A_SHOW_HIDDEN)
        if dwell.__class__ is not int or not 1 <= dwell <= MAX_DWELL_MS or hidden is None:
            return A_BADARG
        return dwell, hidden, results

    def _cancel_scan(self, pid: Any, ref: Any, reply_to: Any) -> None:
        self.radio.cancel_scan()
        self._reply(pid, ref, (A_SCAN_CANCELED, reply_to, OK))

    def closed(self, port: PortInstance) -> None:
        """stop_network: the radio goes off (no events: the handlers are gone first)."""
        if self.started:
            self.radio.stop()


COMMANDS = {
    "start": NetworkPort._start, "connect": NetworkPort._connect,
    "halt_sta": NetworkPort._halt_sta, "rssi": NetworkPort._rssi, "stop": NetworkPort._stop,
    "scan": NetworkPort._scan, "cancel_scan": NetworkPort._cancel_scan,
}
"""Command -> handler (network_driver.c's cmd_table); a bare atom comes with no config."""

PORT_DRIVERS = {"network": (NetworkPort, ("esp32",))}
