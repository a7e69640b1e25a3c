#!/usr/bin/env bash
# Set up (Erlang from Debian when missing, avmsim with its test extra) and run the whole test suite,
# one pytest worker per core (pytest-xdist), each test file kept on one worker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec python3 -m pytest -q -n auto --dist loadfile "$@"
