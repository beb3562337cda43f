/**
 * Fast Fourier transforms of any length, in one and more dimensions. Powers of two use fft.js (radix 4);
 * other lengths use Bluestein's chirp-z algorithm on a power-of-two fft.js transform of length >= 2n - 1,
 * so every length costs O(n log n).
 *
 * Conventions: complex data are interleaved `[re0, im0, re1, im1, ...]` in a Float64Array; the forward
 * transform is X(k) = sum_j x(j) exp(-2 pi i j k / n) (unnormalised), the inverse is
 * x(j) = (1/n) sum_k X(k) exp(+2 pi i j k / n). Multi-dimensional arrays are row-major (last axis fastest);
 * mode k of an axis of length L is stored at index k for 0 <= k <= L/2 and at L + k for negative k.
 *
 * Plans (twiddle tables, chirps and scratch buffers) are cached per length in a small module-level Map
 * (and 2D transforms reuse one module-level transpose buffer)
 * (at most {@link FFT_PLAN_CACHE_LIMIT} entries, oldest evicted first). The cache changes no result: it only
 * saves the O(n) set-up of a plan on repeated calls. Plans own scratch memory, so a plan's methods are not
 * re-entrant (JavaScript is single-threaded; each worker has its own cache).
 * @module
 */

import FFT from 'fft.js';
import { checkInteger, checkLimit, checkRange, checkShape, shapeError } from './validate.js';

/** A transform of one fixed length n on interleaved complex arrays of 2n values. */
export interface FftPlan {
  /** Transform length. */
  readonly n: number;
  /**
   * Forward transform of `input` (offset `inOffset`, element stride `inStride` in complex elements) into
   * `out` (offset `outOffset`, stride `outStride`). Offsets count doubles; `out` may alias `input`.
   * Allocates nothing. O(n log n).
   */
  forward(
    out: Float64Array,
    input: Float64Array,
    outOffset?: number,
    inOffset?: number,
    outStride?: number,
    inStride?: number,
  ): void;
  /** Inverse transform (including the 1/n factor); same layout rules as `forward`. */
  inverse(
    out: Float64Array,
    input: Float64Array,
    outOffset?: number,
    inOffset?: number,
    outStride?: number,
    inStride?: number,
  ): void;
}

/** Maximum number of cached plans (one per length). */
export const FFT_PLAN_CACHE_LIMIT = 32;

const planCache = new Map<number, FftPlan>();

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

interface RawFft {
  transform(out: Float64Array, data: Float64Array): void;
  inverseTransform(out: Float64Array, data: Float64Array): void;
}

/** Build a plan: fft.js directly (n a power of two >= 2), trivially (n = 1), or Bluestein. */
function buildPlan(n: number): FftPlan {
  const a = new Float64Array(2 * n);
  const b = new Float64Array(2 * n);
  let core: (dst: Float64Array, src: Float64Array) => void; // forward, dst !== src, contiguous 2n
  let raw: RawFft | null = null; // fft.js itself for powers of two (contiguous fast path)
  if (n === 1) {
    core = (dst, src) => {
      dst[0] = src[0]!;
      dst[1] = src[1]!;
    };
  } else if (isPowerOfTwo(n)) {
    const f = new FFT(n) as unknown as RawFft;
    raw = f;
    core = (dst, src) => f.transform(dst, src);
  } else {
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    const f = new FFT(m) as unknown as RawFft;
    // chirp w_k = exp(-i pi k^2 / n); k^2 reduced mod 2n keeps the angle exact for large k
    const chirp = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const k2 = (k * k) % (2 * n);
      const angle = (Math.PI * k2) / n;
      chirp[2 * k] = Math.cos(angle);
      chirp[2 * k + 1] = -Math.sin(angle);
    }
    // kernel b_k = conj(w_k) for |k| < n (wrapped), transformed once
    const kernel = new Float64Array(2 * m);
    for (let k = 0; k < n; k++) {
      kernel[2 * k] = chirp[2 * k]!;
      kernel[2 * k + 1] = -chirp[2 * k + 1]!;
      if (k > 0) {
        kernel[2 * (m - k)] = chirp[2 * k]!;
        kernel[2 * (m - k) + 1] = -chirp[2 * k + 1]!;
      }
    }
    const kernelHat = new Float64Array(2 * m);
    f.transform(kernelHat, kernel);
    const padA = new Float64Array(2 * m);
    const padB = new Float64Array(2 * m);
    const invM = 1 / m;
    core = (dst, src) => {
      padA.fill(0);
      for (let k = 0; k < n; k++) {
        const xr = src[2 * k]!;
        const xi = src[2 * k + 1]!;
        const wr = chirp[2 * k]!;
        const wi = chirp[2 * k + 1]!;
        padA[2 * k] = xr * wr - xi * wi;
        padA[2 * k + 1] = xr * wi + xi * wr;
      }
      f.transform(padB, padA);
      // multiply by kernelHat and conjugate: the inverse is done as conj(F(conj(.))) / m
      for (let k = 0; k < m; k++) {
        const pr = padB[2 * k]!;
        const pi = padB[2 * k + 1]!;
        const kr = kernelHat[2 * k]!;
        const ki = kernelHat[2 * k + 1]!;
        padB[2 * k] = pr * kr - pi * ki;
        padB[2 * k + 1] = -(pr * ki + pi * kr);
      }
      f.transform(padA, padB);
      for (let k = 0; k < n; k++) {
        const cr = padA[2 * k]! * invM;
        const ci = -padA[2 * k + 1]! * invM;
        const wr = chirp[2 * k]!;
        const wi = chirp[2 * k + 1]!;
        dst[2 * k] = cr * wr - ci * wi;
        dst[2 * k + 1] = cr * wi + ci * wr;
      }
    };
  }
  const run = (
    inverse: boolean,
    out: Float64Array,
    input: Float64Array,
    outOffset = 0,
    inOffset = 0,
    outStride = 1,
    inStride = 1,
  ): void => {
    if (raw !== null && inStride === 1 && outStride === 1) {
      // contiguous power of two: fft.js reads the input view directly (its inverse includes 1/n)
      const src = input.subarray(inOffset, inOffset + 2 * n);
      if (inverse) raw.inverseTransform(b, src);
      else raw.transform(b, src);
      out.set(b, outOffset);
      return;
    }
    // gather (conjugated for the inverse: ifft(x) = conj(fft(conj x)) / n)
    const sign = inverse ? -1 : 1;
    for (let k = 0; k < n; k++) {
      const p = inOffset + 2 * k * inStride;
      a[2 * k] = input[p]!;
      a[2 * k + 1] = sign * input[p + 1]!;
    }
    core(b, a);
    const scale = inverse ? 1 / n : 1;
    for (let k = 0; k < n; k++) {
      const p = outOffset + 2 * k * outStride;
      out[p] = b[2 * k]! * scale;
      out[p + 1] = sign * b[2 * k + 1]! * scale;
    }
  };
  return {
    n,
    forward: (out, input, outOffset, inOffset, outStride, inStride) =>
      run(false, out, input, outOffset, inOffset, outStride, inStride),
    inverse: (out, input, outOffset, inOffset, outStride, inStride) =>
      run(true, out, input, outOffset, inOffset, outStride, inStride),
  };
}

/**
 * The cached plan for length n (built on first use; see the module note on the cache).
 * @throws DomainError unless n is an integer >= 1.
 */
export function fftPlan(n: number): FftPlan {
  checkInteger(n, 'fftPlan: n', 1);
  checkLimit(4 * n, 'fftPlan: 4 n (plan tables and scratch)');
  let plan = planCache.get(n);
  if (plan === undefined) {
    plan = buildPlan(n);
    if (planCache.size >= FFT_PLAN_CACHE_LIMIT) planCache.delete(planCache.keys().next().value!);
    planCache.set(n, plan);
  }
  return plan;
}

/**
 * Unchecked in-place transform of a row-major complex array of `shape` (interleaved, 2 * prod(shape)
 * doubles starting at `offset`) along every axis. Allocates nothing once the plans exist.
 * O(N log N) for N = prod(shape).
 */
export function fftNdKernel(
  data: Float64Array,
  offset: number,
  shape: readonly number[],
  inverse: boolean,
): void {
  const dims = shape.length;
  if (dims === 2 && shape[0]! > 1 && shape[1]! > 1) {
    fft2dKernel(data, offset, shape[0]!, shape[1]!, inverse);
    return;
  }
  let total = 1;
  for (let d = 0; d < dims; d++) total *= shape[d]!;
  let stride = total; // complex elements between consecutive indices of axis d
  for (let d = 0; d < dims; d++) {
    const len = shape[d]!;
    stride /= len;
    if (len === 1) continue;
    const plan = fftPlan(len);
    const outer = total / (len * stride);
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < stride; s++) {
        const start = offset + 2 * (o * len * stride + s);
        if (inverse) plan.inverse(data, data, start, start, stride, stride);
        else plan.forward(data, data, start, start, stride, stride);
      }
    }
  }
}

/** Scratch for the 2D transpose, grown on demand (module-level; it never changes a result). */
let transposeScratch = new Float64Array(0);

/** Blocked transpose of a rows x cols complex matrix (interleaved) into dst (cols x rows). */
function transposeComplex(
  src: Float64Array,
  srcOffset: number,
  rows: number,
  cols: number,
  dst: Float64Array,
  dstOffset: number,
): void {
  const B = 16;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        let p = srcOffset + 2 * (r * cols + c0);
        for (let c = c0; c < c1; c++, p += 2) {
          const q = dstOffset + 2 * (c * rows + r);
          dst[q] = src[p]!;
          dst[q + 1] = src[p + 1]!;
        }
      }
    }
  }
}

/** 2D transform: contiguous row transforms, then a blocked transpose so the columns are contiguous too. */
function fft2dKernel(data: Float64Array, offset: number, rows: number, cols: number, inverse: boolean): void {
  const rowPlan = fftPlan(cols);
  for (let r = 0; r < rows; r++) {
    const start = offset + 2 * r * cols;
    if (inverse) rowPlan.inverse(data, data, start, start);
    else rowPlan.forward(data, data, start, start);
  }
  const size = 2 * rows * cols;
  if (transposeScratch.length < size) transposeScratch = new Float64Array(size);
  const t = transposeScratch;
  transposeComplex(data, offset, rows, cols, t, 0);
  const colPlan = fftPlan(rows);
  for (let c = 0; c < cols; c++) {
    const start = 2 * c * rows;
    if (inverse) colPlan.inverse(t, t, start, start);
    else colPlan.forward(t, t, start, start);
  }
  transposeComplex(t, 0, cols, rows, data, offset);
}

function checkComplex(input: Float64Array, name: string, n: number): void {
  if (!(input instanceof Float64Array))
    throw shapeError(name, 'a Float64Array of interleaved complex values', String(input));
  if (input.length !== 2 * n)
    throw shapeError(name, `${2 * n} values (${n} interleaved complex numbers)`, `length ${input.length}`);
}

/**
 * Forward discrete Fourier transform of n complex numbers (interleaved, length 2n), any n >= 1.
 * `out` (length 2n) is allocated when omitted and may alias `input`. O(n log n).
 * @throws ShapeError if `input` is not a Float64Array of even, non-zero length or `out` has another length.
 * @example
 * ```ts
 * import { fft, ifft } from 'coarsegrain';
 * // 2 complex numbers 1 + 0i, 1 + 0i, interleaved (re, im, re, im)
 * const spectrum = fft(Float64Array.of(1, 0, 1, 0)); // Float64Array [2, 0, 0, 0]
 * const back = ifft(spectrum); // Float64Array [1, 0, 1, 0]
 * ```
 */
export function fft(input: Float64Array, out?: Float64Array): Float64Array {
  return transform1d('fft', input, out, false);
}

/**
 * Inverse of {@link fft} (with the 1/n factor). Same shapes, aliasing and cost.
 * @example
 * ```ts
 * import { fft, ifft } from 'coarsegrain';
 * const x = Float64Array.of(1, 0, 2, 0, 3, 0); // 3 complex numbers, interleaved
 * const roundTrip = ifft(fft(x)); // Float64Array [1, 0, 2, 0, 3, 0] (to rounding)
 * ```
 */
export function ifft(input: Float64Array, out?: Float64Array): Float64Array {
  return transform1d('ifft', input, out, true);
}

function transform1d(
  fn: string,
  input: Float64Array,
  out: Float64Array | undefined,
  inverse: boolean,
): Float64Array {
  if (!(input instanceof Float64Array) || input.length === 0 || input.length % 2 !== 0) {
    throw shapeError(
      `${fn}: input`,
      'a Float64Array of 2n interleaved values, n >= 1',
      input ? `length ${input.length}` : String(input),
    );
  }
  const n = input.length / 2;
  const result = out ?? new Float64Array(2 * n);
  checkComplex(result, `${fn}: out`, n);
  const plan = fftPlan(n);
  if (inverse) plan.inverse(result, input);
  else plan.forward(result, input);
  return result;
}

/**
 * Multi-dimensional forward DFT of a row-major complex array of `shape` (interleaved, 2 * prod(shape)
 * values), any sizes. `out` may alias `input`. O(N log N).
 * @throws ShapeError on a bad shape or length.
 * @example
 * ```ts
 * import { fftNd } from 'coarsegrain';
 * // a 2 x 2 complex field (interleaved re, im): all ones
 * const k = fftNd(Float64Array.of(1, 0, 1, 0, 1, 0, 1, 0), [2, 2]);
 * // Float64Array [4, 0, 0, 0, 0, 0, 0, 0]: only the q = 0 mode
 * ```
 */
export function fftNd(input: Float64Array, shape: readonly number[], out?: Float64Array): Float64Array {
  return transformNd('fftNd', input, shape, out, false);
}

/**
 * Inverse of {@link fftNd} (divides by prod(shape)).
 * @example
 * ```ts
 * import { fftNd, ifftNd } from 'coarsegrain';
 * const field = Float64Array.of(1, 0, 2, 0, 3, 0, 4, 0); // 2 x 2 complex, interleaved
 * const back = ifftNd(fftNd(field, [2, 2]), [2, 2]); // equals field to rounding
 * ```
 */
export function ifftNd(input: Float64Array, shape: readonly number[], out?: Float64Array): Float64Array {
  return transformNd('ifftNd', input, shape, out, true);
}

/** 2D forward DFT of a rows x cols complex array (row-major, interleaved). See {@link fftNd}. */
export function fft2d(input: Float64Array, rows: number, cols: number, out?: Float64Array): Float64Array {
  return transformNd('fft2d', input, [rows, cols], out, false);
}

/** 2D inverse DFT of a rows x cols complex array. See {@link ifftNd}. */
export function ifft2d(input: Float64Array, rows: number, cols: number, out?: Float64Array): Float64Array {
  return transformNd('ifft2d', input, [rows, cols], out, true);
}

function transformNd(
  fn: string,
  input: Float64Array,
  shape: readonly number[],
  out: Float64Array | undefined,
  inverse: boolean,
): Float64Array {
  const n = checkShape(shape as number[], `${fn}: shape`);
  checkComplex(input, `${fn}: input`, n);
  const result = out ?? new Float64Array(2 * n);
  checkComplex(result, `${fn}: out`, n);
  if (result !== input) result.set(input);
  fftNdKernel(result, 0, shape, inverse);
  return result;
}

/** Copy a real array into an interleaved complex one (imaginary parts 0). O(n). */
export function realToComplex(real: ArrayLike<number>, out?: Float64Array): Float64Array {
  const result = out ?? new Float64Array(2 * real.length);
  if (result.length !== 2 * real.length)
    throw shapeError('realToComplex: out', `length ${2 * real.length}`, `length ${result.length}`);
  for (let i = 0; i < real.length; i++) {
    result[2 * i] = real[i]!;
    result[2 * i + 1] = 0;
  }
  return result;
}

/**
 * Power spectrum |X(q)|^2 of a real array of `shape` (row-major, any dimension, any sizes), unnormalised:
 * by Parseval, sum_q |X(q)|^2 = N sum_x x^2. Output on the same grid as the input. O(N log N).
 * @throws ShapeError if `values.length !== prod(shape)`.
 * @example
 * ```ts
 * import { powerSpectrum } from 'coarsegrain';
 * // a 2 x 2 real field; |X(q)|^2 on the same 2 x 2 grid, unnormalised
 * const p = powerSpectrum(Float64Array.of(1, -1, -1, 1), [2, 2]); // Float64Array [0, 0, 0, 16]
 * ```
 */
export function powerSpectrum(
  values: ArrayLike<number>,
  shape: readonly number[],
  out?: Float64Array,
): Float64Array {
  const n = checkShape(shape as number[], 'powerSpectrum: shape');
  if (!values || values.length !== n)
    throw shapeError('powerSpectrum: values', `${n} values (prod(shape))`, `length ${values?.length}`);
  const result = out ?? new Float64Array(n);
  if (result.length !== n) throw shapeError('powerSpectrum: out', `length ${n}`, `length ${result.length}`);
  const work = realToComplex(values);
  fftNdKernel(work, 0, shape, false);
  for (let i = 0; i < n; i++) result[i] = work[2 * i]! ** 2 + work[2 * i + 1]! ** 2;
  return result;
}

/** Signed mode index of storage index i on an axis of length L: i for i <= L/2, i - L above. */
export function signedMode(i: number, length: number): number {
  return i <= length / 2 ? i : i - length;
}

/** How `momentumMask` measures |q|. */
export type MomentumNorm = 'max' | 'euclidean';

/**
 * Mask of the Fourier modes inside a momentum cutoff (1 = kept), on the grid of `shape`. The momentum of
 * mode k on an axis of length L is q = 2 pi k / L with k in (-L/2, L/2]; `cutoff` is a fraction of the band
 * edge pi: with the `'max'` norm (default, a square shell) mode k is kept when |q_axis| <= cutoff * pi on
 * every axis, i.e. |k| <= cutoff * L / 2; with `'euclidean'` when sqrt(sum (q_axis / pi)^2) <= cutoff.
 * The kept set is symmetric under q -> -q, so filtering a real field gives a real field. Cutoff 1 with the
 * max norm keeps every mode. O(N).
 * @throws DomainError unless 0 <= cutoff <= 1 (max norm) or sqrt(dims) (euclidean).
 */
export function momentumMask(
  shape: readonly number[],
  cutoff: number,
  norm: MomentumNorm = 'max',
): Uint8Array {
  const n = checkShape(shape as number[], 'momentumMask: shape');
  const dims = shape.length;
  checkRange(cutoff, 'momentumMask: cutoff', 0, norm === 'max' ? 1 : Math.sqrt(dims));
  const mask = new Uint8Array(n);
  const index = new Array<number>(dims).fill(0);
  const eps = 1e-12;
  for (let i = 0; i < n; i++) {
    let keep = true;
    let sum = 0;
    for (let d = 0; d < dims; d++) {
      const len = shape[d]!;
      const frac = len === 1 ? 0 : Math.abs(signedMode(index[d]!, len)) / (len / 2);
      if (norm === 'max') {
        if (frac > cutoff + eps) keep = false;
      } else sum += frac * frac;
    }
    if (norm === 'euclidean') keep = Math.sqrt(sum) <= cutoff + eps;
    mask[i] = keep ? 1 : 0;
    for (let d = dims - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return mask;
}

/**
 * Band-limited resampling of a real field from the grid `shape` onto a coarser grid `newShape` (each axis
 * no longer than before): the Fourier modes with |k| <= newL/2 on each axis are kept with their integer
 * wave number (the same physical momentum 2 pi k / L_system), the rest discarded, and the field is
 * re-synthesised on the coarse grid; for an even newL the two Nyquist modes +-newL/2 fold onto one.
 * Normalised so that a uniform field stays uniform (the coarse field is the low-passed field sampled at
 * the coarse sites when newL divides L). O(N log N) with N = prod(shape).
 * @throws ShapeError if the shapes differ in rank, the length is wrong, or a new size exceeds the old.
 * @example
 * ```ts
 * import { fourierResample } from 'coarsegrain';
 * // a 4 x 4 real field resampled onto 2 x 2 (modes |k| <= 1 kept)
 * const coarse = fourierResample(new Float64Array(16).fill(3), [4, 4], [2, 2]); // Float64Array [3, 3, 3, 3]
 * ```
 */
export function fourierResample(
  values: ArrayLike<number>,
  shape: readonly number[],
  newShape: readonly number[],
): Float64Array {
  const n = checkShape(shape as number[], 'fourierResample: shape');
  const m = checkShape(newShape as number[], 'fourierResample: newShape');
  if (newShape.length !== shape.length) {
    throw shapeError('fourierResample: newShape', `rank ${shape.length}`, `rank ${newShape.length}`);
  }
  for (let d = 0; d < shape.length; d++) {
    if (newShape[d]! > shape[d]!)
      throw shapeError(`fourierResample: newShape[${d}]`, `at most ${shape[d]}`, `${newShape[d]}`);
  }
  if (!values || values.length !== n)
    throw shapeError('fourierResample: values', `${n} values`, `length ${values?.length}`);
  const work = realToComplex(values);
  fftNdKernel(work, 0, shape, false);
  const coarse = new Float64Array(2 * m);
  const dims = shape.length;
  const index = new Array<number>(dims).fill(0);
  for (let i = 0; i < n; i++) {
    let keep = true;
    let target = 0;
    for (let d = 0; d < dims; d++) {
      const k = signedMode(index[d]!, shape[d]!);
      const newL = newShape[d]!;
      if (Math.abs(k) * 2 > newL) {
        keep = false;
        break;
      }
      target = target * newL + (((k % newL) + newL) % newL);
    }
    if (keep) {
      coarse[2 * target] += work[2 * i]!;
      coarse[2 * target + 1] += work[2 * i + 1]!;
    }
    for (let d = dims - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  fftNdKernel(coarse, 0, newShape, true);
  const out = new Float64Array(m);
  const scale = m / n;
  for (let i = 0; i < m; i++) out[i] = coarse[2 * i]! * scale;
  return out;
}
