import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import {
  createIsing2D,
  ising2dEnergy,
  ising2dFlipDelta,
  ising2dLocalField,
  ising2dMagnetization,
} from '../../src/lattice/ising2d.js';
import { squareNeighbors } from '../../src/lattice/square.js';

describe('squareNeighbors', () => {
  it('3x3 golden table: right, left, down, up of sites 0 and 4', () => {
    const nb = squareNeighbors(3);
    expect(Array.from(nb.subarray(0, 4))).toEqual([1, 2, 3, 6]);
    expect(Array.from(nb.subarray(16, 20))).toEqual([5, 3, 7, 1]);
  });

  it('is an involution: left of right, up of down are the site itself (L = 2..7)', () => {
    for (let L = 2; L <= 7; L++) {
      const nb = squareNeighbors(L);
      for (let i = 0; i < L * L; i++) {
        expect(nb[4 * nb[4 * i]! + 1]).toBe(i);
        expect(nb[4 * nb[4 * i + 2]! + 3]).toBe(i);
      }
    }
  });

  it('fills `out` and rejects bad L or out', () => {
    const out = new Int32Array(16);
    expect(squareNeighbors(2, out)).toBe(out);
    expect(() => squareNeighbors(1)).toThrow(
      'squareNeighbors: L: expected an integer in [2, 46340], received 1',
    );
    expect(() => squareNeighbors(3, new Int32Array(5))).toThrow(ShapeError);
  });
});

describe('createIsing2D', () => {
  it('defaults J = 1, h = 0', () => {
    expect(createIsing2D({ L: 8 })).toEqual({ kind: 'ising2d', L: 8, J: 1, h: 0 });
    expect(createIsing2D({ L: 3, J: -0.5, h: 0.25 })).toEqual({ kind: 'ising2d', L: 3, J: -0.5, h: 0.25 });
  });

  it('rejects non-integer or too small L and non-finite J, h, naming the argument', () => {
    expect(() => createIsing2D({ L: 2.5 })).toThrow(
      'createIsing2D: L: expected an integer in [2, 46340], received 2.5',
    );
    expect(() => createIsing2D({ L: 1 })).toThrow(DomainError);
    expect(() => createIsing2D({ L: 4, J: Number.NaN })).toThrow(
      'createIsing2D: J: expected a finite number, received NaN',
    );
    expect(() => createIsing2D({ L: 4, h: Number.POSITIVE_INFINITY })).toThrow(/createIsing2D: h/);
    expect(() => createIsing2D(null as never)).toThrow(/createIsing2D: options/);
  });
});

describe('energy, magnetisation, local field, flip delta', () => {
  it('all up: E = -2 N J - N h, M = N', () => {
    const model = createIsing2D({ L: 5, J: 1.5, h: 0.5 });
    const spins = new Int8Array(25).fill(1);
    expect(ising2dEnergy(model, spins)).toBeCloseTo(-2 * 25 * 1.5 - 25 * 0.5, 12);
    expect(ising2dMagnetization(spins)).toBe(25);
  });

  it('checkerboard on 4x4: E = +2 N J, M = 0', () => {
    const model = createIsing2D({ L: 4 });
    const spins = new Int8Array(16).map((_, i) => (((i % 4) + Math.floor(i / 4)) % 2 === 0 ? 1 : -1));
    expect(ising2dEnergy(model, spins)).toBe(32);
    expect(ising2dMagnetization(spins)).toBe(0);
  });

  it('property: flip delta equals the energy difference, and -s * local field is the site energy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.array(fc.boolean(), { minLength: 49, maxLength: 49 }),
        fc.nat(),
        (L, J, h, bits, siteSeed) => {
          const model = createIsing2D({ L, J, h });
          const n = L * L;
          const spins = new Int8Array(n).map((_, i) => (bits[i] ? 1 : -1));
          const site = siteSeed % n;
          const e0 = ising2dEnergy(model, spins);
          const delta = ising2dFlipDelta(model, spins, site);
          const field = ising2dLocalField(model, spins, site);
          spins[site] = -spins[site]!;
          const e1 = ising2dEnergy(model, spins);
          return (
            Math.abs(e1 - e0 - delta) <= 1e-9 * (1 + Math.abs(e0)) &&
            Math.abs(delta + 2 * spins[site]! * field) <= 1e-12
          );
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  it('rejects wrong spin length, bad spin values and bad sites, naming them', () => {
    const model = createIsing2D({ L: 4 });
    expect(() => ising2dEnergy(model, new Int8Array(15))).toThrow(
      'ising2dEnergy: spins: expected length 16, received length 15',
    );
    const spins = new Int8Array(16).fill(1);
    spins[3] = 0;
    expect(() => ising2dEnergy(model, spins)).toThrow(
      'ising2dEnergy: spins[3]: expected a spin +1 or -1, received 0',
    );
    expect(() => ising2dFlipDelta(model, new Int8Array(16).fill(1), 16)).toThrow(
      'ising2dFlipDelta: site: expected an integer in [0, 15], received 16',
    );
    expect(() => ising2dLocalField(model, new Int8Array(9), 0)).toThrow(ShapeError);
    expect(() => ising2dEnergy({ kind: 'lrchain' } as never, spins)).toThrow(/ising2dEnergy: model/);
    expect(() => ising2dMagnetization(null as never)).toThrow(/ising2dMagnetization: spins/);
  });
});
