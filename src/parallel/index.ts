/**
 * The parallel layer (Node only: worker threads): a worker pool, generic `mapParallel`, and parallel
 * versions of the heavy computations (ensembles at many temperatures, parallel-tempering replicas, AIS
 * chains, covariance, row-split GEMM). Import it from
 * Node code only; the rest of coarsegrain runs in browsers.
 */
export * from './ais.js';
export * from './covarianceParallel.js';
export * from './ensembles.js';
export * from './gemmParallel.js';
export * from './pool.js';
export type {
  AisTaskInput,
  EnsembleTaskInput,
  GemmRowsInput,
  TemperingTaskInput,
  TemperingTaskOutput,
} from './tasks.js';
export * from './tempering.js';
