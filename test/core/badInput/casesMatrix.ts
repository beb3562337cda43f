/**
 * THE MATRIX BLOCK: bad-input cases of the functions that take a batch, a data set or a weight matrix
 * (linear algebra, spectral, RBM/autoencoder/MLP front ends and training), as a `{ data, rows, cols }`
 * Matrix. A 'matrix' slot also gets the flat array of the positional kernel form, a data length that is
 * not rows x cols, bad sizes and non-finite entries; `skip` lists argument slots that still fail here.
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
  matrix,
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
const mlpData = () =>
  matrix(
    f64(16, (i) => (i % 5) / 5),
    4,
    4,
  ); // 4 samples x 4 features
const mlpTargets = () => [0, 1, 0, 1];
const mlpOptions = () => ({ epochs: 1, batchSize: 2, rng: createRng(3) });
const rbmCheckpoint = () =>
  trainRbm(rbm(), matrix(spins(16), 4, 4), { epochs: 1, rng: createRng(2), batchSize: 2 }).checkpoint;
const aeCheckpoint = () => trainAutoencoder(autoencoder(), mlpData(), aeOptions()).checkpoint;
const mlpCheckpoint = () => trainMlp(mlp(), mlpData(), mlpTargets(), mlpOptions()).checkpoint;
const sym = () => Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2);

export const matrixCases: Case[] = [
  // core linear algebra
  {
    name: 'covarianceMatrix',
    call: covarianceMatrix as never,
    args: () => [
      matrix(
        f64(12, (i) => Math.sin(i)),
        4,
        3,
      ),
      {},
    ],
    kinds: ['object', 'options'],
  },
  {
    name: 'symmetricEigen',
    call: symmetricEigen as never,
    args: () => [Float64Array.of(2, 1, 1, 2), 2, {}],
    kinds: ['data', 'size', 'options'],
  },
  {
    name: 'thinSvd',
    call: thinSvd as never,
    args: () => [
      matrix(
        f64(6, (i) => i * i),
        3,
        2,
      ),
    ],
    kinds: ['matrix'],
    extra: () => [[matrix(new Float64Array(0), 0, 3)], [matrix(new Float64Array(0), 3, 0)]],
  },
  {
    name: 'qrOrthonormalize',
    call: qrOrthonormalize as never,
    args: () => [
      matrix(
        f64(6, (i) => Math.sin(i + 1)),
        3,
        2,
      ),
      undefined,
    ],
    kinds: ['matrix'],
    extra: () => {
      const a = matrix(
        f64(6, (i) => Math.sin(i + 1)),
        3,
        2,
      );
      return [
        [matrix(a.data, 2, 3)], // wide: more columns than rows
        [a, matrix(new Float64Array(6), 2, 3)], // out with its sizes swapped
        [a, matrix(a.data, 3, 2)], // out shares memory with a
        [a, matrix(new Float32Array(6), 3, 2)], // out not Float64Array
        [a, 'out'],
      ];
    },
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
    args: () => [
      matrix(
        f64(6, (i) => Math.sin(i + 1)),
        2,
        3,
      ),
      1,
      { rng: createRng(1) },
    ],
    kinds: ['matrix', 'size', 'required'],
    extra: () => [
      [
        matrix(
          f64(6, (i) => i),
          2,
          3,
        ),
        3,
        { rng: createRng(1) },
      ], // k > min(rows, cols)
      [matrix(new Float64Array(0), 0, 3), 1, { rng: createRng(1) }],
    ],
  },
  // spectral
  {
    name: 'pca',
    call: pca as never,
    args: () => [
      matrix(
        f64(12, (i) => Math.sin(i)),
        4,
        3,
      ),
      2,
    ],
    kinds: ['object', 'size'],
  },
  {
    name: 'subspaceOverlap',
    call: subspaceOverlap as never,
    args: () => [matrix(Float64Array.of(1, 0, 0), 3, 1), matrix(Float64Array.of(0.6, 0.8, 0), 3, 1)],
    kinds: ['object', 'object'],
  },
  {
    name: 'inputOutputCorrelator',
    call: inputOutputCorrelator as never,
    args: () => [
      matrix(spins(8), 2, 4),
      matrix(
        f64(6, (i) => i / 6),
        2,
        3,
      ),
      {},
    ],
    kinds: ['object', 'object', 'options'],
  },
  {
    name: 'correlatorMaps',
    call: correlatorMaps as never,
    args: () => [
      matrix(
        f64(12, (i) => Math.sin(i)),
        4,
        3,
      ),
    ],
    kinds: ['object'],
  },
  {
    name: 'weightSvd',
    call: weightSvd as never,
    args: () => [
      matrix(
        f64(12, (i) => Math.sin(i)),
        4,
        3,
      ),
    ],
    kinds: ['object'],
  },
  {
    name: 'hiddenIsLowPassOfVisible',
    call: hiddenIsLowPassOfVisible as never,
    args: () => [
      matrix(
        f64(64, (i) => Math.sin(i)),
        16,
        4,
      ),
      { visibleShape: [4, 4], hiddenShape: [2, 2] },
    ],
    kinds: ['object', 'required'],
  },
  {
    name: 'mapsLocality',
    call: mapsLocality as never,
    args: () => [
      matrix(spins(64), 4, 16),
      matrix(
        f64(16, (i) => Math.sin(i)),
        4,
        4,
      ),
      [4, 4],
      {},
    ],
    kinds: ['object', 'object', 'shape', 'options'],
  },
  // data
  {
    name: 'gatherRows',
    call: gatherRows as never,
    args: () => [
      matrix(
        f64(9, (i) => i),
        3,
        3,
      ),
      [2, 0],
    ],
    kinds: ['object', 'numbers'],
    extra: () => [
      [
        matrix(
          f64(9, (i) => i),
          3,
          3,
        ),
        [5],
      ],
      [
        matrix(
          f64(9, (i) => i),
          3,
          3,
        ),
        [0.5],
      ],
      [
        matrix(
          f64(9, (i) => i),
          3,
          3,
        ),
        [-1],
      ],
    ],
  },
  // RBM front ends
  {
    name: 'hiddenMeans',
    call: hiddenMeans as never,
    args: () => [rbm(), matrix(spins(8), 2, 4)],
    kinds: ['object', 'object'],
  },
  {
    name: 'visibleMeans',
    call: visibleMeans as never,
    args: () => [rbm(), matrix(spins(6), 2, 3)],
    kinds: ['object', 'object'],
  },
  {
    name: 'sampleHidden',
    call: sampleHidden as never,
    args: () => [rbm(), matrix(spins(8), 2, 4), createRng(1)],
    kinds: ['object', 'object', 'rng'],
  },
  {
    name: 'sampleVisible',
    call: sampleVisible as never,
    args: () => [rbm(), matrix(spins(6), 2, 3), createRng(1)],
    kinds: ['object', 'object', 'rng'],
  },
  {
    name: 'gibbsStep',
    call: gibbsStep as never,
    args: () => [rbm(), matrix(spins(8), 2, 4), createRng(1)],
    kinds: ['object', 'object', 'rng'],
  },
  {
    name: 'freeEnergy',
    call: freeEnergy as never,
    args: () => [rbm(), matrix(spins(8), 2, 4)],
    kinds: ['object', 'object'],
  },
  {
    name: 'energy',
    call: energy as never,
    args: () => [rbm(), matrix(spins(4), 1, 4), matrix(spins(3), 1, 3)],
    kinds: ['object', 'object', 'object'],
  },
  {
    name: 'reconstructionError',
    call: reconstructionError as never,
    args: () => [rbm(), matrix(spins(8), 2, 4), {}],
    kinds: ['object', 'object', 'options'],
  },
  {
    name: 'pseudoLikelihood',
    call: pseudoLikelihood as never,
    args: () => [rbm(), matrix(spins(8), 2, 4), {}],
    kinds: ['object', 'object', 'options'],
  },
  {
    name: 'logLikelihood',
    call: logLikelihood as never,
    args: () => [rbm(), matrix(spins(8), 2, 4), 5],
    kinds: ['object', 'object', 'finite'],
  },
  {
    name: 'rbmGradient',
    call: rbmGradient as never,
    args: () => [rbm(), matrix(spins(8), 2, 4), matrix(spins(8), 2, 4)],
    kinds: ['object', 'object', 'object'],
  },
  {
    name: 'trainRbm',
    call: trainRbm as never,
    args: () => [rbm(), matrix(spins(16), 4, 4), { epochs: 1, rng: createRng(2), batchSize: 2 }, {}],
    kinds: ['object', 'object', 'required', 'options'],
    nested: [[2, 'optimizer']],
  },
  {
    name: 'resumeTraining',
    call: resumeTraining as never,
    args: () => [
      rbmCheckpoint(),
      matrix(spins(16), 4, 4),
      { epochs: 2, rng: createRng(2), batchSize: 2 },
      {},
    ],
    kinds: ['object', 'object', 'required', 'options'],
  },
  {
    name: 'trainRbmStack',
    call: trainRbmStack as never,
    args: () => [
      matrix(spins(32), 8, 4),
      [4, 2],
      { rng: createRng(1), train: { epochs: 1, batchSize: 2 } },
      {},
    ],
    kinds: ['object', 'list', 'required', 'options'],
    nested: [[2, 'train']],
  },
  {
    name: 'stackUp',
    call: stackUp as never,
    args: () => [stack(), matrix(spins(32), 2, 16), {}],
    kinds: ['object', 'object', 'options'],
  },
  {
    name: 'stackDown',
    call: stackDown as never,
    args: () => [stack(), matrix(spins(2), 2, 1), {}],
    kinds: ['object', 'object', 'options'],
  },
  // autoencoder front ends
  {
    name: 'trainAutoencoder',
    call: trainAutoencoder as never,
    args: () => [autoencoder(), mlpData(), aeOptions(), {}],
    kinds: ['object', 'object', 'required', 'options'],
    nested: [[2, 'optimizer']],
  },
  {
    name: 'resumeAutoencoderTraining',
    call: resumeAutoencoderTraining as never,
    args: () => [aeCheckpoint(), mlpData(), { epochs: 2 }, {}],
    kinds: ['object', 'object', 'options', 'options'],
  },
  {
    name: 'autoencoderEncode',
    call: autoencoderEncode as never,
    args: () => [autoencoder(), mlpData()],
    kinds: ['object', 'object'],
  },
  {
    name: 'autoencoderDecode',
    call: autoencoderDecode as never,
    args: () => [
      autoencoder(),
      matrix(
        f64(4, (i) => i / 4),
        2,
        2,
      ),
    ],
    kinds: ['object', 'object'],
  },
  {
    name: 'reconstruct',
    call: reconstruct as never,
    args: () => [autoencoder(), mlpData()],
    kinds: ['object', 'object'],
  },
  {
    name: 'reconstructionLoss',
    call: reconstructionLoss as never,
    args: () => [autoencoder(), mlpData(), 'mse'],
    kinds: ['object', 'object'],
    extra: () => [
      [autoencoder(), mlpData(), 'bogus'],
      [autoencoder(), mlpData(), 42],
    ],
  },
  {
    name: 'covarianceInitialWeights',
    call: covarianceInitialWeights as never,
    args: () => [mlpData(), 2],
    kinds: ['object', 'size'],
  },
  // MLP front ends
  {
    name: 'trainMlp',
    call: trainMlp as never,
    args: () => [mlp(), mlpData(), mlpTargets(), mlpOptions(), {}],
    kinds: ['object', 'object', 'data', 'required', 'options'],
  },
  {
    name: 'resumeMlpTraining',
    call: resumeMlpTraining as never,
    args: () => [mlpCheckpoint(), mlpData(), mlpTargets(), { epochs: 2 }, {}],
    kinds: ['object', 'object', 'data', 'options', 'options'],
  },
  {
    name: 'predictMlp',
    call: predictMlp as never,
    args: () => [mlp(), mlpData()],
    kinds: ['object', 'object'],
  },
  {
    name: 'predictProbabilities',
    call: predictProbabilities as never,
    args: () => [mlp(), mlpData()],
    kinds: ['object', 'object'],
  },
  {
    name: 'predictClass',
    call: predictClass as never,
    args: () => [mlp(), mlpData()],
    kinds: ['object', 'object'],
  },
  {
    name: 'accuracy',
    call: accuracy as never,
    args: () => [mlp(), mlpData(), [0, 1, 0, 1]],
    kinds: ['object', 'object', 'data'],
  },
  {
    name: 'mlpLoss',
    call: mlpLoss as never,
    args: () => [mlp(), mlpData(), mlpTargets()],
    kinds: ['object', 'object', 'data'],
  },
];

/**
 * The trainers' work cap: each call asks for 2^40 epochs and must be refused at once by
 * `checkTrainingWork` (src/core/validate.ts: epochs x samples x parameters <= MAX_WORK).
 */
export const workCaps: readonly { readonly name: string; readonly call: () => unknown }[] = [
  {
    name: 'trainRbm',
    call: () =>
      trainRbm(rbm(), matrix(spins(16), 4, 4), { epochs: 2 ** 40, rng: createRng(2), batchSize: 2 }),
  },
  {
    name: 'trainAutoencoder',
    call: () => trainAutoencoder(autoencoder(), mlpData(), { ...aeOptions(), epochs: 2 ** 40 }),
  },
  {
    name: 'resumeTraining',
    call: () => {
      const first = trainRbm(rbm(), matrix(spins(16), 4, 4), { epochs: 1, rng: createRng(2), batchSize: 2 });
      return resumeTraining(first.checkpoint, matrix(spins(16), 4, 4), { epochs: 2 ** 40 });
    },
  },
  {
    name: 'trainMlp',
    call: () => trainMlp(mlp(), mlpData(), mlpTargets(), { ...mlpOptions(), epochs: 2 ** 40 }),
  },
];
