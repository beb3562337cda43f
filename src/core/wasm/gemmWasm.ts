/**
 * The WebAssembly SIMD backend of `gemmKernel` (src/core/gemm.ts): packs op(A) and op(B) into the module's
 * memory in the panel layouts of gemm.wat (all four transpose cases are handled here, by the packing), runs
 * the blocked, register-tiled product there and writes `alpha * product + beta * C` back. The module
 * (5.7 kB with the 0/1 gather functions) is compiled synchronously from embedded bytes on first use, in
 * Node and in browsers; its memory grows as needed and is bounded by the chunking below (at most about
 * 22 MB for float64).
 * @module
 */
import { base64Decode } from '../base64.js';
import { StateError } from '../errors.js';
import type { FloatArray } from '../tensor.js';
import { gemmWasmBase64 } from './gemm.wasm.generated.js';
import { instantiateWasm } from './instantiate.js';

type GemmRun = (
  mp: number,
  np: number,
  k: number,
  pa: number,
  pb: number,
  pc: number,
  kc: number,
  mc: number,
  nc: number,
  acc0: number,
  alpha: number,
  beta: number,
) => void;

interface GemmExports {
  readonly memory: WebAssembly.Memory;
  readonly gemm_f32: GemmRun;
  readonly gemm_f64: GemmRun;
}

/**
 * Micro-tiles of gemm.wat: 4 x 8 floats (two f32x4 columns) and 2 x 8 doubles (four f64x2 columns),
 * the fastest shapes that fit V8's 15 vector registers (see gemm.wat). Rows MR, columns NR.
 */
const MR32 = 4;
const MR64 = 2;
const NR32 = 8;
const NR64 = 8;
/** Float64 products pad their columns to a multiple of 4 only: a last panel of 4 takes a 2 x 4 tile. */
const NR64_TAIL = 4;
/** Depth block inside the module (an MR x 256 A panel and a 256 x 8 B panel stay in L1). */
const KC = 256;
/** Row block inside the module. */
const MC = 128;
/**
 * Chunks handed to one call of the module; they bound its memory to
 * M_CHUNK*K_CHUNK + K_CHUNK*N_CHUNK + M_CHUNK*N_CHUNK elements.
 */
const M_CHUNK = 256;
const N_CHUNK = 1024;
const K_CHUNK = 2048;

let exportsCache: GemmExports | null | undefined;
let f32View: Float32Array = new Float32Array(0);
let f64View: Float64Array = new Float64Array(0);

/** The embedded module's bytes (for the reproducibility test). */
export function gemmWasmBytes(): Uint8Array {
  return base64Decode(gemmWasmBase64);
}

function load(): GemmExports | null {
  // null without SIMD (CompileError) or WebAssembly: the TypeScript kernel is used
  if (exportsCache === undefined) exportsCache = instantiateWasm<GemmExports>(gemmWasmBytes());
  return exportsCache;
}

/** True if this engine compiled the WebAssembly SIMD GEMM module (checked once, then cached). */
export function gemmWasmAvailable(): boolean {
  return load() !== null;
}

/** Grow the module memory to at least `bytes`; false if the engine refuses. Refreshes the views. */
function ensureMemory(exp: GemmExports, bytes: number): boolean {
  const memory = exp.memory;
  const have = memory.buffer.byteLength;
  if (have < bytes) {
    try {
      memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return false;
    }
  }
  if (f32View.buffer !== memory.buffer) {
    f32View = new Float32Array(memory.buffer);
    f64View = new Float64Array(memory.buffer);
  }
  return true;
}

const roundUp = (x: number, step: number): number => Math.ceil(x / step) * step;

// The packing loops exist twice, for float32 and float64 (packA32/packA64, ...), so that each copy sees
// one array type and V8 compiles monomorphic element accesses (one shared copy runs several times slower).
// The float32 copies take float32 inputs only; mixed inputs go through the float64 copies.

/** Pack op(A)[i0 : i0+mb, p0 : p0+kb] into `mem` at `dst` (MR-row panels per KC block, zero-padded to mbPad rows). */
function packA32(
  transA: boolean,
  a: Float32Array,
  offA: number,
  lda: number,
  i0: number,
  mb: number,
  mbPad: number,
  p0: number,
  kb: number,
  mem: Float32Array,
  dst: number,
): void {
  let d = dst;
  for (let pb = 0; pb < kb; pb += KC) {
    const kk = Math.min(KC, kb - pb);
    const p1 = p0 + pb;
    for (let ir = 0; ir < mbPad; ir += MR32) {
      if (ir + MR32 <= mb) {
        if (!transA) {
          const r0 = offA + (i0 + ir) * lda + p1;
          const r1 = r0 + lda;
          const r2 = r1 + lda;
          const r3 = r2 + lda;
          for (let p = 0; p < kk; p++) {
            mem[d] = a[r0 + p]!;
            mem[d + 1] = a[r1 + p]!;
            mem[d + 2] = a[r2 + p]!;
            mem[d + 3] = a[r3 + p]!;
            d += 4;
          }
        } else {
          let s = offA + p1 * lda + i0 + ir;
          for (let p = 0; p < kk; p++) {
            mem[d] = a[s]!;
            mem[d + 1] = a[s + 1]!;
            mem[d + 2] = a[s + 2]!;
            mem[d + 3] = a[s + 3]!;
            d += 4;
            s += lda;
          }
        }
      } else {
        for (let p = 0; p < kk; p++) {
          for (let r = 0; r < MR32; r++) {
            const i = ir + r;
            mem[d++] =
              i < mb ? (transA ? a[offA + (p1 + p) * lda + i0 + i]! : a[offA + (i0 + i) * lda + p1 + p]!) : 0;
          }
        }
      }
    }
  }
}

/** Pack op(B)[p0 : p0+kb, j0 : j0+nb] into `mem` at `dst` (NR-column panels per KC block, zero-padded). */
function packB32(
  transB: boolean,
  b: Float32Array,
  offB: number,
  ldb: number,
  p0: number,
  kb: number,
  j0: number,
  nb: number,
  nbPad: number,
  mem: Float32Array,
  dst: number,
): void {
  const nr = NR32;
  let d = dst;
  for (let pb = 0; pb < kb; pb += KC) {
    const kk = Math.min(KC, kb - pb);
    const p1 = p0 + pb;
    for (let jr = 0; jr < nbPad; jr += nr) {
      const w = Math.min(nr, nb - jr);
      if (w === nr && !transB) {
        // full panel: nr contiguous values per depth step
        let s = offB + p1 * ldb + j0 + jr;
        for (let p = 0; p < kk; p++) {
          mem[d + 0] = b[s + 0]!;
          mem[d + 1] = b[s + 1]!;
          mem[d + 2] = b[s + 2]!;
          mem[d + 3] = b[s + 3]!;
          mem[d + 4] = b[s + 4]!;
          mem[d + 5] = b[s + 5]!;
          mem[d + 6] = b[s + 6]!;
          mem[d + 7] = b[s + 7]!;
          d += nr;
          s += ldb;
        }
      } else if (w === nr) {
        // full transposed panel: nr rows of B read side by side, written contiguously
        const s0 = offB + (j0 + jr) * ldb + p1;
        const s1 = s0 + ldb;
        const s2 = s1 + ldb;
        const s3 = s2 + ldb;
        const s4 = s3 + ldb;
        const s5 = s4 + ldb;
        const s6 = s5 + ldb;
        const s7 = s6 + ldb;
        for (let p = 0; p < kk; p++) {
          mem[d + 0] = b[s0 + p]!;
          mem[d + 1] = b[s1 + p]!;
          mem[d + 2] = b[s2 + p]!;
          mem[d + 3] = b[s3 + p]!;
          mem[d + 4] = b[s4 + p]!;
          mem[d + 5] = b[s5 + p]!;
          mem[d + 6] = b[s6 + p]!;
          mem[d + 7] = b[s7 + p]!;
          d += nr;
        }
      } else {
        // the last, partial panel: zero-padded
        for (let p = 0; p < kk; p++) {
          for (let q = 0; q < nr; q++) {
            mem[d + q] =
              q < w
                ? transB
                  ? b[offB + (j0 + jr + q) * ldb + p1 + p]!
                  : b[offB + (p1 + p) * ldb + j0 + jr + q]!
                : 0;
          }
          d += nr;
        }
      }
    }
  }
}

/** Copy the mb x nb chunk of C into `mem` at `dst` (row stride nbPad) for the module to accumulate onto. */
function loadC(
  mem: FloatArray,
  dst: number,
  nbPad: number,
  mb: number,
  nb: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): void {
  for (let i = 0; i < mb; i++) mem.set(c.subarray(offC + i * ldc, offC + i * ldc + nb), dst + i * nbPad);
}

/** Copy the mb x nb result chunk held in `mem` at `src` (row stride nbPad) to C. */
function storeC(
  mem: FloatArray,
  src: number,
  nbPad: number,
  mb: number,
  nb: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): void {
  for (let i = 0; i < mb; i++) c.set(mem.subarray(src + i * nbPad, src + i * nbPad + nb), offC + i * ldc);
}

/** The chunk loops: pack, multiply in WebAssembly, unpack (see {@link gemmWasmTry}). */
function run32(
  exp: GemmExports,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  offA: number,
  lda: number,
  b: Float32Array,
  offB: number,
  ldb: number,
  beta: number,
  c: Float32Array,
  offC: number,
  ldc: number,
  mem: Float32Array,
  aAt: number,
  bAt: number,
  cAt: number,
): void {
  const nr = NR32;
  for (let j0 = 0; j0 < n; j0 += N_CHUNK) {
    const nb = Math.min(N_CHUNK, n - j0);
    const nbPad = roundUp(nb, nr);
    for (let i0 = 0; i0 < m; i0 += M_CHUNK) {
      const mb = Math.min(M_CHUNK, m - i0);
      const mbPad = roundUp(mb, MR32);
      const cChunk = offC + i0 * ldc + j0;
      // the module computes alpha * product + beta * C on a copy of C (read only when beta != 0)
      const preload = beta !== 0;
      if (preload) loadC(mem, cAt, nbPad, mb, nb, c, cChunk, ldc);
      for (let p0 = 0; p0 < k; p0 += K_CHUNK) {
        const kb = Math.min(K_CHUNK, k - p0);
        // B is packed once per column chunk when k fits one depth chunk, else per (row, depth) chunk
        if (k > K_CHUNK || i0 === 0) packB32(transB, b, offB, ldb, p0, kb, j0, nb, nbPad, mem, bAt);
        packA32(transA, a, offA, lda, i0, mb, mbPad, p0, kb, mem, aAt);
        const first = p0 === 0;
        exp.gemm_f32(
          mbPad,
          nbPad,
          kb,
          aAt * 4,
          bAt * 4,
          cAt * 4,
          KC,
          MC,
          nbPad,
          preload || !first ? 1 : 0,
          alpha,
          first ? beta : 1,
        );
      }
      storeC(mem, cAt, nbPad, mb, nb, c, cChunk, ldc);
    }
  }
}

/** Pack op(A)[i0 : i0+mb, p0 : p0+kb] into `mem` at `dst` (MR-row panels per KC block, zero-padded to mbPad rows). */
function packA64(
  transA: boolean,
  a: FloatArray,
  offA: number,
  lda: number,
  i0: number,
  mb: number,
  mbPad: number,
  p0: number,
  kb: number,
  mem: Float64Array,
  dst: number,
): void {
  let d = dst;
  for (let pb = 0; pb < kb; pb += KC) {
    const kk = Math.min(KC, kb - pb);
    const p1 = p0 + pb;
    let ir = 0;
    // two panels at a time (four rows read side by side), then the last panel
    for (; ir + 2 * MR64 <= mb; ir += 2 * MR64) {
      const e = d + MR64 * kk;
      if (!transA) {
        const r0 = offA + (i0 + ir) * lda + p1;
        const r1 = r0 + lda;
        const r2 = r1 + lda;
        const r3 = r2 + lda;
        for (let p = 0; p < kk; p++) {
          const q = MR64 * p;
          mem[d + q] = a[r0 + p]!;
          mem[d + q + 1] = a[r1 + p]!;
          mem[e + q] = a[r2 + p]!;
          mem[e + q + 1] = a[r3 + p]!;
        }
      } else {
        let s = offA + p1 * lda + i0 + ir;
        for (let p = 0; p < kk; p++) {
          const q = MR64 * p;
          mem[d + q] = a[s]!;
          mem[d + q + 1] = a[s + 1]!;
          mem[e + q] = a[s + 2]!;
          mem[e + q + 1] = a[s + 3]!;
          s += lda;
        }
      }
      d = e + MR64 * kk;
    }
    for (; ir < mbPad; ir += MR64) {
      // a single panel (zero-padded past mb)
      const i = i0 + ir;
      const two = ir + 1 < mb;
      for (let p = 0; p < kk; p++) {
        const p2 = p1 + p;
        mem[d] = transA ? a[offA + p2 * lda + i]! : a[offA + i * lda + p2]!;
        mem[d + 1] = two ? (transA ? a[offA + p2 * lda + i + 1]! : a[offA + (i + 1) * lda + p2]!) : 0;
        d += MR64;
      }
    }
  }
}

/**
 * Pack op(B)[p0 : p0+kb, j0 : j0+nb] into `mem` at `dst` (NR-column panels per KC block, zero-padded to
 * nbPad columns, a multiple of 4: a last panel of 4 columns is held 4 wide, for gemm.wat's 2 x 4 tile).
 */
function packB64(
  transB: boolean,
  b: FloatArray,
  offB: number,
  ldb: number,
  p0: number,
  kb: number,
  j0: number,
  nb: number,
  nbPad: number,
  mem: Float64Array,
  dst: number,
): void {
  const nr = NR64;
  let d = dst;
  for (let pb = 0; pb < kb; pb += KC) {
    const kk = Math.min(KC, kb - pb);
    const p1 = p0 + pb;
    for (let jr = 0; jr < nbPad; jr += nr) {
      const w = Math.min(nr, nb - jr);
      if (w === nr && !transB) {
        // full panel: nr contiguous values per depth step
        let s = offB + p1 * ldb + j0 + jr;
        for (let p = 0; p < kk; p++) {
          mem[d + 0] = b[s + 0]!;
          mem[d + 1] = b[s + 1]!;
          mem[d + 2] = b[s + 2]!;
          mem[d + 3] = b[s + 3]!;
          mem[d + 4] = b[s + 4]!;
          mem[d + 5] = b[s + 5]!;
          mem[d + 6] = b[s + 6]!;
          mem[d + 7] = b[s + 7]!;
          d += nr;
          s += ldb;
        }
      } else if (w === nr) {
        // full transposed panel: nr rows of B read side by side, written contiguously
        const s0 = offB + (j0 + jr) * ldb + p1;
        const s1 = s0 + ldb;
        const s2 = s1 + ldb;
        const s3 = s2 + ldb;
        const s4 = s3 + ldb;
        const s5 = s4 + ldb;
        const s6 = s5 + ldb;
        const s7 = s6 + ldb;
        for (let p = 0; p < kk; p++) {
          mem[d + 0] = b[s0 + p]!;
          mem[d + 1] = b[s1 + p]!;
          mem[d + 2] = b[s2 + p]!;
          mem[d + 3] = b[s3 + p]!;
          mem[d + 4] = b[s4 + p]!;
          mem[d + 5] = b[s5 + p]!;
          mem[d + 6] = b[s6 + p]!;
          mem[d + 7] = b[s7 + p]!;
          d += nr;
        }
      } else {
        // the last, partial panel: 8 or (nbPad - jr = 4) 4 columns wide, zero-padded
        const width = Math.min(nr, nbPad - jr);
        for (let p = 0; p < kk; p++) {
          for (let q = 0; q < width; q++) {
            mem[d + q] =
              q < w
                ? transB
                  ? b[offB + (j0 + jr + q) * ldb + p1 + p]!
                  : b[offB + (p1 + p) * ldb + j0 + jr + q]!
                : 0;
          }
          d += width;
        }
      }
    }
  }
}

/** The chunk loops: pack, multiply in WebAssembly, unpack (see {@link gemmWasmTry}). */
function run64(
  exp: GemmExports,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  offA: number,
  lda: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
  mem: Float64Array,
  aAt: number,
  bAt: number,
  cAt: number,
): void {
  for (let j0 = 0; j0 < n; j0 += N_CHUNK) {
    const nb = Math.min(N_CHUNK, n - j0);
    const nbPad = roundUp(nb, NR64_TAIL);
    for (let i0 = 0; i0 < m; i0 += M_CHUNK) {
      const mb = Math.min(M_CHUNK, m - i0);
      const mbPad = roundUp(mb, MR64);
      const cChunk = offC + i0 * ldc + j0;
      // the module computes alpha * product + beta * C on a copy of C (read only when beta != 0)
      const preload = beta !== 0;
      if (preload) loadC(mem, cAt, nbPad, mb, nb, c, cChunk, ldc);
      for (let p0 = 0; p0 < k; p0 += K_CHUNK) {
        const kb = Math.min(K_CHUNK, k - p0);
        // B is packed once per column chunk when k fits one depth chunk, else per (row, depth) chunk
        if (k > K_CHUNK || i0 === 0) packB64(transB, b, offB, ldb, p0, kb, j0, nb, nbPad, mem, bAt);
        packA64(transA, a, offA, lda, i0, mb, mbPad, p0, kb, mem, aAt);
        const first = p0 === 0;
        exp.gemm_f64(
          mbPad,
          nbPad,
          kb,
          aAt * 8,
          bAt * 8,
          cAt * 8,
          KC,
          MC,
          nbPad,
          preload || !first ? 1 : 0,
          alpha,
          first ? beta : 1,
        );
      }
      storeC(mem, cAt, nbPad, mb, nb, c, cChunk, ldc);
    }
  }
}

/**
 * GEMM on the WebAssembly SIMD backend, same contract as `gemmKernel` (row-major, offsets, leading
 * dimensions, transposes, alpha/beta; beta = 0 overwrites C without reading it). Computes in float32 when
 * `a`, `b` and `c` are all Float32Array, else in float64. Returns false, having done nothing, when the
 * backend is unavailable or its memory cannot grow; the caller then uses the TypeScript kernel. Allocates
 * nothing in JavaScript; copies O(mk + kn + mn) elements in and out. Requires m, n, k >= 1.
 */
export function gemmWasmTry(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  offA: number,
  lda: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): boolean {
  const exp = load();
  if (exp === null) return false;
  const single = a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;
  const mch = Math.min(roundUp(m, single ? MR32 : MR64), M_CHUNK);
  const nch = Math.min(roundUp(n, single ? NR32 : NR64_TAIL), N_CHUNK);
  const kch = Math.min(k, K_CHUNK);
  const aAt = 0;
  const bAt = mch * kch; // element offsets, multiples of 16 bytes (mch: of 4 floats or 2 doubles)
  const cAt = bAt + kch * nch;
  if (!ensureMemory(exp, (cAt + mch * nch) * (single ? 4 : 8))) return false;
  if (single) {
    run32(
      exp,
      transA,
      transB,
      m,
      n,
      k,
      alpha,
      a as Float32Array,
      offA,
      lda,
      b as Float32Array,
      offB,
      ldb,
      beta,
      c as Float32Array,
      offC,
      ldc,
      f32View,
      aAt,
      bAt,
      cAt,
    );
  } else {
    run64(
      exp,
      transA,
      transB,
      m,
      n,
      k,
      alpha,
      a,
      offA,
      lda,
      b,
      offB,
      ldb,
      beta,
      c,
      offC,
      ldc,
      f64View,
      aAt,
      bAt,
      cAt,
    );
  }
  return true;
}

/**
 * Unchecked GEMM forced onto the WebAssembly SIMD backend whatever the size (for tests and benchmarks;
 * `gemmKernel` picks the backend itself). Same contract as `gemmKernel`.
 * @throws StateError if WebAssembly SIMD is unavailable or its memory cannot grow.
 */
export function gemmWasmKernel(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  offA: number,
  lda: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha === 0) {
    scaleRows(m, n, beta, c, offC, ldc);
    return;
  }
  if (!gemmWasmTry(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc)) {
    throw new StateError('gemmWasmKernel: expected WebAssembly SIMD with enough memory, received none');
  }
}

/** C = beta * C on an m x n block with row stride ldc (beta = 0 overwrites, so NaN in C is not propagated). */
export function scaleRows(
  m: number,
  n: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = 0; j < n; j++) c[row + j]! *= beta;
  }
}

/** Rows of G per strip of {@link gramLowerWasmTry}: the diagonal blocks compute about strip/2 extra columns. */
const GRAM_STRIP = 32;
/** At most this many float64 values of G are held in the module at once (16 MB); more rows go in groups. */
const GRAM_C_MAX = 1 << 21;

/**
 * Pack rows [0, kb) of the centred panel, columns [0, np) (np a multiple of 8), into `mem` at `dst` in the
 * layout that gemm.wat reads for float64 B panels (NR = 8 columns): column group g (columns 8g .. 8g+7)
 * at dst + 8 g kb, element (p, q) at 8 p + q. Value x[off + p ldx + j] - mean[j] (float64), zero for
 * j >= cols.
 */
function packGram64(
  x: FloatArray,
  off: number,
  ldx: number,
  kb: number,
  cols: number,
  np: number,
  mean: Float64Array,
  mem: Float64Array,
  dst: number,
): void {
  for (let g0 = 0; g0 < np; g0 += NR64) {
    let d = dst + g0 * kb;
    if (g0 + NR64 <= cols) {
      const m0 = mean[g0]!;
      const m1 = mean[g0 + 1]!;
      const m2 = mean[g0 + 2]!;
      const m3 = mean[g0 + 3]!;
      const m4 = mean[g0 + 4]!;
      const m5 = mean[g0 + 5]!;
      const m6 = mean[g0 + 6]!;
      const m7 = mean[g0 + 7]!;
      let s = off + g0;
      for (let p = 0; p < kb; p++) {
        mem[d] = x[s]! - m0;
        mem[d + 1] = x[s + 1]! - m1;
        mem[d + 2] = x[s + 2]! - m2;
        mem[d + 3] = x[s + 3]! - m3;
        mem[d + 4] = x[s + 4]! - m4;
        mem[d + 5] = x[s + 5]! - m5;
        mem[d + 6] = x[s + 6]! - m6;
        mem[d + 7] = x[s + 7]! - m7;
        d += NR64;
        s += ldx;
      }
    } else {
      for (let p = 0; p < kb; p++) {
        for (let q = 0; q < NR64; q++) {
          const j = g0 + q;
          mem[d++] = j < cols ? x[off + p * ldx + j]! - mean[j]! : 0;
        }
      }
    }
  }
}

/**
 * Copy columns [j0, j1) (j0, j1 even) of a kb-deep block packed by {@link packGram64} at `src` into the
 * float64 A panel layout (MR = 2 rows of op(A) = 2 columns of x) at `dst`: column pair j (columns j, j+1)
 * at dst + (j - j0) kb, element (p, r) at 2 p + r. The same values, so both operands of X^T X come from
 * one centring.
 */
function packGramPairs(
  mem: Float64Array,
  src: number,
  kb: number,
  j0: number,
  j1: number,
  dst: number,
): void {
  let d = dst;
  for (let j = j0; j < j1; j += MR64) {
    let s = src + (j - (j % NR64)) * kb + (j % NR64);
    for (let p = 0; p < kb; p++) {
      mem[d] = mem[s]!;
      mem[d + 1] = mem[s + 1]!;
      d += MR64;
      s += NR64;
    }
  }
}

/**
 * The lower triangle of a Gram matrix on the WebAssembly SIMD backend, syrk-style: for the rows x cols
 * panel x (row stride ldx, from offset offX) centred on `mean` (x_c = x - mean, float64),
 * G[i, j] = beta G[i, j] + sum_p x_c[p, i] x_c[p, j] for rows i in [i0, i1) of G and columns j in [0, s1),
 * s1 = the end of i's strip of 32 rows (so a few entries above the diagonal are written too; none beyond
 * column i1 + 3). Each depth block of 256 samples is centred and packed once (B panels, copied into A
 * panels for rows [i0, i1)), and the strips
 * multiply it by the float64 kernel of {@link gemmWasmTry} with the same grouping of sums (per block from
 * +0, blocks added to G in ascending order), so every entry is bit-identical to
 * `gemmKernel(true, false, ...)` on the centred panel on this backend whatever i0, i1 and the strips.
 * `beta` is 0 (G overwritten, not read) or 1. i0 must be a multiple of 4. Returns false, having done
 * nothing, when the backend is unavailable or its memory cannot grow. Cost rows (i1^2 - i0^2) / 2 (plus
 * about 16 rows per row of G) multiply-adds, and rows i1 copies per group of rows.
 */
export function gramLowerWasmTry(
  x: FloatArray,
  offX: number,
  ldx: number,
  rows: number,
  cols: number,
  mean: Float64Array,
  i0: number,
  i1: number,
  beta: 0 | 1,
  g: Float64Array,
  offG: number,
  ldg: number,
): boolean {
  const exp = load();
  if (exp === null) return false;
  if (i1 <= i0 || rows <= 0) return true;
  // groups of strips whose blocks of G fit GRAM_C_MAX values
  let start = i0;
  while (start < i1) {
    let end = start;
    let size = 0;
    while (end < i1) {
      const s1 = Math.min(i1, end + GRAM_STRIP);
      const add = (roundUp(s1, MR64) - end) * roundUp(s1, NR64);
      if (end > start && size + add > GRAM_C_MAX) break;
      size += add;
      end = s1;
    }
    if (!gramGroup(exp, x, offX, ldx, rows, cols, mean, start, end, size, beta, g, offG, ldg)) return false;
    start = end;
  }
  return true;
}

/** Rows [i0, i1) of G for {@link gramLowerWasmTry}; `size` values of G are held in the module. */
function gramGroup(
  exp: GemmExports,
  x: FloatArray,
  offX: number,
  ldx: number,
  rows: number,
  cols: number,
  mean: Float64Array,
  i0: number,
  i1: number,
  size: number,
  beta: 0 | 1,
  g: Float64Array,
  offG: number,
  ldg: number,
): boolean {
  const npB = roundUp(i1, NR64); // B panels: columns [0, npB)
  const npA = roundUp(i1, MR64) - i0; // A panels: columns [i0, i0 + npA)
  const kc = Math.min(rows, KC);
  const bAt = 0;
  const aAt = kc * npB; // multiples of 2 doubles: 16-byte aligned
  const cAt = aAt + kc * npA;
  if (!ensureMemory(exp, (cAt + size) * 8)) return false;
  const mem = f64View;
  // strip s0 .. s1 of G: (s1a - s0) x s1b values at `at`, row stride s1b
  if (beta === 1) {
    for (let s0 = i0, at = cAt; s0 < i1; s0 += GRAM_STRIP) {
      const s1 = Math.min(i1, s0 + GRAM_STRIP);
      const s1b = roundUp(s1, NR64);
      loadC(mem, at, s1b, s1 - s0, s1, g, offG + s0 * ldg, ldg);
      at += (roundUp(s1, MR64) - s0) * s1b;
    }
  }
  for (let p0 = 0; p0 < rows; p0 += KC) {
    const kb = Math.min(KC, rows - p0);
    packGram64(x, offX + p0 * ldx, ldx, kb, cols, npB, mean, mem, bAt);
    packGramPairs(mem, bAt, kb, i0, i0 + npA, aAt);
    const acc = beta === 1 || p0 > 0 ? 1 : 0;
    for (let s0 = i0, at = cAt; s0 < i1; s0 += GRAM_STRIP) {
      const s1 = Math.min(i1, s0 + GRAM_STRIP);
      const s1a = roundUp(s1, MR64);
      const s1b = roundUp(s1, NR64);
      // A: the column pairs s0 .. s1a (rows of op(A) = X^T); B: the column groups 0 .. s1b
      exp.gemm_f64(s1a - s0, s1b, kb, (aAt + (s0 - i0) * kb) * 8, bAt * 8, at * 8, KC, MC, s1b, acc, 1, 1);
      at += (s1a - s0) * s1b;
    }
  }
  for (let s0 = i0, at = cAt; s0 < i1; s0 += GRAM_STRIP) {
    const s1 = Math.min(i1, s0 + GRAM_STRIP);
    const s1b = roundUp(s1, NR64);
    storeC(mem, at, s1b, s1 - s0, s1, g, offG + s0 * ldg, ldg);
    at += (roundUp(s1, MR64) - s0) * s1b;
  }
  return true;
}
