/**
 * The unchecked tier, `coarsegrain/kernels`: `*Kernel(out, ..., sizes)` functions with positional sizes.
 * They validate nothing and allocate nothing; the caller guarantees lengths, strides and non-aliasing.
 * Every kernel has a checked counterpart in the root entry (e.g. `gemmKernel` under `gemm`), which is
 * what a research script should call. Browser-safe. `setGemmBackend` picks the GEMM kernel that `gemm` and
 * the models use (WebAssembly SIMD where the engine has it, or the plain TypeScript reference).
 * @example
 * import { gemmKernel } from 'coarsegrain/kernels';
 * const a = Float64Array.of(1, 2, 3, 4); // 2 x 2, row-major
 * const c = new Float64Array(4);
 * // C = 1 * A * A^T + 0 * C: no trans A, trans B, m = n = k = 2, leading dimensions 2
 * gemmKernel(false, true, 2, 2, 2, 1, a, 0, 2, a, 0, 2, 0, c, 0, 2); // c = [5, 11, 11, 25]
 * @packageDocumentation
 */

export { gramLowerKernel } from '../core/covariance.js';
export { fftNdKernel } from '../core/fft.js';
export { gemmKernel, gemmReferenceKernel, gemmWasmKernel, setGemmBackend } from '../core/gemm.js';
export {
  bidiagonalizeTransposedKernel,
  bidiagonalQrKernel,
  bidiagonalVectorsKernel,
  svdTallTransposedKernel,
  thinSvdKernel,
} from '../core/linalg/bidiagonal.js';
export { secularRootKernel, tridiagonalDivideConquerKernel } from '../core/linalg/divideConquer.js';
export {
  formReflectorProductTransposedKernel,
  qrOrthonormalizeKernel,
  qrTransposedKernel,
} from '../core/linalg/qr.js';
export { topSingularTripletsKernel } from '../core/linalg/randomized.js';
export {
  applyTridiagonalQKernel,
  formTridiagonalQKernel,
  symmetricEigenKernel,
  symmetricLowerMatVecKernel,
  tridiagonalInverseIterationKernel,
  tridiagonalizeKernel,
  tridiagonalQlKernel,
} from '../core/linalg/tridiagonal.js';
export { transposeKernel, triangularFactorKernel } from '../core/linalg/util.js';
export { ising2dEnergyKernel, ising2dLocalFieldKernel } from '../lattice/ising2d.js';
export { longRangeEnergyKernel, longRangeLocalFieldsKernel } from '../lattice/longRangeChain.js';
export { modelEnergyKernel } from '../lattice/model.js';
export { squareNeighborsKernel } from '../lattice/square.js';
export { activationBackwardKernel, activationKernel } from '../models/activation.js';
export { denseBackwardKernel, denseForwardKernel, initWeightsKernel } from '../models/denseLayer.js';
export {
  bceLossKernel,
  mseLossKernel,
  softmaxCrossEntropyKernel,
  stackLossKernel,
} from '../models/denseLoss.js';
export {
  type DenseOp,
  type DenseWorkspace,
  stackBackwardKernel,
  stackForwardKernel,
} from '../models/denseStack.js';
export {
  type AdamRangeFunction,
  adamRangeKernel,
  learningRateKernel,
  type MomentumRangeFunction,
  momentumRangeKernel,
  optimizerStepAllKernel,
  optimizerStepKernel,
} from '../models/optim.js';
export {
  type BinaryUnitsRangeFunction,
  binaryUnitsRangeKernel,
  freeEnergyFromInputKernel,
  hiddenInputKernel,
  meansKernel,
  sampleKernel,
  visibleInputKernel,
} from '../models/rbm.js';
export { rbmGradientKernel } from '../models/rbmTrain.js';
export { blockSumKernel } from '../rg/block.js';
export { heatBathSweepKernel } from '../sampling/heatBath.js';
export { longRangeClusterKernel } from '../sampling/longRangeCluster.js';
export { longRangeFieldUpdateKernel } from '../sampling/longRangeMetropolis.js';
export { type MetropolisTable, metropolisSweepKernel } from '../sampling/metropolis.js';
export { swendsenWangKernel } from '../sampling/swendsenWang.js';
export { wolffClusterKernel } from '../sampling/wolff.js';
