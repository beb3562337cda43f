import { describe, expect, it } from 'vitest';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createHeatBathUpdater, heatBathThresholds, heatBathWasmTable } from '../../src/sampling/heatBath.js';
import { TWO_POW_32 } from '../../src/sampling/xoshiro.js';
import { boltzmannProbabilities, chiSquare, chiSquareCritical, visitCounts } from './helpers.js';
import { samplerSuite } from './suite.js';

// the default backend (WebAssembly SIMD for even L under Node, TypeScript for odd L) and the TypeScript kernel
samplerSuite('heat bath', (model, beta) => createHeatBathUpdater(model, beta), {
  sizes: [2, 3, 4, 5, 8, 34],
  countIsHamming: true,
  steps4: 40000,
});
samplerSuite(
  'heat bath (js backend)',
  (model, beta) => createHeatBathUpdater(model, beta, { backend: 'js' }),
  {
    sizes: [2, 3, 4, 5, 8],
    countIsHamming: true,
    steps4: 40000,
  },
);

describe('heat bath: specifics', () => {
  it('threshold table holds P(s = +1) = 1 / (1 + exp(-2 beta (J nn + h))) * 2^32', () => {
    const t = heatBathThresholds(1, 0.2, 0.5);
    expect(t[2 + 4]! / TWO_POW_32).toBeCloseTo(1 / (1 + Math.exp(-2 * 0.5 * 2.2)), 12);
  });

  for (const [L, temperature] of [
    [2, 3],
    [3, 4],
  ] as const) {
    it(`${L}x${L} at T = ${temperature}: chi-square of visits to all 2^${L * L} states against Boltzmann (p = 1e-4)`, () => {
      const model = createIsing2D({ L });
      const counts = visitCounts(model, createHeatBathUpdater(model, 1 / temperature), 21, 40000, 3);
      const { chi2, dof, minExpected } = chiSquare(counts, boltzmannProbabilities(model, 1 / temperature));
      expect(minExpected).toBeGreaterThanOrEqual(5);
      expect(dof).toBeGreaterThan(10);
      expect(chi2).toBeLessThan(chiSquareCritical(dof));
    });
  }

  for (const backend of ['auto', 'js'] as const) {
    it(`2x2 with a field, ${backend} backend: chi-square of visits to all 16 states against Boltzmann`, () => {
      const model = createIsing2D({ L: 2, h: -0.4 });
      const updater = createHeatBathUpdater(model, 1 / 2.5, { backend });
      const counts = visitCounts(model, updater, 23, 40000, 2);
      const { chi2, dof, minExpected } = chiSquare(counts, boltzmannProbabilities(model, 1 / 2.5));
      expect(minExpected).toBeGreaterThanOrEqual(5);
      expect(chi2).toBeLessThan(chiSquareCritical(dof));
    });
  }

  it('heatBathWasmTable: flip probabilities P(-s | nn) as 32-bit thresholds', () => {
    const planes = heatBathWasmTable(1, 0.2, 0.5);
    const threshold = (k: number): number =>
      ((planes[k]! ^ 0x80) |
        ((planes[16 + k]! ^ 0x80) << 8) |
        ((planes[32 + k]! ^ 0x80) << 16) |
        ((planes[48 + k]! ^ 0x80) << 24)) >>>
      0; // bytes stored xor 0x80
    // s = +1, nn = 2: k = 6, flips to -1 with probability 1 / (1 + exp(2 beta (2 + 0.2)))
    expect(threshold(6)).toBe(Math.floor(TWO_POW_32 / (1 + Math.exp(2 * 0.5 * 2.2))));
    // s = -1, nn = 2: k = 7, flips to +1 with probability 1 / (1 + exp(-2 beta (2 + 0.2)))
    expect(threshold(7)).toBe(Math.floor(TWO_POW_32 / (1 + Math.exp(-2 * 0.5 * 2.2))));
    expect(planes.subarray(64, 80).every((b) => b === 0)).toBe(true);
  });

  it('rejects an unknown backend with a DomainError', () => {
    expect(() =>
      createHeatBathUpdater(createIsing2D({ L: 4 }), 0.4, { backend: 'gpu' as unknown as 'js' }),
    ).toThrow('createHeatBathUpdater: options.backend: expected one of "auto", "js", received "gpu"');
  });

  it('3x3 with a field (odd L, h != 0): chi-square against Boltzmann', () => {
    const model = createIsing2D({ L: 3, h: 0.3 });
    const counts = visitCounts(model, createHeatBathUpdater(model, 1 / 4), 22, 40000, 3);
    const { chi2, dof } = chiSquare(counts, boltzmannProbabilities(model, 1 / 4));
    expect(chi2).toBeLessThan(chiSquareCritical(dof));
  });
});
