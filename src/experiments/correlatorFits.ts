/**
 * Correlator profiles and scaling-dimension fits as the experiments store them (E1, E5): plain series,
 * jackknife fits that record their failure instead of throwing, differences of two profiles.
 * @module
 */
import { checkOneOf } from '../core/validate.js';
import type { DistanceProfile } from '../spectral/correlator.js';
import { fitScalingDimensionJackknife, type ScalingForm } from '../spectral/scaling.js';
import type { Measurement } from './types.js';
import { measurement } from './verdicts.js';

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
