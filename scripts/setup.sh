#!/usr/bin/env bash
# Install avmsim (editable, with test tools) and, when erlc is missing, Debian's Erlang (OTP 25),
# which builds the standard library, the examples and the test corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v erlc >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian's Erlang (erlang-nox, erlang-dev)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq erlang-nox erlang-dev >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
