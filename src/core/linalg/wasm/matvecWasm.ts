/**
 * The WebAssembly SIMD matrix-vector products (matvec.wat) of the blocked bidiagonalisation and of the QR
 * panels: the caller places the matrix and its vectors in the module's memory through {@link matvecWorkspace} for the whole
 * reduction, so no data is copied per product. The module (compiled synchronously from embedded bytes on
 * first use) is optional: without WebAssembly SIMD, or when the memory cannot grow, the caller keeps its
 * TypeScript loops.
 * @module
 */
import { base64Decode } from '../../base64.js';
import { instantiateWasm } from '../../wasm/instantiate.js';
import { matvecWasmBase64 } from './matvec.wasm.generated.js';

/** The exports of matvec.wat; pointers are byte addresses into `memory`, `lda` a row stride in bytes. */
export interface MatvecExports {
  readonly memory: WebAssembly.Memory;
  /** y[r] = sum_i a[r lda + i] x[i] for r < rows, i < len. */
  readonly dot_rows: (a: number, lda: number, rows: number, len: number, x: number, y: number) => void;
  /** x[i] += sum_r w[r] a[r lda + i] for i < len, r < rows (four rows per pass, in order). */
  readonly axpy_rows: (a: number, lda: number, rows: number, len: number, w: number, x: number) => void;
  /** a[r lda + i] += w[r] x[i] for r < rows, i < len (rank-one update of contiguous rows). */
  readonly ger_rows: (a: number, lda: number, rows: number, len: number, w: number, x: number) => void;
}

/** Largest workspace handed out, in doubles (256 MB; the module's memory is capped at 512 MB). */
const MAX_DOUBLES = 32 * 1024 * 1024;

let cache: MatvecExports | null | undefined;

/** The embedded module's bytes (for the reproducibility test). */
export function matvecWasmBytes(): Uint8Array {
  return base64Decode(matvecWasmBase64);
}

/** The compiled module, or null without WebAssembly SIMD (checked once, then cached). */
export function matvecWasm(): MatvecExports | null {
  if (cache === undefined) cache = instantiateWasm<MatvecExports>(matvecWasmBytes());
  return cache;
}

/**
 * A view of `length` doubles at the start of the module's memory (contents unspecified), growing the
 * memory as needed; null if the module is unavailable, `length` is above 32 Mi doubles or the engine
 * refuses to grow. The view is valid until the next call (a later growth detaches it).
 */
export function matvecWorkspace(length: number): Float64Array | null {
  const exp = matvecWasm();
  if (!exp || length > MAX_DOUBLES) return null;
  const memory = exp.memory;
  const bytes = length * 8;
  const have = memory.buffer.byteLength;
  if (have < bytes) {
    try {
      memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  return new Float64Array(memory.buffer, 0, length);
}
