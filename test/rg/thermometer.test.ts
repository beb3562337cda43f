import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { kaufmanTorus, onsagerEnergy } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
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

describe('observable-matching thermometer', () => {
  it('observables: energy per site of the ground state is -2 (2D) and -1 (chain); nn correlator 1', () => {
    expect([...configurationObservable(new Int8Array(32).fill(1), [4, 4], 'energy')]).toEqual([-2, -2]);
    expect([...configurationObservable(new Int8Array(8).fill(-1), [8], 'energy')]).toEqual([-1]);
    const stripes = Int8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    expect([...configurationObservable(stripes, [4, 4], 'nnCorrelator')]).toEqual([0]);
  });

  it('inverts an exact curve exactly at its nodes and linearly between them', () => {
    const curve = curveFromFunction(onsagerEnergy, grid);
    expect(invertCurve(curve, onsagerEnergy(2.5)).temperature).toBeCloseTo(2.5, 10);
    const c2 = referenceCurve([1, 2, 3], [-2, -1.5, -0.5]);
    expect(invertCurve(c2, -1).temperature).toBeCloseTo(2.5, 14);
    expect(invertCurve(c2, -3)).toMatchObject({ temperature: 1, clamped: true });
  });

  it('recovers held-out Wolff temperatures 1.5..3.5 on 16 x 16 within 4 sigma (Kaufman curve, no training)', () => {
    const L = 16;
    const curve = curveFromFunction((T) => kaufmanTorus(L, T).energy, grid);
    for (const [k, T] of [1.5, 2.0, 2.269, 2.6, 3.0, 3.5].entries()) {
      const configs = wolffSamples(L, T, 300, 100 + k);
      const est = observableThermometer(configs, [L, L], curve);
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
    const a = observableThermometer(configs, [8, 8], exact);
    const b = observableThermometer(configs, [8, 8], noisy);
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
    const est = observableThermometer(wolffSamples(8, 2.5, 400, 999), [8, 8], curve);
    expect(est.curveError).toBeGreaterThan(0);
    expect(Math.abs(est.temperature - 2.5)).toBeLessThan(4 * est.error);
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
