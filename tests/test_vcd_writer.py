"""The VCD writer (avmsim.vcd_writer): read its files back and check what a viewer would see."""
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
    initial: dict[str, str] = field(default_factory=dict)     # reference -> 0/1/x
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
            assert (kind, width, end) == ("wire", "1", "$end")
            assert ident not in vcd.names, f"id {ident} used twice"
            vcd.names[ident] = ref
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
            value, ident = token[0], token[1:]
            assert value in "01xz" and ident in vcd.names, f"bad change {token!r}"
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


def test_file_streams_each_change_as_it_happens() -> None:
    out = io.StringIO()
    writer = VcdWriter(out, ["GPIO2"], {"GPIO2": 0})
    header = out.getvalue()
    writer.on_event(TraceEvent(100, "pin", "GPIO2", 1))
    assert out.getvalue() == header + "#100\n1!\n"
    writer.on_event(TraceEvent(100, "pin", "GPIO2", 1))       # no change: nothing written
    writer.on_event(TraceEvent(100, "pin", "GPIO9", 1))       # not traced: nothing written
    assert out.getvalue() == header + "#100\n1!\n"
    writer.close(end_ns=50)                                   # never back in time
    assert out.getvalue() == header + "#100\n1!\n"
    assert not out.closed                                     # the caller's file stays open


def test_events_stamped_in_the_past_are_written_at_the_last_time() -> None:
    out = io.StringIO()
    writer = VcdWriter(out, ["A", "B"])
    writer.on_event(TraceEvent(200, "pin", "A", 1))
    writer.on_event(TraceEvent(150, "pin", "B", 1))
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
    vcd = parse_vcd(out.getvalue())
    assert vcd.sections["$timescale"] == "1 us"
    assert vcd.changes == [(2, "A", "1"), (7, "A", "0")]


def test_many_pins_get_distinct_printable_ids() -> None:
    pins = [f"P{i}" for i in range(300)]
    out = io.StringIO()
    writer = VcdWriter(out, pins)
    writer.on_event(TraceEvent(1, "pin", "P299", 1))
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
    VcdWriter(out, ["LED 2"])
    assert parse_vcd(out.getvalue()).names == {"!": "LED_2"}


@pytest.mark.parametrize(("text", "fs"), [("1 ns", 10**6), ("10us", 10**10), ("100 ps", 10**5),
                                          ("1 s", 10**15)])
def test_timescales(text: str, fs: int) -> None:
    assert parse_timescale(text) == fs


@pytest.mark.parametrize("text", ["2 ns", "1 ks", "ns", "1"])
def test_bad_timescales(text: str) -> None:
    with pytest.raises(ValueError, match="timescale"):
        parse_timescale(text)
