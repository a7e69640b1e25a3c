#!/usr/bin/env bash
# Install avmsim (editable, with test tools) and, when missing, Debian's Erlang (OTP 25), which
# builds the standard library, the examples and the test corpus, Debian's Elixir, which builds
# the Elixir library and examples and runs the Elixir corpus, tmux, in which a test runs
# the live view, and sigrok-cli, whose decoders check the I2C/SPI waveforms of the VCD.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v erlc >/dev/null 2>&1 || missing+=(erlang-nox erlang-dev)
command -v elixirc >/dev/null 2>&1 || missing+=(elixir)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v sigrok-cli >/dev/null 2>&1 || missing+=(sigrok-cli)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing from Debian: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
