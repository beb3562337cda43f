/**
 * The experiments a plan can hold, by id: their presets, their `runEN` function, and for the experiments
 * whose work splits into independent pieces, how (E4: one task per sigma, since every random stream of
 * E4 is derived from (seed, sigma, ...), never from the position of sigma in the list).
 * @module
 */
import { E1_PRESETS, runE1 } from '../experiments/e1.js';
import { E2_PRESETS, runE2 } from '../experiments/e2.js';
import { E3_PRESETS, runE3 } from '../experiments/e3.js';
import { E4_PRESETS, type E4Measured, runE4 } from '../experiments/e4.js';
import { E5_PRESETS, runE5 } from '../experiments/e5.js';
import { E6_PRESETS, runE6 } from '../experiments/e6.js';
import { E7_PRESETS, runE7 } from '../experiments/e7.js';
import { E8_PRESETS, runE8 } from '../experiments/e8.js';
import { E9_PRESETS, runE9 } from '../experiments/e9.js';
import { E10_PRESETS, runE10 } from '../experiments/e10.js';
import type { ExperimentOptions, ExperimentResult, PresetConfig } from '../experiments/types.js';

/** The experiment ids a plan can name. */
export const EXPERIMENT_IDS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9', 'E10'] as const;

/** An experiment id, 'E1' ... 'E10'. */
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

/** Any experiment's result (its parameters and measured data as plain data). */
export type AnyResult = ExperimentResult<Record<string, unknown>, Record<string, unknown>>;

/**
 * How an experiment's run splits into independent tasks along a list field of its config: each task runs
 * the experiment on a one-element list, and `merge` rebuilds the measured data of the whole list from the
 * parts, in list order.
 */
export interface ExperimentSplit {
  /** Stage name written in the tasks, e.g. 'sigma'. */
  readonly stage: string;
  /** The config field split into one-element lists, e.g. 'sigmas'. */
  readonly field: string;
  /** The measured data of the whole list from those of the parts (in list order). */
  readonly mergeMeasured: (parts: readonly Record<string, unknown>[]) => Record<string, unknown>;
}

/** What a plan needs of one experiment. */
export interface ExperimentEntry {
  readonly presets: { readonly quick: object; readonly full: object };
  /** `runEN` (E8-E10 are async). */
  readonly run: (config: PresetConfig<object>, options: ExperimentOptions) => AnyResult | Promise<AnyResult>;
  readonly split?: ExperimentSplit;
}

type Runner = ExperimentEntry['run'];

/** The experiments by id. */
export const EXPERIMENTS: Readonly<Record<ExperimentId, ExperimentEntry>> = {
  E1: { presets: E1_PRESETS, run: runE1 as unknown as Runner },
  E2: { presets: E2_PRESETS, run: runE2 as unknown as Runner },
  E3: { presets: E3_PRESETS, run: runE3 as unknown as Runner },
  E4: {
    presets: E4_PRESETS,
    run: runE4 as unknown as Runner,
    split: {
      stage: 'sigma',
      field: 'sigmas',
      mergeMeasured: (parts) => ({
        perSigma: parts.flatMap((p) => (p as unknown as E4Measured).perSigma),
      }),
    },
  },
  E5: { presets: E5_PRESETS, run: runE5 as unknown as Runner },
  E6: { presets: E6_PRESETS, run: runE6 as unknown as Runner },
  E7: { presets: E7_PRESETS, run: runE7 as unknown as Runner },
  E8: { presets: E8_PRESETS, run: runE8 as unknown as Runner },
  E9: { presets: E9_PRESETS, run: runE9 as unknown as Runner },
  E10: { presets: E10_PRESETS, run: runE10 as unknown as Runner },
};
