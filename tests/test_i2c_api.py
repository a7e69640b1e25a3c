"""AtomVM's I2C API on every platform, against chips fitted from a parts file.

Expected values come from AtomVM's drivers (reply and error terms, docs/platform-apis.md "I2C"),
the AT24C32, LIS3DH and SHT3x datasheets (what the chips hold and answer) and the I2C
specification (9 clocks per byte with its acknowledge: the time a transfer takes at a clock
rate).
"""
from __future__ import annotations

import pytest

from bus_app import i2c_part, run_app

EEPROM_ESP32 = i2c_part("eeprom", "at24c32", "GPIO21", "GPIO22")

# Writes "hello" at EEPROM cell 0x0120 (two address bytes, then data: a page write), waits
# out the 10 ms write cycle, sets the address back (a write with no data) and reads 5
# bytes; then reads from 0x33, where nothing answers.
EEPROM_APP = """-module(eeprom_rw).
-export([start/0]).
start() ->
    I2C = i2c:open(%s),
    W = i2c:write_bytes(I2C, 16#50, <<16#01, 16#20, "hello">>),
    timer:sleep(15),
    P = i2c:write_bytes(I2C, 16#50, <<16#01, 16#20>>),
    R = i2c:read_bytes(I2C, 16#50, 5),
    A = i2c:read_bytes(I2C, 16#33, 2),
    io:format("~p~n~p~n~p~n~p~n", [W, P, R, A]),
    ok.
"""


ROUND_TRIPS = [
    # board, open options, where the EEPROM is, AtomVM's reply when nobody acknowledges
    ("esp32-devkit", "[{sda, 21}, {scl, 22}, {clock_speed_hz, 100000}]",
     ("GPIO21", "GPIO22"), "esp_fail"),
    ("esp32-devkit", "[{sda, 21}, {scl, 22}, {clock_speed_hz, 100000}, {use_nif, true}]",
     ("GPIO21", "GPIO22"), "esp_fail"),
    ("esp32-c3-devkitm", "[{sda, 4}, {scl, 5}, {clock_speed_hz, 400000}, {peripheral, \"i2c0\"}]",
     ("GPIO4", "GPIO5"), "esp_fail"),
    ("nucleo-f429zi", "[{sda, {b, 9}}, {scl, {b, 8}}, {peripheral, 1}]", ("PB9", "PB8"), "eio"),
    ("pico", "[{sda, 4}, {scl, 5}, {peripheral, 0}]", ("GPIO4", "GPIO5"), "eio"),
]


@pytest.mark.parametrize("board,options,pins,nack", ROUND_TRIPS)
def test_eeprom_round_trip_and_absent_device(tmp_path, board, options, pins, nack):
    parts = i2c_part("eeprom", "at24c32", *pins)
    outcome, console = run_app(tmp_path, board, EEPROM_APP % options, parts)
    assert outcome.why == "returned", outcome
    assert console == f'ok\nok\n{{ok,<<"hello">>}}\n{{error,{nack}}}\n'


# ---------------------------------------------------------------- the drivers, without i2c.erl
# An EEPROM (0x50) and a LIS3DH (0x19: WHO_AM_I 0x0F reads 0x33, CTRL_REG1 0x20) share the bus;
# apps below send the driver's own requests, as any i2c module has to (docs/platform-apis.md
# "I2C": the ESP32 port's messages and NIFs, the STM32 HAL NIFs, the Pico SDK NIFs).

def two_chips(sda: str, scl: str) -> str:
    return (i2c_part("eeprom", "at24c32", sda, scl)
            + i2c_part("acc", "lis3dh", sda, scl, address=0x19))


# One sequence of ESP32 requests in the port's message form; ``nif/2`` sends each as the
# matching NIF call. Writes "hello" at cell 0x0120 and reads it back; reads WHO_AM_I by the
# register form; writes CTRL_REG1 in a begun transmission (one byte queued, then a binary)
# and reads it back; points the LIS3DH at WHO_AM_I with a transmission and reads with no
# register; reads from 0x33 (nobody); closes, then asks again.
ESP32_REQUESTS_APP = """-module(esp32_i2c_requests).
-export([start/0]).
start() ->
    Send = %s,
    Requests = [{write_bytes, 16#50, <<16#01, 16#20, "hello">>}, wait,
                {write_bytes, 16#50, <<16#01, 16#20>>}, {read_bytes, 16#50, 5},
                {read_bytes, 16#19, 1, 16#0F},
                {begin_transmission, 16#19}, {write_byte, 16#20}, {write_bytes, <<16#57>>},
                {end_transmission}, {read_bytes, 16#19, 1, 16#20},
                {write_bytes, 16#19, 16#47, 16#20}, {read_bytes, 16#19, 1, 16#20},
                {begin_transmission, 16#19}, {write_bytes, <<16#0F>>}, {end_transmission},
                {read_bytes, 16#19, 1}, {read_bytes, 16#33, 1}, {close},
                {read_bytes, 16#50, 1}],
    lists:foreach(fun(wait) -> timer:sleep(15);        %% the EEPROM's write cycle
                     (R) -> io:format("~p~n", [Send(R)])
                  end, Requests).
%s
"""
OPEN = "[{sda, 21}, {scl, 22}, {clock_speed_hz, 100000}]"
PORT_SEND = f"""begin
        P = open_port({{spawn, "i2c"}}, {OPEN}),
        fun(R) -> call(P, R) end
    end"""
# the raw exchange of docs/platform-apis.md "Port call protocol"; after {close} the port is gone
PORT_CALL = """call(P, Request) ->
    Ref = erlang:monitor(port, P),
    P ! {'$call', {self(), Ref}, Request},
    receive
        {Ref, Reply} -> erlang:demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, port, P, Reason} -> {down, Reason}
    end."""
NIF_SEND = f"""begin
        H = i2c:open_nif({OPEN}),
        fun(R) -> nif(H, R) end
    end"""
NIF_CALL = """nif(H, {write_bytes, A, Data}) -> i2c:write_bytes_nif(H, {A, Data});
nif(H, {write_bytes, A, Data, Reg}) -> i2c:write_bytes_nif(H, {A, Data, Reg});
nif(H, {read_bytes, A, N}) -> i2c:read_bytes_nif(H, {A, N});
nif(H, {read_bytes, A, N, Reg}) -> i2c:read_bytes_nif(H, {A, N, Reg});
nif(H, {begin_transmission, A}) -> i2c:begin_transmission_nif(H, A);
nif(H, {write_byte, B}) -> i2c:enqueue_write_bytes_nif(H, <<B>>);
nif(H, {write_bytes, Bin}) -> i2c:enqueue_write_bytes_nif(H, Bin);
nif(H, {end_transmission}) -> i2c:end_transmission_nif(H);
nif(H, {close}) -> i2c:close_nif(H)."""
ESP32_REPLIES = ["ok", "ok", '{ok,<<"hello">>}', '{ok,<<"3">>}',
                 "ok", "ok", "ok", "ok", '{ok,<<"W">>}',            # CTRL_REG1 = 0x57
                 "ok", '{ok,<<"G">>}',                               # CTRL_REG1 = 0x47
                 "ok", "ok", "ok", '{ok,<<"3">>}', "{error,esp_fail}", "ok"]


@pytest.mark.parametrize("send,helper,after_close", [
    # the port ended with {close}: a monitor set on it afterwards fires at once with noproc
    # (erlang:monitor/2)
    (PORT_SEND, PORT_CALL, "{down,noproc}"),
    # i2c_resource.c: the driver is deleted, so the resource answers ESP_ERR_INVALID_STATE
    (NIF_SEND, NIF_CALL, "{error,esp_err_invalid_state}"),
], ids=["port", "nif"])
def test_esp32_driver_requests(tmp_path, send, helper, after_close):
    outcome, console = run_app(tmp_path, "esp32-devkit", ESP32_REQUESTS_APP % (send, helper),
                               two_chips("GPIO21", "GPIO22"))
    assert outcome.why == "returned", outcome
    assert console.splitlines() == ESP32_REPLIES + [after_close]


def test_esp32_port_answers_port_call_and_unknown_requests(tmp_path):
    """``port:call/2`` is the same exchange; a command the driver lacks answers ``error``;
    a scan (one-byte reads from 0x08 to 0x77) finds exactly the fitted chips."""
    source = f"""-module(esp32_i2c_port_call).
-export([start/0]).
start() ->
    P = open_port({{spawn, "i2c"}}, {OPEN}),
    io:format("~p~n~p~n", [port:call(P, {{read_bytes, 16#19, 1, 16#0F}}), port:call(P, {{reset}})]),
    io:format("~p~n", [[A || A <- lists:seq(16#08, 16#77),
                             element(1, port:call(P, {{read_bytes, A, 1}})) =:= ok]]).
"""
    _, console = run_app(tmp_path, "esp32-devkit", source, two_chips("GPIO21", "GPIO22"))
    assert console.splitlines() == ['{ok,<<"3">>}', "error", "[25,80]"]


def test_stm32_hal_nifs(tmp_path):
    """HAL_I2C_Mem_Write/Read with the AT24C32's 16-bit cell address; a plain transmit sets
    the cell, a receive reads on from it; an 8-bit register read of the LIS3DH; a device probe
    (HAL_I2C_IsDeviceReady) and a read where nobody answers (HAL_ERROR: eio); after deinit
    the HAL answers busy."""
    source = """-module(stm32_i2c_hal).
-export([start/0]).
start() ->
    {ok, R} = i2c:init([{scl, {b, 8}}, {sda, {b, 9}}, {clock_speed_hz, 100000},
                        {peripheral, 1}]),
    p(i2c:mem_write(R, 16#50, 16#0120, 16, <<"hello">>, 500)),
    timer:sleep(15),
    p(i2c:mem_read(R, 16#50, 16#0120, 16, 5, 500)),
    p(i2c:master_transmit(R, 16#50, <<16#01, 16#22>>, 500)),
    p(i2c:master_receive(R, 16#50, 3, infinity)),
    p(i2c:mem_read(R, 16#19, 16#0F, 8, 1, 500)),
    p(i2c:is_device_ready(R, 16#19, 2, 500)),
    p(i2c:is_device_ready(R, 16#33, 2, 500)),
    p(i2c:master_receive(R, 16#33, 1, 500)),
    p(i2c:deinit(R)),
    p(i2c:master_transmit(R, 16#50, <<0>>, 500)).
p(X) -> io:format("~p~n", [X]).
"""
    _, console = run_app(tmp_path, "nucleo-f429zi", source, two_chips("PB9", "PB8"))
    assert console.splitlines() == ["5", '{ok,<<"hello">>}', "2", '{ok,<<"llo">>}',
                                    '{ok,<<"3">>}', "ok", "{error,eio}", "{error,eio}", "ok",
                                    "{error,busy}"]


def test_pico_sdk_nifs(tmp_path):
    """The pins muxed to I2C0, then the SDK calls: a write returns the bytes written; a
    register read is a write with Nostop and a read; nobody at 0x33 is PICO_ERROR_GENERIC
    (eio); a 2-byte write cannot finish in 1 µs (timeout); after deinit the resource is gone."""
    source = """-module(pico_i2c_sdk).
-export([start/0]).
start() ->
    [ok = gpio:set_function(Pin, i2c) || Pin <- [4, 5]],
    [gpio:set_pin_pull(Pin, up) || Pin <- [4, 5]],
    {ok, {Baud, R}} = i2c:init(0, 100000),
    p(Baud),
    p(i2c:write_blocking(R, 16#50, <<16#01, 16#20, "hello">>, false)),
    timer:sleep(15),
    p(i2c:write_blocking(R, 16#50, <<16#01, 16#20>>, true)),
    p(i2c:read_blocking(R, 16#50, 5, false)),
    p(i2c:write_timeout_us(R, 16#19, <<16#0F>>, true, 500000)),
    p(i2c:read_timeout_us(R, 16#19, 1, false, 500000)),
    p(i2c:read_blocking(R, 16#33, 1, false)),
    p(i2c:write_timeout_us(R, 16#50, <<0, 0>>, false, 1)),
    p(i2c:deinit(R)),
    p(try i2c:read_blocking(R, 16#50, 1, false) catch error:Reason -> Reason end).
p(X) -> io:format("~p~n", [X]).
"""
    _, console = run_app(tmp_path, "pico", source, two_chips("GPIO4", "GPIO5"))
    assert console.splitlines() == ["100000", "7", "2", '{ok,<<"hello">>}', "1",
                                    '{ok,<<"3">>}', "{error,eio}", "{error,timeout}", "ok",
                                    "badarg"]


WRONG_PINS = [
    # the EEPROM is on other pins than the ones the app opens
    ("esp32-devkit", "[{sda, 25}, {scl, 26}, {clock_speed_hz, 100000}]", "esp_fail"),
    ("nucleo-f429zi", "[{sda, {b, 11}}, {scl, {b, 10}}, {peripheral, 2}]", "eio"),
    # GPIO4/5 are I2C0's SDA/SCL (RP2040 datasheet 2.19.2): I2C1 has no pins then
    ("pico", "[{sda, 4}, {scl, 5}, {peripheral, 1}]", "eio"),
]


@pytest.mark.parametrize("board,options,nack", WRONG_PINS)
def test_wrong_pins_reach_nothing(tmp_path, board, options, nack):
    pins = {"esp32-devkit": ("GPIO21", "GPIO22"), "nucleo-f429zi": ("PB9", "PB8"),
            "pico": ("GPIO4", "GPIO5")}[board]
    source = f"""-module(wrong_pins).
-export([start/0]).
start() ->
    I2C = i2c:open({options}),
    io:format("~p~n", [i2c:read_bytes(I2C, 16#50, 1)]).
"""
    _, console = run_app(tmp_path, board, source, i2c_part("eeprom", "at24c32", *pins))
    assert console == f"{{error,{nack}}}\n"


TRANSMISSION_APP = """-module(transmission).
-export([start/0]).
start() ->
    I2C = i2c:open(%s),
    Self = self(),
    ok = i2c:begin_transmission(I2C, 16#50),
    spawn(fun() -> Self ! {other, i2c:read_bytes(I2C, 16#50, 1)} end),
    Other = receive {other, O} -> O end,
    io:format("~p~n", [Other =:= {error, {einprogress, Self}}]),
    ok = i2c:write_byte(I2C, 16#01),
    ok = i2c:write_bytes(I2C, <<16#20, "AtomVM">>),
    io:format("~p~n", [i2c:end_transmission(I2C)]),
    timer:sleep(15),
    ok = i2c:write_bytes(I2C, 16#50, <<16#01, 16#20>>),
    io:format("~p~n", [i2c:read_bytes(I2C, 16#50, 6)]),
    ok = i2c:begin_transmission(I2C, 16#33),
    io:format("~p~n", [i2c:end_transmission(I2C)]),
    io:format("~p~n", [i2c:close(I2C)]),
    io:format("~p~n", [case catch i2c:read_bytes(I2C, 16#50, 1) of
                           {error, {einprogress, Self}} -> still_transmitting;
                           Other2 -> Other2
                       end]).
"""


@pytest.mark.parametrize("options,after_close", [
    # a closed port is gone (port:call answers noproc); the NIF returns end_transmission's
    # error before it clears the transmitting process (AtomVM i2c_resource.c), so the
    # process still owns a transmission afterwards
    ("[{sda, 21}, {scl, 22}, {clock_speed_hz, 100000}]", "{error,noproc}"),
    ("[{sda, 21}, {scl, 22}, {clock_speed_hz, 100000}, {use_nif, true}]", "still_transmitting"),
])
def test_esp32_transmission_belongs_to_one_process(tmp_path, options, after_close):
    outcome, console = run_app(tmp_path, "esp32-devkit", TRANSMISSION_APP % options,
                               EEPROM_ESP32)
    assert console.splitlines() == ["true", "ok", '{ok,<<"AtomVM">>}', "{error,esp_fail}",
                                    "ok", after_close], outcome


def test_esp32_closed_resource(tmp_path):
    """After close_nif the controller's driver is deleted: transfers answer ESP-IDF's
    ESP_ERR_INVALID_STATE, a second delete ESP_FAIL; a controller opened twice cannot be
    installed (i2c_driver_install's ESP_FAIL, returned as the integer -1)."""
    source = """-module(closed_nif).
-export([start/0]).
start() ->
    Opts = [{sda, 21}, {scl, 22}, {clock_speed_hz, 100000}, {use_nif, true}],
    {'$i2c', Res, Ref} = I2C = i2c:open(Opts),
    Again = i2c:open(Opts),
    ok = i2c:close(I2C),
    io:format("~p ~p ~p~n", [is_reference(Res), is_reference(Ref), Again]),
    io:format("~p~n~p~n", [i2c:read_bytes(I2C, 16#50, 1), i2c:close(I2C)]).
"""
    _, console = run_app(tmp_path, "esp32-devkit", source, EEPROM_ESP32)
    assert console == "true true {error,-1}\n{error,esp_err_invalid_state}\n{error,esp_fail}\n"


TIMING_APP = """-module(i2c_timing).
-export([start/0]).
start() ->
    io:format("~p ~p~n", [time_read(100000), time_read(400000)]).
time_read(Hz) ->
    I2C = i2c:open(%s),
    T0 = erlang:monotonic_time(microsecond),
    {ok, <<_:64/binary>>} = i2c:read_bytes(I2C, 16#50, 64),
    T1 = erlang:monotonic_time(microsecond),
    ok = i2c:close(I2C),
    T1 - T0.
"""
WIRE_CLOCKS = 9 * (1 + 64)   # address byte and 64 data bytes, each with its ACK bit


@pytest.mark.parametrize("board,options,pins", [
    ("esp32-devkit", "[{sda, 21}, {scl, 22}, {clock_speed_hz, Hz}]", ("GPIO21", "GPIO22")),
    ("esp32-devkit", "[{sda, 21}, {scl, 22}, {clock_speed_hz, Hz}, {use_nif, true}]",
     ("GPIO21", "GPIO22")),
    ("nucleo-f429zi", "[{sda, {b, 9}}, {scl, {b, 8}}, {clock_speed_hz, Hz}]", ("PB9", "PB8")),
])
def test_a_transfer_takes_its_bits_at_the_clock_rate(tmp_path, board, options, pins):
    _, console = run_app(tmp_path, board, TIMING_APP % options,
                         i2c_part("eeprom", "at24c32", *pins))
    slow, fast = map(int, console.split())
    wire_slow, wire_fast = WIRE_CLOCKS * 10, WIRE_CLOCKS * 2.5     # µs at 100 / 400 kHz
    # the difference cancels the VM's own time; START/STOP add ~2 clocks at each rate
    assert abs((slow - fast) - (wire_slow - wire_fast)) <= 20, (slow, fast)
    assert fast >= wire_fast


def test_pico_runs_at_the_sdk_baudrate(tmp_path):
    """pico-sdk i2c_set_baudrate at clk_sys 125 MHz: period = round(125e6 / baud) cycles,
    so 400 kHz is 125e6 / 313 = 399361 Hz and 100 kHz is exact."""
    source = """-module(pico_baud).
-export([start/0]).
start() ->
    {ok, {A, R}} = i2c:init(0, 400000),
    {ok, B} = i2c:set_baudrate(R, 100000),
    io:format("~p ~p ~p~n", [A, B, i2c:init(0, 100000)]).
"""
    _, console = run_app(tmp_path, "pico", source)
    assert console == "399361 100000 {error,busy}\n"


@pytest.mark.parametrize("board,options,pins,nack", ROUND_TRIPS)
def test_bus_scan_finds_the_fitted_chips(tmp_path, board, options, pins, nack):
    """A one-byte read at every 7-bit address that is not reserved (0x08..0x77) is
    acknowledged by the LIS3DH (0x19) and the EEPROM (0x50) only."""
    source = f"""-module(bus_scan).
-export([start/0]).
start() ->
    I2C = i2c:open({options}),
    io:format("~p~n", [[A || A <- lists:seq(16#08, 16#77),
                             element(1, i2c:read_bytes(I2C, A, 1)) =:= ok]]).
"""
    outcome, console = run_app(tmp_path, board, source, two_chips(*pins))
    assert console == "[25,80]\n", outcome


def sht31_crc(data: bytes) -> int:
    """SHT3x datasheet 4.12: CRC-8, polynomial 0x31, initial 0xFF, no final XOR."""
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31 if crc & 0x80 else crc << 1) & 0xFF
    return crc


def test_sht31_crc_matches_the_datasheet_example():
    assert sht31_crc(b"\xbe\xef") == 0x92


# A single-shot measurement (0x2400: high repeatability, no clock stretching) written with
# begin_transmission / write_byte / end_transmission; read at once, while the conversion runs
# (up to 15 ms), the read header is NACKed; after 20 ms the 6 result bytes; then, with no
# measurement asked for, NACKed again (SHT3x datasheet 4.3-4.5). The bytes are printed with
# ~w: AtomVM's ~p would print them as a string whenever all six are latin1 printable.
SHT31_APP = """-module(sht31_single_shot).
-export([start/0]).
start() ->
    I2C = i2c:open(%s),
    ok = i2c:begin_transmission(I2C, 16#44),
    ok = i2c:write_byte(I2C, 16#24),
    ok = i2c:write_byte(I2C, 16#00),
    ok = i2c:end_transmission(I2C),
    io:format("~p~n", [i2c:read_bytes(I2C, 16#44, 6)]),
    timer:sleep(20),
    {ok, Result} = i2c:read_bytes(I2C, 16#44, 6),
    io:format("~w~n~p~n", [binary_to_list(Result), i2c:read_bytes(I2C, 16#44, 6)]).
"""


@pytest.mark.parametrize("board,options,pins,nack", [
    ("esp32-devkit", "[{sda, 4}, {scl, 15}, {clock_speed_hz, 400000}]", ("GPIO4", "GPIO15"),
     "esp_fail"),
    ROUND_TRIPS[3], ROUND_TRIPS[4]])
def test_sht31_single_shot_measurement(tmp_path, board, options, pins, nack):
    parts = i2c_part("env", "sht31", *pins, temperature_c=21.5, humidity_pct=40)
    _, console = run_app(tmp_path, board, SHT31_APP % options, parts, until_s=1)
    early, result, again = console.splitlines()
    assert early == again == f"{{error,{nack}}}"
    data = bytes(int(b) for b in result.strip("[]").split(","))
    assert sht31_crc(data[0:2]) == data[2] and sht31_crc(data[3:5]) == data[5]
    # datasheet 4.13: T = -45 + 175 * S_T / (2^16 - 1), RH = 100 * S_RH / (2^16 - 1)
    temperature = -45 + 175 * int.from_bytes(data[0:2], "big") / 65535
    humidity = 100 * int.from_bytes(data[3:5], "big") / 65535
    assert abs(temperature - 21.5) <= 175 / 65535 and abs(humidity - 40) <= 100 / 65535
