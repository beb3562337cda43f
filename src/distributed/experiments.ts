/**
 * The experiments a plan can hold, by id: their presets, their `runEN` function, and for the experiments
 * whose work splits into independent pieces, how. Each split is exact because every random stream of the
 * experiment derives from the piece's own key, never from its position in a list:
 *
 * - E4 by sigma and ring size: per sigma, one task 'sigma' runs runE4 on its two largest sizes (their
 *   Binder curves, their crossing = Tc, the correlator at Tc) and one task 'binder' per smaller size runs
 *   runE4Binder (that size's U(T) curve only); the merge adds the crossings of the smaller sizes
 *   (joinE4Binder). Every ensemble draws from deriveRng(seed, 'E4', 'binder' | 'correlator', ..., sigma,
 *   N) and every crossing from deriveRng(seed, 'E4', 'crossing', sigma, N1, N2);
 * - E8 by data set x model (stage 'dataset-model'): every stream is deriveRng(seed, 'E8', dataset, ...), the
 *   model's own streams add the model name (the two parts of a data set load the same data and compute the
 *   same summary: the merge keeps the first);
 * - E10 by data source x model (stage 'source-model': each data set, the Ising one once per temperature,
 *   times autoencoder / RBM): each analysis uses its own streams (deriveRng(seed, 'E10', source, ...)), and
 *   the two pieces of a source load (or sample, with the same stream) the same data.
 *
 * A piece of E8 or E10 that reads files carries the folder path in its config (never the data); whoever
 * runs it reads the files there (./runners.ts and ./poolTasks.ts pass `nodeLoaders`).
 * @module
 */
import { domainError } from '../core/validate.js';
import { E1_PRESETS, runE1 } from '../experiments/e1.js';
import { E2_PRESETS, runE2 } from '../experiments/e2.js';
import { E3_PRESETS, runE3 } from '../experiments/e3.js';
import {
  checkE4Config,
  E4_PRESETS,
  type E4BinderMeasured,
  type E4Config,
  type E4Measured,
  joinE4Binder,
  runE4,
  runE4Binder,
} from '../experiments/e4.js';
import { E5_PRESETS, runE5 } from '../experiments/e5.js';
import { E6_PRESETS, runE6 } from '../experiments/e6.js';
import { E7_PRESETS, runE7 } from '../experiments/e7.js';
import { E8_PRESETS, runE8 } from '../experiments/e8.js';
import { E9_PRESETS, runE9 } from '../experiments/e9.js';
import { E10_PRESETS, runE10 } from '../experiments/e10.js';
import { runE11 } from '../experiments/e11.js';
import { E11_PRESETS } from '../experiments/e11Config.js';
import type { ExperimentOptions, ExperimentResult, PresetConfig } from '../experiments/types.js';

/** The experiment ids a plan can name. */
export const EXPERIMENT_IDS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9', 'E10', 'E11'] as const;

/** An experiment id, 'E1' ... 'E11'. */
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

/** Any experiment's result (its parameters and measured data as plain data). */
export type AnyResult = ExperimentResult<Record<string, unknown>, Record<string, unknown>>;

/** One part of a split point: a task of stage `stage` on the point's config with `overrides`. */
export interface SplitPart {
  /** One of the split's `stages`. */
  readonly stage: string;
  /** Overrides of the config's fields (list fields narrowed to sub-lists). */
  readonly overrides: Record<string, unknown>;
}

/**
 * How an experiment's run splits into independent tasks: each task runs a stage of the experiment on the
 * config with some list fields narrowed to sub-lists (a part), and `mergeMeasured` rebuilds the measured
 * data of the whole run from the parts. The comparisons of the whole run are the parts' in part order.
 */
export interface ExperimentSplit {
  /**
   * The stages the split's tasks name, each with the function that runs it; null: the experiment's own
   * `runEN` on the narrowed config.
   */
  readonly stages: Readonly<Record<string, Runner | null>>;
  /**
   * The parts of a resolved config (every field set), in the order the whole run lists their comparisons.
   * One part means no split.
   * @throws DomainError for a config the whole run would refuse, where a part alone would not.
   */
  readonly parts: (config: Readonly<Record<string, unknown>>) => SplitPart[];
  /**
   * The measured data of the whole run from those of the parts (`parts`: as returned by `parts`, in the
   * same order; `config`: the whole run's resolved config; `seed`: its seed).
   */
  readonly mergeMeasured: (
    measured: readonly Record<string, unknown>[],
    parts: readonly SplitPart[],
    context: { readonly config: Readonly<Record<string, unknown>>; readonly seed: number },
  ) => Record<string, unknown>;
}

/** What a plan needs of one experiment. */
export interface ExperimentEntry {
  readonly presets: { readonly quick: object; readonly full: object };
  /** `runEN` (E8-E10 are async). */
  readonly run: Runner;
  readonly split?: ExperimentSplit;
  /**
   * Estimated cost of a task of stage `stage` on a resolved config, in arbitrary units proportional to its
   * run time (used to start the longest tasks first). Absent: no estimate.
   */
  readonly cost?: (stage: string, config: Readonly<Record<string, unknown>>) => number;
}

type Runner = (config: PresetConfig<object>, options: ExperimentOptions) => AnyResult | Promise<AnyResult>;

/** The list fields `key` of the parts, concatenated in part order. */
const concat = (parts: readonly Record<string, unknown>[], key: string): unknown[] =>
  parts.flatMap((p) => p[key] as unknown[]);

/** E10's data sources in run order: each data set, the Ising one once per temperature. */
function e10Sources(c: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  return (c.datasets as string[]).flatMap((name) =>
    name === 'ising'
      ? (c.isingTemperatures as number[]).map((T) => ({ datasets: [name], isingTemperatures: [T] }))
      : [{ datasets: [name] }],
  );
}

const E4_SPLIT: ExperimentSplit = {
  stages: { sigma: null, binder: runE4Binder as unknown as Runner },
  // per sigma: the smaller sizes' U(T) curves one task each, then runE4 on the two largest sizes
  parts: (config) => {
    const c = checkE4Config(config as unknown as E4Config, 'planSweep: E4 config');
    const top = c.sizes.slice(-2);
    return c.sigmas.flatMap((sigma) => [
      ...c.sizes.slice(0, -2).map((N) => ({ stage: 'binder', overrides: { sigmas: [sigma], sizes: [N] } })),
      { stage: 'sigma', overrides: { sigmas: [sigma], sizes: top } },
    ]);
  },
  mergeMeasured: (measured, parts, { config, seed }) => {
    const perSigma: E4Measured['perSigma'] = [];
    let lower: E4BinderMeasured['perSigma'] = [];
    measured.forEach((m, i) => {
      if (parts[i]!.stage === 'binder') lower = [...lower, ...(m as unknown as E4BinderMeasured).perSigma];
      else {
        const top = (m as unknown as E4Measured).perSigma;
        if (!Array.isArray(top) || top.length !== 1)
          throw domainError(`mergeMeasured: E4 part ${i}`, 'the runE4 result of one sigma', top);
        perSigma.push(joinE4Binder(config as unknown as E4Config, seed, top[0]!, lower));
        lower = [];
      }
    });
    return { perSigma };
  },
};

/**
 * Relative cost of an E4 task: cluster steps x N log2 N (an lr-cluster step flips ~N spins, each cluster
 * site costing ~log N bond draws), over its Binder ensembles and, unless it is a Binder stage, its three
 * correlator ensembles of the largest ring per sigma (at Tc and Tc -+ dTc; the correlator of the samples
 * is not counted). Full preset: Binder ensembles ~85% of a run, correlators ~15% (docs/experiments.md:
 * ~1,070 s and ~160 s).
 */
function e4Cost(stage: string, config: Readonly<Record<string, unknown>>): number {
  const c = config as unknown as E4Config;
  const nLogN = (N: number) => N * Math.log2(N);
  const binderSteps = c.temperaturePoints * (c.burnIn + c.samples * c.thin);
  let perSigma = c.sizes.reduce((sum, N) => sum + binderSteps * nLogN(N), 0);
  if (stage !== 'binder')
    perSigma += 3 * (c.burnIn + c.correlatorSamples * c.thin) * nLogN(c.sizes[c.sizes.length - 1]!);
  return c.sigmas.length * perSigma;
}

/** The items of `parts`' list fields `key`, in part order, keeping the first of each `dataset`. */
const firstPerDataset = (parts: readonly Record<string, unknown>[], key: string): unknown[] => {
  const seen = new Set<unknown>();
  return concat(parts, key).filter((x) => {
    const name = (x as { dataset: unknown }).dataset;
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
};

const E8_SPLIT: ExperimentSplit = {
  stages: { 'dataset-model': null },
  // a whole run lists each data set's rows (and comparisons) model by model, in the config's orders
  parts: (c) =>
    (c.datasets as string[]).flatMap((name) =>
      (c.models as string[]).map((model) => ({
        stage: 'dataset-model',
        overrides: { datasets: [name], models: [model] },
      })),
    ),
  // every part of a data set loads it and computes the same summary (PCA, random baseline) from the same streams
  mergeMeasured: (parts) => ({
    datasets: firstPerDataset(parts, 'datasets'),
    rows: concat(parts, 'rows'),
    skipped: firstPerDataset(parts, 'skipped'),
  }),
};

const E10_SPLIT: ExperimentSplit = {
  stages: { 'source-model': null },
  // a whole run lists the autoencoder analyses (and comparisons) of every source first, then the RBM ones
  parts: (c) =>
    ['autoencoder', 'rbm']
      .filter((m) => (c.models as string[]).includes(m))
      .flatMap((m) =>
        e10Sources(c).map((source) => ({ stage: 'source-model', overrides: { ...source, models: [m] } })),
      ),
  mergeMeasured: (parts, split) => {
    // every model's group of parts sees every source once, so the first group's skipped list is the run's
    const model = (split[0]?.overrides.models as string[] | undefined)?.[0];
    const group = split.filter((o) => (o.overrides.models as string[])[0] === model).length;
    return {
      datasets: concat(parts, 'datasets'),
      rbm: concat(parts, 'rbm'),
      skipped: concat(parts.slice(0, group), 'skipped'),
    };
  },
};

/** The experiments by id. */
export const EXPERIMENTS: Readonly<Record<ExperimentId, ExperimentEntry>> = {
  E1: { presets: E1_PRESETS, run: runE1 as unknown as Runner },
  E2: { presets: E2_PRESETS, run: runE2 as unknown as Runner },
  E3: { presets: E3_PRESETS, run: runE3 as unknown as Runner },
  E4: { presets: E4_PRESETS, run: runE4 as unknown as Runner, split: E4_SPLIT, cost: e4Cost },
  E5: { presets: E5_PRESETS, run: runE5 as unknown as Runner },
  E6: { presets: E6_PRESETS, run: runE6 as unknown as Runner },
  E7: { presets: E7_PRESETS, run: runE7 as unknown as Runner },
  E8: { presets: E8_PRESETS, run: runE8 as unknown as Runner, split: E8_SPLIT },
  E9: { presets: E9_PRESETS, run: runE9 as unknown as Runner },
  E10: { presets: E10_PRESETS, run: runE10 as unknown as Runner, split: E10_SPLIT },
  E11: { presets: E11_PRESETS, run: runE11 as unknown as Runner },
};
