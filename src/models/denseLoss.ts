/**
 * Losses of a dense stack (mean squared error, binary cross-entropy, softmax cross-entropy), each
 * returning the loss and writing its gradient with respect to the output, and their normalisation.
 * @module
 */
import type { FloatArray } from '../core/tensor.js';
import { type Activation, activationBackwardKernel } from './activation.js';
import { type DenseOp, type DenseWorkspace, stackBackwardKernel, stackForwardKernel } from './denseStack.js';

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
