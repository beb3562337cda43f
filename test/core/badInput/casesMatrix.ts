/**
 * THE MATRIX BLOCK: bad-input cases of the functions that take a batch, a data set or a weight matrix as
 * (flat data, rows, cols) arguments (linear algebra, spectral, RBM/autoencoder/MLP front ends and
 * training). Helper "matrix" is moving these signatures to a `{ data, rows, cols }` matrix type: adapt
 * the argument lists here on merge (a matrix slot becomes one 'object'/'data' slot). Their validation is
 * left to that change; `skip` lists the argument slots that still fail here, with what they do.
 */
import {
  accuracy,
  autoencoderDecode,
  autoencoderEncode,
  correlatorMaps,
  covarianceInitialWeights,
  covarianceMatrix,
  createRng,
  energy,
  freeEnergy,
  gatherRows,
  gibbsStep,
  hiddenIsLowPassOfVisible,
  hiddenMeans,
  inputOutputCorrelator,
  logLikelihood,
  mapsLocality,
  mlpLoss,
  pca,
  predictClass,
  predictMlp,
  predictProbabilities,
  pseudoLikelihood,
  qrOrthonormalize,
  rbmGradient,
  reconstruct,
  reconstructionError,
  reconstructionLoss,
  resumeAutoencoderTraining,
  resumeMlpTraining,
  resumeTraining,
  sampleHidden,
  sampleVisible,
  stackDown,
  stackUp,
  subspaceOverlap,
  symmetricEigen,
  thinSvd,
  topEigenpairs,
  topSingularTriplets,
  trainAutoencoder,
  trainMlp,
  trainRbm,
  trainRbmStack,
  visibleMeans,
  weightSvd,
} from '../../../src/index.js';
import { autoencoder, f64, mlp, rbm, spins, stack } from './fixtures.js';
import type { Case } from './harness.js';

const aeOptions = () => ({
  epochs: 1,
  batchSize: 2,
  optimizer: { kind: 'sgd' as const, learningRate: 0.1 },
  rng: createRng(2),
});
const mlpData = () => f64(16, (i) => (i % 5) / 5);
const mlpTargets = () => [0, 1, 0, 1];
const mlpOptions = () => ({ epochs: 1, batchSize: 2, rng: createRng(3) });
const rbmCheckpoint = () =>
  trainRbm(rbm(), spins(16), { epochs: 1, rng: createRng(2), batchSize: 2 }).checkpoint;
const aeCheckpoint = () => trainAutoencoder(autoencoder(), mlpData(), aeOptions()).checkpoint;
const mlpCheckpoint = () => trainMlp(mlp(), mlpData(), mlpTargets(), mlpOptions()).checkpoint;
const sym = () => Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2);

export const matrixCases: Case[] = [
  // core linear algebra
  {
    name: 'covarianceMatrix',
    call: covarianceMatrix as never,
    args: () => [f64(12, (i) => Math.sin(i)), 4, 3, {}],
    kinds: ['data', 'size', 'size', 'options'],
  },
  {
    name: 'symmetricEigen',
    call: symmetricEigen as never,
    args: () => [Float64Array.of(2, 1, 1, 2), 2],
    kinds: ['data', 'size'],
  },
  {
    name: 'thinSvd',
    call: thinSvd as never,
    args: () => [f64(6, (i) => i * i), 3, 2],
    kinds: ['data', 'size', 'size'],
  },
  {
    name: 'qrOrthonormalize',
    call: qrOrthonormalize as never,
    args: () => [f64(6, (i) => Math.sin(i + 1)), 3, 2],
    kinds: ['data', 'size', 'size'],
  },
  {
    name: 'topEigenpairs',
    call: topEigenpairs as never,
    args: () => [sym(), 3, 1, { rng: createRng(1) }],
    kinds: ['data', 'size', 'size', 'required'],
  },
  {
    name: 'topSingularTriplets',
    call: topSingularTriplets as never,
    args: () => [f64(6, (i) => Math.sin(i + 1)), 2, 3, 1, { rng: createRng(1) }],
    kinds: ['data', 'size', 'size', 'size', 'required'],
  },
  // spectral
  {
    name: 'pca',
    call: pca as never,
    args: () => [f64(12, (i) => Math.sin(i)), 4, 3, 2],
    kinds: ['data', 'size', 'size', 'size'],
  },
  {
    name: 'subspaceOverlap',
    call: subspaceOverlap as never,
    args: () => [Float64Array.of(1, 0, 0), Float64Array.of(0.6, 0.8, 0), 3, 1, 1],
    kinds: ['data', 'data', 'size', 'size', 'size'],
  },
  {
    name: 'inputOutputCorrelator',
    call: inputOutputCorrelator as never,
    args: () => [spins(8), f64(6, (i) => i / 6), 2, 4, 3, {}],
    kinds: ['data', 'data', 'size', 'size', 'size', 'options'],
  },
  {
    name: 'correlatorMaps',
    call: correlatorMaps as never,
    args: () => [f64(12, (i) => Math.sin(i)), 4, 3],
    kinds: ['data', 'size', 'size'],
  },
  {
    name: 'weightSvd',
    call: weightSvd as never,
    args: () => [f64(12, (i) => Math.sin(i)), 4, 3],
    kinds: ['data', 'size', 'size'],
  },
  {
    name: 'hiddenIsLowPassOfVisible',
    call: hiddenIsLowPassOfVisible as never,
    args: () => [f64(64, (i) => Math.sin(i)), 16, 4, { visibleShape: [4, 4], hiddenShape: [2, 2] }],
    kinds: ['data', 'size', 'size', 'required'],
    skip: { 1: 'Symbol: TypeError "Cannot convert a Symbol value to a string"', 2: 'same as 1' },
  },
  {
    name: 'mapsLocality',
    call: mapsLocality as never,
    args: () => [spins(64), f64(16, (i) => Math.sin(i)), 4, [4, 4], 4, {}],
    kinds: ['data', 'data', 'size', 'shape', 'size', 'options'],
    skip: { 3: 'null, "4,4", 4, {}: TypeError "shape.reduce is not a function"' },
  },
  // data
  {
    name: 'gatherRows',
    call: gatherRows as never,
    args: () => [f64(9, (i) => i), 3, [2, 0]],
    kinds: ['numbers', 'size', 'numbers'],
    skip: { 0: 'null/undefined: TypeError reading length', 2: 'same as 0' },
    extra: () => [
      [f64(9, (i) => i), 3, [5]],
      [f64(9, (i) => i), 3, [0.5]],
      [f64(9, (i) => i), 3, [-1]],
    ],
  },
  // RBM front ends
  {
    name: 'hiddenMeans',
    call: hiddenMeans as never,
    args: () => [rbm(), spins(8)],
    kinds: ['object', 'data'],
  },
  {
    name: 'visibleMeans',
    call: visibleMeans as never,
    args: () => [rbm(), spins(6)],
    kinds: ['object', 'data'],
  },
  {
    name: 'sampleHidden',
    call: sampleHidden as never,
    args: () => [rbm(), spins(8), createRng(1)],
    kinds: ['object', 'data', 'rng'],
  },
  {
    name: 'sampleVisible',
    call: sampleVisible as never,
    args: () => [rbm(), spins(6), createRng(1)],
    kinds: ['object', 'data', 'rng'],
  },
  {
    name: 'gibbsStep',
    call: gibbsStep as never,
    args: () => [rbm(), spins(8), createRng(1)],
    kinds: ['object', 'data', 'rng'],
  },
  { name: 'freeEnergy', call: freeEnergy as never, args: () => [rbm(), spins(8)], kinds: ['object', 'data'] },
  {
    name: 'energy',
    call: energy as never,
    args: () => [rbm(), spins(4), spins(3)],
    kinds: ['object', 'data', 'data'],
  },
  {
    name: 'reconstructionError',
    call: reconstructionError as never,
    args: () => [rbm(), spins(8), {}],
    kinds: ['object', 'data', 'options'],
  },
  {
    name: 'pseudoLikelihood',
    call: pseudoLikelihood as never,
    args: () => [rbm(), spins(8), {}],
    kinds: ['object', 'data', 'options'],
  },
  {
    name: 'logLikelihood',
    call: logLikelihood as never,
    args: () => [rbm(), spins(8), 5],
    kinds: ['object', 'data', 'finite'],
  },
  {
    name: 'rbmGradient',
    call: rbmGradient as never,
    args: () => [rbm(), spins(8), spins(8)],
    kinds: ['object', 'data', 'data'],
  },
  {
    name: 'trainRbm',
    call: trainRbm as never,
    args: () => [rbm(), spins(16), { epochs: 1, rng: createRng(2), batchSize: 2 }, {}],
    kinds: ['object', 'data', 'required', 'options'],
    nested: [[2, 'optimizer']],
  },
  {
    name: 'resumeTraining',
    call: resumeTraining as never,
    args: () => [rbmCheckpoint(), spins(16), { epochs: 2, rng: createRng(2), batchSize: 2 }, {}],
    kinds: ['object', 'data', 'required', 'options'],
    skip: {
      0: 'StateError "resumeTraining: checkpoint: expected an RbmCheckpoint of version 1" lacks ", received ..."',
    },
  },
  {
    name: 'trainRbmStack',
    call: trainRbmStack as never,
    args: () => [spins(32), [4, 2], { rng: createRng(1), train: { epochs: 1, batchSize: 2 } }, {}],
    kinds: ['data', 'list', 'required', 'options'],
    nested: [[2, 'train']],
  },
  {
    name: 'stackUp',
    call: stackUp as never,
    args: () => [stack(), spins(32), {}],
    kinds: ['object', 'data', 'options'],
  },
  {
    name: 'stackDown',
    call: stackDown as never,
    args: () => [stack(), spins(2), {}],
    kinds: ['object', 'data', 'options'],
  },
  // autoencoder front ends
  {
    name: 'trainAutoencoder',
    call: trainAutoencoder as never,
    args: () => [autoencoder(), mlpData(), aeOptions(), {}],
    kinds: ['object', 'data', 'required', 'options'],
    nested: [[2, 'optimizer']],
  },
  {
    name: 'resumeAutoencoderTraining',
    call: resumeAutoencoderTraining as never,
    args: () => [aeCheckpoint(), mlpData(), { epochs: 2 }, {}],
    kinds: ['object', 'data', 'options', 'options'],
  },
  {
    name: 'autoencoderEncode',
    call: autoencoderEncode as never,
    args: () => [autoencoder(), mlpData()],
    kinds: ['object', 'data'],
  },
  {
    name: 'autoencoderDecode',
    call: autoencoderDecode as never,
    args: () => [autoencoder(), f64(4, (i) => i / 4)],
    kinds: ['object', 'data'],
  },
  {
    name: 'reconstruct',
    call: reconstruct as never,
    args: () => [autoencoder(), mlpData()],
    kinds: ['object', 'data'],
  },
  {
    name: 'reconstructionLoss',
    call: reconstructionLoss as never,
    args: () => [autoencoder(), mlpData(), 'mse'],
    kinds: ['object', 'data'],
    extra: () => [
      [autoencoder(), mlpData(), 'bogus'],
      [autoencoder(), mlpData(), 42],
    ],
  },
  {
    name: 'covarianceInitialWeights',
    call: covarianceInitialWeights as never,
    args: () => [mlpData(), 4, 2],
    kinds: ['data', 'size', 'size'],
  },
  // MLP front ends
  {
    name: 'trainMlp',
    call: trainMlp as never,
    args: () => [mlp(), mlpData(), mlpTargets(), mlpOptions(), {}],
    kinds: ['object', 'data', 'data', 'required', 'options'],
  },
  {
    name: 'resumeMlpTraining',
    call: resumeMlpTraining as never,
    args: () => [mlpCheckpoint(), mlpData(), mlpTargets(), { epochs: 2 }, {}],
    kinds: ['object', 'data', 'data', 'options', 'options'],
  },
  {
    name: 'predictMlp',
    call: predictMlp as never,
    args: () => [mlp(), mlpData()],
    kinds: ['object', 'data'],
  },
  {
    name: 'predictProbabilities',
    call: predictProbabilities as never,
    args: () => [mlp(), mlpData()],
    kinds: ['object', 'data'],
  },
  {
    name: 'predictClass',
    call: predictClass as never,
    args: () => [mlp(), mlpData()],
    kinds: ['object', 'data'],
  },
  {
    name: 'accuracy',
    call: accuracy as never,
    args: () => [mlp(), mlpData(), [0, 1, 0, 1]],
    kinds: ['object', 'data', 'data'],
  },
  {
    name: 'mlpLoss',
    call: mlpLoss as never,
    args: () => [mlp(), mlpData(), mlpTargets()],
    kinds: ['object', 'data', 'data'],
  },
];

/**
 * PENDING (matrix merge): the training work cap. Each call below asks for 2^40 epochs and must be refused
 * at once by `checkTrainingWork` (src/core/validate.ts: epochs x samples x parameters <= MAX_WORK); today
 * each runs on without end, so they are not run. On merge, add at the top of trainRbm, trainAutoencoder,
 * trainMlp (and their resume*), after the options are read:
 *   checkTrainingWork(fn, epochs, samples, parameters);
 * then move these into the cases' `extra`.
 */
export const pendingWorkCaps: readonly { readonly name: string; readonly call: () => unknown }[] = [
  {
    name: 'trainRbm',
    call: () => trainRbm(rbm(), spins(16), { epochs: 2 ** 40, rng: createRng(2), batchSize: 2 }),
  },
  {
    name: 'trainAutoencoder',
    call: () => trainAutoencoder(autoencoder(), mlpData(), { ...aeOptions(), epochs: 2 ** 40 }),
  },
  {
    name: 'trainMlp',
    call: () => trainMlp(mlp(), mlpData(), mlpTargets(), { ...mlpOptions(), epochs: 2 ** 40 }),
  },
];
