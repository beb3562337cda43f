/**
 * Your own experiment 2: are an RBM's hidden units local coarse-graining maps, like a block-spin RG step?
 * Wolff-sample the 2D Ising model at Tc on an L x L torus, train a +-1 RBM with (L/b)^2 hidden units, and
 * compare its input-output correlators <v_i h_a> (h = E[h | v]) with those of the b x b block average.
 * Each hidden unit's map on the lattice is measured by mapsLocality with baseline 'min' (at Tc the raw
 * maps sit on a uniform background ~ <m^2> that hides the local part). A uniform b x b patch has radius of
 * gyration sqrt((b^2 - 1) / 6); a map spread over the whole torus sqrt((L^2 - 1) / 6).
 * Usage: node --import tsx examples/research/rbm-vs-block-maps.ts [--tiny] [--L 16] [--b 2]
 *   [--samples 4000] [--epochs 30] [--seed 1] [--out results/research/rbm-vs-block-maps]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  blockAverage,
  createIsing2D,
  createRbm,
  deriveRng,
  ensembleMatrix,
  hiddenMeans,
  ISING_TC,
  type MapsLocality,
  mapsLocality,
  type Progress,
  sampleEnsemble,
  trainRbm,
} from 'coarsegrain';

const flags = ['L', 'b', 'samples', 'epochs', 'seed', 'out'];
const options = Object.fromEntries(flags.map((name) => [name, { type: 'string' as const }]));
const values: Record<string, unknown> = parseArgs({
  options: { ...options, tiny: { type: 'boolean' } },
}).values;
const num = (name: string, full: number, tiny: number) => Number(values[name] ?? (values.tiny ? tiny : full));
const [L, b, samples] = [num('L', 16, 8), num('b', 2, 2), num('samples', 4000, 600)];
const [epochs, seed] = [num('epochs', 30, 6), num('seed', 1, 1)];
const out = String(values.out ?? 'results/research/rbm-vs-block-maps');
const log = (label: string) => (p: Progress) => {
  const metrics = p.metrics ? ` ${JSON.stringify(p.metrics)}` : '';
  if (p.done === p.total || p.done % Math.ceil(p.total / 5) === 0)
    console.log(`${label} ${p.stage} ${p.done}/${p.total}${metrics}`);
};

const sampling = { temperature: ISING_TC, samples, burnIn: 200, thin: 2, sampler: 'wolff' } as const;
const data = sampleEnsemble(createIsing2D({ L }), {
  ...sampling,
  rng: deriveRng(seed, 'data'),
  onProgress: log('data'),
});
const v = ensembleMatrix(data); // samples x sites Int8Array spins: the models convert them themselves
const nHidden = (L / b) ** 2;
const rbm = createRbm({ nVisible: L * L, nHidden, rng: deriveRng(seed, 'init') });
const train = { epochs, batchSize: 100, method: 'pcd', rng: deriveRng(seed, 'train') } as const;
const { model } = trainRbm(rbm, v, train, { onProgress: log('rbm') });

const maps = {
  block: mapsLocality(v, blockAverage(v.data, [L, L], b), [L, L], { baseline: 'min' }),
  rbm: mapsLocality(v, hiddenMeans(model, v), [L, L], { baseline: 'min' }),
};
const summary = (m: MapsLocality) => ({
  radiusOfGyration: m.radiusOfGyration,
  participationRatio: m.participationRatio,
  autocorrelationR1: m.autocorrelationR1,
  centres: m.perMap.map((c) => c.centre), // per hidden unit, [row, column] in lattice units
});
const reference = { patch: Math.sqrt((b * b - 1) / 6), uniform: Math.sqrt((L * L - 1) / 6) };
for (const [name, m] of Object.entries(maps)) {
  const [r, p] = [m.radiusOfGyration, m.participationRatio];
  const rg = `${r.mean.toFixed(3)} ± ${r.error.toFixed(3)} (spread ${r.spread.toFixed(3)})`;
  console.log(`${name.padEnd(5)} radius of gyration ${rg}, participation ratio ${p.mean.toFixed(4)}`);
}
const [patch, torus] = [reference.patch.toFixed(3), reference.uniform.toFixed(3)];
console.log(`radius of gyration of a ${b} x ${b} patch ${patch}, of the whole torus ${torus}`);

mkdirSync(out, { recursive: true });
const config = { L, b, samples, epochs, seed, nHidden };
const result = { config, reference, block: summary(maps.block), rbm: summary(maps.rbm) };
writeFileSync(join(out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${join(out, 'result.json')}`);
