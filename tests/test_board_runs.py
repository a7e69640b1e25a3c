"""Apps driving the board's peripherals, checked through the traces and the Python API.

- blink on esp32-devkit: the VCD holds GPIO2 edges exactly every half period and nothing
  else changes;
- the button example: a press at a virtual time toggles the LED within the expected delay;
- GPIO through the ``gpio`` port, UART bridged to a pty and echoed by an Erlang app;
- the CI flags' exit statuses (timeout 42, expect 0, fail 1) and their messages.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serial

from avmsim.boards import get_board
from avmsim.simulation import Simulation

from helpers import avmsim, compile_erl

IMAGES = Path(__file__).resolve().parent.parent / "firmware_images"
BLINK = str(IMAGES / "blink.avm")
BUTTON = str(IMAGES / "button.avm")
MS = 1_000_000
S = 1_000_000_000


def parse_vcd(text: str) -> tuple[dict[str, str], list[tuple[int, str, str]]]:
    """Variables (id -> name) and changes (time, name, value) of a VCD file."""
    ids = dict((m.group(1), m.group(2)) for m in
               re.finditer(r"\$var wire 1 (\S+) (\S+) \$end", text))
    body = text.split("$enddefinitions $end", 1)[1]
    if "$dumpvars" in body:
        body = body.split("$end", 1)[1]   # initial values are not changes
    changes, t = [], 0
    for token in body.split():
        if token.startswith("#"):
            t = int(token[1:])
        elif token[0] in "01xz" and token[1:] in ids:
            changes.append((t, ids[token[1:]], token[0]))
    return ids, changes


def test_blink_vcd_has_gpio2_edges_every_half_period(tmp_path):
    vcd = tmp_path / "blink.vcd"
    result = avmsim("--board", "esp32-devkit", "--headless", "--timeout", "5s",
                    "--vcd", str(vcd), BLINK)
    assert result.returncode == 42, result.stderr
    assert "timeout: 5 s of virtual time" in result.stderr
    assert result.stdout.startswith("Setting pin 2 low\nSetting pin 2 high\n")
    ids, changes = parse_vcd(vcd.read_text())
    assert "GPIO2" in ids.values() and "GPIO0" in ids.values()
    assert {name for _, name, _ in changes} == {"GPIO2"}
    levels = [v for _, _, v in changes]
    assert levels == ["1", "0"] * (len(levels) // 2) + ["1"] * (len(levels) % 2)
    times = [t for t, _, _ in changes]
    gaps = [b - a for a, b in zip(times, times[1:])]
    # each half period is timer:sleep(1000) plus the instructions of one loop turn (printing
    # "low" and "high" costs a little differently, so the two halves differ by microseconds)
    assert len(times) == 4 and all(1000 * MS < g < 1001 * MS for g in gaps), (times, gaps)
    # the same cycles each time; stamps are whole ns of a 240 MHz clock, so ±1 ns of rounding
    assert abs(gaps[0] - gaps[2]) <= 1 and abs(gaps[0] - gaps[1]) > 1, \
        "each kind of half period repeats"


def test_button_press_toggles_led_through_interrupt():
    sim = Simulation(get_board("esp32-devkit"), [BUTTON])
    assert sim.run(until_ns=500 * MS).why == "paused"
    assert sim.pin("GPIO2") == 0
    sim.press("BOOT", at_ns=600 * MS, release_after_ns=100 * MS)
    changes = []
    sim.bus.subscribe(lambda ev: changes.append(ev), ("pin",))
    sim.run(until_ns=1 * S)
    led = [ev for ev in changes if ev.source == "GPIO2"]
    assert [ev.value for ev in led] == [1]
    assert 600 * MS < led[0].t_ns < 601 * MS, "the interrupt is served within a millisecond"
    sim.press("BOOT", at_ns=1200 * MS, release_after_ns=100 * MS)
    sim.run(until_ns=2 * S)
    assert [ev.value for ev in changes if ev.source == "GPIO2"] == [1, 0]
    assert sim.pin("GPIO2") == 0


def test_same_run_same_trace(tmp_path):
    def trace(name: str) -> str:
        path = tmp_path / name
        result = avmsim("--headless", "--timeout", "3s", "--trace", str(path), BLINK)
        assert result.returncode == 42
        return path.read_text()
    first, second = trace("a.jsonl"), trace("b.jsonl")
    assert first == second
    kinds = {json.loads(line)["kind"] for line in first.splitlines()}
    assert {"pin", "pin_mode", "uart_tx", "board"} <= kinds


GPIO_PORT_APP = """
-module(gpio_port_app).
-export([start/0]).
start() ->
    GPIO = gpio:start(),
    ok = gpio:set_direction(GPIO, 4, output),
    ok = gpio:set_level(GPIO, 4, high),
    High = gpio:read(GPIO, 4),
    ok = gpio:set_direction(GPIO, 0, input),
    Boot = gpio:read(GPIO, 0),
    ok = gpio:set_int(GPIO, 0, falling),
    io:format("~p ~p ~p~n", [High, Boot, GPIO =:= whereis(gpio)]),
    receive {gpio_interrupt, 0} -> io:format("interrupt~n") end,
    ok = gpio:remove_int(GPIO, 0),
    ok = gpio:stop(),
    io:format("~p~n", [whereis(gpio)]),
    ok.
"""


def test_gpio_port_protocol(tmp_path):
    beam = compile_erl(tmp_path, "gpio_port_app", GPIO_PORT_APP)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    out = []
    sim.devices.console.add_sink(out.append)
    sim.press("BOOT", at_ns=50 * MS)
    outcome = sim.run(until_ns=1 * S)
    assert outcome.why == "returned", outcome
    assert b"".join(out) == b"high high true\ninterrupt\nundefined\n"
    assert sim.pin("GPIO4") == 1


UART_ECHO_APP = """
-module(uart_echo).
-export([start/0]).
start() ->
    UART = uart:open("UART1", [{speed, 115200}]),
    loop(UART).
loop(UART) ->
    case uart:read(UART) of
        {ok, <<"quit", _/binary>>} -> uart:write(UART, <<"bye">>), uart:close(UART), ok;
        {ok, Data} -> ok = uart:write(UART, [<<"echo:">>, Data]), loop(UART)
    end.
"""


def test_uart_bridged_to_pty_echoes(tmp_path):
    """An Erlang app echoes UART1; a test talks to it through a pty with pyserial."""
    from avmsim.host_inputs import HostInputs
    beam = compile_erl(tmp_path, "uart_echo", UART_ECHO_APP)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    inputs = HostInputs(sim)
    bridge = inputs.bridge("UART1", "pty")
    with serial.Serial(bridge.path, 115200, timeout=5) as port:
        port.write(b"hello")
        port.flush()
        time.sleep(0.05)
        sim.run(until_ns=100 * MS)
        assert port.read(10) == b"echo:hello"
        port.write(b"quit")
        port.flush()
        outcome = sim.run(until_ns=10 * S)   # blocks on host input while the app waits
        assert outcome.why == "returned", outcome
        assert port.read(3) == b"bye"
    inputs.close()


CONSOLE_APP = """
-module(console_app).
-export([start/0]).
start() ->
    io:format("booting~n"),
    timer:sleep(200),
    io:format("ready at ~p~n", [erlang:monotonic_time(millisecond) div 100 * 100]),
    timer:sleep(200),
    io:format("PANIC~n"),
    timer:sleep(10000),
    ok.
"""


@pytest.mark.parametrize("flags, status, message", [
    (["--timeout", "100ms"], 42, "timeout: 0.1 s of virtual time passed"),
    (["--expect-text", "ready at"], 0, "expected text 'ready at' seen at 0.2"),
    (["--fail-text", "PANIC", "--timeout", "1s"], 1, "failure text 'PANIC' seen at 0.4"),
    (["--expect-text", "ready", "--fail-text", "booting"], 1, "failure text 'booting'"),
    (["--timeout", "1x"], 2, "--timeout: '1x' is not a duration"),
    (["--uart", "7=pty"], 2, "board esp32-devkit has no UART 7 (UARTs: UART0, UART1, UART2)"),
    (["--uart", "1=tcp:abc"], 2, "cannot bridge UART1 to 'tcp:abc'"),
    (["--uart", "1"], 2, "--uart wants N=SPEC"),
])
def test_ci_flags_exit_statuses(tmp_path, flags, status, message):
    beam = compile_erl(tmp_path, "console_app", CONSOLE_APP)
    result = avmsim("--headless", *flags, str(beam))
    assert result.returncode == status, result.stderr
    assert message in result.stderr


def test_serial_log_holds_the_console(tmp_path):
    beam = compile_erl(tmp_path, "console_app", CONSOLE_APP)
    log = tmp_path / "serial.log"
    result = avmsim("--headless", "--serial-log", str(log), "--expect-text", "PANIC",
                    str(beam))
    assert result.returncode == 0
    assert log.read_bytes() == result.stdout.encode() == b"booting\nready at 200\nPANIC\n"


PLATFORM_APP = """
-module(platform_app).
-export([start/0]).
start() ->
    Reason = esp:reset_reason(),
    io:format("~p ~p ~p ~p~n", [atomvm:platform(), Reason, esp:freq_hz(),
                                 byte_size(esp:get_mac(wifi_sta))]),
    io:format("~p ~p~n", [atomvm:random(), atomvm:rand_bytes(4)]),
    case Reason of
        esp_rst_poweron -> esp:restart();
        _ -> ok
    end.
"""


def test_platform_modules_and_restart(tmp_path):
    beam = compile_erl(tmp_path, "platform_app", PLATFORM_APP)
    runs = [avmsim("--headless", str(beam)) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout, "random numbers come from the seed"
    lines = runs[0].stdout.splitlines()
    assert lines[0] == "esp32 esp_rst_poweron 80000000 6"
    assert lines[2] == "esp32 esp_rst_sw 80000000 6"
    assert lines[1] == lines[3], "a reboot restarts the same seeded generator"
    assert runs[0].returncode == 0
    other_seed = avmsim("--headless", "--seed", "7", str(beam))
    assert other_seed.stdout.splitlines()[1] != lines[1]


def test_gpio_is_undefined_on_generic_unix(tmp_path):
    beam = compile_erl(tmp_path, "nogpio", """
-module(nogpio).
-export([start/0]).
start() ->
    R = try gpio:set_pin_mode(2, output) catch error:E -> E end,
    io:format("~p ~p~n", [R, atomvm:platform()]).
""")
    result = avmsim("--board", "generic-unix", str(beam))
    assert result.stdout == "undef generic_unix\n"


def test_parts_file_adds_an_led(tmp_path):
    parts = tmp_path / "parts.toml"
    parts.write_text('[[led]]\nname = "red"\npin = "GPIO4"\ncolor = "red"\n')
    beam = compile_erl(tmp_path, "led4", """
-module(led4).
-export([start/0]).
start() -> gpio:set_pin_mode(4, output), gpio:digital_write(4, high), timer:sleep(10), ok.
""")
    trace = tmp_path / "t.jsonl"
    result = avmsim("--headless", "--parts", str(parts), "--trace", str(trace), str(beam))
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    assert any(e["kind"] == "part" and e["source"] == "red" and e["value"] == "on"
               for e in events)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[led]]\nname = "x"\npin = "GPIO99"\n')
    result = avmsim("--headless", "--parts", str(bad), str(beam))
    assert result.returncode == 2 and "GPIO99" in result.stderr
    assert "Traceback" not in result.stderr


def test_interactive_feeds_stdin_to_the_console(tmp_path):
    beam = compile_erl(tmp_path, "uart_echo", UART_ECHO_APP.replace('"UART1"', '"UART0"'))
    result = subprocess.run([sys.executable, "-m", "avmsim.cli", "--headless", "--interactive",
                             str(beam)], input=b"quit", capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"bye"
    stalled = subprocess.run([sys.executable, "-m", "avmsim.cli", "--headless", "--interactive",
                              str(beam)], input=b"hi\n", capture_output=True, timeout=60)
    assert stalled.returncode == 11, "input ended and the app waits forever: a deadlock"
    assert stalled.stdout == b"echo:hi\n"


@pytest.mark.parametrize("board, led_pin", [
    ("esp32-devkit", "GPIO2"), ("nucleo-f429zi", "PB0"), ("pico", "GPIO25"),
    ("esp32-c3-devkitm", "GPIO2"),
])
def test_blink_toggles_each_boards_led(board, led_pin):
    """AtomVM's blink picks its pin by atomvm:platform(): the same pack blinks every board."""
    sim = Simulation(get_board(board), [BLINK])
    edges = []
    sim.bus.subscribe(lambda ev: edges.append((ev.source, ev.value)), ("pin",))
    assert sim.run(until_ns=2500 * MS).why == "paused"
    assert edges == [(led_pin, 1), (led_pin, 0)]


def test_nucleo_button_interrupt_arrives_with_bank_and_pin():
    sim = Simulation(get_board("nucleo-f429zi"), [BUTTON])
    out = []
    sim.devices.console.add_sink(out.append)
    sim.press("B1", at_ns=500 * MS, release_after_ns=100 * MS)
    sim.run(until_ns=1 * S)
    assert sim.pin("PB7") == 1
    assert b"".join(out).endswith(b"LED on\n")


RESTART_WITH_TIMERS = """
-module(restart_timers).
-export([start/0]).
start() ->
    case esp:reset_reason() of
        esp_rst_poweron ->
            erlang:send_after(500, self(), old_timer),
            spawn(fun() -> receive after 700 -> ok end end),
            esp:restart();
        _ ->
            receive Any -> Any end
    end.
"""


def test_restart_forgets_the_old_firmwares_timers_but_not_stimuli(tmp_path):
    """After the reboot nothing can wake the new firmware: the board is deadlocked at once,
    not after the old firmware's timers (500 and 700 ms) have gone off."""
    from avmsim.vm.scheduler import Deadlock
    beam = compile_erl(tmp_path, "restart_timers", RESTART_WITH_TIMERS)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    assert sim.run(until_ns=100 * MS).why == "paused"
    sim.press("BOOT", at_ns=200 * MS)
    with pytest.raises(Deadlock):
        sim.run()
    assert sim.devices.part("BOOT").pressed, "a stimulus scheduled by the test survives"
    assert sim.now_ns() < 300 * MS
