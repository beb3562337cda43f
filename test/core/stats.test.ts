import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import {
  binningAnalysis,
  integratedAutocorrelationTime,
  jackknife,
  mean,
  spreadSummary,
  summarizeSeries,
  variance,
} from '../../src/core/stats.js';

/** AR(1) process x_t = a x_{t-1} + noise, whose tau_int = (1 + a) / (2 (1 - a)) exactly. */
function ar1(n: number, a: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) x[i] = prev = a * prev + rng.normal();
  return x;
}

describe('stats', () => {
  it('mean and variance', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(variance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 14);
    expect(() => mean([])).toThrow(ShapeError);
  });

  it('tau_int of an AR(1) process matches (1+a)/(2(1-a)) within its error', () => {
    for (const a of [0, 0.5, 0.9]) {
      const x = ar1(200_000, a, 11);
      const exact = (1 + a) / (2 * (1 - a));
      const result = integratedAutocorrelationTime(x);
      expect(result.reliable).toBe(true);
      expect(Math.abs(result.tauInt - exact)).toBeLessThan(4 * result.error + 0.02);
    }
  });

  it('binning error of AR(1) matches the exact standard error sqrt(2 tau var / n)', () => {
    const a = 0.8;
    const n = 1 << 18;
    const x = ar1(n, a, 3);
    const tau = (1 + a) / (2 * (1 - a));
    const varX = 1 / (1 - a * a);
    const exact = Math.sqrt((2 * tau * varX) / n);
    const result = binningAnalysis(x);
    expect(result.converged).toBe(true);
    // error-of-error at the deepest level (~32 bins) is ~13%; allow 3 of those
    expect(Math.abs(result.error - exact) / exact).toBeLessThan(0.4);
    expect(result.error).toBeGreaterThan(result.levels[0]!.error * 2);
    const s = summarizeSeries(x);
    expect(s.n).toBe(n);
  });

  it('jackknife of a linear function equals the naive mean and its standard error', () => {
    const x = ar1(3200, 0, 9);
    const r = jackknife([x], (m) => 2 * m[0]!, 3200);
    const sd = Math.sqrt(variance(x) / x.length);
    expect(r.mean).toBeCloseTo(2 * mean(x), 12);
    expect(r.error).toBeCloseTo(2 * sd, 10);
    expect(Math.abs(r.bias)).toBeLessThan(1e-9);
  });

  it('jackknife corrects the bias of a square of a mean', () => {
    // E[(mean x)^2] = mu^2 + var/n: the bias the jackknife removes
    const rng = createRng(4);
    const x = Float64Array.from({ length: 64 }, () => 1 + rng.normal());
    const r = jackknife([x], (m) => m[0]! ** 2, 64);
    const m = mean(x);
    expect(r.mean - r.bias).toBeCloseTo(m * m - variance(x) / 64, 10);
  });
});

describe('spreadSummary', () => {
  it('summarises the finite values: mean, standard error, spread and count; NaN entries are skipped', () => {
    const s = spreadSummary([1, 2, 3, Number.NaN]);
    expect(s.count).toBe(3);
    expect(s.mean).toBe(2);
    expect(s.spread).toBeCloseTo(1, 12);
    expect(s.error).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(spreadSummary([5])).toEqual({ mean: 5, error: Number.NaN, spread: Number.NaN, count: 1 });
    expect(spreadSummary([Number.NaN]).count).toBe(0);
  });
});
