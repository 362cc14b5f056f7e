/*
 * libvfconfig - vfkit's launch flags on a VM (launch.c): the checks that
 * reading, printing and the setters share.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_MODEL_LAUNCH_H
#define VFCONFIG_MODEL_LAUNCH_H

#include "vfconfig/vfconfig.h"

/* NULL or "" (none), or one of vfkit's levels: error, info, debug. */
int vf__check_log_level(const char *level, vf_error *err);
/* NULL or "" (none), or a URI vfkit's REST server accepts. */
int vf__check_restful_uri(const char *uri, vf_error *err);
/* vfkit's checks on the --cloud-init files before it builds its ISO, by
 * name only: when there are any, one is named user-data or meta-data. */
int vf__check_cloud_init_names(char *const *files, vf_error *err);
/* The same, after opening every non-empty path as vfkit does
 * (VF_ERR_IO naming the file when one cannot be opened). */
int vf__check_cloud_init_files(char *const *files, vf_error *err);
/* Every launch flag of vm, without I/O: what vf_vm_to_cmdline requires. */
int vf__check_launch_flags(const vf_vm *vm, vf_error *err);

#endif /* VFCONFIG_MODEL_LAUNCH_H */
