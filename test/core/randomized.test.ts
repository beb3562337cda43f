import { describe, expect, it } from 'vitest';
import { symmetricEigen, thinSvd } from '../../src/core/decompose.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { topEigenpairs, topSingularTriplets } from '../../src/core/linalg/randomized.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  frobenius,
  matrixWithSingularValues,
  orthonormalityError,
  symmetricWithSpectrum,
} from './linalg-fixtures.js';

/** sin of the angle between unit column jx of x (n x kx) and unit column jy of y (n x ky): ||x - (x.y) y||. */
function sinAngle(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  kx: number,
  jx: number,
  ky: number,
  jy: number,
): number {
  let c = 0;
  for (let i = 0; i < n; i++) c += x[i * kx + jx]! * y[i * ky + jy]!;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (x[i * kx + jx]! - c * y[i * ky + jy]!) ** 2;
  return Math.sqrt(s2);
}

describe('randomized top-k (Halko-Martinsson-Tropp subspace iteration)', () => {
  it('topEigenpairs agrees with the full solver within its returned residuals', () => {
    const n = 120;
    const k = 10;
    const spectrum = Array.from({ length: n }, (_, j) => 0.7 ** j);
    const a = symmetricWithSpectrum(createRng(41), spectrum);
    const full = symmetricEigen(a, n);
    const top = topEigenpairs(a, n, k, { rng: createRng(1), oversample: 8, powerIterations: 3 });
    expect(top.values.length).toBe(k);
    expect(top.vectors.length).toBe(n * k);
    expect(orthonormalityError(top.vectors, n, k)).toBeLessThan(1e-12);
    for (let j = 0; j < k; j++) {
      const res = top.residuals[j]!;
      expect(res).toBeLessThan(1e-3 * spectrum[j]!); // converged on this decaying spectrum
      // Weyl / Bauer-Fike: the Ritz value is within its residual of an eigenvalue (here the j-th)
      expect(Math.abs(top.values[j]! - full.values[j]!)).toBeLessThanOrEqual(res + 1e-14);
      // Davis-Kahan: sin(angle) <= residual / gap
      const gap = Math.min(
        j > 0 ? full.values[j - 1]! - top.values[j]! : Number.POSITIVE_INFINITY,
        top.values[j]! - full.values[j + 1]!,
      );
      expect(sinAngle(top.vectors, full.vectors, n, k, j, n, j)).toBeLessThanOrEqual(res / gap + 1e-12);
    }
  });

  it('is deterministic for a seed and reports honest residuals without power iterations', () => {
    const n = 60;
    const a = symmetricWithSpectrum(
      createRng(42),
      Array.from({ length: n }, (_, j) => 1 / (1 + j)),
    );
    const r1 = topEigenpairs(a, n, 5, { rng: createRng(7), powerIterations: 0 });
    const r2 = topEigenpairs(a, n, 5, { rng: createRng(7), powerIterations: 0 });
    expect(r1).toEqual(r2);
    const full = symmetricEigen(a, n);
    for (let j = 0; j < 5; j++) {
      // the residual, computed exactly, bounds the distance to the nearest eigenvalue
      let nearest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) nearest = Math.min(nearest, Math.abs(full.values[i]! - r1.values[j]!));
      expect(nearest).toBeLessThanOrEqual(r1.residuals[j]! + 1e-14);
    }
    // k = n: exact decomposition
    const all = topEigenpairs(a, n, n, { rng: createRng(8) });
    for (let j = 0; j < n; j++) expect(Math.abs(all.values[j]! - full.values[j]!)).toBeLessThan(1e-12);
    expect(Math.max(...all.residuals)).toBeLessThan(1e-12);
  });

  it('topSingularTriplets agrees with the full SVD within its returned residuals (tall and wide)', () => {
    for (const [m, n] of [
      [90, 50],
      [50, 90],
    ] as const) {
      const r = Math.min(m, n);
      const sv = Array.from({ length: r }, (_, j) => 10 * 0.75 ** j);
      const a = matrixWithSingularValues(createRng(43), m, n, sv);
      const full = thinSvd(matrix(a, m, n));
      const k = 8;
      const top = topSingularTriplets(matrix(a, m, n), k, { rng: createRng(2), powerIterations: 3 });
      expect([top.u.rows, top.u.cols, top.v.rows, top.v.cols]).toEqual([m, k, n, k]);
      expect(orthonormalityError(top.u.data, m, k)).toBeLessThan(1e-12);
      expect(orthonormalityError(top.v.data, n, k)).toBeLessThan(1e-12);
      for (let j = 0; j < k; j++) {
        const res = top.residuals[j]!;
        expect(res).toBeLessThan(1e-4 * sv[j]!);
        expect(Math.abs(top.s[j]! - full.s[j]!)).toBeLessThanOrEqual(res + 1e-13 * frobenius(a));

        const gap = Math.min(
          j > 0 ? full.s[j - 1]! - top.s[j]! : Number.POSITIVE_INFINITY,
          top.s[j]! - full.s[j + 1]!,
        );
        expect(sinAngle(top.v.data, full.v.data, n, k, j, r, j)).toBeLessThanOrEqual((2 * res) / gap + 1e-12);
      }
    }
  });

  it('rejects bad input with typed errors', () => {
    const rng = createRng(1);
    const a = new Float64Array(9);
    expect(() => topEigenpairs(a, 3, 4, { rng })).toThrow(DomainError);
    expect(() => topEigenpairs(a, 3, 0, { rng })).toThrow(/topEigenpairs: k/);
    expect(() => topEigenpairs(new Float64Array(8), 3, 1, { rng })).toThrow(ShapeError);
    expect(() => topEigenpairs(a, 3, 1, {} as never)).toThrow(/options.rng/);
    expect(() => topEigenpairs(a, 3, 1, { rng, oversample: -1 })).toThrow(DomainError);
    expect(() => topSingularTriplets(matrix(new Float64Array(6), 2, 3), 3, { rng })).toThrow(
      'topSingularTriplets: k: expected an integer in [1, 2], received 3',
    );
    expect(() => topSingularTriplets({ data: new Float64Array(5), rows: 2, cols: 3 }, 1, { rng })).toThrow(
      ShapeError,
    );
  });
});
