import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { symmetricEigen, symmetricEigenReference } from '../../src/core/decompose.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { setGemmBackend } from '../../src/core/gemm.js';
import { symmetricLowerMatVecKernel, tridiagonalizeKernel } from '../../src/core/linalg/tridiagonal.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  frobenius,
  logspace,
  orthonormalityError,
  randomSymmetric,
  reconstructionError,
  symmetricWithSpectrum,
} from './linalg-fixtures.js';

function checkDecomposition(a: Float64Array, n: number): void {
  const copy = a.slice();
  const { values, vectors } = symmetricEigen(a, n);
  expect(a).toEqual(copy); // input untouched
  for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
  expect(orthonormalityError(vectors, n, n)).toBeLessThan(1e-10);
  // A = V diag(values) V^T
  expect(reconstructionError(a, n, n, vectors, values, vectors, n)).toBeLessThan(1e-10);
  // each eigenvector's largest-magnitude entry is positive
  for (let j = 0; j < n; j++) {
    let best = 0;
    for (let i = 0; i < n; i++)
      if (Math.abs(vectors[i * n + j]!) > Math.abs(best)) best = vectors[i * n + j]!;
    expect(best).toBeGreaterThan(0);
  }
  // eigenvalues agree with ml-matrix: 1e-9 relative, or 1e-9 ||A|| absolute for tiny ones
  const ref = symmetricEigenReference(a, n).values;
  const scale = frobenius(a);
  for (let j = 0; j < n; j++) {
    expect(Math.abs(values[j]! - ref[j]!)).toBeLessThanOrEqual(
      Math.max(1e-9 * Math.abs(ref[j]!), 1e-9 * scale, 1e-300),
    );
  }
}

describe('symmetricEigen (tridiagonalisation + implicit QL)', () => {
  it('random symmetric matrices, sizes 1, 2, 3, odd and larger', () => {
    const rng = createRng(11);
    // 131 exercises the blocked (GEMM panel) reduction, used from n = 96 on
    for (const n of [1, 2, 3, 4, 7, 16, 33, 80, 131]) checkDecomposition(randomSymmetric(rng, n), n);
  });

  it('clustered spectrum with exactly repeated eigenvalues', () => {
    const rng = createRng(12);
    const values = [5, 5, 5, 5, 2, 2, 2, -1, -1, -1, -1, -1, 0.5, 3, 3, 3, 3, 3, 3, 1e-3, 1e-3];
    checkDecomposition(symmetricWithSpectrum(rng, values), values.length);
    const n = 30;
    const identityLike = symmetricWithSpectrum(rng, Array(n).fill(2));
    checkDecomposition(identityLike, n);
  });

  it('rank-deficient (PSD of rank 3) and ill-conditioned (cond 1e12)', () => {
    const rng = createRng(13);
    const n = 25;
    const b = rng.fillNormal(new Float64Array(n * 3));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let p = 0; p < 3; p++) a[i * n + j] += b[i * 3 + p]! * b[j * 3 + p]!;
    checkDecomposition(a, n);
    const ill = logspace(1, 1e-12, 31);
    const c = symmetricWithSpectrum(rng, ill);
    checkDecomposition(c, 31);
    const { values } = symmetricEigen(c, 31);
    for (let j = 0; j < 31; j++) expect(Math.abs(values[j]! - ill[j]!)).toBeLessThan(1e-13);
  });

  it('special structure: zero, diagonal, already tridiagonal, 2x2 closed form', () => {
    checkDecomposition(new Float64Array(9), 3);
    const diag = new Float64Array(16);
    [3, -1, 7, 0].forEach((x, i) => {
      diag[i * 4 + i] = x;
    });
    checkDecomposition(diag, 4);
    expect(Array.from(symmetricEigen(diag, 4).values)).toEqual([7, 3, 0, -1]);
    const n = 9;
    const tri = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      tri[i * n + i] = 2;
      if (i + 1 < n) tri[i * n + i + 1] = tri[(i + 1) * n + i] = -1;
    }
    checkDecomposition(tri, n);
    // eigenvalues of the second-difference matrix: 2 - 2 cos(k pi / (n + 1))
    const { values } = symmetricEigen(tri, n);
    for (let k = 1; k <= n; k++)
      expect(values[n - k]!).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 13);
    const two = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(two.values[0]).toBeCloseTo(3, 14);
    expect(two.values[1]).toBeCloseTo(1, 14);
  });

  it('hard cases for inverse iteration: Wilkinson (pairs 1e-14 apart), glued Wilkinson, large null space', () => {
    for (const m of [10, 25]) {
      const n = 2 * m + 1;
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        a[i * n + i] = Math.abs(m - i);
        if (i + 1 < n) a[i * n + i + 1] = a[(i + 1) * n + i] = 1;
      }
      checkDecomposition(a, n);
    }
    const w = 21;
    const n = 3 * w;
    const glued = new Float64Array(n * n);
    for (let g = 0; g < n; g++) {
      glued[g * n + g] = Math.abs(10 - (g % w));
      if (g + 1 < n) glued[g * n + g + 1] = glued[(g + 1) * n + g] = (g + 1) % w === 0 ? 1e-10 : 1;
    }
    checkDecomposition(glued, n);
    const rng = createRng(15);
    const size = 110;
    const b = rng.fillNormal(new Float64Array(size * 4));
    const lowRank = new Float64Array(size * size);
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++)
        for (let p = 0; p < 4; p++) lowRank[i * size + j] += b[i * 4 + p]! * b[j * 4 + p]!;
    checkDecomposition(lowRank, size);
    const ones = new Float64Array(50 * 50).fill(1);
    checkDecomposition(ones, 50);
  });

  it('reads only the lower triangle', () => {
    const rng = createRng(14);
    const n = 6;
    const a = randomSymmetric(rng, n);
    const garbage = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) garbage[i * n + j] = 100 + i + j;
    expect(symmetricEigen(garbage, n)).toEqual(symmetricEigen(a, n));
  });

  it('rejects bad input with typed errors', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(ShapeError);
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/symmetricEigen: a: expected 4 elements/);
    expect(() => symmetricEigen(new Float64Array(0), 0)).toThrow(DomainError);
    expect(() => symmetricEigen(Float64Array.of(1, Number.NaN, 0, 1), 2)).toThrow(/symmetricEigen: a\[1\]/);
    expect(() => symmetricEigenReference(new Float64Array(3), 2)).toThrow(ShapeError);
  });

  it('kernels: the lower-triangle matrix-vector product at offsets, and the reduction reads only the lower triangle', () => {
    const rng = createRng(45);
    for (const mt of [1, 3, 4, 5, 9, 130]) {
      const lda = mt + 3;
      const a = rng.fillNormal(new Float64Array((mt + 2) * lda));
      const off = 2 * lda + 1;
      const v = rng.fillNormal(new Float64Array(mt + 1));
      const p = new Float64Array(mt + 2).fill(99);
      symmetricLowerMatVecKernel(mt, a, off, lda, v, 1, p, 2);
      expect(p[0]).toBe(99);
      expect(p[1]).toBe(99);
      for (let i = 0; i < mt; i++) {
        let s = 0;
        for (let j = 0; j < mt; j++) s += a[off + Math.max(i, j) * lda + Math.min(i, j)]! * v[1 + j]!;
        expect(Math.abs(p[2 + i]! - s)).toBeLessThan(1e-12 * (1 + Math.abs(s)));
      }
    }
    // garbage in the strict upper triangle changes nothing (sizes with and without the blocked panels)
    for (const n of [20, 161]) {
      const full = randomSymmetric(rng, n);
      const lower = full.slice();
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lower[i * n + j] = 1e6;
      const out = [full, lower].map((a) => {
        const d = new Float64Array(n);
        const e = new Float64Array(n);
        tridiagonalizeKernel(a.slice(), n, d, e, new Float64Array(n));
        return [d, e];
      });
      expect(out[1]).toEqual(out[0]);
    }
  });

  it('covariance-like spectrum (large cluster of tiny eigenvalues: QL vectors) and a covariance of data', () => {
    const rng = createRng(46);
    // eigenvalues e^{-j/6}: most of them within 1e-3 ||A|| of each other, one cluster for inverse iteration
    checkDecomposition(
      symmetricWithSpectrum(
        rng,
        Array.from({ length: 150 }, (_, j) => Math.exp(-j / 6)),
      ),
      150,
    );
    const n = 400;
    const d = 120;
    const x = rng.fillNormal(new Float64Array(n * d));
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) x[i * d + j] = x[i * d + j]! * Math.exp(-j / 10) + 0.5;
    checkDecomposition(covarianceMatrix(matrix(x, n, d)).matrix, d);
  });
});

/**
 * Backward-error checks of symmetricEigen at sizes that run the blocked reduction (panels of 32, GEMM
 * trailing updates, WebAssembly SIMD panel kernels) and the blocked back-transformation: the residual
 * ||A V - V diag(w)||_F and the loss of orthogonality max |V^T V - I| against n eps ||A||_F, the bound of
 * a backward-stable method (Golub & Van Loan 8.3; LAPACK's dsyt21 ratio tests), on both GEMM backends.
 */
describe('symmetricEigen backward error on random, graded, clustered and degenerate spectra', () => {
  const EPS = Number.EPSILON;

  /** ||A V - V diag(w)||_F / (n eps ||A||_F) and max |V^T V - I| / (n eps); both must stay below 1. */
  function ratios(a: Float64Array, n: number): { residual: number; orthogonality: number } {
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      const row = new Float64Array(n);
      for (let p = 0; p < n; p++) {
        const aip = a[Math.max(i, p) * n + Math.min(i, p)]!; // the lower triangle defines A
        if (aip === 0) continue;
        for (let j = 0; j < n; j++) row[j] += aip * vectors[p * n + j]!;
      }
      for (let j = 0; j < n; j++) r2 += (row[j]! - values[j]! * vectors[i * n + j]!) ** 2;
    }
    let norm2 = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) norm2 += a[Math.max(i, j) * n + Math.min(i, j)]! ** 2;
    const scale = n * EPS * Math.sqrt(norm2);
    return {
      residual: scale > 0 ? Math.sqrt(r2) / scale : Math.sqrt(r2),
      orthogonality: orthonormalityError(vectors, n, n) / (n * EPS),
    };
  }

  function check(a: Float64Array, n: number): void {
    const { residual, orthogonality } = ratios(a, n);
    expect(residual).toBeLessThan(1);
    expect(orthogonality).toBeLessThan(1);
    // deterministic: the same input gives bit-identical output
    expect(symmetricEigen(a, n)).toEqual(symmetricEigen(a, n));
  }

  const n = 200;
  const cases: [string, () => Float64Array][] = [
    ['random (X + X^T) / 2', () => randomSymmetric(createRng(81), n)],
    [
      'graded spectrum 1e3 .. 1e-9, alternating signs',
      () =>
        symmetricWithSpectrum(
          createRng(82),
          logspace(1e3, 1e-9, n).map((x, i) => (i % 2 ? -x : x)),
        ),
    ],
    [
      'clusters: 100 eigenvalues within 1e-10 of 1, 50 of -2, the rest spread',
      () =>
        symmetricWithSpectrum(
          createRng(83),
          Array.from({ length: n }, (_, i) => (i < 100 ? 1 + 1e-10 * i : i < 150 ? -2 : 3 + i / 10)),
        ),
    ],
    [
      'covariance of rank-deficient data (60 samples of 200 features: rank 59)',
      () => {
        const x = createRng(84).fillNormal(new Float64Array(60 * n));
        for (let s = 0; s < 60; s++)
          for (let j = 0; j < n; j++) x[s * n + j] = x[s * n + j]! * Math.exp(-j / 40);
        return covarianceMatrix(matrix(x, 60, n)).matrix;
      },
    ],
    [
      'identity',
      () => {
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) a[i * n + i] = 1;
        return a;
      },
    ],
    [
      'diagonal with repeated and zero entries',
      () => {
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) a[i * n + i] = [3, 0, -1, 3, 1e-8][i % 5]!;
        return a;
      },
    ],
    [
      'rank one plus identity (eigenvalue 1 of multiplicity n - 1)',
      () => {
        const u = createRng(85).fillNormal(new Float64Array(n));
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) a[i * n + j] = u[i]! * u[j]! + (i === j ? 1 : 0);
        return a;
      },
    ],
  ];

  for (const [name, make] of cases) {
    it(`${name}: residual and orthogonality below n eps ||A||, on both GEMM backends`, () => {
      const a = make();
      check(a, n);
      setGemmBackend('typescript');
      try {
        check(a, n);
      } finally {
        setGemmBackend('auto');
      }
    });
  }
});
