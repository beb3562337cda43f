/**
 * Experiment E11: supervised MLP classifiers through the coarse-graining lens of E7-E10, on a planted set
 * (exact check), 2D Ising phases, E1's 60-class temperature classifier (the network thermometer) and
 * MNIST, side by side with an autoencoder and (on spin data) an RBM trained in-run on the same rows at the
 * same size. Writes results/e11/{result.json, spectrum-<i>.svg,
 * truncation-<i>.svg, noise-<i>.svg, init-<i>.svg, report.md}.
 * Run: npx tsx examples/e11-supervised.ts --quick   (or --full; every config field has a flag)
 */
import { E7_PRESETS, type E11SetResult, linePlot, runE11 } from 'coarsegrain';
import { nodeLoaders } from 'coarsegrain/node';
import { E11_PRESETS } from '../src/experiments/e11.js';
import { type E11Cell, e11SideBySide } from '../src/experiments/e11Table.js';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';

const { values, config, seed, out } = presetCli('e11-supervised', E11_PRESETS, { dataFolders: true });

const result = await runE11(config, { seed, loaders: nodeLoaders, onProgress: progressBar('E11') });

/** A mean with its standard error. */
type Measurement = E11SetResult['fullAccuracy'];

const fmt = (m: Measurement) => (Number.isFinite(m.mean) ? pm(m.mean, m.error) : '-');

/** A cell of the side-by-side table: its labelled measurements and note. */
function cell(c: E11Cell | undefined, missing: string): string {
  if (c === undefined) return missing;
  const values = c.values.map((v) => `${v.label ? `${v.label} ` : ''}${fmt(v.value)}`).join('; ');
  return c.note ? `${values} (${c.note})` : values;
}

function sideBySide(s: E11SetResult): string {
  const rows = e11SideBySide(s).map((r) => [
    r.quantity,
    cell(r.unsupervised, '-'),
    cell(r.rbm, s.rbm ? 'not measured for the RBM in E11' : 'no RBM (not spin data)'),
    cell(r.classifier, '-'),
    r.hypotheses
      .map((h) => `${h.text}: **${h.agrees === undefined ? 'not judged' : h.agrees ? 'yes' : 'no'}**`)
      .join('<br>') || '-',
  ]);
  return markdownTable(
    [
      'quantity',
      `autoencoder ${s.d} -> ${s.hidden} -> ${s.d} (in-run)`,
      `RBM ${s.d} -> ${s.hidden} (in-run)`,
      `MLP classifier ${s.d} -> ${s.hidden} -> ${s.classes}`,
      'hypothesis: verdict (3 sigma)',
    ],
    rows,
  );
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const p = result.parameters;
  const sets = result.measured.sets;
  const overview = markdownTable(
    ['data set', 'd', 'C', 'h', 'n train', 'n test', 'held-out accuracy', 'AE held-out MSE'],
    sets.map((s) => [
      s.name,
      s.d,
      s.classes,
      s.hidden,
      s.nTrain,
      s.nTest,
      fmt(s.fullAccuracy),
      fmt(s.autoencoder.reconstructionLoss),
    ]),
  );
  const noiseTable = markdownTable(
    ['data set', 'h', 'noise', 'level', 'accuracy full', 'accuracy truncated', 'truncated - full'],
    sets.flatMap((s) =>
      s.noiseLevels.map((level, i) => [
        s.name,
        s.hidden,
        s.noiseKind,
        level,
        fmt(s.noisyFull[i]!),
        fmt(s.noisyTruncated[i]!),
        fmt(s.noiseAdvantage[i]!),
      ]),
    ),
  );
  const comparisons = markdownTable(
    ['hypothesis / check', 'measured', 'reference / expected', 'agrees'],
    result.comparisons.map((c) => [
      c.quantity,
      fmt(c.measured),
      `${Number.isFinite(c.reference) ? `${c.reference.toPrecision(4)}; ` : ''}${c.expectation ?? ''} (${c.source})`,
      c.agrees ? 'yes' : 'no',
    ]),
  );
  const plots: Record<string, string> = {};
  sets.forEach((s, i) => {
    const label = `${s.name}, h = ${s.hidden}`;
    let total = 0;
    for (const v of s.singularValues) total += v.mean ** 2;
    plots[`spectrum-${i}.svg`] = linePlot({
      title: `E11 first-layer singular spectrum, ${label}`,
      xLabel: 'rank j',
      yLabel: 's_j^2 / sum s^2 (mean over seeds)',
      yScale: 'log',
      series: [
        {
          x: s.singularValues.map((_, j) => j + 1),
          y: s.singularValues.map((v) => Math.max(v.mean ** 2 / total, 1e-12)),
          label: 'MLP classifier',
          style: 'both',
        },
      ],
      referenceLines: [{ x: s.modesForFraction.mean, label: '90% of sum s^2' }],
    });
    plots[`truncation-${i}.svg`] = linePlot({
      title: `E11 held-out accuracy vs kept modes, ${label}`,
      xLabel: 'k (singular modes of the first layer kept)',
      yLabel: 'held-out accuracy',
      xScale: 'log',
      series: [
        {
          x: s.truncationK,
          y: s.truncationAccuracy.map((m) => m.mean),
          yError: s.truncationAccuracy.map((m) => m.error),
          label: 'truncated to k',
          style: 'both',
        },
      ],
      referenceLines: [
        { y: s.fullAccuracy.mean, label: 'full' },
        { x: s.smallestK.mean, label: 'smallest k' },
        { x: s.reconstructionModes, label: 'PCA k for 90% variance' },
      ],
    });
    plots[`noise-${i}.svg`] = linePlot({
      title: `E11 accuracy under ${s.noiseKind}, ${label}`,
      xLabel: s.noiseKind === 'spin flips' ? 'flip probability' : 'noise standard deviation',
      yLabel: 'held-out accuracy',
      series: [
        {
          x: [0, ...s.noiseLevels],
          y: [s.fullAccuracy.mean, ...s.noisyFull.map((m) => m.mean)],
          label: 'full',
          style: 'both',
        },
        {
          x: s.noiseLevels as number[],
          y: s.noisyTruncated.map((m) => m.mean),
          yError: s.noisyTruncated.map((m) => m.error),
          label: 'truncated to smallest k',
          style: 'both',
          dashed: true,
        },
      ],
    });
    plots[`init-${i}.svg`] = linePlot({
      title: `E11 held-out accuracy per epoch (seed 0), ${label}`,
      xLabel: 'epoch',
      yLabel: 'held-out accuracy',
      series: [
        {
          x: s.init.randomCurve.map((_, e) => e),
          y: s.init.randomCurve,
          label: 'random init',
          style: 'both',
        },
        {
          x: s.init.covarianceCurve.map((_, e) => e),
          y: s.init.covarianceCurve,
          label: 'covariance init',
          style: 'both',
          dashed: true,
        },
      ],
    });
  });
  const report = `# E11: supervised networks through the coarse-graining lens

MLP d -> h -> C (${p.activation} hidden, softmax output), weights ~ N(0, ${p.initSigma}^2); Adam lr ${p.learningRate}, ${p.epochs} epochs, batch ${p.batchSize} (planted set: ${p.plantedOptimizer} lr ${p.plantedLearningRate}, ${p.plantedEpochs} epochs); ${p.seeds} seeds (errors: standard errors over training seeds; each data set is drawn once). Autoencoder counterpart: d -> h -> d, same activation, init, optimizer and epochs, linear output, MSE. Seed ${result.seed}; coarsegrain ${result.version}; preset ${result.preset}; ${result.seconds.toFixed(1)} s.
Skipped: ${result.measured.skipped.map((s) => `${s.dataset} (${s.reason})`).join(', ') || 'none'}.

${overview}

## Side by side: unsupervised (E7-E10) vs supervised

Every number is measured in this run, on the same rows and at the same h as the classifier, with its standard error over ${p.seeds} seeds. Autoencoder: d -> h -> d (as above), through E7's spectrum and Fourier content, E8's overlaps, E10's truncation (smallest k whose held-out MSE is within ${p.reconstructionTolerance} x the variance per element of the full one) and noise rejection, and E9's covariance-init protocol (Xavier vs covariance init, code size h). RBM (spin data only): +-1, d -> h, W ~ N(0, 0.05^2), CD-1, Adam lr ${p.rbmLearningRate} (epsilon 1e-2), batch ${p.rbmBatchSize}, ${p.rbmEpochs} epochs (E7's recipe), through the weight instruments; its truncation (E10 needs log Z by AIS) and E9 (an autoencoder protocol) are not run here. These sizes differ from the published E7-E10 runs (E7's full-preset RBM is ${E7_PRESETS.full.L ** 2} -> ${E7_PRESETS.full.hiddenSide ** 2}, trained at T = ${E7_PRESETS.full.temperature.toFixed(3)} only), which are therefore not compared.

${sets.map((s) => `### ${s.name}, h = ${s.hidden}\n\n${s.description}\n\n${sideBySide(s)}`).join('\n\n')}

## Noise

${noiseTable}

## Hypotheses judged by the measurements (3 sigma)

${comparisons}

Plots: ${sets.map((s, i) => `${s.name} h=${s.hidden}: [spectrum](spectrum-${i}.svg), [truncation](truncation-${i}.svg), [noise](noise-${i}.svg), [init](init-${i}.svg)`).join('; ')}.
`;
  const folder = writeResults(out, result, plots, report);
  process.stdout.write(`${overview}\n\n${noiseTable}\n\nwrote ${folder} in ${result.seconds.toFixed(1)} s\n`);
}
