import { describe, expect, it } from 'vitest';
import { runE2 } from '../../src/experiments/e2.js';
import { runE7 } from '../../src/experiments/e7.js';
import { runE9 } from '../../src/experiments/e9.js';
import type { Comparison } from '../../src/experiments/types.js';

/** CI smoke test: E2, E7 and E9 at their real `quick` presets (E9 on the Ising data set it generates itself). */
function find(comparisons: readonly Comparison[], pattern: RegExp): Comparison {
  const found = comparisons.find((c) => pattern.test(c.quantity));
  if (!found) throw new Error(`no comparison matching ${pattern}`);
  return found;
}

describe('quick presets (smoke)', () => {
  it('E2 quick: block-average RG maps are local and centred on their own block', () => {
    const result = runE2({ preset: 'quick' }, { seed: 1 });
    expect(result.preset).toBe('quick');
    const radius = find(result.comparisons, /RG maps: radius of gyration/).measured;
    expect(radius.mean).toBeLessThan(result.measured.referenceRadius.uniform);
    expect(find(result.comparisons, /RG maps: distance of the map centre/).measured.mean).toBeLessThan(0.5);
    expect(Number.isFinite(find(result.comparisons, /RBM maps: radius of gyration/).measured.error)).toBe(
      true,
    );
  });

  it('E7 quick: the top hidden singular vectors are low-passed visible ones, far above untrained weights', () => {
    const result = runE7({ preset: 'quick' }, { seed: 1 });
    const overlap = find(result.comparisons, /overlap \(abs cos\) of hidden singular vector/);
    expect(overlap.agrees).toBe(true);
    expect(overlap.measured.mean).toBeGreaterThan(0.5);
  });

  it('E9 quick (Ising): covariance initialisation reaches the random run final loss in fewer epochs', async () => {
    const result = await runE9({ preset: 'quick' }, { seed: 1 });
    expect(result.measured.skipped).toEqual(['mnist', 'flowers', 'swimseg']);
    const speedUp = find(result.comparisons, /^speed-up .*ising/).measured;
    expect(speedUp.mean).toBeGreaterThan(1);
  });
});
