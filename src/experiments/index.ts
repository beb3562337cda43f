/** The thesis experiments E1-E10 (see ../shared/EXPERIMENTS.md). @module */

export type { CovarianceDatasetName, SplitDataset } from './datasets.js';
export * from './e1.js';
export * from './e2.js';
export * from './e3.js';
export * from './e4.js';
export * from './e5.js';
export * from './e6.js';
export * from './e7.js';
export * from './e8.js';
export * from './e9.js';
export * from './e10.js';
export type { CorrelatorSeries, DimensionFit, FlowStepSummary, FlowTrainingSummary } from './flowCommon.js';
export * from './flowHelpers.js';
export * from './types.js';
