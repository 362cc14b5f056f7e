/*
 * libvfconfig - vfkit's REST routes: GET and POST /vm/state, GET /vm/inspect,
 * with the JSON shapes of vfkit's pkg/rest/vf.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "vfconfig/vfconfig.h"
#include "rest/internal.h"
#include "util/error.h"
#include "vfconfig/rest.h"

static int parse_object(const char *body, size_t len, json_t **out, vf_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);
    if (doc == NULL)
        return vf__error(err, VF_ERR_JSON, "invalid JSON: %s (line %d, column %d)", jerr.text,
                         jerr.line, jerr.column);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return vf__error(err, VF_ERR_JSON, "invalid JSON: expected an object");
    }
    *out = doc;
    return 0;
}

/* A `can...` flag: absent or null reads as false, as Go's decoder leaves it. */
static int read_flag(const json_t *doc, const char *key, bool *out, vf_error *err)
{
    const json_t *value = json_object_get(doc, key);
    if (value != NULL && !json_is_boolean(value) && !json_is_null(value))
        return vf__error(err, VF_ERR_JSON, "invalid value for '%s': expected true or false", key);
    *out = json_is_true(value);
    return 0;
}

/* {"state": "VirtualMachineStateRunning", "canStart": false, ...} */
static int read_state(const char *body, size_t len, void *ctx, vf_error *err)
{
    vf_rest_state_info info;
    json_t *doc = NULL;
    memset(&info, 0, sizeof info);
    int rc = parse_object(body, len, &doc, err);
    if (rc != 0)
        return rc;
    const char *name = json_string_value(json_object_get(doc, "state"));
    if (name == NULL)
        rc = vf__error(err, VF_ERR_JSON, "invalid value for 'state': expected a string");
    static const struct {
        const char *key;
        size_t offset;
    } flags[] = {
        {"canStart", offsetof(vf_rest_state_info, can_start)},
        {"canPause", offsetof(vf_rest_state_info, can_pause)},
        {"canResume", offsetof(vf_rest_state_info, can_resume)},
        {"canStop", offsetof(vf_rest_state_info, can_stop)},
        {"canHardStop", offsetof(vf_rest_state_info, can_hard_stop)},
    };
    for (size_t i = 0; rc == 0 && i < sizeof flags / sizeof flags[0]; i++)
        rc = read_flag(doc, flags[i].key, (bool *)((char *)&info + flags[i].offset), err);
    if (rc == 0) {
        info.state = vf_rest_state_from_name(name);
        snprintf(info.name, sizeof info.name, "%s", name);
        *(vf_rest_state_info *)ctx = info;
    }
    json_decref(doc);
    return rc;
}

int vf_rest_get_state(vf_rest_client *client, vf_rest_state_info *out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "GET /vm/state: no place for the result");
    return vf__rest_request(client, "GET", "/vm/state", NULL, read_state, out, err);
}

int vf_rest_set_state(vf_rest_client *client, vf_rest_state_change change, vf_error *err)
{
    if (vf__rest_client_is_krunkit(client) && change != VF_REST_CHANGE_STOP)
        return vf__error(err, VF_ERR_UNSUPPORTED,
                         "POST /vm/state: krunkit stops the VM on any POST; it has no \"%s\"",
                         vf_rest_state_change_name(change) ? vf_rest_state_change_name(change)
                                                           : "such change");
    const char *name = vf_rest_state_change_name(change);
    if (name == NULL)
        return vf__error(err, VF_ERR_INVALID, "POST /vm/state: invalid state change %d",
                         (int)change);
    char body[64];
    snprintf(body, sizeof body, "{\"state\":\"%s\"}", name);
    return vf__rest_request(client, "POST", "/vm/state", body, NULL, NULL, err);
}

static int read_vm(const char *body, size_t len, void *ctx, vf_error *err)
{
    vf_error local = {0};
    vf_error *e = err != NULL ? err : &local;
    vf_vm *vm = vf_vm_from_json_buffer(body, len, e);
    *(vf_vm **)ctx = vm;
    if (vm != NULL)
        return 0;
    return e->code < 0 ? e->code : VF_ERR_JSON;
}

int vf_rest_inspect(vf_rest_client *client, vf_vm **out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "GET /vm/inspect: no place for the result");
    *out = NULL;
    if (vf__rest_client_is_krunkit(client))
        return vf__error(err, VF_ERR_UNSUPPORTED,
                         "GET /vm/inspect: krunkit has no such route (it answers its state)");
    return vf__rest_request(client, "GET", "/vm/inspect", NULL, read_vm, out, err);
}
