/**
 * Dispatchers over {@link LatticeModel}: code that works for either model (ensembles, parallel tempering,
 * checkpoints) asks these for the energy, magnetisation, number of sites and configuration shape.
 * @module
 */
import { domainError } from '../core/validate.js';
import { checkIsing2D, ising2dEnergy, ising2dEnergyKernel } from './ising2d.js';
import {
  checkLongRangeChain,
  createLongRangeEnergyFunction,
  longRangeEnergy,
  longRangeEnergyKernel,
} from './longRangeChain.js';
import type { LatticeModel } from './types.js';

/**
 * Validate any lattice model (its kind and sizes) for a public function `fn`.
 * @throws DomainError naming `${fn}: model` for anything that is not an 'ising2d' or 'lrchain' model.
 */
export function checkModel(model: LatticeModel, fn: string): void {
  if (model === null || typeof model !== 'object')
    throw domainError(`${fn}: model`, 'a lattice model', model);
  if (model.kind === 'ising2d') checkIsing2D(model, fn);
  else if (model.kind === 'lrchain') checkLongRangeChain(model, fn);
  else throw domainError(`${fn}: model.kind`, "'ising2d' or 'lrchain'", (model as { kind?: unknown }).kind);
}

/**
 * Number of sites: L^2 for the 2D Ising model, N for the chain. O(1).
 * @example
 * ```ts
 * import { createIsing2D, modelSites } from 'coarsegrain';
 * modelSites(createIsing2D({ L: 16 })); // 256
 * ```
 */
export function modelSites(model: LatticeModel): number {
  checkModel(model, 'modelSites');
  return model.kind === 'ising2d' ? model.L * model.L : model.N;
}

/**
 * Shape of one configuration: [L, L] (row-major, index y * L + x) or [N]. O(1).
 * @example
 * ```ts
 * import { createIsing2D, createLongRangeChain, modelShape } from 'coarsegrain';
 * modelShape(createIsing2D({ L: 4 })); // [4, 4]
 * modelShape(createLongRangeChain({ N: 8, sigma: 0.5 })); // [8]
 * ```
 */
export function modelShape(model: LatticeModel): number[] {
  checkModel(model, 'modelShape');
  return model.kind === 'ising2d' ? [model.L, model.L] : [model.N];
}

/**
 * Total energy of a configuration (not per site), for either model. O(L^2) or O(N^2).
 * @throws ShapeError / DomainError for a bad model or spins.
 * @example
 * ```ts
 * import { createIsing2D, modelEnergy } from 'coarsegrain';
 * const spins = new Int8Array(16).fill(1);
 * modelEnergy(createIsing2D({ L: 4 }), spins); // -32: total energy, 2 bonds per site at J = 1
 * ```
 */
export function modelEnergy(model: LatticeModel, spins: Int8Array): number {
  checkModel(model, 'modelEnergy');
  return model.kind === 'ising2d' ? ising2dEnergy(model, spins) : longRangeEnergy(model, spins);
}

/** Unchecked {@link modelEnergy} (no validation of the model or the spins). */
export function modelEnergyKernel(model: LatticeModel, spins: Int8Array): number {
  return model.kind === 'ising2d'
    ? ising2dEnergyKernel(spins, model.L, model.J, model.h)
    : longRangeEnergyKernel(model, spins);
}

/**
 * A reusable, unchecked total-energy function for one model: the O(L^2) kernel for the 2D model; for the
 * chain the O(N^2) pair sum below N = 64 and the O(N log N) spectral form above
 * (`createLongRangeEnergyFunction`). Use it when evaluating many configurations of one model.
 * @throws DomainError for a bad model.
 * @example
 * ```ts
 * import { createEnergyFunction, createLongRangeChain } from 'coarsegrain';
 * const energyOf = createEnergyFunction(createLongRangeChain({ N: 8, sigma: 0.5 })); // reuse for many configurations
 * energyOf(new Int8Array(8).fill(1)); // -12.868 (total, not per site)
 * ```
 */
export function createEnergyFunction(model: LatticeModel): (spins: Int8Array) => number {
  checkModel(model, 'createEnergyFunction');
  if (model.kind === 'ising2d') {
    const { L, J, h } = model;
    return (spins) => ising2dEnergyKernel(spins, L, J, h);
  }
  if (model.N < 64) return (spins) => longRangeEnergyKernel(model, spins);
  return createLongRangeEnergyFunction(model);
}

/**
 * Total magnetisation M = sum_i s_i (an integer, not per site). O(sites).
 * @example
 * ```ts
 * import { modelMagnetization } from 'coarsegrain';
 * modelMagnetization(Int8Array.of(1, 1, -1, 1)); // 2: the total M, divide by the sites for m
 * ```
 */
export function modelMagnetization(spins: Int8Array): number {
  if (!(spins instanceof Int8Array)) throw domainError('modelMagnetization: spins', 'an Int8Array', spins);
  let m = 0;
  for (let i = 0; i < spins.length; i++) m += spins[i]!;
  return m;
}
