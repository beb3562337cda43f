import { describe, expect, it } from 'vitest';
import { zeta } from '../../src/experiments/e4.js';
import {
  enumerateIsing2D,
  kaufmanTorus,
  onsagerEnergy,
  onsagerSpecificHeat,
} from '../../src/lattice/exact2d.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('exact results return their correct limits at extreme valid temperatures', () => {
  it('onsagerEnergy: -2 as T -> 0, -2 tanh(1/T) (1 + O(T^-2)) as T -> infinity', () => {
    for (const T of [1e-300, 1e-3, 0.05]) expect(onsagerEnergy(T)).toBe(-2);
    for (const T of [1e4, 1e5, 1e100, 1e300, 1e308]) {
      const t = Math.tanh(1 / T);
      expect(rel(onsagerEnergy(T), -2 * t - 4 * t ** 3)).toBeLessThan(1e-15);
    }
  });

  it('onsagerEnergy is continuous across the series switches (K = 3 and K = 1e-3) to rounding', () => {
    // just outside each switch the closed form is used; the series and the closed form agree there
    expect(Math.abs(onsagerEnergy(1 / 3) - onsagerEnergy(1 / 2.9999999))).toBeLessThan(1e-13);
    expect(rel(onsagerEnergy(1000), onsagerEnergy(999.9999))).toBeLessThan(1e-6);
    expect(rel(onsagerEnergy(1000), -2 * Math.tanh(1e-3) - 4 * Math.tanh(1e-3) ** 3)).toBeLessThan(1e-11);
  });

  it('onsagerSpecificHeat: finite, >= 0, 64 K^2 e^(-8K) at low T and 2/T^2 at high T', () => {
    for (const T of [1e-300, 1e-3]) expect(onsagerSpecificHeat(T)).toBe(0); // e^(-8000): 0 in doubles
    for (const T of [0.1, 0.2, 0.25]) {
      const K = 1 / T;
      expect(rel(onsagerSpecificHeat(T), 64 * K * K * Math.exp(-8 * K))).toBeLessThan(
        1e-6 + 10 * Math.exp(-4 * K),
      );
      expect(onsagerSpecificHeat(T)).toBeGreaterThan(0);
    }
    for (const T of [1e4, 1e8, 1e100]) expect(rel(onsagerSpecificHeat(T), 2 / (T * T))).toBeLessThan(1e-7);
    expect(onsagerSpecificHeat(1e308)).toBe(0); // 2e-616 underflows
    // continuity with the closed form just outside the switches (its own rounding ~1e-14 absolute)
    expect(rel(onsagerSpecificHeat(1 / 3), onsagerSpecificHeat(1 / 2.9999999))).toBeLessThan(1e-5);
    expect(rel(onsagerSpecificHeat(1000), onsagerSpecificHeat(999.9999))).toBeLessThan(1e-6);
  });

  it('kaufmanTorus: ground state as T -> 0, free spins as T -> infinity, for L = 2, 4, 5, 16', () => {
    for (const L of [2, 4, 5, 16]) {
      const N = L * L;
      for (const T of [1e-300, 1e-3]) {
        const r = kaufmanTorus(L, T);
        expect(rel(r.logZ, (2 * N) / T + Math.LN2)).toBeLessThan(1e-15);
        expect(r.energy).toBe(-2);
        expect(r.specificHeat).toBe(0);
      }
      for (const T of [1e5, 1e100, 1e308]) {
        const r = kaufmanTorus(L, T);
        const t = Math.tanh(1 / T);
        // at L = 2 the doubled bonds close loops of length 2: P(t) = 1 + N t^2 + ...
        const loops = L === 2 ? N * t * t : 0;
        expect(rel(r.logZ, N * (Math.LN2 + 2 * Math.log(Math.cosh(1 / T))) + loops)).toBeLessThan(1e-12);
        // at L = 2 every neighbour pair is joined by two bonds, which doubles the leading term
        expect(rel(r.energy, -(L === 2 ? 4 : 2) * t)).toBeLessThan(1e-9);
        expect(Number.isFinite(r.specificHeat) && r.specificHeat >= 0).toBe(true);
      }
    }
  });

  it('kaufmanTorus: the series agree with enumeration (L = 4) and with the closed form at the switches', () => {
    for (const T of [0.3, 1000, 1e4]) {
      const series = kaufmanTorus(4, T);
      const exact = enumerateIsing2D(4, T);
      expect(rel(series.logZ, exact.logZ)).toBeLessThan(1e-13);
      expect(Math.abs(series.energy - exact.energy)).toBeLessThan(1e-11);
    }
    for (const L of [4, 16]) {
      const a = kaufmanTorus(L, 1 / 3);
      const b = kaufmanTorus(L, 1 / 2.9999999);
      expect(Math.abs(a.energy - b.energy)).toBeLessThan(1e-12);
      expect(rel(a.logZ, b.logZ)).toBeLessThan(1e-7);
      const c = kaufmanTorus(L, 1000);
      const d = kaufmanTorus(L, 999.9999);
      expect(rel(c.energy, d.energy)).toBeLessThan(1e-6);
      expect(rel(c.specificHeat, d.specificHeat)).toBeLessThan(1e-5);
    }
  });

  it('zeta(s) -> 1 at huge s (no NaN from the tail terms) and stays right below the switch', () => {
    expect(zeta(1e300)).toBe(1);
    expect(zeta(Number.MAX_VALUE)).toBe(1);
    expect(zeta(60)).toBe(1 + 2 ** -60);
    expect(rel(zeta(49.999), 1 + 2 ** -49.999)).toBeLessThan(1e-15);
  });
});
