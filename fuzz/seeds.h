/*
 * libvfconfig - fuzz inputs made from the conformance vectors (seeds.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_FUZZ_SEEDS_H
#define VFCONFIG_FUZZ_SEEDS_H

#include <stddef.h>
#include <stdint.h>

/* Called once per input: target is "device", "bootloader", "json",
 * "cmdline" or "krunkit"; id the vector's id (several inputs may share one). */
typedef void (*vf_fuzz_seed_fn)(const char *target, const char *id, const uint8_t *data,
                                size_t size, void *ctx);

/* Reads vectors.jsonl at path and calls fn for each input it gives.
 * Returns the number of vectors read, or -1 if the file cannot be read. */
int vf_fuzz_seeds_from_vectors(const char *path, vf_fuzz_seed_fn fn, void *ctx);

#endif /* VFCONFIG_FUZZ_SEEDS_H */
