#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) and runs each for
# SECONDS (default 30), seeded from the engine's unit-test data. Exits non-zero on the first crash,
# leak, sanitizer report or broken invariant, leaving the reproducer under the build directory.
# Warnings are the regular clang build's job, so they do not fail this one.
#   test/fuzz/run_fuzz_smoke.sh [SECONDS]      (BUILD_DIR=build/fuzz, JOBS=2 by default)
set -euo pipefail
seconds="${1:-30}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build/fuzz}"
jobs="${JOBS:-2}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DWAF_SANITIZE=ON -DWAF_TESTS=OFF -DWAF_WERROR=OFF -DWAF_FUZZ=ON \
  -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link \
  >/dev/null
nice -n 10 cmake --build "$build" -j "$jobs" --target fuzz_targets

testdata="$root/test/unit/engine/testdata"
seed() {  # seed <target> <files...>: a fresh corpus directory with the given seeds
  local dir="$build/corpus/$1"
  shift
  rm -rf "$dir" && mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/"; done
  echo "$dir"
}
declare -A corpus=(
  [json_fuzz]="$(seed json_fuzz "$testdata"/parse/*.json)"
  [multipart_fuzz]="$(seed multipart_fuzz)"
  [xml_fuzz]="$(seed xml_fuzz "$testdata"/parse/*.xml)"
  [url_fuzz]="$(seed url_fuzz "$testdata"/parse/*.target "$testdata"/parse/*.form)"
  [entities_fuzz]="$(seed entities_fuzz "$testdata"/decode/*.txt)"
  [decoders_fuzz]="$(seed decoders_fuzz "$testdata"/decode/*.txt)"
  [inspect_fuzz]="$(seed inspect_fuzz "$root"/test/integration/inspect/cases/*.http)"
)
# The multipart seed needs its boundary on the first line (see multipart_fuzz.cpp).
{ echo "XyZ"; cat "$testdata/parse/upload.multipart"; } >"${corpus[multipart_fuzz]}/upload"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for target in json_fuzz multipart_fuzz xml_fuzz url_fuzz entities_fuzz decoders_fuzz inspect_fuzz; do
  echo "== $target: ${seconds}s"
  (cd "$build/test/fuzz" && "./$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 "${corpus[$target]}" 2>&1 | tail -n 12)
done
echo "fuzz smoke: all targets ran ${seconds}s without a finding"
