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
  curveFromFunction,
  deriveRng,
  ISING_TC,
  kaufmanTorus,
  linePlot,
  observableThermometer,
  sampleEnsembles,
  summarizeEnsemble,
  VERSION,
} from 'coarsegrain';
import { markdownTable, numberFlag, parseCli, pm, progressBar, writeResults } from './lib/cli.js';

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

// Thermometer grid: exact Kaufman energies per level size (monotone in T).
const grid = Array.from({ length: 391 }, (_, i) => 0.5 + i * 0.025); // 0.5 .. 10.25
const flows = ensembles.map((ensemble, t) => {
  const summary = summarizeEnsemble(ensemble);
  let configs: Int8Array = ensemble.configs;
  let shape = [L, L];
  const levelTemps: { L: number; temperature: number; error: number }[] = [];
  const rng = deriveRng(seed, 'majority', t);
  for (let level = 0; level <= levels; level++) {
    const side = shape[0]!;
    const curve = curveFromFunction((T) => kaufmanTorus(side, T).energy, grid);
    const estimate = observableThermometer(configs, shape, curve);
    levelTemps.push({ L: side, temperature: estimate.temperature, error: estimate.error });
    if (level < levels) {
      const next = blockMajority(configs, shape, 2, rng);
      configs = next.data;
      shape = next.shape;
    }
  }
  return {
    temperature: temperatures[t]!,
    energy: summary.energy,
    exactEnergy: kaufmanTorus(L, temperatures[t]!).energy,
    absMagnetization: summary.absMagnetization,
    levels: levelTemps,
  };
});

const result = {
  id: 'demo-E3-RG',
  title: 'Block-spin RG temperature flow of the 2D Ising model (majority rule, b = 2)',
  parameters: { L, samples, levels, temperatures, sampler: 'wolff', rule: 'majority' },
  seed,
  version: VERSION,
  seconds: (performance.now() - t0) / 1000,
  flows,
  expectation: 'Tc unstable: T < Tc flows down, T > Tc flows up',
  agrees: flows.every((f) => {
    const first = f.levels[0]!.temperature;
    const last = f.levels[f.levels.length - 1]!.temperature;
    return (
      Math.abs(f.temperature - ISING_TC) < 1e-9 || (f.temperature < ISING_TC ? last < first : last > first)
    );
  }),
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const rows = flows.map((f) => [
    f.temperature.toFixed(3),
    pm(f.energy.mean, f.energy.error),
    f.exactEnergy.toFixed(5),
    ...f.levels.map((l) => pm(l.temperature, l.error)),
  ]);
  const header = ['T', '<e> (MC)', '<e> exact (Kaufman)', ...flows[0]!.levels.map((l) => `T at L=${l.L}`)];
  const table = markdownTable(header, rows);
  const plot = linePlot({
    title: 'Block-spin RG flow of the temperature',
    xLabel: 'RG step (L -> L/2)',
    yLabel: 'temperature (exact-energy thermometer)',
    series: flows.map((f) => ({
      x: f.levels.map((_, i) => i),
      y: f.levels.map((l) => l.temperature),
      yError: f.levels.map((l) => l.error),
      label: `T0 = ${f.temperature.toFixed(3)}`,
      style: 'both' as const,
    })),
    referenceLines: [{ y: ISING_TC, label: 'Tc' }],
  });
  const report = `# ${result.title}\n\nL = ${L}, ${samples} Wolff samples per temperature, seed ${seed}, coarsegrain ${VERSION}, ${result.seconds.toFixed(1)} s.\n\n${table}\n\nExpectation: ${result.expectation}. Agrees: ${result.agrees ? 'yes' : 'no'}.\n`;
  const folder = writeResults(out, result, { 'flow.svg': plot }, report);
  process.stdout.write(
    `${table}\n\nExpected: ${result.expectation} -> ${result.agrees ? 'observed' : 'NOT observed'}\n`,
  );
  process.stdout.write(
    `wrote ${folder}/{result.json,flow.svg,report.md} in ${result.seconds.toFixed(1)} s\n`,
  );
}
