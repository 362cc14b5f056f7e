/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file common.h
 * @brief Export macro, status codes, the error record and string vectors.
 *
 * Conventions used by every header of the library:
 *
 * - A function that can fail returns an `int` (0, or a negative ::vf_status)
 *   or a pointer (NULL on failure) and fills the optional caller-owned
 *   ::vf_error passed as its last argument (NULL is allowed).
 * - What a `*_new`, `*_from_*` or `*_to_*` function returns belongs to the
 *   caller, who releases it with the matching `*_free` (NULL is a no-op).
 * - Functions that take a component (`vf_vm_add_device`, `vf_vm_new`, ...)
 *   take ownership of it, also when they fail.
 * - Strings stored in structs are owned copies made with the library's
 *   allocator, which is malloc(); a NULL string field reads as the empty
 *   string. A string a program stores in a field itself must come from
 *   malloc() or strdup(): the library releases it with free().
 * - The library keeps no global state: every function may be called from any
 *   thread on distinct objects.
 */
#ifndef VFCONFIG_COMMON_H
#define VFCONFIG_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
#if defined(VFCONFIG_STATIC)
#define VF_EXTERN
#elif defined(__GNUC__) || defined(__clang__)
#define VF_EXTERN __attribute__((visibility("default")))
#else
#define VF_EXTERN
#endif
/** @endcond */

/** Status codes: 0 is success, every error is negative. */
typedef enum vf_status {
    VF_OK = 0,               /**< Success. */
    VF_ERR_INVALID = -1,     /**< An option, value or argument is not valid. */
    VF_ERR_NOMEM = -2,       /**< An allocation failed. */
    VF_ERR_AMBIGUOUS = -3,   /**< vfkit would read the printed value back as something else. */
    VF_ERR_JSON = -4,        /**< JSON syntax error, wrong type or out-of-range number. */
    VF_ERR_IO = -5,          /**< A file could not be opened or read. */
    VF_ERR_SYSTEM = -6,      /**< An operating-system call failed (spawn, descriptors). */
    VF_ERR_UNSUPPORTED = -7, /**< Not available in this build or on this platform. */
    VF_ERR_LIMIT = -8,       /**< An input is larger than the documented limits. */
    VF_ERR_REST = -9,        /**< A REST request failed or was refused (see rest.h). */
    VF_ERR_TIMEOUT = -10,    /**< A deadline passed. */
    VF_ERR_EXITED =
        -11 /**< The launcher process has exited, or a pid no longer runs it (process.h). */
} vf_status;

/** Size of vf_error::text, terminating NUL included. */
#define VF_ERROR_TEXT_LENGTH 256

/** Size of vf_error::location, terminating NUL included. */
#define VF_ERROR_LOCATION_LENGTH 128

/**
 * Caller-owned error record, filled by a failing function.
 *
 * `text` is a message for people, in the shape `<where>: <reason>: "<value>"`:
 * the field first, then what is wrong, the value last and quoted, so that a
 * message cut to fit keeps its reason. A value longer than the room left is
 * cut between two characters and ends with `...`; inside a quoted value
 * double quotes and backslashes are escaped with a backslash, and control bytes and bytes
 * that are not UTF-8 show as `\xNN`: the text is always valid UTF-8.
 *
 * `location` is for programs: the path of the field or key at fault, in the
 * names of the input that was read, or "" when no field is to blame (a JSON
 * syntax error, an allocation failure, a failed system call):
 * - JSON readers: keys and array indexes, `devices[2].sharedDir`,
 *   `bootloader.efiVariableStorePath`, `vcpus`, `cloudInit[1]`;
 * - vf_vm_from_cmdline(): the flag by its long name, `--cpus`, the option
 *   key inside a flag's value, `--bootloader.variable-store`,
 *   `--timesync.vsockPort`, the `--device` flags counted from 0,
 *   `--device[1].path`, the items of a list flag, `--cloud-init[1]`, and a
 *   word that is no flag by its index in the arguments, `args[0]`;
 *   vf_vm_from_cmdline_for() with krunkit's dialect names them the same way;
 * - readers of one value (vf_device_from_cmdline(), the apply_options
 *   functions): the option key, `path`, or "" for the device type;
 *   vf_bootloader_from_cmdline() names its flag, `--bootloader.create`;
 * - printing (vf_vm_to_cmdline(), vf_vm_cmd()) and JSON writing: the JSON
 *   path of the field that cannot be printed, `devices[2].sharedDir`;
 * - vf_cmd_spawn(): the descriptor, `fds[1]`, `stdin_fd`.
 * Both strings are NUL-terminated and cut to fit in the same way.
 */
typedef struct vf_error {
    vf_status code;                          /**< A negative ::vf_status. */
    char text[VF_ERROR_TEXT_LENGTH];         /**< What went wrong, NUL-terminated. */
    char location[VF_ERROR_LOCATION_LENGTH]; /**< Path of the field at fault, or
                                              "". */
} vf_error;

/** Returns a static English name for a ::vf_status ("invalid value", ...). */
VF_EXTERN const char *vf_status_string(int code);

/**
 * Frees a NULL-terminated string vector returned by the library (an argv).
 * The vector is one allocation: never free its strings one by one.
 */
VF_EXTERN void vf_strv_free(char **strv);

/** Number of strings before the terminating NULL of @p strv (0 for NULL). */
VF_EXTERN size_t vf_strv_length(char *const *strv);

/**
 * Largest input the parsers accept, in bytes: a JSON document, one
 * `--device` or `--bootloader` value, or one string field. Larger inputs are
 * refused with ::VF_ERR_LIMIT; work stays linear in the input size.
 * Counts have no limit of their own (a VM may have 100,000 devices), and
 * JSON nested deeper than 10,000 levels (Go's limit) is refused with
 * ::VF_ERR_JSON.
 */
#define VF_MAX_INPUT_BYTES (256u * 1024u * 1024u)

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_COMMON_H */
