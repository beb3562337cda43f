/** The thesis experiments E1-E10 (see docs/experiments.md) and E11 (supervised networks): compositions of the lower layers' public functions (the research helpers they share live in those layers). Experiments that read real data take `options.loaders` (`nodeLoaders` of `coarsegrain/node`). */

export type { CorrelatorSeries, DimensionFit } from './correlatorFits.js';
export type { CovarianceDatasetName, DatasetSettings, SplitDataset } from './datasets.js';
export { E1_PRESETS, type E1Config, type E1Measured, runE1 } from './e1.js';
export { E2_PRESETS, type E2Config, type E2Measured, runE2 } from './e2.js';
export {
  E3_PRESETS,
  type E3Config,
  type E3Flow,
  type E3Measured,
  type E3Options,
  type LayoutCheck,
  runE3,
} from './e3.js';
export {
  E4_PRESETS,
  type E4Config,
  type E4Crossing,
  type E4Measured,
  type E4SigmaResult,
  longRangeMeanFieldTc,
  MEAN_FIELD_BINDER,
  runE4,
} from './e4.js';
export { E5_PRESETS, type E5Config, type E5Measured, runE5 } from './e5.js';
export { E6_PRESETS, type E6Config, type E6Flow, type E6Measured, runE6 } from './e6.js';
export { E7_PRESETS, type E7Config, type E7Measured, runE7 } from './e7.js';
export {
  E8_PRESETS,
  type E8Config,
  type E8Dataset,
  type E8DatasetSummary,
  type E8Measured,
  type E8Model,
  type E8Row,
  runE8,
} from './e8.js';
export {
  E9_PRESETS,
  type E9Config,
  type E9DatasetResult,
  type E9Measured,
  type E9Result,
  type E9Run,
  runE9,
} from './e9.js';
export {
  E10_PRESETS,
  type E10Config,
  type E10Criterion,
  type E10DatasetName,
  type E10DatasetResult,
  type E10Measured,
  type E10ModelName,
  type E10NoiseLevel,
  type E10Result,
  type E10Truncation,
  runE10,
} from './e10.js';
export type {
  E10LogPartition,
  E10RbmDatasetResult,
  E10RbmNoiseLevel,
  E10RbmTruncation,
} from './e10Rbm.js';
// E11: only runE11 and the types are public (the root's 200-runtime-name cap); E11_PRESETS and
// covarianceInitMlp are reached through src/experiments/e11.ts.
export {
  type E11Config,
  type E11Dataset,
  type E11Measured,
  type E11Result,
  type E11SetResult,
  runE11,
} from './e11.js';
export type { GridSampling } from './ensembleGrids.js';
export type {
  FlowStepSummary,
  FlowTrainingConfig,
  FlowTrainingSummary,
  MeasuredFlow,
  MeasuredFlowOptions,
} from './rbmFlowRecipe.js';
export type { StackVersusRgSettings } from './stackVersusRg.js';
export type {
  Comparison,
  ExperimentOptions,
  ExperimentResult,
  PresetConfig,
  PresetName,
} from './types.js';
