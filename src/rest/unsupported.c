/*
 * libvfconfig - the REST client in a build without libcurl: every call
 * fails with VF_ERR_UNSUPPORTED, so programs compile against either build.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "vfconfig/vfconfig.h"
#include "rest/internal.h"
#include "util/error.h"
#include "vfconfig/rest.h"

static int unsupported(vf_error *err)
{
    return vf__error(err, VF_ERR_UNSUPPORTED,
                     "REST client: this build of libvfconfig has no libcurl (VF_WITH_CURL=OFF)");
}

vf_rest_client *vf_rest_client_new(const vf_restful_uri *uri, vf_error *err)
{
    (void)uri;
    unsupported(err);
    return NULL;
}

void vf_rest_client_free(vf_rest_client *client)
{
    (void)client;
}

void vf_rest_client_set_timeout(vf_rest_client *client, unsigned timeout_ms)
{
    (void)client;
    (void)timeout_ms;
}

void vf_rest_client_set_launcher(vf_rest_client *client, vf_launcher_kind kind)
{
    (void)client;
    (void)kind;
}

bool vf__rest_client_is_krunkit(const vf_rest_client *client)
{
    (void)client;
    return false;
}

bool vf_rest_client_unreachable(const vf_rest_client *client)
{
    (void)client;
    return false;
}

int vf_rest_get_state(vf_rest_client *client, vf_rest_state_info *out, vf_error *err)
{
    (void)client;
    (void)out;
    return unsupported(err);
}

int vf_rest_set_state(vf_rest_client *client, vf_rest_state_change change, vf_error *err)
{
    (void)client;
    (void)change;
    return unsupported(err);
}

int vf_rest_inspect(vf_rest_client *client, vf_vm **out, vf_error *err)
{
    (void)client;
    if (out != NULL)
        *out = NULL;
    return unsupported(err);
}

void vf__rest_cap_timeout(struct vf_rest_client *client, unsigned ms)
{
    (void)client;
    (void)ms;
}
