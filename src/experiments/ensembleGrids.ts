/**
 * Ensembles over a temperature grid for the experiments E2, E3 and E6 (2D Ising or the long-range chain),
 * one derived random stream per temperature, the Monte Carlo reference curves of the long-range chain per
 * size, and the validation of the grids and sampling fields of their configs.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import { deriveRng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { createIsing2D } from '../lattice/ising2d.js';
import { createLongRangeChain } from '../lattice/longRangeChain.js';
import type { LatticeModel } from '../lattice/types.js';
import { curveFromEnsembles, type ReferenceCurve } from '../rg/thermometer.js';
import { type Ensemble, sampleEnsemble } from '../sampling/ensemble.js';
import type { SamplerName } from '../sampling/registry.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RUN_OPTIONS_STAGE_KEYS = optionKeys<RunOptions & { readonly stage?: string }>({
  onProgress: true,
  signal: true,
  stage: true,
});

const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });

/** Sampling settings of an ensemble grid. */
export interface GridSampling {
  readonly samples: number;
  readonly burnIn: number;
  readonly thin: number;
  readonly sampler?: SamplerName;
}

/**
 * One ensemble per temperature of `model`, temperature k drawn from `deriveRng(seed, id, label, k)`.
 * Reports `{ stage, done: k + 1, total }` after each temperature; checks the signal between them.
 */
export function sampleGrid(
  model: LatticeModel,
  temperatures: readonly number[],
  sampling: GridSampling,
  stream: { readonly seed: number; readonly id: string; readonly label: string },
  run: RunOptions & { readonly stage?: string } = {},
): Ensemble[] {
  run = checkOptions(run, 'sampleGrid: run', RUN_OPTIONS_STAGE_KEYS);
  const out: Ensemble[] = [];
  temperatures.forEach((temperature, k) => {
    checkAbort(run.signal, `${stream.id}: ${stream.label}`);
    out.push(
      sampleEnsemble(model, {
        temperature,
        samples: sampling.samples,
        burnIn: sampling.burnIn,
        thin: sampling.thin,
        ...(sampling.sampler ? { sampler: sampling.sampler } : {}),
        rng: deriveRng(stream.seed, stream.id, stream.label, k),
        ...(run.signal ? { signal: run.signal } : {}),
      }),
    );
    run.onProgress?.({
      stage: run.stage ?? stream.label,
      done: k + 1,
      total: temperatures.length,
      metrics: { temperature },
    });
  });
  return out;
}

/** 2D Ising ensembles (Wolff) on an L x L torus for each temperature. */
export function isingGrid(
  L: number,
  temperatures: readonly number[],
  sampling: GridSampling,
  stream: { readonly seed: number; readonly id: string; readonly label: string },
  run: RunOptions & { readonly stage?: string } = {},
): Ensemble[] {
  run = checkOptions(run, 'isingGrid: run', RUN_OPTIONS_STAGE_KEYS);
  return sampleGrid(createIsing2D({ L }), temperatures, { sampler: 'wolff', ...sampling }, stream, run);
}

/**
 * Monte Carlo reference curves (nearest-neighbour energy per site vs T) of the long-range chain at each
 * chain length in `sizes`, from ensembles on `grid`. Used by E6, where there is no exact curve.
 */
export function longRangeCurves(
  sizes: readonly number[],
  sigma: number,
  grid: readonly number[],
  sampling: GridSampling,
  stream: { readonly seed: number; readonly id: string },
  run: RunOptions = {},
): Map<number, ReferenceCurve> {
  run = checkOptions(run, 'longRangeCurves: run', RUN_OPTIONS_KEYS);
  const curves = new Map<number, ReferenceCurve>();
  sizes.forEach((N, level) => {
    const ensembles = sampleGrid(
      createLongRangeChain({ N, sigma }),
      grid,
      { sampler: 'lr-cluster', ...sampling },
      { seed: stream.seed, id: stream.id, label: `thermometer N=${N}` },
      {
        ...run,
        stage: `thermometer ${level + 1}/${sizes.length}`,
      },
    );
    curves.set(N, curveFromEnsembles(ensembles, [N]));
  });
  return curves;
}

/** Validate a list of positive temperatures. */
export function checkTemperatures(list: unknown, name: string, min = 1): number[] {
  if (!Array.isArray(list) || list.length < min)
    throw domainError(name, `a list of at least ${min} temperatures`, list);
  return list.map((T, k) => checkPositive(T, `${name}[${k}]`));
}

/** Validate a strictly ascending list of positive temperatures with at least `min` entries. */
export function checkTemperatureGrid(values: unknown, name: string, min: number): number[] {
  if (!Array.isArray(values) || values.length < min)
    throw domainError(name, `a list of at least ${min} temperatures`, values);
  values.forEach((T, i) => {
    checkPositive(T, `${name}[${i}]`);
    if (i > 0 && !(T > values[i - 1]))
      throw domainError(`${name}[${i}]`, `a temperature > ${values[i - 1]} (ascending)`, T);
  });
  return [...values] as number[];
}

/** Validate the sampling fields of a config. */
export function checkSampling(fn: string, c: GridSampling, prefix = ''): void {
  checkInteger(c.samples, `${fn}: config.${prefix}samples`, 2);
  checkInteger(c.burnIn, `${fn}: config.${prefix}burnIn`, 0);
  checkInteger(c.thin, `${fn}: config.${prefix}thin`, 1);
}
