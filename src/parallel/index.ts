/**
 * The parallel entry, `coarsegrain/parallel` (Node only: worker threads): a worker pool, generic
 * `mapParallel`, and parallel versions of the heavy computations (ensembles at many temperatures,
 * parallel-tempering replicas, AIS chains, covariance, row-split GEMM), and a synchronous threaded GEMM
 * for training loops.
 * @packageDocumentation
 */

export {
  type AisParallelOptions,
  aisLogPartitionParallel,
} from './ais.js';
export {
  COVARIANCE_PARALLEL_MIN_WORK,
  covarianceParallel,
} from './covarianceParallel.js';
export {
  type EnsemblesParallelOptions,
  sampleEnsemblesParallel,
} from './ensembles.js';
export {
  GEMM_PARALLEL_MIN_WORK,
  gemmParallel,
  sharedFloatArray,
} from './gemmParallel.js';
export {
  createWorkerPool,
  destroyWorkerPool,
  mapParallel,
  runTask,
  type TaskFunction,
  type TaskModule,
  type TaskRunOptions,
  type WorkerPool,
  type WorkerPoolOptions,
  WorkerTaskError,
} from './pool.js';
export type {
  AisTaskInput,
  EnsembleTaskInput,
  GemmRowsInput,
  TemperingTaskInput,
  TemperingTaskOutput,
} from './tasks.js';
export { parallelTemperingParallel } from './tempering.js';
export {
  createThreadedGemm,
  THREADED_ADAM_MIN_ELEMENTS,
  THREADED_ELEMENTWISE_MIN_ELEMENTS,
  THREADED_GEMM_MIN_WORK,
  type ThreadedGemm,
  type ThreadedGemmOptions,
} from './threadedGemm.js';
