/**
 * The quick demo (`npm run demo`): the RG half of experiment E3 on the 2D Ising model, done for real.
 * Wolff-sample a 64 x 64 torus at temperatures around Tc, check the energy against Kaufman's exact finite-L
 * value, then apply three majority-rule block-spin steps (64 -> 32 -> 16 -> 8) and read the temperature of
 * every level with an observable thermometer built on the exact energy of an L x L torus at that level.
 * Expected (the RG picture): Tc is an unstable fixed point: T < Tc flows to lower T, T > Tc to higher T.
 * Writes results/demo/{result.json, flow.svg, report.md}. Flags: --L --samples --levels --seed --out --json.
 */
import { join } from 'node:path';
import {
  blockMajority,
  createIsing2D,
  deriveRng,
  ISING_TC,
  kaufmanLevelThermometer,
  kaufmanTorus,
  linePlot,
  sampleEnsembles,
  summarizeEnsemble,
  type TemperatureReading,
  temperatureGrid,
  VERSION,
} from 'coarsegrain';
import { markdownTable, numberFlag, parseCli, pm, progressBar, writeResults } from './lib/cli.js';
import { formatReading, readingSeries } from './lib/readings.js';

const { values } = parseCli(
  'npm run demo -- [--L 64] [--samples 400] [--levels 3] [--seed 1] [--out results/demo] [--json]',
  { L: { type: 'string' }, samples: { type: 'string' }, levels: { type: 'string' } },
);
const L = numberFlag(values, 'L', 64)!;
const samples = numberFlag(values, 'samples', 400)!;
const levels = numberFlag(values, 'levels', 3)!;
const seed = numberFlag(values, 'seed', 1)!;
const out = (values.out as string | undefined) ?? join('results', 'demo');
const temperatures = [1.9, 2.1, ISING_TC, 2.5, 2.8];
const t0 = performance.now();

const model = createIsing2D({ L });
const ensembles = sampleEnsembles(model, temperatures, {
  sampler: 'wolff',
  samples,
  burnIn: 200,
  thin: 2,
  seed,
  onProgress: progressBar('sampling'),
});

// Thermometer: exact Kaufman energy per level size on a grid 0.5 .. 10.25; a level whose energy lies at or
// beyond the grid reads out of range (no temperature).
const thermometer = kaufmanLevelThermometer(temperatureGrid(0.5, 10.25, 0.025));
const flows = ensembles.map((ensemble, t) => {
  const summary = summarizeEnsemble(ensemble);
  let configs: Int8Array = ensemble.configs;
  let shape = [L, L];
  const levelTemps: { L: number; reading: TemperatureReading }[] = [];
  const rng = deriveRng(seed, 'majority', t);
  for (let level = 0; level <= levels; level++) {
    levelTemps.push({ L: shape[0]!, reading: thermometer(Float64Array.from(configs), shape) });
    if (level < levels) {
      const next = blockMajority(configs, shape, 2, rng);
      configs = next.data;
      shape = next.shape;
    }
  }
  const first = levelTemps[0]!.reading;
  const last = levelTemps[levelTemps.length - 1]!.reading;
  const expected = temperatures[t]! < ISING_TC ? 'down' : 'up';
  // a flow with an end beyond the thermometer's grid has no measured direction: it is not judged
  const verdict =
    Math.abs(temperatures[t]! - ISING_TC) < 1e-9
      ? 'at Tc (not judged)'
      : !first.inRange || !last.inRange
        ? 'out of range (not judged)'
        : (expected === 'down' ? last.temperature < first.temperature : last.temperature > first.temperature)
          ? 'agrees'
          : 'disagrees';
  return {
    temperature: temperatures[t]!,
    energy: summary.energy,
    exactEnergy: kaufmanTorus(L, temperatures[t]!).energy,
    absMagnetization: summary.absMagnetization,
    levels: levelTemps,
    verdict,
  };
});

const judged = flows.filter((f) => f.verdict === 'agrees' || f.verdict === 'disagrees');
const result = {
  id: 'demo-E3-RG',
  title: 'Block-spin RG temperature flow of the 2D Ising model (majority rule, b = 2)',
  parameters: { L, samples, levels, temperatures, sampler: 'wolff', rule: 'majority' },
  seed,
  version: VERSION,
  seconds: (performance.now() - t0) / 1000,
  flows,
  expectation: 'Tc unstable: T < Tc flows down, T > Tc flows up',
  judged: judged.length,
  notJudged: flows.length - judged.length,
  agrees: judged.length > 0 && judged.every((f) => f.verdict === 'agrees'),
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const rows = flows.map((f) => [
    f.temperature.toFixed(3),
    pm(f.energy.mean, f.energy.error),
    f.exactEnergy.toFixed(5),
    ...f.levels.map((l) => formatReading(l.reading)),
    f.verdict,
  ]);
  const header = [
    'T',
    '<e> (MC)',
    '<e> exact (Kaufman)',
    ...flows[0]!.levels.map((l) => `T at L=${l.L}`),
    'verdict',
  ];
  const table = markdownTable(header, rows);
  const plot = linePlot({
    title: 'Block-spin RG flow of the temperature',
    xLabel: 'RG step (L -> L/2)',
    yLabel: 'temperature (exact-energy thermometer)',
    series: flows.map((f) => ({
      x: f.levels.map((_, i) => i),
      ...readingSeries(f.levels.map((l) => l.reading)),
      label: `T0 = ${f.temperature.toFixed(3)}`,
      style: 'both' as const,
    })),
    referenceLines: [{ y: ISING_TC, label: 'Tc' }],
  });
  const report = `# ${result.title}\n\nL = ${L}, ${samples} Wolff samples per temperature, seed ${seed}, coarsegrain ${VERSION}, ${result.seconds.toFixed(1)} s.\n\n${table}\n\nExpectation: ${result.expectation}. Agrees: ${result.agrees ? 'yes' : 'no'} (${result.judged} flows judged; ${result.notJudged} not judged: at Tc, or an end beyond the thermometer grid 0.5..10.25).\n`;
  const folder = writeResults(out, result, { 'flow.svg': plot }, report);
  process.stdout.write(
    `${table}\n\nExpected: ${result.expectation} -> ${result.agrees ? 'observed' : 'NOT observed'} in ${result.judged} judged flows (${result.notJudged} not judged: at Tc or beyond the thermometer grid)\n`,
  );
  process.stdout.write(
    `wrote ${folder}/{result.json,flow.svg,report.md} in ${result.seconds.toFixed(1)} s\n`,
  );
}
