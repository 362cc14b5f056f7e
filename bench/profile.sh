#!/usr/bin/env bash
# Instructions per operation, counted by callgrind: exact and repeatable
# where nanoseconds are not (a shared or virtual machine). For each
# operation, the total and the functions that cost the most (self cost).
#   bench/profile.sh BUILD_DIR [OPERATION...]
# BUILD_DIR holds a Release build (bench/vfbench); OPERATIONs default to
# parse to_cmdline to_json from_json vm_cmd. VF_PROFILE_INCLUSIVE=1 lists
# inclusive costs (a function with everything it calls) instead.
set -euo pipefail
build=${1:?usage: bench/profile.sh BUILD_DIR [OPERATION...]}
shift
ops=("$@")
[ ${#ops[@]} -gt 0 ] || ops=(parse to_cmdline to_json from_json vm_cmd)
vfbench="$build/bench/vfbench"
iterations=1000
top=${VF_PROFILE_TOP:-12}
inclusive=no
[ "${VF_PROFILE_INCLUSIVE:-0}" = 1 ] && inclusive=yes
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for op in "${ops[@]}"; do
  # Only the operation's own calls are counted (--toggle-collect); vfbench
  # makes one call to warm up, then one run of $iterations.
  valgrind --tool=callgrind --callgrind-out-file="$out/$op.cg" \
    --toggle-collect="bench_op_$op" \
    "$vfbench" --only "$op" --runs 1 --iterations $iterations --max-devices 0 \
    >/dev/null 2>"$out/$op.log"
  total=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$op.log")
  echo "== $op: $(( total / (iterations + 1) )) instructions per operation"
  callgrind_annotate --inclusive=$inclusive --threshold=100 "$out/$op.cg" 2>/dev/null |
    awk -v calls=$((iterations + 1)) -v top="$top" '
      /file:function/ { on = 1; next }
      on && NF >= 3 && $1 ~ /^[0-9,]+$/ {
        gsub(",", "", $1); fn = $0
        sub(/^ *[0-9]+ *(\([^)]*\))? */, "", fn); sub(/ \[.*\]$/, "", fn)
        # the frames above the operation: the harness and the C runtime
        if ($1 / calls < 1) exit
        if (fn ~ /below main|libc_start|:main$|:bench_|:measure_|:0x[0-9a-f]+$/) next
        printf "  %8d  %s\n", $1 / calls, fn
        if (++n >= top) exit
      }' || true # awk stops reading early: the annotator may die of SIGPIPE
done
