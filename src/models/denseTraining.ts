/**
 * The training loop shared by the autoencoders and the MLP: shuffled minibatches, forward, loss, backward
 * and one optimiser step per batch, evaluation on the whole set in chunks, divergence checks, progress and
 * cancellation.
 * @module
 */
import { DivergenceError } from '../core/errors.js';
import { type GemmKernelFunction, gemmKernel } from '../core/gemm.js';
import type { RunOptions } from '../core/progress.js';
import { permutation, type Rng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import { checkAbort, domainError } from '../core/validate.js';
import { gemmEpilogueFor } from './denseEpilogue.js';
import { allocFloat, type DType, floatDType, sharedFloatCopy } from './denseLayer.js';
import { type DenseTargets, type LossKind, lossScale, stackLossKernel } from './denseLoss.js';
import { argMaxRow, createDenseWorkspace, type DenseOp, type DenseWorkspace } from './denseStack.js';
import { denseTrainStepKernel } from './denseStep.js';
import { adamFor, type OptimizerConfig, type OptimizerState } from './optim.js';

/** Batch buffers for targets, allocated once per training or evaluation call. */
interface TargetBuffer {
  readonly values: FloatArray | null;
  readonly labels: Int32Array | null;
}

function createTargetBuffer(
  targets: DenseTargets,
  maxRows: number,
  dtype: DType,
  shared = false,
): TargetBuffer {
  if (targets.kind === 'values')
    return { values: allocFloat(dtype, maxRows * targets.width, shared), labels: null };
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
  gatherRows(input, x, nIn, index, start, rows);
  if (targets.kind === 'values') gatherRows(buf.values!, targets.data, targets.width, index, start, rows);
  else if (targets.kind === 'labels') {
    const labels = buf.labels!;
    for (let r = 0; r < rows; r++) labels[r] = targets.labels[index ? index[start + r]! : start + r]!;
  }
  return targets.kind === 'self' ? input : targets.kind === 'values' ? buf.values! : buf.labels!;
}

/**
 * Rows `index[start..start+rows)` (or `start..`) of `src` (width `width`) into the first rows of `dst`,
 * converted to dst's precision as an element assignment does. Data already in the model's precision (the
 * common case) is copied row by row with `TypedArray.prototype.set` (a block copy, about twice as fast as
 * an element loop); anything else element by element. No allocation beyond the row views.
 */
function gatherRows(
  dst: FloatArray,
  src: ArrayLike<number>,
  width: number,
  index: Int32Array | null,
  start: number,
  rows: number,
): void {
  if (
    (dst instanceof Float64Array && src instanceof Float64Array) ||
    (dst instanceof Float32Array && src instanceof Float32Array)
  ) {
    for (let r = 0; r < rows; r++) {
      const so = (index ? index[start + r]! : start + r) * width;
      dst.set(src.subarray(so, so + width), r * width);
    }
  } else gatherRowsAny(dst, src, width, index, start, rows);
}

function gatherRowsAny(
  dst: FloatArray,
  src: ArrayLike<number>,
  width: number,
  index: Int32Array | null,
  start: number,
  rows: number,
): void {
  for (let r = 0; r < rows; r++) {
    const so = (index ? index[start + r]! : start + r) * width;
    const dO = r * width;
    for (let j = 0; j < width; j++) dst[dO + j] = src[so + j]!;
  }
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

/**
 * The `gemm` option of dense training: `gemmKernel` when absent, else the given function (it must have
 * the contract of `gemmKernel`, e.g. `createThreadedGemm(...).gemm` from coarsegrain/parallel).
 * @throws DomainError naming `name` for a value that is not a function.
 */
export function checkGemmOption(gemm: unknown, name: string): GemmKernelFunction {
  if (gemm === undefined) return gemmKernel;
  if (typeof gemm !== 'function') throw domainError(name, 'a function with the contract of gemmKernel', gemm);
  return gemm as GemmKernelFunction;
}

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
  /**
   * The matrix product of the forward and backward passes, default `gemmKernel`. With another one (a
   * threaded product) the workspace lives on SharedArrayBuffers, and `weights` and `biases` must too
   * for the products to leave the calling thread. The products and their element-wise work run on the
   * fused product registered for it (`registerGemmEpilogue`), if any, and the Adam steps not fused onto
   * a product on the update registered for it (`registerSplitAdam`), if any; the optimiser's moments
   * are then replaced by shared copies.
   */
  readonly gemm?: GemmKernelFunction;
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
  const gemm = spec.gemm ?? gemmKernel;
  const ws = createDenseWorkspace(ops, weights, biases, batchSize, spec.dtype, gemm);
  const shared = gemm !== gemmKernel;
  const buf = createTargetBuffer(targets, batchSize, spec.dtype, shared);
  const params = [...weights, ...biases];
  // the Adam update and the fused products that go with the product (split over its threads for a
  // threaded one), whose workers then need the moments on SharedArrayBuffers: the state holds shared
  // copies from here on
  const adam = adamFor(gemm);
  const fused = gemmEpilogueFor(gemm);
  if (shared) {
    for (let j = 0; j < params.length; j++) {
      optimizer.moments1[j] = sharedFloatCopy(optimizer.moments1[j]!);
      optimizer.moments2[j] = sharedFloatCopy(optimizer.moments2[j]!);
    }
  }
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
      // forward, loss, backward and update (not applied when the loss is not finite), with the
      // element-wise work on the products, i.e. on their threads for a threaded product
      const s = denseTrainStepKernel(
        ops,
        weights,
        biases,
        ws.input,
        t,
        rows,
        settings.loss,
        lossScale(settings.loss, rows, nOut),
        ws,
        optimizer,
        fused,
        adam,
      );
      if (!Number.isFinite(s)) {
        throw new DivergenceError(
          `${spec.where}: training diverged in epoch ${epoch + 1} (batch loss ${s}); lastGood holds the model at the start of that epoch`,
          lastGood,
        );
      }
      sum += s;
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
