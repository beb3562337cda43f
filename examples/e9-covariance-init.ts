/**
 * Experiment E9: covariance initialisation vs random initialisation of autoencoders, on 2D Ising ensembles,
 * MNIST, flowers and SWIMSEG. Speed-up = epochs(random -> l*) / epochs(covariance -> l*), l* = the random
 * run's final held-out loss, over several seeds. Writes results/e9/{result.json, speedup.svg,
 * curves-<data set>.svg, report.md}.
 * Run: npx tsx examples/e9-covariance-init.ts --quick   (or --full; every config field has a flag)
 */
import { join } from 'node:path';
import type { CovarianceDatasetName } from '../src/experiments/datasets.js';
import { type E9Config, runE9 } from '../src/experiments/e9.js';
import { barChart, linePlot } from '../src/plot/index.js';
import { listFlag, markdownTable, numberFlag, parseCli, pm, progressBar, writeResults } from './lib/cli.js';

const str = { type: 'string' as const };
const { values } = parseCli(
  `npx tsx examples/e9-covariance-init.ts [--quick|--full] [--seed 1] [--out results/e9]
  [--datasets ising,mnist,flowers,swimseg] [--isingTemperatures 2.269] [--isingL 10] [--isingSamples N]
  [--isingThin 2] [--mnist ../shared/data/mnist] [--mnistLimit N] [--flowers ../shared/data/flowers]
  [--swimseg ../shared/data/swimseg/images] [--imageSize 64] [--patchSize 8] [--patchesPerImage N]
  [--testFraction 0.2] [--code 16] [--activation tanh|linear|sigmoid|relu] [--epochs N]
  [--maxEpochFactor 3] [--batchSize 50] [--learningRate 1e-3] [--seeds N] [--json]`,
  {
    datasets: str,
    isingTemperatures: str,
    isingL: str,
    isingSamples: str,
    isingThin: str,
    mnist: str,
    mnistLimit: str,
    flowers: str,
    swimseg: str,
    imageSize: str,
    patchSize: str,
    patchesPerImage: str,
    testFraction: str,
    code: str,
    activation: str,
    epochs: str,
    maxEpochFactor: str,
    batchSize: str,
    learningRate: str,
    seeds: str,
  },
);
const preset = values.full ? 'full' : 'quick';
const seed = numberFlag(values, 'seed', 1)!;
const out = (values.out as string | undefined) ?? join('results', 'e9');
const config: Partial<E9Config> & { preset: 'quick' | 'full' } = {
  preset,
  datasets: values.datasets ? (String(values.datasets).split(',') as CovarianceDatasetName[]) : undefined,
  isingTemperatures: listFlag(values, 'isingTemperatures'),
  isingL: numberFlag(values, 'isingL'),
  isingSamples: numberFlag(values, 'isingSamples'),
  isingThin: numberFlag(values, 'isingThin'),
  mnistDir: (values.mnist as string | undefined) ?? join('..', 'shared', 'data', 'mnist'),
  mnistLimit: numberFlag(values, 'mnistLimit'),
  flowersDir: (values.flowers as string | undefined) ?? join('..', 'shared', 'data', 'flowers'),
  swimsegDir: (values.swimseg as string | undefined) ?? join('..', 'shared', 'data', 'swimseg', 'images'),
  imageSize: numberFlag(values, 'imageSize'),
  patchSize: numberFlag(values, 'patchSize'),
  patchesPerImage: numberFlag(values, 'patchesPerImage'),
  testFraction: numberFlag(values, 'testFraction'),
  code: numberFlag(values, 'code'),
  activation: values.activation as E9Config['activation'] | undefined,
  epochs: numberFlag(values, 'epochs'),
  maxEpochFactor: numberFlag(values, 'maxEpochFactor'),
  batchSize: numberFlag(values, 'batchSize'),
  learningRate: numberFlag(values, 'learningRate'),
  seeds: numberFlag(values, 'seeds'),
};

const result = await runE9(config, { seed, onProgress: progressBar('E9') });
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
          errors: sets.map((s) => s.speedUp.error),
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

Errors are standard errors of the mean over seeds. A speed-up where the covariance network needed 0 epochs is counted as epochs_random / 1 (a lower bound).

## Measured vs published

${comparisons}

Curves: ${sets.map((s, i) => `[${s.name}](curves-${i}.svg)`).join(', ')}; speed-ups: [speedup.svg](speedup.svg).
`;
  const folder = writeResults(out, result, plots, report);
  process.stdout.write(`${table}\n\n${comparisons}\n\nwrote ${folder} in ${result.seconds.toFixed(1)} s\n`);
}
