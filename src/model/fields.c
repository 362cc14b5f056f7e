/*
 * libvfconfig - the Go package's struct fields as data.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each table lists a component's JSON keys in the order Go's encoding/json
 * writes them (embedded structs inlined where they are embedded), with the
 * `omitempty` rule of each. JSON reading and writing, freeing and cloning
 * all walk these tables instead of repeating a switch per type. Each device
 * kind keeps its own table in its file under devices/.
 */
#include <stddef.h>

#include "vfconfig/vfconfig.h"
#include "model/fields.h"
#include "util/alloc.h"
#include "util/macros.h"

#define OMIT VF__FIELD_OMITEMPTY

/* ---- small VM components ---- */
const vf__field vf__timesync_fields[] = {
    VF__FIELD(vf_timesync, vsock_port, "vsockPort", VF__FIELD_U32, 0),
};
const size_t vf__n_timesync_fields = VF__COUNT(vf__timesync_fields);

const vf__field vf__ignition_fields[] = {
    VF__FIELD(vf_ignition, config_path, "configPath", VF__FIELD_STRING, 0),
    VF__FIELD(vf_ignition, socket_path, "socketPath", VF__FIELD_STRING, OMIT),
};
const size_t vf__n_ignition_fields = VF__COUNT(vf__ignition_fields);

/* ---- generic walks ---- */
void vf__fields_release(void *obj, const vf__field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fields[i].type != VF__FIELD_STRING)
            continue;
        char **slot = (char **)(void *)((char *)obj + fields[i].offset);
        vf__free(*slot);
        *slot = NULL;
    }
}

int vf__fields_clone_strings(void *dst, const void *src, const vf__field *fields, size_t n)
{
    int rc = VF_OK;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].type != VF__FIELD_STRING)
            continue;
        char **to = (char **)(void *)((char *)dst + fields[i].offset);
        const char *from = *(char *const *)(const void *)((const char *)src + fields[i].offset);
        *to = NULL;
        if (rc == VF_OK && from != NULL) {
            *to = vf__strdup(from);
            if (*to == NULL)
                rc = VF_ERR_NOMEM;
        }
    }
    return rc;
}
