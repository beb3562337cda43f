/**
 * Scale-out (Node only): experiments and sweeps as task plans (independent, JSON-serialisable tasks plus
 * a merge), shard files, and runners in this thread or on a local worker pool. The same plan runs under
 * Slurm job arrays through the `coarsegrain task` and `coarsegrain merge` commands. See docs/scaling.md.
 * @module
 */

export * from './bullmq.js';
export { canonicalJson, decodeJson, encodeJson } from './codec.js';
export {
  type AnyResult,
  EXPERIMENT_IDS,
  EXPERIMENTS,
  type ExperimentEntry,
  type ExperimentId,
  type ExperimentSplit,
  type SplitPart,
} from './experiments.js';
export * from './plan.js';
export * from './runners.js';
export { sha256Hex } from './sha256.js';
export * from './shards.js';
