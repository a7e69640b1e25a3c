"""Two ESP32 boards in one world: one runs a soft AP, the other joins it (AtomVM's
``network:wait_for_ap/1`` and ``wait_for_sta/1``). Expected: ESP-IDF's soft-AP network
(192.168.4.1/24, leases from .2), the soft AP's BSSID (base MAC + 1) and the AP events
AtomVM's network_driver.c sends (``ap_sta_connected`` / ``ap_sta_ip_assigned`` /
``ap_sta_disconnected`` with the station's MAC, its base MAC)."""
from __future__ import annotations

from avmsim.world import World
from avmsim.world_file import load_world_file

from helpers import compile_erl

S = 1_000_000_000

AP_HOST = r"""
-module(wifi_ap_host).
-export([start/0]).
start() ->
    Self = self(),
    Tell = fun(What) -> fun(Arg) -> Self ! {What, Arg} end end,
    ok = network:wait_for_ap([{ssid, "board_ap"}, {psk, "password1"},
                              {sta_connected, Tell(sta_connected)},
                              {sta_ip_assigned, Tell(sta_ip_assigned)},
                              {sta_disconnected, Tell(sta_disconnected)}]),
    io:format("ap up ~p~n", [network:sta_status()]),
    loop().
loop() ->
    receive
        {sta_disconnected, _} = Last -> io:format("~p~n", [Last]);
        Event -> io:format("~p~n", [Event]), loop()
    end.
"""

AP_CLIENT = r"""
-module(wifi_ap_client).
-export([start/0]).
start() ->
    timer:sleep(500),
    {ok, _} = network:start([{sta, [managed]}]),
    {ok, {_, Nets}} = network:wifi_scan(),
    [io:format("~s ~p ~p~n", [S, A, B]) || #{ssid := S, authmode := A, bssid := B} <- Nets],
    ok = network:stop(),
    io:format("~p~n", [network:wait_for_sta([{ssid, "board_ap"}, {psk, "password1"}])]),
    ok = network:sta_disconnect(),
    timer:sleep(100).
"""


def world(tmp_path):
    host = compile_erl(tmp_path, "wifi_ap_host", AP_HOST)
    client = compile_erl(tmp_path, "wifi_ap_client", AP_CLIENT)
    path = tmp_path / "world.toml"
    path.write_text(f'[[board]]\nname = "hub"\nboard = "esp32-devkit"\npacks = ["{host}"]\n'
                    f'mac = "24:0A:C4:00:32:01"\n\n'
                    f'[[board]]\nname = "client"\nboard = "esp32-c3-devkitm"\n'
                    f'packs = ["{client}"]\nmac = "24:0A:C4:00:C3:01"\n')
    w = World(load_world_file(path))
    consoles = {name: [] for name in w.sims}
    for name, sim in w.sims.items():
        sim.devices.console.add_sink(consoles[name].append)
    return w, consoles


def test_a_board_joins_another_boards_soft_ap(tmp_path):
    w, consoles = world(tmp_path)
    results = w.run(until_ns=30 * S, timeout=True)
    out = {name: b"".join(c).decode() for name, c in consoles.items()}
    assert {n: r.why for n, r in results.items()} == {"hub": "returned", "client": "returned"}
    assert out["client"] == ("board_ap wpa_wpa2_psk <<36,10,196,0,50,2>>\n"
                             "avmsim open <<2,97,118,109,0,1>>\n"
                             "{ok,{{192,168,4,2},{255,255,255,0},{192,168,4,1}}}\n")
    assert out["hub"] == ("ap up inactive\n"
                          "{sta_connected,<<36,10,196,0,195,1>>}\n"
                          "{sta_ip_assigned,{192,168,4,2}}\n"
                          "{sta_disconnected,<<36,10,196,0,195,1>>}\n")


def test_the_same_world_gives_the_same_output(tmp_path):
    runs = []
    for _ in range(2):
        w, consoles = world(tmp_path)
        w.run(until_ns=30 * S, timeout=True)
        runs.append({name: b"".join(c) for name, c in consoles.items()})
    assert runs[0] == runs[1]
