"""Running Erlang apps that use I2C/SPI on a board with chips fitted from a parts file.

``run_app`` compiles a module, fits the parts, runs it for a bounded virtual time (so a
test cannot hang on an app that never returns) and gives back the outcome and the console.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import avmsim.simulation as simulation
from avmsim.boards import get_board
from avmsim.boards.parts_file import load_parts_file

from helpers import compile_erl

S = 1_000_000_000


def run_app(tmp: Path, board: str, source: str, parts: str = "",
            until_s: float = 5.0) -> tuple[Any, str]:
    """Run the module in ``source`` (its name is on its first line) on ``board``."""
    name = source.split("-module(", 1)[1].split(")", 1)[0]
    beam = compile_erl(tmp, name, source)
    return run_beams(tmp, board, [beam], parts, until_s)


def run_beams(tmp: Path, board: str, beams: list[Path], parts: str = "",
              until_s: float = 5.0) -> tuple[Any, str]:
    """Run compiled modules (the first one's ``start/0``) on ``board``."""
    spec = get_board(board)
    if parts:
        parts_file = tmp / "parts.toml"
        parts_file.write_text(parts)
        spec = spec.with_parts(load_parts_file(parts_file))
    sim = simulation.Simulation(spec, [str(b) for b in beams])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    outcome = sim.run(until_ns=int(until_s * S))
    return outcome, b"".join(out).decode("latin-1")


def i2c_part(name: str, model: str, sda: str, scl: str, **props: Any) -> str:
    lines = [f'[[i2c_device]]\nname = "{name}"\nmodel = "{model}"\nsda = "{sda}"\n'
             f'scl = "{scl}"']
    lines += [f"{k} = {v}" for k, v in props.items()]
    return "\n".join(lines) + "\n"


def spi_part(name: str, model: str, sclk: str, mosi: str, miso: str, cs: str,
             **props: Any) -> str:
    lines = [f'[[spi_device]]\nname = "{name}"\nmodel = "{model}"\nsclk = "{sclk}"\n'
             f'mosi = "{mosi}"\nmiso = "{miso}"\ncs = "{cs}"']
    lines += [f"{k} = {v}" for k, v in props.items()]
    return "\n".join(lines) + "\n"
