/*
 * libvfconfig - writes the fuzz targets' seed corpora from the
 * conformance vectors: OUT/<target>/<vector id>[-k] for each input.
 * SPDX-License-Identifier: Apache-2.0
 *
 *   vf_fuzz_seeds tests/conformance/vectors.jsonl /tmp/build-fuzz/corpus
 *
 * The corpora are build products: never commit them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seeds.h"

typedef struct writer {
    const char *out;
    char last[160];
    int repeat;
    int written;
} writer;

static void make_dir(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "vf_fuzz_seeds: cannot create %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void write_seed(const char *target, const char *id, const uint8_t *data, size_t size,
                       void *ctx)
{
    writer *w = ctx;
    char key[160];
    snprintf(key, sizeof key, "%s/%s", target, id);
    w->repeat = strcmp(key, w->last) == 0 ? w->repeat + 1 : 0;
    snprintf(w->last, sizeof w->last, "%s", key);

    char path[4096];
    snprintf(path, sizeof path, "%s/%s", w->out, target);
    make_dir(path);
    snprintf(path, sizeof path, "%s/%s/%s-%d", w->out, target, id, w->repeat);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "vf_fuzz_seeds: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    w->written++;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s VECTORS.jsonl OUTDIR\n", argv[0]);
        return 2;
    }
    writer w = {argv[2], "", 0, 0};
    make_dir(w.out);
    int vectors = vf_fuzz_seeds_from_vectors(argv[1], write_seed, &w);
    if (vectors < 0) {
        fprintf(stderr, "vf_fuzz_seeds: cannot read %s\n", argv[1]);
        return 1;
    }
    printf("%d vectors, %d seed files in %s\n", vectors, w.written, w.out);
    return 0;
}
