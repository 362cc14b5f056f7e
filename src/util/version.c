/*
 * libvfconfig - run-time version.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "vfconfig/version.h"

unsigned vf_version(void)
{
    return VF_VERSION_NUMBER;
}

const char *vf_version_string(void)
{
    return VF_VERSION_STRING;
}
