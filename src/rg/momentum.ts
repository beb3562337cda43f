/**
 * Momentum-space (Wilson) RG step on periodic lattices: Fourier transform each configuration, discard the
 * modes above a momentum cutoff, transform back, and optionally rescale onto a lattice b times coarser.
 * Reference: K. G. Wilson and J. Kogut, Phys. Rep. 12, 75 (1974); the thesis (chapter on RBMs and
 * momentum-space RG) compares RBM singular vectors with exactly this low-pass filter.
 * @module
 */
import { fftNdKernel, type MomentumNorm, momentumMask } from '../core/fft.js';
import {
  checkAllFinite,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkRange,
  checkShape,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import type { BlockResult } from './block.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const MOMENTUM_SHELL_OPTIONS_KEYS = optionKeys<MomentumShellOptions>({
  cutoff: true,
  rescale: true,
  norm: true,
});

/** Options of {@link momentumShellRg}. */
export interface MomentumShellOptions {
  /**
   * Cutoff as a fraction of the band edge pi, in [0, 1] (see `momentumMask` in core/fft): modes with
   * |q_axis| <= cutoff * pi on every axis are kept (or |q| / pi <= cutoff with the euclidean norm, cutoff in
   * [0, sqrt(dims)]). cutoff = 1/b is the Wilson shell Lambda/b; cutoff = 1 (max norm) keeps the full band.
   */
  readonly cutoff: number;
  /**
   * Optional integer rescale factor b (dividing every side): the filtered field is sampled on every b-th
   * site, a lattice of side L/b. Requires cutoff <= 1/b so no kept mode aliases.
   */
  readonly rescale?: number;
  /** How |q| is measured: `'max'` (square shell, default) or `'euclidean'` (disc). */
  readonly norm?: MomentumNorm;
}

/**
 * Momentum-shell RG of n configurations of `shape` (any rank; chains `[L]` and lattices `[rows, cols]`;
 * any sizes, Bluestein FFT for non-powers of two). Output: real fields, Float64Array of n * prod(outShape).
 * Cutoff 1 with the max norm and no rescale returns the input (to rounding). O(n N log N).
 * @throws DomainError if the cutoff is out of range, the rescale factor does not divide a side or
 *   cutoff > 1/rescale; ShapeError if `configs` does not hold a whole number (>= 1) of configurations.
 * @example
 * ```ts
 * import { momentumShellRg } from 'coarsegrain';
 * // one chain of 8 spins; keep |q| <= pi/2 and rescale by 2: a real field on 4 sites
 * const { data, shape } = momentumShellRg(Int8Array.of(1, 1, 1, 1, -1, -1, -1, -1), [8], { cutoff: 0.5, rescale: 2 });
 * // data: Float64Array [0.5, 1.207, -0.5, -1.207] (the smooth long-wavelength part), shape: [4]
 * ```
 */
export function momentumShellRg(
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: MomentumShellOptions,
): BlockResult<Float64Array> {
  options = checkOptions(options, 'momentumShellRg: options', MOMENTUM_SHELL_OPTIONS_KEYS, true);
  const fn = 'momentumShellRg';
  const sites = checkShape(shape as number[], `${fn}: shape`);
  if (!options || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object { cutoff }', options);
  if (!configs || typeof configs.length !== 'number')
    throw domainError(`${fn}: configs`, 'an array of configurations', configs);
  checkAllFinite(configs, `${fn}: configs`);
  const norm = checkOneOf(options.norm ?? 'max', `${fn}: options.norm`, ['max', 'euclidean'] as const);
  const dims = shape.length;
  const cutoff = checkRange(options.cutoff, `${fn}: options.cutoff`, 0, norm === 'max' ? 1 : Math.sqrt(dims));
  const b = options.rescale === undefined ? 1 : checkInteger(options.rescale, `${fn}: options.rescale`, 1);
  shape.forEach((side, d) => {
    if (side % b !== 0)
      throw domainError(`${fn}: options.rescale`, `a factor dividing shape[${d}] = ${side}`, b);
  });
  if (b > 1 && cutoff > 1 / b + 1e-12) {
    throw domainError(`${fn}: options.cutoff`, `at most 1/rescale = ${1 / b} when rescaling`, cutoff);
  }
  if (
    !configs ||
    typeof configs.length !== 'number' ||
    configs.length === 0 ||
    configs.length % sites !== 0
  ) {
    throw shapeError(
      `${fn}: configs`,
      `a non-empty multiple of ${sites} values`,
      configs ? `length ${configs.length}` : String(configs),
    );
  }
  const n = configs.length / sites;
  const mask = momentumMask(shape, cutoff, norm);
  const outShape = shape.map((side) => side / b);
  const outSites = sites / b ** dims;
  const out = new Float64Array(n * outSites);
  const work = new Float64Array(2 * sites);
  const rows = dims === 1 ? 1 : sites / shape[dims - 1]!;
  const cols = shape[dims - 1]!;
  for (let c = 0; c < n; c++) {
    const base = c * sites;
    for (let i = 0; i < sites; i++) {
      work[2 * i] = configs[base + i]!;
      work[2 * i + 1] = 0;
    }
    fftNdKernel(work, 0, shape, false);
    for (let i = 0; i < sites; i++) {
      if (mask[i] === 0) {
        work[2 * i] = 0;
        work[2 * i + 1] = 0;
      }
    }
    fftNdKernel(work, 0, shape, true);
    const obase = c * outSites;
    if (b === 1) {
      for (let i = 0; i < sites; i++) out[obase + i] = work[2 * i]!;
    } else if (dims === 1) {
      for (let J = 0; J < outSites; J++) out[obase + J] = work[2 * J * b]!;
    } else if (dims === 2) {
      const cc = cols / b;
      for (let Y = 0; Y < rows / b; Y++)
        for (let X = 0; X < cc; X++) out[obase + Y * cc + X] = work[2 * (Y * b * cols + X * b)]!;
    } else {
      // general rank: sample every b-th index on each axis
      const idx = new Array<number>(dims).fill(0);
      for (let J = 0; J < outSites; J++) {
        let src = 0;
        for (let d = 0; d < dims; d++) src = src * shape[d]! + idx[d]! * b;
        out[obase + J] = work[2 * src]!;
        for (let d = dims - 1; d >= 0; d--) {
          if (++idx[d]! < outShape[d]!) break;
          idx[d] = 0;
        }
      }
    }
  }
  return { data: out, shape: outShape, count: n, rows: n, cols: outSites };
}
