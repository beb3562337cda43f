/**
 * Verdicts of the experiments: comparisons whose measured value is a thermometer reading, a flow's
 * direction or a fitted parameter. A reading beyond a thermometer's grid, an end of a flow out of range or
 * a rejected fit gives no verdict (`agrees` absent, `outOfRange` says why in words), never a clamped number.
 * @module
 */
import type { FlowDirection } from '../rg/flowLevels.js';
import { formatReading, type TemperatureReading } from '../rg/reading.js';
import type { Comparison, Measurement } from './types.js';

/** A Measurement from a mean and an error (NaN error stays NaN). */
export function measurement(mean: number, error: number): Measurement {
  return { mean, error };
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

/** Whether |measured - reference| is beyond `sigmas` errors (a clear deviation). */
export function deviatesBeyond(m: Measurement, reference: number, sigmas = 3): boolean {
  if (!Number.isFinite(m.error) || !Number.isFinite(m.mean)) return false;
  return Math.abs(m.mean - reference) > sigmas * m.error;
}
