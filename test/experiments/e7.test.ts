import { describe, expect, it } from 'vitest';
import { E7_PRESETS, runE7 } from '../../src/experiments/e7.js';
import { VERSION } from '../../src/version.js';

describe('runE7 (SVD of trained RBM weights, Fourier content)', () => {
  const tiny = {
    L: 8,
    hiddenSide: 4,
    samples: 1000,
    burnIn: 100,
    thin: 1,
    epochs: 100,
    seeds: 2,
    modes: 9,
    topModes: 3,
    keepVectors: 4,
  };

  it('returns the envelope and top visible singular vectors concentrated at low momentum', () => {
    const stages = new Set<string>();
    const r = runE7(tiny, { seed: 3, onProgress: (p) => stages.add(p.stage) });
    expect(r.id).toBe('E7');
    expect(r.preset).toBe('custom');
    expect(r.version).toBe(VERSION);
    expect(r.seed).toBe(3);
    expect(r.parameters.L).toBe(8);
    const m = r.measured;
    expect(m.rank).toBe(16);
    expect(m.singularValues).toHaveLength(16);
    expect(m.lowPassOverlap).toHaveLength(9);
    expect(m.visibleVectors).toHaveLength(4);
    expect(m.visibleVectors[0]).toHaveLength(64);
    expect(m.hiddenVectors[0]).toHaveLength(16);
    for (let j = 1; j < 16; j++)
      expect(m.singularValues[j]!.mean).toBeLessThanOrEqual(m.singularValues[j - 1]!.mean);
    expect(m.cumulativeNormShare[15]!.mean).toBeCloseTo(1, 10);
    expect(Number.isFinite(m.top.visibleBandFraction.error)).toBe(true);
    // physics: trained on Ising data the leading visible singular vectors live inside the hidden band
    // (|k| <= 2 on an 8 x 8 lattice), far above the untrained weights' fraction (~ 25/64)
    expect(m.top.visibleBandFraction.mean).toBeGreaterThan(0.8);
    expect(m.top.visibleBandFraction.mean).toBeGreaterThan(m.top.visibleBandFractionUntrained.mean + 0.3);
    // with the hidden units placed by their receptive fields (and oriented), the leading hidden singular
    // vectors follow the low-passed visible ones far better than for the untrained weights
    expect(m.top.lowPassOverlap.mean).toBeGreaterThan(m.top.lowPassOverlapUntrained.mean + 0.2);
    // the spectrum is dominated by a few modes: fewer needed for 90% than for the random init
    expect(m.modesForFraction.mean).toBeLessThan(m.modesForFractionUntrained.mean);
    expect(r.comparisons).toHaveLength(3);
    for (const c of r.comparisons) expect(typeof c.agrees).toBe('boolean');
    expect(JSON.parse(JSON.stringify(r)).measured.rank).toBe(16);
    expect([...stages].some((s) => s.includes('training'))).toBe(true);
  }, 60_000);

  it('is reproducible for a fixed seed and validates its config', () => {
    const small = { ...tiny, seeds: 1, epochs: 5, samples: 200 };
    const a = runE7(small, { seed: 5 });
    const b = runE7(small, { seed: 5 });
    expect(a.measured.singularValues).toEqual(b.measured.singularValues);
    expect(() => runE7({ ...small, hiddenSide: 9 }, {})).toThrow(/hiddenSide/);
    expect(() => runE7({ ...small, modes: 0 }, {})).toThrow(/modes/);
    expect(E7_PRESETS.quick.L).toBeLessThanOrEqual(10);
    expect(E7_PRESETS.full.L).toBe(10);
  }, 60_000);

  it('stops on an aborted signal', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => runE7({ ...tiny, seeds: 1 }, { signal: controller.signal })).toThrow();
  });
});
