/**
 * Experiment E10, RBM part: irrelevant parameters of a restricted Boltzmann machine, measured by the held-out
 * log-likelihood. On each data set an RBM (P1 recipe: +-1 units for Ising, 0/1 units for binarised
 * real-valued data; W ~ N(0, 0.05^2), PCD/CD, Adam with epsilon 1e-2) is trained, its weight matrix is
 * truncated to the top-k singular modes (biases kept) and the held-out average log-likelihood is measured
 * against k, with log Z exact (enumeration of the smaller layer) when that layer has at most
 * `rbmMaxExactUnits` units, else by AIS (its standard error reported). k = 0 is the bias-only model.
 * On the Ising sets the RBM is also trained on noisy data (each spin flipped with probability p) and
 * measured on clean and on noisy held-out data, and by one deterministic mean-field up-down pass.
 * @module
 */
import { deriveRng, type Rng } from '../core/rng.js';
import { matrix } from '../core/tensor.js';
import { checkAbort } from '../core/validate.js';
import { createRbm } from '../models/init.js';
import { aisLogPartition, exactLogPartition, logLikelihood } from '../models/partition.js';
import { hiddenMeans, logTwoCosh, softplusStable, visibleMeans } from '../models/rbm.js';
import { trainRbm } from '../models/rbmTrain.js';
import { truncatedRbm } from '../models/truncate.js';
import type { Rbm } from '../models/types.js';
import { weightSvd } from '../spectral/weights.js';
import { meanAndError, splitRows } from './datasets.js';
import type { E10Config } from './e10.js';
import { addNoise } from './e10Data.js';
import type { Comparison, Measurement } from './types.js';

/** A data set as E10 builds it (rows x d, row-major). Internal to E10; exported for its helpers. */
export interface E10RawSet {
  readonly name: string;
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly description: string;
  /** +-1 spins (Ising); otherwise real values, binarised for the RBM at `threshold`. */
  readonly spins: boolean;
  /** RBM binarisation threshold for real-valued data: x > threshold -> 1, else 0. */
  readonly threshold: number;
}

/** Log partition function of one model and how it was obtained. */
export interface E10LogPartition {
  readonly logZ: number;
  /** 0 for exact enumeration; the AIS delta-method standard error otherwise. */
  readonly logZStdErr: number;
  readonly method: 'exact' | 'ais';
}

/** Truncation of the RBM weights to k singular modes, measured by the held-out log-likelihood (over seeds). */
export interface E10RbmTruncation {
  /** Kept modes k (0 = bias-only model, last = rank = min(nVisible, nHidden)). */
  readonly k: number[];
  /** Held-out mean log-likelihood per sample (nats) of the truncated model, per k (error over seeds). */
  readonly logLikelihood: Measurement[];
  /** Largest AIS standard error of log Z over seeds, per k (0 when exact). */
  readonly logZStdErr: number[];
  /** Held-out log-likelihood of the untruncated trained model. */
  readonly fullLogLikelihood: Measurement;
  /** Largest AIS standard error of the full model's log Z over seeds (0 when exact). */
  readonly fullLogZStdErr: number;
  /** Max over seeds of |LL(k = rank) - LL(full)|: 0 up to rounding (the k = rank model, equal to the full
   * one up to rounding, shares its log Z), a check of the truncation. */
  readonly fullRankDeviation: number;
  /** Held-out log-likelihood of the bias-only model in closed form (W = 0: sum_i [a_i v_i - log z(a_i)]); equals k = 0. */
  readonly biasOnlyLogLikelihood: Measurement;
  /** Smallest k with LL(k) >= LL(full) - max(tolerance (LL(full) - LL(0)), 2 sigma_AIS), per seed summarised. */
  readonly smallestK: Measurement;
  /** k (nVisible + nHidden) + nVisible + nHidden at the smallest k, and nVisible nHidden + nVisible + nHidden. */
  readonly tunedParameters: Measurement;
  readonly allParameters: number;
  /** tunedParameters / number of training samples. */
  readonly parametersPerSample: Measurement;
  /** Largest singular value of the trained weights and the sum of the singular values (first seed). */
  readonly singularValues: number[];
}

/** The RBM trained on noisy Ising data at one flip probability (over seeds). */
export interface E10RbmNoiseLevel {
  /** Flip probability p. */
  readonly level: number;
  /** Held-out LL of the clean test rows under the RBM trained on noisy data. */
  readonly cleanLogLikelihood: Measurement;
  /** Held-out LL of the same rows with noise under the same RBM (the statistics it was trained on). */
  readonly noisyLogLikelihood: Measurement;
  /** cleanLogLikelihood - noisyLogLikelihood (> 0: the model prefers the clean configurations). */
  readonly cleanAdvantage: Measurement;
  /** Held-out LL of the clean test rows under the RBM trained on clean data, for scale. */
  readonly cleanModelLogLikelihood: Measurement;
  /** Fraction of spins of the noisy input that differ from the clean data (about p). */
  readonly inputFlipFraction: Measurement;
  /** Fraction of spins of sign(E[v | E[h | v_noisy]]) (one mean-field up-down pass) that differ from the clean data. */
  readonly outputFlipFraction: Measurement;
  /** inputFlipFraction / outputFlipFraction (> 1: the pass removes noise; the output floored at half a spin). */
  readonly gain: Measurement;
  readonly logZStdErr: number;
}

/** RBM results on one data set. */
export interface E10RbmDatasetResult {
  readonly name: string;
  readonly description: string;
  readonly visibleUnits: 'spin' | 'binary';
  readonly nVisible: number;
  readonly nHidden: number;
  readonly nTrain: number;
  readonly nTest: number;
  readonly partition: 'exact' | 'ais';
  readonly truncation: E10RbmTruncation;
  /** Ising sets only, for the noise levels > 0 (empty otherwise). */
  readonly noise: E10RbmNoiseLevel[];
}

/** The kept-mode counts measured: all of 0..rank up to rank 24, else a geometric grid and the rank. */
export function rbmTruncationRanks(rank: number): number[] {
  if (rank <= 24) return Array.from({ length: rank + 1 }, (_, k) => k);
  const out = [0, 1, 2, 3, 4, 6, 8, 12, 16];
  for (let k = 24; k < rank; k = Math.round(k * 1.5)) out.push(k);
  out.push(rank);
  return out.filter((k, i) => k <= rank && out.indexOf(k) === i);
}

/**
 * Held-out mean log-likelihood of the bias-only model (W = 0) in closed form: the hidden layer factorises
 * and cancels, leaving (1/rows) sum_rows sum_i [a_i v_i - log z(a_i)], z = 2 cosh for spin and 1 + e^a for
 * binary visible units. O(rows nV).
 */
export function biasOnlyLogLikelihood(rbm: Rbm<Float64Array>, data: ArrayLike<number>): number {
  const nv = rbm.nVisible;
  const a = rbm.visibleBias;
  const rows = data.length / nv;
  const lz = rbm.visibleUnits === 'spin' ? logTwoCosh : softplusStable;
  let logZ = 0;
  for (let i = 0; i < nv; i++) logZ += lz(a[i]!);
  let s = 0;
  for (let i = 0; i < data.length; i++) s += a[i % nv]! * data[i]!;
  return s / rows - logZ;
}

/** Data-mean visible biases for the AIS base model (atanh / logit of the clipped mean). */
function baseBias(data: ArrayLike<number>, nv: number, spin: boolean): Float64Array {
  const rows = data.length / nv;
  const out = new Float64Array(nv);
  for (let i = 0; i < nv; i++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += data[r * nv + i]!;
    m /= rows;
    if (spin) out[i] = Math.atanh(Math.max(-0.999, Math.min(0.999, m)));
    else {
      const p = Math.max(1e-3, Math.min(1 - 1e-3, m));
      out[i] = Math.log(p / (1 - p));
    }
  }
  return out;
}

/**
 * log Z of an RBM for E10: exact when min(nVisible, nHidden) <= c.rbmMaxExactUnits, else AIS with
 * c.aisChains chains and c.aisSteps uniformly spaced inverse temperatures, from a base model whose visible
 * biases match `trainData`'s mean.
 */
export function e10LogPartition(
  rbm: Rbm<Float64Array>,
  c: Pick<E10Config, 'rbmMaxExactUnits' | 'aisChains' | 'aisSteps'>,
  trainData: ArrayLike<number>,
  rng: Rng,
  signal?: AbortSignal,
): E10LogPartition {
  if (Math.min(rbm.nVisible, rbm.nHidden) <= c.rbmMaxExactUnits)
    return { logZ: exactLogPartition(rbm, { signal }), logZStdErr: 0, method: 'exact' };
  const r = aisLogPartition(
    rbm,
    {
      chains: c.aisChains,
      betas: c.aisSteps,
      rng,
      baseVisibleBias: baseBias(trainData, rbm.nVisible, rbm.visibleUnits === 'spin'),
    },
    { signal },
  );
  return { logZ: r.logZ, logZStdErr: r.logZStdErr, method: 'ais' };
}

function flipFraction(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! * b[i]! < 0 || (a[i] === 0) !== (b[i] === 0)) s++;
  return s / a.length;
}

const m = (xs: number[]) => meanAndError(xs);

/**
 * The RBM part of E10 on one data set: seeds x (1 + noise levels > 0 on Ising) trainings of rbmEpochs
 * epochs, and one log Z per kept-mode count and model. Randomness from deriveRng(seed, 'E10', name, ...);
 * the train/test split is the autoencoder part's (same generator path).
 */
export function analyseRbm(
  raw: E10RawSet,
  c: E10Config,
  seed: number,
  signal?: AbortSignal,
  onSeed?: (s: number) => void,
): E10RbmDatasetResult {
  const nv = raw.d;
  const nh = c.rbmHidden;
  const units = raw.spins ? ('spin' as const) : ('binary' as const);
  const data = raw.spins ? raw.data : raw.data.map((x) => (x > raw.threshold ? 1 : 0));
  const rank = Math.min(nv, nh);
  const ks = rbmTruncationRanks(rank);
  const ll: number[][] = ks.map(() => []);
  const zErr = ks.map(() => 0);
  const full: number[] = [];
  let fullZErr = 0;
  const biasOnly: number[] = [];
  const smallest: number[] = [];
  let fullRankDeviation = 0;
  let nTrain = 0;
  let nTest = 0;
  let method: 'exact' | 'ais' = 'exact';
  let singularValues: number[] = [];
  const levels = raw.spins ? c.noiseLevels.filter((p) => p > 0) : [];
  const noise = levels.map(() => ({
    clean: [] as number[],
    noisy: [] as number[],
    adv: [] as number[],
    cleanModel: [] as number[],
    inFlip: [] as number[],
    outFlip: [] as number[],
    gain: [] as number[],
    zErr: 0,
  }));
  for (let s = 0; s < c.seeds; s++) {
    checkAbort(signal, 'runE10');
    const split = splitRows(data, raw.n, nv, c.testFraction, deriveRng(seed, 'E10', raw.name, 'split', s));
    nTrain = split.nTrain;
    nTest = split.nTest;
    const train = (rows: Float64Array, tag: string) =>
      trainRbm(
        createRbm({
          nVisible: nv,
          nHidden: nh,
          visibleUnits: units,
          hiddenUnits: units,
          init: { kind: 'gaussian', sigma: 0.05 },
          rng: deriveRng(seed, 'E10', raw.name, 'rbm', tag, 'init', s),
        }),
        matrix(rows, rows.length / nv, nv),
        {
          epochs: c.rbmEpochs,
          batchSize: c.rbmBatchSize,
          method: c.rbmMethod,
          k: c.rbmGibbsSteps,
          optimizer: { kind: 'adam', learningRate: c.rbmLearningRate, epsilon: 1e-2 },
          monitorSize: 0,
          rng: deriveRng(seed, 'E10', raw.name, 'rbm', tag, 'train', s),
        },
        { signal },
      ).model;
    const zOf = (model: Rbm<Float64Array>, rows: Float64Array, ...tag: (string | number)[]) =>
      e10LogPartition(model, c, rows, deriveRng(seed, 'E10', raw.name, 'rbm', 'ais', s, ...tag), signal);
    const model = train(split.train, 'clean');
    const zFull = zOf(model, split.train, 'full');
    method = zFull.method;
    const llFull = logLikelihood(model, matrix(split.test, split.nTest, nv), zFull.logZ);
    full.push(llFull);
    fullZErr = Math.max(fullZErr, zFull.logZStdErr);
    biasOnly.push(biasOnlyLogLikelihood(model, split.test));
    const svd = weightSvd(matrix(model.weights, nv, nh));
    if (s === 0) singularValues = Array.from(svd.values);
    const llK: number[] = [];
    const errK: number[] = [];
    ks.forEach((k, i) => {
      checkAbort(signal, 'runE10');
      const t = truncatedRbm(model, svd, k);
      // k = rank reproduces W up to rounding: it shares the full model's log Z (one AIS run fewer)
      const z = k === rank ? zFull : zOf(t, split.train, 'k', k);
      const l = logLikelihood(t, matrix(split.test, split.nTest, nv), z.logZ);
      ll[i]!.push(l);
      llK.push(l);
      errK.push(z.logZStdErr);
      zErr[i] = Math.max(zErr[i]!, z.logZStdErr);
      if (k === rank) fullRankDeviation = Math.max(fullRankDeviation, Math.abs(l - llFull));
    });
    const gainLL = llFull - llK[0]!;
    let kStar = rank;
    for (let i = 0; i < ks.length; i++) {
      const allowed = Math.max(
        c.rbmTolerance * Math.max(gainLL, 0),
        2 * Math.hypot(errK[i]!, zFull.logZStdErr),
      );
      if (llK[i]! >= llFull - allowed) {
        kStar = ks[i]!;
        break;
      }
    }
    smallest.push(kStar);
    levels.forEach((p, li) => {
      checkAbort(signal, 'runE10');
      const rng = deriveRng(seed, 'E10', raw.name, 'rbm', 'noise', p, s);
      const noisyTrain = addNoise(split.train, p, true, rng);
      const noisyTest = addNoise(split.test, p, true, rng);
      const noisyModel = train(noisyTrain, `noise-${p}`);
      const z = zOf(noisyModel, noisyTrain, 'noise', p);
      const llClean = logLikelihood(noisyModel, matrix(split.test, split.nTest, nv), z.logZ);
      const llNoisy = logLikelihood(noisyModel, matrix(noisyTest, split.nTest, nv), z.logZ);
      const rec = visibleMeans(noisyModel, hiddenMeans(noisyModel, matrix(noisyTest, split.nTest, nv))).data;
      const inFlip = flipFraction(noisyTest, split.test);
      const outFlip = flipFraction(rec, split.test);
      const r = noise[li]!;
      r.clean.push(llClean);
      r.noisy.push(llNoisy);
      r.adv.push(llClean - llNoisy);
      r.cleanModel.push(llFull);
      r.inFlip.push(inFlip);
      r.outFlip.push(outFlip);
      r.gain.push(inFlip / Math.max(outFlip, 0.5 / split.test.length));
      r.zErr = Math.max(r.zErr, z.logZStdErr);
    });
    onSeed?.(s);
  }
  const params = (k: number) => k * (nv + nh) + nv + nh;
  return {
    name: raw.name,
    description: raw.description,
    visibleUnits: units,
    nVisible: nv,
    nHidden: nh,
    nTrain,
    nTest,
    partition: method,
    truncation: {
      k: ks,
      logLikelihood: ll.map(m),
      logZStdErr: zErr,
      fullLogLikelihood: m(full),
      fullLogZStdErr: fullZErr,
      fullRankDeviation,
      biasOnlyLogLikelihood: m(biasOnly),
      smallestK: m(smallest),
      tunedParameters: m(smallest.map(params)),
      allParameters: nv * nh + nv + nh,
      parametersPerSample: m(smallest.map((k) => params(k) / nTrain)),
      singularValues,
    },
    noise: levels.map((level, li) => {
      const r = noise[li]!;
      return {
        level,
        cleanLogLikelihood: m(r.clean),
        noisyLogLikelihood: m(r.noisy),
        cleanAdvantage: m(r.adv),
        cleanModelLogLikelihood: m(r.cleanModel),
        inputFlipFraction: m(r.inFlip),
        outputFlipFraction: m(r.outFlip),
        gain: m(r.gain),
        logZStdErr: r.zErr,
      };
    }),
  };
}

/** The comparisons of the RBM part: a handful of modes, tuned parameters vs samples, noise. */
export function rbmComparisons(sets: readonly E10RbmDatasetResult[], c: E10Config): Comparison[] {
  const out: Comparison[] = [];
  for (const r of sets) {
    const t = r.truncation;
    const rank = Math.min(r.nVisible, r.nHidden);
    const planted = r.name === 'planted';
    const bound = planted ? c.plantedRank : Math.floor(rank / 2);
    const learned = t.fullLogLikelihood.mean > t.logLikelihood[0]!.mean;
    out.push({
      quantity: `RBM: smallest k with held-out log-likelihood within tolerance of the full model (rank ${rank}, log Z ${r.partition}), ${r.name}`,
      measured: t.smallestK,
      reference: planted ? c.plantedRank : Number.NaN,
      source: planted
        ? 'planted rank before binarisation (an upper bound for "a handful")'
        : 'thesis: behaviour only',
      expectation: `a handful of modes carry the model (k <= ${bound}, far below the rank), with the full model above the bias-only one`,
      agrees: learned && t.smallestK.mean <= bound,
    });
    out.push({
      quantity: `RBM: tuned parameters / training samples, ${r.name}`,
      measured: t.parametersPerSample,
      reference: 1,
      source: 'thesis: behaviour only',
      expectation: 'fewer tuned parameters than training samples (ratio < 1)',
      agrees: t.parametersPerSample.mean < 1,
    });
    if (r.noise.length > 0) {
      const worst = r.noise[r.noise.length - 1]!;
      out.push({
        quantity: `RBM trained on noisy data (flip p = ${worst.level}): LL(clean held-out) - LL(noisy held-out), nats per sample, ${r.name}`,
        measured: worst.cleanAdvantage,
        reference: 0,
        source: 'thesis: behaviour only (noise rejection)',
        expectation:
          'the model trained on noisy data prefers the clean configurations (> 0; expected of the flip channel itself for p < 1/2, so a weak test)',
        agrees: worst.cleanAdvantage.mean > 0,
      });
      out.push({
        quantity: `RBM trained on noisy data (flip p = ${worst.level}): flip-fraction gain of one mean-field up-down pass, ${r.name}`,
        measured: worst.gain,
        reference: 1,
        source: 'thesis: behaviour only (reconstructions remove noise)',
        expectation: 'the reconstruction has fewer wrong spins than the noisy input (gain > 1)',
        agrees: worst.gain.mean > 1,
      });
    }
  }
  return out;
}
