/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file vm.h
 * @brief The virtual machine: CPUs, memory, bootloader, devices, and vfkit's
 * command line in both directions.
 */
#ifndef VFCONFIG_VM_H
#define VFCONFIG_VM_H

#include "bootloader.h"
#include "common.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The vsock port Ignition listens on in the guest (fixed by Ignition). */
#define VF_IGNITION_VSOCK_PORT 1024u

/** Host-to-guest time synchronisation after sleep (Go: TimeSync). */
typedef struct vf_timesync {
    uint32_t vsock_port; /**< qemu-guest-agent's vsock port in the guest. */
} vf_timesync;

/** An Ignition config served to the guest (Go: Ignition). */
typedef struct vf_ignition {
    char *config_path;   /**< The Ignition file on the host. */
    char *socket_path;   /**< Unix socket vfkit serves it on; never printed on the command line. */
    uint32_t vsock_port; /**< ::VF_IGNITION_VSOCK_PORT; not part of the JSON. */
} vf_ignition;

/**
 * The virtual machine (Go: VirtualMachine), plus the vfkit flags the Go
 * package leaves to its users. Fields may be read and written directly;
 * use the functions below to add devices so the array grows correctly.
 */
typedef struct vf_vm {
    uint64_t vcpus;            /**< Virtual CPUs; 0 leaves `--cpus` out. */
    uint64_t memory_bytes;     /**< RAM in bytes; printed as MiB rounded up. */
    vf_bootloader *bootloader; /**< Owned; NULL until set. */
    vf_device **devices;       /**< Owned, in command-line order. */
    size_t n_devices;          /**< Number of entries in `devices`. */
    size_t devices_capacity;   /**< Allocated slots of `devices` (managed by the library). */
    vf_timesync *timesync;     /**< Owned; NULL for none. */
    vf_ignition *ignition;     /**< Owned; NULL for none. */
    bool nested;               /**< `--nested`: nested virtualisation. */

    /* vfkit flags outside the Go package, kept so a command line round-trips. */
    char *restful_uri; /**< `--restful-uri`; NULL for vfkit's default (none://). */
    char *log_level;   /**< `--log-level`; NULL for none. */
    char *pidfile;     /**< `--pidfile`; NULL for none. */
    char **
        cloud_init; /**< `--cloud-init` files, NULL-terminated vector (vf_strv_free); NULL for none. */
    /* krunkit's own flags (launcher.h), saved under JSON keys the Go package ignores. */
    bool has_krun_log_level; /**< `--krun-log-level` given (JSON "krunLogLevel"). */
    uint32_t krun_log_level; /**< libkrun's log level: 0 off ... 5 and more trace. */
    char *log_file;          /**< krunkit's `--log-file`; NULL for stderr (JSON "logFile"). */
    char **
        oem_strings; /**< krunkit's `--oem-string` values, NULL-terminated (vf_strv_free); NULL for none (JSON "oemStrings"). */
    char
        *firmware_path; /**< krunkit's `--firmware-path`; NULL for its own (JSON "firmwarePath"). */
    bool
        krunkit_gui; /**< `--gui` given to krunkit, which accepts and ignores it (JSON "krunkitGui"). */
} vf_vm;

/**
 * New VM with @p vcpus CPUs, @p memory_mib MiB of RAM and @p bootloader
 * (owned from now on, also on failure; may be NULL and set later).
 * NULL on allocation failure. Caller frees with vf_vm_free().
 */
VF_EXTERN vf_vm *vf_vm_new(unsigned vcpus, uint64_t memory_mib, vf_bootloader *bootloader);

/** Frees the VM and everything it owns (never a descriptor). NULL is a no-op. */
VF_EXTERN void vf_vm_free(vf_vm *vm);

/** Deep copy; NULL on allocation failure. Caller frees with vf_vm_free(). */
VF_EXTERN vf_vm *vf_vm_clone(const vf_vm *vm);

/** Sets krunkit's `--krun-log-level` (0 off, 1 error, 2 warn, 3 info, 4 debug, 5+ trace). */
VF_EXTERN void vf_vm_set_krun_log_level(vf_vm *vm, uint32_t level);
/** Sets krunkit's `--log-file` (copied; NULL or "" removes it). 0 or ::VF_ERR_NOMEM. */
VF_EXTERN int vf_vm_set_log_file(vf_vm *vm, const char *path);
/** Sets krunkit's `--firmware-path` (copied; NULL or "" removes it). 0 or ::VF_ERR_NOMEM. */
VF_EXTERN int vf_vm_set_firmware_path(vf_vm *vm, const char *path);
/** Appends one krunkit `--oem-string` (an SMBIOS OEM string, copied). 0 or ::VF_ERR_NOMEM. */
VF_EXTERN int vf_vm_add_oem_string(vf_vm *vm, const char *text);

/** Replaces the bootloader, freeing the old one; takes ownership of @p bl. */
VF_EXTERN void vf_vm_set_bootloader(vf_vm *vm, vf_bootloader *bl);

/** Appends @p dev; takes ownership, also on failure. 0, ::VF_ERR_INVALID for a NULL
 * VM or device, or ::VF_ERR_NOMEM. */
VF_EXTERN int vf_vm_add_device(vf_vm *vm, vf_device *dev, vf_error *err);

/** Appends @p n devices in order; takes ownership of all, also on failure. */
VF_EXTERN int vf_vm_add_devices(vf_vm *vm, vf_device *const *devs, size_t n, vf_error *err);

/**
 * Parses @p n `--device` values and appends the devices. On error nothing is
 * added and @p err names the device value and the option at fault.
 */
VF_EXTERN int vf_vm_add_devices_from_cmdline(vf_vm *vm, const char *const *opts, size_t n,
                                             vf_error *err);

/**
 * Collects the devices of @p kind in order into @p out (up to @p capacity of
 * them; @p out may be NULL when @p capacity is 0) and returns how many the
 * VM has, like snprintf. The pointers are borrowed from the VM.
 */
VF_EXTERN size_t vf_vm_filter_devices(const vf_vm *vm, vf_device_kind kind, vf_device **out,
                                      size_t capacity);

/** The first nbd device whose device identifier is @p device_id, or NULL (borrowed). */
VF_EXTERN vf_device *vf_vm_network_block_device(const vf_vm *vm, const char *device_id);

/** New timesync on guest vsock port @p vsock_port. NULL on allocation failure. */
VF_EXTERN vf_timesync *vf_timesync_new(uint32_t vsock_port);
/** Frees a timesync. NULL is a no-op. */
VF_EXTERN void vf_timesync_free(vf_timesync *ts);
/** Applies `vsockPort=N` options; N as strconv.ParseUint(N, 10, 32), non-zero. */
VF_EXTERN int vf_timesync_apply_options(vf_timesync *ts, const vf_option *opts, size_t n,
                                        vf_error *err);
/** `--timesync vsockPort=N`. Free with vf_strv_free(). */
VF_EXTERN char **vf_timesync_to_cmdline(const vf_timesync *ts, vf_error *err);

/** Replaces the VM's timesync, freeing the old one; takes ownership (NULL removes it). */
VF_EXTERN void vf_vm_set_timesync(vf_vm *vm, vf_timesync *ts);

/**
 * Parses a `--timesync` value and sets it on the VM, replacing any
 * timesync it had. "" changes nothing (a timesync already set stays), as
 * vfkit's empty `--timesync` adds none. 0 or a negative ::vf_status.
 */
VF_EXTERN int vf_vm_add_timesync_from_cmdline(vf_vm *vm, const char *opts, vf_error *err);

/**
 * New Ignition config from @p config_path (non-empty), on vsock port
 * ::VF_IGNITION_VSOCK_PORT. @p socket_path is accepted and ignored, as by the
 * Go package's IgnitionNew (set vf_ignition::socket_path yourself if needed).
 * NULL on an empty path (::VF_ERR_INVALID) or allocation failure.
 */
VF_EXTERN vf_ignition *vf_ignition_new(const char *config_path, const char *socket_path,
                                       vf_error *err);
/** Frees an Ignition config. NULL is a no-op. */
VF_EXTERN void vf_ignition_free(vf_ignition *ign);
/** Replaces the VM's Ignition config, freeing the old one; takes ownership (NULL removes it). */
VF_EXTERN void vf_vm_set_ignition(vf_vm *vm, vf_ignition *ign);
/** Parses an `--ignition` value (one path, no `,`); "" sets nothing, as vfkit does. */
VF_EXTERN int vf_vm_add_ignition_from_cmdline(vf_vm *vm, const char *opts, vf_error *err);

/**
 * Sets `--log-level` (vf_vm::log_level) to a copy of @p level: NULL or ""
 * for none, else one of vfkit's levels, "error", "info" or "debug".
 * ::VF_ERR_INVALID naming 'logLevel' and the value otherwise (the VM is left
 * unchanged), ::VF_ERR_NOMEM.
 */
VF_EXTERN int vf_vm_set_log_level(vf_vm *vm, const char *level, vf_error *err);

/**
 * Sets `--restful-uri` (vf_vm::restful_uri) to a copy of @p uri: NULL or ""
 * for vfkit's default (none://), else a URI vf_restful_uri_parse() accepts,
 * as vfkit's REST server does (`unix:///abs/path` of at most
 * ::VF_RESTFUL_UNIX_PATH_MAX bytes, `tcp://host:port` with a port from 0 to
 * 65535, `none://`). Refused with an error located at `restfulURI` that
 * names the value; the VM is then unchanged.
 */
VF_EXTERN int vf_vm_set_restful_uri(vf_vm *vm, const char *uri, vf_error *err);

/** Sets `--pidfile` (vf_vm::pidfile) to a copy of @p path; NULL or "" for none. */
VF_EXTERN int vf_vm_set_pidfile(vf_vm *vm, const char *path, vf_error *err);

/**
 * Sets `--cloud-init` (vf_vm::cloud_init) to a copy of @p files
 * (NULL-terminated; NULL or empty for none). As vfkit requires before it
 * builds its ISO, one of the files must be named `user-data` or
 * `meta-data` (the last path element); ::VF_ERR_INVALID naming 'cloudInit'
 * otherwise, and the VM is unchanged. Files are not opened here (see
 * vf_vm_from_cmdline()).
 */
VF_EXTERN int vf_vm_set_cloud_init(vf_vm *vm, const char *const *files, vf_error *err);

/**
 * vfkit's arguments for @p vm, without the program name: `--cpus`,
 * `--memory`, the bootloader, every device, `--timesync`, `--ignition`,
 * `--nested`, `--gui` when a GPU uses it, then the launch flags. Same bytes as
 * the Go package's ToCmdLine except docs/design.md's deliberate differences; a
 * `virtio-net` socket prints its own descriptor number (vf_vm_cmd() renumbers).
 * Refused where vfkit would run a different VM: ::VF_ERR_AMBIGUOUS for a value
 * vfkit would split (see vf_device_to_cmdline()), a timesync on port 0 (vfkit
 * refuses `vsockPort=0`), `uses_gui` on a GPU other than the first (vfkit's
 * `--gui` shows the first), memory whose MiB rounding wraps past 2^64; and
 * ::VF_ERR_INVALID naming the field for a launch flag vfkit refuses (the
 * checks of vf_vm_set_log_level(), vf_vm_set_restful_uri() and
 * vf_vm_set_cloud_init()); ::VF_ERR_LIMIT for a unix socket path over
 * ::VF_RESTFUL_UNIX_PATH_MAX bytes (`devices[1].unixSocketPath`; see
 * vf_device_to_cmdline()).
 * Reading the result back with vf_vm_from_cmdline() gives the same VM, except
 * where vfkit itself adds something: `--gui` without an input device adds a
 * keyboard, and 0 CPUs or 0 memory read back as vfkit's defaults.
 * NULL on error. Free with vf_strv_free().
 */
VF_EXTERN char **vf_vm_to_cmdline(const vf_vm *vm, vf_error *err);

/**
 * Reads a whole vfkit command line (without the program name; @p args is
 * NULL-terminated) the way vfkit v0.6.4 does, with the flag rules of the
 * cobra (v1.10.2) and pflag (v1.0.10) it pins: defaults `--cpus 1
 * --memory 512`; `--kernel/--initrd/--kernel-cmdline` (all three or none)
 * or `--bootloader`; repeated `--device`; `--timesync`, `--ignition`,
 * `--nested`, `--gui`; `--restful-uri`, `--log-level`, `--pidfile`,
 * `--cloud-init`. Long flags as `--flag value` or `--flag=value`, vfkit's
 * short flags (`-c -m -k -i -C -b -d -t -n`) as `-c 2`, `-c2`, `-c=2` or in
 * clusters (`-nc2`); a bool flag takes a value only after `=` (`--gui
 * false` turns the GUI on and `false` is a positional word); numbers as Go's
 * strconv.ParseUint(s, 0, 64) reads them (`0x10`, `0o17`, `0b101`, `1_000`);
 * the last value of a repeated flag wins. Positional words are accepted and
 * ignored anywhere, as is everything after `--`, and so is the rest of a
 * short-flag word from `test.` on (`-test.v`, `-ntest.v`). `--help`/`-h`,
 * `--version`/`-v` and cobra's completion commands (`completion`,
 * `__complete`) make vfkit print text instead of running a VM: they are
 * refused with ::VF_ERR_INVALID. `--gui` does what vfkit does: adds an
 * 800x600 GPU when there is none and a keyboard when there is no input
 * device, then marks the first GPU `uses_gui`. `--restful-uri`,
 * `--log-level` and `--cloud-init` are checked as vfkit checks them before
 * starting (every cloud-init file is opened, ::VF_ERR_IO when one cannot
 * be, and one must be named `user-data` or `meta-data`); the pid file is
 * only recorded.
 * NULL on error. Caller frees with vf_vm_free().
 */
VF_EXTERN vf_vm *vf_vm_from_cmdline(const char *const *args, vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_VM_H */
