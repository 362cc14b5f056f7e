/*
 * libvfconfig - what the REST modules share: one exchange with vfkit (client.c; stubs in unsupported.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_REST_INTERNAL_H
#define VFCONFIG_REST_INTERNAL_H

#include <stdbool.h>
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

/* What a failed transfer means (client.c). Only "not answering" says that
 * nothing listens; a refusal by the system (a socket whose permissions deny
 * the caller) says nothing about the VM, so the stop logic must not take it
 * for a stopped one. */
typedef enum vf__rest_failure {
    VF__REST_NOT_ANSWERING, /* no socket file, or the connection is refused */
    VF__REST_DENIED,        /* EACCES or EPERM: something may well be running */
    VF__REST_TIMEOUT,
    VF__REST_PROTOCOL, /* no answer, a broken one, or a header too large */
    VF__REST_OTHER
} vf__rest_failure;
/* Classifies libcurl's result curl_code (a CURLcode) with the system's
 * errno of the failed connect (CURLINFO_OS_ERRNO, 0 when unknown). */
vf__rest_failure vf__rest_classify(int curl_code, long os_errno);
/* The port of a TCP host of len bytes, "name:port" or "[::1]:port": the
 * decimal digits after its last ':', read as Go's net package reads them
 * (leading zeros allowed). 65536 stands for any number over 65535; -1 when
 * there is no port (restful_uri.c). */
long vf__restful_port(const char *host, size_t len);
/* True once vf_rest_client_set_launcher said krunkit (false without curl). */
bool vf__rest_client_is_krunkit(const struct vf_rest_client *client);

#endif /* VFCONFIG_REST_INTERNAL_H */
