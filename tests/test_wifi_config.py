"""Access points declared with ``--wifi`` and ``--wifi-file``: what a real AP could be
(IEEE 802.11: SSIDs of 1-32 bytes, WPA passphrases of 8-63 characters, WEP keys of 5 or 13;
2.4 GHz channels 1-13), one plain message naming the option and key for anything else, and
the radio world's addressing (the router's LAN, DHCP leases kept per MAC)."""
from __future__ import annotations

import pytest

from avmsim.peripherals.wifi import AccessPoint, Lan, RadioWorld
from avmsim.peripherals.wifi_config import WifiConfigError, radio_world

from helpers import avmsim, compile_erl


def test_an_option_declares_an_access_point_beside_the_default_one():
    world = radio_world(["ssid=home,psk=secret99,rssi=-55,channel=6",
                         "ssid=cafe,channel=11,hidden,bssid=02:00:00:00:00:07"], [])
    home, cafe, default = world.access_points
    assert (home.ssid, home.psk, home.auth, home.channel, home.rssi, home.hidden) == \
        ("home", "secret99", "wpa2_psk", 6, -55, False)
    assert (cafe.auth, cafe.hidden, cafe.bssid) == ("open", True, bytes([2, 0, 0, 0, 0, 7]))
    assert (default.ssid, default.auth) == ("avmsim", "open")


def test_declaring_the_default_ssid_replaces_the_builtin_ap():
    world = radio_world(["ssid=avmsim,psk=secret99,default"], [])
    assert [(ap.ssid, ap.auth, ap.default) for ap in world.access_points] == \
        [("avmsim", "wpa2_psk", True)]


@pytest.mark.parametrize("option,message", [
    ("psk=secret99", "ssid: missing"),
    ("ssid=home,psk=short", "psk: a WPA passphrase is 8 to 63 characters"),
    ("ssid=home,psk=secret99,auth=wep", "psk: a WEP key is 5 or 13 characters"),
    ("ssid=home,psk=secret99,auth=open", "psk: an open AP has no passphrase"),
    ("ssid=home,auth=wpa9", "auth: 'wpa9' is not one of open, wep"),
    ("ssid=home,channel=14", "channel: 1 to 13"),
    ("ssid=home,rssi=loud", "rssi: 'loud' is not a whole number"),
    ("ssid=home,bssid=00:11", "bssid: '00:11' is not a MAC address"),
    ("ssid=home,subnet=10.0.0.1/24", "subnet: 10.0.0.1/24 has host bits set"),
    ("ssid=home,hidden=maybe", "hidden: 'maybe' is not true or false"),
    ("ssid=home,colour=red", "unknown key 'colour'"),
    ("ssid=home,,channel=3", "empty item"),
    ("ssid=" + "x" * 33, "ssid: 1 to 32 bytes"),
])
def test_a_bad_option_names_itself_and_the_key(option, message):
    with pytest.raises(WifiConfigError) as info:
        radio_world([option], [])
    assert str(info.value).startswith(f"--wifi {option!r}: {message}")


def test_an_ssid_or_a_default_twice_is_refused():
    with pytest.raises(WifiConfigError, match="ssid: 'home' is declared twice"):
        radio_world(["ssid=home", "ssid=home,channel=3"], [])
    with pytest.raises(WifiConfigError, match="default: 'a' is already the default AP"):
        radio_world(["ssid=a,default", "ssid=b,default"], [])


def test_a_file_declares_ap_tables(tmp_path):
    path = tmp_path / "aps.toml"
    path.write_text('[[ap]]\nssid = "home"\npsk = "secret99"\nchannel = 6\nrssi = -55\n\n'
                    '[[ap]]\nssid = "lab"\nsubnet = "10.1.2.0/24"\nhidden = true\n')
    world = radio_world(["ssid=cafe"], [str(path)])
    assert [ap.ssid for ap in world.access_points] == ["home", "lab", "cafe", "avmsim"]
    assert world.ap("lab").lan.gateway == (10, 1, 2, 1)


@pytest.mark.parametrize("content,message", [
    ('[[ap]]\nssid = "home"\nchannel = "six"\n', "[[ap]] #1: channel: 'six' is not a whole"),
    ('[[ap]]\nssid = "a"\n[[ap]]\npsk = "secret99"\n', "[[ap]] #2: ssid: missing"),
    ('[[wifi]]\nssid = "a"\n', "unknown table 'wifi'"),
    ('[[ap]]\nssid = "a\n', "line 2"),
])
def test_a_bad_file_names_itself_the_table_and_the_key(tmp_path, content, message):
    path = tmp_path / "aps.toml"
    path.write_text(content)
    with pytest.raises(WifiConfigError) as info:
        radio_world([], [str(path)])
    assert str(info.value).startswith(f"--wifi-file {path}: ")
    assert message in str(info.value)


def test_leases_come_from_the_lan_and_stay_with_the_mac():
    lan = Lan("192.168.1.0/24", 100)
    a, b = bytes(6), bytes([0, 0, 0, 0, 0, 1])
    assert (lan.gateway, lan.netmask) == ((192, 168, 1, 1), (255, 255, 255, 0))
    assert lan.lease(a) == (192, 168, 1, 100)
    assert lan.lease(b) == (192, 168, 1, 101)
    assert lan.lease(a) == (192, 168, 1, 100)
    small = Lan("10.0.0.0/29", 6)      # .6 is the last host before the broadcast .7
    assert small.lease(a) == (10, 0, 0, 6)
    assert small.lease(b) is None


def test_routers_on_one_subnet_share_a_lan():
    world = RadioWorld([AccessPoint("a"), AccessPoint("b"), AccessPoint("c", subnet="10.9.0.0/24")])
    assert world.ap("a").lan is world.ap("b").lan is world.ap("avmsim").lan
    assert world.ap("c").lan is not world.ap("a").lan
    with pytest.raises(KeyError, match="access points: a, b, c, avmsim"):
        world.ap("nope")


APP = r"""
-module(wifi_cli).
-export([start/0]).
start() ->
    {ok, {Ip, _, _}} = network:wait_for_sta([{ssid, "home"}, {psk, "secret99"}]),
    {ok, Rssi} = network:sta_rssi(),
    io:format("~p ~p~n", [Ip, Rssi]).
"""


def test_the_command_line_puts_the_board_in_the_declared_world(tmp_path):
    beam = compile_erl(tmp_path, "wifi_cli", APP)
    aps = tmp_path / "aps.toml"
    aps.write_text('[[ap]]\nssid = "home"\npsk = "secret99"\nrssi = -61\n'
                   'subnet = "10.20.30.0/24"\n')
    r = avmsim("--headless", "--wifi-file", str(aps), str(beam), timeout=120)
    assert (r.returncode, r.stdout) == (0, "{10,20,30,100} -61\n"), r.stderr
    r = avmsim("--headless", "--wifi", "ssid=home,psk=secret99,rssi=-48", "--board",
               "esp32-c3-devkitm", str(beam), timeout=120)
    assert (r.returncode, r.stdout) == (0, "{192,168,1,100} -48\n"), r.stderr


def test_a_bad_option_stops_the_command_with_status_2(tmp_path):
    beam = compile_erl(tmp_path, "wifi_cli", APP)
    r = avmsim("--wifi", "ssid=home,channel=0", str(beam), timeout=60)
    assert r.returncode == 2
    assert r.stderr == "avmsim: --wifi 'ssid=home,channel=0': channel: 1 to 13\n"
    r = avmsim("--wifi-file", str(tmp_path / "missing.toml"), str(beam), timeout=60)
    assert r.returncode == 2
    assert r.stderr.startswith(f"avmsim: --wifi-file {tmp_path / 'missing.toml'}: ")
    assert "Traceback" not in r.stderr
