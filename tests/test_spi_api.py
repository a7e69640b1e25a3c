"""AtomVM's SPI API on every platform, against a LIS3DH fitted on SPI from a parts file.

Expected values come from AtomVM's drivers (reply and error terms, docs/platform-apis.md "SPI"),
ESP-IDF's transaction checks, and the LIS3DH datasheet (WHO_AM_I = 0x33; address bit 7 = read,
bit 6 = auto-increment; ±2 g high resolution = 1 mg per digit).
"""
from __future__ import annotations

import pytest

from bus_app import run_app, spi_part

LIS3DH_APP = """-module(lis3dh_spi_app).
-export([start/0]).
start() ->
    {SCLK, MOSI, MISO, CS} = %s,
    SPI = spi:open([{bus_config, [{sclk, SCLK}, {mosi, MOSI}, {miso, MISO}]},
                    {device_config, [{acc, [{cs, CS}, {clock_speed_hz, 1000000}, {mode, 0},
                                             {address_len_bits, 8},
                                             {command_len_bits, 0}]}]}]),
    p(spi:read_at(SPI, acc, 16#8F, 8)),
    p(spi:write(SPI, acc, #{address => 16#20, write_data => <<16#47>>})),
    p(spi:read_at(SPI, acc, 16#A0, 8)),
    p(spi:write_read(SPI, acc, #{address => 16#8F, write_data => <<0>>})),
    p(spi:read_at(SPI, nobody, 16#8F, 8)),
    p(spi:close(SPI)).
p(X) -> io:format("~p~n", [X]).
"""
WHO_AM_I = "{ok,51}"            # 0x33
BOARDS = [
    ("esp32-devkit", "{18, 23, 19, 5}", ("GPIO18", "GPIO23", "GPIO19", "GPIO5"),
     "{error,device_not_found}"),
    ("esp32-c3-devkitm", "{6, 7, 2, 10}", ("GPIO6", "GPIO7", "GPIO2", "GPIO10"),
     "{error,device_not_found}"),
    ("pico", "{2, 3, 4, 5}", ("GPIO2", "GPIO3", "GPIO4", "GPIO5"),
     "{error,{unknown_device,nobody}}"),
    ("nucleo-f429zi", "{{a, 5}, {a, 7}, {a, 6}, {a, 4}}", ("PA5", "PA7", "PA6", "PA4"),
     "{error,{unknown_device,nobody}}"),
]


def expected(unknown: str) -> list[str]:
    # WHO_AM_I; CTRL_REG1 written, then read back (0x47 = 71); WHO_AM_I by a transaction
    return [WHO_AM_I, "ok", "{ok,71}", "{ok,<<\"3\">>}", unknown, "ok"]


@pytest.mark.parametrize("board,pins,fitted,unknown", BOARDS)
def test_lis3dh_registers_over_spi(tmp_path, board, pins, fitted, unknown):
    outcome, console = run_app(tmp_path, board, LIS3DH_APP % pins,
                               spi_part("acc", "lis3dh_spi", *fitted))
    assert outcome.why == "returned", outcome
    assert console.splitlines() == expected(unknown)


# ---------------------------------------------------------------- the drivers, without spi.erl
# Apps below send the drivers' own requests, as any spi module has to (docs/platform-apis.md
# "SPI"): the ESP32 "spi" port's messages, the Pico SDK and STM32 HAL NIFs with the chip
# select driven as a GPIO. LIS3DH over SPI (datasheet 6.2): the first byte is the register,
# bit 7 = read, bit 6 = auto-increment; the register's value follows.

def test_esp32_spi_port_messages(tmp_path):
    """The port opened with the map the library builds (bus_config, device_config); each
    request one transaction. WHO_AM_I by read_at; CTRL_REG1 written by a transaction and read
    back; write_at with the address's bit 7 already set (the library sets it) reads on a
    LIS3DH; an auto-incremented write_read of CTRL_REG1..4 (0x47, then reset values 0);
    the errors of an unknown device, an unknown command and a bad transaction entry; close."""
    source = """-module(esp32_spi_port).
-export([start/0]).
start() ->
    P = open_port({spawn, "spi"},
                  #{bus_config => #{peripheral => <<"spi2">>, sclk => 18, mosi => 23, miso => 19},
                    device_config => #{acc => #{cs => 5, clock_speed_hz => 1000000, mode => 0,
                                                address_len_bits => 8, command_len_bits => 0}}}),
    [io:format("~p~n", [call(P, R)]) || R <- [
        {read_at, acc, 16#8F, 8},
        {write, acc, #{address => 16#20, write_data => <<16#47>>}},
        {read_at, acc, 16#A0, 8},
        {write_at, acc, 16#8F, 8, 0},
        {write_read, acc, #{address => 16#E0, write_data => <<0:32>>}},
        {read_at, nobody, 16#8F, 8},
        {reset, acc},
        {write, acc, #{address => 16#20, write_data => 16#47}},
        {close}]],
    io:format("~p~n", [port:call(P, {read_at, acc, 16#8F, 8})]).
call(P, Request) ->
    Ref = make_ref(),
    P ! {'$call', {self(), Ref}, Request},
    receive {Ref, Reply} -> Reply end.
"""
    outcome, console = run_app(tmp_path, "esp32-devkit", source,
                               spi_part("acc", "lis3dh_spi", *BOARDS[0][2]))
    assert console.splitlines() == [WHO_AM_I, "ok", "{ok,71}", WHO_AM_I, "{ok,<<71,0,0,0>>}",
                                    "{error,device_not_found}", "{error,unknown_command}",
                                    "{error,badarg}", "ok", "{error,noproc}"], outcome


# select/2 holds the LIS3DH's chip select (a GPIO) low around a few transfers, as a driver
# on these chips must: the register goes out in one call, its value comes in with the next.
SELECT = """select(CS, Transfers) ->
    ok = gpio:digital_write(CS, 0),
    Result = Transfers(),
    ok = gpio:digital_write(CS, 1),
    Result.
p(X) -> io:format("~p~n", [X]).
"""


def test_pico_sdk_nifs_with_a_gpio_chip_select(tmp_path):
    """GPIO2/3/4 muxed to SPI0 (SCK, TX, RX), GPIO5 a plain output as chip select; 1 MHz
    gives pico-sdk's 992063 Hz. WHO_AM_I as one write and one read under one chip select;
    CTRL_REG1 written, then read back full duplex; with the chip select high nobody drives
    MISO (all ones); the FIFO state after blocking transfers."""
    source = """-module(pico_spi_sdk).
-export([start/0]).
start() ->
    [ok = gpio:set_function(Pin, spi) || Pin <- [2, 3, 4]],
    ok = gpio:set_function(5, sio),
    ok = gpio:set_pin_mode(5, output),
    ok = gpio:digital_write(5, 1),
    {ok, {Hz, R}} = spi:init(0, 1000000),
    ok = spi:set_format(R, 8, 0, 0),
    p({Hz, spi:set_baudrate(R, 1000000), spi:get_baudrate(R)}),
    p(select(5, fun() -> {spi:write_blocking(R, <<16#8F>>), spi:read_blocking(R, 0, 1)} end)),
    p(select(5, fun() -> spi:write_blocking(R, <<16#20, 16#47>>) end)),
    {ok, <<_, Ctrl1>>} = select(5, fun() -> spi:write_read_blocking(R, <<16#A0, 0>>) end),
    p(Ctrl1),
    io:format("~w~n", [spi:write_read_blocking(R, <<16#8F, 0>>)]),
    p({spi:is_writable(R), spi:is_readable(R), spi:is_busy(R)}),
    p(spi:deinit(R)).
""" + SELECT
    _, console = run_app(tmp_path, "pico", source, spi_part("acc", "lis3dh_spi", *BOARDS[2][2]))
    assert console.splitlines() == ["{992063,{ok,992063},992063}", '{1,{ok,<<"3">>}}', "2",
                                    "71", "{ok,<<255,255>>}", "{true,false,false}", "ok"]


def test_stm32_hal_nifs_with_a_gpio_chip_select(tmp_path):
    """SPI1's pins set to alternate function 5 (STM32F429 datasheet table 12), PA4 a plain
    output as chip select; the same register traffic through HAL transmit / receive /
    transmit_receive; after deinit the HAL answers busy."""
    source = """-module(stm32_spi_hal).
-export([start/0]).
start() ->
    [ok = gpio:set_pin_mode(Pin, {af, 5}) || Pin <- [{a, 5}, {a, 7}, {a, 6}]],
    ok = gpio:set_pin_mode({a, 4}, output),
    ok = gpio:digital_write({a, 4}, 1),
    {ok, {Hz, R}} = spi:init(1, #{baudrate => 1000000}),
    p(Hz),
    p(select({a, 4}, fun() -> {spi:transmit(R, <<16#8F>>, 1000), spi:receive_(R, 1, 1000)} end)),
    p(select({a, 4}, fun() -> spi:transmit(R, <<16#20, 16#47>>, 1000) end)),
    {ok, <<_, Ctrl1>>} = select({a, 4},
                                fun() -> spi:transmit_receive(R, <<16#A0, 0>>, infinity) end),
    p(Ctrl1),
    io:format("~w~n", [spi:transmit_receive(R, <<16#8F, 0>>, 1000)]),
    p(spi:deinit(R)),
    p(spi:transmit(R, <<1>>, 100)).
""" + SELECT
    _, console = run_app(tmp_path, "nucleo-f429zi", source,
                         spi_part("acc", "lis3dh_spi", *BOARDS[3][2]))
    assert console.splitlines() == ["703125", '{1,{ok,<<"3">>}}', "2", "71",
                                    "{ok,<<255,255>>}", "ok", "{error,busy}"]


def test_esp32_transaction_limits(tmp_path):
    """ESP-IDF refuses TXDATA/RXDATA transfers over 32 bits (read_at, write_at use them:
    esp_err_invalid_arg) and full-duplex reads longer than the write (ESP_ERR_INVALID_ARG,
    0x102, which write_read returns as an integer); AtomVM's write_at sets the address's
    bit 7, so on a LIS3DH it reads (WHO_AM_I here) rather than writes."""
    source = LIS3DH_APP.split("    p(spi:read_at(SPI, acc, 16#8F, 8)),")[0] + """\
    p(spi:read_at(SPI, acc, 16#E8, 48)),
    p(spi:write_read(SPI, acc, #{address => 16#8F, write_data => <<0>>, read_bits => 16})),
    p(spi:write_at(SPI, acc, 16#0F, 8, 0)).
p(X) -> io:format("~p~n", [X]).
"""
    _, console = run_app(tmp_path, "esp32-devkit", source % BOARDS[0][1],
                         spi_part("acc", "lis3dh_spi", *BOARDS[0][2]))
    assert console.splitlines() == ["{error,esp_err_invalid_arg}", "{error,258}", WHO_AM_I]


def test_wrong_chip_select_reads_the_idle_line(tmp_path):
    """With no device selected nobody drives MISO: the pull-up reads all ones."""
    _, console = run_app(tmp_path, "esp32-devkit", LIS3DH_APP % "{18, 23, 19, 4}",
                         spi_part("acc", "lis3dh_spi", *BOARDS[0][2]))
    assert console.splitlines()[0] == "{ok,255}"


TIMING_APP = """-module(spi_timing).
-export([start/0]).
start() ->
    io:format("~p ~p~n", [time_read(1000000), time_read(8000000)]).
time_read(Hz) ->
    SPI = spi:open([{bus_config, [{sclk, 18}, {mosi, 23}, {miso, 19}]},
                    {device_config, [{acc, [{cs, 5}, {clock_speed_hz, Hz}, {mode, 0},
                                             {address_len_bits, 8}]}]}]),
    T0 = erlang:monotonic_time(microsecond),
    {ok, _} = spi:read_at(SPI, acc, 16#E8, 32),
    T1 = erlang:monotonic_time(microsecond),
    ok = spi:close(SPI),
    T1 - T0.
"""


def test_a_transaction_takes_its_bits_at_the_clock_rate(tmp_path):
    _, console = run_app(tmp_path, "esp32-devkit", TIMING_APP,
                         spi_part("acc", "lis3dh_spi", *BOARDS[0][2]))
    slow, fast = map(int, console.split())
    bits = 8 + 32                     # address phase and data phase
    assert abs((slow - fast) - (bits * 1.0 - bits / 8)) <= 2, (slow, fast)
    assert fast >= bits / 8


# Configures the LIS3DH (CTRL_REG1 0x47: 50 Hz, X/Y/Z on; CTRL_REG4 0x88: block data update,
# ±2 g, high resolution) and reads OUT_X_L..OUT_Z_H (auto-increment from 0x28): first as a
# 48-bit read_at, then as a 6-byte write_read. High resolution is 12 bits left-justified in
# little-endian pairs, 1 mg per digit at ±2 g (datasheet table 4).
ACCEL_APP = """-module(lis3dh_spi_accel).
-export([start/0]).
start() ->
    {SCLK, MOSI, MISO, CS} = %s,
    SPI = spi:open([{bus_config, [{sclk, SCLK}, {mosi, MOSI}, {miso, MISO}]},
                    {device_config, [{acc, [{cs, CS}, {clock_speed_hz, 1000000}, {mode, 0},
                                             {address_len_bits, 8}]}]}]),
    {ok, 16#33} = spi:read_at(SPI, acc, 16#8F, 8),
    ok = spi:write(SPI, acc, #{address => 16#20, write_data => <<16#47>>}),
    ok = spi:write(SPI, acc, #{address => 16#23, write_data => <<16#88>>}),
    timer:sleep(100),
    io:format("~p~n", [case spi:read_at(SPI, acc, 16#E8, 48) of
                           {ok, Value} -> mg(<<Value:48>>);
                           Error -> Error
                       end]),
    {ok, Bin} = spi:write_read(SPI, acc, #{address => 16#E8, write_data => <<0:48>>}),
    io:format("~p~n", [mg(Bin)]).
mg(<<X:16/little-signed, Y:16/little-signed, Z:16/little-signed>>) ->
    {X bsr 4, Y bsr 4, Z bsr 4}.
"""


@pytest.mark.parametrize("board,pins,fitted,unknown", BOARDS)
def test_lis3dh_acceleration_over_spi(tmp_path, board, pins, fitted, unknown):
    _, console = run_app(tmp_path, board, ACCEL_APP % pins,
                         spi_part("acc", "lis3dh_spi", *fitted, x_g=0.5, y_g=-0.25),
                         until_s=1)
    # the ESP32's read_at is one TXDATA/RXDATA transaction: 32 bits at most
    first = "{error,esp_err_invalid_arg}" if board.startswith("esp32") else "{500,-250,1000}"
    assert console.splitlines() == [first, "{500,-250,1000}"]


def test_pico_and_stm32_spi_blocks(tmp_path):
    """The clock each SDK reaches for 1 MHz: pico-sdk spi_set_baudrate from clk_peri
    125 MHz (prescale 2, post-divider 63: 992063 Hz); STM32 HAL prescaler, the first power of
    two that brings SPI1's APB2 clock (90 MHz) to 1 MHz or below (128: 703125 Hz). A block in
    use is busy (Pico); after deinit the Pico's resource is gone (badarg) and the STM32 HAL
    answers busy."""
    pico = """-module(pico_spi).
-export([start/0]).
start() ->
    {ok, {Hz, R}} = spi:init(0, 1000000),
    Busy = spi:init(0, 1000000),
    ok = spi:deinit(R),
    Gone = try spi:write_blocking(R, <<1>>) catch error:Reason -> Reason end,
    io:format("~p ~p ~p~n", [Hz, Busy, Gone]).
"""
    _, console = run_app(tmp_path, "pico", pico)
    assert console == "992063 {error,busy} badarg\n"
    stm32 = """-module(stm32_spi).
-export([start/0]).
start() ->
    {ok, {Hz, R}} = spi:init(1, #{baudrate => 1000000}),
    ok = spi:deinit(R),
    io:format("~p ~p~n", [Hz, spi:transmit(R, <<1>>, 100)]).
"""
    _, console = run_app(tmp_path, "nucleo-f429zi", stm32)
    assert console == "703125 {error,busy}\n"


def test_transaction_phases_go_out_most_significant_bit_first():
    """ESP-IDF sends the command, then the address, then the data, each MSB first; a
    transaction that is not whole bytes is clocked with zero padding at the end."""
    from avmsim.vm.drivers.spi import bits_at, frame
    # 101 (3-bit command) 0001 (4-bit address) 1111 (first 4 bits of 0xF0) + 5 zero bits
    assert frame([(0b101, 3), (0x1, 4)], b"\xf0", 4) == bytes([0b1010_0011, 0b1110_0000])
    assert frame([(0x8F, 8)], b"\x00\x00", 16) == b"\x8f\x00\x00"
    assert bits_at(bytes([0b1010_0011, 0b1110_0000]), 3, 4) == 0b0001
    assert bits_at(b"\x8f\x33\x44", 8, 16) == 0x3344
