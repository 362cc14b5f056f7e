/*
 * libvfconfig - launchers: releases, problems and the krunkit dialect
 * (releases.c, check.c, krunkit_read.c, krunkit_write.c, probe.c); the
 * kinds' share of the dialect is in krunkit.h.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_LAUNCHER_LAUNCHER_H
#define VFCONFIG_LAUNCHER_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>

#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "util/buf.h"
#include "util/macros.h"

/* The release of launcher as one number (model/device_ops.h's
 * VF__RELEASE); one newer than the newest known counts as the newest. */
unsigned vf__release_of(const vf_launcher *launcher);
/* The newest known release of kind (a release number). */
unsigned vf__newest_release(vf_launcher_kind kind);
/* "vfkit", "krunkit". */
const char *vf__launcher_name(vf_launcher_kind kind);

/* Where problems go while a VM is checked or printed. */
typedef struct vf__problems {
    const vf_launcher *launcher;
    vf_launcher_problem_fn fn; /* may be NULL */
    void *ctx;
    long device; /* the device being looked at, -1 for the VM */
    size_t count;
    vf_error first; /* the first problem's message */
    bool nomem;     /* an allocation failed on the way */
} vf__problems;

void vf__problems_init(vf__problems *p, const vf_launcher *launcher, vf_launcher_problem_fn fn,
                       void *ctx);
/* Reports one problem (the message formatted); returns VF_ERR_UNSUPPORTED. */
int vf__problem(vf__problems *p, const char *fmt, ...) VF__PRINTF(2, 3);

/* Reports what argv (printed for p->launcher) uses that p's release does
 * not accept: flags from the launcher's table, devices and their options
 * from the kinds' tables. */
void vf__check_releases(char *const *argv, vf__problems *p);
/* The same for one `--device` value: its kind's row, then each option. */
void vf__check_device_releases(const char *value, vf__problems *p);

/* The krunkit dialect. number_fds: the i-th socket prints as fd=3+i. */
int vf__krunkit_write(const vf_vm *vm, bool number_fds, vf__strv_builder *sb, vf__problems *p);
vf_vm *vf__krunkit_from_cmdline(const char *const *args, vf_error *err);
/* krunkit's RestfulUri::from_str; *normalized ("tcp://127.0.0.1:8081",
 * "unix://PATH", "none://") is the caller's to free. */
int vf__krunkit_restful_uri(const char *value, char **normalized, vf_error *err);
/* One `--device` value as krunkit reads it; *out is the new device. */
int vf__krunkit_device_from_cmdline(const char *value, vf_device **out, vf_error *err);

/* The argv of vm for launcher (NULL: newest vfkit), problems refused. */
char **vf__vm_to_cmdline_for(const vf_vm *vm, const vf_launcher *launcher, bool number_fds,
                             vf_error *err);

#endif /* VFCONFIG_LAUNCHER_LAUNCHER_H */
