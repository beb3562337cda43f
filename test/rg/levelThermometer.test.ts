import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { blockFlow } from '../../src/rg/flow.js';
import { kaufmanLevelThermometer, temperatureGrid } from '../../src/rg/levelThermometer.js';
import { sampleEnsemble } from '../../src/sampling/ensemble.js';

function randomSpins(n: number, N: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * N }, () => (rng.uniform() < 0.5 ? -1 : 1));
}

describe('temperatureGrid', () => {
  it('min, min + step, ..., max computed as min + i step', () => {
    expect(temperatureGrid(0.5, 1, 0.25)).toEqual([0.5, 0.75, 1]);
    const g = temperatureGrid(3, 4, 0.1);
    expect(g.length).toBe(11);
    expect(g[0]).toBe(3);
    expect(g[10]).toBe(3 + 10 * 0.1);
    expect(temperatureGrid(0.5, 10, 0.025).length).toBe(381);
    expect(temperatureGrid(1, 1.99, 0.5)).toEqual([1, 1.5]);
  });

  it('bad input: typed errors naming the argument', () => {
    expect(() => temperatureGrid(2, 1, 0.1)).toThrow(/temperatureGrid: max: expected a value > min = 2/);
    expect(() => temperatureGrid(1, 2, 0)).toThrow(DomainError);
    expect(() => temperatureGrid(Number.NaN, 2, 0.1)).toThrow(/temperatureGrid: min/);
  });
});

describe('kaufmanLevelThermometer', () => {
  it('all up reads below the grid (issue 12: it used to return { temperature: 3, error: 0 })', () => {
    const thermometer = kaufmanLevelThermometer(temperatureGrid(3, 4, 0.1));
    expect(thermometer(new Float64Array(5 * 16).fill(1), [4, 4])).toEqual({
      inRange: false,
      bound: 'below',
      edge: 3,
    });
    expect(thermometer(new Float64Array(64).fill(-1), [8, 8])).toEqual({
      inRange: false,
      bound: 'below',
      edge: 3,
    });
  });

  it('random spins read above the grid (exact-edge values: see invertCurve / observableThermometer tests)', () => {
    const thermometer = kaufmanLevelThermometer([1.5, 2, 2.5]);
    expect(thermometer(randomSpins(100, 64, 1), [8, 8])).toEqual({
      inRange: false,
      bound: 'above',
      edge: 2.5,
    });
  });

  it('Wolff data inside the grid read in range, per level size (one Kaufman curve per side)', () => {
    const thermometer = kaufmanLevelThermometer(temperatureGrid(1, 6, 0.025));
    for (const [k, L] of [8, 16].entries()) {
      const e = sampleEnsemble(createIsing2D({ L }), {
        temperature: 2.6,
        samples: 200,
        burnIn: 50,
        thin: 2,
        sampler: 'wolff',
        rng: createRng(40 + k),
      });
      const r = thermometer(Float64Array.from(e.configs), [L, L]);
      if (!r.inRange) throw new Error('expected an in-range reading');
      expect(Math.abs(r.temperature - 2.6)).toBeLessThan(4 * r.error);
    }
  });

  it('a flow carries the flag level by level: all up stays below the grid, random stays above', () => {
    const thermometer = kaufmanLevelThermometer(temperatureGrid(0.5, 10, 0.025));
    const up = blockFlow(new Float64Array(4 * 256).fill(1), [16, 16], {
      levels: 2,
      rule: 'decimate',
      thermometer,
    });
    expect(up.map((s) => s.temperature)).toEqual([
      { inRange: false, bound: 'below', edge: 0.5 },
      { inRange: false, bound: 'below', edge: 0.5 },
      { inRange: false, bound: 'below', edge: 0.5 },
    ]);
    const hot = blockFlow(randomSpins(200, 256, 9), [16, 16], { levels: 2, rule: 'decimate', thermometer });
    for (const s of hot) expect(s.temperature).toEqual({ inRange: false, bound: 'above', edge: 10 });
  });

  it('bad input: typed errors', () => {
    expect(() => kaufmanLevelThermometer([2])).toThrow(/kaufmanLevelThermometer: grid/);
    expect(() => kaufmanLevelThermometer([2, 1])).toThrow(/kaufmanLevelThermometer: grid\[1\]/);
    expect(() => kaufmanLevelThermometer([0, 1])).toThrow(DomainError);
    const thermometer = kaufmanLevelThermometer([1, 2]);
    expect(() => thermometer(new Float64Array(8), [8])).toThrow(ShapeError);
    expect(() => thermometer(new Float64Array(8), [2, 4])).toThrow(/kaufmanLevelThermometer: shape/);
  });
});
