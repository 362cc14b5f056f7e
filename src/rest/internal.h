/*
 * libvfconfig - what the REST modules share: one exchange with vfkit (client.c; stubs in unsupported.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_REST_INTERNAL_H
#define VFCONFIG_REST_INTERNAL_H

#include <stddef.h>

#include "vfconfig/rest.h"

struct vf_rest_client;
/* Reads the body of a 2xx answer (len bytes, not NUL-terminated). */
typedef int (*vf__rest_reader)(const char *body, size_t len, void *ctx, vf_error *err);
/* One exchange with vfkit: `method path`, with json_body (NULL for none)
 * sent as application/json, then read (may be NULL) on a 2xx answer.
 * 0, or a negative vf_status with a message that names the request and the
 * endpoint, and vfkit's {"error": ...} text when it sent one. */
int vf__rest_request(struct vf_rest_client *client, const char *method, const char *path,
                     const char *json_body, vf__rest_reader read, void *ctx, vf_error *err);
/* Caps the timeout of the client's next requests at ms (0 lifts the cap),
 * so a polling loop keeps its own deadline. */
void vf__rest_cap_timeout(struct vf_rest_client *client, unsigned ms);

#endif /* VFCONFIG_REST_INTERNAL_H */
