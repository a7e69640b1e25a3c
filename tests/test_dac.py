"""AtomVM's ``esp_dac`` API from Erlang.

Expected values: AtomVM's esp_dac.erl and dac_driver.c (``{ok, {'$dac', _, _}}``;
``{error, invalid_state}`` for a channel in use, ``{error, badarg}`` for options other than
``[{chan_id, 0 | 1}]`` and for a deleted channel, ``badarg`` raised for a level outside 0..255;
the NIFs exist on ESP32 builds only) and ESP-IDF's DAC docs (8 bits spanning 0 to VDD3P3_RTC,
3.3 V: code 128 is 128 / 255 * 3.3 V; DAC_CHAN_0 on GPIO25).
"""
from __future__ import annotations

from typing import Any

import pytest

from helpers import compile_erl

from avmsim.boards import get_board
from avmsim.simulation import Simulation

S = 1_000_000_000

APP = """-module(dac_app).
-export([start/0]).
start() ->
    {ok, Chan} = esp_dac:new_channel(oneshot, [{chan_id, 0}]),
    InUse = esp_dac:new_channel(oneshot, [{chan_id, 0}]),
    BadOpts = esp_dac:new_channel(oneshot, [{chan_id, 2}]),
    ok = esp_dac:oneshot_output_voltage(Chan, 128),
    High = try esp_dac:oneshot_output_voltage(Chan, 256) catch error:E -> E end,
    ok = esp_dac:oneshot_del_channel(Chan),
    io:format("~p ~p ~p ~p ~p~n", [element(1, element(2, {ok, Chan})), InUse, BadOpts, High,
                                   esp_dac:oneshot_del_channel(Chan)]).
"""


C3_APP = """-module(dac_app).
-export([start/0]).
start() ->
    io:format("~p~n", [try esp_dac:new_channel(oneshot, [{chan_id, 0}]) catch error:E -> E end]).
"""


def run(tmp_path: Any, board: str, app: str) -> tuple[str, list[Any]]:
    beam = compile_erl(tmp_path, "dac_app", app)
    sim = Simulation(get_board(board), [str(beam)])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    events: list[Any] = []
    sim.bus.subscribe(events.append, ("device",))
    outcome = sim.run(until_ns=1 * S)
    assert outcome.why == "returned", outcome
    return b"".join(out).decode(), events


def test_oneshot_channel_life_cycle_and_output(tmp_path):
    out, events = run(tmp_path, "esp32-devkit", APP)
    assert out == "'$dac' {error,invalid_state} {error,badarg} badarg {error,badarg}\n"
    assert [(e.source, e.value["pin"], e.value["code"]) for e in events] == [
        ("dac0", "GPIO25", 128)]
    assert events[0].value["volts"] == pytest.approx(128 / 255 * 3.3)


def test_the_c3_has_no_dac_nifs(tmp_path):
    out, _ = run(tmp_path, "esp32-c3-devkitm", C3_APP)
    assert out == "undefined\n"
