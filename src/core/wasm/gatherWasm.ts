/**
 * Products with a 0/1 left factor, C = alpha * op(A) * B + beta * C with every A(i, p) in {0, 1}, as sums
 * of selected rows of B on WebAssembly SIMD (the `gather_*` functions of gemm.wat), bit-identical to
 * `gemmKernel` on its WebAssembly backend. A binary RBM's visible states (MNIST pixels, sampled
 * reconstructions) are such factors, and about 13% of an MNIST digit's pixels are ones, so four of
 * the five CD-1 products do a few additions per output instead of 784 multiply-adds.
 *
 * Runs on its own instance of the GEMM module (own memory), so that a B loaded once (the weights) stays
 * resident across the products of one minibatch: B is copied in by {@link gatherLoadSource} into a
 * numbered slot, and {@link gatherProductKernel} uses the slot until it is loaded again.
 * @module
 */
import type { FloatArray } from '../tensor.js';
import { gemmWasmBytes } from './gemmWasm.js';
import { instantiateWasm } from './instantiate.js';

type GatherRun = (
  m: number,
  np: number,
  pb: number,
  pc: number,
  pl: number,
  nblk: number,
  acc0: number,
  alpha: number,
  beta: number,
) => void;

type ListOnes = (
  pa: number,
  m: number,
  k: number,
  lda: number,
  rowBytes: number,
  pl: number,
  kc: number,
) => number;
type ListOnesT = (
  pa: number,
  m: number,
  k: number,
  lda: number,
  rowBytes: number,
  pl: number,
  kc: number,
  pcur: number,
  trash: number,
) => number;

type Transpose = (src: number, ss: number, dst: number, ds: number, rows: number, cols: number) => number;

interface GatherExports {
  readonly memory: WebAssembly.Memory;
  readonly gather_f32: GatherRun;
  readonly gather_f64: GatherRun;
  readonly list_f64: ListOnes;
  readonly list_f32: ListOnes;
  readonly list_t_f64: ListOnesT;
  readonly list_t_f32: ListOnesT;
  readonly transpose_f64: Transpose;
  readonly transpose_f32: Transpose;
  readonly maxabs_f64: (p: number, rows: number, cols: number, stride: number) => number;
  readonly maxabs_f32: (p: number, rows: number, cols: number, stride: number) => number;
}

/** Depth block of the dense kernel (gemmWasm.ts KC): partial sums are grouped by it. */
const KC = 256;
/** Columns per tile of the gather kernel: 64 bytes. */
const TILE_BYTES = 64;

let exportsCache: GatherExports | null | undefined;

function load(): GatherExports | null {
  if (exportsCache === undefined) exportsCache = instantiateWasm<GatherExports>(gemmWasmBytes());
  return exportsCache;
}

/** A region of the module memory (byte address and capacity). */
interface Region {
  at: number;
  bytes: number;
}

/** Regions by purpose: 0 lists, 1 C, then the B slots (2 + slot). */
const regions: Region[] = [];
let top = 0;

/** Byte address of a region of at least `bytes` for `purpose` (grows the memory); -1 if it cannot. */
function region(exp: GatherExports, purpose: number, bytes: number): number {
  const r = regions[purpose];
  if (r !== undefined && r.bytes >= bytes) return r.at;
  const at = Math.ceil(top / 16) * 16;
  const need = at + bytes;
  const have = exp.memory.buffer.byteLength;
  if (have < need) {
    try {
      exp.memory.grow(Math.ceil((need - have) / 65536));
    } catch {
      return -1;
    }
  }
  top = need;
  regions[purpose] = { at, bytes };
  // a B slot that moved no longer holds its source
  if (purpose >= 2 && purpose < A_PURPOSE) sources[purpose - 2] = undefined;
  return at;
}

/** The region purpose of the copy of A (and the transposed listing's cursors), after every B slot. */
const A_PURPOSE = 1 << 16;

/** What a B slot holds: the array it was copied from, its shape and precision. */
interface Source {
  readonly transB: boolean;
  readonly b: FloatArray;
  readonly offB: number;
  readonly ldb: number;
  readonly k: number;
  readonly n: number;
  readonly np: number;
  readonly single: boolean;
  readonly at: number;
}

const sources: (Source | undefined)[] = [];

/** True if this engine runs the gather kernels (WebAssembly SIMD). */
export function gatherWasmAvailable(): boolean {
  return load() !== null;
}

/**
 * Copy op(B) (k x n; B stored k x n, or n x k when `transB`, with row stride `ldb`, from `offB`) into
 * slot `slot` (a small integer) of the gather module's memory, in float32 when `single`, else float64. B must be finite (the dense product would
 * turn 0 * Inf into NaN; the gather skips it). Returns false, having done nothing, if WebAssembly SIMD
 * is unavailable or the memory cannot grow. Cost: one copy of k n elements.
 */
export function gatherLoadSource(
  slot: number,
  transB: boolean,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
  single: boolean,
): boolean {
  const exp = load();
  if (exp === null) return false;
  const bytesPer = single ? 4 : 8;
  const np = paddedColumns(n, single);
  const at = region(exp, 2 + slot, k * np * bytesPer);
  if (at < 0) return false;
  const mem = single ? new Float32Array(exp.memory.buffer) : new Float64Array(exp.memory.buffer);
  const base = at / bytesPer;
  if (!transB) {
    for (let p = 0; p < k; p++) {
      const s = offB + p * ldb;
      mem.set(b.subarray(s, s + n), base + p * np);
    }
  } else if (single) transposeInto32(mem as Float32Array, base, np, b, offB, ldb, k, n);
  else transposeInto64(mem as Float64Array, base, np, b, offB, ldb, k, n);
  sources[slot] = { transB, b, offB, ldb, k, n, np, single, at };
  return true;
}

/**
 * Load op(B) = B^T (k x n; B stored n x k, row stride `ldb`, from `offB`) into slot `toSlot` from the
 * copy of B that slot `fromSlot` holds (loaded untransposed by {@link gatherLoadSource} with these
 * arguments), transposing inside the module's memory instead of reading B again. The caller promises,
 * as for a product with `reload` false, that B has not changed since `fromSlot` was loaded. Returns
 * max |B_ij| (NaN if one is NaN), found on the way, or null, having done nothing, if `fromSlot` does not
 * hold this B or memory cannot grow. Cost: one transposed copy of k n elements in WebAssembly.
 */
export function gatherLoadTransposed(
  fromSlot: number,
  toSlot: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
  single: boolean,
): number | null {
  const exp = load();
  if (
    exp === null ||
    fromSlot === toSlot ||
    !gatherSourceMatches(fromSlot, false, b, offB, ldb, n, k, single)
  ) {
    return null;
  }
  const from = sources[fromSlot]!;
  const bytesPer = single ? 4 : 8;
  const np = paddedColumns(n, single);
  const at = region(exp, 2 + toSlot, k * np * bytesPer);
  if (at < 0) return null;
  // the source region stays where it is (regions never move; the memory only grows)
  const transpose = single ? exp.transpose_f32 : exp.transpose_f64;
  const max = transpose(from.at, from.np * bytesPer, at, np * bytesPer, n, k);
  sources[toSlot] = { transB: true, b, offB, ldb, k, n, np, single, at };
  return max;
}

/**
 * max |x| over the source held in slot `slot` (its k x n elements, padding excluded), NaN if one is
 * NaN: the same value as a scan of the array it was loaded from, which it equals element for element.
 * Null if the slot holds nothing. Cost O(k n) in WebAssembly SIMD.
 */
export function gatherSourceMaxAbs(slot: number): number | null {
  const exp = load();
  const src = sources[slot];
  if (exp === null || src === undefined) return null;
  const bytesPer = src.single ? 4 : 8;
  return (src.single ? exp.maxabs_f32 : exp.maxabs_f64)(src.at, src.k, src.n, src.np * bytesPer);
}

/** mem[base + p np + j] = B[j][p] (op(B) = B^T, k x n, from B stored n x k), one copy per precision. */
function transposeInto64(
  mem: Float64Array,
  base: number,
  np: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
): void {
  // eight columns of op(B) (rows of B) at a time: eight sequential reads, one contiguous write per row
  let j0 = 0;
  for (; j0 + 8 <= n; j0 += 8) {
    const s0 = offB + j0 * ldb;
    const s1 = s0 + ldb;
    const s2 = s1 + ldb;
    const s3 = s2 + ldb;
    const s4 = s3 + ldb;
    const s5 = s4 + ldb;
    const s6 = s5 + ldb;
    const s7 = s6 + ldb;
    let d = base + j0;
    for (let p = 0; p < k; p++) {
      mem[d] = b[s0 + p]!;
      mem[d + 1] = b[s1 + p]!;
      mem[d + 2] = b[s2 + p]!;
      mem[d + 3] = b[s3 + p]!;
      mem[d + 4] = b[s4 + p]!;
      mem[d + 5] = b[s5 + p]!;
      mem[d + 6] = b[s6 + p]!;
      mem[d + 7] = b[s7 + p]!;
      d += np;
    }
  }
  for (; j0 < n; j0++) {
    const src = offB + j0 * ldb;
    let d = base + j0;
    for (let p = 0; p < k; p++) {
      mem[d] = b[src + p]!;
      d += np;
    }
  }
}

function transposeInto32(
  mem: Float32Array,
  base: number,
  np: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
): void {
  // eight columns of op(B) (rows of B) at a time: eight sequential reads, one contiguous write per row
  let j0 = 0;
  for (; j0 + 8 <= n; j0 += 8) {
    const s0 = offB + j0 * ldb;
    const s1 = s0 + ldb;
    const s2 = s1 + ldb;
    const s3 = s2 + ldb;
    const s4 = s3 + ldb;
    const s5 = s4 + ldb;
    const s6 = s5 + ldb;
    const s7 = s6 + ldb;
    let d = base + j0;
    for (let p = 0; p < k; p++) {
      mem[d] = b[s0 + p]!;
      mem[d + 1] = b[s1 + p]!;
      mem[d + 2] = b[s2 + p]!;
      mem[d + 3] = b[s3 + p]!;
      mem[d + 4] = b[s4 + p]!;
      mem[d + 5] = b[s5 + p]!;
      mem[d + 6] = b[s6 + p]!;
      mem[d + 7] = b[s7 + p]!;
      d += np;
    }
  }
  for (; j0 < n; j0++) {
    const src = offB + j0 * ldb;
    let d = base + j0;
    for (let p = 0; p < k; p++) {
      mem[d] = b[src + p]!;
      d += np;
    }
  }
}

/** True if slot `slot` holds B as {@link gatherLoadSource} would load it for these arguments. */
export function gatherSourceMatches(
  slot: number,
  transB: boolean,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
  single: boolean,
): boolean {
  const s = sources[slot];
  return (
    s !== undefined &&
    s.transB === transB &&
    s.b === b &&
    s.offB === offB &&
    s.ldb === ldb &&
    s.k === k &&
    s.n === n &&
    s.single === single
  );
}

/** The lists written by the last {@link gatherPrepare}: for which slot, rows, depth, and where. */
let prepared: { slot: number; m: number; n: number; k: number; single: boolean; listAt: number } | null =
  null;

/** Columns of C and of a loaded source, padded to whole tiles. */
function paddedColumns(n: number, single: boolean): number {
  const bytesPer = single ? 4 : 8;
  return Math.ceil((n * bytesPer) / TILE_BYTES) * (TILE_BYTES / bytesPer);
}

/**
 * The lists of ones in TypeScript, for an A that is not a Float32Array or Float64Array (typed arrays
 * go to the module's listOnesWasm): the number of ones, or -1 at an element that is not 0/1.
 */
function listOnesAny(
  a: FloatArray,
  offA: number,
  sI: number,
  sP: number,
  m: number,
  k: number,
  rowBytes: number,
  lists: Int32Array,
  at: number,
): number {
  // the ones of A(i, p) = a[offA + i sI + p sP], row by row, per depth block: count, then byte offsets
  let w = at;
  for (let i = 0; i < m; i++) {
    const row = offA + i * sI;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const countAt = w++;
      const p1 = Math.min(k, p0 + KC);
      for (let p = p0; p < p1; p++) {
        const x = a[row + p * sP]!;
        if (x === 0) continue;
        if (x !== 1) return -1;
        lists[w++] = p * rowBytes;
      }
      lists[countAt] = w - countAt - 1;
    }
  }
  return w - at - m * Math.ceil(k / KC);
}

/**
 * First half of {@link gatherProductKernel}: list the ones of op(A) (m x k; A stored k x m when
 * `transA`) for a product with a k x n source in slot `slot` in the given precision (loaded before or
 * after). Returns false if an element is neither 0 nor 1 (NaN included), op(A) holds more than
 * `maxOnes` ones, or memory cannot grow. Cost O(m k).
 */
export function gatherPrepare(
  slot: number,
  transA: boolean,
  m: number,
  n: number,
  k: number,
  single: boolean,
  a: FloatArray,
  offA: number,
  lda: number,
  maxOnes: number,
): boolean {
  prepared = null;
  const exp = load();
  if (exp === null) return false;
  const nblk = Math.ceil(k / KC);
  // one slot past the lists: the WebAssembly listing may store there
  const listAt = region(exp, 0, m * (k + nblk) * 4 + 4);
  if (listAt < 0) return false;
  const rowBytes = paddedColumns(n, single) * (single ? 4 : 8);
  if (a instanceof Float64Array || a instanceof Float32Array) {
    const ones = listOnesWasm(exp, transA, m, k, a, offA, lda, rowBytes, listAt, nblk);
    if (ones < 0 || ones > maxOnes) return false;
    prepared = { slot, m, n, k, single, listAt };
    return true;
  }
  const lists = new Int32Array(exp.memory.buffer);
  const sI = transA ? 1 : lda;
  const sP = transA ? lda : 1;
  const ones = listOnesAny(a, offA, sI, sP, m, k, rowBytes, lists, listAt / 4);
  if (ones < 0 || ones > maxOnes) return false;
  prepared = { slot, m, n, k, single, listAt };
  return true;
}

/**
 * The lists of ones of op(A) (m x k; A stored k x m when `transA`) written at `listAt` by the module
 * (list_* / list_t_*), from a copy of A in the module's memory: the number of ones, or -1 if an element
 * is not 0/1 or memory cannot grow. The same lists, in the same order, as the TypeScript listing.
 */
function listOnesWasm(
  exp: GatherExports,
  transA: boolean,
  m: number,
  k: number,
  a: Float32Array | Float64Array,
  offA: number,
  lda: number,
  rowBytes: number,
  listAt: number,
  nblk: number,
): number {
  const f64 = a instanceof Float64Array;
  const bytesPer = f64 ? 8 : 4;
  const rows = transA ? k : m;
  const cols = transA ? m : k;
  const span = (rows - 1) * lda + cols;
  // A, then (transposed) the m nblk cursors and one slot for the stores of zeros
  const aBytes = Math.ceil((span * bytesPer) / 16) * 16;
  const at = region(exp, A_PURPOSE, aBytes + (transA ? m * nblk * 4 + 4 : 0));
  if (at < 0) return -1;
  const mem = f64 ? new Float64Array(exp.memory.buffer) : new Float32Array(exp.memory.buffer);
  mem.set(a.subarray(offA, offA + span), at / bytesPer);
  if (!transA) {
    return (f64 ? exp.list_f64 : exp.list_f32)(at, m, k, lda * bytesPer, rowBytes, listAt, KC);
  }
  const cursors = at + aBytes;
  const trash = cursors + m * nblk * 4;
  return (f64 ? exp.list_t_f64 : exp.list_t_f32)(
    at,
    m,
    k,
    lda * bytesPer,
    rowBytes,
    listAt,
    KC,
    cursors,
    trash,
  );
}

/**
 * Second half of {@link gatherProductKernel}: C[m x n] = alpha * op(A) * B + beta * C for the op(A)
 * listed by the last {@link gatherPrepare} (same slot, m and k) and the source in that slot (k x n).
 * With `copyOut` false, C stays in the module's memory instead of being copied to `c` (nothing is
 * written to `c`), and the next run of this thread, with `copyIn` false, takes it from there instead
 * of copying `c` in: two products accumulated into one C (beta = 1 on the second) then cost one copy
 * out instead of three copies. Returns false, having written nothing, if there is no such preparation,
 * memory cannot grow, or `copyIn` is false (with beta != 0) and the last run did not keep a C of
 * this shape.
 */
export function gatherRun(
  slot: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
  copyIn = true,
  copyOut = true,
): boolean {
  const exp = load();
  const src = sources[slot];
  const lists = prepared;
  prepared = null;
  const kept = keptC;
  keptC = null;
  if (exp === null || src === undefined || src.k !== k || src.n !== n) return false;
  if (lists === null || lists.slot !== slot || lists.m !== m || lists.n !== n || lists.k !== k) return false;
  if (lists.single !== src.single) return false;
  const single = src.single;
  const bytesPer = single ? 4 : 8;
  const np = src.np;
  const cAt = region(exp, 1, m * np * bytesPer);
  if (cAt < 0) return false;
  const mem = single ? new Float32Array(exp.memory.buffer) : new Float64Array(exp.memory.buffer);
  const cBase = cAt / bytesPer;
  const preload = beta !== 0;
  if (preload && !copyIn) {
    if (kept === null || kept.at !== cAt || kept.m !== m || kept.np !== np || kept.single !== single)
      return false;
  } else if (preload) {
    for (let i = 0; i < m; i++) mem.set(c.subarray(offC + i * ldc, offC + i * ldc + n), cBase + i * np);
  }
  const nblk = Math.ceil(k / KC);
  const run = single ? exp.gather_f32 : exp.gather_f64;
  run(m, np, src.at, cAt, lists.listAt, nblk, preload ? 1 : 0, alpha, beta);
  if (!copyOut) {
    keptC = { at: cAt, m, np, single };
    return true;
  }
  for (let i = 0; i < m; i++) c.set(mem.subarray(cBase + i * np, cBase + i * np + n), offC + i * ldc);
  return true;
}

/** The C left in the module's memory by the last {@link gatherRun} with `copyOut` false, or null. */
let keptC: { at: number; m: number; np: number; single: boolean } | null = null;

/**
 * C[m x n] = alpha * op(A) * B + beta * C with B the source held in slot `slot` (k x n, loaded by
 * {@link gatherLoadSource} and unchanged since), where op(A) (m x k; A stored k x m when `transA`) holds
 * only 0 and 1. Computed in the slot's precision, with the summation grouping of the dense WebAssembly
 * kernel, so the result equals `gemmKernel`'s on its WebAssembly backend bit for bit (same alpha, beta,
 * precision rule: float32 only when A, B and C are all Float32Array). With beta = 0, C is overwritten.
 * Returns false, having written nothing, when an element of op(A) is neither 0 nor 1 (NaN included) or
 * the memory cannot grow. C must not alias A. Cost O(m k) to list the ones plus O(nnz(A) n) additions
 * plus copies of C (in only when beta != 0).
 */
export function gatherProductKernel(
  slot: number,
  transA: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  offA: number,
  lda: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): boolean {
  const src = sources[slot];
  if (src === undefined || src.n !== n || src.k !== k) return false;
  return (
    gatherPrepare(slot, transA, m, n, k, src.single, a, offA, lda, m * k) &&
    gatherRun(slot, m, n, k, alpha, beta, c, offC, ldc)
  );
}
