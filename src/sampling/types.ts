/**
 * The sampler contract. A sampler is built once per (model, beta) by a factory that precomputes lookup
 * tables and allocates scratch memory; its `step` updates a spin configuration in place using an explicit
 * generator. The chain state (spins, rng, counters) is plain data outside the sampler, so a checkpoint is
 * just that state (see {@link ChainState}).
 * @module
 */
import type { Rng, RngState } from '../core/rng.js';
import type { LatticeModel } from '../lattice/types.js';

/** A Markov-chain update bound to one model and inverse temperature. */
export interface Updater {
  /** Sampler name, e.g. `'metropolis'`, `'wolff'`. */
  readonly name: string;
  /**
   * One Monte Carlo step on `spins` (in place): a full sweep (N attempted flips) for local updates, or
   * for cluster methods enough cluster flips to amount to about one sweep (documented per sampler).
   * Returns the number of spins flipped. Allocates nothing.
   */
  step(spins: Int8Array, rng: Rng): number;
}

/** Builds an {@link Updater} for a model at inverse temperature beta = 1/T (> 0). */
export type UpdaterFactory<M extends LatticeModel = LatticeModel> = (model: M, beta: number) => Updater;

/** The state of one Markov chain: everything needed to resume it bit-identically. */
export interface ChainState {
  /** Current configuration (+-1), owned by the chain. */
  readonly spins: Int8Array;
  /** The chain's generator. */
  readonly rng: Rng;
  /** Steps done so far. */
  steps: number;
}

/** JSON-safe snapshot of a {@link ChainState}. */
export interface ChainSnapshot {
  readonly version: 1;
  /** Spins as a plain array of +-1. */
  readonly spins: number[];
  readonly rng: RngState;
  readonly steps: number;
}
