/*
 * libvfconfig - fuzz target: JSON documents.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: bytes read as a VM (vf_vm_from_json_buffer, and vf_vm_from_json
 * when there is no NUL inside: both must agree), as a single device and a
 * bootloader, and, when jansson can parse them, as a jansson value
 * (vf_vm_from_json_value). What is accepted goes through the round-trip
 * checker. Under AddressSanitizer the heap of vf_vm_from_json_buffer is
 * followed through the sanitizer's allocation hooks and held to the
 * reader's bound (json/heap_bound.h), which a reader keeping ignored
 * values (32 bytes per input byte) breaks on inputs over about 5 kB.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "json/heap_bound.h"

/* The hooks need AddressSanitizer and its allocator header, which gcc's
 * packages may lack: without either, reads are not followed. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VF_FUZZ_ASAN 1
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define VF_FUZZ_ASAN 1
#endif
#if defined(VF_FUZZ_ASAN) && defined(__has_include)
#if __has_include(<sanitizer/allocator_interface.h>)
#define VF_FUZZ_HEAP_HOOKS 1
#endif
#endif

#ifdef VF_FUZZ_HEAP_HOOKS
#include <sanitizer/allocator_interface.h>

/* Live bytes allocated while following, and their peak. A block freed
 * while following that was allocated before only lowers the count, and
 * the count never goes below zero. */
static struct {
    volatile int following;
    size_t live, peak;
} heap;

static void on_malloc(const volatile void *ptr, size_t size)
{
    (void)ptr;
    if (heap.following) {
        heap.live += size;
        if (heap.live > heap.peak)
            heap.peak = heap.live;
    }
}

static void on_free(const volatile void *ptr)
{
    if (heap.following && ptr != NULL) {
        size_t size = __sanitizer_get_allocated_size((const void *)ptr);
        heap.live -= size < heap.live ? size : heap.live;
    }
}

static vf_vm *read_vm(const uint8_t *data, size_t size, vf_error *err)
{
    static int installed;
    if (!installed)
        installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
    heap.live = heap.peak = 0;
    heap.following = 1;
    vf_vm *vm = vf_vm_from_json_buffer((const char *)data, size, err);
    heap.following = 0;
    /* What is still live is the VM returned. */
    size_t bound = VF__JSON_FIXED_BYTES + (size_t)VF__JSON_KEPT_PER_BYTE * size + heap.live;
    if (installed && heap.peak > bound)
        vf_fuzz_fail("vf_vm_from_json_buffer took %zu bytes of heap on %zu input bytes (VM %zu "
                     "bytes, bound %zu)",
                     heap.peak, size, heap.live, bound);
    return vm;
}
#else
static vf_vm *read_vm(const uint8_t *data, size_t size, vf_error *err)
{
    return vf_vm_from_json_buffer((const char *)data, size, err);
}
#endif

static void check_vm_both_ways(const uint8_t *data, size_t size, const char *text)
{
    vf_error err = {0};
    vf_vm *vm = read_vm(data, size, &err);
    vf_fuzz_accepted("vf_vm_from_json_buffer", vm, &err);

    if (strlen(text) == size) {
        vf_error err2 = {0};
        vf_vm *vm2 = vf_vm_from_json(text, &err2);
        if ((vm != NULL) != vf_fuzz_accepted("vf_vm_from_json", vm2, &err2))
            vf_fuzz_fail("vf_vm_from_json_buffer and vf_vm_from_json disagree: %s / %s", err.text,
                         err2.text);
        if (vm != NULL) {
            char *a = vf_vm_to_json(vm, NULL);
            char *b = vf_vm_to_json(vm2, NULL);
            if (a == NULL || b == NULL || strcmp(a, b) != 0)
                vf_fuzz_fail("the same JSON read two ways differs");
            free(a);
            free(b);
        }
        vf_vm_free(vm2);
    }
    if (vm != NULL)
        vf_fuzz_check_vm(vm, VF_FUZZ_FROM_JSON);
    vf_vm_free(vm);
}

/* jansson's parser is not Go's (duplicate keys, numbers), so its tree may
 * be read differently; it must be read safely. */
static void check_jansson_value(const uint8_t *data, size_t size)
{
    json_t *value = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (value == NULL)
        return;
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json_value(value, &err);
    if (vf_fuzz_accepted("vf_vm_from_json_value", vm, &err))
        vf_fuzz_check_vm(vm, VF_FUZZ_FROM_JSON);
    vf_vm_free(vm);
    vf_device *dev = vf_device_from_json_value(value, &err);
    if (vf_fuzz_accepted("vf_device_from_json_value", dev, &err))
        vf_fuzz_check_device(dev, VF_FUZZ_FROM_JSON);
    vf_device_free(dev);
    json_decref(value);
}

int vf_fuzz_json(const uint8_t *data, size_t size)
{
    char *text = vf_fuzz_string(data, size);
    check_vm_both_ways(data, size, text);
    check_jansson_value(data, size);

    vf_error err = {0};
    vf_device *dev = vf_device_from_json(text, &err);
    if (vf_fuzz_accepted("vf_device_from_json", dev, &err))
        vf_fuzz_check_device(dev, VF_FUZZ_FROM_JSON);
    vf_device_free(dev);

    vf_bootloader *bl = vf_bootloader_from_json(text, &err);
    if (vf_fuzz_accepted("vf_bootloader_from_json", bl, &err))
        vf_fuzz_check_bootloader(bl, VF_FUZZ_FROM_JSON);
    vf_bootloader_free(bl);
    free(text);
    return 0;
}

VF_FUZZ_ENTRY_POINTS(vf_fuzz_json)
