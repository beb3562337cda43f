/**
 * The unsupervised column of E11, measured in the same run on the same rows and at the same size h as the
 * classifier: an autoencoder d -> h -> d through E7/E8's weight instruments (`probeWeights`), E10's
 * truncation (smallest k within a tolerance on the held-out reconstruction MSE) and noise rejection
 * (E10's gain: the input noise over the reconstruction error of noisy held-out rows against the clean rows), and
 * E9's covariance-initialisation protocol (`compareInitialisations`) at code size h; on spin data also a
 * +-1 RBM d -> h trained by E7's recipe, its weights through the same weight instruments.
 * @module
 */
import { deriveRng, type Rng } from '../core/rng.js';
import { byRows, matrix } from '../core/tensor.js';
import {
  type Autoencoder,
  type AutoencoderActivation,
  cloneAutoencoder,
  reconstruct,
  reconstructionLoss,
} from '../models/autoencoder.js';
import { createRbm } from '../models/init.js';
import { THESIS_ADAM } from '../models/optim.js';
import { trainRbm } from '../models/rbmTrain.js';
import { lowRankWeights as truncate, truncatedAutoencoders } from '../models/truncate.js';
import { weightSvd } from '../spectral/weights.js';
import { compareInitialisations } from './e9.js';
import { addNoise } from './e10Data.js';
import type { LabelledSplit } from './e11Data.js';
import {
  type ProbeReferences,
  type ProbeSettings,
  probeWeights,
  truncationGrid,
  type WeightProbe,
} from './e11Probe.js';

/** The autoencoder's numbers for one seed (beside the classifier's {@link ClassifierProbe}). */
export interface AutoencoderProbe extends WeightProbe {
  /** Held-out reconstruction MSE per element of the full autoencoder. */
  readonly reconstructionLoss: number;
  /** E10: smallest k whose held-out MSE exceeds the full one by <= tolerance x variance per element. */
  readonly smallestK: number;
  /** E10's count of tuned parameters of the truncated autoencoder, 2 k (d + h) + d + h. */
  readonly tunedParameters: number;
  /**
   * Noise rejection at each level, E10's gain: ||noisy - clean||^2 / ||reconstruction(noisy) - clean||^2
   * on the held-out rows (above 1: the reconstruction removes noise), full and truncated to smallestK.
   * Unlike E10 the network is the one trained on clean rows (as in the classifier's noise test).
   */
  readonly noiseGainFull: number[];
  readonly noiseGainTruncated: number[];
}

/** E9's protocol on the autoencoder of code size h: epochs to reach the random init's final held-out loss. */
export interface AutoencoderInit {
  readonly epochsRandom: number;
  /** Epochs the covariance-initialised autoencoder needed (Infinity if not within the epochs). */
  readonly epochsCovariance: number;
}

/**
 * The autoencoder truncated to k modes at each k of `ks`: for a nonlinear code both matrices are truncated
 * to their own top-k singular modes (biases unchanged), as {@link truncatedAutoencoders} does, but only at
 * the requested k (a wide layer would otherwise hold rank copies of the model); for a linear code the
 * end-to-end truncation of {@link truncatedAutoencoders}, ordered by the variance on `train`.
 */
function truncatedAt(
  model: Autoencoder<Float64Array>,
  ks: readonly number[],
  train: Float64Array,
  nTrain: number,
): Autoencoder<Float64Array>[] {
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  if (model.activations[0] === 'linear') {
    const all = truncatedAutoencoders(model, matrix(train, nTrain, d));
    return ks.map((k) => all[k - 1]!);
  }
  const enc = weightSvd(matrix(model.weights[0]!, d, h));
  const dec = weightSvd(matrix(model.weights[1]!, h, d));
  return ks.map((k) => {
    const m = cloneAutoencoder(model);
    m.weights[0]!.set(truncate(enc, k));
    m.weights[1]!.set(truncate(dec, k));
    return m;
  });
}

/** Mean squared difference per element of two equal-length arrays. */
function meanSquared(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

/**
 * E10's truncation and noise instruments on a trained autoencoder d -> h -> d (`weights` = the weight-only
 * probe of its encoder, from `probeWeights`). `variance` is the data's variance per element (the E10
 * tolerance unit); `rng` draws the noise. Cost: |truncation grid| + 2 |levels| held-out reconstructions.
 */
export function probeAutoencoder(
  model: Autoencoder<Float64Array>,
  weights: WeightProbe,
  data: LabelledSplit,
  s: {
    readonly reconstructionTolerance: number;
    readonly noiseLevels: readonly number[];
    readonly spins: boolean;
  },
  variance: number,
  rng: Rng,
): AutoencoderProbe {
  const d = data.d;
  const h = model.layers[1]!;
  const test = byRows(data.test, d);
  const full = reconstructionLoss(model, test);
  const ks = truncationGrid(Math.min(d, h));
  const models = truncatedAt(model, ks, data.train, data.nTrain);
  let pick = models.length - 1;
  for (let i = 0; i < ks.length; i++) {
    if ((reconstructionLoss(models[i]!, test) - full) / variance <= s.reconstructionTolerance) {
      pick = i;
      break;
    }
  }
  const smallestK = ks[pick]!;
  const noiseGainFull: number[] = [];
  const noiseGainTruncated: number[] = [];
  for (const level of s.noiseLevels) {
    const noisy = addNoise(data.test, level, s.spins, rng);
    const input = meanSquared(noisy, data.test);
    noiseGainFull.push(input / meanSquared(reconstruct(model, byRows(noisy, d)).data, data.test));
    noiseGainTruncated.push(
      input / meanSquared(reconstruct(models[pick]!, byRows(noisy, d)).data, data.test),
    );
  }
  return {
    ...weights,
    reconstructionLoss: full,
    smallestK,
    tunedParameters: 2 * smallestK * (d + h) + d + h,
    noiseGainFull,
    noiseGainTruncated,
  };
}

/**
 * E9's covariance-initialisation protocol ({@link compareInitialisations}: Xavier-initialised random
 * autoencoder vs the covariance-initialised one, code size h, the classifier's activation, epochs, batch
 * and Adam rate; the covariance run gets at most the same number of epochs) on the classifier's split.
 */
export function autoencoderInit(
  data: LabelledSplit,
  h: number,
  c: {
    readonly activation: AutoencoderActivation;
    readonly epochs: number;
    readonly batchSize: number;
    readonly learningRate: number;
  },
  seed: number,
  rep: number,
  signal?: AbortSignal,
): AutoencoderInit {
  const r = compareInitialisations(
    {
      name: `E11 ${data.name}`,
      d: data.d,
      train: data.train,
      nTrain: data.nTrain,
      test: data.test,
      nTest: data.nTest,
      description: data.description,
    },
    { code: h, maxEpochFactor: 1, ...c },
    seed,
    rep,
    signal,
  );
  return {
    epochsRandom: r.epochsRandom,
    epochsCovariance: r.covarianceReached ? r.epochsCovariance : Number.POSITIVE_INFINITY,
  };
}

/**
 * E7's RBM on the same spin rows at the same size: a +-1 RBM d -> h (W ~ N(0, 0.05^2), the thesis's init),
 * trained by CD-1 with E7's optimizer (Adam, epsilon 1e-2, `learningRate`), batch `batchSize`, for
 * `epochs` epochs; its weight matrix W (d x h) through {@link probeWeights}. Streams
 * deriveRng(seed, 'E11', name, h, rep, 'rbm-init' | 'rbm-train'). Cost: epochs x nTrain x d h x ~8 flop.
 */
export function trainedRbmProbe(
  data: LabelledSplit,
  h: number,
  c: { readonly epochs: number; readonly batchSize: number; readonly learningRate: number },
  refs: ProbeReferences,
  settings: ProbeSettings,
  seed: number,
  rep: number,
  signal?: AbortSignal,
): WeightProbe {
  const d = data.d;
  const rbm = createRbm({
    nVisible: d,
    nHidden: h,
    rng: deriveRng(seed, 'E11', data.name, h, rep, 'rbm-init'),
  });
  const trained = trainRbm(
    rbm,
    matrix(data.train, data.nTrain, d),
    {
      epochs: c.epochs,
      batchSize: c.batchSize,
      optimizer: { ...THESIS_ADAM, learningRate: c.learningRate },
      rng: deriveRng(seed, 'E11', data.name, h, rep, 'rbm-train'),
    },
    signal ? { signal } : {},
  ).model;
  return probeWeights(trained.weights, d, h, data, refs, settings);
}
