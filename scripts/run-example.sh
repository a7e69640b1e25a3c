#!/usr/bin/env bash
# Set up avmsim and run the prebuilt hello_world example on a simulated ESP32 DevKitC.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
exec avmsim --board esp32-devkit firmware_images/hello_world.avm
