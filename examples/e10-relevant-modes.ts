/**
 * Experiment E10: irrelevant parameters (truncating trained weights to their top-k singular modes), noise
 * rejection, and a solvability criterion from the covariance spectrum, on a planted low-rank set, 2D Ising
 * at several temperatures, MNIST, flowers and SWIMSEG, with autoencoders (MSE) and RBMs (held-out
 * log-likelihood). Writes results/e10/{result.json, truncation-<i>.svg, noise.svg, spectrum-<i>.svg,
 * rbm-truncation-<i>.svg, report.md}.
 * Run: npx tsx examples/e10-relevant-modes.ts --quick   (or --full; every config field has a flag)
 */
import { E10_PRESETS, type E10Config, type E10Measured, linePlot } from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';
import { runOnWorkers, WORKERS_FLAG } from './lib/workers.js';

const { values, config, seed, out, extras } = presetCli('e10-relevant-modes', E10_PRESETS, {
  dataFolders: true,
  extraFlags: WORKERS_FLAG,
});

const result = await runOnWorkers<E10Config, E10Measured>('E10', config, {
  seed,
  workers: extras.workers,
  onProgress: progressBar('E10'),
});
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const p = result.parameters;
  const sets = result.measured.datasets;
  const truncationTable = markdownTable(
    [
      'data set',
      'd',
      'n train',
      'h',
      'full MSE',
      'smallest k',
      'tuned params',
      'all params',
      'tuned / samples',
      '|MSE(k=h) - full|',
    ],
    sets.map((s) => {
      const t = s.truncation;
      return [
        s.name,
        s.d,
        s.nTrain,
        s.hidden,
        pm(t.fullLoss.mean, t.fullLoss.error),
        pm(t.smallestK.mean, t.smallestK.error),
        pm(t.tunedParameters.mean, t.tunedParameters.error),
        t.allParameters,
        pm(t.parametersPerSample.mean, t.parametersPerSample.error),
        t.fullRankDeviation.toExponential(1),
      ];
    }),
  );
  const noiseTable = markdownTable(
    [
      'data set',
      'noise',
      'input error',
      'output error',
      'gain',
      'predicted gain',
      'relevant-subspace overlap',
    ],
    sets.flatMap((s) =>
      s.noise.map((n) => [
        s.name,
        n.level,
        pm(n.inputError.mean, n.inputError.error),
        pm(n.outputError.mean, n.outputError.error),
        pm(n.gain.mean, n.gain.error),
        pm(n.predictedGain.mean, n.predictedGain.error),
        pm(n.overlap.mean, n.overlap.error),
      ]),
    ),
  );
  const criterionTable = markdownTable(
    [
      'data set',
      `k_${p.varianceFraction}`,
      `k_${p.varianceFraction} / d`,
      'largest gap (after a, ratio)',
      `predicts h = ${p.hidden} suffices`,
      'explained variance (trained)',
      'smallest k',
    ],
    sets.map((s) => [
      s.name,
      s.criterion.kFraction,
      s.criterion.kFractionRelative.toFixed(3),
      `${s.criterion.gapIndex}, ${s.criterion.gapRatio.toPrecision(3)}`,
      s.criterion.predictsSmallNetwork ? 'yes' : 'no',
      pm(s.criterion.explainedVariance.mean, s.criterion.explainedVariance.error),
      pm(s.truncation.smallestK.mean, s.truncation.smallestK.error),
    ]),
  );
  const rbmSets = result.measured.rbm;
  const rbmTable = markdownTable(
    [
      'data set',
      'units',
      'nV x nH',
      'n train',
      'log Z',
      'LL bias-only (k = 0)',
      'LL full',
      'max AIS sd(log Z)',
      'smallest k',
      'tuned params',
      'all params',
      'tuned / samples',
      '|LL(k=rank) - LL full|',
      'top singular values',
    ],
    rbmSets.map((s) => {
      const t = s.truncation;
      return [
        s.name,
        s.visibleUnits,
        `${s.nVisible} x ${s.nHidden}`,
        s.nTrain,
        s.partition,
        pm(t.logLikelihood[0]!.mean, t.logLikelihood[0]!.error),
        pm(t.fullLogLikelihood.mean, t.fullLogLikelihood.error),
        Math.max(t.fullLogZStdErr, ...t.logZStdErr).toPrecision(2),
        pm(t.smallestK.mean, t.smallestK.error),
        pm(t.tunedParameters.mean, t.tunedParameters.error),
        t.allParameters,
        pm(t.parametersPerSample.mean, t.parametersPerSample.error),
        t.fullRankDeviation.toExponential(1),
        t.singularValues
          .slice(0, 6)
          .map((v) => v.toFixed(2))
          .join(', '),
      ];
    }),
  );
  const rbmKs = [...new Set(rbmSets.flatMap((s) => s.truncation.k))].sort((a, b) => a - b);
  const rbmCurveTable = markdownTable(
    ['data set', ...rbmKs.map((k) => `k = ${k}`)],
    rbmSets.map((s) => [
      s.name,
      ...rbmKs.map((k) => {
        const j = s.truncation.k.indexOf(k);
        return j < 0 ? '' : s.truncation.logLikelihood[j]!.mean.toFixed(2);
      }),
    ]),
  );
  const rbmNoiseTable = markdownTable(
    [
      'data set',
      'flip p',
      'LL clean test (noisy-trained)',
      'LL noisy test (noisy-trained)',
      'clean - noisy',
      'LL clean test (clean-trained)',
      'input flip fraction',
      'up-down output flip fraction',
      'gain',
    ],
    rbmSets.flatMap((s) =>
      s.noise.map((n) => [
        s.name,
        n.level,
        pm(n.cleanLogLikelihood.mean, n.cleanLogLikelihood.error),
        pm(n.noisyLogLikelihood.mean, n.noisyLogLikelihood.error),
        pm(n.cleanAdvantage.mean, n.cleanAdvantage.error),
        pm(n.cleanModelLogLikelihood.mean, n.cleanModelLogLikelihood.error),
        pm(n.inputFlipFraction.mean, n.inputFlipFraction.error),
        pm(n.outputFlipFraction.mean, n.outputFlipFraction.error),
        pm(n.gain.mean, n.gain.error),
      ]),
    ),
  );
  const comparisons = markdownTable(
    ['quantity', 'measured', 'reference / expected', 'agrees'],
    result.comparisons.map((c) => [
      c.quantity,
      pm(c.measured.mean, c.measured.error),
      `${Number.isFinite(c.reference) ? `${c.reference.toPrecision(4)}; ` : ''}${c.expectation ?? ''} (${c.source})`,
      c.agrees ? 'yes' : 'no',
    ]),
  );
  const plots: Record<string, string> = {};
  sets.forEach((s, i) => {
    const t = s.truncation;
    plots[`truncation-${i}.svg`] = linePlot({
      title: `E10 held-out MSE vs kept singular modes, ${s.name}`,
      xLabel: 'k (singular modes kept)',
      yLabel: 'held-out reconstruction MSE',
      yScale: 'log',
      series: [
        {
          x: t.k,
          y: t.loss.map((m) => m.mean),
          yError: t.loss.map((m) => m.error),
          label: 'trained, truncated to k',
          style: 'both',
        },
        {
          x: t.k,
          y: t.covarianceLoss.map((m) => m.mean),
          label: 'covariance network, k units (no training)',
          style: 'both',
          dashed: true,
        },
      ],
      referenceLines: [{ x: t.smallestK.mean, label: 'smallest k within tolerance' }],
    });
    plots[`spectrum-${i}.svg`] = linePlot({
      title: `E10 covariance spectrum, ${s.name}`,
      xLabel: 'eigenvalue index a',
      yLabel: 'lambda_a / sum lambda',
      xScale: 'log',
      yScale: 'log',
      series: [
        {
          x: s.criterion.spectrum.map((_, a) => a + 1),
          y: s.criterion.spectrum.map((v) => Math.max(v, 1e-12)),
          label: 'eigenvalue fraction',
          style: 'both',
        },
      ],
      referenceLines: [
        { x: s.criterion.kFraction, label: `k_${p.varianceFraction}` },
        { x: s.hidden, label: `h = ${s.hidden}` },
      ],
    });
  });
  rbmSets.forEach((s, i) => {
    const t = s.truncation;
    plots[`rbm-truncation-${i}.svg`] = linePlot({
      title: `E10 RBM held-out LL vs kept modes, ${s.name}`,
      xLabel: 'k (singular modes of W kept; 0 = bias-only model)',
      yLabel: `held-out log-likelihood per sample (nats, log Z ${s.partition})`,
      series: [
        {
          x: t.k,
          y: t.logLikelihood.map((l) => l.mean),
          yError: t.logLikelihood.map((l, j) =>
            Math.hypot(Number.isFinite(l.error) ? l.error : 0, t.logZStdErr[j]!),
          ),
          label: 'trained RBM, W truncated to k modes',
          style: 'both',
        },
      ],
      referenceLines: [
        { y: t.fullLogLikelihood.mean, label: 'full model' },
        { x: t.smallestK.mean, label: 'smallest k within tolerance' },
      ],
    });
  });
  if (sets.some((s) => s.noise.some((n) => n.level > 0)))
    plots['noise.svg'] = linePlot({
      title: 'E10 noise rejection: measured (points) and predicted (dashed) gain',
      xLabel: 'noise level (flip probability for Ising, pixel sd otherwise)',
      yLabel: 'error of noisy input / error of reconstruction',
      series: sets.flatMap((s) => {
        const ns = s.noise.filter((n) => n.level > 0);
        return [
          {
            x: ns.map((n) => n.level),
            y: ns.map((n) => n.gain.mean),
            yError: ns.map((n) => n.gain.error),
            label: s.name,
            style: 'both' as const,
          },
          {
            x: ns.map((n) => n.level),
            y: ns.map((n) => n.predictedGain.mean),
            label: `${s.name} predicted`,
            dashed: true,
          },
        ];
      }),
      referenceLines: [{ y: 1, label: 'no denoising' }],
    });
  const report = `# E10: irrelevant parameters, noise rejection, solvability criterion

Autoencoder d -> h -> d (h = ${p.hidden}, ${p.activation} code, linear output, Gaussian init sd ${p.initSigma}), Adam lr ${p.learningRate}, ${p.epochs} epochs, batch ${p.batchSize}; ${p.seeds} seeds; tolerance ${p.tolerance} of the variance per element; seed ${result.seed}; coarsegrain ${result.version}; preset ${result.preset}; ${result.seconds.toFixed(1)} s.
Skipped (no folder): ${result.measured.skipped.join(', ') || 'none'}. Errors: standard errors over seeds.

## Parameter reduction

${truncationTable}

Tuned parameters at k modes: 2 k (d + h) + d + h (both truncated matrices and the biases).

## Noise rejection

${noiseTable}

## Solvability criterion (covariance spectrum alone)

${criterionTable}

## RBM: irrelevant parameters by the held-out log-likelihood

${
  rbmSets.length === 0
    ? 'Not run (models does not include rbm).'
    : `RBM ${p.rbmHidden} hidden units (+-1 units for Ising, 0/1 units for the other sets binarised at 0 (planted) or 0.5 (pixels / 255)), W ~ N(0, 0.05^2), ${p.rbmMethod.toUpperCase()}-${p.rbmGibbsSteps}, Adam lr ${p.rbmLearningRate} (epsilon 1e-2), batch ${p.rbmBatchSize}, ${p.rbmEpochs} epochs. W truncated to its top-k singular modes, biases kept; held-out mean log-likelihood (nats per sample), log Z exact when the smaller layer has <= ${p.rbmMaxExactUnits} units, else AIS (${p.aisChains} chains, ${p.aisSteps} temperatures; its standard error listed). Smallest k: LL(k) >= LL(full) - ${p.rbmTolerance} (LL(full) - LL(0)) (or 2 AIS standard errors if larger). Tuned parameters at k modes: k (nV + nH) + nV + nH.

${rbmTable}

Held-out log-likelihood against k (mean over seeds):

${rbmCurveTable}

Noise (Ising only): RBMs trained on spin-flipped data (each spin flipped with probability p), measured on the clean held-out rows and on the same rows flipped, against the RBM trained on clean data; and one deterministic up-down pass sign(E[v | E[h | v_noisy]]) compared with the clean rows (gain = input flip fraction / output flip fraction).

${rbmNoiseTable}`
}

## Measured vs expected

${comparisons}

Plots: ${[
    ...sets.map(
      (s, i) => `[truncation ${s.name}](truncation-${i}.svg), [spectrum ${s.name}](spectrum-${i}.svg)`,
    ),
    ...(plots['noise.svg'] ? ['[noise.svg](noise.svg)'] : []),
    ...rbmSets.map((s, i) => `[RBM ${s.name}](rbm-truncation-${i}.svg)`),
  ].join('; ')}.
`;
  const folder = writeResults(out, result, plots, report);
  process.stdout.write(
    `${truncationTable}\n\n${noiseTable}\n\n${criterionTable}\n\n${rbmTable}\n\n${rbmNoiseTable}\n\nwrote ${folder} in ${result.seconds.toFixed(1)} s\n`,
  );
}
