/**
 * Experiment E8: overlap of the data covariance's top-k eigenvector subspace with the subspace spanned by
 * trained weights (RBMs and autoencoders) on Ising, MNIST, flowers and SWIMSEG, beside random subspaces.
 * Run: `npx tsx examples/e8-subspace-overlap.ts --quick` (data folders default to ../shared/data/...).
 * Writes results/e8/{result.json, overlap.svg, spectra.svg, report.md}.
 */
import { barChart, E8_PRESETS, type E8Config, type E8Measured, linePlot } from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';
import { runOnWorkers, WORKERS_FLAG } from './lib/workers.js';

const { values, config, seed, out, extras } = presetCli('e8-subspace-overlap', E8_PRESETS, {
  dataFolders: true,
  extraFlags: WORKERS_FLAG,
});

const result = await runOnWorkers<E8Config, E8Measured>('E8', config, {
  seed,
  workers: extras.workers,
  onProgress: progressBar('E8'),
});
const m = result.measured;
const c = result.parameters;

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const names = m.datasets.map((s) => s.dataset);
  const fin = (x: number) => (Number.isFinite(x) ? x : 0);
  const groups: { label: string; values: number[]; errors: number[] }[] = c.models.map((model) => {
    const rows = names.map((name) => m.rows.find((r) => r.dataset === name && r.model === model)!);
    return {
      label: model,
      values: rows.map((r) => r.overlap.mean),
      errors: rows.map((r) => fin(r.overlap.error)),
    };
  });
  groups.push({
    label: 'random k-dim subspace',
    values: m.datasets.map((s) => s.randomOverlap.mean),
    errors: m.datasets.map((s) => fin(s.randomOverlap.error)),
  });
  const overlapPlot = barChart({
    title: `Overlap of the top-k covariance subspace with trained weights (${c.seeds} seeds)`,
    categories: m.datasets.map((s) => `${s.dataset} (k=${s.k}, d=${s.d})`),
    groups,
    yLabel: 'O = mean cos^2 of principal angles',
  });
  const spectra = linePlot({
    title: 'Covariance spectra (normalised by the largest eigenvalue)',
    xLabel: 'index',
    yLabel: 'lambda_j / lambda_1',
    yScale: 'log',
    series: m.datasets.map((s) => ({
      x: s.eigenvalues.map((_, j) => j + 1),
      y: s.eigenvalues.map((v) => Math.max(v / s.eigenvalues[0]!, 1e-12)),
      label: s.dataset,
      style: 'both' as const,
    })),
  });
  const table = markdownTable(
    [
      'data set',
      'model',
      'k / d',
      'O (mean ± se)',
      'spread (sd)',
      'O random',
      'O untrained',
      'AE decoder O',
      'final loss',
      'agrees',
    ],
    m.rows.map((r) => {
      const s = m.datasets.find((x) => x.dataset === r.dataset)!;
      const cmp = result.comparisons.find((x) => x.quantity.startsWith(`${r.dataset} ${r.model}:`));
      return [
        r.dataset,
        r.model,
        `${r.k}/${r.d} = ${(r.k / r.d).toFixed(4)}`,
        pm(r.overlap.mean, r.overlap.error),
        r.spread.toFixed(3),
        pm(s.randomOverlap.mean, s.randomOverlap.error),
        pm(r.initialOverlap.mean, r.initialOverlap.error),
        r.decoderOverlap ? pm(r.decoderOverlap.mean, r.decoderOverlap.error) : '-',
        pm(r.finalLoss.mean, r.finalLoss.error),
        cmp?.agrees ? 'yes' : 'no',
      ];
    }),
  );
  const data = markdownTable(
    ['data set', 'rows n', 'd', 'k', 'variance in top k', 'description'],
    m.datasets.map((s) => [s.dataset, s.n, s.d, s.k, s.explainedVariance.toFixed(3), s.description]),
  );
  const skipped = m.skipped.length
    ? `\nSkipped: ${m.skipped.map((s) => `${s.dataset} (${s.reason})`).join(', ')}.\n`
    : '';
  const report = `# ${result.title}

Preset ${result.preset}; ${c.seeds} seeds; RBM ${c.rbmUpdates} updates (Adam lr ${c.rbmLearningRate}, PCD-1, ${c.rbmHiddenUnits} hidden units), autoencoder d -> k -> d (${c.aeActivation} encoder, linear decoder, ${c.aeTied ? 'tied' : 'untied'}, MSE, ${c.aeUpdates} updates, Adam lr ${c.aeLearningRate}); batch ${c.batchSize}; seed ${result.seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.

Expected (thesis / P3): strong overlap between the covariance's top-k eigenvector subspace and the trained weights. Reference: random k-dim subspaces give k/d on average. Criterion for "agrees": O >= 0.5 and O above the measured random overlap by more than 5 standard errors.

${table}

Data:

${data}
${skipped}
Plots: overlap.svg (bars with standard errors over seeds), spectra.svg.
`;
  const dir = writeResults(out, result, { 'overlap.svg': overlapPlot, 'spectra.svg': spectra }, report);
  process.stdout.write(`${table}\n${skipped}\nwrote ${dir}/ in ${result.seconds.toFixed(1)} s\n`);
}
