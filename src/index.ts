/**
 * coarsegrain: unsupervised deep learning as coarse graining.
 * Layers (each imports only those below): core -> lattice -> sampling -> models -> rg | spectral;
 * data and plot depend on core only. The Node-only worker pool is the separate entry `coarsegrain/parallel`.
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './data/index.js';
export * from './experiments/index.js';
export * from './lattice/index.js';
export * from './models/index.js';
export * from './plot/index.js';
export * from './rg/index.js';
export * from './sampling/index.js';
export * from './spectral/index.js';
export { VERSION } from './version.js';
