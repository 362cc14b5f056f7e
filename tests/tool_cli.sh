#!/bin/sh
# vfconfig's command line: help and version, exit codes (0 ok, 1 invalid
# input, 2 usage) with errors on stderr only, `check` listing every problem
# with where it is, and `run` starting a stand-in vfkit, passing on SIGINT and
# SIGTERM and exiting with its status.
#
# Usage: tool_cli.sh VFCONFIG EXAMPLES-DIR MAN-PAGE   (runs in the current folder)
set -u
vfconfig=$1
examples=$2
manpage=$3
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    echo "FAIL: $*"
    for f in out.txt err.txt; do [ -s $f ] && sed "s/^/  $f: /" $f; done
    return 0
}
# expect STATUS COMMAND...: runs COMMAND with stdout in out.txt, stderr in err.txt.
expect() {
    want=$1
    shift
    "$@" > out.txt 2> err.txt
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "exit $got, not $want: $*"; fi
}
# expect_soon STATUS COMMAND...: expect, but a COMMAND still running after 30
# seconds is killed, and fails, instead of hanging the test.
expect_soon() {
    want=$1
    shift
    "$@" > out.txt 2> err.txt &
    pid=$!
    (sleep 30 && kill -9 $pid) > /dev/null 2>&1 &
    watchdog=$!
    wait $pid
    got=$?
    kill $watchdog 2> /dev/null
    wait $watchdog 2> /dev/null
    if [ "$got" -eq "$want" ]; then ok; else bad "exit $got, not $want: $*"; fi
}
# contains FILE TEXT: FILE holds TEXT.
contains() { if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; fi; }
empty() { if [ ! -s "$1" ]; then ok; else bad "$1 is not empty"; fi; }

# ---- help, version, usage errors -------------------------------------------
expect 0 "$vfconfig" --help
contains out.txt "Usage: vfconfig COMMAND"
empty err.txt
for sub in args json check run; do
    expect 0 "$vfconfig" $sub --help
    contains out.txt "Usage: vfconfig $sub"
    contains out.txt "Exit status"
done
expect 0 "$vfconfig" --version
contains out.txt "vfconfig "
contains out.txt "vfkit 0.6.4"

expect 2 "$vfconfig"
expect 2 "$vfconfig" frobnicate
contains err.txt "unknown command: frobnicate"
expect 2 "$vfconfig" args --frobnicate
contains err.txt "unknown option: --frobnicate"
empty out.txt
expect 2 "$vfconfig" args --shell -0
expect 2 "$vfconfig" args a.json b.json
expect 2 "$vfconfig" json --cpus 2
contains err.txt "after --"
expect 2 "$vfconfig" run vm.json
contains err.txt "--vfkit"
expect 2 "$vfconfig" run --vfkit

# ---- invalid input ----------------------------------------------------------
expect 1 "$vfconfig" args missing.json
contains err.txt "missing.json"
empty out.txt
printf '{"vcpus": 2,' > broken.json
expect 1 "$vfconfig" args broken.json
empty out.txt
expect 1 "$vfconfig" json -- --device frobnicate
empty out.txt
# Endless input is refused before it is read, naming it.
expect_soon 1 "$vfconfig" args /dev/zero
contains err.txt "vfconfig args: /dev/zero: a character device, not a file"
expect_soon 1 sh -c '"$1" check - < /dev/zero' sh "$vfconfig"
contains err.txt "vfconfig check: <stdin>: a character device, not a file"
expect 1 "$vfconfig" args .
contains err.txt "vfconfig args: .: a directory, not a file"
# A FIFO named as a disk image is refused at once, not waited on.
rm -f disk.fifo
mkfifo disk.fifo
expect_soon 1 "$vfconfig" json -- --bootloader efi,variable-store=/vm/efi \
    --device virtio-blk,path=disk.fifo
contains err.txt "'path' is a pipe or FIFO, not a regular file or block device: \"disk.fifo\""
empty out.txt

# ---- a valid VM, from stdin and from a file -----------------------------------
cat > good.json <<'JSON'
{"vcpus": 2, "memoryBytes": 2147483648,
 "bootloader": {"kind": "efiBootloader", "efiVariableStorePath": "/vm/efi", "createVariableStore": true},
 "devices": [{"kind": "virtiorng"},
             {"kind": "virtiofs", "mountTag": "home", "sharedDir": "/Users/me"}]}
JSON
expect 0 "$vfconfig" args good.json
printf '%s\n' --cpus 2 --memory 2048 --bootloader efi,variable-store=/vm/efi,create \
    --device virtio-rng --device virtio-fs,sharedDir=/Users/me,mountTag=home > want.txt
if cmp -s want.txt out.txt; then ok; else bad "args good.json printed something else"; fi
"$vfconfig" args - < good.json > stdin.txt 2> err.txt
if cmp -s want.txt stdin.txt; then ok; else bad "args - (stdin) printed something else"; fi
expect 0 "$vfconfig" args -0 good.json
tr '\0' '\n' < out.txt > nul.txt
if cmp -s want.txt nul.txt; then ok; else bad "args -0 printed something else"; fi
expect 0 "$vfconfig" args --shell good.json
eval "set -- $(cat out.txt)"
printf '%s\n' "$@" > shell.txt
if cmp -s want.txt shell.txt; then ok; else bad "args --shell reads back as something else"; fi
expect 0 "$vfconfig" check good.json
empty out.txt
empty err.txt
expect 0 "$vfconfig" json --pretty -- --cpus 2 --memory 2048 --device virtio-rng \
    --bootloader efi,variable-store=/vm/efi
contains out.txt '"kind": "virtiorng"'

# ---- check: every problem, with where it is ----------------------------------
cat > commas.json <<'JSON'
{"vcpus": 2, "memoryBytes": 2147483648,
 "bootloader": {"kind": "efiBootloader", "efiVariableStorePath": "/vm/efi", "createVariableStore": true},
 "devices": [{"kind": "virtiorng"},
             {"kind": "virtioblk", "devName": "virtio-blk", "imagePath": "/vm/disk,1.img"},
             {"kind": "virtioserial", "logFile": "/vm/console.log"},
             {"kind": "virtiofs", "mountTag": "work", "sharedDir": "/Users/me/a,b"}]}
JSON
expect 1 "$vfconfig" check commas.json
contains err.txt "commas.json: devices[1].imagePath: "
contains err.txt "commas.json: devices[3].sharedDir: "
contains err.txt "2 problems"
empty out.txt
# args refuses what vfkit would read back as another VM.
expect 1 "$vfconfig" args commas.json
empty out.txt

# Problems that keep the VM from being read at all, next to one that only args would find.
cat > mixed.json <<'JSON'
{"vcpus": "1", "memoryBytes": 536870912,
 "bootloader": {"kind": "linuxBootloader", "vmlinuzPath": "/k", "kernelCmdLine": "console=hvc0", "initrdPath": "/i"},
 "devices": [{"kind": "virtiofs", "mountTag": "a,b", "sharedDir": "/share"},
             {"kind": "virtiosock", "port": "1024", "socketURL": "/s"}]}
JSON
expect 1 "$vfconfig" check mixed.json
contains err.txt "mixed.json: devices[0].mountTag: "
contains err.txt "mixed.json: devices[1].port: "
contains err.txt "mixed.json: vcpus: "
contains err.txt "3 problems"

# A descriptor number read from a file would lend vfkit one of vfconfig's own
# (here its stderr): check reports it, and run and args refuse the file.
cat > fd.json <<'JSON'
{"vcpus": 1, "memoryBytes": 536870912,
 "bootloader": {"kind": "efiBootloader", "efiVariableStorePath": "/vm/efi"},
 "devices": [{"kind": "virtionet", "fd": 2}]}
JSON
expect 1 "$vfconfig" check fd.json
contains err.txt "fd.json: devices[0]"
contains err.txt "'fd' is refused: 2"
expect 1 "$vfconfig" args fd.json
contains err.txt "'fd' is refused"
empty out.txt

# ---- run: a stand-in vfkit --------------------------------------------------
# It writes its arguments to args.txt, then exits with $STANDIN_EXIT, or
# waits for a signal it reports with exit status 7 (TERM) or 8 (INT).
cat > vfkit <<'SH'
#!/bin/sh
printf '%s\n' "$@" > args.txt
if [ "${STANDIN_WAIT:-}" = 1 ]; then
    trap 'exit 7' TERM
    trap 'exit 8' INT
    echo ready > ready.fifo
    while :; do sleep 1 > /dev/null 2>&1 & wait $!; done
fi
exit "${STANDIN_EXIT:-0}"
SH
chmod +x vfkit
STANDIN_EXIT=3 expect 3 "$vfconfig" run --vfkit ./vfkit good.json
if cmp -s want.txt args.txt; then ok; else bad "run passed other arguments to vfkit"; fi
expect 1 "$vfconfig" run --vfkit ./no-such-vfkit good.json
contains err.txt "no-such-vfkit"
expect 1 "$vfconfig" run --vfkit=./vfkit commas.json

# --vfkit PROG: a name with a '/' is that file, even in a folder PATH does
# not list; a bare name is looked up in PATH, never in the current folder.
# The help and the man page say so.
rm -rf bin
mkdir bin
cp vfkit bin/standin-found
cp vfkit standin-here
expect 0 "$vfconfig" run --help
contains out.txt "a bare name"
contains out.txt "is looked up in the directories of \$PATH"
if grep -q "no search" "$manpage"; then bad "the man page says --vfkit searches no PATH"; else ok; fi
contains "$manpage" "a bare name is looked up in the directories of the"
rm -f args.txt
PATH="$PWD/bin:/usr/bin:/bin" STANDIN_EXIT=4 expect 4 "$vfconfig" run --vfkit standin-found good.json
if cmp -s want.txt args.txt; then ok; else bad "the vfkit found in PATH got other arguments"; fi
rm -f args.txt
PATH=/usr/bin:/bin STANDIN_EXIT=5 expect 5 "$vfconfig" run --vfkit bin/standin-found good.json
if cmp -s want.txt args.txt; then ok; else bad "bin/standin-found got other arguments"; fi
PATH="$PWD/bin:/usr/bin:/bin" expect 1 "$vfconfig" run --vfkit standin-here good.json
contains err.txt "standin-here"
PATH="$PWD/bin:/usr/bin:/bin" STANDIN_EXIT=6 expect 6 "$vfconfig" run --vfkit ./standin-here good.json

for sig in TERM INT; do
    rm -f ready.fifo
    mkfifo ready.fifo
    STANDIN_WAIT=1 "$vfconfig" run --vfkit ./vfkit good.json > out.txt 2> err.txt &
    pid=$!
    read -r line < ready.fifo   # the stand-in is up and has its traps set
    kill -s $sig $pid
    wait $pid
    got=$?
    if [ $sig = TERM ]; then want=7; else want=8; fi
    if [ $got -eq $want ]; then ok; else bad "SIG$sig: run exited $got, not $want"; fi
done

# ---- launchers ---------------------------------------------------------------
# podman's VM: krunkit cannot run exactly its Rosetta share.
expect 1 "$vfconfig" check --launcher krunkit "$examples/podman-vm.json"
contains err.txt "podman-vm.json: devices[7]: krunkit has no rosetta device (vfkit has one)"
if [ "$(wc -l < err.txt)" -eq 2 ]; then ok; else bad "check --launcher krunkit: not one problem"; fi
contains err.txt "podman-vm.json: 1 problem"
expect 1 "$vfconfig" args --launcher krunkit "$examples/podman-vm.json"
contains err.txt "krunkit has no rosetta device"
expect 0 "$vfconfig" check --launcher vfkit@0.6.4 "$examples/podman-vm.json"
empty err.txt
expect 1 "$vfconfig" check --launcher vfkit@0.5.1 "$examples/podman-vm.json"
contains err.txt "devices[7]: rosetta 'ignore-if-missing' needs vfkit >= 0.6.0"
expect 2 "$vfconfig" check --launcher qemu "$examples/podman-vm.json"
# The krunkit variant: printed for krunkit, read back by the krunkit reader,
# printed again: the same arguments.
expect 0 "$vfconfig" args --launcher krunkit -0 "$examples/podman-vm-krunkit.json"
mv out.txt krunkit-args.bin
contains krunkit-args.bin "virtio-blk,path="
xargs -0 "$vfconfig" json --launcher krunkit -- < krunkit-args.bin > back.json 2> err.txt
if [ $? -eq 0 ]; then ok; else bad "json --launcher krunkit refused the printed argv"; fi
expect 0 "$vfconfig" args --launcher krunkit -0 back.json
if cmp -s krunkit-args.bin out.txt; then ok; else bad "krunkit argv read back as another VM"; fi
expect 0 "$vfconfig" check --launcher krunkit@1.2.1 "$examples/podman-vm-krunkit.json"
expect 1 "$vfconfig" check --launcher krunkit@0.1.3 "$examples/podman-vm-krunkit.json"
contains err.txt "podman-vm-krunkit.json: --krun-log-level needs krunkit >= 0.1.4"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
