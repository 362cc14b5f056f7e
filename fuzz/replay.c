/*
 * libvfconfig - replays inputs through the fuzz targets without libFuzzer:
 * the findings kept in fuzz/regressions/<target>/ and, with --vectors, every
 * input the conformance vectors give (the seed corpus). Any finding aborts.
 * SPDX-License-Identifier: Apache-2.0
 *
 *   vf_fuzz_replay [--vectors VECTORS.jsonl] [REGRESSIONS_DIR]
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "seeds.h"

typedef struct target {
    const char *name;
    int (*run)(const uint8_t *data, size_t size);
} target;

static const target targets[] = {
    {"device", vf_fuzz_device},   {"bootloader", vf_fuzz_bootloader}, {"json", vf_fuzz_json},
    {"cmdline", vf_fuzz_cmdline}, {"krunkit", vf_fuzz_krunkit},
};

static const target *find_target(const char *name)
{
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (strcmp(targets[i].name, name) == 0)
            return &targets[i];
    return NULL;
}

static unsigned long replayed;
static char current[512]; /* the input being replayed, for the abort message */

/* A finding aborts (the checker, or a sanitizer with abort_on_error): say
 * which input it was. Only async-signal-safe calls here. */
static void name_input_on_abort(int sig)
{
    static const char prefix[] = "\nvf_fuzz_replay: the input was ";
    ssize_t ignored = write(2, prefix, sizeof prefix - 1);
    ignored = write(2, current, strlen(current));
    ignored = write(2, "\n", 1);
    (void)ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void replay_one(const char *name, const char *id, const uint8_t *data, size_t size,
                       void *ctx)
{
    (void)ctx;
    const target *t = find_target(name);
    if (t == NULL) {
        fprintf(stderr, "vf_fuzz_replay: no target \"%s\" (%s)\n", name, id);
        exit(1);
    }
    snprintf(current, sizeof current, "%s %s", name, id);
    t->run(data, size);
    replayed++;
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "vf_fuzz_replay: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    for (size_t got; data != NULL && (got = fread(data + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap)
            data = realloc(data, cap *= 2);
    }
    if (data == NULL || ferror(f))
        exit(1);
    fclose(f);
    *size = len;
    return data;
}

/* Runs one regression file in a child, so that every finding is listed,
 * not just the first. Returns whether it passed. */
static bool replay_file_apart(const char *name, const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "vf_fuzz_replay: fork: %s\n", strerror(errno));
        exit(1);
    }
    if (pid == 0) {
        size_t size = 0;
        uint8_t *data = read_file(path, &size);
        replay_one(name, path, data, size, NULL);
        free(data);
        exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    bool passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!passed)
        fprintf(stderr, "FAILED: %s %s\n", name, path);
    replayed++;
    return passed;
}

/* dir/<target>/<file>: every file, in name order, through its target.
 * Returns the number of files that failed. */
static int replay_dir(const char *dir)
{
    int failed = 0;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, targets[i].name);
        struct dirent **names = NULL;
        int n = scandir(sub, &names, NULL, alphasort);
        if (n < 0)
            continue; /* no findings for this target */
        for (int k = 0; k < n; k++) {
            if (names[k]->d_name[0] != '.') {
                char path[8192];
                snprintf(path, sizeof path, "%s/%s", sub, names[k]->d_name);
                failed += !replay_file_apart(targets[i].name, path);
            }
            free(names[k]);
        }
        free(names);
    }
    return failed;
}

int main(int argc, char **argv)
{
    int failed = 0;
    signal(SIGABRT, name_input_on_abort);
    vf_fuzz_enter_fixture_dir();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--vectors") == 0 && i + 1 < argc) {
            if (vf_fuzz_seeds_from_vectors(argv[++i], replay_one, NULL) < 0) {
                fprintf(stderr, "vf_fuzz_replay: cannot read %s\n", argv[i]);
                return 1;
            }
        } else {
            failed += replay_dir(argv[i]);
        }
    }
    if (failed > 0) {
        printf("%lu inputs replayed, %d with a finding (listed above)\n", replayed, failed);
        return 1;
    }
    printf("%lu inputs replayed without a finding\n", replayed);
    return 0;
}
