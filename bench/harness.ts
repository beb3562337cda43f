/**
 * Benchmark harness: each `bench/*.bench.ts` file exports `benchmarks: Benchmark[]`. `npm run bench`
 * runs them all; `npm run bench -- NAME` runs those whose name contains NAME. Each benchmark returns rows
 * that set our figure beside a reference figure (a straightforward implementation, a package, or a
 * published number measured on this machine).
 */

/** One printed row. Figures are rates or times in `unit`; `higherIsBetter` says which way is good. */
export interface BenchRow {
  /** What was measured, e.g. 'metropolis L=64'. */
  readonly case: string;
  /** Our figure. */
  readonly ours: number;
  /** The reference figure (NaN when there is none). */
  readonly reference: number;
  /** What the reference is, e.g. 'naive loop', 'ml-matrix mmul', 'numpy (measured)'. */
  readonly referenceLabel: string;
  /** Unit of both figures, e.g. 'flips/s', 's', 'GFLOP/s'. */
  readonly unit: string;
  /** True for rates (bigger is better), false for times. */
  readonly higherIsBetter: boolean;
  /** Optional target, same unit. */
  readonly target?: number;
}

/** A named benchmark. `run` performs its own warm-up and a sanity check of the result. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchRow[]> | BenchRow[];
}

/** Median wall time in seconds of `fn` over `repeats` runs after one warm-up run. */
export function timeIt(fn: () => void, repeats = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Async variant of {@link timeIt}. */
export async function timeItAsync(fn: () => Promise<void>, repeats = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
