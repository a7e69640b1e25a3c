"""The prebuilt example apps that use buses, PWM and the network, run as a user runs them."""
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


def test_web_led_serves_its_page_and_switches_the_led_from_the_host(tmp_path):
    """The prebuilt web_led joins avmsim's open AP under its placeholder SSID, serves port 80
    through a forward, and a plain HTTP client on the host switches GPIO2 on."""
    from test_net_host import Background
    trace = tmp_path / "run.jsonl"
    run = Background("--headless", "--timeout", "6s", "--trace", str(trace),
                     "--wifi", "ssid=my_network,default", "--forward", "tcp:0:80",
                     str(ROOT / "firmware_images/web_led.avm"))
    try:
        port = run.forwarded_port()
        page = _fetch(f"http://127.0.0.1:{port}/led/on")
        assert "LED is on" in page
        assert "LED is on" in _fetch(f"http://127.0.0.1:{port}/")
        status, out, _ = run.finish()
    finally:
        run.kill()
    assert status == 42                                   # it serves until the timeout
    assert out.splitlines() == ["web_led: serving http://192.168.1.100/", "web_led: LED on"]
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    led = [e["value"] for e in events if e["kind"] == "pin" and e["source"] == "GPIO2"]
    assert led == [1], "the blue LED went on once, at the request"


def _fetch(url: str) -> str:
    """GET ``url``, retrying while the board is still joining the network (virtual time runs
    at the host's pace once the forward is open)."""
    import time
    import urllib.error
    import urllib.request
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as reply:
                return reply.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
