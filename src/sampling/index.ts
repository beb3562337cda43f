/** The sampling layer: Monte Carlo updaters, ensembles, checkpoints. */
export * from './heatBath.js';
export * from './metropolis.js';
export * from './swendsenWang.js';
export * from './wolff.js';
export * from './xoshiro.js';
