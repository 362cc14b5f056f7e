/*
 * libvfconfig - Go's struct fields as data (fields.c): JSON name, C type, place, omitempty.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_MODEL_FIELDS_H
#define VFCONFIG_MODEL_FIELDS_H

#include <stddef.h>

#include "vfconfig/vfconfig.h"

typedef struct vf__field vf__field;

typedef enum vf__field_type {
    VF__FIELD_STRING,   /* char *            */
    VF__FIELD_BOOL,     /* bool              */
    VF__FIELD_U32,      /* uint32_t          */
    VF__FIELD_U64,      /* uint64_t (Go uint, strongunits.B) */
    VF__FIELD_INT,      /* int64_t (Go int)  */
    VF__FIELD_DURATION, /* int64_t ns (Go time.Duration) */
    VF__FIELD_MAC,      /* vf_mac_address, JSON string */
    VF__FIELD_FD        /* int, -1 for none: a descriptor (JSON "fd", library's own key) */
} vf__field_type;

#define VF__FIELD_OMITEMPTY 0x1u /* left out when zero / "" / false, as Go's omitempty */
/* virtio-net's vfkitMagic: false is written after all when the device has a
 * unix socket path, where Go's reader takes a missing key as true
 * (docs/design.md, difference 9). */
#define VF__FIELD_FALSE_WITH_SOCKET_PATH 0x2u

/* One row of a table: member of type_ written under name. */
#define VF__FIELD(type_, member, name, t, flags) \
    {                                            \
        name, t, offsetof(type_, member), flags  \
    }

struct vf__field {
    const char *json_name;
    vf__field_type type;
    size_t offset;
    unsigned flags;
};

/* Field tables of the VM's small components (the bootloaders and the
 * device kinds keep theirs in their own files). */
extern const vf__field vf__timesync_fields[];
extern const size_t vf__n_timesync_fields;
extern const vf__field vf__ignition_fields[];
extern const size_t vf__n_ignition_fields;

/* Bootloader kinds as data (bootloader.c). */
typedef struct vf__bootloader_ops {
    vf_bootloader_kind kind;
    const char *name;      /* "linux", "efi", "macos" */
    const char *json_kind; /* "linuxBootloader", "efiBootloader", "macosBootloader" */
    size_t size;
    const vf__field *fields;
    size_t n_fields;
} vf__bootloader_ops;
const vf__bootloader_ops *vf__bootloader_ops_of(vf_bootloader_kind kind);
const vf__bootloader_ops *vf__bootloader_ops_by_json_kind(const char *name);

/* Generic helpers over a field table (fields.c). */
void vf__fields_release(void *obj, const vf__field *fields, size_t n);
/* Copies the owned strings of src into dst (dst is a memcpy of src);
 * on failure the strings not yet copied are NULLed so dst can be released. */
int vf__fields_clone_strings(void *dst, const void *src, const vf__field *fields, size_t n);

#endif /* VFCONFIG_MODEL_FIELDS_H */
