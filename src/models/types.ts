/**
 * Models are plain data: typed arrays plus a small header. Functions operate on them.
 * @module
 */
import type { FloatArray } from '../core/tensor.js';

/** Unit types: `'spin'` = +-1 (the thesis convention), `'binary'` = 0/1, `'gaussian'` = real-valued visible. */
export type UnitType = 'spin' | 'binary' | 'gaussian';

/**
 * A restricted Boltzmann machine, E(v, h) = -a.v - b.h - v^T W h (Gaussian visible units add
 * sum_i (v_i - a_i)^2 / (2 sigma_i^2) and scale v by 1/sigma^2 in the coupling).
 * @example
 * ```ts
 * import { createRbm, createRng, type Rbm } from 'coarsegrain';
 * const rbm: Rbm = createRbm({ nVisible: 64, nHidden: 16, rng: createRng(1) });
 * const w = rbm.weights[5 * rbm.nHidden + 3]!; // W[i = 5, a = 3]: couples visible 5 to hidden 3
 * const mapOfHidden3 = Array.from({ length: rbm.nVisible }, (_, i) => rbm.weights[i * rbm.nHidden + 3]!); // 64 values, an 8 x 8 map
 * ```
 */
export interface Rbm<T extends FloatArray = Float64Array> {
  readonly kind: 'rbm';
  readonly version: 1;
  readonly visibleUnits: UnitType;
  /** Hidden units are `'spin'` or `'binary'`. */
  readonly hiddenUnits: Exclude<UnitType, 'gaussian'>;
  readonly nVisible: number;
  readonly nHidden: number;
  /** nVisible x nHidden, row-major: W[i * nHidden + a] couples visible i to hidden a. */
  readonly weights: T;
  /** Length nVisible. */
  readonly visibleBias: T;
  /** Length nHidden. */
  readonly hiddenBias: T;
  /** Standard deviation of each Gaussian visible unit (length nVisible); absent for other unit types. */
  readonly visibleSigma?: T;
}
