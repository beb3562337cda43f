/**
 * Flows as data: the JSON-safe summary of the levels of a temperature flow (block-spin RG, stack of RBMs,
 * RBM flow), each level's thermometer reading kept as it is (in range or out of range), and the direction
 * of the flow from its first level to its last, judged only when both ends are in range.
 * @module
 */
import type { Estimate } from '../core/stats.js';
import { checkObjectList, domainError } from '../core/validate.js';
import type { FlowStep } from './flow.js';
import { formatReading, plainReading, type TemperatureReading } from './reading.js';

/** One level of a temperature flow as plain data (a {@link FlowStep} without its configurations). */
export interface FlowLevel {
  /** 0 = the data, l = after l coarse-graining steps. */
  readonly level: number;
  /** Sites of the level's lattice, prod(shape). */
  readonly sites: number;
  /** The level's lattice, e.g. [L / 2^l, L / 2^l]. */
  readonly shape: number[];
  /** The level's thermometer reading (units of J): in range, or out of range with its bound and grid edge. */
  readonly temperature: TemperatureReading;
  /** Nearest-neighbour energy per site (J = 1) with its jackknife error. */
  readonly energy: Estimate;
  /** |magnetisation| per site with its error. */
  readonly absMagnetization: Estimate;
}

/**
 * The JSON-safe summary of the steps of a flow (`blockFlow`, `stackFlow`, `rbmFlowEnsemble` run with a
 * `thermometer`): per level its shape, energy, |m| and temperature reading, configurations dropped. Readings
 * are kept as they are: an out-of-range level stays `{ inRange: false, bound, edge }`, never a number.
 * Store it in a result, print the readings with `formatReading`, or judge which way the flow goes with
 * {@link flowDirection}. O(levels).
 * @throws DomainError if `steps` is not a non-empty list of FlowSteps or a step has no thermometer reading
 *   (the flow was run without a thermometer).
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
  readonly change: Estimate;
  /**
   * 'up' / 'down' when the change exceeds 2 sigma, else 'flat'; 'out-of-range' when the first or the last
   * reading lies at or beyond the thermometer's grid (then no direction is judged).
   */
  readonly direction: 'up' | 'down' | 'flat' | 'out-of-range';
  /** When direction is 'out-of-range': the offending readings in words, e.g. 'T(level 1) > 10 (beyond grid)'. */
  readonly outOfRange?: string;
}

/**
 * Which way a flow goes: T(last level) - T(first level) with the errors in quadrature, 'up'/'down' beyond
 * 2 sigma, else 'flat'. When the first or the last reading is out of the thermometer's range, no direction
 * is judged: `direction` is 'out-of-range' and `outOfRange` names the readings. Above Tc a block-spin flow
 * goes up, below it goes down. O(1).
 * @throws DomainError if `levels` is not a non-empty list of FlowLevels (from {@link flowLevels}).
 * @example
 * ```ts
 * import { blockFlow, createIsing2D, createRng, flowDirection, flowLevels, kaufmanLevelThermometer, sampleEnsemble, temperatureGrid } from 'coarsegrain';
 * const hot = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 3.2, samples: 100, rng: createRng(1) });
 * const thermometer = kaufmanLevelThermometer(temperatureGrid(0.5, 10, 0.025));
 * const levels = flowLevels(blockFlow(hot.configs, [16, 16], { levels: 1, thermometer }));
 * flowDirection(levels); // { change: { mean: 3.09, error: 0.24 }, direction: 'up' }: above Tc the block flow heats up
 * ```
 */
export function flowDirection(levels: readonly FlowLevel[]): FlowDirection {
  checkObjectList(levels, 'flowDirection: levels', 1, 'FlowLevels (from flowLevels)');
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
