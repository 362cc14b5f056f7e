/*
 * vfbench - how fast libvfconfig does what a VM manager repeats on every
 * start, list and inspect, next to the Go package's figures.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every figure is a median over runs; beside each is a calibration (a
 * memcpy of the VM's JSON bytes) timed right before it, so the ratio still
 * means something on a busy machine. See docs/benchmarks.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "alloc_count.h"
#include "fixture.h"
#include "measure.h"
#include "ops.h"
#include "report.h"

#ifndef VF_BENCH_BUILD_TYPE
#define VF_BENCH_BUILD_TYPE "unknown"
#endif

/* The Go package (v0.6.4, Go 1.19) on a machine like ours, for the podman
 * VM, in ns per operation, and the share of it we aim for. */
static const struct config_op {
    const char *id;
    const char *label;
    bench_op fn;
    double go_ns;
    double go_target;
    double max_allocs;
} config_ops[] = {
    {"parse", "parse 8 --device values", bench_op_parse, 9400, 0.3, -1},
    {"to_cmdline", "vf_vm_to_cmdline", bench_op_to_cmdline, 3900, 0.1, 2},
    {"to_json", "vf_vm_to_json", bench_op_to_json, 12900, 0.2, -1},
    {"from_json", "vf_vm_from_json", bench_op_from_json, 55600, 0.2, -1},
    {"vm_cmd", "vf_vm_cmd", bench_op_vm_cmd, 0, 0, -1},
    {"image_check_floor", "open+read+close disk.img (floor)", bench_op_image_check_floor, 0, 0, -1},
};
#define N_CONFIG_OPS (sizeof config_ops / sizeof config_ops[0])

#define SPAWN_FDS 3u
#define SPAWN_TARGET 1.10

static const size_t growth_sizes[] = {1, 10, 100, 1000};

typedef struct options {
    bench_settings settings;
    size_t max_devices;
    bool json;
    bool spawn;
    const char *only; /* one operation's id, for profiling; NULL for all */
} options;

/* Spawning waits for a child: wall time, whatever the in-process clock, and
 * longer batches since one spawn takes as long as thousands of the rest. */
static bench_settings spawn_settings(const options *o)
{
    bench_settings s = o->settings;
    s.clock = CLOCK_MONOTONIC;
    s.batch_ns *= 10;
    return s;
}

static void usage(FILE *out)
{
    fputs("usage: vfbench [--help] [--json] [--runs N] [--iterations N] [--batch-ms MS]\n"
          "               [--max-devices N] [--no-spawn]\n"
          "  --json          print JSON instead of tables\n"
          "  --runs N        batches per figure, the median is reported (default 15)\n"
          "  --iterations N  operations per batch (default: enough for --batch-ms)\n"
          "  --batch-ms MS   length of a batch when iterations are automatic (default 5)\n"
          "  --max-devices N largest VM of the growth tables (default 1000, 0 skips them)\n"
          "  --no-spawn      leave out the spawn figures\n"
          "  --wall          time in-process work by the wall clock too (default:\n"
          "                  the thread's CPU time, which preemption does not inflate)\n"
          "  --only ID       measure one operation (parse, to_cmdline, to_json,\n"
          "                  from_json, vm_cmd, image_check_floor, spawn), e.g. under\n"
          "                  a profiler\n",
          out);
}

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = s ? strtoull(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || *end != '\0' || s[0] == '-')
        return false;
    *out = (size_t)v;
    return true;
}

static bool parse_options(int argc, char **argv, options *o)
{
    o->settings.runs = 15;
    o->settings.iterations = 0;
    o->settings.batch_ns = 5e6;
    o->settings.clock = CLOCK_THREAD_CPUTIME_ID;
    o->max_devices = 1000;
    o->json = false;
    o->spawn = true;
    o->only = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--no-spawn") == 0) {
            o->spawn = false;
        } else if (strcmp(a, "--wall") == 0) {
            o->settings.clock = CLOCK_MONOTONIC;
        } else if (strcmp(a, "--only") == 0 && v != NULL) {
            o->only = v;
            i++;
        } else if (strcmp(a, "--runs") == 0 && parse_size(v, &n) && n > 0 && n <= BENCH_MAX_RUNS) {
            o->settings.runs = n;
            i++;
        } else if (strcmp(a, "--iterations") == 0 && parse_size(v, &n)) {
            o->settings.iterations = n;
            i++;
        } else if (strcmp(a, "--batch-ms") == 0 && parse_size(v, &n) && n > 0) {
            o->settings.batch_ns = (double)n * 1e6;
            i++;
        } else if (strcmp(a, "--max-devices") == 0 && parse_size(v, &n)) {
            o->max_devices = n;
            i++;
        } else {
            return false;
        }
    }
    return true;
}

static void die(const char *what, const vf_error *err)
{
    fprintf(stderr, "vfbench: %s: %s\n", what, err->text);
    exit(1);
}

/* A calibration that copies len bytes of src. */
static bench_copy make_copy(const char *src, size_t len)
{
    bench_copy c = {malloc(len ? len : 1), src, len};
    if (c.dst == NULL) {
        fputs("vfbench: out of memory\n", stderr);
        exit(1);
    }
    return c;
}

static bench_row *add_row(bench_row *rows, size_t *n)
{
    if (*n >= BENCH_MAX_ROWS) {
        fputs("vfbench: too many rows\n", stderr);
        exit(1);
    }
    bench_row *row = &rows[(*n)++];
    memset(row, 0, sizeof *row);
    row->max_allocs = -1;
    return row;
}

static void measure_config_ops(const options *o, bench_config *c, bench_row *rows, size_t *n_rows,
                               bool growth)
{
    bench_copy copy = make_copy(c->json, c->json_len);
    bench_task calib = {bench_copy_op, &copy};
    for (size_t i = 0; i < N_CONFIG_OPS; i++) {
        const struct config_op *op = &config_ops[i];
        if (o->only != NULL && strcmp(o->only, op->id) != 0)
            continue;
        if (growth && op->fn == bench_op_image_check_floor)
            continue; /* one file whatever the size */
        bench_row *row = add_row(rows, n_rows);
        row->id = op->id;
        row->label = op->label;
        row->devices = c->n;
        if (!growth) {
            row->go_ns = op->go_ns;
            row->go_target = op->go_target;
            row->max_allocs = op->max_allocs;
        }
        bench_task task = {op->fn, c};
        if (bench_measure(&o->settings, task, calib, NULL, &row->r) != 0)
            die(op->label, &c->err);
    }
    free(copy.dst);
}

/* The heap one read of doc takes, above what was in use before it. */
static void measure_read_heap(bench_report *rep, const char *label, const char *doc, size_t len)
{
    vf_error err = {0};
    size_t before = bench_alloc_live_bytes();
    bench_alloc_peak_reset();
    vf_vm *vm = vf_vm_from_json_buffer(doc, len, &err);
    if (vm == NULL)
        die(label, &err);
    bench_memory_row *m = &rep->memory[rep->n_memory++];
    m->label = label;
    m->input_bytes = len;
    m->peak_bytes = bench_alloc_peak_bytes() - before;
    m->retained_bytes = bench_alloc_live_bytes() - before;
    vf_vm_free(vm);
}

/* The podman VM's JSON, and the same with 1 MiB of a value nothing reads
 * in front ({"x":[1,1,...],...}): what reading costs should follow what
 * is kept, not the input's size. */
static void measure_json_heap(bench_report *rep, const bench_config *c)
{
    measure_read_heap(rep, "podman VM", c->json, c->json_len);
    const size_t ones = 512 * 1024;
    size_t len = 6 + 2 * ones + c->json_len;
    char *doc = malloc(len + 1);
    if (doc == NULL) {
        perror("vfbench");
        exit(1);
    }
    memcpy(doc, "{\"x\":[", 6);
    for (size_t i = 0; i < ones; i++)
        memcpy(doc + 6 + 2 * i, i + 1 < ones ? "1," : "1]", 2);
    doc[6 + 2 * ones] = ',';
    memcpy(doc + 7 + 2 * ones, c->json + 1, c->json_len); /* the VM's keys, its '}', the NUL */
    measure_read_heap(rep, "podman VM after 1 MiB ignored", doc, len);
    free(doc);
}

/* The library's spawn next to a bare posix_spawn of the same argv. */
static void measure_spawn(const options *o, size_t n_sockets, bool podman, const bench_config *c,
                          bench_row *rows, size_t *n_rows, bool with_bare_row)
{
    bench_spawn s;
    if (bench_spawn_init(&s, n_sockets, podman) != 0)
        die("setting up spawn", &s.err);
    bench_copy copy = make_copy(c->json, c->json_len);
    bench_task calib = {bench_copy_op, &copy};
    bench_task bare = {bench_op_bare_spawn, &s};
    bench_task spawn = {bench_op_spawn, &s};
    bench_settings settings = spawn_settings(o);

    bench_row *row = add_row(rows, n_rows);
    row->id = "spawn";
    row->label = podman ? "vf_vm_cmd+vf_cmd_spawn+wait, 3 fds" : "spawn";
    row->devices = podman ? c->n + n_sockets : n_sockets;
    row->peer = "posix_spawn";
    row->peer_target = podman ? SPAWN_TARGET : 0;
    if (bench_measure(&settings, spawn, calib, &bare, &row->r) != 0)
        die("spawn", &s.err);

    if (with_bare_row) {
        row = add_row(rows, n_rows);
        row->id = "bare_spawn";
        row->label = "posix_spawn+wait, same argv";
        row->devices = c->n + n_sockets;
        if (bench_measure(&settings, bare, calib, NULL, &row->r) != 0)
            die("posix_spawn", &s.err);
    }
    free(copy.dst);
    bench_spawn_release(&s);
}

/* The caller's own CPU time for the same spawn: what the library does in
 * the parent (building the argv and the file actions), without the wall
 * time of the child's exec that makes the figure above noisy. */
static void measure_spawn_parent_cpu(const options *o, size_t n_sockets, const bench_config *c,
                                     bench_row *rows, size_t *n_rows)
{
    bench_spawn s;
    if (bench_spawn_init(&s, n_sockets, false) != 0)
        die("setting up spawn", &s.err);
    bench_copy copy = make_copy(c->json, c->json_len);
    bench_task calib = {bench_copy_op, &copy};
    bench_task bare = {bench_op_bare_spawn, &s};
    bench_task spawn = {bench_op_spawn, &s};
    bench_settings settings = spawn_settings(o);
    settings.clock = CLOCK_THREAD_CPUTIME_ID;

    bench_row *row = add_row(rows, n_rows);
    row->id = "spawn_parent_cpu";
    row->label = "spawn, caller's CPU time";
    row->devices = n_sockets;
    row->peer = "posix_spawn";
    if (bench_measure(&settings, spawn, calib, &bare, &row->r) != 0)
        die("spawn", &s.err);
    free(copy.dst);
    bench_spawn_release(&s);
}

/* Room for the sockets of the largest spawn: two per device, plus the
 * child's 3 + n descriptors. */
static void raise_descriptor_limit(size_t devices)
{
    struct rlimit rl;
    rlim_t want = (rlim_t)(2 * devices + 64);
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
}

static bool spawn_fits(size_t devices)
{
    struct rlimit rl;
    return getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
           (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (rlim_t)(2 * devices + 16));
}

static void measure_growth(const options *o, bench_report *rep)
{
    for (size_t i = 0; i < sizeof growth_sizes / sizeof growth_sizes[0]; i++) {
        size_t n = growth_sizes[i];
        if (n > o->max_devices)
            break;
        bench_config c;
        if (bench_config_init(&c, n) != 0)
            die("building the growth VM", &c.err);
        measure_config_ops(o, &c, rep->growth, &rep->n_growth, true);
        if (o->spawn && spawn_fits(n)) {
            measure_spawn(o, n, false, &c, rep->growth, &rep->n_growth, false);
            measure_spawn_parent_cpu(o, n, &c, rep->growth, &rep->n_growth);
        } else if (o->spawn)
            fprintf(stderr, "vfbench: too few descriptors allowed to spawn with %zu\n", n);
        bench_config_release(&c);
    }
}

int main(int argc, char **argv)
{
    options o;
    if (!parse_options(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    if (o.only != NULL && strcmp(o.only, "spawn") != 0)
        o.spawn = false;
    char dir[4096];
    if (bench_enter_scratch_dir(dir, sizeof dir) != 0) {
        perror("vfbench: scratch directory with disk.img");
        return 1;
    }
    raise_descriptor_limit(o.max_devices);

    static bench_report rep;
    rep.build_type = VF_BENCH_BUILD_TYPE;
    rep.runs = o.settings.runs;
    rep.cpu_clock = o.settings.clock != CLOCK_MONOTONIC;

    bench_config podman;
    if (bench_config_init(&podman, BENCH_PODMAN_DEVICES) != 0)
        die("building the podman VM", &podman.err);
    rep.json_bytes = podman.json_len;
    measure_config_ops(&o, &podman, rep.main, &rep.n_main, false);
    if (o.only == NULL)
        measure_json_heap(&rep, &podman);
    if (o.spawn)
        measure_spawn(&o, SPAWN_FDS, true, &podman, rep.main, &rep.n_main, true);
    bench_config_release(&podman);

    measure_growth(&o, &rep);
    bench_judge_growth(&rep);

    if (o.json)
        bench_print_json(stdout, &rep);
    else
        bench_print_text(stdout, &rep);
    bench_leave_scratch_dir(dir);
    return 0;
}
