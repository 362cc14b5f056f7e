/*
 * libvfconfig - the bootloader and timesync on the command line (bootloader.c, vm.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_MODEL_COMPONENTS_H
#define VFCONFIG_MODEL_COMPONENTS_H

#include "util/buf.h"
#include "vfconfig/vfconfig.h"

/* BootloaderFromCmdLine: items[0] is the type, the rest its options. The
 * vector is consumed; NULL (a failed split) returns NULL, err untouched. */
vf_bootloader *vf__bootloader_from_items(char **items, vf_error *err);
/* Appends the bootloader's arguments; "missing bootloader configuration"
 * when bl is NULL. On error out may hold a part of them, to be dropped. */
int vf__bootloader_write_cmdline(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err);
/* Appends `--timesync vsockPort=N`. */
int vf__timesync_write_cmdline(const vf_timesync *ts, vf__strv_builder *out, vf_error *err);

#endif /* VFCONFIG_MODEL_COMPONENTS_H */
