/**
 * Dense (fully connected) layers and stacks of them: the building block of the autoencoders and the MLP.
 * A layer computes `y = f(x W + b)` for a batch of `rows` inputs at once, with W stored `nIn x nOut`
 * row-major (or `nOut x nIn` and used transposed, for tied decoder weights). Every matrix product goes
 * through {@link gemmKernel}. Two tiers: `*Kernel` functions (unchecked, allocation-free, write into
 * preallocated buffers) and checked wrappers.
 * @module
 */

import { DivergenceError } from '../core/errors.js';
import { gemmKernel } from '../core/gemm.js';
import type { RunOptions } from '../core/progress.js';
import { permutation, type Rng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import {
  checkAbort,
  checkAllFinite,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  shapeError,
} from '../core/validate.js';
import { type OptimizerConfig, type OptimizerState, optimizerStepAllKernel } from './optim.js';

/** Element-wise (or, for softmax, row-wise) activation functions. */
export type Activation = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'softmax';

/** All activations, in a fixed order. */
export const ACTIVATIONS: readonly Activation[] = Object.freeze([
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'softmax',
] as const);

/** Floating-point precision of a model's parameters and work buffers. */
export type DType = 'float32' | 'float64';

/** The typed-array class of a {@link DType}. */
export type ArrayFor<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

/** A zeroed array of `n` elements of precision `dtype`. */
export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** The {@link DType} of a float array. */
export function floatDType(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * Unchecked: `y = f(z)` for a `rows x cols` block (softmax is taken over each row). `y` may alias `z`.
 * O(rows cols).
 */
export function activationKernel(
  activation: Activation,
  z: FloatArray,
  y: FloatArray,
  rows: number,
  cols: number,
): void {
  const n = rows * cols;
  switch (activation) {
    case 'linear':
      if (y !== z) for (let i = 0; i < n; i++) y[i] = z[i]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          y[i] = e / (1 + e);
        }
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(z[i]!);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        y[i] = Math.max(v, 0);
      }
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < cols; j++) if (z[o + j]! > max) max = z[o + j]!;
        let sum = 0;
        for (let j = 0; j < cols; j++) {
          const e = Math.exp(z[o + j]! - max);
          y[o + j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = 0; j < cols; j++) y[o + j]! *= inv;
      }
      return;
  }
}

/**
 * Unchecked chain rule through an activation: `dz = dy * f'(z)`, with f' expressed through the output
 * `y = f(z)` (sigmoid: y(1-y); tanh: 1-y^2; relu: [y > 0]; softmax: y_j (dy_j - sum_k dy_k y_k)).
 * `dz` may alias `dy`. O(rows cols).
 */
export function activationBackwardKernel(
  activation: Activation,
  y: FloatArray,
  dy: FloatArray,
  dz: FloatArray,
  rows: number,
  cols: number,
): void {
  const n = rows * cols;
  switch (activation) {
    case 'linear':
      if (dz !== dy) for (let i = 0; i < n; i++) dz[i] = dy[i]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dz[i] = dy[i]! * v * (1 - v);
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dz[i] = dy[i]! * (1 - v * v);
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) dz[i] = y[i]! > 0 ? dy[i]! : 0;
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let s = 0;
        for (let j = 0; j < cols; j++) s += dy[o + j]! * y[o + j]!;
        for (let j = 0; j < cols; j++) dz[o + j] = y[o + j]! * (dy[o + j]! - s);
      }
      return;
  }
}

/**
 * Unchecked affine map `z = x op(W) + b` for `rows` inputs: x is rows x nIn, z is rows x nOut (both
 * row-major, from offset 0). W is stored nIn x nOut, or nOut x nIn when `transposed` (then op(W) = W^T).
 * `z` must not alias `x` or `w`. Cost O(rows nIn nOut).
 */
export function denseForwardKernel(
  x: FloatArray,
  rows: number,
  nIn: number,
  nOut: number,
  w: FloatArray,
  transposed: boolean,
  b: FloatArray,
  z: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * nOut;
    for (let j = 0; j < nOut; j++) z[o + j] = b[j]!;
  }
  if (transposed) gemmKernel(false, true, rows, nOut, nIn, 1, x, 0, nIn, w, 0, nIn, 1, z, 0, nOut);
  else gemmKernel(false, false, rows, nOut, nIn, 1, x, 0, nIn, w, 0, nOut, 1, z, 0, nOut);
}

/**
 * Unchecked backward pass of {@link denseForwardKernel}: given `dz = dLoss/dz` (rows x nOut) and the
 * layer input `x` (rows x nIn), writes
 * - `gW` = x^T dz (nIn x nOut; or dz^T x, nOut x nIn, when `transposed`), added to `gW` if `accumulate`
 *   (for weights shared by two layers) and overwriting it otherwise;
 * - `gB` = column sums of dz (overwritten);
 * - `dx` = dz op(W)^T (rows x nIn), unless `dx` is null.
 * No output may alias an input. Cost O(rows nIn nOut) per product (two or three products).
 */
export function denseBackwardKernel(
  x: FloatArray,
  dz: FloatArray,
  rows: number,
  nIn: number,
  nOut: number,
  w: FloatArray,
  transposed: boolean,
  gW: FloatArray,
  gB: FloatArray,
  dx: FloatArray | null,
  accumulate: boolean,
): void {
  const beta = accumulate ? 1 : 0;
  if (transposed) gemmKernel(true, false, nOut, nIn, rows, 1, dz, 0, nOut, x, 0, nIn, beta, gW, 0, nIn);
  else gemmKernel(true, false, nIn, nOut, rows, 1, x, 0, nIn, dz, 0, nOut, beta, gW, 0, nOut);
  for (let j = 0; j < nOut; j++) gB[j] = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * nOut;
    for (let j = 0; j < nOut; j++) gB[j]! += dz[o + j]!;
  }
  if (dx) {
    if (transposed) gemmKernel(false, false, rows, nIn, nOut, 1, dz, 0, nOut, w, 0, nIn, 0, dx, 0, nIn);
    else gemmKernel(false, true, rows, nIn, nOut, 1, dz, 0, nOut, w, 0, nOut, 0, dx, 0, nIn);
  }
}

/** A single dense layer as plain data: `y = activation(x W + b)`. */
export interface DenseLayer<T extends FloatArray = Float64Array> {
  readonly kind: 'dense';
  readonly version: 1;
  readonly nIn: number;
  readonly nOut: number;
  readonly activation: Activation;
  /** nIn x nOut, row-major. */
  readonly weights: T;
  /** Length nOut. */
  readonly bias: T;
}

/** Weight initialisation for dense layers. `'xavier'`: Glorot uniform, limit sqrt(6 / (nIn + nOut)). */
export type DenseInit =
  | 'xavier'
  | { readonly kind: 'xavier' }
  | { readonly kind: 'gaussian'; readonly sigma?: number };

/** Unchecked: fill `w` (nIn x nOut) by `init` from `rng`. Gaussian sigma defaults to 0.05. */
export function initWeightsKernel(w: FloatArray, nIn: number, nOut: number, init: DenseInit, rng: Rng): void {
  const kind = typeof init === 'string' ? init : init.kind;
  if (kind === 'gaussian') {
    const sigma = (init as { sigma?: number }).sigma ?? 0.05;
    for (let i = 0; i < w.length; i++) w[i] = sigma * rng.normal();
  } else {
    const limit = Math.sqrt(6 / (nIn + nOut));
    for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.uniform() - 1);
  }
}

/** Validate a {@link DenseInit}; returns it. */
export function checkDenseInit(init: unknown, name: string): DenseInit {
  if (init === 'xavier') return init;
  if (init === null || typeof init !== 'object') throw domainError(name, "'xavier' or an init object", init);
  const kind = checkOneOf((init as { kind: unknown }).kind, `${name}.kind`, ['xavier', 'gaussian'] as const);
  if (kind === 'gaussian') {
    const sigma = (init as { sigma?: unknown }).sigma;
    if (sigma !== undefined) checkPositive(sigma, `${name}.sigma`);
  }
  return init as DenseInit;
}

/**
 * Create a dense layer with weights drawn from `rng` (Xavier by default) and zero bias.
 * @throws DomainError for non-positive sizes, an unknown activation or init.
 * @example createDenseLayer({ nIn: 4, nOut: 2, activation: 'tanh', rng: createRng(1) }).weights.length // 8
 */
export function createDenseLayer<D extends DType = 'float64'>(options: {
  readonly nIn: number;
  readonly nOut: number;
  readonly activation: Activation;
  readonly rng: Rng;
  readonly dtype?: D;
  readonly init?: DenseInit;
}): DenseLayer<ArrayFor<D>> {
  options = checkOptions(
    options,
    'createDenseLayer: options',
    ['nIn', 'nOut', 'activation', 'rng', 'dtype', 'init'],
    true,
  );
  const nIn = checkInteger(options?.nIn, 'createDenseLayer: nIn', 1);
  const nOut = checkInteger(options.nOut, 'createDenseLayer: nOut', 1);
  checkLimit(nIn * nOut, 'createDenseLayer: nIn x nOut');
  const activation = checkOneOf(options.activation, 'createDenseLayer: activation', ACTIVATIONS);
  const dtype = checkOneOf(options.dtype ?? 'float64', 'createDenseLayer: dtype', [
    'float32',
    'float64',
  ] as const);
  const init = checkDenseInit(options.init ?? 'xavier', 'createDenseLayer: init');
  if (!options.rng || typeof options.rng.uniform !== 'function')
    throw domainError('createDenseLayer: rng', 'an Rng', options.rng);
  const weights = allocFloat(dtype, nIn * nOut);
  initWeightsKernel(weights, nIn, nOut, init, options.rng);
  return {
    kind: 'dense',
    version: 1,
    nIn,
    nOut,
    activation,
    weights: weights as ArrayFor<D>,
    bias: allocFloat(dtype, nOut) as ArrayFor<D>,
  };
}

/**
 * Checked forward pass of one layer over a batch: returns `activation(x W + b)`, rows x nOut, of the
 * layer's precision. Cost O(rows nIn nOut).
 * @param x - rows * nIn inputs, row-major.
 * @throws ShapeError if x.length is not a positive multiple of nIn; DomainError on non-finite input.
 */
export function denseForward<T extends FloatArray>(layer: DenseLayer<T>, x: ArrayLike<number>): T {
  if (layer?.kind !== 'dense') throw domainError('denseForward: layer', 'a DenseLayer', layer);
  const rows = x.length / layer.nIn;
  if (!Number.isInteger(rows) || rows < 1)
    throw shapeError('denseForward: x', `a positive multiple of ${layer.nIn} elements`, `${x.length}`);
  checkAllFinite(x, 'denseForward: x');
  const dtype = floatDType(layer.weights);
  const xin = allocFloat(dtype, x.length);
  for (let i = 0; i < x.length; i++) xin[i] = x[i]!;
  const out = allocFloat(dtype, rows * layer.nOut) as T;
  denseForwardKernel(xin, rows, layer.nIn, layer.nOut, layer.weights, false, layer.bias, out);
  activationKernel(layer.activation, out, out, rows, layer.nOut);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Stacks of dense layers (shared by autoencoders and MLPs)

/** One layer of a stack: sizes, activation, and which weight / bias array of the model it uses. */
export interface DenseOp {
  readonly nIn: number;
  readonly nOut: number;
  readonly activation: Activation;
  /** Index into the model's weight list. */
  readonly weight: number;
  /** True when the weight array is stored nOut x nIn and used transposed (tied weights). */
  readonly transposed: boolean;
  /** Index into the model's bias list. */
  readonly bias: number;
}

/** Preallocated buffers for forward and backward passes over up to `maxRows` rows. */
export interface DenseWorkspace<T extends FloatArray = FloatArray> {
  readonly maxRows: number;
  /** Output of each op (maxRows x nOut). */
  readonly outputs: T[];
  /** Pre-activation of the last op (maxRows x nOut). */
  readonly logits: T;
  /** dLoss/d(pre-activation) of each op (maxRows x nOut). */
  readonly deltas: T[];
  /** Input batch buffer (maxRows x nIn of the first op). */
  readonly input: T;
  /** Gradient of each weight array and each bias array. */
  readonly gradWeights: T[];
  readonly gradBiases: T[];
}

/** Allocate a workspace for `ops` over batches of up to `maxRows` rows. Memory O(maxRows sum nOut + params). */
export function createDenseWorkspace(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  maxRows: number,
  dtype: DType,
): DenseWorkspace {
  const last = ops[ops.length - 1]!;
  return {
    maxRows,
    outputs: ops.map((op) => allocFloat(dtype, maxRows * op.nOut)),
    logits: allocFloat(dtype, maxRows * last.nOut),
    deltas: ops.map((op) => allocFloat(dtype, maxRows * op.nOut)),
    input: allocFloat(dtype, maxRows * ops[0]!.nIn),
    gradWeights: weights.map((w) => allocFloat(dtype, w.length)),
    gradBiases: biases.map((b) => allocFloat(dtype, b.length)),
  };
}

/**
 * Unchecked forward pass of a stack over `rows` inputs `x` (rows x ops[0].nIn): writes each op's output
 * into `ws.outputs` and the last op's pre-activation into `ws.logits`. Returns the last output buffer.
 * Cost O(rows sum nIn nOut).
 */
export function stackForwardKernel(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  x: FloatArray,
  rows: number,
  ws: DenseWorkspace,
): FloatArray {
  let input = x;
  const nOps = ops.length;
  for (let l = 0; l < nOps; l++) {
    const op = ops[l]!;
    const out = ws.outputs[l]!;
    if (l === nOps - 1) {
      denseForwardKernel(
        input,
        rows,
        op.nIn,
        op.nOut,
        weights[op.weight]!,
        op.transposed,
        biases[op.bias]!,
        ws.logits,
      );
      activationKernel(op.activation, ws.logits, out, rows, op.nOut);
    } else {
      denseForwardKernel(
        input,
        rows,
        op.nIn,
        op.nOut,
        weights[op.weight]!,
        op.transposed,
        biases[op.bias]!,
        out,
      );
      activationKernel(op.activation, out, out, rows, op.nOut);
    }
    input = out;
  }
  return ws.outputs[nOps - 1]!;
}

/**
 * Unchecked backward pass after {@link stackForwardKernel} on the same `x` and `rows`: `ws.deltas[last]`
 * must hold dLoss/d(pre-activation of the last op). Writes every weight and bias gradient into
 * `ws.gradWeights` / `ws.gradBiases` (weights shared by several ops get the sum). Cost about twice the
 * forward pass.
 */
export function stackBackwardKernel(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  x: FloatArray,
  rows: number,
  ws: DenseWorkspace,
): void {
  for (let l = ops.length - 1; l >= 0; l--) {
    const op = ops[l]!;
    let accumulate = false;
    for (let m = l + 1; m < ops.length; m++) if (ops[m]!.weight === op.weight) accumulate = true;
    const input = l === 0 ? x : ws.outputs[l - 1]!;
    const dx = l === 0 ? null : ws.deltas[l - 1]!;
    denseBackwardKernel(
      input,
      ws.deltas[l]!,
      rows,
      op.nIn,
      op.nOut,
      weights[op.weight]!,
      op.transposed,
      ws.gradWeights[op.weight]!,
      ws.gradBiases[op.bias]!,
      dx,
      accumulate,
    );
    if (dx) activationBackwardKernel(ops[l - 1]!.activation, ws.outputs[l - 1]!, dx, dx, rows, op.nIn);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Losses on the output of a stack (sums over the batch; callers divide)

/** Loss functions. `'mse'`: squared error; `'bce'`: binary cross-entropy (sigmoid output, from logits); `'cross-entropy'`: softmax output with integer class labels. */
export type LossKind = 'mse' | 'bce' | 'cross-entropy';

/**
 * Unchecked mean-squared-error loss of `y` (rows x cols, output of `activation`) against `target`:
 * returns the SUM of squared errors; when `dz` is given writes dLoss/d(pre-activation) for the loss
 * `scale * sum`, i.e. dz = 2 scale (y - t) f'(z). O(rows cols).
 */
export function mseLossKernel(
  y: FloatArray,
  target: FloatArray,
  rows: number,
  cols: number,
  activation: Activation,
  dz: FloatArray | null,
  scale: number,
): number {
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - target[i]!;
    sum += e * e;
    if (dz) dz[i] = 2 * scale * e;
  }
  if (dz) activationBackwardKernel(activation, y, dz, dz, rows, cols);
  return sum;
}

/**
 * Unchecked binary cross-entropy from logits `z` (sigmoid outputs `y`) against targets in [0, 1]: returns
 * the SUM over elements of softplus(z) - t z = -[t log y + (1 - t) log(1 - y)] (stable for any z); when
 * `dz` is given writes dz = scale (y - t). O(rows cols).
 */
export function bceLossKernel(
  z: FloatArray,
  y: FloatArray,
  target: FloatArray,
  rows: number,
  cols: number,
  dz: FloatArray | null,
  scale: number,
): number {
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    const t = target[i]!;
    sum += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - t * zi;
    if (dz) dz[i] = scale * (y[i]! - t);
  }
  return sum;
}

/**
 * Unchecked softmax cross-entropy from logits `z` (softmax outputs `y`) against integer labels: returns
 * the SUM over rows of logsumexp(z_r) - z_r[label_r]; when `dz` is given writes dz = scale (y - onehot).
 * O(rows cols).
 */
export function softmaxCrossEntropyKernel(
  z: FloatArray,
  y: FloatArray,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  dz: FloatArray | null,
  scale: number,
): number {
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (z[o + j]! > max) max = z[o + j]!;
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(z[o + j]! - max);
    const label = labels[r]!;
    sum += max + Math.log(s) - z[o + label]!;
    if (dz) {
      for (let j = 0; j < cols; j++) dz[o + j] = scale * y[o + j]!;
      dz[o + label]! -= scale;
    }
  }
  return sum;
}

/**
 * Forward pass of a stack over a whole data set in chunks of 256 rows: returns the last op's outputs
 * (n x nOut), written into `out` when given (it must have that length, the model's precision, and not share
 * memory with `x`), else into a new array. Cost one forward pass; scratch O(256 sum of layer sizes).
 * @throws ShapeError naming `name` for a bad `out`.
 */
export function forwardInChunks(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  dtype: DType,
  x: ArrayLike<number>,
  n: number,
  out: FloatArray | undefined,
  name: string,
): FloatArray {
  const nIn = ops[0]!.nIn;
  const nOut = ops[ops.length - 1]!.nOut;
  if (out !== undefined) {
    const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
    if (!(out instanceof Ctor))
      throw shapeError(name, `a ${Ctor.name} (the model's precision)`, String(out?.constructor?.name));
    if (out.length !== n * nOut)
      throw shapeError(name, `length ${n * nOut} (n x ${nOut})`, `length ${out.length}`);
    if (ArrayBuffer.isView(x) && (x as unknown as FloatArray).buffer === out.buffer)
      throw shapeError(name, 'an array that does not share memory with the input', 'an aliased array');
  }
  const result = out ?? allocFloat(dtype, n * nOut);
  const chunk = Math.min(n, 256);
  const ws = createDenseWorkspace(ops, weights, biases, chunk, dtype);
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    const input = ws.input;
    const base = start * nIn;
    for (let i = 0; i < rows * nIn; i++) input[i] = x[base + i]!;
    const y = stackForwardKernel(ops, weights, biases, input, rows, ws);
    result.set(y.subarray(0, rows * nOut), start * nOut);
  }
  return result;
}

/** Targets of a stack: the input itself (autoencoders), real values (regression) or class labels. */
export type DenseTargets =
  | { readonly kind: 'self' }
  | { readonly kind: 'values'; readonly data: ArrayLike<number>; readonly width: number }
  | { readonly kind: 'labels'; readonly labels: ArrayLike<number> };

/** Normalising factor of a batch loss: per element for MSE/BCE, per sample for cross-entropy. */
export function lossScale(loss: LossKind, rows: number, cols: number): number {
  return loss === 'cross-entropy' ? 1 / rows : 1 / (rows * cols);
}

/**
 * Unchecked forward pass + loss (+ backward pass when `withGradient`) of a batch already in `x` (rows x
 * nIn) with its targets in `target` (rows x nOut values, or rows labels). Returns the SUM loss of the batch
 * (see {@link mseLossKernel}, {@link bceLossKernel}, {@link softmaxCrossEntropyKernel}); gradients of
 * `scale * sum` land in `ws.gradWeights` / `ws.gradBiases`.
 */
export function stackLossKernel(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  x: FloatArray,
  target: FloatArray | ArrayLike<number>,
  rows: number,
  loss: LossKind,
  ws: DenseWorkspace,
  withGradient: boolean,
  scale: number,
): number {
  const y = stackForwardKernel(ops, weights, biases, x, rows, ws);
  const last = ops[ops.length - 1]!;
  const dz = withGradient ? ws.deltas[ops.length - 1]! : null;
  let sum: number;
  if (loss === 'mse')
    sum = mseLossKernel(y, target as FloatArray, rows, last.nOut, last.activation, dz, scale);
  else if (loss === 'bce')
    sum = bceLossKernel(ws.logits, y, target as FloatArray, rows, last.nOut, dz, scale);
  else sum = softmaxCrossEntropyKernel(ws.logits, y, target, rows, last.nOut, dz, scale);
  if (withGradient) stackBackwardKernel(ops, weights, x, rows, ws);
  return sum;
}

/** Batch buffers for targets, allocated once per training or evaluation call. */
interface TargetBuffer {
  readonly values: FloatArray | null;
  readonly labels: Int32Array | null;
}

function createTargetBuffer(targets: DenseTargets, maxRows: number, dtype: DType): TargetBuffer {
  if (targets.kind === 'values') return { values: allocFloat(dtype, maxRows * targets.width), labels: null };
  if (targets.kind === 'labels') return { values: null, labels: new Int32Array(maxRows) };
  return { values: null, labels: null };
}

/** Copy rows `index[start..start+rows)` (or `start..` when index is null) of x and targets into the batch buffers. */
function gatherBatch(
  x: ArrayLike<number>,
  nIn: number,
  targets: DenseTargets,
  buf: TargetBuffer,
  ws: DenseWorkspace,
  index: Int32Array | null,
  start: number,
  rows: number,
): FloatArray | ArrayLike<number> {
  const input = ws.input;
  for (let r = 0; r < rows; r++) {
    const src = index ? index[start + r]! : start + r;
    const so = src * nIn;
    const dO = r * nIn;
    for (let j = 0; j < nIn; j++) input[dO + j] = x[so + j]!;
    if (targets.kind === 'values') {
      const w = targets.width;
      const data = targets.data;
      const vals = buf.values!;
      for (let j = 0; j < w; j++) vals[r * w + j] = data[src * w + j]!;
    } else if (targets.kind === 'labels') buf.labels![r] = targets.labels[src]!;
  }
  return targets.kind === 'self' ? input : targets.kind === 'values' ? buf.values! : buf.labels!;
}

/**
 * Loss of a whole data set under a stack, in chunks of `ws.maxRows` rows (no gradient). Returns the mean
 * loss (per element for MSE/BCE, per sample for cross-entropy) and, for labels, the fraction of rows whose
 * arg-max output equals the label. Cost one forward pass.
 */
export function evaluateStack(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  x: ArrayLike<number>,
  n: number,
  targets: DenseTargets,
  loss: LossKind,
  ws: DenseWorkspace,
): { loss: number; accuracy: number } {
  const nIn = ops[0]!.nIn;
  const nOut = ops[ops.length - 1]!.nOut;
  const buf = createTargetBuffer(targets, ws.maxRows, floatDType(ws.input));
  let sum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += ws.maxRows) {
    const rows = Math.min(ws.maxRows, n - start);
    const t = gatherBatch(x, nIn, targets, buf, ws, null, start, rows);
    sum += stackLossKernel(ops, weights, biases, ws.input, t, rows, loss, ws, false, 1);
    if (buf.labels) {
      const y = ws.outputs[ops.length - 1]!;
      for (let r = 0; r < rows; r++) if (argMaxRow(y, r, nOut) === buf.labels[r]) correct++;
    }
  }
  return { loss: sum * lossScale(loss, n, nOut), accuracy: buf.labels ? correct / n : Number.NaN };
}

/** Index of the largest entry of row `r` of a rows x cols array (first on ties). */
export function argMaxRow(y: ArrayLike<number>, r: number, cols: number): number {
  const o = r * cols;
  let best = 0;
  let bestValue = y[o]!;
  for (let j = 1; j < cols; j++) {
    if (y[o + j]! > bestValue) {
      bestValue = y[o + j]!;
      best = j;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------
// The shared minibatch training loop

/** Optimiser of autoencoder and MLP training when none is given: Adam, learning rate 1e-3, default betas and epsilon. */
export const DEFAULT_OPTIMIZER: OptimizerConfig = Object.freeze({ kind: 'adam', learningRate: 1e-3 });

/** Metrics of one training epoch. `trainLoss` is the mean of the minibatch losses (each taken before its update). */
export interface EpochMetrics {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly trainLoss: number;
  /** Loss on the validation set after the epoch (absent without validation data). */
  readonly validationLoss?: number;
  /** Classification accuracy on the validation set (classifiers only). */
  readonly validationAccuracy?: number;
}

/** Settings of a training run that a checkpoint keeps, so a resumed run continues the same way. */
export interface DenseTrainSettings {
  /** Total number of epochs (a resumed run continues up to it). */
  readonly epochs: number;
  readonly batchSize: number;
  readonly loss: LossKind;
  /** Stop once the monitored loss (validation if given, else training) is <= targetLoss. */
  readonly targetLoss?: number;
  /** Divergence threshold on |parameter| (default 1e8). */
  readonly maxAbsParameter: number;
}

/** Everything {@link denseTrainingLoop} needs. Parameters and optimiser are updated in place. */
export interface DenseTrainingSpec<M> {
  readonly where: string;
  readonly ops: readonly DenseOp[];
  readonly weights: readonly FloatArray[];
  readonly biases: readonly FloatArray[];
  readonly dtype: DType;
  readonly x: ArrayLike<number>;
  readonly n: number;
  readonly targets: DenseTargets;
  readonly validation?: { readonly x: ArrayLike<number>; readonly n: number; readonly targets: DenseTargets };
  readonly settings: DenseTrainSettings;
  /** Epochs already completed (0 for a fresh run). */
  readonly startEpoch: number;
  readonly optimizer: OptimizerState;
  readonly rng: Rng;
  /** Appended to, one entry per epoch. */
  readonly history: EpochMetrics[];
  /** A deep copy of the current model (taken at the start of every epoch, for DivergenceError.lastGood). */
  readonly snapshot: () => M;
  readonly run?: RunOptions;
}

/**
 * Minibatch training of a dense stack: each epoch draws a permutation from `rng`, runs forward/backward
 * over batches of `batchSize` rows (the last may be smaller) and applies one optimiser step per batch.
 * Calls `onProgress({ stage: 'epoch', done, total, metrics })` after each epoch and checks `signal`
 * before every batch. Cost per epoch about 3x a forward pass over the data.
 * @throws DivergenceError (with the model at the start of the failing epoch as `lastGood`) when a batch
 *   loss or a parameter is not finite or |parameter| exceeds `maxAbsParameter`; AbortError when aborted.
 */
export function denseTrainingLoop<M>(spec: DenseTrainingSpec<M>): {
  epochsRun: number;
  reachedTarget: boolean;
} {
  const { ops, weights, biases, x, n, targets, settings, optimizer, rng, history } = spec;
  const nOut = ops[ops.length - 1]!.nOut;
  const nIn = ops[0]!.nIn;
  const batchSize = Math.min(settings.batchSize, n);
  const ws = createDenseWorkspace(ops, weights, biases, batchSize, spec.dtype);
  const buf = createTargetBuffer(targets, batchSize, spec.dtype);
  const params = [...weights, ...biases];
  const grads = [...ws.gradWeights, ...ws.gradBiases];
  const signal = spec.run?.signal;
  let epochsRun = 0;
  let reachedTarget = false;
  for (let epoch = spec.startEpoch; epoch < settings.epochs; epoch++) {
    checkAbort(signal, spec.where);
    const lastGood = spec.snapshot();
    const order = permutation(rng, n);
    let sum = 0;
    for (let start = 0; start < n; start += batchSize) {
      checkAbort(signal, spec.where);
      const rows = Math.min(batchSize, n - start);
      const t = gatherBatch(x, nIn, targets, buf, ws, order, start, rows);
      const s = stackLossKernel(
        ops,
        weights,
        biases,
        ws.input,
        t,
        rows,
        settings.loss,
        ws,
        true,
        lossScale(settings.loss, rows, nOut),
      );
      if (!Number.isFinite(s)) {
        throw new DivergenceError(
          `${spec.where}: training diverged in epoch ${epoch + 1} (batch loss ${s}); lastGood holds the model at the start of that epoch`,
          lastGood,
        );
      }
      sum += s;
      optimizerStepAllKernel(optimizer, params, grads);
    }
    for (let j = 0; j < params.length; j++) {
      const p = params[j]!;
      for (let i = 0; i < p.length; i++) {
        const v = p[i]!;
        if (!(Math.abs(v) <= settings.maxAbsParameter)) {
          throw new DivergenceError(
            `${spec.where}: training diverged in epoch ${epoch + 1} (parameter ${v} beyond maxAbsParameter ${settings.maxAbsParameter}); lastGood holds the model at the start of that epoch`,
            lastGood,
          );
        }
      }
    }
    const trainLoss = sum * lossScale(settings.loss, n, nOut);
    let metrics: EpochMetrics = { epoch: epoch + 1, trainLoss };
    let monitored = trainLoss;
    if (spec.validation) {
      const v = evaluateStack(
        ops,
        weights,
        biases,
        spec.validation.x,
        spec.validation.n,
        spec.validation.targets,
        settings.loss,
        ws,
      );
      monitored = v.loss;
      metrics =
        spec.validation.targets.kind === 'labels'
          ? { ...metrics, validationLoss: v.loss, validationAccuracy: v.accuracy }
          : { ...metrics, validationLoss: v.loss };
    }
    history.push(metrics);
    epochsRun++;
    const { epoch: _e, ...scalars } = metrics;
    spec.run?.onProgress?.({ stage: 'epoch', done: epoch + 1, total: settings.epochs, metrics: scalars });
    if (settings.targetLoss !== undefined && monitored <= settings.targetLoss) {
      reachedTarget = true;
      break;
    }
  }
  return { epochsRun, reachedTarget };
}
