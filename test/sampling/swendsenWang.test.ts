import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { enumerateIsing2D, ISING_TC, kaufmanTorus } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createSwendsenWangUpdater } from '../../src/sampling/swendsenWang.js';
import {
  boltzmannProbabilities,
  chiSquare,
  chiSquareCritical,
  deviation,
  runChain,
  visitCounts,
} from './helpers.js';
import { samplerSuite } from './suite.js';

samplerSuite('swendsen-wang', createSwendsenWangUpdater, {
  sizes: [2, 3, 4, 5, 8],
  countIsHamming: true,
  steps4: 40000,
});

describe('swendsen-wang: specifics', () => {
  for (const [L, temperature] of [
    [2, 3],
    [3, 4],
  ] as const) {
    it(`${L}x${L} at T = ${temperature}: chi-square of visits to all 2^${L * L} states (p = 1e-4)`, () => {
      const model = createIsing2D({ L });
      const counts = visitCounts(model, createSwendsenWangUpdater(model, 1 / temperature), 51, 40000, 2);
      const { chi2, dof } = chiSquare(counts, boltzmannProbabilities(model, 1 / temperature));
      expect(chi2).toBeLessThan(chiSquareCritical(dof));
    });
  }

  it('16x16 at Tc: energy within 4 errors of Kaufman exact finite-L value', () => {
    const model = createIsing2D({ L: 16 });
    const series = runChain(model, createSwendsenWangUpdater(model, 1 / ISING_TC), 52, 12000, 300);
    const d = deviation(series.energy, kaufmanTorus(16, ISING_TC).energy);
    expect(d.z, `${d.mean} +- ${d.error}`).toBeLessThan(4);
  });

  it('cluster sizes sum to N, and the improved estimator sum |C|^2 / N^2 gives <m^2> (4x4 at Tc)', () => {
    const model = createIsing2D({ L: 4 });
    const updater = createSwendsenWangUpdater(model, 1 / ISING_TC);
    expect(updater.clusterCount()).toBe(0);
    const rng = createRng(53);
    const spins = new Int8Array(16).fill(1);
    const estimates = new Float64Array(30000);
    const out = new Int32Array(16);
    for (let k = 0; k < estimates.length; k++) {
      updater.step(spins, rng);
      const count = updater.clusterCount();
      const sizes = updater.clusterSizes(out);
      let total = 0;
      let s2 = 0;
      for (let c = 0; c < count; c++) {
        total += sizes[c]!;
        s2 += sizes[c]! * sizes[c]!;
      }
      expect(total).toBe(16);
      estimates[k] = s2 / 256;
    }
    const d = deviation(estimates, enumerateIsing2D(4, ISING_TC).magnetization2);
    expect(d.z, `${d.mean} +- ${d.error}`).toBeLessThan(4);
    expect(() => updater.clusterSizes(new Int32Array(0))).toThrow(/clusterSizes: out/);
  });

  it('rejects a field with a DomainError naming model.h', () => {
    expect(() => createSwendsenWangUpdater(createIsing2D({ L: 4, h: -0.5 }), 0.4)).toThrow(
      'createSwendsenWangUpdater: model.h: expected 0 (cluster updates need zero field), received -0.5',
    );
  });
});
