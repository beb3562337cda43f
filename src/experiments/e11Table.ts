/**
 * E11's side-by-side table of one data set and hidden size: rows for the quantities of E7-E10, columns for
 * the unsupervised counterpart (an autoencoder d -> h -> d trained in the same run on the same rows at the
 * same h, through the E7-E10 instruments) and the MLP classifier, each cell a measurement with its error
 * bar, and per row the hypotheses of e11Verdicts with their verdicts. Every number comes from the
 * E11SetResult passed in; nothing is cited.
 * @module
 */
import type { E11SetResult } from './e11Summary.js';
import { type E11RowKey, setHypotheses } from './e11Verdicts.js';
import type { Measurement } from './types.js';

/** One cell: labelled measurements (mean and standard error over seeds) and a note in words. */
export interface E11Cell {
  readonly values: readonly { readonly label?: string; readonly value: Measurement }[];
  readonly note?: string;
}

/** One row of the side-by-side table. */
export interface E11TableRow {
  readonly key: E11RowKey;
  readonly quantity: string;
  /** Autoencoder d -> h -> d, trained in-run on the same rows at the same h. */
  readonly unsupervised: E11Cell;
  /**
   * +-1 RBM d -> h trained in-run on the same spin rows (E7's recipe); undefined where not measured: off
   * spin data, and on the rows of E9 (autoencoder protocol) and E10's truncation and noise (the RBM's
   * needs log Z by AIS, not run in E11).
   */
  readonly rbm?: E11Cell;
  readonly classifier: E11Cell;
  /** The hypotheses judged on this row (text = the comparison's quantity and expectation). */
  readonly hypotheses: readonly { readonly text: string; readonly agrees?: boolean }[];
}

const one = (value: Measurement, note?: string): E11Cell => ({
  values: [{ value }],
  ...(note ? { note } : {}),
});
const f3 = (x: number) => x.toFixed(3);

/**
 * The side-by-side rows of one E11 set result (`levels` = its noise levels; the noise row uses the
 * largest). Rows without a counterpart on this data set (planted overlap off the planted set, low-pass
 * fraction off a lattice) are left out.
 */
export function e11SideBySide(s: E11SetResult): E11TableRow[] {
  const ae = s.autoencoder;
  const hyps = setHypotheses(s);
  const judged = (key: E11RowKey) =>
    hyps
      .filter((x) => x.row === key)
      .map((x) => ({
        text: `${x.comparison.quantity.replace(`${s.name}, h = ${s.hidden}: `, '')}: ${x.comparison.expectation ?? ''}`,
        ...(x.comparison.agrees === undefined ? {} : { agrees: x.comparison.agrees }),
      }));
  const rbmCell = (pick: (r: NonNullable<E11SetResult['rbm']>) => Measurement) =>
    s.rbm ? { rbm: one(pick(s.rbm)) } : {};
  const rows: E11TableRow[] = [
    {
      key: 'modes',
      quantity: `modes carrying 90% of sum s^2 (of ${s.rank})`,
      unsupervised: one(ae.modesForFraction, 'encoder (E7)'),
      ...rbmCell((r) => r.modesForFraction),
      classifier: one(s.modesForFraction, `untrained ${f3(s.modesForFractionUntrained.mean)}`),
      hypotheses: judged('modes'),
    },
    {
      key: 'overlapCovariance',
      quantity: `overlap of the top-${s.k} input singular vectors with the covariance's top-${s.k} eigenvectors (random k/d = ${f3(s.randomLevel)})`,
      unsupervised: one(ae.overlapCovariance, 'encoder (E8)'),
      ...rbmCell((r) => r.overlapCovariance),
      classifier: one(s.overlapCovariance, `untrained ${f3(s.overlapCovarianceUntrained.mean)}`),
      hypotheses: judged('overlapCovariance'),
    },
    {
      key: 'span',
      quantity: `E8's span overlap: covariance top-${s.k} inside the column space of W (random h/d = ${f3(s.randomSpanLevel)})`,
      unsupervised: one(ae.spanCovariance),
      ...rbmCell((r) => r.spanCovariance),
      classifier: one(s.spanCovariance),
      hypotheses: judged('span'),
    },
    {
      key: 'overlapBetween',
      quantity: `overlap of the top-${s.kBetween} input singular vectors with the between-class top-${s.kBetween} (random ${f3(s.randomLevelBetween)})`,
      unsupervised: one(ae.overlapBetween),
      ...rbmCell((r) => r.overlapBetween),
      classifier: one(s.overlapBetween),
      hypotheses: judged('overlapBetween'),
    },
  ];
  if (s.plantedCheck)
    rows.push({
      key: 'planted',
      quantity: `overlap of the top-${s.k} input singular vectors with the planted subspace`,
      unsupervised: one(ae.overlapPlanted),
      classifier: one(s.overlapPlanted, `exact check: 1 - O <= ${s.plantedCheck.tolerance.toExponential(2)}`),
      hypotheses: judged('planted'),
    });
  if (Number.isFinite(s.lowPass.mean))
    rows.push({
      key: 'lowPass',
      quantity: 'low-pass fraction of the top input singular vectors (E7)',
      unsupervised: one(ae.lowPass),
      ...rbmCell((r) => r.lowPass),
      classifier: one(s.lowPass, `untrained ${f3(s.lowPassUntrained.mean)}`),
      hypotheses: judged('lowPass'),
    });
  const last = s.noiseLevels.length - 1;
  rows.push(
    {
      key: 'smallestK',
      quantity: 'smallest k of the top-k truncation within the tolerance of the full model (E10)',
      unsupervised: one(ae.smallestK, 'held-out MSE within the tolerance x variance per element'),
      classifier: one(
        s.smallestK,
        `held-out accuracy within the tolerance; PCA needs ${s.reconstructionModes} for 90% of the variance`,
      ),
      hypotheses: judged('smallestK'),
    },
    {
      key: 'tunedPerSample',
      quantity: 'tuned parameters of the truncated model / training samples (E10)',
      unsupervised: one(ae.tunedPerSample, '2 k (d + h) + d + h'),
      classifier: one(s.tunedPerSample, 'k (d + h) + h + h C + C'),
      hypotheses: judged('tunedPerSample'),
    },
    {
      key: 'init',
      quantity: "epochs for the covariance init to reach the random init's final held-out value (E9)",
      unsupervised: {
        values: [
          { label: 'covariance', value: ae.init.epochsCovariance },
          { label: 'random', value: ae.init.epochsRandom },
        ],
        note: `loss; ${ae.init.reachedSeeds}/${s.init.seeds} seeds reached`,
      },
      classifier: {
        values: [
          { label: 'covariance', value: s.init.epochsCovariance },
          { label: 'random', value: s.init.epochsRandom },
        ],
        note: `accuracy; ${s.init.reachedSeeds}/${s.init.seeds} seeds reached`,
      },
      hypotheses: judged('init'),
    },
  );
  if (last >= 0)
    rows.push({
      key: 'noise',
      quantity: `${s.noiseKind} ${s.noiseLevels[last]}: truncated to the smallest k vs full (E10)`,
      unsupervised: {
        values: [
          { label: 'gain truncated - full', value: ae.noiseGainAdvantage[last]! },
          { label: 'gain full', value: ae.noiseGainFull[last]! },
        ],
        note: "E10's gain = input noise / reconstruction error, > 1 removes noise; difference > 0: truncation rejects more",
      },
      classifier: {
        values: [{ label: 'accuracy truncated - full', value: s.noiseAdvantage[last]! }],
        note: '> 0: truncation helps',
      },
      hypotheses: judged('noise'),
    });
  return rows;
}
