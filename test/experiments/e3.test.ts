import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { E3_PRESETS, runE3 } from '../../src/experiments/e3.js';
import { VERSION } from '../../src/version.js';

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
        expect(Number.isFinite(l.temperature.mean)).toBe(true);
        expect(Number.isFinite(l.temperature.error)).toBe(true);
      }
    }
    expect(result.comparisons.length).toBe(4);
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('RG flow from T = 3.5 rises and from T = 1.5 falls (Tc unstable)', () => {
    const [low, high] = result.measured.flows;
    expect(low!.rg[1]!.temperature.mean).toBeLessThan(low!.rg[0]!.temperature.mean);
    expect(high!.rg[1]!.temperature.mean).toBeGreaterThan(high!.rg[0]!.temperature.mean);
    expect(high!.rgDirection.direction).toBe('up');
    // level 0 reads the sampling temperature
    expect(Math.abs(low!.rg[0]!.temperature.mean - 1.5)).toBeLessThan(0.1);
  });

  it('validates the config, naming the field', () => {
    expect(() => runE3({ L: 10, levels: 2 })).toThrow(DomainError);
    expect(() => runE3({ L: 10, levels: 2 })).toThrow(/config\.levels/);
    expect(() => runE3({ samples: 0 })).toThrow(/config\.samples/);
    expect(() => runE3({ bogus: 1 } as never)).toThrow(/config\.bogus/);
    expect(E3_PRESETS.full.L).toBe(64);
  });
});
