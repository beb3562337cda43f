import { checkFinite, checkObject, domainError } from '../core/validate.js';
/**
 * The result type every thermometer returns: a temperature with its error when the reading lies inside the
 * instrument's calibrated range (the reference curve or the class grid), or an explicit out-of-range state
 * (which side, and the grid edge it lies at or beyond) when it does not. An out-of-range reading carries
 * no temperature: a value clamped to the grid's edge is not a measurement.
 * @module
 */

/** A reading strictly inside the calibrated range. Temperatures in units of J (k_B = 1). */
export interface InRangeReading {
  readonly inRange: true;
  /** The temperature T (units of J). */
  readonly temperature: number;
  /** Its one-sigma error (NaN when it cannot be estimated, e.g. from one configuration). */
  readonly error: number;
}

/** A reading at or beyond the edge of the calibrated range: no temperature, only a bound. */
export interface OutOfRangeReading {
  readonly inRange: false;
  /** 'above': T >= edge (hotter than the grid's top); 'below': T <= edge (colder than its bottom). */
  readonly bound: 'above' | 'below';
  /** The grid temperature the reading lies at or beyond (units of J). */
  readonly edge: number;
}

/**
 * A thermometer reading: discriminate on `inRange` before using `temperature`.
 * @example
 * ```ts
 * import { formatReading, type TemperatureReading } from 'coarsegrain';
 * function describe(r: TemperatureReading): string {
 *   return r.inRange ? `T = ${r.temperature} +- ${r.error}` : `${r.bound} the grid, edge ${r.edge}`;
 * }
 * describe({ inRange: false, bound: 'above', edge: 10 }); // 'above the grid, edge 10': a bound, not a T
 * formatReading({ inRange: false, bound: 'above', edge: 10 }); // '> 10 (beyond grid)'
 * ```
 */
export type TemperatureReading = InRangeReading | OutOfRangeReading;

/** An in-range reading `{ inRange: true, temperature, error }`. */
export function inRangeReading(temperature: number, error: number): InRangeReading {
  return { inRange: true, temperature, error };
}

/** An out-of-range reading `{ inRange: false, bound, edge }`. */
export function outOfRangeReading(bound: 'above' | 'below', edge: number): OutOfRangeReading {
  return { inRange: false, bound, edge };
}

/**
 * The bare reading of a thermometer result (its extra fields, e.g. per-configuration arrays, dropped):
 * `{ inRange: true, temperature, error }` or `{ inRange: false, bound, edge }`. Plain JSON-safe data.
 * @example plainReading(observableThermometer(configs, shape, curve)); // { inRange: true, temperature: 2.27, error: 0.01 }
 */
export function plainReading(reading: TemperatureReading): TemperatureReading {
  return reading.inRange
    ? inRangeReading(reading.temperature, reading.error)
    : outOfRangeReading(reading.bound, reading.edge);
}

/** Significant digits of `error` for a "mean ± error" text (two significant digits of the error). */
function digitsFor(error: number): number {
  return Math.max(0, Math.min(8, 1 - Math.floor(Math.log10(error))));
}

/**
 * A reading as text: "2.269 ± 0.003" in range (the mean to the error's second significant digit; 4
 * decimals when the error is not finite), "> 10 (beyond grid)" or "< 0.5 (beyond grid)" out of range.
 * @example
 * ```ts
 * import { formatReading } from 'coarsegrain';
 * formatReading({ inRange: true, temperature: 2.2691, error: 0.0031 }); // '2.2691 ± 0.0031'
 * formatReading({ inRange: false, bound: 'above', edge: 10 }); // '> 10 (beyond grid)'
 * ```
 */
export function formatReading(reading: TemperatureReading): string {
  checkObject(reading, 'formatReading: reading', 'a TemperatureReading');
  if (reading.inRange === true) {
    checkFinite(reading.temperature, 'formatReading: reading.temperature');
    if (typeof reading.error !== 'number')
      throw domainError('formatReading: reading.error', 'a number', reading.error);
  } else if (reading.inRange === false) {
    checkFinite(reading.edge, 'formatReading: reading.edge');
  } else
    throw domainError(
      'formatReading: reading.inRange',
      'true or false',
      (reading as { inRange?: unknown }).inRange,
    );
  if (!reading.inRange) {
    return `${reading.bound === 'above' ? '>' : '<'} ${+reading.edge.toPrecision(6)} (beyond grid)`;
  }
  const { temperature, error } = reading;
  if (!(Number.isFinite(error) && error > 0)) return `${temperature.toFixed(4)}`;
  const d = digitsFor(error);
  return `${temperature.toFixed(d)} ± ${error.toFixed(d)}`;
}
