/**
 * Experiment E3: 2D Ising temperature flow through a stack of RBMs (each layer quarters the sites) vs
 * repeated block-spin RG steps, for a grid of starting temperatures; every level's temperature is read by
 * the exact-Kaufman energy thermometer of that level's torus. Run: `npx tsx examples/e3-temperature-flow.ts --quick`.
 * Every config field has a flag (`--help` lists them with their quick-preset values); `--workers 2` trains
 * the stack on two threads (same result).
 * Writes results/e3/{result.json, flow-rg.svg, flow-rbm.svg, report.md}.
 */
import { E3_PRESETS, type E3Flow, ISING_TC, linePlot, runE3 } from 'coarsegrain';
import { createThreadedGemm } from 'coarsegrain/parallel';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';
import { comparisonCells, formatReading, readingSeries } from './lib/readings.js';
import { WORKERS_FLAG } from './lib/workers.js';

const { values, config, seed, out, extras } = presetCli('e3-temperature-flow', E3_PRESETS, {
  extraFlags: WORKERS_FLAG,
});

// --workers N: the stack's training products are split over N threads (bit-identical result)
const threaded = createThreadedGemm({ threads: Math.max(1, extras.workers) });
const result = runE3(config, {
  seed,
  onProgress: progressBar('E3'),
  ...(threaded.threads > 1 ? { gemm: threaded.gemm } : {}),
});
threaded.close();
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
        ...readingSeries(f[which].map((l) => l.temperature)),
        label: `T0 = ${f.startTemperature.toFixed(3)}`,
        style: 'both' as const,
      })),
      referenceLines: [{ y: ISING_TC, label: 'Tc' }],
    });
  const row = (f: E3Flow, which: 'rg' | 'rbm') => [
    f.startTemperature.toFixed(3),
    which === 'rg' ? `RG (${result.parameters.rule})` : 'RBM stack',
    ...f[which].map((l) => formatReading(l.temperature)),
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
      comparisonCells(c).measured,
      c.expectation ?? '',
      comparisonCells(c).agrees,
    ]),
  );
  const layout = markdownTable(
    ['T0', 'RBM level', 'nn correlator on the lattice', 'nn correlator, units permuted'],
    m.flows.flatMap((f) =>
      f.rbmLayout.map((x) => [
        f.startTemperature.toFixed(3),
        x.level,
        pm(x.lattice.mean, x.lattice.error),
        pm(x.permuted.mean, x.permuted.error),
      ]),
    ),
  );
  const report = `# E3: ${result.title}\n\nPreset ${result.preset}, seed ${seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.\n\n${table}\n\n## Is an RBM layer a lattice?\n\nEqual values with the units permuted mean the layer has no locality: its lattice temperature is then the pair correlation of unplaced units, not a local temperature.\n\n${layout}\n\n## Against the thesis\n\n${comparisons}\n\n## Notes\n\n${m.notes.map((n) => `- ${n}`).join('\n')}\n- final reconstruction error per layer: ${m.trainingReconstructionError.map((x) => x.toFixed(4)).join(', ')}\n${m.trainingHistory.map((h, l) => `- reconstruction error per epoch, layer ${l + 1}: ${h.map((x) => x.toFixed(4)).join(', ')}\n`).join('')}`;
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
