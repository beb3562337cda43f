/**
 * Experiment E9: covariance initialisation vs random initialisation of autoencoders, on 2D Ising ensembles,
 * MNIST, flowers and SWIMSEG. Speed-up = epochs(random -> l*) / epochs(covariance -> l*), l* = the random
 * run's final held-out loss, over several seeds. Writes results/e9/{result.json, speedup.svg,
 * curves-<data set>.svg, report.md}.
 * Run: npx tsx examples/e9-covariance-init.ts --quick   (or --full; every config field has a flag)
 */
import { barChart, E9_PRESETS, linePlot, runE9 } from 'coarsegrain';
import { nodeLoaders } from 'coarsegrain/node';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';

const { values, config, seed, out } = presetCli('e9-covariance-init', E9_PRESETS, { dataFolders: true });

const result = await runE9(config, { seed, loaders: nodeLoaders, onProgress: progressBar('E9') });
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const sets = result.measured.datasets;
  const rows = sets.map((s) => [
    s.name,
    `${s.d}`,
    `${s.nTrain}`,
    pm(s.epochsRandom.mean, s.epochsRandom.error),
    pm(s.epochsCovariance.mean, s.epochsCovariance.error),
    `${pm(s.speedUp.mean, s.speedUp.error)}${s.zeroEpochSeeds > 0 ? ` (>=, ${s.zeroEpochSeeds} seeds needed 0 epochs)` : ''}`,
    `${s.speedUpRange[0].toFixed(2)} .. ${s.speedUpRange[1].toFixed(2)}`,
    pm(s.targetLoss.mean, s.targetLoss.error),
    pm(s.covarianceLoss0.mean, s.covarianceLoss0.error),
    pm(s.untrainedRatio.mean, s.untrainedRatio.error),
    pm(s.untrainedLinearRatio.mean, s.untrainedLinearRatio.error),
    s.runs
      .map((r) =>
        r.epochsRandomToCovariance0 === null
          ? `> ${r.randomCurve.length - 1}`
          : `${r.epochsRandomToCovariance0}`,
      )
      .join(', '),
  ]);
  const table = markdownTable(
    [
      'data set',
      'd',
      'n train',
      'epochs random -> l*',
      'epochs covariance -> l*',
      'speed-up',
      'range over seeds',
      'l* (held-out MSE)',
      'untrained covariance MSE',
      'untrained / l*',
      'untrained linear (PCA) / l*',
      'epochs random -> untrained covariance loss (per seed)',
    ],
    rows,
  );
  const comparisons = markdownTable(
    ['quantity', 'measured', 'published / expected', 'agrees'],
    result.comparisons.map((c) => [
      c.quantity,
      pm(c.measured.mean, c.measured.error),
      `${Number.isFinite(c.reference) ? `${c.reference} ` : ''}${c.expectation ?? ''} (${c.source})`,
      c.agrees ? 'yes' : 'no',
    ]),
  );
  const plots: Record<string, string> = {
    'speedup.svg': barChart({
      title: 'E9: training speed-up from the covariance initial condition',
      yLabel: 'epochs(random -> l*) / epochs(covariance -> l*)',
      categories: sets.map((s) => s.name),
      groups: [
        {
          label: 'speed-up (thesis: 4x to 100x)',
          values: sets.map((s) => s.speedUp.mean),
          // one seed has no standard error: no bar rather than NaN
          errors: sets.map((s) => (Number.isFinite(s.speedUp.error) ? s.speedUp.error : 0)),
        },
      ],
    }),
  };
  sets.forEach((s, i) => {
    const series = (key: 'randomCurve' | 'covarianceCurve', label: string) => {
      const len = Math.min(...s.runs.map((r) => r[key].length));
      const x = Array.from({ length: len }, (_, e) => e);
      const y = x.map((e) => s.runs.reduce((a, r) => a + r[key][e]!, 0) / s.runs.length);
      const lo = x.map((e) => Math.min(...s.runs.map((r) => r[key][e]!)));
      const hi = x.map((e) => Math.max(...s.runs.map((r) => r[key][e]!)));
      return { x, y, band: { lower: lo, upper: hi }, label, style: 'both' as const };
    };
    plots[`curves-${i}.svg`] = linePlot({
      title: `E9 training curves, ${s.name} (mean, band = range over seeds)`,
      xLabel: 'epoch',
      yLabel: 'held-out reconstruction MSE',
      yScale: 'log',
      series: [
        series('randomCurve', 'random (Xavier) init'),
        series('covarianceCurve', 'covariance init (stops at l*)'),
      ],
      referenceLines: [{ y: s.targetLoss.mean, label: 'l*' }],
    });
  });
  const p = result.parameters;
  const report = `# E9: covariance initialisation vs random initialisation

Autoencoder d -> ${p.code} -> d (${p.activation} code, linear output), Adam lr ${p.learningRate}, batch ${p.batchSize}; random run ${p.epochs} epochs, covariance run at most ${Math.ceil(p.maxEpochFactor * p.epochs)}; ${p.seeds} seeds (split, init, shuffling); seed ${result.seed}; coarsegrain ${result.version}; preset ${result.preset}; ${result.seconds.toFixed(1)} s.
Skipped (no folder): ${result.measured.skipped.join(', ') || 'none'}.

${table}

Errors are standard errors of the mean over seeds. A speed-up where the covariance network needed 0 epochs is counted as epochs_random / 1 (a lower bound). The last column is what the covariance initial condition is worth in epochs of training from the random one ("> N": the random run never got there).

## Measured vs published

${comparisons}

Curves: ${sets.map((s, i) => `[${s.name}](curves-${i}.svg)`).join(', ')}; speed-ups: [speedup.svg](speedup.svg).
`;
  const folder = writeResults(out, result, plots, report);
  process.stdout.write(`${table}\n\n${comparisons}\n\nwrote ${folder} in ${result.seconds.toFixed(1)} s\n`);
}
