"""NVS, flash partitions and RTC slow memory of the ESP32 (``esp`` module), against AtomVM's
returns (nvs_nif.c, platform_nifs.c, rtc_slow_nif.c) and ESP-IDF's error codes and geometry.

ESP-IDF figures used: ESP_ERR_NVS_NOT_ENOUGH_SPACE = 0x1105 (4357), ESP_ERR_NVS_KEY_TOO_LONG =
0x1109 (4361); NVS pages of 4096 bytes with 126 entries of 32 bytes, one page kept free, a blob
taking an index entry, a chunk header and one entry per 32 bytes. AtomVM's partitions.csv:
nvs (data/nvs) at 0x9000 size 0x6000, factory (app) 0x10000, boot.avm and main.avm (data/phy)
at 0x1D0000 and 0x250000.
"""
from __future__ import annotations

from avmsim.boards import get_board
from avmsim.simulation import Simulation

from helpers import avmsim, compile_erl

S = 1_000_000_000


def run_app(tmp_path, name: str, source: str, board: str = "esp32-devkit",
            until_ns: int = 20 * S) -> tuple[str, object]:
    """Run an Erlang app through the Python API; the console text and the outcome."""
    beam = compile_erl(tmp_path, name, source)
    sim = Simulation(get_board(board), [str(beam)])
    console: list[bytes] = []
    sim.devices.console.add_sink(console.append)
    outcome = sim.run(until_ns=until_ns)
    return b"".join(console).decode(), outcome


NVS_CALLS = r"""
-module(nvs_calls).
-export([start/0]).
start() ->
    show(esp:nvs_get_binary(app, count)),
    show(esp:nvs_fetch_binary(app, count)),
    show(esp:nvs_get_binary(app, count, <<"dflt">>)),
    show(esp:nvs_set_binary(app, count, <<1, 2, 3>>)),
    show(esp:nvs_fetch_binary(app, count)),
    show(esp:nvs_fetch_binary(app, missing)),
    show(esp:nvs_get_binary(app, missing, <<"dflt">>)),
    show(esp:nvs_set_binary(deflt, <<"in atomvm">>)),
    show(esp:nvs_fetch_binary(atomvm, deflt)),
    show(esp:nvs_erase_key(app, missing)),
    show(esp:nvs_erase_key(app, count)),
    show(esp:nvs_fetch_binary(app, count)),
    show(esp:nvs_put_binary(app, a, <<"a">>)),
    show(esp:nvs_put_binary(app, b, <<"b">>)),
    show(esp:nvs_erase_all(app)),
    show({esp:nvs_fetch_binary(app, a), esp:nvs_fetch_binary(app, b)}),
    show(catch esp:nvs_put_binary(app, sixteen_chars_ab, <<"x">>)),
    show(catch esp:nvs_put_binary(namespace_of_16ch, key, <<"x">>)),
    show(esp:nvs_fetch_binary(app, sixteen_chars_ab)),
    show(catch esp:nvs_put_binary(app, "key", <<"x">>)),
    show(esp:nvs_put_binary(app, fifteen_chars_a, <<"ok">>)),
    show(esp:nvs_reformat()),
    show(esp:nvs_fetch_binary(app, fifteen_chars_a)),
    ok.
show({'EXIT', {Reason, _}}) -> io:format("EXIT ~p~n", [Reason]);
show(T) -> io:format("~p~n", [T]).
"""


def test_nvs_calls_return_what_atomvm_returns(tmp_path):
    text, outcome = run_app(tmp_path, "nvs_calls", NVS_CALLS)
    assert outcome.why == "returned", text
    lines = [line for line in text.splitlines() if not line.startswith(("Unable", "Warning"))]
    assert lines == [
        "undefined", "{error,namespace_not_found}", '<<"dflt">>', "ok",
        "{ok,<<1,2,3>>}", "{error,not_found}", '<<"dflt">>', "ok",
        '{ok,<<"in atomvm">>}', "ok", "ok", "{error,not_found}", "ok", "ok", "ok",
        "{{error,not_found},{error,not_found}}",
        "EXIT 4361", "EXIT 4361", "{error,not_found}", "EXIT badarg", "ok",
        "ok", "{error,namespace_not_found}",
    ]
    # what nvs_nif.c prints before raising, and nvs_reformat's warning
    assert ("Unable to set NVS blob. namespace='app' key='sixteen_chars_ab' size=1 err=4361"
            in text)
    assert "Warning: Reformatted NVS partition!\n" in text


FILL = r"""
-module(fill).
-export([start/0]).
start() ->
    Blob = binary:copy(<<7>>, 3968),
    [ok = esp:nvs_set_binary(big, K, Blob) || K <- [k1, k2, k3, k4]],
    io:format("fifth ~p~n", [catch esp:nvs_set_binary(big, k5, Blob)]),
    io:format("still ~p~n", [esp:nvs_get_binary(big, k4) =:= Blob]),
    ok = esp:nvs_erase_key(big, k1),
    io:format("after erase ~p~n", [esp:nvs_set_binary(big, k5, Blob)]),
    ok.
"""


def test_a_full_partition_fails_with_not_enough_space(tmp_path):
    # 5 usable pages x 126 entries = 630; a namespace takes 1 and a 3968-byte blob
    # 1 + 1 + 124 = 126: four fit (505), a fifth would need 631.
    text, outcome = run_app(tmp_path, "fill", FILL)
    assert outcome.why == "returned", text
    assert "fifth {'EXIT',{4357," in text
    assert "still true" in text
    assert "after erase ok" in text


RESTART = r"""
-module(nvs_restart).
-export([start/0]).
start() ->
    case esp:reset_reason() of
        esp_rst_poweron ->
            ok = esp:nvs_set_binary(app, boots, <<"first">>),
            esp:restart();
        Reason ->
            io:format("~p ~p~n", [Reason, esp:nvs_get_binary(app, boots)]),
            ok
    end.
"""


def test_nvs_survives_esp_restart(tmp_path):
    text, outcome = run_app(tmp_path, "nvs_restart", RESTART)
    assert outcome.why == "returned", text
    assert text == 'esp_rst_sw <<"first">>\n'


COUNTER = r"""
-module(counter).
-export([start/0]).
start() ->
    N = case esp:nvs_get_binary(app, runs) of
            undefined -> 0;
            <<V:32>> -> V
        end,
    io:format("runs ~p~n", [N]),
    esp:nvs_set_binary(app, runs, <<(N + 1):32>>).
"""


def test_nvs_file_persists_across_runs(tmp_path):
    beam = compile_erl(tmp_path, "counter", COUNTER)
    store = tmp_path / "board.nvs"
    first = avmsim("--headless", "--nvs", str(store), str(beam))
    assert first.returncode == 0, first.stderr
    assert first.stdout == "runs 0\n"
    assert store.stat().st_size == 0x6000   # the whole nvs partition
    second = avmsim("--headless", "--nvs", str(store), str(beam))
    assert second.stdout == "runs 1\n", second.stderr


def test_nvs_file_is_written_back_when_the_app_crashes(tmp_path):
    beam = compile_erl(tmp_path, "crasher", r"""
-module(crasher).
-export([start/0]).
start() -> ok = esp:nvs_set_binary(app, k, <<"v">>), erlang:error(boom).
""")
    reader = compile_erl(tmp_path, "reader", r"""
-module(reader).
-export([start/0]).
start() -> io:format("~p~n", [esp:nvs_get_binary(app, k)]).
""")
    store = tmp_path / "crash.nvs"
    assert avmsim("--headless", "--nvs", str(store), str(beam)).returncode == 1
    assert avmsim("--headless", "--nvs", str(store), str(reader)).stdout == '<<"v">>\n'


def test_a_corrupt_nvs_file_is_refused_and_left_alone(tmp_path):
    beam = compile_erl(tmp_path, "counter", COUNTER)
    store = tmp_path / "corrupt.nvs"
    store.write_bytes(b"not an nvs image" * 10)
    result = avmsim("--headless", "--nvs", str(store), str(beam))
    assert result.returncode == 2
    assert str(store) in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == b"not an nvs image" * 10
    too_big = tmp_path / "big.nvs"
    too_big.write_bytes(b"\xff" * 0x7000)
    assert avmsim("--headless", "--nvs", str(too_big), str(beam)).returncode == 2


PARTITIONS = r"""
-module(parts).
-export([start/0]).
start() ->
    show(esp:partition_list()),
    {ok, Header} = esp:partition_read(<<"main.avm">>, 0, 22),
    show(Header),
    show(esp:partition_read("factory", 0, 4)),
    show(esp:partition_read(<<"nope">>, 0, 4)),
    show(catch esp:partition_read(main_avm, 0, 4)),
    show(esp:partition_read(<<"nvs">>, 16#6000 - 2, 4)),
    Off = 16#F0000,
    ok = esp:partition_erase_range(<<"main.avm">>, Off, 4096),
    ok = esp:partition_write(<<"main.avm">>, Off, <<16#0F, 16#AA>>),
    ok = esp:partition_write(<<"main.avm">>, Off, <<16#F0>>),
    show(esp:partition_read(<<"main.avm">>, Off, 3)),
    show(esp:partition_mmap(<<"main.avm">>, Off, 2)),
    show(esp:partition_erase_range(<<"main.avm">>, Off + 1, 4096)),
    ok = esp:partition_erase_range(<<"main.avm">>, Off),
    show(esp:partition_read(<<"main.avm">>, Off, 3)),
    show(esp:partition_write(<<"factory">>, 0, <<0>>)),
    ok.
show({'EXIT', {Reason, _}}) -> io:format("EXIT ~p~n", [Reason]);
show(T) -> io:format("~w~n", [T]).
"""


def test_partitions_as_atomvm_reports_and_nor_flash_behaves(tmp_path):
    text, outcome = run_app(tmp_path, "parts", PARTITIONS)
    assert outcome.why == "returned", text
    assert text.splitlines() == [
        '[{<<110,118,115>>,1,2,36864,24576,[]},{<<102,97,99,116,111,114,121>>,0,0,65536,'
        '1835008,[]},{<<98,111,111,116,46,97,118,109>>,1,1,1900544,524288,[]},'
        '{<<109,97,105,110,46,97,118,109>>,1,1,2424832,1048576,[]}]',
        "<<" + ",".join(str(b) for b in b"#!/usr/bin/env AtomVM\n") + ">>",  # the app pack
        "error", "error", "EXIT badarg", "error",
        "{ok,<<0,170,255>>}",    # programming only clears bits: 0x0F AND 0xF0 = 0
        "{ok,<<0,170>>}",
        "error",                 # not on a sector boundary
        "{ok,<<255,255,255>>}",
        "error",                 # app partitions are not data partitions
    ]


RTC = r"""
-module(rtc).
-export([start/0]).
start() ->
    case esp:reset_reason() of
        esp_rst_poweron ->
            show(catch esp:rtc_slow_get_binary()),
            show(catch esp:rtc_slow_set_binary(binary:copy(<<1>>, 4097))),
            ok = esp:rtc_slow_set_binary(binary:copy(<<1>>, 4096)),
            ok = esp:rtc_slow_set_binary(<<"kept across restart">>),
            esp:restart();
        _ ->
            show(esp:rtc_slow_get_binary()),
            ok
    end.
show({'EXIT', {Reason, _}}) -> io:format("EXIT ~p~n", [Reason]);
show(T) -> io:format("~p~n", [T]).
"""


def test_rtc_slow_memory_is_unset_at_power_on_and_kept_across_restart(tmp_path):
    text, outcome = run_app(tmp_path, "rtc", RTC)
    assert outcome.why == "returned", text
    assert text.splitlines() == ["EXIT badarg", "EXIT badarg", '<<"kept across restart">>']
