/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file launcher.h
 * @brief Launchers: the same VM for vfkit at any release, or for krunkit.
 *
 * A ::vf_launcher names the program that will run the VM and its release:
 * vfkit (crc-org/vfkit, v0.5.0 to v0.6.4 known) or krunkit
 * (containers/krunkit, v0.1.0 to v1.2.1 known), which reads a vfkit-like
 * command line with a dialect of its own. vf_vm_check_launcher() lists
 * everything of a VM that a launcher cannot run, vf_vm_to_cmdline_for()
 * and vf_vm_cmd_for() print a VM in the launcher's dialect, and
 * vf_vm_from_cmdline_for() reads one as that launcher reads it.
 * vf_vm_to_cmdline() and vf_vm_cmd() keep meaning the newest vfkit.
 */
#ifndef VFCONFIG_LAUNCHER_H
#define VFCONFIG_LAUNCHER_H

#include "cmd.h"
#include "common.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which program runs the VM. */
typedef enum vf_launcher_kind {
    VF_LAUNCHER_VFKIT = 0,  /**< crc-org/vfkit. */
    VF_LAUNCHER_KRUNKIT = 1 /**< containers/krunkit (libkrun). */
} vf_launcher_kind;

/** A launcher and its release; a plain value, nothing to free. */
typedef struct vf_launcher {
    vf_launcher_kind kind; /**< vfkit or krunkit. */
    unsigned major;        /**< Release: major number. */
    unsigned minor;        /**< Release: minor number. */
    unsigned patch;        /**< Release: patch number. */
} vf_launcher;

/** Room vf_launcher_format() needs
 * ("krunkit@4294967295.4294967295.4294967295"). */
#define VF_LAUNCHER_TEXT_MAX 48

/**
 * Reads "vfkit@0.6.1", "krunkit@1.2.1", "krunkit@v1.2.1" or a bare
 * "vfkit" / "krunkit" (the newest known release). A release older than
 * the oldest known one is refused (::VF_ERR_UNSUPPORTED); a newer one is
 * kept and treated as the newest known by the checks. 0 or a negative
 * ::vf_status naming the text.
 */
VF_EXTERN int vf_launcher_parse(const char *text, vf_launcher *out, vf_error *err);

/** Writes "krunkit@1.2.1" into @p buf (::VF_LAUNCHER_TEXT_MAX bytes suffice);
 * returns @p buf. */
VF_EXTERN char *vf_launcher_format(const vf_launcher *launcher, char *buf, size_t size);

/**
 * The known releases of @p kind, oldest first, into @p out (up to
 * @p capacity; @p out may be NULL when @p capacity is 0). Returns how many
 * are known, like snprintf.
 */
VF_EXTERN size_t vf_launcher_releases(vf_launcher_kind kind, vf_launcher *out, size_t capacity);

/** The newest known release of @p kind into @p out. 0 or ::VF_ERR_INVALID for a
 * bad kind. */
VF_EXTERN int vf_launcher_newest(vf_launcher_kind kind, vf_launcher *out);

/**
 * Reads the output of `vfkit --version` (`vfkit version: v0.6.4`, or
 * `vfkit version: 0.5.0` before v0.6.0) or `krunkit --version`
 * (`krunkit 1.2.1`). A newer release than the newest known reads as the
 * newest known; an older one than the oldest known is refused
 * (::VF_ERR_UNSUPPORTED); anything else is ::VF_ERR_INVALID.
 */
VF_EXTERN int vf_launcher_from_version_output(const char *text, vf_launcher *out, vf_error *err);

/**
 * Runs `PATH --version` (no shell, stdin and stderr on /dev/null) and reads
 * its output with vf_launcher_from_version_output(). @p path is found as
 * vf_cmd_spawn() finds `argv[0]`: with a '/' it is that file, a bare name
 * is looked up in the caller's `PATH`. The program is killed
 * and ::VF_ERR_TIMEOUT returned when it has not exited within
 * @p timeout_ms (0: 5000). ::VF_ERR_SYSTEM when it cannot be started or
 * exits with a failure.
 */
VF_EXTERN int vf_launcher_probe(const char *path, unsigned timeout_ms, vf_launcher *out,
                                vf_error *err);

/** One thing a launcher cannot run. */
typedef struct vf_launcher_problem {
    /** Index in vf_vm::devices of the device at fault, or -1 for the VM's own
   * flags. */
    long device;
    /**
   * What and why, naming the device or flag, the launcher and the release
   * that would accept it: "virtio-balloon needs vfkit >= 0.6.1",
   * "krunkit has no rosetta device (vfkit has one)". Borrowed for the call.
   */
    const char *message;
} vf_launcher_problem;

/** Called once per problem, in VM order; @p ctx is the caller's. */
typedef void (*vf_launcher_problem_fn)(const vf_launcher_problem *problem, void *ctx);

/**
 * Checks @p vm against @p launcher (NULL: the newest vfkit) and reports
 * every problem to @p fn (may be NULL to only count): what the launcher's
 * dialect cannot say, what the release does not accept yet, and what the
 * launcher refuses when it builds the VM (krunkit: 0 vCPUs, 0 or more than
 * 61440 MiB). Returns the number of problems (0: the launcher can run the
 * VM), or a negative ::vf_status when the check itself failed; @p err
 * then says why, and holds the first problem when there are problems.
 */
VF_EXTERN int vf_vm_check_launcher(const vf_vm *vm, const vf_launcher *launcher,
                                   vf_launcher_problem_fn fn, void *ctx, vf_error *err);

/**
 * The arguments @p launcher (NULL: the newest vfkit, as vf_vm_to_cmdline())
 * reads back as @p vm, without the program name. Refused with
 * ::VF_ERR_UNSUPPORTED and the first problem when the launcher's dialect or
 * release cannot say something of the VM (vf_vm_check_launcher() lists
 * them all). For krunkit: `--cpus` and `--memory` always, the EFI
 * bootloader as `efi,variable-store=PATH,create`, the devices in krunkit's
 * syntax, then `--restful-uri`, `--gui`, `--nested`, `--timesync`,
 * `--pidfile` and krunkit's own flags; values that start with '-' are
 * attached with '='. Both dialects refuse a unix socket path over
 * ::VF_RESTFUL_UNIX_PATH_MAX bytes (macOS's `sun_path`). NULL on error.
 * Free with vf_strv_free().
 */
VF_EXTERN char **vf_vm_to_cmdline_for(const vf_vm *vm, const vf_launcher *launcher, vf_error *err);

/**
 * vf_vm_cmd() for @p launcher (NULL: the newest vfkit): @p path first, then
 * vf_vm_to_cmdline_for()'s arguments with sockets numbered for the child.
 * 0 or a negative ::vf_status. Free *@p out with vf_cmd_free().
 */
VF_EXTERN int vf_vm_cmd_for(const vf_vm *vm, const vf_launcher *launcher, const char *path,
                            vf_cmd **out, vf_error *err);

/**
 * Reads a command line (without the program name, NULL-terminated) as
 * @p launcher reads it. vfkit: vf_vm_from_cmdline(), then refused with the
 * first problem when the release does not accept something. krunkit: as
 * krunkit's clap parser reads it (long and short flags, `--flag=value`,
 * `-c4`, clusters, `--`; `--memory` with M/G/T/P; each flag once except
 * `--device` and `--oem-string`; `--help`/`--version` refused as they
 * describe no VM), every value checked as krunkit checks it, then the
 * release check. NULL on error (err names the argument). Caller frees
 * with vf_vm_free().
 */
VF_EXTERN vf_vm *vf_vm_from_cmdline_for(const char *const *args, const vf_launcher *launcher,
                                        vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_LAUNCHER_H */
