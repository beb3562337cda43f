/**
 * Power spectra of pairs of real 2D fields and their inverse on WebAssembly SIMD (./fft2d.wat): the
 * kernel tier of the FFT correlators for rows x cols lattices whose sides are powers of two. Two real
 * fields f1, f2 share one complex transform Z = FFT2(f1 + i f2); |F1(q)|^2 and |F2(q)|^2 are split out of
 * Z(q) and Z(-q) and added to per-block sums kept in the module's memory; a pair of block sums goes back
 * through one complex inverse. Each f64x2 lane runs fft.js's radix-4 transform (same tables, same
 * operations in the same order, no fused multiply-add), so the results equal those of the TypeScript
 * path (fft.js rows then columns, the same power formula, fft.js's inverse) to the last bit.
 *
 * Internal (not exported from the package). The module (about 5 kB) is compiled synchronously from
 * embedded bytes on first use; its memory grows to the largest workspace asked for (at most 128 MB, its
 * declared maximum) and never shrinks.
 * @module
 */
import FFT from 'fft.js';
import { base64Decode } from '../base64.js';
import { checkOneOf } from '../validate.js';
import { fft2dWasmBase64 } from './fft2d.wasm.generated.js';
import { instantiateWasm } from './instantiate.js';

/** The module's exports (byte pointers; see fft2d.wat). */
export interface Fft2dWasmExports {
  readonly memory: WebAssembly.Memory;
  /** Forward DFT of n lane-pair complex elements (32 bytes each) from src into dst. */
  readonly fft: (src: number, dst: number, n: number, tw: number, br: number, s: number) => void;
  /** Sum of `count` float64 values at ptr, in index order. */
  readonly sum_f64: (ptr: number, count: number) => number;
  readonly forward_pair: (
    kind: number,
    src: number,
    pair: number,
    rows: number,
    cols: number,
    s1: number,
    s2: number,
    cb: number,
    twC: number,
    brC: number,
    sC: number,
    twR: number,
    brR: number,
    sR: number,
    pw1: number,
    pw2: number,
    sums: number,
  ) => void;
  readonly inverse_pair: (
    pw1: number,
    pw2: number,
    pair: number,
    rows: number,
    cols: number,
    s1: number,
    s2: number,
    cb: number,
    twC: number,
    brC: number,
    sC: number,
    twR: number,
    brR: number,
    sR: number,
    out1: number,
    out2: number,
    scale: number,
  ) => void;
  readonly jackknife: (
    corr: number,
    B: number,
    N: number,
    n: number,
    mean2: number,
    jack: number,
    cnt: number,
    mu2: number,
    c: number,
    full: number,
    err: number,
    total: number,
    avg: number,
    chunk: number,
    lt: number,
    Bp: number,
  ) => void;
  readonly member_sums: (
    lt: number,
    Bp: number,
    group: number,
    members: number,
    M: number,
    acc: number,
    K: number,
  ) => void;
  readonly group_means: (
    lt: number,
    Bp: number,
    B: number,
    idx: number,
    start: number,
    K: number,
    mult: number,
    acc: number,
    est: number,
  ) => void;
}

let cache: Fft2dWasmExports | null | undefined;
let preferred: 'auto' | 'typescript' = 'auto';

/** The embedded module's bytes (for the reproducibility test). */
export function fft2dWasmBytes(): Uint8Array {
  return base64Decode(fft2dWasmBase64);
}

/** The instantiated module (once), or null without WebAssembly SIMD. */
export function fft2dWasmModule(): Fft2dWasmExports | null {
  // null without SIMD (CompileError) or WebAssembly: callers use their TypeScript path
  if (cache === undefined) cache = instantiateWasm<Fft2dWasmExports>(fft2dWasmBytes());
  return cache;
}

/**
 * Choose whether {@link createPairPowerWorkspace} may use WebAssembly SIMD: `'auto'` (default: when the
 * engine has it) or `'typescript'` (never: callers take their TypeScript path, e.g. to compare the two).
 * Process-wide; no result depends on it (the paths agree to the last bit).
 * @throws DomainError for another value.
 */
export function setFft2dBackend(choice: 'auto' | 'typescript'): void {
  preferred = checkOneOf(choice, 'setFft2dBackend: choice', ['auto', 'typescript'] as const);
}

/** The backend {@link createPairPowerWorkspace} uses now. */
export function fft2dBackend(): 'wasm-simd' | 'typescript' {
  return preferred === 'auto' && fft2dWasmModule() !== null ? 'wasm-simd' : 'typescript';
}

/** The tables of one transform length in the module's layout (see fft2d.wat). */
export interface LaneFftTables {
  /** n entries (c, c, s, s): fft.js's table, each value repeated for both lanes. */
  readonly tw: Float64Array;
  /** First-stage input offsets in bytes (fft.js's bit reversal), s entries. */
  readonly br: Int32Array;
  /** First-stage stride in elements. */
  readonly s: number;
}

const tableCache = new Map<number, LaneFftTables>();

/** The tables for length n (a power of two >= 2), cached for a few lengths (no observable state). */
export function laneFftTables(n: number): LaneFftTables {
  let t = tableCache.get(n);
  if (t === undefined) {
    const f = new FFT(n) as unknown as {
      table: ArrayLike<number>;
      _bitrev: ArrayLike<number>;
      _width: number;
    };
    const tw = new Float64Array(4 * n);
    for (let j = 0; j < n; j++) {
      tw[4 * j] = f.table[2 * j]!;
      tw[4 * j + 1] = f.table[2 * j]!;
      tw[4 * j + 2] = f.table[2 * j + 1]!;
      tw[4 * j + 3] = f.table[2 * j + 1]!;
    }
    const s = (1 << f._width) / 2;
    const br = Int32Array.from({ length: s }, (_, k) => f._bitrev[k]! * 16);
    t = { tw, br, s };
    if (tableCache.size >= 8) tableCache.delete(tableCache.keys().next().value!);
    tableCache.set(n, t);
  }
  return t;
}

/** Power spectra of field pairs summed per block, for one rows x cols shape and `blocks` blocks. */
export interface PairPowerWorkspace {
  /**
   * Where the next pair of fields goes: 2 rows cols values, field 1 then field 2, each row-major. A view of
   * the module's memory, valid until another workspace is created.
   */
  readonly input: Int8Array | Float64Array;
  /**
   * Add |F1(q)|^2 (F1 = FFT2 of input field 1) to the sum of block `block1`, and when `pair`, |F2(q)|^2 to
   * block `block2` (which may equal block1), in that order. Without `pair` field 2 is ignored. Returns the
   * sums of field 1 and field 2 (0 without `pair`): exact integer sums for int8 input, sums in index order
   * for float64 input. O(rows cols log(rows cols)).
   */
  accumulate(pair: boolean, block1: number, block2: number): [number, number];
  /**
   * scale * sum_q P_b(q) exp(+2 pi i (q0 d0 / rows + q1 d1 / cols)) for every d = (d0, d1) (real, since P
   * is even), of block b = `block` into rows cols values of {@link PairPowerWorkspace.blockValues} from
   * b rows cols (row-major), and, when `pair`, the same of block b + 1 after it.
   */
  inverse(block: number, pair: boolean, scale: number): void;
  /** blocks x rows x cols values written by {@link PairPowerWorkspace.inverse} (module memory). */
  readonly blockValues: Float64Array;
  /**
   * Jackknife over the blocks of `blockValues` (g_b, blocks x N, N = rows cols):
   * full[i] = (sum_b g_b[i]) / n - mean^2; when `leaveOutCount` is given (blocks >= 2), the leave-one-block-out estimates
   * g_b[i] = (sum_c g_c[i] - g_b[i]) / leaveOutCount[b] - leaveOutMean[b]^2 (leaveOutMean null: 0) are
   * written over blockValues and error[i] = sqrt((B - 1) / B * sum_b (g_b[i] - avg[i])^2) with avg their
   * mean over blocks; otherwise `error` is left alone. Sums start from +0 and take the blocks in order (so
   * the results equal those of plain scalar loops over b, then i). O(blocks N).
   */
  jackknife(
    n: number,
    mean: number,
    leaveOutCount: Float64Array | null,
    leaveOutMean: Float64Array | null,
    full: Float64Array,
    error: Float64Array,
  ): void;
  /**
   * Group means of the leave-one-block-out estimates of the last {@link PairPowerWorkspace.jackknife}
   * (which must have had a leaveOutCount): est[b K + k] = (sum of g_b[i] over the members i of group k,
   * ascending) / multiplicity[k] for the K = multiplicity.length groups of `groups`, each sum from +0.
   * With `ofFull`, the same K means of the full estimate of the last jackknife instead (which needs no leaveOutCount), into
   * est[0 .. K). Needs K <= rows cols. Overwrites blockValues. O(blocks members.length).
   */
  groupMeans(groups: Groups, est: Float64Array, ofFull?: boolean): void;
}

/** A grouping of the N entries of a field (e.g. displacements by distance), in two equivalent orders. */
export interface Groups {
  /** For each entry, its group in [0, K), or -1. */
  readonly group: Int32Array;
  /** The entries with a group, ascending. */
  readonly members: Int32Array;
  /** The members ordered by group, ascending within each group: group k is byGroup[groupStart[k] ..]. */
  readonly byGroup: Int32Array;
  /** Start of each group in `byGroup`, and its length at the end (K + 1 entries). */
  readonly groupStart: Int32Array;
  /** Number of members of each group (K entries; the divisor of the means). */
  readonly multiplicity: Float64Array;
}

/** Entries per chunk of the jackknife kernel: blocks x 8 kB of block values stay in cache. */
const JACKKNIFE_CHUNK = 1024;

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * A workspace of the WebAssembly kernels for rows x cols fields (both powers of two >= 2) and `blocks`
 * block sums (set to 0), reading int8 or float64 input; null when the backend is 'typescript', the engine
 * lacks WebAssembly SIMD or the memory (about rows cols (2 blocks + 8) doubles) cannot grow that far.
 * Unchecked: the caller validates the sizes. Invalidates earlier workspaces.
 */
export function createPairPowerWorkspace(
  rows: number,
  cols: number,
  blocks: number,
  input: 'int8' | 'float64',
): PairPowerWorkspace | null {
  if (fft2dBackend() !== 'wasm-simd') return null;
  const exp = fft2dWasmModule()!;
  const N = rows * cols;
  const tabC = laneFftTables(cols);
  const tabR = laneFftTables(rows);
  let at = 0;
  const take = (bytes: number): number => {
    const p = at;
    at = align(at + bytes);
    return p;
  };
  const twC = take(cols * 32);
  const brC = take(tabC.br.length * 4);
  const twR = take(rows * 32);
  const brR = take(tabR.br.length * 4);
  const s1 = take(Math.max(rows, cols) * 32);
  const s2 = take(Math.max(rows, cols) * 32);
  const cb = take(N * 16);
  const blockBytes = (cols / 2) * (rows / 2 + 1) * 16;
  // the power sums, then (after the inverses) the transposed leave-one-block-out estimates
  const Bp = blocks + (blocks % 2);
  const pw = take(Math.max(blocks * blockBytes, N * Bp * 8));
  const values = take(blocks * N * 8);
  const full = take(N * 8);
  const err = take(N * 8);
  const chunk = Math.min(N, JACKKNIFE_CHUNK);
  const total = take(chunk * 8);
  const avg = take(chunk * 8);
  const cnt = take(blocks * 8);
  const mu2 = take(blocks * 8);
  const sums = take(16);
  const idx = take(N * 4);
  const start = take((N + 1) * 4);
  const mult = take(N * 8);
  const acc = take(Bp * 8);
  const src = take(input === 'int8' ? 2 * N : 16 * N);
  const memory = exp.memory;
  if (memory.buffer.byteLength < at) {
    try {
      memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
    } catch {
      return null;
    }
  }
  const f64 = new Float64Array(memory.buffer);
  f64.set(tabC.tw, twC / 8);
  f64.set(tabR.tw, twR / 8);
  const i32 = new Int32Array(memory.buffer);
  i32.set(tabC.br, brC / 4);
  i32.set(tabR.br, brR / 4);
  f64.fill(0, pw / 8, (pw + blocks * blockBytes) / 8);
  const kind = input === 'int8' ? 0 : 1;
  const inputView =
    input === 'int8' ? new Int8Array(memory.buffer, src, 2 * N) : f64.subarray(src / 8, src / 8 + 2 * N);
  return {
    input: inputView,
    accumulate(pair, block1, block2) {
      exp.forward_pair(
        kind,
        src,
        pair ? 1 : 0,
        rows,
        cols,
        s1,
        s2,
        cb,
        twC,
        brC,
        tabC.s,
        twR,
        brR,
        tabR.s,
        pw + block1 * blockBytes,
        pw + (pair ? block2 : block1) * blockBytes,
        sums,
      );
      if (kind === 0) return [f64[sums / 8]!, pair ? f64[sums / 8 + 1]! : 0];
      return [exp.sum_f64(src, N), pair ? exp.sum_f64(src + 8 * N, N) : 0];
    },
    inverse(block, pair, scale) {
      exp.inverse_pair(
        pw + block * blockBytes,
        pw + (pair ? block + 1 : block) * blockBytes,
        pair ? 1 : 0,
        rows,
        cols,
        s1,
        s2,
        cb,
        twC,
        brC,
        tabC.s,
        twR,
        brR,
        tabR.s,
        values + block * N * 8,
        values + (block + 1) * N * 8,
        scale,
      );
    },
    blockValues: f64.subarray(values / 8, values / 8 + blocks * N),
    jackknife(n, mean, leaveOutCount, leaveOutMean, fullOut, errorOut) {
      const jack = leaveOutCount !== null && blocks >= 2;
      if (jack) {
        f64.set(leaveOutCount, cnt / 8);
        for (let b = 0; b < blocks; b++)
          f64[mu2 / 8 + b] = leaveOutMean === null ? 0 : leaveOutMean[b]! * leaveOutMean[b]!;
      }
      exp.jackknife(
        values,
        blocks,
        N,
        n,
        mean * mean,
        jack ? 1 : 0,
        cnt,
        mu2,
        (blocks - 1) / blocks,
        full,
        err,
        total,
        avg,
        chunk,
        pw,
        Bp,
      );
      fullOut.set(f64.subarray(full / 8, full / 8 + N));
      if (jack) errorOut.set(f64.subarray(err / 8, err / 8 + N));
    },
    groupMeans(groups, est, ofFull = false) {
      const K = groups.multiplicity.length;
      if (!ofFull && K * Bp <= blocks * N) {
        // member order: lt is read front to back, the K x Bp sums (over blockValues) stay in cache
        i32.set(groups.group, start / 4);
        i32.set(groups.members, idx / 4);
        exp.member_sums(pw, Bp, start, idx, groups.members.length, values, K);
        const m = groups.multiplicity;
        for (let k = 0, a = values / 8; k < K; k++, a += Bp)
          for (let b = 0, e = k; b < blocks; b++, e += K) est[e] = f64[a + b]! / m[k]!;
        return;
      }
      const B = ofFull ? 1 : blocks;
      i32.set(groups.byGroup, idx / 4);
      i32.set(groups.groupStart, start / 4);
      f64.set(groups.multiplicity, mult / 8);
      // the full estimate as one block of stride 1 (the kernel's second lane reads the next entry, unused)
      exp.group_means(ofFull ? full : pw, ofFull ? 1 : Bp, B, idx, start, K, mult, acc, values);
      est.set(f64.subarray(values / 8, values / 8 + B * K));
    },
  };
}
