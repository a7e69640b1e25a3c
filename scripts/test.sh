#!/usr/bin/env bash
# Set up (Erlang from Debian when missing, avmsim with its test extra) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec python3 -m pytest -q "$@"
