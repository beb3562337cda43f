import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { E6_PRESETS, rgExpectedDirection, runE6 } from '../../src/experiments/e6.js';
import { formatReading, type TemperatureReading } from '../../src/rg/reading.js';
import { VERSION } from '../../src/version.js';

/** The reading, asserted to be in range (fails the test otherwise). */
function inRange(r: TemperatureReading): { temperature: number; error: number } {
  if (!r.inRange) throw new Error(`expected an in-range reading, got ${formatReading(r)}`);
  return r;
}

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
    const t0 = inRange(f.rg[0]!.temperature);
    expect(Math.abs(t0.temperature - 8)).toBeLessThan(4 * t0.error + 0.5);
    const t1 = f.rg[1]!.temperature;
    // hotter after the RG step: a higher reading, or beyond the top of the grid
    if (t1.inRange) expect(t1.temperature).toBeGreaterThan(t0.temperature);
    else expect(t1.bound).toBe('above');
  });

  it('the RG comparison expects the direction of RG theory: up for T0 = 8 > Tc', () => {
    const rg = result.comparisons[0]!;
    expect(rg.quantity).toMatch(/^RG: .* from T0 = 8\.000$/);
    expect(rg.expectation).toMatch(/^flows up \(above Tc/);
    // a direction resting on a reading beyond the thermometer's grid is not judged
    if (rg.outOfRange === undefined) expect(rg.agrees).toBe(m.flows[0]!.rgDirection.direction === 'up');
    else expect(rg.agrees).toBeUndefined();
    const stack = result.comparisons[1]!;
    expect(stack.expectation).toBe('stacked-RBM flow goes to low T (down), opposite to the RG');
    if (stack.outOfRange === undefined)
      expect(stack.agrees).toBe(m.flows[0]!.rbmDirection.direction === 'down');
    else expect(stack.agrees).toBeUndefined();
  });

  it('validates the config, naming the field', () => {
    expect(() => runE6({ N: 30, levels: 2 })).toThrow(DomainError);
    expect(() => runE6({ N: 30, levels: 2 })).toThrow(/config\.levels/);
    expect(() => runE6({ sigma: 3 })).toThrow(/config\.sigma/);
    expect(() => runE6({ thermometerTemperatures: [1, 3, 2] })).toThrow(/thermometerTemperatures/);
    expect(() => runE6({ criticalTemperature: 0 })).toThrow(/config\.criticalTemperature/);
    expect(() => runE6({ criticalBand: -0.1 })).toThrow(/config\.criticalBand/);
    expect(E6_PRESETS.full.N).toBe(256);
  });
});

describe('rgExpectedDirection (Tc is the unstable fixed point of the RG)', () => {
  it('is up above Tc, down below it, and undetermined within the band', () => {
    // The full preset's starting temperatures against Tc = 3.42 +- 0.15 (sigma = 0.6, E4 crossings).
    const full = E6_PRESETS.full;
    const expected = full.startTemperatures.map((T0) =>
      rgExpectedDirection(T0, full.criticalTemperature, full.criticalBand),
    );
    expect(expected).toEqual(['down', 'down', 'down', null, 'up', 'up', 'up']);
    expect(rgExpectedDirection(3.27, 3.42, 0.15)).toBeNull();
    expect(rgExpectedDirection(3.26, 3.42, 0.15)).toBe('down');
    expect(rgExpectedDirection(3.58, 3.42, 0)).toBe('up');
  });
});
