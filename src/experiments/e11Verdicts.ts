/**
 * E11's hypotheses, each judged by its measurement and error bar (no published reference exists for
 * supervised networks: every comparison is a stated expectation; numbers are compared at 3 sigma).
 * @module
 */
import type { E11SetResult } from './e11Summary.js';
import type { Comparison, Measurement } from './types.js';

/** Is `a` above `b` by more than 3 combined standard errors (false if an error is not finite)? */
function above(a: Measurement, b: Measurement): boolean {
  const err = Math.hypot(a.error, b.error);
  return Number.isFinite(err) && a.mean - b.mean > 3 * Math.max(err, 1e-12);
}

const exact = (x: number): Measurement => ({ mean: x, error: 0 });
const f = (x: number) => x.toFixed(3);

/** Rows of the side-by-side table a hypothesis belongs to (see e11Table). */
export type E11RowKey =
  | 'planted'
  | 'overlapCovariance'
  | 'overlapBetween'
  | 'lowPass'
  | 'modes'
  | 'span'
  | 'smallestK'
  | 'tunedPerSample'
  | 'noise'
  | 'init';

/** A judged hypothesis and the table row it belongs to. */
export interface E11Hypothesis {
  readonly row: E11RowKey;
  readonly comparison: Comparison;
}

/** The hypotheses of one data set and hidden size, each judged by its measurement (3 sigma). */
export function setHypotheses(s: E11SetResult): E11Hypothesis[] {
  const out: E11Hypothesis[] = [];
  let row: E11RowKey = 'planted';
  const push = (c: Comparison) => out.push({ row, comparison: c });
  const at = `${s.name}, h = ${s.hidden}`;
  const hyp = 'hypothesis (no published reference)';
  if (s.plantedCheck) {
    const t = s.plantedCheck;
    push({
      quantity: `${at}: overlap of the top-${s.k} input singular vectors with the planted subspace`,
      measured: s.overlapPlanted,
      reference: 1,
      source: 'exact (planted subspace), tolerance from the sample count',
      expectation: `1 - O <= ${t.tolerance.toExponential(2)} = 3 x ((d - k) sigma^2 / (n rho^2) = ${t.sampleDeficit.toExponential(2)} + init residual ${t.initDeficit.toExponential(2)})`,
      agrees: 1 - s.overlapPlanted.mean <= t.tolerance,
    });
  }
  row = 'overlapCovariance';
  push({
    quantity: `${at}: overlap of the top-${s.k} input singular vectors with the data covariance's top-${s.k} eigenvectors`,
    measured: s.overlapCovariance,
    reference: s.randomLevel,
    source: `${hyp}; random level k/d (E8's instrument)`,
    expectation: `above the random level ${f(s.randomLevel)} by 3 sigma (untrained ${f(s.overlapCovarianceUntrained.mean)})`,
    agrees: above(s.overlapCovariance, exact(s.randomLevel)),
  });
  row = 'overlapBetween';
  if (s.kBetween === s.k) {
    push({
      quantity: `${at}: the classifier prefers the between-class axes: overlap with the top-${s.kBetween} between-class eigenvectors`,
      measured: s.overlapBetween,
      reference: s.overlapCovariance.mean,
      source: `${hyp}; reference = the covariance overlap above`,
      expectation: 'above the covariance overlap by 3 combined sigma',
      agrees: above(s.overlapBetween, s.overlapCovariance),
    });
  } else {
    push({
      quantity: `${at}: overlap of the top-${s.kBetween} input singular vector(s) with the between-class axis`,
      measured: s.overlapBetween,
      reference: s.randomLevelBetween,
      source: `${hyp}; random level kB/d`,
      expectation: `above the random level ${f(s.randomLevelBetween)} by 3 sigma`,
      agrees: above(s.overlapBetween, exact(s.randomLevelBetween)),
    });
  }
  row = 'lowPass';
  if (Number.isFinite(s.lowPass.mean)) {
    push({
      quantity: `${at}: the classifier keeps the low-momentum modes: low-pass fraction of the top input singular vectors`,
      measured: s.lowPass,
      reference: 1,
      source: `${hyp}; E7's criterion for the RBM`,
      expectation: `>= 0.8 and above the untrained ${f(s.lowPassUntrained.mean)} by 3 sigma`,
      agrees: s.lowPass.mean >= 0.8 && above(s.lowPass, s.lowPassUntrained),
    });
  }
  row = 'modes';
  push({
    quantity: `${at}: the classifier concentrates its weights in fewer modes than the autoencoder (modes carrying 90% of sum s^2)`,
    measured: s.modesForFraction,
    reference: s.autoencoder.modesForFraction.mean,
    source: `${hyp}; reference = autoencoder d -> h -> d trained in-run on the same rows`,
    expectation: `below the autoencoder's ${f(s.autoencoder.modesForFraction.mean)} ± ${f(s.autoencoder.modesForFraction.error)} by 3 combined sigma`,
    agrees: above(s.autoencoder.modesForFraction, s.modesForFraction),
  });
  row = 'span';
  push({
    quantity: `${at}: the autoencoder spans the covariance's top-${s.k} subspace better than the classifier (E8's span overlap, autoencoder)`,
    measured: s.autoencoder.spanCovariance,
    reference: s.spanCovariance.mean,
    source: `${hyp}; reference = the classifier's span overlap (random level ${f(s.randomSpanLevel)})`,
    expectation: 'above the classifier by 3 combined sigma',
    agrees: above(s.autoencoder.spanCovariance, s.spanCovariance),
  });
  row = 'modes';
  push({
    quantity: `${at}: modes carrying 90% of sum s^2 (of ${s.rank})`,
    measured: s.modesForFraction,
    reference: Number.NaN,
    source: `${hyp}; E7's instrument`,
    expectation: `below the untrained ${f(s.modesForFractionUntrained.mean)} by 3 sigma`,
    agrees: above(s.modesForFractionUntrained, s.modesForFraction),
  });
  row = 'smallestK';
  push({
    quantity: `${at}: fewer modes suffice than for reconstruction: smallest k keeping the classifier's accuracy vs the autoencoder's smallest k keeping its reconstruction (E10's criterion, in-run)`,
    measured: s.smallestK,
    reference: s.autoencoder.smallestK.mean,
    source: `${hyp}; reference = the in-run autoencoder's smallest k (E10's instrument, same rows and h)`,
    expectation: `below the autoencoder's ${f(s.autoencoder.smallestK.mean)} ± ${f(s.autoencoder.smallestK.error)} by 3 combined sigma`,
    agrees: above(s.autoencoder.smallestK, s.smallestK),
  });
  push({
    quantity: `${at}: fewer modes suffice than for reconstruction: smallest k keeping the full accuracy (within the tolerance)`,
    measured: s.smallestK,
    reference: s.reconstructionModes,
    source: `${hyp}; reference = covariance eigenvalues holding 90% of the variance (E10's count for a linear autoencoder, in-run)`,
    expectation: `below ${s.reconstructionModes} by 3 sigma`,
    agrees: above(exact(s.reconstructionModes), s.smallestK),
  });
  row = 'tunedPerSample';
  push({
    quantity: `${at}: fewer tuned parameters than training samples (truncated classifier's parameters / n train)`,
    measured: s.tunedPerSample,
    reference: 1,
    source: `${hyp}; E10's statement for the autoencoder (in-run autoencoder: ${f(s.autoencoder.tunedPerSample.mean)})`,
    expectation: 'below 1 by 3 sigma',
    agrees: above(exact(1), s.tunedPerSample),
  });
  row = 'noise';
  const last = s.noiseLevels.length - 1;
  if (last >= 0) {
    push({
      quantity: `${at}: truncation to the relevant modes rejects noise: accuracy (truncated - full) at ${s.noiseKind} ${s.noiseLevels[last]}`,
      measured: s.noiseAdvantage[last]!,
      reference: 0,
      source: `${hyp}; E10's noise rejection`,
      expectation: 'positive by 3 sigma',
      agrees: above(s.noiseAdvantage[last]!, exact(0)),
    });
  }
  row = 'init';
  push({
    quantity: `${at}: covariance init reaches the random init's final accuracy sooner (epochs)`,
    measured: s.init.epochsCovariance,
    reference: s.init.epochsRandom.mean,
    source: `${hyp}; E9's instrument (thesis: 4x-100x for autoencoders)`,
    expectation: `all ${s.init.seeds} seeds reach it, in fewer epochs than random's ${f(s.init.epochsRandom.mean)} by 3 sigma`,
    agrees: s.init.reachedSeeds === s.init.seeds && above(s.init.epochsRandom, s.init.epochsCovariance),
  });
  return out;
}

/** All E11 comparisons, data set by data set. */
export function e11Comparisons(m: { readonly sets: readonly E11SetResult[] }): Comparison[] {
  return m.sets.flatMap((s) => setHypotheses(s).map((x) => x.comparison));
}
