/**
 * Experiment E11: supervised MLP classifiers through the coarse-graining lens of E7-E10, on a planted set
 * (exact check), 2D Ising phases and MNIST, side by side with an autoencoder trained in-run on the same
 * rows and with the published E7-E10 figures. Writes results/e11/{result.json, spectrum-<i>.svg,
 * truncation-<i>.svg, noise-<i>.svg, init-<i>.svg, report.md}.
 * Run: npx tsx examples/e11-supervised.ts --quick   (or --full; every config field has a flag)
 */
import { type E11SetResult, linePlot, runE11 } from 'coarsegrain';
import { nodeLoaders } from 'coarsegrain/node';
import { E11_PRESETS } from '../src/experiments/e11.js';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';

const { values, config, seed, out } = presetCli('e11-supervised', E11_PRESETS, { dataFolders: true });

const result = await runE11(config, { seed, loaders: nodeLoaders, onProgress: progressBar('E11') });

/** A mean with its standard error. */
type Measurement = E11SetResult['fullAccuracy'];

const fmt = (m: Measurement) => (Number.isFinite(m.mean) ? pm(m.mean, m.error) : '-');

/** Published unsupervised figures (docs/experiments.md), cited where the in-run autoencoder has no counterpart. */
const E7_FULL = 'E7 RBM 100 -> 25, L = 10 (docs, full preset)';

function sideBySide(s: E11SetResult): string {
  const ae = s.autoencoder;
  const ising = Number.isFinite(s.lowPass.mean);
  const rows: (string | number)[][] = [
    [
      `modes carrying 90% of sum s^2 (of ${s.rank})`,
      `AE in-run: ${fmt(ae.modesForFraction)}${ising ? `; ${E7_FULL}: 17.2 ± 0.2 of 25` : ''}`,
      fmt(s.modesForFraction),
    ],
    [
      `overlap of top-${s.k} input singular vectors with covariance top-${s.k} (random ${s.randomLevel.toFixed(3)})`,
      `AE in-run: ${fmt(ae.overlapCovariance)}; E8: strong overlap (thesis, behaviour)`,
      fmt(s.overlapCovariance),
    ],
    [
      `E8 span overlap: covariance top-${s.k} inside the column space of W (random ${s.randomSpanLevel.toFixed(3)})`,
      `AE in-run: ${fmt(ae.spanCovariance)}`,
      fmt(s.spanCovariance),
    ],
    [
      `overlap of top-${s.kBetween} with between-class top-${s.kBetween} (random ${s.randomLevelBetween.toFixed(3)})`,
      `AE in-run: ${fmt(ae.overlapBetween)}`,
      fmt(s.overlapBetween),
    ],
  ];
  if (s.plantedCheck)
    rows.push([
      `overlap with the planted subspace (exact check: 1 - O <= ${s.plantedCheck.tolerance.toExponential(2)})`,
      `AE in-run: ${fmt(ae.overlapPlanted)}`,
      fmt(s.overlapPlanted),
    ]);
  if (ising)
    rows.push([
      `low-pass fraction (cutoff ${result.parameters.cutoff}) of the top ${result.parameters.topModes} input singular vectors (untrained ${fmt(s.lowPassUntrained)})`,
      `AE in-run: ${fmt(ae.lowPass)}; ${E7_FULL}: in-band fraction 0.969 ± 0.003 (untrained 0.25)`,
      fmt(s.lowPass),
    ]);
  rows.push(
    [
      'modes needed (smallest k within the tolerance)',
      `linear AE / PCA for 90% of the variance (E10 criterion, in-run): ${s.reconstructionModes}`,
      `${fmt(s.smallestK)} (accuracy within ${result.parameters.accuracyTolerance})`,
    ],
    [
      'tuned parameters / training samples',
      'E10: fewer tuned parameters than samples (thesis, behaviour)',
      fmt(s.tunedPerSample),
    ],
    [
      `covariance init: epochs to reach random init's final ${s.init.targetAccuracy.mean.toFixed(3)} accuracy`,
      'E9 autoencoders: 4x-100x faster (thesis)',
      `covariance ${fmt(s.init.epochsCovariance)} (${s.init.reachedSeeds}/${s.init.seeds} seeds reached) vs random ${fmt(s.init.epochsRandom)}`,
    ],
    [
      `accuracy under ${s.noiseKind} ${s.noiseLevels[s.noiseLevels.length - 1]}: truncated - full`,
      'E10: reconstructions reject noise (thesis, behaviour)',
      fmt(s.noiseAdvantage[s.noiseAdvantage.length - 1]!),
    ],
  );
  return markdownTable(['quantity', 'autoencoder/RBM (E7-E10)', 'MLP classifier'], rows);
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

"AE in-run" is the autoencoder trained here on the same rows with the same h; the other entries of that column are cited from docs/experiments.md (E7 full preset) or are the thesis's stated behaviour (E8-E10), not measured at this size.

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
