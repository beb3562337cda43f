/**
 * Spectral content of weight matrices (E7): the SVD W = U S V^T of an RBM's nVisible x nHidden weights,
 * the Fourier power of each singular vector on its lattice, the fraction of that power below a momentum
 * cutoff, and the test of the thesis' claim that for the large singular values the hidden singular vector
 * is the visible one with its high Fourier modes discarded (momentum-space RG near the free-field point).
 * Reference: the thesis, chapter "RBMs and momentum-space RG"; P2 (arXiv 2002.02664).
 * @module
 */

import { fourierResample, type MomentumNorm, momentumMask, powerSpectrum } from '../core/fft.js';
import { thinSvdKernel } from '../core/linalg/bidiagonal.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import {
  checkAllFinite,
  checkInteger,
  checkNumericArray,
  checkOneOf,
  checkOptions,
  checkShape,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const LOW_PASS_COMPARISON_OPTIONS_KEYS = optionKeys<LowPassComparisonOptions>({
  visibleShape: true,
  hiddenShape: true,
  modes: true,
});

/** Result of {@link weightSvd}: W = visible diag(values) hidden^T. */
export interface WeightSvd {
  /** Singular values, descending. */
  readonly values: Float64Array;
  /** nVisible x rank row-major: column j is the visible singular vector j. */
  readonly visible: Float64Array;
  /** nHidden x rank row-major: column j is the hidden singular vector j. */
  readonly hidden: Float64Array;
  readonly nVisible: number;
  readonly nHidden: number;
  readonly rank: number;
}

/**
 * Thin SVD of a nVisible x nHidden weight {@link Matrix} (the `Rbm.weights` layout),
 * by core's thin SVD kernel (as `thinSvd`); signs fixed so each visible vector's largest entry is positive.
 * O(nV nH min(nV, nH)).
 * @throws DomainError if W is not a Matrix, has no row or column, or has non-finite entries; ShapeError if
 *   W.data.length !== W.rows * W.cols.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, weightSvd } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 64, nHidden: 16, rng: createRng(1) });
 * const { values, visible, hidden } = weightSvd(matrix(rbm.weights, rbm.nVisible, rbm.nHidden));
 * // values: 16 singular values (descending); visible: 64 x 16, hidden: 16 x 16 (columns = singular vectors)
 * ```
 */
export function weightSvd(W: Matrix<ArrayLike<number>>): WeightSvd {
  const {
    data,
    rows: nVisible,
    cols: nHidden,
  } = checkMatrix(W, 'weightSvd: W', { minRows: 1, minCols: 1, finite: true });
  const rank = Math.min(nVisible, nHidden);
  const visible = new Float64Array(nVisible * rank);
  const values = new Float64Array(rank);
  const hidden = new Float64Array(nHidden * rank);
  thinSvdKernel(data, nVisible, nHidden, visible, values, hidden);
  return { values, visible, hidden, nVisible, nHidden, rank };
}

/** Column j of a row-major rows x cols matrix, as a new array. @throws DomainError for j out of range. */
export function matrixColumn(matrix: ArrayLike<number>, rows: number, cols: number, j: number): Float64Array {
  checkInteger(rows, 'matrixColumn: rows', 1);
  checkInteger(cols, 'matrixColumn: cols', 1);
  checkInteger(j, 'matrixColumn: j', 0, cols - 1);
  checkNumericArray(matrix, 'matrixColumn: matrix');
  if (matrix.length !== rows * cols)
    throw shapeError('matrixColumn: matrix', `${rows * cols} values`, `length ${matrix.length}`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = matrix[i * cols + j]!;
  return out;
}

/**
 * Fourier power |v(q)|^2 / N of a vector living on a lattice of `shape` (N sites), on the Fourier grid
 * (see core/fft for the layout); by Parseval the values sum to sum_x v(x)^2. O(N log N).
 * @throws ShapeError if vector.length !== prod(shape).
 * @example
 * ```ts
 * import { fourierPower } from 'coarsegrain';
 * const p = fourierPower(Float64Array.of(1, -1, 1, -1), [4]); // Float64Array [0, 0, 4, 0]: all power at q = pi
 * ```
 */
export function fourierPower(vector: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const N = checkShape(shape as number[], 'fourierPower: shape');
  if (!vector || vector.length !== N)
    throw shapeError('fourierPower: vector', `${N} values (prod(shape))`, `length ${vector?.length}`);
  checkAllFinite(vector, 'fourierPower: vector');
  const p = powerSpectrum(vector, shape);
  for (let i = 0; i < N; i++) p[i]! /= N;
  return p;
}

/**
 * Fraction of a vector's Fourier power inside a momentum cutoff (a fraction of the band, see
 * `momentumMask` of core/fft; max norm by default). 1 for a uniform vector at any cutoff. O(N log N).
 * @throws ShapeError on a bad length; DomainError for a cutoff out of range or a zero vector.
 * @example
 * ```ts
 * import { lowPassFraction } from 'coarsegrain';
 * lowPassFraction(new Float64Array(16).fill(1), [16], 0.25); // 1: a uniform vector is all q = 0
 * lowPassFraction(Float64Array.from({ length: 16 }, (_, i) => (i % 2 ? -1 : 1)), [16], 0.25); // 0: all at q = pi
 * ```
 */
export function lowPassFraction(
  vector: ArrayLike<number>,
  shape: readonly number[],
  cutoff: number,
  norm: MomentumNorm = 'max',
): number {
  checkOneOf(norm, 'lowPassFraction: norm', ['max', 'euclidean'] as const);
  const N = checkShape(shape as number[], 'lowPassFraction: shape');
  if (!vector || vector.length !== N)
    throw shapeError('lowPassFraction: vector', `${N} values`, `length ${vector?.length}`);
  checkAllFinite(vector, 'lowPassFraction: vector');
  if (
    typeof cutoff !== 'number' ||
    !(cutoff >= 0 && cutoff <= (norm === 'max' ? 1 : Math.sqrt(shape.length)))
  ) {
    throw domainError(
      'lowPassFraction: cutoff',
      `a number in [0, ${norm === 'max' ? 1 : Math.sqrt(shape.length)}]`,
      cutoff,
    );
  }
  const mask = momentumMask(shape, cutoff, norm);
  const p = powerSpectrum(vector, shape);
  let kept = 0;
  let total = 0;
  for (let i = 0; i < N; i++) {
    total += p[i]!;
    if (mask[i] === 1) kept += p[i]!;
  }
  if (!(total > 0)) throw domainError('lowPassFraction: vector', 'a non-zero vector', 'all zeros');
  return kept / total;
}

/** Options of {@link hiddenIsLowPassOfVisible}. */
export interface LowPassComparisonOptions {
  /** Lattice of the visible units (prod = nVisible), e.g. [10, 10]. */
  readonly visibleShape: readonly number[];
  /** Lattice of the hidden units (prod = nHidden, same rank, no side larger than the visible one). */
  readonly hiddenShape: readonly number[];
  /** Number of leading singular pairs compared (default min(rank, 10)). */
  readonly modes?: number;
}

/** Result of {@link hiddenIsLowPassOfVisible}, one entry per compared singular pair. */
export interface LowPassComparison {
  /** Singular values of the compared pairs. */
  readonly singularValues: Float64Array;
  /**
   * |cos| of the angle between hidden singular vector j and visible singular vector j low-passed to the
   * hidden lattice's band and resampled onto it (1 = the hidden vector is exactly the low-passed visible).
   */
  readonly overlap: Float64Array;
  /** Fraction of visible vector j's Fourier power inside the hidden lattice's band (|k| <= L_hidden / 2). */
  readonly visibleBandFraction: Float64Array;
  /** The SVD itself. */
  readonly svd: WeightSvd;
}

/**
 * The E7 comparison: for the leading singular pairs (u_j, v_j) of W (nVisible x nHidden {@link Matrix},
 * matrix(rbm.weights, rbm.nVisible, rbm.nHidden)), low-pass u_j to
 * the hidden lattice's band and resample it onto the hidden lattice (core `fourierResample`: same integer
 * wave numbers, the modes above L_hidden / 2 discarded), then measure its overlap with v_j. Cost one SVD
 * plus O(modes N log N).
 * @throws ShapeError if the lattice shapes do not match W.rows (visible) / W.cols (hidden) or differ in
 *   rank; DomainError if W is not a Matrix, for a bad `modes` or a hidden side larger than the visible one.
 * @example
 * ```ts
 * import { createRbm, createRng, hiddenIsLowPassOfVisible, matrix } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 64, nHidden: 16, rng: createRng(1) }); // in practice a trained RBM
 * const W = matrix(rbm.weights, rbm.nVisible, rbm.nHidden);
 * const cmp = hiddenIsLowPassOfVisible(W, { visibleShape: [8, 8], hiddenShape: [4, 4], modes: 4 });
 * // cmp.overlap[j]: overlap of singular pair j's hidden vector with its low-passed visible vector, in [0, 1]
 * ```
 */
export function hiddenIsLowPassOfVisible(
  W: Matrix<ArrayLike<number>>,
  options: LowPassComparisonOptions,
): LowPassComparison {
  options = checkOptions(
    options,
    'hiddenIsLowPassOfVisible: options',
    LOW_PASS_COMPARISON_OPTIONS_KEYS,
    true,
  );
  const fn = 'hiddenIsLowPassOfVisible';
  if (!options || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object { visibleShape, hiddenShape }', options);
  const { rows: nVisible, cols: nHidden } = checkMatrix(W, `${fn}: W`);
  const nv = checkShape(options.visibleShape as number[], `${fn}: options.visibleShape`);
  const nh = checkShape(options.hiddenShape as number[], `${fn}: options.hiddenShape`);
  if (nv !== nVisible)
    throw shapeError(`${fn}: options.visibleShape`, `${nVisible} sites (W.rows, nVisible)`, `${nv} sites`);
  if (nh !== nHidden)
    throw shapeError(`${fn}: options.hiddenShape`, `${nHidden} sites (W.cols, nHidden)`, `${nh} sites`);
  if (options.visibleShape.length !== options.hiddenShape.length) {
    throw shapeError(
      `${fn}: options.hiddenShape`,
      `rank ${options.visibleShape.length}`,
      `rank ${options.hiddenShape.length}`,
    );
  }
  options.hiddenShape.forEach((side, d) => {
    if (side > options.visibleShape[d]!) {
      throw domainError(
        `${fn}: options.hiddenShape[${d}]`,
        `at most visibleShape[${d}] = ${options.visibleShape[d]}`,
        side,
      );
    }
  });
  const svd = weightSvd(W);
  const modes = checkInteger(options.modes ?? Math.min(svd.rank, 10), `${fn}: options.modes`, 1, svd.rank);
  const singularValues = svd.values.slice(0, modes);
  const overlap = new Float64Array(modes);
  const visibleBandFraction = new Float64Array(modes);
  const vShape = options.visibleShape;
  const hShape = options.hiddenShape;
  const band = Math.min(...hShape.map((side, d) => side / vShape[d]!));
  for (let j = 0; j < modes; j++) {
    const u = matrixColumn(svd.visible, nVisible, svd.rank, j);
    const v = matrixColumn(svd.hidden, nHidden, svd.rank, j);
    const filtered = fourierResample(u, vShape, hShape);
    let dot = 0;
    let nf = 0;
    let nvv = 0;
    for (let i = 0; i < nHidden; i++) {
      dot += filtered[i]! * v[i]!;
      nf += filtered[i]! ** 2;
      nvv += v[i]! ** 2;
    }
    overlap[j] = nf > 0 && nvv > 0 ? Math.abs(dot) / Math.sqrt(nf * nvv) : 0;
    visibleBandFraction[j] = lowPassFraction(u, vShape, Math.min(1, band));
  }
  return { singularValues, overlap, visibleBandFraction, svd };
}
