/**
 * 2D Ising samplers: our checkerboard Metropolis and heat bath (both backends), Wolff and Swendsen-Wang beside
 * straightforward reference implementations (neighbour table, `rng.uniform()` per draw, `Math.exp` per
 * attempt, JS-array stacks) measured in the same run, and Metropolis and Wolff beside the plain scalar C of
 * ../shared/anchors/ising_ref.c (gcc -O3 -march=native, same run, median of its 5 repetitions like our
 * median). All at T = Tc, equilibrated before timing; each timed run ends with a sanity check of the
 * configuration (spins +-1, energy in range).
 */
import { createRng, type Rng } from '../src/core/rng.js';
import { ISING_TC } from '../src/lattice/exact2d.js';
import { createIsing2D, ising2dEnergyKernel } from '../src/lattice/ising2d.js';
import { squareNeighbors } from '../src/lattice/square.js';
import { createHeatBathUpdater } from '../src/sampling/heatBath.js';
import { createMetropolisUpdater } from '../src/sampling/metropolis.js';
import { createSwendsenWangUpdater } from '../src/sampling/swendsenWang.js';
import type { Updater } from '../src/sampling/types.js';
import { createWolffUpdater } from '../src/sampling/wolff.js';
import { type Benchmark, type BenchRow, bySize, reps } from './harness.js';
import { cReference } from './reference.js';

const BETA = 1 / ISING_TC;

/**
 * Median wall time and median CPU time (user + system of this process) in seconds of `fn` over `repeats`
 * runs after one warm-up. On a shared machine the CPU-time rate is the better estimate of what one idle
 * core would do; both are printed.
 */
function timeBoth(fn: () => void, repeats: number): { wall: number; cpu: number } {
  fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < reps(repeats); i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    walls.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
  }
  walls.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return { wall: walls[walls.length >> 1]!, cpu: cpus[cpus.length >> 1]! };
}

/** Lattice sizes of the 2D rows (tiny in smoke mode). */
const SIZES = bySize([64, 256], [16, 32]);

/**
 * Our wall-time rate beside the C reference run as `ising_ref ...args` (median of its 5 repetitions), or
 * ours alone with the reason when gcc or ising_ref.c is missing.
 */
function cRow(label: string, ours: number, args: readonly string[], unit: string, target?: number): BenchRow {
  const c = cReference(args);
  return {
    case: `${label} vs C (wall)`,
    ours,
    reference: 'missing' in c ? Number.NaN : c.median,
    referenceLabel: 'missing' in c ? `(${c.missing})` : `C ising_ref ${args.join(' ')} (median)`,
    unit,
    higherIsBetter: true,
    ...(target === undefined ? {} : { target }),
  };
}

function pairRows(
  label: string,
  work: number,
  refWork: number,
  ours: { wall: number; cpu: number },
  ref: { wall: number; cpu: number },
  rest: Omit<BenchRow, 'case' | 'ours' | 'reference'>,
): BenchRow[] {
  return [
    { case: `${label} (wall)`, ours: work / ours.wall, reference: refWork / ref.wall, ...rest },
    { case: `${label} (per CPU-s)`, ours: work / ours.cpu, reference: refWork / ref.cpu, ...rest },
  ];
}

function check(spins: Int8Array, L: number, where: string): void {
  let ok = true;
  for (let i = 0; i < spins.length; i++) if (spins[i] !== 1 && spins[i] !== -1) ok = false;
  const e = ising2dEnergyKernel(spins, L, 1, 0) / (L * L);
  if (!ok || !(e >= -2 && e <= -0.5)) throw new Error(`${where}: bad configuration (e = ${e})`);
}

function randomSpins(n: number, rng: Rng): Int8Array {
  const s = new Int8Array(n);
  for (let i = 0; i < n; i++) s[i] = rng.uniform() < 0.5 ? 1 : -1;
  return s;
}

/** Reference Metropolis: typewriter order, neighbour table, Math.exp and rng.uniform() per attempt. */
function referenceMetropolis(spins: Int8Array, nb: Int32Array, beta: number, rng: Rng): number {
  let flipped = 0;
  for (let i = 0; i < spins.length; i++) {
    const nn = spins[nb[4 * i]!]! + spins[nb[4 * i + 1]!]! + spins[nb[4 * i + 2]!]! + spins[nb[4 * i + 3]!]!;
    const dE = 2 * spins[i]! * nn;
    if (dE <= 0 || rng.uniform() < Math.exp(-beta * dE)) {
      spins[i] = -spins[i]!;
      flipped++;
    }
  }
  return flipped;
}

function referenceHeatBath(spins: Int8Array, nb: Int32Array, beta: number, rng: Rng): void {
  for (let i = 0; i < spins.length; i++) {
    const nn = spins[nb[4 * i]!]! + spins[nb[4 * i + 1]!]! + spins[nb[4 * i + 2]!]! + spins[nb[4 * i + 3]!]!;
    spins[i] = rng.uniform() < 1 / (1 + Math.exp(-2 * beta * nn)) ? 1 : -1;
  }
}

/** Reference Wolff: JS array stack, rng.uniform() per bond test. Returns the cluster size. */
function referenceWolff(spins: Int8Array, nb: Int32Array, p: number, rng: Rng): number {
  const seed = Math.floor(rng.uniform() * spins.length);
  const s = spins[seed]!;
  spins[seed] = -s;
  const stack = [seed];
  let size = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    for (let d = 0; d < 4; d++) {
      const j = nb[4 * i + d]!;
      if (spins[j] === s && rng.uniform() < p) {
        spins[j] = -s;
        stack.push(j);
        size++;
      }
    }
  }
  return size;
}

/** Reference Swendsen-Wang: bond list in a JS array, labels by depth-first search, rng.uniform(). */
function referenceSwendsenWang(spins: Int8Array, nb: Int32Array, p: number, rng: Rng): void {
  const n = spins.length;
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const d of [0, 2]) {
      const j = nb[4 * i + d]!;
      if (spins[i] === spins[j] && rng.uniform() < p) {
        adjacency[i]!.push(j);
        adjacency[j]!.push(i);
      }
    }
  }
  const label = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (label[i] !== -1) continue;
    const flip = rng.uniform() < 0.5;
    const stack = [i];
    label[i] = i;
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (flip) spins[k] = -spins[k]!;
      for (const j of adjacency[k]!) {
        if (label[j] === -1) {
          label[j] = i;
          stack.push(j);
        }
      }
    }
  }
}

function localRows(
  label: string,
  make: (L: number) => Updater,
  reference: (spins: Int8Array, nb: Int32Array, rng: Rng) => void,
  target: number | undefined,
  unit: string,
  referenceLabel: string,
  oursScale = 1,
  cMode?: string,
): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const L of SIZES) {
    const n = L * L;
    const sweeps = bySize(L === 64 ? 400 : 25, 10);
    const oursSweeps = sweeps * bySize(oursScale, 1); // a fast kernel runs longer so that CPU time is measurable
    const rng = createRng(1);
    const updater = make(L);
    const spins = randomSpins(n, rng);
    for (let k = 0; k < bySize(200, 20); k++) updater.step(spins, rng);
    const ours = timeBoth(() => {
      for (let k = 0; k < oursSweeps; k++) updater.step(spins, rng);
      check(spins, L, `${label} L=${L}`);
    }, 5);
    const nb = squareNeighbors(L);
    const refSpins = spins.slice();
    const ref = timeBoth(() => {
      for (let k = 0; k < sweeps; k++) reference(refSpins, nb, rng);
      check(refSpins, L, `${label} reference L=${L}`);
    }, 3);
    rows.push(
      ...pairRows(`${label} L=${L} T=Tc`, n * oursSweeps, n * sweeps, ours, ref, {
        referenceLabel,
        unit,
        higherIsBetter: true,
        ...(target === undefined ? {} : { target }),
      }),
    );
    if (cMode !== undefined) {
      // ising_ref's default work per repetition is ~2e8 attempts; 100 sweeps in smoke mode
      const args = [cMode, String(L), ...bySize<string[]>([], ['100'])];
      rows.push(cRow(`${label} L=${L} T=Tc`, (n * oursSweeps) / ours.wall, args, unit, target));
    }
  }
  return rows;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ising2d-metropolis',
    run: () => [
      // default backend (WebAssembly SIMD under Node), then the TypeScript kernel (backend 'js')
      ...localRows(
        'checkerboard metropolis',
        (L) => createMetropolisUpdater(createIsing2D({ L }), BETA),
        (s, nb, rng) => referenceMetropolis(s, nb, BETA, rng),
        3e8,
        'attempts/s',
        'typewriter, Math.exp + rng.uniform per attempt',
        20,
        'metropolis',
      ),
      ...localRows(
        'checkerboard metropolis, js backend',
        (L) => createMetropolisUpdater(createIsing2D({ L }), BETA, { backend: 'js' }),
        (s, nb, rng) => referenceMetropolis(s, nb, BETA, rng),
        undefined,
        'attempts/s',
        'typewriter, Math.exp + rng.uniform per attempt',
      ),
    ],
  },
  {
    name: 'ising2d-heatbath',
    run: () => [
      // default backend (WebAssembly SIMD under Node), then the TypeScript kernel (backend 'js')
      ...localRows(
        'heat bath',
        (L) => createHeatBathUpdater(createIsing2D({ L }), BETA),
        (s, nb, rng) => referenceHeatBath(s, nb, BETA, rng),
        undefined,
        'site updates/s',
        'typewriter, Math.exp + rng.uniform per site',
        20,
      ),
      ...localRows(
        'heat bath, js backend',
        (L) => createHeatBathUpdater(createIsing2D({ L }), BETA, { backend: 'js' }),
        (s, nb, rng) => referenceHeatBath(s, nb, BETA, rng),
        undefined,
        'site updates/s',
        'typewriter, Math.exp + rng.uniform per site',
      ),
    ],
  },
  {
    name: 'ising2d-swendsen-wang',
    run: () =>
      localRows(
        'swendsen-wang',
        (L) => createSwendsenWangUpdater(createIsing2D({ L }), BETA),
        (s, nb, rng) => referenceSwendsenWang(s, nb, -Math.expm1(-2 * BETA), rng),
        undefined,
        'site updates/s',
        'JS-array bond graph + DFS labels, rng.uniform',
      ),
  },
  {
    name: 'ising2d-wolff',
    run() {
      const rows: BenchRow[] = [];
      const p = -Math.expm1(-2 * BETA);
      for (const L of SIZES) {
        const n = L * L;
        const rng = createRng(2);
        const updater = createWolffUpdater(createIsing2D({ L }), BETA);
        const spins = new Int8Array(n).fill(1); // a cold start equilibrates fast at Tc; a hot one does not
        for (let k = 0; k < bySize(200, 20); k++) updater.step(spins, rng);
        const steps = bySize(L === 64 ? 400 : 25, 10);
        let flipped = 0;
        const ours = timeBoth(() => {
          flipped = 0;
          for (let k = 0; k < steps; k++) flipped += updater.step(spins, rng);
          check(spins, L, `wolff L=${L}`);
        }, 5);
        const nb = squareNeighbors(L);
        const refSpins = spins.slice();
        let refFlipped = 0;
        const ref = timeBoth(() => {
          refFlipped = 0;
          while (refFlipped < steps * n) refFlipped += referenceWolff(refSpins, nb, p, rng);
          check(refSpins, L, `wolff reference L=${L}`);
        }, 3);
        rows.push(
          ...pairRows(`wolff L=${L} T=Tc`, flipped, refFlipped, ours, ref, {
            referenceLabel: 'JS-array stack, rng.uniform per bond',
            unit: 'spins flipped/s',
            higherIsBetter: true,
            target: 4e7,
          }),
        );
        // issue 15: at least 1.0x C at L = 256 (ising_ref: 5e7 flipped spins per repetition; 1e5 in smoke)
        const args = ['wolff', String(L), ...bySize<string[]>([], ['100000'])];
        rows.push(cRow(`wolff L=${L} T=Tc`, flipped / ours.wall, args, 'spins flipped/s', 4e7));
      }
      return rows;
    },
  },
];
