/**
 * RBM constructors and initialisers: Gaussian (the thesis' W ~ N(0, 0.05^2)), Xavier, zeros, and the
 * covariance-based initial condition of E9 (weights from the top eigenvectors of the data covariance,
 * biases from the data mean).
 * @module
 */

import { covarianceMatrix } from '../core/covariance.js';
import { symmetricEigen } from '../core/decompose.js';
import type { Rng } from '../core/rng.js';
import type { FloatArray, Matrix } from '../core/tensor.js';
import {
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { unitBatch } from './rbm.js';
import type { Rbm, UnitType } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const CREATE_RBM_OPTIONS_KEYS = optionKeys<CreateRbmOptions & { readonly dtype?: never }>({
  nVisible: true,
  nHidden: true,
  visibleUnits: true,
  hiddenUnits: true,
  init: true,
  rng: true,
  dtype: true,
  sigma: true,
  fixedSigma: true,
});

/** Weight initialisation of {@link createRbm}. */
export type RbmInit =
  | 'zeros'
  | 'gaussian'
  | 'xavier'
  | { readonly kind: 'zeros' }
  /** W_ia ~ N(0, sigma^2), sigma default 0.05 (the thesis code). */
  | { readonly kind: 'gaussian'; readonly sigma?: number }
  /** Glorot-Bengio uniform: W_ia ~ U(-r, r), r = gain sqrt(6 / (nV + nH)), gain default 1. */
  | { readonly kind: 'xavier'; readonly gain?: number }
  | CovarianceInit;

/**
 * Covariance-based initial condition (E9). With C = sum_k lambda_k u_k u_k^T the covariance of `data`
 * (rows x nVisible), hidden unit a < min(nHidden, nVisible) gets the column W[:, a] = scale * g(lambda_a) u_a
 * with g = 1 (`'unit'`, default), sqrt(lambda_a) (`'sqrt-eigenvalue'`, the PCA loadings) or
 * 1 / sqrt(lambda_a) (`'whiten'`, so each hidden input has unit variance over the data; eigenvalues below
 * 1e-12 are floored). Eigenvectors have their largest entry positive. Extra columns (nHidden > nVisible)
 * are N(0, noiseSigma^2), noiseSigma default 0.01. Visible biases from the data mean m_i, clipped to
 * [-1 + clip, 1 - clip] for spin units (a_i = atanh m_i) or [clip, 1 - clip] for binary (a_i = logit m_i),
 * clip default 1e-3; Gaussian visible units get a_i = m_i and, unless `fixedSigma`, sigma_i = the data's
 * standard deviation (floored at 1e-3). Hidden biases are 0. Cost O(rows nV^2 + nV^3).
 */
export interface CovarianceInit {
  readonly kind: 'covariance';
  /** Training data, a rows x nVisible {@link Matrix} (any numeric entries, e.g. Int8Array spins). */
  readonly data: Matrix<ArrayLike<number>>;
  readonly scaling?: 'unit' | 'sqrt-eigenvalue' | 'whiten';
  readonly scale?: number;
  readonly noiseSigma?: number;
  readonly clip?: number;
}

/** Options of {@link createRbm}. */
export interface CreateRbmOptions {
  readonly nVisible: number;
  readonly nHidden: number;
  /** Default `'spin'` (the thesis convention). */
  readonly visibleUnits?: UnitType;
  /** Default `'spin'`. */
  readonly hiddenUnits?: Exclude<UnitType, 'gaussian'>;
  /** Default `{ kind: 'gaussian', sigma: 0.05 }`. */
  readonly init?: RbmInit;
  /** Required unless init is zeros or covariance with nHidden <= nVisible. */
  readonly rng?: Rng;
  /** Array type of the parameters, default `'float64'`. */
  readonly dtype?: 'float32' | 'float64';
  /** Gaussian visible units: initial sigma for every unit (default 1), unless set from data by covariance init. */
  readonly sigma?: number;
  /** Gaussian visible units with covariance init: keep `sigma` instead of the data's standard deviation. */
  readonly fixedSigma?: boolean;
}

/** The array type of a dtype name: Float32Array for 'float32', else Float64Array. */
export type ArrayOf<D> = D extends 'float32' ? Float32Array : Float64Array;

/**
 * Create an RBM (biases 0 unless set from data by covariance init).
 * @throws DomainError naming the option for zero units, unknown unit types, a missing rng, bad scales or
 *   data out of the unit range; ShapeError for covariance data whose length is not a multiple of nVisible.
 * @example
 * ```ts
 * import { createRbm, createRng } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 64, nHidden: 16, rng: createRng(1) }); // +-1 units by default
 * rbm.weights.length; // 64 * 16, W[i * nHidden + a], small random values; biases 0
 * const binary = createRbm({ nVisible: 784, nHidden: 100, visibleUnits: 'binary', hiddenUnits: 'binary', rng: createRng(2) });
 * ```
 */
export function createRbm<D extends 'float32' | 'float64' = 'float64'>(
  options: CreateRbmOptions & { readonly dtype?: D },
): Rbm<ArrayOf<D>> {
  options = checkOptions(options, 'createRbm: options', CREATE_RBM_OPTIONS_KEYS, true);
  const nv = checkInteger(options.nVisible, 'createRbm: nVisible', 1);
  const nh = checkInteger(options.nHidden, 'createRbm: nHidden', 1);
  checkLimit(nv * nh, 'createRbm: nVisible x nHidden');
  const visibleUnits = checkOneOf(options.visibleUnits ?? 'spin', 'createRbm: visibleUnits', [
    'spin',
    'binary',
    'gaussian',
  ] as const);
  const hiddenUnits = checkOneOf(options.hiddenUnits ?? 'spin', 'createRbm: hiddenUnits', [
    'spin',
    'binary',
  ] as const);
  const dtype = checkOneOf(options.dtype ?? 'float64', 'createRbm: dtype', ['float32', 'float64'] as const);
  const init: Exclude<RbmInit, string> =
    typeof options.init === 'string'
      ? ({ kind: checkOneOf(options.init, 'createRbm: init', ['zeros', 'gaussian', 'xavier'] as const) } as {
          kind: 'zeros';
        })
      : (options.init ?? { kind: 'gaussian' });
  if (init === null || typeof init !== 'object') throw domainError('createRbm: init', 'an init', init);
  checkOneOf(init.kind, 'createRbm: init.kind', ['zeros', 'gaussian', 'xavier', 'covariance'] as const);
  const sigma0 = checkPositive(options.sigma ?? 1, 'createRbm: sigma');
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const weights = new Ctor(nv * nh);
  const visibleBias = new Ctor(nv);
  const hiddenBias = new Ctor(nh);
  const visibleSigma = visibleUnits === 'gaussian' ? new Ctor(nv).fill(sigma0) : undefined;
  const needRng = (): Rng => {
    const rng = options.rng;
    if (!rng || typeof rng.normal !== 'function') throw domainError('createRbm: rng', 'an Rng', rng);
    return rng;
  };
  switch (init.kind) {
    case 'zeros':
      break;
    case 'gaussian': {
      const s = checkPositive(init.sigma ?? 0.05, 'createRbm: init.sigma');
      const rng = needRng();
      for (let i = 0; i < weights.length; i++) weights[i] = s * rng.normal();
      break;
    }
    case 'xavier': {
      const r = checkPositive(init.gain ?? 1, 'createRbm: init.gain') * Math.sqrt(6 / (nv + nh));
      const rng = needRng();
      for (let i = 0; i < weights.length; i++) weights[i] = r * (2 * rng.uniform53() - 1);
      break;
    }
    case 'covariance':
      covarianceInit(init, nv, nh, visibleUnits, weights, visibleBias, visibleSigma, options, needRng);
      break;
  }
  const rbm: Rbm<FloatArray> = {
    kind: 'rbm',
    version: 1,
    visibleUnits,
    hiddenUnits,
    nVisible: nv,
    nHidden: nh,
    weights,
    visibleBias,
    hiddenBias,
    ...(visibleSigma ? { visibleSigma } : {}),
  };
  return rbm as Rbm<ArrayOf<D>>;
}

function covarianceInit(
  init: CovarianceInit,
  nv: number,
  nh: number,
  units: UnitType,
  weights: FloatArray,
  visibleBias: FloatArray,
  visibleSigma: FloatArray | undefined,
  options: CreateRbmOptions,
  needRng: () => Rng,
): void {
  const { rows } = unitBatch(init.data, nv, units, 'nVisible', 'createRbm: init.data');
  if (rows < 2) throw domainError('createRbm: init.data', 'at least 2 rows', `${rows} row`);
  const scaling = checkOneOf(init.scaling ?? 'unit', 'createRbm: init.scaling', [
    'unit',
    'sqrt-eigenvalue',
    'whiten',
  ] as const);
  const scale = checkPositive(init.scale ?? 1, 'createRbm: init.scale');
  const noise = checkPositive(init.noiseSigma ?? 0.01, 'createRbm: init.noiseSigma');
  const clip = checkPositive(init.clip ?? 1e-3, 'createRbm: init.clip');
  if (clip >= 0.5) throw domainError('createRbm: init.clip', 'a number in (0, 0.5)', clip);
  const cov = covarianceMatrix(init.data);
  const eig = symmetricEigen(cov.matrix, nv);
  const k = Math.min(nh, nv);
  for (let a = 0; a < k; a++) {
    const lambda = Math.max(eig.values[a]!, 1e-12);
    const g =
      scaling === 'unit' ? 1 : scaling === 'sqrt-eigenvalue' ? Math.sqrt(lambda) : 1 / Math.sqrt(lambda);
    for (let i = 0; i < nv; i++) weights[i * nh + a] = scale * g * eig.vectors[i * nv + a]!;
  }
  if (nh > nv) {
    const rng = needRng();
    for (let i = 0; i < nv; i++) for (let a = nv; a < nh; a++) weights[i * nh + a] = noise * rng.normal();
  }
  for (let i = 0; i < nv; i++) {
    const m = cov.mean[i]!;
    if (units === 'spin') visibleBias[i] = Math.atanh(Math.min(1 - clip, Math.max(-1 + clip, m)));
    else if (units === 'binary') {
      const p = Math.min(1 - clip, Math.max(clip, m));
      visibleBias[i] = Math.log(p / (1 - p));
    } else {
      visibleBias[i] = m;
      if (!options.fixedSigma)
        visibleSigma![i] = Math.max(1e-3, Math.sqrt(Math.max(0, cov.matrix[i * nv + i]!)));
    }
  }
}
