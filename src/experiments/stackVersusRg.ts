/**
 * The settings shared by the stacked-RBM vs block-spin RG experiments (E3 on the 2D Ising model, E6 on the
 * long-range chain) and their validation.
 * @module
 */
import { checkInteger, checkOneOf, checkPositive, checkTrainingWork, domainError } from '../core/validate.js';
import { checkSampling, checkTemperatures } from './ensembleGrids.js';

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
