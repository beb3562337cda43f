/**
 * Real-space block-spin transforms on periodic chains (shape `[L]`) and 2D lattices (shape `[rows, cols]`,
 * site (x, y) at index y * cols + x), batched over an ensemble stored as n configurations one after another
 * (`n * prod(shape)` values). A block is b consecutive sites (1D) or a b x b square (2D); b must divide every
 * side. Three rules: block average (real-valued mean, the thesis' choice), majority rule (random tie-break)
 * and decimation (keep the block's first site).
 * Reference: L. P. Kadanoff, Physics 2, 263 (1966); the thesis uses the 2 x 2 block average.
 * @module
 */
import type { Rng } from '../core/rng.js';
import type { TypedArray } from '../core/tensor.js';
import { checkInteger, checkShape, domainError, shapeError } from '../core/validate.js';

/**
 * The output of a block transform: `count` coarse configurations of `shape`, one after another. It is
 * also a {@link Matrix} (rows = count, cols = the coarse sites), so it feeds `mapsLocality`, the models
 * and the spectral functions as is.
 */
export interface BlockResult<T> {
  readonly data: T;
  /** Coarse shape: every side divided by b. */
  readonly shape: number[];
  /** Number of configurations. */
  readonly count: number;
  /** As a Matrix: one coarse configuration per row (= count). */
  readonly rows: number;
  /** As a Matrix: the coarse sites (product of `shape`). */
  readonly cols: number;
}

/** Sizes of a block-transform input, from `checkBlockInput`. */
export interface BlockGeometry {
  /** Number of configurations. */
  readonly n: number;
  /** Sites per configuration. */
  readonly sites: number;
  /** Shape of one configuration. */
  readonly shape: number[];
  /** Shape after blocking by b. */
  readonly coarse: number[];
  /** Sites per blocked configuration. */
  readonly coarseSites: number;
}

/** Validate (configs, shape, b) and return the geometry. Exported for the other rg/ modules. */
export function checkBlockInput(
  fn: string,
  configs: ArrayLike<number>,
  shape: readonly number[],
  b: number,
): BlockGeometry {
  const sites = checkShape(shape as number[], `${fn}: shape`);
  if (shape.length > 2)
    throw shapeError(`${fn}: shape`, '[L] (chain) or [rows, cols] (2D lattice)', `rank ${shape.length}`);
  checkInteger(b, `${fn}: b`, 1);
  shape.forEach((side, d) => {
    if (side % b !== 0) throw domainError(`${fn}: b`, `a block size dividing shape[${d}] = ${side}`, b);
  });
  if (
    !configs ||
    typeof configs.length !== 'number' ||
    configs.length === 0 ||
    configs.length % sites !== 0
  ) {
    throw shapeError(
      `${fn}: configs`,
      `a non-empty multiple of ${sites} values (n configurations of shape [${shape.join(', ')}])`,
      configs ? `length ${configs.length}` : String(configs),
    );
  }
  const coarse = shape.map((side) => side / b);
  return {
    n: configs.length / sites,
    sites,
    shape: [...shape],
    coarse,
    coarseSites: sites / b ** shape.length,
  };
}

/**
 * Unchecked block sums: out[c * coarseSites + J] = sum of the b^d sites of block J of configuration c.
 * `out` (n * coarseSites) is overwritten. O(n * sites).
 */
export function blockSumKernel(
  configs: ArrayLike<number>,
  n: number,
  shape: readonly number[],
  b: number,
  out: Float64Array,
): void {
  if (shape.length === 1) {
    const L = shape[0]!;
    const m = L / b;
    for (let c = 0; c < n; c++) {
      const base = c * L;
      for (let J = 0; J < m; J++) {
        let s = 0;
        const start = base + J * b;
        for (let k = 0; k < b; k++) s += configs[start + k]!;
        out[c * m + J] = s;
      }
    }
    return;
  }
  const rows = shape[0]!;
  const cols = shape[1]!;
  const cr = rows / b;
  const cc = cols / b;
  const coarseSites = cr * cc;
  out.fill(0, 0, n * coarseSites);
  for (let c = 0; c < n; c++) {
    const base = c * rows * cols;
    const obase = c * coarseSites;
    for (let y = 0; y < rows; y++) {
      const orow = obase + Math.floor(y / b) * cc;
      const row = base + y * cols;
      for (let X = 0; X < cc; X++) {
        let s = 0;
        const start = row + X * b;
        for (let k = 0; k < b; k++) s += configs[start + k]!;
        out[orow + X]! += s;
      }
    }
  }
}

/**
 * Block average: the real-valued mean of each block of b sites (chain) or b x b sites (2D), for each of
 * the n configurations. Output: Float64Array of n * prod(shape) / b^d values. O(n * sites).
 * @param configs - n configurations of `shape` (spins +-1 or any real values), one after another.
 * @param shape - `[L]` or `[rows, cols]`.
 * @param b - block size, an integer dividing every side.
 * @throws DomainError if b does not divide a side; ShapeError if the lengths do not fit the shape.
 * @example
 * ```ts
 * import { blockAverage } from 'coarsegrain';
 * const { data, shape, count } = blockAverage(Int8Array.of(1, 1, -1, 1), [4], 2); // one chain of 4, blocks of 2
 * // data: Float64Array [1, 0], shape: [2], count: 1
 * ```
 */
export function blockAverage(
  configs: ArrayLike<number>,
  shape: readonly number[],
  b: number,
): BlockResult<Float64Array> {
  const g = checkBlockInput('blockAverage', configs, shape, b);
  const out = new Float64Array(g.n * g.coarseSites);
  blockSumKernel(configs, g.n, g.shape, b, out);
  const inv = 1 / b ** g.shape.length;
  for (let i = 0; i < out.length; i++) out[i]! *= inv;
  return { data: out, shape: g.coarse, count: g.n, rows: g.n, cols: g.coarseSites };
}

/**
 * Majority rule: the sign of each block's sum; a tie (sum exactly 0, possible for even b^d) is broken by a
 * fair coin from `rng`, drawn in block order, so equal seeds give equal results. Output: Int8Array of +-1.
 * O(n * sites).
 * @throws DomainError if b does not divide a side; ShapeError if the lengths do not fit the shape.
 * @example
 * ```ts
 * import { blockMajority, createRng } from 'coarsegrain';
 * // 2 configurations of a chain of 6, blocks of 3 (odd: no ties)
 * const { data, shape } = blockMajority(Int8Array.of(1, 1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1), [6], 3, createRng(1));
 * // data: Int8Array [1, -1, 1, -1], shape: [2]
 * ```
 */
export function blockMajority(
  configs: ArrayLike<number>,
  shape: readonly number[],
  b: number,
  rng: Rng,
): BlockResult<Int8Array> {
  const g = checkBlockInput('blockMajority', configs, shape, b);
  if (!rng || typeof rng.uniform !== 'function') throw domainError('blockMajority: rng', 'an Rng', rng);
  const sums = new Float64Array(g.n * g.coarseSites);
  blockSumKernel(configs, g.n, g.shape, b, sums);
  const out = new Int8Array(sums.length);
  for (let i = 0; i < sums.length; i++) {
    const s = sums[i]!;
    out[i] = s > 0 ? 1 : s < 0 ? -1 : rng.uniform() < 0.5 ? 1 : -1;
  }
  return { data: out, shape: g.coarse, count: g.n, rows: g.n, cols: g.coarseSites };
}

/**
 * Decimation: keep the first site of each block (site (bX, bY) in 2D, bJ on a chain). The output has the
 * input's type for typed arrays (Float64Array for plain arrays). O(n * sites / b^d).
 * @throws DomainError if b does not divide a side; ShapeError if the lengths do not fit the shape.
 * @example
 * ```ts
 * import { blockDecimate } from 'coarsegrain';
 * // one 4 x 4 configuration, row-major; keep site (2X, 2Y) of each 2 x 2 block
 * const spins = Int8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
 * const { data, shape } = blockDecimate(spins, [4, 4], 2); // data: Int8Array [1, 1, 1, 1], shape: [2, 2]
 * ```
 */
export function blockDecimate<T extends TypedArray>(
  configs: T,
  shape: readonly number[],
  b: number,
): BlockResult<T>;
export function blockDecimate(
  configs: ArrayLike<number>,
  shape: readonly number[],
  b: number,
): BlockResult<Float64Array>;
export function blockDecimate(
  configs: ArrayLike<number>,
  shape: readonly number[],
  b: number,
): BlockResult<ArrayLike<number>> {
  const g = checkBlockInput('blockDecimate', configs, shape, b);
  const Ctor = (ArrayBuffer.isView(configs) ? configs.constructor : Float64Array) as new (
    n: number,
  ) => TypedArray;
  const out = new Ctor(g.n * g.coarseSites);
  if (g.shape.length === 1) {
    const L = g.shape[0]!;
    const m = L / b;
    for (let c = 0; c < g.n; c++) for (let J = 0; J < m; J++) out[c * m + J] = configs[c * L + J * b]!;
  } else {
    const cols = g.shape[1]!;
    const [cr, cc] = g.coarse as [number, number];
    for (let c = 0; c < g.n; c++) {
      for (let Y = 0; Y < cr; Y++) {
        for (let X = 0; X < cc; X++)
          out[c * g.coarseSites + Y * cc + X] = configs[c * g.sites + Y * b * cols + X * b]!;
      }
    }
  }
  return { data: out, shape: g.coarse, count: g.n, rows: g.n, cols: g.coarseSites };
}
