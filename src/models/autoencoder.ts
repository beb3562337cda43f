/**
 * Dense autoencoders as plain data: an encoder of any depth (sizes `layers = [d, h1, ..., code]`), a decoder
 * that mirrors it (untied weights, or tied: decoder layer uses the encoder's W^T), activations per layer,
 * MSE or binary cross-entropy losses, minibatch training with the shared optimisers, divergence detection,
 * checkpoints that resume bit-identically, and the covariance (PCA) initial condition of experiment E9.
 *
 * Loss normalisation: both losses are means per element over the data set,
 * MSE = (1 / (n d)) sum_i ||x_i - x^_i||^2 and BCE = -(1 / (n d)) sum_{i,j} [x_ij log x^_ij + (1 - x_ij) log(1 - x^_ij)].
 * @module
 */

import { covarianceMatrix } from '../core/covariance.js';
import { symmetricEigen } from '../core/decompose.js';
import { StateError } from '../core/errors.js';
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import type { RunOptions } from '../core/progress.js';
import { type Rng, type RngState, restoreRng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
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
import { type Activation, activationKernel } from './activation.js';
import {
  type ArrayFor,
  allocFloat,
  checkDenseInit,
  type DenseInit,
  type DType,
  denseForwardKernel,
  initWeightsKernel,
  sharedFloatCopy,
} from './denseLayer.js';
import { stackLossKernel } from './denseLoss.js';
import { createDenseWorkspace, type DenseOp, forwardInChunks } from './denseStack.js';
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
const AUTOENCODER_OPTIONS_KEYS = optionKeys<AutoencoderOptions<never>>({
  layers: true,
  activations: true,
  tied: true,
  dtype: true,
  init: true,
  rng: true,
});
const TRAIN_AUTOENCODER_OPTIONS_KEYS = optionKeys<TrainAutoencoderOptions>({
  epochs: true,
  batchSize: true,
  optimizer: true,
  loss: true,
  rng: true,
  validation: true,
  targetLoss: true,
  maxAbsParameter: true,
  gemm: true,
});
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });
const RESUME_AUTOENCODER_OPTIONS_KEYS = optionKeys<ResumeAutoencoderOptions>({
  epochs: true,
  validation: true,
  targetLoss: true,
  gemm: true,
});

/** Activations allowed in autoencoder layers. */
export type AutoencoderActivation = Exclude<Activation, 'softmax'>;

/** Reconstruction losses: mean squared error, or binary cross-entropy (needs a sigmoid output layer). */
export type AutoencoderLoss = 'mse' | 'bce';

/**
 * A dense autoencoder. With `L = layers.length`, there are `L - 1` encoder layers (i maps layers[i] ->
 * layers[i+1]) followed by `L - 1` decoder layers (j maps layers[L-1-j] -> layers[L-2-j]).
 */
export interface Autoencoder<T extends FloatArray = Float64Array> {
  readonly kind: 'autoencoder';
  readonly version: 1;
  readonly dtype: DType;
  /** Encoder sizes, input first: [d, h1, ..., code]; at least two entries. */
  readonly layers: readonly number[];
  /** 2 (L - 1) activations: the encoder layers, then the decoder layers, in the order they are applied. */
  readonly activations: readonly AutoencoderActivation[];
  /** Tied: decoder layer j uses encoder weight L-2-j transposed and `weights` holds only the encoder's. */
  readonly tied: boolean;
  /**
   * Encoder weights (i: layers[i] x layers[i+1], row-major), then, when untied, decoder weights
   * (j: layers[L-1-j] x layers[L-2-j]).
   */
  readonly weights: T[];
  /** 2 (L - 1) biases: encoder (i: layers[i+1]) then decoder (j: layers[L-2-j]). */
  readonly biases: T[];
}

/** Initial condition: random (see {@link DenseInit}) or the data-covariance (PCA) init of E9. */
export type AutoencoderInit =
  | DenseInit
  | {
      readonly kind: 'covariance';
      /** Training data, an n x d {@link Matrix} (n >= 1). Needs non-increasing encoder sizes. */
      readonly data: Matrix<ArrayLike<number>>;
      /**
       * Operating amplitude of a nonlinear code (> 0, default {@link DEFAULT_COVARIANCE_SCALE}): the
       * standard deviation, on `data`, of the most active unit's pre-activation about the activation's
       * linear operating point. Smaller is closer to the PCA projection (the loss excess over it falls as
       * scale^4 for sigmoid and tanh codes, and is 0 for relu once no pre-activation crosses 0), at the
       * price of small encoder and large decoder weights. Ignored for linear layers (exact PCA).
       */
      readonly scale?: number;
    };

/**
 * Default `scale` of the covariance init: pre-activations of standard deviation <= 0.1 about the
 * operating point. Measured on the first 5,000 MNIST test digits with k = 16 (PCA loss 0.0263635): the
 * untrained network's MSE exceeds the PCA loss by 5e-6 (sigmoid code), 7e-5 (tanh) and 0 (relu), relative;
 * at scale 1 by 2.2%, 13% and 3.5%; the construction without scaling gave 0.0567.
 */
export const DEFAULT_COVARIANCE_SCALE = 0.1;

/** Options of {@link createAutoencoder}. */
export interface AutoencoderOptions<D extends DType = 'float64'> {
  /** Encoder sizes [d, h1, ..., code], each >= 1, at least two entries. */
  readonly layers: readonly number[];
  /**
   * One activation for every layer, or 2 (L - 1) of them: the L - 1 encoder layers (input side first),
   * then the L - 1 decoder layers (code side first, the output layer last). Default: 'sigmoid' in every
   * layer but the output layer, which is 'linear' (see {@link createAutoencoder} for why).
   */
  readonly activations?: AutoencoderActivation | readonly AutoencoderActivation[];
  /** Share weights between encoder and decoder (decoder uses W^T). Default false. */
  readonly tied?: boolean;
  /** Parameter precision. Default 'float64'. */
  readonly dtype?: D;
  /** Default 'xavier'. */
  readonly init?: AutoencoderInit;
  /** Source of the random init (not needed for the covariance init). */
  readonly rng?: Rng;
}

const AE_ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu'] as const;

/** The dense-stack description of an autoencoder: encoder ops then decoder ops. */
export function autoencoderOps(model: Autoencoder<FloatArray>): DenseOp[] {
  const { layers, activations, tied } = model;
  const h = layers.length - 1;
  const ops: DenseOp[] = [];
  for (let i = 0; i < h; i++) {
    ops.push({
      nIn: layers[i]!,
      nOut: layers[i + 1]!,
      activation: activations[i]!,
      weight: i,
      transposed: false,
      bias: i,
    });
  }
  for (let j = 0; j < h; j++) {
    ops.push({
      nIn: layers[h - j]!,
      nOut: layers[h - 1 - j]!,
      activation: activations[h + j]!,
      weight: tied ? h - 1 - j : h + j,
      transposed: tied,
      bias: h + j,
    });
  }
  return ops;
}

/**
 * Validate an autoencoder's structure (kind, version, sizes, array lengths and types).
 * @throws StateError for a wrong kind/version; ShapeError/DomainError naming the bad field.
 */
export function checkAutoencoder(model: unknown, name: string): Autoencoder<FloatArray> {
  const m = model as Autoencoder<FloatArray>;
  if (m?.kind !== 'autoencoder' || m.version !== 1) {
    throw new StateError(
      `${name}: expected an Autoencoder of version 1, received kind ${String(m?.kind)} version ${String(m?.version)}`,
    );
  }
  checkOneOf(m.dtype, `${name}.dtype`, ['float32', 'float64'] as const);
  const Ctor = m.dtype === 'float32' ? Float32Array : Float64Array;
  if (!Array.isArray(m.layers) || m.layers.length < 2)
    throw shapeError(`${name}.layers`, 'at least 2 sizes', String(m.layers));
  m.layers.forEach((s, i) => {
    checkInteger(s, `${name}.layers[${i}]`, 1);
  });
  const h = m.layers.length - 1;
  if (!Array.isArray(m.activations) || m.activations.length !== 2 * h)
    throw shapeError(`${name}.activations`, `${2 * h} activations`, String(m.activations?.length));
  m.activations.forEach((a, i) => {
    checkOneOf(a, `${name}.activations[${i}]`, AE_ACTIVATIONS);
  });
  const ops = autoencoderOps(m);
  const nWeights = m.tied ? h : 2 * h;
  if (!Array.isArray(m.weights) || m.weights.length !== nWeights)
    throw shapeError(`${name}.weights`, `${nWeights} arrays`, String(m.weights?.length));
  if (!Array.isArray(m.biases) || m.biases.length !== 2 * h)
    throw shapeError(`${name}.biases`, `${2 * h} arrays`, String(m.biases?.length));
  for (const op of ops) {
    const w = m.weights[op.weight];
    if (!(w instanceof Ctor) || w.length !== op.nIn * op.nOut)
      throw shapeError(
        `${name}.weights[${op.weight}]`,
        `${Ctor.name}(${op.nIn * op.nOut})`,
        String(w?.length),
      );
    const b = m.biases[op.bias];
    if (!(b instanceof Ctor) || b.length !== op.nOut)
      throw shapeError(`${name}.biases[${op.bias}]`, `${Ctor.name}(${op.nOut})`, String(b?.length));
  }
  return m;
}

/** Number of rows of a flat data set of width `d`, validated (length a positive multiple, finite values). */
function checkData(data: ArrayLike<number>, d: number, name: string): number {
  if (!data || typeof data.length !== 'number')
    throw shapeError(name, `an array of n x ${d} values`, String(data));
  const n = data.length / d;
  if (!Number.isInteger(n) || n < 1)
    throw shapeError(name, `a positive multiple of ${d} values (n x ${d})`, `length ${data.length}`);
  checkAllFinite(data, name);
  return n;
}

/**
 * The entries of a data {@link Matrix} of `d` columns (one sample per row, at least one row); any numeric
 * element type (an Int8Array spin batch is read as is: the dense layers copy rows into the model's
 * precision). @throws DomainError if `x` is not a Matrix; ShapeError if x.cols !== d.
 */
export function matrixEntries(x: unknown, d: number, label: string, name: string): ArrayLike<number> {
  return checkMatrix(x, name, { cols: d, colsLabel: label, minRows: 1 }).data;
}

function checkUnitInterval(data: ArrayLike<number>, name: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v >= 0 && v <= 1)) throw domainError(`${name}[${i}]`, 'a value in [0, 1] for the bce loss', v);
  }
}

/**
 * The covariance (PCA) initial weights of E9: the top-k eigenvectors U (d x k, row-major, columns
 * orthonormal) of the biased data covariance C = X_c^T X_c / n, the data mean, and all d eigenvalues
 * (descending). Cost O(n d^2 + d^3).
 * @param data - n x d {@link Matrix} (any numeric entries).
 * @throws DomainError if data is not a Matrix, for k outside [1, d] or non-finite data.
 * @example
 * ```ts
 * import { covarianceInitialWeights, createRng, matrix } from 'coarsegrain';
 * const rng = createRng(1);
 * const data = matrix(rng.fillNormal(new Float64Array(100 * 8)), 100, 8); // 100 samples x 8 features
 * const { weights, mean, eigenvalues } = covarianceInitialWeights(data, 3);
 * // weights: 8 x 3 (top-3 eigenvectors as columns), mean: 8 values, eigenvalues: all 8, descending
 * ```
 */
export function covarianceInitialWeights(
  data: Matrix<ArrayLike<number>>,
  k: number,
): { weights: Float64Array; mean: Float64Array; eigenvalues: Float64Array } {
  const d = checkMatrix(data, 'covarianceInitialWeights: data', { minRows: 1, minCols: 1 }).cols;
  checkInteger(k, 'covarianceInitialWeights: k', 1, d);
  checkData(data.data, d, 'covarianceInitialWeights: data');
  const cov = covarianceMatrix(data, { unbiased: false });
  const eig = symmetricEigen(cov.matrix, d);
  const weights = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let a = 0; a < k; a++) weights[i * k + a] = eig.vectors[i * d + a]!;
  return { weights, mean: cov.mean, eigenvalues: eig.values };
}

/**
 * Create an autoencoder. Random init: weights from `rng` (Xavier by default), biases 0. Covariance init
 * (non-increasing encoder sizes): the PCA construction of E9 (encoder from the top-k eigenvectors U_k of
 * the biased data covariance and the mean, decoder from U_k^T), greedily layer by layer, with nonlinear
 * layers placed in their linear regime (see `init.scale`), so that the untrained network reconstructs
 * x^ = mean + U_k U_k^T (x - mean) (k = code size): exactly for linear layers, whose MSE is then the
 * Baldi-Hornik optimum sum_{a>k} lambda_a / d, and up to O(scale^4) in the MSE for a sigmoid/tanh code
 * with a linear output. Cost O(n d^2 + d^3) per layer.
 *
 * Default activations: sigmoid in every layer except the output layer, which is linear (for [d, k]:
 * ['sigmoid', 'linear']). The output must cover real-valued data: a sigmoid output cannot reach the -1
 * of a spin, and on 8,000 MNIST 14 x 14 patches (variance 0.086 per element, k = 16, Adam 1e-3, batch
 * 100) sigmoid everywhere sat on the variance for 10 epochs (held-out MSE 0.082) and reached 0.059 after
 * 30, where the sigmoid code with a linear output reached 0.034 and 0.026. Ask for a sigmoid output
 * (e.g. 'sigmoid' for every layer) for data in [0, 1] trained with the 'bce' loss.
 * @throws DomainError / ShapeError naming the bad option (sizes, activations, init, dtype, missing rng).
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [64, 16], rng: createRng(1) }); // 64 -> 16 -> 64
 * ae.activations; // ['sigmoid', 'linear']: a sigmoid code, a linear output for real-valued data
 * const data = matrix(createRng(2).fillNormal(new Float64Array(200 * 64)), 200, 64); // 200 samples x 64
 * const pca = createAutoencoder({ layers: [64, 16], activations: 'linear', init: { kind: 'covariance', data } });
 * // untrained, pca reconstructs x as mean + U_16 U_16^T (x - mean): the PCA optimum
 * ```
 */
export function createAutoencoder<D extends DType = 'float64'>(
  options: AutoencoderOptions<D>,
): Autoencoder<ArrayFor<D>> {
  options = checkOptions(options, 'createAutoencoder: options', AUTOENCODER_OPTIONS_KEYS, true);
  const where = 'createAutoencoder';
  if (options === null || typeof options !== 'object')
    throw domainError(`${where}: options`, 'an options object', options);
  const layers = options.layers;
  if (!Array.isArray(layers) || layers.length < 2)
    throw shapeError(
      `${where}: layers`,
      'at least 2 sizes [input, ..., code]',
      Array.isArray(layers) ? `${layers.length} sizes` : String(layers),
    );
  layers.forEach((s, i) => {
    checkInteger(s, `${where}: layers[${i}]`, 1);
  });
  const h = layers.length - 1;
  let weightCount = 0;
  for (let i = 0; i < h; i++) weightCount += layers[i]! * layers[i + 1]!;
  checkLimit(weightCount, `${where}: layers (weights, sum of layers[i] x layers[i+1])`);
  let activations: AutoencoderActivation[];
  const act = options.activations;
  if (act === undefined) {
    activations = new Array<AutoencoderActivation>(2 * h).fill('sigmoid');
    activations[2 * h - 1] = 'linear';
  } else if (typeof act === 'string')
    activations = new Array(2 * h).fill(checkOneOf(act, `${where}: activations`, AE_ACTIVATIONS));
  else {
    if (!Array.isArray(act) || act.length !== 2 * h)
      throw shapeError(
        `${where}: activations`,
        `one activation for every layer, or an array of ${2 * h} for layers [${layers.join(', ')}]: ${h} encoder layer${h > 1 ? 's' : ''} (input side first) then ${h} decoder layer${h > 1 ? 's' : ''} (output last)`,
        Array.isArray(act) ? `an array of ${act.length}` : String(act),
      );
    activations = act.map((a, i) => checkOneOf(a, `${where}: activations[${i}]`, AE_ACTIVATIONS));
  }
  const dtype = checkOneOf(options.dtype ?? 'float64', `${where}: dtype`, ['float32', 'float64'] as const);
  const tied = options.tied === true;
  const init = options.init ?? 'xavier';
  const model: Autoencoder<FloatArray> = {
    kind: 'autoencoder',
    version: 1,
    dtype,
    layers: layers.slice(),
    activations,
    tied,
    weights: [],
    biases: [],
  };
  const ops = autoencoderOps(model);
  for (const op of ops) {
    if (op.weight === model.weights.length) model.weights.push(allocFloat(dtype, op.nIn * op.nOut));
    model.biases.push(allocFloat(dtype, op.nOut));
  }
  if (typeof init === 'object' && init !== null && (init as { kind: string }).kind === 'covariance') {
    const cov = init as { data: Matrix<ArrayLike<number>>; scale?: number };
    const scale =
      cov.scale === undefined ? DEFAULT_COVARIANCE_SCALE : checkPositive(cov.scale, `${where}: init.scale`);
    const entries = matrixEntries(cov.data, layers[0]!, 'layers[0]', `${where}: init.data`);
    covarianceInitKernel(model, entries, scale, where);
  } else {
    const dense = checkDenseInit(init, `${where}: init`);
    const rng = options.rng;
    if (!rng || typeof rng.uniform !== 'function')
      throw domainError(`${where}: rng`, 'an Rng (required for a random init)', rng);
    const done = new Set<number>();
    for (const op of ops) {
      if (done.has(op.weight)) continue;
      done.add(op.weight);
      initWeightsKernel(model.weights[op.weight]!, op.nIn, op.nOut, dense, rng);
    }
  }
  return model as Autoencoder<ArrayFor<D>>;
}

/**
 * Linear operating point of a code activation f: the pre-activation c where f is used, its slope
 * s = f'(c) and value f(c). sigmoid: its inflection point (c = 0, s = 1/4, f = 1/2); tanh: 0 (s = 1,
 * f = 0); relu: c = 1 (s = 1, f = 1), inside its linear half; linear: 0 (s = 1, f = 0).
 */
function operatingPoint(activation: AutoencoderActivation): { c: number; slope: number; value: number } {
  switch (activation) {
    case 'sigmoid':
      return { c: 0, slope: 0.25, value: 0.5 };
    case 'relu':
      return { c: 1, slope: 1, value: 1 };
    default:
      return { c: 0, slope: 1, value: 0 };
  }
}

/** Values of a decoder output kept strictly inside a sigmoid's (0, 1) or a tanh's (-1, 1). */
const OUTPUT_MARGIN = 1e-3;

/**
 * Per-component linearisation of a decoder output activation g about the target's mean mu: the
 * pre-activation p = g^-1(mu) (mu clamped OUTPUT_MARGIN inside g's range) and the slope g'(p), so that
 * g(p + (y - mu) / g'(p)) = y + O((y - mu)^2). Exact for linear and (above 0) relu outputs.
 */
function outputLinearisation(activation: AutoencoderActivation, mu: number): { pre: number; slope: number } {
  switch (activation) {
    case 'sigmoid': {
      const m = Math.min(1 - OUTPUT_MARGIN, Math.max(OUTPUT_MARGIN, mu));
      return { pre: Math.log(m / (1 - m)), slope: m * (1 - m) };
    }
    case 'tanh': {
      const m = Math.min(1 - OUTPUT_MARGIN, Math.max(-1 + OUTPUT_MARGIN, mu));
      return { pre: Math.atanh(m), slope: 1 - m * m };
    }
    default:
      return { pre: mu, slope: 1 };
  }
}

/**
 * Greedy layer-wise covariance (PCA) init, built so that the untrained network computes the PCA
 * projection x^ = mean + U_k U_k^T (x - mean) also when its layers are nonlinear. Encoder layer i gets
 * the top layers[i+1] eigenvectors U_i of the biased covariance of its input a_i (the data for i = 0,
 * else the previous layer's activations), with mean m_i and top eigenvalue lambda_i:
 *
 *   encoder: W = eps U_i, b = c - eps U_i^T m_i, eps = scale / sqrt(lambda_i),
 *
 * so every code pre-activation sits at the activation's linear operating point (c, slope s, value f(c);
 * see operatingPoint) with a standard deviation <= scale, and code = f(c) + s eps U_i^T (a_i - m_i) +
 * O(eps^3). The mirrored decoder layer undoes the scaling and the offset, and linearises its own output
 * activation g about m_i per component r (pre-activation p_r = g^-1(m_ir), slope g_r = g'(p_r)):
 *
 *   decoder: W[a][r] = U_i[r][a] / (s eps g_r), b_r = p_r - f(c) sum_a U_i[r][a] / (s eps g_r).
 *
 * For a linear layer eps = 1 and this is the classic construction (encoder U, bias -U^T m; decoder U^T,
 * bias m), exact. For sigmoid/tanh/relu codes with a linear output it converges to the PCA projection as
 * scale -> 0 (the loss excess is O(scale^4): the cubic error lies in span(U), orthogonal to the PCA
 * residual). With a sigmoid/tanh output the output linearisation is first order in the data's own
 * fluctuations, so it is an approximation at any scale.
 *
 * This is the "network parameters directly from the data set" of P3 (arXiv 2012.03531; abstract and
 * introduction) taken into the nonlinearity's linear regime; the plain construction without the scaling
 * (sigmoid code of U^T (x - mean), decoder U^T, bias mean) leaves the code at amplitude sqrt(lambda_1),
 * deep in the sigmoid's curvature, and ignores the 1/2 offset and the 1/4 slope: on MNIST digits with
 * k = 16 it gave twice the PCA loss.
 */
function covarianceInitKernel(
  model: Autoencoder<FloatArray>,
  data: ArrayLike<number>,
  scale: number,
  where: string,
): void {
  const { layers, activations } = model;
  const h = layers.length - 1;
  for (let i = 0; i < h; i++) {
    if (layers[i + 1]! > layers[i]!)
      throw domainError(
        `${where}: layers[${i + 1}]`,
        `at most layers[${i}] = ${layers[i]} for the covariance init`,
        layers[i + 1],
      );
  }
  if (model.tied && activations.some((a) => a !== 'linear'))
    throw domainError(
      `${where}: tied`,
      'false for the covariance init of a nonlinear autoencoder (a tied decoder W^T cannot undo the encoder scaling into the linear regime), or linear activations',
      model.tied,
    );
  const n = checkData(data, layers[0]!, `${where}: init.data`);
  let current: ArrayLike<number> = data;
  for (let i = 0; i < h; i++) {
    const d = layers[i]!;
    const k = layers[i + 1]!;
    const {
      weights: u,
      mean,
      eigenvalues,
    } = covarianceInitialWeights({ data: current, rows: current.length / d, cols: d }, k);
    const encAct = activations[i]!;
    const decoder = h - 1 - i; // the decoder op mapping layers[i+1] -> layers[i]
    const decAct = activations[h + decoder]!;
    const op = operatingPoint(encAct);
    const top = Math.max(0, eigenvalues[0]!);
    const eps = encAct === 'linear' ? 1 : top > 0 ? scale / Math.sqrt(top) : scale;
    const enc = model.weights[i]!;
    for (let q = 0; q < d * k; q++) enc[q] = eps * u[q]!;
    const b = model.biases[i]!;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += u[r * k + a]! * mean[r]!;
      b[a] = op.c - eps * s;
    }
    const c = model.biases[h + decoder]!;
    const dec = model.tied ? undefined : model.weights[h + decoder]!; // k x d
    for (let r = 0; r < d; r++) {
      const lin = outputLinearisation(decAct, mean[r]!);
      const gain = 1 / (op.slope * eps * lin.slope);
      let rowSum = 0;
      for (let a = 0; a < k; a++) {
        const w = u[r * k + a]! * gain;
        if (dec) dec[a * d + r] = w;
        rowSum += w;
      }
      c[r] = lin.pre - op.value * rowSum;
    }
    if (i < h - 1) {
      // the next layer's input: this layer's activations (in float64, from the model's rounded weights)
      const next = new Float64Array(n * k);
      const w64 = Float64Array.from(enc);
      const b64 = Float64Array.from(b);
      const x64 = Float64Array.from(current);
      denseForwardKernel(x64, n, d, k, w64, false, b64, next);
      activationKernel(encAct, next, next, n, k);
      current = next;
    }
  }
}

/** A copy of a model with every weight and bias array on a SharedArrayBuffer (for a threaded product). */
function sharedAutoencoderCopy<T extends FloatArray>(model: Autoencoder<T>): Autoencoder<T> {
  return {
    ...model,
    layers: model.layers.slice(),
    activations: model.activations.slice(),
    weights: model.weights.map((w) => sharedFloatCopy(w)),
    biases: model.biases.map((b) => sharedFloatCopy(b)),
  };
}

/** A deep copy (typed arrays copied). O(parameters). */
export function cloneAutoencoder<T extends FloatArray>(model: Autoencoder<T>): Autoencoder<T> {
  return {
    ...model,
    layers: model.layers.slice(),
    activations: model.activations.slice(),
    weights: model.weights.map((w) => w.slice() as T),
    biases: model.biases.map((b) => b.slice() as T),
  };
}

/**
 * Codes of a data set: the encoder's output, n x code (row-major), in the model's precision.
 * Cost O(n sum of encoder layer products).
 * @param data - n x d values, row-major.
 * @param out - optional n x code array of the model's precision to write into (must not alias `data`).
 * @throws StateError for a malformed model; ShapeError/DomainError for bad data or `out`.
 * @example
 * ```ts
 * import { autoencoderEncode, createAutoencoder, createRng, matrix } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(1) });
 * const codes = autoencoderEncode(ae, matrix(new Float64Array(3 * 16).fill(0.5), 3, 16)); // 3 x 4 codes in (0, 1)
 * ```
 */
export function encode<T extends FloatArray>(
  model: Autoencoder<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: T,
): Matrix<T> {
  checkAutoencoder(model, 'encode: model');
  const data = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'encode: data');
  const n = checkData(data, model.layers[0]!, 'encode: data');
  const ops = autoencoderOps(model).slice(0, model.layers.length - 1);
  const code = model.layers[model.layers.length - 1]!;
  const y = forwardInChunks(ops, model.weights, model.biases, model.dtype, data, n, out, 'encode: out') as T;
  return { data: y, rows: n, cols: code };
}

/**
 * Decoder output for codes (n x code, row-major): n x d in the model's precision, into `out` if given.
 * @throws StateError for a malformed model; ShapeError/DomainError for bad codes.
 * @example
 * ```ts
 * import { autoencoderDecode, autoencoderEncode, createAutoencoder, createRng, matrix } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(1) });
 * const codes = autoencoderEncode(ae, matrix(new Float64Array(3 * 16).fill(0.5), 3, 16)); // 3 x 4
 * const x = autoencoderDecode(ae, codes); // 3 x 16 Matrix: 3 reconstructed samples
 * ```
 */
export function decode<T extends FloatArray>(
  model: Autoencoder<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: T,
): Matrix<T> {
  checkAutoencoder(model, 'decode: model');
  const code = model.layers[model.layers.length - 1]!;
  const codes = matrixEntries(batch, code, 'the code size', 'decode: codes');
  const n = checkData(codes, code, 'decode: codes');
  const ops = autoencoderOps(model).slice(model.layers.length - 1);
  const y = forwardInChunks(ops, model.weights, model.biases, model.dtype, codes, n, out, 'decode: out') as T;
  return { data: y, rows: n, cols: model.layers[0]! };
}

/**
 * decode(encode(data)), n x d (into `out` if given). Cost: one forward pass. @throws as {@link encode}.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix, reconstruct } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(1) });
 * const xHat = reconstruct(ae, matrix(new Float64Array(3 * 16).fill(0.5), 3, 16)); // 3 x 16, decode(encode(x))
 * ```
 */
export function reconstruct<T extends FloatArray>(
  model: Autoencoder<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: T,
): Matrix<T> {
  checkAutoencoder(model, 'reconstruct: model');
  const data = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'reconstruct: data');
  const n = checkData(data, model.layers[0]!, 'reconstruct: data');
  const ops = autoencoderOps(model);
  const y = forwardInChunks(
    ops,
    model.weights,
    model.biases,
    model.dtype,
    data,
    n,
    out,
    'reconstruct: out',
  ) as T;
  return { data: y, rows: n, cols: model.layers[0]! };
}

function checkLossFor(model: Autoencoder<FloatArray>, loss: unknown, name: string): AutoencoderLoss {
  const l = checkOneOf(loss, name, ['mse', 'bce'] as const);
  if (l === 'bce' && model.activations[model.activations.length - 1] !== 'sigmoid') {
    throw domainError(name, "'mse' (the bce loss needs a sigmoid output layer)", l);
  }
  return l;
}

/**
 * Mean reconstruction loss over a data set (per element, see the module comment). Cost: one forward pass.
 * @param loss - 'mse' (default) or 'bce' (sigmoid output, data in [0, 1]).
 * @throws StateError for a malformed model; ShapeError/DomainError for bad data or loss.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix, reconstructionLoss } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(1) });
 * const mse = reconstructionLoss(ae, matrix(new Float64Array(10 * 16).fill(0.5), 10, 16)); // mean squared error per element
 * ```
 */
export function reconstructionLoss(
  model: Autoencoder<FloatArray>,
  batch: Matrix<ArrayLike<number>>,
  loss: AutoencoderLoss = 'mse',
): number {
  checkAutoencoder(model, 'reconstructionLoss: model');
  const data = matrixEntries(batch, model.layers[0]!, 'model.layers[0]', 'reconstructionLoss: data');
  const l = checkLossFor(model, loss, 'reconstructionLoss: loss');
  const n = checkData(data, model.layers[0]!, 'reconstructionLoss: data');
  if (l === 'bce') checkUnitInterval(data, 'reconstructionLoss: data');
  const ops = autoencoderOps(model);
  const ws = createDenseWorkspace(ops, model.weights, model.biases, Math.min(n, 256), model.dtype);
  return evaluateStack(ops, model.weights, model.biases, data, n, { kind: 'self' }, l, ws).loss;
}

/** Loss and gradient of an autoencoder on a batch. */
export interface AutoencoderGradient<T extends FloatArray> {
  /** Mean loss per element. */
  readonly loss: number;
  /** dLoss/dweights, same shapes as model.weights (tied weights: the sum of both uses). */
  readonly gradWeights: T[];
  /** dLoss/dbiases, same shapes as model.biases. */
  readonly gradBiases: T[];
}

/**
 * Loss and exact gradient (backpropagation) of the mean per-element reconstruction loss over `data`
 * (one batch, all rows at once). Cost about 3 forward passes; memory O(n sum of layer sizes).
 * @throws as {@link reconstructionLoss}.
 */
export function autoencoderLossAndGradient<T extends FloatArray>(
  model: Autoencoder<T>,
  data: ArrayLike<number>,
  loss: AutoencoderLoss = 'mse',
): AutoencoderGradient<T> {
  const where = 'autoencoderLossAndGradient';
  checkAutoencoder(model, `${where}: model`);
  const l = checkLossFor(model, loss, `${where}: loss`);
  const d = model.layers[0]!;
  const n = checkData(data, d, `${where}: data`);
  if (l === 'bce') checkUnitInterval(data, `${where}: data`);
  const ops = autoencoderOps(model);
  const ws = createDenseWorkspace(ops, model.weights, model.biases, n, model.dtype);
  for (let i = 0; i < n * d; i++) ws.input[i] = data[i]!;
  const scale = 1 / (n * d);
  const sum = stackLossKernel(ops, model.weights, model.biases, ws.input, ws.input, n, l, ws, true, scale);
  return { loss: sum * scale, gradWeights: ws.gradWeights as T[], gradBiases: ws.gradBiases as T[] };
}

/** Options of {@link trainAutoencoder}. */
export interface TrainAutoencoderOptions {
  /** Total number of epochs (>= 1). */
  readonly epochs: number;
  /** Minibatch size (>= 1; the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  /** Optimiser settings (see optim.ts), default `DEFAULT_OPTIMIZER`; weight decay / L1 apply to weights, not biases. */
  readonly optimizer?: OptimizerConfig;
  /** Default 'mse'. */
  readonly loss?: AutoencoderLoss;
  /** Shuffles the data every epoch. */
  readonly rng: Rng;
  /** Validation data (m x d); its loss is reported each epoch and monitored for `targetLoss`. */
  readonly validation?: Matrix<ArrayLike<number>>;
  /** Stop as soon as the monitored loss (validation if given, else the epoch's training loss) <= targetLoss. */
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

/** A training checkpoint: plain data, serialisable; {@link resumeAutoencoderTraining} continues it bit-identically. */
export interface AutoencoderCheckpoint<T extends FloatArray = Float64Array> {
  readonly kind: 'autoencoder-checkpoint';
  readonly version: 1;
  readonly model: Autoencoder<T>;
  readonly optimizer: OptimizerState;
  /** State of the shuffling generator after the last completed epoch. */
  readonly rng: RngState;
  /** Epochs completed. */
  readonly epoch: number;
  readonly history: EpochMetrics[];
  readonly settings: DenseTrainSettings;
}

/** Result of {@link trainAutoencoder} / {@link resumeAutoencoderTraining}. */
export interface AutoencoderTrainingResult<T extends FloatArray = Float64Array> {
  /** The trained model (a new object; the input model is not modified). */
  readonly model: Autoencoder<T>;
  /** One entry per epoch since the start of training (including epochs before a resume). */
  readonly history: EpochMetrics[];
  /** Epochs run by this call. */
  readonly epochsRun: number;
  /** True if training stopped because `targetLoss` was reached (then `history.at(-1).epoch` says when). */
  readonly reachedTarget: boolean;
  readonly checkpoint: AutoencoderCheckpoint<T>;
}

function cloneCheckpointParts<T extends FloatArray>(
  model: Autoencoder<T>,
  optimizer: OptimizerState,
  rng: Rng,
  epoch: number,
  history: EpochMetrics[],
  settings: DenseTrainSettings,
): AutoencoderCheckpoint<T> {
  return {
    kind: 'autoencoder-checkpoint',
    version: 1,
    model: cloneAutoencoder(model),
    optimizer: cloneOptimizerState(optimizer),
    rng: rng.save(),
    epoch,
    history: history.slice(),
    settings: { ...settings },
  };
}

function runAutoencoderTraining<T extends FloatArray>(
  where: string,
  start: Autoencoder<T>,
  batch: Matrix<ArrayLike<number>>,
  validationBatch: Matrix<ArrayLike<number>> | undefined,
  settings: DenseTrainSettings,
  optimizer: OptimizerState,
  rng: Rng,
  startEpoch: number,
  history: EpochMetrics[],
  run: RunOptions | undefined,
  gemm: GemmKernelFunction,
): AutoencoderTrainingResult<T> {
  const d = start.layers[0]!;
  const data = matrixEntries(batch, d, 'model.layers[0]', `${where}: data`);
  const validation =
    validationBatch === undefined
      ? undefined
      : matrixEntries(validationBatch, d, 'model.layers[0]', `${where}: options.validation`);
  const n = checkData(data, d, `${where}: data`);
  checkTrainingWork(
    where,
    settings.epochs,
    n,
    start.weights.reduce((sum, w) => sum + w.length, 0),
  );
  if (settings.loss === 'bce') checkUnitInterval(data, `${where}: data`);
  let validationSpec: { x: ArrayLike<number>; n: number; targets: { kind: 'self' } } | undefined;
  if (validation !== undefined) {
    const m = checkData(validation, d, `${where}: options.validation`);
    if (settings.loss === 'bce') checkUnitInterval(validation, `${where}: options.validation`);
    validationSpec = { x: validation, n: m, targets: { kind: 'self' } };
  }
  // a threaded product reads and writes the parameters from its workers: train on shared copies
  const shared = gemm !== gemmKernel;
  const model = shared ? sharedAutoencoderCopy(start) : cloneAutoencoder(start);
  const { epochsRun, reachedTarget } = denseTrainingLoop({
    where,
    ops: autoencoderOps(model),
    weights: model.weights,
    biases: model.biases,
    dtype: model.dtype,
    x: data,
    n,
    targets: { kind: 'self' },
    ...(validationSpec ? { validation: validationSpec } : {}),
    settings,
    startEpoch,
    optimizer,
    rng,
    history,
    snapshot: () => cloneAutoencoder(model),
    ...(run ? { run } : {}),
    gemm,
  });
  const epoch = startEpoch + epochsRun;
  return {
    model: shared ? cloneAutoencoder(model) : model,
    history,
    epochsRun,
    reachedTarget,
    checkpoint: cloneCheckpointParts(model, optimizer, rng, epoch, history, settings),
  };
}

function optimizerFor(
  model: Autoencoder<FloatArray>,
  config: OptimizerConfig,
  where: string,
): OptimizerState {
  const sizes = [...model.weights.map((w) => w.length), ...model.biases.map((b) => b.length)];
  const regularized = [...model.weights.map(() => true), ...model.biases.map(() => false)];
  try {
    return createOptimizer(config, sizes, regularized);
  } catch (e) {
    if (e instanceof Error)
      e.message = e.message.replace('createOptimizer: config', `${where}: options.optimizer`);
    throw e;
  }
}

/**
 * Train an autoencoder by minibatch gradient descent on the mean per-element reconstruction loss. The
 * input model is not modified. After each epoch `onProgress({ stage: 'epoch', done, total, metrics:
 * { trainLoss, validationLoss? } })`; `signal` is checked before every batch.
 * Cost per epoch about 3 n sum(layer products) flops x 2 (e.g. 784-256-784, n = 10^4: 2.0e10 flop).
 * @param data - n x d training data, row-major (any numeric array; copied batch by batch into the model's precision).
 * @throws StateError for a malformed model; ShapeError/DomainError naming the bad argument (data length,
 *   NaN data, data outside [0, 1] for bce, epochs, batchSize, learning rate <= 0, ...); DivergenceError
 *   (lastGood: the model at the start of the failing epoch) on NaN/Inf/exploding parameters; AbortError.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix, trainAutoencoder } from 'coarsegrain';
 * const data = matrix(createRng(1).fillUniform(new Float64Array(200 * 16)), 200, 16); // 200 samples x 16 in [0, 1)
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(2) });
 * const { model, history } = trainAutoencoder(ae, data, {
 *   epochs: 5,
 *   batchSize: 50,
 *   rng: createRng(3),
 *   optimizer: { kind: 'adam', learningRate: 1e-2 },
 * });
 * history[4]!.trainLoss; // MSE per element: 0.30 after epoch 1, 0.10 after 5, still falling (data variance 1/12)
 * ```
 */
export function trainAutoencoder<T extends FloatArray>(
  model: Autoencoder<T>,
  data: Matrix<ArrayLike<number>>,
  options: TrainAutoencoderOptions,
  run?: RunOptions,
): AutoencoderTrainingResult<T> {
  run = checkOptions(run, 'trainAutoencoder: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'trainAutoencoder: options', TRAIN_AUTOENCODER_OPTIONS_KEYS, true);
  const where = 'trainAutoencoder';
  checkAutoencoder(model, `${where}: model`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${where}: options`, 'an options object', options);
  const epochs = checkInteger(options.epochs, `${where}: options.epochs`, 1);
  const batchSize = checkInteger(options.batchSize, `${where}: options.batchSize`, 1);
  const loss = checkLossFor(model, options.loss ?? 'mse', `${where}: options.loss`);
  const rng = options.rng;
  if (!rng || typeof rng.save !== 'function') throw domainError(`${where}: options.rng`, 'an Rng', rng);
  const settings: DenseTrainSettings = {
    epochs,
    batchSize,
    loss,
    maxAbsParameter: checkPositive(options.maxAbsParameter ?? 1e8, `${where}: options.maxAbsParameter`),
    ...(options.targetLoss !== undefined
      ? { targetLoss: checkFinite(options.targetLoss, `${where}: options.targetLoss`) }
      : {}),
  };
  const optimizer = optimizerFor(model, options.optimizer ?? DEFAULT_OPTIMIZER, where);
  const gemm = checkGemmOption(options.gemm, `${where}: options.gemm`);
  return runAutoencoderTraining(
    where,
    model,
    data,
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

/** Options of {@link resumeAutoencoderTraining}; anything omitted is taken from the checkpoint. */
export interface ResumeAutoencoderOptions {
  /** New total number of epochs (default: the checkpoint's). */
  readonly epochs?: number;
  readonly validation?: Matrix<ArrayLike<number>>;
  readonly targetLoss?: number;
  /** As {@link TrainAutoencoderOptions.gemm} (not kept in the checkpoint; default `gemmKernel`). */
  readonly gemm?: GemmKernelFunction;
}

/**
 * Continue training from a checkpoint (model, optimiser moments, rng state, epoch, settings). With the
 * same data and options, train(k epochs) -> resume(to m epochs) is bit-identical to train(m epochs).
 * @throws StateError for a checkpoint of another kind or version; otherwise as {@link trainAutoencoder}.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix, resumeAutoencoderTraining, trainAutoencoder } from 'coarsegrain';
 * const data = matrix(createRng(1).fillUniform(new Float64Array(100 * 16)), 100, 16); // 100 samples x 16 in [0, 1)
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(2) });
 * const first = trainAutoencoder(ae, data, { epochs: 2, batchSize: 20, rng: createRng(3) });
 * const more = resumeAutoencoderTraining(first.checkpoint, data, { epochs: 4 }); // bit-identical to 4 epochs at once
 * more.history.length; // 4
 * ```
 */
export function resumeAutoencoderTraining<T extends FloatArray>(
  checkpoint: AutoencoderCheckpoint<T>,
  data: Matrix<ArrayLike<number>>,
  options: ResumeAutoencoderOptions = {},
  run?: RunOptions,
): AutoencoderTrainingResult<T> {
  run = checkOptions(run, 'resumeAutoencoderTraining: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'resumeAutoencoderTraining: options', RESUME_AUTOENCODER_OPTIONS_KEYS);
  const where = 'resumeAutoencoderTraining';
  if (checkpoint?.kind !== 'autoencoder-checkpoint' || checkpoint.version !== 1) {
    throw new StateError(
      `${where}: checkpoint: expected an autoencoder-checkpoint of version 1, received kind ${String(checkpoint?.kind)} version ${String(checkpoint?.version)}`,
    );
  }
  checkAutoencoder(checkpoint.model, `${where}: checkpoint.model`);
  const epochs = checkInteger(options.epochs ?? checkpoint.settings.epochs, `${where}: options.epochs`, 1);
  const base = checkpoint.settings;
  const settings: DenseTrainSettings = {
    epochs,
    batchSize: checkInteger(base.batchSize, `${where}: checkpoint.settings.batchSize`, 1),
    loss: checkLossFor(checkpoint.model, base.loss, `${where}: checkpoint.settings.loss`),
    maxAbsParameter: checkPositive(base.maxAbsParameter, `${where}: checkpoint.settings.maxAbsParameter`),
    ...(options.targetLoss !== undefined
      ? { targetLoss: checkFinite(options.targetLoss, `${where}: options.targetLoss`) }
      : base.targetLoss !== undefined
        ? { targetLoss: base.targetLoss }
        : {}),
  };
  const epoch = checkInteger(checkpoint.epoch, `${where}: checkpoint.epoch`, 0);
  return runAutoencoderTraining(
    where,
    checkpoint.model,
    data,
    options.validation,
    settings,
    cloneOptimizerState(checkpoint.optimizer),
    restoreRng(checkpoint.rng),
    epoch,
    checkpoint.history.slice(),
    run,
    checkGemmOption(options.gemm, `${where}: options.gemm`),
  );
}
