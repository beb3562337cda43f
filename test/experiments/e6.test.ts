import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { E6_PRESETS, runE6 } from '../../src/experiments/e6.js';
import { VERSION } from '../../src/version.js';

describe('runE6 (tiny)', () => {
  const result = runE6(
    {
      N: 32,
      levels: 1,
      startTemperatures: [8],
      samples: 200,
      burnIn: 50,
      trainSamples: 200,
      epochs: 2,
      thermometerTemperatures: [1, 1.5, 2.25, 3.4, 5, 7.5, 11, 17, 25],
      thermometerSamples: 300,
    },
    { seed: 2 },
  );
  const m = result.measured;

  it('returns the result envelope: flows, thermometers per chain length, <v h> maps', () => {
    expect(result.id).toBe('E6');
    expect(result.version).toBe(VERSION);
    expect(result.seed).toBe(2);
    expect(m.sizes).toEqual([32, 16]);
    expect(m.thermometers.map((t) => t.N)).toEqual([32, 16]);
    expect(m.flows).toHaveLength(1);
    expect(m.flows[0]!.rg).toHaveLength(2);
    expect(m.flows[0]!.rbm).toHaveLength(2);
    expect(m.correlators.rbmLayer1.maps).toHaveLength(16 * 32);
    expect(m.correlators.rgStep1.perMap).toHaveLength(16);
    expect(Number.isFinite(m.correlators.rbmLayer1.radiusOfGyration.mean)).toBe(true);
    expect(result.comparisons.length).toBe(3);
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('the thermometer reads the sampling temperature at level 0 and the RG flows up at high T', () => {
    const f = m.flows[0]!;
    expect(Math.abs(f.rg[0]!.temperature.mean - 8)).toBeLessThan(4 * f.rg[0]!.temperature.error + 0.5);
    expect(f.rg[1]!.temperature.mean).toBeGreaterThan(f.rg[0]!.temperature.mean);
  });

  it('validates the config, naming the field', () => {
    expect(() => runE6({ N: 30, levels: 2 })).toThrow(DomainError);
    expect(() => runE6({ N: 30, levels: 2 })).toThrow(/config\.levels/);
    expect(() => runE6({ sigma: 3 })).toThrow(/config\.sigma/);
    expect(() => runE6({ thermometerTemperatures: [1, 3, 2] })).toThrow(/thermometerTemperatures/);
    expect(E6_PRESETS.full.N).toBe(256);
  });
});
