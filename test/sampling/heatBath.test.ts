import { describe, expect, it } from 'vitest';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createHeatBathUpdater, heatBathThresholds } from '../../src/sampling/heatBath.js';
import { TWO_POW_32 } from '../../src/sampling/xoshiro.js';
import { boltzmannProbabilities, chiSquare, chiSquareCritical, visitCounts } from './helpers.js';
import { samplerSuite } from './suite.js';

samplerSuite('heat bath', createHeatBathUpdater, {
  sizes: [2, 3, 4, 5, 8],
  countIsHamming: true,
  steps4: 40000,
});

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

  it('3x3 with a field (odd L, h != 0): chi-square against Boltzmann', () => {
    const model = createIsing2D({ L: 3, h: 0.3 });
    const counts = visitCounts(model, createHeatBathUpdater(model, 1 / 4), 22, 40000, 3);
    const { chi2, dof } = chiSquare(counts, boltzmannProbabilities(model, 1 / 4));
    expect(chi2).toBeLessThan(chiSquareCritical(dof));
  });
});
