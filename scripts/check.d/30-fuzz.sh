#!/usr/bin/env bash
# The libFuzzer targets of fuzz/ (clang, ASan+UBSan), each for about a
# minute (VF_FUZZ_SECONDS), from a seed corpus made from the conformance
# vectors plus the findings kept in fuzz/regressions/. A crash, a sanitizer
# report or a failed round-trip check fails the step; the input is saved
# under $VF_CHECK_DIR/fuzz/artifacts/. The corpora are build products.
set -euo pipefail
clang=clang
# Apple's clang has no libFuzzer; Homebrew's llvm (install-deps --test) has.
if [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null &&
   [ -x "$(brew --prefix llvm 2>/dev/null)/bin/clang" ]; then
  clang="$(brew --prefix llvm)/bin/clang"
fi
command -v "$clang" >/dev/null || { echo "clang not found (scripts/install-deps --test)"; exit 1; }

b="$VF_CHECK_DIR/fuzz"
seconds="${VF_FUZZ_SECONDS:-60}"
targets=(device bootloader json cmdline krunkit)

cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$clang" \
      -DVF_SANITIZE=fuzzer-no-link,address,undefined \
      -DVF_BUILD_TOOLS=OFF -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=OFF -DVF_CHECK_ERRORS=ON >/dev/null
cmake --build "$b" -j "$VF_JOBS" --target vf_fuzz_all

corpus="$b/corpus"
rm -rf "$corpus" "$b/artifacts"
mkdir -p "$b/artifacts" "$corpus"
for vectors in vectors krunkit-vectors; do
  "$b/fuzz/vf_fuzz_seeds" "$VF_SOURCE_DIR/tests/conformance/$vectors.jsonl" "$corpus/seeds"
done

# Memory limits sized to the inputs: no input of at most max_len bytes may
# make one allocation over 16 MiB or grow the process past 1 GiB. The JSON
# target also holds every read to the reader's heap bound (fuzz_json.c);
# its inputs may be 16 kB, so that a reader costing 32 bytes per ignored
# input byte (the bug of issue 13) shows, as 512 kB against 352 kB.
limits=(-rss_limit_mb=1024 -malloc_limit_mb=16)

# One target: its log and exit status go to files (it runs in the background).
fuzz() {
  local t=$1 extra=() len=()
  mkdir -p "$corpus/$t"
  [ -d "$VF_SOURCE_DIR/fuzz/regressions/$t" ] && extra+=("$VF_SOURCE_DIR/fuzz/regressions/$t")
  [ "$t" = json ] && len=(-max_len=16384)
  local rc=0
  # The targets change into a scratch folder: every path given is absolute.
  "$b/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 "${limits[@]}" ${len[@]+"${len[@]}"} \
      -print_final_stats=1 -artifact_prefix="$b/artifacts/$t-" \
      "$corpus/$t" "$corpus/seeds/$t" ${extra[@]+"${extra[@]}"} </dev/null >"$b/fuzz_$t.log" 2>&1 || rc=$?
  echo "$rc" >"$b/fuzz_$t.rc"
}

# As many targets at a time as there are jobs.
running=0
for t in "${targets[@]}"; do
  fuzz "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$VF_JOBS" ]; then
    wait
    running=0
  fi
done
wait

status=0
for t in "${targets[@]}"; do
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$b/fuzz_$t.log")
  rc=$(cat "$b/fuzz_$t.rc")
  echo "fuzz_$t: ${runs:-?} executions, exit status $rc"
  if [ "$rc" != 0 ]; then
    status=1
    grep -a -E '^(finding|  )|ERROR|SUMMARY|Test unit written' "$b/fuzz_$t.log" | head -40
  fi
done
exit $status
