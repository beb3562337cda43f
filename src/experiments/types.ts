/**
 * Shared shapes of experiment configurations and results. A result is plain, JSON-serialisable data:
 * every measured number with its error bar, the parameters used, the seed, the library version, and the
 * published reference beside it where there is one.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import type { Estimate } from '../core/stats.js';
import { checkOneOf, domainError } from '../core/validate.js';
import type { DataLoaders } from '../data/loaders.js';

// e11 reads `requireLoaders` from here; the loader interface itself lives in the data layer
export { type DataLoaders, requireLoaders } from '../data/loaders.js';

/**
 * A measured value with its one-sigma error (NaN error = not estimated, stated in `note`): the core
 * `Estimate` type under the name the experiment code uses (one type, not exported from the root).
 */
export type Measurement = Estimate;

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
  /**
   * Whether the measurement agrees with the reference/expectation (within 3 sigma for numbers). Absent when
   * nothing is judged, e.g. when `outOfRange` is set.
   */
  readonly agrees?: boolean;
  /**
   * Set when the comparison rests on a thermometer reading at or beyond its calibrated grid: the reading in
   * words (e.g. 'T(level 2) > 10 (beyond grid)'). Then `measured` is NaN and `agrees` is absent: an
   * out-of-range reading is not a measurement, so it neither agrees nor disagrees.
   */
  readonly outOfRange?: string;
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
  /** File readers for configured data folders (`mnistDir`, `flowersDir`, ...); required only when one
   * is set. Pass `nodeLoaders` from `coarsegrain/node`. */
  readonly loaders?: DataLoaders;
}

/** Agreement within `sigmas` combined standard errors (false when the error is not finite). */
export function agreesWithin(measured: Measurement, reference: number, sigmas = 3): boolean {
  if (!Number.isFinite(measured.error) || !Number.isFinite(reference)) return false;
  return Math.abs(measured.mean - reference) <= sigmas * Math.max(measured.error, 1e-12);
}

/** The names of the two presets every experiment has. */
export type PresetName = 'quick' | 'full';

/**
 * What a `runEN` function takes: any subset of the config's fields plus the preset to start from. A field
 * given as `undefined` counts as not given (so a command-line parser can pass every flag it knows).
 */
export type PresetConfig<C> = Partial<C> & { readonly preset?: PresetName | undefined };

/**
 * Whether a config field holds a data path rather than a parameter: its name ends in `Dir` or `Path`
 * (`mnistDir`, `swimsegDir`, ...). Data paths say where the data are, not how the experiment runs, so they
 * never make a run 'custom'.
 */
export function isDataPathKey(key: string): boolean {
  return key.endsWith('Dir') || key.endsWith('Path');
}

/**
 * Deep equality by value of config values: primitives by `Object.is` (NaN equals NaN), arrays and typed
 * arrays element by element (a Float64Array equals an array of the same numbers), plain objects field by
 * field in any order (an `undefined` field counts as absent).
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aList = Array.isArray(a) || ArrayBuffer.isView(a);
  const bList = Array.isArray(b) || ArrayBuffer.isView(b);
  if (aList || bList) {
    if (!aList || !bList) return false;
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  const xKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const yKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (xKeys.length !== yKeys.length) return false;
  return xKeys.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Merge a preset with overrides. This is the one rule every experiment E1-E10 follows:
 *
 * - `config.preset` picks the base: 'quick' (default) or 'full'.
 * - Every other field overrides the base's value. A field must be one of the preset's fields (even when
 *   its value is `undefined`, so that a misspelt name is caught); a known field given as `undefined`
 *   counts as not given and keeps the base's value.
 * - The returned `preset` is 'custom' iff some given field differs by value from the base (deep
 *   comparison: equal lists and numbers keep the preset's name), except data paths
 *   ({@link isDataPathKey}: names ending in `Dir` or `Path`), which never make a run 'custom'.
 *
 * The field values themselves are not validated here: the caller checks the merged config.
 * Cost O(size of the config).
 * @throws DomainError if `config` is not an object, `config.preset` is not 'quick' | 'full', or a field is
 *   not one of the preset's fields (the message names the field and lists the known ones).
 * @example
 * resolvePreset('runE2', { L: 10, epochs: undefined }, E2_PRESETS).preset; // 'quick' (L = 10 is the preset's)
 * resolvePreset('runE2', { L: 12 }, E2_PRESETS).preset; // 'custom'
 * resolvePreset('runE2', { mnistDir: '/data' }, E2_PRESETS);
 * // throws DomainError 'runE2: config.mnistDir: expected one of the fields L, nHidden, ..., received "mnistDir"'
 */
export function resolvePreset<C extends object>(
  fn: string,
  config: PresetConfig<C>,
  presets: { readonly quick: C; readonly full: C },
): { config: C; preset: PresetName | 'custom' } {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw domainError(`${fn}: config`, 'an object', config);
  const { preset, ...overrides } = config;
  const name = checkOneOf(preset ?? 'quick', `${fn}: config.preset`, ['quick', 'full'] as const);
  const base = presets[name] as Record<string, unknown>;
  const known = [...new Set([...Object.keys(presets.quick), ...Object.keys(presets.full)])];
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (!known.includes(key))
      throw domainError(`${fn}: config.${key}`, `one of the fields ${known.join(', ')}`, key);
    if (value !== undefined) given[key] = value;
  }
  const custom = Object.entries(given).some(
    ([key, value]) => !isDataPathKey(key) && !sameValue(value, base[key]),
  );
  return { config: { ...base, ...given } as C, preset: custom ? 'custom' : name };
}
