import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import {
  createLongRangeChain,
  createLongRangeEnergyFunction,
  enumerateLongRangeChain,
  longRangeDoubledCouplings,
  longRangeEnergy,
  longRangeFlipDelta,
  longRangeLocalFields,
} from '../../src/lattice/longRangeChain.js';
import {
  createEnergyFunction,
  modelEnergy,
  modelMagnetization,
  modelShape,
  modelSites,
} from '../../src/lattice/model.js';

/** Brute-force energy: every unordered pair once, minimum-image distance. */
function bruteEnergy(N: number, sigma: number, J: number, h: number, spins: Int8Array): number {
  let e = 0;
  for (let i = 0; i < N; i++) {
    e -= h * spins[i]!;
    for (let j = i + 1; j < N; j++) {
      const r = Math.min(j - i, N - (j - i));
      e -= (J / r ** (1 + sigma)) * spins[i]! * spins[j]!;
    }
  }
  return e;
}

const spinArray = (N: number) =>
  fc.array(fc.boolean(), { minLength: N, maxLength: N }).map((b) => Int8Array.from(b, (x) => (x ? 1 : -1)));

describe('createLongRangeChain', () => {
  it('precomputes J(r) = J / r^(1 + sigma) up to floor(N/2)', () => {
    const m = createLongRangeChain({ N: 9, sigma: 0.5, J: 2 });
    expect(m.couplings.length).toBe(5);
    expect(m.couplings[0]).toBe(0);
    expect(m.couplings[3]).toBeCloseTo(2 / 3 ** 1.5, 15);
    expect(m).toMatchObject({ kind: 'lrchain', N: 9, sigma: 0.5, J: 2, h: 0 });
  });

  it('counts the pair at distance N/2 once for even N', () => {
    // N = 4, sigma = 1, all up: 4 pairs at r = 1 (J = 1) and 2 pairs at r = 2 (J = 1/4)
    const m = createLongRangeChain({ N: 4, sigma: 1 });
    expect(longRangeEnergy(m, Int8Array.of(1, 1, 1, 1))).toBe(-4.5);
    // N = 2: a single pair at r = 1
    expect(longRangeEnergy(createLongRangeChain({ N: 2, sigma: 1 }), Int8Array.of(1, 1))).toBe(-1);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    expect(() => createLongRangeChain({ N: 8, sigma: 0 })).toThrow(DomainError);
    expect(() => createLongRangeChain({ N: 8, sigma: 0 })).toThrow(
      'createLongRangeChain: sigma: expected a number in (0, 2], received 0',
    );
    expect(() => createLongRangeChain({ N: 8, sigma: 2.5 })).toThrow('createLongRangeChain: sigma');
    expect(() => createLongRangeChain({ N: 8, sigma: Number.NaN })).toThrow('received NaN');
    expect(() => createLongRangeChain({ N: 8.5, sigma: 1 })).toThrow(
      'createLongRangeChain: N: expected an integer in [2, 67108864], received 8.5',
    );
    expect(() => createLongRangeChain({ N: 1, sigma: 1 })).toThrow(DomainError);
    expect(() => createLongRangeChain({ N: 8, sigma: 1, J: 0 })).toThrow('createLongRangeChain: J');
    const m = createLongRangeChain({ N: 4, sigma: 1 });
    expect(() => longRangeEnergy(m, Int8Array.of(1, 1, 1))).toThrow(ShapeError);
    expect(() => longRangeEnergy(m, Int8Array.of(1, 1, 0, 1))).toThrow('longRangeEnergy: spins[2]');
    expect(() => longRangeFlipDelta(m, Int8Array.of(1, 1, 1, 1), 4)).toThrow('longRangeFlipDelta: site');
    expect(() => enumerateLongRangeChain(createLongRangeChain({ N: 17, sigma: 1 }), 1)).toThrow(
      'enumerateLongRangeChain: model.N',
    );
    expect(() => enumerateLongRangeChain(m, 0)).toThrow('enumerateLongRangeChain: temperature');
    expect(() => enumerateLongRangeChain(m, Number.NaN)).toThrow(DomainError);
  });
});

describe('energy, fields and flip delta (properties)', () => {
  const params = fc.record({
    N: fc.integer({ min: 2, max: 24 }),
    sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
    h: fc.double({ min: -1, max: 1, noNaN: true }),
  });

  it('energy equals the brute-force pair sum', () => {
    fc.assert(
      fc.property(
        params.chain(({ N, sigma, h }) => fc.tuple(fc.constant({ N, sigma, h }), spinArray(N))),
        ([{ N, sigma, h }, spins]) => {
          const m = createLongRangeChain({ N, sigma, h });
          const e = longRangeEnergy(m, spins);
          expect(Math.abs(e - bruteEnergy(N, sigma, 1, h, spins))).toBeLessThan(1e-12 * N * N);
          expect(modelEnergy(m, spins)).toBe(e);
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });

  it('local fields are consistent with the energy: E = -1/2 sum s_i (f_i - h) - h sum s_i', () => {
    fc.assert(
      fc.property(
        params.chain(({ N, sigma, h }) => fc.tuple(fc.constant({ N, sigma, h }), spinArray(N))),
        ([{ N, sigma, h }, spins]) => {
          const m = createLongRangeChain({ N, sigma, h });
          const f = longRangeLocalFields(m, spins);
          let e = 0;
          for (let i = 0; i < N; i++) e += -0.5 * spins[i]! * (f[i]! - h) - h * spins[i]!;
          expect(Math.abs(e - longRangeEnergy(m, spins))).toBeLessThan(1e-12 * N * N);
        },
      ),
      { numRuns: 100, seed: 12 },
    );
  });

  it('flip delta equals the energy difference and 2 s_i f_i', () => {
    fc.assert(
      fc.property(
        params.chain(({ N, sigma, h }) =>
          fc.tuple(fc.constant({ N, sigma, h }), spinArray(N), fc.integer({ min: 0, max: N - 1 })),
        ),
        ([{ N, sigma, h }, spins, site]) => {
          const m = createLongRangeChain({ N, sigma, h });
          const before = longRangeEnergy(m, spins);
          const delta = longRangeFlipDelta(m, spins, site);
          const f = longRangeLocalFields(m, spins);
          expect(Math.abs(delta - 2 * spins[site]! * f[site]!)).toBeLessThan(1e-12 * N);
          const flipped = spins.slice();
          flipped[site] = -flipped[site]!;
          expect(Math.abs(longRangeEnergy(m, flipped) - before - delta)).toBeLessThan(1e-12 * N * N);
        },
      ),
      { numRuns: 100, seed: 13 },
    );
  });

  it('the doubled coupling table gives J(r_ij) at N - i + j without modulo', () => {
    const m = createLongRangeChain({ N: 7, sigma: 0.7 });
    const K = longRangeDoubledCouplings(m);
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) {
        const r = Math.min(Math.abs(i - j), 7 - Math.abs(i - j));
        expect(K[7 - i + j]).toBe(m.couplings[r]);
      }
    }
  });
});

describe('model dispatchers', () => {
  it('give sites, shape and magnetisation of the chain', () => {
    const m = createLongRangeChain({ N: 6, sigma: 1 });
    expect(modelSites(m)).toBe(6);
    expect(modelShape(m)).toEqual([6]);
    expect(modelMagnetization(Int8Array.of(1, 1, -1, 1, 1, 1))).toBe(4);
    expect(() => modelSites({ kind: 'x' } as never)).toThrow(
      "modelSites: model.kind: expected 'ising2d' or 'lrchain'",
    );
  });
});

describe('enumerateLongRangeChain', () => {
  it('matches a direct sum over states (N = 5, with field)', () => {
    const m = createLongRangeChain({ N: 5, sigma: 0.8, h: 0.3 });
    const beta = 1 / 1.7;
    let z = 0;
    let se = 0;
    let sm = 0;
    let sam = 0;
    const spins = new Int8Array(5);
    for (let c = 0; c < 32; c++) {
      let M = 0;
      for (let i = 0; i < 5; i++) {
        spins[i] = (c >> i) & 1 ? 1 : -1;
        M += spins[i]!;
      }
      const E = bruteEnergy(5, 0.8, 1, 0.3, spins);
      const w = Math.exp(-beta * E);
      z += w;
      se += (w * E) / 5;
      sm += (w * M) / 5;
      sam += (w * Math.abs(M)) / 5;
    }
    const ex = enumerateLongRangeChain(m, 1.7);
    expect(ex.logZ).toBeCloseTo(Math.log(z), 12);
    expect(ex.energy).toBeCloseTo(se / z, 12);
    expect(ex.magnetization).toBeCloseTo(sm / z, 12);
    expect(ex.absMagnetization).toBeCloseTo(sam / z, 12);
  });

  it('has the right limits: ground state at low T, free spins at high T', () => {
    const m = createLongRangeChain({ N: 8, sigma: 0.5 });
    const cold = enumerateLongRangeChain(m, 0.01);
    expect(cold.energy).toBeCloseTo(longRangeEnergy(m, new Int8Array(8).fill(1)) / 8, 10);
    expect(cold.absMagnetization).toBeCloseTo(1, 10);
    const hot = enumerateLongRangeChain(m, 1e6);
    expect(hot.magnetization2).toBeCloseTo(1 / 8, 4);
    // free spins: <M^4> = 3N^2 - 2N, <M^2> = N, so U = 2 / (3N)
    expect(hot.binder).toBeCloseTo(2 / 24, 4);
  });
});

describe('spectral energy function', () => {
  it('agrees with the direct pair sum for any N (odd, even, non powers of two), with a field', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            N: fc.integer({ min: 2, max: 300 }),
            sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
            h: fc.double({ min: -1, max: 1, noNaN: true }),
          })
          .chain((p) => fc.tuple(fc.constant(p), spinArray(p.N))),
        ([{ N, sigma, h }, spins]) => {
          const m = createLongRangeChain({ N, sigma, h });
          const direct = longRangeEnergy(m, spins);
          expect(Math.abs(createLongRangeEnergyFunction(m)(spins) - direct)).toBeLessThan(1e-11 * N);
          expect(Math.abs(createEnergyFunction(m)(spins) - direct)).toBeLessThan(1e-11 * N);
        },
      ),
      { numRuns: 80, seed: 14 },
    );
  });
});
