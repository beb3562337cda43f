/**
 * The RBM-flow recipe of E1 (2D Ising) and E5 (long-range chain): train a +-1 RBM the thesis' way (PCD-1,
 * Adam, W ~ N(0, sigma^2)), run the flow v -> h -> v' from data reading every step's temperature, and pool
 * the last steps, chain by chain, into the fixed-point ensemble. Plain compositions of models/ and rg/.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkOptions,
  checkPositive,
  MAX_WORK,
  optionKeys,
} from '../core/validate.js';
import { createRbm } from '../models/init.js';
import { THESIS_ADAM } from '../models/optim.js';
import { trainRbm } from '../models/rbmTrain.js';
import type { Rbm } from '../models/types.js';
import { rbmFlowEnsemble } from '../rg/flow.js';
import { estimateTemperatures, type Thermometer } from '../rg/networkThermometer.js';
import { plainReading, type TemperatureReading } from '../rg/reading.js';
import { observableThermometer, type ReferenceCurve, type ThermometerObservable } from '../rg/thermometer.js';
import type { Measurement } from './types.js';
import { measurement } from './verdicts.js';

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
