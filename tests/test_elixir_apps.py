"""Elixir apps as a user builds and runs them: the prebuilt examples, ``avmsim pack`` with
Elixir beams, the messages for bad Elixir input, crash reports of Elixir exceptions, the
device modules (GPIO, LEDC, I2C) and the Elixir library pack itself."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from avmsim.vm.avm_pack import read_pack
from avmsim.vm.beam_file import build_iff, iff_chunks
from helpers import avmsim

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "firmware_images"
EXIT_APP_FAILED, EXIT_UNSUPPORTED_OPCODE, EXIT_NO_START_MODULE, EXIT_TIMEOUT = 1, 8, 9, 42


def compile_ex(tmp: Path, name: str, source: str) -> list[Path]:
    """Compile ``name.ex`` with the host elixirc; its beams, the module ``name`` first."""
    src = tmp / f"{name}.ex"
    src.write_text(source)
    out = tmp / f"{name}_beams"
    out.mkdir()
    subprocess.run(["elixirc", "-o", str(out), str(src)], check=True, capture_output=True,
                   timeout=120)
    main = out / f"Elixir.{name}.beam"
    return [main, *sorted(p for p in out.glob("*.beam") if p != main)]


APP = """
defmodule App do
  def start do
    IO.puts("app " <> App.Helper.word())
    :ok
  end
end

defmodule App.Helper do
  def word, do: "started"
end

defmodule App.Other do
  def start, do: IO.puts("other started")
end
"""


def test_hello_world_example_prints_its_computations() -> None:
    squares = [n * n for n in range(1, 11)]
    fib = [0, 1]
    while len(fib) <= 20:
        fib.append(fib[-1] + fib[-2])
    run = avmsim(str(IMAGES / "elixir_hello_world.avm"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Hello, world! from Elixir on esp32",
        "squares: [" + ", ".join(map(str, squares)) + "]",
        f"sum: {sum(squares)}, fib(20): {fib[20]}"]


def test_blink_example_toggles_the_led_once_a_second(tmp_path: Path) -> None:
    trace = tmp_path / "run.jsonl"
    run = avmsim("--timeout", "2.5s", "--trace", str(trace), str(IMAGES / "elixir_blink.avm"))
    assert run.returncode == EXIT_TIMEOUT, run.stderr
    assert run.stdout.splitlines() == ["Setting pin 2 low", "Setting pin 2 high",
                                       "Setting pin 2 low"]
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    levels = [(e["t_ns"] // 10**9, e["value"]) for e in events
              if e["kind"] == "pin" and e["source"] == "GPIO2"]
    assert levels == [(1, 1), (2, 0)]          # low at boot (no change), high at 1 s, low at 2 s


def test_a_prebuilt_elixir_pack_needs_no_elixir_on_the_machine() -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}   # no elixir, no erl
    run = subprocess.run([sys.executable, "-m", "avmsim.cli",
                          str(IMAGES / "elixir_hello_world.avm")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Hello, world! from Elixir")


def test_pack_flags_elixir_start_modules_and_runs_the_first(tmp_path: Path) -> None:
    beams = compile_ex(tmp_path, "App", APP)
    pack = tmp_path / "app.avm"
    made = avmsim("pack", "-o", str(pack), *map(str, beams))
    assert made.returncode == 0, made.stderr
    sections = read_pack(pack.read_bytes(), str(pack))
    assert [(s.name, s.is_start) for s in sections] == [
        ("Elixir.App.beam", True), ("Elixir.App.Helper.beam", False),
        ("Elixir.App.Other.beam", True)]
    run = avmsim("--board", "generic-unix", str(pack))
    assert (run.returncode, run.stdout) == (0, "app started\n")


def test_pack_start_names_an_elixir_module_as_elixir_writes_it(tmp_path: Path) -> None:
    beams = compile_ex(tmp_path, "App", APP)
    for spelling in ("App.Other", "Elixir.App.Other"):
        pack = tmp_path / f"{spelling}.avm"
        made = avmsim("pack", "-o", str(pack), "--start", spelling, *map(str, beams))
        assert made.returncode == 0, made.stderr
        assert read_pack(pack.read_bytes(), str(pack))[0].name == "Elixir.App.Other.beam"
        run = avmsim("--board", "generic-unix", str(pack))
        assert run.stdout == "other started\n"


def test_elixir_pack_without_start_module_fails_like_an_erlang_one(tmp_path: Path) -> None:
    beams = compile_ex(tmp_path, "Lib", "defmodule Lib do\n  def run, do: :ok\nend\n")
    erl = tmp_path / "lib.erl"
    erl.write_text("-module(lib).\n-export([run/0]).\nrun() -> ok.\n")
    subprocess.run(["erlc", "-o", str(tmp_path), str(erl)], check=True, timeout=120)
    elixir_run = avmsim("--board", "generic-unix", str(beams[0]))
    erlang_run = avmsim("--board", "generic-unix", str(tmp_path / "lib.beam"))
    assert elixir_run.returncode == erlang_run.returncode == EXIT_NO_START_MODULE
    assert elixir_run.stderr.count("\n") == 1
    assert "no module is flagged as start module" in elixir_run.stderr
    assert "def start" in elixir_run.stderr


def test_a_beam_avmsim_cannot_load_gives_one_message_naming_the_module(tmp_path: Path) -> None:
    """A module from a compiler newer than the VM: an opcode number it does not know."""
    [beam] = compile_ex(tmp_path, "Newer", "defmodule Newer do\n  def start, do: :ok\nend\n")
    chunks = iff_chunks(beam.read_bytes(), str(beam))
    patched = []
    for chunk_id, body in chunks:
        if chunk_id == "Code":
            header = 4 + int.from_bytes(body[:4], "big")     # sub-header size field + sub-header
            body = body[:header] + bytes([250]) + body[header + 1:]
        patched.append((chunk_id, body))
    beam.write_bytes(build_iff(patched))
    run = avmsim("--board", "generic-unix", str(beam))
    assert run.returncode == EXIT_UNSUPPORTED_OPCODE
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "Elixir.Newer" in run.stderr and "opcode 250" in run.stderr


def test_an_elixir_exception_escaping_start_shows_elixirs_text(tmp_path: Path) -> None:
    [beam] = compile_ex(tmp_path, "Crash", """
defmodule Crash do
  def start do
    IO.puts("reading the sensor")
    raise ArgumentError, "sensor not found"
  end
end
""")
    run = avmsim("--board", "generic-unix", str(beam))
    assert run.returncode == EXIT_APP_FAILED
    assert run.stdout == "reading the sensor\n"
    assert "\n** (ArgumentError) sensor not found\n" in run.stderr
    assert run.stderr.startswith("CRASH")


DEVICES = """
defmodule Devices do
  import Bitwise

  def start do
    IO.inspect(GPIO.set_pin_mode(2, :output))
    IO.inspect(GPIO.digital_write(2, :high))
    IO.inspect(GPIO.set_pin_mode(4, :input))
    IO.inspect(GPIO.set_pin_pull(4, :up))
    IO.inspect(GPIO.digital_read(4))
    IO.inspect(LEDC.timer_config(duty_resolution: 10, freq_hz: 5000, speed_mode: LEDC.low_speed_mode(), timer_num: 0))
    IO.inspect(LEDC.channel_config(channel: 0, duty: 0, gpio_num: 18, speed_mode: LEDC.low_speed_mode(), hpoint: 0, timer_sel: 0))
    IO.inspect(LEDC.set_duty(LEDC.low_speed_mode(), 0, 512))
    IO.inspect(LEDC.update_duty(LEDC.low_speed_mode(), 0))
    IO.inspect(LEDC.get_duty(LEDC.low_speed_mode(), 0))
    IO.inspect(LEDC.get_freq(LEDC.low_speed_mode(), 0))
    i2c = I2C.open(scl: 22, sda: 21, clock_speed_hz: 100_000)
    :ok = I2C.begin_transmission(i2c, 0x44)
    :ok = I2C.write_byte(i2c, 0x24)
    :ok = I2C.write_byte(i2c, 0x00)
    :ok = I2C.end_transmission(i2c)
    Process.sleep(20)
    {:ok, <<t::16, _crc, _rh::binary>>} = I2C.read_bytes(i2c, 0x44, 6)
    IO.inspect(round((-45 + 175 * t / 65535) * 10))
    IO.inspect(I2C.read_bytes(i2c, 0x50, 1))
    IO.inspect(I2C.close(i2c))
    :ok
  end
end
"""


def test_device_modules_drive_the_board_as_the_erlang_api(tmp_path: Path) -> None:
    """AtomVM's documented returns: ok from the configuration calls, the level of a pulled-up
    input, the duty and frequency set, an SHT31 measurement (21.5 °C -> 215 tenths) and
    {error, ...} for a read from an address nothing answers."""
    beams = compile_ex(tmp_path, "Devices", DEVICES)
    parts = ROOT / "examples" / "thermometer" / "parts.toml"
    text = parts.read_text().replace("temperature_c = [[0, 18.0], [10, 32.0]]", "temperature_c = 21.5")
    (tmp_path / "parts.toml").write_text(text)
    run = avmsim("--parts", str(tmp_path / "parts.toml"), *map(str, beams))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:9] == [":ok", ":ok", ":ok", ":ok", ":high", ":ok", ":ok", ":ok", ":ok"]
    assert lines[9:12] == ["512", "5000", "215"]
    assert lines[12].startswith("{:error,")
    assert lines[13] == ":ok"


ADC_APP = """
defmodule AdcApp do
  @compile {:no_warn_undefined, [Esp.ADC]}
  def start do
    {:ok, unit} = Esp.ADC.init()
    {:ok, chan} = Esp.ADC.acquire(34, unit, :bit_12, :db_11)
    IO.inspect(Esp.ADC.sample(chan, unit, [:raw, :voltage]))
    :ok
  end
end
"""


def test_esp_adc_answers_under_its_elixir_name(tmp_path: Path) -> None:
    """AtomVM's adc_driver.c registers its NIFs as Elixir.Esp.ADC too (its Adc_nifs.ex example
    calls Esp.ADC.init()): 1.65 V at 11 dB on 12 bits reads 2758, 1649 mV, as from Erlang."""
    beams = compile_ex(tmp_path, "AdcApp", ADC_APP)
    (tmp_path / "parts.toml").write_text('[[analog]]\nname = "src"\npin = "GPIO34"\nvolts = 1.65\n')
    run = avmsim("--parts", str(tmp_path / "parts.toml"), *map(str, beams))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "{:ok, {2758, 1649}}\n"


def test_elixir_library_is_a_library_pack_with_every_module() -> None:
    sections = read_pack((IMAGES / "exavmlib.avm").read_bytes(), "exavmlib.avm")
    names = {s.name for s in sections if s.is_beam}
    for src in (ROOT / "libs" / "elixir").glob("*.ex"):
        assert f"Elixir.{src.stem}.beam" in names, src.name
    assert not any(s.is_start for s in sections), "the library pack must not name a start module"


def test_the_banner_of_an_exception_computing_its_message_is_elixirs(tmp_path: Path) -> None:
    beams = compile_ex(tmp_path, "Missing", """
defmodule Missing do
  defmodule Stuck do
    defexception [:why]

    @impl true
    def message(_e), do: receive(do: (:never -> "never"))
  end

  def start, do: raise(KeyError, key: :pin, term: %{sda: 21})
end

defmodule Waits do
  def start, do: raise(Missing.Stuck, why: :waits)
end
""")
    run = avmsim("--board", "generic-unix", *map(str, beams))
    assert run.returncode == EXIT_APP_FAILED
    assert "\n** (KeyError) key :pin not found in: %{sda: 21}\n" in run.stderr
    # a message/1 that never answers: the banner shows the exception's fields instead
    waits = [b for b in beams if b.name == "Elixir.Waits.beam"]
    run = avmsim("--board", "generic-unix", *map(str, waits + beams))
    assert run.returncode == EXIT_APP_FAILED
    assert "\n** (Missing.Stuck) #{" in run.stderr and "why=>waits" in run.stderr
