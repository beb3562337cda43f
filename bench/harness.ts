/**
 * Benchmark harness: each `bench/*.bench.ts` file exports `benchmarks: Benchmark[]`. `npm run bench`
 * runs them all; `npm run bench -- NAME` runs those whose name contains NAME. Each benchmark returns rows
 * that set our figure beside a reference figure measured in the same run (a straightforward implementation,
 * a package, numpy / scikit-learn in a child python3, or the C kernels of ising_ref.c: see ./reference.ts).
 *
 * `npm run bench -- --smoke` (or COARSEGRAIN_BENCH_SMOKE=1) runs every row at a tiny size with one
 * repetition: it checks that every benchmark, sanity check and reference runs and pairs with its row, and
 * gives no meaningful figures.
 */
import { createThreadedGemm, type ThreadedGemm } from '../src/parallel/threadedGemm.js';

/** True in smoke mode (tiny sizes, one repetition). */
export function isSmoke(): boolean {
  return process.env.COARSEGRAIN_BENCH_SMOKE === '1';
}

/** `full` normally, `smoke` in smoke mode: the size of a benchmark. */
export function bySize<T>(full: T, smoke: T): T {
  return isSmoke() ? smoke : full;
}

/** `n` normally, 1 in smoke mode: the number of timed repetitions. */
export function reps(n: number): number {
  return isSmoke() ? 1 : n;
}

/** One printed row. Figures are rates or times in `unit`; `higherIsBetter` says which way is good. */
export interface BenchRow {
  /** What was measured, e.g. 'metropolis L=64'. */
  readonly case: string;
  /** Our figure. */
  readonly ours: number;
  /** The reference figure (NaN when there is none). */
  readonly reference: number;
  /** What the reference is, e.g. 'naive loop', 'ml-matrix mmul', 'numpy cov'; '(why)' when missing. */
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

/**
 * Best wall time in seconds of `fn` over `repeats` runs (1 in smoke mode) after one warm-up run: the
 * statistic of bench/reference/_common.py's `best_of`, for rows set beside a python reference.
 */
export function bestTime(fn: () => void, repeats = 5): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps(repeats); i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** Median wall time in seconds of `fn` over `repeats` runs (1 in smoke mode) after one warm-up run. */
export function timeIt(fn: () => void, repeats = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < reps(repeats); i++) {
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
  for (let i = 0; i < reps(repeats); i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Best wall time in seconds of async `fn` over `repeats` runs (1 in smoke mode) after one warm-up (shared machine: best, not median). */
export async function bestAsync(fn: () => Promise<void>, repeats: number): Promise<number> {
  await fn();
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps(repeats); r++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

/**
 * A row setting our figure beside a reference measured in this run (a time in seconds, or NaN with the
 * reason in `label` when the reference is missing). `toUnit` converts seconds to the row's unit (e.g. to
 * GFLOP/s); the default keeps seconds.
 */
export function referenceRow(
  caseLabel: string,
  ours: number,
  ref: { readonly seconds: number; readonly label: string },
  unit: string,
  higherIsBetter: boolean,
  options: { readonly target?: number; readonly toUnit?: (seconds: number) => number } = {},
): BenchRow {
  const toUnit = options.toUnit ?? ((s: number) => s);
  return {
    case: caseLabel,
    ours,
    reference: Number.isNaN(ref.seconds) ? Number.NaN : toUnit(ref.seconds),
    referenceLabel: ref.label,
    unit,
    higherIsBetter,
    ...(options.target === undefined ? {} : { target: options.target }),
  };
}

/**
 * The rows of `run` given a 2-thread threaded product (createThreadedGemm), then a row of its start-up
 * time, which stays outside every timed loop; the threads are closed afterwards.
 */
export async function withThreadedGemm(
  run: (threaded: ThreadedGemm) => BenchRow[] | Promise<BenchRow[]>,
): Promise<BenchRow[]> {
  const t0 = performance.now();
  const threaded = createThreadedGemm({ threads: 2 });
  const startup = (performance.now() - t0) / 1000;
  try {
    return [
      ...(await run(threaded)),
      {
        case: `threaded gemm start-up, ${threaded.threads} threads (once, outside the timed loops)`,
        ours: startup,
        reference: Number.NaN,
        referenceLabel: '(a one-off cost)',
        unit: 's',
        higherIsBetter: false,
      },
    ];
  } finally {
    threaded.close();
  }
}
