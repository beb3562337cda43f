import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { aleaRegistersOf, createRng, type Rng } from '../../src/core/rng.js';
import { binningAnalysis } from '../../src/core/stats.js';
import {
  createLongRangeChain,
  enumerateLongRangeChain,
  longRangeEnergyKernel,
  longRangeLocalFieldsKernel,
} from '../../src/lattice/longRangeChain.js';
import type { LongRangeChain } from '../../src/lattice/types.js';
import { createLongRangeClusterUpdater } from '../../src/sampling/longRangeCluster.js';
import {
  acceptMetropolisKernel,
  createLongRangeMetropolisUpdater,
  quantizedDoubledCouplings,
} from '../../src/sampling/longRangeMetropolis.js';
import type { Updater } from '../../src/sampling/types.js';
import { chiSquare, chiSquareCritical } from './helpers.js';

function series(model: LongRangeChain, updater: Updater, seed: number, steps: number, burnIn: number) {
  const rng = createRng(seed);
  const N = model.N;
  const spins = new Int8Array(N);
  for (let i = 0; i < N; i++) spins[i] = rng.uniform() < 0.5 ? 1 : -1;
  for (let k = 0; k < burnIn; k++) updater.step(spins, rng);
  const energy = new Float64Array(steps);
  const absM = new Float64Array(steps);
  const m2 = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    updater.step(spins, rng);
    let m = 0;
    for (let i = 0; i < N; i++) m += spins[i]!;
    m /= N;
    energy[k] = longRangeEnergyKernel(model, spins) / N;
    absM[k] = Math.abs(m);
    m2[k] = m * m;
  }
  return { energy, absM, m2 };
}

function z(x: Float64Array, exact: number): number {
  const b = binningAnalysis(x);
  return Math.abs(b.mean - exact) / b.error;
}

const cases = [
  { N: 10, sigma: 0.5, temperatures: [2.5, 4.5, 8] },
  { N: 12, sigma: 1.5, temperatures: [1.2, 2.2] },
];

describe('long-range samplers agree with exact enumeration (within 4 binning standard errors)', () => {
  for (const { N, sigma, temperatures } of cases) {
    const model = createLongRangeChain({ N, sigma });
    for (const T of temperatures) {
      const exact = enumerateLongRangeChain(model, T);
      it(`N = ${N}, sigma = ${sigma}, T = ${T}: Metropolis`, () => {
        const s = series(model, createLongRangeMetropolisUpdater(model, 1 / T), 1, 40_000, 500);
        expect(z(s.energy, exact.energy)).toBeLessThan(4);
        expect(z(s.absM, exact.absMagnetization)).toBeLessThan(4);
        expect(z(s.m2, exact.magnetization2)).toBeLessThan(4);
      });
      it(`N = ${N}, sigma = ${sigma}, T = ${T}: Luijten-Bloete cluster`, () => {
        const s = series(model, createLongRangeClusterUpdater(model, 1 / T), 2, 40_000, 500);
        expect(z(s.energy, exact.energy)).toBeLessThan(4);
        expect(z(s.absM, exact.absMagnetization)).toBeLessThan(4);
        expect(z(s.m2, exact.magnetization2)).toBeLessThan(4);
      });
    }
  }
});

/** Visit counts of all 2^N states (bit i set = spin +1), sampled every `thin` steps. */
function visits(updater: Updater, N: number, seed: number, samples: number, thin: number): Float64Array {
  const rng = createRng(seed);
  const spins = new Int8Array(N).fill(1);
  const counts = new Float64Array(2 ** N);
  for (let k = 0; k < 100; k++) updater.step(spins, rng);
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < thin; k++) updater.step(spins, rng);
    let code = 0;
    for (let i = 0; i < N; i++) if (spins[i] === 1) code |= 1 << i;
    counts[code]!++;
  }
  return counts;
}

function boltzmann(model: LongRangeChain, beta: number): Float64Array {
  const N = model.N;
  const p = new Float64Array(2 ** N);
  const spins = new Int8Array(N);
  let zsum = 0;
  for (let c = 0; c < p.length; c++) {
    for (let i = 0; i < N; i++) spins[i] = (c >>> i) & 1 ? 1 : -1;
    p[c] = Math.exp(-beta * longRangeEnergyKernel(model, spins));
    zsum += p[c]!;
  }
  for (let c = 0; c < p.length; c++) p[c]! /= zsum;
  return p;
}

describe('detailed balance: visit frequencies of every state match Boltzmann weights (chi-square, p > 1e-4)', () => {
  const systems = [
    { model: createLongRangeChain({ N: 4, sigma: 0.5, h: 0.3 }), T: 2, samplers: ['metropolis'] },
    { model: createLongRangeChain({ N: 5, sigma: 1 }), T: 1.5, samplers: ['metropolis', 'cluster'] },
    { model: createLongRangeChain({ N: 6, sigma: 0.3 }), T: 3, samplers: ['metropolis', 'cluster'] },
  ];
  for (const { model, T, samplers } of systems) {
    for (const sampler of samplers) {
      it(`${sampler}, N = ${model.N}, sigma = ${model.sigma}, h = ${model.h}, T = ${T}`, () => {
        const updater =
          sampler === 'metropolis'
            ? createLongRangeMetropolisUpdater(model, 1 / T)
            : createLongRangeClusterUpdater(model, 1 / T, { clustersPerStep: 1 });
        const counts = visits(updater, model.N, 7, 60_000, sampler === 'metropolis' ? 3 : 4);
        const { chi2, dof } = chiSquare(counts, boltzmann(model, 1 / T));
        expect(dof).toBeGreaterThan(4);
        expect(chi2).toBeLessThan(chiSquareCritical(dof));
      });
    }
  }
});

describe('long-range Metropolis internals', () => {
  it('keeps fields that are exactly the fields recomputed from scratch (fixed-point couplings)', () => {
    const model = createLongRangeChain({ N: 64, sigma: 0.5 });
    const updater = createLongRangeMetropolisUpdater(model, 1 / 4);
    const rng = createRng(3);
    const spins = new Int8Array(64).fill(1);
    for (let k = 0; k < 300; k++) updater.step(spins, rng);
    const fresh = longRangeLocalFieldsKernel(
      quantizedDoubledCouplings(model),
      64,
      spins,
      new Float64Array(64),
    );
    expect(Array.from(updater.fields())).toEqual(Array.from(fresh));
  });

  it('notices spins changed outside the updater and continues exactly as a fresh updater would', () => {
    const model = createLongRangeChain({ N: 32, sigma: 0.8 });
    const a = createLongRangeMetropolisUpdater(model, 0.5);
    const rngA = createRng(4);
    const spins = new Int8Array(32).fill(1);
    for (let k = 0; k < 20; k++) a.step(spins, rngA);
    spins[3] = -spins[3]!; // external change (e.g. a cluster move or a replica swap)
    spins[17] = -spins[17]!;
    const copy = spins.slice();
    const rngB = createRng(99);
    const rngA2 = createRng(99);
    a.step(spins, rngA2);
    createLongRangeMetropolisUpdater(model, 0.5).step(copy, rngB);
    expect(Array.from(spins)).toEqual(Array.from(copy));
  });

  it('rejects bad beta, bad fields for the cluster method and bad options', () => {
    const model = createLongRangeChain({ N: 8, sigma: 1 });
    expect(() => createLongRangeMetropolisUpdater(model, 0)).toThrow(
      'createLongRangeMetropolisUpdater: beta: expected a finite number > 0, received 0',
    );
    expect(() => createLongRangeClusterUpdater(createLongRangeChain({ N: 8, sigma: 1, h: 0.1 }), 1)).toThrow(
      DomainError,
    );
    expect(() => createLongRangeClusterUpdater(model, 1, { clustersPerStep: 0 })).toThrow(
      'createLongRangeClusterUpdater: options.clustersPerStep',
    );
  });

  it('cluster updater picks a fixed, deterministic clusters-per-step from (model, beta)', () => {
    const model = createLongRangeChain({ N: 128, sigma: 0.5 });
    const a = createLongRangeClusterUpdater(model, 1 / 4.5);
    const b = createLongRangeClusterUpdater(model, 1 / 4.5);
    expect(a.clustersPerStep).toBe(b.clustersPerStep);
    expect(a.clustersPerStep).toBeGreaterThanOrEqual(1);
    // high temperature: clusters are small, many per step
    expect(createLongRangeClusterUpdater(model, 1 / 50).clustersPerStep).toBeGreaterThan(50);
  });
});

describe('long-range Metropolis WebAssembly backend', () => {
  it('is available here and gives chains bit-identical to the TypeScript backend (odd and even N)', () => {
    for (const N of [33, 64, 101]) {
      const model = createLongRangeChain({ N, sigma: 0.5 });
      const wasm = createLongRangeMetropolisUpdater(model, 1 / 4);
      const js = createLongRangeMetropolisUpdater(model, 1 / 4, { backend: 'js' });
      expect(wasm.backend).toBe('wasm');
      expect(js.backend).toBe('js');
      const a = new Int8Array(N).fill(1);
      const b = new Int8Array(N).fill(1);
      const ra = createRng(N);
      const rb = createRng(N);
      for (let k = 0; k < 200; k++) {
        wasm.step(a, ra);
        js.step(b, rb);
      }
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(wasm.fields())).toEqual(Array.from(js.fields()));
    }
  });

  it('a generator of another kind (no alea registers) takes the TypeScript loop: the same chain and stream', () => {
    const N = 128;
    const model = createLongRangeChain({ N, sigma: 0.5, h: 0.05 });
    const inline = createLongRangeMetropolisUpdater(model, 1 / 4.6);
    const looped = createLongRangeMetropolisUpdater(model, 1 / 4.6);
    const ra = createRng(9);
    const inner = createRng(9);
    const rb: Rng = { ...inner }; // the same methods, but not a generator made by createRng
    expect(aleaRegistersOf(ra)).not.toBeNull();
    expect(aleaRegistersOf(rb)).toBeNull();
    const a = new Int8Array(N).fill(-1);
    const b = new Int8Array(N).fill(-1);
    let flips = 0;
    for (let k = 0; k < 50; k++) {
      const f = inline.step(a, ra);
      expect(f).toBe(looped.step(b, rb));
      flips += f;
    }
    expect(flips).toBeGreaterThan(50 * N * 0.2);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(ra.save()).toEqual(inner.save());
  });

  it('batched field updates give the chain of one full field update per accepted flip (both backends)', () => {
    // the reference: the sampler as specified, every accepted flip updating all N fields at once
    const referenceSweep = (
      model: LongRangeChain,
      beta: number,
      K: Float64Array,
      f: Float64Array,
      s: Int8Array,
      rng: Rng,
    ): number => {
      const N = model.N;
      let flipped = 0;
      for (let a = 0; a < N; a++) {
        const i = (rng.uniform() * N) | 0;
        const dE = 2 * s[i]! * (f[i]! + model.h);
        if (dE <= 0 || rng.uniform() < Math.exp(-beta * dE)) {
          const delta = -2 * s[i]!;
          s[i] = -s[i]!;
          flipped++;
          for (let j = 0; j < N; j++) f[j]! += delta * K[N - i + j]!;
        }
      }
      return flipped;
    };
    for (const [N, sigma, T, h] of [
      [40, 0.5, 2, 0],
      [64, 0.5, 4.6, 0],
      [101, 1.5, 1, 0.3],
      [300, 0.3, 30, -0.2],
      [48, 0.5, 0.05, 0.1], // beta dE beyond 40: the acceptance goes to Math.exp
    ] as const) {
      const model = createLongRangeChain({ N, sigma, h });
      const K = quantizedDoubledCouplings(model);
      for (const backend of ['auto', 'js'] as const) {
        const updater = createLongRangeMetropolisUpdater(model, 1 / T, { backend });
        const a = new Int8Array(N).fill(1);
        const b = new Int8Array(N).fill(1);
        const fields = longRangeLocalFieldsKernel(K, N, b, new Float64Array(N));
        const ra = createRng(N);
        const rb = createRng(N);
        for (let k = 0; k < 100; k++) {
          expect(updater.step(a, ra)).toBe(referenceSweep(model, 1 / T, K, fields, b, rb));
        }
        expect(Array.from(a)).toEqual(Array.from(b));
        expect(Array.from(updater.fields())).toEqual(Array.from(fields));
        expect(ra.uniform()).toBe(rb.uniform());
      }
    }
  });

  it('the Metropolis test without Math.exp decides as u < Math.exp(x), also at the boundary', () => {
    const rng = createRng(9);
    let mismatches = 0;
    for (let t = 0; t < 100_000; t++) {
      const x = -rng.uniform53() * [60, 5, 0.01][t % 3]!;
      const e = Math.exp(x);
      const grid = Math.floor(e * 2 ** 32) / 2 ** 32; // 32-bit uniforms next to the threshold
      for (const u of [
        e,
        e * (1 - 2 ** -52),
        e * (1 + 2 ** -52),
        grid,
        grid + 2 ** -32,
        grid - 2 ** -32,
        0,
        rng.uniform(),
      ]) {
        if (acceptMetropolisKernel(u, x) !== u < e) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(acceptMetropolisKernel(0.5, Number.NaN)).toBe(false);
    expect(acceptMetropolisKernel(0, -800)).toBe(false); // Math.exp(-800) = 0
    expect(acceptMetropolisKernel(0, -700)).toBe(true);
  });

  it('the committed module equals a fresh assembly of lrfield.wat', async () => {
    const { readFileSync } = await import('node:fs');
    const { assembleWat } = await import('../../src/core/wasm/assemble.js');
    const { lrFieldWatPath, renderLrFieldGenerated, lrFieldGeneratedPath } = await import(
      '../../src/sampling/wasm/assemble.js'
    );
    const bytes = await assembleWat(readFileSync(lrFieldWatPath, 'utf8'), 'lrfield.wat');
    expect(readFileSync(lrFieldGeneratedPath, 'utf8')).toBe(renderLrFieldGenerated(bytes));
  });
});

describe('long-range samplers beyond exact sizes', () => {
  it('cluster and Metropolis agree with each other at N = 64, sigma = 0.5 near Tc (within 4 combined sigma)', () => {
    const model = createLongRangeChain({ N: 64, sigma: 0.5 });
    const T = 4.5;
    const a = series(model, createLongRangeClusterUpdater(model, 1 / T), 31, 10_000, 300);
    const b = series(model, createLongRangeMetropolisUpdater(model, 1 / T), 32, 10_000, 300);
    for (const key of ['energy', 'absM', 'm2'] as const) {
      const x = binningAnalysis(a[key]);
      const y = binningAnalysis(b[key]);
      const dev = Math.abs(x.mean - y.mean) / Math.hypot(x.error, y.error);
      expect(dev, `${key}: ${x.mean} +- ${x.error} vs ${y.mean} +- ${y.error}`).toBeLessThan(4);
    }
  });

  it('property: spins stay +-1 and the reported flip count bounds the number of changed spins', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.integer(),
        (N, sigma, beta, seed) => {
          const model = createLongRangeChain({ N, sigma });
          const rng = createRng(seed);
          const spins = new Int8Array(N).fill(1);
          for (const updater of [
            createLongRangeMetropolisUpdater(model, beta),
            createLongRangeClusterUpdater(model, beta, { clustersPerStep: 3 }),
          ]) {
            for (let k = 0; k < 5; k++) {
              const before = spins.slice();
              const flipped = updater.step(spins, rng);
              let changed = 0;
              for (let i = 0; i < N; i++) {
                expect(spins[i] === 1 || spins[i] === -1).toBe(true);
                if (spins[i] !== before[i]) changed++;
              }
              expect(flipped).toBeGreaterThanOrEqual(changed);
            }
          }
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });
});

describe('lr-cluster pilot', () => {
  it('sizes steps to about one sweep even for large rings at high temperature', () => {
    const model = createLongRangeChain({ N: 8192, sigma: 0.5 });
    const updater = createLongRangeClusterUpdater(model, 1 / 100);
    // clusters are ~1 spin at T = 100: about N clusters per step
    expect(updater.clustersPerStep).toBeGreaterThan(4000);
    expect(updater.clustersPerStep).toBeLessThanOrEqual(8192);
  });
});

describe('step input', () => {
  it('a configuration of the wrong length is a ShapeError', () => {
    const model = createLongRangeChain({ N: 40, sigma: 1 });
    const rng = createRng(1);
    expect(() => createLongRangeMetropolisUpdater(model, 1).step(new Int8Array(39).fill(1), rng)).toThrow(
      'lr-metropolis step: spins: expected length 40, received length 39',
    );
    expect(() => createLongRangeClusterUpdater(model, 1).step(new Int8Array(41).fill(1), rng)).toThrow(
      ShapeError,
    );
  });
});
