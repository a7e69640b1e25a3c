"""The prebuilt example apps that use buses and PWM, run as a user runs them."""
from __future__ import annotations

import json
from pathlib import Path

from helpers import avmsim

ROOT = Path(__file__).resolve().parent.parent


def test_thermometer_reads_the_scheduled_temperature_and_dims_the_led(tmp_path):
    """The parts file ramps the SHT31 from 18 °C at 0 s to 32 °C at 10 s (1.4 °C a second);
    the app measures once a second and sets the LED's duty to (T - 15) / 20."""
    trace = tmp_path / "run.jsonl"
    result = avmsim("--headless", "--timeout", "2.5s", "--trace", str(trace),
                    "--parts", str(ROOT / "examples/thermometer/parts.toml"),
                    str(ROOT / "firmware_images/thermometer.avm"))
    assert result.returncode == 42, result.stderr          # it runs until the timeout
    assert result.stdout.splitlines() == ["18.0 C  45.0 %RH", "19.4 C  45.0 %RH",
                                          "20.9 C  45.0 %RH"]
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    duties = [e["value"]["duty"] for e in events if e["kind"] == "pwm" and e["source"] == "GPIO2"]
    assert abs(duties[1] - 3 / 20) < 0.001               # 18 °C
    i2c = [e for e in events if e["kind"] == "i2c"]
    assert i2c[0]["value"]["addr"] == 0x44 and i2c[0]["value"]["write"] == "2400"
