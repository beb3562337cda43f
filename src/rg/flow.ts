/**
 * Flows of an ensemble under a coarse-graining map, step by step, with the per-step observables the
 * thesis tracks (energy per site, |m|, and optionally a temperature from a thermometer): the RBM flow
 * v -> h -> v' of one trained RBM (E1, E5; models/rbmFlow), the layer-by-layer flow up a stack of RBMs
 * (E3, E6; models/rbmStack), and the repeated real-space RG step it is compared with (E3).
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { type Estimate, jackknife } from '../core/stats.js';
import { shapeSize } from '../core/tensor.js';
import {
  checkAllFinite,
  checkInteger,
  checkNumericArray,
  checkOneOf,
  checkOptions,
  checkShape,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { rbmFlow } from '../models/rbmFlow.js';
import { type RbmStack, stackUp } from '../models/rbmStack.js';
import type { Rbm } from '../models/types.js';
import { blockAverage, blockDecimate, blockMajority } from './block.js';
import type { TemperatureReading } from './reading.js';
import { configurationObservable } from './thermometer.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RBM_FLOW_ENSEMBLE_OPTIONS_KEYS = optionKeys<RbmFlowEnsembleOptions>({
  steps: true,
  mode: true,
  rng: true,
  thermometer: true,
  keepConfigs: true,
});
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });
const STACK_FLOW_OPTIONS_KEYS = optionKeys<StackFlowOptions>({
  layerShapes: true,
  mode: true,
  rng: true,
  thermometer: true,
  keepConfigs: true,
});
const BLOCK_FLOW_OPTIONS_KEYS = optionKeys<BlockFlowOptions>({
  b: true,
  levels: true,
  rule: true,
  rng: true,
  thermometer: true,
  keepConfigs: true,
});

/**
 * A temperature estimator applied to each step: (configs: n x prod(shape) values, shape of the step's
 * lattice) -> a {@link TemperatureReading}, in range or flagged out of range (never a clamped number).
 * E.g. `kaufmanLevelThermometer(temperatureGrid(0.5, 10, 0.025))`, or
 * `(c, s) => plainReading(observableThermometer(c, s, curve))`.
 */
export type FlowThermometer = (configs: Float64Array, shape: readonly number[]) => TemperatureReading;

/** One step (or layer, or RG level) of a flow. */
export interface FlowStep {
  /** Step index: 0 is the input ensemble. */
  readonly step: number;
  /** The configurations, rows x prod(shape), row-major. */
  readonly configs: Float64Array;
  /** Lattice shape of this step's configurations. */
  readonly shape: number[];
  /** Ising energy per site (J = 1) of the configurations, mean with jackknife error. */
  readonly energy: Estimate;
  /** Mean |m| per site, with jackknife error. */
  readonly absMagnetization: Estimate;
  /** The thermometer's reading, when one was given: in range, or out of range with its bound and edge. */
  readonly temperature?: TemperatureReading;
}

/** Common options of the flow functions. */
export interface FlowMeasureOptions {
  /** Applied to every step (including step 0). */
  readonly thermometer?: FlowThermometer;
  /** Keep every step's configurations (default true); false keeps only the last step's. */
  readonly keepConfigs?: boolean;
}

function estimateOf(values: Float64Array): Estimate {
  const n = values.length;
  let s = 0;
  for (const v of values) s += v;
  if (n < 2) return { mean: s / n, error: Number.NaN };
  return { mean: s / n, error: jackknife([values], (m) => m[0]!, Math.min(32, n)).error };
}

function measureStep(
  step: number,
  configs: Float64Array,
  shape: readonly number[],
  options: FlowMeasureOptions,
  keep: boolean,
): FlowStep {
  const sites = shape.reduce((a, b) => a * b, 1);
  const rows = configs.length / sites;
  const energy = estimateOf(configurationObservable(configs, shape, 'energy'));
  const m = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < sites; i++) s += configs[r * sites + i]!;
    m[r] = Math.abs(s / sites);
  }
  const result: FlowStep = {
    step,
    configs: keep ? configs : new Float64Array(0),
    shape: [...shape],
    energy,
    absMagnetization: estimateOf(m),
    ...(options.thermometer ? { temperature: options.thermometer(configs, shape) } : {}),
  };
  return result;
}

function checkConfigs(
  fn: string,
  configs: ArrayLike<number>,
  shape: readonly number[],
  width: number,
): number {
  const sites = checkShape(shape as number[], `${fn}: shape`);
  if (shape.length > 2) throw shapeError(`${fn}: shape`, '[L] or [rows, cols]', `rank ${shape.length}`);
  if (sites !== width)
    throw shapeError(`${fn}: shape`, `${width} sites (the model's visible units)`, `${sites} sites`);
  if (!configs || configs.length === 0 || configs.length % sites !== 0) {
    throw shapeError(
      `${fn}: configs`,
      `a non-empty multiple of ${sites} values`,
      `length ${configs?.length}`,
    );
  }
  checkNumericArray(configs, `${fn}: configs`);
  checkAllFinite(configs, `${fn}: configs`);
  return configs.length / sites;
}

/** Options of {@link rbmFlowEnsemble}. */
export interface RbmFlowEnsembleOptions extends FlowMeasureOptions {
  /** Number of flow steps (>= 0). */
  readonly steps: number;
  /** `'stochastic'` (default, the P1 code's choice) or `'mean-field'`. */
  readonly mode?: 'stochastic' | 'mean-field';
  /** Required for `'stochastic'`. */
  readonly rng?: Rng;
}

/**
 * Apply the RBM flow (models/rbmFlow: v -> h -> v', n = 1..steps) to an ensemble of configurations on a
 * lattice of `shape` and measure each step. Returns steps + 1 entries, entry 0 the input. Cost
 * O(steps n nV nH) for the flow plus the thermometer's cost per step.
 * @throws ShapeError if the shape does not match the RBM's visible units or configs is not a whole
 *   number of configurations; DomainError for bad options; AbortError when aborted.
 * @example
 * ```ts
 * import { createIsing2D, createRbm, createRng, kaufmanLevelThermometer, rbmFlowEnsemble, sampleEnsemble, temperatureGrid } from 'coarsegrain';
 * const rng = createRng(1);
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 50, rng });
 * const rbm = createRbm({ nVisible: 64, nHidden: 36, rng }); // in practice: trained by trainRbm
 * const thermometer = kaufmanLevelThermometer(temperatureGrid(1, 5, 0.025));
 * const steps = rbmFlowEnsemble(rbm, ens.configs, [8, 8], { steps: 3, rng, thermometer });
 * // 4 entries: the input and 3 flow steps, each with energy, |m| and a temperature reading
 * ```
 */
export function rbmFlowEnsemble(
  rbm: Rbm,
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: RbmFlowEnsembleOptions,
  run: RunOptions = {},
): FlowStep[] {
  run = checkOptions(run, 'rbmFlowEnsemble: run', RUN_OPTIONS_KEYS);
  options = checkOptions(options, 'rbmFlowEnsemble: options', RBM_FLOW_ENSEMBLE_OPTIONS_KEYS, true);
  const fn = 'rbmFlowEnsemble';
  if (rbm?.kind !== 'rbm') throw domainError(`${fn}: rbm`, 'an Rbm', rbm);
  if (!options || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object { steps }', options);
  checkConfigs(fn, configs, shape, rbm.nVisible);
  const steps = checkInteger(options.steps, `${fn}: options.steps`, 0);
  const flowMode = checkOneOf(options.mode ?? 'stochastic', `${fn}: options.mode`, [
    'stochastic',
    'mean-field',
  ] as const);
  if (flowMode === 'stochastic' && typeof options.rng?.uniform !== 'function') {
    throw domainError(`${fn}: options.rng`, "an Rng for mode 'stochastic'", options.rng);
  }
  const keep = options.keepConfigs ?? true;
  const flow = rbmFlow(
    rbm,
    configs,
    steps,
    { mode: flowMode, ...(options.rng ? { rng: options.rng } : {}), record: 'all' },
    run,
  );
  const size = configs.length;
  const out: FlowStep[] = [measureStep(0, Float64Array.from(configs), shape, options, keep || steps === 0)];
  for (let n = 1; n <= steps; n++) {
    const c = Float64Array.from(flow.configurations.subarray((n - 1) * size, n * size));
    out.push(measureStep(n, c, shape, options, keep || n === steps));
  }
  return out;
}

/** Options of {@link stackFlow}. */
export interface StackFlowOptions extends FlowMeasureOptions {
  /** Lattice shape of each layer's hidden units, one per layer (e.g. [[32, 32], [16, 16], [8, 8]]). */
  readonly layerShapes: readonly (readonly number[])[];
  /** `'mean-field'` (default) or `'sample'`, as models/rbmStack's stackUp. */
  readonly mode?: 'mean-field' | 'sample';
  /** Required for `'sample'`. */
  readonly rng?: Rng;
}

/**
 * Propagate an ensemble up a stack of RBMs (models/rbmStack stackUp) and measure every layer's output on
 * its own lattice. Returns layers + 1 entries, entry 0 the input. Cost O(n sum_l n_l n_l+1).
 * @throws ShapeError if a layer shape does not match its layer's hidden units; otherwise as
 *   {@link rbmFlowEnsemble}.
 * @example
 * ```ts
 * import { createIsing2D, createRng, ensembleMatrix, sampleEnsemble, stackFlow, trainRbmStack } from 'coarsegrain';
 * const rng = createRng(1);
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 50, rng });
 * const { stack } = trainRbmStack(ensembleMatrix(ens), [64, 16, 4], { train: { epochs: 1 }, rng });
 * const layers = stackFlow(stack, ens.configs, [8, 8], { layerShapes: [[4, 4], [2, 2]] });
 * // 3 entries: 8 x 8 input, 4 x 4 and 2 x 2 hidden layers, each with energy and |m| (Estimate)
 * ```
 */
export function stackFlow(
  stack: RbmStack,
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: StackFlowOptions,
): FlowStep[] {
  options = checkOptions(options, 'stackFlow: options', STACK_FLOW_OPTIONS_KEYS, true);
  const fn = 'stackFlow';
  if (stack?.kind !== 'rbm-stack' || !Array.isArray(stack.layers) || stack.layers.length === 0) {
    throw domainError(`${fn}: stack`, 'an RbmStack with at least one layer', stack);
  }
  if (!options || !Array.isArray(options.layerShapes))
    throw domainError(`${fn}: options.layerShapes`, 'one shape per layer', options?.layerShapes);
  checkConfigs(fn, configs, shape, stack.layers[0]!.nVisible);
  if (options.layerShapes.length !== stack.layers.length) {
    throw shapeError(
      `${fn}: options.layerShapes`,
      `${stack.layers.length} shapes (one per layer)`,
      `${options.layerShapes.length}`,
    );
  }
  options.layerShapes.forEach((s, l) => {
    const size = checkShape(s as number[], `${fn}: options.layerShapes[${l}]`);
    if (size !== stack.layers[l]!.nHidden) {
      throw shapeError(
        `${fn}: options.layerShapes[${l}]`,
        `${stack.layers[l]!.nHidden} sites (layer ${l} hidden units)`,
        `${size}`,
      );
    }
  });
  const mode = checkOneOf(options.mode ?? 'mean-field', `${fn}: options.mode`, [
    'mean-field',
    'sample',
  ] as const);
  const batch = { data: configs, rows: configs.length / shapeSize(shape), cols: shapeSize(shape) };
  const outs = stackUp(stack, batch, { mode, ...(options.rng ? { rng: options.rng } : {}) });
  const keep = options.keepConfigs ?? true;
  const steps: FlowStep[] = [measureStep(0, Float64Array.from(configs), shape, options, keep)];
  outs.forEach((o, l) => {
    steps.push(
      measureStep(
        l + 1,
        Float64Array.from(o.data),
        options.layerShapes[l]!,
        options,
        keep || l === outs.length - 1,
      ),
    );
  });
  return steps;
}

/** Options of {@link blockFlow}. */
export interface BlockFlowOptions extends FlowMeasureOptions {
  /** Block size b of each step (default 2). */
  readonly b?: number;
  /** Number of RG steps (>= 0). */
  readonly levels: number;
  /** `'average'` (default, the thesis' choice), `'majority'` or `'decimate'`. */
  readonly rule?: 'average' | 'majority' | 'decimate';
  /** Required for `'majority'` (tie-breaks). */
  readonly rng?: Rng;
}

/**
 * Repeated real-space RG: apply the block rule `levels` times (L -> L/b -> L/b^2 ...) and measure every
 * level. Note that averaging produces real-valued blocks, so later levels of `'average'` average averages.
 * Returns levels + 1 entries. Cost O(n N) per level.
 * @throws DomainError if b^levels does not divide the sides or for a bad rule/rng; ShapeError for bad configs.
 * @example
 * ```ts
 * import { ISING_TC, blockFlow, createIsing2D, createRng, kaufmanLevelThermometer, sampleEnsemble, temperatureGrid } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: ISING_TC, samples: 100, rng: createRng(1) });
 * const thermometer = kaufmanLevelThermometer(temperatureGrid(1, 5, 0.025));
 * const levels = blockFlow(ens.configs, [16, 16], { b: 2, levels: 2, rule: 'majority', rng: createRng(2), thermometer });
 * // 3 levels: 16 x 16, 8 x 8, 4 x 4, each { energy, absMagnetization (Estimate), temperature }
 * // temperatures read at Tc: 2.29 +- 0.02, 2.33 +- 0.03, 2.41 +- 0.07
 * ```
 */
export function blockFlow(
  configs: ArrayLike<number>,
  shape: readonly number[],
  options: BlockFlowOptions,
): FlowStep[] {
  options = checkOptions(options, 'blockFlow: options', BLOCK_FLOW_OPTIONS_KEYS, true);
  const fn = 'blockFlow';
  if (!options || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object { levels }', options);
  const sites = checkShape(shape as number[], `${fn}: shape`);
  checkConfigs(fn, configs, shape, sites);
  const b = checkInteger(options.b ?? 2, `${fn}: options.b`, 2);
  const levels = checkInteger(options.levels, `${fn}: options.levels`, 0);
  shape.forEach((side, d) => {
    if (side % b ** levels !== 0)
      throw domainError(`${fn}: options.levels`, `b^levels dividing shape[${d}] = ${side}`, levels);
  });
  const rule = checkOneOf(options.rule ?? 'average', `${fn}: options.rule`, [
    'average',
    'majority',
    'decimate',
  ] as const);
  if (rule === 'majority' && (!options.rng || typeof options.rng.uniform !== 'function')) {
    throw domainError(`${fn}: options.rng`, "an Rng for rule 'majority'", options.rng);
  }
  const keep = options.keepConfigs ?? true;
  let current = Float64Array.from(configs);
  let currentShape = [...shape];
  const steps: FlowStep[] = [measureStep(0, current, currentShape, options, keep || levels === 0)];
  for (let level = 1; level <= levels; level++) {
    const next =
      rule === 'average'
        ? blockAverage(current, currentShape, b)
        : rule === 'majority'
          ? blockMajority(current, currentShape, b, options.rng!)
          : blockDecimate(current, currentShape, b);
    current = Float64Array.from(next.data);
    currentShape = next.shape;
    steps.push(measureStep(level, current, currentShape, options, keep || level === levels));
  }
  return steps;
}
