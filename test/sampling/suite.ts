/**
 * The statistical test suite shared by the four 2D Ising samplers (H1): exact 4 x 4 enumeration at three
 * temperatures, the infinite-lattice Onsager energy and Yang magnetisation on a larger lattice away from
 * Tc, a chi-square test of the (E, M) macrostate distribution of the 4 x 4 torus, spins staying +-1 and
 * the returned flip count, and bit-identical reproducibility for a fixed seed. All seeds are fixed, so
 * every run of the suite is the same run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import {
  enumerateIsing2D,
  kaufmanTorus,
  onsagerEnergy,
  yangMagnetization,
} from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import type { Ising2D } from '../../src/lattice/types.js';
import type { Updater } from '../../src/sampling/types.js';
import {
  chiSquare,
  chiSquareCritical,
  deviation,
  macrostateCounts4,
  macrostateProbabilities4,
  runChain,
  TEMPERATURES_4x4,
} from './helpers.js';

export interface SuiteOptions {
  /** Lattice sizes allowed in property tests (Metropolis needs even L). */
  readonly sizes: readonly number[];
  /** Whether the returned count equals the number of sites that changed (false for Wolff: a site may flip twice). */
  readonly countIsHamming: boolean;
  /** Steps of the 4 x 4 runs. */
  readonly steps4: number;
}

export function samplerSuite(
  label: string,
  factory: (model: Ising2D, beta: number) => Updater,
  options: SuiteOptions,
): void {
  describe(`${label}: exact results`, () => {
    const model = createIsing2D({ L: 4 });
    for (const [k, temperature] of TEMPERATURES_4x4.entries()) {
      it(`4x4 at T = ${temperature.toFixed(4)}: <e>, <|m|>, <m^2> within 4 binning errors of enumeration`, () => {
        const exact = enumerateIsing2D(4, temperature);
        const series = runChain(model, factory(model, 1 / temperature), 100 + k, options.steps4, 500);
        for (const [name, x, value] of [
          ['energy', series.energy, exact.energy],
          ['|m|', series.absMagnetization, exact.absMagnetization],
          ['m^2', series.magnetization2, exact.magnetization2],
        ] as const) {
          const d = deviation(x, value);
          expect(d.error, name).toBeGreaterThan(0);
          expect(d.error, name).toBeLessThan(0.01);
          expect(d.z, `${name}: ${d.mean} +- ${d.error} vs ${value}`).toBeLessThan(4);
        }
      });
    }

    // Away from Tc the correlation length is ~1 site, so the finite-size corrections at L = 32 are
    // exponentially small: Kaufman's exact L = 32 energy differs from Onsager's by < 1e-8 (checked below),
    // far below the ~1e-3 statistical error. For <|m|> at T = 1.8 the correction is of order
    // chi T / (2 N M) ~ 1e-5, ten times below the error bar.
    for (const temperature of [1.8, 3.2]) {
      it(`32x32 at T = ${temperature}: energy matches Onsager${temperature < 2 ? ', |m| matches Yang' : ''} within 4 errors`, () => {
        const L = 32;
        expect(Math.abs(kaufmanTorus(L, temperature).energy - onsagerEnergy(temperature))).toBeLessThan(1e-8);
        const big = createIsing2D({ L });
        const series = runChain(
          big,
          factory(big, 1 / temperature),
          7,
          3000,
          300,
          temperature < 2 ? 'up' : 'random',
        );
        const e = deviation(series.energy, onsagerEnergy(temperature));
        expect(e.z, `energy ${e.mean} +- ${e.error}`).toBeLessThan(4);
        if (temperature < 2) {
          const m = deviation(series.absMagnetization, yangMagnetization(temperature));
          expect(m.z, `|m| ${m.mean} +- ${m.error}`).toBeLessThan(4);
        }
      });
    }

    it('4x4 at T = 2.5: chi-square of the (E, M) macrostate frequencies against exact weights (p = 1e-4)', () => {
      const temperature = 2.5;
      const counts = macrostateCounts4(factory(model, 1 / temperature), 11, 20000, 10);
      const { chi2, dof, minExpected } = chiSquare(counts, macrostateProbabilities4(1 / temperature));
      expect(minExpected).toBeGreaterThanOrEqual(5);
      expect(dof).toBeGreaterThan(30);
      expect(chi2).toBeLessThan(chiSquareCritical(dof));
    });
  });

  describe(`${label}: invariants and reproducibility`, () => {
    it('spins stay +-1 and the returned count is consistent, for any size, temperature and seed', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...options.sizes),
          fc.double({ min: 0.05, max: 5, noNaN: true }),
          fc.integer({ min: 0, max: 1e6 }),
          fc.integer({ min: 1, max: 5 }),
          (L, beta, seed, steps) => {
            const model = createIsing2D({ L });
            const updater = factory(model, beta);
            const rng = createRng(seed);
            const spins = new Int8Array(L * L);
            for (let i = 0; i < spins.length; i++) spins[i] = rng.uniform() < 0.5 ? 1 : -1;
            for (let k = 0; k < steps; k++) {
              const before = spins.slice();
              const flipped = updater.step(spins, rng);
              let changed = 0;
              for (let i = 0; i < spins.length; i++) {
                if (spins[i] !== 1 && spins[i] !== -1) return false;
                if (spins[i] !== before[i]) changed++;
              }
              if (!Number.isInteger(flipped) || flipped < changed) return false;
              if (options.countIsHamming && flipped !== changed) return false;
            }
            return true;
          },
        ),
        { numRuns: 60, seed: 4242 },
      );
    });

    it('the same seed gives bit-identical configurations after k steps; another seed does not', () => {
      const model = createIsing2D({ L: 8 });
      const run = (seed: number): Int8Array => {
        const rng = createRng(seed);
        const updater = factory(model, 1 / 2.4);
        const spins = new Int8Array(64).fill(1);
        for (let k = 0; k < 25; k++) updater.step(spins, rng);
        return spins;
      };
      expect(run(99)).toEqual(run(99));
      expect(run(99)).not.toEqual(run(100));
    });

    it('step rejects spins of the wrong length with a ShapeError naming spins', () => {
      const updater = factory(createIsing2D({ L: 4 }), 0.4);
      expect(() => updater.step(new Int8Array(15), createRng(1))).toThrow(
        /step: spins: expected length 16, received length 15/,
      );
    });

    it('rejects beta <= 0, NaN and Infinity with a DomainError naming beta', () => {
      const model = createIsing2D({ L: 4 });
      for (const beta of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => factory(model, beta)).toThrow(/: beta: expected a finite number > 0/);
      }
    });
  });
}
