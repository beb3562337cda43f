/**
 * Shared shapes of experiment configurations and results. A result is plain, JSON-serialisable data:
 * every measured number with its error bar, the parameters used, the seed, the library version, and the
 * published reference beside it where there is one.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import { checkOneOf, domainError } from '../core/validate.js';

/** A measured value with its one-sigma error (NaN error = not estimated, stated in `note`). */
export interface Measurement {
  readonly mean: number;
  readonly error: number;
}

/** A published or exact reference number set beside a measurement. */
export interface Comparison {
  /** What is compared, e.g. 'Delta_sigma at the flow fixed point'. */
  readonly quantity: string;
  readonly measured: Measurement;
  /** The reference value (exact or published); NaN where the source only states a behaviour. */
  readonly reference: number;
  /** Where the reference comes from, e.g. 'exact (2D Ising CFT)', 'P1 Fig. 4', 'thesis: behaviour only'. */
  readonly source: string;
  /** The published/expected behaviour in words, when there is no number. */
  readonly expectation?: string;
  /** Whether the measurement agrees with the reference/expectation (within 3 sigma for numbers). */
  readonly agrees?: boolean;
}

/** Common envelope of every experiment result. */
export interface ExperimentResult<P, M> {
  /** Experiment id, e.g. 'E1'. */
  readonly id: string;
  readonly title: string;
  /** Which preset the parameters started from. */
  readonly preset: 'quick' | 'full' | 'custom';
  /** The complete parameters used (after merging the preset with overrides). */
  readonly parameters: P;
  /** The seed all streams were derived from (deriveRng(seed, ...)). */
  readonly seed: number;
  /** Library version. */
  readonly version: string;
  /** Wall time in seconds. */
  readonly seconds: number;
  /** Measured data (series, tables, fits), experiment specific. */
  readonly measured: M;
  /** Measured numbers set against references. */
  readonly comparisons: readonly Comparison[];
}

/** Options every experiment function takes: the seed plus progress/cancellation. */
export interface ExperimentOptions extends RunOptions {
  /** Seed of all random streams (default 1). */
  readonly seed?: number;
}

/** Agreement within `sigmas` combined standard errors (false when the error is not finite). */
export function agreesWithin(measured: Measurement, reference: number, sigmas = 3): boolean {
  if (!Number.isFinite(measured.error) || !Number.isFinite(reference)) return false;
  return Math.abs(measured.mean - reference) <= sigmas * Math.max(measured.error, 1e-12);
}

/**
 * Merge a preset with overrides: `config.preset` ('quick' default, or 'full') picks the base, other fields
 * override it. The returned `preset` is 'custom' when an override differs from the base (compared by
 * value; fields in `ignore`, such as data paths, never make a run custom). The caller validates `config`.
 * @throws DomainError if `config` is not an object or `preset` is not 'quick' | 'full'.
 */
export function resolvePreset<C extends object>(
  fn: string,
  config: Partial<C> & { preset?: 'quick' | 'full' },
  presets: { readonly quick: C; readonly full: C },
  ignore: readonly string[] = [],
): { config: C; preset: 'quick' | 'full' | 'custom' } {
  if (config === null || typeof config !== 'object') throw domainError(`${fn}: config`, 'an object', config);
  const { preset, ...overrides } = config;
  const name = checkOneOf(preset ?? 'quick', `${fn}: config.preset`, ['quick', 'full'] as const);
  const base = presets[name];
  const custom = Object.entries(overrides).some(
    ([key, value]) =>
      !ignore.includes(key) &&
      JSON.stringify(value) !== JSON.stringify((base as Record<string, unknown>)[key]),
  );
  return { config: { ...base, ...overrides } as C, preset: custom ? 'custom' : name };
}
