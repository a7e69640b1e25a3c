#!/usr/bin/env bash
# Build the conformance-corpus fixtures: compile every tests/erlang/*.erl with
# OTP 27 and OTP 29 (through /work/shared/tools/erlc-otp, or $ERLC_OTP) into
# tests/fixtures/otp27/ and tests/fixtures/otp29/, and every
# tests/erlang_proc/*.erl (the concurrency corpus) into
# tests/fixtures/proc_otp27/ and tests/fixtures/proc_otp29/, replacing what
# was there, and record the sha256 of each source in sources.sha256 so that
# tests/test_corpus.py and tests/test_proc_corpus.py can tell when a fixture
# is stale.
#
#   scripts/build_fixtures.sh            # both releases
#   scripts/build_fixtures.sh 29         # only OTP 29
#   FIXTURE_CORPORA=erlang_proc scripts/build_fixtures.sh
#                                        # only the concurrency corpus
#                                        # (FIXTURE_CORPORA: space-separated
#                                        # directory names under tests/)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
erlc_otp=${ERLC_OTP:-/work/shared/tools/erlc-otp}
releases=("$@")
[ ${#releases[@]} -gt 0 ] || releases=(27 29)
# source directory under tests/ : fixture directory prefix under tests/fixtures/
corpora=("erlang:otp" "erlang_proc:proc_otp")
only=${FIXTURE_CORPORA:-}

[ -x "$erlc_otp" ] || { echo "build_fixtures: $erlc_otp not found (set ERLC_OTP)" >&2; exit 2; }
shopt -s nullglob

for corpus in "${corpora[@]}"; do
  if [ -n "$only" ] && [[ " $only " != *" ${corpus%%:*} "* ]]; then
    continue
  fi
  src_dir=$repo/tests/${corpus%%:*}
  prefix=${corpus##*:}
  sources=("$src_dir"/*.erl)
  [ ${#sources[@]} -gt 0 ] || { echo "build_fixtures: no sources in $src_dir" >&2; exit 2; }

  for rel in "${releases[@]}"; do
    out=$repo/tests/fixtures/$prefix$rel
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "build_fixtures: compiling ${#sources[@]} programs of tests/${corpus%%:*} with OTP $rel" >&2
    "$erlc_otp" "$rel" "$tmp" "${sources[@]}"
    for src in "${sources[@]}"; do
      name=$(basename "$src" .erl)
      [ -f "$tmp/$name.beam" ] || { echo "build_fixtures: OTP $rel produced no $name.beam" >&2; exit 1; }
    done
    mkdir -p "$out"
    rm -f "$out"/*.beam
    cp "$tmp"/*.beam "$out"/
    (cd "$src_dir" && sha256sum -- *.erl) > "$out/sources.sha256"
    rm -rf "$tmp"
    trap - EXIT
    echo "build_fixtures: wrote $(ls "$out"/*.beam | wc -l) beams to tests/fixtures/$prefix$rel" >&2
  done
done
