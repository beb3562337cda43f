/**
 * Partition functions of RBMs: exact log Z by enumerating the smaller layer, annealed importance
 * sampling (AIS) with an error estimate for large models, and the log-likelihood of data.
 * @module
 */
import { DomainError } from '../core/errors.js';
import type { OnProgress, RunOptions } from '../core/progress.js';
import { deriveRng, type Rng } from '../core/rng.js';
import type { FloatArray, Matrix } from '../core/tensor.js';
import {
  checkAbort,
  checkAllFinite,
  checkFinite,
  checkInteger,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import {
  checkRbm,
  checkUnitData,
  freeEnergy,
  hiddenInputKernel,
  logTwoCosh,
  sampleKernel,
  softplusStable,
  unitLogPartition,
  unitMeanKernel,
  visibleInputKernel,
} from './rbm.js';
import type { RbmGradient } from './rbmTrain.js';
import type { Rbm } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });
const AIS_OPTIONS_KEYS = optionKeys<AisOptions>({
  chains: true,
  betas: true,
  rng: true,
  baseVisibleBias: true,
});
const AIS_BLOCKS_OPTIONS_KEYS = optionKeys<AisBlocksOptions>({
  seed: true,
  chainsPerTask: true,
  onProgress: true,
  chains: true,
  betas: true,
  baseVisibleBias: true,
});

/** Largest layer size {@link exactLogPartition} enumerates (2^30 terms). */
export const MAX_ENUMERATED_UNITS = 30;

/** Streaming log-sum-exp accumulator. */
class LogSumExp {
  max = Number.NEGATIVE_INFINITY;
  sum = 0;
  add(x: number): void {
    if (x <= this.max) this.sum += Math.exp(x - this.max);
    else {
      this.sum = this.sum * Math.exp(this.max - x) + 1;
      this.max = x;
    }
  }
  value(): number {
    return this.max + Math.log(this.sum);
  }
}

/**
 * Enumerate all 2^n states of a layer of n discrete units in Gray-code order, keeping the input
 * `field[j] = bias[j] + sum_i s_i coupling(i, j)` of the other layer up to date (recomputed from scratch
 * every 1024 states to stop rounding drift), and call `visit(state, field)`.
 */
function enumerateLayer(
  n: number,
  m: number,
  spin: boolean,
  bias: ArrayLike<number>,
  coupling: (i: number, j: number) => number,
  visit: (state: Float64Array, field: Float64Array) => void,
  signal?: AbortSignal,
): void {
  const state = new Float64Array(n).fill(spin ? -1 : 0);
  const field = new Float64Array(m);
  const recompute = (): void => {
    for (let j = 0; j < m; j++) {
      let f = bias[j]!;
      for (let i = 0; i < n; i++) f += state[i]! * coupling(i, j);
      field[j] = f;
    }
  };
  recompute();
  const total = 2 ** n;
  for (let k = 0; k < total; k++) {
    if (k > 0) {
      // Gray code: flip the bit at the position of the lowest set bit of k
      const bit = 31 - Math.clz32(k & -k);
      const old = state[bit]!;
      const nu = spin ? -old : 1 - old;
      state[bit] = nu;
      if ((k & 1023) === 0) {
        recompute();
        checkAbort(signal, 'exactLogPartition');
      } else {
        const d = nu - old;
        for (let j = 0; j < m; j++) field[j]! += d * coupling(bit, j);
      }
    }
    visit(state, field);
  }
}

/**
 * Exact log partition function log Z = log sum_{v,h} exp(-E(v, h)) (an integral over v for Gaussian
 * visible units), by enumerating the smaller discrete layer and summing the other analytically:
 * log Z = LSE_v [a.v + sum_a lz_h(x_a(v))] or LSE_h [b.h + sum_i lz_v(y_i(h))], with lz = log(2 cosh) for spin
 * and softplusStable for binary units; for Gaussian visible units the hidden layer is enumerated and
 * lz_v(y_i) = ((a_i + (W h)_i)^2 - a_i^2) / (2 sigma_i^2) + log(2 pi sigma_i^2) / 2.
 * Cost O(2^n max(nV, nH)) with n the enumerated layer's size.
 * @throws DomainError if the enumerated layer has more than `MAX_ENUMERATED_UNITS` units.
 * @example
 * ```ts
 * import { createRbm, createRng, exactLogPartition } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 16, nHidden: 8, rng: createRng(1) });
 * const logZ = exactLogPartition(rbm); // 16.77: sums the 2^8 hidden states; (16 + 8) ln 2 = 16.64 at W = 0
 * ```
 */
export function exactLogPartition<T extends FloatArray>(rbm: Rbm<T>, run: RunOptions = {}): number {
  run = checkOptions(run, 'exactLogPartition: run', RUN_OPTIONS_KEYS);
  checkRbm(rbm, 'exactLogPartition: rbm');
  const { nVisible: nv, nHidden: nh, weights: w, visibleBias: a, hiddenBias: b } = rbm;
  const gauss = rbm.visibleUnits === 'gaussian';
  const enumerateVisible = !gauss && nv <= nh;
  const n = enumerateVisible ? nv : nh;
  if (n > MAX_ENUMERATED_UNITS) {
    throw new DomainError(
      `exactLogPartition: rbm: expected a layer of at most ${MAX_ENUMERATED_UNITS} units to enumerate, received nVisible ${nv}, nHidden ${nh}${gauss ? ' (Gaussian visible: the hidden layer is enumerated)' : ''}`,
    );
  }
  const acc = new LogSumExp();
  if (enumerateVisible) {
    const lz = rbm.hiddenUnits === 'spin' ? logTwoCosh : softplusStable;
    enumerateLayer(
      nv,
      nh,
      rbm.visibleUnits === 'spin',
      b,
      (i, j) => w[i * nh + j]!,
      (v, x) => {
        let t = 0;
        for (let i = 0; i < nv; i++) t += a[i]! * v[i]!;
        for (let j = 0; j < nh; j++) t += lz(x[j]!);
        acc.add(t);
      },
      run.signal,
    );
  } else if (!gauss) {
    const lz = rbm.visibleUnits === 'spin' ? logTwoCosh : softplusStable;
    enumerateLayer(
      nh,
      nv,
      rbm.hiddenUnits === 'spin',
      a,
      (j, i) => w[i * nh + j]!,
      (h, y) => {
        let t = 0;
        for (let j = 0; j < nh; j++) t += b[j]! * h[j]!;
        for (let i = 0; i < nv; i++) t += lz(y[i]!);
        acc.add(t);
      },
      run.signal,
    );
  } else {
    const s = rbm.visibleSigma!;
    let constant = 0;
    for (let i = 0; i < nv; i++)
      constant += 0.5 * Math.log(2 * Math.PI * s[i]! * s[i]!) - (a[i]! * a[i]!) / (2 * s[i]! * s[i]!);
    enumerateLayer(
      nh,
      nv,
      rbm.hiddenUnits === 'spin',
      a,
      (j, i) => w[i * nh + j]!,
      (h, y) => {
        let t = constant;
        for (let j = 0; j < nh; j++) t += b[j]! * h[j]!;
        for (let i = 0; i < nv; i++) t += (y[i]! * y[i]!) / (2 * s[i]! * s[i]!);
        acc.add(t);
      },
      run.signal,
    );
  }
  return acc.value();
}

/**
 * Mean log-likelihood per sample, (1/rows) sum_rows [-F(v) - log Z] (a log density for Gaussian visible
 * units). Pass log Z from {@link exactLogPartition} or {@link aisLogPartition}. Cost O(rows nV nH).
 * @example
 * ```ts
 * import { createRbm, createRng, exactLogPartition, logLikelihood, matrix } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const data = matrix(Int8Array.of(1, 1, 1, 1, -1, -1, -1, -1), 2, 4); // 2 samples x 4 spins
 * const ll = logLikelihood(rbm, data, exactLogPartition(rbm)); // mean log p(v), ~ -4 ln 2 = -2.77 untrained
 * ```
 */
export function logLikelihood<T extends FloatArray>(
  rbm: Rbm<T>,
  data: Matrix<ArrayLike<number>>,
  logZ: number,
): number {
  checkRbm(rbm, 'logLikelihood: rbm');
  if (!Number.isFinite(logZ)) throw domainError('logLikelihood: logZ', 'a finite number', logZ);
  const f = freeEnergy(rbm, data);
  let s = 0;
  for (let r = 0; r < f.length; r++) s -= f[r]!;
  return s / f.length - logZ;
}

/** Options of {@link aisLogPartition}. */
export interface AisOptions {
  /** Number of independent AIS runs (importance weights), default 100. */
  readonly chains?: number;
  /**
   * Inverse temperatures 0 = beta_0 < ... < beta_K = 1, or their number K + 1 (uniform spacing); default the
   * schedule of Salakhutdinov & Murray (2008): 500 steps on [0, 0.5], 4000 on [0.5, 0.9], 10000 on [0.9, 1].
   */
  readonly betas?: number | readonly number[];
  readonly rng: Rng;
  /**
   * Visible biases of the base model (W = 0, b = 0), default the target's own visible biases. A base
   * fitted to the data (e.g. logit of the data mean) usually lowers the variance.
   */
  readonly baseVisibleBias?: ArrayLike<number>;
}

/** Result of {@link aisLogPartition}. */
export interface AisResult {
  /** log Zhat = log Z_base + log mean(w). */
  readonly logZ: number;
  /** Standard error of logZ by the delta method, std(w) / (mean(w) sqrt(chains)). */
  readonly logZStdErr: number;
  /** log(Zhat - 3 sd(Zhat)) (-Infinity if negative) and log(Zhat + 3 sd(Zhat)), as in the paper. */
  readonly logZLower: number;
  readonly logZUpper: number;
  /** log importance weight of each chain. */
  readonly logWeights: Float64Array;
  /** (sum w)^2 / sum w^2. */
  readonly effectiveSampleSize: number;
  /** log Z of the base model. */
  readonly logZBase: number;
}

function defaultBetas(): Float64Array {
  const out: number[] = [];
  const seg = (lo: number, hi: number, n: number): void => {
    for (let k = 0; k < n; k++) out.push(lo + ((hi - lo) * k) / n);
  };
  seg(0, 0.5, 500);
  seg(0.5, 0.9, 4000);
  seg(0.9, 1, 10000);
  out.push(1);
  return Float64Array.from(out);
}

/** Log importance weights of a set of AIS runs, from `aisLogWeights`. */
export interface AisWeights {
  /** log importance weight of each chain. */
  readonly logWeights: Float64Array;
  /** log Z of the base model. */
  readonly logZBase: number;
}

/**
 * The AIS runs of {@link aisLogPartition} without the final estimate: the log importance weight of each of
 * `options.chains` runs, drawn from `options.rng`. Weights of independent batches (each with its own
 * generator) can be concatenated and passed to {@link summarizeAisWeights}: that is how the worker-pool
 * version splits the chains. Cost O(chains K nV nH) for K intermediate temperatures.
 * @throws DomainError for a bad schedule, chain count or rng; ShapeError for a wrong baseVisibleBias;
 * AbortError when aborted.
 */
export function aisLogWeights<T extends FloatArray>(
  rbm: Rbm<T>,
  options: AisOptions,
  run: RunOptions = {},
): AisWeights {
  run = checkOptions(run, 'aisLogWeights: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'aisLogWeights: options', AIS_OPTIONS_KEYS, true);
  checkRbm(rbm, 'aisLogPartition: rbm');
  if (options === null || typeof options !== 'object')
    throw domainError('aisLogPartition: options', 'an object', options);
  const rng = options.rng;
  if (!rng || typeof rng.uniform !== 'function')
    throw domainError('aisLogPartition: options.rng', 'an Rng', rng);
  const chains = checkInteger(options.chains ?? 100, 'aisLogPartition: options.chains', 1);
  let betas: Float64Array;
  if (options.betas === undefined) betas = defaultBetas();
  else if (typeof options.betas === 'number') {
    const k = checkInteger(options.betas, 'aisLogPartition: options.betas', 2);
    betas = new Float64Array(k);
    for (let i = 0; i < k; i++) betas[i] = i / (k - 1);
  } else {
    betas = Float64Array.from(options.betas);
    if (betas.length < 2 || betas[0] !== 0 || betas[betas.length - 1] !== 1) {
      throw domainError('aisLogPartition: options.betas', 'an increasing list from 0 to 1', options.betas);
    }
    for (let i = 1; i < betas.length; i++) {
      if (!(betas[i]! > betas[i - 1]!)) {
        throw domainError(`aisLogPartition: options.betas[${i}]`, `a value > ${betas[i - 1]}`, betas[i]);
      }
    }
  }
  const { nVisible: nv, nHidden: nh, visibleBias: a } = rbm;
  const a0 = new Float64Array(nv);
  if (options.baseVisibleBias !== undefined) {
    if (options.baseVisibleBias.length !== nv) {
      throw shapeError(
        'aisLogPartition: options.baseVisibleBias',
        `length ${nv}`,
        `length ${options.baseVisibleBias.length}`,
      );
    }
    checkAllFinite(options.baseVisibleBias, 'aisLogPartition: options.baseVisibleBias');
    a0.set(Array.from(options.baseVisibleBias));
  } else a0.set(a);
  const vu = rbm.visibleUnits;
  const hu = rbm.hiddenUnits;
  const gauss = vu === 'gaussian';
  const s = rbm.visibleSigma;
  // base model log Z: hidden layer free (2^nH), visible independent
  let logZBase = nh * Math.LN2;
  for (let i = 0; i < nv; i++) {
    logZBase += gauss ? 0.5 * Math.log(2 * Math.PI * s![i]! * s![i]!) : unitLogPartition(vu, a0[i]!);
  }
  const Ctor = rbm.weights.constructor as new (n: number) => T;
  const v = new Ctor(chains * nv);
  const scratch = new Ctor(chains * nv);
  const x = new Ctor(chains * nh);
  const h = new Ctor(chains * nh);
  const y = new Ctor(chains * nv);
  // sample v from the base model
  for (let r = 0; r < chains; r++) for (let i = 0; i < nv; i++) v[r * nv + i] = a0[i]!;
  sampleKernel(vu, v, v.length, rng, s, nv);
  const logW = new Float64Array(chains);
  // log p*_beta(v) = (1-beta) a0-term + beta a-term + sum_a lzh(beta x_a(v))  (hidden marginalised).
  // Gaussian visible units: the quadratic visible term in full.
  const visibleTerm = (r: number, beta: number): number => {
    let t = 0;
    for (let i = 0; i < nv; i++) {
      const d0 = v[r * nv + i]! - a0[i]!;
      const d1 = v[r * nv + i]! - a[i]!;
      t -= ((1 - beta) * d0 * d0 + beta * d1 * d1) / (2 * s![i]! * s![i]!);
    }
    return t;
  };
  // Discrete visible units: the visible term is linear in beta, so its change from beta' to beta is
  // (beta - beta') (a - a0) . v.
  const da = new Float64Array(nv);
  for (let i = 0; i < nv; i++) da[i] = a[i]! - a0[i]!;
  const spinH = hu === 'spin';
  // log z(y) of a hidden unit and the probability of its upper state, from one exponential:
  // spin: log 2cosh y = |y| + log1p(e), e = exp(-2|y|), p(+1) = sigmoid(2y); binary: softplus(y) =
  // max(y, 0) + log1p(e), e = exp(-|y|), p(1) = sigmoid(y). For y >= 0 that probability is 1 / (1 + e),
  // for y < 0 it is e / (1 + e).
  const scale = spinH ? 2 : 1;
  const low = spinH ? -1 : 0;
  const u = rng.uniform;
  const total = betas.length - 1;
  const every = Math.max(1, Math.floor(total / 100));
  for (let k = 1; k <= total; k++) {
    const bPrev = betas[k - 1]!;
    const beta = betas[k]!;
    const last = k === total;
    hiddenInputKernel(rbm, v, chains, x, scratch);
    for (let r = 0; r < chains; r++) {
      let t: number;
      if (gauss) t = visibleTerm(r, beta) - visibleTerm(r, bPrev);
      else {
        let dot = 0;
        const ov = r * nv;
        for (let i = 0; i < nv; i++) dot += da[i]! * v[ov + i]!;
        t = (beta - bPrev) * dot;
      }
      // sum_a lzh(beta x_a) - lzh(beta' x_a), and (but for the last step) h ~ p_beta(h | v), drawn in the
      // same order as one sampling pass over all chains and units
      const oh = r * nh;
      for (let j = 0; j < nh; j++) {
        const xj = x[oh + j]!;
        const y1 = beta * xj;
        const y0 = bPrev * xj;
        const a1 = Math.abs(y1);
        const a0j = Math.abs(y0);
        const e1 = Math.exp(-scale * a1);
        const l1 = (spinH ? a1 : Math.max(y1, 0)) + Math.log1p(e1);
        const l0 = (spinH ? a0j : Math.max(y0, 0)) + Math.log1p(Math.exp(-scale * a0j));
        t += l1 - l0;
        if (!last) {
          const pUp = y1 >= 0 ? 1 / (1 + e1) : e1 / (1 + e1);
          h[oh + j] = u() < pUp ? 1 : low;
        }
      }
      logW[r]! += t;
    }
    if (last) break;
    // y = beta (a + W h) + (1 - beta) a0
    visibleInputKernel(rbm, h, chains, y);
    for (let r = 0; r < chains; r++) {
      for (let i = 0; i < nv; i++) v[r * nv + i] = beta * y[r * nv + i]! + (1 - beta) * a0[i]!;
    }
    sampleKernel(vu, v, v.length, rng, s, nv);
    if (k % every === 0) {
      checkAbort(run.signal, 'aisLogPartition');
      run.onProgress?.({ stage: 'ais', done: k, total });
    }
  }
  return { logWeights: logW, logZBase };
}

/**
 * The AIS estimate from log importance weights: log Zhat = log Z_base + log mean(w), its delta-method
 * standard error, the 3-sigma bounds and the effective sample size (see {@link AisResult}). O(chains).
 * @throws ShapeError if `logWeights` is empty; DomainError if `logZBase` is not finite.
 */
export function summarizeAisWeights(logWeights: Float64Array, logZBase: number): AisResult {
  if (!(logWeights instanceof Float64Array) || logWeights.length === 0)
    throw shapeError(
      'summarizeAisWeights: logWeights',
      'a non-empty Float64Array',
      String(logWeights?.length),
    );
  checkFinite(logZBase, 'summarizeAisWeights: logZBase');
  const chains = logWeights.length;
  const logW = logWeights;
  let m = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < chains; r++) m = Math.max(m, logW[r]!);
  let s1 = 0;
  let s2 = 0;
  for (let r = 0; r < chains; r++) {
    const e = Math.exp(logW[r]! - m);
    s1 += e;
    s2 += e * e;
  }
  const meanW = s1 / chains;
  const varW = chains > 1 ? Math.max(0, (s2 / chains - meanW * meanW) * (chains / (chains - 1))) : Number.NaN;
  const sdMean = Math.sqrt(varW / chains);
  const logZ = logZBase + m + Math.log(meanW);
  const rel = sdMean / meanW;
  return {
    logZ,
    logZStdErr: rel,
    logZLower: rel >= 1 / 3 ? Number.NEGATIVE_INFINITY : logZ + Math.log(1 - 3 * rel),
    logZUpper: logZ + Math.log(1 + 3 * rel),
    logWeights: logW,
    effectiveSampleSize: (s1 * s1) / s2,
    logZBase,
  };
}

/**
 * Annealed importance sampling estimate of log Z (Neal 2001; Salakhutdinov & Murray 2008, "On the
 * quantitative analysis of deep belief networks"). Intermediate models E_beta(v, h) = -(1 - beta) a0.v -
 * beta (a.v + b.h + v^T W h) (Gaussian visible units: quadratic term with centre (1 - beta) a0 + beta a),
 * from the base model (a0, W = 0, b = 0; log Z_0 known in closed form) to the target at beta = 1; each
 * transition is one block-Gibbs sweep h ~ p_beta(h|v), v ~ p_beta(v|h). The estimate is unbiased for Z, so
 * log Zhat is biased low by about logZStdErr^2 / 2 for large chains. Equals
 * `summarizeAisWeights(...aisLogWeights(rbm, options, run))`.
 * Cost O(chains K nV nH) for K intermediate temperatures.
 * @throws DomainError for a bad schedule or chain count; ShapeError for a wrong baseVisibleBias.
 * @example
 * ```ts
 * import { aisLogPartition, createRbm, createRng, exactLogPartition } from 'coarsegrain';
 * const rng = createRng(1);
 * const rbm = createRbm({ nVisible: 12, nHidden: 6, rng });
 * const { logZ, logZStdErr } = aisLogPartition(rbm, { chains: 100, betas: 200, rng });
 * exactLogPartition(rbm); // agrees with logZ within a few logZStdErr
 * ```
 */
export function aisLogPartition<T extends FloatArray>(
  rbm: Rbm<T>,
  options: AisOptions,
  run: RunOptions = {},
): AisResult {
  run = checkOptions(run, 'aisLogPartition: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'aisLogPartition: options', AIS_OPTIONS_KEYS, true);
  const { logWeights, logZBase } = aisLogWeights(rbm, options, run);
  return summarizeAisWeights(logWeights, logZBase);
}

/** Options of {@link aisLogPartitionBlocks} (and of the worker-pool `aisLogPartitionParallel`). */
export interface AisBlocksOptions extends Omit<AisOptions, 'rng'> {
  /** Seed of the run: block b of chains draws from `deriveRng(seed, 'aisLogPartition', b)`. */
  readonly seed: number | string;
  /** Chains per block (one task each on a pool; default 25, the last block may be smaller). */
  readonly chainsPerTask?: number;
  /** Called once per finished block: stage `'ais-blocks'`, `done` of `total`. */
  readonly onProgress?: OnProgress;
}

/** A validated block split of an AIS run, from {@link planAisBlocks}. @internal */
export interface AisBlockPlan {
  readonly seed: number | string;
  /** Chains of each block (all chainsPerTask but the last). */
  readonly sizes: readonly number[];
  /** The schedule options every block shares. */
  readonly schedule: Pick<AisOptions, 'betas' | 'baseVisibleBias'>;
  readonly onProgress: OnProgress | undefined;
}

/**
 * Validate the options of a blocked AIS run (errors name `fn`) and split its chains into blocks.
 * @internal
 */
export function planAisBlocks(fn: string, rbm: Rbm<FloatArray>, options: AisBlocksOptions): AisBlockPlan {
  options = checkOptions(options, 'planAisBlocks: options', AIS_BLOCKS_OPTIONS_KEYS, true);
  checkRbm(rbm, `${fn}: rbm`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const { seed, onProgress, betas, baseVisibleBias } = options;
  deriveRng(seed, fn); // validates the seed
  const chains = checkInteger(options.chains ?? 100, `${fn}: options.chains`, 1);
  const perBlock = checkInteger(options.chainsPerTask ?? 25, `${fn}: options.chainsPerTask`, 1);
  const sizes: number[] = [];
  for (let c = 0; c < chains; c += perBlock) sizes.push(Math.min(perBlock, chains - c));
  return {
    seed,
    sizes,
    schedule: {
      ...(betas !== undefined ? { betas } : {}),
      ...(baseVisibleBias !== undefined ? { baseVisibleBias } : {}),
    },
    onProgress,
  };
}

/**
 * The AIS estimate from the weights of several blocks, concatenated in block order. O(chains).
 * @throws ShapeError for no blocks.
 * @internal
 */
export function combineAisBlocks(blocks: readonly AisWeights[]): AisResult {
  if (!Array.isArray(blocks) || blocks.length === 0)
    throw shapeError('combineAisBlocks: blocks', 'a non-empty array of AisWeights', String(blocks?.length));
  const total = blocks.reduce((n, b) => n + b.logWeights.length, 0);
  const logWeights = new Float64Array(total);
  let offset = 0;
  for (const b of blocks) {
    logWeights.set(b.logWeights, offset);
    offset += b.logWeights.length;
  }
  return summarizeAisWeights(logWeights, blocks[0]!.logZBase);
}

/**
 * `aisLogPartition` with its chains split into blocks of `chainsPerTask`, block b drawing from
 * `deriveRng(seed, 'aisLogPartition', b)`, run one after the other: the single-thread twin of
 * `aisLogPartitionParallel` (coarsegrain/parallel), which gives the same result bit for bit. The result
 * depends on the seed and the block size. Cost that of `aisLogPartition`.
 * @throws DomainError for a bad seed, chain count, chainsPerTask or schedule; ShapeError as `aisLogPartition`.
 * @example
 * ```ts
 * import { aisLogPartitionBlocks, createRbm, createRng } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 12, nHidden: 6, rng: createRng(1) });
 * // 100 chains in blocks of 25, block b drawing from deriveRng(7, 'aisLogPartition', b)
 * const { logZ, logZStdErr } = aisLogPartitionBlocks(rbm, { chains: 100, chainsPerTask: 25, betas: 200, seed: 7 });
 * ```
 */
export function aisLogPartitionBlocks<T extends FloatArray>(
  rbm: Rbm<T>,
  options: AisBlocksOptions,
): AisResult {
  options = checkOptions(options, 'aisLogPartitionBlocks: options', AIS_BLOCKS_OPTIONS_KEYS, true);
  const { seed, sizes, schedule, onProgress } = planAisBlocks('aisLogPartitionBlocks', rbm, options);
  const blocks = sizes.map((chains, b) => {
    const weights = aisLogWeights(rbm, { ...schedule, chains, rng: deriveRng(seed, 'aisLogPartition', b) });
    onProgress?.({ stage: 'ais-blocks', done: b + 1, total: sizes.length });
    return weights;
  });
  return combineAisBlocks(blocks);
}

/**
 * Exact gradient of the mean negative log-likelihood of `data` with respect to W, a, b (and sigma for
 * Gaussian visible units): <dE/dtheta>_data - <dE/dtheta>_model, the model expectations by enumerating the
 * smaller discrete layer (the hidden layer for Gaussian visible units, whose moments are then analytic).
 * For tiny models only: cost O(2^n nV nH + rows nV nH).
 * @throws DomainError if the enumerated layer has more than `MAX_ENUMERATED_UNITS` units.
 */
export function exactNllGradient<T extends FloatArray>(rbm: Rbm<T>, data: ArrayLike<number>): RbmGradient {
  const logZ = exactLogPartition(rbm);
  const { nVisible: nv, nHidden: nh, weights: w, visibleBias: a, hiddenBias: b } = rbm;
  const gauss = rbm.visibleUnits === 'gaussian';
  const sig = rbm.visibleSigma;
  const gW = new Float64Array(nv * nh);
  const ga = new Float64Array(nv);
  const gb = new Float64Array(nh);
  const gs = gauss ? new Float64Array(nv) : null;
  const vis = new Float64Array(nv); // E[vt | .] (scaled for Gaussian)
  const vb = new Float64Array(nv); // visible-bias statistic
  const hid = new Float64Array(nh);
  // accumulate weight p times the statistics (vis, vb, hid) and, for sigma, dEds
  const add = (p: number, dEds: Float64Array | null): void => {
    for (let i = 0; i < nv; i++) {
      const pv = p * vis[i]!;
      for (let j = 0; j < nh; j++) gW[i * nh + j]! += pv * hid[j]!;
      ga[i]! += p * vb[i]!;
      if (gs && dEds) gs[i]! -= p * dEds[i]!; // dE/dsigma itself: model term enters with a minus
    }
    for (let j = 0; j < nh; j++) gb[j]! += p * hid[j]!;
  };
  const dEds = gauss ? new Float64Array(nv) : null;
  const hUnits = rbm.hiddenUnits;
  if (!gauss && nv <= nh) {
    const lz = hUnits === 'spin' ? logTwoCosh : softplusStable;
    enumerateLayer(
      nv,
      nh,
      rbm.visibleUnits === 'spin',
      b,
      (i, j) => w[i * nh + j]!,
      (v, x) => {
        let t = 0;
        for (let i = 0; i < nv; i++) t += a[i]! * v[i]!;
        for (let j = 0; j < nh; j++) t += lz(x[j]!);
        for (let i = 0; i < nv; i++) vis[i] = vb[i] = v[i]!;
        for (let j = 0; j < nh; j++) hid[j] = unitMeanKernel(hUnits, x[j]!);
        add(Math.exp(t - logZ), null);
      },
    );
  } else {
    const vUnits = rbm.visibleUnits;
    let constant = 0;
    if (gauss) {
      for (let i = 0; i < nv; i++) {
        const s2 = sig![i]! * sig![i]!;
        constant += 0.5 * Math.log(2 * Math.PI * s2) - (a[i]! * a[i]!) / (2 * s2);
      }
    }
    enumerateLayer(
      nh,
      nv,
      hUnits === 'spin',
      a,
      (j, i) => w[i * nh + j]!,
      (h, y) => {
        let t = constant;
        for (let j = 0; j < nh; j++) t += b[j]! * h[j]!;
        for (let i = 0; i < nv; i++) {
          const yi = y[i]!;
          if (gauss) {
            const s = sig![i]!;
            const s2 = s * s;
            t += (yi * yi) / (2 * s2);
            vis[i] = yi / s2;
            vb[i] = (yi - a[i]!) / s2;
            const wh = yi - a[i]!;
            dEds![i] = (-(wh * wh + s2) + 2 * yi * wh) / (s2 * s);
          } else {
            t += unitLogPartition(vUnits, yi);
            vis[i] = vb[i] = unitMeanKernel(vUnits, yi);
          }
        }
        for (let j = 0; j < nh; j++) hid[j] = h[j]!;
        add(Math.exp(t - logZ), dEds);
      },
    );
  }
  // data term, subtracted
  const rows = checkUnitData(data, nv, rbm.visibleUnits, 'exactNllGradient: data');
  const x = new Float64Array(nh);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < nh; j++) {
      let f = b[j]!;
      for (let i = 0; i < nv; i++) {
        const vi = data[r * nv + i]!;
        f += (gauss ? vi / (sig![i]! * sig![i]!) : vi) * w[i * nh + j]!;
      }
      x[j] = unitMeanKernel(hUnits, f);
    }
    for (let i = 0; i < nv; i++) {
      const vi = data[r * nv + i]!;
      const s2 = gauss ? sig![i]! * sig![i]! : 1;
      const vt = vi / s2;
      for (let j = 0; j < nh; j++) gW[i * nh + j]! -= (vt * x[j]!) / rows;
      ga[i]! -= (gauss ? (vi - a[i]!) / s2 : vi) / rows;
      if (gs) {
        let wh = 0;
        for (let j = 0; j < nh; j++) wh += w[i * nh + j]! * x[j]!;
        const d = vi - a[i]!;
        gs[i]! += (-(d * d) + 2 * vi * wh) / (s2 * sig![i]!) / rows;
      }
    }
    for (let j = 0; j < nh; j++) gb[j]! -= x[j]! / rows;
  }
  const out: RbmGradient = { weights: gW, visibleBias: ga, hiddenBias: gb };
  return gs ? { ...out, visibleSigma: gs } : out;
}
