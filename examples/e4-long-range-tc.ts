/**
 * Experiment E4: Tc of the long-range Ising ring H = -sum_{i<j} s_i s_j / r^(1+sigma) from Binder-cumulant
 * crossings between consecutive ring sizes, and the scaling dimension at Tc from the spin correlator of the
 * largest ring vs the exact Delta_sigma = (1 - sigma)/2. Run: `npx tsx examples/e4-long-range-tc.ts --quick`.
 * Writes results/e4/{result.json, binder-sigma-*.svg, tc.svg, correlator-sigma-*.svg, report.md}.
 * Flags: one per config field (camelCase), lists comma-separated (--sigmas 0.4,0.6 --sizes 32,64,128).
 */
import {
  E4_PRESETS,
  type E4Config,
  type E4Measured,
  linePlot,
  longRangeMeanFieldTc,
  MEAN_FIELD_BINDER,
} from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';
import { runOnWorkers, WORKERS_FLAG } from './lib/workers.js';

const { values, config, seed, out, extras } = presetCli('e4-long-range-tc', E4_PRESETS, {
  extraFlags: WORKERS_FLAG,
});

const result = await runOnWorkers<E4Config, E4Measured>('E4', config, {
  seed,
  workers: extras.workers,
  onProgress: progressBar('E4'),
});

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const plots: Record<string, string> = {};
const { perSigma } = result.measured;
for (const s of perSigma) {
  const tag = s.sigma.toString().replace('.', 'p');
  plots[`binder-sigma-${tag}.svg`] = linePlot({
    title: `Binder cumulant U(T), sigma = ${s.sigma}`,
    xLabel: 'T',
    yLabel: 'U = 1 - <m^4> / (3 <m^2>^2)',
    series: s.binder.map((b) => ({
      x: s.temperatures,
      y: b.mean,
      yError: b.error,
      label: `N = ${b.N}`,
      style: 'both' as const,
    })),
    referenceLines: [
      ...(Number.isFinite(s.tc.mean) ? [{ x: s.tc.mean, label: 'Tc (crossing)' }] : []),
      { x: s.meanFieldBound, label: '2 zeta(1+sigma)' },
    ],
  });
  if (s.scaling) {
    const sc = s.scaling;
    const idx = sc.r.map((_, i) => i).filter((i) => sc.r[i]! > 0 && sc.G[i]! > 0);
    const chord = (r: number) =>
      result.parameters.fitForm === 'chord' ? (sc.N / Math.PI) * Math.sin((Math.PI * r) / sc.N) : r;
    const rs = idx.map((i) => sc.r[i]!);
    const inWindow = rs.filter((r) => r >= sc.rMin && r <= sc.rMax);
    // Anchor the exact power at the data point nearest the middle of the fit window (log scale).
    const middle = Math.sqrt(sc.rMin * sc.rMax);
    const anchor = idx.reduce((p, i) => (Math.abs(sc.r[i]! - middle) < Math.abs(sc.r[p]! - middle) ? i : p));
    const exactAmplitude = sc.G[anchor]! * chord(sc.r[anchor]!) ** (2 * sc.exact);
    plots[`correlator-sigma-${tag}.svg`] = linePlot({
      title: `Spin correlator at Tc = ${s.tc.mean.toFixed(3)}, N = ${sc.N}, sigma = ${s.sigma}`,
      xLabel: 'r',
      yLabel: 'G(r) = <s(x) s(x+r)>',
      xScale: 'log',
      yScale: 'log',
      referenceLines: [{ x: sc.rMax, label: 'fit rMax' }],
      series: [
        {
          x: rs,
          y: idx.map((i) => sc.G[i]!),
          yError: idx.map((i) => sc.Gerror[i]!),
          label: 'Monte Carlo',
          style: 'points',
        },
        {
          x: inWindow,
          y: inWindow.map((r) => sc.amplitude.mean * chord(r) ** (-2 * sc.delta.mean)),
          label: `fit (${result.parameters.fitForm}): Delta = ${pm(sc.delta.mean, sc.delta.error)}`,
          style: 'line',
        },
        {
          x: rs,
          y: rs.map((r) => exactAmplitude * chord(r) ** (-2 * sc.exact)),
          label: `exact power: Delta = (1 - sigma)/2 = ${sc.exact} (through the data at r = ${sc.r[anchor]})`,
          style: 'line',
          dashed: true,
        },
      ],
    });
  }
}
const found = perSigma.filter((s) => Number.isFinite(s.tc.mean));
const fine = Array.from({ length: 50 }, (_, i) => 0.3 + (0.7 * i) / 49);
plots['tc.svg'] = linePlot({
  title: 'Tc of the long-range ring vs sigma',
  xLabel: 'sigma',
  yLabel: 'T',
  series: [
    {
      x: found.map((s) => s.sigma),
      y: found.map((s) => s.tc.mean),
      yError: found.map((s) => s.tc.error),
      label: `Binder crossing N = ${result.parameters.sizes.at(-2)}/${result.parameters.sizes.at(-1)}`,
      style: 'both',
    },
    {
      x: fine.slice(0, -1),
      y: fine.slice(0, -1).map((s) => longRangeMeanFieldTc(s)),
      label: 'mean-field bound 2 zeta(1 + sigma)',
      style: 'line',
      dashed: true,
    },
  ],
  referenceLines: [{ x: 0.5, label: 'sigma = 1/2' }],
});

const tcTable = markdownTable(
  ['sigma', ...perSigma[0]!.crossings.map((c) => `T x ${c.N1}/${c.N2}`), 'U at Tc', '2 zeta(1+sigma)'],
  perSigma.map((s) => [
    s.sigma,
    ...s.crossings.map((c) => pm(c.temperature.mean, c.temperature.error)),
    pm(s.binderAtTc.mean, s.binderAtTc.error),
    s.meanFieldBound.toFixed(4),
  ]),
);
const deltaTable = markdownTable(
  [
    'sigma',
    'N',
    'T',
    'Delta (MC)',
    'jackknife err',
    'err from dTc',
    'exact (1-sigma)/2',
    'chi2/dof',
    'window',
  ],
  perSigma
    .filter((s) => s.scaling)
    .map((s) => [
      s.sigma,
      s.scaling!.N,
      s.scaling!.temperature.toFixed(4),
      pm(s.scaling!.delta.mean, s.scaling!.delta.error),
      s.scaling!.deltaStatistical.toPrecision(2),
      s.scaling!.deltaFromTcError.toPrecision(2),
      s.scaling!.exact.toFixed(3),
      s.scaling!.chi2PerDof.toFixed(2),
      `${s.scaling!.rMin}..${s.scaling!.rMax}`,
    ]),
);
const comparisonTable = markdownTable(
  ['quantity', 'measured', 'reference', 'source', 'agrees'],
  result.comparisons.map((c) => [
    c.quantity,
    pm(c.measured.mean, c.measured.error),
    Number.isFinite(c.reference) ? c.reference.toFixed(4) : '-',
    c.expectation ? `${c.source}; ${c.expectation}` : c.source,
    c.agrees === undefined ? '-' : c.agrees ? 'yes' : 'no',
  ]),
);
const p = result.parameters;
const report = `# ${result.title}

Preset ${result.preset}, seed ${seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.
Sizes N = ${p.sizes.join(', ')}; ${p.temperaturePoints} temperatures from ${p.tMinFraction} to ${p.tMaxFraction} of 2 zeta(1 + sigma);
${p.samples} lr-cluster samples per point (burn-in ${p.burnIn}, thin ${p.thin}); crossing errors from ${p.resamples} replicas of U(T)
resampled within its jackknife errors; correlator of the largest ring at the Tc estimate from ${p.correlatorSamples} samples
(${p.blocks} jackknife blocks), fit form '${p.fitForm}' on r in [${p.fitRMin}, ${p.fitRMaxFraction} N].

## Tc from Binder crossings

${tcTable}

(Mean-field Binder value for sigma < 1/2: ${MEAN_FIELD_BINDER.toFixed(4)}; near sigma = 1/2 the approach to it is slow, with corrections
that decay like a small power of N, so small rings sit well below it. The crossings of consecutive pairs show the drift of Tc with N;
no extrapolation to N -> infinity is made.)

## Scaling dimension at Tc

${deltaTable}

The error of Delta is the jackknife error of the fit at the Tc estimate combined in quadrature with half the change of Delta
between refits at Tc - dTc and Tc + dTc (the correlator exponent is very sensitive to the temperature).

## Measured vs reference

${comparisonTable}

Plots: ${Object.keys(plots).join(', ')}.
`;
const folder = writeResults(out, result, plots, report);
process.stdout.write(`${tcTable}\n\n${deltaTable}\n\n${comparisonTable}\n`);
process.stdout.write(
  `wrote ${folder}/{result.json,report.md,${Object.keys(plots).length} SVGs} in ${result.seconds.toFixed(1)} s\n`,
);
