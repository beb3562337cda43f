/**
 * One dense (fully connected) layer: `y = f(x W + b)` for a batch of rows at once, with W stored `nIn x
 * nOut` row-major (or `nOut x nIn` and used transposed, for tied decoder weights). Every matrix product
 * goes through {@link gemmKernel}. Two tiers: `*Kernel` functions (unchecked, allocation-free, writing
 * into preallocated buffers) and checked wrappers.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import type { Rng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import {
  checkAllFinite,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  shapeError,
} from '../core/validate.js';
import { ACTIVATIONS, type Activation, activationKernel } from './activation.js';

/** Floating-point precision of a model's parameters and work buffers. */
export type DType = 'float32' | 'float64';

/** The typed-array class of a {@link DType}. */
export type ArrayFor<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

/**
 * A zeroed array of `n` elements of precision `dtype`, on a SharedArrayBuffer when `shared` and the
 * platform has one (so that the workers of a threaded product can read and write it).
 */
export function allocFloat(dtype: DType, n: number, shared = false): FloatArray {
  if (shared && typeof SharedArrayBuffer === 'function') {
    const bytes = n * (dtype === 'float32' ? 4 : 8);
    return dtype === 'float32'
      ? new Float32Array(new SharedArrayBuffer(bytes))
      : new Float64Array(new SharedArrayBuffer(bytes));
  }
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** A copy of `a` (same type and values) on a SharedArrayBuffer where the platform has one. O(a.length). */
export function sharedFloatCopy<T extends FloatArray>(a: T): T {
  const copy = allocFloat(floatDType(a), a.length, true) as T;
  copy.set(a);
  return copy;
}

/** The {@link DType} of a float array. */
export function floatDType(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * Unchecked affine map `z = x op(W) + b` for `rows` inputs: x is rows x nIn, z is rows x nOut (both
 * row-major, from offset 0). W is stored nIn x nOut, or nOut x nIn when `transposed` (then op(W) = W^T).
 * `z` must not alias `x` or `w`. The product runs through `gemm` (default `gemmKernel`; a threaded one
 * gives the same bits). Cost O(rows nIn nOut).
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
  gemm: GemmKernelFunction = gemmKernel,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * nOut;
    for (let j = 0; j < nOut; j++) z[o + j] = b[j]!;
  }
  if (transposed) gemm(false, true, rows, nOut, nIn, 1, x, 0, nIn, w, 0, nIn, 1, z, 0, nOut);
  else gemm(false, false, rows, nOut, nIn, 1, x, 0, nIn, w, 0, nOut, 1, z, 0, nOut);
}

/**
 * Unchecked backward pass of {@link denseForwardKernel}: given `dz = dLoss/dz` (rows x nOut) and the
 * layer input `x` (rows x nIn), writes
 * - `gW` = x^T dz (nIn x nOut; or dz^T x, nOut x nIn, when `transposed`), added to `gW` if `accumulate`
 *   (for weights shared by two layers) and overwriting it otherwise;
 * - `gB` = column sums of dz (overwritten);
 * - `dx` = dz op(W)^T (rows x nIn), unless `dx` is null.
 * No output may alias an input. The products run through `gemm` (default `gemmKernel`). Cost
 * O(rows nIn nOut) per product (two or three products).
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
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const beta = accumulate ? 1 : 0;
  if (transposed) gemm(true, false, nOut, nIn, rows, 1, dz, 0, nOut, x, 0, nIn, beta, gW, 0, nIn);
  else gemm(true, false, nIn, nOut, rows, 1, x, 0, nIn, dz, 0, nOut, beta, gW, 0, nOut);
  for (let j = 0; j < nOut; j++) gB[j] = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * nOut;
    for (let j = 0; j < nOut; j++) gB[j]! += dz[o + j]!;
  }
  if (dx) {
    if (transposed) gemm(false, false, rows, nIn, nOut, 1, dz, 0, nOut, w, 0, nIn, 0, dx, 0, nIn);
    else gemm(false, true, rows, nIn, nOut, 1, dz, 0, nOut, w, 0, nOut, 0, dx, 0, nIn);
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
