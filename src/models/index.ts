/** The models layer: RBMs, autoencoders, MLPs, optimisers, partition functions, flows and serialisation to bytes (model files are in `coarsegrain/node`). */

export type { Activation } from './activation.js';
export {
  type Autoencoder,
  type AutoencoderActivation,
  type AutoencoderCheckpoint,
  type AutoencoderInit,
  type AutoencoderLoss,
  type AutoencoderOptions,
  type AutoencoderTrainingResult,
  covarianceInitialWeights,
  createAutoencoder,
  decode as autoencoderDecode,
  encode as autoencoderEncode,
  type ResumeAutoencoderOptions,
  reconstruct,
  reconstructionLoss,
  resumeAutoencoderTraining,
  type TrainAutoencoderOptions,
  trainAutoencoder,
} from './autoencoder.js';
export type { ArrayFor, DenseInit, DenseLayer, DType } from './denseLayer.js';
export type { DenseTargets, LossKind } from './denseLoss.js';
export type { DenseTrainSettings, EpochMetrics } from './denseTraining.js';
export { type ArrayOf, type CovarianceInit, type CreateRbmOptions, createRbm, type RbmInit } from './init.js';
export {
  accuracy,
  createMlp,
  type Mlp,
  type MlpActivation,
  type MlpCheckpoint,
  type MlpOptions,
  type MlpOutput,
  type MlpTrainingResult,
  mlpLoss,
  predictClass,
  predictMlp,
  predictProbabilities,
  resumeMlpTraining,
  type TrainMlpOptions,
  trainMlp,
} from './mlp.js';
export { type OptimizerConfig, type OptimizerState, type ScheduleConfig, THESIS_ADAM } from './optim.js';
export {
  type AisBlocksOptions,
  type AisOptions,
  type AisResult,
  type AisWeights,
  aisLogPartition,
  aisLogPartitionBlocks,
  exactLogPartition,
  logLikelihood,
} from './partition.js';
export {
  convertRbm,
  energy,
  freeEnergy,
  gibbsStep,
  hiddenMeans,
  type PseudoLikelihoodOptions,
  pseudoLikelihood,
  type ReconstructionOptions,
  reconstructionError,
  sampleHidden,
  sampleVisible,
  visibleMeans,
} from './rbm.js';
export { type RbmFlowOptions, type RbmFlowResult, rbmFlow } from './rbmFlow.js';
export {
  type PropagationMode,
  type RbmStack,
  type StackPassOptions,
  stackDown,
  stackUp,
  type TrainRbmStackOptions,
  type TrainRbmStackResult,
  trainRbmStack,
} from './rbmStack.js';
export {
  type RbmCheckpoint,
  type RbmEpochRecord,
  type RbmGradient,
  rbmGradient,
  resumeTraining,
  type TrainRbmOptions,
  type TrainRbmResult,
  trainRbm,
} from './rbmTrain.js';
export { deserializeModel, modelFromJson, modelToJson, serializeModel } from './serialize.js';
export { type AlignedStack, alignStackToLattice } from './stackGauge.js';
export { truncatedAutoencoders, truncatedRbm, type WeightFactors } from './truncate.js';
export type { Rbm, UnitType } from './types.js';
