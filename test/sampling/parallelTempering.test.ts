import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { enumerateIsing2D } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain, enumerateLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { parallelTempering, summarizeParallelTempering } from '../../src/sampling/parallelTempering.js';

describe('parallel tempering', () => {
  it('long-range rings (two sigma): every temperature agrees with exact enumeration within 4 sigma', () => {
    for (const { N, sigma, temperatures } of [
      { N: 10, sigma: 0.5, temperatures: [2, 3, 4.5, 7] },
      { N: 8, sigma: 1.5, temperatures: [1, 1.6, 2.5] },
    ]) {
      const model = createLongRangeChain({ N, sigma });
      const result = parallelTempering(model, temperatures, {
        sampler: 'lr-metropolis',
        samples: 20_000,
        burnIn: 200,
        rng: createRng(21),
      });
      const summaries = summarizeParallelTempering(result, N);
      temperatures.forEach((T, k) => {
        const exact = enumerateLongRangeChain(model, T);
        const s = summaries[k]!;
        for (const key of ['energy', 'absMagnetization', 'magnetization2', 'specificHeat'] as const) {
          const dev = Math.abs(s[key].mean - exact[key]) / s[key].error;
          expect(dev, `N=${N} sigma=${sigma} T=${T} ${key}`).toBeLessThan(4);
        }
      });
      expect(result.exchangeAcceptance.length).toBe(temperatures.length - 1);
      for (const a of result.exchangeAcceptance) {
        expect(a).toBeGreaterThan(0.05);
        expect(a).toBeLessThanOrEqual(1);
      }
    }
  });

  it('works for the 2D Ising model (4 x 4, heat bath)', () => {
    const temperatures = [1.8, 2.3, 3];
    const result = parallelTempering(createIsing2D({ L: 4 }), temperatures, {
      sampler: 'heatbath',
      samples: 10_000,
      burnIn: 100,
      rng: createRng(22),
    });
    const summaries = summarizeParallelTempering(result, 16);
    temperatures.forEach((T, k) => {
      const exact = enumerateIsing2D(4, T);
      const s = summaries[k]!;
      expect(Math.abs(s.energy.mean - exact.energy) / s.energy.error).toBeLessThan(4);
      expect(
        Math.abs(s.absMagnetization.mean - exact.absMagnetization) / s.absMagnetization.error,
      ).toBeLessThan(4);
    });
  });

  it('is reproducible and swaps with the exact acceptance (identical temperatures always swap)', () => {
    const model = createLongRangeChain({ N: 12, sigma: 0.5 });
    const opts = { sampler: 'lr-cluster' as const, samples: 50, burnIn: 5 };
    const a = parallelTempering(model, [3, 3, 3], { ...opts, rng: createRng(1) });
    const b = parallelTempering(model, [3, 3, 3], { ...opts, rng: createRng(1) });
    expect(Array.from(a.energy[1]!)).toEqual(Array.from(b.energy[1]!));
    expect(Array.from(a.exchangeAcceptance)).toEqual([1, 1]);
  });

  it('rejects bad input with typed errors', () => {
    const model = createLongRangeChain({ N: 8, sigma: 1 });
    const rng = createRng(1);
    expect(() => parallelTempering(model, [1], { samples: 10, rng })).toThrow(
      'parallelTempering: temperatures',
    );
    expect(() => parallelTempering(model, [1, Number.NaN], { samples: 10, rng })).toThrow(
      'parallelTempering: temperatures[1]: expected a finite number > 0, received NaN',
    );
    expect(() => parallelTempering(model, [1, 2], { samples: 10, rng, sampler: 'x' as never })).toThrow(
      'parallelTempering: sampler',
    );
    expect(() => parallelTempering(model, [1, 2], { samples: 0, rng })).toThrow('parallelTempering: samples');
  });
});
