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
  activationBlockKernel(activation, z, y, 0, cols, 0, rows, 0, cols);
}

/**
 * Unchecked {@link activationKernel} on the block of rows [r0, r1) and columns [c0, c1) of matrices laid out
 * with element (i, j) at `off + i ld + j` (z and y alike), the rest untouched: each element of the block gets
 * the same bits as from `activationKernel` on the whole. Softmax needs whole rows (c0 = 0, c1 = the row
 * length). `y` may alias `z`. Allocation-free, O((r1 - r0)(c1 - c0)).
 */
export function activationBlockKernel(
  activation: Activation,
  z: FloatArray,
  y: FloatArray,
  off: number,
  ld: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  switch (activation) {
    case 'linear':
      if (y !== z)
        for (let r = r0; r < r1; r++) {
          const o = off + r * ld;
          for (let i = o + c0; i < o + c1; i++) y[i] = z[i]!;
        }
      return;
    case 'sigmoid':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld;
        for (let i = o + c0; i < o + c1; i++) {
          // 1 / (1 + e^-v) for v >= 0, e^v / (1 + e^v) below, both from e = e^-|v|; the two candidates are
          // blended with weights exactly 0 and 1, which picks one bit for bit without a branch (the sign
          // of a pre-activation is unpredictable, and a mispredicted branch cost more than the division)
          const v = z[i]!;
          const e = Math.exp(-Math.abs(v));
          const d = 1 + e;
          const s = Number(v >= 0);
          y[i] = s * (1 / d) + (1 - s) * (e / d);
        }
      }
      return;
    case 'tanh':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld;
        for (let i = o + c0; i < o + c1; i++) y[i] = Math.tanh(z[i]!);
      }
      return;
    case 'relu':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld;
        for (let i = o + c0; i < o + c1; i++) {
          const v = z[i]!;
          y[i] = Math.max(v, 0);
        }
      }
      return;
    case 'softmax':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld + c0;
        const cols = c1 - c0;
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
  activationBackwardBlockKernel(activation, y, dy, dz, 0, cols, 0, rows, 0, cols);
}

/**
 * Unchecked {@link activationBackwardKernel} on the block of rows [r0, r1) and columns [c0, c1) (layout as in
 * {@link activationBlockKernel}; softmax needs whole rows), the same bits per element as on the whole.
 * `dz` may alias `dy`. Allocation-free, O((r1 - r0)(c1 - c0)).
 */
export function activationBackwardBlockKernel(
  activation: Activation,
  y: FloatArray,
  dy: FloatArray,
  dz: FloatArray,
  off: number,
  ld: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  switch (activation) {
    case 'linear':
      if (dz !== dy)
        for (let r = r0; r < r1; r++) {
          const o = off + r * ld;
          for (let i = o + c0; i < o + c1; i++) dz[i] = dy[i]!;
        }
      return;
    case 'sigmoid':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld;
        for (let i = o + c0; i < o + c1; i++) {
          const v = y[i]!;
          dz[i] = dy[i]! * v * (1 - v);
        }
      }
      return;
    case 'tanh':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld;
        for (let i = o + c0; i < o + c1; i++) {
          const v = y[i]!;
          dz[i] = dy[i]! * (1 - v * v);
        }
      }
      return;
    case 'relu':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld;
        for (let i = o + c0; i < o + c1; i++) dz[i] = y[i]! > 0 ? dy[i]! : 0;
      }
      return;
    case 'softmax':
      for (let r = r0; r < r1; r++) {
        const o = off + r * ld + c0;
        const cols = c1 - c0;
        let s = 0;
        for (let j = 0; j < cols; j++) s += dy[o + j]! * y[o + j]!;
        for (let j = 0; j < cols; j++) dz[o + j] = y[o + j]! * (dy[o + j]! - s);
      }
      return;
  }
}
