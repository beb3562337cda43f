import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { E2_PRESETS, runE2 } from '../../src/experiments/e2.js';
import { VERSION } from '../../src/version.js';

describe('runE2 (tiny)', () => {
  const result = runE2(
    { L: 8, trainSamples: 300, mapSamples: 400, epochs: 2, burnIn: 100, temperature: 3 },
    { seed: 5 },
  );
  const m = result.measured;

  it('returns the result envelope with one map per hidden unit', () => {
    expect(result.id).toBe('E2');
    expect(result.version).toBe(VERSION);
    expect(result.seed).toBe(5);
    expect(m.nHidden).toBe(16);
    expect(m.rbm.maps).toHaveLength(16 * 64);
    expect(m.rg.maps).toHaveLength(16 * 64);
    expect(m.rg.perMap).toHaveLength(16);
    expect(result.comparisons.length).toBeGreaterThanOrEqual(3);
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('RG maps are local and centred on their own 2 x 2 block', () => {
    expect(m.rg.radiusOfGyration.mean).toBeLessThan(
      0.5 * (m.referenceRadius.patch2x2 + m.referenceRadius.uniform),
    );
    expect(m.rgCentreOffset.mean).toBeLessThan(0.25);
    // the RG maps peak on their own block: largest entry of map a inside block a
    const L = 8;
    for (let a = 0; a < 16; a++) {
      const map = m.rg.maps.slice(a * 64, (a + 1) * 64);
      const peak = map.indexOf(Math.max(...map));
      const [y, x] = [Math.floor(peak / L), peak % L];
      expect(Math.floor(y / 2) * 4 + Math.floor(x / 2)).toBe(a);
    }
  });

  it('RBM map radii are measured, finite, with an error and a spread', () => {
    const r = m.rbm.radiusOfGyration;
    expect(r.count).toBe(16);
    expect(Number.isFinite(r.mean) && r.mean > 0).toBe(true);
    expect(Number.isFinite(r.error) && Number.isFinite(r.spread)).toBe(true);
    expect(r.mean).toBeLessThanOrEqual(m.referenceRadius.uniform + 1e-9);
  });

  it('validates the config, naming the field', () => {
    expect(() => runE2({ L: 7 })).toThrow(DomainError);
    expect(() => runE2({ L: 7 })).toThrow(/config\.L/);
    expect(() => runE2({ baseline: 'x' as never })).toThrow(/config\.baseline/);
    expect(E2_PRESETS.full.L).toBe(10);
  });
});
