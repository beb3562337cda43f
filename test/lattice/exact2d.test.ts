import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import {
  enumerateIsing2D,
  ISING_TC,
  isingCorrelationLength,
  isingCriticalWindow,
  kaufmanTorus,
  onsagerEnergy,
  onsagerSpecificHeat,
  yangMagnetization,
} from '../../src/lattice/exact2d.js';

describe('Onsager and Yang (infinite lattice)', () => {
  it('Tc = 2 / ln(1 + sqrt 2) and u(Tc) = -sqrt 2', () => {
    expect(ISING_TC).toBeCloseTo(2.269185314213022, 14);
    expect(onsagerEnergy(ISING_TC)).toBeCloseTo(-Math.SQRT2, 14);
    // continuous through Tc
    expect(onsagerEnergy(ISING_TC * (1 + 1e-9))).toBeCloseTo(-Math.SQRT2, 6);
    expect(onsagerEnergy(ISING_TC * (1 - 1e-9))).toBeCloseTo(-Math.SQRT2, 6);
  });

  it('limits: u -> -2 as T -> 0, u ~ -2/T as T -> infinity', () => {
    expect(onsagerEnergy(0.2)).toBeCloseTo(-2, 12);
    expect(onsagerEnergy(100)).toBeCloseTo(-0.02, 4);
  });

  it('specific heat equals the numerical derivative du/dT, and diverges at Tc', () => {
    for (const temperature of [0.8, 1.5, 2.0, 2.2, 2.3, 2.5, 3.2, 6]) {
      const dT = 1e-5 * temperature;
      const numeric = (onsagerEnergy(temperature + dT) - onsagerEnergy(temperature - dT)) / (2 * dT);
      expect(onsagerSpecificHeat(temperature)).toBeCloseTo(numeric, 7);
    }
    expect(onsagerSpecificHeat(ISING_TC)).toBe(Number.POSITIVE_INFINITY);
    expect(onsagerSpecificHeat(ISING_TC * 1.001)).toBeGreaterThan(onsagerSpecificHeat(ISING_TC * 1.01));
  });

  it('Yang magnetisation: M(T = 2) = 0.911319..., 0 at and above Tc, -> 1 at low T', () => {
    expect(yangMagnetization(2)).toBeCloseTo(0.9113194, 6);
    expect(yangMagnetization(ISING_TC)).toBe(0);
    expect(yangMagnetization(3)).toBe(0);
    expect(yangMagnetization(0.5)).toBeCloseTo(1, 5);
    expect(yangMagnetization(ISING_TC * 0.999)).toBeLessThan(0.6);
  });
});

describe('Kaufman finite torus', () => {
  it('agrees with exact enumeration for L = 2, 3, 4 at several temperatures (logZ, e, c to 1e-10)', () => {
    for (const L of [2, 3, 4]) {
      for (const temperature of [0.7, 1.5, 2.0, ISING_TC, 2.5, 3.5, 10]) {
        const k = kaufmanTorus(L, temperature);
        const e = enumerateIsing2D(L, temperature);
        expect(Math.abs(k.logZ - e.logZ), `L=${L} T=${temperature} logZ`).toBeLessThan(1e-10);
        expect(Math.abs(k.energy - e.energy), `L=${L} T=${temperature} e`).toBeLessThan(1e-10);
        expect(Math.abs(k.specificHeat - e.specificHeat), `L=${L} T=${temperature} c`).toBeLessThan(1e-10);
      }
    }
  });

  it('10x10 at Tc: <e> = -1.47624291, c = 1.260020', () => {
    const k = kaufmanTorus(10, ISING_TC);
    expect(k.energy).toBeCloseTo(-1.47624291, 8);
    expect(k.specificHeat).toBeCloseTo(1.26002, 5);
  });

  it('energy and specific heat are the beta-derivatives of log Z (finite differences)', () => {
    for (const [L, temperature] of [
      [16, 2.1],
      [32, ISING_TC],
      [64, 3],
    ] as const) {
      const beta = 1 / temperature;
      const db = 1e-4;
      const lz = (b: number) => kaufmanTorus(L, 1 / b).logZ;
      const k = kaufmanTorus(L, temperature);
      const n = L * L;
      expect(k.energy).toBeCloseTo(-(lz(beta + db) - lz(beta - db)) / (2 * db) / n, 6);
      const d2 = (lz(beta + db) - 2 * lz(beta) + lz(beta - db)) / (db * db);
      expect(k.specificHeat).toBeCloseTo((beta * beta * d2) / n, 2);
    }
  });

  it('large L: no overflow, and converges to Onsager away from Tc', () => {
    for (const temperature of [1.8, 3.2]) {
      const k = kaufmanTorus(1000, temperature);
      expect(Number.isFinite(k.logZ)).toBe(true);
      expect(k.energy).toBeCloseTo(onsagerEnergy(temperature), 10);
      expect(k.specificHeat).toBeCloseTo(onsagerSpecificHeat(temperature), 8);
    }
  });

  it('rejects bad L and temperature with DomainErrors naming them', () => {
    expect(() => kaufmanTorus(1, 2)).toThrow(
      'kaufmanTorus: L: expected an integer in [2, 1048576], received 1',
    );
    expect(() => kaufmanTorus(4.5, 2)).toThrow(/kaufmanTorus: L/);
    expect(() => kaufmanTorus(4, 0)).toThrow(
      'kaufmanTorus: temperature: expected a finite number > 0, received 0',
    );
    expect(() => kaufmanTorus(4, Number.NaN)).toThrow(/received NaN/);
  });
});

describe('enumerateIsing2D', () => {
  it('4x4 at Tc: <e> = -1.56562379, <|m|> = 0.84386044, <m^2> = 0.76135891', () => {
    const r = enumerateIsing2D(4, ISING_TC);
    expect(r.energy).toBeCloseTo(-1.56562379, 8);
    expect(r.absMagnetization).toBeCloseTo(0.84386044, 8);
    expect(r.magnetization2).toBeCloseTo(0.76135891, 8);
    expect(r.magnetization).toBeCloseTo(0, 14);
  });

  it('fluctuation formulas: c and <m> agree with derivatives of log Z; chi uses <m^2> - <|m|>^2', () => {
    const temperature = 2.7;
    const h = 0.2;
    const r = enumerateIsing2D(3, temperature, h);
    const n = 9;
    const dh = 1e-5;
    const mNumeric =
      (temperature *
        (enumerateIsing2D(3, temperature, h + dh).logZ - enumerateIsing2D(3, temperature, h - dh).logZ)) /
      (2 * dh) /
      n;
    expect(r.magnetization).toBeCloseTo(mNumeric, 7);
    expect(r.susceptibility).toBeCloseTo(
      (n / temperature) * (r.magnetization2 - r.absMagnetization ** 2),
      12,
    );
    expect(r.magnetization4).toBeGreaterThanOrEqual(r.magnetization2 ** 2);
    const db = 1e-5;
    const lz = (b: number) => enumerateIsing2D(3, 1 / b, h).logZ;
    expect(r.energy).toBeCloseTo(-(lz(1 / temperature + db) - lz(1 / temperature - db)) / (2 * db) / n, 7);
  });

  it('low temperature: no overflow, ground state (e = -2, |m| = 1)', () => {
    const r = enumerateIsing2D(4, 0.05);
    expect(r.energy).toBeCloseTo(-2, 12);
    expect(r.absMagnetization).toBeCloseTo(1, 12);
    expect(Number.isFinite(r.logZ)).toBe(true);
  });

  it('rejects L > 4, bad temperature and field', () => {
    expect(() => enumerateIsing2D(5, 2)).toThrow(
      'enumerateIsing2D: L: expected an integer in [2, 4], received 5',
    );
    expect(() => enumerateIsing2D(4, -1)).toThrow(DomainError);
    expect(() => enumerateIsing2D(4, 2, Number.NaN)).toThrow(
      'enumerateIsing2D: h: expected a finite number, received NaN',
    );
    expect(() => onsagerEnergy(Number.NaN)).toThrow(
      'onsagerEnergy: temperature: expected a finite number > 0, received NaN',
    );
    expect(() => yangMagnetization(0)).toThrow(/yangMagnetization: temperature/);
  });
});

describe('isingCorrelationLength / isingCriticalWindow', () => {
  it('obeys Kramers-Wannier duality: xi(T* > Tc) = 2 xi(T < Tc), sinh 2K sinh 2K* = 1', () => {
    for (const T of [1.2, 1.8, 2.1, 2.25]) {
      const K = 1 / T;
      const Kdual = Math.asinh(1 / Math.sinh(2 * K)) / 2;
      expect(1 / Kdual).toBeGreaterThan(ISING_TC);
      expect(isingCorrelationLength(1 / Kdual)).toBeCloseTo(2 * isingCorrelationLength(T), 8);
    }
  });

  it('tends to the high-temperature series 1 / ln coth K as K -> 0, and diverges at Tc', () => {
    const K = 0.01;
    expect(isingCorrelationLength(1 / K) * -Math.log(Math.tanh(K))).toBeCloseTo(1, 2);
    expect(isingCorrelationLength(ISING_TC)).toBe(Number.POSITIVE_INFINITY);
    expect(isingCorrelationLength(ISING_TC * (1 + 1e-6))).toBeGreaterThan(1e5);
  });

  it('the window brackets Tc and its edges have exactly the asked correlation length', () => {
    const [low, high] = isingCriticalWindow(5);
    expect(low).toBeLessThan(ISING_TC);
    expect(high).toBeGreaterThan(ISING_TC);
    expect(isingCorrelationLength(low)).toBeCloseTo(5, 6);
    expect(isingCorrelationLength(high)).toBeCloseTo(5, 6);
    expect(() => isingCriticalWindow(0)).toThrow(DomainError);
    expect(() => isingCorrelationLength(Number.NaN)).toThrow(DomainError);
  });
});
