"""WiFi as AtomVM exposes it (``network`` module and port) on the simulated radio world.

Expected values come from the references: the return shapes and events of AtomVM's
``network.erl`` and ``network_driver.c``; ESP-IDF's disconnect reasons (``wifi_err_reason_t``:
15 4WAY_HANDSHAKE_TIMEOUT, 200 BEACON_TIMEOUT, 201 NO_AP_FOUND, 211
NO_AP_FOUND_IN_AUTHMODE_THRESHOLD), its soft-AP network (192.168.4.1/24, leases from .2),
its interface MACs (station = base MAC, soft AP = base + 1) and default AP name
(``atomvm-<softap mac>``); the access points each test declares; the timing windows
ESP-IDF's logs show (association in hundreds of ms, DHCP about a second, a 120 ms dwell per
channel for a scan).
"""
from __future__ import annotations

import pytest

from avmsim.boards import get_board
from avmsim.net_world import NetWorld
from avmsim.peripherals.wifi import AccessPoint, RadioWorld
from avmsim.peripherals.wifi_config import radio_world
from avmsim.simulation import Simulation

from helpers import compile_erl

MS = 1_000_000
S = 1_000_000_000
ESP32_BOARDS = ["esp32-devkit", "esp32-c3-devkitm"]
HOME = dict(ssid="home", psk="secret99", channel=6, rssi=-55)


def board_sim(tmp_path, name, source, board="esp32-devkit", aps=(), radio=None,
              network=None, **kwargs):
    """A board running ``source`` in a radio world with ``aps``; console and wifi events."""
    beam = compile_erl(tmp_path, name, source)
    if network is None:
        network = NetWorld(radio=radio or RadioWorld([AccessPoint(**ap) for ap in aps]))
    sim = Simulation(get_board(board), [str(beam)], network=network, **kwargs)
    console: list[bytes] = []
    wifi: list[tuple[int, dict]] = []
    sim.devices.console.add_sink(console.append)
    sim.bus.subscribe(lambda e: wifi.append((e.t_ns, e.value)), ("wifi",))
    return sim, console, wifi


def text(console):
    return b"".join(console).decode()


def reasons(wifi):
    return [v["reason"] for _, v in wifi if v["op"] == "disconnected"]


def at(wifi, op):
    return [t for t, v in wifi if v["op"] == op]


STA = r"""
-module(wifi_sta).
-export([start/0]).
start() ->
    T0 = erlang:monotonic_time(millisecond),
    R = network:wait_for_sta([{ssid, "home"}, {psk, <<"secret99">>}], 15000),
    T1 = erlang:monotonic_time(millisecond),
    io:format("~p~n~p ~p~n", [R, network:sta_status(), network:sta_rssi()]),
    io:format("ms ~p~n", [T1 - T0]),
    ok = network:stop(),
    io:format("~p ~p~n", [whereis(network), network:sta_rssi()]).
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_sta_joins_a_declared_ap_and_gets_an_address(tmp_path, board):
    sim, console, wifi = board_sim(tmp_path, "wifi_sta", STA, board, aps=[HOME])
    outcome = sim.run(until_ns=30 * S, timeout=True)
    out = text(console)
    assert outcome.why == "returned", out
    lines = out.splitlines()
    # the router's LAN: 192.168.1.0/24, gateway .1 (docs), the AP's declared RSSI
    assert lines[0] == "{ok,{{192,168,1,100},{255,255,255,0},{192,168,1,1}}}"
    assert lines[1] == "connected {ok,-55}"
    waited_ms = int(lines[2].split()[1])
    assert 1000 <= waited_ms <= 3000           # association + DHCP, as ESP-IDF logs show
    assert lines[3] == "undefined {error,network_down}"   # stopped: port gone
    connected, got_ip = at(wifi, "connected")[0], at(wifi, "got_ip")[0]
    assert 100 * MS <= connected <= 1500 * MS  # scan to the AP's channel, auth, 4-way
    assert 800 * MS <= got_ip - connected <= 2 * S
    # the address is on the board's IP stack while associated, gone after stop
    assert sim.devices.net.addresses() == {}


SWITCH = r"""
-module(wifi_switch).
-export([start/0]).
start() ->
    Self = self(),
    {ok, _} = network:start([{sta, [{ssid, "home"}, {psk, "secret99"},
                                    {got_ip, fun(I) -> Self ! {ip, I} end},
                                    {disconnected, fun() -> Self ! disc end}]}]),
    receive {ip, I1} -> io:format("~p~n", [I1]) end,
    io:format("~p~n", [network:sta_connect([{ssid, "lab"}, {psk, "password2"}])]),
    receive disc -> io:format("disc~n") end,
    receive {ip, I2} -> io:format("~p ~p~n", [I2, network:sta_rssi()]) end.
"""


def test_sta_connect_moves_the_station_to_another_network(tmp_path):
    lab = dict(ssid="lab", psk="password2", subnet="10.0.0.0/24", rssi=-70)
    sim, console, wifi = board_sim(tmp_path, "wifi_switch", SWITCH, aps=[HOME, lab])
    assert sim.run(until_ns=30 * S, timeout=True).why == "returned", text(console)
    assert text(console) == ("{{192,168,1,100},{255,255,255,0},{192,168,1,1}}\n"
                             "ok\n"
                             "disc\n"                     # it left home first
                             "{{10,0,0,100},{255,255,255,0},{10,0,0,1}} {ok,-70}\n")
    assert reasons(wifi) == [8]                        # ASSOC_LEAVE
    assert sim.devices.net.addresses()["sta"][0] == (10, 0, 0, 100)


FAIL = r"""
-module(wifi_fail).
-export([start/0]).
start() ->
    io:format("~p~n", [network:wait_for_sta([{ssid, "__SSID__"}, {psk, "__PSK__"}], 30000)]).
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
@pytest.mark.parametrize("ssid,psk,reason,lo,hi", [
    ("home", "wrong-pass", 15, 2 * S, 6 * S),    # WPA2: the 4-way handshake times out
    ("nowhere", "secret99", 201, 1 * S, 3 * S),  # every channel scanned, no such SSID
    ("cafe", "longpassword", 211, 1 * S, 3 * S),  # 8+ chars: open APs below the threshold
])
def test_failures_end_as_esp_idf_reports_them(tmp_path, board, ssid, psk, reason, lo, hi):
    src = FAIL.replace("__SSID__", ssid).replace("__PSK__", psk)
    sim, console, wifi = board_sim(tmp_path, "wifi_fail", src, board,
                                   aps=[HOME, dict(ssid="cafe", channel=11, rssi=-70)])
    outcome = sim.run(until_ns=60 * S, timeout=True)
    assert outcome.why == "returned"
    # AtomVM reports a disconnection without its reason; wait_for_sta gives up on it
    assert text(console) == "{error,disconnected}\n"
    assert reasons(wifi) == [reason]
    assert lo <= at(wifi, "disconnected")[0] - at(wifi, "connect")[0] <= hi
    assert at(wifi, "connected") == []


PLACEHOLDER = r"""
-module(wifi_placeholder).
-export([start/0]).
start() ->
    io:format("~p~n", [network:wait_for_sta([{ssid, "myssid"}, {psk, "mypsk"}], 30000)]).
"""


def test_placeholder_credentials_join_the_default_ap(tmp_path):
    sim, console, wifi = board_sim(tmp_path, "wifi_placeholder", PLACEHOLDER,
                                   radio=radio_world(["ssid=avmsim,default"], []))
    assert sim.run(until_ns=30 * S, timeout=True).why == "returned"
    assert text(console) == "{ok,{{192,168,1,100},{255,255,255,0},{192,168,1,1}}}\n"
    assert [v["ssid"] for _, v in wifi if v["op"] == "connected"] == ["avmsim"]
    # without a default AP the same credentials find nothing
    sim, console, wifi = board_sim(tmp_path, "wifi_placeholder", PLACEHOLDER)
    assert sim.run(until_ns=30 * S, timeout=True).why == "returned"
    assert (text(console), reasons(wifi)) == ("{error,disconnected}\n", [201])


RECONNECT = r"""
-module(wifi_reconnect).
-export([start/0]).
start() ->
    Self = self(),
    Tell = fun(What) -> fun(Arg) -> Self ! {What, Arg} end end,
    {ok, _} = network:start([{sta, [{ssid, "home"}, {psk, "secret99"},
                                    {connected, fun() -> Self ! {connected, x} end},
                                    {beacon_timeout, fun() -> Self ! {beacon_timeout, x} end},
                                    {got_ip, Tell(got_ip)}]}]),
    loop(2).
loop(0) -> ok;
loop(N) ->
    receive
        {got_ip, {Ip, _, _}} -> io:format("got_ip ~p ~p~n", [Ip, network:sta_status()]),
                                loop(N - 1);
        {What, _} -> io:format("~p ~p~n", [What, network:sta_status()]), loop(N)
    end.
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_station_reconnects_when_its_ap_comes_back(tmp_path, board):
    sim, console, wifi = board_sim(tmp_path, "wifi_reconnect", RECONNECT, board, aps=[HOME])
    assert sim.run(until_ns=3 * S).why == "paused"
    sim.wifi_ap("home").down()
    down_at = sim.now_ns()
    assert sim.run(until_ns=20 * S).why == "paused"
    sim.wifi_ap("home").up()
    up_at = sim.now_ns()
    outcome = sim.run(until_ns=40 * S, timeout=True)
    assert outcome.why == "returned", text(console)
    # the default disconnected callback (none given) calls sta_connect/0 again and again
    assert text(console) == ("connected associated\n"
                             "got_ip {192,168,1,100} connected\n"
                             "beacon_timeout degraded\n"
                             "connected associated\n"
                             "got_ip {192,168,1,100} connected\n")
    lost = reasons(wifi)
    assert lost[0] == 200 and set(lost[1:]) == {201} and len(lost) >= 5
    assert 3 * S <= at(wifi, "disconnected")[0] - down_at <= 10 * S
    assert up_at < at(wifi, "connected")[1] <= up_at + 4 * S


def test_an_ap_back_within_the_inactive_time_keeps_its_station(tmp_path):
    sim, console, wifi = board_sim(tmp_path, "wifi_reconnect", RECONNECT, aps=[HOME])
    sim.run(until_ns=3 * S)
    home = sim.wifi_ap("home")
    home.down()
    sim.at(sim.now_ns() + 5 * S, home.up)       # after the beacon timeout, before 6 s
    assert sim.run(until_ns=30 * S).why == "paused"
    assert text(console) == ("connected associated\n"
                             "got_ip {192,168,1,100} connected\n"
                             "beacon_timeout degraded\n")   # AtomVM keeps it degraded
    assert reasons(wifi) == []
    assert sim.devices.net.addresses()["sta"][0] == (192, 168, 1, 100)


SCAN = r"""
-module(wifi_scan_app).
-export([start/0]).
start() ->
    {ok, _} = network:start([{sta, [managed]}]),
    T0 = erlang:monotonic_time(millisecond),
    {ok, {N, Nets}} = network:wifi_scan(),
    T1 = erlang:monotonic_time(millisecond),
    io:format("~p ~p ms~n", [N, T1 - T0]),
    [io:format("~s ~p ~p ~p ~p ~p~n", [maps:get(ssid, M), maps:get(rssi, M), maps:get(channel, M),
                                      maps:get(authmode, M), maps:get(hidden, M),
                                      maps:get(bssid, M)]) || M <- Nets],
    io:format("~w~n", [network:wifi_scan([{results, 3}, show_hidden])]),
    io:format("~p~n", [network:wifi_scan([{dwell, 1501}])]),
    ok = network:stop(),
    Self = self(),
    {ok, _} = network:start([{sta, [managed, {scan_done, Self}]}]),
    ok = network:wifi_scan([{results, 1}]),
    receive {scan_results, R} -> io:format("callback ~w~n", [R]) end,
    ok = network:stop().
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_scan_lists_what_is_in_range_strongest_first(tmp_path, board):
    aps = [HOME, dict(ssid="cafe", channel=11, rssi=-70),
           dict(ssid="secret", psk="hidden-net", auth="wpa3_psk", channel=3, rssi=-60,
                hidden=True, bssid=bytes.fromhex("020000000042"))]
    sim, console, _ = board_sim(tmp_path, "wifi_scan_app", SCAN, board, aps=aps)
    outcome = sim.run(until_ns=60 * S, timeout=True)
    out = text(console)
    assert outcome.why == "returned", out
    lines = out.splitlines()
    count, ms = lines[0].split()[:2]
    assert count == "3"                          # the hidden network is left out
    assert 1500 <= int(ms) <= 1800               # 120 ms per channel, 13-14 channels
    assert [line.split()[:5] for line in lines[1:4]] == [
        ["avmsim", "-45", "1", "open", "false"],
        ["home", "-55", "6", "wpa2_psk", "false"],
        ["cafe", "-70", "11", "open", "false"]]
    assert lines[4] == ("{ok,{4,[#{authmode => open,bssid => <<2,97,118,109,0,4>>,channel => 1,"
                        "hidden => false,rssi => -45,ssid => <<97,118,109,115,105,109>>},"
                        "#{authmode => wpa2_psk,bssid => <<2,97,118,109,0,1>>,channel => 6,"
                        "hidden => false,rssi => -55,ssid => <<104,111,109,101>>},"
                        "#{authmode => wpa3_psk,bssid => <<2,0,0,0,0,66>>,channel => 3,"
                        "hidden => true,rssi => -60,ssid => <<>>}]}}")
    assert lines[5] == "{error,badarg}"
    assert lines[6] == ("callback {3,[#{authmode => open,bssid => <<2,97,118,109,0,4>>,"
                        "channel => 1,hidden => false,rssi => -45,"
                        "ssid => <<97,118,109,115,105,109>>}]}")
    assert len(lines) == 7


AP_DEFAULT = r"""
-module(wifi_ap_default).
-export([start/0]).
start() ->
    Self = self(),
    {ok, _} = network:start([{ap, [{ap_started, fun() -> Self ! ap_started end}]},
                             {sta, [{ssid, "home"}, {psk, "secret99"},
                                    {got_ip, fun(I) -> Self ! {got_ip, I} end}]}]),
    receive ap_started -> io:format("ap_started~n") end,
    receive {got_ip, I} -> io:format("~p~n", [I]) end.
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_ap_sta_mode_runs_both_with_the_default_ap_name(tmp_path, board):
    sim, console, wifi = board_sim(tmp_path, "wifi_ap_default", AP_DEFAULT, board, aps=[HOME])
    outcome = sim.run(until_ns=30 * S, timeout=True)
    assert outcome.why == "returned", text(console)
    assert text(console) == "ap_started\n{{192,168,1,100},{255,255,255,0},{192,168,1,1}}\n"
    base = sim.devices.mac
    softap = (int.from_bytes(base, "big") + 1).to_bytes(6, "big")
    started = [v for _, v in wifi if v["op"] == "ap_start"]
    assert started == [{"op": "ap_start", "ssid": "atomvm-" + softap.hex(), "channel": 1,
                        "auth": "open"}]
    assert sim.devices.net.addresses() == {
        "ap": ((192, 168, 4, 1), (255, 255, 255, 0), (192, 168, 4, 1)),
        "sta": ((192, 168, 1, 100), (255, 255, 255, 0), (192, 168, 1, 1))}
    assert sim.wifi_ap("atomvm-" + softap.hex()).channel == 6   # follows the station's


SNTP = r"""
-module(wifi_sntp).
-export([start/0]).
start() ->
    Before = erlang:system_time(second),
    Self = self(),
    {ok, _} = network:start([{sta, [{ssid, "avmsim"}]},
                             {sntp, [{host, "pool.ntp.org"},
                                     {synchronized, fun(TV) -> Self ! {sync, TV} end}]}]),
    receive {sync, {Sec, USec}} ->
        Now = erlang:system_time(microsecond),
        io:format("~p ~p ~p ~p~n", [Before, Sec, USec, Now - (Sec * 1000000 + USec)])
    end.
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_sntp_sets_the_wall_clock_to_the_worlds_time(tmp_path, board):
    world_epoch = 1_767_225_600     # the simulation's epoch; the board boots in 1970
    radio = RadioWorld(epoch_ns=world_epoch * S)
    sim, console, wifi = board_sim(tmp_path, "wifi_sntp", SNTP, board, radio=radio, epoch_s=0)
    outcome = sim.run(until_ns=30 * S, timeout=True)
    assert outcome.why == "returned", text(console)
    before, sec, usec, lag_us = map(int, text(console).split())
    assert before == 0                       # no time yet: the clock started at 1970
    synced_at = at(wifi, "sntp_sync")[0]
    assert sec * 1_000_000 + usec == world_epoch * 1_000_000 + synced_at // 1000
    assert at(wifi, "got_ip")[0] < synced_at <= at(wifi, "got_ip")[0] + 2 * S
    assert 0 <= lag_us < 100_000             # the callback ran just after, on the new clock


PROTOCOL = r"""
-module(wifi_port).
-export([start/0]).
ask(P, Cmd) -> R = make_ref(), P ! {self(), R, Cmd}, receive {R, A} -> A after 5000 -> none end.
start() ->
    P = open_port({spawn, "network"}, []),
    io:format("~p~n", [ask(P, rssi)]),
    io:format("~p~n", [ask(P, {start, []})]),
    io:format("~p~n", [ask(P, {start, [{ap, [{psk, "short"}]}]})]),
    io:format("~p~n", [ask(P, frobnicate)]),
    io:format("~p~n", [ask(P, {scan, []})]),
    R = make_ref(),
    P ! {self(), R, {start, [{sta, [{ssid, <<"avmsim">>}]}]}},
    receive {R, ok} -> ok end,
    timer:sleep(100),
    io:format("~p~n", [ask(P, {scan, []})]),
    io:format("~p~n", [ask(P, {connect, [{ssid, "other"}]})]),
    receive {R, E1} -> io:format("~p~n", [E1]) end,
    receive {R, E2} -> io:format("~p~n", [E2]) end,
    io:format("~p~n", [ask(P, {scan, [{results, 21}]})]),
    io:format("~p~n", [ask(P, {cancel_scan, me})]),
    io:format("~p~n", [ask(P, halt_sta)]),
    receive {R, E3} -> io:format("~p~n", [E3]) end,
    Mon = erlang:monitor(port, P),
    P ! {self(), make_ref(), stop},
    receive {'DOWN', Mon, port, P, Why} -> io:format("down ~p~n", [Why]) end.
"""


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_the_port_speaks_network_driver_c(tmp_path, board):
    sim, console, _ = board_sim(tmp_path, "wifi_port", PROTOCOL, board)
    outcome = sim.run(until_ns=30 * S, timeout=True)
    assert outcome.why == "returned", text(console)
    assert text(console) == (
        "{error,network_down}\n"                # not associated
        "{error,badarg}\n"                      # neither sta nor ap
        "{error,badarg}\n"                      # AP PSK shorter than 8
        "{error,badarg}\n"                      # unknown command
        "{scan_results,{error,unsupported_mode}}\n"   # not started in STA mode
        "{scan_results,{error,<<\"ESP_ERR_WIFI_STATE\">>}}\n"   # while connecting
        "{error,12294}\n"                      # ESP_ERR_WIFI_STATE from esp_wifi_set_config
        "sta_connected\n"
        "{sta_got_ip,{{192,168,1,100},{255,255,255,0},{192,168,1,1}}}\n"
        "{scan_results,{error,badarg}}\n"       # at most 20 results on ESP32 and C3
        "{scan_canceled,me,ok}\n"
        "ok\n"
        "sta_disconnected\n"
        "down normal\n")


NO_RADIO = r"""
-module(wifi_none).
-export([start/0]).
start() -> io:format("~p~n", [catch open_port({spawn, "network"}, [])]).
"""


@pytest.mark.parametrize("board", ["pico", "nucleo-f429zi"])
def test_boards_without_wifi_have_no_network_port(tmp_path, board):
    beam = compile_erl(tmp_path, "wifi_none", NO_RADIO)
    sim = Simulation(get_board(board), [str(beam)])
    console: list[bytes] = []
    sim.devices.console.add_sink(console.append)
    assert sim.run(until_ns=5 * S, timeout=True).why == "returned"
    assert sim.devices.wifi is None
    assert text(console).startswith("{'EXIT',{badarg,")


def test_same_inputs_same_events(tmp_path):
    runs = []
    for _ in range(2):
        sim, console, wifi = board_sim(tmp_path, "wifi_reconnect", RECONNECT, aps=[HOME])
        sim.run(until_ns=3 * S)
        sim.wifi_ap("home").down()
        sim.at(12 * S, sim.wifi_ap("home").up)
        sim.run(until_ns=40 * S, timeout=True)
        runs.append((text(console), wifi))
    assert runs[0] == runs[1]
