#!/bin/sh
# Plays vfkit for the examples where there is none (Linux, CI): prints the
# arguments it was started with and, for each `virtio-net,fd=N` device,
# sends one datagram on descriptor N, as the guest's network card would
# send a frame. Fails if such a descriptor was not passed on.
printf 'vfkit stand-in:'
printf ' %s' "$@"
printf '\n'
for arg in "$@"; do
    case $arg in
    virtio-net,*fd=*)
        fd=${arg##*fd=}
        fd=${fd%%,*}
        printf 'frame from the guest' >&"$fd" || exit 1
        ;;
    esac
done
