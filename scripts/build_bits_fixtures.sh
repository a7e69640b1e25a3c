#!/usr/bin/env bash
# Build the binary-opcode fixtures: compile every tests/erlang_bits/*.erl with OTP 27 and
# OTP 29 (through /work/shared/tools/erlc-otp, or $ERLC_OTP) into
# tests/fixtures/bits/otp27/ and tests/fixtures/bits/otp29/, replacing what was there, and
# record the sha256 of each source in sources.sha256 so that tests/test_bits.py can tell
# when a fixture is stale. (OTP 26+ emit bs_match, which the host's OTP 25 never does.)
#
#   scripts/build_bits_fixtures.sh            # both releases
#   scripts/build_bits_fixtures.sh 27         # only OTP 27
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
erlc_otp=${ERLC_OTP:-/work/shared/tools/erlc-otp}
src_dir=$repo/tests/erlang_bits
releases=("$@")
[ ${#releases[@]} -gt 0 ] || releases=(27 29)

[ -x "$erlc_otp" ] || { echo "build_bits_fixtures: $erlc_otp not found (set ERLC_OTP)" >&2; exit 2; }
shopt -s nullglob
sources=("$src_dir"/*.erl)
[ ${#sources[@]} -gt 0 ] || { echo "build_bits_fixtures: no sources in $src_dir" >&2; exit 2; }

for rel in "${releases[@]}"; do
  out=$repo/tests/fixtures/bits/otp$rel
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "build_bits_fixtures: compiling ${#sources[@]} programs with OTP $rel" >&2
  "$erlc_otp" "$rel" "$tmp" "${sources[@]}"
  for src in "${sources[@]}"; do
    name=$(basename "$src" .erl)
    [ -f "$tmp/$name.beam" ] || { echo "build_bits_fixtures: OTP $rel produced no $name.beam" >&2; exit 1; }
  done
  mkdir -p "$out"
  rm -f "$out"/*.beam
  cp "$tmp"/*.beam "$out"/
  (cd "$src_dir" && sha256sum -- *.erl) > "$out/sources.sha256"
  rm -rf "$tmp"
  trap - EXIT
  echo "build_bits_fixtures: wrote $(ls "$out"/*.beam | wc -l) beams to tests/fixtures/bits/otp$rel" >&2
done
