#!/usr/bin/env bash
# vfbench builds in Release and runs end to end: a couple of iterations of
# every figure, and the JSON output names them all. No assertion on timing.
set -euo pipefail
b="$VF_CHECK_DIR/bench-release"
cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
      -DVF_BUILD_TOOLS=OFF -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=ON >/dev/null
cmake --build "$b" -j "$VF_JOBS" --target vfbench
"$b/bench/vfbench" --runs 1 --iterations 2 --max-devices 100
out="$b/vfbench.json"
"$b/bench/vfbench" --json --runs 1 --iterations 2 --max-devices 10 >"$out"
for id in parse to_cmdline to_json from_json vm_cmd spawn bare_spawn; do
  grep -q "\"id\":\"$id\"" "$out" || { echo "vfbench --json: no figure for $id"; exit 1; }
done
grep -q '"linear":\[' "$out" || { echo "vfbench --json: no growth verdicts"; exit 1; }
if command -v python3 >/dev/null 2>&1; then
  python3 -m json.tool "$out" >/dev/null
fi
echo "vfbench --json: every figure present"
