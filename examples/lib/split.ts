/**
 * Run an experiment as independent parts on a worker pool (src/parallel) and merge them into the result
 * of one run. A part is the experiment with one list field of its config narrowed to a sub-list:
 *
 * - E4 by `sigmas` (one part per sigma): every ensemble draws from deriveRng(seed, 'E4', ..., sigma, ...);
 * - E8 by `datasets` (one part per data set): every stream is deriveRng(seed, 'E8', dataset, ...);
 * - E10 by `models` (autoencoder, rbm): the two analyses of a data set use their own streams, and each
 *   part loads (or samples, with the same stream) the same data.
 *
 * So the merged result is bit-identical to the single-thread run for any number of workers (only `seconds`
 * differs); test/examples/split.test.ts checks this on small configs. Cost: the single run's, divided over
 * the workers at the granularity of the parts (E10's data sets are loaded once per part).
 */
import type { OnProgress } from '../../src/core/progress.js';
import { E4_PRESETS, type E4Config, type E4Measured } from '../../src/experiments/e4.js';
import { E8_PRESETS, type E8Config, type E8Measured } from '../../src/experiments/e8.js';
import { E10_PRESETS, type E10Config, type E10Measured } from '../../src/experiments/e10.js';
import { type ExperimentResult, type PresetConfig, resolvePreset } from '../../src/experiments/types.js';
import { createWorkerPool, destroyWorkerPool, mapParallel } from '../../src/parallel/pool.js';
import { type ExperimentTaskInput, runExperiment } from './experimentTasks.js';
import type { ExtraFlag } from './presetFlags.js';

type AnyResult = ExperimentResult<Record<string, unknown>, Record<string, unknown>>;

/** How an experiment splits: the field, its parts, and the merge of the measured data. */
interface SplitSpec {
  readonly fn: string;
  readonly presets: { readonly quick: object; readonly full: object };
  readonly field: string;
  /** The sub-lists of the field's value, in order. */
  readonly parts: (values: readonly unknown[]) => unknown[][];
  readonly mergeMeasured: (parts: readonly Record<string, unknown>[]) => Record<string, unknown>;
}

const flat = (parts: readonly Record<string, unknown>[], key: string): unknown[] =>
  parts.flatMap((p) => p[key] as unknown[]);

const SPLITS: Record<ExperimentTaskInput['id'], SplitSpec> = {
  E4: {
    fn: 'runE4',
    presets: E4_PRESETS,
    field: 'sigmas',
    parts: (values) => values.map((v) => [v]),
    mergeMeasured: (parts) => ({ perSigma: flat(parts, 'perSigma') }),
  },
  E8: {
    fn: 'runE8',
    presets: E8_PRESETS,
    field: 'datasets',
    parts: (values) => values.map((v) => [v]),
    mergeMeasured: (parts) => ({
      datasets: flat(parts, 'datasets'),
      rows: flat(parts, 'rows'),
      skipped: flat(parts, 'skipped'),
    }),
  },
  E10: {
    fn: 'runE10',
    presets: E10_PRESETS,
    field: 'models',
    // autoencoder analyses (and their comparisons) come first in a single run, then the RBM ones
    parts: (values) => ['autoencoder', 'rbm'].filter((m) => values.includes(m)).map((m) => [m]),
    mergeMeasured: (parts) => ({
      datasets: flat(parts, 'datasets'),
      rbm: flat(parts, 'rbm'),
      skipped: (parts[0]?.skipped as string[]) ?? [],
    }),
  },
};

/** Options of {@link runSplit}. */
export interface SplitOptions {
  readonly seed: number;
  /** Worker threads (1: the single-thread run in this thread, with its own progress). */
  readonly workers: number;
  /** Per finished part with `workers > 1` (stage 'parts'); passed to the experiment otherwise. */
  readonly onProgress?: OnProgress;
}

/**
 * The result of experiment `id` with `config`, computed as parts on `workers` threads and merged (see the
 * module notes); with one worker, the plain single-thread run.
 */
export async function runSplit<
  C extends E4Config | E8Config | E10Config,
  M extends E4Measured | E8Measured | E10Measured,
>(
  id: ExperimentTaskInput['id'],
  config: PresetConfig<C>,
  options: SplitOptions,
): Promise<ExperimentResult<C, M>> {
  const { seed, workers, onProgress } = options;
  if (workers <= 1)
    return (await runExperiment(
      { id, config: config as Record<string, unknown>, seed },
      onProgress,
    )) as ExperimentResult<C, M>;
  const t0 = performance.now();
  const spec = SPLITS[id];
  const whole = resolvePreset(spec.fn, config as PresetConfig<object>, spec.presets);
  const values = (whole.config as Record<string, unknown>)[spec.field] as readonly unknown[];
  const inputs: ExperimentTaskInput[] = spec
    .parts(values)
    .map((part) => ({ id, config: { ...config, [spec.field]: part }, seed }));
  const pool = createWorkerPool({
    workers: Math.min(workers, inputs.length),
    taskModules: [new URL('./experimentTasks.ts', import.meta.url)],
  });
  let done = 0;
  try {
    const parts = (await Promise.all(
      inputs.map((input) =>
        mapParallel<ExperimentTaskInput, AnyResult>(pool, 'examples:runExperiment', [input]).then(([r]) => {
          onProgress?.({ stage: 'parts', done: ++done, total: inputs.length });
          return r!;
        }),
      ),
    )) as AnyResult[];
    const first = parts[0]!;
    return {
      ...first,
      preset: whole.preset,
      parameters: { ...first.parameters, [spec.field]: values },
      seconds: (performance.now() - t0) / 1000,
      measured: spec.mergeMeasured(parts.map((p) => p.measured)),
      comparisons: parts.flatMap((p) => p.comparisons),
    } as unknown as ExperimentResult<C, M>;
  } finally {
    await destroyWorkerPool(pool);
  }
}

/** The `--workers N` flag of the scripts that split (presetCli `extraFlags`). */
export const WORKERS_FLAG = {
  workers: {
    type: 'number',
    default: 1,
    help: 'worker threads; the experiment runs as independent parts, with the same result for any N',
  },
} as const satisfies Record<string, ExtraFlag>;

/** {@link runSplit} for E4 (parts: one per sigma). */
export const runE4Split = (config: PresetConfig<E4Config>, options: SplitOptions) =>
  runSplit<E4Config, E4Measured>('E4', config, options);

/** {@link runSplit} for E8 (parts: one per data set). */
export const runE8Split = (config: PresetConfig<E8Config>, options: SplitOptions) =>
  runSplit<E8Config, E8Measured>('E8', config, options);

/** {@link runSplit} for E10 (parts: autoencoder, rbm). */
export const runE10Split = (config: PresetConfig<E10Config>, options: SplitOptions) =>
  runSplit<E10Config, E10Measured>('E10', config, options);
