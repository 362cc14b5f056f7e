/*
 * libvfconfig - what the fuzz targets share: the round-trip checker and the
 * targets' entry points (so the regression replayer can call them all).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_FUZZ_H
#define VFCONFIG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "vfconfig/vfconfig.h"

#if defined(__GNUC__) || defined(__clang__)
#define VF_FUZZ_NORETURN __attribute__((noreturn))
#define VF_FUZZ_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define VF_FUZZ_NORETURN
#define VF_FUZZ_PRINTF(fmt, args)
#endif

/* ---- the targets (fuzz_*.c); each returns 0 and aborts on a finding ---- */
int vf_fuzz_device(const uint8_t *data, size_t size);
int vf_fuzz_bootloader(const uint8_t *data, size_t size);
int vf_fuzz_json(const uint8_t *data, size_t size);
int vf_fuzz_cmdline(const uint8_t *data, size_t size);
int vf_fuzz_krunkit(const uint8_t *data, size_t size);

/* libFuzzer's entry points for one target: the fixture folder, then the
 * target. The regression replayer (VF_FUZZ_REPLAY) links every target in one
 * program and calls them by name instead. */
#ifndef VF_FUZZ_REPLAY
#define VF_FUZZ_ENTRY_POINTS(target)                              \
    int LLVMFuzzerInitialize(int *argc, char ***argv);            \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
    int LLVMFuzzerInitialize(int *argc, char ***argv)             \
    {                                                             \
        (void)argc;                                               \
        (void)argv;                                               \
        vf_fuzz_enter_fixture_dir();                              \
        return 0;                                                 \
    }                                                             \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)  \
    {                                                             \
        return target(data, size);                                \
    }
#else
#define VF_FUZZ_ENTRY_POINTS(target)
#endif

/* ---- the checker (roundtrip.c) ------------------------------------------ */

/* Once per process: a scratch folder holding the conformance fixtures
 * (disk.img, q.qcow2, empty.img, short.img) becomes the working folder, so
 * virtio-blk's image check sees the files the vectors name. Removed at exit. */
void vf_fuzz_enter_fixture_dir(void);

/* Prints "finding: ..." and the input being checked, then aborts. */
VF_FUZZ_NORETURN void vf_fuzz_fail(const char *fmt, ...) VF_FUZZ_PRINTF(1, 2);

/* A NUL-terminated copy of data (malloc); stops at an embedded NUL. */
char *vf_fuzz_string(const uint8_t *data, size_t size);

/* A NULL-terminated argv of the NUL-separated strings in data (one malloc). */
char **vf_fuzz_split_nul(const uint8_t *data, size_t size, size_t *count);

/* Two NULL-terminated argument vectors hold the same strings in order. */
bool vf_fuzz_strv_equal(char *const *a, char *const *b);

/* A failed call must say why: a known negative code, the same in err, and a
 * non-empty message. */
void vf_fuzz_check_error(const char *call, int code, const vf_error *err);

/* True when result is not NULL; otherwise checks the error as above. */
bool vf_fuzz_accepted(const char *call, const void *result, const vf_error *err);

/*
 * Where a checked object came from. Objects parsed from a command line went
 * through every option check, so printing them and reading the print back
 * must succeed. Objects read from JSON may hold what no command line can
 * say (a negative port, an unknown disk type): printing may then fail, and
 * reading the print back may be refused, but never silently give a
 * different object.
 */
typedef enum vf_fuzz_origin { VF_FUZZ_FROM_CMDLINE, VF_FUZZ_FROM_JSON } vf_fuzz_origin;

/* Device: clone, JSON round trip, --device printing and reading back. */
void vf_fuzz_check_device(const vf_device *dev, vf_fuzz_origin origin);
/* Bootloader: clone, JSON round trip, printing and reading back. */
void vf_fuzz_check_bootloader(const vf_bootloader *bl, vf_fuzz_origin origin);
/*
 * Whole VM: clone; to_json -> from_json -> to_json is stable (compact and
 * pretty); to_cmdline -> from_cmdline reads back the same VM (up to the
 * reference's documented normalisations) and prints the same command line;
 * every printed --device and --bootloader value parses back to the same
 * component; vf_vm_cmd agrees with to_cmdline.
 */
void vf_fuzz_check_vm(const vf_vm *vm, vf_fuzz_origin origin);

#endif /* VFCONFIG_FUZZ_H */
