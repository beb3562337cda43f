/**
 * Loader of the WebAssembly SIMD kernels of the Householder tridiagonalisation (./tridiagonal.wat):
 * the lower-triangle symmetric matrix-vector product and the panel corrections of LAPACK dlatrd, which
 * run on data the caller keeps in the module's own memory (internal: not exported from the package).
 * The module (about 2 kB) is compiled synchronously from embedded bytes on first use: its build with a
 * shared memory where the engine allows one (its buffer is then a SharedArrayBuffer, so a threaded GEMM
 * can work on the data in place), else the same code with a plain memory.
 * @module
 */
import { base64Decode } from '../../base64.js';
import { instantiateWasm } from '../../wasm/instantiate.js';
import { tridiagonalSharedWasmBase64, tridiagonalWasmBase64 } from './tridiagonal.wasm.generated.js';

/** The module's exports; pointers and leading dimensions in bytes (see tridiagonal.wat). */
export interface TridiagonalWasmExports {
  readonly memory: WebAssembly.Memory;
  /** p[0 .. mt) = S v, S at `a` (row stride `lda` bytes), lower triangle read. */
  readonly symv_lower: (mt: number, a: number, lda: number, v: number, p: number) => void;
  /** out[j] -= sum_{r < q} (cv[r] V_r[j] + cw[r] W_r[j]), j < len. */
  readonly panel_sub: (
    out: number,
    len: number,
    vt: number,
    wt: number,
    ld: number,
    q: number,
    cv: number,
    cw: number,
  ) => void;
  /** dw[r] = W_r . x, dv[r] = V_r . x over len elements, r < q. */
  readonly panel_dots: (
    vt: number,
    wt: number,
    ld: number,
    q: number,
    x: number,
    len: number,
    dw: number,
    dv: number,
  ) => void;
}

let cache: TridiagonalWasmExports | null | undefined;
let view: Float64Array = new Float64Array(0);

/** The instantiated module (once), or null without WebAssembly SIMD. */
function load(): TridiagonalWasmExports | null {
  // null without SIMD (CompileError) or WebAssembly: the TypeScript kernels are used
  if (cache === undefined) {
    // the shared build needs SharedArrayBuffer (in a browser, a cross-origin isolated page)
    const shared =
      typeof SharedArrayBuffer === 'function'
        ? instantiateWasm<TridiagonalWasmExports>(base64Decode(tridiagonalSharedWasmBase64))
        : null;
    cache = shared ?? instantiateWasm<TridiagonalWasmExports>(base64Decode(tridiagonalWasmBase64));
  }
  return cache;
}

/** True if this engine compiled the tridiagonalisation module (checked once, then cached). */
export function tridiagonalWasmAvailable(): boolean {
  return load() !== null;
}

/**
 * The module and a Float64Array view of its memory holding at least `doubles` elements (from byte 0),
 * or null if the module is unavailable or its memory cannot grow that far. The view stays valid until
 * the next call (which may grow the memory). Cost O(1) unless the memory grows.
 */
export function tridiagonalWasm(
  doubles: number,
): { exports: TridiagonalWasmExports; mem: Float64Array } | null {
  const exp = load();
  if (exp === null) return null;
  const bytes = doubles * 8;
  const memory = exp.memory;
  const have = memory.buffer.byteLength;
  if (have < bytes) {
    try {
      memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
  return { exports: exp, mem: view };
}
