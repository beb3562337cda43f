/**
 * Experiment E7: SVD of a trained RBM's weights W = U S V^T and the Fourier content of the singular
 * vectors. A +-1 RBM is trained on 2D Ising configurations (thesis recipe: PCD-1, Adam lr 1e-3 eps 1e-2,
 * batch 100, W ~ N(0, 0.05^2)) with the hidden units laid out on an Lh x Lh lattice in index order. For each
 * singular pair (u_j on the visible lattice, v_j on the hidden lattice) we measure: the singular value, the
 * fraction of u_j's Fourier power inside the hidden lattice's band, the low-pass fractions and the RMS
 * momentum of u_j and v_j, and the overlap |cos| between v_j and u_j low-passed and resampled onto the hidden
 * lattice (spectral `hiddenIsLowPassOfVisible`). Expected (thesis, P2): for the large singular values the
 * hidden vector is the visible one with its high Fourier modes discarded, and only a handful of singular
 * values matter. Every number is averaged over independent seeds (fresh data and training per seed); the
 * untrained initial weights of the same seeds give the baseline. Note: the RBM's hidden units carry no
 * intrinsic lattice positions (the energy is invariant under permuting them), so the hidden-lattice
 * overlap tests whether training puts them in spatial order; the visible-side Fourier content does not
 * depend on that layout.
 * @module
 */
import { signedMode } from '../core/fft.js';
import type { Rng } from '../core/rng.js';
import { deriveRng } from '../core/rng.js';
import { matrix } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkRange,
  optionKeys,
} from '../core/validate.js';
import { ISING_TC } from '../lattice/exact2d.js';
import { createIsing2D } from '../lattice/ising2d.js';
import { createRbm } from '../models/init.js';
import { THESIS_ADAM } from '../models/optim.js';
import { trainRbm } from '../models/rbmTrain.js';
import { ensembleMatrix, sampleEnsemble, summarizeEnsemble } from '../sampling/ensemble.js';
import { mapLocality } from '../spectral/inputOutput.js';
import {
  fourierPower,
  hiddenIsLowPassOfVisible,
  lowPassFraction,
  matrixColumn,
  type WeightSvd,
} from '../spectral/weights.js';
import { VERSION } from '../version.js';
import {
  type Comparison,
  type ExperimentOptions,
  type ExperimentResult,
  type Measurement,
  type PresetConfig,
  resolvePreset,
} from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const EXPERIMENT_OPTIONS_KEYS = optionKeys<ExperimentOptions>({
  seed: true,
  onProgress: true,
  signal: true,
  loaders: true,
});

/** Parameters of E7. */
export interface E7Config {
  /** Side of the visible L x L Ising torus. */
  readonly L: number;
  /** Side of the hidden lattice (nHidden = hiddenSide^2, at most L): L / 2 for a b = 2 coarse graining. */
  readonly hiddenSide: number;
  /** Temperature of the training data (default Tc). */
  readonly temperature: number;
  /** Monte Carlo sampler of the data. */
  readonly sampler: 'wolff' | 'swendsen-wang' | 'metropolis' | 'heatbath';
  /** Configurations per seed. */
  readonly samples: number;
  /** Sampler steps discarded first. */
  readonly burnIn: number;
  /** Sampler steps between kept configurations. */
  readonly thin: number;
  /** RBM training epochs (updates = epochs * samples / batchSize). */
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam learning rate (thesis 1e-3; epsilon 1e-2 as in THESIS_ADAM). */
  readonly learningRate: number;
  /** Independent repetitions (data + training) for the error bars. */
  readonly seeds: number;
  /** Leading singular pairs analysed in detail (<= nHidden). */
  readonly modes: number;
  /** Leading pairs averaged in the summary comparisons ("large singular values"). */
  readonly topModes: number;
  /** Fraction of sum s_j^2 whose number of carrying singular values is reported (e.g. 0.9). */
  readonly normFraction: number;
  /** Momentum cutoff (fraction of the band edge, max norm) of the reported low-pass fractions. */
  readonly cutoff: number;
  /** How many singular vectors are kept (seed 0) for the image grid. */
  readonly keepVectors: number;
  /**
   * How hidden units are placed on the hidden lattice: `'receptive-field'` puts each unit at the site nearest
   * to the centre of its weight map |W[:, a]|^2 (scaled by hiddenSide / L; greedy one-to-one assignment by
   * distance) and orients it so that sum_i W_ia >= 0 (h_a -> -h_a is a symmetry of +-1 units), `'index'` in
   * index order (row-major), signs as trained. The RBM itself is invariant under permuting hidden
   * units, so only a physically motivated layout makes the hidden-side Fourier comparison meaningful.
   */
  readonly hiddenLayout: 'receptive-field' | 'index';
}

/**
 * Quick (minutes on 2 cores) and full (thesis scale: 10 x 10, 10^4 samples, 5 x 10^4 updates) presets.
 * @example
 * ```ts
 * import { E7_PRESETS } from 'coarsegrain';
 * const { L, hiddenSide } = E7_PRESETS.quick; // visible L x L, hidden hiddenSide x hiddenSide
 * ```
 */
export const E7_PRESETS: { readonly quick: E7Config; readonly full: E7Config } = Object.freeze({
  quick: Object.freeze({
    L: 8,
    hiddenSide: 4,
    temperature: ISING_TC,
    sampler: 'wolff',
    samples: 2000,
    burnIn: 200,
    thin: 2,
    epochs: 100,
    batchSize: 100,
    learningRate: 1e-3,
    seeds: 3,
    modes: 16,
    topModes: 3,
    normFraction: 0.9,
    cutoff: 0.5,
    keepVectors: 8,
    hiddenLayout: 'receptive-field',
  } as E7Config),
  full: Object.freeze({
    L: 10,
    hiddenSide: 5,
    temperature: ISING_TC,
    sampler: 'wolff',
    samples: 10000,
    burnIn: 1000,
    thin: 5,
    epochs: 500,
    batchSize: 100,
    learningRate: 1e-3,
    seeds: 5,
    modes: 25,
    topModes: 3,
    normFraction: 0.9,
    cutoff: 0.5,
    keepVectors: 10,
    hiddenLayout: 'receptive-field',
  } as E7Config),
});

/** Per-rank series (index j = singular pair j, descending singular value), each a mean over seeds. */
export interface E7Measured {
  readonly visibleShape: [number, number];
  readonly hiddenShape: [number, number];
  readonly rank: number;
  /** Singular values s_j. */
  readonly singularValues: Measurement[];
  /** s_j^2 / sum s^2. */
  readonly normShare: Measurement[];
  /** Cumulative sum of normShare. */
  readonly cumulativeNormShare: Measurement[];
  /** Number of singular values carrying `normFraction` of sum s^2 (trained, and untrained init). */
  readonly modesForFraction: Measurement;
  readonly modesForFractionUntrained: Measurement;
  /** |cos| between v_j and u_j low-passed onto the hidden lattice (trained, and untrained init). */
  readonly lowPassOverlap: Measurement[];
  readonly lowPassOverlapUntrained: Measurement[];
  /** Fraction of u_j's power inside the hidden lattice's band (|k| <= Lh / 2). */
  readonly visibleBandFraction: Measurement[];
  readonly visibleBandFractionUntrained: Measurement[];
  /** lowPassFraction(u_j, cutoff) on the visible lattice and lowPassFraction(v_j, cutoff) on the hidden one. */
  readonly visibleLowPass: Measurement[];
  readonly hiddenLowPass: Measurement[];
  /** Power-weighted RMS |k| (integer wave number, Euclidean) of u_j and of v_j. */
  readonly visibleRmsWaveNumber: Measurement[];
  readonly hiddenRmsWaveNumber: Measurement[];
  /** Summaries over the leading `topModes` pairs (mean over pairs, error over seeds). */
  readonly top: {
    readonly lowPassOverlap: Measurement;
    readonly lowPassOverlapUntrained: Measurement;
    readonly visibleBandFraction: Measurement;
    readonly visibleBandFractionUntrained: Measurement;
    /** The overlap with the other hidden layout (index order if hiddenLayout is receptive-field, and vice versa). */
    readonly lowPassOverlapOtherLayout: Measurement;
  };
  /** Seed 0: the first keepVectors visible (L*L each) and hidden (Lh*Lh each) singular vectors. */
  readonly visibleVectors: number[][];
  readonly hiddenVectors: number[][];
  /** Data checks: energy and |m| per site of the training data (mean over seeds). */
  readonly data: { readonly energy: Measurement; readonly absMagnetization: Measurement };
  /** Final mean-field reconstruction error of the RBMs. */
  readonly reconstructionError: Measurement;
  /** Parameter updates per run. */
  readonly updates: number;
}

/** Mean and standard error of the mean over runs (error NaN for a single run). */
function meanError(values: readonly number[]): Measurement {
  const n = values.length;
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  if (n < 2) return { mean, error: Number.NaN };
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, error: Math.sqrt(ss / (n - 1) / n) };
}

function perRank(runs: readonly (readonly number[])[], count: number): Measurement[] {
  return Array.from({ length: count }, (_, j) => meanError(runs.map((r) => r[j]!)));
}

function rmsWaveNumber(vector: ArrayLike<number>, shape: readonly [number, number]): number {
  const p = fourierPower(vector, shape);
  const [ny, nx] = shape;
  let total = 0;
  let acc = 0;
  for (let y = 0; y < ny; y++) {
    const ky = signedMode(y, ny);
    for (let x = 0; x < nx; x++) {
      const kx = signedMode(x, nx);
      const w = p[y * nx + x]!;
      total += w;
      acc += w * (kx * kx + ky * ky);
    }
  }
  return total > 0 ? Math.sqrt(acc / total) : 0;
}

/** Number of leading singular values (descending) whose squares carry `fraction` of sum s^2. O(length). */
export function modesFor(values: Float64Array, fraction: number): number {
  let total = 0;
  for (const s of values) total += s * s;
  let cum = 0;
  for (let j = 0; j < values.length; j++) {
    cum += values[j]! ** 2;
    if (cum >= fraction * total - 1e-15 * total) return j + 1;
  }
  return values.length;
}

interface SvdAnalysis {
  singular: number[];
  normShare: number[];
  cumulative: number[];
  modesForFraction: number;
  overlap: number[];
  bandFraction: number[];
  visibleLowPass: number[];
  hiddenLowPass: number[];
  visibleRms: number[];
  hiddenRms: number[];
  svd: WeightSvd;
}

/**
 * Place hidden units on the Lh x Lh lattice by the centres of their weight maps: all (unit, site) pairs are
 * sorted by the minimum-image distance between the unit's centre (in hidden-lattice units) and the site, then
 * assigned greedily one to one; each unit is oriented so that its column sums to >= 0 (spin hidden units: an
 * exact symmetry). Returns W with its columns permuted and oriented (column s = the unit placed at site s).
 */
function receptiveFieldLayout(W: ArrayLike<number>, L: number, Lh: number): Float64Array {
  const nv = L * L;
  const nh = Lh * Lh;
  const scale = Lh / L;
  const centres: number[][] = [];
  const col = new Float64Array(nv);
  for (let a = 0; a < nh; a++) {
    let norm = 0;
    for (let i = 0; i < nv; i++) {
      col[i] = W[i * nh + a]!;
      norm += col[i]! ** 2;
    }
    centres.push(norm > 0 ? mapLocality(col, [L, L]).centre.map((x) => x * scale) : [0, 0]);
  }
  const pairs: { a: number; site: number; dist: number }[] = [];
  const wrap = (d: number) => Math.min(Math.abs(d), Lh - Math.abs(d));
  for (let a = 0; a < nh; a++) {
    for (let site = 0; site < nh; site++) {
      const y = Math.floor(site / Lh);
      const x = site % Lh;
      pairs.push({ a, site, dist: Math.hypot(wrap(centres[a]![0]! - y), wrap(centres[a]![1]! - x)) });
    }
  }
  pairs.sort((p, q) => p.dist - q.dist || p.a - q.a || p.site - q.site);
  const unitAt = new Int32Array(nh).fill(-1);
  const placed = new Uint8Array(nh);
  for (const { a, site } of pairs) {
    if (placed[a] || unitAt[site] !== -1) continue;
    unitAt[site] = a;
    placed[a] = 1;
  }
  // gauge: h_a -> -h_a with W[:, a] -> -W[:, a] (and b_a -> -b_a) is an exact symmetry of +-1 hidden units;
  // orient each unit so that its column sum (its coupling to the magnetisation) is >= 0
  const sign = new Float64Array(nh);
  for (let a = 0; a < nh; a++) {
    let sum = 0;
    for (let i = 0; i < nv; i++) sum += W[i * nh + a]!;
    sign[a] = sum < 0 ? -1 : 1;
  }
  const out = new Float64Array(nv * nh);
  for (let i = 0; i < nv; i++) {
    for (let site = 0; site < nh; site++) {
      const a = unitAt[site]!;
      out[i * nh + site] = sign[a]! * W[i * nh + a]!;
    }
  }
  return out;
}

function analyse(
  W0: ArrayLike<number>,
  c: E7Config,
  layout: E7Config['hiddenLayout'] = c.hiddenLayout,
): SvdAnalysis {
  const nv = c.L * c.L;
  const nh = c.hiddenSide * c.hiddenSide;
  const W = layout === 'index' ? W0 : receptiveFieldLayout(W0, c.L, c.hiddenSide);
  const vShape = [c.L, c.L] as const;
  const hShape = [c.hiddenSide, c.hiddenSide] as const;
  const cmp = hiddenIsLowPassOfVisible(matrix(W, nv, nh), {
    visibleShape: vShape,
    hiddenShape: hShape,
    modes: Math.min(c.modes, Math.min(nv, nh)),
  });
  const { svd } = cmp;
  let total = 0;
  for (const s of svd.values) total += s * s;
  const normShare = Array.from(svd.values, (s) => (s * s) / total);
  const cumulative: number[] = [];
  normShare.reduce((acc, x) => {
    cumulative.push(acc + x);
    return acc + x;
  }, 0);
  const m = cmp.overlap.length;
  const visibleLowPass: number[] = [];
  const hiddenLowPass: number[] = [];
  const visibleRms: number[] = [];
  const hiddenRms: number[] = [];
  for (let j = 0; j < m; j++) {
    const u = matrixColumn(svd.visible, nv, svd.rank, j);
    const v = matrixColumn(svd.hidden, nh, svd.rank, j);
    visibleLowPass.push(lowPassFraction(u, vShape, c.cutoff));
    hiddenLowPass.push(lowPassFraction(v, hShape, c.cutoff));
    visibleRms.push(rmsWaveNumber(u, vShape));
    hiddenRms.push(rmsWaveNumber(v, hShape));
  }
  return {
    singular: Array.from(svd.values),
    normShare,
    cumulative,
    modesForFraction: modesFor(svd.values, c.normFraction),
    overlap: Array.from(cmp.overlap),
    bandFraction: Array.from(cmp.visibleBandFraction),
    visibleLowPass,
    hiddenLowPass,
    visibleRms,
    hiddenRms,
    svd,
  };
}

function checkConfig(c: E7Config): E7Config {
  const fn = 'runE7: config';
  checkInteger(c.L, `${fn}.L`, 2);
  checkInteger(c.hiddenSide, `${fn}.hiddenSide`, 1, c.L);
  checkPositive(c.temperature, `${fn}.temperature`);
  checkOneOf(c.sampler, `${fn}.sampler`, ['wolff', 'swendsen-wang', 'metropolis', 'heatbath'] as const);
  checkInteger(c.samples, `${fn}.samples`, 2);
  checkInteger(c.burnIn, `${fn}.burnIn`, 0);
  checkInteger(c.thin, `${fn}.thin`, 1);
  checkInteger(c.epochs, `${fn}.epochs`, 1);
  checkInteger(c.batchSize, `${fn}.batchSize`, 1);
  checkPositive(c.learningRate, `${fn}.learningRate`);
  checkInteger(c.seeds, `${fn}.seeds`, 1);
  const rank = Math.min(c.L * c.L, c.hiddenSide * c.hiddenSide);
  checkInteger(c.modes, `${fn}.modes`, 1, rank);
  checkInteger(c.topModes, `${fn}.topModes`, 1, c.modes);
  checkRange(c.normFraction, `${fn}.normFraction`, 0, 1, true);
  checkRange(c.cutoff, `${fn}.cutoff`, 0, 1);
  checkInteger(c.keepVectors, `${fn}.keepVectors`, 0, c.modes);
  checkOneOf(c.hiddenLayout, `${fn}.hiddenLayout`, ['receptive-field', 'index'] as const);
  return c;
}

function topMean(runs: readonly (readonly number[])[], top: number): Measurement {
  return meanError(runs.map((r) => r.slice(0, top).reduce((a, b) => a + b, 0) / top));
}

/**
 * Run E7. Stages reported through `options.onProgress`: `seed i/n: sampling`, `seed i/n: training`
 * (per epoch), and `analysis`; `options.signal` is checked between stages (and inside sampling/training).
 * Randomness: deriveRng(seed, 'E7', run, 'data' | 'init' | 'train').
 * @throws DomainError naming the bad config field; AbortError when aborted.
 * @example
 * ```ts
 * import { runE7 } from 'coarsegrain';
 * const result = runE7({ preset: 'quick', seeds: 2 }, { seed: 1 });
 * result.measured.top.lowPassOverlap; // Measurement { mean, error } over seeds: is the hidden layer a low pass?
 * ```
 */
export function runE7(
  config: PresetConfig<E7Config>,
  options: ExperimentOptions = {},
): ExperimentResult<E7Config, E7Measured> {
  options = checkOptions(options, 'runE7: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const resolved = resolvePreset('runE7', config, E7_PRESETS);
  const c = checkConfig(resolved.config);
  const seed = options.seed ?? 1;
  const { onProgress, signal } = options;
  const nv = c.L * c.L;
  const nh = c.hiddenSide * c.hiddenSide;
  const model = createIsing2D({ L: c.L });
  const trained: SvdAnalysis[] = [];
  const otherLayout: number[][] = [];
  const untrained: SvdAnalysis[] = [];
  const energies: number[] = [];
  const mags: number[] = [];
  const recon: number[] = [];
  let updates = 0;
  for (let run = 0; run < c.seeds; run++) {
    checkAbort(signal, 'runE7');
    const tag = `seed ${run + 1}/${c.seeds}`;
    const ensemble = sampleEnsemble(model, {
      temperature: c.temperature,
      sampler: c.sampler,
      samples: c.samples,
      burnIn: c.burnIn,
      thin: c.thin,
      rng: deriveRng(seed, 'E7', run, 'data'),
      ...(onProgress ? { onProgress: (p) => onProgress({ ...p, stage: `${tag}: ${p.stage}` }) } : {}),
      ...(signal ? { signal } : {}),
    });
    const summary = summarizeEnsemble(ensemble);
    energies.push(summary.energy.mean);
    mags.push(summary.absMagnetization.mean);
    checkAbort(signal, 'runE7');
    const initRng: Rng = deriveRng(seed, 'E7', run, 'init');
    const rbm = createRbm({ nVisible: nv, nHidden: nh, rng: initRng });
    untrained.push(analyse(rbm.weights, c));
    const result = trainRbm(
      rbm,
      ensembleMatrix(ensemble),
      {
        epochs: c.epochs,
        batchSize: c.batchSize,
        rng: deriveRng(seed, 'E7', run, 'train'),
        optimizer: { ...THESIS_ADAM, learningRate: c.learningRate },
      },
      {
        ...(onProgress ? { onProgress: (p) => onProgress({ ...p, stage: `${tag}: training` }) } : {}),
        ...(signal ? { signal } : {}),
      },
    );
    const last = result.history[result.history.length - 1];
    recon.push(last ? last.reconstructionError : Number.NaN);
    updates = last ? last.updates : 0;
    checkAbort(signal, 'runE7');
    onProgress?.({ stage: 'analysis', done: run, total: c.seeds });
    trained.push(analyse(result.model.weights, c));
    otherLayout.push(
      analyse(result.model.weights, c, c.hiddenLayout === 'index' ? 'receptive-field' : 'index').overlap,
    );
    onProgress?.({ stage: 'analysis', done: run + 1, total: c.seeds });
  }
  const rank = trained[0]!.singular.length;
  const m = trained[0]!.overlap.length;
  const svd0 = trained[0]!.svd;
  const keep = c.keepVectors;
  const visibleVectors = Array.from({ length: keep }, (_, j) =>
    Array.from(matrixColumn(svd0.visible, nv, svd0.rank, j)),
  );
  const hiddenVectors = Array.from({ length: keep }, (_, j) =>
    Array.from(matrixColumn(svd0.hidden, nh, svd0.rank, j)),
  );
  const pick = (runs: SvdAnalysis[], key: keyof Omit<SvdAnalysis, 'svd' | 'modesForFraction'>) =>
    runs.map((r) => r[key] as number[]);
  const measured: E7Measured = {
    visibleShape: [c.L, c.L],
    hiddenShape: [c.hiddenSide, c.hiddenSide],
    rank,
    singularValues: perRank(pick(trained, 'singular'), rank),
    normShare: perRank(pick(trained, 'normShare'), rank),
    cumulativeNormShare: perRank(pick(trained, 'cumulative'), rank),
    modesForFraction: meanError(trained.map((r) => r.modesForFraction)),
    modesForFractionUntrained: meanError(untrained.map((r) => r.modesForFraction)),
    lowPassOverlap: perRank(pick(trained, 'overlap'), m),
    lowPassOverlapUntrained: perRank(pick(untrained, 'overlap'), m),
    visibleBandFraction: perRank(pick(trained, 'bandFraction'), m),
    visibleBandFractionUntrained: perRank(pick(untrained, 'bandFraction'), m),
    visibleLowPass: perRank(pick(trained, 'visibleLowPass'), m),
    hiddenLowPass: perRank(pick(trained, 'hiddenLowPass'), m),
    visibleRmsWaveNumber: perRank(pick(trained, 'visibleRms'), m),
    hiddenRmsWaveNumber: perRank(pick(trained, 'hiddenRms'), m),
    top: {
      lowPassOverlap: topMean(pick(trained, 'overlap'), c.topModes),
      lowPassOverlapUntrained: topMean(pick(untrained, 'overlap'), c.topModes),
      visibleBandFraction: topMean(pick(trained, 'bandFraction'), c.topModes),
      visibleBandFractionUntrained: topMean(pick(untrained, 'bandFraction'), c.topModes),
      lowPassOverlapOtherLayout: topMean(otherLayout, c.topModes),
    },
    visibleVectors,
    hiddenVectors,
    data: { energy: meanError(energies), absMagnetization: meanError(mags) },
    reconstructionError: meanError(recon),
    updates,
  };
  const comparisons = e7Comparisons(measured, c);
  return {
    id: 'E7',
    title: 'SVD of trained RBM weights and the Fourier low-pass relation (2D Ising)',
    preset: resolved.preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured,
    comparisons,
  };
}

/** Is `a` above `b` by more than `sigmas` combined errors (false if an error is not finite)? */
function above(a: Measurement, b: Measurement, sigmas = 3): boolean {
  const err = Math.hypot(a.error, b.error);
  return Number.isFinite(err) && a.mean - b.mean > sigmas * Math.max(err, 1e-12);
}

function e7Comparisons(m: E7Measured, c: E7Config): Comparison[] {
  const t = c.topModes;
  const pct = Math.round(c.normFraction * 100);
  return [
    {
      quantity: `overlap (abs cos) of hidden singular vector with the low-passed visible one, top ${t} pairs`,
      measured: m.top.lowPassOverlap,
      reference: 1,
      source: 'thesis / P2: behaviour (hidden = visible with high Fourier modes discarded)',
      expectation: `close to 1 (criterion: >= 0.8 and above the untrained-weight baseline ${m.top.lowPassOverlapUntrained.mean.toFixed(3)} by 3 sigma)`,
      agrees: m.top.lowPassOverlap.mean >= 0.8 && above(m.top.lowPassOverlap, m.top.lowPassOverlapUntrained),
    },
    {
      quantity: `fraction of the top ${t} visible singular vectors' Fourier power inside the hidden band`,
      measured: m.top.visibleBandFraction,
      reference: 1,
      source: 'thesis: behaviour (large singular values live at low momentum)',
      expectation: `close to 1 (criterion: >= 0.8 and above the untrained baseline ${m.top.visibleBandFractionUntrained.mean.toFixed(3)} by 3 sigma)`,
      agrees:
        m.top.visibleBandFraction.mean >= 0.8 &&
        above(m.top.visibleBandFraction, m.top.visibleBandFractionUntrained),
    },
    {
      quantity: `number of singular values carrying ${pct}% of sum s^2 (of ${m.rank})`,
      measured: m.modesForFraction,
      reference: Number.NaN,
      source: 'thesis: behaviour ("only a handful of modes are relevant")',
      expectation: `a handful (criterion: <= rank / 2 = ${(m.rank / 2).toFixed(1)} and below the untrained baseline ${m.modesForFractionUntrained.mean.toFixed(1)} by 3 sigma)`,
      agrees: m.modesForFraction.mean <= m.rank / 2 && above(m.modesForFractionUntrained, m.modesForFraction),
    },
  ];
}
