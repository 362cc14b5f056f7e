#!/bin/sh
# vfconfig's round trip over the conformance vectors: for every vfkit
# command line ARGS built from them (tool_vectors), `vfconfig json -- ARGS`
# then `vfconfig args` must give ARGS back byte for byte. The --shell form
# is read back with eval, which also checks its quoting; tool_cli.sh checks
# that the other forms print the same arguments.
#
# Usage: tool_roundtrip.sh VFCONFIG TOOL_VECTORS VECTORS.jsonl [SHARD COUNT]
# Runs in the current folder, where it lays out the vectors' fixtures. With
# SHARD and COUNT it takes every COUNT-th command line from the SHARD-th
# (0-based), so that COUNT tests can share the work on a multi-core machine.
set -u
vfconfig=$1 generator=$2 vectors=$3 shard=${4:-0} shards=${5:-1}

printf 'RAW-DISK-IMAGE' > disk.img
printf 'QFI\373\000\000\000\003' > q.qcow2
: > empty.img
printf 'ab' > short.img
rm -f missing.img

"$generator" "$vectors" > all-lines.txt || { echo "tool_vectors failed"; exit 1; }
awk -v k="$shard" -v n="$shards" '(NR - 1) % n == k' all-lines.txt > lines.txt

# Under LeakSanitizer every run pays a scan at exit, which would double this
# test's time: look for leaks on every tenth command line only.
asan_leaks="${ASAN_OPTIONS:-}"
asan_no_leaks="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"

total=0 passed=0 failed=0 refused=0
fail() {
    failed=$((failed + 1))
    echo "FAIL ($1):"
    printf '  %s\n' "$line"
    sed 's/^/  /' err.txt
}
while IFS= read -r line; do
    mark=${line%% *}
    eval "set -- ${line#? }"
    total=$((total + 1))
    if [ $((total % 10)) -eq 1 ]; then
        export ASAN_OPTIONS="$asan_leaks"
    else
        export ASAN_OPTIONS="$asan_no_leaks"
    fi
    printf '%s\0' "$@" > want
    if ! "$vfconfig" json -- "$@" > vm.json 2> err.txt; then
        # An M line names a virtio-blk image vfkit would refuse to open.
        if [ "$mark" = M ]; then refused=$((refused + 1)); else fail "json refused it"; fi
        continue
    fi
    if ! quoted=$("$vfconfig" args --shell vm.json 2> err.txt); then
        fail "args refused the JSON"
        continue
    fi
    eval "set -- $quoted"
    printf '%s\0' "$@" > got
    if ! cmp -s want got; then
        echo "$quoted" > err.txt
        fail "args printed other arguments"
        continue
    fi
    passed=$((passed + 1))
done < lines.txt

echo "vfconfig round trip: $total command lines, $refused refused for an invalid image"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
