/*
 * libvfconfig - the names of vfkit's VM states and state changes.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "util/macros.h"
#include "vfconfig/rest.h"

/* Code-Hex/vz's VirtualMachineState names, in vf_rest_state order. */
static const char *const state_names[] = {
    NULL,
    "VirtualMachineStateStopped",
    "VirtualMachineStateRunning",
    "VirtualMachineStatePaused",
    "VirtualMachineStateError",
    "VirtualMachineStateStarting",
    "VirtualMachineStatePausing",
    "VirtualMachineStateResuming",
    "VirtualMachineStateStopping",
    "VirtualMachineStateSaving",
    "VirtualMachineStateRestoring",
};

/* vfkit's define.StateChange values, in vf_rest_state_change order. */
static const char *const change_names[] = {"Pause", "Resume", "Stop", "HardStop"};

const char *vf_rest_state_name(vf_rest_state state)
{
    return (unsigned)state < VF__COUNT(state_names) ? state_names[state] : NULL;
}

vf_rest_state vf_rest_state_from_name(const char *name)
{
    for (size_t i = 1; name != NULL && i < VF__COUNT(state_names); i++)
        if (strcmp(name, state_names[i]) == 0)
            return (vf_rest_state)i;
    return VF_REST_STATE_UNKNOWN;
}

const char *vf_rest_state_change_name(vf_rest_state_change change)
{
    return (unsigned)change < VF__COUNT(change_names) ? change_names[change] : NULL;
}
