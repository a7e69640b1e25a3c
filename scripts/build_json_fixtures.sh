#!/usr/bin/env bash
# Record OTP 27's answers for the json test cases: run tests/library_api/json_cases.erl on
# OTP 27 (the root that ../shared/tools/erlc-otp builds, under $ERLC_OTP_ROOT) and write
# its output to tests/fixtures/json_otp27.txt, with the sha256 of the source on the first line
# so that tests/test_library_api.py can tell when the fixture is stale. CI has only OTP 25,
# which has no json module: the fixture is committed.
#
#   scripts/build_json_fixtures.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
erlc_otp=${ERLC_OTP:-$repo/../shared/tools/erlc-otp}
root=${ERLC_OTP_ROOT:-/opt/erlc-otp}/otp27
src=$repo/tests/library_api/json_cases.erl
out=$repo/tests/fixtures/json_otp27.txt

[ -x "$erlc_otp" ] || { echo "build_json_fixtures: $erlc_otp not found (set ERLC_OTP)" >&2; exit 2; }
beams=$(mktemp -d)
trap 'rm -rf "$beams"' EXIT
"$erlc_otp" 27 "$beams" "$src"          # also builds the OTP 27 root the first time
work=$(mktemp -d "$root/tmp/json.XXXXXX")
trap 'rm -rf "$beams" "$work"' EXIT
cp "$beams/json_cases.beam" "$work/"
inner=/tmp/$(basename "$work")
{
  echo "% sha256 $(sha256sum "$src" | cut -d' ' -f1)"
  chroot "$root" erl -noshell -pa "$inner" -s json_cases start -s init stop
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "build_json_fixtures: wrote $(($(wc -l < "$out") - 1)) results to tests/fixtures/json_otp27.txt" >&2
