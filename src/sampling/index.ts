/** The sampling layer: Monte Carlo updaters (through `createUpdater`), chains, ensembles with error bars, parallel tempering and the ensemble byte codec. */

export {
  type ChainInit,
  type ChainStateOptions,
  createChainState,
  restoreChain,
  runChain,
  snapshotChain,
} from './chain.js';
export {
  type Ensemble,
  type EnsembleOptions,
  type EnsemblesOptions,
  ensembleMatrix,
  sampleEnsemble,
  sampleEnsembles,
  summarizeEnsemble,
} from './ensemble.js';
export { configsFromNpy, decodeEnsemble, encodeEnsemble } from './ensembleIO.js';
export type { HeatBathOptions } from './heatBath.js';
export type { LongRangeClusterOptions, LongRangeClusterUpdater } from './longRangeCluster.js';
export type { LongRangeMetropolisOptions, LongRangeMetropolisUpdater } from './longRangeMetropolis.js';
export { createMetropolisUpdater, type MetropolisOptions } from './metropolis.js';
export { type ObservableSummary, summarizeObservables } from './observables.js';
export {
  type ParallelTemperingOptions,
  type ParallelTemperingResult,
  parallelTempering,
  startTemperingRun,
  summarizeParallelTempering,
  type TemperingRun,
} from './parallelTempering.js';
export { createUpdater, type SamplerName, samplerNames } from './registry.js';
export type { SwendsenWangUpdater } from './swendsenWang.js';
export type { ChainSnapshot, ChainState, Updater, UpdaterFactory } from './types.js';
export type { WolffOptions, WolffUpdater } from './wolff.js';
