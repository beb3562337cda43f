import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { estimateTemperatures, trainThermometer } from '../../src/rg/networkThermometer.js';
import { createWolffUpdater } from '../../src/sampling/wolff.js';

function wolffSamples(L: number, temperature: number, samples: number, seed: number): Int8Array {
  const updater = createWolffUpdater(createIsing2D({ L }), 1 / temperature);
  const rng = createRng(seed);
  const spins = new Int8Array(L * L).fill(1);
  for (let i = 0; i < 50; i++) updater.step(spins, rng);
  const out = new Int8Array(samples * L * L);
  for (let s = 0; s < samples; s++) {
    updater.step(spins, rng);
    updater.step(spins, rng);
    out.set(spins, s * L * L);
  }
  return out;
}

describe('network thermometer', () => {
  const L = 8;
  const grid = [1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5];
  const ensembles = grid.map((T, k) => ({
    temperature: T,
    configs: wolffSamples(L, T, 300, 10 + k),
    sites: L * L,
  }));
  const thermometer = trainThermometer(ensembles, {
    hidden: [32],
    epochs: 30,
    batchSize: 50,
    learningRate: 3e-3,
    rng: createRng(1),
  });

  it('trains with a held-out accuracy well above chance and mostly within one grid step', () => {
    expect(thermometer.heldOut).toBe(9 * 60);
    expect(thermometer.heldOutAccuracy).toBeGreaterThan(2 / 9);
    expect(thermometer.heldOutAccuracyWithinOne).toBeGreaterThan(0.6);
  });

  // stated error: 0.15 (about half a grid step) or 3 jackknife errors; the jackknife error alone does not
  // include the classifier's own systematic error (measured offsets 0.01..0.11 at this seed)
  it('recovers held-out Monte Carlo temperatures across 1.5..3.5 within 0.15 (maximum likelihood)', () => {
    for (const [k, T] of [1.6, 2.0, 2.27, 2.8, 3.4].entries()) {
      const est = estimateTemperatures(thermometer, wolffSamples(L, T, 200, 100 + k));
      if (!est.inRange) throw new Error(`T = ${T}: expected an in-range reading`);
      expect(Math.abs(est.temperature - T)).toBeLessThan(Math.max(0.15, 3 * est.error));
      expect(est.perConfiguration.length).toBe(200);
      expect(est.error).toBeGreaterThan(0);
    }
  });

  it('all up, random and grid-edge ensembles read out of range (no temperature), with their bound', () => {
    const up = estimateTemperatures(thermometer, new Int8Array(50 * 64).fill(1));
    expect(up).toMatchObject({ inRange: false, bound: 'below', edge: 1.5 });
    expect('temperature' in up).toBe(false);
    expect(up.configurationsOutOfRange.below).toBe(50);
    expect([...up.perConfiguration].every(Number.isNaN)).toBe(true);
    const rng = createRng(4);
    const random = Int8Array.from({ length: 100 * 64 }, () => (rng.uniform() < 0.5 ? -1 : 1));
    expect(estimateTemperatures(thermometer, random)).toMatchObject({
      inRange: false,
      bound: 'above',
      edge: 3.5,
    });
    // ensembles at exactly the grid's end temperatures: the likelihood peaks at the end class, so the
    // temperature is only bounded (at or beyond the edge)
    expect(estimateTemperatures(thermometer, wolffSamples(L, 1.5, 200, 300))).toMatchObject({
      inRange: false,
      bound: 'below',
      edge: 1.5,
    });
    expect(estimateTemperatures(thermometer, wolffSamples(L, 3.5, 200, 301))).toMatchObject({
      inRange: false,
      bound: 'above',
      edge: 3.5,
    });
  });

  it('same seed => bit-identical thermometer', () => {
    const small = ensembles.slice(0, 2).map((e) => ({ ...e, configs: e.configs.slice(0, 20 * 64) }));
    const a = trainThermometer(small, { hidden: [4], epochs: 2, batchSize: 10, rng: createRng(9) });
    const b = trainThermometer(small, { hidden: [4], epochs: 2, batchSize: 10, rng: createRng(9) });
    expect([...a.model.weights[0]!]).toEqual([...b.model.weights[0]!]);
    expect(a.heldOutAccuracy).toBe(b.heldOutAccuracy);
  });

  it('bad input: typed errors naming the argument', () => {
    expect(() => trainThermometer([ensembles[0]!], { rng: createRng(1) })).toThrow(
      /trainThermometer: ensembles/,
    );
    expect(() => trainThermometer([ensembles[0]!, ensembles[0]!], { rng: createRng(1) })).toThrow(
      DomainError,
    );
    expect(() =>
      trainThermometer([ensembles[0]!, { temperature: 3, configs: new Int8Array(0), sites: 64 }], {
        rng: createRng(1),
      }),
    ).toThrow(/ensembles\[1\].configs/);
    expect(() => estimateTemperatures(thermometer, new Int8Array(63))).toThrow(ShapeError);
  });
});
