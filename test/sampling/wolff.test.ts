import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/rng.js';
import { ISING_TC, kaufmanTorus } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { squareNeighbors } from '../../src/lattice/square.js';
import { clusterBondThreshold } from '../../src/sampling/swendsenWang.js';
import { createWolffUpdater, wolffClusterKernel } from '../../src/sampling/wolff.js';
import { seedXoshiro128, TWO_POW_32, xoshiro128Next } from '../../src/sampling/xoshiro.js';
import {
  boltzmannProbabilities,
  chiSquare,
  chiSquareCritical,
  deviation,
  runChain,
  visitCounts,
} from './helpers.js';
import { samplerSuite } from './suite.js';

samplerSuite('wolff', createWolffUpdater, { sizes: [2, 3, 4, 5, 8], countIsHamming: false, steps4: 40000 });

describe('wolff: specifics', () => {
  it('2x2 at T = 3: chi-square of visits to all 16 states against Boltzmann (p = 1e-4)', () => {
    const model = createIsing2D({ L: 2 });
    const counts = visitCounts(model, createWolffUpdater(model, 1 / 3), 31, 40000, 3);
    const { chi2, dof } = chiSquare(counts, boltzmannProbabilities(model, 1 / 3));
    expect(dof).toBe(15);
    expect(chi2).toBeLessThan(chiSquareCritical(dof));
  });

  it('3x3 at T = 4, one cluster per step: chi-square over all 512 states (p = 1e-4)', () => {
    const model = createIsing2D({ L: 3 });
    const updater = createWolffUpdater(model, 1 / 4, { clustersPerStep: 1 });
    const counts = visitCounts(model, updater, 32, 40000, 4);
    const { chi2, dof } = chiSquare(counts, boltzmannProbabilities(model, 1 / 4));
    expect(chi2).toBeLessThan(chiSquareCritical(dof));
  });

  it('16x16 at Tc: energy within 4 errors of Kaufman exact finite-L value', () => {
    const model = createIsing2D({ L: 16 });
    const series = runChain(model, createWolffUpdater(model, 1 / ISING_TC), 41, 15000, 300);
    const d = deviation(series.energy, kaufmanTorus(16, ISING_TC).energy);
    expect(d.z, `${d.mean} +- ${d.error}`).toBeLessThan(4);
  });

  it('improved estimator: mean cluster size <|C|> = N <m^2> (4x4 at Tc, exact)', () => {
    const model = createIsing2D({ L: 4 });
    const updater = createWolffUpdater(model, 1 / ISING_TC);
    const rng = createRng(5);
    const spins = new Int8Array(16).fill(1);
    const sizes = new Float64Array(40000);
    for (let k = 0; k < sizes.length; k++) {
      const before = spins.slice();
      sizes[k] = updater.flipCluster(spins, rng);
      let changed = 0;
      for (let i = 0; i < 16; i++) if (spins[i] !== before[i]) changed++;
      expect(changed).toBe(sizes[k]);
    }
    const d = deviation(sizes, 16 * enumerateM2(ISING_TC));
    expect(d.z, `${d.mean} +- ${d.error}`).toBeLessThan(4);
  });

  it('clustersPerStep is fixed in advance: from the option, or from the pilot (deterministic in L, J, beta)', () => {
    const model = createIsing2D({ L: 16 });
    expect(createWolffUpdater(model, 0.3, { clustersPerStep: 7 }).clustersPerStep).toBe(7);
    const a = createWolffUpdater(model, 1 / ISING_TC).clustersPerStep;
    expect(createWolffUpdater(model, 1 / ISING_TC).clustersPerStep).toBe(a);
    // mean cluster at Tc on 16x16 is ~ N <m^2> ~ 0.6 N, so one sweep is one or two clusters
    expect(a).toBeGreaterThanOrEqual(1);
    expect(a).toBeLessThanOrEqual(3);
    // at high temperature clusters are small, so many are needed per sweep
    expect(createWolffUpdater(model, 1 / 5).clustersPerStep).toBeGreaterThan(50);
    expect(createWolffUpdater(model, 1 / ISING_TC, { sweepsPerStep: 4 }).clustersPerStep).toBeGreaterThan(a);
  });

  it('rejects a field, a negative J and bad options with DomainErrors naming them', () => {
    expect(() => createWolffUpdater(createIsing2D({ L: 4, h: 0.1 }), 0.4)).toThrow(
      'createWolffUpdater: model.h: expected 0 (cluster updates need zero field), received 0.1',
    );
    expect(() => createWolffUpdater(createIsing2D({ L: 4, J: -1 }), 0.4)).toThrow(
      /createWolffUpdater: model.J/,
    );
    expect(() => createWolffUpdater(createIsing2D({ L: 4 }), 0.4, { sweepsPerStep: 0 })).toThrow(
      /options.sweepsPerStep: expected a finite number > 0, received 0/,
    );
    expect(() => createWolffUpdater(createIsing2D({ L: 4 }), 0.4, { clustersPerStep: 1.5 })).toThrow(
      /options.clustersPerStep: expected an integer >= 1, received 1.5/,
    );
  });
});

function enumerateM2(temperature: number): number {
  // <m^2> of the 4x4 torus by direct enumeration (kept local: avoids depending on field conventions)
  const beta = 1 / temperature;
  let z = 0;
  let m2 = 0;
  const spins = new Int8Array(16);
  for (let c = 0; c < 65536; c++) {
    let M = 0;
    for (let i = 0; i < 16; i++) {
      spins[i] = (c >>> i) & 1 ? 1 : -1;
      M += spins[i]!;
    }
    let bonds = 0;
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) {
        const s = spins[y * 4 + x]!;
        bonds += s * (spins[y * 4 + ((x + 1) % 4)]! + spins[((y + 1) % 4) * 4 + x]!);
      }
    const w = Math.exp(beta * (bonds - 32));
    z += w;
    m2 += (w * M * M) / 256;
  }
  return m2 / z;
}

describe('wolff: kernels', () => {
  /** The neighbour-table kernel driven step by step as the updater drives its kernels (the reference chain). */
  function referenceStep(
    spins: Int8Array,
    L: number,
    J: number,
    beta: number,
    clusters: number,
    rng: Rng,
  ): number {
    const n = L * L;
    const xs = seedXoshiro128(rng, new Int32Array(4));
    const neighbors = squareNeighbors(L);
    const stack = new Int32Array(n + 1);
    let flipped = 0;
    for (let c = 0; c < clusters; c++) {
      const site = Math.floor(xoshiro128Next(xs) * (n / TWO_POW_32));
      flipped += wolffClusterKernel(spins, neighbors, clusterBondThreshold(J, beta), site, stack, xs);
    }
    return flipped;
  }

  it('WebAssembly, power-of-two TypeScript and neighbour-table kernels give bit-identical chains', () => {
    for (const [L, J, T] of [
      [2, 1, 3],
      [4, 1, ISING_TC],
      [16, 1, ISING_TC],
      [16, 0.7, 1.2],
      [32, 1, 4],
      [64, 1, ISING_TC],
    ] as const) {
      const model = createIsing2D({ L, J });
      const wasm = createWolffUpdater(model, 1 / T, { clustersPerStep: 3 });
      const js = createWolffUpdater(model, 1 / T, { clustersPerStep: 3, backend: 'js' });
      expect(wasm.backend).toBe('wasm');
      expect(js.backend).toBe('js');
      const n = L * L;
      const a = new Int8Array(n).fill(1);
      const b = new Int8Array(n).fill(1);
      const c = new Int8Array(n).fill(1);
      const [ra, rb, rc] = [createRng(L), createRng(L), createRng(L)];
      for (let k = 0; k < 60; k++) {
        const fa = k % 7 === 6 ? wasm.flipCluster(a, ra) : wasm.step(a, ra);
        const fb = k % 7 === 6 ? js.flipCluster(b, rb) : js.step(b, rb);
        const fc = referenceStep(c, L, J, 1 / T, k % 7 === 6 ? 1 : 3, rc);
        expect(fa).toBe(fc);
        expect(fb).toBe(fc);
      }
      expect(Array.from(a)).toEqual(Array.from(c));
      expect(Array.from(b)).toEqual(Array.from(c));
      const next = rc.uniform();
      expect(ra.uniform()).toBe(next);
      expect(rb.uniform()).toBe(next);
    }
  });

  it('the committed module equals a fresh assembly of wolff.wat', async () => {
    const { readFileSync } = await import('node:fs');
    const { assembleWat } = await import('../../src/core/wasm/assemble.js');
    const { wolffWatPath, renderWolffGenerated, wolffGeneratedPath } = await import(
      '../../src/sampling/wasm/assemble.js'
    );
    const bytes = await assembleWat(readFileSync(wolffWatPath, 'utf8'), 'wolff.wat');
    expect(readFileSync(wolffGeneratedPath, 'utf8')).toBe(renderWolffGenerated(bytes));
  });
});
