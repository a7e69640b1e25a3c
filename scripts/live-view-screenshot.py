#!/usr/bin/env python3
"""Write docs/live-view.svg: the live view of the blink example at 3.5 s of virtual time.

The view is fed by the same trace bus and figures as ``avmsim --ui``; only the frame is
rendered to SVG instead of a terminal (the README shows it).
"""
from __future__ import annotations

from pathlib import Path

from avmsim.boards import get_board
from avmsim.live_session import live_view_for
from avmsim.simulation import Simulation

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sim = Simulation(get_board("esp32-devkit"), [str(ROOT / "firmware_images" / "blink.avm")])
    view = live_view_for(sim)
    sim.run(until_ns=3_500_000_000)
    view.save_svg(str(ROOT / "docs" / "live-view.svg"), width=120, height=36)
    print("wrote docs/live-view.svg")


if __name__ == "__main__":
    main()
