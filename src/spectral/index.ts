/** The spectral layer: correlators, scaling fits, structure factor, weight spectra, PCA and subspace overlaps. */
export * from './correlator.js';
export * from './inputOutput.js';
export * from './pca.js';
export * from './scaling.js';
export * from './weights.js';
