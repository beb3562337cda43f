import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { E3_PRESETS, runE3 } from '../../src/experiments/e3.js';
import { formatReading, type TemperatureReading } from '../../src/rg/reading.js';
import { VERSION } from '../../src/version.js';

/** The reading, asserted to be in range (fails the test otherwise). */
function inRange(r: TemperatureReading): { temperature: number; error: number } {
  if (!r.inRange) throw new Error(`expected an in-range reading, got ${formatReading(r)}`);
  return r;
}

describe('runE3 (tiny)', () => {
  const result = runE3(
    {
      L: 16,
      levels: 1,
      startTemperatures: [1.5, 3.5],
      samples: 200,
      burnIn: 100,
      thin: 2,
      trainSamples: 300,
      epochs: 2,
    },
    { seed: 3 },
  );

  it('returns the result envelope with one flow per starting temperature', () => {
    expect(result.id).toBe('E3');
    expect(result.preset).toBe('custom');
    expect(result.version).toBe(VERSION);
    expect(result.seed).toBe(3);
    expect(result.measured.sides).toEqual([16, 8]);
    expect(result.measured.flows).toHaveLength(2);
    for (const f of result.measured.flows) {
      expect(f.rg).toHaveLength(2);
      expect(f.rbm).toHaveLength(2);
      for (const l of [...f.rg, ...f.rbm]) {
        const t = l.temperature;
        if (t.inRange) {
          expect(Number.isFinite(t.temperature)).toBe(true);
          expect(Number.isFinite(t.error)).toBe(true);
        } else expect([0.5, 10]).toContain(t.edge);
      }
    }
    expect(result.comparisons.length).toBe(4);
    // the layout check: one entry per RBM level >= 1, the permuted null beside the lattice value
    for (const f of result.measured.flows) {
      expect(f.rbmLayout.map((x) => x.level)).toEqual([1]);
      for (const x of f.rbmLayout) {
        expect(Math.abs(x.lattice.mean)).toBeLessThanOrEqual(1);
        expect(x.permuted.error).toBeGreaterThan(0);
      }
    }
    // a comparison that rests on an out-of-range reading carries no verdict and says why
    for (const c of result.comparisons) {
      if (c.outOfRange !== undefined) {
        expect(c.agrees).toBeUndefined();
        expect(c.outOfRange).toMatch(/beyond grid\): excluded from the verdict$/);
      } else expect(typeof c.agrees).toBe('boolean');
    }
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('RG flow from T = 3.5 rises and from T = 1.5 falls (Tc unstable)', () => {
    const [low, high] = result.measured.flows;
    expect(inRange(low!.rg[1]!.temperature).temperature).toBeLessThan(
      inRange(low!.rg[0]!.temperature).temperature,
    );
    expect(inRange(high!.rg[1]!.temperature).temperature).toBeGreaterThan(
      inRange(high!.rg[0]!.temperature).temperature,
    );
    expect(high!.rgDirection.direction).toBe('up');
    // level 0 reads the sampling temperature
    expect(Math.abs(inRange(low!.rg[0]!.temperature).temperature - 1.5)).toBeLessThan(0.1);
  });

  it('validates the config, naming the field', () => {
    expect(() => runE3({ L: 10, levels: 2 })).toThrow(DomainError);
    expect(() => runE3({ L: 10, levels: 2 })).toThrow(/config\.levels/);
    expect(() => runE3({ samples: 0 })).toThrow(/config\.samples/);
    expect(() => runE3({ bogus: 1 } as never)).toThrow(/config\.bogus/);
    expect(E3_PRESETS.full.L).toBe(64);
  });
});
