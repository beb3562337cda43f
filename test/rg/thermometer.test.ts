import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { kaufmanTorus, onsagerEnergy } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { temperatureGrid } from '../../src/rg/levelThermometer.js';
import type { TemperatureReading } from '../../src/rg/reading.js';
import {
  configurationObservable,
  curveFromEnsembles,
  curveFromFunction,
  invertCurve,
  observableThermometer,
  referenceCurve,
} from '../../src/rg/thermometer.js';
import { createWolffUpdater } from '../../src/sampling/wolff.js';

/** Wolff samples of the L x L Ising model: `samples` configurations, `thin` steps (~sweeps) apart. */
function wolffSamples(L: number, temperature: number, samples: number, seed: number, thin = 2): Int8Array {
  const model = createIsing2D({ L });
  const updater = createWolffUpdater(model, 1 / temperature);
  const rng = createRng(seed);
  const spins = new Int8Array(L * L).fill(1);
  for (let i = 0; i < 100; i++) updater.step(spins, rng);
  const out = new Int8Array(samples * L * L);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < thin; i++) updater.step(spins, rng);
    out.set(spins, s * L * L);
  }
  return out;
}

const grid = Float64Array.from({ length: 701 }, (_, i) => 1 + i * 0.005);

/** The reading, asserted to be in range (fails the test otherwise). */
function inRange<R extends TemperatureReading>(reading: R): Extract<R, { inRange: true }> {
  expect(reading.inRange).toBe(true);
  return reading as Extract<R, { inRange: true }>;
}

/** n independent uniformly random +-1 configurations of N sites (infinite temperature). */
function randomSpins(n: number, N: number, seed: number): Int8Array {
  const rng = createRng(seed);
  return Int8Array.from({ length: n * N }, () => (rng.uniform() < 0.5 ? -1 : 1));
}

describe('observable-matching thermometer', () => {
  it('observables: energy per site of the ground state is -2 (2D) and -1 (chain); nn correlator 1', () => {
    expect([...configurationObservable(new Int8Array(32).fill(1), [4, 4], 'energy')]).toEqual([-2, -2]);
    expect([...configurationObservable(new Int8Array(8).fill(-1), [8], 'energy')]).toEqual([-1]);
    const stripes = Int8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    expect([...configurationObservable(stripes, [4, 4], 'nnCorrelator')]).toEqual([0]);
  });

  it('inverts an exact curve exactly at its nodes and linearly between them', () => {
    const curve = curveFromFunction(onsagerEnergy, grid);
    expect(inRange(invertCurve(curve, onsagerEnergy(2.5))).temperature).toBeCloseTo(2.5, 10);
    const c2 = referenceCurve([1, 2, 3], [-2, -1.5, -0.5]);
    const mid = inRange(invertCurve(c2, -1));
    expect(mid.temperature).toBeCloseTo(2.5, 14);
    expect(mid).toMatchObject({ slope: 1, curveError: 0, error: 0 });
    // the curve's own error propagates: 0.1 / slope 1
    const c3 = referenceCurve([1, 2, 3], [-2, -1.5, -0.5], [0.1, 0.1, 0.1]);
    expect(inRange(invertCurve(c3, -1)).error).toBeCloseTo(0.1, 14);
  });

  it('invertCurve: a value at or beyond either end is out of range, with its bound and edge, never a temperature', () => {
    const rising = referenceCurve([1, 2, 3], [-2, -1.5, -0.5]);
    expect(invertCurve(rising, -3)).toEqual({ inRange: false, bound: 'below', edge: 1 });
    expect(invertCurve(rising, 0)).toEqual({ inRange: false, bound: 'above', edge: 3 });
    // exactly at the grid's edges
    expect(invertCurve(rising, -2)).toEqual({ inRange: false, bound: 'below', edge: 1 });
    expect(invertCurve(rising, -0.5)).toEqual({ inRange: false, bound: 'above', edge: 3 });
    // just inside: in range, next to the edge
    expect(inRange(invertCurve(rising, -2 + 1e-9)).temperature).toBeCloseTo(1, 8);
    // a falling curve (the nn correlator drops with T): a large correlator is the cold side
    const falling = referenceCurve([1, 2, 3], [0.9, 0.5, 0.2]);
    expect(invertCurve(falling, 0.95)).toEqual({ inRange: false, bound: 'below', edge: 1 });
    expect(invertCurve(falling, 0.9)).toEqual({ inRange: false, bound: 'below', edge: 1 });
    expect(invertCurve(falling, 0.2)).toEqual({ inRange: false, bound: 'above', edge: 3 });
    expect(invertCurve(falling, 0.1)).toEqual({ inRange: false, bound: 'above', edge: 3 });
    expect(inRange(invertCurve(falling, 0.35)).temperature).toBeCloseTo(2.5, 14);
    expect(() => invertCurve(rising, Number.NaN)).toThrow(/invertCurve: value/);
  });

  it('recovers held-out Wolff temperatures 1.5..3.5 on 16 x 16 within 4 sigma (Kaufman curve, no training)', () => {
    const L = 16;
    const curve = curveFromFunction((T) => kaufmanTorus(L, T).energy, grid);
    for (const [k, T] of [1.5, 2.0, 2.269, 2.6, 3.0, 3.5].entries()) {
      const configs = wolffSamples(L, T, 300, 100 + k);
      const est = inRange(observableThermometer(configs, [L, L], curve));
      expect(est.error).toBeGreaterThan(0);
      expect(est.error).toBeLessThan(0.06);
      expect(Math.abs(est.temperature - T)).toBeLessThan(4 * est.error);
      expect(est.perConfiguration.length).toBe(300);
    }
  });

  it('curve errors propagate: a Monte Carlo curve with errors widens the error bar', () => {
    const T = [2, 2.5, 3];
    const u = T.map((t) => kaufmanTorus(8, t).energy);
    const exact = referenceCurve(T, u);
    const noisy = referenceCurve(T, u, [0.01, 0.01, 0.01]);
    const configs = wolffSamples(8, 2.5, 64, 5);
    const a = inRange(observableThermometer(configs, [8, 8], exact));
    const b = inRange(observableThermometer(configs, [8, 8], noisy));
    expect(a.curveError).toBe(0);
    expect(b.curveError).toBeGreaterThan(0);
    expect(b.error).toBeGreaterThan(a.error);
  });

  it('a Monte Carlo curve (8 x 8 Wolff ensembles) recovers a held-out temperature within its error', () => {
    const grid = [1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0];
    const curve = curveFromEnsembles(
      grid.map((T, k) => ({ temperature: T, configs: wolffSamples(8, T, 400, 200 + k) })),
      [8, 8],
    );
    for (let k = 0; k < grid.length; k++) {
      expect(curve.errors[k]).toBeGreaterThan(0);
      // each point agrees with the exact finite-lattice energy within 4 sigma
      expect(Math.abs(curve.values[k]! - kaufmanTorus(8, grid[k]!).energy)).toBeLessThan(
        4 * curve.errors[k]!,
      );
    }
    const est = inRange(observableThermometer(wolffSamples(8, 2.5, 400, 999), [8, 8], curve));
    expect(est.curveError).toBeGreaterThan(0);
    expect(Math.abs(est.temperature - 2.5)).toBeLessThan(4 * est.error);
  });

  it('all up, random and exactly-at-the-edge configurations read out of range; Wolff data read in range', () => {
    const L = 8;
    const curve = curveFromFunction((T) => kaufmanTorus(L, T).energy, temperatureGrid(1.5, 4.5, 0.05));
    // all up: energy -2 < e(1.5), colder than the grid
    const up = observableThermometer(new Int8Array(10 * 64).fill(1), [L, L], curve);
    expect(up).toMatchObject({ inRange: false, bound: 'below', edge: 1.5 });
    expect(up.configurationsOutOfRange).toEqual({ below: 10, above: 0 });
    expect([...up.perConfiguration].every(Number.isNaN)).toBe(true);
    expect('temperature' in up).toBe(false);
    // random spins: energy ~0 > e(4.5) = -0.48, hotter than the grid
    const random = observableThermometer(randomSpins(200, 64, 3), [L, L], curve);
    expect(random).toMatchObject({ inRange: false, bound: 'above', edge: 4.5 });
    expect(random.observable.mean).toBeGreaterThan(kaufmanTorus(L, 4.5).energy);
    // exactly at the edges: a curve whose end values are the observables of given configurations
    const stripes = Int8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1)); // energy 0 on 4 x 4
    const edges = referenceCurve([1, 2, 3], [-2, -1, 0]);
    expect(observableThermometer(new Int8Array(16).fill(1), [4, 4], edges)).toMatchObject({
      inRange: false,
      bound: 'below',
      edge: 1,
    });
    expect(observableThermometer(stripes, [4, 4], edges)).toMatchObject({
      inRange: false,
      bound: 'above',
      edge: 3,
    });
    // a mixture whose mean is inside while some configurations are beyond: in range, those counted
    const mixed = new Int8Array(32);
    mixed.fill(1, 0, 16);
    mixed.set(stripes, 16);
    const m = inRange(observableThermometer(mixed, [4, 4], edges));
    expect(m.temperature).toBeCloseTo(2, 14);
    expect(m.configurationsOutOfRange).toEqual({ below: 1, above: 1 });
    // Wolff data at T = 2.5 inside the grid
    const wolff = inRange(observableThermometer(wolffSamples(L, 2.5, 200, 77), [L, L], curve));
    expect(Math.abs(wolff.temperature - 2.5)).toBeLessThan(4 * wolff.error);
  });

  it('near an edge the jackknife error is not clamped: resamples beyond the edge are extrapolated', () => {
    // mean energy just inside the edge: the error stays comparable to the spread of the observable
    const edges = referenceCurve([1, 2, 3], [-2, -1, 0]);
    const stripes = Int8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const configs = new Int8Array(16 * 40);
    for (let c = 0; c < 40; c++) configs.set(c < 3 ? stripes : new Int8Array(16).fill(1), c * 16);
    const r = inRange(observableThermometer(configs, [4, 4], edges, { blocks: 40 }));
    expect(r.temperature).toBeCloseTo(1 + (3 * 2) / 40, 12);
    // linear curve of slope 1: the temperature error equals the observable's jackknife error
    expect(r.statisticalError).toBeCloseTo(r.observable.error, 12);
  });

  it('bad input: typed errors', () => {
    expect(() => referenceCurve([1, 1], [0, 1])).toThrow(/referenceCurve: temperatures\[1\]/);
    expect(() => referenceCurve([1, 2, 3], [0, 1, 0.5])).toThrow(DomainError);
    expect(() => referenceCurve([1, 2], [0])).toThrow(ShapeError);
    const curve = referenceCurve([1, 2], [-2, -1]);
    expect(() => observableThermometer(new Int8Array(0), [4, 4], curve)).toThrow(
      /observableThermometer: configs/,
    );
    expect(() => observableThermometer(new Int8Array(15), [4, 4], curve)).toThrow(ShapeError);
  });
});
