/**
 * Experiment E6: the long-range chain, a stack of RBMs vs repeated 1D block RG steps: temperature flows
 * (Monte Carlo thermometer curve per chain length) and the <v h> maps of layer 1 and of the whole stack.
 * Run: `npx tsx examples/e6-lr-stack-vs-rg.ts --quick`. Every config field has a flag (`--help` lists them).
 * Writes results/e6/{result.json, flow-rg.svg, flow-rbm.svg, maps.svg, thermometers.svg, report.md}.
 */
import { E6_PRESETS, type E6Flow, imageGrid, linePlot, runE6 } from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';
import { comparisonCells, formatReading, readingSeries } from './lib/readings.js';

const { values, config, seed, out } = presetCli('e6-lr-stack-vs-rg', E6_PRESETS);

const result = runE6(config, { seed, onProgress: progressBar('E6') });
const m = result.measured;
const c = result.parameters;

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const plot = (which: 'rg' | 'rbm', title: string) =>
    linePlot({
      title,
      xLabel: `level (chain length ${m.sizes.join(' -> ')})`,
      yLabel: 'temperature (Monte Carlo thermometer)',
      series: m.flows.map((f: E6Flow) => ({
        x: f[which].map((l) => l.level),
        ...readingSeries(f[which].map((l) => l.temperature)),
        label: `T0 = ${f.startTemperature}`,
        style: 'both' as const,
      })),
    });
  const thermometers = linePlot({
    title: `Thermometer curves (sigma = ${c.sigma})`,
    xLabel: 'T',
    yLabel: 'nearest-neighbour energy per site',
    xScale: 'log',
    series: m.thermometers.map((t) => ({
      x: t.temperatures,
      y: t.values,
      yError: t.errors,
      label: `N = ${t.N}`,
      style: 'both' as const,
    })),
  });
  const cc = m.correlators;
  const show = Math.min(8, m.sizes[1]!);
  const rows = [cc.rbmLayer1, cc.rgStep1].map((x) => x.maps.slice(0, show * c.N));
  const maps = imageGrid(Float64Array.from(rows.flat()), {
    rows: 2,
    cols: show,
    height: 1,
    width: c.N,
    normalize: 'each',
    colormap: 'viridis-like',
    scale: 4,
    encoding: 'rects',
    title: `<v_i h_a> of the first ${show} units: RBM layer 1 (top) vs b = 2 block average (bottom)`,
  });
  const row = (f: E6Flow, which: 'rg' | 'rbm') => [
    f.startTemperature,
    which === 'rg' ? `RG (${c.rule})` : 'RBM stack',
    ...f[which].map((l) => formatReading(l.temperature)),
    (which === 'rg' ? f.rgDirection : f.rbmDirection).direction,
  ];
  const table = markdownTable(
    ['T0', 'map', ...m.sizes.map((n) => `T at N=${n}`), 'direction'],
    m.flows.flatMap((f) => [row(f, 'rg'), row(f, 'rbm')]),
  );
  const locality = markdownTable(
    ['maps', 'radius of gyration (sites)', 'spread', 'participation ratio', 'A(1)'],
    (
      [
        ['RBM layer 1', cc.rbmLayer1],
        ['RG step 1 (b = 2)', cc.rgStep1],
        ['RBM stack top', cc.rbmTop],
        [`RG top (b = ${2 ** c.levels})`, cc.rgTop],
      ] as const
    ).map(([name, x]) => [
      name,
      pm(x.radiusOfGyration.mean, x.radiusOfGyration.error),
      x.radiusOfGyration.spread.toFixed(3),
      pm(x.participationRatio.mean, x.participationRatio.error),
      pm(x.autocorrelationR1.mean, x.autocorrelationR1.error),
    ]),
  );
  const comparisons = markdownTable(
    ['quantity', 'measured', 'expected', 'agrees'],
    result.comparisons.map((x) => [
      x.quantity,
      comparisonCells(x).measured,
      x.expectation ?? '',
      comparisonCells(x).agrees,
    ]),
  );
  const report = `# E6: ${result.title}\n\nPreset ${result.preset}, seed ${seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.\n\n## Temperature flows\n\n${table}\n\n## <v h> map locality (T = ${cc.temperature})\n\n${locality}\n\n## Against the thesis\n\n${comparisons}\n\n## Notes\n\n${m.notes.map((n) => `- ${n}`).join('\n')}\n`;
  const folder = writeResults(
    out,
    result,
    {
      'flow-rg.svg': plot('rg', `Block RG (${c.rule}) temperature flow, sigma = ${c.sigma}`),
      'flow-rbm.svg': plot('rbm', `RBM stack temperature flow, sigma = ${c.sigma}`),
      'maps.svg': maps,
      'thermometers.svg': thermometers,
    },
    report,
  );
  process.stdout.write(
    `${table}\n\n${locality}\n\nwrote ${folder}/{result.json,flow-rg.svg,flow-rbm.svg,maps.svg,thermometers.svg,report.md} in ${result.seconds.toFixed(1)} s\n`,
  );
}
