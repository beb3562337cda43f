/** The lattice layer: geometries, Hamiltonians, exact results. */
export * from './exact2d.js';
export * from './ising2d.js';
export * from './longRangeChain.js';
export * from './model.js';
export * from './square.js';
export * from './types.js';
