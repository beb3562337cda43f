import { describe, expect, it } from 'vitest';
import { AbortError, DomainError } from '../../src/core/errors.js';
import { E1_PRESETS, runE1 } from '../../src/experiments/e1.js';
import { ISING_TC } from '../../src/lattice/exact2d.js';
import { formatReading, type TemperatureReading } from '../../src/rg/reading.js';

/** The reading, asserted to be in range (fails the test otherwise). */
function inRange(r: TemperatureReading): { temperature: number; error: number } {
  if (!r.inRange) throw new Error(`expected an in-range reading, got ${formatReading(r)}`);
  return r;
}

const TINY = {
  L: 8,
  samples: 400,
  burnIn: 50,
  thin: 1,
  nHidden: 32,
  updates: 200,
  flowSteps: 5,
  flowSamples: 200,
  fixedPointSteps: 2,
  networkThermometer: true,
  thermometerTemperatures: [1.8, 2.3, 2.8],
  thermometerSamples: 60,
  thermometerEpochs: 3,
  fitRMin: 1,
  fitRMax: 4,
};

describe('runE1', () => {
  it('runs a tiny RBM flow with a complete, JSON-safe result', () => {
    const stages = new Set<string>();
    const r = runE1(TINY, { seed: 3, onProgress: (p) => stages.add(p.stage) });
    expect(r.id).toBe('E1');
    expect(r.preset).toBe('custom');
    expect(r.seed).toBe(3);
    expect(r.parameters.L).toBe(8);
    expect(r.measured.flow).toHaveLength(TINY.flowSteps + 1);
    for (const s of r.measured.flow) {
      // every reading is a temperature inside its grid or an explicit out-of-range bound, never a clamp
      for (const reading of [s.temperature, s.networkTemperature!]) {
        if (reading.inRange) expect(Number.isFinite(reading.temperature)).toBe(true);
        else expect(['above', 'below']).toContain(reading.bound);
      }
    }
    expect(r.measured.spinCorrelator.mc.r).toEqual([1, 2, 3, 4]);
    expect(r.comparisons.length).toBeGreaterThanOrEqual(8);
    for (const c of r.comparisons) {
      if (c.outOfRange === undefined) expect(typeof c.agrees).toBe('boolean');
      else expect(c.agrees).toBeUndefined();
    }
    for (const st of ['sampling', 'train', 'thermometer', 'flow', 'flow-thermometer', 'correlators'])
      expect(stages.has(st)).toBe(true);
    expect(() => JSON.parse(JSON.stringify(r))).not.toThrow();

    // Physics: the Monte Carlo data at Tc reads Tc on the exact-energy thermometer (step 0 of the flow),
    // its energy agrees with Kaufman's exact value, and the spin correlator decays with distance.
    const t0 = inRange(r.measured.flow[0]!.temperature);
    expect(Math.abs(t0.temperature - ISING_TC)).toBeLessThan(4 * t0.error + 0.02);
    expect(r.comparisons[0]!.agrees).toBe(true);
    const g = r.measured.spinCorrelator.mc.value;
    expect(g[0]!).toBeGreaterThan(g[3]!);
    expect(r.measured.deltaSigma.mc.delta.mean).toBeGreaterThan(0);
    expect(r.measured.deltaSigma.mc.delta.mean).toBeLessThan(0.5);
  });

  it('is reproducible for a seed', () => {
    const small = {
      ...TINY,
      networkThermometer: false,
      samples: 100,
      flowSamples: 100,
      updates: 20,
      flowSteps: 2,
    };
    const a = runE1(small, { seed: 5 });
    const b = runE1(small, { seed: 5 });
    expect(a.measured.flow).toEqual(b.measured.flow);
  });

  it('stops with an AbortError when the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => runE1(TINY, { seed: 1, signal: controller.signal })).toThrow(AbortError);
  });

  it('validates the config, naming the field', () => {
    expect(() => runE1({ L: 3 })).toThrow(DomainError);
    expect(() => runE1({ L: 3 })).toThrow(/runE1: config\.L/);
    expect(() => runE1({ fitRMax: 9 })).toThrow(/config\.fitRMax/);
    expect(() => runE1({ flowSamples: 10, samples: 5 })).toThrow(/config\.flowSamples/);
    expect(() => runE1({ spinFitForm: 'cubic' as never })).toThrow(/config\.spinFitForm/);
    expect(() => runE1({ preset: 'huge' as never })).toThrow(/config\.preset/);
    expect(E1_PRESETS.full.updates).toBeGreaterThan(E1_PRESETS.quick.updates);
  });
});
