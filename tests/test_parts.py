"""Parts on pins (avmsim.peripherals.parts): LEDs, buttons, switches, and building them."""
from __future__ import annotations

import pytest
from avmsim.peripherals.gpio import GpioController
from avmsim.peripherals.parts import Button, Led, Switch, attach_parts, make_part
from avmsim.trace import TraceBus, TraceEvent


@pytest.fixture
def bus() -> TraceBus:
    return TraceBus(lambda: 0)


@pytest.fixture
def gpio(bus: TraceBus) -> GpioController:
    return GpioController(bus, ["GPIO0", "GPIO2", "GPIO4"])


def recorded(bus: TraceBus, *kinds: str) -> list[tuple[str, str, object]]:
    events: list[TraceEvent] = []
    bus.subscribe(events.append, kinds)
    return events


def kinds_values(events: list[TraceEvent]) -> list[tuple[str, str, object]]:
    return [(e.kind, e.source, e.value) for e in events]


def test_led_follows_an_active_high_pin_and_publishes_changes(gpio: GpioController,
                                                              bus: TraceBus) -> None:
    led = Led("LED2", "GPIO2", color="blue")
    led.attach(gpio)
    events = recorded(bus, "part")
    gpio.set_mode("GPIO2", "output")
    gpio.write("GPIO2", 1)
    assert led.on and led.state == "on"
    gpio.write("GPIO2", 0)
    assert not led.on
    assert kinds_values(events) == [("part", "LED2", "on"), ("part", "LED2", "off")]
    assert led.color == "blue"


def test_active_low_led_is_lit_at_0_from_the_moment_it_is_attached(gpio: GpioController,
                                                                   bus: TraceBus) -> None:
    events = recorded(bus, "part")
    led = Led("LED", "GPIO4", active_low=True)
    led.attach(gpio)                      # the pin floats at 0: lit, without an event
    assert led.on
    assert events == []
    gpio.set_pull("GPIO4", "up")
    assert not led.on
    assert kinds_values(events) == [("part", "LED", "off")]


def test_pin_change_comes_before_the_led_it_lights(gpio: GpioController,
                                                   bus: TraceBus) -> None:
    Led("LED2", "GPIO2").attach(gpio)
    events = recorded(bus, "pin", "part")
    gpio.set_mode("GPIO2", "output")
    gpio.write("GPIO2", 1)
    assert kinds_values(events) == [("pin", "GPIO2", 1), ("part", "LED2", "on")]


def test_button_with_board_pull_up(gpio: GpioController, bus: TraceBus) -> None:
    boot = Button("BOOT", "GPIO0", external_pull="up")
    boot.attach(gpio)
    assert gpio.read("GPIO0") == 1 and not boot.pressed
    events = recorded(bus, "pin", "part")
    boot.press()
    assert gpio.read("GPIO0") == 0 and boot.pressed
    boot.press()                          # already down: nothing happens
    boot.release()
    assert gpio.read("GPIO0") == 1
    assert kinds_values(events) == [("part", "BOOT", "pressed"), ("pin", "GPIO0", 0),
                                    ("part", "BOOT", "released"), ("pin", "GPIO0", 1)]


def test_released_button_without_pull_leaves_the_pin_to_the_firmware(
        gpio: GpioController) -> None:
    button = Button("B", "GPIO4")
    button.attach(gpio)
    button.press()
    button.release()
    assert gpio.read("GPIO4") == 0        # floating
    gpio.set_pull("GPIO4", "up")
    assert gpio.read("GPIO4") == 1
    button.press()
    assert gpio.read("GPIO4") == 0


def test_button_press_fires_a_falling_edge_interrupt(gpio: GpioController) -> None:
    button = Button("BOOT", "GPIO0", external_pull="up")
    button.attach(gpio)
    fired: list[str] = []
    gpio.set_interrupt("GPIO0", "falling", fired.append)
    button.press()
    button.release()
    button.press()
    assert fired == ["GPIO0", "GPIO0"]


def test_active_high_switch_latches(gpio: GpioController, bus: TraceBus) -> None:
    switch = Switch("SW1", "GPIO4", active_low=False, external_pull="down")
    switch.attach(gpio)
    events = recorded(bus, "part")
    switch.set(True)
    assert gpio.read("GPIO4") == 1 and switch.on
    switch.toggle()
    assert gpio.read("GPIO4") == 0 and not switch.on
    switch.toggle()
    assert gpio.read("GPIO4") == 1
    assert [e.value for e in events] == ["on", "off", "on"]


def test_parts_must_be_attached_before_use() -> None:
    with pytest.raises(RuntimeError, match="'BOOT' is not attached"):
        Button("BOOT", "GPIO0").press()


def test_make_part_defaults_per_kind() -> None:
    led = make_part({"kind": "led", "name": "LED2", "pin": "GPIO2", "color": "blue"})
    button = make_part({"kind": "button", "name": "BOOT", "pin": "GPIO0", "pull": "up"})
    switch = make_part({"kind": "switch", "name": "SW", "pin": "GPIO4", "active": "high"})
    assert isinstance(led, Led) and (led.active_level, led.color) == (1, "blue")
    assert isinstance(button, Button) and button.active_level == 0
    assert button.external_pull == "up"
    assert isinstance(switch, Switch) and switch.active_level == 1
    assert make_part({"kind": "led", "name": "L", "pin": "P", "active": "low"}).active_level == 0


@pytest.mark.parametrize(("spec", "message"), [
    ({"kind": "lamp", "name": "L1", "pin": "GPIO2"}, "part 'L1': unknown kind 'lamp'"),
    ({"kind": "led", "name": "L1"}, "part 'L1': needs a pin name"),
    ({"kind": "led", "pin": "GPIO2"}, "needs a name"),
    ({"kind": "led", "name": "L1", "pin": "GPIO2", "active": "yes"}, "part 'L1': active must"),
    ({"kind": "button", "name": "B", "pin": "GPIO0", "color": "red"},
     "part 'B': unknown key color for a button"),
])
def test_make_part_rejects_bad_specs_by_name(spec: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_part(spec)


def test_attach_parts_wires_every_part(gpio: GpioController) -> None:
    parts = attach_parts(gpio, [
        {"kind": "led", "name": "LED2", "pin": "GPIO2"},
        {"kind": "button", "name": "BOOT", "pin": "GPIO0", "pull": "up"},
    ])
    assert list(parts) == ["LED2", "BOOT"]
    assert gpio.read("GPIO0") == 1        # the board pull-up is in place
    gpio.set_mode("GPIO2", "output")
    gpio.write("GPIO2", 1)
    assert parts["LED2"].state == "on"


@pytest.mark.parametrize(("specs", "message"), [
    ([{"kind": "led", "name": "LED9", "pin": "GPIO99"}], "part 'LED9': unknown pin 'GPIO99'"),
    ([{"kind": "button", "name": "B", "pin": "GPIO0", "pull": "sideways"}],
     "part 'B': pin GPIO0: unknown external pull"),
    ([{"kind": "led", "name": "L", "pin": "GPIO2"}, {"kind": "led", "name": "L", "pin": "GPIO4"}],
     "part 'L': two parts have that name"),
])
def test_attach_parts_errors_are_value_errors_naming_the_part(
        gpio: GpioController, specs: list[dict], message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        attach_parts(gpio, specs)
    assert not isinstance(info.value, KeyError)
