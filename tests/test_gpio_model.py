"""The GPIO model (avmsim.peripherals.gpio): level resolution, events, interrupts, errors."""
from __future__ import annotations

import pytest
from avmsim.peripherals.gpio import GpioController, UnknownPinError
from avmsim.trace import TraceBus, TraceEvent
from conftest import Clock


@pytest.fixture
def gpio(bus: TraceBus) -> GpioController:
    return GpioController(bus, ["GPIO0", "GPIO2", "GPIO4"])


def recorded(bus: TraceBus, *kinds: str) -> list[TraceEvent]:
    events: list[TraceEvent] = []
    bus.subscribe(events.append, kinds)
    return events


def test_pins_keep_the_board_order_and_reject_duplicates(bus: TraceBus) -> None:
    assert GpioController(bus, ["PB7", "PA5", "PC13"]).pins == ("PB7", "PA5", "PC13")
    with pytest.raises(ValueError, match="PA5"):
        GpioController(bus, ["PA5", "PA5"])


def test_reset_state_is_a_floating_input_reading_0(gpio: GpioController) -> None:
    assert gpio.mode("GPIO2") == "input"
    assert gpio.read("GPIO2") == 0


@pytest.mark.parametrize(("pull", "level"), [("up", 1), ("down", 0), ("floating", 0),
                                             ("up_down", 0)])
def test_input_reads_its_internal_pull(gpio: GpioController, pull: str, level: int) -> None:
    gpio.set_pull("GPIO4", "up")       # start elsewhere so "down" is a real change
    gpio.set_pull("GPIO4", pull)
    assert gpio.read("GPIO4") == level


def test_external_drive_beats_pulls_and_release_restores_them(gpio: GpioController) -> None:
    gpio.set_pull("GPIO4", "up")
    gpio.drive("GPIO4", 0)
    assert gpio.read("GPIO4") == 0
    gpio.drive("GPIO4", None)
    assert gpio.read("GPIO4") == 1


def test_board_pull_resistor_beats_the_internal_one(gpio: GpioController) -> None:
    gpio.set_pull("GPIO0", "down")
    gpio.set_external_pull("GPIO0", "up")
    assert gpio.read("GPIO0") == 1
    gpio.set_external_pull("GPIO0", None)
    assert gpio.read("GPIO0") == 0


def test_external_drive_beats_the_board_pull_resistor(gpio: GpioController) -> None:
    gpio.set_external_pull("GPIO0", "up")
    gpio.drive("GPIO0", 0)
    assert gpio.read("GPIO0") == 0


def test_output_follows_the_latch_and_wins_contention(gpio: GpioController) -> None:
    gpio.set_mode("GPIO2", "output")
    gpio.drive("GPIO2", 0)
    gpio.write("GPIO2", 1)
    assert gpio.read("GPIO2") == 1
    gpio.write("GPIO2", 0)
    assert gpio.level("GPIO2") == 0


def test_latch_written_in_input_mode_takes_effect_when_output(gpio: GpioController) -> None:
    gpio.write("GPIO2", 1)
    assert gpio.read("GPIO2") == 0
    gpio.set_mode("GPIO2", "output")
    assert gpio.read("GPIO2") == 1
    gpio.set_mode("GPIO2", "input")
    assert gpio.read("GPIO2") == 0


@pytest.mark.parametrize(("latch", "pull", "drive", "level"), [
    (0, "up", None, 0),      # 0 is driven
    (0, "up", 1, 0),         # ... whatever the outside does
    (1, "up", None, 1),      # 1 releases: the pull-up decides
    (1, "floating", None, 0),
    (1, "down", 1, 1),       # released, an external drive decides
    (1, "up", 0, 0),         # wired-AND: another device pulls the line low
])
def test_open_drain_drives_only_0(gpio: GpioController, latch: int, pull: str,
                                  drive: int | None, level: int) -> None:
    gpio.set_mode("GPIO4", "output_od")
    gpio.set_pull("GPIO4", pull)
    gpio.drive("GPIO4", drive)
    gpio.write("GPIO4", latch)
    assert gpio.read("GPIO4") == level


def test_write_takes_any_truthy_value_as_1(gpio: GpioController) -> None:
    gpio.set_mode("GPIO2", "output")
    gpio.write("GPIO2", 5)
    assert gpio.read("GPIO2") == 1
    gpio.write("GPIO2", False)
    assert gpio.read("GPIO2") == 0


def test_pin_events_only_on_level_changes_with_virtual_time(
        gpio: GpioController, bus: TraceBus, clock: Clock) -> None:
    events = recorded(bus, "pin")
    gpio.set_mode("GPIO2", "output")
    for t, level in [(10, 1), (20, 1), (30, 0), (40, 0), (50, 1)]:
        clock.t = t
        gpio.write("GPIO2", level)
    assert events == [TraceEvent(10, "pin", "GPIO2", 1), TraceEvent(30, "pin", "GPIO2", 0),
                      TraceEvent(50, "pin", "GPIO2", 1)]


def test_writes_in_input_mode_publish_nothing(gpio: GpioController, bus: TraceBus) -> None:
    events = recorded(bus, "pin")
    gpio.write("GPIO2", 1)
    gpio.write("GPIO2", 0)
    assert events == []


def test_mode_events_on_changes_only_and_before_the_level_they_cause(
        gpio: GpioController, bus: TraceBus) -> None:
    events = recorded(bus, "pin", "pin_mode")
    gpio.write("GPIO2", 1)
    gpio.set_mode("GPIO2", "output")
    gpio.set_mode("GPIO2", "output")
    gpio.set_mode("GPIO2", "input")
    assert [(e.kind, e.value) for e in events] == [
        ("pin_mode", "output"), ("pin", 1), ("pin_mode", "input"), ("pin", 0)]


def test_listeners_hear_each_change_once(gpio: GpioController) -> None:
    heard: list[tuple[str, int]] = []
    gpio.add_listener("GPIO4", lambda pin, level: heard.append((pin, level)))
    gpio.drive("GPIO4", 1)
    gpio.drive("GPIO4", 1)
    gpio.set_pull("GPIO4", "up")      # still 1: no news
    gpio.drive("GPIO4", None)         # the pull-up keeps it at 1
    gpio.drive("GPIO4", 0)
    assert heard == [("GPIO4", 1), ("GPIO4", 0)]


LEVELS = [1, 0, 1, 0]     # driven in turn onto a pin that starts at 0


@pytest.mark.parametrize(("trigger", "fired_on"), [
    ("rising", [1, 1]),
    ("falling", [0, 0]),
    ("both", [1, 0, 1, 0]),
    ("high", [1, 1]),
    ("low", [0, 0]),
])
def test_interrupt_triggers(gpio: GpioController, trigger: str, fired_on: list[int]) -> None:
    gpio.drive("GPIO4", 1)                      # away from 0, so arming "low" does not fire
    fired: list[int] = []
    gpio.set_interrupt("GPIO4", trigger, lambda pin: fired.append(gpio.read(pin)))
    gpio.drive("GPIO4", 0)                      # back to the starting 0
    fired.clear()
    for level in LEVELS:
        gpio.drive("GPIO4", level)
    assert fired == fired_on


def test_interrupt_callback_gets_the_pin_name_once_per_edge(gpio: GpioController) -> None:
    names: list[str] = []
    gpio.set_interrupt("GPIO0", "falling", names.append)
    gpio.set_pull("GPIO0", "up")
    gpio.drive("GPIO0", 0)
    gpio.drive("GPIO0", 0)
    assert names == ["GPIO0"]


@pytest.mark.parametrize(("trigger", "fires"), [("high", True), ("low", False),
                                                ("rising", False), ("both", False)])
def test_level_triggers_fire_when_armed_at_their_level(gpio: GpioController, trigger: str,
                                                        fires: bool) -> None:
    gpio.set_pull("GPIO0", "up")
    names: list[str] = []
    gpio.set_interrupt("GPIO0", trigger, names.append)
    assert names == (["GPIO0"] if fires else [])


@pytest.mark.parametrize("disarm", [
    lambda gpio: gpio.remove_interrupt("GPIO4"),
    lambda gpio: gpio.set_interrupt("GPIO4", "none", print),
])
def test_disarmed_interrupts_stay_quiet(gpio: GpioController, disarm) -> None:
    names: list[str] = []
    gpio.set_interrupt("GPIO4", "both", names.append)
    disarm(gpio)
    gpio.drive("GPIO4", 1)
    assert names == []


def test_interrupts_fire_on_the_firmwares_own_writes(gpio: GpioController) -> None:
    names: list[str] = []
    gpio.set_interrupt("GPIO2", "rising", names.append)
    gpio.set_mode("GPIO2", "output")
    gpio.write("GPIO2", 1)
    assert names == ["GPIO2"]


@pytest.mark.parametrize(("method", "args", "word"), [
    ("set_mode", ("inout",), "mode"),
    ("set_pull", ("strong",), "pull"),
    ("set_interrupt", ("edge", print), "interrupt trigger"),
    ("set_external_pull", ("floating",), "external pull"),
])
def test_bad_configuration_names_are_value_errors(gpio: GpioController, method: str,
                                                  args: tuple, word: str) -> None:
    with pytest.raises(ValueError, match=f"GPIO2: unknown {word}"):
        getattr(gpio, method)("GPIO2", *args)


@pytest.mark.parametrize(("method", "args"), [
    ("set_mode", ("output",)), ("set_pull", ("up",)), ("write", (1,)), ("read", ()),
    ("drive", (1,)), ("set_interrupt", ("rising", print)), ("remove_interrupt", ()),
    ("level", ()), ("mode", ()), ("add_listener", (print,)), ("set_external_pull", ("up",)),
])
def test_unknown_pins_raise_a_clear_key_error(gpio: GpioController, method: str,
                                              args: tuple) -> None:
    with pytest.raises(UnknownPinError) as info:
        getattr(gpio, method)("GPIO99", *args)
    assert isinstance(info.value, KeyError)
    assert str(info.value) == "unknown pin 'GPIO99' (this board has GPIO0, GPIO2, GPIO4)"
