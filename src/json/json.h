/*
 * libvfconfig - the JSON modules' shared declarations.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_JSON_JSON_H
#define VFCONFIG_JSON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfconfig/vfconfig.h"

/* parse.c: JSON read by Go's encoding/json rules into a tree held in
 * one arena. Numbers keep their literal text, so each field can apply
 * Go's exact range rules; members keep document order and duplicates. */
typedef enum vf__json_type {
    VF__JSON_NULL,
    VF__JSON_FALSE,
    VF__JSON_TRUE,
    VF__JSON_NUMBER,
    VF__JSON_STRING,
    VF__JSON_ARRAY,
    VF__JSON_OBJECT
} vf__json_type;

typedef struct vf__json_node vf__json_node;
/* 48 bytes on a 64-bit system: lengths fit 32 bits, as no input is larger
 * than VF_MAX_INPUT_BYTES. */
struct vf__json_node {
    const char *key;      /* member name, decoded; NULL in an array */
    const char *text;     /* string: decoded bytes (may hold NUL); number: literal */
    vf__json_node *first; /* children, when the container's shape keeps them */
    vf__json_node *next;
    uint32_t key_len;
    uint32_t len;
    uint32_t count; /* number of children kept */
    vf__json_type type;
};

typedef struct vf__json_chunk vf__json_chunk;
typedef struct vf__json_doc {
    vf__json_chunk *chunks;
    vf__json_node *root;
} vf__json_doc;

/* shape.c: what the readers read, so that the parser (and the jansson
 * conversion) build nodes for that and nothing else. A value the readers
 * never look at is checked for syntax, as Go checks it, and costs no
 * memory: reading costs memory in proportion to what is kept. */
typedef enum vf__json_shape {
    VF__JSON_SHAPE_NONE,       /* not read: no node */
    VF__JSON_SHAPE_SCALAR,     /* a node; a container stays empty (only its type is read) */
    VF__JSON_SHAPE_VM,         /* object: the VM's top level, its keys matched exactly */
    VF__JSON_SHAPE_COMPONENT,  /* object: a device, bootloader, timesync or Ignition config */
    VF__JSON_SHAPE_COMPONENTS, /* array of components ("devices") */
    VF__JSON_SHAPE_STRINGS     /* array of strings ("cloudInit") */
} vf__json_shape;

/* Kept containers nest at most this deep (the VM, its devices, a device). */
#define VF__JSON_KEPT_LEVELS 3

/* The shape of the member key (len bytes, decoded) of an object of shape
 * object; VF__JSON_SHAPE_NONE when no reader looks at it. */
vf__json_shape vf__json_member_shape(vf__json_shape object, const char *key, size_t len);
/* The shape of the elements of an array of shape array. */
vf__json_shape vf__json_element_shape(vf__json_shape array);
/* True when a container of type under shape keeps its children. */
bool vf__json_shape_holds(vf__json_shape shape, vf__json_type type);
/* True when element, complete, of an array of shape array is one its reader
 * is sure to refuse (a device that is not an object or has no member a
 * reader knows, so no "kind"; a file name that is not a string): the
 * reader stops there, so the elements after it need no node. */
bool vf__json_element_ends(vf__json_shape array, const vf__json_node *element);

/* encoding/json's match of a JSON key against an ASCII field name (shape.c). */
bool vf__json_key_folds_to(const char *key, size_t len, const char *name);

/* Parses len bytes into a tree of the values a reader of the root's shape
 * (VM or COMPONENT) reads; a syntax error names line and column. On
 * success release doc with vf__json_doc_release (strings may point into
 * text). */
int vf__json_parse(const char *text, size_t len, vf__json_shape root, vf__json_doc *doc,
                   vf_error *err);
void vf__json_doc_release(vf__json_doc *doc);
/* Memory that lives as long as doc (aligned for a vf__json_node). */
void *vf__json_doc_alloc(vf__json_doc *doc, size_t size);

/* write.c: one walk over the field tables feeds a sink, which makes
 * Go's bytes (write.c) or jansson values (value.c). A sink
 * records its own failure; the walk's return covers invalid input only. */
typedef struct vf__json_sink vf__json_sink;
struct vf__json_sink {
    void (*open)(vf__json_sink *sink, bool object);
    void (*close)(vf__json_sink *sink, bool object);
    void (*key)(vf__json_sink *sink, const char *name);
    void (*string)(vf__json_sink *sink, const char *s); /* NULL writes "" */
    void (*boolean)(vf__json_sink *sink, bool value);
    void (*number)(vf__json_sink *sink, uint64_t magnitude, bool negative);
    void (*null)(vf__json_sink *sink);
    /* Set by the sink's maker: with lossy_utf8 a string that is not valid
     * UTF-8 is written as Go writes it (U+FFFD for each bad byte); without,
     * the walk refuses it, the first refusal in refused and err. */
    bool lossy_utf8;
    int refused;
    vf_error *err;
};
int vf__json_emit_vm(vf__json_sink *sink, const vf_vm *vm, vf_error *err);
int vf__json_emit_device(vf__json_sink *sink, const vf_device *dev, vf_error *err);
int vf__json_emit_bootloader(vf__json_sink *sink, const vf_bootloader *bl, vf_error *err);

/* The VM's top-level keys, which the reader matches exactly (as Go's
 * reader does at that level) and the writer writes: the Go package's, then
 * the library's own launch flags (docs/design.md, difference 7), then
 * "nested", which the Go package writes but does not read (difference 8),
 * and krunkit's own flags (launcher.h). */
#define VF__VM_JSON_KEYS(XX)           \
    XX(VCPUS, "vcpus")                 \
    XX(MEMORY, "memoryBytes")          \
    XX(BOOTLOADER, "bootloader")       \
    XX(DEVICES, "devices")             \
    XX(TIMESYNC, "timesync")           \
    XX(IGNITION, "ignition")           \
    XX(RESTFUL_URI, "restfulURI")      \
    XX(LOG_LEVEL, "logLevel")          \
    XX(PIDFILE, "pidFile")             \
    XX(CLOUD_INIT, "cloudInit")        \
    XX(NESTED, "nested")               \
    XX(KRUN_LOG_LEVEL, "krunLogLevel") \
    XX(LOG_FILE, "logFile")            \
    XX(OEM_STRINGS, "oemStrings")      \
    XX(FIRMWARE_PATH, "firmwarePath")  \
    XX(KRUNKIT_GUI, "krunkitGui")

#define VF__VM_KEY_ENUM(K, name) VF__VM_KEY_##K,
enum vf__vm_json_key { VF__VM_JSON_KEYS(VF__VM_KEY_ENUM) VF__VM_KEY_COUNT };
#undef VF__VM_KEY_ENUM
/* The names, indexed by enum vf__vm_json_key (write.c). */
extern const char *const vf__vm_json_keys[VF__VM_KEY_COUNT];

/* Writing a VM, a device or a bootloader through one signature, for the
 * callers that pick one of the three (write.c, value.c). */
int vf__json_emit_vm_any(vf__json_sink *sink, const void *vm, vf_error *err);
int vf__json_emit_device_any(vf__json_sink *sink, const void *dev, vf_error *err);
int vf__json_emit_bootloader_any(vf__json_sink *sink, const void *bl, vf_error *err);

/* read.c: the readers over a tree (from vf__json_parse, or made
 * from jansson values by value.c). */
/* flags: VF_JSON_ALLOW_FD or 0. */
vf_vm *vf__vm_from_json_node(const vf__json_node *root, unsigned flags, vf_error *err);
vf_device *vf__device_from_json_node(const vf__json_node *root, unsigned flags, vf_error *err);
vf_bootloader *vf__bootloader_from_json_node(const vf__json_node *root, vf_error *err);

#endif /* VFCONFIG_JSON_JSON_H */
