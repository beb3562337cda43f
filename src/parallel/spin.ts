/**
 * The brief busy-wait of the threaded product's handoffs. Node-only (worker threads).
 * @module
 */

/**
 * How long a thread spins, in milliseconds, before it blocks in `Atomics.wait` for a handoff. Waking
 * from `Atomics.wait` costs tens of microseconds on the reference machine, while in training the other
 * side usually answers within microseconds; the spin is bounded so that a long wait still sleeps.
 */
export const HANDOFF_SPIN_MS = 0.2;

/** Busy-wait while `control[index]` is below `target`, for at most {@link HANDOFF_SPIN_MS}. */
export function spinWhileBelow(control: Int32Array, index: number, target: number): void {
  if (Atomics.load(control, index) >= target) return;
  const end = performance.now() + HANDOFF_SPIN_MS;
  while (Atomics.load(control, index) < target && performance.now() < end) {
    // spin
  }
}
