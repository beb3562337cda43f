/**
 * The locality of a coarse-graining map read through its input-output correlators: for n paired samples
 * of the input lattice v and the outputs h (hidden units of an RBM, block spins of an RG step), the map
 * <v_i h_a> of every output on the input lattice, with its centre, radius of gyration, participation
 * ratio and autocorrelation, summarised over the outputs. The `'min'` baseline removes the uniform
 * background that hides the local part of the maps at and below Tc.
 * @module
 */
import { type SpreadSummary, spreadSummary } from '../core/stats.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import { checkOneOf, checkOptions, checkShape, domainError, optionKeys } from '../core/validate.js';
import { correlatorMaps, inputOutputCorrelator, mapLocality } from './inputOutput.js';

/** The keys accepted by the options of {@link mapsLocality} (checked by the compiler against its type). */
const MAPS_LOCALITY_KEYS = optionKeys<MapsLocalityOptions>({ connected: true, baseline: true });

/** Locality of the <v_i h_a> maps of one coarse-graining map (result of {@link mapsLocality}). */
export interface MapsLocality {
  /**
   * nHidden x nVisible maps, row-major (row a = <v_i h_a> over the visible sites i, before the baseline
   * is removed), plain numbers.
   */
  readonly maps: number[];
  /** Number of outputs (hidden units or block spins), the rows of `maps`. */
  readonly nHidden: number;
  /**
   * Per map: centre (lattice units per axis, in [0, L)), radius of gyration (lattice spacings),
   * participation ratio (fraction of the sites, in (0, 1]) and A(r = 1); NaN for an all-zero map.
   */
  readonly perMap: {
    readonly centre: number[];
    readonly radiusOfGyration: number;
    readonly participationRatio: number;
    readonly autocorrelationR1: number;
  }[];
  /** Radius of gyration over the maps (lattice spacings): mean, standard error, spread, count. */
  readonly radiusOfGyration: SpreadSummary;
  /** Participation ratio over the maps: ~ (patch size) / N for local maps, 1 for uniform ones. */
  readonly participationRatio: SpreadSummary;
  /** Normalised spatial autocorrelation of the maps at distance 1. */
  readonly autocorrelationR1: SpreadSummary;
  /** Mean normalised autocorrelation A(r) over maps (r < L/2). */
  readonly autocorrelation: { readonly r: number[]; readonly value: number[] };
}

/**
 * Baseline removed from each map before its locality is measured: `'none'`, or `'min'`: shift the map so
 * that its background (the extreme value on the side opposite to its peak) is 0. On a finite lattice at or
 * below Tc the raw <v_i h_a> sits on a nearly uniform background ~ <m^2>, which hides the local part.
 */
export type MapBaseline = 'none' | 'min';

/** Options of {@link mapsLocality}. */
export interface MapsLocalityOptions {
  /** Subtract <v_i><h_a> (the connected correlator); default false. */
  readonly connected?: boolean;
  /** Background removed from each map before it is measured; default 'none'. */
  readonly baseline?: MapBaseline;
}

/**
 * How local a coarse-graining map is: the input-output correlator <v_i h_a> of n paired samples, laid out
 * as one map per output a on the input lattice of `shape`, each measured by {@link mapLocality} (centre,
 * radius of gyration, participation ratio, autocorrelation) after removing the `baseline`, and the
 * measures summarised over the outputs with their spread. Maps that are all zero (an output that never
 * varies) get NaN measures and are skipped in the summaries. Use `baseline: 'min'` at or below Tc: a
 * finite lattice's raw maps sit on a nearly uniform background ~ <m^2> that hides their local part.
 * Reference values: a uniform b x b patch has radius of gyration sqrt((b^2 - 1) / 6), a map spread over
 * the whole L x L torus sqrt((L^2 - 1) / 6). Cost O(n nVisible nHidden) for the correlator plus
 * O(nHidden N log N) for the maps.
 * @param v - inputs, n x prod(shape) {@link Matrix} (e.g. `ensembleMatrix(ensemble)`, Int8Array spins).
 * @param h - outputs, n x nHidden {@link Matrix} (e.g. `hiddenMeans(rbm, v)` or a `blockAverage`).
 * @param shape - the input lattice, e.g. [L, L] or [N]; lattice units are its spacings.
 * @throws ShapeError if v.cols differs from prod(shape) or h.rows from v.rows; DomainError if v or h is
 *   not a Matrix, for an unknown option or a bad `baseline`/`connected`.
 * @example
 * ```ts
 * import { blockAverage, createIsing2D, createRng, ensembleMatrix, mapsLocality, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.27, samples: 100, rng: createRng(1) });
 * const v = ensembleMatrix(ens); // 100 x 64 Int8Array spins
 * const h = blockAverage(ens.configs, [8, 8], 2); // the 2 x 2 block RG as "hidden units"
 * const maps = mapsLocality(v, h, [8, 8], { baseline: 'min' });
 * maps.radiusOfGyration; // { mean: 2.75, error: 0.03, ... } lattice spacings over the 16 maps; 3.17 without
 * // the 'min' baseline, whose removal of the uniform background at Tc makes the local patch visible
 * ```
 */
export function mapsLocality(
  v: Matrix<ArrayLike<number>>,
  h: Matrix<ArrayLike<number>>,
  shape: readonly number[],
  options: MapsLocalityOptions = {},
): MapsLocality {
  options = checkOptions(options, 'mapsLocality: options', MAPS_LOCALITY_KEYS);
  const connected = options.connected ?? false;
  if (typeof connected !== 'boolean')
    throw domainError('mapsLocality: options.connected', 'a boolean', connected);
  const baseline = checkOneOf(options.baseline ?? 'none', 'mapsLocality: options.baseline', [
    'none',
    'min',
  ] as const);
  const nVisible = checkShape(shape as number[], 'mapsLocality: shape');
  checkMatrix(v, 'mapsLocality: v', {
    cols: nVisible,
    colsLabel: `the ${shape.join(' x ')} lattice's sites`,
  });
  const C = inputOutputCorrelator(v, h, { connected });
  const nHidden = C.cols;
  const maps = correlatorMaps(C).data;
  const perMap: MapsLocality['perMap'][number][] = [];
  let acR: number[] = [];
  let acSum: number[] = [];
  let counted = 0;
  for (let a = 0; a < nHidden; a++) {
    const m = maps.subarray(a * nVisible, (a + 1) * nVisible);
    let nonzero = false;
    for (let i = 0; i < nVisible; i++) if (m[i] !== 0) nonzero = true;
    if (!nonzero) {
      perMap.push({
        centre: shape.map(() => Number.NaN),
        radiusOfGyration: Number.NaN,
        participationRatio: Number.NaN,
        autocorrelationR1: Number.NaN,
      });
      continue;
    }
    let shifted: ArrayLike<number> = m;
    if (baseline === 'min') {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < nVisible; i++) {
        lo = Math.min(lo, m[i]!);
        hi = Math.max(hi, m[i]!);
      }
      // the background is the end of the range farther from zero's opposite: shift so the far value is 0
      const floor = Math.abs(hi) >= Math.abs(lo) ? lo : hi;
      shifted = Float64Array.from(m, (x) => x - floor);
      if (hi === lo) shifted = m;
    }
    const loc = mapLocality(shifted, shape);
    const r = Array.from(loc.autocorrelation.r);
    const val = Array.from(loc.autocorrelation.value);
    if (counted === 0) {
      acR = r;
      acSum = val.slice();
    } else for (let k = 0; k < acSum.length; k++) acSum[k]! += val[k]!;
    counted++;
    const at1 = r.findIndex((x) => Math.abs(x - 1) < 1e-9);
    perMap.push({
      centre: loc.centre,
      radiusOfGyration: loc.radiusOfGyration,
      participationRatio: loc.participationRatio,
      autocorrelationR1: at1 >= 0 ? val[at1]! : Number.NaN,
    });
  }
  return {
    maps: Array.from(maps),
    nHidden,
    perMap,
    radiusOfGyration: spreadSummary(perMap.map((p) => p.radiusOfGyration)),
    participationRatio: spreadSummary(perMap.map((p) => p.participationRatio)),
    autocorrelationR1: spreadSummary(perMap.map((p) => p.autocorrelationR1)),
    autocorrelation: { r: acR, value: acSum.map((x) => x / Math.max(1, counted)) },
  };
}
