/**
 * The built-in tasks every pool worker knows. Names are prefixed `coarsegrain:`; inputs are plain data.
 * @module
 */
import { gemmKernel } from '../core/gemm.js';
import { deriveRng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import type { LatticeModel } from '../lattice/types.js';
import type { ChainInit } from '../sampling/chain.js';
import { type Ensemble, sampleEnsemble } from '../sampling/ensemble.js';
import type { SamplerName } from '../sampling/registry.js';
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

/** A row block of a product (a, b, c are views on SharedArrayBuffers, so c is written in place). */
function gemmRows(input: GemmRowsInput): null {
  const { transA, transB, i0, i1, n, k, alpha, a, lda, b, ldb, beta, c, ldc } = input;
  // rows i0.. of op(A): rows of A, or columns of A when transposed
  const offA = transA ? i0 : i0 * lda;
  gemmKernel(transA, transB, i1 - i0, n, k, alpha, a, offA, lda, b, 0, ldb, beta, c, i0 * ldc, ldc);
  return null;
}

function ensembleTask(input: EnsembleTaskInput): Ensemble {
  const { model, temperature, seed, streamPath, ...rest } = input;
  return sampleEnsemble(model, { ...rest, temperature, rng: deriveRng(seed, ...streamPath) });
}

/** Built-in tasks, by name. */
export const builtinTasks: TaskModule = {
  'coarsegrain:gemmRows': gemmRows as (input: unknown) => unknown,
  'coarsegrain:sampleEnsemble': ensembleTask as (input: unknown) => unknown,
};
