/**
 * Sampler names -> updater factories, per model kind, so that ensembles, parallel tempering and the
 * examples can take a sampler by name.
 * @module
 */
import { checkPositive, domainError } from '../core/validate.js';
import { checkModel } from '../lattice/model.js';
import type { Ising2D, LatticeModel, LongRangeChain } from '../lattice/types.js';
import { createHeatBathUpdater } from './heatBath.js';
import { createLongRangeClusterUpdater } from './longRangeCluster.js';
import { createLongRangeMetropolisUpdater } from './longRangeMetropolis.js';
import { createMetropolisUpdater } from './metropolis.js';
import { createSwendsenWangUpdater } from './swendsenWang.js';
import type { Updater, UpdaterFactory } from './types.js';
import { createWolffUpdater } from './wolff.js';

/** Sampler names of the 2D Ising model. */
export const ISING2D_SAMPLERS = ['metropolis', 'heatbath', 'wolff', 'swendsen-wang'] as const;
/** Sampler names of the long-range chain. */
export const LRCHAIN_SAMPLERS = ['lr-metropolis', 'lr-cluster'] as const;

/** A sampler name of either model. */
export type SamplerName = (typeof ISING2D_SAMPLERS)[number] | (typeof LRCHAIN_SAMPLERS)[number];

const ising2d: Record<(typeof ISING2D_SAMPLERS)[number], UpdaterFactory<Ising2D>> = {
  metropolis: createMetropolisUpdater,
  heatbath: createHeatBathUpdater,
  wolff: (model, beta) => createWolffUpdater(model, beta),
  'swendsen-wang': createSwendsenWangUpdater,
};

const lrchain: Record<(typeof LRCHAIN_SAMPLERS)[number], UpdaterFactory<LongRangeChain>> = {
  'lr-metropolis': createLongRangeMetropolisUpdater,
  'lr-cluster': (model, beta) => createLongRangeClusterUpdater(model, beta),
};

/**
 * The sampler names available for a model kind. O(1).
 * @example
 * ```ts
 * import { samplerNames } from 'coarsegrain';
 * samplerNames('ising2d'); // ['metropolis', 'heatbath', 'wolff', 'swendsen-wang']
 * ```
 */
export function samplerNames(kind: LatticeModel['kind']): readonly SamplerName[] {
  if (kind === 'ising2d') return ISING2D_SAMPLERS;
  if (kind === 'lrchain') return LRCHAIN_SAMPLERS;
  throw domainError('samplerNames: kind', "'ising2d' or 'lrchain'", kind);
}

/**
 * The default sampler of a model: `'wolff'` (ising2d, h = 0), `'metropolis'` (ising2d with a field), `'lr-cluster'` / `'lr-metropolis'` likewise.
 * @example
 * ```ts
 * import { createIsing2D, createLongRangeChain, defaultSampler } from 'coarsegrain';
 * defaultSampler(createIsing2D({ L: 16 })); // 'wolff'
 * defaultSampler(createIsing2D({ L: 16, h: 0.1 })); // 'metropolis' (a field breaks the cluster symmetry)
 * defaultSampler(createLongRangeChain({ N: 64, sigma: 0.5 })); // 'lr-cluster'
 * ```
 */
export function defaultSampler(model: LatticeModel): SamplerName {
  checkModel(model, 'defaultSampler');
  if (model.kind === 'ising2d') return model.h === 0 ? 'wolff' : 'metropolis';
  return model.h === 0 ? 'lr-cluster' : 'lr-metropolis';
}

/**
 * Check a sampler name for a model and return it (`fn` names the caller in the error message).
 * @throws DomainError listing the valid names, e.g.
 * `sampleEnsemble: sampler: expected one of "lr-metropolis", "lr-cluster", received "wolf"`.
 */
export function checkSamplerName(model: LatticeModel, sampler: unknown, fn: string): SamplerName {
  const names = samplerNames(model.kind);
  if (typeof sampler !== 'string' || !(names as readonly string[]).includes(sampler)) {
    throw domainError(`${fn}: sampler`, `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`, sampler);
  }
  return sampler as SamplerName;
}

/**
 * Build the named updater for a model at inverse temperature beta. Cost: that of the factory (cluster
 * samplers make a short pilot run to fix their clusters per step).
 * @throws DomainError for a bad model, beta or an unknown sampler name.
 * @example
 * ```ts
 * import { createIsing2D, createRng, createUpdater } from 'coarsegrain';
 * const updater = createUpdater(createIsing2D({ L: 16 }), 'wolff', 1 / 2.27); // beta = 1/T
 * const spins = new Int8Array(256).fill(1);
 * const clusterSites = updater.step(spins, createRng(1)); // spins flipped by this step
 * ```
 */
export function createUpdater(model: LatticeModel, sampler: SamplerName | string, beta: number): Updater {
  const fn = 'createUpdater';
  checkModel(model, fn);
  checkPositive(beta, `${fn}: beta`);
  const name = checkSamplerName(model, sampler, fn);
  if (model.kind === 'ising2d') return ising2d[name as keyof typeof ising2d](model, beta);
  return lrchain[name as keyof typeof lrchain](model, beta);
}
