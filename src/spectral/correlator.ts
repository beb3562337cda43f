/**
 * Two-point correlators of ensembles on periodic lattices, by FFT: for each configuration the power
 * spectrum |f(q)|^2 gives sum_x f(x) f(x + d) for every displacement d at once (Wiener-Khinchin), so an
 * L x L lattice costs O(N log N) instead of the direct O(N^2). Two real configurations share one complex
 * transform (f1 + i f2), and power spectra are summed per jackknife block before one inverse transform per
 * block, so an ensemble costs about half a complex N-point transform per configuration. On rows x cols
 * lattices with both sides powers of two, the transforms, block sums, inverses and the jackknife over
 * blocks run on WebAssembly SIMD (core/wasm/fft2dWasm) when the engine has it, with the same results to the
 * last bit as the TypeScript path (fft.js), which remains the fallback.
 *
 * Conventions: G(d) = < (1/N) sum_x f(x) f(x + d) > over the ensemble (the thesis' all-pairs average);
 * the connected correlator subtracts <f>^2 with <f> the ensemble and site mean. Displacements use the
 * storage layout of a configuration (index of d = (dy, dx) is dy * cols + dx, negative components wrap).
 * Errors are jackknife errors over contiguous blocks of configurations (one sigma); with a single
 * configuration they are NaN.
 * @module
 */
import FFT from 'fft.js';
import { fftNdKernel, signedMode } from '../core/fft.js';
import type { Estimate } from '../core/stats.js';
import {
  checkAllFinite,
  checkInteger,
  checkObject,
  checkOneOf,
  checkOptions,
  checkShape,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { createPairPowerWorkspace } from '../core/wasm/fft2dWasm.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const CORRELATOR_OPTIONS_KEYS = optionKeys<CorrelatorOptions>({ blocks: true, connected: true });
const ENERGY_CORRELATOR_OPTIONS_KEYS = optionKeys<EnergyCorrelatorOptions>({
  axis: true,
  blocks: true,
  connected: true,
});

/** Options of the correlator functions. */
export interface CorrelatorOptions {
  /** Number of jackknife blocks (default min(32, n)); make blocks longer than the autocorrelation time. */
  readonly blocks?: number;
  /** Subtract <f>^2 (default false for spins, true for the energy operator). */
  readonly connected?: boolean;
}

/** A correlator as a function of distance. */
export interface DistanceProfile {
  /** Distances in lattice spacings, ascending. */
  readonly r: Float64Array;
  /** Mean correlator at each distance. */
  readonly value: Float64Array;
  /** Jackknife error of each value. */
  readonly error: Float64Array;
  /** Number of displacement vectors averaged into each value. */
  readonly multiplicity: Float64Array;
  /**
   * The leave-one-block-out estimates behind the errors: `blocks` rows of r.length values (row-major),
   * for jackknifing non-linear functions of the whole profile (e.g. fitScalingDimensionJackknife).
   * Empty with a single block.
   */
  readonly jackknife: Float64Array;
  /** Number of jackknife rows. */
  readonly blocks: number;
}

/** Result of {@link spinCorrelator}, {@link energyCorrelator} and {@link twoPointCorrelator}. */
export interface CorrelatorResult {
  /** Lattice shape. */
  readonly shape: number[];
  /** Number of configurations. */
  readonly samples: number;
  /** Jackknife blocks used. */
  readonly blocks: number;
  /** Whether <f>^2 was subtracted. */
  readonly connected: boolean;
  /** G(d) for every displacement, laid out like a configuration. */
  readonly displacement: Float64Array;
  /** Jackknife error of each G(d). */
  readonly displacementError: Float64Array;
  /** Along each axis: r = 0..floor(L_axis / 2). */
  readonly axes: DistanceProfile[];
  /** Along the axes, averaged over all axes, r = 0..floor(min L / 2). */
  readonly axis: DistanceProfile;
  /** Averaged over all displacements at each exact Euclidean (minimum-image) distance r < min(L) / 2. */
  readonly distance: DistanceProfile;
  /** Radially averaged in unit-width bins: bin k holds displacements with round(r) = k, r < min(L) / 2. */
  readonly radial: DistanceProfile;
  /** Ensemble and site mean of the field, with its jackknife error. */
  readonly fieldMean: Estimate;
}

/** Fills `out` (length N) with the field of configuration c. */
type FieldFill = (c: number, out: Float64Array) => void;

/**
 * Writes sites [from, to) of the fields of configurations c and c + 1 (or 0 when `pair` is false) into the
 * real and imaginary parts of the interleaved complex array `out` (site i at out[2 (i - from)]), and adds
 * their values, in index order, to sums[0] and sums[1]. Called with from = 0 first, then on consecutive
 * ranges up to N.
 */
type FieldFillPair = (
  c: number,
  pair: boolean,
  from: number,
  to: number,
  out: Float64Array,
  sums: Float64Array,
) => void;

/** A {@link FieldFillPair} through a {@link FieldFill} and two scratch arrays of length N. */
function fillPairVia(fill: FieldFill, N: number): FieldFillPair {
  const f1 = new Float64Array(N);
  const f2 = new Float64Array(N);
  return (c, pair, from, to, out, sums) => {
    if (from === 0) {
      fill(c, f1);
      if (pair) fill(c + 1, f2);
      else f2.fill(0);
    }
    let s1 = sums[0]!;
    let s2 = sums[1]!;
    for (let i = from, o = 0; i < to; i++, o += 2) {
      out[o] = f1[i]!;
      out[o + 1] = f2[i]!;
      s1 += f1[i]!;
      s2 += f2[i]!;
    }
    sums[0] = s1;
    sums[1] = s2;
  };
}

/** The {@link FieldFillPair} of configurations stored one after another in `configs` (N values each). */
function fillPairFrom(configs: ArrayLike<number>, N: number): FieldFillPair {
  return (c, pair, from, to, out, sums) => {
    const base = c * N;
    let s1 = sums[0]!;
    let s2 = sums[1]!;
    if (pair) {
      for (let i = base + from, o = 0; i < base + to; i++, o += 2) {
        const v1 = configs[i]!;
        const v2 = configs[i + N]!;
        out[o] = v1;
        out[o + 1] = v2;
        s1 += v1;
        s2 += v2;
      }
    } else {
      for (let i = base + from, o = 0; i < base + to; i++, o += 2) {
        const v1 = configs[i]!;
        out[o] = v1;
        out[o + 1] = 0;
        s1 += v1;
      }
    }
    sums[0] = s1;
    sums[1] = s2;
  };
}

interface BlockSums {
  readonly B: number;
  readonly counts: Float64Array;
  /**
   * B x N: sum over the block's configurations of |f(q)|^2 (unnormalised); when `transposed`, B x half
   * entries in the half-space transposed layout of {@link accumulatePower2d}.
   */
  readonly power: Float64Array;
  readonly transposed: boolean;
  /** B: sum over the block's configurations of the site mean of f. */
  readonly fieldSum: Float64Array;
}

/** Index of -q for each q on the grid of `shape`. */
function negationIndex(shape: readonly number[], n: number): Int32Array {
  const neg = new Int32Array(n);
  const dims = shape.length;
  const idx = new Array<number>(dims).fill(0);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let d = 0; d < dims; d++) j = j * shape[d]! + ((shape[d]! - idx[d]!) % shape[d]!);
    neg[i] = j;
    for (let d = dims - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return neg;
}

const negationCache = new Map<string, Int32Array>();

/** {@link negationIndex}, cached for a few shapes (no observable state). */
function cachedNegationIndex(shape: readonly number[], n: number): Int32Array {
  const key = shape.join('x');
  let neg = negationCache.get(key);
  if (!neg) {
    neg = negationIndex(shape, n);
    if (negationCache.size >= 8) negationCache.delete(negationCache.keys().next().value!);
    negationCache.set(key, neg);
  }
  return neg;
}

/** Block of configuration c when n configurations are cut into B contiguous blocks. */
function blockOf(c: number, n: number, B: number): number {
  return Math.min(B - 1, Math.floor((c * B) / n));
}

/**
 * Split the transform z (interleaved complex) of f1 + i f2 into the power spectra of the two real fields,
 * |F1(q)|^2 = |Z(q) + conj Z(-q)|^2 / 4 and |F2(q)|^2 = |Z(q) - conj Z(-q)|^2 / 4, for the first `count`
 * entries (neg[i] = the index of -q), added to power[o1 + i] and power[o2 + i]. O(count).
 */
function addPairPowers(
  z: Float64Array,
  neg: Int32Array,
  count: number,
  power: Float64Array,
  o1: number,
  o2: number,
): void {
  for (let i = 0; i < count; i++) {
    const j = neg[i]!;
    const a = z[2 * i]!;
    const bb = z[2 * i + 1]!;
    const cc = z[2 * j]!;
    const d = z[2 * j + 1]!;
    const p1 = a + cc;
    const q1 = bb - d;
    const p2 = a - cc;
    const q2 = bb + d;
    power[o1 + i]! += 0.25 * (p1 * p1 + q1 * q1);
    power[o2 + i]! += 0.25 * (p2 * p2 + q2 * q2);
  }
}

/**
 * Power spectra summed per jackknife block, two configurations per complex transform.
 * O(n N log N / 2).
 */
function accumulatePower(
  n: number,
  shape: readonly number[],
  N: number,
  B: number,
  fill: FieldFill,
): BlockSums {
  const counts = new Float64Array(B);
  const power = new Float64Array(B * N);
  const fieldSum = new Float64Array(B);
  const neg = cachedNegationIndex(shape, N);
  const f1 = new Float64Array(N);
  const f2 = new Float64Array(N);
  const z = new Float64Array(2 * N);
  for (let c = 0; c < n; c += 2) {
    const pair = c + 1 < n;
    fill(c, f1);
    if (pair) fill(c + 1, f2);
    else f2.fill(0);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      z[2 * i] = f1[i]!;
      z[2 * i + 1] = f2[i]!;
      s1 += f1[i]!;
      s2 += f2[i]!;
    }
    fftNdKernel(z, 0, shape, false);
    const b1 = blockOf(c, n, B);
    const o1 = b1 * N;
    counts[b1]! += 1;
    fieldSum[b1]! += s1 / N;
    if (!pair) {
      for (let i = 0; i < N; i++) {
        const re = z[2 * i]!;
        const im = z[2 * i + 1]!;
        power[o1 + i]! += re * re + im * im;
      }
      continue;
    }
    const b2 = blockOf(c + 1, n, B);
    const o2 = b2 * N;
    counts[b2]! += 1;
    fieldSum[b2]! += s2 / N;
    addPairPowers(z, neg, N, power, o1, o2);
  }
  return { B, counts, power, fieldSum, transposed: false };
}

/** The tables of an fft.js instance (read once to copy them into typed arrays). */
interface FftJsTables {
  readonly table: ArrayLike<number>;
  readonly _bitrev: ArrayLike<number>;
  readonly _width: number;
}

/** A forward transform of interleaved complex data: 2 n doubles of `data` from `dataOff` into `out` from `outOff`. */
type ForwardFft = (out: Float64Array, outOff: number, data: Float64Array, dataOff: number) => void;

/**
 * The forward transform of fft.js (`new FFT(n).transform(out, data)`, radix 4, n a power of two >= 2) with
 * the same tables and the same operations in the same order, so bit-identical output, but on typed-array
 * tables and with offsets instead of views (fft.js keeps its tables in plain arrays and multiplies by the
 * direction sign +-1 at every butterfly). `out` and `data` regions must not overlap. O(n log n).
 */
function forwardFft(n: number): ForwardFft {
  const source = new FFT(n) as unknown as FftJsTables;
  const table = Float64Array.from(source.table);
  const width = source._width;
  const size = 2 * n;
  const first = 1 << width;
  const bitrev = Int32Array.from({ length: size / ((size / first) << 1) }, (_, t) => source._bitrev[t]!);
  return (out, outOff, data, dataOff) => {
    let step = first;
    let len = (size / step) << 1;
    if (len === 4) {
      for (let o = outOff, t = 0; o < outOff + size; o += len, t++) {
        const off = dataOff + bitrev[t]!;
        const evenR = data[off]!;
        const evenI = data[off + 1]!;
        const oddR = data[off + step]!;
        const oddI = data[off + step + 1]!;
        out[o] = evenR + oddR;
        out[o + 1] = evenI + oddI;
        out[o + 2] = evenR - oddR;
        out[o + 3] = evenI - oddI;
      }
    } else {
      const step2 = step * 2;
      const step3 = step * 3;
      for (let o = outOff, t = 0; o < outOff + size; o += len, t++) {
        const off = dataOff + bitrev[t]!;
        const Ar = data[off]!;
        const Ai = data[off + 1]!;
        const Br = data[off + step]!;
        const Bi = data[off + step + 1]!;
        const Cr = data[off + step2]!;
        const Ci = data[off + step2 + 1]!;
        const Dr = data[off + step3]!;
        const Di = data[off + step3 + 1]!;
        const T0r = Ar + Cr;
        const T0i = Ai + Ci;
        const T1r = Ar - Cr;
        const T1i = Ai - Ci;
        const T2r = Br + Dr;
        const T2i = Bi + Di;
        const T3r = Br - Dr;
        const T3i = Bi - Di;
        out[o] = T0r + T2r;
        out[o + 1] = T0i + T2i;
        out[o + 2] = T1r + T3i;
        out[o + 3] = T1i - T3r;
        out[o + 4] = T0r - T2r;
        out[o + 5] = T0i - T2i;
        out[o + 6] = T1r - T3i;
        out[o + 7] = T1i + T3r;
      }
    }
    for (step >>= 2; step >= 2; step >>= 2) {
      len = (size / step) << 1;
      const quarterLen = len >>> 2;
      for (let o = outOff; o < outOff + size; o += len) {
        const limit = o + quarterLen;
        for (let A = o, k = 0; A < limit; A += 2, k += step) {
          const B = A + quarterLen;
          const C = B + quarterLen;
          const D = C + quarterLen;
          const Ar = out[A]!;
          const Ai = out[A + 1]!;
          const Br = out[B]!;
          const Bi = out[B + 1]!;
          const Cr = out[C]!;
          const Ci = out[C + 1]!;
          const Dr = out[D]!;
          const Di = out[D + 1]!;
          const tBr = table[k]!;
          const tBi = table[k + 1]!;
          const MBr = Br * tBr - Bi * tBi;
          const MBi = Br * tBi + Bi * tBr;
          const tCr = table[2 * k]!;
          const tCi = table[2 * k + 1]!;
          const MCr = Cr * tCr - Ci * tCi;
          const MCi = Cr * tCi + Ci * tCr;
          const tDr = table[3 * k]!;
          const tDi = table[3 * k + 1]!;
          const MDr = Dr * tDr - Di * tDi;
          const MDi = Dr * tDi + Di * tDr;
          const T0r = Ar + MCr;
          const T0i = Ai + MCi;
          const T1r = Ar - MCr;
          const T1i = Ai - MCi;
          const T2r = MBr + MDr;
          const T2i = MBi + MDi;
          const T3r = MBr - MDr;
          const T3i = MBi - MDi;
          out[A] = T0r + T2r;
          out[A + 1] = T0i + T2i;
          out[B] = T1r + T3i;
          out[B + 1] = T1i - T3r;
          out[C] = T0r - T2r;
          out[C + 1] = T0i - T2i;
          out[D] = T1r - T3i;
          out[D + 1] = T1i + T3r;
        }
      }
    }
  };
}

/** True for a 2D shape whose sides are both powers of two >= 2 (the fast path of {@link accumulatePower2d}). */
function isPow2Lattice(shape: readonly number[]): boolean {
  return shape.length === 2 && shape.every((len) => len >= 2 && (len & (len - 1)) === 0);
}

/**
 * {@link accumulatePower} for a rows x cols lattice with both sides powers of two. The same transforms
 * (fft.js's, through {@link forwardFft}) on the same data, rows then columns, and the same power formula,
 * so the same power spectra to the last bit (but for an unpaired last configuration, whose |Z(q)|^2 is
 * symmetrised, a rounding-level change); but the row transforms are written out transposed, a few rows at
 * a time, so the column transforms read contiguous data (no copies, no separate transpose passes), and since |f(q)|^2 = |f(-q)|^2
 * (bit for bit: the pair formula is symmetric under q -> -q) only the half q1 <= cols / 2 is computed and
 * stored, in transposed layout (entry q1 * rows + q0), `half` = (cols / 2 + 1) rows entries per block.
 * O(n N log N / 2).
 */
function accumulatePower2d(
  n: number,
  shape: readonly number[],
  N: number,
  B: number,
  fillPair: FieldFillPair,
): BlockSums {
  const rows = shape[0]!;
  const cols = shape[1]!;
  const half = (cols / 2 + 1) * rows;
  const counts = new Float64Array(B);
  const power = new Float64Array(B * half);
  const fieldSum = new Float64Array(B);
  const neg = cachedNegationIndex([cols, rows], N);
  const rowFft = forwardFft(cols);
  const colFft = rows === cols ? rowFft : forwardFft(rows);
  const z = new Float64Array(2 * N);
  const w = new Float64Array(2 * N);
  // row transforms go RB rows at a time through a small buffer, then to w transposed (one cache line of
  // w per column and block when RB = 4): no separate transpose pass
  const RB = Math.min(rows, 4);
  const S = new Float64Array(2 * cols * RB);
  const sums = new Float64Array(2);
  for (let c = 0; c < n; c += 2) {
    const pair = c + 1 < n;
    sums[0] = 0;
    sums[1] = 0;
    fillPair(c, pair, 0, N, z, sums);
    for (let r0 = 0; r0 < rows; r0 += RB) {
      for (let rr = 0; rr < RB; rr++) rowFft(S, 2 * rr * cols, z, 2 * (r0 + rr) * cols);
      for (let k = 0; k < cols; k++) {
        const dst = 2 * (k * rows + r0);
        for (let rr = 0, src = 2 * k; rr < RB; rr++, src += 2 * cols) {
          w[dst + 2 * rr] = S[src]!;
          w[dst + 2 * rr + 1] = S[src + 1]!;
        }
      }
    }
    for (let k = 0; k < cols; k++) colFft(z, 2 * k * rows, w, 2 * k * rows);
    const out = z;
    const b1 = blockOf(c, n, B);
    const o1 = b1 * half;
    counts[b1]! += 1;
    fieldSum[b1]! += sums[0]! / N;
    if (!pair) {
      // |Z(q)|^2 symmetrised as |Z(q) + conj Z(-q)|^2 / 4 (the same up to rounding; exactly even in q)
      for (let i = 0; i < half; i++) {
        const j = neg[i]!;
        const p1 = out[2 * i]! + out[2 * j]!;
        const q1 = out[2 * i + 1]! - out[2 * j + 1]!;
        power[o1 + i]! += 0.25 * (p1 * p1 + q1 * q1);
      }
      continue;
    }
    const b2 = blockOf(c + 1, n, B);
    const o2 = b2 * half;
    counts[b2]! += 1;
    fieldSum[b2]! += sums[1]! / N;
    addPairPowers(out, neg, half, power, o1, o2);
  }
  return { B, counts, power, fieldSum, transposed: true };
}

/**
 * The jackknife over blocks of {@link jackknifeDisplacements}, on the block sums it was made for:
 * (n, mean, leaveOutCount (null for B < 2), leaveOutMean or null, full, error).
 */
type BlockJackknife = (
  n: number,
  mean: number,
  leaveOutCount: Float64Array | null,
  leaveOutMean: Float64Array | null,
  full: Float64Array,
  error: Float64Array,
) => void;

/** Per jackknife block: configurations and summed site means; the jackknife over the block correlators. */
interface BlockCorrelations {
  readonly counts: Float64Array;
  readonly fieldSum: Float64Array;
  /**
   * The jackknife over the B x N block sums of (1/N) sum_x f(x) f(x + d) (which it overwrites with the
   * leave-one-block-out estimates).
   */
  readonly jackknife: BlockJackknife;
  /**
   * After the jackknife, the B x K means of the leave-one-block-out estimates over the groups of `map`
   * (see {@link groupMeans}).
   */
  readonly groupMeans: (map: ProfileMap) => Float64Array;
  /** After the jackknife, {@link applyProfile} of `map` on the full estimate `full` it wrote. */
  readonly fullMeans: (map: ProfileMap, full: Float64Array) => Float64Array;
}

/**
 * {@link accumulatePower2d} and {@link powerToCorrelation} on WebAssembly SIMD (core/wasm/fft2dWasm), with
 * the same results to the last bit; null when that backend is unavailable (the caller then takes the
 * TypeScript path). Int8 and Float64 `source` arrays are copied into the module's memory as they are;
 * other fields are written there by `fill`. O(n N log N / 2 + B N log N / 2).
 */
function blockCorrelationsWasm(
  n: number,
  shape: readonly number[],
  N: number,
  B: number,
  fill: FieldFill,
  source: ArrayLike<number> | undefined,
): BlockCorrelations | null {
  const int8 = source instanceof Int8Array;
  const ws = createPairPowerWorkspace(shape[0]!, shape[1]!, B, int8 ? 'int8' : 'float64');
  if (ws === null) return null;
  const counts = new Float64Array(B);
  const fieldSum = new Float64Array(B);
  const input = ws.input;
  for (let c = 0; c < n; c += 2) {
    const pair = c + 1 < n;
    const end = (c + (pair ? 2 : 1)) * N;
    if (int8) input.set(source.subarray(c * N, end));
    else if (source instanceof Float64Array) input.set(source.subarray(c * N, end));
    else {
      fill(c, input.subarray(0, N) as Float64Array);
      if (pair) fill(c + 1, input.subarray(N, 2 * N) as Float64Array);
    }
    const b1 = blockOf(c, n, B);
    const b2 = pair ? blockOf(c + 1, n, B) : b1;
    const [s1, s2] = ws.accumulate(pair, b1, b2);
    counts[b1]! += 1;
    fieldSum[b1]! += s1 / N;
    if (pair) {
      counts[b2]! += 1;
      fieldSum[b2]! += s2 / N;
    }
  }
  // the TypeScript path divides by N in fft.js's inverse and again in powerToCorrelation: both exact
  for (let b = 0; b < B; b += 2) ws.inverse(b, b + 1 < B, 1 / (N * N));
  return {
    counts,
    fieldSum,
    jackknife: ws.jackknife,
    groupMeans: (map) => {
      const est = new Float64Array(B * map.r.length);
      ws.groupMeans(map, est);
      return est;
    },
    fullMeans: (map) => {
      const value = new Float64Array(map.r.length);
      ws.groupMeans(map, value, true);
      return value;
    },
  };
}

/** Turn block power sums into block sums of (1/N) sum_x f(x) f(x+d), in place, two blocks per transform. */
function powerToCorrelation(sums: BlockSums, shape: readonly number[], N: number): Float64Array {
  const { B, power } = sums;
  const corr = new Float64Array(B * N);
  const w = new Float64Array(2 * N);
  // natural-layout index of each stored power entry (transposed storage: entry q1 * rows + q0)
  const rows = shape[0]!;
  const cols = N / rows;
  for (let b = 0; b < B; b += 2) {
    const pair = b + 1 < B;
    if (sums.transposed) {
      // half storage (see accumulatePower2d): q1 <= cols / 2 at q1 * rows + q0, the rest through q -> -q
      const half = (cols / 2 + 1) * rows;
      for (let q0 = 0, i = 0; q0 < rows; q0++) {
        for (let q1 = 0; q1 < cols; q1++, i++) {
          const t = q1 <= cols / 2 ? q1 * rows + q0 : (cols - q1) * rows + ((rows - q0) & (rows - 1));
          w[2 * i] = power[b * half + t]!;
          w[2 * i + 1] = pair ? power[(b + 1) * half + t]! : 0;
        }
      }
    } else {
      for (let i = 0; i < N; i++) {
        w[2 * i] = power[b * N + i]!;
        w[2 * i + 1] = pair ? power[(b + 1) * N + i]! : 0;
      }
    }
    fftNdKernel(w, 0, shape, true);
    for (let i = 0; i < N; i++) {
      corr[b * N + i] = w[2 * i]! / N;
      if (pair) corr[(b + 1) * N + i] = w[2 * i + 1]! / N;
    }
  }
  return corr;
}

interface ProfileMap {
  /** For each displacement, its group (or -1). */
  readonly group: Int32Array;
  /** The displacements with a group, ascending (a profile along the axes holds few of the N). */
  readonly members: Int32Array;
  /** The members ordered by group, ascending within each group: group k is byGroup[groupStart[k] ..]. */
  readonly byGroup: Int32Array;
  /** Start of each group in `byGroup`, and its length at the end (K + 1 entries). */
  readonly groupStart: Int32Array;
  readonly r: Float64Array;
  readonly multiplicity: Float64Array;
}

/** The byGroup and groupStart fields of a {@link ProfileMap} with K groups (a counting sort). */
function groupOrder(
  group: Int32Array,
  members: Int32Array,
  K: number,
): { byGroup: Int32Array; groupStart: Int32Array } {
  const groupStart = new Int32Array(K + 1);
  for (let m = 0; m < members.length; m++) groupStart[group[members[m]!]! + 1]! += 1;
  for (let k = 0; k < K; k++) groupStart[k + 1]! += groupStart[k]!;
  const next = groupStart.slice(0, K);
  const byGroup = new Int32Array(members.length);
  for (let m = 0; m < members.length; m++) byGroup[next[group[members[m]!]!]!++] = members[m]!;
  return { byGroup, groupStart };
}

function buildProfile(
  shape: readonly number[],
  N: number,
  key: (disp: Int32Array) => number,
  rOf: (k: number) => number,
): ProfileMap {
  const dims = shape.length;
  const idx = new Int32Array(dims);
  const disp = new Int32Array(dims);
  const keys = new Int32Array(N);
  let maxKey = -1;
  for (let i = 0; i < N; i++) {
    for (let d = 0; d < dims; d++) disp[d] = signedMode(idx[d]!, shape[d]!);
    const k = key(disp);
    keys[i] = k;
    if (k > maxKey) maxKey = k;
    for (let d = dims - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  const position = new Int32Array(maxKey + 1).fill(-1);
  for (let i = 0; i < N; i++) if (keys[i]! >= 0) position[keys[i]!] = 0;
  const sorted: number[] = [];
  for (let k = 0; k <= maxKey; k++) if (position[k] === 0) position[k] = sorted.push(k) - 1;
  const group = new Int32Array(N);
  const multiplicity = new Float64Array(sorted.length);
  for (let i = 0; i < N; i++) {
    const k = keys[i]!;
    group[i] = k >= 0 ? position[k]! : -1;
    if (k >= 0) multiplicity[group[i]!]! += 1;
  }
  let count = 0;
  for (let i = 0; i < N; i++) if (group[i]! >= 0) count++;
  const members = new Int32Array(count);
  for (let i = 0, m = 0; i < N; i++) if (group[i]! >= 0) members[m++] = i;
  return {
    group,
    members,
    ...groupOrder(group, members, sorted.length),
    r: Float64Array.from(sorted, rOf),
    multiplicity,
  };
}

interface ProfileSet {
  readonly axes: ProfileMap[];
  readonly axis: ProfileMap;
  readonly distance: ProfileMap;
  readonly radial: ProfileMap;
}

/** Profile maps depend only on the shape: a few are cached (no observable state; saves O(N) per call). */
const profileCache = new Map<string, ProfileSet>();

function sumSquares(disp: Int32Array): number {
  let s = 0;
  for (let d = 0; d < disp.length; d++) s += disp[d]! * disp[d]!;
  return s;
}

function profileSet(shape: readonly number[], N: number): ProfileSet {
  const cacheKey = shape.join('x');
  const cached = profileCache.get(cacheKey);
  if (cached) return cached;
  const dims = shape.length;
  const minL = Math.min(...shape);
  const axes: ProfileMap[] = [];
  for (let a = 0; a < dims; a++) {
    const half = Math.floor(shape[a]! / 2);
    axes.push(
      buildProfile(
        shape,
        N,
        (d) => {
          for (let k = 0; k < d.length; k++) if (k !== a && d[k] !== 0) return -1;
          return d[a]! >= 0 && d[a]! <= half ? d[a]! : -1;
        },
        (k) => k,
      ),
    );
  }
  const halfMin = Math.floor(minL / 2);
  const axis = buildProfile(
    shape,
    N,
    (d) => {
      let nonzero = 0;
      let r = 0;
      for (let k = 0; k < d.length; k++) {
        if (d[k] !== 0) {
          nonzero++;
          r = d[k]!;
        }
      }
      return nonzero <= 1 && r >= 0 && r <= halfMin ? r : -1;
    },
    (k) => k,
  );
  const r2Max = (minL / 2) ** 2;
  const distance = buildProfile(
    shape,
    N,
    (d) => {
      const r2 = sumSquares(d);
      return r2 < r2Max ? r2 : -1;
    },
    (k) => Math.sqrt(k),
  );
  const radial = buildProfile(
    shape,
    N,
    (d) => {
      const r2 = sumSquares(d);
      return r2 < r2Max ? Math.round(Math.sqrt(r2)) : -1;
    },
    (k) => k,
  );
  const set = { axes, axis, distance, radial };
  if (profileCache.size >= 8) profileCache.delete(profileCache.keys().next().value!);
  profileCache.set(cacheKey, set);
  return set;
}

/** out[k] = mean of g[gOffset + i] over the displacements i of group k (summed in ascending i, from 0). */
function applyProfile(map: ProfileMap, g: Float64Array, gOffset: number, out: Float64Array): void {
  const { byGroup, groupStart, multiplicity } = map;
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let j = groupStart[k]!; j < groupStart[k + 1]!; j++) s += g[gOffset + byGroup[j]!]!;
    out[k] = s / multiplicity[k]!;
  }
}

/** Jackknife mean and error of a linear map of the displacement correlator. */
function jackknifeProfile(
  map: ProfileMap,
  full: Float64Array,
  leaveOut: Float64Array,
  B: number,
  N: number,
): DistanceProfile {
  const K = map.r.length;
  const value = new Float64Array(K);
  applyProfile(map, full, 0, value);
  const error = new Float64Array(K);
  let est = new Float64Array(0);
  if (B < 2) error.fill(Number.NaN);
  else {
    est = new Float64Array(B * K);
    const tmp = new Float64Array(K);
    const avg = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      applyProfile(map, leaveOut, b * N, tmp);
      est.set(tmp, b * K);
      for (let k = 0; k < K; k++) avg[k]! += tmp[k]! / B;
    }
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += (est[b * K + k]! - avg[k]!) ** 2;
      error[k] = Math.sqrt(((B - 1) / B) * s);
    }
  }
  return { r: map.r, value, error, multiplicity: map.multiplicity, jackknife: est, blocks: B < 2 ? 0 : B };
}

/** Displacements per chunk of {@link jackknifeDisplacements}: B chunks of corr (B x 8 kB) stay in cache. */
const JACKKNIFE_CHUNK = 1024;

/**
 * From block sums `corr` (B x N) of (1/N) sum_x f(x) f(x + d): the full estimate into `full` (minus
 * `mean`^2), and, when `leaveOutCount` is given (B >= 2), the leave-one-block-out estimates written over
 * `corr` (block b: over n - counts[b] = `leaveOutCount[b]` configurations, minus `leaveOutMean[b]`^2 when
 * given) and their jackknife errors into `error` (left alone otherwise). Every entry goes through the
 * same operations in the same order as in separate passes over the whole arrays (block sums in block
 * order), but one chunk of displacements at a time, so that the B x N array is read from memory once.
 * O(B N).
 */
function jackknifeDisplacements(
  corr: Float64Array,
  full: Float64Array,
  error: Float64Array,
  B: number,
  N: number,
  n: number,
  mean: number,
  leaveOutCount: Float64Array | null,
  leaveOutMean: Float64Array | null,
): void {
  const total = new Float64Array(Math.min(N, JACKKNIFE_CHUNK));
  const blockMean = new Float64Array(total.length);
  const mean2 = mean * mean;
  for (let i0 = 0; i0 < N; i0 += JACKKNIFE_CHUNK) {
    const len = Math.min(JACKKNIFE_CHUNK, N - i0);
    total.fill(0);
    for (let b = 0; b < B; b++) {
      const o = b * N + i0;
      for (let i = 0; i < len; i++) total[i]! += corr[o + i]!;
    }
    for (let i = 0; i < len; i++) full[i0 + i] = total[i]! / n - mean2;
    if (leaveOutCount === null) continue;
    blockMean.fill(0);
    for (let b = 0; b < B; b++) {
      const m = leaveOutCount[b]!;
      const mu2 = leaveOutMean === null ? 0 : leaveOutMean[b]! * leaveOutMean[b]!;
      const o = b * N + i0;
      for (let i = 0; i < len; i++) {
        const v = (total[i]! - corr[o + i]!) / m - mu2;
        corr[o + i] = v;
        blockMean[i]! += v;
      }
    }
    for (let i = 0; i < len; i++) blockMean[i]! /= B;
    for (let b = 0; b < B; b++) {
      const o = b * N + i0;
      for (let i = 0; i < len; i++) {
        const dev = corr[o + i]! - blockMean[i]!;
        error[i0 + i]! += dev * dev;
      }
    }
    for (let i = 0; i < len; i++) error[i0 + i] = Math.sqrt(((B - 1) / B) * error[i0 + i]!);
  }
}

/**
 * The B x K means of the leave-one-block-out estimates `leaveOut` (B x N) over the K groups of `map`:
 * est[b K + k] as {@link applyProfile} computes it for block b (sums from 0 in ascending displacement
 * order), block by block in member order (each block's estimates read front to back). O(B N).
 */
function groupMeans(map: ProfileMap, leaveOut: Float64Array, B: number, N: number): Float64Array {
  const K = map.r.length;
  const { group, members, multiplicity } = map;
  const est = new Float64Array(B * K);
  for (let b = 0; b < B; b++) {
    const o = b * N;
    const e = b * K;
    for (let m = 0; m < members.length; m++) {
      const i = members[m]!;
      est[e + group[i]!]! += leaveOut[o + i]!;
    }
    for (let k = 0; k < K; k++) est[e + k]! /= multiplicity[k]!;
  }
  return est;
}

/**
 * {@link jackknifeProfile} of several maps, with the same results, the profiles of the full and of the
 * leave-one-block-out estimates coming from `sums` (see {@link groupMeans}).
 */
function jackknifeProfiles(
  maps: readonly ProfileMap[],
  full: Float64Array,
  B: number,
  sums: Pick<BlockCorrelations, 'groupMeans' | 'fullMeans'>,
): DistanceProfile[] {
  return maps.map((map) => {
    const K = map.r.length;
    const value = sums.fullMeans(map, full);
    const { multiplicity } = map;
    if (B < 2) {
      const error = new Float64Array(K).fill(Number.NaN);
      return { r: map.r, value, error, multiplicity, jackknife: new Float64Array(0), blocks: 0 };
    }
    const est = sums.groupMeans(map);
    const avg = new Float64Array(K);
    for (let b = 0; b < B; b++) for (let k = 0, e = b * K; k < K; k++, e++) avg[k]! += est[e]! / B;
    const error = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += (est[b * K + k]! - avg[k]!) ** 2;
      error[k] = Math.sqrt(((B - 1) / B) * s);
    }
    return { r: map.r, value, error, multiplicity, jackknife: est, blocks: B };
  });
}

function checkEnsemble(
  fn: string,
  configs: ArrayLike<number>,
  shape: readonly number[],
): { n: number; N: number } {
  const N = checkShape(shape as number[], `${fn}: shape`);
  if (!configs || typeof configs.length !== 'number' || configs.length === 0 || configs.length % N !== 0) {
    throw shapeError(
      `${fn}: configs`,
      `a non-empty multiple of ${N} values (n configurations of shape [${shape.join(', ')}])`,
      configs ? `length ${configs.length}` : String(configs),
    );
  }
  // integer arrays (spins) hold only finite values: no O(n N) scan
  const integer =
    configs instanceof Int8Array ||
    configs instanceof Uint8Array ||
    configs instanceof Int16Array ||
    configs instanceof Int32Array;
  if (!integer) checkAllFinite(configs, `${fn}: configs`);
  return { n: configs.length / N, N };
}

/** Shared core: correlator of the fields produced by `fill` for n configurations. */
function correlatorOfFields(
  fn: string,
  n: number,
  shape: readonly number[],
  N: number,
  fill: FieldFill,
  options: CorrelatorOptions,
  connectedDefault: boolean,
  fillPair?: FieldFillPair,
  source?: ArrayLike<number>,
): CorrelatorResult {
  const B = n < 2 ? 1 : checkInteger(options.blocks ?? Math.min(32, n), `${fn}: options.blocks`, 2, n);
  const connected = options.connected ?? connectedDefault;
  if (typeof connected !== 'boolean') throw domainError(`${fn}: options.connected`, 'a boolean', connected);
  const pow2 = isPow2Lattice(shape);
  let sums: BlockCorrelations | null = pow2 ? blockCorrelationsWasm(n, shape, N, B, fill, source) : null;
  if (sums === null) {
    const power = pow2
      ? accumulatePower2d(n, shape, N, B, fillPair ?? fillPairVia(fill, N))
      : accumulatePower(n, shape, N, B, fill);
    const corr = powerToCorrelation(power, shape, N);
    sums = {
      counts: power.counts,
      fieldSum: power.fieldSum,
      jackknife: (samples, mean, count, mu, full, error) =>
        jackknifeDisplacements(corr, full, error, B, N, samples, mean, count, mu),
      groupMeans: (map) => groupMeans(map, corr, B, N),
      fullMeans: (map, full) => {
        const value = new Float64Array(map.r.length);
        applyProfile(map, full, 0, value);
        return value;
      },
    };
  }
  // site means: full and leave-one-block-out
  let fieldTotal = 0;
  for (let b = 0; b < B; b++) fieldTotal += sums.fieldSum[b]!;
  const fieldMean = fieldTotal / n;
  const leaveOutMean = new Float64Array(B);
  const leaveOutCount = new Float64Array(B);
  if (B >= 2) {
    for (let b = 0; b < B; b++) {
      leaveOutCount[b] = n - sums.counts[b]!;
      leaveOutMean[b] = (fieldTotal - sums.fieldSum[b]!) / leaveOutCount[b]!;
    }
  }
  // full estimate and leave-one-block-out estimates of G(d), the latter written over the block sums
  const full = new Float64Array(N);
  const displacementError = new Float64Array(N);
  if (B < 2) displacementError.fill(Number.NaN);
  sums.jackknife(
    n,
    connected ? fieldMean : 0,
    B >= 2 ? leaveOutCount : null,
    connected ? leaveOutMean : null,
    full,
    displacementError,
  );
  let meanError = Number.NaN;
  if (B >= 2) {
    let avg = 0;
    for (let b = 0; b < B; b++) avg += leaveOutMean[b]! / B;
    let s = 0;
    for (let b = 0; b < B; b++) s += (leaveOutMean[b]! - avg) ** 2;
    meanError = Math.sqrt(((B - 1) / B) * s);
  }
  const maps = profileSet(shape, N);
  const dims = maps.axes.length;
  const profiles = jackknifeProfiles([...maps.axes, maps.axis, maps.distance, maps.radial], full, B, sums);
  return {
    shape: [...shape],
    samples: n,
    blocks: B,
    connected,
    displacement: full,
    displacementError,
    axes: profiles.slice(0, dims),
    axis: profiles[dims]!,
    distance: profiles[dims + 1]!,
    radial: profiles[dims + 2]!,
    fieldMean: { mean: fieldMean, error: meanError },
  };
}

/**
 * Two-point correlator of an ensemble of real fields (spins, block averages, RBM outputs, ...) on a
 * periodic lattice of any rank (chains `[L]`, lattices `[rows, cols]`), any sizes. See the module notes for
 * conventions. Cost O(n N log N) plus O(B N log N) for B jackknife blocks; memory O(B N).
 * @param configs - n configurations of `shape`, one after another (n >= 1).
 * @throws ShapeError if `configs` is empty or not a whole number of configurations; DomainError for bad
 *   options (blocks outside [2, n]).
 * @example
 * ```ts
 * import { twoPointCorrelator } from 'coarsegrain';
 * // 2 real fields on a chain of 4 sites (e.g. block averages or RBM outputs)
 * const C = twoPointCorrelator(Float64Array.of(1, 0.5, -0.5, -1, 0.2, 0.4, 0.6, 0.8), [4]);
 * // C.axis.value: <f(x) f(x + r)> for r = 0, 1, 2; C.fieldMean: <f>
 * ```
 */
export function twoPointCorrelator(
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: CorrelatorOptions = {},
): CorrelatorResult {
  options = checkOptions(options, 'twoPointCorrelator: options', CORRELATOR_OPTIONS_KEYS);
  const { n, N } = checkEnsemble('twoPointCorrelator', configs, shape);
  const fill: FieldFill = (c, out) => {
    const base = c * N;
    for (let i = 0; i < N; i++) out[i] = configs[base + i]!;
  };
  return correlatorOfFields(
    'twoPointCorrelator',
    n,
    shape,
    N,
    fill,
    options,
    false,
    fillPairFrom(configs, N),
    configs,
  );
}

/**
 * Spin-spin correlator G(d) = <s(x) s(x + d)> of an ensemble of spin configurations (not connected by
 * default, the thesis convention; at zero field <s> = 0 by symmetry). Same conventions and cost as
 * {@link twoPointCorrelator}. For the 2D Ising model at Tc, G(r) ~ 0.70338 r^(-1/4) at large r << L.
 * @throws ShapeError / DomainError as {@link twoPointCorrelator}.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble, spinCorrelator } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.27, samples: 64, rng: createRng(1) });
 * const { axis } = spinCorrelator(ens.configs, [16, 16]);
 * // axis.value[r] = <s(x) s(x + r e)>: 1 at r = 0, ~0.70 r^-1/4 at Tc; axis.error from the jackknife
 * ```
 */
export function spinCorrelator(
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: CorrelatorOptions = {},
): CorrelatorResult {
  options = checkOptions(options, 'spinCorrelator: options', CORRELATOR_OPTIONS_KEYS);
  const { n, N } = checkEnsemble('spinCorrelator', configs, shape);
  const fill: FieldFill = (c, out) => {
    const base = c * N;
    for (let i = 0; i < N; i++) out[i] = configs[base + i]!;
  };
  return correlatorOfFields(
    'spinCorrelator',
    n,
    shape,
    N,
    fill,
    options,
    false,
    fillPairFrom(configs, N),
    configs,
  );
}

/** Options of {@link energyCorrelator}. */
export interface EnergyCorrelatorOptions extends CorrelatorOptions {
  /** Bond direction e of eps(x) = s(x) s(x + e): an axis index, default the last axis (x, along a row). */
  readonly axis?: number;
}

/**
 * Connected correlator of the energy operator eps(x) = s(x) s(x + e) (e a unit vector along `axis`, default
 * the last axis): <eps(x) eps(x + d)> - <eps>^2 (connected by default). At Tc on the 2D Ising model it
 * decays as r^(-2 Delta_eps) with Delta_eps = 1. Same conventions and cost as {@link twoPointCorrelator}.
 * @throws ShapeError / DomainError as {@link twoPointCorrelator}, and DomainError for a bad axis.
 * @example
 * ```ts
 * import { createIsing2D, createRng, energyCorrelator, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.27, samples: 64, rng: createRng(1) });
 * const { axis } = energyCorrelator(ens.configs, [16, 16]); // connected <eps(0) eps(r)>, ~ r^-2 at Tc
 * ```
 */
export function energyCorrelator(
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: EnergyCorrelatorOptions = {},
): CorrelatorResult {
  options = checkOptions(options, 'energyCorrelator: options', ENERGY_CORRELATOR_OPTIONS_KEYS);
  const { n, N } = checkEnsemble('energyCorrelator', configs, shape);
  const dims = shape.length;
  const axis = checkInteger(options.axis ?? dims - 1, 'energyCorrelator: options.axis', 0, dims - 1);
  let stride = 1;
  for (let d = dims - 1; d > axis; d--) stride *= shape[d]!;
  const len = shape[axis]!;
  const fill: FieldFill = (c, out) => {
    const base = c * N;
    for (let i = 0; i < N; i++) {
      const coord = Math.floor(i / stride) % len;
      const j = coord === len - 1 ? i - (len - 1) * stride : i + stride;
      out[i] = configs[base + i]! * configs[base + j]!;
    }
  };
  return correlatorOfFields('energyCorrelator', n, shape, N, fill, options, true);
}

/**
 * Direct O(N^2) reference: sum over all sites x of f(x) f(x + d) / N for every displacement d of one
 * field on the torus. For validating the FFT path and for benchmarks; use {@link twoPointCorrelator}.
 * @throws ShapeError if `field.length !== prod(shape)`.
 */
export function directCorrelation(field: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const N = checkShape(shape as number[], 'directCorrelation: shape');
  if (!field || field.length !== N)
    throw shapeError('directCorrelation: field', `${N} values`, `length ${field?.length}`);
  checkAllFinite(field, 'directCorrelation: field');
  const out = new Float64Array(N);
  if (shape.length === 1) {
    for (let d = 0; d < N; d++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += field[x]! * field[(x + d) % N]!;
      out[d] = s / N;
    }
    return out;
  }
  const dims = shape.length;
  const cols = shape[dims - 1]!;
  const rows = N / cols;
  if (dims !== 2) throw shapeError('directCorrelation: shape', 'rank 1 or 2', `rank ${dims}`);
  for (let dy = 0; dy < rows; dy++) {
    for (let dx = 0; dx < cols; dx++) {
      let s = 0;
      for (let y = 0; y < rows; y++) {
        const row = y * cols;
        const row2 = ((y + dy) % rows) * cols;
        for (let x = 0; x < cols; x++) {
          const x2 = x + dx < cols ? x + dx : x + dx - cols;
          s += field[row + x]! * field[row2 + x2]!;
        }
      }
      out[dy * cols + dx] = s / N;
    }
  }
  return out;
}

/** Result of {@link structureFactor}. */
export interface StructureFactorResult {
  readonly shape: number[];
  readonly samples: number;
  /** S(q) = <|s(q)|^2> / N on the Fourier grid (S(0) = N <m^2>). */
  readonly values: Float64Array;
  /** Jackknife errors of S(q). */
  readonly errors: Float64Array;
  /**
   * S radially averaged over shells of |k| (k the integer wave vector, q = 2 pi k / L on square lattices):
   * shell j holds the modes with round(|k|) = j; `r` holds the shell index j.
   */
  readonly radial: DistanceProfile;
}

/**
 * Static structure factor S(q) = <|sum_x s(x) exp(-i q x)|^2> / N of an ensemble, any rank and sizes.
 * Cost O(n N log N); memory O(B N).
 * @throws ShapeError if `configs` is empty or not a whole number of configurations.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble, structureFactor } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 3, samples: 64, rng: createRng(1) });
 * const { values, radial } = structureFactor(ens.configs, [16, 16]); // S(q) on the 16 x 16 Fourier grid
 * // values[0] = S(0) = N <m^2> (the susceptibility times T); radial: S vs |q|
 * ```
 */
export function structureFactor(
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: { readonly blocks?: number } = {},
): StructureFactorResult {
  options = checkOptions(options, 'structureFactor: options', ['blocks']);
  const { n, N } = checkEnsemble('structureFactor', configs, shape);
  const B =
    n < 2 ? 1 : checkInteger(options.blocks ?? Math.min(32, n), 'structureFactor: options.blocks', 2, n);
  const fill: FieldFill = (c, out) => {
    const base = c * N;
    for (let i = 0; i < N; i++) out[i] = configs[base + i]!;
  };
  const sums = accumulatePower(n, shape, N, B, fill);
  const total = new Float64Array(N);
  for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) total[i]! += sums.power[b * N + i]!;
  const values = new Float64Array(N);
  for (let i = 0; i < N; i++) values[i] = total[i]! / n / N;
  const leaveOut = new Float64Array(B >= 2 ? B * N : 0);
  if (B >= 2) {
    for (let b = 0; b < B; b++) {
      const m = (n - sums.counts[b]!) * N;
      for (let i = 0; i < N; i++) leaveOut[b * N + i] = (total[i]! - sums.power[b * N + i]!) / m;
    }
  }
  const pointMap: ProfileMap = {
    group: Int32Array.from({ length: N }, (_, i) => i),
    members: Int32Array.from({ length: N }, (_, i) => i),
    byGroup: Int32Array.from({ length: N }, (_, i) => i),
    groupStart: Int32Array.from({ length: N + 1 }, (_, i) => i),
    r: new Float64Array(N),
    multiplicity: new Float64Array(N).fill(1),
  };
  const errors = jackknifeProfile(pointMap, values, leaveOut, B, N).error;
  const radialMap = buildProfile(
    shape,
    N,
    (d) => Math.round(Math.sqrt(sumSquares(d))),
    (k) => k,
  );
  return {
    shape: [...shape],
    samples: n,
    values,
    errors,
    radial: jackknifeProfile(radialMap, values, leaveOut, B, N),
  };
}

/** The profile kinds of a {@link CorrelatorResult}, for callers that select one by name. */
export type ProfileKind = 'axis' | 'distance' | 'radial';

/**
 * Pick a profile of a correlator result by name. @throws DomainError for an unknown kind.
 * @example
 * ```ts
 * import { correlatorProfile, createIsing2D, createRng, sampleEnsemble, spinCorrelator } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.27, samples: 64, rng: createRng(1) });
 * const G = spinCorrelator(ens.configs, [16, 16]);
 * const { r, value, error } = correlatorProfile(G, 'axis'); // G(r) along the axes, r = 0..8
 * ```
 */
export function correlatorProfile(result: CorrelatorResult, kind: ProfileKind): DistanceProfile {
  checkObject(result, 'correlatorProfile: result', 'a CorrelatorResult (from spinCorrelator)');
  for (const k of ['axis', 'distance', 'radial'] as const)
    if (result[k] === null || typeof result[k] !== 'object' || !(result[k].r instanceof Float64Array))
      throw domainError(`correlatorProfile: result.${k}`, 'a DistanceProfile', result[k]);
  return result[checkOneOf(kind, 'correlatorProfile: kind', ['axis', 'distance', 'radial'] as const)];
}
