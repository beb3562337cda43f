/**
 * Stacked RBMs trained greedily layer by layer (Hinton, Osindero, Teh 2006): layer l is trained on the
 * output of layer l-1, either its mean-field output (tanh for spin units, sigmoid for binary) or a sample.
 * Used for the thesis' E3/E6 temperature flows through a stack.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import type { FloatArray, Matrix } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { createRbm, type RbmInit } from './init.js';
import {
  checkRbm,
  hiddenInputKernel,
  meansKernel,
  sampleKernel,
  unitBatch,
  visibleInputKernel,
} from './rbm.js';
import { type RbmEpochRecord, type TrainRbmOptions, trainRbm } from './rbmTrain.js';
import type { Rbm, UnitType } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const TRAIN_RBM_STACK_OPTIONS_KEYS = optionKeys<TrainRbmStackOptions & { readonly dtype?: never }>({
  rng: true,
  train: true,
  visibleUnits: true,
  hiddenUnits: true,
  init: true,
  dtype: true,
  propagate: true,
});
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });
const STACK_PASS_OPTIONS_KEYS = optionKeys<StackPassOptions>({ mode: true, rng: true });

/** A stack of RBMs; layers[l].nHidden === layers[l+1].nVisible. Plain data. */
export interface RbmStack<T extends FloatArray = Float64Array> {
  readonly kind: 'rbm-stack';
  readonly version: 1;
  readonly layers: readonly Rbm<T>[];
}

/** How a layer's output is passed on: its mean-field output or a sample. */
export type PropagationMode = 'mean-field' | 'sample';

/** Options of {@link trainRbmStack}. */
export interface TrainRbmStackOptions {
  readonly rng: Rng;
  /** Training options of every layer (rng is taken from here), or one per layer. */
  readonly train: Omit<TrainRbmOptions, 'rng'> | readonly Omit<TrainRbmOptions, 'rng'>[];
  /** Units of the data layer, default 'spin'. */
  readonly visibleUnits?: UnitType;
  /** Hidden units of every layer, default 'spin'. */
  readonly hiddenUnits?: Exclude<UnitType, 'gaussian'>;
  /** Weight init of each layer (default Gaussian 0.05); `'covariance'` uses that layer's input data. */
  readonly init?: Exclude<RbmInit, { kind: 'covariance' }> | 'covariance';
  readonly dtype?: 'float32' | 'float64';
  /** What the next layer is trained on, default 'mean-field'. */
  readonly propagate?: PropagationMode;
}

/** Result of {@link trainRbmStack}. */
export interface TrainRbmStackResult<T extends FloatArray> {
  readonly stack: RbmStack<T>;
  /** Training history of each layer. */
  readonly histories: readonly (readonly RbmEpochRecord[])[];
}

/**
 * Greedy layer-wise training of a stack with layer sizes [nVisible, n1, n2, ...] on `batch`
 * (a rows x nVisible {@link Matrix}, any numeric entries, e.g. an Int8Array spin batch). Progress reports of layer l carry stage `'layer l/L epoch'`.
 * Cost: the sum of the layers' training costs plus O(rows sum_l n_l n_l+1) for propagation.
 * @throws DomainError / ShapeError for bad sizes, data or options; the errors of {@link trainRbm}.
 * @example
 * ```ts
 * import { createRng, matrix, trainRbmStack } from 'coarsegrain';
 * const rng = createRng(1);
 * const spins = Int8Array.from({ length: 40 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
 * const data = matrix(spins, 40, 16); // 40 samples x 16 spins
 * const { stack, histories } = trainRbmStack(data, [16, 8, 4], { train: { epochs: 2, batchSize: 10 }, rng });
 * // stack.layers: RBMs 16 -> 8 and 8 -> 4, trained greedily; histories[l]: epoch records of layer l
 * ```
 */
export function trainRbmStack<D extends 'float32' | 'float64' = 'float64'>(
  batch: Matrix<ArrayLike<number>>,
  layerSizes: readonly number[],
  options: TrainRbmStackOptions & { readonly dtype?: D },
  run: RunOptions = {},
): TrainRbmStackResult<D extends 'float32' ? Float32Array : Float64Array> {
  run = checkOptions(run, 'trainRbmStack: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'trainRbmStack: options', TRAIN_RBM_STACK_OPTIONS_KEYS, true);
  type T = D extends 'float32' ? Float32Array : Float64Array;
  if (!Array.isArray(layerSizes) || layerSizes.length < 2) {
    throw domainError('trainRbmStack: layerSizes', 'a list of at least 2 sizes', layerSizes);
  }
  for (let l = 0; l < layerSizes.length; l++)
    checkInteger(layerSizes[l], `trainRbmStack: layerSizes[${l}]`, 1);
  const nLayers = layerSizes.length - 1;
  const rng = options?.rng;
  if (!rng || typeof rng.uniform !== 'function')
    throw domainError('trainRbmStack: options.rng', 'an Rng', rng);
  const visibleUnits = options.visibleUnits ?? 'spin';
  const hiddenUnits = options.hiddenUnits ?? 'spin';
  const propagate = checkOneOf(options.propagate ?? 'mean-field', 'trainRbmStack: options.propagate', [
    'mean-field',
    'sample',
  ] as const);
  const trains = Array.isArray(options.train)
    ? options.train
    : Array.from({ length: nLayers }, () => options.train);
  if (trains.length !== nLayers) {
    throw domainError('trainRbmStack: options.train', `one options object or ${nLayers} of them`, trains);
  }
  const { data, rows } = unitBatch(
    batch,
    layerSizes[0]!,
    visibleUnits,
    'layerSizes[0]',
    'trainRbmStack: data',
  );
  const dtype = options.dtype ?? 'float64';
  const Ctor = (dtype === 'float32' ? Float32Array : Float64Array) as unknown as new (n: number) => T;
  let input: ArrayLike<number> = data;
  const layers: Rbm<T>[] = [];
  const histories: RbmEpochRecord[][] = [];
  for (let l = 0; l < nLayers; l++) {
    checkAbort(run.signal, 'trainRbmStack');
    const units = l === 0 ? visibleUnits : hiddenUnits;
    const init: RbmInit | undefined =
      options.init === 'covariance'
        ? { kind: 'covariance', data: { data: input, rows, cols: layerSizes[l]! } }
        : options.init;
    const rbm = createRbm({
      nVisible: layerSizes[l]!,
      nHidden: layerSizes[l + 1]!,
      visibleUnits: units,
      hiddenUnits,
      ...(init !== undefined ? { init } : {}),
      rng,
      dtype,
    }) as unknown as Rbm<T>;
    const stage = `layer ${l + 1}/${nLayers} epoch`;
    const res = trainRbm(
      rbm,
      { data: input, rows, cols: layerSizes[l]! },
      { ...trains[l]!, rng } as TrainRbmOptions,
      {
        ...(run.signal ? { signal: run.signal } : {}),
        onProgress: (p) => run.onProgress?.({ ...p, stage }),
      },
    );
    layers.push(res.model);
    histories.push(res.history.slice());
    if (l + 1 < nLayers) {
      const x = new Ctor(rows * rbm.nHidden);
      const v = new Ctor(rows * rbm.nVisible);
      v.set(input);
      hiddenInputKernel(
        res.model,
        v,
        rows,
        x,
        res.model.visibleUnits === 'gaussian' ? new Ctor(v.length) : v,
      );
      if (propagate === 'mean-field') meansKernel(hiddenUnits, x, x.length);
      else sampleKernel(hiddenUnits, x, x.length, rng);
      input = x;
    }
  }
  return { stack: { kind: 'rbm-stack', version: 1, layers }, histories };
}

/** Options of {@link stackUp} and {@link stackDown}. */
export interface StackPassOptions {
  /** Default 'mean-field'. */
  readonly mode?: PropagationMode;
  /** Required for 'sample'. */
  readonly rng?: Rng;
}

function checkStack<T extends FloatArray>(stack: RbmStack<T>, name: string): void {
  if (stack?.kind !== 'rbm-stack' || !Array.isArray(stack.layers) || stack.layers.length === 0) {
    throw domainError(name, 'an RbmStack with at least one layer', stack);
  }
  stack.layers.forEach((r, l) => {
    checkRbm(r, `${name}.layers[${l}]`);
    if (l > 0 && stack.layers[l - 1]!.nHidden !== r.nVisible) {
      throw domainError(`${name}.layers[${l}].nVisible`, `${stack.layers[l - 1]!.nHidden}`, r.nVisible);
    }
  });
}

function passOptions(options: StackPassOptions, fn: string): { sample: boolean; rng: Rng | undefined } {
  const mode = checkOneOf(options.mode ?? 'mean-field', `${fn}: options.mode`, [
    'mean-field',
    'sample',
  ] as const);
  if (mode === 'sample' && (!options.rng || typeof options.rng.uniform !== 'function')) {
    throw domainError(`${fn}: options.rng`, 'an Rng for mode "sample"', options.rng);
  }
  return { sample: mode === 'sample', rng: options.rng };
}

/**
 * Propagate `batch` (a rows x nVisible-of-layer-0 {@link Matrix}, any numeric entries, e.g. Int8Array
 * spins) up the stack. Returns the output of every layer (entry l is rows x layers[l].nHidden).
 * Cost O(rows sum_l n_l n_l+1).
 * @throws ShapeError if batch.cols differs from the first layer's nVisible; DomainError for bad values.
 * @example
 * ```ts
 * import { createRng, matrix, stackUp, trainRbmStack } from 'coarsegrain';
 * const rng = createRng(1);
 * const spins = Int8Array.from({ length: 40 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
 * const data = matrix(spins, 40, 16); // 40 samples x 16 spins
 * const { stack } = trainRbmStack(data, [16, 8, 4], { train: { epochs: 1 }, rng });
 * const [h1, h2] = stackUp(stack, data); // h1: 40 x 8, h2: 40 x 4 Matrix (mean-field)
 * ```
 */
export function stackUp<T extends FloatArray>(
  stack: RbmStack<T>,
  batch: Matrix<ArrayLike<number>>,
  options: StackPassOptions = {},
): Matrix<T>[] {
  options = checkOptions(options, 'stackUp: options', STACK_PASS_OPTIONS_KEYS);
  checkStack(stack, 'stackUp: stack');
  const first = stack.layers[0]!;
  const { data: v, rows } = unitBatch(
    batch,
    first.nVisible,
    first.visibleUnits,
    'stack.layers[0].nVisible',
    'stackUp: v',
  );
  const { sample, rng } = passOptions(options, 'stackUp');
  const Ctor = first.weights.constructor as new (n: number) => T;
  let input = new Ctor(v.length);
  input.set(v);
  const outs: Matrix<T>[] = [];
  for (const rbm of stack.layers) {
    const x = new Ctor(rows * rbm.nHidden);
    hiddenInputKernel(rbm, input, rows, x, rbm.visibleUnits === 'gaussian' ? new Ctor(input.length) : input);
    if (sample) sampleKernel(rbm.hiddenUnits, x, x.length, rng!);
    else meansKernel(rbm.hiddenUnits, x, x.length);
    outs.push({ data: x, rows, cols: rbm.nHidden });
    input = x;
  }
  return outs;
}

/**
 * Propagate top-layer hidden values `batch` (a rows x top-nHidden {@link Matrix}) down the stack. Returns
 * the visible values of every layer from the top down: entry k is rows x layers[L-1-k].nVisible, the last
 * is the data layer. Cost O(rows sum_l n_l n_l+1).
 * @throws ShapeError if batch.cols differs from the top layer's nHidden; DomainError for bad values.
 * @example
 * ```ts
 * import { createRng, matrix, stackDown, trainRbmStack } from 'coarsegrain';
 * const rng = createRng(1);
 * const spins = Int8Array.from({ length: 40 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
 * const { stack } = trainRbmStack(matrix(spins, 40, 16), [16, 8, 4], { train: { epochs: 1 }, rng });
 * const top = matrix(new Float64Array(40 * 4).fill(1), 40, 4);
 * const layers = stackDown(stack, top); // [40 x 8, 40 x 16] Matrix values: down to the data layer
 * ```
 */
export function stackDown<T extends FloatArray>(
  stack: RbmStack<T>,
  batch: Matrix<ArrayLike<number>>,
  options: StackPassOptions = {},
): Matrix<T>[] {
  options = checkOptions(options, 'stackDown: options', STACK_PASS_OPTIONS_KEYS);
  checkStack(stack, 'stackDown: stack');
  const top = stack.layers[stack.layers.length - 1]!;
  const { data: h, rows } = unitBatch(batch, top.nHidden, top.hiddenUnits, 'the top nHidden', 'stackDown: h');
  const { sample, rng } = passOptions(options, 'stackDown');
  const Ctor = top.weights.constructor as new (n: number) => T;
  let input = new Ctor(h.length);
  input.set(h);
  const outs: Matrix<T>[] = [];
  for (let l = stack.layers.length - 1; l >= 0; l--) {
    const rbm = stack.layers[l]!;
    const y = new Ctor(rows * rbm.nVisible);
    visibleInputKernel(rbm, input, rows, y);
    if (sample) sampleKernel(rbm.visibleUnits, y, y.length, rng!, rbm.visibleSigma, rbm.nVisible);
    else meansKernel(rbm.visibleUnits, y, y.length);
    outs.push({ data: y, rows, cols: rbm.nVisible });
    input = y;
  }
  return outs;
}
