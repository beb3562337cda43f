/**
 * Markov chains as explicit state: a configuration, its generator and a step counter. Running a chain
 * threads that state through an {@link Updater}; a checkpoint is a JSON-safe {@link ChainSnapshot} of it,
 * and a chain restored from a snapshot continues bit-identically (same spins, same random stream).
 * @module
 */
import { StateError } from '../core/errors.js';
import type { RunOptions } from '../core/progress.js';
import { type Rng, restoreRng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  checkRng,
  checkSpins,
  domainError,
  MAX_WORK,
  optionKeys,
} from '../core/validate.js';
import { modelSites } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import type { ChainSnapshot, ChainState, Updater } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const CHAIN_STATE_OPTIONS_KEYS = optionKeys<ChainStateOptions>({ rng: true, init: true });
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });

/** Initial configuration: `'random'` (independent +-1 with probability 1/2, one draw per site) or `'up'`. */
export type ChainInit = 'random' | 'up';

/** Options of {@link createChainState}. */
export interface ChainStateOptions {
  /** The chain's generator (owned by the chain from now on). */
  readonly rng: Rng;
  /** Initial configuration (default `'random'`). */
  readonly init?: ChainInit;
}

/**
 * A fresh chain for `model`: spins all up or random (drawn from `rng`), steps = 0. O(sites).
 * @throws DomainError for a bad model, a missing rng or an unknown init.
 * @example
 * ```ts
 * import { createChainState, createIsing2D, createRng, createUpdater, runChain } from 'coarsegrain';
 * const model = createIsing2D({ L: 16 });
 * const state = createChainState(model, { rng: createRng(1), init: 'random' }); // spins: Int8Array(256) of +-1
 * runChain(createUpdater(model, 'wolff', 1 / 2.27), state, 100); // 100 Wolff steps, in place
 * ```
 */
export function createChainState(model: LatticeModel, options: ChainStateOptions): ChainState {
  options = checkOptions(options, 'createChainState: options', CHAIN_STATE_OPTIONS_KEYS, true);
  const fn = 'createChainState';
  const n = modelSites(model);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  checkRng(options.rng, `${fn}: options.rng`);
  const init = checkOneOf(options.init ?? 'random', `${fn}: options.init`, ['random', 'up'] as const);
  const spins = new Int8Array(n).fill(1);
  if (init === 'random') {
    const uniform = options.rng.uniform;
    for (let i = 0; i < n; i++) spins[i] = uniform() < 0.5 ? 1 : -1;
  }
  return { spins, rng: options.rng, steps: 0 };
}

/**
 * Advance a chain by `steps` updater steps (in place: `state.spins`, the rng and `state.steps` change).
 * Reports progress as stage `'steps'` about 100 times and checks `signal` between steps.
 * @returns the number of spins flipped. Cost: steps x the updater's cost per step.
 * @throws DomainError for a bad steps count; AbortError when aborted (the state stays consistent: it holds
 * the steps completed so far).
 * @example
 * ```ts
 * import { createChainState, createIsing2D, createRng, createUpdater, runChain } from 'coarsegrain';
 * const model = createIsing2D({ L: 16 });
 * const state = createChainState(model, { rng: createRng(1), init: 'up' });
 * const flipped = runChain(createUpdater(model, 'metropolis', 1 / 3), state, 200); // 200 sweeps
 * // flipped: total spins flipped; state.spins and state.steps (200) are updated in place
 * ```
 */
export function runChain(
  updater: Updater,
  state: ChainState,
  steps: number,
  options: RunOptions = {},
): number {
  options = checkOptions(options, 'runChain: options', RUN_OPTIONS_KEYS);
  const fn = 'runChain';
  if (updater === null || typeof updater !== 'object' || typeof updater.step !== 'function') {
    throw domainError(`${fn}: updater`, 'an Updater', updater);
  }
  if (state === null || typeof state !== 'object' || !(state.spins instanceof Int8Array)) {
    throw domainError(`${fn}: state`, 'a ChainState', state);
  }
  checkSpins(state.spins, `${fn}: state.spins`);
  checkRng(state.rng, `${fn}: state.rng`);
  checkInteger(steps, `${fn}: steps`, 0);
  checkLimit(steps * state.spins.length, `${fn}: steps x sites`, MAX_WORK, 'spin updates');
  const { onProgress, signal } = options;
  const every = Math.max(1, Math.floor(steps / 100));
  let flipped = 0;
  for (let k = 0; k < steps; k++) {
    checkAbort(signal, fn);
    flipped += updater.step(state.spins, state.rng);
    state.steps++;
    if (onProgress && ((k + 1) % every === 0 || k + 1 === steps)) {
      onProgress({ stage: 'steps', done: k + 1, total: steps });
    }
  }
  return flipped;
}

/**
 * A JSON-safe copy of the chain state (spins as numbers, the rng state, the step count). O(sites).
 * @example
 * ```ts
 * import { createChainState, createIsing2D, createRng, snapshotChain } from 'coarsegrain';
 * const state = createChainState(createIsing2D({ L: 4 }), { rng: createRng(1) });
 * const snapshot = snapshotChain(state); // { version: 1, spins: number[16], rng: RngState, steps: 0 }
 * const text = JSON.stringify(snapshot); // safe to store; restoreChain(JSON.parse(text)) resumes
 * ```
 */
export function snapshotChain(state: ChainState): ChainSnapshot {
  if (state === null || typeof state !== 'object' || !(state.spins instanceof Int8Array)) {
    throw domainError('snapshotChain: state', 'a ChainState', state);
  }
  return { version: 1, spins: Array.from(state.spins), rng: state.rng.save(), steps: state.steps };
}

/**
 * Rebuild a chain from a snapshot (e.g. after `JSON.parse`). The restored chain, stepped with an updater
 * built for the same model and beta, produces bit-identically what the original chain would have.
 * O(sites).
 * @throws StateError for a snapshot of another version, spins that are not +-1, a bad step count or a bad
 * rng state.
 * @example
 * ```ts
 * import { createChainState, createIsing2D, createRng, createUpdater, restoreChain, runChain, snapshotChain } from 'coarsegrain';
 * const model = createIsing2D({ L: 8 });
 * const updater = createUpdater(model, 'metropolis', 1 / 2.5);
 * const state = createChainState(model, { rng: createRng(1) });
 * runChain(updater, state, 50);
 * const saved = JSON.stringify(snapshotChain(state)); // a checkpoint
 * const resumed = restoreChain(JSON.parse(saved));
 * runChain(updater, resumed, 50); // continues bit for bit as state would
 * ```
 */
export function restoreChain(snapshot: ChainSnapshot): ChainState {
  const fn = 'restoreChain';
  if (snapshot === null || typeof snapshot !== 'object' || snapshot.version !== 1) {
    throw new StateError(
      `${fn}: snapshot: expected a ChainSnapshot of version 1, received ${JSON.stringify(snapshot)?.slice(0, 60)}`,
    );
  }
  if (!Array.isArray(snapshot.spins) || snapshot.spins.length === 0) {
    throw new StateError(
      `${fn}: snapshot.spins: expected a non-empty array of +-1, received ${typeof snapshot.spins}`,
    );
  }
  const spins = new Int8Array(snapshot.spins.length);
  for (let i = 0; i < spins.length; i++) {
    const s = snapshot.spins[i];
    if (s !== 1 && s !== -1)
      throw new StateError(`${fn}: snapshot.spins[${i}]: expected +1 or -1, received ${String(s)}`);
    spins[i] = s;
  }
  const steps = snapshot.steps;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) {
    throw new StateError(`${fn}: snapshot.steps: expected an integer >= 0, received ${String(steps)}`);
  }
  return { spins, rng: restoreRng(snapshot.rng), steps };
}
