/**
 * Instantiation of the library's embedded WebAssembly modules, shared by the GEMM, gather,
 * tridiagonalisation, matrix-vector and sigmoid kernels. Browser-safe.
 * @module
 */

/**
 * Compile and instantiate a module of `bytes` (with `imports`, default none) and return its exports typed as `T`, or
 * null when the engine has no WebAssembly or refuses the module (e.g. a CompileError without SIMD), so
 * that the caller falls back to its TypeScript kernels. Synchronous; cost: one compilation (callers cache
 * the result).
 */
export function instantiateWasm<T>(bytes: Uint8Array, imports: WebAssembly.Imports = {}): T | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return null;
  try {
    const module = new WebAssembly.Module(bytes as BufferSource);
    return new WebAssembly.Instance(module, imports).exports as unknown as T;
  } catch {
    return null;
  }
}
