/**
 * Experiment E2: RBM vs 2 x 2 block-average RG through the input-output correlator maps <v_i h_a> on 2D
 * Ising, with the locality of every map (centre, radius of gyration, participation ratio, A(1)).
 * Run: `npx tsx examples/e2-input-output.ts --quick` (every config field has a flag; `--show N` maps drawn).
 * Writes results/e2/{result.json, maps-rbm.svg, maps-rg.svg, locality.svg, autocorrelation.svg, report.md}.
 */
import { barChart, E2_PRESETS, imageGrid, linePlot, runE2 } from 'coarsegrain';
import { markdownTable, pm, progressBar, writeResults } from './lib/cli.js';
import { presetCli } from './lib/presetFlags.js';

const { values, config, seed, out, extras } = presetCli('e2-input-output', E2_PRESETS, {
  extraFlags: {
    show: {
      type: 'number',
      default: 16,
      help: 'hidden units / blocks drawn in maps-rbm.svg and maps-rg.svg',
    },
  },
});

const result = runE2(config, { seed, onProgress: progressBar('E2') });
const m = result.measured;
const [L] = m.shape;

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const show = Math.min(extras.show, m.nHidden, m.rg.nHidden);
  const cols = Math.ceil(Math.sqrt(show));
  const grid = (maps: number[], title: string) =>
    imageGrid(Float64Array.from(maps.slice(0, show * L * L)), {
      rows: Math.ceil(show / cols),
      cols,
      height: L,
      width: L,
      normalize: 'each',
      colormap: 'viridis-like',
      scale: 12,
      encoding: 'rects',
      title,
    });
  const measures = ['radius of gyration', 'participation ratio', 'A(r = 1)'];
  const pick = (x: typeof m.rbm) => [x.radiusOfGyration, x.participationRatio, x.autocorrelationR1];
  const locality = barChart({
    title: `Locality of the <v h> maps (mean over maps, error = spread), L = ${L}`,
    categories: measures,
    groups: [
      { label: 'RBM', values: pick(m.rbm).map((s) => s.mean), errors: pick(m.rbm).map((s) => s.spread) },
      {
        label: 'RG (2x2 average)',
        values: pick(m.rg).map((s) => s.mean),
        errors: pick(m.rg).map((s) => s.spread),
      },
    ],
    yLabel: 'value',
  });
  const autocorrelation = linePlot({
    title: 'Spatial autocorrelation of the maps (mean over maps)',
    xLabel: 'distance r',
    yLabel: 'A(r)',
    series: [
      { x: m.rbm.autocorrelation.r, y: m.rbm.autocorrelation.value, label: 'RBM', style: 'both' as const },
      { x: m.rg.autocorrelation.r, y: m.rg.autocorrelation.value, label: 'RG', style: 'both' as const },
    ],
  });
  const table = markdownTable(
    ['maps', 'radius of gyration', 'spread', 'participation ratio', 'A(1)'],
    (
      [
        ['RBM', m.rbm],
        ['RG (2 x 2 average)', m.rg],
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
    ['quantity', 'measured', 'reference', 'expected', 'agrees'],
    result.comparisons.map((x) => [
      x.quantity,
      pm(x.measured.mean, x.measured.error),
      Number.isFinite(x.reference) ? x.reference.toFixed(4) : '-',
      x.expectation ?? '',
      x.agrees === undefined ? '-' : x.agrees ? 'yes' : 'no',
    ]),
  );
  const report = `# E2: ${result.title}\n\nPreset ${result.preset}, seed ${seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s. L = ${L}, ${m.nHidden} hidden units, T = ${result.parameters.temperature.toFixed(4)}. Reference radii: uniform 2 x 2 patch ${m.referenceRadius.patch2x2.toFixed(4)}, uniform map on the torus ${m.referenceRadius.uniform.toFixed(4)}.\n\n${table}\n\nRG map centres: distance from their own block centre ${pm(m.rgCentreOffset.mean, m.rgCentreOffset.error)}.\n\n## Against the thesis\n\n${comparisons}\n\n## Notes\n\n${m.notes.map((n) => `- ${n}`).join('\n')}\n- final reconstruction error: ${m.finalReconstructionError.toFixed(4)}\n`;
  const folder = writeResults(
    out,
    result,
    {
      'maps-rbm.svg': grid(m.rbm.maps, `RBM <v_i h_a>, first ${show} hidden units`),
      'maps-rg.svg': grid(m.rg.maps, `2x2 block-average RG <v_i h_a>, first ${show} blocks`),
      'locality.svg': locality,
      'autocorrelation.svg': autocorrelation,
    },
    report,
  );
  process.stdout.write(
    `${table}\n\nwrote ${folder}/{result.json,maps-rbm.svg,maps-rg.svg,locality.svg,autocorrelation.svg,report.md} in ${result.seconds.toFixed(1)} s\n`,
  );
}
