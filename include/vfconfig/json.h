/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file json.h
 * @brief vfkit's VM JSON, as the Go package writes and reads it.
 *
 * Output uses the Go package's keys, field order and omitted-when-empty
 * rules, and Go's string escaping, so the bytes match encoding/json's.
 * Input follows encoding/json: keys of a component match case-insensitively,
 * unknown keys are ignored, `null` leaves a field unset, a wrong type or an
 * out-of-range number is an error that names the key.
 *
 * The `*_value` variants give or take a jansson `json_t` for programs that
 * already use jansson; include <jansson.h> to use them.
 */
#ifndef VFCONFIG_JSON_H
#define VFCONFIG_JSON_H

#include "bootloader.h"
#include "common.h"
#include "device.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** jansson's value type (declared here so this header does not need jansson.h). */
struct json_t;

/** Flags for the `*_to_json_ex` functions. */
#define VF_JSON_COMPACT 0x0u /**< One line, no spaces (the default, as Go's json.Marshal). */
#define VF_JSON_PRETTY 0x1u  /**< Indented by two spaces, one key a line. */
/**
 * Writes a string that is not valid UTF-8 as Go's encoding/json does, each
 * invalid byte as U+FFFD, so a path saved this way names another file.
 * Without this flag such a VM (device, bootloader) is refused with
 * ::VF_ERR_INVALID naming the field; the `*_to_json_value` functions
 * always refuse it.
 */
#define VF_JSON_LOSSY_UTF8 0x2u

/**
 * Flag for the `*_from_json_ex` and `*_from_json_value_ex` readers: accept a
 * virtio-net `"fd"`. A descriptor number means something only in the
 * process that saved it, so every other reader refuses it: read from a
 * file, `"fd": 2` would hand vfkit the reader's own stderr. Pass it only
 * for JSON this process saved, with the descriptor still open.
 */
#define VF_JSON_ALLOW_FD 0x2u

/** The VM as compact JSON. Caller frees with free(). NULL on error. */
VF_EXTERN char *vf_vm_to_json(const vf_vm *vm, vf_error *err);
/** The VM as JSON with ::VF_JSON_PRETTY or ::VF_JSON_COMPACT. Caller frees with free(). */
VF_EXTERN char *vf_vm_to_json_ex(const vf_vm *vm, unsigned flags, vf_error *err);
/**
 * Reads a VM from NUL-terminated JSON. A syntax error gives its line and
 * column. Caller frees with vf_vm_free(); NULL on error.
 *
 * As the Go package reads a VM: its top-level keys match by exact name
 * (a repeated one keeps its last value), `null` as a whole is an empty VM,
 * `"nested"` is not read, and an `"ignition"` that cannot be read is left
 * out without an error. A `"socket"` on virtio-net is refused (the Go
 * package crashes on it later), and so is an `"fd"` (see ::VF_JSON_ALLOW_FD
 * and vf_vm_from_json_ex()). The vfkit
 * flags the VM keeps read from `"restfulURI"`, `"logLevel"`, `"pidFile"`
 * and `"cloudInit"`, keys the Go package ignores.
 */
VF_EXTERN vf_vm *vf_vm_from_json(const char *json, vf_error *err);
/** As vf_vm_from_json() for @p len bytes that need not be NUL-terminated. */
VF_EXTERN vf_vm *vf_vm_from_json_buffer(const char *json, size_t len, vf_error *err);
/**
 * As vf_vm_from_json(), with @p flags: 0 or ::VF_JSON_ALLOW_FD, which
 * reads a virtio-net `"fd"` into vf_virtio_net::socket_fd (for JSON this
 * process saved). Caller frees with vf_vm_free(); NULL on error.
 */
VF_EXTERN vf_vm *vf_vm_from_json_ex(const char *json, unsigned flags, vf_error *err);

/** One device as JSON (with its `kind`). Caller frees with free(). */
VF_EXTERN char *vf_device_to_json(const vf_device *dev, unsigned flags, vf_error *err);
/** One device from JSON (an `"fd"` is refused). Caller frees with vf_device_free(). */
VF_EXTERN vf_device *vf_device_from_json(const char *json, vf_error *err);
/** As vf_device_from_json(), with @p flags 0 or ::VF_JSON_ALLOW_FD. */
VF_EXTERN vf_device *vf_device_from_json_ex(const char *json, unsigned flags, vf_error *err);
/** A bootloader as JSON. Caller frees with free(). */
VF_EXTERN char *vf_bootloader_to_json(const vf_bootloader *bl, unsigned flags, vf_error *err);
/** A bootloader from JSON. Caller frees with vf_bootloader_free(). */
VF_EXTERN vf_bootloader *vf_bootloader_from_json(const char *json, vf_error *err);
/** A timesync as JSON. Caller frees with free(). */
VF_EXTERN char *vf_timesync_to_json(const vf_timesync *ts, unsigned flags, vf_error *err);
/** A timesync from JSON. Caller frees with vf_timesync_free(). */
VF_EXTERN vf_timesync *vf_timesync_from_json(const char *json, vf_error *err);
/** An Ignition config as JSON. Caller frees with free(). */
VF_EXTERN char *vf_ignition_to_json(const vf_ignition *ign, unsigned flags, vf_error *err);
/** An Ignition config from JSON. Caller frees with vf_ignition_free(). */
VF_EXTERN vf_ignition *vf_ignition_from_json(const char *json, vf_error *err);

/** The VM as a new jansson value (a new reference: json_decref() it). NULL on error. */
VF_EXTERN struct json_t *vf_vm_to_json_value(const vf_vm *vm, vf_error *err);
/** Reads a VM from a jansson value (borrowed), as vf_vm_from_json() (an `"fd"` is refused). Caller frees with vf_vm_free(). */
VF_EXTERN vf_vm *vf_vm_from_json_value(const struct json_t *value, vf_error *err);
/** As vf_vm_from_json_value(), with @p flags 0 or ::VF_JSON_ALLOW_FD. */
VF_EXTERN vf_vm *vf_vm_from_json_value_ex(const struct json_t *value, unsigned flags,
                                          vf_error *err);
/** A device as a new jansson value (json_decref() it). */
VF_EXTERN struct json_t *vf_device_to_json_value(const vf_device *dev, vf_error *err);
/** A device from a jansson value (borrowed), an `"fd"` refused. Caller frees with vf_device_free(). */
VF_EXTERN vf_device *vf_device_from_json_value(const struct json_t *value, vf_error *err);
/** As vf_device_from_json_value(), with @p flags 0 or ::VF_JSON_ALLOW_FD. */
VF_EXTERN vf_device *vf_device_from_json_value_ex(const struct json_t *value, unsigned flags,
                                                  vf_error *err);
/** A bootloader as a new jansson value (json_decref() it). */
VF_EXTERN struct json_t *vf_bootloader_to_json_value(const vf_bootloader *bl, vf_error *err);
/** A bootloader from a jansson value (borrowed). Caller frees with vf_bootloader_free(). */
VF_EXTERN vf_bootloader *vf_bootloader_from_json_value(const struct json_t *value, vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_JSON_H */
