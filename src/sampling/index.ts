/** The sampling layer: Monte Carlo updaters, ensembles, checkpoints. */
export * from './heatBath.js';
export * from './metropolis.js';
export * from './swendsenWang.js';
export * from './wolff.js';
export * from './xoshiro.js';
export * from './chain.js';
export * from './ensemble.js';
export * from './longRangeCluster.js';
export * from './longRangeMetropolis.js';
export * from './observables.js';
export * from './parallelTempering.js';
export * from './registry.js';
export * from './ensembleFiles.js';
export * from './ensembleIO.js';
