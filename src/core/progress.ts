/**
 * Progress reporting. Long-running functions accept {@link RunOptions}; they call `onProgress` between units
 * of work and check `signal` so callers can cancel. The library itself never prints.
 * @module
 */

/** One progress report: `done` of `total` units of `stage`, plus optional scalar metrics (loss, acceptance...). */
export interface Progress {
  /** Name of the current stage, e.g. `'burn-in'`, `'sampling'`, `'epoch'`. */
  readonly stage: string;
  /** Units completed so far in this stage. */
  readonly done: number;
  /** Units in this stage. */
  readonly total: number;
  /** Optional named scalar metrics at this point (e.g. `{ loss: 0.12 }`). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Callback that receives progress reports. It must not throw. */
export type OnProgress = (progress: Progress) => void;

/** Options accepted by every long-running function. */
export interface RunOptions {
  /** Called between units of work. */
  readonly onProgress?: OnProgress;
  /** Cancels the work: the function throws an `AbortError` at its next check. */
  readonly signal?: AbortSignal;
}
