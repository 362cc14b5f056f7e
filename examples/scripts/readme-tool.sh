#!/bin/sh
# The README's tool examples, run from examples/ on its files: the outputs
# the README shows, and the message for a command line without bootloader.
# Usage: readme-tool.sh VFCONFIG EXAMPLES-DIR WORK-DIR (copies the files there)
set -u
vfconfig=$1
cp "$2/shares.json" "$2/podman-vm.json" "$3/" && cd "$3" || exit 1
failed=0
fail() { echo "FAIL: $*"; failed=1; }

"$vfconfig" check shares.json >out.txt 2>err.txt && fail "check shares.json passed"
cat >want.txt <<'END'
shares.json: devices[2].sharedDir: virtio-fs: 'sharedDir' holds a ',' that vfkit would read as an option separator: "/Volumes/Projects, 2024"
shares.json: 1 problem
END
cmp -s want.txt err.txt || { fail "check shares.json printed:"; cat err.txt; }

line=$("$vfconfig" json -- --cpus 2 --memory 2048 --bootloader efi,variable-store=/vm/efi,create \
       --device virtio-rng | "$vfconfig" args --shell)
[ "$line" = "--cpus 2 --memory 2048 --bootloader efi,variable-store=/vm/efi,create --device virtio-rng" ] ||
  fail "json | args --shell printed: $line"

"$vfconfig" args podman-vm.json >out.txt || fail "args podman-vm.json failed"
[ "$(head -1 out.txt)" = "--cpus" ] || fail "args podman-vm.json: first line $(head -1 out.txt)"

"$vfconfig" json -- --device virtio-rng >out.txt 2>err.txt && fail "json without a bootloader passed"
grep -qF "missing --bootloader" err.txt || { fail "json without a bootloader said:"; cat err.txt; }
rm -f out.txt err.txt want.txt
[ $failed -eq 0 ] && echo "README tool examples: ok"
exit $failed
