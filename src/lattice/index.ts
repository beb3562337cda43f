/** The lattice layer: geometries, Hamiltonians and exact results (Onsager, Yang, Kaufman, enumeration). */

export {
  type EnumerationResult,
  enumerateIsing2D,
  ISING_TC,
  isingCorrelationLength,
  type KaufmanResult,
  kaufmanTorus,
  onsagerEnergy,
  onsagerSpecificHeat,
  yangMagnetization,
} from './exact2d.js';
export { createIsing2D, type Ising2DOptions } from './ising2d.js';
export {
  createLongRangeChain,
  enumerateLongRangeChain,
  type LongRangeChainOptions,
  type LongRangeEnumeration,
} from './longRangeChain.js';
export { createEnergyFunction, modelEnergy, modelMagnetization, modelShape, modelSites } from './model.js';
export type { Ising2D, LatticeModel, LongRangeChain } from './types.js';
