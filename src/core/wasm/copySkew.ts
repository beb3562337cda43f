/**
 * Placement of module-side copies that are copied back out to JavaScript arrays. Browser-safe.
 * @module
 */

/**
 * The byte offset (a multiple of 16 below 4096) at which to put, past a page-aligned address of a
 * module's memory, the copy of the elements of `dst` from `index` on that will be copied back into
 * `dst`: half a page away from them modulo 4096 bytes, if `dst`'s buffer starts on a page (large
 * buffers do). On x86 a copy between addresses equal modulo 4096 suffers 4K aliasing: copying a module
 * region at a page boundary out to a 1.5 MB Float32Array took 1.4 ns per element instead of 0.11 here.
 */
export function copySkew(dst: ArrayBufferView, index = 0): number {
  const bytesPer = (dst as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  return (dst.byteOffset + index * bytesPer + 2048) & 4080;
}
