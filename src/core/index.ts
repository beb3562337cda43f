/** The core layer: seeded rng, errors, statistics with error bars, FFT, GEMM, covariance and eigen/SVD (checked tier; the unchecked kernels are in `coarsegrain/kernels`). */

export {
  type Covariance,
  type CovarianceAccumulator,
  type CovarianceOptions,
  type CovariancePrecision,
  covarianceMatrix,
  createCovarianceAccumulator,
} from './covariance.js';
export {
  type SymmetricEigen,
  type SymmetricEigenOptions,
  symmetricEigen,
  type ThinSvd,
  thinSvd,
} from './decompose.js';
export {
  AbortError,
  CoarseGrainError,
  DivergenceError,
  DomainError,
  FileError,
  FormatError,
  ShapeError,
  StateError,
} from './errors.js';
export { fft, fftNd, fourierResample, ifft, ifftNd, type MomentumNorm, powerSpectrum } from './fft.js';
export { type GemmBackend, type GemmKernelFunction, type GemmOptions, gemm } from './gemm.js';
export { qrOrthonormalize } from './linalg/qr.js';
export {
  type RandomizedOptions,
  type TopEigenpairs,
  type TopSingularTriplets,
  topEigenpairs,
  topSingularTriplets,
} from './linalg/randomized.js';
export type { OnProgress, Progress, RunOptions } from './progress.js';
export {
  createRng,
  deriveRng,
  permutation,
  type Rng,
  type RngState,
  randomInt,
  restoreRng,
  type Seed,
  shuffleInPlace,
  splitRng,
} from './rng.js';
export {
  type AutocorrelationResult,
  type BinningLevel,
  type BinningResult,
  binningAnalysis,
  type Estimate,
  integratedAutocorrelationTime,
  type JackknifeResult,
  jackknife,
  mean,
  type SeriesSummary,
  type SpreadSummary,
  summarizeSeries,
  variance,
} from './stats.js';
export {
  type FloatArray,
  fromNdarray,
  type Matrix,
  matrix,
  type Tensor,
  type TypedArray,
  toNdarray,
} from './tensor.js';
export type { NumericArray } from './validate.js';
