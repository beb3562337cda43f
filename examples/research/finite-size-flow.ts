/**
 * Your own experiment 1: the RBM flow at several lattice sizes. For each L, Wolff-sample the 2D Ising
 * model at Tc, train a +-1 RBM (L^2 visible, L^2 hidden, PCD-1, the thesis' Adam), run the stochastic
 * flow v -> h -> v' (rbmFlowEnsemble) and read every step with the exact-energy thermometer of the L x L
 * torus. A reading beyond the thermometer's grid is printed and saved as such (a bound), never as a
 * temperature.
 * Usage: node --import tsx examples/research/finite-size-flow.ts [--tiny] [--sizes 6,8,10]
 *   [--samples 4000] [--epochs 40] [--steps 20] [--seed 1] [--out results/research/finite-size-flow]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createIsing2D,
  createRbm,
  deriveRng,
  ensembleMatrix,
  type FlowLevel,
  flowLevels,
  formatReading,
  ISING_TC,
  kaufmanLevelThermometer,
  type Progress,
  rbmFlowEnsemble,
  sampleEnsemble,
  temperatureGrid,
  trainRbm,
} from 'coarsegrain';

const flags = ['sizes', 'samples', 'epochs', 'steps', 'seed', 'out'];
const options = Object.fromEntries(flags.map((name) => [name, { type: 'string' as const }]));
const values: Record<string, unknown> = parseArgs({
  options: { ...options, tiny: { type: 'boolean' } },
}).values;
const arg = (name: string, full: string, tiny: string) => String(values[name] ?? (values.tiny ? tiny : full));
const sizes = arg('sizes', '6,8,10', '4,6').split(',').map(Number);
const [samples, epochs] = [Number(arg('samples', '4000', '400')), Number(arg('epochs', '40', '4'))];
const [steps, seed] = [Number(arg('steps', '20', '4')), Number(arg('seed', '1', '1'))];
const out = String(values.out ?? 'results/research/finite-size-flow');

/** A one-line progress bar on stderr (the library reports, the script draws). */
const bar = (label: string) => (p: Progress) => {
  const fill = Math.round((20 * p.done) / p.total);
  if (p.done % Math.ceil(p.total / 20) !== 0 && p.done !== p.total) return;
  process.stderr.write(
    `\r${`${label} ${p.stage}`.padEnd(20)} [${'#'.repeat(fill).padEnd(20, '.')}] ${p.done}/${p.total}`,
  );
  if (p.done === p.total) process.stderr.write('\n');
};

// One thermometer for every size: Kaufman's exact energy of the L x L torus on a fine grid 0.5..10 J.
const grid = temperatureGrid(0.5, 10, 0.025);
const thermometer = kaufmanLevelThermometer(grid);
const results: { L: number; levels: FlowLevel[] }[] = [];
for (const L of sizes) {
  const rng = deriveRng(seed, 'data', L);
  const sampling = { temperature: ISING_TC, samples, burnIn: 200, thin: 2, sampler: 'wolff', rng } as const;
  const data = sampleEnsemble(createIsing2D({ L }), { ...sampling, onProgress: bar(`L=${L}`) });
  const rbm = createRbm({ nVisible: L * L, nHidden: L * L, rng: deriveRng(seed, 'init', L) });
  const train = { epochs, batchSize: 100, method: 'pcd', rng: deriveRng(seed, 'train', L) } as const;
  const { model } = trainRbm(rbm, ensembleMatrix(data), train, { onProgress: bar(`L=${L}`) });
  // The flow v -> h -> v', every step (0 = the data) read by the thermometer, energy with a jackknife error;
  // flowLevels keeps each step as plain data (a reading out of range stays a bound, never a number).
  const flowRng = deriveRng(seed, 'flow', L);
  const flow = rbmFlowEnsemble(model, data.configs, [L, L], {
    steps,
    thermometer,
    keepConfigs: false,
    rng: flowRng,
  });
  results.push({ L, levels: flowLevels(flow) });
  for (const l of results.at(-1)!.levels)
    console.log(`L = ${L}  step ${String(l.level).padStart(2)}  T = ${formatReading(l.temperature)}`);
}

mkdirSync(out, { recursive: true });
const config = { sizes, samples, epochs, steps, seed, grid: [grid[0], grid.at(-1)], tc: ISING_TC };
writeFileSync(join(out, 'result.json'), `${JSON.stringify({ config, results }, null, 2)}\n`);
console.log(`wrote ${join(out, 'result.json')}`);
