/**
 * First-order optimisers (SGD with momentum, Adam) and learning-rate schedules, shared by RBM and
 * autoencoder training. The optimiser state is plain data (config, step count, moment arrays), so it
 * serialises with the model and a checkpointed run resumes bit-identically.
 *
 * Convention: every update is gradient DESCENT, `param -= learningRate * update(grad)`. Pass the
 * gradient of a loss to minimise; for an RBM pass the gradient of the negative log-likelihood
 * (model term minus data term).
 * @module
 */
import { StateError } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import {
  checkAllFinite,
  checkFinite,
  checkInteger,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkRange,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { momentumStepWasm } from '../core/wasm/updateWasm.js';

/**
 * Parameter arrays from this many elements on take the momentum step on WebAssembly SIMD (3x faster
 * on a 784 x 500 weight matrix); smaller ones stay in the TypeScript loop, where the copies would cost
 * more than they save.
 */
const MOMENTUM_WASM_MIN_ELEMENTS = 4096;

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const OPTIMIZER_CONFIG_KEYS = optionKeys<OptimizerConfig>({
  kind: true,
  learningRate: true,
  momentum: true,
  nesterov: true,
  beta1: true,
  beta2: true,
  epsilon: true,
  epsilonForm: true,
  weightDecay: true,
  decoupledWeightDecay: true,
  l1: true,
  schedule: true,
});

/**
 * A learning-rate schedule; `t` is the 0-based index of the update and `lr0` the base learning rate.
 * - `constant`: lr0.
 * - `step`: lr0 * factor^floor(t / every).
 * - `exponential`: lr0 * rate^t (rate in (0, 1]).
 * - `inverse`: lr0 / (1 + decay * t).
 * - `cosine`: minLearningRate + (lr0 - minLearningRate) (1 + cos(pi min(t, totalSteps) / totalSteps)) / 2.
 * Any schedule may add a linear warm-up: lr * min(1, (t + 1) / warmupSteps).
 */
export type ScheduleConfig = (
  | { readonly kind: 'constant' }
  | { readonly kind: 'step'; readonly every: number; readonly factor: number }
  | { readonly kind: 'exponential'; readonly rate: number }
  | { readonly kind: 'inverse'; readonly decay: number }
  | { readonly kind: 'cosine'; readonly totalSteps: number; readonly minLearningRate?: number }
) & { readonly warmupSteps?: number };

/**
 * Optimiser settings (plain data). Defaults: SGD momentum 0; Adam beta1 0.9, beta2 0.999, epsilon 1e-8
 * (the thesis used lr 1e-3 and epsilon 1e-2, see {@link THESIS_ADAM}); weightDecay 0; l1 0; constant schedule.
 */
export interface OptimizerConfig {
  readonly kind: 'sgd' | 'adam';
  /** Base learning rate, > 0. */
  readonly learningRate: number;
  /** SGD: heavy-ball momentum in [0, 1): v = momentum v + g; p -= lr v (PyTorch's form). */
  readonly momentum?: number;
  /** SGD: Nesterov variant, p -= lr (g + momentum v). Default false. */
  readonly nesterov?: boolean;
  /** Adam: first-moment decay in [0, 1). */
  readonly beta1?: number;
  /** Adam: second-moment decay in [0, 1). */
  readonly beta2?: number;
  /** Adam: denominator offset, > 0. */
  readonly epsilon?: number;
  /**
   * Adam: where epsilon enters. `'kingma'` (default, PyTorch): p -= lr mhat / (sqrt(vhat) + eps).
   * `'tensorflow'` (TensorFlow's "epsilon hat"): p -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps).
   */
  readonly epsilonForm?: 'kingma' | 'tensorflow';
  /** L2 penalty coefficient: adds weightDecay * p to the gradient of regularised parameters. */
  readonly weightDecay?: number;
  /** Adam only: apply weight decay decoupled from the moments (AdamW): p -= lr weightDecay p. */
  readonly decoupledWeightDecay?: boolean;
  /** L1 penalty coefficient: adds l1 * sign(p) to the gradient of regularised parameters. */
  readonly l1?: number;
  /** Learning-rate schedule over update steps; default constant. */
  readonly schedule?: ScheduleConfig;
}

/**
 * Adam as in the thesis code (P1): lr 1e-3, epsilon 1e-2, betas 0.9 / 0.999.
 * @example
 * ```ts
 * import { THESIS_ADAM, createRbm, createRng, matrix, trainRbm } from 'coarsegrain';
 * const rng = createRng(1);
 * const spins = Int8Array.from({ length: 32 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
 * const data = matrix(spins, 32, 16); // 32 samples x 16 spins
 * // Adam as in the thesis: lr 1e-3, epsilon 1e-2
 * const { model } = trainRbm(createRbm({ nVisible: 16, nHidden: 8, rng }), data, { epochs: 2, optimizer: THESIS_ADAM, rng });
 * ```
 */
export const THESIS_ADAM: OptimizerConfig = Object.freeze({
  kind: 'adam',
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-2,
});

/**
 * Optimiser state: plain data, mutated in place by `optimizerStep`. Moments are Float64Array
 * whatever the parameter type. Copy with `cloneOptimizerState`.
 */
export interface OptimizerState {
  readonly kind: 'optimizer';
  readonly version: 1;
  /** The validated config with defaults filled in. */
  readonly config: Required<Omit<OptimizerConfig, 'schedule'>> & { readonly schedule: ScheduleConfig };
  /** Number of updates performed so far. */
  step: number;
  /** Length of each parameter array. */
  readonly sizes: readonly number[];
  /** Whether weight decay and L1 apply to each parameter array (typically true for weights, false for biases). */
  readonly regularized: readonly boolean[];
  /** SGD: velocity (empty arrays when momentum = 0); Adam: first moment m. */
  readonly moments1: Float64Array[];
  /** Adam: second moment v; SGD: empty arrays. */
  readonly moments2: Float64Array[];
}

function checkSchedule(s: ScheduleConfig | undefined, name: string): ScheduleConfig {
  if (s === undefined) return { kind: 'constant' };
  if (s === null || typeof s !== 'object') throw domainError(name, 'a schedule object', s);
  checkOneOf(s.kind, `${name}.kind`, ['constant', 'step', 'exponential', 'inverse', 'cosine'] as const);
  if (s.warmupSteps !== undefined) checkInteger(s.warmupSteps, `${name}.warmupSteps`, 0);
  switch (s.kind) {
    case 'step':
      checkInteger(s.every, `${name}.every`, 1);
      checkRange(s.factor, `${name}.factor`, 0, 1, true);
      break;
    case 'exponential':
      checkRange(s.rate, `${name}.rate`, 0, 1, true);
      break;
    case 'inverse':
      checkNonNegative(s.decay, `${name}.decay`);
      break;
    case 'cosine':
      checkInteger(s.totalSteps, `${name}.totalSteps`, 1);
      if (s.minLearningRate !== undefined) checkNonNegative(s.minLearningRate, `${name}.minLearningRate`);
      break;
  }
  return { ...s };
}

/**
 * Validate an optimiser config and fill in defaults.
 * @throws DomainError naming the field (e.g. `createOptimizer: config.learningRate`) for a non-positive
 *   learning rate, momentum/betas outside [0, 1), non-positive epsilon, negative penalties, bad schedule.
 */
export function normalizeOptimizerConfig(
  config: OptimizerConfig,
  where = 'createOptimizer',
): OptimizerState['config'] {
  const name = `${where}: config`;
  if (config === null || typeof config !== 'object')
    throw domainError(name, 'an optimizer config object', config);
  config = checkOptions(config, name, OPTIMIZER_CONFIG_KEYS);
  const kind = checkOneOf(config.kind, `${name}.kind`, ['sgd', 'adam'] as const);
  const learningRate = checkPositive(config.learningRate, `${name}.learningRate`);
  const momentum = checkRange(config.momentum ?? 0, `${name}.momentum`, 0, 1, false, true);
  const beta1 = checkRange(config.beta1 ?? 0.9, `${name}.beta1`, 0, 1, false, true);
  const beta2 = checkRange(config.beta2 ?? 0.999, `${name}.beta2`, 0, 1, false, true);
  const epsilon = checkPositive(config.epsilon ?? 1e-8, `${name}.epsilon`);
  const epsilonForm = checkOneOf(config.epsilonForm ?? 'kingma', `${name}.epsilonForm`, [
    'kingma',
    'tensorflow',
  ] as const);
  const weightDecay = checkNonNegative(config.weightDecay ?? 0, `${name}.weightDecay`);
  const l1 = checkNonNegative(config.l1 ?? 0, `${name}.l1`);
  const schedule = checkSchedule(config.schedule, `${name}.schedule`);
  return {
    kind,
    learningRate,
    momentum,
    nesterov: config.nesterov === true,
    beta1,
    beta2,
    epsilon,
    epsilonForm,
    weightDecay,
    decoupledWeightDecay: config.decoupledWeightDecay === true,
    l1,
    schedule,
  };
}

/**
 * The learning rate used by update number `step` (0-based) under `config`'s schedule. O(1).
 * @throws DomainError for a bad config or a negative / non-integer step.
 * @example learningRateAt({ kind: 'sgd', learningRate: 0.1, schedule: { kind: 'step', every: 10, factor: 0.5 } }, 25) // 0.025
 */
export function learningRateAt(config: OptimizerConfig, step: number): number {
  const c = normalizeOptimizerConfig(config, 'learningRateAt');
  checkInteger(step, 'learningRateAt: step', 0);
  return learningRateKernel(c.learningRate, c.schedule, step);
}

/** Unchecked schedule evaluation (see {@link ScheduleConfig}). */
export function learningRateKernel(lr0: number, s: ScheduleConfig, t: number): number {
  let lr: number;
  switch (s.kind) {
    case 'constant':
      lr = lr0;
      break;
    case 'step':
      lr = lr0 * s.factor ** Math.floor(t / s.every);
      break;
    case 'exponential':
      lr = lr0 * s.rate ** t;
      break;
    case 'inverse':
      lr = lr0 / (1 + s.decay * t);
      break;
    case 'cosine': {
      const lo = s.minLearningRate ?? 0;
      const x = Math.min(t, s.totalSteps) / s.totalSteps;
      lr = lo + ((lr0 - lo) * (1 + Math.cos(Math.PI * x))) / 2;
      break;
    }
  }
  const w = s.warmupSteps ?? 0;
  if (w > 0 && t < w) lr *= (t + 1) / w;
  return lr;
}

/**
 * Create the optimiser state for parameter arrays of the given sizes. Memory: 0 (plain SGD), 1 (SGD with
 * momentum) or 2 (Adam) Float64Arrays per parameter.
 * @param paramSizes - length of each parameter array (e.g. [nVisible*nHidden, nVisible, nHidden]).
 * @param regularized - per parameter, whether weightDecay / l1 apply (default: all true).
 * @throws DomainError for a bad config or size; ShapeError if `regularized` has the wrong length.
 * @example
 * const opt = createOptimizer({ kind: 'adam', learningRate: 1e-3 }, [6, 3, 2], [true, false, false]);
 */
export function createOptimizer(
  config: OptimizerConfig,
  paramSizes: readonly number[],
  regularized?: readonly boolean[],
): OptimizerState {
  const c = normalizeOptimizerConfig(config);
  if (!Array.isArray(paramSizes))
    throw domainError('createOptimizer: paramSizes', 'an array of sizes', paramSizes);
  for (let i = 0; i < paramSizes.length; i++)
    checkInteger(paramSizes[i], `createOptimizer: paramSizes[${i}]`, 0);
  if (regularized !== undefined && regularized.length !== paramSizes.length) {
    throw shapeError(
      'createOptimizer: regularized',
      `length ${paramSizes.length}`,
      `length ${regularized.length}`,
    );
  }
  const needM1 = c.kind === 'adam' || c.momentum > 0;
  return {
    kind: 'optimizer',
    version: 1,
    config: c,
    step: 0,
    sizes: paramSizes.slice(),
    regularized: regularized ? regularized.map((r) => r === true) : paramSizes.map(() => true),
    moments1: paramSizes.map((s) => new Float64Array(needM1 ? s : 0)),
    moments2: paramSizes.map((s) => new Float64Array(c.kind === 'adam' ? s : 0)),
  };
}

/** A deep copy of an optimiser state (moment arrays copied). O(parameters). */
export function cloneOptimizerState(state: OptimizerState): OptimizerState {
  return {
    ...state,
    config: { ...state.config, schedule: { ...state.config.schedule } },
    sizes: state.sizes.slice(),
    regularized: state.regularized.slice(),
    moments1: state.moments1.map((m) => m.slice()),
    moments2: state.moments2.map((m) => m.slice()),
  };
}

/**
 * Unchecked update of one parameter array `p` with gradient `g` (descent), using the moments of slot
 * `index` of `state` and learning rate `lr` at update number `t` (1-based, for Adam's bias correction).
 * Adam without weight decay or L1 runs on `adam` (default {@link adamRangeKernel}; a split one gives the
 * same bits), plain momentum SGD (no weight decay, L1 or Nesterov) on {@link momentumRangeKernel}.
 * Allocation-free but for subarray views. `g` is not modified. O(p.length).
 */
export function optimizerStepKernel(
  state: OptimizerState,
  index: number,
  p: FloatArray,
  g: ArrayLike<number>,
  lr: number,
  t: number,
  adam: AdamRangeFunction = adamRangeKernel,
): void {
  const c = state.config;
  const reg = state.regularized[index] === true;
  const wd = reg ? c.weightDecay : 0;
  const l1 = reg ? c.l1 : 0;
  const n = p.length;
  const m1 = state.moments1[index]!;
  if (c.kind === 'sgd') {
    const mu = c.momentum;
    if (wd === 0 && l1 === 0 && mu > 0 && !c.nesterov) {
      // the common case (plain momentum) without per-element branches (same arithmetic as below)
      momentumRangeKernel(p, g, m1, mu, lr, 0, n);
      return;
    }
    for (let i = 0; i < n; i++) {
      const pi = p[i]!;
      let gi = g[i]!;
      if (wd !== 0) gi += wd * pi;
      if (l1 !== 0) gi += l1 * Math.sign(pi);
      if (mu > 0) {
        const v = mu * m1[i]! + gi;
        m1[i] = v;
        gi = c.nesterov ? gi + mu * v : v;
      }
      p[i] = pi - lr * gi;
    }
    return;
  }
  const m2 = state.moments2[index]!;
  const b1 = c.beta1;
  const b2 = c.beta2;
  const eps = c.epsilon;
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const decoupled = c.decoupledWeightDecay;
  const tf = c.epsilonForm === 'tensorflow';
  const stepTf = (lr * Math.sqrt(bc2)) / bc1;
  const sqrtBc2 = Math.sqrt(bc2);
  if (wd === 0 && l1 === 0) {
    // the common case (the thesis recipe) without the regularisation branches, one copy per array type
    // so that V8 compiles monomorphic loads (same arithmetic as the general loop below)
    adam(p, g, m1, m2, b1, b2, lr, eps, t, tf, 0, n);
    return;
  }
  for (let i = 0; i < n; i++) {
    let pi = p[i]!;
    let gi = g[i]!;
    if (wd !== 0) {
      if (decoupled) pi -= lr * wd * pi;
      else gi += wd * pi;
    }
    if (l1 !== 0) gi += l1 * Math.sign(p[i]!);
    const m = b1 * m1[i]! + (1 - b1) * gi;
    const v = b2 * m2[i]! + (1 - b2) * gi * gi;
    m1[i] = m;
    m2[i] = v;
    if (tf) pi -= (stepTf * m) / (Math.sqrt(v) + eps);
    else pi -= (lr * (m / bc1)) / (Math.sqrt(v) / sqrtBc2 + eps);
    p[i] = pi;
  }
}

/**
 * Unchecked momentum SGD step on the elements [lo, hi) of `p` with gradient `g` and float64 moments
 * `m1` (updated in place): v = mu m1[i] + g[i], m1[i] = v, p[i] = p[i] - lr v, the arithmetic in float64.
 * Element by element, so any split of [0, n) into ranges gives the same bits. Large ranges run on
 * WebAssembly SIMD (momentumStepWasm, the same bits). Allocation-free but for subarray views,
 * O(hi - lo).
 */
export function momentumRangeKernel(
  p: FloatArray,
  g: ArrayLike<number>,
  m1: Float64Array,
  mu: number,
  lr: number,
  lo: number,
  hi: number,
): void {
  if (
    hi - lo >= MOMENTUM_WASM_MIN_ELEMENTS &&
    ArrayBuffer.isView(g) &&
    momentumStepWasm(
      p.subarray(lo, hi),
      (g as FloatArray).subarray(lo, hi),
      m1.subarray(lo, hi),
      mu,
      lr,
      hi - lo,
    )
  ) {
    return;
  }
  // one copy per array-type pair so that V8 compiles monomorphic element accesses
  if (p instanceof Float64Array && g instanceof Float64Array) momentum64(p, g, m1, mu, lr, lo, hi);
  else if (p instanceof Float32Array && g instanceof Float32Array) momentum32(p, g, m1, mu, lr, lo, hi);
  else if (p instanceof Float32Array && g instanceof Float64Array) momentum32x64(p, g, m1, mu, lr, lo, hi);
  else momentumAny(p, g, m1, mu, lr, lo, hi);
}

/** The contract of {@link momentumRangeKernel}. */
export type MomentumRangeFunction = typeof momentumRangeKernel;

// SGD with momentum (v = mu v + g; p -= lr v), four copies of one loop for monomorphic element access.
function momentum64(
  p: Float64Array,
  g: Float64Array,
  m1: Float64Array,
  mu: number,
  lr: number,
  lo: number,
  hi: number,
): void {
  for (let i = lo; i < hi; i++) {
    const v = mu * m1[i]! + g[i]!;
    m1[i] = v;
    p[i] = p[i]! - lr * v;
  }
}

function momentum32(
  p: Float32Array,
  g: Float32Array,
  m1: Float64Array,
  mu: number,
  lr: number,
  lo: number,
  hi: number,
): void {
  for (let i = lo; i < hi; i++) {
    const v = mu * m1[i]! + g[i]!;
    m1[i] = v;
    p[i] = p[i]! - lr * v;
  }
}

function momentum32x64(
  p: Float32Array,
  g: Float64Array,
  m1: Float64Array,
  mu: number,
  lr: number,
  lo: number,
  hi: number,
): void {
  for (let i = lo; i < hi; i++) {
    const v = mu * m1[i]! + g[i]!;
    m1[i] = v;
    p[i] = p[i]! - lr * v;
  }
}

function momentumAny(
  p: FloatArray,
  g: ArrayLike<number>,
  m1: Float64Array,
  mu: number,
  lr: number,
  lo: number,
  hi: number,
): void {
  for (let i = lo; i < hi; i++) {
    const v = mu * m1[i]! + g[i]!;
    m1[i] = v;
    p[i] = p[i]! - lr * v;
  }
}

/**
 * Unchecked Adam update without weight decay or L1 of the elements [lo, hi) of `p` with gradient `g` and
 * moments `m1`, `m2` (updated in place), at update number `t` (1-based), learning rate `lr`, either epsilon
 * form (`tf`: TensorFlow's; see {@link OptimizerConfig.epsilonForm}): the arithmetic of the general loop of
 * {@link optimizerStepKernel}, element by element, so any split of [0, n) into ranges gives the same bits.
 * Allocation-free, O(hi - lo).
 */
export function adamRangeKernel(
  p: FloatArray,
  g: ArrayLike<number>,
  m1: Float64Array,
  m2: Float64Array,
  b1: number,
  b2: number,
  lr: number,
  eps: number,
  t: number,
  tf: boolean,
  lo: number,
  hi: number,
): void {
  if (p instanceof Float32Array && g instanceof Float32Array)
    adamPlain32(p, g, m1, m2, b1, b2, lr, eps, t, tf, lo, hi);
  else if (p instanceof Float64Array && g instanceof Float64Array)
    adamPlain64(p, g, m1, m2, b1, b2, lr, eps, t, tf, lo, hi);
  else adamPlainAny(p, g, m1, m2, b1, b2, lr, eps, t, tf, lo, hi);
}

/** A function with the contract of {@link adamRangeKernel} (e.g. one that splits [lo, hi) over threads). */
export type AdamRangeFunction = typeof adamRangeKernel;

const splitAdams = new WeakMap<object, AdamRangeFunction>();

/**
 * Declare `adam` (contract of {@link adamRangeKernel}, bit-identical to it) as the Adam update that goes
 * with the matrix product `gemm`, e.g. the threaded product's Adam split over the same threads. Dense
 * training with `gemm` then runs its Adam steps on `adam`.
 */
export function registerSplitAdam(gemm: object, adam: AdamRangeFunction): void {
  splitAdams.set(gemm, adam);
}

/** The Adam update declared for `gemm` with {@link registerSplitAdam}, else {@link adamRangeKernel}. */
export function adamFor(gemm: object): AdamRangeFunction {
  return splitAdams.get(gemm) ?? adamRangeKernel;
}

// Adam without weight decay or L1, either epsilon form, with the arithmetic of the general loop of
// optimizerStepKernel; three copies of one loop (float32 parameters, float64 parameters, anything else)
// for monomorphic element access.
function adamPlain32(
  p: Float32Array,
  g: Float32Array,
  m1: Float64Array,
  m2: Float64Array,
  b1: number,
  b2: number,
  lr: number,
  eps: number,
  t: number,
  tf: boolean,
  lo: number,
  hi: number,
): void {
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const stepTf = (lr * Math.sqrt(bc2)) / bc1;
  const sqrtBc2 = Math.sqrt(bc2);
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  // one loop per epsilon form (no per-element branch), constants hoisted: the same operations in the same order
  if (tf) {
    for (let i = lo; i < hi; i++) {
      const gi = g[i]!;
      const m = b1 * m1[i]! + c1 * gi;
      const v = b2 * m2[i]! + c2 * gi * gi;
      m1[i] = m;
      m2[i] = v;
      p[i] = p[i]! - (stepTf * m) / (Math.sqrt(v) + eps);
    }
    return;
  }
  for (let i = lo; i < hi; i++) {
    const gi = g[i]!;
    const m = b1 * m1[i]! + c1 * gi;
    const v = b2 * m2[i]! + c2 * gi * gi;
    m1[i] = m;
    m2[i] = v;
    p[i] = p[i]! - (lr * (m / bc1)) / (Math.sqrt(v) / sqrtBc2 + eps);
  }
}

function adamPlain64(
  p: Float64Array,
  g: Float64Array,
  m1: Float64Array,
  m2: Float64Array,
  b1: number,
  b2: number,
  lr: number,
  eps: number,
  t: number,
  tf: boolean,
  lo: number,
  hi: number,
): void {
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const stepTf = (lr * Math.sqrt(bc2)) / bc1;
  const sqrtBc2 = Math.sqrt(bc2);
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  // one loop per epsilon form (no per-element branch), constants hoisted: the same operations in the same order
  if (tf) {
    for (let i = lo; i < hi; i++) {
      const gi = g[i]!;
      const m = b1 * m1[i]! + c1 * gi;
      const v = b2 * m2[i]! + c2 * gi * gi;
      m1[i] = m;
      m2[i] = v;
      p[i] = p[i]! - (stepTf * m) / (Math.sqrt(v) + eps);
    }
    return;
  }
  for (let i = lo; i < hi; i++) {
    const gi = g[i]!;
    const m = b1 * m1[i]! + c1 * gi;
    const v = b2 * m2[i]! + c2 * gi * gi;
    m1[i] = m;
    m2[i] = v;
    p[i] = p[i]! - (lr * (m / bc1)) / (Math.sqrt(v) / sqrtBc2 + eps);
  }
}

function adamPlainAny(
  p: FloatArray,
  g: ArrayLike<number>,
  m1: Float64Array,
  m2: Float64Array,
  b1: number,
  b2: number,
  lr: number,
  eps: number,
  t: number,
  tf: boolean,
  lo: number,
  hi: number,
): void {
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const stepTf = (lr * Math.sqrt(bc2)) / bc1;
  const sqrtBc2 = Math.sqrt(bc2);
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  // one loop per epsilon form (no per-element branch), constants hoisted: the same operations in the same order
  if (tf) {
    for (let i = lo; i < hi; i++) {
      const gi = g[i]!;
      const m = b1 * m1[i]! + c1 * gi;
      const v = b2 * m2[i]! + c2 * gi * gi;
      m1[i] = m;
      m2[i] = v;
      p[i] = p[i]! - (stepTf * m) / (Math.sqrt(v) + eps);
    }
    return;
  }
  for (let i = lo; i < hi; i++) {
    const gi = g[i]!;
    const m = b1 * m1[i]! + c1 * gi;
    const v = b2 * m2[i]! + c2 * gi * gi;
    m1[i] = m;
    m2[i] = v;
    p[i] = p[i]! - (lr * (m / bc1)) / (Math.sqrt(v) / sqrtBc2 + eps);
  }
}

/**
 * One descent update of all parameter arrays in place: `params[j] -= lr_t * update(grads[j])`, then
 * `state.step += 1`. The learning rate follows the schedule at the current step. O(total parameters),
 * allocation-free after validation.
 * @param params - arrays of the sizes given to {@link createOptimizer}, updated in place.
 * @param grads - gradients of the loss (same sizes; not modified; may be plain arrays).
 * @throws ShapeError for a count or size mismatch; DomainError for non-finite gradients; StateError for a
 *   state that is not an optimiser state.
 */
export function optimizerStep(
  state: OptimizerState,
  params: readonly FloatArray[],
  grads: readonly ArrayLike<number>[],
): void {
  if (state?.kind !== 'optimizer' || state.version !== 1) {
    throw new StateError('optimizerStep: state: expected an OptimizerState of version 1');
  }
  const k = state.sizes.length;
  if (params.length !== k) throw shapeError('optimizerStep: params', `${k} arrays`, `${params.length}`);
  if (grads.length !== k) throw shapeError('optimizerStep: grads', `${k} arrays`, `${grads.length}`);
  for (let j = 0; j < k; j++) {
    if (params[j]!.length !== state.sizes[j]) {
      throw shapeError(
        `optimizerStep: params[${j}]`,
        `length ${state.sizes[j]}`,
        `length ${params[j]!.length}`,
      );
    }
    if (grads[j]!.length !== state.sizes[j]) {
      throw shapeError(
        `optimizerStep: grads[${j}]`,
        `length ${state.sizes[j]}`,
        `length ${grads[j]!.length}`,
      );
    }
    checkAllFinite(grads[j]!, `optimizerStep: grads[${j}]`);
  }
  optimizerStepAllKernel(state, params, grads);
}

/**
 * Unchecked `optimizerStep`: updates every array and advances `state.step`. Plain Adam steps run on
 * `adam` (default {@link adamRangeKernel}, see {@link optimizerStepKernel}).
 */
export function optimizerStepAllKernel(
  state: OptimizerState,
  params: readonly FloatArray[],
  grads: readonly ArrayLike<number>[],
  adam: AdamRangeFunction = adamRangeKernel,
): void {
  const lr = learningRateKernel(state.config.learningRate, state.config.schedule, state.step);
  const t = state.step + 1;
  for (let j = 0; j < params.length; j++) optimizerStepKernel(state, j, params[j]!, grads[j]!, lr, t, adam);
  state.step = t;
}

/** The learning rate the next `optimizerStep` will use. */
export function currentLearningRate(state: OptimizerState): number {
  checkFinite(state?.step, 'currentLearningRate: state.step');
  return learningRateKernel(state.config.learningRate, state.config.schedule, state.step);
}
