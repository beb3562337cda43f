/**
 * Input-output correlators <v_i h_a> of a coarse-graining map (an RBM's hidden layer or an RG block
 * transform) over an ensemble, their maps per hidden unit on the visible lattice, and locality measures of
 * each map (E2: RG maps are local b x b patches; are the RBM's?).
 * @module
 */
import { gemmKernel } from '../core/gemm.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import {
  checkAllFinite,
  checkOptions,
  checkShape,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { mapCentreKernel } from '../lattice/mapCentre.js';
import { twoPointCorrelator } from './correlator.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const INPUT_OUTPUT_OPTIONS_KEYS = optionKeys<InputOutputOptions>({ connected: true });

/** Options of {@link inputOutputCorrelator}. */
export interface InputOutputOptions {
  /** Subtract <v_i><h_a> (default false: the raw <v_i h_a> of the thesis). */
  readonly connected?: boolean;
}

/**
 * The nVisible x nHidden matrix C[i, a] = (1/n) sum_samples v_i h_a (the `Rbm.weights` layout) of n
 * paired samples v (n x nVisible {@link Matrix}, e.g. an Int8Array spin batch) and h (n x nHidden), e.g.
 * h_a = tanh(sum_i W_ia v_i + b_a) or the block averages of v. Entries other than Float64Array are
 * converted (a copy). Computed by core's gemmKernel: O(n nVisible nHidden).
 * @throws DomainError if an argument is not a Matrix or has non-finite entries; ShapeError if h.rows
 *   differs from v.rows or either has no row or column.
 * @example
 * ```ts
 * import { inputOutputCorrelator, matrix } from 'coarsegrain';
 * // n = 2 samples: v is 2 x 4 spins, h is 2 x 2 (e.g. hidden means)
 * const v = matrix(Int8Array.of(1, 1, -1, -1, 1, -1, 1, -1), 2, 4);
 * const h = matrix(Float64Array.of(0.5, -0.5, 1, 0), 2, 2);
 * const C = inputOutputCorrelator(v, h); // 4 x 2 Matrix: C[i, a] = (1/n) sum v_i h_a
 * // C.data: Float64Array [0.75, -0.25, -0.25, -0.25, 0.25, 0.25, -0.75, 0.25]
 * ```
 */
export function inputOutputCorrelator(
  v: Matrix<ArrayLike<number>>,
  h: Matrix<ArrayLike<number>>,
  options: InputOutputOptions = {},
): Matrix<Float64Array> {
  options = checkOptions(options, 'inputOutputCorrelator: options', INPUT_OUTPUT_OPTIONS_KEYS);
  const fn = 'inputOutputCorrelator';
  const { rows: n, cols: nVisible } = checkMatrix(v, `${fn}: v`, { minRows: 1, minCols: 1, finite: true });
  const { cols: nHidden } = checkMatrix(h, `${fn}: h`, {
    rows: n,
    rowsLabel: 'v.rows, one per sample',
    minCols: 1,
    finite: true,
  });
  const V = v.data instanceof Float64Array ? v.data : Float64Array.from(v.data);
  const H = h.data instanceof Float64Array ? h.data : Float64Array.from(h.data);
  const out = new Float64Array(nVisible * nHidden);
  gemmKernel(true, false, nVisible, nHidden, n, 1 / n, V, 0, nVisible, H, 0, nHidden, 0, out, 0, nHidden);
  if (options.connected) {
    const mv = new Float64Array(nVisible);
    const mh = new Float64Array(nHidden);
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < nVisible; i++) mv[i]! += V[s * nVisible + i]! / n;
      for (let a = 0; a < nHidden; a++) mh[a]! += H[s * nHidden + a]! / n;
    }
    for (let i = 0; i < nVisible; i++)
      for (let a = 0; a < nHidden; a++) out[i * nHidden + a]! -= mv[i]! * mh[a]!;
  }
  return { data: out, rows: nVisible, cols: nHidden };
}

/**
 * The maps of a correlator matrix C (nVisible x nHidden {@link Matrix}) per hidden unit: the nHidden x
 * nVisible matrix whose row a is C[., a] laid out on the visible lattice (the transpose of C).
 * O(nVisible nHidden).
 * @throws DomainError if C is not a Matrix or has non-finite entries.
 * @example
 * ```ts
 * import { correlatorMaps, matrix } from 'coarsegrain';
 * // C: 4 visible x 2 hidden (the Rbm.weights layout)
 * const maps = correlatorMaps(matrix(Float64Array.of(1, 0, 2, 0, 3, 0, 4, 1), 4, 2));
 * // 2 x 4 Matrix, data Float64Array [1, 2, 3, 4, 0, 0, 0, 1]: row a = hidden unit a's map on the lattice
 * ```
 */
export function correlatorMaps(C: Matrix<ArrayLike<number>>): Matrix<Float64Array> {
  const { rows: nVisible, cols: nHidden, data } = checkMatrix(C, 'correlatorMaps: C', { finite: true });
  const out = new Float64Array(nVisible * nHidden);
  for (let i = 0; i < nVisible; i++)
    for (let a = 0; a < nHidden; a++) out[a * nVisible + i] = data[i * nHidden + a]!;
  return { data: out, rows: nHidden, cols: nVisible };
}

/** Locality measures of one map on a periodic lattice. */
export interface MapLocality {
  /** Centre of the weight w(x) = map(x)^2, per axis in lattice units in [0, L), by circular means. */
  readonly centre: number[];
  /**
   * Radius of gyration sqrt(sum w d^2 / sum w) about the centre, d the minimum-image distance (lattice
   * spacings). A uniform b x b patch has sqrt(d (b^2 - 1) / 12) in d dimensions.
   */
  readonly radiusOfGyration: number;
  /** Participation ratio (sum w)^2 / (N sum w^2): ~ (patch size) / N for a local map, 1 for a uniform one. */
  readonly participationRatio: number;
  /** Normalised spatial autocorrelation A(r) = sum_x m(x) m(x + d) / sum_x m(x)^2 by Euclidean distance r < L/2. */
  readonly autocorrelation: { readonly r: Float64Array; readonly value: Float64Array };
}

/**
 * Locality of a map m(x) on a periodic lattice of `shape` (chain or 2D): centre of |m|^2 via circular means
 * on each axis, radius of gyration, participation ratio and normalised spatial autocorrelation.
 * O(N log N).
 * @throws ShapeError if map.length !== prod(shape); DomainError for an all-zero map.
 * @example
 * ```ts
 * import { mapLocality } from 'coarsegrain';
 * const map = new Float64Array(64);
 * map[3 * 8 + 4] = 1; // a single bump at row 3, column 4 of an 8 x 8 lattice
 * const { centre, radiusOfGyration, participationRatio } = mapLocality(map, [8, 8]);
 * // centre ~ [3, 4], radius of gyration ~ 0, participation ratio 1/64 (one site of 64)
 * ```
 */
export function mapLocality(map: ArrayLike<number>, shape: readonly number[]): MapLocality {
  const N = checkShape(shape as number[], 'mapLocality: shape');
  if (!map || map.length !== N)
    throw shapeError('mapLocality: map', `${N} values (prod(shape))`, `length ${map?.length}`);
  checkAllFinite(map, 'mapLocality: map');
  const dims = shape.length;
  let sw = 0;
  let sw2 = 0;
  for (let i = 0; i < N; i++) {
    const w = map[i]! ** 2;
    sw += w;
    sw2 += w * w;
  }
  if (!(sw > 0)) throw domainError('mapLocality: map', 'a map with a non-zero entry', 'all zeros');
  const strides: number[] = new Array(dims).fill(1);
  for (let d = dims - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  const coord = (i: number, d: number): number => Math.floor(i / strides[d]!) % shape[d]!;
  const centre = mapCentreKernel(map, shape);
  let r2 = 0;
  for (let i = 0; i < N; i++) {
    const w = map[i]! ** 2;
    let dist2 = 0;
    for (let d = 0; d < dims; d++) {
      const L = shape[d]!;
      let delta = Math.abs(coord(i, d) - centre[d]!) % L;
      if (delta > L / 2) delta = L - delta;
      dist2 += delta * delta;
    }
    r2 += w * dist2;
  }
  const corr = twoPointCorrelator(map, shape);
  const zero = corr.displacement[0]!;
  const value = corr.distance.value.map((x) => x / zero);
  return {
    centre,
    radiusOfGyration: Math.sqrt(r2 / sw),
    participationRatio: (sw * sw) / (N * sw2),
    autocorrelation: { r: corr.distance.r, value },
  };
}
