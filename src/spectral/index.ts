/** The spectral layer: correlators, scaling fits, structure factor, weight spectra, PCA and subspace overlaps. */
export * from './correlator.js';
