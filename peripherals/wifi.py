"""The simulated radio world: access points, and each ESP32's WiFi (station and soft AP).

A :class:`RadioWorld` holds the access points every board can hear: the ones declared with
``--wifi`` / ``--wifi-file`` (or from Python), a default open AP named ``avmsim``, and the
soft APs of boards running in AP mode. Each ESP32-family board has one :class:`WifiRadio`
(``devices.wifi``), which the ``network`` port drives as ESP-IDF's WiFi driver is driven by
AtomVM's ``network_driver.c``: start in STA, AP or AP+STA mode, connect, disconnect, scan,
RSSI, SNTP. What happens is reported to a listener as ESP-IDF events (``sta_connected``,
``sta_disconnected``, ``sta_got_ip``, ``ap_started``, ``ap_sta_connected``…) after plausible
virtual delays, and published on the trace bus as ``wifi`` events, where the disconnect
reason codes ESP-IDF would log are kept (AtomVM passes none of them to Erlang, and avmsim
prints nothing on the console, as ESP-IDF's own WiFi logs are not modelled).

Addresses: routers' LANs are 192.168.1.0/24 unless an AP names its own ``subnet`` (gateway
.1, DHCP leases from .100 upward, one per station MAC, kept across reconnections); a board's
soft AP is 192.168.4.1/24 leasing from .2 upward, as ESP-IDF's DHCP server does. Once a
lease is given the station's interface is brought up on the board's IP stack
(``NetStack.interface_up("sta", …)``, its link segment being the :class:`Lan`: boards on
one LAN reach each other, every soft AP is a network of its own), and taken down when the
association ends.

This module knows nothing of the VM: times come from the scheduler handed to :meth:`start`,
events leave as ``(kind, value)`` pairs of plain Python values.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from avmsim.trace import TraceBus

MS = 1_000_000
S = 1_000_000_000
Addr = tuple[int, int, int, int]
Listener = Callable[[str, Any], None]

# --- timing, in virtual nanoseconds, and where each figure comes from
WIFI_START_NS = 50 * MS
"""esp_wifi_start() to WIFI_EVENT_STA_START / AP_START (ESP-IDF logs: tens of ms)."""
SCAN_DWELL_NS = 120 * MS
"""Per channel, ESP-IDF's default active scan time (AtomVM's IDF_DEFAULT_ACTIVE_SCAN_TIME):
a connection's fast scan stops at the AP's channel, a missing SSID costs every channel."""
CHANNELS = 13
"""Channels 1-13 are scanned (ESP-IDF's default country policy)."""
AUTH_ASSOC_NS = 20 * MS
"""init -> auth -> assoc, about 10 ms each in ESP-IDF's ``wifi:state:`` log lines."""
HANDSHAKE_NS = 40 * MS
"""WPA 4-way handshake, assoc -> run to ``wifi:connected with`` in ESP-IDF logs."""
HANDSHAKE_TIMEOUT_NS = 3_100 * MS
"""A wrong passphrase: the AP resends EAPOL message 1 (hostapd: 100 ms, then 3 x 1 s) and
gives up, reason 15."""
DHCP_NS = 1_000 * MS
"""Association to IP_EVENT_STA_GOT_IP (lwIP DHCP with its ARP check, about 1 s in logs)."""
LEAVE_NS = 10 * MS
"""esp_wifi_disconnect() to WIFI_EVENT_STA_DISCONNECTED."""
BEACON_TIMEOUT_NS = 3_500 * MS
"""An AP gone silent: ``bcn_timeout,ap_probe_send_start`` (WIFI_EVENT_STA_BEACON_TIMEOUT)..."""
INACTIVE_NS = 6 * S
"""...then disconnection, reason 200, at the station's inactive time (ESP-IDF default 6 s;
logs show it 2.5 s after the beacon timeout)."""
SNTP_NS = 150 * MS
"""IP_EVENT_STA_GOT_IP restarts SNTP (network_driver.c): a DNS lookup and one NTP exchange."""
SNTP_INTERVAL_NS = 3600 * S
"""lwIP polls again every CONFIG_LWIP_SNTP_UPDATE_DELAY (3600000 ms by default)."""

# --- ESP-IDF's names and codes (esp_wifi_types.h, esp_err.h)
REASONS = {8: "ASSOC_LEAVE", 15: "4WAY_HANDSHAKE_TIMEOUT", 17: "ASSOC_TOOMANY",
           200: "BEACON_TIMEOUT", 201: "NO_AP_FOUND", 202: "AUTH_FAIL",
           211: "NO_AP_FOUND_IN_AUTHMODE_THRESHOLD"}
"""wifi_err_reason_t: the disconnect reasons the simulation produces."""
WRONG_KEY_REASON = {"wep": 202, "wpa_psk": 15, "wpa2_psk": 15, "wpa_wpa2_psk": 15,
                    "wpa2_wpa3_psk": 15, "wpa3_psk": 202}
"""Auth mode -> reason for a wrong or missing passphrase: WPA/WPA2's 4-way handshake times
out; WEP shared key and WPA3's SAE fail at authentication."""
AUTH_MODES = ("open", *WRONG_KEY_REASON)
BELOW_WPA2 = frozenset({"open", "wep", "wpa_psk"})
"""ESP-IDF 5 raises a station's threshold from OPEN to WPA2 when its password has 8 or more
characters: these APs are then skipped (reason 211)."""
ESP_ERR_WIFI_MODE = 0x3005
ESP_ERR_WIFI_STATE = 0x3006

ROUTER_SUBNET = "192.168.1.0/24"
ROUTER_FIRST_LEASE = 100
SOFT_AP_SUBNET = "192.168.4.0/24"
SOFT_AP_FIRST_LEASE = 2
SOFT_AP_RSSI = -40
"""What other boards hear of a soft AP (boards of a world sit close together)."""
DEFAULT_SSID = "avmsim"


def octets(text: str) -> bytes:
    """An SSID or passphrase as the bytes on the air (the driver decodes non-UTF-8 bytes
    with ``surrogateescape``, so every byte string round-trips)."""
    return text.encode("utf-8", "surrogateescape")


def _addr(ip: ipaddress.IPv4Address) -> Addr:
    return tuple(ip.packed)  # type: ignore[return-value]


class Lan:
    """One IPv4 subnet behind access points: its gateway (.1) and its DHCP leases."""

    def __init__(self, subnet: str, first_lease: int) -> None:
        self.network = ipaddress.IPv4Network(subnet)
        self.gateway = _addr(self.network[1])
        self.netmask = _addr(self.network.netmask)
        self.first_lease = first_lease
        self.leases: dict[bytes, Addr] = {}

    def lease(self, mac: bytes) -> Addr | None:
        """The station's address (the same one again after a reconnection); None when
        the pool is used up."""
        if mac not in self.leases:
            index = self.first_lease + len(self.leases)
            if index >= self.network.num_addresses - 1:
                return None
            self.leases[mac] = _addr(self.network[index])
        return self.leases[mac]


@dataclass(eq=False)
class AccessPoint:
    """An access point the boards can hear. ``auth`` defaults to ``wpa2_psk`` with a
    passphrase and ``open`` without; ``default`` makes it the catch-all that stations asking
    for an SSID nobody has join, whatever their password. ``down()``/``up()`` switch it off
    and on at the current virtual time (``sim.at(t_ns, ap.down)`` for a later one)."""

    ssid: str
    psk: str | None = None
    auth: str = ""
    channel: int = 1
    rssi: int = -50
    bssid: bytes = b""
    subnet: str = ROUTER_SUBNET
    hidden: bool = False
    default: bool = False
    max_connections: int | None = None   # None: a router, no limit modelled
    is_up: bool = field(default=True, init=False)
    stations: dict[bytes, "WifiRadio"] = field(default_factory=dict, init=False)
    owner: "WifiRadio | None" = field(default=None, init=False)   # a board's soft AP
    lan: Lan | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.auth:
            self.auth = "wpa2_psk" if self.psk else "open"
        check_access_point(self)

    def down(self) -> None:
        """Power off: associated stations stop hearing beacons (and drop after
        ESP-IDF's beacon timeout); nobody finds it in a scan."""
        self.is_up = False
        for radio in list(self.stations.values()):
            radio.ap_lost(self)

    def up(self) -> None:
        """Power on again: stations find it at their next scan or connection attempt."""
        self.is_up = True


def check_access_point(ap: AccessPoint) -> None:
    """ValueError naming the field that no real access point could have."""
    if not 1 <= len(octets(ap.ssid)) <= 32:
        raise ValueError("ssid: 1 to 32 bytes")
    if ap.auth not in AUTH_MODES:
        raise ValueError(f"auth: {ap.auth!r} is not one of {', '.join(AUTH_MODES)}")
    if ap.auth == "open" and ap.psk:
        raise ValueError("psk: an open AP has no passphrase (give auth too)")
    key_bytes = len(octets(ap.psk or ""))
    if ap.auth == "wep" and key_bytes not in (5, 13):
        raise ValueError("psk: a WEP key is 5 or 13 characters")
    if ap.auth not in ("open", "wep") and not 8 <= key_bytes <= 64:
        raise ValueError("psk: a WPA passphrase is 8 to 63 characters (or 64 hex digits)")
    if not 1 <= ap.channel <= CHANNELS:
        raise ValueError(f"channel: 1 to {CHANNELS}")
    if not -100 <= ap.rssi <= 0:
        raise ValueError("rssi: -100 to 0 dBm")
    if ap.bssid and len(ap.bssid) != 6:
        raise ValueError("bssid: six bytes, e.g. 02:61:76:6d:00:01")
    try:
        network = ipaddress.IPv4Network(ap.subnet)
    except ValueError as exc:
        raise ValueError(f"subnet: {exc}") from None
    if network.num_addresses < 8:
        raise ValueError("subnet: at most a /29")


@dataclass(frozen=True)
class ScanRecord:
    """One network as a scan reports it (``wifi_ap_record_t``)."""
    ssid: bytes           # empty for a hidden network
    bssid: bytes
    channel: int
    rssi: int
    auth: str
    hidden: bool


class RadioWorld:
    """Every access point in range of every board; shared by the boards of a world.

    ``epoch_ns`` is the time SNTP servers tell (at virtual time 0); None: each board's own
    wall-clock epoch (a single board: SNTP confirms the clock it already has).
    """

    def __init__(self, access_points: list[AccessPoint] | tuple = (), *,
                 epoch_ns: int | None = None, default_ap: bool = True) -> None:
        self.epoch_ns = epoch_ns
        self.access_points: list[AccessPoint] = []
        self._lans: dict[str, Lan] = {}
        for ap in access_points:
            self.add(ap)
        if default_ap:
            self.add_default_ap()

    def add_default_ap(self) -> None:
        """The open AP ``avmsim`` (channel 1, -45 dBm), unless an AP has its SSID."""
        if all(ap.ssid != DEFAULT_SSID for ap in self.access_points):
            self.add(AccessPoint(DEFAULT_SSID, channel=1, rssi=-45))

    def add(self, ap: AccessPoint) -> AccessPoint:
        """Declare a router's AP (ValueError on a second AP with the SSID, or a second
        catch-all)."""
        if any(other.ssid == ap.ssid and other.owner is None for other in self.access_points):
            raise ValueError(f"ssid: {ap.ssid!r} is declared twice")
        if ap.default and self.catch_all() is not None:
            raise ValueError(f"default: {self.catch_all().ssid!r} is already the default AP")
        if not ap.bssid:
            ap.bssid = bytes((0x02, 0x61, 0x76, 0x6D, 0x00, len(self.access_points) + 1))
        ap.lan = self._lans.setdefault(ap.subnet, Lan(ap.subnet, ROUTER_FIRST_LEASE))
        self.access_points.append(ap)
        return ap

    def ap(self, ssid: str) -> AccessPoint:
        """An access point by SSID; KeyError naming those that exist."""
        for ap in self.access_points:
            if ap.ssid == ssid:
                return ap
        raise KeyError(f"no access point {ssid!r} "
                       f"(access points: {', '.join(a.ssid for a in self.access_points)})")

    def catch_all(self) -> AccessPoint | None:
        return next((ap for ap in self.access_points if ap.default), None)

    def heard_by(self, radio: "WifiRadio") -> list[AccessPoint]:
        """The APs that are on, except the radio's own soft AP."""
        return [ap for ap in self.access_points if ap.is_up and ap.owner is not radio]

    def add_soft_ap(self, ap: AccessPoint, owner: "WifiRadio") -> None:
        ap.owner = owner
        ap.lan = Lan(SOFT_AP_SUBNET, SOFT_AP_FIRST_LEASE)
        self.access_points.append(ap)

    def remove_soft_ap(self, ap: AccessPoint) -> None:
        self.access_points.remove(ap)
        ap.down()


@dataclass
class StaConfig:
    """What ``esp_wifi_set_config(WIFI_IF_STA, …)`` was given."""
    ssid: bytes = b""
    psk: bytes | None = None


@dataclass
class SoftApConfig:
    """What ``esp_wifi_set_config(WIFI_IF_AP, …)`` was given."""
    ssid: str
    psk: str | None = None
    channel: int = 1
    hidden: bool = False
    max_connections: int = 4


def mac_plus(mac: bytes, n: int) -> bytes:
    """ESP-IDF derives each interface's MAC from the base MAC: station +0, soft AP +1."""
    return ((int.from_bytes(mac, "big") + n) % (1 << 48)).to_bytes(6, "big")


class WifiRadio:
    """One ESP32's WiFi: a station, a soft AP, or both (AP+STA), as ESP-IDF runs them.

    Station states: ``off`` (not started in STA mode), ``idle``, ``connecting``,
    ``connected`` (associated; ``ip`` once DHCP answered). ``last_reason`` is the last
    disconnect reason (ESP-IDF's code).
    """

    def __init__(self, world: RadioWorld, net: Any, mac: bytes, name: str,
                 bus: "TraceBus") -> None:
        self.world = world
        self.net = net                 # the board's NetStack (interface_up/down)
        self.mac = mac
        self.name = name
        self.bus = bus
        self.scheduler: Any = None
        self.listener: Listener | None = None
        self.sta = StaConfig()
        self.state = "off"
        self.ap: AccessPoint | None = None
        self.ip: Addr | None = None
        self.soft_ap: AccessPoint | None = None
        self.sntp = False
        self.last_reason: int | None = None
        self._events: set[Any] = set()      # every pending timed event of this radio
        self._attempt: set[Any] = set()     # those of the association under way
        self._scan: Any = None

    # ------------------------------------------------------------------ time
    def now_ns(self) -> int:
        return self.scheduler.now_ns()

    def _after(self, delay_ns: int, action: Callable[[], None],
               group: set[Any] | None = None) -> None:
        self._at(self.now_ns() + delay_ns, action, group)

    def _at(self, t_ns: int, action: Callable[[], None], group: set[Any] | None = None) -> Any:
        """Run ``action`` at ``t_ns`` (not before now) on this board's scheduler."""
        holder: list[Any] = []

        def fire() -> None:
            self._events.discard(holder[0])
            if group is not None:
                group.discard(holder[0])
            action()
        event = self.scheduler.schedule(max(t_ns, self.now_ns()), fire)
        holder.append(event)
        self._events.add(event)
        if group is not None:
            group.add(event)
        return event

    def _cancel(self, events: set[Any]) -> None:
        for event in events:
            event.cancel()
        self._events.difference_update(events)
        events.clear()

    def _emit(self, kind: str, value: Any = None) -> None:
        if self.listener is not None:
            self.listener(kind, value)

    def _trace(self, op: str, **fields: Any) -> None:
        self.bus.publish("wifi", self.name, {"op": op, **fields})

    # ------------------------------------------------------------------ life cycle
    def start(self, scheduler: Any, listener: Listener, *, sta: StaConfig | None,
              managed: bool, soft_ap: SoftApConfig | None, sntp: bool) -> None:
        """esp_wifi_start() in STA (``sta`` given or ``managed``), AP or AP+STA mode; a
        station that is not ``managed`` connects as soon as it has started."""
        self.stop()
        self.scheduler, self.listener, self.sntp = scheduler, listener, sntp
        if sta is not None or managed:
            self.sta = sta or StaConfig()
            self.state = "idle"
            self._after(WIFI_START_NS, lambda: self._sta_started(managed))
        if soft_ap is not None:
            self._after(WIFI_START_NS, lambda: self._start_soft_ap(soft_ap))

    def _sta_started(self, managed: bool) -> None:
        self._trace("sta_start")
        if not managed:
            self.connect()

    def stop(self) -> None:
        """esp_wifi_stop(): the event handlers are gone first, so nothing is reported."""
        self.listener = None
        if self.state == "connected":
            self._leave()
        self._cancel(self._attempt)
        self._cancel(set(self._events))
        self._scan = None
        self.state = "off"
        if self.soft_ap is not None:
            self._stop_soft_ap()

    def reset(self) -> None:
        """The board resets or sleeps: the radio goes off with it."""
        if self.scheduler is not None:
            self.stop()

    # ------------------------------------------------------------------ station
    @property
    def sta_enabled(self) -> bool:
        return self.state != "off"

    def configure(self, sta: StaConfig) -> int | None:
        """esp_wifi_set_config(WIFI_IF_STA): ESP_ERR_WIFI_STATE while connecting; a station
        associated with other settings leaves first."""
        if self.state == "connecting":
            return ESP_ERR_WIFI_STATE
        if self.state == "connected" and sta != self.sta:
            self.disconnect()
        self.sta = sta
        return None

    def connect(self) -> int | None:
        """esp_wifi_connect(): the ESP-IDF error code, or None when the attempt started (or
        one is already under way)."""
        if not self.sta_enabled:
            return ESP_ERR_WIFI_MODE
        if self.state == "idle":
            self.state = "connecting"
            self._trace("connect", ssid=self.sta.ssid.decode("utf-8", "replace"))
            self._scan_for_ap()
        return None

    def disconnect(self) -> int | None:
        """esp_wifi_disconnect(): leave (or stop trying); reason 8 is reported."""
        if not self.sta_enabled:
            return ESP_ERR_WIFI_MODE
        if self.state in ("connecting", "connected"):
            self._cancel(self._attempt)
            if self.state == "connected":
                self._leave()
            self.state = "idle"
            self._after(LEAVE_NS, lambda: self._disconnected(8))
        return None

    def rssi(self) -> int | None:
        """The associated AP's signal, None when not associated."""
        return self.ap.rssi if self.state == "connected" and self.ap is not None else None

    def _scan_for_ap(self) -> None:
        """The connection's fast scan: channel by channel up to the first AP with the
        SSID (the catch-all when no AP has it); every channel when none is found."""
        candidates = [ap for ap in self.world.heard_by(self)
                      if octets(ap.ssid) == self.sta.ssid]
        fallback = self.world.catch_all()
        if not candidates and fallback is not None and fallback.is_up:
            candidates = [fallback]
        strict = len(self.sta.psk or b"") >= 8
        allowed = [ap for ap in candidates
                   if ap.default or not (strict and ap.auth in BELOW_WPA2)]
        if not allowed:
            reason = 211 if candidates else 201
            self._after(CHANNELS * SCAN_DWELL_NS, lambda: self._failed(reason), self._attempt)
            return
        ap = min(allowed, key=lambda a: (a.channel, -a.rssi))
        self._after(ap.channel * SCAN_DWELL_NS, lambda: self._authenticate(ap), self._attempt)

    def _authenticate(self, ap: AccessPoint) -> None:
        if not ap.is_up:
            self._failed(201)
            return
        if ap.max_connections is not None and len(ap.stations) >= ap.max_connections:
            self._after(AUTH_ASSOC_NS, lambda: self._failed(17), self._attempt)
            return
        key_ok = (ap.auth == "open" or ap.default
                  or (self.sta.psk or b"") == octets(ap.psk or ""))
        if not key_ok:
            wait = HANDSHAKE_TIMEOUT_NS if WRONG_KEY_REASON[ap.auth] == 15 else AUTH_ASSOC_NS
            self._after(wait, lambda: self._failed(WRONG_KEY_REASON[ap.auth]), self._attempt)
            return
        handshake = 0 if ap.auth == "open" else HANDSHAKE_NS
        self._after(AUTH_ASSOC_NS + handshake, lambda: self._associated(ap), self._attempt)

    def _associated(self, ap: AccessPoint) -> None:
        if not ap.is_up:
            self._failed(201)
            return
        self.state, self.ap = "connected", ap
        ap.stations[self.mac] = self
        if self.soft_ap is not None:   # one radio: the soft AP follows the station's channel
            self.soft_ap.channel = ap.channel
        self._trace("connected", ssid=ap.ssid, channel=ap.channel, rssi=ap.rssi,
                    bssid=ap.bssid.hex(":"))
        self._emit("sta_connected")
        self._tell_owner(ap, "ap_sta_connected", self.mac)
        self._after(DHCP_NS, lambda: self._dhcp_bound(ap), self._attempt)

    def _dhcp_bound(self, ap: AccessPoint) -> None:
        ip = ap.lan.lease(self.mac)
        if ip is None:    # pool exhausted: associated, never an address (lwIP keeps trying)
            self._trace("dhcp_no_lease", ssid=ap.ssid)
            return
        self.ip = ip
        lan = ap.lan
        if self.net is not None:
            self.net.interface_up("sta", ip, lan.netmask, lan.gateway, segment=lan)
        self._trace("got_ip", ip=_dotted(ip), netmask=_dotted(lan.netmask),
                    gateway=_dotted(lan.gateway))
        self._tell_owner(ap, "ap_sta_ip_assigned", ip)
        self._emit("sta_got_ip", (ip, lan.netmask, lan.gateway))
        if self.sntp:
            self._after(SNTP_NS, self._sntp_sync, self._attempt)

    def _failed(self, reason: int) -> None:
        self.state = "idle"
        self._disconnected(reason)

    def _disconnected(self, reason: int) -> None:
        self.last_reason = reason
        self._trace("disconnected", reason=reason, reason_name=REASONS[reason])
        self._emit("sta_disconnected")

    def _leave(self) -> None:
        """End the association: the AP forgets the station, the address goes."""
        ap = self.ap
        self.ap = None
        if ap is not None and ap.stations.get(self.mac) is self:
            del ap.stations[self.mac]
            self._tell_owner(ap, "ap_sta_disconnected", self.mac)
        if self.ip is not None:
            self.ip = None
            if self.net is not None:
                self.net.interface_down("sta")

    def ap_lost(self, ap: AccessPoint) -> None:
        """The associated AP went off: beacons stop; ESP-IDF reports a beacon timeout,
        then the disconnection (reason 200) unless the AP is back by then."""
        if self.ap is not ap or self.scheduler is None:
            return

        def beacon_timeout() -> None:
            if not ap.is_up and self.ap is ap:
                self._trace("beacon_timeout", ssid=ap.ssid)
                self._emit("sta_beacon_timeout")

        def inactive() -> None:
            if not ap.is_up and self.ap is ap:
                self._cancel(self._attempt)
                self._leave()
                self._failed(200)
        self._after(BEACON_TIMEOUT_NS, beacon_timeout, self._attempt)
        self._after(INACTIVE_NS, inactive, self._attempt)

    def _tell_owner(self, ap: AccessPoint, kind: str, value: Any) -> None:
        """A soft AP's board hears of its stations (on its own scheduler)."""
        owner = ap.owner
        if owner is not None and owner.scheduler is not None:
            owner._at(self.now_ns(), lambda: owner._emit(kind, value))

    # ------------------------------------------------------------------ SNTP
    def _sntp_sync(self) -> None:
        """Set the board's wall clock to the world's time and report it, then again every
        hour while the station keeps its address."""
        clock = self.scheduler.clock
        if self.world.epoch_ns is not None:
            clock.epoch_ns = self.world.epoch_ns
        wall_us = (clock.epoch_ns + self.now_ns()) // 1000
        sec, usec = divmod(wall_us, 1_000_000)
        self._trace("sntp_sync", sec=sec, usec=usec)
        self._emit("sntp_sync", (sec, usec))
        self._after(SNTP_INTERVAL_NS, self._sntp_sync, self._attempt)

    # ------------------------------------------------------------------ scans
    def scan(self, dwell_ms: int, show_hidden: bool, max_results: int,
             done: Callable[[int, list[ScanRecord]], None]) -> int | None:
        """esp_wifi_scan_start(): ``done(found, records)`` after every channel's dwell, the
        strongest first, at most ``max_results``; ESP_ERR_WIFI_STATE while connecting or
        scanning already."""
        if self.state == "connecting" or self._scan is not None:
            return ESP_ERR_WIFI_STATE

        def finished() -> None:
            self._scan = None
            records = self._heard(show_hidden)
            self._trace("scan_done", found=len(records))
            done(len(records), records[:max_results])
        self._scan = self._at(self.now_ns() + CHANNELS * dwell_ms * MS, finished)
        return None

    def cancel_scan(self) -> None:
        """esp_wifi_scan_stop(): no results come."""
        if self._scan is not None:
            self._scan.cancel()
            self._events.discard(self._scan)
            self._scan = None

    def _heard(self, show_hidden: bool) -> list[ScanRecord]:
        aps = [ap for ap in self.world.heard_by(self) if show_hidden or not ap.hidden]
        aps.sort(key=lambda a: (-a.rssi, a.channel, a.bssid))
        return [ScanRecord(b"" if ap.hidden else octets(ap.ssid), ap.bssid, ap.channel,
                           ap.rssi, ap.auth, ap.hidden) for ap in aps]

    # ------------------------------------------------------------------ soft AP
    def _start_soft_ap(self, config: SoftApConfig) -> None:
        ap = AccessPoint(config.ssid, config.psk, "wpa_wpa2_psk" if config.psk else "open",
                         channel=config.channel, rssi=SOFT_AP_RSSI,
                         bssid=mac_plus(self.mac, 1), subnet=SOFT_AP_SUBNET,
                         hidden=config.hidden, max_connections=config.max_connections)
        self.world.add_soft_ap(ap, self)
        self.soft_ap = ap
        lan = ap.lan
        if self.net is not None:
            self.net.interface_up("ap", lan.gateway, lan.netmask, lan.gateway, segment=lan)
        self._trace("ap_start", ssid=ap.ssid, channel=ap.channel, auth=ap.auth)
        self._emit("ap_started")

    def _stop_soft_ap(self) -> None:
        ap, self.soft_ap = self.soft_ap, None
        self.world.remove_soft_ap(ap)
        if self.net is not None:
            self.net.interface_down("ap")


def _dotted(ip: Addr) -> str:
    return ".".join(map(str, ip))
