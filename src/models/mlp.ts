/**
 * Multi-layer perceptrons as plain data: a stack of dense layers with a softmax output (classification,
 * cross-entropy loss on integer labels) or a linear output (regression, mean squared error per element).
 * The rg layer's "thermometer" (e.g. 100-64-60 over 60 temperature classes) is one of these.
 *
 * Losses: cross-entropy = -(1/n) sum_r log p_r[label_r] (stable, from logits);
 * MSE = (1 / (n m)) sum_{r,j} (y_rj - t_rj)^2 for m outputs.
 * @module
 */

import { StateError } from '../core/errors.js';
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import type { RunOptions } from '../core/progress.js';
import { type Rng, type RngState, restoreRng } from '../core/rng.js';
import type { FloatArray, Matrix } from '../core/tensor.js';
import {
  checkAllFinite,
  checkFinite,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkTrainingWork,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import type { Activation } from './activation.js';
import { matrixEntries } from './autoencoder.js';
import {
  type ArrayFor,
  allocFloat,
  checkDenseInit,
  type DenseInit,
  type DType,
  initWeightsKernel,
  sharedFloatCopy,
} from './denseLayer.js';
import { type DenseTargets, lossScale, stackLossKernel } from './denseLoss.js';
import { argMaxRow, createDenseWorkspace, type DenseOp, forwardInChunks } from './denseStack.js';
import {
  checkGemmOption,
  DEFAULT_OPTIMIZER,
  type DenseTrainSettings,
  denseTrainingLoop,
  type EpochMetrics,
  evaluateStack,
} from './denseTraining.js';
import { cloneOptimizerState, createOptimizer, type OptimizerConfig, type OptimizerState } from './optim.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const MLP_OPTIONS_KEYS = optionKeys<MlpOptions<never>>({
  layers: true,
  activations: true,
  output: true,
  dtype: true,
  init: true,
  rng: true,
});
const TRAIN_MLP_OPTIONS_KEYS = optionKeys<TrainMlpOptions>({
  epochs: true,
  batchSize: true,
  optimizer: true,
  rng: true,
  validation: true,
  targetLoss: true,
  maxAbsParameter: true,
  gemm: true,
});
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });
const RESUME_MLP_OPTIONS_KEYS = optionKeys<{
  readonly epochs?: number;
  readonly validation?: TrainMlpOptions['validation'];
  readonly targetLoss?: number;
  readonly gemm?: GemmKernelFunction;
}>({ epochs: true, validation: true, targetLoss: true, gemm: true });

/** Output layer of an MLP: softmax (classifier) or linear (regressor). */
export type MlpOutput = 'softmax' | 'linear';

/** Hidden-layer activations of an MLP. */
export type MlpActivation = Exclude<Activation, 'softmax'>;

/** An MLP: layer i maps layers[i] -> layers[i+1]; the last layer's activation is `output`. */
export interface Mlp<T extends FloatArray = Float64Array> {
  readonly kind: 'mlp';
  readonly version: 1;
  readonly dtype: DType;
  /** Sizes [input, hidden..., output], at least two entries. */
  readonly layers: readonly number[];
  /** L - 2 hidden activations. */
  readonly activations: readonly MlpActivation[];
  readonly output: MlpOutput;
  /** Weight i: layers[i] x layers[i+1], row-major. */
  readonly weights: T[];
  /** Bias i: layers[i+1]. */
  readonly biases: T[];
}

/** Options of {@link createMlp}. */
export interface MlpOptions<D extends DType = 'float64'> {
  /** Sizes [input, hidden..., output]; each >= 1 (a softmax output needs >= 2 classes). */
  readonly layers: readonly number[];
  /** One activation for all hidden layers, or one per hidden layer. Default 'relu'. */
  readonly activations?: MlpActivation | readonly MlpActivation[];
  /** Default 'softmax'. */
  readonly output?: MlpOutput;
  /** Default 'float64'. */
  readonly dtype?: D;
  /** Default 'xavier'. */
  readonly init?: DenseInit;
  readonly rng: Rng;
}

const HIDDEN = ['linear', 'sigmoid', 'tanh', 'relu'] as const;

/** The dense-stack description of an MLP. */
export function mlpOps(model: Mlp<FloatArray>): DenseOp[] {
  const L = model.layers.length;
  const ops: DenseOp[] = [];
  for (let i = 0; i < L - 1; i++) {
    ops.push({
      nIn: model.layers[i]!,
      nOut: model.layers[i + 1]!,
      activation: i === L - 2 ? model.output : model.activations[i]!,
      weight: i,
      transposed: false,
      bias: i,
    });
  }
  return ops;
}

/**
 * Validate an MLP's structure.
 * @throws StateError for a wrong kind/version; ShapeError/DomainError naming the bad field.
 */
export function checkMlp(model: unknown, name: string): Mlp<FloatArray> {
  const m = model as Mlp<FloatArray>;
  if (m?.kind !== 'mlp' || m.version !== 1) {
    throw new StateError(
      `${name}: expected an Mlp of version 1, received kind ${String(m?.kind)} version ${String(m?.version)}`,
    );
  }
  checkOneOf(m.dtype, `${name}.dtype`, ['float32', 'float64'] as const);
  checkOneOf(m.output, `${name}.output`, ['softmax', 'linear'] as const);
  if (!Array.isArray(m.layers) || m.layers.length < 2)
    throw shapeError(`${name}.layers`, 'at least 2 sizes', String(m.layers));
  for (let i = 0; i < m.layers.length; i++) checkInteger(m.layers[i], `${name}.layers[${i}]`, 1);
  const L = m.layers.length;
  if (!Array.isArray(m.activations) || m.activations.length !== L - 2)
    throw shapeError(`${name}.activations`, `${L - 2} activations`, String(m.activations?.length));
  for (let i = 0; i < L - 2; i++) checkOneOf(m.activations[i], `${name}.activations[${i}]`, HIDDEN);
  const Ctor = m.dtype === 'float32' ? Float32Array : Float64Array;
  if (!Array.isArray(m.weights) || m.weights.length !== L - 1)
    throw shapeError(`${name}.weights`, `${L - 1} arrays`, String(m.weights?.length));
  if (!Array.isArray(m.biases) || m.biases.length !== L - 1)
    throw shapeError(`${name}.biases`, `${L - 1} arrays`, String(m.biases?.length));
  for (let i = 0; i < L - 1; i++) {
    const w = m.weights[i];
    const size = m.layers[i]! * m.layers[i + 1]!;
    if (!(w instanceof Ctor) || w.length !== size)
      throw shapeError(`${name}.weights[${i}]`, `${Ctor.name}(${size})`, String(w?.length));
    const b = m.biases[i];
    if (!(b instanceof Ctor) || b.length !== m.layers[i + 1])
      throw shapeError(`${name}.biases[${i}]`, `${Ctor.name}(${m.layers[i + 1]})`, String(b?.length));
  }
  return m;
}

/**
 * Create an MLP with random weights (Xavier by default) and zero biases.
 * @throws DomainError / ShapeError naming the bad option.
 * @example
 * ```ts
 * import { createMlp, createRng } from 'coarsegrain';
 * // a thermometer: 100 spins in, 60 temperature classes out (softmax)
 * const thermometer = createMlp({ layers: [100, 64, 60], activations: 'relu', rng: createRng(1) });
 * const regressor = createMlp({ layers: [100, 32, 1], output: 'linear', rng: createRng(2) }); // one real output
 * ```
 */
export function createMlp<D extends DType = 'float64'>(options: MlpOptions<D>): Mlp<ArrayFor<D>> {
  options = checkOptions(options, 'createMlp: options', MLP_OPTIONS_KEYS, true);
  const where = 'createMlp';
  if (options === null || typeof options !== 'object')
    throw domainError(`${where}: options`, 'an options object', options);
  const layers = options.layers;
  if (!Array.isArray(layers) || layers.length < 2)
    throw shapeError(
      `${where}: layers`,
      'at least 2 sizes [input, ..., output]',
      Array.isArray(layers) ? `${layers.length} sizes` : String(layers),
    );
  for (let i = 0; i < layers.length; i++) checkInteger(layers[i], `${where}: layers[${i}]`, 1);
  let weightCount = 0;
  for (let i = 0; i + 1 < layers.length; i++) weightCount += layers[i]! * layers[i + 1]!;
  checkLimit(weightCount, `${where}: layers (weights, sum of layers[i] x layers[i+1])`);
  const output = checkOneOf(options.output ?? 'softmax', `${where}: output`, ['softmax', 'linear'] as const);
  if (output === 'softmax' && layers[layers.length - 1]! < 2)
    throw domainError(
      `${where}: layers[${layers.length - 1}]`,
      'at least 2 classes for a softmax output',
      layers[layers.length - 1],
    );
  const nHidden = layers.length - 2;
  const act = options.activations ?? 'relu';
  let activations: MlpActivation[];
  if (typeof act === 'string')
    activations = new Array(nHidden).fill(checkOneOf(act, `${where}: activations`, HIDDEN));
  else {
    if (!Array.isArray(act) || act.length !== nHidden)
      throw shapeError(
        `${where}: activations`,
        `one activation or ${nHidden} of them`,
        String((act as unknown[])?.length),
      );
    activations = act.map((a, i) => checkOneOf(a, `${where}: activations[${i}]`, HIDDEN));
  }
  const dtype = checkOneOf(options.dtype ?? 'float64', `${where}: dtype`, ['float32', 'float64'] as const);
  const init = checkDenseInit(options.init ?? 'xavier', `${where}: init`);
  const rng = options.rng;
  if (!rng || typeof rng.uniform !== 'function') throw domainError(`${where}: rng`, 'an Rng', rng);
  const weights: FloatArray[] = [];
  const biases: FloatArray[] = [];
  for (let i = 0; i < layers.length - 1; i++) {
    const w = allocFloat(dtype, layers[i]! * layers[i + 1]!);
    initWeightsKernel(w, layers[i]!, layers[i + 1]!, init, rng);
    weights.push(w);
    biases.push(allocFloat(dtype, layers[i + 1]!));
  }
  return {
    kind: 'mlp',
    version: 1,
    dtype,
    layers: layers.slice(),
    activations,
    output,
    weights: weights as ArrayFor<D>[],
    biases: biases as ArrayFor<D>[],
  };
}

/** A copy of a model with every weight and bias array on a SharedArrayBuffer (for a threaded product). */
function sharedMlpCopy<T extends FloatArray>(model: Mlp<T>): Mlp<T> {
  return {
    ...model,
    layers: model.layers.slice(),
    activations: model.activations.slice(),
    weights: model.weights.map((w) => sharedFloatCopy(w)),
    biases: model.biases.map((b) => sharedFloatCopy(b)),
  };
}

/** A deep copy. O(parameters). */
export function cloneMlp<T extends FloatArray>(model: Mlp<T>): Mlp<T> {
  return {
    ...model,
    layers: model.layers.slice(),
    activations: model.activations.slice(),
    weights: model.weights.map((w) => w.slice() as T),
    biases: model.biases.map((b) => b.slice() as T),
  };
}

function checkInputs(x: ArrayLike<number>, d: number, name: string): number {
  if (!x || typeof x.length !== 'number') throw shapeError(name, `an array of n x ${d} values`, String(x));
  const n = x.length / d;
  if (!Number.isInteger(n) || n < 1)
    throw shapeError(name, `a positive multiple of ${d} values (n x ${d})`, `length ${x.length}`);
  checkAllFinite(x, name);
  return n;
}

/** Validate targets for `n` samples: integer labels (softmax) or n x m finite values (linear). */
function checkTargets(
  model: Mlp<FloatArray>,
  targets: ArrayLike<number>,
  n: number,
  name: string,
): DenseTargets {
  const m = model.layers[model.layers.length - 1]!;
  if (!targets || typeof targets.length !== 'number') throw shapeError(name, 'an array', String(targets));
  if (model.output === 'softmax') {
    if (targets.length !== n)
      throw shapeError(name, `${n} labels (one per sample)`, `length ${targets.length}`);
    for (let i = 0; i < n; i++) checkInteger(targets[i], `${name}[${i}]`, 0, m - 1);
    return { kind: 'labels', labels: targets };
  }
  if (targets.length !== n * m)
    throw shapeError(name, `${n * m} values (n x ${m})`, `length ${targets.length}`);
  checkAllFinite(targets, name);
  return { kind: 'values', data: targets, width: m };
}

/**
 * Network outputs for n inputs: class probabilities (softmax) or predicted values (linear), n x m in the
 * model's precision. Cost O(n sum layers[i] layers[i+1]); memory O(256 sum of layer sizes) of scratch.
 * @param x - n x layers[0] inputs, row-major.
 * @param out - optional n x m array of the model's precision to write into (must not alias `x`).
 * @throws StateError for a malformed model; ShapeError/DomainError for bad inputs or `out`.
 * @example
 * ```ts
 * import { createMlp, createRng, matrix, predictMlp } from 'coarsegrain';
 * const mlp = createMlp({ layers: [4, 8, 1], output: 'linear', rng: createRng(1) });
 * const y = predictMlp(mlp, matrix(Float64Array.of(1, -1, 1, -1, 0, 0, 0, 0), 2, 4)); // 2 x 1: one value per input
 * ```
 */
export function predictMlp<T extends FloatArray>(
  model: Mlp<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: T,
): Matrix<T> {
  checkMlp(model, 'predictMlp: model');
  const x = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'predictMlp: x');
  const n = checkInputs(x, model.layers[0]!, 'predictMlp: x');
  const y = forwardInChunks(
    mlpOps(model),
    model.weights,
    model.biases,
    model.dtype,
    x,
    n,
    out,
    'predictMlp: out',
  ) as T;
  return { data: y, rows: n, cols: model.layers[model.layers.length - 1]! };
}

/**
 * Class probabilities of a softmax MLP, n x classes (rows sum to 1), into `out` if given.
 * @throws DomainError for a linear-output model; otherwise as {@link predictMlp}.
 * @example
 * ```ts
 * import { createMlp, createRng, matrix, predictProbabilities } from 'coarsegrain';
 * const mlp = createMlp({ layers: [4, 3], rng: createRng(1) });
 * const p = predictProbabilities(mlp, matrix(Float64Array.of(1, -1, 1, -1), 1, 4)); // 1 x 3, sums to 1
 * ```
 */
export function predictProbabilities<T extends FloatArray>(
  model: Mlp<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: T,
): Matrix<T> {
  checkMlp(model, 'predictProbabilities: model');
  if (model.output !== 'softmax')
    throw domainError('predictProbabilities: model.output', "'softmax'", model.output);
  const x = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'predictProbabilities: x');
  const n = checkInputs(x, model.layers[0]!, 'predictProbabilities: x');
  const ops = mlpOps(model);
  const y = forwardInChunks(
    ops,
    model.weights,
    model.biases,
    model.dtype,
    x,
    n,
    out,
    'predictProbabilities: out',
  ) as T;
  return { data: y, rows: n, cols: model.layers[model.layers.length - 1]! };
}

/**
 * Most probable class of each input (first on ties), as an Int32Array of length n.
 * @throws as {@link predictProbabilities}.
 * @example
 * ```ts
 * import { createMlp, createRng, matrix, predictClass } from 'coarsegrain';
 * const mlp = createMlp({ layers: [4, 3], rng: createRng(1) });
 * const classes = predictClass(mlp, matrix(Float64Array.of(1, -1, 1, -1, 0, 0, 0, 0), 2, 4)); // Int32Array(2), each in 0..2
 * ```
 */
export function predictClass(model: Mlp<FloatArray>, x: Matrix<ArrayLike<number>>): Int32Array {
  const p = predictProbabilities(model, x).data;
  const m = model.layers[model.layers.length - 1]!;
  const n = p.length / m;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) out[r] = argMaxRow(p, r, m);
  return out;
}

/**
 * Fraction of inputs whose predicted class equals the label, in [0, 1].
 * @throws ShapeError if labels.length is not n; DomainError for labels outside [0, classes).
 * @example
 * ```ts
 * import { accuracy, createMlp, createRng, matrix } from 'coarsegrain';
 * const mlp = createMlp({ layers: [4, 8, 2], rng: createRng(1) }); // 2 classes, softmax output
 * const x = matrix(Float64Array.of(1, 1, 1, 1, -1, -1, -1, -1), 2, 4); // 2 inputs x 4
 * accuracy(mlp, x, [0, 1]); // fraction in [0, 1] of inputs classified as their label
 * ```
 */
export function accuracy(
  model: Mlp<FloatArray>,
  batch: Matrix<ArrayLike<number>>,
  labels: ArrayLike<number>,
): number {
  checkMlp(model, 'accuracy: model');
  if (model.output !== 'softmax') throw domainError('accuracy: model.output', "'softmax'", model.output);
  const x = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'accuracy: x');
  const n = checkInputs(x, model.layers[0]!, 'accuracy: x');
  checkTargets(model, labels, n, 'accuracy: labels');
  const predicted = predictClass(model, batch);
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
  return correct / n;
}

/**
 * Mean loss over a data set: cross-entropy per sample (softmax) or squared error per element (linear).
 * @param targets - n integer labels (softmax) or n x m values (linear).
 * @throws StateError for a malformed model; ShapeError/DomainError for bad inputs or targets.
 * @example
 * ```ts
 * import { createMlp, createRng, matrix, mlpLoss } from 'coarsegrain';
 * const mlp = createMlp({ layers: [4, 3], rng: createRng(1) }); // softmax over 3 classes
 * const loss = mlpLoss(mlp, matrix(Float64Array.of(1, -1, 1, -1), 1, 4), [2]); // cross-entropy per sample (1.98 here; ln 3 = 1.10 for a uniform guess)
 * ```
 */
export function mlpLoss(
  model: Mlp<FloatArray>,
  batch: Matrix<ArrayLike<number>>,
  targets: ArrayLike<number>,
): number {
  checkMlp(model, 'mlpLoss: model');
  const x = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'mlpLoss: x');
  const n = checkInputs(x, model.layers[0]!, 'mlpLoss: x');
  const t = checkTargets(model, targets, n, 'mlpLoss: targets');
  const ops = mlpOps(model);
  const ws = createDenseWorkspace(ops, model.weights, model.biases, Math.min(n, 256), model.dtype);
  return evaluateStack(ops, model.weights, model.biases, x, n, t, lossOf(model), ws).loss;
}

function lossOf(model: Mlp<FloatArray>): 'cross-entropy' | 'mse' {
  return model.output === 'softmax' ? 'cross-entropy' : 'mse';
}

/**
 * Loss (as {@link mlpLoss}) and its exact gradient by backpropagation over all n rows at once.
 * @returns gradients shaped like model.weights / model.biases.
 * @throws as {@link mlpLoss}.
 */
export function mlpLossAndGradient<T extends FloatArray>(
  model: Mlp<T>,
  x: ArrayLike<number>,
  targets: ArrayLike<number>,
): { loss: number; gradWeights: T[]; gradBiases: T[] } {
  const where = 'mlpLossAndGradient';
  checkMlp(model, `${where}: model`);
  const d = model.layers[0]!;
  const n = checkInputs(x, d, `${where}: x`);
  const t = checkTargets(model, targets, n, `${where}: targets`);
  const ops = mlpOps(model);
  const ws = createDenseWorkspace(ops, model.weights, model.biases, n, model.dtype);
  for (let i = 0; i < n * d; i++) ws.input[i] = x[i]!;
  let target: ArrayLike<number>;
  if (t.kind === 'labels') target = Int32Array.from(t.labels as ArrayLike<number>);
  else {
    const values = (t as { data: ArrayLike<number> }).data;
    const v = allocFloat(model.dtype, values.length);
    for (let i = 0; i < v.length; i++) v[i] = values[i]!;
    target = v;
  }
  const loss = lossOf(model);
  const m = model.layers[model.layers.length - 1]!;
  const scale = lossScale(loss, n, m);
  const sum = stackLossKernel(ops, model.weights, model.biases, ws.input, target, n, loss, ws, true, scale);
  return { loss: sum * scale, gradWeights: ws.gradWeights as T[], gradBiases: ws.gradBiases as T[] };
}

/** Options of {@link trainMlp}. */
export interface TrainMlpOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Default `DEFAULT_OPTIMIZER`; weight decay / L1 apply to weights, not biases. */
  readonly optimizer?: OptimizerConfig;
  /** Shuffles the data every epoch. */
  readonly rng: Rng;
  /** Held-out data; its loss (and accuracy for classifiers) is reported every epoch. */
  readonly validation?: { readonly x: Matrix<ArrayLike<number>>; readonly targets: ArrayLike<number> };
  /** Stop once the monitored loss (validation if given, else training) <= targetLoss. */
  readonly targetLoss?: number;
  /** Divergence threshold on |parameter|, default 1e8. */
  readonly maxAbsParameter?: number;
  /**
   * The matrix product of the forward and backward passes, default `gemmKernel`. A threaded one
   * (`createThreadedGemm({ threads: 2 }).gemm` from `coarsegrain/parallel`) runs each product of a
   * minibatch (at least 2^20 multiply-adds) on several cores, split by columns or rows of its result, so
   * every element is the same sum in the same order. Each thread also does the element-wise work on its
   * block of each result: bias and activation, the loss gradient (MSE and BCE) and the chain rule, the
   * bias gradients, and the Adam step (without weight decay or L1) of the weights whose gradient it
   * computed; only the batch copy and the loss value (summed in element order) stay in the calling
   * thread. The trained model, history and checkpoint are bit-identical to the single-thread run
   * (tested, float64 and float32). The parameters, optimiser moments and training buffers are then held
   * on SharedArrayBuffers during training (the returned model and checkpoint are on ordinary ones). The
   * threads' start-up (`createThreadedGemm`, a few hundred ms) is paid once, not per call; with
   * `{ threads: 1 }` this is `gemmKernel`.
   */
  readonly gemm?: GemmKernelFunction;
}

/** A training checkpoint; {@link resumeMlpTraining} continues it bit-identically. */
export interface MlpCheckpoint<T extends FloatArray = Float64Array> {
  readonly kind: 'mlp-checkpoint';
  readonly version: 1;
  readonly model: Mlp<T>;
  readonly optimizer: OptimizerState;
  readonly rng: RngState;
  /** Epochs completed. */
  readonly epoch: number;
  readonly history: EpochMetrics[];
  readonly settings: DenseTrainSettings;
}

/** Result of {@link trainMlp} / {@link resumeMlpTraining}. */
export interface MlpTrainingResult<T extends FloatArray = Float64Array> {
  /** The trained model (the input model is not modified). */
  readonly model: Mlp<T>;
  readonly history: EpochMetrics[];
  readonly epochsRun: number;
  readonly reachedTarget: boolean;
  readonly checkpoint: MlpCheckpoint<T>;
}

function runMlpTraining<T extends FloatArray>(
  where: string,
  start: Mlp<T>,
  batch: Matrix<ArrayLike<number>>,
  targets: ArrayLike<number>,
  validation: TrainMlpOptions['validation'],
  settings: DenseTrainSettings,
  optimizer: OptimizerState,
  rng: Rng,
  startEpoch: number,
  history: EpochMetrics[],
  run: RunOptions | undefined,
  gemm: GemmKernelFunction,
): MlpTrainingResult<T> {
  const d = start.layers[0]!;
  const x = matrixEntries(batch, d, 'model.layers[0]', `${where}: x`);
  const n = checkInputs(x, d, `${where}: x`);
  checkTrainingWork(
    where,
    settings.epochs,
    n,
    start.weights.reduce((sum, w) => sum + w.length, 0),
  );
  const t = checkTargets(start, targets, n, `${where}: targets`);
  let validationSpec: { x: ArrayLike<number>; n: number; targets: DenseTargets } | undefined;
  if (validation !== undefined) {
    const vx = matrixEntries(validation.x, d, 'model.layers[0]', `${where}: options.validation.x`);
    const m = checkInputs(vx, d, `${where}: options.validation.x`);
    validationSpec = {
      x: vx,
      n: m,
      targets: checkTargets(start, validation.targets, m, `${where}: options.validation.targets`),
    };
  }
  // a threaded product reads and writes the parameters from its workers: train on shared copies
  const shared = gemm !== gemmKernel;
  const model = shared ? sharedMlpCopy(start) : cloneMlp(start);
  const { epochsRun, reachedTarget } = denseTrainingLoop({
    where,
    ops: mlpOps(model),
    weights: model.weights,
    biases: model.biases,
    dtype: model.dtype,
    x,
    n,
    targets: t,
    ...(validationSpec ? { validation: validationSpec } : {}),
    settings,
    startEpoch,
    optimizer,
    rng,
    history,
    snapshot: () => cloneMlp(model),
    ...(run ? { run } : {}),
    gemm,
  });
  return {
    model: shared ? cloneMlp(model) : model,
    history,
    epochsRun,
    reachedTarget,
    checkpoint: {
      kind: 'mlp-checkpoint',
      version: 1,
      model: cloneMlp(model),
      optimizer: cloneOptimizerState(optimizer),
      rng: rng.save(),
      epoch: startEpoch + epochsRun,
      history: history.slice(),
      settings: { ...settings },
    },
  };
}

/**
 * Train an MLP by minibatch gradient descent: cross-entropy for a softmax output (targets: n integer
 * labels), MSE for a linear output (targets: n x m values). The input model is not modified.
 * `onProgress({ stage: 'epoch', done, total, metrics: { trainLoss, validationLoss?, validationAccuracy? } })`
 * after each epoch; `signal` checked before every batch. Cost per epoch about 6 n sum(layers[i] layers[i+1]) flop.
 * @throws StateError for a malformed model; ShapeError/DomainError naming the bad argument (x length,
 *   NaN inputs, labels out of range, epochs, batchSize, learning rate <= 0, ...); DivergenceError
 *   (lastGood: the model at the start of the failing epoch); AbortError.
 * @example
 * ```ts
 * import { accuracy, createMlp, createRng, matrix, trainMlp } from 'coarsegrain';
 * const rng = createRng(1);
 * const x = matrix(rng.fillNormal(new Float64Array(200 * 2)), 200, 2); // 200 points in the plane
 * const labels = Array.from({ length: 200 }, (_, i) => (x.data[2 * i]! > 0 ? 1 : 0)); // class = sign of x
 * const mlp = createMlp({ layers: [2, 8, 2], rng });
 * const { model } = trainMlp(mlp, x, labels, { epochs: 20, batchSize: 20, rng, optimizer: { kind: 'adam', learningRate: 1e-2 } });
 * accuracy(model, x, labels); // close to 1
 * ```
 */
export function trainMlp<T extends FloatArray>(
  model: Mlp<T>,
  x: Matrix<ArrayLike<number>>,
  targets: ArrayLike<number>,
  options: TrainMlpOptions,
  run?: RunOptions,
): MlpTrainingResult<T> {
  run = checkOptions(run, 'trainMlp: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'trainMlp: options', TRAIN_MLP_OPTIONS_KEYS, true);
  const where = 'trainMlp';
  checkMlp(model, `${where}: model`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${where}: options`, 'an options object', options);
  const epochs = checkInteger(options.epochs, `${where}: options.epochs`, 1);
  const batchSize = checkInteger(options.batchSize, `${where}: options.batchSize`, 1);
  const rng = options.rng;
  if (!rng || typeof rng.save !== 'function') throw domainError(`${where}: options.rng`, 'an Rng', rng);
  const settings: DenseTrainSettings = {
    epochs,
    batchSize,
    loss: lossOf(model),
    maxAbsParameter: checkPositive(options.maxAbsParameter ?? 1e8, `${where}: options.maxAbsParameter`),
    ...(options.targetLoss !== undefined
      ? { targetLoss: checkFinite(options.targetLoss, `${where}: options.targetLoss`) }
      : {}),
  };
  const sizes = [...model.weights.map((w) => w.length), ...model.biases.map((b) => b.length)];
  const regularized = [...model.weights.map(() => true), ...model.biases.map(() => false)];
  let optimizer: OptimizerState;
  try {
    optimizer = createOptimizer(options.optimizer ?? DEFAULT_OPTIMIZER, sizes, regularized);
  } catch (e) {
    if (e instanceof Error)
      e.message = e.message.replace('createOptimizer: config', `${where}: options.optimizer`);
    throw e;
  }
  const gemm = checkGemmOption(options.gemm, `${where}: options.gemm`);
  return runMlpTraining(
    where,
    model,
    x,
    targets,
    options.validation,
    settings,
    optimizer,
    rng,
    0,
    [],
    run,
    gemm,
  );
}

/**
 * Continue training from a checkpoint; with the same data, bit-identical to an uninterrupted run.
 * @param options - `epochs`: new total (default the checkpoint's); `validation`, `targetLoss`; `gemm` as in
 *   {@link TrainMlpOptions.gemm} (not kept in the checkpoint; default `gemmKernel`).
 * @throws StateError for a checkpoint of another kind or version; otherwise as {@link trainMlp}.
 * @example
 * ```ts
 * import { createMlp, createRng, matrix, resumeMlpTraining, trainMlp } from 'coarsegrain';
 * const x = matrix(createRng(1).fillNormal(new Float64Array(40 * 4)), 40, 4); // 40 inputs x 4
 * const labels = Array.from({ length: 40 }, (_, i) => i % 2); // 2 classes
 * const mlp = createMlp({ layers: [4, 8, 2], rng: createRng(2) });
 * const first = trainMlp(mlp, x, labels, { epochs: 2, batchSize: 10, rng: createRng(3) });
 * const more = resumeMlpTraining(first.checkpoint, x, labels, { epochs: 4 }); // as if trained 4 epochs at once
 * ```
 */
export function resumeMlpTraining<T extends FloatArray>(
  checkpoint: MlpCheckpoint<T>,
  x: Matrix<ArrayLike<number>>,
  targets: ArrayLike<number>,
  options: {
    readonly epochs?: number;
    readonly validation?: TrainMlpOptions['validation'];
    readonly targetLoss?: number;
    readonly gemm?: GemmKernelFunction;
  } = {},
  run?: RunOptions,
): MlpTrainingResult<T> {
  run = checkOptions(run, 'resumeMlpTraining: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'resumeMlpTraining: options', RESUME_MLP_OPTIONS_KEYS);
  const where = 'resumeMlpTraining';
  if (checkpoint?.kind !== 'mlp-checkpoint' || checkpoint.version !== 1) {
    throw new StateError(
      `${where}: checkpoint: expected an mlp-checkpoint of version 1, received kind ${String(checkpoint?.kind)} version ${String(checkpoint?.version)}`,
    );
  }
  checkMlp(checkpoint.model, `${where}: checkpoint.model`);
  const base = checkpoint.settings;
  const settings: DenseTrainSettings = {
    epochs: checkInteger(options.epochs ?? base.epochs, `${where}: options.epochs`, 1),
    batchSize: checkInteger(base.batchSize, `${where}: checkpoint.settings.batchSize`, 1),
    loss: lossOf(checkpoint.model),
    maxAbsParameter: checkPositive(base.maxAbsParameter, `${where}: checkpoint.settings.maxAbsParameter`),
    ...(options.targetLoss !== undefined
      ? { targetLoss: checkFinite(options.targetLoss, `${where}: options.targetLoss`) }
      : base.targetLoss !== undefined
        ? { targetLoss: base.targetLoss }
        : {}),
  };
  return runMlpTraining(
    where,
    checkpoint.model,
    x,
    targets,
    options.validation,
    settings,
    cloneOptimizerState(checkpoint.optimizer),
    restoreRng(checkpoint.rng),
    checkInteger(checkpoint.epoch, `${where}: checkpoint.epoch`, 0),
    checkpoint.history.slice(),
    run,
    checkGemmOption(options.gemm, `${where}: options.gemm`),
  );
}
