/**
 * coarsegrain: unsupervised deep learning as coarse graining. This root entry holds what a research
 * script composes (at most 200 names) and runs in Node and browsers: it imports no `node:` module.
 * Other entries: `coarsegrain/node` (files and folders), `coarsegrain/kernels` (the unchecked
 * `*Kernel` tier), `coarsegrain/parallel` (Node worker pool).
 * Layers (each imports only those below): core -> lattice -> sampling -> models -> rg | spectral ->
 * experiments; data and plot depend on core only. Each layer's index names its exports.
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
