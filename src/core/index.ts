/** The core layer: rng, errors, validation, progress, tensors, statistics and linear-algebra kernels. */
export * from './covariance.js';
export * from './decompose.js';
export * from './errors.js';
export * from './fft.js';
export * from './gemm.js';
export * from './linalg/bidiagonal.js';
export * from './linalg/qr.js';
export * from './linalg/randomized.js';
export * from './linalg/tridiagonal.js';
export * from './progress.js';
export * from './rng.js';
export * from './stats.js';
export * from './tensor.js';
export * from './validate.js';
