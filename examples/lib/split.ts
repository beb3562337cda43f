/**
 * Run an experiment as independent parts on a worker pool (src/parallel) and merge them into the result
 * of one run. A part is the experiment with list fields of its config narrowed to sub-lists:
 *
 * - E4 by `sigmas` (one part per sigma): every ensemble draws from deriveRng(seed, 'E4', ..., sigma, ...);
 * - E8 by `datasets` (one part per data set): every stream is deriveRng(seed, 'E8', dataset, ...);
 * - E10 by data source and model (one part per data set, the Ising set once per temperature, times
 *   autoencoder / RBM): each analysis uses its own streams (deriveRng(seed, 'E10', source, ...)), and the
 *   two parts of a source load (or sample, with the same stream) the same data.
 *
 * So the merged result is bit-identical to the single-thread run for any number of workers (only `seconds`
 * differs); test/examples/split.test.ts checks this on small configs. Cost: the single run's, divided over
 * the workers at the granularity of the parts (E10's data sets are loaded once per model).
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

/** How an experiment splits: its parts (config overrides, in merge order) and the merge of the measured data. */
interface SplitSpec {
  readonly fn: string;
  readonly presets: { readonly quick: object; readonly full: object };
  /** The parts of the resolved config, as overrides of it (in the order their comparisons are listed). */
  readonly parts: (config: Record<string, unknown>) => Record<string, unknown>[];
  /** Merge the parts' measured data (`overrides`: the parts' config overrides, in the same order). */
  readonly mergeMeasured: (
    parts: readonly Record<string, unknown>[],
    overrides: readonly Record<string, unknown>[],
  ) => Record<string, unknown>;
}

const flat = (parts: readonly Record<string, unknown>[], key: string): unknown[] =>
  parts.flatMap((p) => p[key] as unknown[]);

/** E10's data sources in run order: each data set, the Ising one once per temperature. */
function e10Sources(c: Record<string, unknown>): Record<string, unknown>[] {
  return (c.datasets as string[]).flatMap((name) =>
    name === 'ising'
      ? (c.isingTemperatures as number[]).map((T) => ({ datasets: [name], isingTemperatures: [T] }))
      : [{ datasets: [name] }],
  );
}

const SPLITS: Record<ExperimentTaskInput['id'], SplitSpec> = {
  E4: {
    fn: 'runE4',
    presets: E4_PRESETS,
    parts: (c) => (c.sigmas as number[]).map((sigma) => ({ sigmas: [sigma] })),
    mergeMeasured: (parts) => ({ perSigma: flat(parts, 'perSigma') }),
  },
  E8: {
    fn: 'runE8',
    presets: E8_PRESETS,
    parts: (c) => (c.datasets as string[]).map((name) => ({ datasets: [name] })),
    mergeMeasured: (parts) => ({
      datasets: flat(parts, 'datasets'),
      rows: flat(parts, 'rows'),
      skipped: flat(parts, 'skipped'),
    }),
  },
  E10: {
    fn: 'runE10',
    presets: E10_PRESETS,
    // a single run lists the autoencoder analyses (and comparisons) of every source first, then the RBM ones
    parts: (c) =>
      ['autoencoder', 'rbm']
        .filter((m) => (c.models as string[]).includes(m))
        .flatMap((m) => e10Sources(c).map((source) => ({ ...source, models: [m] }))),
    mergeMeasured: (parts, overrides) => {
      // every model's group of parts sees every source once, so the first group's skipped list is the run's
      const model = (overrides[0]?.models as string[] | undefined)?.[0];
      const group = overrides.filter((o) => (o.models as string[])[0] === model).length;
      return {
        datasets: flat(parts, 'datasets'),
        rbm: flat(parts, 'rbm'),
        skipped: flat(parts.slice(0, group), 'skipped'),
      };
    },
  },
};

/** The fields `keys` of `object`. */
function pick(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));
}

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
  const resolved = whole.config as Record<string, unknown>;
  const overrides = spec.parts(resolved);
  const inputs: ExperimentTaskInput[] = overrides.map((part) => ({
    id,
    config: { ...config, ...part },
    seed,
  }));
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
      parameters: { ...first.parameters, ...pick(resolved, [...new Set(overrides.flatMap(Object.keys))]) },
      seconds: (performance.now() - t0) / 1000,
      measured: spec.mergeMeasured(
        parts.map((p) => p.measured),
        overrides,
      ),
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

/** {@link runSplit} for E10 (parts: data source x model). */
export const runE10Split = (config: PresetConfig<E10Config>, options: SplitOptions) =>
  runSplit<E10Config, E10Measured>('E10', config, options);
