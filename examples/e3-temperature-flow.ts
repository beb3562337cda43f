/**
 * Experiment E3: 2D Ising temperature flow through a stack of RBMs (each layer quarters the sites) vs
 * repeated block-spin RG steps, for a grid of starting temperatures; every level's temperature is read by
 * the exact-Kaufman energy thermometer of that level's torus. Run: `npx tsx examples/e3-temperature-flow.ts --quick`.
 * Writes results/e3/{result.json, flow-rg.svg, flow-rbm.svg, report.md}.
 */
import { join } from 'node:path';
import type { E3Flow } from '../src/experiments/e3.js';
import { type E3Config, runE3 } from '../src/experiments/e3.js';
import { ISING_TC } from '../src/lattice/exact2d.js';
import { linePlot } from '../src/plot/index.js';
import { listFlag, markdownTable, numberFlag, parseCli, pm, progressBar, writeResults } from './lib/cli.js';

const numeric = [
  'L',
  'levels',
  'samples',
  'burnIn',
  'thin',
  'trainSamples',
  'epochs',
  'batchSize',
  'learningRate',
  'thermometerStep',
] as const;
const lists = ['startTemperatures', 'trainTemperatures', 'thermometerRange'] as const;
const strings = ['stackMode', 'rule'] as const;
const { values } = parseCli(
  `npx tsx examples/e3-temperature-flow.ts [--quick|--full] [--seed 1] [--out results/e3] [--json]\n  ${numeric.map((k) => `[--${k} N]`).join(' ')}\n  ${lists.map((k) => `[--${k} a,b,..]`).join(' ')} [--stackMode sample|mean-field] [--rule majority|average|decimate]`,
  Object.fromEntries([...numeric, ...lists, ...strings].map((k) => [k, { type: 'string' as const }])),
);
const overrides: Record<string, unknown> = {};
for (const k of numeric) {
  const v = numberFlag(values, k);
  if (v !== undefined) overrides[k] = v;
}
for (const k of lists) {
  const v = listFlag(values, k);
  if (v !== undefined) overrides[k] = v;
}
for (const k of strings) if (values[k] !== undefined) overrides[k] = values[k];
const seed = numberFlag(values, 'seed', 1)!;
const out = (values.out as string | undefined) ?? join('results', 'e3');

const result = runE3(
  { preset: values.full ? 'full' : 'quick', ...(overrides as Partial<E3Config>) },
  { seed, onProgress: progressBar('E3') },
);
const m = result.measured;

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const plot = (which: 'rg' | 'rbm', title: string) =>
    linePlot({
      title,
      xLabel: `level (lattice side ${m.sides.join(' -> ')})`,
      yLabel: 'temperature (exact-energy thermometer)',
      series: m.flows.map((f: E3Flow) => ({
        x: f[which].map((l) => l.level),
        y: f[which].map((l) => l.temperature.mean),
        yError: f[which].map((l) => l.temperature.error),
        label: `T0 = ${f.startTemperature.toFixed(3)}`,
        style: 'both' as const,
      })),
      referenceLines: [{ y: ISING_TC, label: 'Tc' }],
    });
  const row = (f: E3Flow, which: 'rg' | 'rbm') => [
    f.startTemperature.toFixed(3),
    which === 'rg' ? `RG (${result.parameters.rule})` : 'RBM stack',
    ...f[which].map((l) => pm(l.temperature.mean, l.temperature.error)),
    (which === 'rg' ? f.rgDirection : f.rbmDirection).direction,
  ];
  const table = markdownTable(
    ['T0', 'map', ...m.sides.map((s) => `T at L=${s}`), 'direction'],
    m.flows.flatMap((f) => [row(f, 'rg'), row(f, 'rbm')]),
  );
  const comparisons = markdownTable(
    ['quantity', 'measured', 'expected', 'agrees'],
    result.comparisons.map((c) => [
      c.quantity,
      pm(c.measured.mean, c.measured.error),
      c.expectation ?? '',
      c.agrees ? 'yes' : 'no',
    ]),
  );
  const report = `# E3: ${result.title}\n\nPreset ${result.preset}, seed ${seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.\n\n${table}\n\n## Against the thesis\n\n${comparisons}\n\n## Notes\n\n${m.notes.map((n) => `- ${n}`).join('\n')}\n- final reconstruction error per layer: ${m.trainingReconstructionError.map((x) => x.toFixed(4)).join(', ')}\n`;
  const folder = writeResults(
    out,
    result,
    {
      'flow-rg.svg': plot('rg', `Block-spin RG (${result.parameters.rule}) temperature flow`),
      'flow-rbm.svg': plot('rbm', 'RBM stack temperature flow'),
    },
    report,
  );
  process.stdout.write(
    `${table}\n\nwrote ${folder}/{result.json,flow-rg.svg,flow-rbm.svg,report.md} in ${result.seconds.toFixed(1)} s\n`,
  );
}
