/**
 * Monte Carlo observables of the 2D Ising model or the long-range chain, beside exact values where they
 * are known (exact enumeration for L <= 4 / N <= 16; Kaufman's finite-torus energy and specific heat for
 * larger 2D lattices).
 *
 *   npx tsx examples/ising-observables.ts --model ising2d --L 16 --T 2.269 --sampler wolff --samples 5000
 *   npx tsx examples/ising-observables.ts --model lrchain --N 12 --sigma 0.5 --T 4 --json
 *
 * With --json: one JSON object { energy, absMagnetization, magnetization2, specificHeat, susceptibility,
 * binder, tauInt, exact } with each observable as { "mean": x, "error": e } (energies per site) and
 * `exact` holding the exact values known for this model and size ({} if none).
 */
import { parseArgs } from 'node:util';
import {
  CoarseGrainError,
  createIsing2D,
  createLongRangeChain,
  createRng,
  enumerateIsing2D,
  enumerateLongRangeChain,
  ISING_TC,
  kaufmanTorus,
  type LatticeModel,
  type SamplerName,
  sampleEnsemble,
  summarizeEnsemble,
} from 'coarsegrain';
import { pm, progressBar } from './lib/cli.js';

const USAGE = `usage: npx tsx examples/ising-observables.ts [options]
  --model ising2d|lrchain   model (default ising2d)
  --L n                     2D lattice size (default 16)
  --N n                     chain length (default 64)
  --sigma s                 long-range exponent in (0, 2] (default 0.5)
  --T t                     temperature (default Tc = 2.269 for ising2d, 4.5 for lrchain)
  --sampler name            metropolis|heatbath|wolff|swendsen-wang (ising2d), lr-metropolis|lr-cluster (lrchain)
  --samples n               samples kept (default 5000)
  --burn-in n               burn-in steps (default 500)
  --thin n|auto             steps between samples (default 1)
  --seed s                  seed (default 1)
  --json                    print one JSON object instead of a table`;

const KEYS = [
  'energy',
  'absMagnetization',
  'magnetization2',
  'specificHeat',
  'susceptibility',
  'binder',
] as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function num(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x))
    fail(`--${name}: expected a number, received ${JSON.stringify(raw)}`);
  return x;
}

function main(): void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string', default: 'ising2d' },
        L: { type: 'string' },
        N: { type: 'string' },
        sigma: { type: 'string' },
        T: { type: 'string' },
        sampler: { type: 'string' },
        samples: { type: 'string' },
        'burn-in': { type: 'string' },
        thin: { type: 'string' },
        seed: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const kind = values.model as string;
  if (kind !== 'ising2d' && kind !== 'lrchain')
    fail(`--model: expected ising2d or lrchain, received ${JSON.stringify(kind)}`);
  const model: LatticeModel =
    kind === 'ising2d'
      ? createIsing2D({ L: num(values.L as string, 'L', 16) })
      : createLongRangeChain({
          N: num(values.N as string, 'N', 64),
          sigma: num(values.sigma as string, 'sigma', 0.5),
        });
  const temperature = num(values.T as string, 'T', kind === 'ising2d' ? ISING_TC : 4.5);
  const seedText = values.seed as string;
  const seed = /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;
  const thinRaw = values.thin as string | undefined;
  const thin = thinRaw === 'auto' ? 'auto' : num(thinRaw, 'thin', 1);
  const json = values.json === true;

  const ensemble = sampleEnsemble(model, {
    temperature,
    sampler: values.sampler as SamplerName | undefined,
    samples: num(values.samples as string, 'samples', 5000),
    burnIn: num(values['burn-in'] as string, 'burn-in', 500),
    thin,
    rng: createRng(seed),
    onProgress: json ? undefined : progressBar(`${kind} T=${temperature.toPrecision(4)}`),
  });
  const summary = summarizeEnsemble(ensemble);

  const exact: Partial<Record<(typeof KEYS)[number], number>> = {};
  let exactSource = '';
  if (model.kind === 'ising2d' && model.L <= 4 && model.J === 1) {
    const e = enumerateIsing2D(model.L, temperature, model.h);
    Object.assign(exact, {
      energy: e.energy,
      absMagnetization: e.absMagnetization,
      magnetization2: e.magnetization2,
      specificHeat: e.specificHeat,
      susceptibility: e.susceptibility,
      binder: 1 - e.magnetization4 / (3 * e.magnetization2 ** 2),
    });
    exactSource = 'exact enumeration';
  } else if (model.kind === 'ising2d' && model.J === 1 && model.h === 0) {
    const k = kaufmanTorus(model.L, temperature);
    Object.assign(exact, { energy: k.energy, specificHeat: k.specificHeat });
    exactSource = 'Kaufman finite torus';
  } else if (model.kind === 'lrchain' && model.N <= 16) {
    const e = enumerateLongRangeChain(model, temperature);
    for (const key of KEYS) exact[key] = e[key];
    exactSource = 'exact enumeration';
  }

  if (json) {
    const out: Record<string, unknown> = {};
    for (const key of KEYS) out[key] = summary[key];
    out.tauInt = summary.tauInt;
    out.exact = exact;
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const size = model.kind === 'ising2d' ? `L = ${model.L}` : `N = ${model.N}, sigma = ${model.sigma}`;
  process.stdout.write(
    `\n${kind} ${size}, T = ${temperature}, sampler ${ensemble.sampler}, ${ensemble.shape[0]} samples, thin ${ensemble.thin}, burn-in ${ensemble.burnIn}\n\n`,
  );
  const rows: string[][] = [['observable', 'Monte Carlo', exactSource || 'exact', 'deviation']];
  for (const key of KEYS) {
    const { mean, error } = summary[key];
    const x = exact[key];
    rows.push([
      key,
      pm(mean, error),
      x === undefined ? '-' : x.toPrecision(8),
      x === undefined || !(error > 0) ? '-' : `${((mean - x) / error).toFixed(2)} sigma`,
    ]);
  }
  rows.push(['tauInt (energy)', pm(summary.tauInt.mean, summary.tauInt.error), '-', '-']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, r] of rows.entries()) {
    process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
}

try {
  main();
} catch (e) {
  if (e instanceof CoarseGrainError) fail(`${e.name}: ${e.message}`);
  throw e;
}
