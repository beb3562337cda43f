/**
 * Element-wise work fused onto the matrix products of dense training: a bias written into C before the
 * product (which then adds to it) and, after it, steps over the same block of C (activation, loss
 * gradient, chain rule through an activation, column sums, an Adam update of the parameters whose
 * gradient C is). A product split over threads (`createThreadedGemm` in coarsegrain/parallel) runs them on
 * each thread's own block of C while it is still in cache, so the calling thread does not sweep the
 * matrices alone. Each step computes every element (every column, for column sums) from the same operands
 * in the same order whatever the block, so any split gives the bits of the whole.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import type { FloatArray } from '../core/tensor.js';
import { type Activation, activationBackwardBlockKernel, activationBlockKernel } from './activation.js';
import { adamRangeKernel } from './optim.js';

/**
 * One step of a {@link DenseEpilogue}. Every array has the layout of C in the product (element (i, j) at
 * `offC + i ldc + j`), except `sums` (indexed by column) and the Adam moments (layout of C).
 * - `activation`: y = f(z) (see `activationKernel`; softmax needs whole rows).
 * - `mseGradient`: dz = 2 scale (y - target), as `mseLossKernel` writes it (before the chain rule).
 * - `bceGradient`: dz = scale (y - target), as `bceLossKernel`.
 * - `activationBackward`: dz = dz f'(z), f' through y (see `activationBackwardKernel`).
 * - `columnSums`: sums[j] = sum over all rows i of m[i][j] in row order (needs whole columns).
 * - `adam`: an Adam step without weight decay or L1 (`adamRangeKernel`) of the parameters `p` with
 *   gradient `g` and moments `m1`, `m2`.
 */
export type DenseEpilogueStep =
  | {
      readonly kind: 'activation';
      readonly activation: Activation;
      readonly z: FloatArray;
      readonly y: FloatArray;
    }
  | {
      readonly kind: 'mseGradient' | 'bceGradient';
      readonly y: FloatArray;
      readonly target: FloatArray;
      readonly dz: FloatArray;
      readonly scale: number;
    }
  | {
      readonly kind: 'activationBackward';
      readonly activation: Activation;
      readonly y: FloatArray;
      readonly dz: FloatArray;
    }
  | { readonly kind: 'columnSums'; readonly m: FloatArray; readonly sums: FloatArray }
  | {
      readonly kind: 'adam';
      readonly p: FloatArray;
      readonly g: FloatArray;
      readonly m1: Float64Array;
      readonly m2: Float64Array;
      readonly beta1: number;
      readonly beta2: number;
      readonly learningRate: number;
      readonly epsilon: number;
      /** Update number, 1-based. */
      readonly t: number;
      /** TensorFlow's epsilon form. */
      readonly tf: boolean;
    };

/** Work fused onto one product (plain data: it is posted to the threads of a split product). */
export interface DenseEpilogue {
  /** Written into every row of C's block before the product (length n; the product must add, beta 1), or null. */
  readonly bias: FloatArray | null;
  /** Applied after the product, in order, row by row of the block. */
  readonly steps: readonly DenseEpilogueStep[];
  /** A step needs whole rows of C (softmax): a split product may then split by rows only. */
  readonly wholeRows: boolean;
  /** A step needs whole columns of C (column sums): a split product may then split by columns only. */
  readonly wholeColumns: boolean;
}

/** The epilogue of `bias` and `steps`, with its split constraints. */
export function denseEpilogue(bias: FloatArray | null, steps: readonly DenseEpilogueStep[]): DenseEpilogue {
  return {
    bias,
    steps,
    wholeRows: steps.some(
      (s) => (s.kind === 'activation' || s.kind === 'activationBackward') && s.activation === 'softmax',
    ),
    wholeColumns: steps.some((s) => s.kind === 'columnSums'),
  };
}

/** Every array an epilogue reads or writes (a split product needs them all on SharedArrayBuffers). */
export function epilogueArrays(epilogue: DenseEpilogue): FloatArray[] {
  const arrays: FloatArray[] = epilogue.bias ? [epilogue.bias] : [];
  for (const s of epilogue.steps) {
    if (s.kind === 'activation') arrays.push(s.z, s.y);
    else if (s.kind === 'activationBackward') arrays.push(s.y, s.dz);
    else if (s.kind === 'columnSums') arrays.push(s.m, s.sums);
    else if (s.kind === 'adam') arrays.push(s.p, s.g, s.m1, s.m2);
    else arrays.push(s.y, s.target, s.dz);
  }
  return arrays;
}

/**
 * A matrix product with the contract of `gemmKernel` followed by its epilogue: the bias is written into
 * C before the product (which must then have beta 1) and the steps run after it. A threaded one runs both
 * on each thread's block of C; any gives the bits of {@link denseEpiloguePartKernel} on the whole of C.
 */
export type GemmEpilogueFunction = (
  ...args: [...Parameters<GemmKernelFunction>, epilogue: DenseEpilogue]
) => void;

/**
 * Unchecked: the part of a product and its epilogue that computes the block of rows [r0, r1) and columns
 * [c0, c1) of C, C laid out with element (i, j) at `offC + i ldc + j` (ldc = `args[15]`): the bias into
 * the block, then `gemm` with the part's arguments `args` (whose C is exactly that block), then the steps
 * over the block. With the product's own arguments and the whole of C (offC = args[14], 0, m, 0, n) this
 * is the fused product on one thread. Allocation-free. Cost the product's plus O((r1 - r0)(c1 - c0)) per
 * step.
 */
export function denseEpiloguePartKernel(
  gemm: GemmKernelFunction,
  args: Parameters<GemmKernelFunction>,
  epilogue: DenseEpilogue,
  offC: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  const c = args[13];
  const ld = args[15];
  const bias = epilogue.bias;
  if (bias) {
    for (let r = r0; r < r1; r++) {
      const o = offC + r * ld;
      for (let j = c0; j < c1; j++) c[o + j] = bias[j]!;
    }
  }
  gemm(...args);
  epilogueStepsKernel(epilogue.steps, offC, ld, r0, r1, c0, c1);
}

/**
 * Unchecked: the steps of an epilogue over the block of rows [r0, r1) and columns [c0, c1) (element (i, j)
 * at `off + i ld + j`), row by row (each row of the block goes through every step while it is in cache).
 */
export function epilogueStepsKernel(
  steps: readonly DenseEpilogueStep[],
  off: number,
  ld: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  for (const s of steps) if (s.kind === 'columnSums') s.sums.fill(0, c0, c1);
  for (let r = r0; r < r1; r++) {
    for (const s of steps) {
      switch (s.kind) {
        case 'activation':
          activationBlockKernel(s.activation, s.z, s.y, off, ld, r, r + 1, c0, c1);
          break;
        case 'mseGradient':
          mseGradientRow(s.y, s.target, s.dz, s.scale, off + r * ld, c0, c1);
          break;
        case 'bceGradient':
          bceGradientRow(s.y, s.target, s.dz, s.scale, off + r * ld, c0, c1);
          break;
        case 'activationBackward':
          activationBackwardBlockKernel(s.activation, s.y, s.dz, s.dz, off, ld, r, r + 1, c0, c1);
          break;
        case 'columnSums':
          columnSumsRow(s.m, s.sums, off + r * ld, c0, c1);
          break;
        case 'adam': {
          const o = off + r * ld;
          adamRangeKernel(
            s.p,
            s.g,
            s.m1,
            s.m2,
            s.beta1,
            s.beta2,
            s.learningRate,
            s.epsilon,
            s.t,
            s.tf,
            o + c0,
            o + c1,
          );
          break;
        }
      }
    }
  }
}

/** dz = 2 scale (y - t) on [o + c0, o + c1): the arithmetic of `mseLossKernel`. */
function mseGradientRow(
  y: FloatArray,
  t: FloatArray,
  dz: FloatArray,
  scale: number,
  o: number,
  c0: number,
  c1: number,
): void {
  for (let i = o + c0; i < o + c1; i++) {
    const e = y[i]! - t[i]!;
    dz[i] = 2 * scale * e;
  }
}

/** dz = scale (y - t) on [o + c0, o + c1): the arithmetic of `bceLossKernel`. */
function bceGradientRow(
  y: FloatArray,
  t: FloatArray,
  dz: FloatArray,
  scale: number,
  o: number,
  c0: number,
  c1: number,
): void {
  for (let i = o + c0; i < o + c1; i++) dz[i] = scale * (y[i]! - t[i]!);
}

/** sums[j] += m[o + j] for j in [c0, c1). */
function columnSumsRow(m: FloatArray, sums: FloatArray, o: number, c0: number, c1: number): void {
  for (let j = c0; j < c1; j++) sums[j]! += m[o + j]!;
}

const fusedProducts = new WeakMap<object, GemmEpilogueFunction>();

/**
 * Declare `fused` as the fused product that goes with the matrix product `gemm` (e.g. the threaded
 * product's, which runs the epilogue on each thread's block); it must give the bits of
 * {@link denseEpiloguePartKernel} on the whole of C with `gemm`.
 */
export function registerGemmEpilogue(gemm: object, fused: GemmEpilogueFunction): void {
  fusedProducts.set(gemm, fused);
}

/**
 * The fused product declared for `gemm` with {@link registerGemmEpilogue}, else one that runs `gemm` on
 * the whole of C between the bias and the steps (in the calling thread).
 */
export function gemmEpilogueFor(gemm: GemmKernelFunction = gemmKernel): GemmEpilogueFunction {
  return (
    fusedProducts.get(gemm) ??
    ((...args) => {
      const epilogue = args[16];
      const product = args.slice(0, 16) as Parameters<GemmKernelFunction>;
      denseEpiloguePartKernel(gemm, product, epilogue, product[14], 0, product[2], 0, product[3]);
    })
  );
}
