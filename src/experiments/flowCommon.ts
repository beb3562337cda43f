/**
 * Helpers shared by the RBM-flow experiments E1 (2D Ising) and E5 (long-range chain): train a +-1 RBM
 * with the thesis recipe, run the flow v -> h -> v' from data and read every step's temperature, take the
 * fixed point as the last flow steps, and compare two-point correlators and fitted scaling dimensions of
 * the fixed point with Monte Carlo. Plain compositions of models/, rg/ and spectral/.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  MAX_WORK,
  optionKeys,
} from '../core/validate.js';
import { createRbm } from '../models/init.js';
import { THESIS_ADAM } from '../models/optim.js';
import { trainRbm } from '../models/rbmTrain.js';
import type { Rbm } from '../models/types.js';
import { rbmFlowEnsemble } from '../rg/flow.js';
import { estimateTemperatures, type Thermometer } from '../rg/networkThermometer.js';
import { formatReading, plainReading, type TemperatureReading } from '../rg/reading.js';
import { observableThermometer, type ReferenceCurve, type ThermometerObservable } from '../rg/thermometer.js';
import type { DistanceProfile } from '../spectral/correlator.js';
import { fitScalingDimensionJackknife, type ScalingForm } from '../spectral/scaling.js';
import type { Comparison, Measurement } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RUN_OPTIONS_KEYS = optionKeys<RunOptions>({ onProgress: true, signal: true });
const MEASURED_FLOW_OPTIONS_KEYS = optionKeys<MeasuredFlowOptions>({
  steps: true,
  fixedPointSteps: true,
  curve: true,
  observable: true,
  network: true,
  rng: true,
});

/** A Measurement from a mean and an error (NaN error stays NaN). */
export function measurement(mean: number, error: number): Measurement {
  return { mean, error };
}

/** RBM training settings of the flow experiments (the thesis recipe by default). */
export interface FlowTrainingConfig {
  /** Hidden units. */
  readonly nHidden: number;
  /** Parameter updates (minibatches); epochs = ceil(updates / batches per epoch). */
  readonly updates: number;
  /** Minibatch size (thesis: 100). */
  readonly batchSize: number;
  /** Adam learning rate (thesis: 1e-3, epsilon 1e-2). */
  readonly learningRate: number;
  /** Standard deviation of the initial weights (thesis: 0.05). */
  readonly initSigma: number;
}

/** What training produced, for the result. */
export interface FlowTrainingSummary {
  readonly epochs: number;
  readonly updates: number;
  /** Mean-field reconstruction MSE on the monitor rows after each epoch. */
  readonly reconstructionError: number[];
}

/** Validate the training fields of a config (errors name `${fn}: config.<field>`). */
export function checkTrainingConfig(fn: string, c: FlowTrainingConfig, nVisible = 1): void {
  checkInteger(c.nHidden, `${fn}: config.nHidden`, 1);
  checkInteger(c.updates, `${fn}: config.updates`, 1);
  checkInteger(c.batchSize, `${fn}: config.batchSize`, 1);
  checkLimit(
    c.updates * c.batchSize * nVisible * c.nHidden,
    `${fn}: config.updates x batchSize x weights`,
    MAX_WORK,
    'multiply-adds',
  );
  checkPositive(c.learningRate, `${fn}: config.learningRate`);
  checkPositive(c.initSigma, `${fn}: config.initSigma`);
}

/**
 * Train a +-1/+-1 RBM on spin data (rows x nVisible) by PCD-1 with Adam (THESIS_ADAM with the configured
 * learning rate), W ~ N(0, initSigma^2), biases 0. Progress stage `'train'` per epoch.
 */
export function trainFlowRbm(
  data: ArrayLike<number>,
  nVisible: number,
  config: FlowTrainingConfig,
  rngInit: Rng,
  rngTrain: Rng,
  run: RunOptions,
): { rbm: Rbm; summary: FlowTrainingSummary } {
  run = checkOptions(run, 'trainFlowRbm: run', RUN_OPTIONS_KEYS, true);
  const rows = data.length / nVisible;
  const perEpoch = Math.ceil(rows / config.batchSize);
  const epochs = Math.max(1, Math.ceil(config.updates / perEpoch));
  const rbm0 = createRbm({
    nVisible,
    nHidden: config.nHidden,
    init: { kind: 'gaussian', sigma: config.initSigma },
    rng: rngInit,
  });
  const trained = trainRbm(
    rbm0,
    { data, rows, cols: nVisible },
    {
      epochs,
      rng: rngTrain,
      batchSize: config.batchSize,
      method: 'pcd',
      k: 1,
      optimizer: { ...THESIS_ADAM, learningRate: config.learningRate },
      monitorSize: Math.min(rows, 500),
    },
    {
      signal: run.signal,
      onProgress: run.onProgress
        ? (p) => run.onProgress!({ stage: 'train', done: p.done, total: p.total, metrics: p.metrics })
        : undefined,
    },
  );
  return {
    rbm: trained.model,
    summary: {
      epochs,
      updates: epochs * perEpoch,
      reconstructionError: trained.history.map((h) => h.reconstructionError),
    },
  };
}

/** One flow step as reported in a result. */
export interface FlowStepSummary {
  /** 0 = the data, n = after n flow steps. */
  readonly step: number;
  /** Observable-thermometer reading (in range with its error, or out of range with bound and edge). */
  readonly temperature: TemperatureReading;
  /** Network-thermometer reading (maximum likelihood over the classes), when one was given. */
  readonly networkTemperature?: TemperatureReading;
  /** Ising energy per site (nearest-neighbour bonds only, J = 1). */
  readonly energy: Measurement;
  readonly absMagnetization: Measurement;
}

/** Options of `measuredFlow`. */
export interface MeasuredFlowOptions {
  readonly steps: number;
  /** The last `fixedPointSteps` steps form the fixed-point ensemble. */
  readonly fixedPointSteps: number;
  readonly curve: ReferenceCurve;
  readonly observable: ThermometerObservable;
  readonly network?: Thermometer;
  readonly rng: Rng;
}

/** Result of `measuredFlow`. */
export interface MeasuredFlow {
  readonly steps: FlowStepSummary[];
  /** Observable-thermometer reading of the fixed-point ensemble (last steps pooled, chain-major). */
  readonly fixedPointTemperature: TemperatureReading;
  /** Network-thermometer reading of the fixed-point ensemble, when one was given. */
  readonly fixedPointNetworkTemperature?: TemperatureReading;
  /** Configurations of the last flow step (rows x sites), independent chains. */
  readonly lastStep: Float64Array;
  /** The last `fixedPointSteps` steps, chain-major (rows * fixedPointSteps configurations). */
  readonly fixedPointConfigs: Float64Array;
}

/**
 * Run the stochastic RBM flow from v0 for `steps` steps (rg/rbmFlowEnsemble; progress stage 'flow'),
 * reading (stage 'flow-thermometer') each step's temperature with the observable thermometer on `curve` (and the network thermometer, if given). The
 * fixed-point ensemble pools the last `fixedPointSteps` steps chain by chain, so jackknife blocks hold
 * whole chains (the steps of one chain are correlated, different chains are independent).
 */
export function measuredFlow(
  rbm: Rbm,
  v0: ArrayLike<number>,
  shape: readonly number[],
  options: MeasuredFlowOptions,
  run: RunOptions,
): MeasuredFlow {
  run = checkOptions(run, 'measuredFlow: run', RUN_OPTIONS_KEYS, true);
  options = checkOptions(options, 'measuredFlow: options', MEASURED_FLOW_OPTIONS_KEYS, true);
  const sites = shape.reduce((a, b) => a * b, 1);
  const rows = v0.length / sites;
  const { steps, fixedPointSteps: k, curve, observable, network } = options;
  const first = steps - k + 1;
  const pooled = new Float64Array(rows * k * sites);
  const networkReadings: TemperatureReading[] = [];
  let counter = 0;
  const thermometer = (configs: Float64Array, s: readonly number[]) => {
    const step = counter++;
    if (step >= first) {
      const j = step - first;
      for (let r = 0; r < rows; r++) {
        pooled.set(configs.subarray(r * sites, (r + 1) * sites), (r * k + j) * sites);
      }
    }
    if (network) networkReadings.push(plainReading(estimateTemperatures(network, configs)));
    const t = observableThermometer(configs, s, curve, { observable });
    run.onProgress?.({ stage: 'flow-thermometer', done: step, total: steps });
    checkAbort(run.signal, 'measuredFlow');
    return plainReading(t);
  };
  const flow = rbmFlowEnsemble(
    rbm,
    v0,
    shape,
    { steps, rng: options.rng, mode: 'stochastic', thermometer, keepConfigs: false },
    run,
  );
  const summaries: FlowStepSummary[] = flow.map((f, i) => ({
    step: f.step,
    temperature: f.temperature!,
    ...(network ? { networkTemperature: networkReadings[i]! } : {}),
    energy: measurement(f.energy.mean, f.energy.error),
    absMagnetization: measurement(f.absMagnetization.mean, f.absMagnetization.error),
  }));
  const blocks = Math.min(32, rows);
  const fp = plainReading(observableThermometer(pooled, shape, curve, { observable, blocks }));
  const fpNet = network ? plainReading(estimateTemperatures(network, pooled, { blocks })) : undefined;
  return {
    steps: summaries,
    fixedPointTemperature: fp,
    ...(fpNet ? { fixedPointNetworkTemperature: fpNet } : {}),
    lastStep: flow[flow.length - 1]!.configs,
    fixedPointConfigs: pooled,
  };
}

/**
 * A comparison whose measured value is a thermometer reading. In range, `measured` is the reading's
 * temperature and error and `agrees` is `judge(measured)`. Out of range, `measured` is NaN, `agrees` is
 * absent (an out-of-range reading neither agrees nor disagrees) and `outOfRange` says so in words, e.g.
 * 'T > 6 (beyond grid)'.
 */
export function readingComparison(
  fields: Omit<Comparison, 'measured' | 'agrees' | 'outOfRange'>,
  reading: TemperatureReading,
  judge: (measured: Measurement) => boolean,
): Comparison {
  if (!reading.inRange) {
    return {
      ...fields,
      measured: measurement(Number.NaN, Number.NaN),
      outOfRange: `T ${formatReading(reading)}: excluded from the verdict`,
    };
  }
  const measured = measurement(reading.temperature, reading.error);
  return { ...fields, measured, agrees: judge(measured) };
}

/**
 * Upper 1e-3 tail of chi^2 / dof for `dof` degrees of freedom (Wilson-Hilferty, z = 3.0902): a fit above it
 * is not described by its form, so its parameter is no measurement. E.g. 5.52 for 3 dof (exact 5.42), 2.98 for 10 (exact 2.96).
 */
export function chi2PerDofCritical(dof: number): number {
  const a = 2 / (9 * dof);
  return (1 - a + 3.0902 * Math.sqrt(a)) ** 3;
}

/**
 * Why a fit cannot be judged, or undefined when it can: it failed, has no degree of freedom, or its
 * chi^2/dof lies beyond the 1e-3 tail (`chi2PerDofCritical`).
 */
export function fitRejection(fit: {
  readonly chi2PerDof: number;
  readonly points: number;
  readonly failure?: string;
}): string | undefined {
  if (fit.failure !== undefined) return `fit failed (${fit.failure}): excluded from the verdict`;
  const dof = fit.points - 2;
  if (!(dof >= 1) || !Number.isFinite(fit.chi2PerDof))
    return 'fit has no degree of freedom: excluded from the verdict';
  const critical = chi2PerDofCritical(dof);
  if (fit.chi2PerDof > critical)
    return `fit rejected: chi^2/dof = ${fit.chi2PerDof.toPrecision(3)} > ${critical.toPrecision(3)} (p < 1e-3 for ${dof} dof), the form does not describe the data: excluded from the verdict`;
  return undefined;
}

/**
 * A comparison whose measured value comes from fits. When every fit is acceptable (`fitRejection`),
 * `agrees` is `judge(measured)`; otherwise `agrees` is absent and `outOfRange` names the rejected fit,
 * while `measured` keeps the fitted number for the record.
 */
export function fitComparison(
  fields: Omit<Comparison, 'agrees' | 'outOfRange'>,
  fits: readonly { readonly chi2PerDof: number; readonly points: number; readonly failure?: string }[],
  judge: (measured: Measurement) => boolean,
): Comparison {
  for (const fit of fits) {
    const rejection = fitRejection(fit);
    if (rejection !== undefined) return { ...fields, outOfRange: rejection };
  }
  return { ...fields, agrees: judge(fields.measured) };
}

/** A correlator profile as plain arrays. */
export interface CorrelatorSeries {
  readonly r: number[];
  readonly value: number[];
  readonly error: number[];
}

/** Plain arrays of a distance profile (r >= 1 only: r = 0 is trivially 1 for spins). */
export function profileSeries(profile: DistanceProfile): CorrelatorSeries {
  const r: number[] = [];
  const value: number[] = [];
  const error: number[] = [];
  for (let i = 0; i < profile.r.length; i++) {
    if (!(profile.r[i]! > 0)) continue;
    r.push(profile.r[i]!);
    value.push(profile.value[i]!);
    error.push(profile.error[i]!);
  }
  return { r, value, error };
}

/** A fitted scaling dimension (jackknife error), or the reason the fit failed. */
export interface DimensionFit {
  readonly delta: Measurement;
  readonly amplitude: number;
  readonly chi2PerDof: number;
  readonly points: number;
  readonly form: ScalingForm;
  readonly rMin: number;
  readonly rMax: number;
  /** Set when the fit could not be done (e.g. a non-positive correlator in a log-space window). */
  readonly failure?: string;
}

/** Fit Delta on [rMin, rMax] of a profile with the jackknife error; a failed fit gives NaN and the reason. */
export function fitDimension(
  profile: DistanceProfile,
  form: ScalingForm,
  rMin: number,
  rMax: number,
  L: number,
): DimensionFit {
  try {
    const f = fitScalingDimensionJackknife(profile, { form, rMin, rMax, L });
    return {
      delta: measurement(f.delta, f.error),
      amplitude: f.amplitude,
      chi2PerDof: f.chi2PerDof,
      points: f.points,
      form,
      rMin,
      rMax,
    };
  } catch (e) {
    return {
      delta: measurement(Number.NaN, Number.NaN),
      amplitude: Number.NaN,
      chi2PerDof: Number.NaN,
      points: 0,
      form,
      rMin,
      rMax,
      failure: e instanceof Error ? e.message : String(e),
    };
  }
}

/** a(r) - b(r) at distance r with the errors in quadrature (the two ensembles are independent). */
export function profileDifference(a: DistanceProfile, b: DistanceProfile, r: number): Measurement {
  const ia = Array.prototype.indexOf.call(a.r, r) as number;
  const ib = Array.prototype.indexOf.call(b.r, r) as number;
  if (ia < 0 || ib < 0) return measurement(Number.NaN, Number.NaN);
  return measurement(a.value[ia]! - b.value[ib]!, Math.hypot(a.error[ia]!, b.error[ib]!));
}

/** Check that `value` is one of the scaling forms (error names the field). */
export function checkForm(value: unknown, name: string): ScalingForm {
  return checkOneOf(value, name, ['power', 'chord', 'periodic', 'isingTorus'] as const);
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

/** Whether |measured - reference| is beyond `sigmas` errors (a clear deviation). */
export function deviatesBeyond(m: Measurement, reference: number, sigmas = 3): boolean {
  if (!Number.isFinite(m.error) || !Number.isFinite(m.mean)) return false;
  return Math.abs(m.mean - reference) > sigmas * m.error;
}
