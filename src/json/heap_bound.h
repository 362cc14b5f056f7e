/*
 * libvfconfig - the heap a JSON read may take (src/json/shape.c says why).
 * SPDX-License-Identifier: Apache-2.0
 *
 * vf_vm_from_json() and its siblings take at most VF__JSON_KEPT_PER_BYTE
 * bytes of heap per input byte beyond the VM they return, plus
 * VF__JSON_FIXED_BYTES whatever the input (the parser's state, one arena
 * chunk). tests/test_json_memory.c, the JSON fuzz target and vfbench hold
 * the reader to it.
 */
#ifndef VFCONFIG_JSON_HEAP_BOUND_H
#define VFCONFIG_JSON_HEAP_BOUND_H

#define VF__JSON_FIXED_BYTES (64 * 1024)
#define VF__JSON_KEPT_PER_BYTE 18

#endif
