/**
 * Stacks of dense layers, the building block of the autoencoders and the MLP: a preallocated workspace,
 * the forward and backward passes through the whole stack, and the forward pass over a large data set in
 * chunks.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import type { FloatArray } from '../core/tensor.js';
import { shapeError } from '../core/validate.js';
import { type Activation, activationBackwardKernel, activationKernel } from './activation.js';
import { allocFloat, type DType, denseBackwardKernel, denseForwardKernel } from './denseLayer.js';

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
  /**
   * The matrix product of every pass over this workspace: `gemmKernel`, or a threaded product with its
   * contract (then every buffer above is on a SharedArrayBuffer, see {@link createDenseWorkspace}).
   */
  readonly gemm: GemmKernelFunction;
}

/**
 * Allocate a workspace for `ops` over batches of up to `maxRows` rows. Memory O(maxRows sum nOut + params).
 * With a `gemm` other than `gemmKernel` (a threaded product, `createThreadedGemm(...).gemm` from
 * coarsegrain/parallel), the buffers are allocated on SharedArrayBuffers so that its workers share them;
 * the weights and biases the passes use must then be shared too (`sharedFloatCopy` in denseLayer.ts), else the
 * products run in the calling thread.
 */
export function createDenseWorkspace(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  maxRows: number,
  dtype: DType,
  gemm: GemmKernelFunction = gemmKernel,
): DenseWorkspace {
  const last = ops[ops.length - 1]!;
  const shared = gemm !== gemmKernel;
  return {
    maxRows,
    outputs: ops.map((op) => allocFloat(dtype, maxRows * op.nOut, shared)),
    logits: allocFloat(dtype, maxRows * last.nOut, shared),
    deltas: ops.map((op) => allocFloat(dtype, maxRows * op.nOut, shared)),
    input: allocFloat(dtype, maxRows * ops[0]!.nIn, shared),
    gradWeights: weights.map((w) => allocFloat(dtype, w.length, shared)),
    gradBiases: biases.map((b) => allocFloat(dtype, b.length, shared)),
    gemm,
  };
}

/**
 * Unchecked forward pass of a stack over `rows` inputs `x` (rows x ops[0].nIn): writes each op's output
 * into `ws.outputs` and the last op's pre-activation into `ws.logits`. Returns the last output buffer.
 * Products through `ws.gemm`. Cost O(rows sum nIn nOut).
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
        ws.gemm,
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
        ws.gemm,
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
      ws.gemm,
    );
    if (dx) activationBackwardKernel(ops[l - 1]!.activation, ws.outputs[l - 1]!, dx, dx, rows, op.nIn);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Losses on the output of a stack (sums over the batch; callers divide)

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
