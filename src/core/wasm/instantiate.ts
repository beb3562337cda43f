/**
 * Instantiation of the library's embedded WebAssembly modules (no imports), shared by the GEMM, gather,
 * tridiagonalisation and matrix-vector kernels. Browser-safe.
 * @module
 */

/**
 * Compile and instantiate a module of `bytes` with no imports and return its exports typed as `T`, or
 * null when the engine has no WebAssembly or refuses the module (e.g. a CompileError without SIMD), so
 * that the caller falls back to its TypeScript kernels. Synchronous; cost: one compilation (callers cache
 * the result).
 */
export function instantiateWasm<T>(bytes: Uint8Array): T | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return null;
  try {
    const module = new WebAssembly.Module(bytes as BufferSource);
    return new WebAssembly.Instance(module, {}).exports as unknown as T;
  } catch {
    return null;
  }
}
