import { describe, expect, it } from 'vitest';
import {
  symmetricEigen,
  symmetricEigenReference,
  thinSvd,
  thinSvdReference,
} from '../../src/core/decompose.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { qrOrthonormalize } from '../../src/core/linalg/qr.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { orthonormalityError } from './linalg-fixtures.js';

describe('decompose (public contract, shared with the ml-matrix reference)', () => {
  it('symmetric eigen: A v = lambda v, descending, orthonormal', () => {
    const rng = createRng(2);
    const n = 12;
    const x = rng.fillNormal(new Float64Array(n * n));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j]! + x[j * n + i]!;
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let p = 0; p < n; p++) av += a[i * n + p]! * vectors[p * n + j]!;
        expect(av).toBeCloseTo(values[j]! * vectors[i * n + j]!, 10);
      }
    }
  });

  it('thin SVD reconstructs tall and wide matrices to 1e-10', () => {
    const rng = createRng(3);
    for (const [m, n] of [
      [9, 4],
      [4, 9],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const { u, s, v, rank } = thinSvd(matrix(a, m, n));
      expect(rank).toBe(4);
      expect([u.rows, u.cols, v.rows, v.cols]).toEqual([m, rank, n, rank]);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let r = 0;
          for (let q = 0; q < rank; q++) r += u.data[i * rank + q]! * s[q]! * v.data[j * rank + q]!;
          expect(Math.abs(r - a[i * n + j]!)).toBeLessThan(1e-10);
        }
    }
  });
});

describe('fast solvers agree with the ml-matrix reference', () => {
  it('eigenvectors match the reference up to rounding (distinct eigenvalues, same sign convention)', () => {
    const rng = createRng(5);
    const n = 20;
    const x = rng.fillNormal(new Float64Array(n * n));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j]! + x[j * n + i]!;
    const ours = symmetricEigen(a, n);
    const ref = symmetricEigenReference(a, n);
    for (let i = 0; i < n * n; i++) expect(Math.abs(ours.vectors[i]! - ref.vectors[i]!)).toBeLessThan(1e-9);
  });

  it('singular vectors match the reference up to rounding', () => {
    const rng = createRng(6);
    for (const [m, n] of [
      [12, 7],
      [7, 12],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const ours = thinSvd(matrix(a, m, n));
      const ref = thinSvdReference(matrix(a, m, n));
      expect([ref.u.rows, ref.u.cols, ref.v.rows, ref.v.cols]).toEqual([
        ours.u.rows,
        ours.u.cols,
        n,
        ours.v.cols,
      ]);
      for (let i = 0; i < ours.u.data.length; i++)
        expect(Math.abs(ours.u.data[i]! - ref.u.data[i]!)).toBeLessThan(1e-9);
      for (let i = 0; i < ours.v.data.length; i++)
        expect(Math.abs(ours.v.data[i]! - ref.v.data[i]!)).toBeLessThan(1e-9);
    }
  });
});

describe('qrOrthonormalize (blocked Householder QR, explicit Q)', () => {
  it('orthonormal Q spanning the columns, across panel boundaries, rank-deficient and square', () => {
    const rng = createRng(7);
    for (const [m, k] of [
      [1, 1],
      [2, 2],
      [5, 3],
      [70, 33],
      [100, 70],
      [40, 40],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * k));
      if (k > 3) for (let i = 0; i < m; i++) a[i * k + 3] = a[i * k]! - 2 * a[i * k + 1]!; // dependent column
      const Q = qrOrthonormalize(matrix(a, m, k));
      expect([Q.rows, Q.cols]).toEqual([m, k]);
      const q = Q.data;
      expect(orthonormalityError(q, m, k)).toBeLessThan(1e-13);
      // Q Q^T A = A
      for (let j = 0; j < k; j++) {
        const coef = new Float64Array(k);
        for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) coef[p] += q[i * k + p]! * a[i * k + j]!;
        for (let i = 0; i < m; i++) {
          let x = 0;
          for (let p = 0; p < k; p++) x += q[i * k + p]! * coef[p]!;
          expect(Math.abs(x - a[i * k + j]!)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('zero matrix gives the leading unit vectors; out is used; errors are typed', () => {
    const out = matrix(new Float64Array(6), 3, 2);
    expect(qrOrthonormalize(matrix(new Float64Array(6), 3, 2), out)).toBe(out);
    expect(Array.from(out.data)).toEqual([1, 0, 0, 1, 0, 0]);
    const q = qrOrthonormalize(matrix(Float64Array.of(3, 4), 2, 1)).data;
    expect(q[0]).toBeCloseTo(-0.6, 15);
    expect(q[1]).toBeCloseTo(-0.8, 15);
    expect(() => qrOrthonormalize(matrix(new Float64Array(6), 2, 3))).toThrow(
      'qrOrthonormalize: a.cols: expected at most a.rows = 2 columns, received 3',
    );
    expect(() => qrOrthonormalize({ data: new Float64Array(5), rows: 3, cols: 2 })).toThrow(ShapeError);
    expect(() => qrOrthonormalize(matrix(Float64Array.of(1, Number.NaN), 2, 1))).toThrow(DomainError);
    const a = matrix(new Float64Array(6), 3, 2);
    expect(() => qrOrthonormalize(a, a)).toThrow(/does not share memory/);
  });
});
