"""The VCD writer (avmsim.vcd_writer): read its files back and check what a viewer would see.

Bus transfers are checked here for their place in the file (wires, times, ownership of the
pins); that the bits decode as the transfer is checked by sigrok in test_bus_vcd.py."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from avmsim.peripherals.gpio import GpioController
from avmsim.trace import TraceBus, TraceEvent
from avmsim.vcd_writer import VcdWriter, parse_timescale, vcd_id


@dataclass
class Vcd:
    """What a VCD says: header sections, variables, initial values, timed changes."""
    sections: dict[str, str] = field(default_factory=dict)   # $date, $version, $timescale
    scopes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)       # id -> reference
    kinds: dict[str, str] = field(default_factory=dict)       # reference -> wire / real
    initial: dict[str, str] = field(default_factory=dict)     # reference -> 0/1/x, r<number>
    times: list[int] = field(default_factory=list)
    changes: list[tuple[int, str, str]] = field(default_factory=list)  # (time, ref, value)


def parse_vcd(text: str) -> Vcd:
    vcd = Vcd()
    tokens = iter(text.split())
    time = None
    in_dumpvars = False
    for token in tokens:
        if token in ("$date", "$version", "$timescale", "$comment"):
            words = []
            for word in tokens:
                if word == "$end":
                    break
                words.append(word)
            vcd.sections[token] = " ".join(words)
        elif token == "$scope":
            kind, name, end = next(tokens), next(tokens), next(tokens)
            assert (kind, end) == ("module", "$end")
            vcd.scopes.append(name)
        elif token == "$var":
            kind, width, ident, ref, end = (next(tokens) for _ in range(5))
            assert (kind, width, end) in (("wire", "1", "$end"), ("real", "64", "$end"))
            assert ident not in vcd.names, f"id {ident} used twice"
            vcd.names[ident] = ref
            vcd.kinds[ref] = kind
        elif token in ("$upscope", "$enddefinitions"):
            assert next(tokens) == "$end"
        elif token == "$dumpvars":
            assert time == 0, "$dumpvars must come at time 0"
            in_dumpvars = True
        elif token == "$end":
            assert in_dumpvars
            in_dumpvars = False
        elif token.startswith("#"):
            new_time = int(token[1:])
            assert time is None or new_time > time, f"time {new_time} after {time}"
            time = new_time
            vcd.times.append(time)
        else:
            if token.startswith("r"):                          # a real: r<number> <id>
                value, ident = f"r{float(token[1:])!r}", next(tokens)
                assert vcd.kinds[vcd.names[ident]] == "real"
            else:
                value, ident = token[0], token[1:]
                assert value in "01xz" and vcd.kinds[vcd.names[ident]] == "wire", token
            assert ident in vcd.names, f"bad change {token!r}"
            if in_dumpvars:
                vcd.initial[vcd.names[ident]] = value
            else:
                assert time is not None
                vcd.changes.append((time, vcd.names[ident], value))
    return vcd


class Clock:
    def __init__(self) -> None:
        self.t = 0


def board(pins: list[str]) -> tuple[Clock, TraceBus, GpioController]:
    clock = Clock()
    bus = TraceBus(lambda: clock.t)
    gpio = GpioController(bus, pins)
    for pin in pins:
        gpio.set_mode(pin, "output")
    return clock, bus, gpio


def blink_run(path: Path) -> Vcd:
    clock, bus, gpio = board(["GPIO2", "GPIO4", "GPIO5"])
    writer = VcdWriter(path, gpio.pins, {"GPIO2": 0, "GPIO4": 0})
    writer.attach(bus)
    for t, pin, level in [(500, "GPIO2", 1), (500, "GPIO5", 1), (1500, "GPIO2", 0),
                          (1500, "GPIO2", 0), (2500, "GPIO2", 1)]:
        clock.t = t
        gpio.write(pin, level)
    clock.t = 3000
    writer.close()
    return parse_vcd(path.read_text())


def test_header_says_what_a_viewer_needs(tmp_path: Path) -> None:
    vcd = blink_run(tmp_path / "run.vcd")
    assert vcd.sections["$version"] == "avmsim"
    assert vcd.sections["$timescale"] == "1 ns"
    assert vcd.scopes == ["board"]
    assert sorted(vcd.names.values()) == ["GPIO2", "GPIO4", "GPIO5"]
    assert vcd.initial == {"GPIO2": "0", "GPIO4": "0", "GPIO5": "x"}


def test_same_run_same_bytes_no_host_date(tmp_path: Path) -> None:
    blink_run(tmp_path / "a.vcd")
    blink_run(tmp_path / "b.vcd")
    text = (tmp_path / "a.vcd").read_text()
    assert text == (tmp_path / "b.vcd").read_text()
    assert not any(str(year) in text for year in range(2000, 2100))


def test_changes_times_and_final_stamp(tmp_path: Path) -> None:
    vcd = blink_run(tmp_path / "run.vcd")
    assert vcd.changes == [(500, "GPIO2", "1"), (500, "GPIO5", "1"),
                           (1500, "GPIO2", "0"), (2500, "GPIO2", "1")]
    assert vcd.times == [0, 500, 1500, 2500, 3000]       # one stamp per instant, then the end
    assert not any(ref == "GPIO4" for _t, ref, _v in vcd.changes)


def test_changes_follow_the_header_written_at_close() -> None:
    out = io.StringIO()
    writer = VcdWriter(out, ["GPIO2"], {"GPIO2": 0})
    writer.on_event(TraceEvent(100, "pin", "GPIO2", 1))
    writer.on_event(TraceEvent(100, "pin", "GPIO2", 1))       # no change: nothing written
    writer.on_event(TraceEvent(100, "pin", "GPIO9", 1))       # not traced: nothing written
    assert out.getvalue() == ""                               # the header waits for the end
    writer.close(end_ns=50)                                   # never back in time
    header, body = out.getvalue().split("$enddefinitions $end\n")
    assert header.endswith("$var wire 1 ! GPIO2 $end\n$upscope $end\n")
    assert body == "#0\n$dumpvars\n0!\n$end\n#100\n1!\n"
    assert not out.closed                                     # the caller's file stays open
    writer.close()
    assert out.getvalue().count("$enddefinitions") == 1


def test_events_stamped_in_the_past_are_written_at_the_last_time() -> None:
    out = io.StringIO()
    writer = VcdWriter(out, ["A", "B"])
    writer.on_event(TraceEvent(200, "pin", "A", 1))
    writer.on_event(TraceEvent(150, "pin", "B", 1))
    writer.close()
    vcd = parse_vcd(out.getvalue())
    assert vcd.changes == [(200, "A", "1"), (200, "B", "1")]


def test_close_stops_listening(tmp_path: Path) -> None:
    clock, bus, gpio = board(["GPIO2"])
    writer = VcdWriter(tmp_path / "run.vcd", ["GPIO2"])
    writer.attach(bus)
    clock.t = 10
    writer.close()
    writer.close()
    gpio.write("GPIO2", 1)                                    # no write to a closed file
    assert parse_vcd((tmp_path / "run.vcd").read_text()).changes == []


def test_coarser_timescale_converts_nanoseconds() -> None:
    out = io.StringIO()
    writer = VcdWriter(out, ["A"], timescale="1 us")
    writer.on_event(TraceEvent(2_500, "pin", "A", 1))
    writer.on_event(TraceEvent(7_999, "pin", "A", 0))
    writer.close()
    vcd = parse_vcd(out.getvalue())
    assert vcd.sections["$timescale"] == "1 us"
    assert vcd.changes == [(2, "A", "1"), (7, "A", "0")]


def test_many_pins_get_distinct_printable_ids() -> None:
    pins = [f"P{i}" for i in range(300)]
    out = io.StringIO()
    writer = VcdWriter(out, pins)
    writer.on_event(TraceEvent(1, "pin", "P299", 1))
    writer.close()
    vcd = parse_vcd(out.getvalue())
    assert sorted(vcd.names.values()) == sorted(pins)
    assert vcd.changes == [(1, "P299", "1")]


def test_vcd_ids() -> None:
    assert [vcd_id(i) for i in (0, 1, 93, 94, 95)] == ["!", '"', "~", "!!", '"!']
    ids = [vcd_id(i) for i in range(94 * 95 + 10)]
    assert len(set(ids)) == len(ids)
    assert all(33 <= ord(c) <= 126 for ident in ids for c in ident)
    assert max(map(len, ids)) == 3


def test_pin_names_become_single_tokens() -> None:
    out = io.StringIO()
    VcdWriter(out, ["LED 2"]).close()
    assert parse_vcd(out.getvalue()).names == {"!": "LED_2"}


@pytest.mark.parametrize(("text", "fs"), [("1 ns", 10**6), ("10us", 10**10), ("100 ps", 10**5),
                                          ("1 s", 10**15)])
def test_timescales(text: str, fs: int) -> None:
    assert parse_timescale(text) == fs


@pytest.mark.parametrize("text", ["2 ns", "1 ks", "ns", "1"])
def test_bad_timescales(text: str) -> None:
    with pytest.raises(ValueError, match="timescale"):
        parse_timescale(text)


# ---------------------------------------------------------------------------- buses and PWM

I2C_BUS = "i2c:GPIO21/GPIO22"
# an address-only probe (START, address + W, ACK, STOP): 11 bit cells of four quarters, so
# at 44 us each quarter lasts 1 us
PROBE = {"addr": 0x44, "write": b"", "read": b"", "ack": True, "freq_hz": 100_000,
         "duration_ns": 44_000}


def bus_run(events: list[TraceEvent], pins: tuple[str, ...] = ("GPIO2", "GPIO21", "GPIO22"),
            end_ns: int = 1_000_000) -> Vcd:
    out = io.StringIO()
    writer = VcdWriter(out, pins, {"GPIO21": 1, "GPIO22": 1})
    for event in events:
        writer.on_event(event)
    writer.close(end_ns)
    return parse_vcd(out.getvalue())


def on(vcd: Vcd, ref: str) -> list[tuple[int, str]]:
    return [(t, v) for t, r, v in vcd.changes if r == ref]


def i2c_conditions(vcd: Vcd) -> list[tuple[int, str]]:
    """UM10204: START is SDA falling while SCL is high, STOP SDA rising while SCL is high."""
    scl = vcd.initial["GPIO22_SCL"]
    found = []
    for t, ref, value in vcd.changes:
        if ref == "GPIO22_SCL":
            scl = value
        elif ref == "GPIO21_SDA" and scl == "1":
            found.append((t, "START" if value == "0" else "STOP"))
    return found


def test_i2c_lines_are_the_pins_wires_named_by_their_role() -> None:
    vcd = bus_run([TraceEvent(1_000, "i2c", I2C_BUS, PROBE)])
    assert sorted(vcd.names.values()) == ["GPIO2", "GPIO21_SDA", "GPIO22_SCL"]
    sda, scl = on(vcd, "GPIO21_SDA"), on(vcd, "GPIO22_SCL")
    assert i2c_conditions(vcd) == [(sda[0][0], "START"), (sda[-1][0], "STOP")]
    assert scl[-1][1] == "1"                                  # both lines idle high
    assert 1_000 <= sda[0][0] and sda[-1][0] <= 1_000 + 44_000
    # nine clock pulses between them: the address byte and its ACK
    assert [v for t, v in scl if sda[0][0] < t < sda[-1][0]] == ["0", "1"] * 9 + ["0", "1"]


def test_bits_run_at_the_bus_clock_and_a_stretch_holds_scl_low() -> None:
    # one byte read at 100 kHz: START, address, data, STOP = 20 clocks of 10 us; the target
    # stretched the clock 50 us after ACKing its read address (UM10204 3.1.9)
    read = {"addr": 0x44, "write": b"", "read": b"\x5a", "ack": True, "freq_hz": 100_000,
            "duration_ns": 20 * 10_000 + 50_000}
    vcd = bus_run([TraceEvent(0, "i2c", I2C_BUS, read)])
    scl = on(vcd, "GPIO22_SCL")
    rises = [t for t, v in scl if v == "1"]
    periods = [b - a for a, b in zip(rises, rises[1:])]
    assert len(rises) == 9 + 9 + 1                           # 18 clocks, STOP (SCL idled high)
    assert periods[:8] == [10_000] * 8                       # up to the address's ACK
    assert periods[8] == 10_000 + 50_000                      # the stretch
    assert periods[9:] == [10_000] * 9
    assert max(t for t, _, _ in vcd.changes) <= 250_000


def test_pin_events_during_a_transfer_interleave_with_its_bits() -> None:
    vcd = bus_run([TraceEvent(1_000, "i2c", I2C_BUS, PROBE),
                   TraceEvent(20_500, "pin", "GPIO2", 1)])   # another core, mid-transfer
    assert on(vcd, "GPIO2") == [(20_500, "1")]
    times = [t for t, ref, _ in vcd.changes if ref != "GPIO2"]
    assert min(times) < 20_500 < max(times)                  # parse_vcd checks the order


def test_a_bus_pin_no_longer_draws_its_gpio_level() -> None:
    vcd = bus_run([TraceEvent(500, "pin", "GPIO21", 0),
                   TraceEvent(1_000, "i2c", I2C_BUS, PROBE),
                   TraceEvent(90_000, "pin", "GPIO21", 0)])
    sda = on(vcd, "GPIO21_SDA")
    assert sda[0] == (500, "0") and sda[-1][1] == "1"       # the STOP is the last word


def test_a_transfer_stamped_in_the_past_is_drawn_whole_from_the_last_time() -> None:
    vcd = bus_run([TraceEvent(5_000, "pin", "GPIO2", 1),
                   TraceEvent(1_000, "i2c", I2C_BUS, PROBE),
                   TraceEvent(2_000, "i2c", I2C_BUS, PROBE)])   # overlaps the first one
    first, first_stop, second, second_stop = (t for t, _ in i2c_conditions(vcd))
    assert 5_000 <= first < first_stop <= second < second_stop   # one after the other
    assert second - first == second_stop - first_stop == 44_000  # each as long as it lasted


def test_spi_chip_select_frames_the_transfer() -> None:
    value = {"cs": "GPIO5", "device": "flash", "mosi": b"\x9f", "miso": b"\xc2", "mode": 0,
             "freq_hz": 1_000_000, "duration_ns": 10_000}
    vcd = bus_run([TraceEvent(0, "spi", "spi:GPIO18/GPIO23/GPIO19", value)],
                  pins=("GPIO5", "GPIO18", "GPIO19", "GPIO23"))
    assert sorted(vcd.names.values()) == ["GPIO18_SCLK", "GPIO19_MISO", "GPIO23_MOSI",
                                          "GPIO5_CS"]
    cs, sclk = on(vcd, "GPIO5_CS"), on(vcd, "GPIO18_SCLK")
    assert [v for _, v in cs] == ["1", "0", "1"]
    assert cs[1][0] < sclk[1][0] and sclk[-1][0] < cs[2][0] <= 10_000
    assert [v for _, v in sclk] == ["0"] + ["1", "0"] * 8    # mode 0: idles low, 8 pulses


def test_an_spi_bus_without_miso_or_cs_draws_the_lines_it_has() -> None:
    value = {"cs": None, "device": None, "mosi": b"\x80", "miso": b"\xff", "mode": 0,
             "freq_hz": 1_000_000, "duration_ns": 8_000}
    vcd = bus_run([TraceEvent(0, "spi", "spi:GPIO18/GPIO23", value)],
                  pins=("GPIO18", "GPIO19", "GPIO23"))
    assert sorted(vcd.names.values()) == ["GPIO18_SCLK", "GPIO19", "GPIO23_MOSI"]
    assert on(vcd, "GPIO23_MOSI")[:2] == [(125, "1"), (1_125, "0")]   # 0x80, MSB first
    assert on(vcd, "GPIO19") == []


def test_pwm_duty_is_a_real_variable_per_pin() -> None:
    duty = lambda d: {"duty": d, "freq_hz": 5_000, "channel": 0}   # noqa: E731
    vcd = bus_run([TraceEvent(50, "pwm", "GPIO2", duty(0)),      # as at time 0: no change
                   TraceEvent(100, "pwm", "GPIO2", duty(0.5)),
                   TraceEvent(200, "pwm", "GPIO2", duty(0.5)),
                   TraceEvent(300, "pwm", "GPIO2", duty(1))])
    assert vcd.kinds["GPIO2_duty"] == "real" and vcd.kinds["GPIO2"] == "wire"
    assert vcd.initial["GPIO2_duty"] == "r0.0"
    assert on(vcd, "GPIO2_duty") == [(100, "r0.5"), (300, "r1.0")]
    assert on(vcd, "GPIO2") == []
