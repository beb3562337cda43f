/** The sampling layer: Monte Carlo updaters, ensembles, checkpoints. */

export * from './chain.js';
export * from './ensemble.js';
export * from './ensembleFiles.js';
export * from './ensembleIO.js';
export * from './heatBath.js';
export * from './longRangeCluster.js';
export * from './longRangeMetropolis.js';
export * from './metropolis.js';
export * from './observables.js';
export * from './parallelTempering.js';
export * from './registry.js';
export * from './swendsenWang.js';
export * from './types.js';
export * from './wolff.js';
export * from './xoshiro.js';
