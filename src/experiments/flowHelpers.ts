/**
 * Helpers shared by the coarse-graining experiments E2, E3 and E6: ensembles over a temperature grid (2D
 * Ising or the long-range chain), per-level thermometers (exact Kaufman energy for the 2D torus, Monte Carlo
 * curves for the chain), flow directions, summaries over maps with spreads, and the <v h> locality table.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import { deriveRng } from '../core/rng.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkNumericArray,
  checkObjectList,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkShape,
  checkTrainingWork,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { createIsing2D } from '../lattice/ising2d.js';
import { createLongRangeChain } from '../lattice/longRangeChain.js';
import type { LatticeModel } from '../lattice/types.js';
import type { RbmStack } from '../models/rbmStack.js';
import type { Rbm } from '../models/types.js';
import type { FlowStep, FlowThermometer } from '../rg/flow.js';
import { formatReading, plainReading, type TemperatureReading } from '../rg/reading.js';
import { curveFromEnsembles, observableThermometer, type ReferenceCurve } from '../rg/thermometer.js';
import { type Ensemble, sampleEnsemble } from '../sampling/ensemble.js';
import type { SamplerName } from '../sampling/registry.js';
import { correlatorMaps, inputOutputCorrelator, mapLocality } from '../spectral/inputOutput.js';
import type { Comparison, Measurement } from './types.js';

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

/**
 * A per-level thermometer from a map of reference curves keyed by the level's number of sites; a level
 * whose mean observable lies at or beyond its curve's range reads out of range (bound and edge).
 */
export function curveLevelThermometer(curves: ReadonlyMap<number, ReferenceCurve>): FlowThermometer {
  return (configs, shape) => {
    const sites = shape.reduce((a, b) => a * b, 1);
    const curve = curves.get(sites);
    if (!curve)
      throw domainError('curveLevelThermometer: shape', `one of ${[...curves.keys()]} sites`, sites);
    return plainReading(observableThermometer(configs, shape, curve));
  };
}

/** A level of a temperature flow, as stored in results. */
export interface FlowLevel {
  readonly level: number;
  readonly sites: number;
  readonly shape: number[];
  /** The level's thermometer reading: in range, or out of range with its bound and grid edge. */
  readonly temperature: TemperatureReading;
  readonly energy: Measurement;
  readonly absMagnetization: Measurement;
}

/**
 * The JSON-safe summary of flow steps (configurations dropped), readings kept as they are (in or out of
 * range).
 * @throws DomainError if a step has no thermometer reading (the flow was run without a thermometer).
 * @example
 * ```ts
 * import { blockFlow, createIsing2D, createRng, flowLevels, kaufmanLevelThermometer, sampleEnsemble, temperatureGrid } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 40, rng: createRng(1) });
 * const steps = blockFlow(ens.configs, [8, 8], { levels: 2, thermometer: kaufmanLevelThermometer(temperatureGrid(1, 6, 0.05)) });
 * const levels = flowLevels(steps); // JSON-safe: per level the shape, energy, |m| and the temperature reading
 * ```
 */
export function flowLevels(steps: readonly FlowStep[]): FlowLevel[] {
  checkObjectList(steps, 'flowLevels: steps', 1, 'FlowSteps (from a flow)');
  return steps.map((s, k) => {
    if (!Array.isArray(s.shape))
      throw domainError(`flowLevels: steps[${k}].shape`, 'a list of sizes', s.shape);
    if (!s.temperature)
      throw domainError(
        `flowLevels: steps[${k}].temperature`,
        'a thermometer reading (pass `thermometer` to the flow)',
        undefined,
      );
    return {
      level: s.step,
      sites: s.shape.reduce((a, b) => a * b, 1),
      shape: [...s.shape],
      temperature: plainReading(s.temperature),
      energy: { mean: s.energy.mean, error: s.energy.error },
      absMagnetization: { mean: s.absMagnetization.mean, error: s.absMagnetization.error },
    };
  });
}

/** Direction of a flow: the change of the temperature from its first level to its last. */
export interface FlowDirection {
  /** T(last) - T(first) with the errors in quadrature; NaN when either end is out of range. */
  readonly change: Measurement;
  /**
   * 'up' / 'down' when the change exceeds 2 sigma, else 'flat'; 'out-of-range' when the first or the last
   * reading lies at or beyond the thermometer's grid (then no direction is judged).
   */
  readonly direction: 'up' | 'down' | 'flat' | 'out-of-range';
  /** When direction is 'out-of-range': the offending readings in words, e.g. 'T(level 1) > 10 (beyond grid)'. */
  readonly outOfRange?: string;
}

/** {@link FlowDirection} of a list of levels (first to last); out-of-range ends are reported, not judged. */
export function flowDirection(levels: readonly FlowLevel[]): FlowDirection {
  const firstLevel = levels[0]!;
  const lastLevel = levels[levels.length - 1]!;
  const first = firstLevel.temperature;
  const last = lastLevel.temperature;
  if (!first.inRange || !last.inRange) {
    const words = [firstLevel, lastLevel]
      .filter((l) => !l.temperature.inRange)
      .map((l) => `T(level ${l.level}) ${formatReading(l.temperature)}`);
    return {
      change: { mean: Number.NaN, error: Number.NaN },
      direction: 'out-of-range',
      outOfRange: words.join('; '),
    };
  }
  const mean = last.temperature - first.temperature;
  const error = Math.hypot(
    Number.isFinite(first.error) ? first.error : 0,
    Number.isFinite(last.error) ? last.error : 0,
  );
  const direction = Math.abs(mean) > 2 * error ? (mean > 0 ? 'up' : 'down') : 'flat';
  return { change: { mean, error }, direction };
}

/**
 * A comparison of a flow's direction with the expected one: `agrees` when the measured direction is the
 * expected one (`expected` null: no direction predicted, no verdict). When an end of the flow is out of the thermometer's range, `measured` is NaN, `agrees` is
 * absent and `outOfRange` names the readings: no verdict rests on a reading beyond the grid.
 */
export function directionComparison(
  fields: Omit<Comparison, 'measured' | 'agrees' | 'outOfRange'>,
  direction: FlowDirection,
  expected: 'up' | 'down' | 'flat' | null,
): Comparison {
  if (direction.direction === 'out-of-range') {
    return {
      ...fields,
      measured: direction.change,
      outOfRange: `${direction.outOfRange ?? 'an end is out of range'}: excluded from the verdict`,
    };
  }
  // expected null: no direction is predicted, so nothing is judged
  if (expected === null) return { ...fields, measured: direction.change };
  return { ...fields, measured: direction.change, agrees: direction.direction === expected };
}

/** Mean with standard error and the spread (standard deviation) of a list of values. */
export interface SpreadSummary extends Measurement {
  readonly spread: number;
  readonly count: number;
}

/** {@link SpreadSummary} of finite values (NaN entries skipped). */
export function spreadSummary(values: readonly number[]): SpreadSummary {
  const xs = values.filter((x) => Number.isFinite(x));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, error: Number.NaN, spread: Number.NaN, count: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, error: Number.NaN, spread: Number.NaN, count: n };
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, error: Math.sqrt(variance / n), spread: Math.sqrt(variance), count: n };
}

/** Locality of the <v_i h_a> maps of one coarse-graining map. */
export interface MapsLocality {
  /** nHidden x nVisible maps (row a = <v_i h_a> on the visible lattice), plain numbers. */
  readonly maps: number[];
  readonly nHidden: number;
  /** Per map: centre (lattice units per axis), radius of gyration, participation ratio, A(r = 1). */
  readonly perMap: {
    readonly centre: number[];
    readonly radiusOfGyration: number;
    readonly participationRatio: number;
    readonly autocorrelationR1: number;
  }[];
  readonly radiusOfGyration: SpreadSummary;
  readonly participationRatio: SpreadSummary;
  /** Normalised spatial autocorrelation of the maps at distance 1. */
  readonly autocorrelationR1: SpreadSummary;
  /** Mean normalised autocorrelation A(r) over maps (r < L/2). */
  readonly autocorrelation: { readonly r: number[]; readonly value: number[] };
}

/**
 * Baseline removed from each map before its locality is measured: `'none'`, or `'min'`: shift the map so
 * that its background (the extreme value on the side opposite to its peak) is 0. On a finite lattice at or
 * below Tc the raw <v_i h_a> sits on a nearly uniform background ~ <m^2>, which hides the local part.
 */
export type MapBaseline = 'none' | 'min';

/**
 * <v_i h_a> of n paired samples (v: n x prod(shape) {@link Matrix}, e.g. an ensemble's Int8Array spins;
 * h: n x nHidden), the map of each hidden unit on the visible lattice of `shape` and its locality
 * (spectral/inputOutput) after removing the `baseline`. Maps that are all zero are skipped in the summaries.
 * @throws ShapeError if v.cols differs from prod(shape) or h.rows from v.rows; DomainError if v or h is
 *   not a Matrix.
 * @example
 * ```ts
 * import { blockAverage, createIsing2D, createRng, ensembleMatrix, mapsLocality, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.27, samples: 100, rng: createRng(1) });
 * const v = ensembleMatrix(ens); // 100 x 64 Int8Array spins
 * const h = blockAverage(ens.configs, [8, 8], 2); // the 2 x 2 block RG as "hidden units"
 * const maps = mapsLocality(v, h, [8, 8], { baseline: 'min' });
 * maps.radiusOfGyration; // { mean: 2.75, error: 0.03, ... } lattice spacings over the 16 maps; 3.17 without
 * // the 'min' baseline, whose removal of the uniform background at Tc makes the local patch visible
 * ```
 */
export function mapsLocality(
  v: Matrix<ArrayLike<number>>,
  h: Matrix<ArrayLike<number>>,
  shape: readonly number[],
  options: { readonly connected?: boolean; readonly baseline?: MapBaseline } = {},
): MapsLocality {
  options = checkOptions(options, 'mapsLocality: options', ['connected', 'baseline']);
  const connected = options.connected ?? false;
  const baseline = options.baseline ?? 'none';
  const nVisible = checkShape(shape as number[], 'mapsLocality: shape');
  checkMatrix(v, 'mapsLocality: v', {
    cols: nVisible,
    colsLabel: `the ${shape.join(' x ')} lattice's sites`,
  });
  const C = inputOutputCorrelator(v, h, { connected });
  const nHidden = C.cols;
  const maps = correlatorMaps(C).data;
  const perMap: MapsLocality['perMap'][number][] = [];
  let acR: number[] = [];
  let acSum: number[] = [];
  let counted = 0;
  for (let a = 0; a < nHidden; a++) {
    const m = maps.subarray(a * nVisible, (a + 1) * nVisible);
    let nonzero = false;
    for (let i = 0; i < nVisible; i++) if (m[i] !== 0) nonzero = true;
    if (!nonzero) {
      perMap.push({
        centre: shape.map(() => Number.NaN),
        radiusOfGyration: Number.NaN,
        participationRatio: Number.NaN,
        autocorrelationR1: Number.NaN,
      });
      continue;
    }
    let shifted: ArrayLike<number> = m;
    if (baseline === 'min') {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < nVisible; i++) {
        lo = Math.min(lo, m[i]!);
        hi = Math.max(hi, m[i]!);
      }
      // the background is the end of the range farther from zero's opposite: shift so the far value is 0
      const floor = Math.abs(hi) >= Math.abs(lo) ? lo : hi;
      shifted = Float64Array.from(m, (x) => x - floor);
      if (hi === lo) shifted = m;
    }
    const loc = mapLocality(shifted, shape);
    const r = Array.from(loc.autocorrelation.r);
    const val = Array.from(loc.autocorrelation.value);
    if (counted === 0) {
      acR = r;
      acSum = val.slice();
    } else for (let k = 0; k < acSum.length; k++) acSum[k]! += val[k]!;
    counted++;
    const at1 = r.findIndex((x) => Math.abs(x - 1) < 1e-9);
    perMap.push({
      centre: loc.centre,
      radiusOfGyration: loc.radiusOfGyration,
      participationRatio: loc.participationRatio,
      autocorrelationR1: at1 >= 0 ? val[at1]! : Number.NaN,
    });
  }
  return {
    maps: Array.from(maps),
    nHidden,
    perMap,
    radiusOfGyration: spreadSummary(perMap.map((p) => p.radiusOfGyration)),
    participationRatio: spreadSummary(perMap.map((p) => p.participationRatio)),
    autocorrelationR1: spreadSummary(perMap.map((p) => p.autocorrelationR1)),
    autocorrelation: { r: acR, value: acSum.map((x) => x / Math.max(1, counted)) },
  };
}

/** Validate a list of positive temperatures. */
export function checkTemperatures(list: unknown, name: string, min = 1): number[] {
  if (!Array.isArray(list) || list.length < min)
    throw domainError(name, `a list of at least ${min} temperatures`, list);
  return list.map((T, k) => checkPositive(T, `${name}[${k}]`));
}

/** Validate the sampling fields of a config. */
export function checkSampling(fn: string, c: GridSampling, prefix = ''): void {
  checkInteger(c.samples, `${fn}: config.${prefix}samples`, 2);
  checkInteger(c.burnIn, `${fn}: config.${prefix}burnIn`, 0);
  checkInteger(c.thin, `${fn}: config.${prefix}thin`, 1);
}

/**
 * Concatenate the configurations of several ensembles of one model (training data pooled over
 * temperatures) into one samples x sites {@link Matrix}.
 * @throws ShapeError if the ensembles have different numbers of sites.
 * @example
 * ```ts
 * import { createIsing2D, poolConfigs, sampleEnsembles } from 'coarsegrain';
 * const ensembles = sampleEnsembles(createIsing2D({ L: 8 }), [2.0, 2.5], { samples: 30, seed: 1 });
 * const pooled = poolConfigs(ensembles); // 60 x 64 Matrix<Float64Array>: training data over both temperatures
 * ```
 */
export function poolConfigs(ensembles: readonly Ensemble[]): Matrix<Float64Array> {
  checkObjectList(ensembles, 'poolConfigs: ensembles', 1, 'Ensembles');
  ensembles.forEach((e, i) => {
    checkNumericArray(e.configs, `poolConfigs: ensembles[${i}].configs`);
  });
  checkLimit(
    ensembles.reduce((a, e) => a + e.configs.length, 0),
    'poolConfigs: total configs',
  );
  const cols = ensembles.length > 0 ? ensembles[0]!.configs.length / ensembles[0]!.shape[0]! : 0;
  ensembles.forEach((e, k) => {
    const sites = e.configs.length / e.shape[0]!;
    if (sites !== cols) throw shapeError(`poolConfigs: ensembles[${k}]`, `${cols} sites`, `${sites}`);
  });
  const total = ensembles.reduce((a, e) => a + e.configs.length, 0);
  const out = new Float64Array(total);
  let offset = 0;
  for (const e of ensembles) {
    out.set(e.configs, offset);
    offset += e.configs.length;
  }
  return { data: out, rows: cols > 0 ? total / cols : 0, cols };
}

/**
 * Fix the gauge of a stack of spin RBMs for lattice observables: the hidden units of an RBM have no
 * positions and each can be flipped (h -> -h with its weights and bias) without changing the model. For
 * every layer, place hidden unit a on the site of its layer's lattice nearest to the centre of its weight
 * map W[., a] on the layer's input lattice (greedy matching by minimum-image distance, lattice units of the
 * input), and flip it so that sum_i W_ia >= 0 (aligned with the local magnetisation). The rows of the next
 * layer's weights and its visible bias are permuted and flipped to match, so the returned stack is the same
 * model in a fixed gauge. Spin hidden units only (a flip of a binary unit is not a symmetry).
 * Cost O(sum_l n_l n_l+1 + n_l+1^2 log n_l+1).
 * @throws DomainError for non-spin hidden units or shapes that do not match the layers.
 * @example
 * ```ts
 * import { alignStackToLattice, createIsing2D, createRng, ensembleMatrix, sampleEnsemble, trainRbmStack } from 'coarsegrain';
 * const rng = createRng(1);
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 40, rng });
 * const { stack } = trainRbmStack(ensembleMatrix(ens), [64, 16, 4], { train: { epochs: 1 }, rng });
 * const aligned = alignStackToLattice(stack, [8, 8], [[4, 4], [2, 2]]);
 * // aligned.stack: the same model with hidden unit a on lattice site a, signs along the magnetisation
 * ```
 */
export function alignStackToLattice(
  stack: RbmStack,
  inputShape: readonly number[],
  layerShapes: readonly (readonly number[])[],
): { stack: RbmStack; centreDistance: SpreadSummary[] } {
  const fn = 'alignStackToLattice';
  if (stack?.kind !== 'rbm-stack' || !Array.isArray(stack.layers) || stack.layers.length === 0)
    throw domainError(`${fn}: stack`, 'an RbmStack with at least one layer', stack);
  checkShape(inputShape as number[], `${fn}: inputShape`);
  if (!Array.isArray(layerShapes as unknown))
    throw domainError(`${fn}: layerShapes`, 'a list of shapes', layerShapes);
  layerShapes.forEach((s, l) => {
    checkShape(s as number[], `${fn}: layerShapes[${l}]`);
  });
  if (layerShapes.length !== stack.layers.length)
    throw domainError(`${fn}: layerShapes`, `${stack.layers.length} shapes`, layerShapes.length);
  const layers: Rbm[] = [];
  const distances: SpreadSummary[] = [];
  // permutation and signs applied to the previous layer's hidden units (rows of this layer)
  let rowSource: Int32Array | null = null;
  let rowSign: Float64Array | null = null;
  stack.layers.forEach((layer, l) => {
    if (layer.hiddenUnits !== 'spin')
      throw domainError(`${fn}: stack.layers[${l}].hiddenUnits`, "'spin'", layer.hiddenUnits);
    const vShape = l === 0 ? inputShape : layerShapes[l - 1]!;
    const hShape = layerShapes[l]!;
    const nV = layer.nVisible;
    const nH = layer.nHidden;
    if (vShape.reduce((a, b) => a * b, 1) !== nV || hShape.reduce((a, b) => a * b, 1) !== nH)
      throw domainError(`${fn}: layerShapes[${l}]`, `shapes of ${nV} -> ${nH} units`, hShape);
    // rows permuted/flipped as the previous layer's hidden units
    const W = new Float64Array(nV * nH);
    const vb = new Float64Array(nV);
    for (let i = 0; i < nV; i++) {
      const src = rowSource ? rowSource[i]! : i;
      const sg = rowSign ? rowSign[i]! : 1;
      for (let a = 0; a < nH; a++) W[i * nH + a] = sg * layer.weights[src * nH + a]!;
      vb[i] = sg * layer.visibleBias[src]!;
    }
    // centre of each hidden unit's weight map, in input lattice units
    const dims = vShape.length;
    const centres: number[][] = [];
    const signs = new Float64Array(nH);
    const column = new Float64Array(nV);
    for (let a = 0; a < nH; a++) {
      let sum = 0;
      for (let i = 0; i < nV; i++) {
        column[i] = W[i * nH + a]!;
        sum += column[i]!;
      }
      signs[a] = sum >= 0 ? 1 : -1;
      let any = false;
      for (let i = 0; i < nV; i++) if (column[i] !== 0) any = true;
      centres.push(any ? mapLocality(column, vShape).centre : vShape.map(() => 0));
    }
    // target position of each hidden site in input units
    const hStrides: number[] = new Array(dims).fill(1);
    for (let d = dims - 2; d >= 0; d--) hStrides[d] = hStrides[d + 1]! * hShape[d + 1]!;
    const target = (s: number, d: number): number => {
      const x = Math.floor(s / hStrides[d]!) % hShape[d]!;
      const scale = vShape[d]! / hShape[d]!;
      return (x + 0.5) * scale - 0.5;
    };
    const pairs: { a: number; s: number; d: number }[] = [];
    for (let a = 0; a < nH; a++)
      for (let s = 0; s < nH; s++) {
        let d2 = 0;
        for (let d = 0; d < dims; d++) {
          const L = vShape[d]!;
          let delta = Math.abs(centres[a]![d]! - target(s, d)) % L;
          if (delta > L / 2) delta = L - delta;
          d2 += delta * delta;
        }
        pairs.push({ a, s, d: Math.sqrt(d2) });
      }
    pairs.sort((p, q) => p.d - q.d || p.a - q.a || p.s - q.s);
    const unitAt = new Int32Array(nH).fill(-1);
    const used = new Uint8Array(nH);
    const dist: number[] = [];
    for (const p of pairs) {
      if (used[p.a] || unitAt[p.s] !== -1) continue;
      used[p.a] = 1;
      unitAt[p.s] = p.a;
      dist.push(p.d);
    }
    const W2 = new Float64Array(nV * nH);
    const hb = new Float64Array(nH);
    const siteSign = new Float64Array(nH);
    for (let s = 0; s < nH; s++) {
      const a = unitAt[s]!;
      const sg = signs[a]!;
      siteSign[s] = sg;
      hb[s] = sg * layer.hiddenBias[a]!;
      for (let i = 0; i < nV; i++) W2[i * nH + s] = sg * W[i * nH + a]!;
    }
    layers.push({
      kind: 'rbm',
      version: 1,
      visibleUnits: layer.visibleUnits,
      hiddenUnits: layer.hiddenUnits,
      nVisible: nV,
      nHidden: nH,
      weights: W2,
      visibleBias: vb,
      hiddenBias: hb,
      ...(layer.visibleSigma ? { visibleSigma: Float64Array.from(layer.visibleSigma) } : {}),
    });
    distances.push(spreadSummary(dist));
    rowSource = unitAt;
    rowSign = siteSign;
  });
  return { stack: { kind: 'rbm-stack', version: 1, layers }, centreDistance: distances };
}

/** Settings shared by the stacked-RBM vs RG experiments (E3 on the 2D Ising model, E6 on the long-range chain). */
export interface StackVersusRgSettings {
  /** Number of RG steps = number of RBM layers. */
  readonly levels: number;
  /** Starting temperatures of the flows. */
  readonly startTemperatures: readonly number[];
  /** Configurations per starting temperature, burn-in and thinning (in steps of the model's cluster sampler). */
  readonly samples: number;
  readonly burnIn: number;
  readonly thin: number;
  /** Temperatures whose configurations (pooled) train the stack. */
  readonly trainTemperatures: readonly number[];
  /** Training configurations per training temperature. */
  readonly trainSamples: number;
  /** Epochs per layer, batch size and Adam learning rate (thesis: 1e-3). */
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** How a layer's output is passed up for the flow: 'sample' (+-1, default) or 'mean-field' (tanh). */
  readonly stackMode: 'sample' | 'mean-field';
  /**
   * Fix the hidden units' gauge before the flow ({@link alignStackToLattice}): place each hidden unit on
   * the site of its level's lattice nearest its weight map's centre and flip it to align with the local
   * magnetisation, so that the lattice thermometer can read the layer. Without it the hidden units have no
   * positions and the nearest-neighbour energy of the layer is meaningless.
   */
  readonly alignHidden: boolean;
  /** RG block rule. */
  readonly rule: 'majority' | 'average' | 'decimate';
}

/**
 * Validate the {@link StackVersusRgSettings} fields of an E3/E6 config (after the caller has checked the
 * lattice size against `levels`). Returns `levels`.
 * @throws DomainError naming the field, e.g. `runE3: config.trainSamples`.
 */
export function checkStackVersusRgSettings(fn: string, c: StackVersusRgSettings, weights = 1): number {
  const levels = checkInteger(c.levels, `${fn}: config.levels`, 1);
  checkTemperatures(c.startTemperatures, `${fn}: config.startTemperatures`);
  const train = checkTemperatures(c.trainTemperatures, `${fn}: config.trainTemperatures`);
  checkSampling(fn, c);
  checkInteger(c.trainSamples, `${fn}: config.trainSamples`, 1);
  checkInteger(c.epochs, `${fn}: config.epochs`, 1);
  checkTrainingWork(`${fn}: config`, c.epochs, c.trainSamples * train.length, weights);
  checkInteger(c.batchSize, `${fn}: config.batchSize`, 1);
  checkPositive(c.learningRate, `${fn}: config.learningRate`);
  if (typeof c.alignHidden !== 'boolean')
    throw domainError(`${fn}: config.alignHidden`, 'a boolean', c.alignHidden);
  checkOneOf(c.stackMode, `${fn}: config.stackMode`, ['sample', 'mean-field'] as const);
  checkOneOf(c.rule, `${fn}: config.rule`, ['majority', 'average', 'decimate'] as const);
  return levels;
}
