/**
 * Covariance of a data set stored as n samples x d features (row-major), one-shot or streamed over
 * chunks. The Gram matrix is computed syrk-style through {@link gemmKernel}: only the blocks on or below
 * the diagonal are formed, then mirrored.
 * @module
 */
import { gemmKernel } from './gemm.js';
import { checkAllFinite, checkInteger, domainError, shapeError } from './validate.js';

/** Options of {@link covarianceMatrix}. */
export interface CovarianceOptions {
  /** Subtract the feature means first (default true). */
  readonly center?: boolean;
  /** Divide by n - 1 (default true) or by n. */
  readonly unbiased?: boolean;
}

/** Result of {@link covarianceMatrix}. */
export interface Covariance {
  /** d x d symmetric covariance, row-major. */
  readonly matrix: Float64Array;
  /** Feature means (length d); zeros if not centred. */
  readonly mean: Float64Array;
  readonly d: number;
}

/** Streaming covariance state made by {@link createCovarianceAccumulator}. */
export interface CovarianceAccumulator {
  /** Number of features. */
  readonly d: number;
  /** Samples accumulated so far. */
  readonly count: number;
  /**
   * Add `rows` samples (rows x d, row-major). Cost O(rows d^2 / 2) flops through GEMM.
   * @throws ShapeError if chunk.length !== rows * d; DomainError on non-finite entries.
   */
  accumulate(chunk: ArrayLike<number>, rows: number): void;
  /**
   * The covariance of everything accumulated so far (the accumulator stays usable). `unbiased` (default
   * true) divides by count - 1, otherwise by count.
   * @throws ShapeError if fewer than 2 samples (unbiased) or none were accumulated.
   */
  finish(options?: { readonly unbiased?: boolean }): Covariance;
}

/** Rows per GEMM panel and columns per triangle block. */
const ROW_PANEL = 2048;
const COL_BLOCK = 192;

/**
 * Add X^T X (lower-triangle blocks only) of the rows x d panel `x` to the d x d `g`, one GEMM per strip
 * of 192 rows of G up to its diagonal block (entries just above the diagonal inside that block are
 * written too; strictly-upper blocks are skipped). Cost about rows d^2 (1 + 192/d) flops.
 */
export function gramLowerKernel(x: Float64Array, rows: number, d: number, g: Float64Array): void {
  // one GEMM per strip of COL_BLOCK rows of G, covering the columns up to the strip's diagonal block
  for (let i0 = 0; i0 < d; i0 += COL_BLOCK) {
    const bi = Math.min(COL_BLOCK, d - i0);
    gemmKernel(true, false, bi, i0 + bi, rows, 1, x, i0, d, x, 0, d, 1, g, i0 * d, d);
  }
}

/**
 * Streaming covariance over chunks of samples, for data larger than memory. Each panel of up to 2048
 * rows is centred on its own mean, its Gram matrix formed through GEMM (lower triangle), and merged into
 * the running mean and centred sum of squares by the pairwise update of Chan, Golub & LeVeque (1979):
 * M2 = M2_a + M2_b + (n_a n_b / n) delta delta^T. No large-mean cancellation occurs. Memory O(d^2 + 2048 d).
 * @param d - number of features.
 * @param options.center - subtract the mean (default true); if false, C = sum x x^T / (n - 1 or n).
 * @throws DomainError if d is not a positive integer.
 * @example
 * const acc = createCovarianceAccumulator(2);
 * acc.accumulate(Float64Array.of(0, 0, 2, 2), 2);
 * acc.accumulate(Float64Array.of(4, 1), 1);
 * acc.finish().matrix; // Float64Array [4, 1, 1, 1]
 */
export function createCovarianceAccumulator(
  d: number,
  options: { readonly center?: boolean } = {},
): CovarianceAccumulator {
  checkInteger(d, 'createCovarianceAccumulator: d', 1);
  const center = options.center ?? true;
  if (typeof center !== 'boolean')
    throw domainError('createCovarianceAccumulator: center', 'a boolean', center);
  const gram = new Float64Array(d * d); // lower triangle: sum of centred outer products (M2)
  const mean = new Float64Array(d);
  const panelMean = new Float64Array(d);
  let panel: Float64Array | null = null;
  let count = 0;
  return {
    d,
    get count() {
      return count;
    },
    accumulate(chunk: ArrayLike<number>, rows: number): void {
      checkInteger(rows, 'covarianceAccumulator.accumulate: rows', 0);
      if (!chunk || chunk.length !== rows * d)
        throw shapeError(
          'covarianceAccumulator.accumulate: chunk',
          `${rows * d} elements (rows x d)`,
          `${chunk?.length}`,
        );
      if (rows === 0) return;
      checkAllFinite(chunk, 'covarianceAccumulator.accumulate: chunk');
      const panelRows = Math.min(ROW_PANEL, rows);
      if (!panel || panel.length < panelRows * d) panel = new Float64Array(panelRows * d);
      for (let r0 = 0; r0 < rows; r0 += ROW_PANEL) {
        const r1 = Math.min(rows, r0 + ROW_PANEL);
        const nb = r1 - r0;
        panelMean.fill(0);
        if (center) {
          for (let i = r0; i < r1; i++) for (let j = 0; j < d; j++) panelMean[j] += chunk[i * d + j]!;
          for (let j = 0; j < d; j++) panelMean[j]! /= nb;
        }
        for (let i = r0; i < r1; i++) {
          const src = i * d;
          const dst = (i - r0) * d;
          for (let j = 0; j < d; j++) panel[dst + j] = chunk[src + j]! - panelMean[j]!;
        }
        gramLowerKernel(panel, nb, d, gram);
        if (center) {
          // Chan-Golub-LeVeque merge: M2 += (na nb / n) delta delta^T, mean += delta nb / n
          const na = count;
          const total = na + nb;
          const f = (na * nb) / total;
          for (let j = 0; j < d; j++) panelMean[j] -= mean[j]!;
          if (na > 0)
            for (let i = 0; i < d; i++) {
              const fi = f * panelMean[i]!;
              const row = i * d;
              for (let j = 0; j <= i; j++) gram[row + j] += fi * panelMean[j]!;
            }
          for (let j = 0; j < d; j++) mean[j] += (panelMean[j]! * nb) / total;
        }
        count += nb;
      }
    },
    finish(finishOptions: { readonly unbiased?: boolean } = {}): Covariance {
      const unbiased = finishOptions.unbiased ?? true;
      const minimum = unbiased ? 2 : 1;
      if (count < minimum)
        throw shapeError(
          'covarianceAccumulator.finish: count',
          `at least ${minimum} sample${minimum > 1 ? 's' : ''}${unbiased ? ' for the unbiased estimate' : ''}`,
          `${count}`,
        );
      const matrix = new Float64Array(d * d);
      const scale = 1 / (unbiased ? count - 1 : count);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) {
          const c = gram[i * d + j]! * scale;
          matrix[i * d + j] = c;
          matrix[j * d + i] = c;
        }
      }
      return { matrix, mean: mean.slice(), d };
    },
  };
}

/**
 * Sample covariance C = X_c^T X_c / (n - 1) of n samples of d features (X_c = X minus column means when
 * `center`), through {@link createCovarianceAccumulator} in one chunk (lower triangle via GEMM, then
 * mirrored). Cost n d^2 flops (half of a full X^T X).
 * @param data - n * d values, row-major (sample i is data[i*d .. i*d+d)).
 * @throws ShapeError if data.length !== n * d or n < 2 (unbiased); DomainError on non-finite data.
 */
export function covarianceMatrix(
  data: ArrayLike<number>,
  n: number,
  d: number,
  options: CovarianceOptions = {},
): Covariance {
  checkInteger(n, 'covarianceMatrix: n', 1);
  checkInteger(d, 'covarianceMatrix: d', 1);
  if (!data || data.length !== n * d)
    throw shapeError('covarianceMatrix: data', `${n * d} elements (n x d)`, `${data?.length}`);
  const center = options.center ?? true;
  const unbiased = options.unbiased ?? true;
  if (unbiased && n < 2)
    throw shapeError('covarianceMatrix: n', 'at least 2 samples for the unbiased estimate', `${n}`);
  const acc = createCovarianceAccumulator(d, { center });
  acc.accumulate(data, n);
  return acc.finish({ unbiased });
}
