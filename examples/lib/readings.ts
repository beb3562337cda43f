/**
 * Thermometer readings in the example scripts' tables and plots: a reading in range prints as
 * "2.269 ± 0.003" and plots as a point with its error bar; a reading at or beyond its grid prints as
 * "> 10 (beyond grid)" and plots as an open marker with an arrow at the grid's edge (linePlot `bounds`).
 */
import type { TemperatureReading } from 'coarsegrain';
import { pm } from './cli.js';

export { formatReading } from 'coarsegrain';

/** y (temperature, or the grid edge when out of range), error bars and bounds of a series of readings. */
export function readingSeries(readings: readonly TemperatureReading[]): {
  y: number[];
  yError: number[];
  bounds: ('above' | 'below' | null)[];
} {
  return {
    y: readings.map((r) => (r.inRange ? r.temperature : r.edge)),
    yError: readings.map((r) => (r.inRange && Number.isFinite(r.error) ? r.error : 0)),
    bounds: readings.map((r) => (r.inRange ? null : r.bound)),
  };
}

/** The "measured" and "agrees" cells of a comparison row: an out-of-range comparison says so in both. */
export function comparisonCells(c: {
  readonly measured: { readonly mean: number; readonly error: number };
  readonly agrees?: boolean;
  readonly outOfRange?: string;
}): { measured: string; agrees: string } {
  if (c.outOfRange !== undefined) return { measured: c.outOfRange, agrees: 'not judged (out of range)' };
  return {
    measured: pm(c.measured.mean, c.measured.error),
    agrees: c.agrees === undefined ? '-' : c.agrees ? 'yes' : 'no',
  };
}
