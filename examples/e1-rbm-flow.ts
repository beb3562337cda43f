/**
 * Experiment E1: the RBM flow of the 2D Ising model. Wolff data at Tc, a +-1 RBM trained by PCD-1 (the
 * thesis recipe), the flow v -> h -> v' from the data, the temperature of every step (exact Kaufman-energy
 * thermometer and a network thermometer), and the spin / energy correlators of the flow's fixed point vs
 * Monte Carlo with fitted Delta_sigma, Delta_epsilon vs exact 1/8 and 1.
 * Run: `npx tsx examples/e1-rbm-flow.ts --quick`. Writes results/e1/{result.json, temperature-flow.svg,
 * spin-correlator.svg, energy-correlator.svg, report.md}. Flags: one per config field (camelCase), lists
 * comma-separated, booleans true|false (e.g. --networkThermometer false --updates 20000 --nHidden 100).
 */
import { E1_PRESETS, ISING_TC, linePlot, runE1 } from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';
import { comparisonCells, formatReading, readingSeries } from './lib/readings.js';

const { values, config, seed, out } = presetCli('e1-rbm-flow', E1_PRESETS);

const result = runE1(config, { seed, onProgress: progressBar('E1') });
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
const m = result.measured;
const p = result.parameters;

const steps = m.flow.map((s) => s.step);
const temperaturePlot = linePlot({
  title: `RBM flow of the temperature, 2D Ising L = ${p.L}, ${p.nHidden} hidden units`,
  xLabel: 'flow step n (v -> h -> v)',
  yLabel: 'temperature',
  series: [
    {
      x: steps,
      ...readingSeries(m.flow.map((s) => s.temperature)),
      label: 'observable thermometer (exact Kaufman energy)',
      style: 'both',
    },
    ...(m.flow[0]?.networkTemperature
      ? [
          {
            x: steps,
            ...readingSeries(m.flow.map((s) => s.networkTemperature!)),
            label: 'network thermometer (MLP classifier)',
            style: 'both' as const,
          },
        ]
      : []),
  ],
  referenceLines: [{ y: ISING_TC, label: 'Tc' }],
});

const positive = (s: { r: number[]; value: number[]; error: number[] }) => {
  const idx = s.r.map((_, i) => i).filter((i) => s.value[i]! > 0);
  return { x: idx.map((i) => s.r[i]!), y: idx.map((i) => s.value[i]!), yError: idx.map((i) => s.error[i]!) };
};
const rs = m.spinCorrelator.mc.r;
const spinPlot = linePlot({
  title: `Spin correlator along the axes, L = ${p.L}`,
  xLabel: 'r',
  yLabel: 'G(r) = <s(x) s(x+r)>',
  legend: 'bottom-left',
  xScale: 'log',
  yScale: 'log',
  series: [
    {
      ...positive(m.spinCorrelator.mc),
      label: `Monte Carlo, T = ${p.temperature.toFixed(4)}`,
      style: 'both',
    },
    {
      ...positive(m.spinCorrelator.flow),
      label: `flow fixed point (last ${p.fixedPointSteps} steps)`,
      style: 'both',
    },
    {
      x: rs,
      y: rs.map((r) => 0.70338 * r ** -0.25),
      label: 'exact: 0.70338 r^(-1/4) (infinite lattice)',
      style: 'line',
      dashed: true,
    },
  ],
});
const g1 = m.energyCorrelator.mc.value[0]!;
const energyPlot = linePlot({
  title: `Connected energy-operator correlator, L = ${p.L}`,
  xLabel: 'r',
  yLabel: '<eps(x) eps(x+r)> - <eps>^2',
  legend: 'bottom-left',
  xScale: 'log',
  yScale: 'log',
  series: [
    { ...positive(m.energyCorrelator.mc), label: 'Monte Carlo', style: 'both' },
    { ...positive(m.energyCorrelator.flow), label: 'flow fixed point', style: 'both' },
    {
      x: rs,
      y: rs.map((r) => g1 * r ** -2),
      label: 'exact power r^(-2) (Delta_eps = 1), through MC at r = 1',
      style: 'line',
      dashed: true,
    },
  ],
});

const table = markdownTable(
  ['quantity', 'measured', 'reference', 'source', 'agrees'],
  result.comparisons.map((c) => [
    c.quantity,
    comparisonCells(c).measured,
    Number.isFinite(c.reference) ? +c.reference.toFixed(6) : '-',
    c.expectation ? `${c.source}; ${c.expectation}` : c.source,
    comparisonCells(c).agrees,
  ]),
);
const fits = markdownTable(
  ['', 'Monte Carlo', 'flow fixed point', 'exact'],
  [
    [
      `Delta_sigma (${p.spinFitForm}, r = ${p.fitRMin}..${p.fitRMax})`,
      pm(m.deltaSigma.mc.delta.mean, m.deltaSigma.mc.delta.error),
      pm(m.deltaSigma.flow.delta.mean, m.deltaSigma.flow.delta.error),
      '0.125',
    ],
    ['chi^2/dof', m.deltaSigma.mc.chi2PerDof.toFixed(2), m.deltaSigma.flow.chi2PerDof.toFixed(2), ''],
    [
      `Delta_epsilon (${p.energyFitForm}, r = ${p.fitRMin}..${p.fitRMax})`,
      pm(m.deltaEpsilon.mc.delta.mean, m.deltaEpsilon.mc.delta.error),
      pm(m.deltaEpsilon.flow.delta.mean, m.deltaEpsilon.flow.delta.error),
      '1',
    ],
    ['chi^2/dof', m.deltaEpsilon.mc.chi2PerDof.toFixed(2), m.deltaEpsilon.flow.chi2PerDof.toFixed(2), ''],
  ],
);
const flowRows = m.flow
  .filter((s) => s.step <= 5 || s.step % 5 === 0 || s.step === m.flow.length - 1)
  .map((s) => [
    s.step,
    formatReading(s.temperature),
    s.networkTemperature ? formatReading(s.networkTemperature) : '-',
    pm(s.energy.mean, s.energy.error),
    pm(s.absMagnetization.mean, s.absMagnetization.error),
  ]);
const report = `# ${result.title}

Preset ${result.preset}, seed ${result.seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.
L = ${p.L}, ${p.samples} Wolff samples at T = ${p.temperature.toFixed(6)}, RBM ${p.L * p.L} x ${p.nHidden} trained by PCD-1 (Adam lr ${p.learningRate}, eps 1e-2, batch ${p.batchSize}) for ${m.training.updates} updates (${m.training.epochs} epochs); flow of ${p.flowSamples} chains for ${p.flowSteps} steps; fixed point = last ${p.fixedPointSteps} steps.${m.thermometer ? ` Network thermometer: ${p.thermometerTemperatures.length} classes, held-out accuracy ${(100 * m.thermometer.accuracy).toFixed(1)}% (within one class ${(100 * m.thermometer.accuracyWithinOne).toFixed(1)}%).` : ''}

## Measured vs published

${table}

## Scaling dimensions

${fits}

## Flow (selected steps)

${markdownTable(['step', 'T (Kaufman energy)', 'T (network)', 'energy per site', '|m|'], flowRows)}

Plots: temperature-flow.svg, spin-correlator.svg, energy-correlator.svg.
`;
const folder = writeResults(
  out,
  result,
  {
    'temperature-flow.svg': temperaturePlot,
    'spin-correlator.svg': spinPlot,
    'energy-correlator.svg': energyPlot,
  },
  report,
);
process.stdout.write(
  `${table}\n\n${fits}\n\nwrote ${folder}/{result.json,temperature-flow.svg,spin-correlator.svg,energy-correlator.svg,report.md} in ${result.seconds.toFixed(1)} s\n`,
);
