/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file bootloader.h
 * @brief How the VM boots: a Linux kernel, EFI, or macOS.
 *
 * Every bootloader struct starts with a ::vf_bootloader whose `kind` tells
 * the type; use the checked casts to reach the typed struct.
 */
#ifndef VFCONFIG_BOOTLOADER_H
#define VFCONFIG_BOOTLOADER_H

#include "common.h"
#include "options.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The bootloader kinds: the one list from which ::vf_bootloader_kind,
 * ::VF_BOOTLOADER_KIND_COUNT and the checked casts are made. `XX(KIND, name)`
 * gives the enum suffix and the struct `vf_NAME_bootloader`, reached with
 * `vf_bootloader_as_NAME()` and `vf_bootloader_as_NAME_const()`:
 * LINUX (direct kernel boot: `--kernel`, `--initrd`, `--kernel-cmdline`),
 * EFI (`--bootloader efi,...`), MACOS (`--bootloader macos,...`).
 */
#define VF_BOOTLOADER_KIND_MAP(XX) \
    XX(LINUX, linux)               \
    XX(EFI, efi)                   \
    XX(MACOS, macos)

/** @cond INTERNAL */
#define VF__BOOTLOADER_KIND_ENUM(K, T) VF_BOOTLOADER_##K,
#define VF__BOOTLOADER_KIND_ONE(K, T) +1
/** @endcond */

/** Bootloader types (see ::VF_BOOTLOADER_KIND_MAP). */
typedef enum vf_bootloader_kind {
    VF_BOOTLOADER_KIND_MAP(VF__BOOTLOADER_KIND_ENUM)
} vf_bootloader_kind;

/** Number of ::vf_bootloader_kind values. */
#define VF_BOOTLOADER_KIND_COUNT (0 VF_BOOTLOADER_KIND_MAP(VF__BOOTLOADER_KIND_ONE))

/** Common head of every bootloader struct. */
typedef struct vf_bootloader {
    vf_bootloader_kind kind; /**< Which bootloader struct this is the head of. */
} vf_bootloader;

/** Boots a Linux kernel directly (Go: LinuxBootloader). */
typedef struct vf_linux_bootloader {
    vf_bootloader base;   /**< Common head; `kind` is `VF_BOOTLOADER_LINUX`. */
    char *vmlinuz_path;   /**< Kernel image; uncompressed on arm64. */
    char *kernel_cmdline; /**< Kernel command line. */
    char *initrd_path;    /**< Initial ramdisk. */
} vf_linux_bootloader;

/** Boots through EFI (Go: EFIBootloader). */
typedef struct vf_efi_bootloader {
    vf_bootloader base;            /**< Common head; `kind` is `VF_BOOTLOADER_EFI`. */
    char *efi_variable_store_path; /**< File holding the EFI variables. */
    bool create_variable_store;    /**< Create the store file if it does not exist. */
} vf_efi_bootloader;

/** Boots a macOS guest (Go: MacOSBootloader). */
typedef struct vf_macos_bootloader {
    vf_bootloader base;            /**< Common head; `kind` is `VF_BOOTLOADER_MACOS`. */
    char *machine_identifier_path; /**< File holding the VM's machine identifier. */
    char *hardware_model_path; /**< File holding the hardware model the guest was installed for. */
    char *aux_image_path;      /**< The guest's auxiliary storage (NVRAM) image. */
} vf_macos_bootloader;

/** New Linux bootloader; strings are copied (NULL reads as ""). NULL on allocation failure. */
VF_EXTERN vf_linux_bootloader *vf_linux_bootloader_new(const char *vmlinuz_path,
                                                       const char *kernel_cmdline,
                                                       const char *initrd_path);
/** New EFI bootloader; the path is copied. NULL on allocation failure. */
VF_EXTERN vf_efi_bootloader *vf_efi_bootloader_new(const char *efi_variable_store_path,
                                                   bool create_variable_store);
/** New macOS bootloader; strings are copied. NULL on allocation failure. */
VF_EXTERN vf_macos_bootloader *vf_macos_bootloader_new(const char *machine_identifier_path,
                                                       const char *hardware_model_path,
                                                       const char *aux_image_path);

/** An empty bootloader of @p kind, ready for vf_bootloader_apply_options(). */
VF_EXTERN vf_bootloader *vf_bootloader_new(vf_bootloader_kind kind);

/** Frees any bootloader and its strings. NULL is a no-op. */
VF_EXTERN void vf_bootloader_free(vf_bootloader *bl);

/** Deep copy; NULL on allocation failure. Caller frees with vf_bootloader_free(). */
VF_EXTERN vf_bootloader *vf_bootloader_clone(const vf_bootloader *bl);

/** @cond INTERNAL */
#define VF__BOOTLOADER_KIND_CASTS(K, T)                                     \
    VF_EXTERN vf_##T##_bootloader *vf_bootloader_as_##T(vf_bootloader *bl); \
    VF_EXTERN const vf_##T##_bootloader *vf_bootloader_as_##T##_const(const vf_bootloader *bl);
/** @endcond */

/**
 * @name Checked casts
 * `vf_bootloader_as_linux()`, `vf_bootloader_as_efi()`,
 * `vf_bootloader_as_macos()` and their `_const` twins: @p bl as its struct
 * when it is a bootloader of that kind, NULL otherwise (NULL included).
 * @{
 */
VF_BOOTLOADER_KIND_MAP(VF__BOOTLOADER_KIND_CASTS)
/** @} */

/** The word vfkit uses for @p kind ("linux", "efi", "macos"), or NULL. */
VF_EXTERN const char *vf_bootloader_kind_name(vf_bootloader_kind kind);

/**
 * Parses the value of vfkit's `--bootloader` flag ("efi,variable-store=...",
 * "linux,kernel=...", "macos,..."), split the way vfkit's flag splits it
 * (quote-aware, surrounding quotes trimmed). Caller frees the result with
 * vf_bootloader_free(); NULL on error, with the option and value in @p err.
 */
VF_EXTERN vf_bootloader *vf_bootloader_from_cmdline(const char *value, vf_error *err);

/** Applies options to @p bl as Go's FromOptions does; 0 or a negative ::vf_status. */
VF_EXTERN int vf_bootloader_apply_options(vf_bootloader *bl, const vf_option *opts, size_t n,
                                          vf_error *err);

/**
 * vfkit arguments for @p bl: `--kernel K --initrd I --kernel-cmdline C`,
 * `--bootloader efi,...` or `--bootloader macos,...` (empty macOS paths are
 * left out). Fails when a required field is empty, or (::VF_ERR_AMBIGUOUS)
 * when vfkit's quote-aware split would read a `--bootloader` value back
 * differently: a `,` outside double quotes or an unmatched `"`.
 * Free with vf_strv_free().
 */
VF_EXTERN char **vf_bootloader_to_cmdline(const vf_bootloader *bl, vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_BOOTLOADER_H */
