/**
 * Restricted Boltzmann machines: conditionals, sampling, mean-field outputs, energy, free energy,
 * reconstruction error and pseudo-likelihood, batched over row-major `[batch x nVisible]` arrays.
 *
 * Energy (see {@link Rbm}): E(v, h) = -a.v - b.h - v^T W h for spin (+-1) or binary (0/1) visible units;
 * for Gaussian visible units E = sum_i (v_i - a_i)^2 / (2 sigma_i^2) - b.h - sum_i (v_i / sigma_i^2) (W h)_i
 * (Cho, Ilin, Raiko 2011, "Improved learning of Gaussian-Bernoulli RBMs").
 *
 * Conditionals, with hidden input x_a = b_a + sum_i vt_i W_ia (vt = v, or v / sigma^2 for Gaussian) and
 * visible input y_i = a_i + sum_a W_ia h_a:
 * - spin: p(h_a = +1 | v) = (1 + tanh x_a) / 2 = sigmoid(2 x_a), mean tanh(x_a) (the thesis convention);
 * - binary: p(h_a = 1 | v) = sigmoid(x_a), mean sigmoid(x_a);
 * - Gaussian visible: v_i | h ~ N(y_i, sigma_i^2).
 *
 * Every function works for every combination of unit types and for `Rbm<Float32Array>` as well as
 * `Rbm<Float64Array>`; matrix products go through {@link gemmKernel}.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import { aleaRegistersOf, type Rng } from '../core/rng.js';
import { checkMatrix, convertMatrix, type FloatArray, type Matrix } from '../core/tensor.js';
import {
  checkAllFinite,
  checkOneOf,
  checkOptions,
  checkRng,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { binarySigmoidWasm } from '../core/wasm/sigmoidWasm.js';
import type { Rbm, UnitType } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RECONSTRUCTION_OPTIONS_KEYS = optionKeys<ReconstructionOptions>({ mode: true, rng: true });
const PSEUDO_LIKELIHOOD_OPTIONS_KEYS = optionKeys<PseudoLikelihoodOptions>({ pointsPerSigma: true });

// ---------------------------------------------------------------------------------------------------
// Scalar helpers (numerically stable)

/** log(1 + e^x) without overflow. */
export function softplusStable(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log(2 cosh x) = |x| + log1p(e^{-2|x|}), without overflow. */
export function logTwoCosh(x: number): number {
  const ax = Math.abs(x);
  return ax + Math.log1p(Math.exp(-2 * ax));
}

/** 1 / (1 + e^{-x}) without overflow. */
export function sigmoidStable(x: number): number {
  // no branch needed: for x << 0, exp(-x) overflows to Infinity and 1 / Infinity = 0, never NaN; the
  // relative error stays at rounding level wherever the result is a normal number
  return 1 / (1 + Math.exp(-x));
}

const UNIT_TYPES = ['spin', 'binary', 'gaussian'] as const;

/** log sum over the two (or one, for Gaussian) values of a discrete unit of exp(u * x): log(2cosh x) or softplusStable. */
export function unitLogPartition(units: UnitType, x: number): number {
  return units === 'spin' ? logTwoCosh(x) : softplusStable(x);
}

/**
 * Mean of a discrete unit with input x: tanh(x) for spin, sigmoidStable(x) for binary; x itself for
 * Gaussian. A pure arithmetic function: a NaN input propagates to a NaN mean.
 * @throws DomainError for a unit type other than 'spin', 'binary', 'gaussian' or a non-number x.
 */
export function unitMean(units: UnitType, x: number): number {
  checkOneOf(units, 'unitMean: units', UNIT_TYPES);
  if (typeof x !== 'number') throw domainError('unitMean: x', 'a number', x);
  return unitMeanKernel(units, x);
}

/** Unchecked {@link unitMean} for inner loops: the caller guarantees a valid unit type. */
export function unitMeanKernel(units: UnitType, x: number): number {
  return units === 'spin' ? Math.tanh(x) : units === 'binary' ? sigmoidStable(x) : x;
}

/** Probability of the "on" state (+1 for spin, 1 for binary) of a unit with input x. */
export function unitOnProbability(units: Exclude<UnitType, 'gaussian'>, x: number): number {
  return units === 'spin' ? sigmoidStable(2 * x) : sigmoidStable(x);
}

// ---------------------------------------------------------------------------------------------------
// Validation

/** Number of rows of a row-major batch of `width` columns, or a ShapeError. */
export function batchRows(data: ArrayLike<number>, width: number, name: string): number {
  if (data === null || data === undefined || typeof data.length !== 'number') {
    throw shapeError(name, `an array of batch x ${width} values`, String(data));
  }
  if (data.length === 0 || data.length % width !== 0) {
    throw shapeError(
      name,
      `a positive multiple of ${width} values (batch x ${width})`,
      `length ${data.length}`,
    );
  }
  return data.length / width;
}

/**
 * Validate a model: kind, unit types, sizes, array lengths, finite parameters, positive sigma.
 * @throws DomainError / ShapeError naming `name` and the offending field.
 */
export function checkRbm<T extends FloatArray>(rbm: Rbm<T>, name: string): void {
  if (rbm === null || typeof rbm !== 'object' || rbm.kind !== 'rbm') throw domainError(name, 'an Rbm', rbm);
  checkOneOf(rbm.visibleUnits, `${name}.visibleUnits`, ['spin', 'binary', 'gaussian'] as const);
  checkOneOf(rbm.hiddenUnits, `${name}.hiddenUnits`, ['spin', 'binary'] as const);
  const { nVisible, nHidden } = rbm;
  if (!Number.isInteger(nVisible) || nVisible < 1)
    throw domainError(`${name}.nVisible`, 'an integer >= 1', nVisible);
  if (!Number.isInteger(nHidden) || nHidden < 1)
    throw domainError(`${name}.nHidden`, 'an integer >= 1', nHidden);
  const arrays: [string, FloatArray | undefined, number][] = [
    ['weights', rbm.weights, nVisible * nHidden],
    ['visibleBias', rbm.visibleBias, nVisible],
    ['hiddenBias', rbm.hiddenBias, nHidden],
  ];
  if (rbm.visibleUnits === 'gaussian') arrays.push(['visibleSigma', rbm.visibleSigma, nVisible]);
  for (const [field, arr, len] of arrays) {
    if (!(arr instanceof Float64Array || arr instanceof Float32Array)) {
      throw domainError(`${name}.${field}`, 'a Float64Array or Float32Array', arr);
    }
    if (arr.length !== len) throw shapeError(`${name}.${field}`, `length ${len}`, `length ${arr.length}`);
    if (arr.constructor !== rbm.weights.constructor) {
      throw domainError(`${name}.${field}`, `a ${rbm.weights.constructor.name} like weights`, arr);
    }
    checkAllFinite(arr, `${name}.${field}`);
  }
  if (rbm.visibleUnits === 'gaussian') {
    const s = rbm.visibleSigma!;
    for (let i = 0; i < s.length; i++) {
      if (!(s[i]! > 0)) throw domainError(`${name}.visibleSigma[${i}]`, 'a number > 0', s[i]);
    }
  }
}

/**
 * Validate a batch of unit values for a layer: finite, and in [-1, 1] for spin units (real values are
 * allowed, e.g. tanh mean-field outputs), [0, 1] for binary units. Returns the number of rows. O(n).
 * @throws ShapeError for a length that is not a multiple of `width`; DomainError for a value out of range.
 */
export function checkUnitData(data: ArrayLike<number>, width: number, units: UnitType, name: string): number {
  const rows = batchRows(data, width, name);
  const lo = units === 'spin' ? -1 : units === 'binary' ? 0 : Number.NEGATIVE_INFINITY;
  const hi = units === 'gaussian' ? Number.POSITIVE_INFINITY : 1;
  // one copy of the scan per array type, so that V8 compiles monomorphic loads (a training checks its
  // whole data set once per call)
  const i =
    data instanceof Float64Array
      ? firstOutside64(data, lo, hi)
      : data instanceof Float32Array
        ? firstOutside32(data, lo, hi)
        : firstOutsideAny(data, lo, hi);
  if (i >= 0) {
    const x = data[i]!;
    if (!Number.isFinite(x)) throw domainError(`${name}[${i}]`, 'a finite number', x);
    throw domainError(`${name}[${i}]`, `a value in [${lo}, ${hi}] for ${units} units`, x);
  }
  return rows;
}

/** The index of the first element that is not finite or lies outside [lo, hi], or -1. */
function firstOutside64(data: Float64Array, lo: number, hi: number): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!(x >= lo && x <= hi && x - x === 0)) return i;
  }
  return -1;
}

function firstOutside32(data: Float32Array, lo: number, hi: number): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!(x >= lo && x <= hi && x - x === 0)) return i;
  }
  return -1;
}

function firstOutsideAny(data: ArrayLike<number>, lo: number, hi: number): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!(x >= lo && x <= hi && x - x === 0)) return i;
  }
  return -1;
}

/**
 * Validate a data {@link Matrix} for a model of `width` visible units (`width` columns, at least one row,
 * values allowed for `units`, see {@link checkUnitData}). Returns its entries (any numeric array, e.g. an
 * Int8Array spin batch: the trainers convert per minibatch) and its row count.
 * @throws DomainError if `x` is not a Matrix or holds a bad value; ShapeError if x.cols !== width.
 */
export function unitBatch(
  x: unknown,
  width: number,
  units: UnitType,
  label: string,
  name: string,
): { data: ArrayLike<number>; rows: number } {
  const m = checkMatrix(x, name, { cols: width, colsLabel: label, minRows: 1 });
  checkUnitData(m.data, width, units, `${name}.data`);
  return { data: m.data, rows: m.rows };
}

function like<T extends FloatArray>(model: T, n: number): T {
  return new (model.constructor as new (n: number) => T)(n);
}

function checkOut<T extends FloatArray>(out: T | undefined, model: T, n: number, name: string): T {
  if (out === undefined) return like(model, n);
  if (!(out instanceof model.constructor)) throw domainError(name, `a ${model.constructor.name}`, out);
  if (out.length !== n) throw shapeError(name, `length ${n}`, `length ${out.length}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Kernels (unchecked, allocation-free)

/**
 * From this many elements on, the binary kernels below run their sigmoids (and samples) on
 * WebAssembly SIMD (binarySigmoidWasm, bit-identical to sigmoidStable; the uniforms are drawn in the
 * same order, see uniformFiller); below, the copies in and out cost more than they save.
 */
const SIGMOID_WASM_MIN = 64;

/**
 * A function filling an array with the draws that successive `rng.uniform()` calls would give: our own
 * generators' fillUniform (the same stream), or, for any other {@link Rng} (whose fillUniform need not be
 * that stream), a loop over its uniform.
 */
export function uniformFiller(rng: Rng): (out: Float64Array) => unknown {
  if (aleaRegistersOf(rng) !== null) return rng.fillUniform;
  const u = rng.uniform;
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = u();
  };
}

/**
 * Binary units on the elements [lo, hi): p_i = sigmoid(x_i) (sigmoidStable's bits); with `means`, p_i is
 * stored there (may be `x`); with `sample`, sample_i = 1 if uniforms[i] < p_i else 0 (compared in float64
 * before any rounding). The uniforms are drawn beforehand, in element order, so that any split of [0, n)
 * into ranges gives what sampleKernel / sampleAndMeansKernel / meansKernel give for the same stream.
 * Runs on WebAssembly SIMD (binarySigmoidWasm) when it can, else in TypeScript. O(hi - lo).
 */
export function binaryUnitsRangeKernel(
  x: FloatArray,
  means: FloatArray | null,
  sample: FloatArray | null,
  uniforms: Float64Array | null,
  lo: number,
  hi: number,
): void {
  const n = hi - lo;
  const fill =
    uniforms === null ? null : (out: Float64Array) => out.set(uniforms.subarray(lo, lo + out.length));
  const part = (a: FloatArray | null): FloatArray | null => (a === null ? null : a.subarray(lo, hi));
  if (n >= SIGMOID_WASM_MIN && binarySigmoidWasm(part(x)!, n, part(means), part(sample), fill)) return;
  for (let i = lo; i < hi; i++) {
    const p = sigmoidStable(x[i]!);
    if (sample !== null) sample[i] = uniforms![i]! < p ? 1 : 0;
    if (means !== null) means[i] = p;
  }
}

/** The contract of {@link binaryUnitsRangeKernel}. */
export type BinaryUnitsRangeFunction = typeof binaryUnitsRangeKernel;

/**
 * Start drawing `out.length` uniforms from the alea registers in `registers` ([c, s0, s1, s2], on a
 * SharedArrayBuffer) into `out` (shared) on another thread, as `aleaFill` would; returns the function
 * that waits for them, after which `registers` holds the advanced registers.
 */
export type UniformPrefetchFunction = (registers: Float64Array, out: Float64Array) => () => void;

/** Binary units on a threaded product's threads: the split units and the uniforms drawn ahead. */
export interface BinaryUnitsOnThreads {
  readonly units: BinaryUnitsRangeFunction;
  readonly prefetchUniforms: UniformPrefetchFunction;
}

const splitBinaryUnits = new WeakMap<object, BinaryUnitsOnThreads>();

/**
 * Declare `units` (contract of {@link binaryUnitsRangeKernel}, bit-identical to it) as the binary units'
 * sigmoid and sampling that go with the matrix product `gemm`, split over the threaded product's
 * threads, and `prefetchUniforms` as the way to draw a minibatch's uniforms on one of them. RBM training
 * with `gemm` then runs its binary units on them.
 */
export function registerSplitBinaryUnits(gemm: object, onThreads: BinaryUnitsOnThreads): void {
  splitBinaryUnits.set(gemm, onThreads);
}

/** The binary units declared for `gemm` with {@link registerSplitBinaryUnits}, or null. */
export function splitBinaryUnitsFor(gemm: object): BinaryUnitsOnThreads | null {
  return splitBinaryUnits.get(gemm) ?? null;
}

/**
 * Hidden inputs x = b + vt W for `rows` visible rows; `out` is rows x nHidden. For Gaussian visible units
 * `scratch` (rows x nVisible) receives v / sigma^2; otherwise it is unused and may be `v`. `out` must not
 * alias `v`. `gemm` (default `gemmKernel`) computes the product, e.g. a threaded one. Cost O(rows nV nH).
 */
export function hiddenInputKernel<T extends FloatArray>(
  rbm: Rbm<T>,
  v: T,
  rows: number,
  out: T,
  scratch: T,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const { nVisible: nv, nHidden: nh } = rbm;
  let src = v;
  if (rbm.visibleUnits === 'gaussian') {
    const s = rbm.visibleSigma!;
    for (let r = 0; r < rows; r++) {
      const o = r * nv;
      for (let i = 0; i < nv; i++) {
        const si = s[i]!;
        scratch[o + i] = v[o + i]! / (si * si);
      }
    }
    src = scratch;
  }
  const b = rbm.hiddenBias;
  for (let r = 0; r < rows; r++) out.set(b, r * nh);
  gemm(false, false, rows, nh, nv, 1, src, 0, nv, rbm.weights, 0, nh, 1, out, 0, nh);
}

/**
 * Visible inputs y = a + h W^T for `rows` hidden rows; `out` is rows x nVisible. `gemm` as in
 * {@link hiddenInputKernel}. Cost O(rows nV nH).
 */
export function visibleInputKernel<T extends FloatArray>(
  rbm: Rbm<T>,
  h: T,
  rows: number,
  out: T,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const { nVisible: nv, nHidden: nh } = rbm;
  const a = rbm.visibleBias;
  for (let r = 0; r < rows; r++) out.set(a, r * nv);
  gemm(false, true, rows, nv, nh, 1, h, 0, nh, rbm.weights, 0, nh, 1, out, 0, nv);
}

/** In place: inputs -> means (tanh / sigmoid; identity for Gaussian). O(n). */
export function meansKernel(units: UnitType, x: FloatArray, n: number): void {
  if (units === 'spin') for (let i = 0; i < n; i++) x[i] = Math.tanh(x[i]!);
  else if (units === 'binary') {
    // the same bits on WebAssembly SIMD (binarySigmoidWasm), without a Math.exp call per unit
    if (n >= SIGMOID_WASM_MIN && binarySigmoidWasm(x, n, x, null, null)) return;
    for (let i = 0; i < n; i++) x[i] = sigmoidStable(x[i]!);
  }
}

/**
 * In place: inputs -> samples, one uniform (or, for Gaussian units, one normal) draw per element, in
 * element order. For Gaussian units `sigma` (length `width`) scales the noise. O(n).
 */
export function sampleKernel(
  units: UnitType,
  x: FloatArray,
  n: number,
  rng: Rng,
  sigma?: FloatArray,
  width = 1,
): void {
  if (units === 'spin') {
    const u = rng.uniform;
    for (let i = 0; i < n; i++) x[i] = u() < sigmoidStable(2 * x[i]!) ? 1 : -1;
  } else if (units === 'binary') {
    if (n >= SIGMOID_WASM_MIN && binarySigmoidWasm(x, n, null, x, uniformFiller(rng))) return;
    const u = rng.uniform;
    for (let i = 0; i < n; i++) x[i] = u() < sigmoidStable(x[i]!) ? 1 : 0;
  } else {
    const z = rng.normal;
    for (let i = 0; i < n; i++) x[i] = x[i]! + sigma![i % width]! * z();
  }
}

/**
 * Binary units, in place: `x` (hidden inputs) becomes sigmoid(x), and `sample` gets 1 where a uniform
 * draw is below that probability, else 0, one draw per element in element order: exactly what copying x
 * to `sample`, sampleKernel('binary', sample) and meansKernel('binary', x) give, with one sigmoid per
 * element instead of two (the probability is compared in float64 before x stores it). `sample` must not
 * alias `x`. O(n).
 */
export function sampleAndMeansKernel(x: FloatArray, sample: FloatArray, n: number, rng: Rng): void {
  if (n >= SIGMOID_WASM_MIN && binarySigmoidWasm(x, n, x, sample, uniformFiller(rng))) return;
  const u = rng.uniform;
  for (let i = 0; i < n; i++) {
    const p = sigmoidStable(x[i]!);
    sample[i] = u() < p ? 1 : 0;
    x[i] = p;
  }
}

/**
 * Free energies F(v) = -log sum_h exp(-E(v, h)) of `rows` visible rows into `out` (Float64Array, length
 * rows), given the hidden inputs `x` (rows x nHidden) already computed by {@link hiddenInputKernel}. O(rows (nV + nH)).
 */
export function freeEnergyFromInputKernel<T extends FloatArray>(
  rbm: Rbm<T>,
  v: ArrayLike<number>,
  x: ArrayLike<number>,
  rows: number,
  out: Float64Array,
): void {
  const { nVisible: nv, nHidden: nh, visibleBias: a } = rbm;
  const gauss = rbm.visibleUnits === 'gaussian';
  const spinH = rbm.hiddenUnits === 'spin';
  const s = rbm.visibleSigma;
  for (let r = 0; r < rows; r++) {
    let f = 0;
    const ov = r * nv;
    if (gauss) {
      for (let i = 0; i < nv; i++) {
        const d = v[ov + i]! - a[i]!;
        f += (d * d) / (2 * s![i]! * s![i]!);
      }
    } else for (let i = 0; i < nv; i++) f -= a[i]! * v[ov + i]!;
    const oh = r * nh;
    if (spinH) for (let j = 0; j < nh; j++) f -= logTwoCosh(x[oh + j]!);
    else for (let j = 0; j < nh; j++) f -= softplusStable(x[oh + j]!);
    out[r] = f;
  }
}

// ---------------------------------------------------------------------------------------------------
// Checked public tier

/**
 * Mean-field hidden output E[h | v] for a batch: tanh(x) for spin hidden units (the thesis' deterministic
 * output h_a = tanh(sum_i W_ia v_i + b_a)), sigmoidStable(x) for binary ones.
 * @param batch - rows x nVisible {@link Matrix}; entries of another type than the model's (an Int8Array
 *   spin batch from a sampler, a plain array) are converted to it (one copy, O(rows nV)).
 * @param out - optional rows x nHidden output of the model's array type (must not alias the batch).
 * @returns rows x nHidden. Cost O(rows nV nH).
 * @throws ShapeError if batch.cols !== rbm.nVisible (e.g. a swapped shape); DomainError for a bad model,
 *   batch or `out`.
 * @example
 * ```ts
 * import { createRbm, createRng, hiddenMeans, matrix } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const v = matrix(Int8Array.of(1, -1, 1, -1, 1, 1, 1, 1), 2, 4); // 2 samples of 4 spins
 * const h = hiddenMeans(rbm, v); // 2 x 2 Matrix: tanh(W^T v + b) per sample
 * // hiddenMeans(rbm, matrix(v.data, 4, 2)) throws ShapeError: v.cols: expected 4 (rbm.nVisible), received 2
 * ```
 */
export function hiddenMeans<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: Matrix<T>,
): Matrix<T> {
  checkRbm(rbm, 'hiddenMeans: rbm');
  const { data: v, rows } = modelBatch(rbm, batch, rbm.nVisible, 'rbm.nVisible', 'hiddenMeans: v');
  const o = outMatrix(out, rbm, rows, rbm.nHidden, 'hiddenMeans: out');
  hiddenInputKernel(rbm, v, rows, o, rbm.visibleUnits === 'gaussian' ? like(v, v.length) : v);
  meansKernel(rbm.hiddenUnits, o, o.length);
  return { data: o, rows, cols: rbm.nHidden };
}

/**
 * Probability that each hidden unit is on: p(h_a = +1 | v) = (1 + tanh x_a) / 2 for spin units,
 * p(h_a = 1 | v) = sigmoidStable(x_a) for binary ones. Shapes and cost as {@link hiddenMeans}.
 */
export function hiddenProbabilities<T extends FloatArray>(rbm: Rbm<T>, v: T, out?: T): T {
  checkRbm(rbm, 'hiddenProbabilities: rbm');
  const rows = checkTyped(rbm, v, rbm.nVisible, 'hiddenProbabilities: v');
  const o = checkOut(out, rbm.weights, rows * rbm.nHidden, 'hiddenProbabilities: out');
  hiddenInputKernel(rbm, v, rows, o, rbm.visibleUnits === 'gaussian' ? like(v, v.length) : v);
  for (let i = 0; i < o.length; i++) o[i] = unitOnProbability(rbm.hiddenUnits, o[i]!);
  return o;
}

/**
 * Mean-field visible output E[v | h]: tanh(y) for spin, sigmoidStable(y) for binary, y (the Gaussian mean) for
 * Gaussian visible units.
 * @param batch - rows x nHidden {@link Matrix} (real values allowed, e.g. hidden means; converted to the
 *   model's array type if needed).
 * @returns rows x nVisible. Cost O(rows nV nH).
 * @throws ShapeError if batch.cols !== rbm.nHidden; DomainError for a bad model, batch or `out`.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, visibleMeans } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const v = visibleMeans(rbm, matrix(Float64Array.of(0.5, -0.5), 1, 2)); // 1 x 4: tanh(W h + a), in (-1, 1)
 * ```
 */
export function visibleMeans<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  out?: Matrix<T>,
): Matrix<T> {
  checkRbm(rbm, 'visibleMeans: rbm');
  const { data: h, rows } = modelBatch(rbm, batch, rbm.nHidden, 'rbm.nHidden', 'visibleMeans: h');
  const o = outMatrix(out, rbm, rows, rbm.nVisible, 'visibleMeans: out');
  visibleInputKernel(rbm, h, rows, o);
  meansKernel(rbm.visibleUnits, o, o.length);
  return { data: o, rows, cols: rbm.nVisible };
}

/**
 * Probability that each visible unit is on given h (spin / binary visible units only).
 * @throws DomainError for Gaussian visible units (use {@link visibleMeans}).
 */
export function visibleProbabilities<T extends FloatArray>(rbm: Rbm<T>, h: T, out?: T): T {
  checkRbm(rbm, 'visibleProbabilities: rbm');
  if (rbm.visibleUnits === 'gaussian') {
    throw domainError('visibleProbabilities: rbm.visibleUnits', '"spin" or "binary"', rbm.visibleUnits);
  }
  const rows = checkTyped(rbm, h, rbm.nHidden, 'visibleProbabilities: h');
  const o = checkOut(out, rbm.weights, rows * rbm.nVisible, 'visibleProbabilities: out');
  visibleInputKernel(rbm, h, rows, o);
  const units = rbm.visibleUnits;
  for (let i = 0; i < o.length; i++) o[i] = unitOnProbability(units, o[i]!);
  return o;
}

/**
 * Sample h ~ p(h | v) for a batch: +-1 or 0/1 values, one uniform draw per hidden unit in row-major order.
 * @param batch - rows x nVisible {@link Matrix}, converted to the model's array type if needed (an
 *   Int8Array spin batch from a sampler is accepted as is).
 * @returns rows x nHidden. Cost O(rows nV nH).
 * @throws ShapeError if batch.cols !== rbm.nVisible; DomainError for a bad model, batch, rng or `out`.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, sampleHidden } from 'coarsegrain';
 * const rng = createRng(1);
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng });
 * const h = sampleHidden(rbm, matrix(Int8Array.of(1, -1, 1, -1), 1, 4), rng); // 1 x 2 of +-1
 * ```
 */
export function sampleHidden<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  rng: Rng,
  out?: Matrix<T>,
): Matrix<T> {
  checkRbm(rbm, 'sampleHidden: rbm');
  const { data: v, rows } = modelBatch(rbm, batch, rbm.nVisible, 'rbm.nVisible', 'sampleHidden: v');
  checkRng(rng, 'sampleHidden: rng');
  const o = outMatrix(out, rbm, rows, rbm.nHidden, 'sampleHidden: out');
  hiddenInputKernel(rbm, v, rows, o, rbm.visibleUnits === 'gaussian' ? like(v, v.length) : v);
  sampleKernel(rbm.hiddenUnits, o, o.length, rng);
  return { data: o, rows, cols: rbm.nHidden };
}

/**
 * Sample v ~ p(v | h) for a batch: +-1, 0/1, or N(y, sigma^2) values.
 * @param batch - rows x nHidden {@link Matrix}, converted to the model's array type if needed.
 * @returns rows x nVisible. Cost O(rows nV nH).
 * @throws ShapeError if batch.cols !== rbm.nHidden; DomainError for a bad model, batch, rng or `out`.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, sampleVisible } from 'coarsegrain';
 * const rng = createRng(1);
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng });
 * const v = sampleVisible(rbm, matrix(Float64Array.of(1, -1), 1, 2), rng); // 1 x 4 of +-1
 * ```
 */
export function sampleVisible<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  rng: Rng,
  out?: Matrix<T>,
): Matrix<T> {
  checkRbm(rbm, 'sampleVisible: rbm');
  const { data: h, rows } = modelBatch(rbm, batch, rbm.nHidden, 'rbm.nHidden', 'sampleVisible: h');
  checkRng(rng, 'sampleVisible: rng');
  const o = outMatrix(out, rbm, rows, rbm.nVisible, 'sampleVisible: out');
  visibleInputKernel(rbm, h, rows, o);
  sampleKernel(rbm.visibleUnits, o, o.length, rng, rbm.visibleSigma, rbm.nVisible);
  return { data: o, rows, cols: rbm.nVisible };
}

/**
 * One block-Gibbs step v -> h ~ p(h|v) -> v' ~ p(v'|h) for a batch (rows x nVisible {@link Matrix}, any
 * numeric entries). Returns the sampled hidden and new visible configurations. Cost O(rows nV nH).
 * @example
 * ```ts
 * import { createRbm, createRng, gibbsStep, matrix } from 'coarsegrain';
 * const rng = createRng(1);
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng });
 * const { hidden, visible } = gibbsStep(rbm, matrix(Int8Array.of(1, -1, 1, -1), 1, 4), rng); // 1 x 2, 1 x 4
 * ```
 */
export function gibbsStep<T extends FloatArray>(
  rbm: Rbm<T>,
  v: Matrix<ArrayLike<number>>,
  rng: Rng,
): { hidden: Matrix<T>; visible: Matrix<T> } {
  checkRng(rng, 'gibbsStep: rng');
  const hidden = sampleHidden(rbm, v, rng);
  const visible = sampleVisible(rbm, hidden, rng);
  return { hidden, visible };
}

/**
 * Validate a batch {@link Matrix} of `width` columns (one sample per row, at least one row) and return
 * its entries as given (any numeric array) with its row count.
 */
function batchEntries(x: unknown, width: number, label: string, name: string) {
  const m = checkMatrix(x, name, { cols: width, colsLabel: label, minRows: 1 });
  return { data: m.data, rows: m.rows };
}

/**
 * A batch {@link Matrix} of `width` finite columns as the model's array type: the entries themselves
 * when they already are (Float64Array or Float32Array like the weights), otherwise a copy (an Int8Array
 * spin batch from a sampler, a plain array). Returns the typed entries and the row count.
 */
function modelBatch<T extends FloatArray>(
  rbm: Rbm<T>,
  x: unknown,
  width: number,
  label: string,
  name: string,
) {
  const m = checkMatrix(x, name, { cols: width, colsLabel: label, minRows: 1, finite: true });
  const Ctor = rbm.weights.constructor as { new (n: number): T; from(a: ArrayLike<number>): T };
  return { data: convertMatrix(m, Ctor).data, rows: m.rows };
}

/** Validate an optional output {@link Matrix} (rows x cols of the model's array type); allocate one if absent. */
function outMatrix<T extends FloatArray>(
  out: Matrix<T> | undefined,
  rbm: Rbm<T>,
  rows: number,
  cols: number,
  name: string,
): T {
  if (out === undefined) return like(rbm.weights, rows * cols);
  checkMatrix(out, name, { rows, cols });
  return checkOut(out.data, rbm.weights, rows * cols, `${name}.data`);
}

function checkTyped<T extends FloatArray>(rbm: Rbm<T>, x: T, width: number, name: string): number {
  if (!(x instanceof rbm.weights.constructor)) {
    throw domainError(name, `a ${rbm.weights.constructor.name} (the model's array type)`, x);
  }
  const rows = batchRows(x, width, name);
  checkAllFinite(x, name);
  return rows;
}

/**
 * Energies E(v, h) of `rows` pairs (v row r with h row r). Returns a Float64Array of length rows.
 * Cost O(rows nV nH).
 * @throws ShapeError if v and h have different numbers of rows.
 * @example
 * ```ts
 * import { createRbm, createRng, energy, matrix } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const e = energy(rbm, matrix(Float64Array.of(1, -1, 1, -1), 1, 4), matrix(Float64Array.of(1, 1), 1, 2)); // Float64Array(1): E(v, h)
 * ```
 */
export function energy<T extends FloatArray>(
  rbm: Rbm<T>,
  vBatch: Matrix<ArrayLike<number>>,
  hBatch: Matrix<ArrayLike<number>>,
): Float64Array {
  checkRbm(rbm, 'energy: rbm');
  const { data: v, rows } = batchEntries(vBatch, rbm.nVisible, 'rbm.nVisible', 'energy: v');
  const { data: h, rows: rowsH } = batchEntries(hBatch, rbm.nHidden, 'rbm.nHidden', 'energy: h');
  if (rowsH !== rows) throw shapeError('energy: h', `${rows} rows like v`, `${rowsH} rows`);
  checkAllFinite(v, 'energy: v');
  checkAllFinite(h, 'energy: h');
  const { nVisible: nv, nHidden: nh, weights: w, visibleBias: a, hiddenBias: b } = rbm;
  const s = rbm.visibleSigma;
  const gauss = rbm.visibleUnits === 'gaussian';
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let e = 0;
    for (let j = 0; j < nh; j++) e -= b[j]! * h[r * nh + j]!;
    for (let i = 0; i < nv; i++) {
      const vi = v[r * nv + i]!;
      let coupling = 0;
      for (let j = 0; j < nh; j++) coupling += w[i * nh + j]! * h[r * nh + j]!;
      if (gauss) {
        const s2 = s![i]! * s![i]!;
        const d = vi - a[i]!;
        e += (d * d) / (2 * s2) - (vi / s2) * coupling;
      } else e -= a[i]! * vi + vi * coupling;
    }
    out[r] = e;
  }
  return out;
}

/**
 * Free energies F(v) = -log sum_h exp(-E(v, h)) of a batch, summed over hidden units analytically:
 * F = -a.v - sum_a log(2 cosh x_a) (spin hidden) or - sum_a softplusStable(x_a) (binary hidden); Gaussian visible
 * units replace -a.v by sum_i (v_i - a_i)^2 / (2 sigma_i^2). Stable for any input size.
 * @param v - rows x nVisible (any numeric array; converted to the model's type).
 * @returns Float64Array of length rows. Cost O(rows nV nH).
 * @example
 * ```ts
 * import { createRbm, createRng, freeEnergy, matrix } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const f = freeEnergy(rbm, matrix(Int8Array.of(1, -1, 1, -1, 1, 1, 1, 1), 2, 4)); // Float64Array(2): F(v) per sample
 * ```
 */
export function freeEnergy<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
): Float64Array {
  checkRbm(rbm, 'freeEnergy: rbm');
  const { data: v, rows } = batchEntries(batch, rbm.nVisible, 'rbm.nVisible', 'freeEnergy: v');
  checkAllFinite(v, 'freeEnergy: v');
  const vt = like(rbm.weights, v.length);
  vt.set(v);
  const x = like(rbm.weights, rows * rbm.nHidden);
  hiddenInputKernel(rbm, vt, rows, x, rbm.visibleUnits === 'gaussian' ? like(vt, vt.length) : vt);
  const out = new Float64Array(rows);
  freeEnergyFromInputKernel(rbm, vt, x, rows, out);
  return out;
}

/** Options of {@link reconstructionError}. */
export interface ReconstructionOptions {
  /** `'mean-field'` (default): v -> E[h|v] -> E[v|h]. `'stochastic'`: v -> h ~ p(h|v) -> E[v|h]. */
  readonly mode?: 'mean-field' | 'stochastic';
  /** Required for `'stochastic'`. */
  readonly rng?: Rng;
}

/**
 * Mean squared reconstruction error, averaged over samples and visible units:
 * (1 / (rows nV)) sum (v - vhat)^2 with vhat = E[v | h] and h the mean-field (or sampled) hidden layer.
 * Cost O(rows nV nH).
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, reconstructionError } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const err = reconstructionError(rbm, matrix(Int8Array.of(1, 1, 1, 1, -1, -1, -1, -1), 2, 4)); // ~1 untrained: v in +-1, vhat ~ 0
 * ```
 */
export function reconstructionError<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  options: ReconstructionOptions = {},
): number {
  options = checkOptions(options, 'reconstructionError: options', RECONSTRUCTION_OPTIONS_KEYS);
  checkRbm(rbm, 'reconstructionError: rbm');
  const mode = checkOneOf(options.mode ?? 'mean-field', 'reconstructionError: options.mode', [
    'mean-field',
    'stochastic',
  ] as const);
  if (mode === 'stochastic' && !options.rng) {
    throw domainError('reconstructionError: options.rng', 'an Rng for mode "stochastic"', options.rng);
  }
  const { data: v, rows } = batchEntries(batch, rbm.nVisible, 'rbm.nVisible', 'reconstructionError: v');
  checkAllFinite(v, 'reconstructionError: v');
  const vt = like(rbm.weights, v.length);
  vt.set(v);
  const h = like(rbm.weights, rows * rbm.nHidden);
  hiddenInputKernel(rbm, vt, rows, h, rbm.visibleUnits === 'gaussian' ? like(vt, vt.length) : vt);
  if (mode === 'mean-field') meansKernel(rbm.hiddenUnits, h, h.length);
  else sampleKernel(rbm.hiddenUnits, h, h.length, options.rng!);
  const y = like(rbm.weights, v.length);
  visibleInputKernel(rbm, h, rows, y);
  meansKernel(rbm.visibleUnits, y, y.length);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const d = vt[i]! - y[i]!;
    sum += d * d;
  }
  return sum / v.length;
}

/** Options of {@link pseudoLikelihood}. */
export interface PseudoLikelihoodOptions {
  /**
   * Gaussian visible units only: quadrature points per standard deviation for the normalising integral
   * of p(v_i | v_-i) (default 8; the integral runs over a_i +- (sum_a |W_ia| max|h| + 10 sigma_i)).
   */
  readonly pointsPerSigma?: number;
}

/**
 * Mean log pseudo-likelihood per sample, (1/rows) sum_rows sum_i log p(v_i | v_{-i}) (Besag 1975),
 * correctly normalised for the unit type. For spin and binary visible units
 * p(v_i | v_-i) = sigmoidStable(F(v with v_i changed) - F(v)), exactly, with the other value of v_i being -v_i
 * (spin) or 1 - v_i (binary); data must be exactly +-1 or 0/1. For Gaussian visible units it is a density:
 * exp(-F(v)) / integral dv_i exp(-F(v)), the integral by the trapezoid rule on a fine grid (spectrally
 * accurate for this smooth, Gaussian-tailed integrand).
 * Cost O(rows nV nH) for discrete units; O(rows nV nH (range / sigma) pointsPerSigma) for Gaussian ones.
 * @throws DomainError for non-discrete values with discrete units.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, pseudoLikelihood } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const pl = pseudoLikelihood(rbm, matrix(Int8Array.of(1, 1, 1, 1, -1, -1, -1, -1), 2, 4)); // ~ 4 ln(1/2) = -2.77 untrained
 * ```
 */
export function pseudoLikelihood<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  options: PseudoLikelihoodOptions = {},
): number {
  options = checkOptions(options, 'pseudoLikelihood: options', PSEUDO_LIKELIHOOD_OPTIONS_KEYS);
  checkRbm(rbm, 'pseudoLikelihood: rbm');
  const { data: v, rows } = batchEntries(batch, rbm.nVisible, 'rbm.nVisible', 'pseudoLikelihood: v');
  const { nVisible: nv, nHidden: nh, weights: w, visibleBias: a } = rbm;
  const units = rbm.visibleUnits;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    const ok =
      units === 'spin' ? x === 1 || x === -1 : units === 'binary' ? x === 0 || x === 1 : Number.isFinite(x);
    if (!ok) throw domainError(`pseudoLikelihood: v[${i}]`, `a ${units} unit value`, x);
  }
  const vt = like(rbm.weights, v.length);
  vt.set(v);
  const x = like(rbm.weights, rows * nh);
  hiddenInputKernel(rbm, vt, rows, x, units === 'gaussian' ? like(vt, vt.length) : vt);
  const lz = rbm.hiddenUnits === 'spin' ? logTwoCosh : softplusStable;
  let total = 0;
  if (units !== 'gaussian') {
    for (let r = 0; r < rows; r++) {
      const oh = r * nh;
      let base = 0;
      for (let j = 0; j < nh; j++) base += lz(x[oh + j]!);
      for (let i = 0; i < nv; i++) {
        const vi = vt[r * nv + i]!;
        const dv = units === 'spin' ? -2 * vi : 1 - 2 * vi; // change of v_i when switched
        // -F(v') + F(v) = a_i dv + sum_a [lz(x_a + dv W_ia) - lz(x_a)]
        let gap = a[i]! * dv - base;
        for (let j = 0; j < nh; j++) gap += lz(x[oh + j]! + dv * w[i * nh + j]!);
        // log p(v_i | v_-i) = -log(1 + exp(gap))
        total -= softplusStable(gap);
      }
    }
    return total / rows;
  }
  const pps = options.pointsPerSigma ?? 8;
  if (!(Number.isFinite(pps) && pps >= 2)) {
    throw domainError('pseudoLikelihood: options.pointsPerSigma', 'a finite number >= 2', pps);
  }
  const s = rbm.visibleSigma!;
  const hmax = 1;
  for (let r = 0; r < rows; r++) {
    const oh = r * nh;
    for (let i = 0; i < nv; i++) {
      const s2 = s[i]! * s[i]!;
      const vi = vt[r * nv + i]!;
      let spread = 0;
      for (let j = 0; j < nh; j++) spread += Math.abs(w[i * nh + j]!) * hmax;
      // -F as a function of u = v_i, up to terms independent of v_i
      const negF = (u: number): number => {
        const d = u - a[i]!;
        let f = -(d * d) / (2 * s2);
        const dx = (u - vi) / s2;
        for (let j = 0; j < nh; j++) f += lz(x[oh + j]! + dx * w[i * nh + j]!);
        return f;
      };
      const lo = a[i]! - spread - 10 * s[i]!;
      const hi = a[i]! + spread + 10 * s[i]!;
      const n = Math.max(16, Math.ceil(((hi - lo) / s[i]!) * pps));
      const du = (hi - lo) / n;
      // log-sum-exp trapezoid
      let m = Number.NEGATIVE_INFINITY;
      const vals = new Float64Array(n + 1);
      for (let k = 0; k <= n; k++) {
        vals[k] = negF(lo + k * du);
        if (vals[k]! > m) m = vals[k]!;
      }
      let acc = 0;
      for (let k = 0; k <= n; k++) acc += (k === 0 || k === n ? 0.5 : 1) * Math.exp(vals[k]! - m);
      total += negF(vi) - (m + Math.log(acc * du));
    }
  }
  return total / rows;
}

/** A deep copy of a model (arrays copied, same array type). O(nV nH). */
export function cloneRbm<T extends FloatArray>(rbm: Rbm<T>): Rbm<T> {
  checkRbm(rbm, 'cloneRbm: rbm');
  const copy: Rbm<T> = {
    kind: 'rbm',
    version: 1,
    visibleUnits: rbm.visibleUnits,
    hiddenUnits: rbm.hiddenUnits,
    nVisible: rbm.nVisible,
    nHidden: rbm.nHidden,
    weights: rbm.weights.slice() as T,
    visibleBias: rbm.visibleBias.slice() as T,
    hiddenBias: rbm.hiddenBias.slice() as T,
  };
  return rbm.visibleSigma ? { ...copy, visibleSigma: rbm.visibleSigma.slice() as T } : copy;
}

/**
 * A copy of a model converted to Float32Array or Float64Array parameters. O(nV nH).
 * @example
 * ```ts
 * import { convertRbm, createRbm, createRng } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 64, nHidden: 16, rng: createRng(1) });
 * const single = convertRbm(rbm, 'float32'); // Rbm<Float32Array>: half the memory, faster training
 * ```
 */
export function convertRbm<D extends 'float32' | 'float64'>(
  rbm: Rbm<FloatArray>,
  dtype: D,
): Rbm<D extends 'float32' ? Float32Array : Float64Array> {
  checkRbm(rbm, 'convertRbm: rbm');
  checkOneOf(dtype, 'convertRbm: dtype', ['float32', 'float64'] as const);
  type Out = D extends 'float32' ? Float32Array : Float64Array;
  const conv = (a: FloatArray): Out =>
    (dtype === 'float32' ? Float32Array.from(a) : Float64Array.from(a)) as Out;
  const copy: Rbm<Out> = {
    kind: 'rbm',
    version: 1,
    visibleUnits: rbm.visibleUnits,
    hiddenUnits: rbm.hiddenUnits,
    nVisible: rbm.nVisible,
    nHidden: rbm.nHidden,
    weights: conv(rbm.weights),
    visibleBias: conv(rbm.visibleBias),
    hiddenBias: conv(rbm.hiddenBias),
  };
  return rbm.visibleSigma ? { ...copy, visibleSigma: conv(rbm.visibleSigma) } : copy;
}
