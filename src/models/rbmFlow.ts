/**
 * The RBM flow (Iso, Shiba, Yokoo 2018; the thesis' E1): starting from data v0, apply v -> h -> v'
 * repeatedly, stochastically (block Gibbs sampling) or in mean field, and record the visible
 * configurations after each step.
 * @module
 */

import type { RunOptions } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  domainError,
  MAX_WORK,
  optionKeys,
} from '../core/validate.js';
import {
  checkRbm,
  checkUnitData,
  hiddenInputKernel,
  meansKernel,
  sampleKernel,
  visibleInputKernel,
} from './rbm.js';
import type { Rbm } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RBM_FLOW_OPTIONS_KEYS = optionKeys<RbmFlowOptions>({ mode: true, rng: true, record: true });
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });

/** Options of {@link rbmFlow}. */
export interface RbmFlowOptions {
  /** `'stochastic'` (default): h ~ p(h|v), v' ~ p(v'|h). `'mean-field'`: h = E[h|v], v' = E[v'|h]. */
  readonly mode?: 'stochastic' | 'mean-field';
  /** Required for `'stochastic'`. */
  readonly rng?: Rng;
  /** `'all'` (default): keep every step; `'last'`: only the final configurations. */
  readonly record?: 'all' | 'last';
}

/** Result of {@link rbmFlow}. */
export interface RbmFlowResult<T extends FloatArray> {
  /**
   * Visible configurations, row-major: `[steps, rows, nVisible]` for record 'all' (entry n-1 is the state
   * after n steps) or `[rows, nVisible]` for 'last'.
   */
  readonly configurations: T;
  readonly shape: readonly number[];
  readonly steps: number;
  readonly rows: number;
}

/**
 * Run `steps` flow steps from `v0` (rows x nVisible; values in the visible units' range). With `steps = 0`
 * and record 'last' the result is v0 itself (copied). Cost O(steps rows nV nH); memory
 * O(steps rows nV) for record 'all'. Reports `{ stage: 'flow', done, total }` after each step.
 * @throws DomainError / ShapeError for a bad model, batch, step count or options; AbortError when aborted.
 * @example
 * ```ts
 * import { createIsing2D, createRbm, createRng, rbmFlow, sampleEnsemble } from 'coarsegrain';
 * const rng = createRng(1);
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.27, samples: 20, rng });
 * const rbm = createRbm({ nVisible: 64, nHidden: 36, rng }); // train it first with trainRbm
 * const { configurations, shape } = rbmFlow(rbm, ens.configs, 5, { rng }); // shape [5, 20, 64]: step x sample x site
 * ```
 */
export function rbmFlow<T extends FloatArray>(
  rbm: Rbm<T>,
  v0: ArrayLike<number>,
  steps: number,
  options: RbmFlowOptions = {},
  run: RunOptions = {},
): RbmFlowResult<T> {
  run = checkOptions(run, 'rbmFlow: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'rbmFlow: options', RBM_FLOW_OPTIONS_KEYS);
  checkRbm(rbm, 'rbmFlow: rbm');
  const rows = checkUnitData(v0, rbm.nVisible, rbm.visibleUnits, 'rbmFlow: v0');
  checkInteger(steps, 'rbmFlow: steps', 0);
  const mode = checkOneOf(options.mode ?? 'stochastic', 'rbmFlow: options.mode', [
    'stochastic',
    'mean-field',
  ] as const);
  const record = checkOneOf(options.record ?? 'all', 'rbmFlow: options.record', ['all', 'last'] as const);
  const rng = options.rng;
  if (mode === 'stochastic' && (!rng || typeof rng.uniform !== 'function')) {
    throw domainError('rbmFlow: options.rng', 'an Rng for mode "stochastic"', rng);
  }
  const { nVisible: nv, nHidden: nh } = rbm;
  if (record === 'all') checkLimit(steps * rows * nv, 'rbmFlow: steps x rows x nVisible (record "all")');
  checkLimit(steps * rows * nv * nh, 'rbmFlow: steps x rows x nVisible x nHidden', MAX_WORK, 'multiply-adds');
  const Ctor = rbm.weights.constructor as new (n: number) => T;
  const v = new Ctor(rows * nv);
  v.set(v0);
  const h = new Ctor(rows * nh);
  const scratch = rbm.visibleUnits === 'gaussian' ? new Ctor(rows * nv) : v;
  const out = new Ctor(record === 'all' ? steps * rows * nv : rows * nv);
  for (let n = 0; n < steps; n++) {
    checkAbort(run.signal, 'rbmFlow');
    hiddenInputKernel(rbm, v, rows, h, scratch);
    if (mode === 'stochastic') sampleKernel(rbm.hiddenUnits, h, h.length, rng!);
    else meansKernel(rbm.hiddenUnits, h, h.length);
    visibleInputKernel(rbm, h, rows, v);
    if (mode === 'stochastic') sampleKernel(rbm.visibleUnits, v, v.length, rng!, rbm.visibleSigma, nv);
    else meansKernel(rbm.visibleUnits, v, v.length);
    if (record === 'all') out.set(v, n * rows * nv);
    run.onProgress?.({ stage: 'flow', done: n + 1, total: steps });
  }
  if (record === 'last') out.set(v);
  return {
    configurations: out,
    shape: record === 'all' ? [steps, rows, nv] : [rows, nv],
    steps,
    rows,
  };
}
