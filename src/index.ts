/**
 * coarsegrain: unsupervised deep learning as coarse graining.
 * Layers (each imports only those below): core -> lattice -> sampling -> models -> rg | spectral -> experiments;
 * data depends on core only.
 * @packageDocumentation
 */
export * from './core/index.js';
