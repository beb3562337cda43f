/**
 * Element-wise (and, for softmax, row-wise) activation functions of dense layers and their backward
 * passes, in the unchecked `*Kernel` tier.
 * @module
 */
import type { FloatArray } from '../core/tensor.js';

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
