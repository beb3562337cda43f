/**
 * RBM training by contrastive divergence (CD-k, Hinton 2002) and persistent contrastive divergence
 * (PCD-k, Tieleman 2008), with minibatches, SGD/Adam from optim.ts, weight decay, L1, schedules,
 * per-epoch metrics, cancellation, divergence detection, and checkpoints that resume bit-identically.
 * @module
 */
import { DivergenceError, StateError } from '../core/errors.js';
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import {
  binaryGemmFor,
  type GemmBinaryFunction,
  gemmBinaryKernel,
  gemmBinaryLoadMaxAbs,
  gemmBinaryPrepare,
  gemmBinaryRun,
} from '../core/gemmBinary.js';
import type { RunOptions } from '../core/progress.js';
import { aleaRegistersOf, permutation, type Rng, type RngState, restoreRng } from '../core/rng.js';
import type { FloatArray, Matrix } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkTrainingWork,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { columnAccumulateWasm } from '../core/wasm/sigmoidWasm.js';
import { maxAbsWasm } from '../core/wasm/updateWasm.js';
import { sharedFloatCopy } from './denseLayer.js';
import {
  adamFor,
  adamRangeKernel,
  cloneOptimizerState,
  createOptimizer,
  currentLearningRate,
  normalizeOptimizerConfig,
  type OptimizerConfig,
  type OptimizerState,
  optimizerStepAllKernel,
  THESIS_ADAM,
} from './optim.js';
import {
  type BinaryUnitsOnThreads,
  checkRbm,
  cloneRbm,
  hiddenInputKernel,
  meansKernel,
  pseudoLikelihood,
  sampleAndMeansKernel,
  sampleKernel,
  splitBinaryUnitsFor,
  uniformFiller,
  unitBatch,
  visibleInputKernel,
} from './rbm.js';
import type { Rbm, UnitType } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const TRAIN_RBM_OPTIONS_KEYS = optionKeys<TrainRbmOptions>({
  epochs: true,
  rng: true,
  batchSize: true,
  method: true,
  k: true,
  persistentChains: true,
  optimizer: true,
  regularizeBiases: true,
  shuffle: true,
  maxWeight: true,
  monitorSize: true,
  pseudoLikelihood: true,
  learnSigma: true,
  minSigma: true,
  gemm: true,
});
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });

/** Options of {@link trainRbm}. Defaults follow the thesis recipe (PCD-1, Adam lr 1e-3 eps 1e-2, batch 100). */
export interface TrainRbmOptions {
  /** Total number of epochs (passes over the data); {@link resumeTraining} continues up to this count. */
  readonly epochs: number;
  /** Random stream for shuffling, chain initialisation and Gibbs sampling. Required by trainRbm. */
  readonly rng?: Rng;
  /** Minibatch size, default 100 (the last batch of an epoch may be smaller). */
  readonly batchSize?: number;
  /** `'pcd'` (default; persistent chains) or `'cd'` (chains restart at the minibatch). */
  readonly method?: 'cd' | 'pcd';
  /** Gibbs steps per update, default 1. */
  readonly k?: number;
  /** PCD: number of persistent chains, default batchSize. Initialised from random data rows. */
  readonly persistentChains?: number;
  /** Optimiser, default {@link THESIS_ADAM}. Weight decay and L1 apply to W only unless regularizeBiases. */
  readonly optimizer?: OptimizerConfig;
  readonly regularizeBiases?: boolean;
  /** Shuffle the data each epoch (default true). */
  readonly shuffle?: boolean;
  /** Divergence bound on max |W_ia| (default 1e3); NaN/Inf always count as divergence. */
  readonly maxWeight?: number;
  /** Rows (the first ones of `data`) on which per-epoch metrics are computed, default min(rows, 500); 0 = none. */
  readonly monitorSize?: number;
  /** Also report the pseudo-likelihood of the monitor rows each epoch (discrete data). Default false. */
  readonly pseudoLikelihood?: boolean;
  /** Gaussian visible units: learn sigma too (default false: sigma fixed). */
  readonly learnSigma?: boolean;
  /** Floor for learned sigma, default 1e-2 (keeps the Gaussian units stable). */
  readonly minSigma?: number;
  /**
   * The matrix product of the training step, default `gemmKernel`. A threaded one
   * (`createThreadedGemm(...).gemm` from `coarsegrain/parallel`) uses more cores with a bit-identical
   * result; the training buffers are then allocated on SharedArrayBuffers so that its workers share them.
   * With binary visible units, the products with the 0/1 visible states (data and samples) run as sums
   * of selected rows of the weights or hidden means (`gemmBinaryKernel`, split over the threads for a
   * threaded product), bit-identical to `gemm`; this holds for `gemmKernel` and the threaded product,
   * and any other function receives every product.
   */
  readonly gemm?: GemmKernelFunction;
}

/** Metrics of one epoch. */
export interface RbmEpochRecord {
  readonly epoch: number;
  /** Parameter updates performed so far. */
  readonly updates: number;
  /** Learning rate of the last update. */
  readonly learningRate: number;
  /** Mean-field reconstruction MSE on the monitor rows (NaN if monitorSize = 0). */
  readonly reconstructionError: number;
  /** Mean log pseudo-likelihood on the monitor rows, if requested. */
  readonly pseudoLikelihood?: number;
}

/** Everything needed to continue training bit-identically. Plain data (serialisable). */
export interface RbmCheckpoint<T extends FloatArray = Float64Array> {
  readonly kind: 'rbm-checkpoint';
  readonly version: 1;
  readonly model: Rbm<T>;
  readonly optimizer: OptimizerState;
  /** PCD chains (persistentChains x nVisible), or null for CD. */
  readonly chains: T | null;
  readonly rng: RngState;
  /** Completed epochs. */
  readonly epoch: number;
  readonly history: readonly RbmEpochRecord[];
  /** The sampling settings the run was started with (resume must keep them). */
  readonly settings: {
    readonly method: 'cd' | 'pcd';
    readonly k: number;
    readonly batchSize: number;
    readonly persistentChains: number;
    readonly learnSigma: boolean;
  };
}

/** Result of {@link trainRbm} and {@link resumeTraining}. */
export interface TrainRbmResult<T extends FloatArray = Float64Array> {
  /** The trained model (a new object; the input model is not modified). */
  readonly model: Rbm<T>;
  readonly history: readonly RbmEpochRecord[];
  readonly checkpoint: RbmCheckpoint<T>;
}

interface Resolved {
  epochs: number;
  batchSize: number;
  method: 'cd' | 'pcd';
  k: number;
  persistentChains: number;
  shuffle: boolean;
  maxWeight: number;
  monitorSize: number;
  pl: boolean;
  learnSigma: boolean;
  minSigma: number;
  regularizeBiases: boolean;
  gemm: GemmKernelFunction;
}

function checkGemm(gemm: GemmKernelFunction | undefined, name: string): GemmKernelFunction {
  if (gemm === undefined) return gemmKernel;
  if (typeof gemm !== 'function') throw domainError(name, 'a function with the contract of gemmKernel', gemm);
  return gemm;
}

function resolve(options: TrainRbmOptions, rows: number, where: string): Resolved {
  if (options === null || typeof options !== 'object')
    throw domainError(`${where}: options`, 'an options object', options);
  const batchSize = checkInteger(options.batchSize ?? 100, `${where}: options.batchSize`, 1);
  return {
    epochs: checkInteger(options.epochs, `${where}: options.epochs`, 0),
    batchSize,
    method: checkOneOf(options.method ?? 'pcd', `${where}: options.method`, ['cd', 'pcd'] as const),
    k: checkInteger(options.k ?? 1, `${where}: options.k`, 1),
    persistentChains: checkInteger(
      options.persistentChains ?? batchSize,
      `${where}: options.persistentChains`,
      1,
    ),
    shuffle: options.shuffle ?? true,
    maxWeight: checkPositive(options.maxWeight ?? 1e3, `${where}: options.maxWeight`),
    monitorSize: checkInteger(
      options.monitorSize ?? Math.min(rows, 500),
      `${where}: options.monitorSize`,
      0,
      rows,
    ),
    pl: options.pseudoLikelihood === true,
    learnSigma: options.learnSigma === true,
    minSigma: checkPositive(options.minSigma ?? 1e-2, `${where}: options.minSigma`),
    regularizeBiases: options.regularizeBiases === true,
    gemm: checkGemm(options.gemm, `${where}: options.gemm`),
  };
}

/**
 * Train an RBM on `data` (rows x nVisible, row-major; values in [-1, 1] for spin visible units, [0, 1] for
 * binary ones, any finite value for Gaussian ones). Each update: positive phase E[h | v_data]; negative
 * phase k block-Gibbs steps from the minibatch (CD) or from the persistent chains (PCD), then E[h | v_k];
 * descent on the negative log-likelihood gradient
 * dNLL/dW = <vt h>_model - <vt h>_data (vt = v, or v / sigma^2 for Gaussian units), likewise for biases.
 * The input model is copied, never modified. Works for Rbm<Float32Array> (all buffers float32) and
 * Rbm<Float64Array>. Cost per epoch: about 5 rows nV nH (x2 flops) multiply-adds for CD-1, 6 for PCD-1.
 * Reports `{ stage: 'epoch', done, total, metrics }` after each epoch; checks `run.signal` between minibatches.
 * @throws DomainError / ShapeError for bad model, data or options (naming the argument); AbortError when
 *   aborted; DivergenceError (lastGood = the model after the last finite update) on NaN/Inf or
 *   max |W| > maxWeight.
 * @example
 * ```ts
 * import { createIsing2D, createRbm, createRng, ensembleMatrix, hiddenMeans, sampleEnsemble, trainRbm } from 'coarsegrain';
 * const rng = createRng(1);
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.27, samples: 100, rng }); // 100 x 64 spins
 * const rbm = createRbm({ nVisible: 64, nHidden: 16, rng });
 * const v = ensembleMatrix(ens); // the Int8Array spins as a 100 x 64 Matrix, no copy
 * const { model, history } = trainRbm(rbm, v, { epochs: 5, batchSize: 20, method: 'pcd', rng });
 * history[4]!.reconstructionError; // mean (v - vhat)^2 per unit after 5 epochs
 * const h = hiddenMeans(model, v); // 100 x 16 features
 * ```
 */
export function trainRbm<T extends FloatArray>(
  rbm: Rbm<T>,
  batch: Matrix<ArrayLike<number>>,
  options: TrainRbmOptions,
  run: RunOptions = {},
): TrainRbmResult<T> {
  run = checkOptions(run, 'trainRbm: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'trainRbm: options', TRAIN_RBM_OPTIONS_KEYS, true);
  checkRbm(rbm, 'trainRbm: rbm');
  const { data, rows } = unitBatch(batch, rbm.nVisible, rbm.visibleUnits, 'rbm.nVisible', 'trainRbm: data');
  const o = resolve(options, rows, 'trainRbm');
  checkTrainingWork('trainRbm', o.epochs, rows, rbm.nVisible * rbm.nHidden);
  const rng = options.rng;
  if (!rng || typeof rng.uniform !== 'function') throw domainError('trainRbm: options.rng', 'an Rng', rng);
  const model = cloneRbm(rbm);
  if (o.learnSigma && model.visibleUnits !== 'gaussian') {
    throw domainError('trainRbm: options.learnSigma', 'false for non-Gaussian visible units', true);
  }
  const sizes = [model.nVisible * model.nHidden, model.nVisible, model.nHidden];
  const reg = [true, o.regularizeBiases, o.regularizeBiases];
  if (o.learnSigma) {
    sizes.push(model.nVisible);
    reg.push(false);
  }
  const optimizer = createOptimizer(options.optimizer ?? THESIS_ADAM, sizes, reg);
  let chains: T | null = null;
  if (o.method === 'pcd') {
    chains = new (model.weights.constructor as new (n: number) => T)(o.persistentChains * model.nVisible);
    const nv = model.nVisible;
    for (let c = 0; c < o.persistentChains; c++) {
      const r = rng.int(rows);
      for (let i = 0; i < nv; i++) chains[c * nv + i] = data[r * nv + i]!;
    }
  }
  return runTraining(model, data, rows, o, optimizer, chains, rng, 0, [], run);
}

/**
 * Continue a run from a checkpoint up to `options.epochs` total epochs, bit-identically to an
 * uninterrupted run with the same settings (the rng, optimiser moments and chains are restored; the
 * optimiser config is the checkpoint's). `options.rng` is ignored. The checkpoint is not modified.
 * @throws StateError for an invalid checkpoint or sampling settings that differ from the checkpoint's;
 *   the errors of {@link trainRbm} otherwise.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, resumeTraining, trainRbm } from 'coarsegrain';
 * const rng = createRng(1);
 * const spins = Int8Array.from({ length: 32 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
 * const data = matrix(spins, 32, 16); // 32 samples x 16 spins
 * const first = trainRbm(createRbm({ nVisible: 16, nHidden: 8, rng }), data, { epochs: 2, rng });
 * const saved = first.checkpoint; // plain data: serializeModel(saved) stores it
 * const { history } = resumeTraining(saved, data, { epochs: 4 }); // epochs 3 and 4, as one run of 4
 * ```
 */
export function resumeTraining<T extends FloatArray>(
  checkpoint: RbmCheckpoint<T>,
  batch: Matrix<ArrayLike<number>>,
  options: TrainRbmOptions,
  run: RunOptions = {},
): TrainRbmResult<T> {
  run = checkOptions(run, 'resumeTraining: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'resumeTraining: options', TRAIN_RBM_OPTIONS_KEYS, true);
  if (checkpoint?.kind !== 'rbm-checkpoint' || checkpoint.version !== 1) {
    throw new StateError(
      `resumeTraining: checkpoint: expected an rbm-checkpoint of version 1, received kind ${String(checkpoint?.kind)} version ${String(checkpoint?.version)}`,
    );
  }
  checkRbm(checkpoint.model, 'resumeTraining: checkpoint.model');
  const model = cloneRbm(checkpoint.model);
  const { data, rows } = unitBatch(
    batch,
    model.nVisible,
    model.visibleUnits,
    'checkpoint.model.nVisible',
    'resumeTraining: data',
  );
  const o = resolve({ ...checkpoint.settings, ...options }, rows, 'resumeTraining');
  checkTrainingWork('resumeTraining', o.epochs, rows, checkpoint.model.nVisible * checkpoint.model.nHidden);
  const s = checkpoint.settings;
  for (const key of ['method', 'k', 'batchSize', 'persistentChains', 'learnSigma'] as const) {
    const mine = key === 'learnSigma' ? o.learnSigma : o[key];
    if (mine !== s[key]) {
      throw new StateError(
        `resumeTraining: options.${key}: expected ${String(s[key])} as in the checkpoint, received ${String(mine)}`,
      );
    }
  }
  normalizeOptimizerConfig(checkpoint.optimizer.config, 'resumeTraining: checkpoint.optimizer');
  const optimizer = cloneOptimizerState(checkpoint.optimizer);
  const chains = checkpoint.chains ? (checkpoint.chains.slice() as T) : null;
  if (o.method === 'pcd' && (!chains || chains.length !== o.persistentChains * model.nVisible)) {
    throw new StateError('resumeTraining: checkpoint.chains: expected persistentChains x nVisible values');
  }
  if (checkpoint.epoch > o.epochs) {
    throw domainError(
      'resumeTraining: options.epochs',
      `at least the checkpoint's ${checkpoint.epoch}`,
      o.epochs,
    );
  }
  const rng = restoreRng(checkpoint.rng);
  return runTraining(
    model,
    data,
    rows,
    o,
    optimizer,
    chains,
    rng,
    checkpoint.epoch,
    checkpoint.history.slice(),
    run,
  );
}

function runTraining<T extends FloatArray>(
  input: Rbm<T>,
  data: ArrayLike<number>,
  rows: number,
  o: Resolved,
  optimizer: OptimizerState,
  chains: T | null,
  rng: Rng,
  startEpoch: number,
  history: RbmEpochRecord[],
  run: RunOptions,
): TrainRbmResult<T> {
  const Ctor = input.weights.constructor as new (n: number) => T;
  // with a threaded product, every buffer it reads or writes lives on a SharedArrayBuffer
  const shared = o.gemm !== gemmKernel;
  const alloc = (n: number): T =>
    shared
      ? new (Ctor as unknown as new (b: SharedArrayBuffer) => T)(
          new SharedArrayBuffer(n * input.weights.BYTES_PER_ELEMENT),
        )
      : new Ctor(n);
  const model = shared ? sharedCopy(input, alloc) : input;
  const { nVisible: nv, nHidden: nh } = model;
  const gemm = o.gemm;
  const B = o.batchSize;
  const pcd = o.method === 'pcd';
  const C = pcd ? o.persistentChains : B;
  const R = B + C;
  const gauss = model.visibleUnits === 'gaussian';
  // The fused step: one buffer holds the data rows [0, B) and the negative (chain) rows [B, B + C), so
  // that the hidden inputs of both phases (PCD) are one product. Row r of a product depends on row r of
  // its input only, so the fusion changes no hidden input.
  const v = alloc(R * nv);
  const vData = v.subarray(0, B * nv) as T;
  const vNeg = v.subarray(B * nv) as T;
  if (pcd) vNeg.set(chains!);
  const s = gauss ? alloc(R * nv) : v; // v / sigma^2
  const sNeg = s.subarray(B * nv) as T;
  const x = alloc(R * nh); // hidden inputs, then means
  const xData = x.subarray(0, B * nh) as T;
  const hNeg = x.subarray(B * nh) as T;
  const gW = alloc(nv * nh);
  const ga = new Float64Array(nv);
  const gb = new Float64Array(nh);
  const gs = o.learnSigma ? new Float64Array(nv) : null;
  const whData = o.learnSigma ? alloc(B * nv) : null;
  const whNeg = o.learnSigma ? alloc(C * nv) : null;
  const params: FloatArray[] = [model.weights, model.visibleBias, model.hiddenBias];
  const grads: ArrayLike<number>[] = [gW, ga, gb];
  if (o.learnSigma) {
    params.push(model.visibleSigma!);
    grads.push(gs!);
  }
  // The Adam steps and binary units that go with the product (split over its threads for a threaded
  // one): its workers need Adam's moments on SharedArrayBuffers, so the state holds shared copies from
  // here on, and the units' uniforms are drawn first, in element order, into a shared buffer.
  const adam = adamFor(gemm);
  /** The uniforms a minibatch of `nb` data rows draws (all binary units): hidden, then visible samples. */
  const drawsPerBatch = (nb: number): number => {
    const ncb = pcd ? C : nb;
    return (pcd ? 0 : nb * nh) + o.k * ncb * nv + (pcd ? o.k : o.k - 1) * ncb * nh;
  };
  const onThreads = shared ? splitBinaryUnitsFor(gemm) : null;
  // every draw of a minibatch goes to binary units (uniforms), so a minibatch's draws can be made ahead
  const allBinary = model.visibleUnits === 'binary' && model.hiddenUnits === 'binary';
  const units = onThreads
    ? threadedUnits(onThreads, rng, R * Math.max(nv, nh), allBinary ? drawsPerBatch(B) : 0)
    : null;
  if (shared && optimizer.config.kind === 'adam') {
    for (let j = 0; j < params.length; j++) {
      optimizer.moments1[j] = sharedFloatCopy(optimizer.moments1[j]!);
      optimizer.moments2[j] = sharedFloatCopy(optimizer.moments2[j]!);
    }
  }
  /**
   * Units of type `type` on the threads (see {@link ThreadedUnits.run}) when they are binary; false,
   * having done nothing, for other units or without split units.
   */
  const unitsOnThreads = (type: UnitType, x: T, n: number, means: boolean, sample: T | null): boolean => {
    if (units === null || type !== 'binary') return false;
    units.run(x, n, means, sample);
    return true;
  };
  const lastGood = cloneRbm(model);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const monitor = o.monitorSize > 0 ? new Ctor(o.monitorSize * nv) : null;
  if (monitor) for (let i = 0; i < monitor.length; i++) monitor[i] = data[i]!;
  const nBatches = Math.ceil(rows / B);
  // Binary visible units: the products with the 0/1 visible states run as sums of selected rows
  // (gemmBinaryKernel, bit-identical to gemmKernel), with the weights loaded once per minibatch; with
  // a gemm that is not declared exact (registerExactGemm), every product goes to that gemm.
  const binaryGemm = binaryGemmFor(gemm);
  const binary = model.visibleUnits === 'binary' ? binaryGemm : null;
  // binary hidden units: the visible inputs a + h W^T from the 0/1 hidden samples likewise (W^T resident)
  const binaryHidden = model.hiddenUnits === 'binary' ? binaryGemm : null;
  let weightsLoaded = false;
  /** W loaded into WEIGHT_SLOT after the last update (by the divergence check), unchanged since. */
  let weightsPreloaded = false;
  let transposedLoaded = false;
  /** W^T loaded into TRANSPOSED_SLOT from that copy of W (by the divergence check), W unchanged since. */
  let transposedPreloaded = false;
  const visibleInput = (h: T, rowsIn: number, out: T): void => {
    if (!binaryHidden) {
      visibleInputKernel(model, h, rowsIn, out, gemm);
      return;
    }
    const bias = model.visibleBias;
    for (let r = 0; r < rowsIn; r++) out.set(bias, r * nv);
    const w = model.weights;
    let done: boolean;
    if (binaryHidden === gemmBinaryKernel && !transposedLoaded && weightsLoaded) {
      // on this thread, W^T is copied from the W that this minibatch's hidden inputs loaded (same W);
      // a product that declines (too dense) goes straight to gemm, listed once
      done =
        gemmBinaryPrepare(
          TRANSPOSED_SLOT,
          true,
          false,
          true,
          rowsIn,
          nv,
          nh,
          1,
          h,
          0,
          nh,
          w,
          0,
          nh,
          out,
          WEIGHT_SLOT,
        ) && gemmBinaryRun(TRANSPOSED_SLOT, rowsIn, nv, nh, 1, 1, out, 0, nv);
    } else {
      done = binaryHidden(
        TRANSPOSED_SLOT,
        !transposedLoaded,
        false,
        true,
        rowsIn,
        nv,
        nh,
        1,
        h,
        0,
        nh,
        w,
        0,
        nh,
        1,
        out,
        0,
        nv,
      );
    }
    if (done) transposedLoaded = true;
    else gemm(false, true, rowsIn, nv, nh, 1, h, 0, nh, w, 0, nh, 1, out, 0, nv);
  };
  const hiddenInput = (vIn: T, rowsIn: number, out: T, scratch: T): void => {
    if (!binary) {
      hiddenInputKernel(model, vIn, rowsIn, out, scratch, gemm);
      return;
    }
    const bias = model.hiddenBias;
    for (let r = 0; r < rowsIn; r++) out.set(bias, r * nh);
    const w = model.weights;
    if (
      binary(
        WEIGHT_SLOT,
        !weightsLoaded,
        false,
        false,
        rowsIn,
        nh,
        nv,
        1,
        vIn,
        0,
        nv,
        w,
        0,
        nh,
        1,
        out,
        0,
        nh,
      )
    ) {
      weightsLoaded = true;
    } else gemm(false, false, rowsIn, nh, nv, 1, vIn, 0, nv, w, 0, nh, 1, out, 0, nh);
  };

  const diverged = (why: string): never => {
    throw new DivergenceError(
      `trainRbm: training diverged (${why}) at update ${optimizer.step}; lastGood holds the model after the last finite update`,
      lastGood,
    );
  };

  for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
    const perm = o.shuffle ? permutation(rng, rows) : order;
    for (let batch = 0; batch < nBatches; batch++) {
      checkAbort(run.signal, 'trainRbm');
      const start = batch * B;
      const nb = Math.min(B, rows - start);
      copyRows(vData, data, perm, start, nb, nv);
      // the weights changed in the last update: loaded again, unless the divergence check did it
      weightsLoaded = weightsPreloaded;
      weightsPreloaded = false;
      transposedLoaded = transposedPreloaded;
      transposedPreloaded = false;
      const nc = pcd ? C : nb;
      // positive phase (and, for PCD, the chains' first hidden inputs in the same product)
      hiddenInput(v, pcd ? R : B, x, s);
      // CD with binary hidden units: the data's hidden means and the first hidden sample in one pass
      // (one sigmoid per unit; the same comparisons, in the same order, as sampleKernel then meansKernel)
      const fused = !pcd && model.hiddenUnits === 'binary';
      if (fused) {
        if (!unitsOnThreads('binary', xData, nb * nh, true, hNeg))
          sampleAndMeansKernel(xData, hNeg, nb * nh, rng);
      } else if (!pcd) hNeg.set(xData.subarray(0, nb * nh));
      // negative phase: k block-Gibbs steps from the chains (PCD) or the data (CD)
      for (let step = 0; step < o.k; step++) {
        if (step > 0) hiddenInput(vNeg, nc, hNeg, sNeg);
        if (step > 0 || !fused) {
          if (!unitsOnThreads(model.hiddenUnits, hNeg, nc * nh, false, hNeg)) {
            sampleKernel(model.hiddenUnits, hNeg, nc * nh, rng);
          }
        }
        visibleInput(hNeg, nc, vNeg);
        if (!unitsOnThreads(model.visibleUnits, vNeg, nc * nv, false, vNeg)) {
          sampleKernel(model.visibleUnits, vNeg, nc * nv, rng, model.visibleSigma, nv);
        }
      }
      units?.endDraws(); // this minibatch's draws are done
      hiddenInput(vNeg, nc, hNeg, sNeg);
      if (!fused && !unitsOnThreads(model.hiddenUnits, xData, nb * nh, true, null)) {
        meansKernel(model.hiddenUnits, xData, nb * nh);
      }
      if (!unitsOnThreads(model.hiddenUnits, hNeg, nc * nh, true, null)) {
        meansKernel(model.hiddenUnits, hNeg, nc * nh);
      }
      if (o.learnSigma) {
        gemm(false, true, nb, nv, nh, 1, xData, 0, nh, model.weights, 0, nh, 0, whData!, 0, nv);
        gemm(false, true, nc, nv, nh, 1, hNeg, 0, nh, model.weights, 0, nh, 0, whNeg!, 0, nv);
      }
      phaseGradient(model, v, s, x, B, nb, nc, gW, ga, gb, gemm, binary);
      // the next minibatch's uniforms (same epoch) are drawn ahead on a worker while this thread
      // finishes this one, from the update on (after it, when the update itself runs on the threads)
      const splitUpdate = optimizer.config.kind === 'adam' && adam !== adamRangeKernel;
      const next = batch + 1 < nBatches ? Math.min(B, rows - (batch + 1) * B) : 0;
      if (next > 0 && !splitUpdate) units?.prefetch(drawsPerBatch(next));
      if (gs) {
        gs.fill(0);
        const a = model.visibleBias;
        const sig = model.visibleSigma!;
        sigmaGradient(gs, vData, whData!, nb, nv, 1 / nb, a, sig);
        sigmaGradient(gs, vNeg, whNeg!, nc, nv, -1 / nc, a, sig);
      }
      optimizerStepAllKernel(optimizer, params, grads, adam);
      if (next > 0 && splitUpdate) units?.prefetch(drawsPerBatch(next));
      if (o.learnSigma) {
        const sg = model.visibleSigma!;
        for (let i = 0; i < nv; i++) if (sg[i]! < o.minSigma) sg[i] = o.minSigma;
      }
      // divergence check (sampled spin and binary chain states are always finite); on this thread,
      // with binary visible units, on the copy of W that the next minibatch's first product uses
      const w = model.weights;
      // (and, with binary hidden units, W^T for the visible inputs, the maximum found while transposing)
      const withTransposed = binaryHidden === gemmBinaryKernel;
      const loadedMax =
        binary === gemmBinaryKernel
          ? gemmBinaryLoadMaxAbs(
              WEIGHT_SLOT,
              w,
              0,
              nh,
              nv,
              nh,
              w instanceof Float32Array,
              withTransposed ? TRANSPOSED_SLOT : -1,
            )
          : null;
      weightsPreloaded = loadedMax !== null;
      transposedPreloaded = weightsPreloaded && withTransposed;
      const maxW = loadedMax ?? maxAbs(w);
      if (!(maxW <= o.maxWeight)) {
        diverged(Number.isFinite(maxW) ? `|W| = ${maxW} > maxWeight ${o.maxWeight}` : `W = ${maxW}`);
      }
      for (const p of params.slice(1)) {
        for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i]!)) diverged('non-finite bias');
      }
      if (pcd && gauss) {
        for (let i = 0; i < vNeg.length; i++)
          if (!Number.isFinite(vNeg[i]!)) diverged('non-finite chain state');
      }
      copyInto(lastGood, model);
    }
    const record: RbmEpochRecord = {
      epoch: epoch + 1,
      updates: optimizer.step,
      learningRate: currentLearningRate({ ...optimizer, step: Math.max(0, optimizer.step - 1) }),
      reconstructionError: monitor ? monitorReconstruction(model, monitor, o.monitorSize) : Number.NaN,
      ...(o.pl && monitor
        ? { pseudoLikelihood: pseudoLikelihood(model, { data: monitor, rows: o.monitorSize, cols: nv }) }
        : {}),
    };
    history.push(record);
    const metrics: Record<string, number> = {
      reconstructionError: record.reconstructionError,
      learningRate: record.learningRate,
    };
    if (record.pseudoLikelihood !== undefined) metrics.pseudoLikelihood = record.pseudoLikelihood;
    run.onProgress?.({ stage: 'epoch', done: epoch + 1, total: o.epochs, metrics });
  }
  if (pcd) chains!.set(vNeg);
  if (shared) copyInto(input, model);
  const checkpoint: RbmCheckpoint<T> = {
    kind: 'rbm-checkpoint',
    version: 1,
    model: cloneRbm(model),
    optimizer: cloneOptimizerState(optimizer),
    chains: pcd ? (chains!.slice() as T) : null,
    rng: rng.save(),
    epoch: Math.max(startEpoch, o.epochs),
    history: history.slice(),
    settings: {
      method: o.method,
      k: o.k,
      batchSize: o.batchSize,
      persistentChains: o.persistentChains,
      learnSigma: o.learnSigma,
    },
  };
  return { model: input, history, checkpoint };
}

/** Binary units of one training on a threaded product's threads (see {@link threadedUnits}). */
interface ThreadedUnits {
  /**
   * x -> sigmoid(x) in place when `means`, and `sample` (may be x when not `means`) drawn from x with
   * the generator's next n uniforms, split over the threads.
   */
  run(x: FloatArray, n: number, means: boolean, sample: FloatArray | null): void;
  /**
   * Start drawing the next minibatch's `count` uniforms on a worker. The generator must not be used
   * until `run` has consumed them; the first `run` waits for them and advances the generator past them.
   */
  prefetch(count: number): void;
  /** A minibatch's draws are done: checks that uniforms drawn ahead for it were used exactly. */
  endDraws(): void;
}

/**
 * Binary units on `onThreads` for one training with generator `rng`, for samples of up to `size`
 * elements. With `ahead` > 0 (every draw of a minibatch is a binary unit's, at most `ahead` of them) and
 * one of this library's generators, a minibatch's uniforms can be drawn ahead on a worker from a copy of
 * the generator's registers: the same stream, so the same bits as drawing them here.
 */
function threadedUnits(
  onThreads: BinaryUnitsOnThreads,
  rng: Rng,
  size: number,
  ahead: number,
): ThreadedUnits {
  const fill = uniformFiller(rng);
  const uniforms = sharedFloatCopy(new Float64Array(size));
  const live = ahead > 0 ? aleaRegistersOf(rng) : null;
  const drawn = live ? sharedFloatCopy(new Float64Array(ahead)) : null;
  const registers = sharedFloatCopy(new Float64Array(4));
  let join: (() => void) | null = null;
  let count = 0;
  /** Uniforms of `drawn` used by this minibatch, or -1 when it draws its own. */
  let used = -1;
  const take = (n: number): Float64Array => {
    if (join !== null) {
      join();
      join = null;
      [live!.c, live!.s0, live!.s1, live!.s2] = registers;
      used = 0;
    }
    if (used < 0) {
      fill(uniforms.subarray(0, n));
      return uniforms;
    }
    if (used + n > count)
      throw new StateError('trainRbm: a minibatch drew more uniforms than were drawn ahead');
    used += n;
    return drawn!.subarray(used - n, used);
  };
  return {
    run: (x, n, means, sample) =>
      onThreads.units(x, means ? x : null, sample, sample === null ? null : take(n), 0, n),
    prefetch: (n) => {
      if (live === null || n > drawn!.length) return;
      registers.set([live.c, live.s0, live.s1, live.s2]);
      count = n;
      join = onThreads.prefetchUniforms(registers, drawn!.subarray(0, n));
    },
    endDraws: () => {
      if (join !== null || (used >= 0 && used !== count)) {
        throw new StateError('trainRbm: a minibatch drew fewer uniforms than were drawn ahead');
      }
      used = -1;
    },
  };
}

/** Resident slots of gemmBinaryKernel: the weights and W^T (one load each per minibatch), the hidden means. */
const WEIGHT_SLOT = 0;
const MEANS_SLOT = 1;
const TRANSPOSED_SLOT = 2;

/** A copy of `rbm` whose arrays come from `alloc` (e.g. on SharedArrayBuffers). */
function sharedCopy<T extends FloatArray>(rbm: Rbm<T>, alloc: (n: number) => T): Rbm<T> {
  const copy = (a: T): T => {
    const b = alloc(a.length);
    b.set(a);
    return b;
  };
  const out: Rbm<T> = {
    ...rbm,
    weights: copy(rbm.weights),
    visibleBias: copy(rbm.visibleBias),
    hiddenBias: copy(rbm.hiddenBias),
  };
  return rbm.visibleSigma ? { ...out, visibleSigma: copy(rbm.visibleSigma) } : out;
}

/** Rows perm[start .. start + count) of `data` (width nv) into the first rows of `out`. */
function copyRows(
  out: FloatArray,
  data: ArrayLike<number>,
  perm: Int32Array,
  start: number,
  count: number,
  nv: number,
): void {
  if (data instanceof Float64Array || data instanceof Float32Array) {
    for (let r = 0; r < count; r++) {
      const src = perm[start + r]! * nv;
      out.set(data.subarray(src, src + nv), r * nv);
    }
    return;
  }
  for (let r = 0; r < count; r++) {
    const src = perm[start + r]! * nv;
    for (let i = 0; i < nv; i++) out[r * nv + i] = data[src + i]!;
  }
}

/** max |x_i| (NaN if any element is NaN). */
function maxAbs(x: FloatArray): number {
  // on WebAssembly SIMD when available (the same value); else one copy per array type, so that V8
  // compiles monomorphic loads
  return maxAbsWasm(x) ?? (x instanceof Float64Array ? maxAbs64(x) : maxAbs32(x));
}

function maxAbs64(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (!(a <= m)) {
      if (Number.isNaN(a)) return a;
      m = a;
    }
  }
  return m;
}

function maxAbs32(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (!(a <= m)) {
      if (Number.isNaN(a)) return a;
      m = a;
    }
  }
  return m;
}

/**
 * The gradient of the fused step from the hidden means in `x` (rows [0, nb) data, [B, B + nc) negatives;
 * modified: weighted in place): gW = S^T H with H the means weighted by -1/nb, 1/nc and 0 elsewhere, gb
 * the column sums of H, ga the weighted visible sums (rbmGradientKernel's estimate).
 */
function phaseGradient<T extends FloatArray>(
  model: Rbm<T>,
  v: T,
  s: T,
  x: T,
  B: number,
  nb: number,
  nc: number,
  gW: T,
  ga: Float64Array,
  gb: Float64Array,
  gemm: GemmKernelFunction,
  binary: GemmBinaryFunction | null,
): void {
  const { nVisible: nv, nHidden: nh } = model;
  // Two products (data, then negatives added), not one over all rows: the same summation order as
  // rbmGradientKernel, so a float64 training gives the same bits as before the step was fused.
  const sNeg = s.subarray(B * nv) as T;
  const hNeg = x.subarray(B * nh) as T;
  // With binary visible states, the same products as sums of selected rows (bit-identical); on this
  // thread (gemmBinaryKernel), the first product's C stays in the kernel's memory for the second.
  if (!(binary === gemmBinaryKernel && keptGradient(s, x, sNeg, hNeg, nv, nh, nb, nc, gW))) {
    if (!binary?.(MEANS_SLOT, true, true, false, nv, nh, nb, -1 / nb, s, 0, nv, x, 0, nh, 0, gW, 0, nh)) {
      gemm(true, false, nv, nh, nb, -1 / nb, s, 0, nv, x, 0, nh, 0, gW, 0, nh);
    }
    if (
      !binary?.(MEANS_SLOT, true, true, false, nv, nh, nc, 1 / nc, sNeg, 0, nv, hNeg, 0, nh, 1, gW, 0, nh)
    ) {
      gemm(true, false, nv, nh, nc, 1 / nc, sNeg, 0, nv, hNeg, 0, nh, 1, gW, 0, nh);
    }
  }
  gb.fill(0);
  // the same sums on WebAssembly SIMD when available (columnAccumulateWasm: same operations, same order)
  if (!columnAccumulateWasm(x, nb, nh, nb, 'minus-divided', gb)) {
    for (let r = 0; r < nb; r++) for (let j = 0; j < nh; j++) gb[j]! -= x[r * nh + j]! / nb;
  }
  if (!columnAccumulateWasm(hNeg, nc, nh, nc, 'plus-divided', gb)) {
    for (let r = 0; r < nc; r++) for (let j = 0; j < nh; j++) gb[j]! += hNeg[r * nh + j]! / nc;
  }
  ga.fill(0);
  const gaussBias = model.visibleUnits === 'gaussian' ? model.visibleBias : null;
  const vNeg = v.subarray(B * nv) as T;
  if (gaussBias || !columnAccumulateWasm(v, nb, nv, -1 / nb, 'plus-scaled', ga)) {
    accumulateVisible(ga, v, nb, nv, -1 / nb, gaussBias, model.visibleSigma);
  }
  if (gaussBias || !columnAccumulateWasm(vNeg, nc, nv, 1 / nc, 'plus-scaled', ga)) {
    accumulateVisible(ga, vNeg, nc, nv, 1 / nc, gaussBias, model.visibleSigma);
  }
}

/**
 * gW = -1/nb S^T H + 1/nc Sneg^T Hneg as two 0/1 products on this thread (gemmBinaryKernel's
 * preparation and run, the same sums as the two separate calls), the first one's result kept in the
 * kernel's memory and the second added to it there: one copy of gW out instead of three copies.
 * Returns false, having written nothing to gW, if either product does not qualify (too dense, not
 * 0/1, ...): the caller then runs the two products its usual way.
 */
function keptGradient<T extends FloatArray>(
  s: T,
  x: T,
  sNeg: T,
  hNeg: T,
  nv: number,
  nh: number,
  nb: number,
  nc: number,
  gW: T,
): boolean {
  return (
    gemmBinaryPrepare(MEANS_SLOT, true, true, false, nv, nh, nb, -1 / nb, s, 0, nv, x, 0, nh, gW) &&
    gemmBinaryRun(MEANS_SLOT, nv, nh, nb, -1 / nb, 0, gW, 0, nh, true, false) &&
    gemmBinaryPrepare(MEANS_SLOT, true, true, false, nv, nh, nc, 1 / nc, sNeg, 0, nv, hNeg, 0, nh, gW) &&
    gemmBinaryRun(MEANS_SLOT, nv, nh, nc, 1 / nc, 1, gW, 0, nh, false, true)
  );
}

/**
 * Unchecked NLL-gradient estimate from a positive (data) batch and a negative (model) batch:
 * gW = <vt h>_neg - <vt h>_pos, ga = <v>_neg - <v>_pos (or <(v - a) / sigma^2> for Gaussian units),
 * gb = <h>_neg - <h>_pos, and, if `gs`, the sigma gradient (dE/dsigma_i = (-(v_i - a_i)^2 + 2 v_i (W h)_i) /
 * sigma_i^3). `h*` are hidden means, `s*` the scaled visible values (v / sigma^2 for Gaussian units, else the
 * same arrays as `v*`). `wh*` (rows x nV) are scratch for the sigma gradient. Cost O((nb + nc) nV nH).
 */
export function rbmGradientKernel<T extends FloatArray>(
  model: Rbm<T>,
  vPos: T,
  sPos: T,
  hPos: T,
  nb: number,
  vNeg: T,
  sNeg: T,
  hNeg: T,
  nc: number,
  gW: T,
  ga: Float64Array,
  gb: Float64Array,
  gs: Float64Array | null,
  whPos: T | null,
  whNeg: T | null,
): void {
  const { nVisible: nv, nHidden: nh } = model;
  const gauss = model.visibleUnits === 'gaussian';
  gemmKernel(true, false, nv, nh, nb, -1 / nb, sPos, 0, nv, hPos, 0, nh, 0, gW, 0, nh);
  gemmKernel(true, false, nv, nh, nc, 1 / nc, sNeg, 0, nv, hNeg, 0, nh, 1, gW, 0, nh);
  ga.fill(0);
  gb.fill(0);
  const a = model.visibleBias;
  const sig = model.visibleSigma;
  accumulateVisible(ga, vPos, nb, nv, -1 / nb, gauss ? a : null, sig);
  accumulateVisible(ga, vNeg, nc, nv, 1 / nc, gauss ? a : null, sig);
  for (let r = 0; r < nb; r++) for (let j = 0; j < nh; j++) gb[j]! -= hPos[r * nh + j]! / nb;
  for (let r = 0; r < nc; r++) for (let j = 0; j < nh; j++) gb[j]! += hNeg[r * nh + j]! / nc;
  if (gs) {
    // dNLL/dsigma = <dE/dsigma>_data - <dE/dsigma>_model
    gs.fill(0);
    gemmKernel(false, true, nb, nv, nh, 1, hPos, 0, nh, model.weights, 0, nh, 0, whPos!, 0, nv);
    gemmKernel(false, true, nc, nv, nh, 1, hNeg, 0, nh, model.weights, 0, nh, 0, whNeg!, 0, nv);
    sigmaGradient(gs, vPos, whPos!, nb, nv, 1 / nb, a, sig!);
    sigmaGradient(gs, vNeg, whNeg!, nc, nv, -1 / nc, a, sig!);
  }
}

/** Gradient of the negative log-likelihood (mean per sample) with respect to each parameter array. */
export interface RbmGradient {
  readonly weights: Float64Array;
  readonly visibleBias: Float64Array;
  readonly hiddenBias: Float64Array;
  /** Present for Gaussian visible units. */
  readonly visibleSigma?: Float64Array;
}

/**
 * The (Rao-Blackwellised) CD/PCD estimate of the NLL gradient from a data batch `positive` and a batch of
 * model samples `negative` (rows x nVisible each): hidden layers are replaced by their conditional means.
 * With exact samples from the model as `negative` it is an unbiased estimate of the exact gradient
 * (see exactNllGradient). Cost O((rows+ + rows-) nV nH).
 * @throws ShapeError / DomainError for bad batches.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, rbmGradient } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
 * const data = matrix(Float64Array.of(1, 1, 1, 1), 1, 4); // a data batch (1 x 4)
 * const model = matrix(Float64Array.of(1, -1, 1, -1), 1, 4); // a batch of model samples
 * const g = rbmGradient(rbm, data, model); // { weights: 4 x 2, visibleBias: 4, hiddenBias: 2 }, dNLL/dtheta
 * ```
 */
export function rbmGradient<T extends FloatArray>(
  rbm: Rbm<T>,
  positiveBatch: Matrix<ArrayLike<number>>,
  negativeBatch: Matrix<ArrayLike<number>>,
): RbmGradient {
  checkRbm(rbm, 'rbmGradient: rbm');
  const units = rbm.visibleUnits;
  const pos = unitBatch(positiveBatch, rbm.nVisible, units, 'rbm.nVisible', 'rbmGradient: positive');
  const neg = unitBatch(negativeBatch, rbm.nVisible, units, 'rbm.nVisible', 'rbmGradient: negative');
  const [positive, nb, negative, nc] = [pos.data, pos.rows, neg.data, neg.rows];
  const { nVisible: nv, nHidden: nh } = rbm;
  const Ctor = rbm.weights.constructor as new (n: number) => T;
  const gauss = rbm.visibleUnits === 'gaussian';
  const vp = new Ctor(nb * nv);
  vp.set(positive);
  const vn = new Ctor(nc * nv);
  vn.set(negative);
  const sp = gauss ? new Ctor(nb * nv) : vp;
  const sn = gauss ? new Ctor(nc * nv) : vn;
  const hp = new Ctor(nb * nh);
  const hn = new Ctor(nc * nh);
  hiddenInputKernel(rbm, vp, nb, hp, sp);
  meansKernel(rbm.hiddenUnits, hp, hp.length);
  hiddenInputKernel(rbm, vn, nc, hn, sn);
  meansKernel(rbm.hiddenUnits, hn, hn.length);
  const gW = new Ctor(nv * nh);
  const ga = new Float64Array(nv);
  const gb = new Float64Array(nh);
  const gs = gauss ? new Float64Array(nv) : null;
  rbmGradientKernel(
    rbm,
    vp,
    sp,
    hp,
    nb,
    vn,
    sn,
    hn,
    nc,
    gW,
    ga,
    gb,
    gs,
    gauss ? new Ctor(nb * nv) : null,
    gauss ? new Ctor(nc * nv) : null,
  );
  const out: RbmGradient = { weights: Float64Array.from(gW), visibleBias: ga, hiddenBias: gb };
  return gs ? { ...out, visibleSigma: gs } : out;
}

function accumulateVisible(
  g: FloatArray,
  v: FloatArray,
  rows: number,
  nv: number,
  scale: number,
  gaussBias: FloatArray | null,
  sigma: FloatArray | undefined,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * nv;
    if (gaussBias) {
      for (let i = 0; i < nv; i++) g[i]! += (scale * (v[o + i]! - gaussBias[i]!)) / (sigma![i]! * sigma![i]!);
    } else for (let i = 0; i < nv; i++) g[i]! += scale * v[o + i]!;
  }
}

function sigmaGradient(
  g: FloatArray,
  v: FloatArray,
  wh: FloatArray,
  rows: number,
  nv: number,
  scale: number,
  a: FloatArray,
  sigma: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < nv; i++) {
      const vi = v[r * nv + i]!;
      const d = vi - a[i]!;
      const s = sigma[i]!;
      g[i]! += (scale * (-d * d + 2 * vi * wh[r * nv + i]!)) / (s * s * s);
    }
  }
}

function copyInto<T extends FloatArray>(dst: Rbm<T>, src: Rbm<T>): void {
  dst.weights.set(src.weights);
  dst.visibleBias.set(src.visibleBias);
  dst.hiddenBias.set(src.hiddenBias);
  if (src.visibleSigma) dst.visibleSigma!.set(src.visibleSigma);
}

function monitorReconstruction<T extends FloatArray>(model: Rbm<T>, v: T, rows: number): number {
  const { nVisible: nv, nHidden: nh } = model;
  const Ctor = model.weights.constructor as new (n: number) => T;
  const h = new Ctor(rows * nh);
  hiddenInputKernel(model, v, rows, h, model.visibleUnits === 'gaussian' ? new Ctor(rows * nv) : v);
  meansKernel(model.hiddenUnits, h, h.length);
  const y = new Ctor(rows * nv);
  visibleInputKernel(model, h, rows, y);
  meansKernel(model.visibleUnits, y, y.length);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = v[i]! - y[i]!;
    s += d * d;
  }
  return s / y.length;
}
