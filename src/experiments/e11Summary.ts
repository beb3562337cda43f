/**
 * E11 per-seed runs summarised into one result per data set and hidden size (means and standard errors
 * over seeds), and the tolerance of the planted exact check.
 * @module
 */
import type { LabelledSplit } from './e11Data.js';
import type { ClassifierProbe, WeightProbe } from './e11Probe.js';
import type { AutoencoderInit, AutoencoderProbe } from './e11Unsupervised.js';
import type { Measurement } from './types.js';

/** One seed's numbers on one data set and hidden size. */
export interface SeedRun {
  readonly probe: ClassifierProbe;
  readonly untrained: WeightProbe;
  /** An autoencoder d -> h -> d trained on the same rows (unsupervised counterpart, E7-E10 instruments). */
  readonly autoencoder: AutoencoderProbe;
  /** E9's covariance-init protocol on an autoencoder of code size h, same rows. */
  readonly autoencoderInit: AutoencoderInit;
  /** A +-1 RBM d -> h trained on the same spin rows (E7's recipe); spin data sets only. */
  readonly rbm?: WeightProbe;
  /** Held-out accuracy after 0..epochs epochs (random init / covariance init). */
  readonly randomCurve: number[];
  readonly covarianceCurve: number[];
  /** First epoch at which the curve reaches the random run's final accuracy (Infinity: never). */
  readonly epochsRandom: number;
  readonly epochsCovariance: number;
}

/** The planted exact check's expected deficit 1 - O and its tolerance (see {@link plantedTolerance}). */
export interface PlantedCheck {
  /** Sample term (d - k) sigma^2 / (n rho^2). */
  readonly sampleDeficit: number;
  /** Init-residual term (d - k) sigma0^2 <1 / s_j^2> (mean over seeds of the top-k singular values). */
  readonly initDeficit: number;
  /** 3 x (sampleDeficit + initDeficit). */
  readonly tolerance: number;
  /** rho^2 = m_k^2 / (2k), m_k = E max_j |z_j| for k standard normals. */
  readonly rho2: number;
}

/** Result of E11 on one data set and hidden size. */
export interface E11SetResult {
  readonly name: string;
  readonly description: string;
  readonly d: number;
  readonly classes: number;
  readonly hidden: number;
  readonly nTrain: number;
  readonly nTest: number;
  /** Overlap dimension and the between-class one, min(k, C - 1). */
  readonly k: number;
  readonly kBetween: number;
  readonly fullAccuracy: Measurement;
  /** Singular values of W per rank. */
  readonly singularValues: Measurement[];
  readonly modesForFraction: Measurement;
  readonly modesForFractionUntrained: Measurement;
  /** Rank of W = min(d, h). */
  readonly rank: number;
  /**
   * In-run unsupervised counterpart (E10's solvability count): covariance eigenvalues holding normFraction
   * of the variance, i.e. the modes a linear autoencoder (PCA) needs to reconstruct that fraction.
   */
  readonly reconstructionModes: number;
  readonly overlapCovariance: Measurement;
  readonly overlapCovarianceUntrained: Measurement;
  /** E8's span overlap (covariance top-k inside the column space of W), trained and untrained; random h / d. */
  readonly spanCovariance: Measurement;
  readonly spanCovarianceUntrained: Measurement;
  readonly randomSpanLevel: number;
  readonly overlapBetween: Measurement;
  readonly overlapBetweenUntrained: Measurement;
  /** Expected overlap of random subspaces: k / d and kBetween / d. */
  readonly randomLevel: number;
  readonly randomLevelBetween: number;
  /** Planted set only (NaN otherwise). */
  readonly overlapPlanted: Measurement;
  readonly overlapPlantedUntrained: Measurement;
  readonly plantedCheck?: PlantedCheck;
  /** Mean low-pass fraction of the top input singular vectors (Ising; NaN otherwise). */
  readonly lowPass: Measurement;
  readonly lowPassUntrained: Measurement;
  /** Truncation: accuracy at truncationK modes; smallest k within the tolerance; tuned parameters. */
  readonly truncationK: number[];
  readonly truncationAccuracy: Measurement[];
  readonly smallestK: Measurement;
  readonly tunedParameters: Measurement;
  readonly allParameters: number;
  readonly tunedPerSample: Measurement;
  /** Noise: levels and held-out accuracy, full network and truncated to smallest k. */
  readonly noiseKind: 'spin flips' | 'gaussian';
  readonly noiseLevels: readonly number[];
  readonly noisyFull: Measurement[];
  readonly noisyTruncated: Measurement[];
  /** Truncated minus full accuracy at each noise level (paired over seeds). */
  readonly noiseAdvantage: Measurement[];
  /**
   * Unsupervised counterpart trained in-run on the same training rows, same h, epochs, init and
   * optimizer: an autoencoder d -> h -> d (hidden activation as the MLP's, linear output, MSE); the same
   * weight instruments on its encoder.
   */
  readonly autoencoder: {
    readonly modesForFraction: Measurement;
    readonly overlapCovariance: Measurement;
    readonly spanCovariance: Measurement;
    readonly overlapBetween: Measurement;
    readonly overlapPlanted: Measurement;
    readonly lowPass: Measurement;
    readonly reconstructionLoss: Measurement;
    /** E10: smallest k within reconstructionTolerance of the full held-out MSE; tuned parameters / samples. */
    readonly smallestK: Measurement;
    readonly tunedPerSample: Measurement;
    /** E10's noise-rejection gain per level (input noise / reconstruction error; > 1 removes noise). */
    readonly noiseGainFull: Measurement[];
    readonly noiseGainTruncated: Measurement[];
    /** Truncated minus full gain per level (paired over seeds; positive: truncation rejects more noise). */
    readonly noiseGainAdvantage: Measurement[];
    /** E9 on the autoencoder: epochs to the random init's final loss (covariance over the seeds that reached it). */
    readonly init: {
      readonly epochsRandom: Measurement;
      readonly epochsCovariance: Measurement;
      readonly reachedSeeds: number;
    };
  };
  /** RBM counterpart on spin data (E7's recipe, same rows and h): the weight instruments on its W. */
  readonly rbm?: {
    readonly modesForFraction: Measurement;
    readonly overlapCovariance: Measurement;
    readonly spanCovariance: Measurement;
    readonly overlapBetween: Measurement;
    readonly lowPass: Measurement;
  };
  /** Covariance init vs random init. */
  readonly init: {
    readonly epochsRandom: Measurement;
    /** Over the seeds that reached the target (reachedSeeds of seeds); NaN if none. */
    readonly epochsCovariance: Measurement;
    readonly reachedSeeds: number;
    readonly seeds: number;
    /** Accuracy before any training, covariance init (random init is chance level). */
    readonly covarianceAccuracy0: Measurement;
    readonly targetAccuracy: Measurement;
    /** Seed 0's curves. */
    readonly randomCurve: number[];
    readonly covarianceCurve: number[];
  };
}

/**
 * E[max_j |z_j|] for k independent standard normals: integral over t >= 0 of 1 - P(|z| <= t)^k, with
 * P(|z| <= t) = 2 int_0^t phi by the trapezoid rule on [0, 10] (step 1e-3; error < 1e-6).
 */
export function expectedMaxAbsNormal(k: number): number {
  const dt = 1e-3;
  let cdf = 0;
  let m = 0;
  let prevPhi = 1 / Math.sqrt(2 * Math.PI);
  let prevTail = 1;
  for (let t = dt; t <= 10; t += dt) {
    const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    cdf += dt * (phi + prevPhi);
    const tail = 1 - Math.min(1, cdf) ** k;
    m += 0.5 * dt * (tail + prevTail);
    prevPhi = phi;
    prevTail = tail;
  }
  return m;
}

/**
 * Tolerance of the planted exact check on the deficit 1 - O (O = overlap of the top-k input singular
 * vectors of the trained W with the planted subspace Q; 1 - O = mean sin^2 of the principal angles).
 *
 * Derivation. Gradient descent only ever adds to W combinations of the training inputs: W = W0 +
 * sum_r x_r g_r^T, with g_r in R^h accumulated over all updates. Write x_r = Q z_r + sigma eps_r. Along
 * the d - k directions orthogonal to Q the added part is sigma sum_r eps_r g_r^T, where eps_r is
 * independent of the labels and of z_r: for any fixed accumulated g, each of the d - k components of a
 * column has variance sigma^2 sum_r g_r^2, against a planted part of squared norm (sum_r z_r g_r)^2 ~ n^2
 * |E z g|^2. Hence sin^2 of a weight direction ~ (d - k) sigma^2 / (n rho^2), rho^2 = |E z g|^2 / E g^2
 * the squared correlation of the readout g with the planted coordinates. For a class-indicator readout
 * g = 1[label = 2j] (the gradient of the softmax loss of class 2j is driven by it), E g^2 = 1/(2k) and
 * E z_j g = m_k / (2k), m_k = E max_j |z_j|, so rho^2 = m_k^2 / (2k) (0.28 for k = 4): the sample term.
 * The initial W0 ~ N(0, sigma0^2) is never removed (no weight decay): it perturbs the j-th left singular
 * vector by W0 v_j / s_j, whose d - k irrelevant components have variance sigma0^2: the init term
 * (d - k) sigma0^2 <1 / s_j^2>_{j <= k}, with the measured singular values. The check passes when the
 * measured mean deficit is at most 3 x (sample term + init term): a first-order estimate of the
 * expected deficit with a factor 3 for the neglected non-linear readouts (correlation below the
 * indicator's) — it scales as (d - k) / n, so it tightens with the sample count.
 */
export function plantedTolerance(
  data: LabelledSplit,
  k: number,
  noise: number,
  initSigma: number,
  runs: readonly SeedRun[],
  _hidden: number,
): PlantedCheck {
  const d = data.d;
  const mk = expectedMaxAbsNormal(k);
  const rho2 = (mk * mk) / (2 * k);
  const sampleDeficit = ((d - k) * noise * noise) / (data.nTrain * rho2);
  let inv = 0;
  for (const r of runs) for (let j = 0; j < k; j++) inv += 1 / r.probe.singular[j]! ** 2;
  inv /= runs.length * k;
  const initDeficit = (d - k) * initSigma * initSigma * inv;
  return { sampleDeficit, initDeficit, tolerance: 3 * (sampleDeficit + initDeficit), rho2 };
}

function reconstructionModes(eigenvalues: Float64Array, fraction: number): number {
  let total = 0;
  for (const v of eigenvalues) total += Math.max(0, v);
  let cum = 0;
  for (let a = 0; a < eigenvalues.length; a++) {
    cum += Math.max(0, eigenvalues[a]!);
    if (cum >= fraction * total) return a + 1;
  }
  return eigenvalues.length;
}

/** Summarise one data set's seeds. `me` is the mean / standard-error function of the experiments. */
export function summariseSet(
  data: LabelledSplit,
  h: number,
  k: number,
  kBetween: number,
  eigenvalues: Float64Array,
  c: {
    readonly normFraction: number;
    readonly spinFlipLevels: readonly number[];
    readonly gaussianNoiseLevels: readonly number[];
  },
  runs: readonly SeedRun[],
  me: (xs: readonly number[]) => Measurement,
  plantedCheck: PlantedCheck | undefined,
): E11SetResult {
  const p = runs.map((r) => r.probe);
  const u = runs.map((r) => r.untrained);
  const ae = runs.map((r) => r.autoencoder);
  const rank = p[0]!.singular.length;
  const perIndex = (pick: (q: ClassifierProbe) => number[], len: number) =>
    Array.from({ length: len }, (_, i) => me(p.map((q) => pick(q)[i]!)));
  const d = data.d;
  const C = data.classes;
  const spins = data.lattice !== undefined;
  const levels = spins ? c.spinFlipLevels : c.gaussianNoiseLevels;
  const reached = runs.filter((r) => Number.isFinite(r.epochsCovariance));
  const aeInit = runs.map((r) => r.autoencoderInit);
  const rbm = runs.every((r) => r.rbm !== undefined) ? runs.map((r) => r.rbm!) : undefined;
  const aeReached = aeInit.filter((r) => Number.isFinite(r.epochsCovariance));
  const aeLevels = (pick: (q: AutoencoderProbe, i: number) => number) =>
    levels.map((_, i) => me(ae.map((q) => pick(q, i))));
  const epochsOf = (xs: readonly number[]) =>
    xs.length > 0 ? me(xs) : { mean: Number.NaN, error: Number.NaN };
  return {
    name: data.name,
    description: data.description,
    d,
    classes: C,
    hidden: h,
    nTrain: data.nTrain,
    nTest: data.nTest,
    k,
    kBetween,
    fullAccuracy: me(p.map((q) => q.fullAccuracy)),
    singularValues: perIndex((q) => q.singular, rank),
    modesForFraction: me(p.map((q) => q.modesForFraction)),
    modesForFractionUntrained: me(u.map((q) => q.modesForFraction)),
    rank,
    reconstructionModes: reconstructionModes(eigenvalues, c.normFraction),
    overlapCovariance: me(p.map((q) => q.overlapCovariance)),
    overlapCovarianceUntrained: me(u.map((q) => q.overlapCovariance)),
    spanCovariance: me(p.map((q) => q.spanCovariance)),
    spanCovarianceUntrained: me(u.map((q) => q.spanCovariance)),
    randomSpanLevel: Math.min(h, d) / d,
    overlapBetween: me(p.map((q) => q.overlapBetween)),
    overlapBetweenUntrained: me(u.map((q) => q.overlapBetween)),
    randomLevel: k / d,
    randomLevelBetween: kBetween / d,
    overlapPlanted: me(p.map((q) => q.overlapPlanted)),
    overlapPlantedUntrained: me(u.map((q) => q.overlapPlanted)),
    ...(plantedCheck ? { plantedCheck } : {}),
    lowPass: me(p.map((q) => q.lowPass)),
    lowPassUntrained: me(u.map((q) => q.lowPass)),
    truncationK: p[0]!.truncationK,
    truncationAccuracy: perIndex((q) => q.truncationAccuracy, p[0]!.truncationK.length),
    smallestK: me(p.map((q) => q.smallestK)),
    tunedParameters: me(p.map((q) => q.tunedParameters)),
    allParameters: d * h + h + h * C + C,
    tunedPerSample: me(p.map((q) => q.tunedParameters / data.nTrain)),
    noiseKind: spins ? 'spin flips' : 'gaussian',
    noiseLevels: levels,
    noisyFull: perIndex((q) => q.noisyFull, levels.length),
    noisyTruncated: perIndex((q) => q.noisyTruncated, levels.length),
    noiseAdvantage: levels.map((_, i) => me(p.map((q) => q.noisyTruncated[i]! - q.noisyFull[i]!))),
    autoencoder: {
      modesForFraction: me(ae.map((q) => q.modesForFraction)),
      overlapCovariance: me(ae.map((q) => q.overlapCovariance)),
      spanCovariance: me(ae.map((q) => q.spanCovariance)),
      overlapBetween: me(ae.map((q) => q.overlapBetween)),
      overlapPlanted: me(ae.map((q) => q.overlapPlanted)),
      lowPass: me(ae.map((q) => q.lowPass)),
      reconstructionLoss: me(ae.map((q) => q.reconstructionLoss)),
      smallestK: me(ae.map((q) => q.smallestK)),
      tunedPerSample: me(ae.map((q) => q.tunedParameters / data.nTrain)),
      noiseGainFull: aeLevels((q, i) => q.noiseGainFull[i]!),
      noiseGainTruncated: aeLevels((q, i) => q.noiseGainTruncated[i]!),
      noiseGainAdvantage: aeLevels((q, i) => q.noiseGainTruncated[i]! - q.noiseGainFull[i]!),
      init: {
        epochsRandom: me(aeInit.map((r) => r.epochsRandom)),
        epochsCovariance: epochsOf(aeReached.map((r) => r.epochsCovariance)),
        reachedSeeds: aeReached.length,
      },
    },
    ...(rbm
      ? {
          rbm: {
            modesForFraction: me(rbm.map((q) => q.modesForFraction)),
            overlapCovariance: me(rbm.map((q) => q.overlapCovariance)),
            spanCovariance: me(rbm.map((q) => q.spanCovariance)),
            overlapBetween: me(rbm.map((q) => q.overlapBetween)),
            lowPass: me(rbm.map((q) => q.lowPass)),
          },
        }
      : {}),
    init: {
      epochsRandom: me(runs.map((r) => r.epochsRandom)),
      epochsCovariance: epochsOf(reached.map((r) => r.epochsCovariance)),
      reachedSeeds: reached.length,
      seeds: runs.length,
      covarianceAccuracy0: me(runs.map((r) => r.covarianceCurve[0]!)),
      targetAccuracy: me(runs.map((r) => r.randomCurve[r.randomCurve.length - 1]!)),
      randomCurve: runs[0]!.randomCurve,
      covarianceCurve: runs[0]!.covarianceCurve,
    },
  };
}
