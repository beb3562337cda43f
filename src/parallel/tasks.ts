/**
 * The built-in tasks every pool worker knows. Names are prefixed `coarsegrain:`; inputs are plain data.
 * @module
 */

import { COVARIANCE_ROW_PANEL, chanMergeKernel, gramPanelLowerKernel } from '../core/covariance.js';
import { StateError } from '../core/errors.js';
import { gemmKernel } from '../core/gemm.js';
import { deriveRng, type RngState, restoreRng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import { checkFinite, checkInteger, checkObject, domainError } from '../core/validate.js';
import { createEnergyFunction } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import { type AisOptions, type AisWeights, aisLogWeights } from '../models/partition.js';
import type { Rbm } from '../models/types.js';
import type { ChainInit } from '../sampling/chain.js';
import { type Ensemble, sampleEnsemble } from '../sampling/ensemble.js';
import { createUpdater, type SamplerName } from '../sampling/registry.js';
import type { Updater } from '../sampling/types.js';
import type { TaskModule } from './pool.js';

/** Input of `coarsegrain:gemmRows`: rows [i0, i1) of C = alpha op(A) op(B) + beta C on shared memory. */
export interface GemmRowsInput {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly i0: number;
  readonly i1: number;
  readonly n: number;
  readonly k: number;
  readonly alpha: number;
  readonly a: FloatArray;
  readonly lda: number;
  readonly b: FloatArray;
  readonly ldb: number;
  readonly beta: number;
  readonly c: FloatArray;
  readonly ldc: number;
}

/**
 * Input of `coarsegrain:covarianceRows`: rows [i0, i1) of the lower triangle of the centred sum of squares
 * of covarianceMatrix, panel by panel, into `g` (d x d, on shared memory).
 */
export interface CovarianceRowsInput {
  /** The n x d data, row-major, on a SharedArrayBuffer. */
  readonly x: FloatArray;
  readonly n: number;
  readonly d: number;
  readonly center: boolean;
  /** Mean of each panel of 2048 samples (panels x d); unused when not `center`. */
  readonly panelMeans: Float64Array;
  /** Panel mean minus the running mean before it (panels x d), for the merge. */
  readonly deltas: Float64Array;
  /** Merge factor n_a n_b / (n_a + n_b) of each panel. */
  readonly factors: Float64Array;
  /** First row of G, a multiple of 4. */
  readonly i0: number;
  readonly i1: number;
  /** The d x d result (lower triangle of rows i0 .. i1-1 written), on a SharedArrayBuffer. */
  readonly g: Float64Array;
  /**
   * Optional, on a SharedArrayBuffer: the number of panels whose data, means, delta and factor are
   * published (the task waits for panel p until ready[0] > p), or -1: abandoned (the task returns).
   */
  readonly ready?: Int32Array;
}

/** Input of `coarsegrain:sampleEnsemble`: one temperature of `sampleEnsembles`. */
export interface EnsembleTaskInput {
  readonly model: LatticeModel;
  readonly temperature: number;
  readonly seed: number | string;
  /** The rng path after the seed, e.g. ['sampleEnsembles', temperature]. */
  readonly streamPath: readonly (string | number)[];
  readonly sampler?: SamplerName;
  readonly samples: number;
  readonly burnIn?: number;
  readonly thin?: number | 'auto';
  readonly init?: ChainInit;
}

/** Input of `coarsegrain:aisLogWeights`: one block of AIS chains with its own stream. */
export interface AisTaskInput extends Omit<AisOptions, 'rng'> {
  readonly rbm: Rbm<FloatArray>;
  readonly seed: number | string;
  /** The rng path after the seed, e.g. ['aisLogPartition', block]. */
  readonly streamPath: readonly (string | number)[];
}

/** Input of `coarsegrain:temperingSweeps`: advance some slots of a parallel-tempering run by one round. */
export interface TemperingTaskInput {
  /** Identifies the run, so a worker builds each slot's updater once per run. */
  readonly runKey: string;
  readonly model: LatticeModel;
  readonly sampler: SamplerName;
  readonly sweepsPerExchange: number;
  /** Slot indices handled by this task. */
  readonly slots: readonly number[];
  /** 1/T of each slot in `slots`. */
  readonly betas: readonly number[];
  /** Row of `spins` holding each slot's configuration. */
  readonly rows: readonly number[];
  /** All configurations, row-major (rows x sites), on a SharedArrayBuffer: updated in place. */
  readonly spins: Int8Array;
  readonly sites: number;
  /** Saved generator of each slot in `slots`. */
  readonly rngStates: readonly RngState[];
}

/** Output of `coarsegrain:temperingSweeps`: energies (not per site) and generator states, per slot. */
export interface TemperingTaskOutput {
  readonly energies: number[];
  readonly rngStates: RngState[];
}

/** The input of a built-in task must be an object (tasks may be called by name through runTask). */
function taskInput<T extends object>(input: T, task: string): T {
  return checkObject(input, `${task}: input`, `the input object of ${task}`);
}

function isFloatArray(x: unknown): boolean {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/** A row block of a product (a, b, c are views on SharedArrayBuffers, so c is written in place). */
function gemmRows(input: GemmRowsInput): null {
  const task = 'coarsegrain:gemmRows';
  taskInput(input, task);
  for (const key of ['a', 'b', 'c'] as const)
    if (!isFloatArray(input[key]))
      throw domainError(`${task}: input.${key}`, 'a Float32Array or Float64Array', input[key]);
  for (const key of ['i0', 'i1', 'n', 'k', 'lda', 'ldb', 'ldc'] as const)
    checkInteger(input[key], `${task}: input.${key}`, 0);
  if (input.i1 < input.i0) throw domainError(`${task}: input.i1`, `an integer >= i0 = ${input.i0}`, input.i1);
  if (input.c.length < input.i1 * input.ldc)
    throw domainError(`${task}: input.c`, `at least i1 x ldc = ${input.i1 * input.ldc} values`, input.c);
  checkFinite(input.alpha, `${task}: input.alpha`);
  checkFinite(input.beta, `${task}: input.beta`);
  const { transA, transB, i0, i1, n, k, alpha, a, lda, b, ldb, beta, c, ldc } = input;
  // rows i0.. of op(A): rows of A, or columns of A when transposed
  const offA = transA ? i0 : i0 * lda;
  gemmKernel(transA, transB, i1 - i0, n, k, alpha, a, offA, lda, b, 0, ldb, beta, c, i0 * ldc, ldc);
  return null;
}

/**
 * Rows [i0, i1) of covarianceMatrix's centred sum of squares: per panel of 2048 samples its Gram rows
 * (gramPanelLowerKernel, the first panel overwriting g) then the Chan-Golub-LeVeque merge of those rows,
 * the order of covarianceMatrix, so the entries are bit-identical to it.
 */
function covarianceRows(input: CovarianceRowsInput): null {
  const task = 'coarsegrain:covarianceRows';
  taskInput(input, task);
  if (!isFloatArray(input.x))
    throw domainError(`${task}: input.x`, 'a Float32Array or Float64Array', input.x);
  for (const key of ['g', 'panelMeans', 'deltas', 'factors'] as const)
    if (!(input[key] instanceof Float64Array))
      throw domainError(`${task}: input.${key}`, 'a Float64Array', input[key]);
  const n = checkInteger(input.n, `${task}: input.n`, 1);
  const d = checkInteger(input.d, `${task}: input.d`, 1);
  const i0 = checkInteger(input.i0, `${task}: input.i0`, 0, d);
  const i1 = checkInteger(input.i1, `${task}: input.i1`, i0, d);
  if (i0 % 4 !== 0) throw domainError(`${task}: input.i0`, 'a multiple of 4', i0);
  const panels = Math.ceil(n / COVARIANCE_ROW_PANEL);
  const { x, g, panelMeans, deltas, factors, center } = input;
  if (x.length < n * d || g.length < d * d || factors.length < panels)
    throw domainError(`${task}: input`, `x of n x d, g of d x d and ${panels} panels`, input);
  if (center && (panelMeans.length < panels * d || deltas.length < panels * d))
    throw domainError(`${task}: input.panelMeans`, `${panels} x d values`, panelMeans);
  const { ready } = input;
  if (ready !== undefined && !(ready instanceof Int32Array && ready.buffer instanceof SharedArrayBuffer))
    throw domainError(`${task}: input.ready`, 'an Int32Array on a SharedArrayBuffer', ready);
  const zero = new Float64Array(d);
  let stage: Float64Array | null = null;
  for (let p = 0; p < panels; p++) {
    if (ready && !awaitPanel(ready, p, task)) return null;
    const r0 = p * COVARIANCE_ROW_PANEL;
    const nb = Math.min(COVARIANCE_ROW_PANEL, n - r0);
    const mean = center ? panelMeans.subarray(p * d, (p + 1) * d) : zero;
    stage = gramPanelLowerKernel(x, r0 * d, nb, d, mean, i0, i1, p === 0 ? 0 : 1, g, stage);
    if (center && p > 0) chanMergeKernel(g, d, deltas.subarray(p * d, (p + 1) * d), factors[p]!, i0, i1);
  }
  return null;
}

/** Wait until panel p is published (true) or the publication is abandoned (false). */
function awaitPanel(ready: Int32Array, p: number, task: string): boolean {
  for (;;) {
    const published = Atomics.load(ready, 0);
    if (published < 0) return false;
    if (published > p) return true;
    if (Atomics.wait(ready, 0, published, 60_000) === 'timed-out')
      throw new StateError(`${task}: panel ${p} was not published within 60 s`);
  }
}

function ensembleTask(input: EnsembleTaskInput): Ensemble {
  taskInput(input, 'coarsegrain:sampleEnsemble');
  if (!Array.isArray(input.streamPath))
    throw domainError('coarsegrain:sampleEnsemble: input.streamPath', 'an array', input.streamPath);
  const { model, temperature, seed, streamPath, ...rest } = input;
  return sampleEnsemble(model, { ...rest, temperature, rng: deriveRng(seed, ...streamPath) });
}

function aisTask(input: AisTaskInput): AisWeights {
  taskInput(input, 'coarsegrain:aisLogWeights');
  if (!Array.isArray(input.streamPath))
    throw domainError('coarsegrain:aisLogWeights: input.streamPath', 'an array', input.streamPath);
  const { rbm, seed, streamPath, ...options } = input;
  return aisLogWeights(rbm, { ...options, rng: deriveRng(seed, ...streamPath) });
}

/** Per-worker updaters and energy function of the tempering runs seen last (a few runs kept). */
const temperingCache = new Map<
  string,
  { updaters: Map<number, Updater>; energyOf: (spins: Int8Array) => number }
>();

function temperingTask(input: TemperingTaskInput): TemperingTaskOutput {
  const task = 'coarsegrain:temperingSweeps';
  taskInput(input, task);
  if (!(input.spins instanceof Int8Array))
    throw domainError(`${task}: input.spins`, 'an Int8Array', input.spins);
  for (const key of ['slots', 'betas', 'rows', 'rngStates'] as const)
    if (!Array.isArray(input[key]) || input[key].length !== input.slots?.length)
      throw domainError(`${task}: input.${key}`, 'an array with one entry per slot', input[key]);
  checkInteger(input.sites, `${task}: input.sites`, 1);
  checkInteger(input.sweepsPerExchange, `${task}: input.sweepsPerExchange`, 0);
  for (const r of input.rows)
    if (!Number.isInteger(r) || r < 0 || (r + 1) * input.sites > input.spins.length)
      throw domainError(`${task}: input.rows[]`, 'a row of spins', r);
  const { runKey, model, sampler, sweepsPerExchange, slots, betas, rows, spins, sites, rngStates } = input;
  let cached = temperingCache.get(runKey);
  if (!cached) {
    if (temperingCache.size >= 4) temperingCache.delete(temperingCache.keys().next().value!);
    cached = { updaters: new Map(), energyOf: createEnergyFunction(model) };
    temperingCache.set(runKey, cached);
  }
  const energies: number[] = [];
  const states: RngState[] = [];
  for (let q = 0; q < slots.length; q++) {
    let updater = cached.updaters.get(slots[q]!);
    if (!updater) {
      updater = createUpdater(model, sampler, betas[q]!);
      cached.updaters.set(slots[q]!, updater);
    }
    const rng = restoreRng(rngStates[q]!);
    const view = spins.subarray(rows[q]! * sites, (rows[q]! + 1) * sites);
    for (let s = 0; s < sweepsPerExchange; s++) updater.step(view, rng);
    energies.push(cached.energyOf(view));
    states.push(rng.save());
  }
  return { energies, rngStates: states };
}

/** Built-in tasks, by name. */
export const builtinTasks: TaskModule = {
  'coarsegrain:gemmRows': gemmRows as (input: unknown) => unknown,
  'coarsegrain:covarianceRows': covarianceRows as (input: unknown) => unknown,
  'coarsegrain:sampleEnsemble': ensembleTask as (input: unknown) => unknown,
  'coarsegrain:aisLogWeights': aisTask as (input: unknown) => unknown,
  'coarsegrain:temperingSweeps': temperingTask as (input: unknown) => unknown,
};
