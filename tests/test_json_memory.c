/*
 * libvfconfig - the heap reading JSON takes: at most a small constant
 * times the input, plus the VM it returns. A counting observer on the
 * library's allocator (src/util/alloc_hook.h) follows every live byte and
 * the peak. Documents of values the reader ignores, however large, cost a
 * fixed amount; documents of values it keeps cost at most KEPT_PER_BYTE
 * bytes per input byte beyond the VM. The parser used to keep a node for
 * every value within three levels, ignored or not: about 32 bytes per
 * input byte for {"x":[1,1,...]}.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json/heap_bound.h"
#include "util/alloc_hook.h"
#include "vfconfig/vfconfig.h"

/* The bound (src/json/heap_bound.h): a fixed part, whatever the input,
 * and at most so many bytes per input byte of kept values. */
#define FIXED_BYTES VF__JSON_FIXED_BYTES
#define KEPT_PER_BYTE VF__JSON_KEPT_PER_BYTE
#define DOC_BYTES (1024 * 1024)

/* ---- the counting observer: live bytes by pointer, and their peak ---- */
#define SLOTS (1u << 18)
static struct {
    void *ptr[SLOTS];
    size_t size[SLOTS];
    size_t live, peak, untracked_frees;
} heap;

static size_t slot_of(void *ptr)
{
    uintptr_t h = (uintptr_t)ptr;
    h ^= h >> 17;
    h *= (uintptr_t)0x9e3779b97f4a7c15u;
    return (size_t)(h >> 7) & (SLOTS - 1);
}

static void on_allocated(void *ptr, size_t size, void *ctx)
{
    (void)ctx;
    size_t i = slot_of(ptr);
    for (size_t n = 0; heap.ptr[i] != NULL; n++, i = (i + 1) & (SLOTS - 1))
        if (n == SLOTS)
            fail_msg("observer table full");
    heap.ptr[i] = ptr;
    heap.size[i] = size;
    heap.live += size;
    if (heap.live > heap.peak)
        heap.peak = heap.live;
}

static void on_freed(void *ptr, void *ctx)
{
    (void)ctx;
    size_t i = slot_of(ptr);
    for (size_t n = 0; n < SLOTS && heap.ptr[i] != NULL; n++, i = (i + 1) & (SLOTS - 1)) {
        if (heap.ptr[i] != ptr)
            continue;
        heap.live -= heap.size[i];
        /* Backward-shift deletion keeps every probe run unbroken. */
        size_t hole = i;
        for (size_t j = (i + 1) & (SLOTS - 1); heap.ptr[j] != NULL; j = (j + 1) & (SLOTS - 1)) {
            size_t home = slot_of(heap.ptr[j]);
            if (((j - home) & (SLOTS - 1)) >= ((j - hole) & (SLOTS - 1))) {
                heap.ptr[hole] = heap.ptr[j];
                heap.size[hole] = heap.size[j];
                hole = j;
            }
        }
        heap.ptr[hole] = NULL;
        return;
    }
    heap.untracked_frees++;
}

static const vf_test_alloc_observer observer = {on_allocated, on_freed, NULL};

/* Reads doc; *extra is the peak minus what the result still holds. */
typedef struct measured {
    size_t peak;
    size_t retained;
    size_t extra;
    bool ok;
} measured;

static measured measure_vm(const char *doc, size_t len)
{
    memset(&heap, 0, sizeof heap);
    vf_test_alloc_observe(&observer);
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json_buffer(doc, len, &err);
    measured m = {heap.peak, heap.live, heap.peak - heap.live, vm != NULL};
    vf_vm_free(vm);
    vf_test_alloc_observe(NULL);
    assert_int_equal(heap.live, 0); /* the observer saw every byte come back */
    assert_int_equal(heap.untracked_frees, 0);
    return m;
}

/* head, then item repeated until the document has about DOC_BYTES, then tail. */
static char *repeat_doc(const char *head, const char *item, const char *sep, const char *tail,
                        size_t *len)
{
    size_t h = strlen(head), i = strlen(item), s = strlen(sep), t = strlen(tail);
    size_t count = DOC_BYTES / (i + s);
    char *doc = malloc(h + count * (i + s) + t + 1);
    assert_non_null(doc);
    char *w = doc;
    memcpy(w, head, h);
    w += h;
    for (size_t k = 0; k < count; k++) {
        if (k > 0) {
            memcpy(w, sep, s);
            w += s;
        }
        memcpy(w, item, i);
        w += i;
    }
    memcpy(w, tail, t + 1);
    *len = (size_t)(w - doc) + t;
    return doc;
}

static void expect_fixed(const char *head, const char *item, const char *tail, bool ok)
{
    size_t len;
    char *doc = repeat_doc(head, item, ",", tail, &len);
    measured m = measure_vm(doc, len);
    if (m.peak > FIXED_BYTES || m.ok != ok)
        fail_msg("%.40s...: %zu input bytes took a peak of %zu bytes (want at most %d), %s", doc,
                 len, m.peak, FIXED_BYTES, m.ok ? "read" : "refused");
    free(doc);
}

static void expect_kept(const char *head, const char *item, const char *tail)
{
    size_t len;
    char *doc = repeat_doc(head, item, ",", tail, &len);
    measured m = measure_vm(doc, len);
    assert_true(m.ok);
    if (m.extra > KEPT_PER_BYTE * len + FIXED_BYTES)
        fail_msg("%.40s...: %zu input bytes took %zu bytes beyond the VM's %zu (want at most %zu)",
                 doc, len, m.extra, m.retained, (size_t)KEPT_PER_BYTE * len + FIXED_BYTES);
    free(doc);
}

/* ---- values no reader looks at cost nothing, however many ---- */
static void test_ignored_array(void **state)
{
    (void)state;
    expect_fixed("{\"x\":[", "1", "]}", true);
    expect_fixed("{\"x\":[[", "1", "]]}", true);
    expect_fixed("{\"vcpus\":2,\"x\":{\"a\":[", "\"s\"", "]}}", true);
}

static void test_ignored_keys(void **state)
{
    (void)state;
    expect_fixed("{", "\"k\":1", "}", true);
    expect_fixed("{", "\"\\u006b\":1", "}", true); /* escaped: decoded, then dropped */
    expect_fixed("{", "\"VCPUS\":1", "}", true);   /* the VM's keys are exact */
    expect_fixed("{\"devices\":[{\"kind\":\"virtiorng\",", "\"x\":[1]", "}]}", true);
    expect_fixed("{\"bootloader\":{\"kind\":\"efiBootloader\",", "\"x\":null", "}}", true);
}

/* A known key with a value of the wrong type: only its type is kept. */
static void test_container_in_a_scalar_slot(void **state)
{
    (void)state;
    expect_fixed("{\"vcpus\":[", "1", "]}", false);
    expect_fixed("{\"devices\":[{\"kind\":\"virtioblk\",\"readOnly\":[", "1", "]}]}", false);
}

/* The reader stops at the first element it refuses: none after it is kept. */
static void test_refused_elements(void **state)
{
    (void)state;
    expect_fixed("{\"devices\":[", "1", "]}", false);
    expect_fixed("{\"devices\":[", "{}", "]}", false);
    expect_fixed("{\"devices\":[", "{\"x\":1}", "]}", false);
    expect_fixed("{\"cloudInit\":[", "1", "]}", false);
}

/* ---- values the reader keeps: bounded per input byte ---- */
static void test_kept_values(void **state)
{
    (void)state;
    expect_kept("{\"devices\":[", "{\"kind\":\"virtiorng\"}", "]}");
    expect_kept("{\"cloudInit\":[", "\"\"", "]}");
    expect_kept("{\"cloudInit\":[", "\"a\"", "]}");
    expect_kept("{\"bootloader\":{\"kind\":\"efiBootloader\",", "\"efiVariableStorePath\":\"/a\"",
                "}}");
    expect_kept("{", "\"vcpus\":1", "}"); /* the last one wins: all are kept until then */
    expect_kept("{\"devices\":[{\"kind\":\"virtioblk\",", "\"\\u0069magePath\":\"\\u00e9\"", "}]}");
}

static void test_podman_vm(void **state)
{
    (void)state;
    FILE *f = fopen(VF_TEST_SOURCE_DIR "/../examples/podman-vm.json", "rb");
    assert_non_null(f);
    char doc[64 * 1024];
    size_t len = fread(doc, 1, sizeof doc, f);
    fclose(f);
    assert_true(len > 0 && len < sizeof doc);
    measured m = measure_vm(doc, len);
    assert_true(m.ok);
    if (m.extra > KEPT_PER_BYTE * len + FIXED_BYTES)
        fail_msg("podman-vm.json: %zu bytes took %zu beyond the VM", len, m.extra);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ignored_array),
        cmocka_unit_test(test_ignored_keys),
        cmocka_unit_test(test_container_in_a_scalar_slot),
        cmocka_unit_test(test_refused_elements),
        cmocka_unit_test(test_kept_values),
        cmocka_unit_test(test_podman_vm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
